"""A binning table from pre-bin counts: the exact optimal merge and the table it gives.

The second stage of every binner, after pre-binning and counting (`_counting`): numeric pre-bins
are merged in order; categories are pooled (rare ones into "Other"), sorted by event rate and
merged. The missing bin and one bin per special value are kept apart and never merged; their
rows still count in the totals. No pass over the rows: final counts are sums of pre-bin counts.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from scorecard.binning._columns import BinningWarning, category_specials
from scorecard.binning._solver import optimal_merge
from scorecard.binning.cardinality import OTHER, rare_categories, rare_note
from scorecard.binning.table import BinningTable, numeric_bin_labels
from scorecard.exceptions import InputError
from scorecard.options import CATEGORICAL, NUMERIC

__all__ = ["categorical_table", "numeric_table"]

_MAX_LABEL_CATEGORIES = 5


def _group_label(names: Sequence[str], n_rare: int) -> str:
    shown = list(names[:_MAX_LABEL_CATEGORIES])
    more = len(names) - len(shown)
    if n_rare:
        shown.append(f"{OTHER} ({n_rare} rare)")
    if more > 0:
        shown.append(f"... (+{more} more)")
    return ", ".join(shown) if shown else OTHER


def _check_totals(counts: np.ndarray, name: str) -> None:
    goods, bads = counts[:, 0].sum(), counts[:, 1].sum()
    if not (goods > 0 and bads > 0):
        side = "goods (y=0)" if not goods > 0 else "bads (y=1)"
        raise InputError(
            f"column {name!r}: the {side} have zero total weight; sample_weight must give both "
            "classes some weight."
        )


def _constraints(p: Mapping[str, Any], kind: str) -> dict[str, Any]:
    out = {
        key: p[key]
        for key in ("monotonic_trend", "min_bin_size", "min_goods", "min_bads", "max_n_bins",
                    "max_pvalue")
    }
    out = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in out.items()}
    if kind == NUMERIC:
        out["prebinning"] = "user_splits" if p["user_splits"] is not None else p["prebinning"]
        if p["prebinning"] == "quantile" and p["user_splits"] is None:
            out["max_n_prebins"] = int(p["max_n_prebins"])
        if p["prebinning"] == "stumps" and p["user_splits"] is None:
            out["n_rounds"] = int(p["n_rounds"])
        out["user_splits_fixed"] = bool(p["user_splits_fixed"])
    else:
        out["cat_min_expected"] = float(p["cat_min_expected"])
    return out


def numeric_table(
    params: Mapping[str, Any],
    name: str,
    prebin_edges: np.ndarray,
    counts: np.ndarray,
    specials: Sequence[float],
) -> BinningTable:
    """The optimal binning table of a numeric characteristic from its pre-bin count table
    (engine layout); warns when it carries no information or the constraints are infeasible."""
    _check_totals(counts, name)
    n_numeric = prebin_edges.shape[0] + 1
    numeric = counts[:n_numeric]
    total_goods, total_bads = counts[:, 0].sum(), counts[:, 1].sum()
    notes: list[str] = []
    if params["user_splits_fixed"]:
        edges, merged, status, trend = prebin_edges, numeric, "fixed", None
    elif numeric.sum() == 0:
        edges = np.zeros(0, dtype=np.float64)
        merged = numeric.sum(axis=0, keepdims=True)
        status, trend = "empty", None
        notes.append("no non-missing, non-special value: one empty numeric bin")
    else:
        result = optimal_merge(
            numeric[:, 0], numeric[:, 1], total_goods=total_goods, total_bads=total_bads,
            monotonic_trend=params["monotonic_trend"], min_bin_size=params["min_bin_size"],
            min_goods=params["min_goods"], min_bads=params["min_bads"],
            max_n_bins=params["max_n_bins"], max_pvalue=params["max_pvalue"],
        )
        edges = prebin_edges[result.splits - 1]
        merged = np.column_stack([result.goods, result.bads]).astype(counts.dtype)
        status, trend = result.status, result.trend
    final = np.vstack([merged, counts[n_numeric:]])
    n_final = edges.shape[0] + 1
    kinds = ["interval"] * n_final + ["missing"] + ["special"] * len(specials)
    table = BinningTable.from_counts(
        name=name, dtype=NUMERIC, labels=numeric_bin_labels(edges, specials), kinds=kinds,
        counts=final, level=params["level"], trend=trend, status=status,
        constraints=_constraints(params, NUMERIC), missing_bin=n_final, splits=edges,
        special_values=tuple(float(v) for v in specials), unseen=params["unseen"],
        unseen_bin=-1, notes=notes,
    )
    _warn_fit_outcome(table, int(np.count_nonzero(counts.sum(axis=1))))
    return table


def categorical_table(
    params: Mapping[str, Any],
    name: str,
    categories: Sequence[str],
    counts: np.ndarray,
) -> BinningTable:
    """The optimal binning table of a categorical characteristic from per-category counts
    (categories, then missing); warns as `numeric_table` does."""
    _check_totals(counts, name)
    n_cats = len(categories)
    per_category = counts[:n_cats]
    missing_counts = counts[n_cats:]
    specials = category_specials(params["special_values"])
    position = {c: i for i, c in enumerate(categories)}
    special_rows = [position.get(s) for s in specials]
    is_special = np.zeros(n_cats, dtype=bool)
    is_special[[i for i in special_rows if i is not None]] = True
    total_goods, total_bads = counts[:, 0].sum(), counts[:, 1].sum()
    min_expected = params["cat_min_expected"]
    rare = rare_categories(per_category, total_goods, total_bads, min_expected) & ~is_special
    kept = np.flatnonzero(~rare & ~is_special)
    n_rare = int(rare.sum())
    notes: list[str] = []
    if n_rare:
        note = rare_note(n_rare, min_expected, total_goods, total_bads)
        notes.append(note)
        if n_rare >= 100:
            warnings.warn(f"column {name!r} has {n_cats:,} categories: {note}.", BinningWarning,
                          stacklevel=3)
    # Pre-bins: one per kept category (its index), plus the pooled rare ones (-1).
    members = [int(i) for i in kept]
    pre_counts = [per_category[i] for i in kept]
    if n_rare:
        members.append(-1)
        pre_counts.append(per_category[rare].sum(axis=0))
    pre = np.array(pre_counts, dtype=counts.dtype).reshape(-1, 2)
    totals = pre.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(totals > 0, pre[:, 1] / totals, np.inf)
    sort_names = [OTHER if m < 0 else categories[m] for m in members]
    order = sorted(range(len(members)), key=lambda j: (rate[j], sort_names[j]))
    pre = pre[order]
    members = [members[j] for j in order]
    trend_param = None if params["monotonic_trend"] is None else "ascending"
    if len(members) == 0:
        starts = np.zeros(0, dtype=np.int64)
        merged = np.zeros((0, 2), dtype=counts.dtype)
        status, trend = "empty", None
        notes.append("no non-missing, non-special category")
    else:
        result = optimal_merge(
            pre[:, 0], pre[:, 1], total_goods=total_goods,
            total_bads=total_bads, monotonic_trend=trend_param,
            min_bin_size=params["min_bin_size"], min_goods=params["min_goods"],
            min_bads=params["min_bads"], max_n_bins=params["max_n_bins"],
            max_pvalue=params["max_pvalue"],
        )
        starts = np.concatenate([[0], result.splits]).astype(np.int64)
        merged = np.column_stack([result.goods, result.bads]).astype(counts.dtype)
        status, trend = result.status, result.trend
    n_groups = merged.shape[0]
    bounds = [*starts.tolist(), len(members)]
    category_bins: dict[str, int] = {}
    labels: list[str] = []
    other_bin = -1
    for b in range(n_groups):
        names: list[str] = []
        group_rare = 0
        for m in members[bounds[b] : bounds[b + 1]]:
            if m < 0:
                other_bin, group_rare = b, n_rare
                category_bins.update((categories[i], b) for i in np.flatnonzero(rare))
            else:
                category_bins[categories[m]] = b
                names.append(categories[m])
        labels.append(_group_label(names, group_rare))
    missing_bin = n_groups
    special_counts = np.zeros((len(specials), 2), dtype=counts.dtype)
    for s, row in enumerate(special_rows):
        category_bins[specials[s]] = missing_bin + 1 + s  # seen in fit or not
        if row is not None:
            special_counts[s] = per_category[row]
    final = np.vstack([merged, missing_counts, special_counts])
    labels.append("Missing")
    labels.extend(f"Special {s}" for s in specials)
    kinds = ["categories"] * n_groups + ["missing"] + ["special"] * len(specials)
    unseen = params["unseen"]
    if unseen == "missing":
        unseen_bin = missing_bin
    elif unseen == "other":
        unseen_bin = other_bin if other_bin >= 0 else missing_bin
    else:
        unseen_bin = -1
    ordered_map = {c: category_bins[c] for c in (*categories, *specials)}
    table = BinningTable.from_counts(
        name=name, dtype=CATEGORICAL, labels=labels, kinds=kinds, counts=final,
        level=params["level"], trend=trend, status=status,
        constraints=_constraints(params, CATEGORICAL), missing_bin=missing_bin,
        categories=ordered_map, special_values=specials, unseen=unseen,
        unseen_bin=unseen_bin, notes=notes,
    )
    parts = (pre, missing_counts, special_counts)
    n_nonempty_prebins = sum(int(np.count_nonzero(part.sum(axis=1))) for part in parts)
    _warn_fit_outcome(table, n_nonempty_prebins, all_rare=n_rare > 0 and kept.size == 0)
    return table


def _warn_fit_outcome(
    table: BinningTable, n_nonempty_prebins: int, all_rare: bool = False
) -> None:
    if table.n_nonempty_bins < 2:
        if table.status == "empty":
            what = "has no non-missing value"
        elif all_rare:
            what = f"has only rare categories, all pooled into '{OTHER}'"
        elif n_nonempty_prebins < 2:
            what = "is constant (a single non-empty bin)"
        else:
            what = "was merged into a single bin by the constraints (trend, sizes, counts)"
        warnings.warn(
            f"column {table.name!r} {what}: its IV is 0, it carries no information and is never "
            "selected by BinningProcess.",
            BinningWarning,
            stacklevel=4,
        )
    elif table.status == "infeasible":
        warnings.warn(
            f"column {table.name!r}: no binning meets the constraints (min_bin_size, min_goods, "
            "min_bads, max_pvalue, trend); its pre-bins were merged into one bin.",
            BinningWarning,
            stacklevel=4,
        )

