"""Map values to a per-bin value (WoE, bin index, points) in one fused, parallel pass.

`map_numeric` and `map_codes` assign every value to its bin with the engine's bin layout (see
:mod:`scorecard.engine`) and write ``values[bin]`` for it, without materialising the bin
indices. This is the transform of a fitted binning: ``values`` is the WoE per bin (or the bin
index as a float, or scorecard points). Both validate their input and raise InputError naming
the parameter. Their plain-numpy twins are `scorecard.engine.reference.map_numeric` and
`map_codes`; `sum_numeric` adds a row's mapped values up (a score from points), twin
`scorecard.engine.reference.sum_numeric`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scorecard.engine import _kernels as K
from scorecard.engine import _map_kernels as MK
from scorecard.engine import reference
from scorecard.engine._inputs import (
    as_float_array,
    categorical_inputs,
    check_codes_in_range,
    flat_with_order,
    numeric_inputs,
    per_feature,
)
from scorecard.exceptions import InputError

__all__ = ["map_codes", "map_numeric", "sum_numeric"]

# Mapping is not a reduction, so chunks need not be reproducible; a few more than the cores
# balance the load.
_MIN_CHUNK_ROWS = 16_384
_MAX_CHUNKS = 64


def _n_chunks(n_rows: int) -> int:
    return int(min(_MAX_CHUNKS, max(1, n_rows // _MIN_CHUNK_ROWS)))


def _check_values(values: object, name: str, n_bins: int | None) -> np.ndarray:
    arr = np.ascontiguousarray(as_float_array(values, name, 1))
    if n_bins is not None and arr.shape[0] != n_bins:
        raise InputError(f"{name} has {arr.shape[0]} values but the feature has {n_bins} bins.")
    return arr


def _map_numeric(
    X: object,
    edges_list: Sequence[object],
    values_list: Sequence[object],
    special_values: Sequence[Sequence[float]] | None,
    summed: bool,
    out: np.ndarray | None = None,
) -> np.ndarray:
    X, edges, specials = numeric_inputs(X, edges_list, special_values, edges_name="edges_list")
    n_rows, n_features = X.shape
    shape = (n_rows, 1) if summed else (n_rows, n_features)
    if out is None:
        out = (np.zeros if summed else np.empty)(shape, dtype=np.float64, order="F")
    elif not (isinstance(out, np.ndarray) and out.dtype in (np.float64, np.int64)
              and out.flags.writeable and out.shape == shape):
        raise InputError(f"out must be a writeable float64 or int64 array of shape {shape}.")
    values = [
        _check_values(v, f"values_list[{f}]", e.shape[0] + 2 + s.shape[0])
        for f, (v, e, s) in enumerate(zip(per_feature(values_list, n_features, "values_list"),
                                          edges, specials))
    ]
    if out.dtype == np.int64:
        if not all(np.array_equal(v, np.round(v)) and np.abs(v).max(initial=0) < 2.0**53
                   for v in values):
            raise InputError("values_list must hold whole numbers for an int64 out.")
    if n_rows == 0 or n_features == 0:
        return out
    padded, edge_offsets, n_edges = K.pack_edges(edges)
    special_flat, special_offsets = K.pack_arrays(specials, np.float64)
    value_flat, value_offsets = K.pack_arrays(values, out.dtype)
    x_flat, f_order = flat_with_order(X)
    MK._map_numeric(
        x_flat, n_rows, n_features, f_order, padded, edge_offsets, n_edges, special_flat,
        special_offsets, value_flat, value_offsets, _n_chunks(n_rows), summed, out,
    )
    return out


def map_numeric(
    X: object,
    edges_list: Sequence[object],
    values_list: Sequence[object],
    special_values: Sequence[Sequence[float]] | None = None,
    *,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """``values_list[f][bin]`` for every value of every numeric column: (n_rows, n_features).

    X: float array (n_rows, n_features), C or F order. edges_list[f]: strictly increasing interior
    edges; special_values: None or one sequence per feature; values_list[f]: one float per bin of
    feature f, i.e. len(edges_list[f]) + 2 + n_specials (numeric bins, missing, specials).
    Returns a float64 array in Fortran order (each column contiguous, ready for a DataFrame), or
    writes into `out` (float64, that shape, e.g. one column ``big[:, j:j + 1]`` of a larger
    output) and returns it; an int64 `out` (whole-number values, e.g. bin indices) is written
    without a float copy.
    """
    return _map_numeric(X, edges_list, values_list, special_values, summed=False, out=out)


def sum_numeric(
    X: object,
    edges_list: Sequence[object],
    values_list: Sequence[object],
    special_values: Sequence[Sequence[float]] | None = None,
    *,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Row sums of `map_numeric` (features added in order), without the (rows x features) matrix:
    float64 (n_rows,). A score is the sum of its characteristics' points; whole-number values sum
    exactly (below 2**53). Given `out` (float64 (n_rows,)), the sums are added to it, in the
    same order of additions as one call over all the features."""
    if out is not None:
        out = out.reshape(-1, 1) if isinstance(out, np.ndarray) and out.ndim == 1 else out
        if not (isinstance(out, np.ndarray) and out.dtype == np.float64):
            raise InputError("out must be a writeable float64 array with one value per row.")
    return _map_numeric(X, edges_list, values_list, special_values, summed=True, out=out)[:, 0]


def map_codes(
    C: object,
    code_to_bin_list: Sequence[object],
    missing_bins: Sequence[int],
    values_list: Sequence[object],
) -> np.ndarray:
    """``values_list[f][bin]`` for every categorical code: (n_rows, n_features) float64, F order.

    C: integer codes (n_rows, n_features), -1 = missing. code_to_bin_list[f] maps code c of
    feature f to its bin and missing_bins[f] is the bin of code -1 (the engine's layout);
    values_list[f] has one float per bin of feature f.
    """
    C, maps, missing = categorical_inputs(C, code_to_bin_list, missing_bins)
    n_rows, n_features = C.shape
    values = [
        _check_values(v, f"values_list[{f}]", None)
        for f, v in enumerate(per_feature(values_list, n_features, "values_list"))
    ]
    for f, (m, mb, v) in enumerate(zip(maps, missing, values)):
        needed = max(int(m.max()) + 1 if m.size else 0, mb + 1)
        if v.shape[0] < needed:
            raise InputError(
                f"values_list[{f}] has {v.shape[0]} values but code_to_bin_list[{f}] / "
                f"missing_bins[{f}] use bin {needed - 1}."
            )
    out = np.empty((n_rows, n_features), dtype=np.float64, order="F")
    if n_rows == 0 or n_features == 0:
        return out
    lows, highs = C.min(axis=0), C.max(axis=0)
    for f, m in enumerate(maps):
        if lows[f] < -1 or highs[f] >= m.shape[0]:
            check_codes_in_range(C[:, f], m.shape[0], f"C[:, {f}]")
    lookup, map_offsets = K.pack_arrays(maps, np.int64)
    value_flat, value_offsets = K.pack_arrays(values, np.float64)
    row_major = bool(C.flags.c_contiguous and not C.flags.f_contiguous)
    MK._map_codes(
        C, row_major, lookup, map_offsets, np.asarray(missing, dtype=np.int64), value_flat,
        value_offsets, _n_chunks(n_rows), out,
    )
    return out


# Deprecated aliases: the twins live in `scorecard.engine.reference` with the other twins.
map_numeric_reference = reference.map_numeric
map_codes_reference = reference.map_codes
