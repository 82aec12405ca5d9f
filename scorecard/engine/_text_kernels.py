"""Numba kernels that factorize UTF-8 text held as Arrow buffers (offsets + data bytes). Private.

Call them through :mod:`scorecard.engine.text`, which validates the inputs. Each value's key is
its bytes packed into a uint64 when it has at most 7 bytes (exact: equal keys mean equal text)
and a 64-bit FNV-1a hash with the top bit set otherwise (then equal keys are confirmed byte by
byte). Rows are split into chunks factorized in parallel; the chunks' few distinct values are
then merged in chunk order, so codes number the values in order of first appearance, as
`pandas.factorize` does. A second parallel pass writes each row's global code, or straight away
a value per code (a transform's WoE), so no intermediate array of codes is needed.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_HASHED = np.uint64(0x8000000000000000)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_START_BITS = 6


@njit(cache=True)
def _key(offsets, data, row):
    """The row's key and whether the key alone identifies the text (at most 7 bytes)."""
    a = offsets[row]
    b = offsets[row + 1]
    if b - a <= 7:
        key = np.uint64(b - a) << np.uint64(56)
        for k in range(a, b):
            key |= np.uint64(data[k]) << np.uint64(8 * (k - a))
        return key, True
    key = _FNV_OFFSET
    for k in range(a, b):
        key = (key ^ np.uint64(data[k])) * _FNV_PRIME
    return key | _HASHED, False


@njit(cache=True)
def _same_text(offsets, data, r1, r2):
    a1 = offsets[r1]
    a2 = offsets[r2]
    n = offsets[r1 + 1] - a1
    if offsets[r2 + 1] - a2 != n:
        return False
    for k in range(n):
        if data[a1 + k] != data[a2 + k]:
            return False
    return True


@njit(cache=True)
def _slot(key, bits):
    return np.int64((key * _GOLDEN) >> np.uint64(64 - bits))


@njit(cache=True)
def _factorize_rows(offsets, data, validity, bit0, has_validity, rows, lo, hi, codes, first):
    """Codes of items lo .. hi-1 into codes[lo:hi] (-1 = null), numbered from 0 in order of
    first appearance; first[lo + u] = the row of distinct value u. Item i is row i, or rows[i]
    when `rows` is not empty. Returns the number of distinct values."""
    bits = _START_BITS
    table = np.full(1 << bits, -1, dtype=np.int64)
    keys = np.empty(1 << bits, dtype=np.uint64)
    n_unique = 0
    by_row = rows.shape[0] == 0
    for i in range(lo, hi):
        row = i if by_row else rows[i]
        if has_validity:
            j = bit0 + row
            if not (validity[j >> 3] >> (j & 7)) & 1:
                codes[i] = -1
                continue
        key, exact = _key(offsets, data, row)
        mask = (1 << bits) - 1
        s = _slot(key, bits)
        u = table[s]
        while u >= 0:
            if keys[s] == key and (exact or _same_text(offsets, data, first[lo + u], row)):
                break
            s = (s + 1) & mask
            u = table[s]
        if u >= 0:
            codes[i] = u
            continue
        first[lo + n_unique] = row
        table[s] = n_unique
        keys[s] = key
        codes[i] = n_unique
        n_unique += 1
        if 2 * n_unique > (1 << bits):  # grow: keep the table at most half full
            bits += 1
            grown = np.full(1 << bits, -1, dtype=np.int64)
            grown_keys = np.empty(1 << bits, dtype=np.uint64)
            for old in range(table.shape[0]):
                if table[old] >= 0:
                    t = _slot(keys[old], bits)
                    while grown[t] >= 0:
                        t = (t + 1) & ((1 << bits) - 1)
                    grown[t] = table[old]
                    grown_keys[t] = keys[old]
            table = grown
            keys = grown_keys
    return n_unique


@njit(cache=True, parallel=True)
def _factorize_chunks(offsets, data, validity, bit0, has_validity, n_chunks, local, counts):
    """Factorize rows in chunks: local[r] = row r's code within its chunk (-1 = null), and
    counts[starts[c] + u] its number of rows. Returns (starts, merged, first): chunk c's
    distinct values are merged[starts[c] ...] in the global numbering (order of first
    appearance), whose first rows are `first`."""
    n = offsets.shape[0] - 1
    chunk = (n + n_chunks - 1) // n_chunks
    local_first = np.empty(n, dtype=np.int64)
    n_local = np.zeros(n_chunks, dtype=np.int64)
    no_rows = np.empty(0, dtype=np.int64)
    for c in prange(n_chunks):
        lo = min(n, c * chunk)
        hi = min(n, lo + chunk)
        n_local[c] = _factorize_rows(offsets, data, validity, bit0, has_validity, no_rows, lo,
                                     hi, local, local_first)
        for r in range(lo, hi):  # counts[lo + u] for now: chunk c's codes are below hi - lo
            if local[r] >= 0:
                counts[lo + local[r]] += 1
    starts = np.zeros(n_chunks + 1, dtype=np.int64)
    for c in range(n_chunks):
        starts[c + 1] = starts[c] + n_local[c]
    candidates = np.empty(starts[n_chunks], dtype=np.int64)
    for c in range(n_chunks):
        lo = min(n, c * chunk)
        for u in range(n_local[c]):  # moves left (starts[c] <= lo): a forward copy is safe
            candidates[starts[c] + u] = local_first[lo + u]
            counts[starts[c] + u] = counts[lo + u]
    merged = np.empty(candidates.shape[0], dtype=np.int64)
    first = np.empty(candidates.shape[0], dtype=np.int64)
    n_unique = _factorize_rows(offsets, data, validity, bit0, False, candidates, 0,
                               candidates.shape[0], merged, first)
    return starts, merged, first[:n_unique]


@njit(cache=True, parallel=True)
def _take_coded(local, n_chunks, starts, merged, per_code, missing, out):
    """out[r] = per_code[global code of row r], or `missing` for a null: codes or mapped values
    written in one pass."""
    n = local.shape[0]
    chunk = (n + n_chunks - 1) // n_chunks
    for c in prange(n_chunks):
        lo = min(n, c * chunk)
        hi = min(n, lo + chunk)
        base = starts[c]
        for r in range(lo, hi):
            code = local[r]
            out[r] = missing if code < 0 else per_code[merged[base + code]]
