"""High-cardinality text columns (issue 7 item 5): notes, rare categories pooled, no evidence."""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard import stats
from scorecard.binning import BinningProcess, OptimalBinner
from scorecard.binning.cardinality import (
    count_table_notes,
    pool_rare,
    rare_categories,
    text_column_notes,
)
from scorecard.binning.prebinning import iv_report, prebin_frame
from scorecard.exceptions import InputError


def _frame(n=5000, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.1).astype(int)  # independent of every column: no signal anywhere
    ids = pd.Series([f"C{v:09d}" for v in rng.choice(10**8, n, replace=False)])
    income = np.round(rng.lognormal(10, 0.6, n), -1).astype(int).astype(str).astype(object)
    income[rng.choice(n, 40, replace=False)] = "n/a"  # 40 typos make the column text
    grade = rng.choice(list("ABCDE"), n)
    return pd.DataFrame({"customer_id": ids, "income": income, "grade": grade, "bad": y})


def test_random_ids_and_numbers_with_typos_find_no_evidence():
    report = iv_report(_frame(), "bad")
    summary = report.summary.set_index("name")
    for name in ("customer_id", "income"):
        row = summary.loc[name]
        # Before pooling: one bin per ID (IV about 0.8-1.0, p = 1, a wide interval above 0).
        assert row.n_bins <= 2
        assert not row.p_value < 0.05  # NaN (a single bin) or large: no evidence
        assert "pooled into 'Other'" in row.note
        assert "no evidence of predictive power" in row.note
    assert "looks like an identifier" in summary.loc["customer_id", "note"]
    assert "is text but 99.2% of its values are numbers" in summary.loc["income", "note"]
    assert "'n/a'" in summary.loc["income", "note"]
    assert summary.loc["grade", "note"] == "" and summary.loc["grade", "n_bins"] == 5


def test_pool_rare_keeps_totals_and_the_missing_row():
    counts = np.array([[50, 5], [1, 0], [2, 1], [30, 3], [4, 4]])  # 4 categories + missing
    # G = 87, B = 13 of N = 100: expected bads (the smaller side) = rows * 0.13, i.e.
    # a 7.15, b 0.13, c 0.39, d 4.29.
    pooled, kept, n_rare = pool_rare(counts, ("a", "b", "c", "d"), min_expected=4)
    assert kept == ("a", "d") and n_rare == 2
    np.testing.assert_array_equal(pooled, [[50, 5], [30, 3], [3, 1], [4, 4]])
    _, kept, n_rare = pool_rare(counts, ("a", "b", "c", "d"))  # the default, 5
    assert kept == ("a",) and n_rare == 3
    same, cats, none = pool_rare(counts, ("a", "b", "c", "d"), min_expected=0)
    assert none == 0 and same is counts and cats == ("a", "b", "c", "d")


def test_notes_leave_ordinary_text_columns_alone():
    assert text_column_notes(pd.Series(list("ABCAB") * 100), "g") == []
    assert text_column_notes(pd.Series(["1", "2", "3"] * 100), "n") == []  # all numbers: fine
    assert text_column_notes(pd.Series([None, None]), "e") == []


def test_binning_process_warns_about_such_columns():
    frame = _frame()
    with pytest.warns(UserWarning, match="looks like an identifier") as record:
        bp = BinningProcess().fit(frame.drop(columns="bad"), frame["bad"])
    assert any("is text but" in str(w.message) for w in record)
    assert "customer_id" not in bp.selected_


def test_notes_from_the_count_table_equal_the_column_notes():
    ids = pd.Series([f"id{i}" for i in range(400)] + [None] * 10)
    typos = pd.Series(["1", "2", "3.5"] * 100 + ["x1"] * 5)
    for series in (ids, typos):
        cats = tuple(sorted(series.dropna().unique()))
        counts = np.array([[int((series == c).sum()), 0] for c in cats] + [[10, 0]])
        assert count_table_notes(series, "c", cats, counts, False) == \
            text_column_notes(series, "c") != []


# Rare categories by a count, not a share of the rows (a level of 5,000 rows is well estimated
# whatever the table's size; the 1% share rule pooled all 200 levels of such a column).


def _levels(n_levels, rows_per_level, seed=0):
    """A text column of equal levels whose bad rates differ (true log-odds spread 0.6)."""
    rng = np.random.default_rng(seed)
    log_odds = -1.7 + 0.6 * rng.standard_normal(n_levels)
    codes = np.repeat(np.arange(n_levels), rows_per_level)
    y = (rng.random(codes.size) < 1 / (1 + np.exp(-log_odds[codes]))).astype(np.int64)
    names = np.array([f"L{i:03d}" for i in rng.permutation(n_levels)], dtype=object)
    return codes, names[codes], y


@pytest.mark.parametrize("rows_per_level", [50, 5_000])
def test_well_estimated_levels_keep_their_bins_and_iv_at_any_size(rows_per_level):
    codes, x, y = _levels(200, rows_per_level)  # 10,000 or 1M rows; 0.5% of them per level
    goods = np.bincount(codes, weights=1 - y).astype(np.int64)
    bads = np.bincount(codes, weights=y).astype(np.int64)
    expected = rows_per_level * min(y.sum(), y.size - y.sum()) / y.size
    assert 5 <= expected < 0.01 * y.size  # enough expected bads, under the old 1% share
    levels_iv = stats.jeffreys(goods, bads).value  # IV of the 200 levels, counted here

    summary = iv_report(pd.DataFrame({"c4": x, "bad": y}), "bad").summary.iloc[0]
    assert summary.n_bins == 200 and summary.note == ""
    assert summary.iv == pytest.approx(levels_iv, rel=1e-12)
    assert summary.p_value < 1e-6

    binner = OptimalBinner().fit(x, y)
    assert not any("Other" in label for label in binner.table_.labels)
    assert len(binner.category_bins_) == 200 and binner.n_bins_ >= 5
    if rows_per_level == 5_000:  # the levels' IV is then mostly signal, not noise
        # The exact merge into bins of at least 5% of the rows keeps most of it (the share
        # rule left one "Other" bin: IV 0).
        assert 0.85 * levels_iv <= binner.iv_.value <= levels_iv


