"""OptimalBinner: exactness against brute force, the table, transform, JSON, sklearn checks."""

from __future__ import annotations

import json
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.utils.estimator_checks import parametrize_with_checks

from merge_oracle import brute_force_merge

from scorecard import engine, stats
from scorecard.binning import BinningTable, OptimalBinner, stump_split_candidates
from scorecard.binning._solver import _iv_term
from scorecard.exceptions import InputError, NotFittedError, SpecError


def logistic_data(n=3000, seed=0, missing=0.0, special=0.0, shape="ascending"):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    logit = {"ascending": x, "descending": -x, "valley": x**2 - 1.5}[shape]
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(logit - 1.0)))).astype(int)
    x[rng.random(n) < missing] = np.nan
    x[rng.random(n) < special] = -999.0
    return x, y


def prebin_counts(binner, x, y, specials=()):
    return engine.count_numeric(x.reshape(-1, 1), [binner.prebin_splits_], y,
                                special_values=[specials])[0]


def solver_iv(goods, bads, total_goods, total_bads):
    return sum(_iv_term(float(g), float(b), total_goods, total_bads) for g, b in zip(goods, bads))


# ------------------------------------------------------------------------- exactness


CONSTRAINTS = [
    {},
    {"monotonic_trend": "descending"},
    {"monotonic_trend": None, "max_n_bins": 3},
    {"monotonic_trend": "valley", "min_bin_size": 0.1},
    {"monotonic_trend": "peak", "min_bads": 15},
    {"max_pvalue": 0.05, "min_bin_size": 0.02},
]


@pytest.mark.filterwarnings("ignore::scorecard.binning.BinningWarning")  # one-bin optima
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("constraints", CONSTRAINTS)
def test_iv_equals_brute_force_over_all_contiguous_partitions(seed, constraints):
    shape = ["ascending", "valley", "descending"][seed]
    x, y = logistic_data(n=1500, seed=seed, shape=shape)
    binner = OptimalBinner(max_n_prebins=10, **constraints).fit(x, y)
    counts = prebin_counts(binner, x, y)
    numeric = counts[:-1]
    options = {"monotonic_trend": "auto", "min_bin_size": 0.05, **constraints}
    brute = brute_force_merge(numeric[:, 0], numeric[:, 1], total_goods=counts[:, 0].sum(),
                               total_bads=counts[:, 1].sum(), **options)
    table = binner.table_
    n_final = binner.splits_.size + 1
    got = solver_iv(table.goods[:n_final], table.bads[:n_final], counts[:, 0].sum(),
                    counts[:, 1].sum())
    assert got == pytest.approx(brute.iv, rel=1e-12, abs=1e-15)
    if brute.status == "optimal" and np.all(table.goods[:n_final] > 0) and np.all(
        table.bads[:n_final] > 0
    ):
        # no missing rows and no zero cell: the table's IV is the optimum itself
        assert table.iv == pytest.approx(brute.iv, rel=1e-10)
    np.testing.assert_array_equal(binner.splits_, binner.prebin_splits_[brute.splits - 1])


def test_missing_and_special_rows_count_in_the_totals_but_are_never_merged():
    x, y = logistic_data(n=4000, seed=3, missing=0.1, special=0.05)
    binner = OptimalBinner(max_n_prebins=10, special_values=[-999]).fit(x, y)
    counts = prebin_counts(binner, x, y, (-999.0,))
    k = binner.prebin_splits_.size + 1
    brute = brute_force_merge(counts[:k, 0], counts[:k, 1], total_goods=counts[:, 0].sum(),
                               total_bads=counts[:, 1].sum(), min_bin_size=0.05)
    table = binner.table_
    np.testing.assert_array_equal(table.goods[:-2], brute.goods)
    np.testing.assert_array_equal(table.goods[-2:], counts[k:, 0])  # missing, special as counted
    np.testing.assert_array_equal(table.bads[-2:], counts[k:, 1])
    assert table.kinds[-2:] == ("missing", "special")
    assert table.labels[-2:] == ("Missing", "Special -999")
    expected = stats.information_value(table.goods, table.bads)
    assert binner.iv_.value == pytest.approx(expected.value, rel=1e-12)
    assert binner.iv_.ci == pytest.approx(expected.ci)


