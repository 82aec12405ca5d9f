"""Numba kernels of quantile pre-binning. Private: call them through `scorecard.engine.api`.

The valid values of each column are gathered (and sampled) here, sorted by numpy
(`api.quantile_edges_many`: its sort is about twice as fast as a numba radix sort and releases
the GIL), then the edges are read off the sorted samples here.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# Sampling reads the valid values in stretches of 2**SAMPLE_BUCKET_BITS values (128 KiB).
SAMPLE_BUCKET_BITS = 14


@njit(cache=True)
def _splitmix64(state):
    """The SplitMix64 output function: a well-mixed 64-bit value from a counter."""
    z = (state ^ (state >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


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


@njit(cache=True)
def _gather_valid(column, specials, s_lo, s_hi, valid):
    """Write the valid values of `column` (not NaN, not special; -0.0 read as +0.0) to the
    start of `valid`, in order; return their number."""
    m = 0
    for i in range(column.shape[0]):
        v = column[i]
        if v != v:
            continue
        special = False
        for s in range(s_lo, s_hi):
            if v == specials[s]:
                special = True
        if not special:
            valid[m] = v + 0.0
            m += 1
    return m


@njit(cache=True)
def _draw_sample(valid, m, seed, row):
    """row[:] = the values valid[draw_k], draw_k = splitmix64(seed + (k + 1) * golden) mod m,
    as a multiset: the draws are grouped by SAMPLE_BUCKET-sized stretches of `valid` first, so
    the reads stay in cache instead of jumping across the whole column (the sample is sorted
    next, so its order does not matter)."""
    size = row.shape[0]
    n_valid = np.uint64(m)
    draws = np.empty(size, dtype=np.int64)
    n_buckets = (m >> SAMPLE_BUCKET_BITS) + 1
    starts = np.zeros(n_buckets + 1, dtype=np.int64)
    for k in range(size):
        d = np.int64(_splitmix64(seed + _GOLDEN * np.uint64(k + 1)) % n_valid)
        draws[k] = d
        starts[(d >> SAMPLE_BUCKET_BITS) + 1] += 1
    for b in range(n_buckets):
        starts[b + 1] += starts[b]
    grouped = np.empty(size, dtype=np.int64)
    for k in range(size):
        b = draws[k] >> SAMPLE_BUCKET_BITS
        grouped[starts[b]] = draws[k]
        starts[b] += 1
    for k in range(size):
        row[k] = valid[grouped[k]]


@njit(cache=True, parallel=True)
def _quantile_samples(
    x_flat, n_rows, n_features, f_order, specials, special_offsets, sample_size, seed, samples,
    sizes,
):
    """Each feature's valid (not NaN, not special) values, or a sample of them, into
    samples[f, :sizes[f]], unsorted, with -0.0 read as +0.0 (equal values, one bit pattern, so
    the sort's order among them cannot show in an edge).

    `seed` is a uint64. More than sample_size valid values: draw sample_size of them uniformly
    with replacement, index k = splitmix64(seed + (k + 1) * golden) mod n_valid (the same stream
    for every feature).
    """
    base = seed
    for f in prange(n_features):
        row = samples[f]
        s_lo = special_offsets[f]
        s_hi = special_offsets[f + 1]
        valid = np.empty(n_rows, dtype=np.float64)
        # One contiguous column (F order) or a strided one (C order): two loops, so the
        # F-order loop never computes a strided address.
        if f_order:
            m = _gather_valid(x_flat[f * n_rows : (f + 1) * n_rows], specials, s_lo, s_hi, valid)
        else:
            m = _gather_valid(x_flat[f::n_features], specials, s_lo, s_hi, valid)
        if m > sample_size:
            _draw_sample(valid, m, base, row)
            m = sample_size
        else:
            row[:m] = valid[:m]
        sizes[f] = m


@njit(cache=True, parallel=True)
def _edges_from_samples(samples, sizes, n_bins, out_edges, out_counts):
    """`_edges_from_sorted` of every feature's sorted sample samples[f, :sizes[f]]."""
    for f in prange(samples.shape[0]):
        out_counts[f] = _edges_from_sorted(samples[f, : sizes[f]], n_bins, out_edges[f])
