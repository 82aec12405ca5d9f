"""Plain-numpy twins of every engine kernel: obviously correct, slow; the specification the
kernels are tested against and the baseline the benchmarks time them against.

Each function takes already-validated inputs and returns what the function of the same name in
`scorecard.engine.api`, `scorecard.engine.mapping` or `scorecard.engine.text` returns.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def sample_indices(seed: int, size: int, n: int) -> np.ndarray:
    """Indices in [0, n) drawn with replacement by the kernels' SplitMix64 stream."""
    state = np.uint64(seed) + _GOLDEN * np.arange(1, size + 1, dtype=np.uint64)
    z = (state ^ (state >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z = z ^ (z >> np.uint64(31))
    return (z % np.uint64(n)).astype(np.int64)


def valid_values(x: np.ndarray, special_values: Sequence[float] = ()) -> np.ndarray:
    """Values that take part in quantiles: neither NaN nor a special value."""
    keep = ~np.isnan(x)
    if len(special_values):
        keep &= ~np.isin(x, np.asarray(special_values, dtype=np.float64))
    return x[keep]


def quantile_edges(
    x: np.ndarray,
    n_bins: int = 20,
    special_values: Sequence[float] = (),
    sample_size: int = 200_000,
    seed: int = 0,
) -> np.ndarray:
    """Interior equal-frequency edges with the engine's tie rules (see api.quantile_edges)."""
    values = valid_values(np.asarray(x, dtype=np.float64), special_values) + 0.0  # -0.0 -> 0.0
    if values.size > sample_size:
        values = values[sample_indices(seed, sample_size, values.size)]
    if values.size == 0:
        return np.empty(0)
    ordered = np.sort(values)
    distinct = np.unique(ordered)
    if distinct.size <= n_bins:
        return distinct[1:]
    ranks = (np.arange(1, n_bins, dtype=np.int64) * ordered.size) // n_bins
    at_ranks = ordered[ranks]
    run_end = np.searchsorted(ordered, at_ranks, side="right")
    run = run_end - np.searchsorted(ordered, at_ranks, side="left")
    heavy = (run >= 2) & (2 * n_bins * run >= ordered.size) & (run_end < ordered.size)
    candidates = np.unique(np.concatenate([at_ranks, ordered[run_end[heavy]]]))
    return candidates[candidates > ordered[0]]


def assign_numeric(
    x: np.ndarray, edges: np.ndarray, special_values: Sequence[float] = ()
) -> np.ndarray:
    """searchsorted for numeric bins, then the missing bin, then special-value bins."""
    x = np.asarray(x, dtype=np.float64)
    k = edges.size + 1
    bins = np.searchsorted(edges, x, side="right").astype(np.int64)
    bins[np.isnan(x)] = k
    for s, value in enumerate(special_values):
        bins[x == value] = k + 1 + s
    return bins


def assign_codes(codes: np.ndarray, code_to_bin: np.ndarray, missing_bin: int) -> np.ndarray:
    """Lookup of each code's bin; code -1 goes to missing_bin."""
    codes = np.asarray(codes, dtype=np.int64)
    lookup = np.asarray(code_to_bin, dtype=np.int64)
    safe = np.where(codes < 0, 0, codes)
    looked_up = lookup[safe] if lookup.size else np.zeros_like(codes)
    return np.where(codes < 0, missing_bin, looked_up).astype(np.int64)


def count_bins(
    bins: np.ndarray, n_bins: int, label: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """bincount of (bin, label) cells; int64 counts, or float64 weight sums."""
    cells = 2 * np.asarray(bins, dtype=np.int64) + np.asarray(label, dtype=np.int64)
    counts = np.bincount(cells, weights=weights, minlength=2 * n_bins)
    if weights is None:
        counts = counts.astype(np.int64)
    return counts.reshape(n_bins, 2)


def count_numeric(
    X: np.ndarray,
    edges: Sequence[np.ndarray],
    label: np.ndarray,
    special_values: Sequence[Sequence[float]] | None = None,
    weights: np.ndarray | None = None,
) -> list[np.ndarray]:
    """Per feature: assign with searchsorted, count with bincount."""
    specials = special_values or [()] * X.shape[1]
    return [
        count_bins(
            assign_numeric(X[:, f], edges[f], specials[f]),
            edges[f].size + 2 + len(specials[f]),
            label,
            weights,
        )
        for f in range(X.shape[1])
    ]


def count_codes(
    C: np.ndarray,
    code_to_bin_list: Sequence[np.ndarray],
    missing_bins: Sequence[int],
    label: np.ndarray,
    weights: np.ndarray | None = None,
    n_bins: Sequence[int] | None = None,
) -> list[np.ndarray]:
    """Per categorical column: lookup then bincount."""
    out = []
    for f in range(C.shape[1]):
        lookup = np.asarray(code_to_bin_list[f], dtype=np.int64)
        size = max(int(lookup.max()) + 1 if lookup.size else 0, int(missing_bins[f]) + 1)
        if n_bins is not None:
            size = int(n_bins[f])
        bins = assign_codes(C[:, f], lookup, int(missing_bins[f]))
        out.append(count_bins(bins, size, label, weights))
    return out




def map_numeric(
    X: np.ndarray,
    edges_list: Sequence[np.ndarray],
    values_list: Sequence[np.ndarray],
    special_values: Sequence[Sequence[float]] | None = None,
) -> np.ndarray:
    """searchsorted, then the missing and special bins, then a lookup in values."""
    X = np.asarray(X, dtype=np.float64)
    specials = special_values or [()] * X.shape[1]
    out = np.empty(X.shape, dtype=np.float64)
    for f in range(X.shape[1]):
        x = X[:, f]
        edges = np.asarray(edges_list[f], dtype=np.float64)
        bins = np.searchsorted(edges, x, side="right")
        bins[np.isnan(x)] = edges.size + 1
        for s, value in enumerate(specials[f]):
            bins[x == value] = edges.size + 2 + s
        out[:, f] = np.asarray(values_list[f], dtype=np.float64)[bins]
    return out


def sum_numeric(
    X: np.ndarray,
    edges_list: Sequence[np.ndarray],
    values_list: Sequence[np.ndarray],
    special_values: Sequence[Sequence[float]] | None = None,
) -> np.ndarray:
    """`map_numeric`'s columns added up one after another, from zero."""
    mapped = map_numeric(X, edges_list, values_list, special_values)
    total = np.zeros(mapped.shape[0], dtype=np.float64)
    for f in range(mapped.shape[1]):
        total += mapped[:, f]
    return total


def map_codes(
    C: np.ndarray,
    code_to_bin_list: Sequence[np.ndarray],
    missing_bins: Sequence[int],
    values_list: Sequence[np.ndarray],
) -> np.ndarray:
    """Lookup of each code's bin (code -1: the missing bin), then of the bin's value."""
    C = np.asarray(C, dtype=np.int64)
    out = np.empty(C.shape, dtype=np.float64)
    for f in range(C.shape[1]):
        lookup = np.append(np.asarray(code_to_bin_list[f], dtype=np.int64), missing_bins[f])
        out[:, f] = np.asarray(values_list[f], dtype=np.float64)[lookup[C[:, f]]]
    return out


def factorize_utf8(
    offsets: np.ndarray, data: np.ndarray, validity: np.ndarray | None = None,
    bit_offset: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Codes in order of first appearance (-1 = null) and each text's first row, via a dict of
    the values' bytes (`scorecard.engine.text.factorize_utf8`)."""
    n = len(offsets) - 1
    codes = np.empty(n, dtype=np.int64)
    seen: dict[bytes, int] = {}
    first: list[int] = []
    raw = bytes(np.asarray(data, dtype=np.uint8))
    for i in range(n):
        j = bit_offset + i
        if validity is not None and not (int(validity[j // 8]) >> (j % 8)) & 1:
            codes[i] = -1
            continue
        value = raw[int(offsets[i]) : int(offsets[i + 1])]
        if value not in seen:
            seen[value] = len(first)
            first.append(i)
        codes[i] = seen[value]
    return codes, np.asarray(first, dtype=np.int64)