def test_categorical_merge_is_exact_over_categories_sorted_by_event_rate():
    rng = np.random.default_rng(4)
    rates = dict(zip("abcdefgh", [0.05, 0.1, 0.12, 0.2, 0.22, 0.3, 0.4, 0.6]))
    x = rng.choice(list(rates), 3000)
    y = (rng.random(3000) < np.vectorize(rates.get)(x)).astype(int)
    binner = OptimalBinner(min_bin_size=0.1).fit(x, y)
    per_cat = pd.crosstab(pd.Series(x), pd.Series(y))
    order = (per_cat[1] / per_cat.sum(axis=1)).sort_values().index
    goods, bads = per_cat.loc[order, 0].to_numpy(), per_cat.loc[order, 1].to_numpy()
    brute = brute_force_merge(goods, bads, monotonic_trend="ascending", min_bin_size=0.1)
    table = binner.table_
    np.testing.assert_array_equal(table.goods[:-1], brute.goods)
    assert np.all(np.diff(table.event_rate[:-1]) > 0)
    groups = np.split(np.asarray(order), brute.splits)
    for b, group in enumerate(groups):
        assert {binner.category_bins_[c] for c in group} == {b}


# ------------------------------------------------------------------------- constraints & table


@pytest.mark.parametrize("trend", ["ascending", "descending"])
def test_constraints_hold_in_the_fitted_table(trend):
    x, y = logistic_data(n=5000, seed=5, missing=0.05)
    binner = OptimalBinner(monotonic_trend=trend, min_bin_size=0.08, max_n_bins=4).fit(x, y)
    table = binner.table_
    numeric = np.array([k == "interval" for k in table.kinds])
    rates = table.event_rate[numeric]
    steps = np.diff(rates)
    if trend == "ascending":
        assert np.all(steps > 0)
    else:
        assert np.all(steps < 0) or rates.size == 1
    assert numeric.sum() <= 4
    assert np.all(table.total[numeric] >= 0.08 * table.total.sum() * (1 - 1e-12))
    assert binner.trend_ == trend
    assert table.constraints["max_n_bins"] == 4


def test_table_statistics_follow_the_stats_conventions():
    x, y = logistic_data(n=3000, seed=6, missing=0.05)
    binner = OptimalBinner().fit(x, y)
    table = binner.table_
    reference = stats.woe_table(table.goods, table.bads)
    np.testing.assert_allclose(table.woe, reference["woe"].to_numpy())
    np.testing.assert_allclose(table.woe_se, reference["woe_se"].to_numpy())
    np.testing.assert_allclose(table.iv_contrib, reference["iv_contrib"].to_numpy())
    assert table.goods.sum() + table.bads.sum() == x.size
    assert table.iv == pytest.approx(table.iv_contrib.sum(), rel=1e-12)
    frame = table.to_frame()
    assert list(frame.columns[:6]) == ["bin", "label", "kind", "goods", "bads", "total"]
    assert frame.attrs["iv_ci"] == binner.iv_.ci
    # positive WoE = fewer bads than average: the ascending trend makes WoE fall
    woe = table.woe[: binner.splits_.size + 1]
    assert binner.trend_ == "ascending" and np.all(np.diff(woe) < 0)


def test_transform_metrics_agree():
    x, y = logistic_data(n=2000, seed=7, missing=0.05)
    binner = OptimalBinner().fit(x, y)
    bins = binner.transform(x, metric="bin")
    woe = binner.transform(x)
    labels = binner.transform(x, metric="label")
    assert bins.dtype == np.int64 and woe.dtype == np.float64 and labels.dtype == object
    np.testing.assert_array_equal(woe, binner.table_.woe[bins])
    np.testing.assert_array_equal(labels, np.asarray(binner.table_.labels, dtype=object)[bins])
    np.testing.assert_array_equal(bins[np.isnan(x)], binner.table_.missing_bin)
    counted = np.bincount(bins, minlength=binner.n_bins_)
    np.testing.assert_array_equal(counted, binner.table_.total)
    np.testing.assert_array_equal(binner.fit_transform(x, y), woe)
    assert binner.transform(x.reshape(-1, 1)).shape == (x.size, 1)


def test_empty_missing_bin_transforms_to_woe_zero():
    x, y = logistic_data(n=1000, seed=8)
    binner = OptimalBinner().fit(x, y)
    table = binner.table_
    assert table.total[table.missing_bin] == 0 and np.isnan(table.woe[table.missing_bin])
    assert binner.transform(np.array([np.nan]))[0] == 0.0