def test_a_hundred_thousand_random_ids_find_no_evidence():
    rng = np.random.default_rng(3)
    n = 100_000
    ids = pd.Series([f"C{v:09d}" for v in rng.choice(10**9, n, replace=False)])
    frame = pd.DataFrame({"customer_id": ids, "bad": (rng.random(n) < 0.1).astype(int)})
    row = iv_report(frame, "bad").summary.iloc[0]
    assert row.n_bins == 1 and not row.p_value < 0.05
    assert "looks like an identifier or free text (100,000 distinct values in 100,000 rows)" \
        in row.note
    assert "100,000 categories with fewer than 5 expected goods or bads" in row.note
    assert "no evidence of predictive power" in row.note


def test_the_smaller_side_decides():
    # 95% bad: expected goods are the scarce ones. 100 rows: 5 expected goods (kept);
    # 99 rows: 4.95 (pooled), though each holds about 94 bads.
    per_category = np.array([[5, 95], [5, 94], [300, 5700]])
    totals = per_category.sum(axis=0)
    rare = rare_categories(per_category, totals[0], totals[1])
    np.testing.assert_array_equal(rare, [False, True, False])
    assert not rare_categories(per_category, totals[0], totals[1], min_expected=0).any()


def test_binner_and_report_pool_the_same_categories():
    rng = np.random.default_rng(4)
    sizes = np.array([400, 200, 60, 40, 30, 20, 5, 1])  # 756 rows at 20% bad: 25 rows needed
    x = np.repeat(np.array([f"k{i}" for i in range(sizes.size)], dtype=object), sizes)
    y = (rng.random(x.size) < 0.2).astype(int)
    needed = 5 * x.size / min(y.sum(), x.size - y.sum())
    expected_rare = {f"k{i}" for i in np.flatnonzero(sizes < needed)}
    assert expected_rare == {"k5", "k6", "k7"}
    binned = prebin_frame(pd.DataFrame({"k": x}), y, columns=["k"])[0]
    assert set(binned.categories) == {f"k{i}" for i in range(sizes.size)} - expected_rare
    binner = OptimalBinner().fit(x, y)
    other = binner.category_bins_["k7"]
    assert {c for c, b in binner.category_bins_.items() if b == other} >= expected_rare
    assert f"Other ({len(expected_rare)} rare)" in binner.table_.labels[other]
    assert binner.table_.constraints["cat_min_expected"] == 5.0
    everything = OptimalBinner(cat_min_expected=0).fit(x, y)
    assert not any("Other" in label for label in everything.table_.labels)


@pytest.mark.parametrize("bad", [-1, float("inf"), float("nan"), "5"])
def test_cat_min_expected_is_validated(bad):
    x, y = np.array(["a", "b"] * 50, dtype=object), np.r_[np.zeros(50), np.ones(50)]
    with pytest.raises(InputError, match="cat_min_expected"):
        OptimalBinner(cat_min_expected=bad).fit(x, y)
    with pytest.raises(InputError, match="cat_min_expected"):
        BinningProcess(cat_min_expected=bad).fit(pd.DataFrame({"x": x}), y)
    with pytest.raises(InputError, match="cat_min_expected"):
        iv_report(pd.DataFrame({"x": x, "bad": y}), "bad", cat_min_expected=bad)


LEGACY = Path(__file__).parent / "data"


def test_documents_saved_with_cat_min_share_still_load():
    # Written by the previous release (commit 8bbfbc9), which pooled by a 1% share of rows.
    text = (LEGACY / "legacy_cat_min_share_process.json").read_text()
    document = json.loads(text)
    assert document["params"]["cat_min_share"] == 0.01
    process = BinningProcess.from_json(text)
    assert process.cat_min_expected == 5.0 and process.binner_params == {"grade": {}}
    table = document["binners"]["grade"]["table"]
    loaded = process.binning_tables_["grade"]
    assert loaded.constraints["cat_min_share"] == 0.02  # the record of how it was fitted
    grades = ["A", "B", "C", "D", "Z", None, "never seen"]
    woe = process.transform(pd.DataFrame({"grade": grades, "income": 50.0}))[:, 0]
    stored = {c: table["woe"][b] for c, b in table["categories"].items()}
    missing = table["woe"][table["missing_bin"]]
    np.testing.assert_array_equal(woe, [stored[g] for g in grades[:5]] + [missing, missing])
    assert BinningProcess.from_json(process.to_json()).get_params() == process.get_params()

    binner = OptimalBinner.from_json((LEGACY / "legacy_cat_min_share_binner.json").read_text())
    assert binner.cat_min_expected == 0.0  # "no pooling" (share 0) stays no pooling
    assert binner.transform(pd.Series(["Z", "B"]), metric="label").tolist() == ["Z, B"] * 2
