"""Reason codes: per row, the characteristics that cost it most points relative to their best bin.

`top_losses` runs one numba pass over the rows (a k-slot insertion per row); its numpy twin
`top_losses_reference` (k passes of argmax) is what the tests compare it with. Both order by
lost points, ties in characteristic order, and give ``n_chars`` (no reason) where fewer than k
characteristics lose points.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit


@njit(cache=True)
def _top_losses(points_t, best, k, out):
    """out[r, j]: the characteristic with the j-th largest positive loss best[c] - points_t[c, r]
    (ties: lower c first); n_chars where fewer than j + 1 characteristics lose points."""
    n_chars, n_rows = points_t.shape
    top = np.empty(k, dtype=np.float64)
    index = np.empty(k, dtype=np.int64)
    for r in range(n_rows):
        filled = 0
        for c in range(n_chars):
            loss = best[c] - points_t[c, r]
            if not loss > 0.0 or (filled == k and not loss > top[k - 1]):
                continue
            p = filled if filled < k else k - 1
            while p > 0 and top[p - 1] < loss:
                top[p] = top[p - 1]
                index[p] = index[p - 1]
                p -= 1
            top[p] = loss
            index[p] = c
            if filled < k:
                filled += 1
        for j in range(k):
            out[r, j] = index[j] if j < filled else n_chars


def _best(per_bin: Sequence[np.ndarray]) -> np.ndarray:
    return np.array([values.max() for values in per_bin], dtype=np.float64)


def top_losses(points: np.ndarray, per_bin: Sequence[np.ndarray], k: int) -> np.ndarray:
    """(rows, k) int64 characteristic indices of the k largest point losses of each row of
    `points` (rows x characteristics) against each characteristic's best bin value in
    `per_bin`; ``len(per_bin)`` where fewer than k characteristics lose points."""
    n_rows = points.shape[0]
    out = np.empty((n_rows, k), dtype=np.int64)
    if n_rows and k:
        # The transpose of an F-ordered matrix is C-ordered: one kernel signature for all inputs.
        points_t = np.ascontiguousarray(np.asarray(points, dtype=np.float64).T)
        _top_losses(points_t, _best(per_bin), int(k), out)
    return out


def top_losses_reference(points: np.ndarray, per_bin: Sequence[np.ndarray], k: int) -> np.ndarray:
    """Numpy twin of `top_losses`: k passes of argmax over the lost points."""
    n_rows, n_chars = points.shape
    lost = np.empty(points.shape, dtype=np.float64, order="C")
    np.subtract(_best(per_bin)[None, :], points, out=lost)
    rows = np.arange(n_rows)
    out = np.full((n_rows, k), n_chars, dtype=np.int64)
    for j in range(k if n_chars else 0):
        top = np.argmax(lost, axis=1)
        top_lost = lost[rows, top]
        out[:, j] = np.where(top_lost > 0, top, n_chars)
        lost[rows, top] = -np.inf
    return out