def test_sample_weights_equal_repeated_rows():
    x, y = logistic_data(n=1500, seed=9, missing=0.05)
    w = np.random.default_rng(9).integers(1, 4, x.size)
    weighted = OptimalBinner(user_splits=[-1.0, -0.3, 0.0, 0.4, 1.1]).fit(x, y, sample_weight=w)
    repeated = OptimalBinner(user_splits=[-1.0, -0.3, 0.0, 0.4, 1.1]).fit(
        np.repeat(x, w), np.repeat(y, w))
    np.testing.assert_array_equal(weighted.splits_, repeated.splits_)
    np.testing.assert_allclose(weighted.table_.goods, repeated.table_.goods)
    assert weighted.table_.goods.dtype == np.float64
    assert weighted.iv_.value == pytest.approx(repeated.iv_.value, rel=1e-12)


def test_user_splits_refined_or_fixed():
    x, y = logistic_data(n=3000, seed=10)
    splits = [-1.5, -1.0, -0.5, 0.0, 0.1, 0.5, 1.0, 1.5]
    refined = OptimalBinner(user_splits=splits, min_bin_size=0.1).fit(x, y)
    assert set(refined.splits_) <= set(splits) and refined.splits_.size < len(splits)
    np.testing.assert_array_equal(refined.prebin_splits_, splits)
    fixed = OptimalBinner(user_splits=splits, user_splits_fixed=True).fit(x, y)
    np.testing.assert_array_equal(fixed.splits_, splits)
    assert fixed.status_ == "fixed" and fixed.trend_ is None


def test_stump_prebinning_uses_the_stump_thresholds():
    x, y = logistic_data(n=3000, seed=11, missing=0.05)
    binner = OptimalBinner(prebinning="stumps", n_rounds=20).fit(x, y)
    assert binner.prebin_splits_.size > 1
    assert set(binner.splits_) <= set(binner.prebin_splits_)
    rate = y.mean()
    present = ~np.isnan(x)  # the stumps see the non-missing rows; the weight bound all rows
    expected = stump_split_candidates(x[present], y[present], n_rounds=20,
                                      min_child_weight=0.05 * x.size * rate * (1 - rate))
    # The stump thresholds, moved strictly between adjacent distinct values (rows keep bins).
    (separated,) = engine.separating_edges(x.reshape(-1, 1), [expected])
    np.testing.assert_array_equal(binner.prebin_splits_, separated)
    np.testing.assert_array_equal(engine.assign_numeric(x, separated),
                                  engine.assign_numeric(x, expected))
    assert binner.table_.constraints["prebinning"] == "stumps"


def test_categorical_rare_pooling_specials_and_unseen():
    rng = np.random.default_rng(12)
    common = rng.choice(["a", "b", "c"], 4000)
    x = pd.Series(common, dtype=object)
    x[:60] = [f"rare{i}" for i in range(60)]
    x[60:160] = "N/A"
    x[160:200] = None
    y = (rng.random(4000) < np.where(x == "a", 0.1, 0.3)).astype(int)
    binner = OptimalBinner(special_values=["N/A"], unseen="other").fit(x, y)
    assert binner.table_.constraints["cat_min_expected"] == 5
    table = binner.table_
    other_bin = binner.category_bins_["rare0"]
    assert {binner.category_bins_[f"rare{i}"] for i in range(60)} == {other_bin}
    assert "Other (60 rare)" in table.labels[other_bin]
    special_bin = binner.category_bins_["N/A"]
    assert table.kinds[special_bin] == "special" and table.total[special_bin] == 100
    assert table.total[table.missing_bin] == 40
    out = binner.transform(pd.Series(["a", "never seen", None, "N/A", "also new"]), metric="bin")
    assert out.tolist() == [binner.category_bins_["a"], other_bin, table.missing_bin,
                            special_bin, other_bin]
    assert binner.unseen_count_ == 2
    binner.transform(pd.Series(["a"]))
    assert binner.unseen_count_ == 0


@pytest.mark.parametrize("policy", ["missing", "zero", "error"])
def test_unseen_policies(policy):
    rng = np.random.default_rng(13)
    x = rng.choice(["a", "b", "c"], 3000)
    y = (rng.random(3000) < np.where(x == "a", 0.1, 0.3)).astype(int)
    binner = OptimalBinner(unseen=policy).fit(x, y)
    new = np.array(["b", "zzz"])
    if policy == "error":
        with pytest.raises(InputError, match="'zzz'"):
            binner.transform(new)
        return
    woe = binner.transform(new)
    bins = binner.transform(new, metric="bin")
    labels = binner.transform(new, metric="label")
    if policy == "missing":
        assert bins[1] == binner.table_.missing_bin and labels[1] == "Missing"
    else:
        assert bins[1] == -1 and woe[1] == 0.0 and labels[1] == "Unseen"
    assert binner.unseen_count_ == 1


