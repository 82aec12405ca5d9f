"""BinningProcess: fast path equals per-column binners, selection, transform, sklearn, JSON."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

import scorecard
from scorecard import datasets, stats
from scorecard.binning import BinningProcess, OptimalBinner
from scorecard.exceptions import InputError, NotFittedError


def mixed_frame(n=4000, seed=0):
    rng = np.random.default_rng(seed)
    income = rng.lognormal(10, 0.5, n)
    age = rng.integers(18, 80, n)
    home = rng.choice(["own", "rent", "parents", "other"], n, p=[0.4, 0.35, 0.2, 0.05])
    noise = rng.normal(size=n)
    logit = -1.5 - 0.8 * (np.log(income) - 10) - 0.02 * (age - 45) + 0.7 * (home == "rent")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    frame = pd.DataFrame({"income": income, "age": age, "home": home, "noise": noise,
                          "flag": rng.random(n) < 0.3})
    frame.loc[rng.random(n) < 0.05, "income"] = np.nan
    frame.loc[rng.random(n) < 0.03, "home"] = None
    frame.loc[rng.random(n) < 0.02, "age"] = -999
    return frame, y


def test_default_process_on_a_mixed_frame():
    frame, y = mixed_frame()
    process = BinningProcess().fit(frame, y)
    summary = process.summary()
    for column in ["name", "dtype", "n_bins", "iv", "iv_se", "iv_ci_low", "iv_ci_high",
                   "p_value", "selected", "trend", "status"]:
        assert column in summary.columns
    assert set(summary["name"]) == set(frame.columns)
    assert dict(zip(summary["name"], summary["dtype"])) == {
        "income": "numeric", "age": "numeric", "home": "categorical", "noise": "numeric",
        "flag": "categorical"}
    assert summary["iv"].is_monotonic_decreasing
    assert summary.loc[summary["name"] == "income", "iv"].item() > 0.05
    woe = process.transform(frame)
    assert woe.shape == (len(frame), len(process.selected_)) and np.isfinite(woe).all()


def test_fast_path_equals_fitting_each_column_alone():
    frame, y = mixed_frame(seed=1)
    special = {"age": [-999]}
    process = BinningProcess(special_values=special, max_n_bins=6).fit(frame, y)
    for name in frame.columns:
        alone = OptimalBinner(special_values=special.get(name, ()), max_n_bins=6).fit(
            frame[name], y)
        assert process.binning_tables_[name].to_dict() == alone.table_.to_dict(), name
        np.testing.assert_array_equal(
            process.transform(frame)[:, process.selected_.index(name)]
            if name in process.selected_ else alone.transform(frame[name]),
            alone.transform(frame[name]),
        )
    assert process.get_binned_variable("age").table_.labels[-1] == "Special -999"


def test_stumps_and_user_splits_in_the_process_equal_the_binner():
    frame, y = mixed_frame(seed=2)
    params = {"income": {"prebinning": "stumps", "n_rounds": 10},
              "noise": {"user_splits": [-1.0, 0.0, 1.0], "user_splits_fixed": True}}
    process = BinningProcess(binner_params=params, n_jobs=2).fit(frame, y)
    stumps = OptimalBinner(prebinning="stumps", n_rounds=10).fit(frame["income"], y)
    assert process.binning_tables_["income"].to_dict() == stumps.table_.to_dict()
    np.testing.assert_array_equal(process.binners_["noise"].splits_, [-1.0, 0.0, 1.0])
    assert process.binners_["noise"].status_ == "fixed"


def test_weights_flow_to_every_column():
    frame, y = mixed_frame(seed=3)
    w = np.random.default_rng(3).integers(1, 3, len(frame))
    # quantile pre-bins are of the rows, not the weights: fix them to compare like with like
    splits = {"income": {"user_splits": np.quantile(frame["income"].dropna(), [0.2, 0.4, 0.6])}}
    weighted = BinningProcess(columns=["income", "home"], binner_params=splits).fit(
        frame, y, sample_weight=w)
    repeated = BinningProcess(columns=["income", "home"], binner_params=splits).fit(
        frame.loc[frame.index.repeat(w)].reset_index(drop=True), np.repeat(y, w))
    for name in ["income", "home"]:
        np.testing.assert_allclose(weighted.binning_tables_[name].goods,
                                   repeated.binning_tables_[name].goods)


def test_selection_criteria_and_support():
    frame, y = mixed_frame(seed=4)
    process = BinningProcess(
        selection={"iv_ci_low": {"min": 0.02}, "p_value": {"max": 0.05}}).fit(frame, y)
    summary = process.summary().set_index("name")
    expected = (summary["iv_ci_low"] >= 0.02) & (summary["p_value"] <= 0.05) & (
        summary["n_bins"] >= 2)
    assert set(summary.index[expected]) == set(process.selected_)
    assert summary["selected"].equals(expected)
    assert "noise" not in process.selected_
    np.testing.assert_array_equal(process.get_support(),
                                  [c in process.selected_ for c in frame.columns])
    np.testing.assert_array_equal(process.get_feature_names_out(), process.selected_)
    top = BinningProcess(selection={"max_n_selected": 2}).fit(frame, y)
    best_two = top.summary()["name"].head(2).tolist()
    assert sorted(top.selected_) == sorted(best_two)
    assert list(top.selected_) == [c for c in frame.columns if c in best_two]


def test_q_value_is_benjamini_hochberg_over_the_characteristics():
    frame, y = mixed_frame(seed=5)
    summary = BinningProcess().fit(frame, y).summary()
    _, adjusted = stats.benjamini_hochberg(summary["p_value"].to_numpy())
    np.testing.assert_allclose(summary["q_value"], adjusted)


def test_transform_metrics_and_pandas_output():
    frame, y = mixed_frame(seed=6)
    process = BinningProcess().fit(frame, y)
    bins = process.transform(frame, metric="bin")
    labels = process.transform(frame, metric="label")
    woe = process.transform(frame)
    assert bins.dtype == np.int64 and labels.dtype == object
    for j, name in enumerate(process.selected_):
        table = process.binning_tables_[name]
        np.testing.assert_array_equal(woe[:, j], table.transform_woe[bins[:, j]])
        np.testing.assert_array_equal(labels[:, j], np.asarray(table.labels, object)[bins[:, j]])
    process.set_output(transform="pandas")
    out = process.transform(frame)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == process.selected_
    assert out.index.equals(frame.index)
    np.testing.assert_array_equal(out.to_numpy(), woe)


def test_transform_reads_columns_by_name_and_ignores_extras():
    frame, y = mixed_frame(seed=7)
    process = BinningProcess().fit(frame, y)
    shuffled = frame[frame.columns[::-1]].assign(target=y)
    np.testing.assert_array_equal(process.transform(shuffled), process.transform(frame))


def test_numpy_input_gets_x_names():
    X, y = datasets.make_wide(2000, 4, seed=1)
    process = BinningProcess().fit(X, y)
    assert process.columns_ == ["x0", "x1", "x2", "x3"]
    assert not hasattr(process, "feature_names_in_") and process.n_features_in_ == 4
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2", "x3"])
    np.testing.assert_array_equal(process.transform(X), process.transform(frame))


def test_pipeline_with_logistic_regression():
    frame, y = mixed_frame(seed=8)
    pipe = make_pipeline(BinningProcess(selection={"iv": {"min": 0.02}}),
                         LogisticRegression()).fit(frame, y)
    assert pipe.score(frame, y) > 0.5
    assert list(pipe[:-1].get_feature_names_out()) == pipe[0].selected_


def test_json_round_trip_of_the_process():
    frame, y = mixed_frame(seed=9)
    process = BinningProcess(special_values={"age": [-999]}, unseen="zero",
                             binner_params={"noise": {"max_n_bins": 2}},
                             selection={"iv": {"min": 0.0}}).fit(frame, y)
    text = process.to_json()
    again = BinningProcess.from_json(text)
    probe = frame.copy()
    probe.loc[:5, "home"] = "castle"
    for metric in ("woe", "bin", "label"):
        np.testing.assert_array_equal(again.transform(probe, metric=metric),
                                      process.transform(probe, metric=metric))
    assert again.unseen_counts_["home"] == process.unseen_counts_["home"] == 6
    assert again.to_json() == text
    pd.testing.assert_frame_equal(again.summary(), process.summary())


def test_fit_and_transform_errors():
    frame, y = mixed_frame(seed=10)
    with pytest.raises(NotFittedError):
        BinningProcess().transform(frame)
    with pytest.raises(InputError, match="'nope'"):
        BinningProcess(columns=["income", "nope"]).fit(frame, y)
    with pytest.raises(InputError, match="binner_params names column"):
        BinningProcess(binner_params={"missing": {}}).fit(frame, y)
    with pytest.raises(InputError, match=r"column 'income': max_n_prebins"):
        BinningProcess(binner_params={"income": {"max_n_prebins": 0}}).fit(frame, y)
    with pytest.raises(InputError, match="unknown parameter"):
        BinningProcess(binner_params={"income": {"bins": 3}}).fit(frame, y)
    with pytest.raises(InputError, match="selection key 'gini'"):
        BinningProcess(selection={"gini": {"min": 0.1}}).fit(frame, y)
    with pytest.raises(InputError, match="'min' and/or 'max'"):
        BinningProcess(selection={"iv": 0.02}).fit(frame, y)
    with pytest.raises(InputError, match="user_splits applies to numeric"):
        BinningProcess(binner_params={"home": {"user_splits": [1.0]}}).fit(frame, y)


def test_package_exports():
    assert scorecard.BinningProcess is BinningProcess
    assert scorecard.OptimalBinner is OptimalBinner


def test_summary_documents_optimistic_inference():
    assert "optimistic" in BinningProcess.summary.__doc__


@parametrize_with_checks([BinningProcess(), BinningProcess(monotonic_trend=None, min_bin_size=0.1)])
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


def test_summary_shows_the_corrected_iv_and_how_each_p_value_was_computed():
    """Issue 7 item 5: beside the plug-in IV the summary shows the bias-corrected estimate
    (inside its interval), the p-value's method and the reliability flag with its note."""
    frame, y = mixed_frame()
    process = BinningProcess().fit(frame, y)
    summary = process.summary().set_index("name")
    for column in ("iv_corrected", "p_method", "reliable", "reliability_note"):
        assert column in summary.columns
    for name, table in process.binning_tables_.items():
        row, r = summary.loc[name], table.iv_result
        assert row["iv_corrected"] == pytest.approx(r.estimate)
        assert row["iv_ci_low"] - 1e-12 <= row["iv_corrected"] <= row["iv_ci_high"] + 1e-12
        assert row["p_method"] == r.p_method
        assert bool(row["reliable"]) == r.reliable
    assert (summary["iv_corrected"] <= summary["iv"] + 1e-12).all()
