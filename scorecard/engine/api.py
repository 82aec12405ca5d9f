"""Public entry points of the binning engine: validate at the door, then call the kernels.

Every function raises `scorecard.exceptions.InputError` (a ValueError) for bad input, naming the
parameter, so no numba traceback reaches the user. The bin layout is described in the package
docstring of :mod:`scorecard.engine`.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from scorecard.engine import _kernels as K
from scorecard.engine import _quantile_kernels as Q
from scorecard.engine._inputs import (
    as_float_array,
    as_int_array,
    categorical_inputs,
    check_code_map,
    check_codes_in_range,
    check_edges,
    check_int,
    check_label,
    check_specials,
    engine_weights,
    flat_with_order,
    numeric_inputs,
    per_feature,
)
from scorecard.exceptions import InputError

__all__ = [
    "assign_codes",
    "assign_numeric",
    "count_bins",
    "count_codes",
    "count_numeric",
    "count_numeric_extent",
    "quantile_edges",
    "quantile_edges_many",
]

def _sum_chunks(out: np.ndarray, count_offsets: np.ndarray) -> list[np.ndarray]:
    total = out.sum(axis=0)
    return [
        total[count_offsets[f] : count_offsets[f + 1]].reshape(-1, 2)
        for f in range(count_offsets.shape[0] - 1)
    ]


def _new_counts(n_rows: int, width: int, weights: np.ndarray | None) -> np.ndarray:
    dtype = np.int64 if weights is None else np.float64
    return np.zeros((K.n_chunks_for(n_rows), width), dtype=dtype)


_NO_WEIGHTS = np.empty(0, dtype=np.float64)

# ---------------------------------------------------------------------------------------------
# Quantile pre-binning
# ---------------------------------------------------------------------------------------------


def quantile_edges(
    x: object,
    n_bins: int = 20,
    *,
    special_values: Sequence[float] = (),
    sample_size: int = 200_000,
    seed: int = 0,
) -> np.ndarray:
    """Interior edges for equal-frequency pre-binning of one column, ignoring NaN and specials.

    With m valid values sorted as w, edge j (j = 1..n_bins-1) is the order statistic
    w[floor(j * m / n_bins)], so without ties exactly floor(j * m / n_bins) values fall below it.
    Ties: an order statistic inside a run of tied values is the run's value, so its bin starts at
    the run. When the run holds at least half a grid step (2 * n_bins * run_length >= m, and at
    least 2 rows), the first value after the run is an edge too, so that a later merge can also
    split just after the tie ("<= v | > v"). Duplicates are dropped and no edge is <= the
    smallest value (no empty first bin), so ties can give fewer than n_bins bins, and heavy ties
    up to 2 * n_bins - 1. A column (or sample) with at most n_bins distinct values gets one bin
    per distinct value (edges = the distinct values but the smallest). No valid value at all:
    no edges (one numeric bin). -0.0 is read as +0.0 (an equal value), so an edge at zero is
    +0.0.

    Exact when m <= sample_size. Otherwise the edges are those of s = sample_size values drawn
    uniformly with replacement from the valid values (a SplitMix64 stream from `seed`; same seed,
    same edges). By the Dvoretzky-Kiefer-Wolfowitz inequality (Massart's constant), with
    probability >= 1 - delta every bin's share of the column's valid values is within
    +-2 * sqrt(ln(2 / delta) / (2 * s)) of its share of the sample (nominally 1 / n_bins without
    ties): for s = 200,000 and delta = 0.01 that is +-0.0073. The bound holds for every interval
    at once, so it covers the extra edges after ties too.
    """
    arr = np.ascontiguousarray(as_float_array(x, "x", 1))
    return quantile_edges_many(
        arr.reshape(-1, 1),
        n_bins,
        special_values=[special_values],
        sample_size=sample_size,
        seed=seed,
    )[0]


def quantile_edges_many(
    X: object,
    n_bins: int = 20,
    *,
    special_values: Sequence[Sequence[float]] | None = None,
    sample_size: int = 200_000,
    seed: int = 0,
) -> list[np.ndarray]:
    """`quantile_edges` of every column of a 2-D array (n_rows, n_features), in parallel.

    special_values: None, or one sequence of special values per feature. Every column uses the
    same sampling stream, so result[j] equals quantile_edges(X[:, j], ...) exactly.
    """
    X = as_float_array(X, "X", 2)
    n_rows, n_features = X.shape
    n_bins = check_int(n_bins, "n_bins", minimum=1)
    sample_size = check_int(sample_size, "sample_size", minimum=1)
    seed = check_int(seed, "seed", minimum=0, maximum=2**64 - 1)
    specials = [
        check_specials(s, f"special_values[{f}]")
        for f, s in enumerate(per_feature(special_values, n_features, "special_values"))
    ]
    special_flat, special_offsets = K.pack_arrays(specials, np.float64)
    x_flat, f_order = flat_with_order(X)
    out_edges = np.empty((n_features, 2 * (n_bins - 1)), dtype=np.float64)
    out_counts = np.zeros(n_features, dtype=np.int64)
    if n_features:
        samples = np.empty((n_features, min(sample_size, n_rows)), dtype=np.float64)
        sizes = np.zeros(n_features, dtype=np.int64)
        Q._quantile_samples(
            x_flat, n_rows, n_features, f_order, special_flat, special_offsets, sample_size,
            np.uint64(seed), samples, sizes,
        )
        _sort_rows(samples, sizes)
        Q._edges_from_samples(samples, sizes, n_bins, out_edges, out_counts)
    return [out_edges[f, : out_counts[f]].copy() for f in range(n_features)]


def _sort_rows(samples: np.ndarray, sizes: np.ndarray) -> None:
    """Sort samples[f, :sizes[f]] in place, on the engine's threads (numpy's sort releases
    the GIL and beats a numba radix sort about twofold)."""
    import numba

    def sort(f: int) -> None:
        samples[f, : sizes[f]].sort()

    n_threads = min(numba.get_num_threads(), samples.shape[0])
    if n_threads <= 1:
        for f in range(samples.shape[0]):
            sort(f)
        return
    with ThreadPoolExecutor(max_workers=n_threads) as pool:
        list(pool.map(sort, range(samples.shape[0])))


# ---------------------------------------------------------------------------------------------
# Assignment
# ---------------------------------------------------------------------------------------------


def assign_numeric(
    x: object, edges: object, special_values: Sequence[float] = ()
) -> np.ndarray:
    """Bin index (int64) of every value of one numeric column; layout in the package docstring."""
    x = np.ascontiguousarray(as_float_array(x, "x", 1))
    edges = check_edges(edges, "edges")
    specials = check_specials(special_values, "special_values")
    padded, _, n_edges = K.pack_edges([edges])
    out = np.empty(x.shape[0], dtype=np.int64)
    K._assign_numeric(x, padded, n_edges[0], specials, out)
    return out


def assign_codes(codes: object, code_to_bin: object, missing_bin: int) -> np.ndarray:
    """Bin index (int64) of each categorical code; code -1 (missing) goes to `missing_bin`."""
    codes = np.ascontiguousarray(as_int_array(codes, "codes", 1))
    lookup = check_code_map(code_to_bin, "code_to_bin")
    missing_bin = check_int(missing_bin, "missing_bin", minimum=0)
    check_codes_in_range(codes, lookup.shape[0], "codes")
    out = np.empty(codes.shape[0], dtype=np.int64)
    K._assign_codes(codes, lookup, missing_bin, out)
    return out


# ---------------------------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------------------------


def count_numeric(
    X: object,
    edges: Sequence[object],
    label: object,
    *,
    special_values: Sequence[Sequence[float]] | None = None,
    weights: object = None,
) -> list[np.ndarray]:
    """Count label 0/1 rows per bin of every numeric column in one fused pass.

    X: float array (n_rows, n_features), C or F order. edges: one strictly increasing array of
    interior edges per feature. special_values: None or one sequence per feature. Returns per
    feature an array (len(edges[f]) + 2 + n_specials, 2): column 0 counts label 0, column 1
    label 1; int64 counts, or float64 weight sums when `weights` is given.
    """
    return _count_numeric(X, edges, label, special_values, weights, extent=False)[0]


def count_numeric_extent(
    X: object,
    edges: Sequence[object],
    label: object,
    *,
    special_values: Sequence[Sequence[float]] | None = None,
    weights: object = None,
) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """`count_numeric` plus each bin's smallest and largest value, from the same pass:
    (counts, lows, highs), lows[f] / highs[f] one float per bin of feature f (+inf / -inf for a
    bin without values). `engine.edges.separate_by_extent` reads the edges' neighbours off them.
    """
    return _count_numeric(X, edges, label, special_values, weights, extent=True)


def _count_numeric(X, edges, label, special_values, weights, *, extent):  # noqa: ANN001, ANN202
    X, edges, specials = numeric_inputs(X, edges, special_values, edges_name="edges")
    n_rows, n_features = X.shape
    label = check_label(label, n_rows)
    weights = engine_weights(weights, n_rows)
    padded, edge_offsets, n_edges = K.pack_edges(edges)
    grids = K.pack_grids(padded, edge_offsets, n_edges)
    special_flat, special_offsets = K.pack_arrays(specials, np.float64)
    n_bins = n_edges + 2 + np.diff(special_offsets)
    count_offsets = np.zeros(n_features + 1, dtype=np.int64)
    count_offsets[1:] = np.cumsum(2 * n_bins)
    out = _new_counts(n_rows, int(count_offsets[-1]), weights)
    shape = (out.shape[0], int(count_offsets[-1]) // 2) if extent else (1, 0)
    lows, highs = np.full(shape, np.inf), np.full(shape, -np.inf)
    if n_features and n_rows:
        x_flat, f_order = flat_with_order(X)
        K._count_numeric(
            x_flat, n_rows, n_features, f_order, padded, edge_offsets, n_edges, *grids,
            special_flat, special_offsets, count_offsets, label,
            _NO_WEIGHTS if weights is None else weights, weights is not None, out,
            extent, lows, highs,
        )
    counts = _sum_chunks(out, count_offsets)
    if not extent:
        return counts, [], []
    low, high = lows.min(axis=0), highs.max(axis=0)
    bins = count_offsets // 2
    return (counts, [low[bins[f]: bins[f + 1]] for f in range(n_features)],
            [high[bins[f]: bins[f + 1]] for f in range(n_features)])


def count_codes(
    C: object,
    code_to_bin_list: Sequence[object],
    missing_bins: Sequence[int],
    label: object,
    *,
    weights: object = None,
    n_bins: Sequence[int] | None = None,
) -> list[np.ndarray]:
    """Count label 0/1 rows per bin of every categorical code column in one pass.

    C: integer codes (n_rows, n_features), -1 = missing. code_to_bin_list[f] maps code c of
    feature f to its bin; missing_bins[f] is the bin of code -1. Feature f has
    max(max(code_to_bin_list[f]) + 1, missing_bins[f] + 1) bins unless n_bins[f] says more.
    Returns per feature an array (n_bins_f, 2) as in `count_numeric`.
    """
    C, maps, missing = categorical_inputs(C, code_to_bin_list, missing_bins)
    n_rows, n_features = C.shape
    sizes = [max(int(m.max()) + 1 if m.size else 0, mb + 1) for m, mb in zip(maps, missing)]
    if n_bins is not None:
        for f, (given, needed) in enumerate(zip(per_feature(n_bins, n_features, "n_bins"), sizes)):
            given = check_int(given, f"n_bins[{f}]", minimum=1)
            if given < needed:
                raise InputError(
                    f"n_bins[{f}] is {given} but code_to_bin_list[{f}] / missing_bins[{f}] "
                    f"use bin {needed - 1}."
                )
            sizes[f] = given
    if n_rows and n_features:
        lows, highs = C.min(axis=0), C.max(axis=0)
        for f, m in enumerate(maps):
            if lows[f] < -1 or highs[f] >= m.shape[0]:
                check_codes_in_range(C[:, f], m.shape[0], f"C[:, {f}]")
    label = check_label(label, n_rows)
    weights = engine_weights(weights, n_rows)
    lookup, map_offsets = K.pack_arrays(maps, np.int64)
    count_offsets = np.zeros(n_features + 1, dtype=np.int64)
    count_offsets[1:] = np.cumsum(2 * np.asarray(sizes, dtype=np.int64))
    out = _new_counts(n_rows, int(count_offsets[-1]), weights)
    if n_rows and n_features:
        K._count_codes(
            C, lookup, map_offsets, np.asarray(missing, dtype=np.int64), count_offsets, label,
            _NO_WEIGHTS if weights is None else weights, weights is not None, out,
        )
    return _sum_chunks(out, count_offsets)


def count_bins(
    bins: object, n_bins: int, label: object, *, weights: object = None
) -> np.ndarray:
    """Count label 0/1 rows per already-assigned bin: array (n_bins, 2), as in `count_numeric`.

    Serves drift (label = window indicator) and fairness (label = group indicator) too.
    """
    bins = np.ascontiguousarray(as_int_array(bins, "bins", 1))
    n_bins = check_int(n_bins, "n_bins", minimum=1)
    n_rows = bins.shape[0]
    if n_rows:
        low, high = int(bins.min()), int(bins.max())
        if low < 0 or high >= n_bins:
            raise InputError(f"bins has bin {low if low < 0 else high}, outside [0, {n_bins}).")
    label = check_label(label, n_rows)
    weights = engine_weights(weights, n_rows)
    out = _new_counts(n_rows, 2 * n_bins, weights)
    if n_rows:
        K._count_bins(
            bins, label, _NO_WEIGHTS if weights is None else weights, weights is not None, out
        )
    return out.sum(axis=0).reshape(n_bins, 2)