def test_integer_categories_survive_a_float_round_trip():
    x = pd.Series([1, 2, 3] * 400)
    i = np.arange(1200)
    y = (((x == 3) & (i % 2 == 0)) | (i % 4 == 0)).astype(int)
    binner = OptimalBinner(dtype="categorical", min_bin_size=0.0).fit(x, y)
    as_float = binner.transform(pd.Series([1.0, 2.0, np.nan]), metric="bin")
    as_int = binner.transform(pd.Series([1, 2, 3]), metric="bin")
    assert as_float[:2].tolist() == as_int[:2].tolist()
    assert binner.unseen_count_ == 0


def test_categorical_special_values_match_as_text_even_when_absent_in_fit():
    x = pd.Series([1, 2, 3] * 400)
    i = np.arange(1200)
    y = (((x == 3) & (i % 2 == 0)) | (i % 4 == 0)).astype(int)
    binner = OptimalBinner(dtype="categorical", special_values=[-999.0]).fit(x, y)
    special_bin = binner.table_.missing_bin + 1
    assert binner.table_.labels[special_bin] == "Special -999"
    assert binner.table_.total[special_bin] == 0
    bins = binner.transform(pd.Series([-999, 3]), metric="bin")
    assert bins[0] == special_bin and binner.unseen_count_ == 0
    assert binner.transform(pd.Series([-999]))[0] == 0.0  # empty bin: WoE 0


# ------------------------------------------------------------------------- JSON and fitting state


def test_json_round_trip_transforms_identically():
    x, y = logistic_data(n=2000, seed=14, missing=0.05, special=0.03)
    binner = OptimalBinner(special_values=[-999.0], max_n_bins=5).fit(x, y)
    text = binner.to_json()
    assert "NaN" not in text and "Infinity" not in text
    again = OptimalBinner.from_json(text)
    for metric in ("woe", "bin", "label"):
        np.testing.assert_array_equal(again.transform(x, metric=metric),
                                      binner.transform(x, metric=metric))
    assert again.to_json() == text
    assert again.get_params() == {**binner.get_params(), "special_values": (-999.0,)}
    assert again.iv_ == binner.iv_


def test_categorical_json_round_trip_and_pickle():
    rng = np.random.default_rng(15)
    x = rng.choice(["a", "b", "c", "d"], 2000)
    y = (rng.random(2000) < np.where(x == "a", 0.1, 0.3)).astype(int)
    binner = OptimalBinner(unseen="zero").fit(x, y)
    again = OptimalBinner.from_json(binner.to_json())
    probe = np.array(["a", "d", "new"])
    np.testing.assert_array_equal(again.transform(probe), binner.transform(probe))
    table = binner.table_
    assert BinningTable.from_dict(json.loads(json.dumps(table.to_dict()))).to_dict() == \
        table.to_dict()
    unpickled = pickle.loads(pickle.dumps(binner))
    np.testing.assert_array_equal(unpickled.transform(probe), binner.transform(probe))


def test_table_is_frozen_and_rejects_malformed_documents():
    x, y = logistic_data(n=500, seed=16)
    table = OptimalBinner().fit(x, y).table_
    with pytest.raises(AttributeError):
        table.status = "x"
    with pytest.raises(ValueError):
        table.woe[0] = 1.0
    data = table.to_dict()
    with pytest.raises(SpecError, match="format_version"):
        BinningTable.from_dict({**data, "format_version": 99})
    with pytest.raises(SpecError, match="one entry per bin"):
        BinningTable.from_dict({**data, "woe": data["woe"][:-1]})
    with pytest.raises(SpecError):
        OptimalBinner.from_json('{"format": "something else"}')
    with pytest.raises(SpecError):
        OptimalBinner.from_json("not json")


