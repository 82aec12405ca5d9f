"""Bad input to the binning estimators: a clear InputError naming the column, or documented
behaviour with a BinningWarning."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from scorecard.binning import BinningProcess, BinningWarning, OptimalBinner
from scorecard.exceptions import InputError


def base_frame(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(x - 1)))).astype(int)
    return pd.DataFrame({"score": x, "city": rng.choice(["a", "b", "c"], n)}), y


def test_all_nan_column_is_one_missing_bin_never_selected():
    frame, y = base_frame()
    frame["empty"] = np.nan
    with pytest.warns(BinningWarning, match="'empty' has no non-missing value"):
        process = BinningProcess().fit(frame, y)
    table = process.binning_tables_["empty"]
    assert table.n_nonempty_bins == 1 and table.total[table.missing_bin] == len(frame)
    assert table.iv == 0.0 and np.isnan(table.p_value) and table.iv_ci == (0.0, 0.0)
    assert "empty" not in process.selected_
    row = process.summary().set_index("name").loc["empty"]
    assert not row["selected"] and row["status"] == "empty"


def test_constant_column_is_never_selected():
    frame, y = base_frame()
    frame["constant"] = 7.0
    with pytest.warns(BinningWarning, match="'constant' is constant"):
        process = BinningProcess().fit(frame, y)
    assert process.binning_tables_["constant"].n_bins == 2  # one interval + the empty missing bin
    assert "constant" not in process.selected_
    with pytest.warns(BinningWarning, match="is constant"):
        OptimalBinner().fit(np.full(100, "same"), np.r_[np.zeros(50), np.ones(50)])


def test_ten_thousand_categories_pool_into_other():
    rng = np.random.default_rng(1)
    n = 40_000
    ids = rng.permutation(np.array([f"id{i}" for i in range(10_000)] * 4))
    frame = pd.DataFrame({"merchant": ids})
    y = (rng.random(n) < 0.2).astype(int)
    with pytest.warns(BinningWarning) as caught:
        process = BinningProcess().fit(frame, y)
    messages = " ".join(str(w.message) for w in caught)
    # 4 rows each at about 20% bad: 0.8 expected bads, far below 5 (about 25 rows needed).
    needed = math.ceil(5 * n / min(y.sum(), n - y.sum()))
    assert needed in (25, 26)
    assert "'merchant' has 10,000 categories: 10,000 categories with fewer than 5 expected " \
        f"goods or bads each (under {needed} rows) pooled into 'Other'" in messages
    assert "'merchant' has only rare categories, all pooled into 'Other'" in messages
    binner = process.binners_["merchant"]
    assert len(binner.categories_) == 10_000
    assert binner.table_.n_nonempty_bins == 1 and "Other (10000 rare)" in binner.table_.labels[0]
    assert len(binner.table_.labels[0]) < 100  # labels stay readable


def test_mixed_types_are_categorical_text_with_a_warning():
    rng = np.random.default_rng(2)
    n = 2000
    values = pd.Series(rng.choice(["x", "y"], n), dtype=object)
    values[:600] = 1
    values[600:700] = "1"
    y = (rng.random(n) < np.where(values.astype(str) == "1", 0.4, 0.1)).astype(int)
    with pytest.warns(BinningWarning, match="'mixed' mixes types"):
        process = BinningProcess().fit(pd.DataFrame({"mixed": values}), y)
    binner = process.binners_["mixed"]
    assert binner.dtype_ == "categorical" and set(binner.categories_) == {"1", "x", "y"}
    assert binner.table_.total[binner.category_bins_["1"]] >= 700


def test_infinities_go_to_the_end_bins_with_a_warning():
    frame, y = base_frame()
    frame.loc[:29, "score"] = np.inf
    frame.loc[30:59, "score"] = -np.inf
    with pytest.warns(BinningWarning, match="'score' contain infinite values"):
        process = BinningProcess().fit(frame, y)
    bins = process.transform(frame, metric="bin")[:, process.selected_.index("score")]
    n_numeric = process.binners_["score"].splits_.size + 1
    assert np.all(bins[:30] == n_numeric - 1) and np.all(bins[30:60] == 0)
    with pytest.warns(BinningWarning, match="infinite"):
        OptimalBinner(prebinning="stumps", n_rounds=5).fit(frame["score"], y)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (np.arange(3000) % 3, "not binary"),
        (np.r_[np.nan, np.zeros(2999)], "missing value"),
        (np.zeros(3000), "only one class"),
    ],
)
def test_bad_targets(target, message):
    frame, _ = base_frame()
    with pytest.raises(InputError, match=message):
        BinningProcess().fit(frame, target)
    with pytest.raises(InputError, match=message):
        OptimalBinner().fit(frame["score"], target)


def test_target_of_wrong_length_or_missing():
    frame, y = base_frame()
    with pytest.raises(InputError, match="3000 rows but y has 10"):
        BinningProcess().fit(frame, y[:10])
    with pytest.raises(InputError, match="requires y"):
        BinningProcess().fit(frame, None)


def test_negative_or_one_sided_weights():
    frame, y = base_frame()
    w = np.ones(len(frame))
    w[5] = -1.0
    with pytest.raises(InputError, match="negative"):
        BinningProcess().fit(frame, y, sample_weight=w)
    with pytest.raises(InputError, match="negative"):
        OptimalBinner().fit(frame["score"], y, sample_weight=w)
    with pytest.raises(InputError, match="'score': the bads .* zero total weight"):
        OptimalBinner().fit(frame["score"], y, sample_weight=1.0 - y)


@pytest.mark.parametrize(("policy", "expected_bin"), [("missing", "missing"), ("zero", -1)])
def test_unseen_category_at_transform_is_recorded(policy, expected_bin):
    frame, y = base_frame()
    process = BinningProcess(unseen=policy).fit(frame, y)
    new = frame.head(10).copy()
    new.loc[:3, "city"] = "atlantis"
    bins = process.transform(new, metric="bin")[:, process.selected_.index("city")]
    table = process.binning_tables_["city"]
    want = table.missing_bin if expected_bin == "missing" else -1
    assert np.all(bins[:4] == want)
    assert process.unseen_counts_ == {"score": 0, "city": 4}
    process.transform(frame)
    assert process.unseen_counts_["city"] == 0


def test_unseen_category_error_policy_names_the_column():
    frame, y = base_frame()
    process = BinningProcess(binner_params={"city": {"unseen": "error"}}).fit(frame, y)
    new = frame.head(5).assign(city="atlantis")
    with pytest.raises(InputError, match="column 'city' has 5 row.*'atlantis'"):
        process.transform(new)


def test_dtype_change_at_transform_names_the_column():
    frame, y = base_frame()
    process = BinningProcess().fit(frame, y)
    new = frame.head(5).assign(score=["1.5", "high", "2", None, "3"])
    with pytest.raises(InputError, match="column 'score' was numeric when fitted.*'high'"):
        process.transform(new)
    as_text_numbers = frame.head(5).assign(score=frame["score"].head(5).astype(str))
    np.testing.assert_allclose(process.transform(as_text_numbers), process.transform(frame.head(5)))


def test_missing_column_at_transform_names_it():
    frame, y = base_frame()
    process = BinningProcess().fit(frame, y)
    with pytest.raises(InputError, match="'city' not found"):
        process.transform(frame.drop(columns="city"))
    with pytest.raises(InputError, match="X has 1 features, but BinningProcess is expecting 2"):
        process.transform(frame[["score"]].to_numpy())


def test_other_unsupported_inputs():
    frame, y = base_frame()
    with pytest.raises(InputError, match="0 feature"):
        BinningProcess().fit(frame[[]], y)
    with pytest.raises(InputError, match="Reshape your data"):
        BinningProcess().fit(frame["score"].to_numpy(), y)
    with pytest.raises(InputError, match="Complex data not supported"):
        OptimalBinner().fit(np.ones(4) * 1j, [0, 1, 0, 1])
    with pytest.raises(InputError, match="duplicated column names"):
        BinningProcess().fit(pd.concat([frame, frame], axis=1), y)
    with pytest.raises(InputError, match="special_values.*numbers"):
        OptimalBinner(special_values=["n/a"]).fit(frame["score"], y)


def test_infinite_values_bin_at_the_ends_and_the_json_round_trips():
    rng = np.random.default_rng(8)
    n = 4_000
    x = rng.normal(size=n)
    x[:400], x[400:800] = np.inf, -np.inf  # 10% each, with a bad rate of their own
    y = (rng.random(n) < np.where(x == np.inf, 0.8, 1 / (1 + np.exp(-np.clip(x, -3, 3))))).astype(int)
    frame = pd.DataFrame({"x": x, "only_inf": np.where(np.arange(n) % 2, np.inf, -np.inf)})
    with pytest.warns(BinningWarning, match="infinite"):
        process = BinningProcess(max_n_prebins=20).fit(frame, y)
    table = process.binning_tables_["x"]
    assert process.binners_["x"].prebin_splits_[-1] == np.finfo(np.float64).max  # was +inf
    assert process.binning_tables_["only_inf"].labels == ("[-inf, inf)", "[inf, inf]", "Missing")
    text = process.to_json()  # raised "Out of range float values" before
    assert "Infinity" not in text
    loaded = BinningProcess.from_json(text)
    new = pd.DataFrame({"x": [np.inf, -np.inf, 1e300, -1e300, 0.0, np.nan],
                        "only_inf": [np.inf, -np.inf, 1e300, -1e300, 0.0, np.nan]})
    for rows in (frame, new):
        for metric in ("woe", "bin", "label"):
            np.testing.assert_array_equal(loaded.transform(rows, metric=metric),
                                          process.transform(rows, metric=metric))
    bins = process.transform(new, metric="bin")
    last = table.missing_bin - 1
    assert bins[:3, 0].tolist() == [last, 0, last]  # +inf last, -inf first numeric bin
    assert bins[:4, 1].tolist() == [1, 0, 0, 0]  # only +inf lies in the [inf, inf] bin
    binner = process.binners_["x"]
    again = OptimalBinner.from_json(binner.to_json())
    np.testing.assert_array_equal(again.transform(x, metric="bin"), binner.transform(x, metric="bin"))
