"""Numba kernels of the binning engine. Private: call them through `scorecard.engine.api`.

Kernels trust their inputs (validated by the wrappers) and never allocate per row. Work is split
into row chunks that depend on the number of rows only (not on the thread count), so weighted
float sums are reproducible on any machine. Inside a chunk, rows go in blocks of BLOCK_ROWS: a
block's bin indices live in a small L1-resident buffer, so assignment and counting are fused
without materialising a bin index per row.

Bin search (`assign_block`, used by the transform's map kernels) is a SIMD-friendly count of
edges <= x rather than a binary search: with the usual 10-100 edges the compiler vectorises the
comparisons and no branch depends on the data. Above LINEAR_MAX_EDGES edges a two-level variant
(coarse count over every GROUP-th edge, then one GROUP-wide count) keeps the cost nearly flat.
Edges are padded with NaN to a multiple of GROUP (or 4), because `x >= NaN` is false for every
x, so padding never counts. The counting pass of fit, over the ~200 quantile pre-bin edges,
finds bins through an edge grid instead (`edge_grids`, `bin_by_grid`): a cell index from one
multiply, a table lookup, then usually one comparison; exact because the cell is monotone in x.

Quantile pre-binning has its own kernels: `_quantile_kernels`.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

BLOCK_ROWS = 2048
# Row stride of the transposed block (C-ordered input): not a multiple of 4 KiB, so the
# per-feature rows of the block do not all compete for the same L1 cache sets.
BLOCK_STRIDE = BLOCK_ROWS + 8
LINEAR_MAX_EDGES = 128
# Edge grid of the counting pass: cells per edge, at most MAX_GRID_CELLS cells a feature.
GRID_CELLS_PER_EDGE = 4
MAX_GRID_CELLS = 2048
GROUP = 16
CHUNK_ROWS = 65_536
MAX_CHUNKS = 16



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


def pack_grids(
    padded: np.ndarray, offsets: np.ndarray, n_edges: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Edge grids of packed edges (`pack_edges`): (grid offsets, lows, scales, first), as
    `edge_grids` fills them; a feature with fewer than two edges gets no cells."""
    cells = np.where(n_edges >= 2, np.minimum(MAX_GRID_CELLS, GRID_CELLS_PER_EDGE * n_edges), 0)
    grid_offsets = np.zeros(n_edges.shape[0] + 1, dtype=np.int64)
    grid_offsets[1:] = np.cumsum(cells + 2)
    lows = np.zeros(n_edges.shape[0], dtype=np.float64)
    scales = np.zeros(n_edges.shape[0], dtype=np.float64)
    first = np.zeros(int(grid_offsets[-1]), dtype=np.int32)
    edge_grids(padded, offsets, n_edges, grid_offsets, lows, scales, first)
    return grid_offsets, lows, scales, first


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
    missing_and_special_bins(x, out, n_edges, specials, s_lo, s_hi)


@njit(cache=True)
def missing_and_special_bins(x, out, n_edges, specials, s_lo, s_hi):
    """Overwrite the numeric bin of NaN with the missing bin and of a special value with its bin."""
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


@njit(cache=True)
def grid_cell(v, low, scale, n_cells):
    """Cell of v in a feature's edge grid: floor((v - low) * scale) clamped to [0, n_cells].

    Monotone in v (IEEE subtraction and multiplication by scale >= 0 are, and so is the
    clamp), which is all `bin_by_grid` needs for an exact bin. NaN goes to cell 0 (callers
    treat NaN as missing before)."""
    t = (v - low) * scale
    if t >= n_cells:
        return n_cells
    if t > 0.0:
        return int(t)
    return 0


