"""Cut points that sit strictly between adjacent distinct training values.

An edge equal to a training value (a quantile order statistic, or a float32 value such as
446.5400085449219) is fragile: the same value read as float64 (446.54) falls on the other side.
`separating_edges` moves every edge e to a short decimal strictly between the largest valid
value below e and the smallest valid value at or above it, so every training row keeps its bin
(counts are unchanged) and no float32 / float64 / decimal reading of those two values can cross
the cut.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numba import njit, prange

from scorecard.engine._inputs import as_float_array, check_edges, check_specials, per_feature

__all__ = [
    "LARGEST",
    "edge_neighbours",
    "separate",
    "separate_by_extent",
    "separating_cut",
    "separating_edges",
]


@njit(cache=True, parallel=True)
def _neighbours(X, edges_flat, offsets, specials_flat, special_offsets, below, above):
    """Per column f and edge j: the largest valid value < edge (below) and the smallest valid
    value >= edge (above); NaN where none. Valid: not NaN, not a special value."""
    for f in prange(X.shape[1]):
        lo, hi = offsets[f], offsets[f + 1]
        k = hi - lo
        if k == 0:
            continue
        bin_max = np.full(k + 1, -np.inf)
        bin_min = np.full(k + 1, np.inf)
        seen_max = np.zeros(k + 1, dtype=np.bool_)
        for i in range(X.shape[0]):
            v = X[i, f]
            if v != v:
                continue
            special = False
            for s in range(special_offsets[f], special_offsets[f + 1]):
                if v == specials_flat[s]:
                    special = True
            if special:
                continue
            b = np.searchsorted(edges_flat[lo:hi], v, side="right")
            seen_max[b] = True
            if v > bin_max[b]:
                bin_max[b] = v
            if v < bin_min[b]:
                bin_min[b] = v
        best = np.nan
        for j in range(k):  # below edge j: bins 0..j
            if seen_max[j] and (best != best or bin_max[j] > best):
                best = bin_max[j]
            below[lo + j] = best
        best = np.nan
        for j in range(k - 1, -1, -1):  # at or above edge j: bins j+1..k
            if seen_max[j + 1] and (best != best or bin_min[j + 1] < best):
                best = bin_min[j + 1]
            above[lo + j] = best


def edge_neighbours(
    X: object, edges: Sequence[object], special_values: Sequence[Sequence[float]] | None = None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per column of X (rows x columns): (largest valid value < each edge, smallest valid value
    >= each edge), NaN where there is none."""
    X = as_float_array(X, "X", 2)
    n_features = X.shape[1]
    edge_list = [check_edges(e, f"edges[{f}]") for f, e in
                 enumerate(per_feature(edges, n_features, "edges"))]
    specials = [check_specials(s, f"special_values[{f}]")
                for f, s in enumerate(per_feature(special_values, n_features, "special_values"))]
    offsets = np.concatenate([[0], np.cumsum([e.size for e in edge_list])]).astype(np.int64)
    s_offsets = np.concatenate([[0], np.cumsum([s.size for s in specials])]).astype(np.int64)
    flat = np.concatenate(edge_list) if edge_list else np.empty(0)
    s_flat = np.concatenate(specials) if specials else np.empty(0)
    below = np.full(flat.size, np.nan)
    above = np.full(flat.size, np.nan)
    if flat.size:
        _neighbours(X, flat.astype(np.float64), offsets, s_flat.astype(np.float64), s_offsets,
                    below, above)
    return [(below[offsets[f]: offsets[f + 1]], above[offsets[f]: offsets[f + 1]])
            for f in range(n_features)]


def _readings(value: float) -> list[float]:
    """The value, its float32 rounding, and that float32's shortest decimal read as float64."""
    single = np.float32(value)
    out = [value]
    if math.isfinite(single):  # math, not a numpy ufunc: ten times faster on one scalar
        out += [float(single), float(str(single))]
    return out


def separating_cut(low: float, high: float) -> float:
    """The midpoint of (low, high), rounded to the fewest significant digits that keep it
    strictly above every reading of low and strictly below every reading of high
    (`_readings`: float64, float32, float32's shortest decimal)."""
    lo, hi = max(_readings(low)), min(_readings(high))
    if not lo < hi:
        lo, hi = low, high
    mid = lo + (hi - lo) / 2.0
    for digits in range(1, 18):
        cut = float(f"{mid:.{digits}g}")
        if lo < cut < hi:
            return cut
    return mid


LARGEST = float(np.finfo(np.float64).max)
"""The cut that replaces a +inf edge: only +inf (and this float itself) lies at or above it."""


def _cut(edge: float, below: float, above: float) -> float:
    if math.isfinite(below) and math.isfinite(above) and below < above:
        return separating_cut(below, above)
    if edge == math.inf and not below >= LARGEST:  # +inf values get their own bin, JSON-safe
        return LARGEST
    return edge


def separate(edges: object, below: np.ndarray, above: np.ndarray) -> np.ndarray:
    """Each edge moved to `separating_cut` between its neighbouring valid values below and
    above; an edge without a finite neighbour on each side stays as it is, except +inf, which
    becomes `LARGEST` (the same rows on each side, and a number JSON can hold)."""
    e = np.asarray(edges, dtype=np.float64)
    cuts = [_cut(float(v), float(b), float(a)) for v, b, a in zip(e, below, above)]
    return np.asarray(cuts, dtype=np.float64)


def separating_edges(
    X: object, edges: Sequence[object], special_values: Sequence[Sequence[float]] | None = None
) -> list[np.ndarray]:
    """Every edge of every column moved to `separating_cut` between its neighbouring valid
    values (rows keep their bins). An edge with no finite value on one side stays as it is."""
    return [separate(e, below, above)
            for e, (below, above) in zip(edges, edge_neighbours(X, edges, special_values))]


def separate_by_extent(edges: object, lows: np.ndarray, highs: np.ndarray) -> np.ndarray:
    """`separate` with the neighbours read off the bins' value ranges of the same edges
    (`engine.count_numeric_extent`): the largest value below edge j is the largest of bins
    0..j, the smallest at or above it the smallest of bins j+1..k. The same cuts as
    `separating_edges` without another pass over the rows."""
    e = np.asarray(edges, dtype=np.float64)
    k = e.shape[0]
    if k == 0:
        return e.copy()
    below = np.maximum.accumulate(np.asarray(highs[: k + 1], dtype=np.float64))[:k]
    above = np.minimum.accumulate(np.asarray(lows[: k + 1], dtype=np.float64)[::-1])[::-1][1:]
    return separate(e, below, above)
