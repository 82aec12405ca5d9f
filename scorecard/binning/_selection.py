"""Selection of characteristics by their IV summary: the summary table, bounds and a top-k cut.

The p-values, q-values and intervals in the summary treat the bins as fixed in advance; after
supervised binning on the same rows they are optimistic (STATISTICS.md section 4), so select on
them as a ranking.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd

from scorecard import stats
from scorecard.binning.table import BinningTable
from scorecard.exceptions import InputError

__all__ = ["SELECTION_CRITERIA", "check_selection", "select", "summary_table"]

SELECTION_CRITERIA = ("iv", "iv_se", "iv_ci_low", "iv_ci_high", "p_value", "q_value", "n_bins")
"""Summary columns a `selection` may bound with {"min": ..., "max": ...}."""

SUMMARY_COLUMNS = (
    "name", "dtype", "n_bins", "iv", "iv_corrected", "iv_se", "iv_ci_low", "iv_ci_high",
    "ci_method", "p_value", "p_method", "reliable", "reliability_note", "ci_note", "trend",
    "status",
)


def check_selection(selection: object) -> tuple[dict[str, dict[str, float]], int | None]:
    if selection is None:
        return {}, None
    if not isinstance(selection, Mapping):
        raise InputError(
            f"selection must be a dict such as {{'iv': {{'min': 0.02}}}}; got {selection!r}."
        )
    criteria: dict[str, dict[str, float]] = {}
    limit = None
    for key, bounds in selection.items():
        if key == "max_n_selected":
            if bounds is not None and (not isinstance(bounds, numbers.Integral)
                                       or isinstance(bounds, bool) or bounds < 0):
                raise InputError(f"selection['max_n_selected']={bounds!r} must be an integer >= 0.")
            limit = None if bounds is None else int(bounds)
            continue
        if key not in SELECTION_CRITERIA:
            raise InputError(
                f"selection key {key!r} is unknown; use {', '.join(SELECTION_CRITERIA)} or "
                "max_n_selected."
            )
        if not isinstance(bounds, Mapping) or not bounds or set(bounds) - {"min", "max"}:
            raise InputError(
                f"selection[{key!r}] must be a dict with 'min' and/or 'max'; got {bounds!r}."
            )
        for side, value in bounds.items():
            if not isinstance(value, numbers.Real) or isinstance(value, bool):
                raise InputError(f"selection[{key!r}][{side!r}]={value!r} must be a number.")
        criteria[key] = {side: float(value) for side, value in bounds.items()}
    return criteria, limit


def summary_table(tables: Mapping[str, BinningTable]) -> pd.DataFrame:
    """One row per characteristic (in the mapping's order): its plug-in and bias-corrected IV
    with SE, interval, p-value and its method, the reliability flag, the Benjamini-Hochberg
    q-value across characteristics, trend and status."""
    rows = []
    for name, table in tables.items():
        r = table.iv_result
        rows.append({
            "name": name,
            "dtype": table.dtype,
            "n_bins": table.n_nonempty_bins,
            "iv": r.value,
            "iv_corrected": r.estimate,
            "iv_se": r.se,
            "iv_ci_low": r.ci[0],
            "iv_ci_high": r.ci[1],
            "ci_method": r.ci_method,
            "p_value": r.p_value,
            "p_method": r.p_method,
            "reliable": r.reliable,
            "reliability_note": r.reliability_note,
            "ci_note": r.ci_note,
            "trend": table.trend,
            "status": table.status,
        })
    frame = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    p_values = frame["p_value"].to_numpy(dtype=np.float64)
    frame["q_value"] = stats.benjamini_hochberg(p_values)[1] if len(frame) else []
    return frame


def select(
    summary: pd.DataFrame, criteria: Mapping[str, Mapping[str, float]], limit: int | None
) -> list[str]:
    """Names (in summary order) with two or more non-empty bins that meet every bound; with
    `limit`, only the top ones by IV."""
    keep = summary["n_bins"].to_numpy() >= 2
    for key, bounds in criteria.items():
        values = summary[key].to_numpy(dtype=np.float64)
        with np.errstate(invalid="ignore"):
            if "min" in bounds:
                keep &= values >= bounds["min"]
            if "max" in bounds:
                keep &= values <= bounds["max"]
    if limit is not None and keep.sum() > limit:
        ranked = [i for i in np.argsort(-summary["iv"].to_numpy(), kind="stable") if keep[i]]
        keep[:] = False
        keep[ranked[:limit]] = True
    return [name for name, k in zip(summary["name"], keep) if k]
