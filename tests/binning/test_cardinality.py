"""High-cardinality text columns (issue 7 item 5): notes, rare categories pooled, no evidence."""

import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard.binning import BinningProcess
from scorecard.binning.cardinality import count_table_notes, pool_rare, text_column_notes
from scorecard.binning.prebinning import iv_report


def _frame(n=5000, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.1).astype(int)  # independent of every column: no signal anywhere
    ids = pd.Series([f"C{v:09d}" for v in rng.permutation(10**8)[:n]])
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
    pooled, kept, n_rare = pool_rare(counts, ("a", "b", "c", "d"), min_count=5)
    assert kept == ("a", "d") and n_rare == 2
    np.testing.assert_array_equal(pooled, [[50, 5], [30, 3], [3, 1], [4, 4]])
    same, cats, none = pool_rare(counts, ("a", "b", "c", "d"), min_count=1)
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
