"""Input checks of the engine's entry points: arrays in the kernels' dtypes and layout, or
InputError naming the parameter (no numba traceback ever reaches the user)."""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from scorecard.exceptions import InputError
from scorecard.validation import check_weights


def check_int(value: object, name: str, *, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(f"{name} must be an integer; got {value!r}.")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and <= {maximum}" if maximum is not None else ""
        raise InputError(f"{name} must be >= {minimum}{upper}; got {value}.")
    return value


def as_float_array(values: object, name: str, ndim: int) -> np.ndarray:
    """values as a float64 array of the given number of dimensions (no copy when possible)."""
    try:
        arr = np.asarray(values)
        if arr.dtype.kind == "c":
            raise TypeError("complex")
        if arr.dtype != np.float64:
            arr = arr.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must hold real numbers; could not convert it ({exc}).") from None
    if arr.ndim != ndim:
        hint = " Reshape a single column with x.reshape(-1, 1)." if ndim == 2 else ""
        raise InputError(f"{name} must be {ndim}-D; got an array of shape {arr.shape}.{hint}")
    return arr


def as_int_array(values: object, name: str, ndim: int) -> np.ndarray:
    """values as an int32 or int64 array; other integer types are widened to int64."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu":
        raise InputError(f"{name} must hold integers; got dtype {arr.dtype}.")
    if arr.ndim != ndim:
        raise InputError(f"{name} must be {ndim}-D; got an array of shape {arr.shape}.")
    if arr.dtype not in (np.int32, np.int64):
        if arr.dtype == np.uint64 and arr.size and arr.max() > np.iinfo(np.int64).max:
            raise InputError(f"{name} has values too large for int64.")
        arr = arr.astype(np.int64)
    return arr


def flat_with_order(X: np.ndarray) -> tuple[np.ndarray, bool]:
    """A 1-D view of X in its memory order and whether that order is column-major."""
    if X.flags.f_contiguous:
        return X.ravel(order="F"), True
    if X.flags.c_contiguous:
        return X.ravel(order="C"), False
    return np.asfortranarray(X).ravel(order="F"), True


def check_label(label: object, n_rows: int) -> np.ndarray:
    """label as contiguous int8 of 0/1 with one value per row."""
    arr = np.asarray(label)
    if arr.ndim != 1:
        raise InputError(f"label must be 1-D; got an array of shape {arr.shape}.")
    if arr.shape[0] != n_rows:
        raise InputError(f"label has {arr.shape[0]} values but the data has {n_rows} rows.")
    if arr.dtype == np.bool_:
        return np.ascontiguousarray(arr).view(np.int8)
    if arr.dtype.kind not in "iuf":
        raise InputError(f"label must be 0/1 (or boolean); got dtype {arr.dtype}.")
    if arr.size and not np.all((arr == 0) | (arr == 1)):
        bad = arr[~((arr == 0) | (arr == 1))][:3]
        raise InputError(
            f"label must contain only 0 and 1; found {', '.join(map(repr, bad.tolist()))}. "
            "Encode the event (bad) as 1 and the non-event (good) as 0."
        )
    return np.ascontiguousarray(arr, dtype=np.int8)


def engine_weights(weights: object, n_rows: int) -> np.ndarray | None:
    w = check_weights(weights, n_rows, name="weights")
    return None if w is None else np.ascontiguousarray(w)


def check_edges(edges: object, name: str) -> np.ndarray:
    """Interior edges as a contiguous float64 array: 1-D, no NaN, strictly increasing."""
    arr = np.ascontiguousarray(as_float_array(edges, name, 1))
    if np.isnan(arr).any():
        raise InputError(
            f"{name} contains NaN; edges must be real numbers (missing has its own bin)."
        )
    if arr.size > 1:
        not_increasing = ~(arr[1:] > arr[:-1])
        if not_increasing.any():
            i = int(np.argmax(not_increasing))
            raise InputError(
                f"{name} must be strictly increasing; edge {i + 1} ({arr[i + 1]!r}) is not "
                f"greater than edge {i} ({arr[i]!r})."
            )
    return arr


def check_specials(values: object, name: str) -> np.ndarray:
    """Special values as a float64 array: no NaN, no duplicates."""
    if values is None:
        return np.empty(0)
    if np.isscalar(values):
        raise InputError(f"{name} must be a sequence of numbers, e.g. (-999.0,); got {values!r}.")
    arr = np.ascontiguousarray(as_float_array(values, name, 1))
    if np.isnan(arr).any():
        raise InputError(f"{name} contains NaN; NaN always goes to the missing bin.")
    if np.unique(arr).size != arr.size:
        raise InputError(
            f"{name} has duplicate values {arr.tolist()}; list each special value once."
        )
    return arr


def per_feature(values: object, n_features: int, name: str) -> list:
    """values (a list, tuple or array with one entry per feature) as a list; None -> Nones."""
    if values is None:
        return [None] * n_features
    if isinstance(values, np.ndarray):
        is_list = values.ndim >= 1
    else:
        is_list = isinstance(values, Sequence) and not isinstance(values, (str, bytes))
    if not is_list:
        raise InputError(
            f"{name} must be a list with one entry per feature; got {type(values).__name__}."
        )
    if len(values) != n_features:
        raise InputError(f"{name} has {len(values)} entries but there are {n_features} features.")
    return list(values)


def numeric_inputs(
    X: object, edges: object, special_values: object, *, edges_name: str
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Validate a numeric matrix with its per-feature edges and special values."""
    X = as_float_array(X, "X", 2)
    n_features = X.shape[1]
    given = per_feature(edges, n_features, edges_name)
    if any(e is None for e in given):
        raise InputError(f"{edges_name} must give an array (possibly empty) for every feature.")
    checked = [check_edges(e, f"{edges_name}[{f}]") for f, e in enumerate(given)]
    specials = [
        check_specials(s, f"special_values[{f}]")
        for f, s in enumerate(per_feature(special_values, n_features, "special_values"))
    ]
    return X, checked, specials


def categorical_inputs(
    C: object, code_to_bin_list: object, missing_bins: object
) -> tuple[np.ndarray, list[np.ndarray], list[int]]:
    """Validate a code matrix with its per-feature code-to-bin maps and missing bins."""
    C = as_int_array(C, "C", 2)
    n_features = C.shape[1]
    maps = [
        check_code_map(m, f"code_to_bin_list[{f}]")
        for f, m in enumerate(per_feature(code_to_bin_list, n_features, "code_to_bin_list"))
    ]
    missing = [
        check_int(m, f"missing_bins[{f}]", minimum=0)
        for f, m in enumerate(per_feature(missing_bins, n_features, "missing_bins"))
    ]
    return C, maps, missing


def check_code_map(code_to_bin: object, name: str) -> np.ndarray:
    lookup = np.ascontiguousarray(as_int_array(code_to_bin, name, 1), dtype=np.int64)
    if lookup.size and lookup.min() < 0:
        raise InputError(f"{name} maps a code to a negative bin; bins are numbered from 0.")
    return lookup


def check_codes_in_range(codes: np.ndarray, n_codes: int, name: str) -> None:
    if codes.size == 0:
        return
    low, high = int(codes.min()), int(codes.max())
    if low < -1 or high >= n_codes:
        bad = low if low < -1 else high
        raise InputError(
            f"{name} has code {bad}, outside [-1, {n_codes}): codes must index code_to_bin, "
            "with -1 for missing. Map unseen categories to a known code first."
        )
