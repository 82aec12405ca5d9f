"""Numba kernels that map values straight to a per-bin value (WoE, bin index, ...). Private.

Call them through :mod:`scorecard.engine.mapping`, which validates the inputs. Each kernel assigns
a block of rows to bins in a small L1-resident buffer (the engine's `assign_block`, so the bin
layout is the engine's by construction) and writes ``values[bin]`` into the output at once: no
bin index per row is ever materialised. Rows are split into chunks that run in parallel.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from scorecard.engine._kernels import (
    BLOCK_ROWS,
    BLOCK_STRIDE,
    assign_block,
    feature_block,
    transpose_block,
)


@njit(cache=True, parallel=True)
def _map_numeric(
    x_flat, n_rows, n_features, f_order, edges, edge_offsets, n_edges, specials,
    special_offsets, values, value_offsets, n_chunks, summed, out,
):
    """out[r, f] = values[value_offsets[f] + bin of x[r, f]] for every row and feature; with
    `summed`, out is (n_rows, 1) and out[r, 0] adds them up over f = 0, 1, ... in order (a
    score's points) without a (rows x features) matrix.

    `x_flat` is the 2-D input raveled in its own memory order (F: column f is
    x_flat[f * n_rows:(f + 1) * n_rows]; C: each block is transposed into a buffer first).
    `out` is (n_rows, n_features), preferably F-ordered so each feature's writes are contiguous.
    """
    chunk = (n_rows + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        cells = np.empty(BLOCK_ROWS, dtype=np.int32)
        block = np.empty(0 if f_order else BLOCK_STRIDE * n_features, dtype=np.float64)
        c1 = min(n_rows, (c + 1) * chunk)
        for r0 in range(c * chunk, c1, BLOCK_ROWS):
            r1 = min(c1, r0 + BLOCK_ROWS)
            m = r1 - r0
            if not f_order:
                transpose_block(x_flat, block, r0, m, n_features)
            for f in range(n_features):
                x = feature_block(x_flat, block, f, n_rows, r0, r1, f_order)
                b = cells[:m]
                assign_block(
                    x, b, edges, edge_offsets[f], edge_offsets[f + 1], n_edges[f], specials,
                    special_offsets[f], special_offsets[f + 1],
                )
                base = value_offsets[f]
                if summed:
                    for i in range(m):
                        out[r0 + i, 0] += values[base + b[i]]
                else:
                    for i in range(m):
                        out[r0 + i, f] = values[base + b[i]]


@njit(cache=True, parallel=True)
def _map_codes(
    codes, row_major, code_to_bin, map_offsets, missing_bins, values, value_offsets, n_chunks,
    out,
):
    """out[r, f] = values[value_offsets[f] + bin of code[r, f]]; code -1 is the missing bin.

    `row_major` says whether `codes` is C-ordered (then rows are walked outermost).
    """
    n_rows, n_features = codes.shape
    chunk = (n_rows + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        c1 = min(n_rows, (c + 1) * chunk)
        if row_major:
            for r in range(c * chunk, c1):
                for f in range(n_features):
                    code = codes[r, f]
                    k = missing_bins[f] if code < 0 else code_to_bin[map_offsets[f] + code]
                    out[r, f] = values[value_offsets[f] + k]
        else:
            for f in range(n_features):
                base = map_offsets[f]
                value_base = value_offsets[f]
                missing = missing_bins[f]
                for r in range(c * chunk, c1):
                    code = codes[r, f]
                    k = missing if code < 0 else code_to_bin[base + code]
                    out[r, f] = values[value_base + k]