@njit(cache=True)
def edge_grids(edges, edge_offsets, n_edges, grid_offsets, lows, scales, first):
    """Per feature f with n = grid_offsets[f + 1] - grid_offsets[f] - 2 cells over its finite
    edges' range: first[grid_offsets[f] + c] = #{edges of f in a cell < c}, for c = 0..n + 1.
    With no cells (n = 0: fewer than two finite edges), every edge is in cell 0."""
    for f in range(n_edges.shape[0]):
        g0 = grid_offsets[f]
        n_cells = grid_offsets[f + 1] - g0 - 2
        e0 = edge_offsets[f]
        k = n_edges[f]
        lo = np.inf
        hi = -np.inf
        for j in range(k):
            e = edges[e0 + j]
            if np.isfinite(e):
                lo = min(lo, e)
                hi = max(hi, e)
        scale = 0.0
        if n_cells > 0 and hi > lo:
            scale = n_cells / (hi - lo)
            if not (np.isfinite(scale) and scale > 0.0):
                scale = 0.0
        if scale == 0.0:
            n_cells = 0
            lo = 0.0
        lows[f] = lo
        scales[f] = scale
        for c in range(grid_offsets[f + 1] - g0):
            first[g0 + c] = 0
        for j in range(k):
            first[g0 + grid_cell(edges[e0 + j], lo, scale, n_cells) + 1] += 1
        for c in range(1, grid_offsets[f + 1] - g0):
            first[g0 + c] += first[g0 + c - 1]
        if n_cells == 0:  # all edges in cell 0, whatever the table's length
            for c in range(1, grid_offsets[f + 1] - g0):
                first[g0 + c] = k


@njit(cache=True)
def bin_by_grid(v, edges, e0, n_edges, first, g0, low, scale, n_cells):
    """#{edges <= v} for a non-NaN v and n_edges >= 1: the edges of cells below v's cell, then
    those of its own cell that are <= v (edges in a cell are contiguous, because cells are
    monotone). A cell holds at most one edge in the usual case, which takes no branch."""
    c = grid_cell(v, low, scale, n_cells)
    b = first[g0 + c]
    end = first[g0 + c + 1]
    if end - b <= 1:
        return b + ((b < end) & (edges[e0 + min(b, n_edges - 1)] <= v))
    while b < end and edges[e0 + b] <= v:
        b += 1
    return b


@njit(cache=True)
def grid_assign_block(x, out, edges, e0, n_edges, first, g0, low, scale, n_cells, specials,
                      s_lo, s_hi):
    """`assign_block` through the feature's edge grid: numeric bins, then missing (NaN), then
    specials (exact match)."""
    m = x.shape[0]
    if n_edges == 0:
        for i in range(m):
            out[i] = 0
    else:
        for i in range(m):
            out[i] = bin_by_grid(x[i], edges, e0, n_edges, first, g0, low, scale, n_cells)
    missing_and_special_bins(x, out, n_edges, specials, s_lo, s_hi)


@njit(cache=True, parallel=True)
def _count_numeric(
    x_flat, n_rows, n_features, f_order, edges, edge_offsets, n_edges, grid_offsets, grid_lows,
    grid_scales, grid_first, specials, special_offsets, count_offsets, label, weights, weighted,
    out, extent, lows, highs,
):
    """Fused assign + count of every feature; out[chunk, count_offsets[f] + 2 * bin + label].
    With `extent`, also each bin's smallest and largest value: lows / highs[chunk,
    count_offsets[f] // 2 + bin] (start at +inf / -inf; NaN never counts).

    Each value finds its bin through the feature's edge grid (`edge_grids`, `bin_by_grid`):
    one multiply and a table lookup, then usually zero or one comparison, instead of a count
    over every edge. `x_flat` is the 2-D data raveled in its own memory order: F order (column
    f is x_flat[f * n_rows:(f + 1) * n_rows]) or C order (row-major; each block is transposed
    into a small buffer first, so columns are read from cache).
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
                g0 = grid_offsets[f]
                grid_assign_block(
                    x, b, edges, edge_offsets[f], n_edges[f], grid_first, g0, grid_lows[f],
                    grid_scales[f], grid_offsets[f + 1] - g0 - 2, specials, special_offsets[f],
                    special_offsets[f + 1],
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
