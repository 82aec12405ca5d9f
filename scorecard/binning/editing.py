"""Hand edits of a fitted binning: merge two adjacent bins, add a cut, force a trend, reset.

An edit is expressed as OptimalBinner parameters of one characteristic (`user_splits`,
`user_splits_fixed`, `monotonic_trend`), i.e. an entry of BinningProcess's `binner_params`. So
an edited binning is an ordinary fitted BinningProcess: it transforms, serialises and feeds a
Scorecard like any other, and the card's spec records the edits in its binning parameters.

Merging and cutting fix the numeric splits as given (status "fixed"); forcing a trend merges
the current bins (or the pre-bins, when the bins were not edited) optimally under that trend,
still under the minimum bin share and counts. Categories are grouped by the binner (ordered by
event rate), so for a categorical characteristic only the trend (and max_n_bins) can be edited.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from scorecard.binning.process import BinningProcess
from scorecard.binning.table import BinningTable
from scorecard.exceptions import InputError
from scorecard.options import NUMERIC, TRENDS

__all__ = ["add_cut", "edited_process", "force_trend", "merge_bins", "set_max_bins"]

EDIT_KEYS = ("user_splits", "user_splits_fixed", "monotonic_trend", "max_n_bins")


def _numeric_splits(table: BinningTable, what: str) -> list[float]:
    if table.dtype != NUMERIC:
        raise InputError(
            f"column {table.name!r} is categorical: its categories are grouped by event rate, so "
            f"{what} applies to numeric characteristics only; force a trend or limit the number "
            "of bins instead."
        )
    return [float(v) for v in (table.splits if table.splits is not None else ())]


def merge_bins(table: BinningTable, left: int) -> dict[str, Any]:
    """Parameters that merge interval bins `left` and `left + 1` (0-based) of a numeric table."""
    splits = _numeric_splits(table, "merging two bins")
    if isinstance(left, bool) or not isinstance(left, (int, np.integer)) or not (
        0 <= left < len(splits)
    ):
        raise InputError(
            f"column {table.name!r}: cannot merge bin {left!r} with the next one; the "
            f"{len(splits) + 1} interval bins are numbered 0 to {len(splits)}, and the last has "
            "no next bin (missing and special bins are never merged)."
        )
    return {"user_splits": splits[:left] + splits[left + 1:], "user_splits_fixed": True}


def add_cut(table: BinningTable, value: float) -> dict[str, Any]:
    """Parameters that split the interval bin holding `value` at `value` (values < it go left)."""
    splits = _numeric_splits(table, "adding a cut")
    try:
        cut = float(value)
    except (TypeError, ValueError):
        cut = math.nan
    if not math.isfinite(cut):
        raise InputError(f"column {table.name!r}: a cut must be a finite number, got {value!r}.")
    if cut in splits:
        raise InputError(f"column {table.name!r}: {cut:g} is a cut already.")
    return {"user_splits": sorted([*splits, cut]), "user_splits_fixed": True}


def force_trend(table: BinningTable, trend: str | None) -> dict[str, Any]:
    """Parameters that refit a characteristic under `trend` (see OptimalBinner.monotonic_trend).

    Hand-edited (fixed) bins are kept as candidate splits and merged optimally under the trend;
    otherwise the characteristic is refitted from its pre-bins.
    """
    if trend not in TRENDS:
        raise InputError(
            f"column {table.name!r}: unknown trend {trend!r}; choose one of "
            f"{', '.join(map(repr, TRENDS))}."
        )
    if table.dtype == NUMERIC and table.status == "fixed":
        return {"user_splits": _numeric_splits(table, "a trend"), "user_splits_fixed": False,
                "monotonic_trend": trend}
    return {"user_splits": None, "user_splits_fixed": False, "monotonic_trend": trend}


def set_max_bins(table: BinningTable, max_n_bins: int | None) -> dict[str, Any]:
    """Parameters that refit a characteristic from its pre-bins with at most `max_n_bins` bins."""
    if max_n_bins is not None and (
        isinstance(max_n_bins, bool) or not isinstance(max_n_bins, (int, np.integer))
        or max_n_bins < 1
    ):
        raise InputError(
            f"column {table.name!r}: max_n_bins must be a whole number >= 1 or None, got "
            f"{max_n_bins!r}."
        )
    return {"user_splits": None, "user_splits_fixed": False, "max_n_bins": max_n_bins}


def edited_process(process: BinningProcess, X: object, y: object,
                   edits: Mapping[str, Mapping[str, Any] | None],
                   sample_weight: object = None) -> BinningProcess:
    """`process` refitted on (X, y) with `edits` (column -> edit parameters) in its binner_params.

    An edit of None resets the column (drops its binner_params). Every other parameter is kept,
    so unedited characteristics bin exactly as before. An edit that leaves a numeric bin
    without rows (a cut outside the data) is refused with InputError.
    """
    own = {c: dict(p) for c, p in (process.binner_params or {}).items()}
    for column, change in edits.items():
        if change is None:
            own.pop(column, None)
            continue
        unknown = sorted(set(change) - set(EDIT_KEYS))
        if unknown:
            raise InputError(f"column {column!r}: {unknown} cannot be edited here; edits set "
                             f"{', '.join(EDIT_KEYS)}.")
        merged = {**own.get(column, {}), **change}
        own[column] = {k: v for k, v in merged.items()
                       if not (k == "user_splits" and v is None)}
    refit = BinningProcess(**{**process.get_params(), "binner_params": own or None})
    refit.fit(X, y, sample_weight=sample_weight)
    for column, change in edits.items():
        table = refit.binning_tables_.get(column)
        if change is None or table is None or table.dtype != NUMERIC:
            continue
        counts = np.asarray(table.goods) + np.asarray(table.bads)
        empty = [table.labels[b] for b in range(len(table.splits) + 1) if counts[b] == 0]
        if empty:
            raise InputError(
                f"column {column!r}: bin {empty[0]} would hold no rows; choose a cut inside the "
                "data's range."
            )
    return refit
