"""Hand edits of a binning: counts follow the data, IV moves as theory says, the card follows."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from scorecard.binning import BinningProcess
from scorecard.binning.editing import (
    add_cut, edited_process, force_trend, merge_bins, set_max_bins,
)
from scorecard.datasets import DATASETS
from scorecard.exceptions import InputError
from scorecard.model.scorecard import Scorecard
from scorecard.validation import binary_target


@pytest.fixture(scope="module")
def german():
    info = DATASETS["german_credit"]
    frame = info.load()
    y = binary_target(frame[info.target], name=info.target, bad_value=info.bad_value)
    X = frame[[c for c in frame.columns if c not in info.exclude]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        process = BinningProcess().fit(X, y)
    return X, y, process


def counts_in(values, y, lo, hi):
    """Goods and bads with lo <= value < hi, counted with numpy."""
    inside = (values >= lo) & (values < hi)
    return int(np.sum(inside & (y == 0))), int(np.sum(inside & (y == 1)))


def test_merge_sums_the_two_bins_and_cannot_raise_the_iv(german):
    X, y, process = german
    table = process.binning_tables_["credit_amount"]
    assert len(table.splits) >= 2
    merged = edited_process(process, X, y, {"credit_amount": merge_bins(table, 0)})
    after = merged.binning_tables_["credit_amount"]
    assert list(after.splits) == list(table.splits[1:])
    assert after.status == "fixed"
    assert after.goods[0] == table.goods[0] + table.goods[1]
    assert after.bads[0] == table.bads[0] + table.bads[1]
    # Merging is a coarsening: the plug-in Jeffreys divergence cannot grow (data processing).
    assert after.iv < table.iv
    for other in process.columns_:
        if other != "credit_amount":
            assert merged.binning_tables_[other].to_dict() == process.binning_tables_[other].to_dict()


def test_add_cut_splits_one_bin_by_the_data_and_cannot_lower_the_iv(german):
    X, y, process = german
    table = process.binning_tables_["duration_in_month"]
    edges = [-np.inf, *table.splits, np.inf]
    widest = int(np.argmax(table.goods[: len(edges) - 1] + table.bads[: len(edges) - 1]))
    lo, hi = edges[widest], edges[widest + 1]
    values = X["duration_in_month"].to_numpy(float)
    inside = values[(values >= lo) & (values < hi)]
    cut = float(np.median(np.unique(inside))) + 0.5
    edited = edited_process(process, X, y, {"duration_in_month": add_cut(table, cut)})
    after = edited.binning_tables_["duration_in_month"]
    assert cut in list(after.splits) and len(after.splits) == len(table.splits) + 1
    for b, (a, z) in enumerate([(lo, cut), (cut, hi)]):
        goods, bads = counts_in(values, y, a, z)
        assert (after.goods[widest + b], after.bads[widest + b]) == (goods, bads)
    assert after.iv > table.iv  # a refinement cannot lower the plug-in divergence
    # Scoring through the edited binning uses the new cut.
    bins = edited.transform(X, metric="bin")[:, edited.selected_.index("duration_in_month")]
    assert np.array_equal(bins == widest + 1, (values >= cut) & (values < hi))


def test_force_trend_gives_monotone_event_rates(german):
    X, y, process = german
    column = "credit_amount"
    table = process.binning_tables_[column]
    for trend, sign in (("ascending", 1), ("descending", -1)):
        edited = edited_process(process, X, y, {column: force_trend(table, trend)})
        after = edited.binning_tables_[column]
        rates = after.event_rate[: len(after.splits) + 1]
        assert after.trend == trend
        assert np.all(sign * np.diff(rates) >= 0), rates


def test_trend_after_a_cut_merges_the_hand_made_bins(german):
    X, y, process = german
    column = "credit_amount"
    table = process.binning_tables_[column]
    cut = add_cut(table, float(np.median(X[column])) + 0.5)
    first = edited_process(process, X, y, {column: cut})
    fixed = first.binning_tables_[column]
    trend = table.trend  # the shape the optimal bins found, now imposed on the hand-made bins
    sign = 1 if trend == "ascending" else -1
    edit = force_trend(fixed, trend)
    assert edit["user_splits"] == [float(v) for v in fixed.splits] and not edit["user_splits_fixed"]
    second = edited_process(first, X, y, {column: edit})
    after = second.binning_tables_[column]
    assert set(after.splits) <= set(fixed.splits) and len(after.splits) >= 1
    assert np.all(sign * np.diff(after.event_rate[: len(after.splits) + 1]) >= 0)


def test_reset_and_max_bins(german):
    X, y, process = german
    column = "credit_amount"
    table = process.binning_tables_[column]
    edited = edited_process(process, X, y, {column: merge_bins(table, 0)})
    back = edited_process(edited, X, y, {column: None})
    assert back.binning_tables_[column].to_dict() == table.to_dict()
    assert back.binner_params is None
    fewer = edited_process(process, X, y, {column: set_max_bins(table, 2)})
    assert fewer.binning_tables_[column].n_bins - 1 <= 2  # two intervals plus the missing bin


def test_edits_flow_into_the_scorecard_and_its_spec(german):
    X, y, process = german
    column = "duration_in_month"
    table = process.binning_tables_[column]
    edited = edited_process(process, X, y, {column: merge_bins(table, 0)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = Scorecard(edited).fit(X, y)
    spec_params = card.spec_["model"]["binning"]["params"]
    assert column in card.characteristics_
    points = card.points_table_
    rows = points[points["characteristic"] == column]
    assert len(rows[rows["kind"] == "interval"]) == len(table.splits)  # one bin fewer
    assert spec_params["binner_params"][column]["user_splits_fixed"] is True
    back = BinningProcess.from_json(edited.to_json())
    assert back.binning_tables_[column].to_dict() == edited.binning_tables_[column].to_dict()


def test_bad_edits_name_the_column(german):
    X, y, process = german
    categorical = process.binning_tables_["purpose"]
    with pytest.raises(InputError, match="'purpose' is categorical"):
        merge_bins(categorical, 0)
    with pytest.raises(InputError, match="'purpose' is categorical"):
        add_cut(categorical, 3.0)
    numeric = process.binning_tables_["credit_amount"]
    with pytest.raises(InputError, match="numbered 0 to"):
        merge_bins(numeric, len(numeric.splits))
    with pytest.raises(InputError, match="finite number"):
        add_cut(numeric, float("nan"))
    with pytest.raises(InputError, match="a cut already"):
        add_cut(numeric, float(numeric.splits[0]))
    with pytest.raises(InputError, match="unknown trend"):
        force_trend(numeric, "up")
    with pytest.raises(InputError, match="max_n_bins"):
        set_max_bins(numeric, 0)
    outside = add_cut(numeric, 1e9)
    with pytest.raises(InputError, match="'credit_amount': bin .* no rows"):
        edited_process(process, X, y, {"credit_amount": outside})
    with pytest.raises(InputError, match="cannot be edited"):
        edited_process(process, X, y, {"credit_amount": {"level": 0.9}})
    categorical_trend = edited_process(process, X, y, {"purpose": force_trend(categorical, None)})
    assert categorical_trend.binning_tables_["purpose"].trend is None
