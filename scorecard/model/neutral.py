"""Bins too small to estimate: the card gives them neutral points (WoE 0, the average risk).

A missing or special bin is never merged by the binning (numeric intervals and category groups
are: the exact merge enforces min_bin_size, min_goods and min_bads, which is how a small
interval joins its neighbour). Its WoE rests on its own rows alone, so with a handful of rows
it is noise: a Missing bin with 1 good and 0 bads would get the best (or, unsmoothed, the
worst) points of its characteristic. Rule: a non-empty missing or special bin whose expected
count of goods or of bads, ``rows_i * G / N`` or ``rows_i * B / N`` (what it would hold at the
average risk), is below ``min_expected`` gets contribution 0 in the card. Empty bins already
do. Interval and category bins below the rule are reported in a warning, not changed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from scorecard.binning import BinningTable

__all__ = ["DEFAULT_MIN_EXPECTED", "NEUTRAL_KINDS", "expected_counts", "neutral_mask",
           "neutralised_record"]

DEFAULT_MIN_EXPECTED = 5.0
"""The classical chi-square rule: fewer than 5 expected goods or bads is too few to estimate."""

NEUTRAL_KINDS = ("missing", "special")


def expected_counts(table: BinningTable) -> tuple[np.ndarray, np.ndarray]:
    """Goods and bads each bin would hold at the characteristic's average risk."""
    goods, bads = table.goods.astype(np.float64), table.bads.astype(np.float64)
    total = goods + bads
    n = float(total.sum())
    if n <= 0:
        return np.zeros_like(total), np.zeros_like(total)
    return total * goods.sum() / n, total * bads.sum() / n


def neutral_mask(table: BinningTable, min_expected: float | None) -> np.ndarray:
    """Per table bin: True where the card gives neutral points (missing/special below the rule)."""
    if not min_expected:
        return np.zeros(table.n_bins, dtype=bool)
    e_goods, e_bads = expected_counts(table)
    small = (table.total > 0) & (np.minimum(e_goods, e_bads) < float(min_expected))
    return small & np.isin(np.asarray(table.kinds), NEUTRAL_KINDS)


def neutralised_record(table: BinningTable, mask: np.ndarray,
                       min_expected: float) -> list[dict[str, Any]]:
    """One entry per neutralised bin: where, its counts, its expected counts and why."""
    e_goods, e_bads = expected_counts(table)
    out = []
    for j in np.flatnonzero(mask):
        out.append({
            "name": table.name, "bin": table.labels[j], "kind": table.kinds[j],
            "goods": table.goods[j].item(), "bads": table.bads[j].item(),
            "expected_goods": float(e_goods[j]), "expected_bads": float(e_bads[j]),
            "reason": (f"expected {min(e_goods[j], e_bads[j]):.3g} "
                       f"{'goods' if e_goods[j] < e_bads[j] else 'bads'} < min_expected "
                       f"{min_expected:g}: too few rows to estimate its WoE, neutral points "
                       "(WoE 0)"),
        })
    return out
