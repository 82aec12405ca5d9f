"""Test oracle of the exact optimal merge: enumerate all 2^(n-1) contiguous partitions.

Plain Python, independent of the dynamic programme in `scorecard.binning._solver` (it shares
only the contract of `optimal_merge`), so agreement on random tables is evidence of exactness.
Practical up to about 14 pre-bins.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from scorecard.binning import MergeResult, optimal_merge

PSEUDO_COUNT = 0.5  # added to both cells of a bin with a zero cell (STATISTICS.md)
SIZE_RTOL = 1e-12  # as the solver: a bin of exactly min_bin_size is not lost to rounding


def _result(goods, bads, starts, total_g, total_b, trend, status) -> MergeResult:
    """The partition as a MergeResult: counts per final bin in the input's count dtype."""
    integral = np.issubdtype(goods.dtype, np.integer) and np.issubdtype(bads.dtype, np.integer)
    dtype = np.int64 if integral else np.float64
    starts = np.asarray(starts, dtype=np.int64)
    bin_goods = np.add.reduceat(goods.astype(dtype), starts)
    bin_bads = np.add.reduceat(bads.astype(dtype), starts)
    iv = _iv([(float(g), float(b)) for g, b in zip(bin_goods, bin_bads)], total_g, total_b)
    return MergeResult(splits=starts[1:].copy(), goods=bin_goods, bads=bin_bads, iv=iv,
                       trend=trend, status=status)


def _iv(bins, total_g, total_b) -> float:
    value = 0.0
    for g, b in bins:
        if g + b <= 0:
            continue
        if g == 0 or b == 0:
            g, b = g + PSEUDO_COUNT, b + PSEUDO_COUNT
        p, q = g / total_g, b / total_b
        value += (p - q) * math.log(p / q)
    return value




def _twin_step(left: tuple[float, float], right: tuple[float, float]) -> int:
    """+1 rising, -1 falling, 0 equal event rate between two bins given as (goods, bads)."""
    left_rate = left[1] * right[0]
    right_rate = right[1] * left[0]
    return (left_rate < right_rate) - (left_rate > right_rate)


def _twin_shape_ok(trend: str | None, steps: list[int]) -> bool:
    if trend is None:
        return True
    if 0 in steps:
        return False
    if trend == "ascending":
        return all(s > 0 for s in steps)
    if trend == "descending":
        return all(s < 0 for s in steps)
    first, second = (1, -1) if trend == "peak" else (-1, 1)
    turn = next((k for k, s in enumerate(steps) if s == second), len(steps))
    return all(s == first for s in steps[:turn]) and all(s == second for s in steps[turn:])


def _twin_pvalue(left: tuple[float, float], right: tuple[float, float]) -> float:
    (g1, b1), (g2, b2) = left, right
    n1, n2 = g1 + b1, g2 + b2
    denominator = n1 * n2 * (g1 + g2) * (b1 + b2)
    if denominator <= 0:
        return 1.0
    statistic = (n1 + n2) * (g1 * b2 - b1 * g2) ** 2 / denominator
    return math.erfc(math.sqrt(statistic / 2.0))


def brute_force_merge(
    goods: object,
    bads: object,
    *,
    total_goods: float | None = None,
    total_bads: float | None = None,
    monotonic_trend: str | None = "auto",
    min_bin_size: float = 0.0,
    min_goods: float = 1,
    min_bads: float = 1,
    max_n_bins: int | None = None,
    max_pvalue: float | None = None,
) -> MergeResult:
    """Same contract as `optimal_merge`, by exhaustive search (n up to about 14)."""
    goods_list = [float(v) for v in np.asarray(goods, dtype=np.float64)]
    bads_list = [float(v) for v in np.asarray(bads, dtype=np.float64)]
    n = len(goods_list)
    if n == 0:
        return optimal_merge(goods, bads, monotonic_trend=monotonic_trend)
    total_g = float(sum(goods_list)) if total_goods is None else float(total_goods)
    total_b = float(sum(bads_list)) if total_bads is None else float(total_bads)
    min_rows = float(min_bin_size) * (total_g + total_b) * (1.0 - SIZE_RTOL)
    trends = ("ascending", "descending") if monotonic_trend == "auto" else (monotonic_trend,)

    best_value, best_starts, best_trend = -math.inf, None, None
    for trend in trends:
        for cut_mask in itertools.product((False, True), repeat=n - 1):
            starts = [0] + [k + 1 for k, cut in enumerate(cut_mask) if cut]
            if max_n_bins is not None and len(starts) > max_n_bins:
                continue
            bins = []
            for start, end in zip(starts, starts[1:] + [n]):
                g = b = 0.0
                for k in range(start, end):
                    g += goods_list[k]
                    b += bads_list[k]
                bins.append((g, b))
            if any(
                g + b <= 0 or g < min_goods or b < min_bads or g + b < min_rows for g, b in bins
            ):
                continue
            steps = [_twin_step(bins[k], bins[k + 1]) for k in range(len(bins) - 1)]
            if not _twin_shape_ok(trend, steps):
                continue
            if max_pvalue is not None and any(
                _twin_pvalue(bins[k], bins[k + 1]) > max_pvalue for k in range(len(bins) - 1)
            ):
                continue
            value = _iv(bins, total_g, total_b)
            if value > best_value:
                best_value, best_starts, best_trend = value, starts, trend

    goods_array = np.asarray(goods)
    bads_array = np.asarray(bads)
    if best_starts is None:
        return _result(goods_array, bads_array, [0], total_g, total_b, trends[0], "infeasible")
    status = "trivial" if n == 1 else "optimal"
    return _result(goods_array, bads_array, best_starts, total_g, total_b, best_trend, status)