def test_not_fitted_and_parameter_errors():
    binner = OptimalBinner()
    with pytest.raises(NotFittedError, match="not fitted"):
        binner.transform([1.0])
    with pytest.raises(NotFittedError):
        binner.to_json()
    x, y = logistic_data(n=300, seed=17)
    with pytest.raises(InputError, match="max_n_prebins"):
        OptimalBinner(max_n_prebins=1).fit(x, y)
    with pytest.raises(InputError, match="monotonic_trend"):
        OptimalBinner(monotonic_trend="up").fit(x, y)
    with pytest.raises(InputError, match="unseen"):
        OptimalBinner(unseen="drop").fit(x, y)
    with pytest.raises(InputError, match="user_splits_fixed=True needs user_splits"):
        OptimalBinner(user_splits_fixed=True).fit(x, y)
    with pytest.raises(InputError, match="user_splits"):
        OptimalBinner(user_splits=[0.0, np.nan]).fit(x, y)
    with pytest.raises(InputError, match="metric"):
        OptimalBinner().fit(x, y).transform(x, metric="points")
    with pytest.raises(InputError, match="BinningProcess"):
        OptimalBinner().fit(np.c_[x, x], y)


def test_docstrings_warn_that_the_iv_inference_is_optimistic():
    assert "optimistic" in OptimalBinner.__doc__
    assert "optimistic" in BinningTable.__doc__


# ------------------------------------------------------------------------- scikit-learn checks

_ONE_CHARACTERISTIC = (
    "OptimalBinner bins one characteristic: X must be 1-D or have one column, and this check "
    "fits it on several columns; it runs, and passes, through FirstColumnBinner below"
)
_MULTI_COLUMN_CHECKS = [
    "check_fit_score_takes_y", "check_estimators_overwrite_params",
    "check_dont_overwrite_parameters", "check_estimators_fit_returns_self",
    "check_readonly_memmap_input", "check_n_features_in_after_fitting",
    "check_positive_only_tag_during_fit", "check_estimators_dtypes",
    "check_sample_weights_pandas_series", "check_sample_weights_not_an_array",
    "check_sample_weights_list", "check_all_zero_sample_weights_error",
    "check_sample_weights_shape", "check_sample_weights_not_overwritten",
    "check_sample_weight_equivalence_on_dense_data", "check_dtype_object",
    "check_pipeline_consistency",
    "check_estimators_pickle", "check_f_contiguous_array_estimator",
    "check_transformer_data_not_an_array", "check_transformer_general",
    "check_transformer_preserve_dtypes", "check_methods_sample_order_invariance",
    "check_methods_subset_invariance", "check_fit2d_1sample", "check_dict_unchanged",
    "check_fit_idempotent", "check_fit_check_is_fitted", "check_n_features_in",
    "check_fit2d_predict1d",
]
EXPECTED_FAILED = {
    **{name: _ONE_CHARACTERISTIC for name in _MULTI_COLUMN_CHECKS},
    "check_fit1d": "1-D x is OptimalBinner's natural input (one characteristic), not an error",
}


@parametrize_with_checks([OptimalBinner()], expected_failed_checks=lambda est: EXPECTED_FAILED)
def test_sklearn_compatible(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


class FirstColumnBinner(OptimalBinner):
    """OptimalBinner of the first column of a 2-D X: lets scikit-learn's multi-column checks
    (idempotence, sample order, sample weights, pipelines, dtypes, ...) test OptimalBinner."""

    def fit(self, X, y=None, sample_weight=None):
        first, n_features = _first_column(X)
        super().fit(first, y, sample_weight=sample_weight)
        self.n_features_in_ = n_features
        return self

    def transform(self, X, metric="woe"):
        self._check_fitted()
        first, n_features = _first_column(X)
        if n_features != self.n_features_in_:
            raise InputError(f"X has {n_features} features, but FirstColumnBinner is expecting "
                             f"{self.n_features_in_} features as input.")
        return super().transform(first, metric=metric).reshape(-1, 1)

    def fit_transform(self, X, y=None, sample_weight=None, metric="woe"):
        return self.fit(X, y, sample_weight=sample_weight).transform(X, metric=metric)


def _first_column(X):
    if sp.issparse(X):
        raise InputError("X is a sparse matrix: sparse input is not supported.")
    if isinstance(X, pd.DataFrame):
        return X.iloc[:, 0], X.shape[1]
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise InputError(f"X must be 2-D; got shape {arr.shape}. Reshape your data.")
    if arr.shape[1] == 0:
        raise InputError(
            f"X has 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required."
        )
    return arr[:, 0], arr.shape[1]


@parametrize_with_checks([FirstColumnBinner()])
def test_sklearn_checks_pass_through_a_one_column_adapter(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)

