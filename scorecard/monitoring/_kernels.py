"""Numba kernel of monitoring: each row's points summed over numeric characteristics, in one pass.

The drift report counts rows per bin with the engine's count kernels; the score bands also need
every row's integer score. `numeric_points` adds, row by row, the points of each numeric
characteristic's bin (the engine's bin layout: numeric bins by edges <= x, then missing, then
specials) into an int64 score, without materialising a (rows x characteristics) matrix.
`numeric_points_reference` is its plain-numpy twin (tests).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit, prange

_CHUNK_ROWS = 32_768
_MAX_CHUNKS = 64
_BLOCK = 1024


def _pack(arrays: Sequence[np.ndarray], dtype: type) -> tuple[np.ndarray, np.ndarray]:
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([a.shape[0] for a in arrays])
    flat = np.concatenate(arrays).astype(dtype) if arrays else np.empty(0, dtype)
    return np.ascontiguousarray(flat), offsets


@njit(cache=True, parallel=True)
def _add_numeric_points(x, n_rows, n_features, edges, edge_offsets, n_true_edges, specials,
                        special_offsets, points, point_offsets, out):
    """out[r] += points of x[r, f]'s bin for every feature f; x is column-major, flat."""
    n_chunks = min(_MAX_CHUNKS, max(1, n_rows // _CHUNK_ROWS))
    chunk = (n_rows + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        bins = np.empty(_BLOCK, dtype=np.int32)
        c1 = min(n_rows, (c + 1) * chunk)
        for r0 in range(c * chunk, c1, _BLOCK):
            m = min(c1, r0 + _BLOCK) - r0
            b = bins[:m]
            total = out[r0:r0 + m]
            for f in range(n_features):
                xs = x[f * n_rows + r0:f * n_rows + r0 + m]
                for i in range(m):
                    b[i] = 0
                # Edges come in fours, NaN-padded: x >= NaN is false, so padding never counts.
                for e in range(edge_offsets[f], edge_offsets[f + 1], 4):
                    a0, a1, a2, a3 = edges[e], edges[e + 1], edges[e + 2], edges[e + 3]
                    for i in range(m):
                        v = xs[i]
                        b[i] += (v >= a0) + (v >= a1) + (v >= a2) + (v >= a3)
                n_edges = n_true_edges[f]
                for i in range(m):
                    b[i] = n_edges + 1 if xs[i] != xs[i] else b[i]
                s0 = special_offsets[f]
                for s in range(s0, special_offsets[f + 1]):
                    value = specials[s]
                    for i in range(m):
                        b[i] = n_edges + 2 + (s - s0) if xs[i] == value else b[i]
                p = points[point_offsets[f]:point_offsets[f + 1]]
                for i in range(m):
                    total[i] += p[b[i]]


def numeric_points(
    X: np.ndarray, edges: Sequence[np.ndarray], specials: Sequence[np.ndarray],
    points: Sequence[np.ndarray], out: np.ndarray,
) -> None:
    """Add to ``out`` (int64, one per row) the points of every numeric column's bin.

    ``X`` is float64 (n_rows, n_features) in Fortran order; per feature ``edges`` (strictly
    increasing), ``specials`` and ``points`` (one int per bin: numeric, missing, specials).
    Inputs are trusted (the caller builds them from a validated spec).
    """
    n_rows, n_features = X.shape
    if n_rows == 0 or n_features == 0:
        return
    x = np.asfortranarray(X).ravel(order="F")
    padded = [np.r_[e, np.full(-len(e) % 4, np.nan)] for e in edges]
    edge_flat, edge_offsets = _pack(padded, np.float64)
    n_true_edges = np.array([len(e) for e in edges], dtype=np.int64)
    special_flat, special_offsets = _pack(specials, np.float64)
    point_flat, point_offsets = _pack(points, np.int64)
    _add_numeric_points(x, n_rows, n_features, edge_flat, edge_offsets, n_true_edges, special_flat,
                        special_offsets, point_flat, point_offsets, out)


def numeric_points_reference(
    X: np.ndarray, edges: Sequence[np.ndarray], specials: Sequence[np.ndarray],
    points: Sequence[np.ndarray],
) -> np.ndarray:
    """Twin of `numeric_points` (returns the sum): searchsorted, then missing, then specials."""
    total = np.zeros(X.shape[0], dtype=np.int64)
    for f in range(X.shape[1]):
        x = X[:, f]
        bins = np.searchsorted(edges[f], x, side="right")
        bins[np.isnan(x)] = len(edges[f]) + 1
        for s, value in enumerate(specials[f]):
            bins[x == value] = len(edges[f]) + 2 + s
        total += np.asarray(points[f], dtype=np.int64)[bins]
    return total
