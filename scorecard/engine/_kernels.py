"""Numba kernels of the binning engine. Private: call them through `scorecard.engine.api`.

Kernels trust their inputs (validated by the wrappers) and never allocate per row. Work is split
into row chunks that depend on the number of rows only (not on the thread count), so weighted
float sums are reproducible on any machine. Inside a chunk, rows go in blocks of BLOCK_ROWS: a
block's bin indices live in a small L1-resident buffer, so assignment and counting are fused
without materialising a bin index per row.

Bin search is a SIMD-friendly count of edges <= x rather than a binary search: with the usual
10-100 edges the compiler vectorises the comparisons and no branch depends on the data. Above
LINEAR_MAX_EDGES edges a two-level variant (coarse count over every GROUP-th edge, then one
GROUP-wide count) keeps the cost nearly flat. Edges are padded with NaN to a multiple of GROUP
(or 4), because `x >= NaN` is false for every x, so padding never counts.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

BLOCK_ROWS = 2048
# Row stride of the transposed block (C-ordered input): not a multiple of 4 KiB, so the
# per-feature rows of the block do not all compete for the same L1 cache sets.
BLOCK_STRIDE = BLOCK_ROWS + 8
LINEAR_MAX_EDGES = 128
GROUP = 16
CHUNK_ROWS = 65_536
MAX_CHUNKS = 16

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_SIGN = np.uint64(0x8000000000000000)
_RADIX_BITS = 11
_RADIX_MASK = np.uint64((1 << _RADIX_BITS) - 1)


def n_chunks_for(n_rows: int) -> int:
    """Number of row chunks for a pass over n_rows: a function of n_rows alone (reproducible)."""
    return int(min(MAX_CHUNKS, max(1, n_rows // CHUNK_ROWS)))


def pack_edges(edges_list: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flatten per-feature edges into (NaN-padded flat edges, offsets, true edge counts)."""
    n_edges = np.array([e.shape[0] for e in edges_list], dtype=np.int64)
    padded = []
    for e in edges_list:
        unit = GROUP if e.shape[0] > LINEAR_MAX_EDGES else 4
        width = -(-e.shape[0] // unit) * unit
        block = np.full(width, np.nan)
        block[: e.shape[0]] = e
        padded.append(block)
    offsets = np.zeros(len(edges_list) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([b.shape[0] for b in padded])
    flat = np.concatenate(padded) if padded else np.empty(0)
    return flat.astype(np.float64, copy=False), offsets, n_edges


def pack_arrays(arrays: list[np.ndarray], dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """Flatten a list of 1-D arrays into (flat, offsets)."""
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([a.shape[0] for a in arrays])
    flat = np.concatenate(arrays).astype(dtype, copy=False) if arrays else np.empty(0, dtype)
    return flat, offsets


# ---------------------------------------------------------------------------------------------
# Assigning values to bins
# ---------------------------------------------------------------------------------------------


@njit(cache=True)
def _count_le_linear(x, out, edges, lo, hi):
    """out[i] = #{edges[lo:hi] <= x[i]}; hi - lo is a multiple of 4 (NaN padding)."""
    m = x.shape[0]
    for i in range(m):
        out[i] = 0
    for j in range(lo, hi, 4):
        e0 = edges[j]
        e1 = edges[j + 1]
        e2 = edges[j + 2]
        e3 = edges[j + 3]
        for i in range(m):
            v = x[i]
            out[i] += (v >= e0) + (v >= e1) + (v >= e2) + (v >= e3)


@njit(cache=True)
def _count_le_grouped(x, out, edges, lo, hi):
    """Same as _count_le_linear for many edges; hi - lo is a multiple of GROUP."""
    m = x.shape[0]
    for i in range(m):
        out[i] = 0
    for j in range(lo + GROUP - 1, hi - 1, GROUP):
        e = edges[j]
        for i in range(m):
            out[i] += x[i] >= e
    for i in range(m):
        v = x[i]
        start = lo + GROUP * out[i]
        below = 0
        for j in range(GROUP):
            below += edges[start + j] <= v
        out[i] = GROUP * out[i] + below


@njit(cache=True)
def assign_block(x, out, edges, lo, hi, n_edges, specials, s_lo, s_hi):
    """Bin index of each x: numeric bins, then missing (NaN), then specials (exact match)."""
    if hi - lo > LINEAR_MAX_EDGES:
        _count_le_grouped(x, out, edges, lo, hi)
    else:
        _count_le_linear(x, out, edges, lo, hi)
    m = x.shape[0]
    missing = n_edges + 1
    for i in range(m):
        out[i] = missing if x[i] != x[i] else out[i]
    for s in range(s_lo, s_hi):
        value = specials[s]
        special_bin = n_edges + 2 + (s - s_lo)
        for i in range(m):
            out[i] = special_bin if x[i] == value else out[i]


@njit(cache=True)
def _scatter(counts, cells, weights, r0, weighted):
    """counts[cells[i]] += 1 (or the row's weight)."""
    if weighted:
        for i in range(cells.shape[0]):
            counts[cells[i]] += weights[r0 + i]
    else:
        for i in range(cells.shape[0]):
            counts[cells[i]] += 1


@njit(cache=True, parallel=True)
def _assign_numeric(x, edges, n_edges, specials, out):
    """Bin index of every value of one feature into `out` (int64)."""
    n = x.shape[0]
    n_chunks = min(MAX_CHUNKS, max(1, n // CHUNK_ROWS))
    chunk = (n + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        c1 = min(n, (c + 1) * chunk)
        for r0 in range(c * chunk, c1, BLOCK_ROWS):
            r1 = min(c1, r0 + BLOCK_ROWS)
            assign_block(
                x[r0:r1], out[r0:r1], edges, 0, edges.shape[0], n_edges, specials, 0,
                specials.shape[0],
            )


@njit(cache=True)
def transpose_block(x_flat, block, r0, m, n_features):
    """C order: copy rows r0 .. r0+m-1 into `block`, one padded column per feature."""
    for i in range(m):
        row = (r0 + i) * n_features
        for f in range(n_features):
            block[f * BLOCK_STRIDE + i] = x_flat[row + f]


@njit(cache=True)
def feature_block(x_flat, block, f, n_rows, r0, r1, f_order):
    """Rows r0 .. r1-1 of feature f: a view of F-ordered data, or of the transposed block."""
    if f_order:
        return x_flat[f * n_rows + r0 : f * n_rows + r1]
    return block[f * BLOCK_STRIDE : f * BLOCK_STRIDE + (r1 - r0)]


@njit(cache=True, parallel=True)
def _count_numeric(
    x_flat, n_rows, n_features, f_order, edges, edge_offsets, n_edges, specials,
    special_offsets, count_offsets, label, weights, weighted, out, extent, lows, highs,
):
    """Fused assign + count of every feature; out[chunk, count_offsets[f] + 2 * bin + label].
    With `extent`, also each bin's smallest and largest value: lows / highs[chunk,
    count_offsets[f] // 2 + bin] (start at +inf / -inf; NaN never counts).

    `x_flat` is the 2-D data raveled in its own memory order: F order (column f is
    x_flat[f * n_rows:(f + 1) * n_rows]) or C order (row-major; each block is transposed into a
    small buffer first, so columns are read from cache).
    """
    n_chunks = out.shape[0]
    chunk = (n_rows + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        counts = out[c]
        cells = np.empty(BLOCK_ROWS, dtype=np.int32)
        block = np.empty(0 if f_order else BLOCK_STRIDE * n_features, dtype=np.float64)
        c1 = min(n_rows, (c + 1) * chunk)
        for r0 in range(c * chunk, c1, BLOCK_ROWS):
            r1 = min(c1, r0 + BLOCK_ROWS)
            m = r1 - r0
            if not f_order:
                transpose_block(x_flat, block, r0, m, n_features)
            lab = label[r0:r1]
            for f in range(n_features):
                x = feature_block(x_flat, block, f, n_rows, r0, r1, f_order)
                b = cells[:m]
                assign_block(
                    x, b, edges, edge_offsets[f], edge_offsets[f + 1], n_edges[f], specials,
                    special_offsets[f], special_offsets[f + 1],
                )
                if extent:
                    low = lows[c]
                    high = highs[c]
                    base = count_offsets[f] // 2
                    for i in range(m):
                        k = base + b[i]
                        v = x[i]
                        if v < low[k]:
                            low[k] = v
                        if v > high[k]:
                            high[k] = v
                for i in range(m):
                    b[i] = 2 * b[i] + lab[i]
                _scatter(
                    counts[count_offsets[f] : count_offsets[f + 1]], b, weights, r0, weighted
                )


@njit(cache=True, parallel=True)
def _assign_codes(codes, code_to_bin, missing_bin, out):
    """Bin of each categorical code (-1 = missing)."""
    n = codes.shape[0]
    for i in prange(n):
        code = codes[i]
        out[i] = missing_bin if code < 0 else code_to_bin[code]


@njit(cache=True, parallel=True)
def _count_codes(
    codes, code_to_bin, map_offsets, missing_bins, count_offsets, label, weights, weighted, out
):
    """Assign + count categorical code columns (2-D, any layout); out as in _count_numeric."""
    n_rows, n_features = codes.shape
    n_chunks = out.shape[0]
    chunk = (n_rows + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        counts = out[c]
        cells = np.empty(BLOCK_ROWS, dtype=np.int64)
        c1 = min(n_rows, (c + 1) * chunk)
        for r0 in range(c * chunk, c1, BLOCK_ROWS):
            r1 = min(c1, r0 + BLOCK_ROWS)
            m = r1 - r0
            for f in range(n_features):
                base = map_offsets[f]
                missing = missing_bins[f]
                for i in range(m):
                    code = codes[r0 + i, f]
                    k = missing if code < 0 else code_to_bin[base + code]
                    cells[i] = 2 * k + label[r0 + i]
                _scatter(
                    counts[count_offsets[f] : count_offsets[f + 1]], cells[:m], weights, r0,
                    weighted,
                )


@njit(cache=True, parallel=True)
def _count_bins(bins, label, weights, weighted, out):
    """Count label 0/1 per already-assigned bin; out[chunk, 2 * bin + label]."""
    n_rows = bins.shape[0]
    n_chunks = out.shape[0]
    chunk = (n_rows + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        counts = out[c]
        cells = np.empty(BLOCK_ROWS, dtype=np.int64)
        c1 = min(n_rows, (c + 1) * chunk)
        for r0 in range(c * chunk, c1, BLOCK_ROWS):
            r1 = min(c1, r0 + BLOCK_ROWS)
            for i in range(r1 - r0):
                cells[i] = 2 * bins[r0 + i] + label[r0 + i]
            _scatter(counts, cells[: r1 - r0], weights, r0, weighted)


# ---------------------------------------------------------------------------------------------
# Quantile pre-binning
# ---------------------------------------------------------------------------------------------


@njit(cache=True)
def _splitmix64(state):
    """The SplitMix64 output function: a well-mixed 64-bit value from a counter."""
    z = (state ^ (state >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def _radix_sort(values, scratch):
    """Sort float64 values (no NaN) in place: LSD radix sort on order-preserving bit patterns."""
    n = values.shape[0]
    keys = values.view(np.uint64)
    other = scratch[:n].view(np.uint64)
    for i in range(n):
        k = keys[i]
        keys[i] = ~k if k & _SIGN else k | _SIGN
    src = keys
    dst = other
    histogram = np.empty(1 << _RADIX_BITS, dtype=np.int64)
    for shift in range(0, 64, _RADIX_BITS):
        histogram[:] = 0
        s = np.uint64(shift)
        for i in range(n):
            histogram[(src[i] >> s) & _RADIX_MASK] += 1
        if histogram.max() == n:
            continue
        total = 0
        for d in range(histogram.shape[0]):
            here = histogram[d]
            histogram[d] = total
            total += here
        for i in range(n):
            k = src[i]
            d = (k >> s) & _RADIX_MASK
            dst[histogram[d]] = k
            histogram[d] += 1
        src, dst = dst, src
    for i in range(n):
        k = src[i]
        keys[i] = k ^ _SIGN if k & _SIGN else ~k


@njit(cache=True)
def _edges_from_sorted(w, n_bins, out):
    """Write the interior edges of sorted sample w into out (2 * (n_bins - 1) long); return count.

    One bin per distinct value when there are <= n_bins of them. Otherwise the order statistics
    r_j = w[(j * len(w)) // n_bins], j = 1..n_bins-1, and, where r_j lies in a run of >= 2 tied
    values holding at least half a grid step (2 * n_bins * run >= len(w)), also the first value
    after that run: a split can then fall on either side of a heavy tie, not only before it.
    Sorted, without duplicates and without the minimum.
    """
    size = w.shape[0]
    if size == 0:
        return 0
    distinct = 1
    for i in range(1, size):
        if w[i] != w[i - 1]:
            distinct += 1
            if distinct > n_bins:
                break
    k = 0
    if distinct <= n_bins:
        for i in range(1, size):
            if w[i] != w[i - 1]:
                out[k] = w[i]
                k += 1
        return k
    last = w[0]
    for j in range(1, n_bins):
        r = (j * size) // n_bins
        e = w[r]
        if e > last:
            out[k] = e
            k += 1
            last = e
        if (r + 1 < size and w[r + 1] == e) or (r > 0 and w[r - 1] == e):
            run_end = np.searchsorted(w, e, side="right")
            run = run_end - np.searchsorted(w, e, side="left")
            if run_end < size and 2 * n_bins * run >= size and w[run_end] > last:
                last = w[run_end]
                out[k] = last
                k += 1
    return k


@njit(cache=True, parallel=True)
def _quantile_edges(
    x_flat, n_rows, n_features, f_order, n_bins, specials, special_offsets, sample_size, seed,
    out_edges, out_counts,
):
    """Equal-frequency edges per feature from the valid (not NaN, not special) values.

    `seed` is a uint64. More than sample_size valid values: draw sample_size of them uniformly
    with replacement, index k = splitmix64(seed + (k + 1) * golden) mod n_valid (the same stream
    for every feature).
    """
    base = seed
    for f in prange(n_features):
        valid = np.empty(n_rows, dtype=np.float64)
        s_lo = special_offsets[f]
        s_hi = special_offsets[f + 1]
        m = 0
        for i in range(n_rows):
            v = x_flat[f * n_rows + i] if f_order else x_flat[i * n_features + f]
            if v != v:
                continue
            special = False
            for s in range(s_lo, s_hi):
                if v == specials[s]:
                    special = True
            if not special:
                valid[m] = v
                m += 1
        if m > sample_size:
            sample = np.empty(sample_size, dtype=np.float64)
            n_valid = np.uint64(m)
            for k in range(sample_size):
                draw = _splitmix64(base + _GOLDEN * np.uint64(k + 1)) % n_valid
                sample[k] = valid[np.int64(draw)]
        else:
            sample = valid[:m]
        _radix_sort(sample, np.empty(sample.shape[0], dtype=np.float64))
        out_counts[f] = _edges_from_sorted(sample, n_bins, out_edges[f])
