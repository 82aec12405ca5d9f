"""Columns at the door: every characteristic is read, validated and coded here, once.

OptimalBinner, BinningProcess and the IV report (`prebinning`) all turn user data into the
engine's inputs through these functions: a float64 matrix of the numeric characteristics (NaN
= missing), integer codes of the categorical ones (-1 = missing, categories sorted as text),
and their special values. Errors name the column and say what to do.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from scorecard.exceptions import InputError
from scorecard.options import CATEGORICAL, NUMERIC
from scorecard.validation import category_text, category_text_codes

_MIXED_TYPES = ("mixed", "mixed-integer")


class BinningWarning(UserWarning):
    """Binning went ahead with documented behaviour the user should know about."""


# ---------------------------------------------------------------------------------------------
# Inputs as a whole
# ---------------------------------------------------------------------------------------------


def reject_unsupported(data: object, what: str) -> None:
    """InputError for inputs no binner takes: None, sparse matrices, complex numbers."""
    if data is None:
        raise InputError(f"{what} is None; pass the data to bin.")
    if type(data).__module__.startswith("scipy.sparse"):  # without importing scipy.sparse
        raise InputError(
            f"{what} is a sparse matrix: sparse input is not supported; pass a dense array or a "
            "DataFrame (binning needs every value, zeros included)."
        )
    dtype = getattr(data, "dtype", None)
    if dtype is not None and getattr(dtype, "kind", None) == "c":
        raise InputError(f"Complex data not supported: {what} must hold real numbers or text.")


def check_target_given(y: object, owner: str) -> None:
    if y is None:
        raise InputError(
            f"{owner} requires y to be passed, but the target y is None: pass the binary target "
            "(1 = bad)."
        )


def as_target_array(y: object) -> object:
    """y as something `binary_target` reads: Series and arrays as they are, else np.asarray."""
    return y if isinstance(y, (pd.Series, np.ndarray)) else np.asarray(y)


def input_frame(X: object, what: str = "X") -> tuple[pd.DataFrame, list[str], bool]:
    """X as a DataFrame with string column names; also the names and whether X had them."""
    reject_unsupported(X, what)
    if isinstance(X, pd.DataFrame):
        named = all(isinstance(c, str) for c in X.columns)
        names = [str(c) for c in X.columns] if named else [f"x{i}" for i in range(X.shape[1])]
        if len(set(names)) != len(names):
            duplicated = sorted({n for n in names if names.count(n) > 1})
            raise InputError(f"{what} has duplicated column names {duplicated}; make them unique.")
        return (X if named else X.set_axis(names, axis=1)), names, named
    arr = np.asarray(X)
    if arr.dtype.kind == "c":
        raise InputError(f"Complex data not supported: {what} must hold real numbers or text.")
    if arr.ndim != 2:
        raise InputError(
            f"{what} must be 2-D (rows x characteristics); got shape {arr.shape}. Reshape your "
            "data with X.reshape(-1, 1) for one characteristic or X.reshape(1, -1) for one row."
        )
    names = [f"x{i}" for i in range(arr.shape[1])]
    return pd.DataFrame(arr, columns=names, copy=False), names, False


def require_features(names: Sequence[str], n_rows: int) -> None:
    if not names:
        raise InputError(
            f"X has 0 feature(s) (shape=({n_rows}, 0)) while a minimum of 1 is required: "
            "there is nothing to bin."
        )


def column_series(x: object, what: str = "x") -> pd.Series:
    """One characteristic as a Series: a Series, a 1-D array-like, or a single-column 2-D one."""
    reject_unsupported(x, what)
    if isinstance(x, pd.Series):
        return x
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise InputError(
                f"{what} must be one characteristic; got a DataFrame with {x.shape[1]} columns. "
                "Use BinningProcess for several."
            )
        return x.iloc[:, 0]
    arr = np.asarray(x)
    if arr.dtype.kind == "c":
        raise InputError(f"Complex data not supported: {what} must hold real numbers or text.")
    if arr.ndim == 2 and arr.shape[1] == 0:
        raise InputError(
            f"{what} has 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required."
        )
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise InputError(
            f"{what} must be one characteristic (1-D, or 2-D with one column); got shape "
            f"{arr.shape}. Use BinningProcess for several."
        )
    return pd.Series(arr)


# ---------------------------------------------------------------------------------------------
# Kinds, values and codes
# ---------------------------------------------------------------------------------------------


def characteristic_kind(series: pd.Series) -> str:
    """Numeric for real or integer dtypes, categorical for strings, categories and booleans."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return CATEGORICAL
    return NUMERIC


def resolve_kind(series: pd.Series, dtype: str) -> str:
    return characteristic_kind(series) if dtype == "auto" else dtype


def numeric_values(series: pd.Series, name: str, *, fitted: bool = False) -> np.ndarray:
    """float64 values of a numeric characteristic (NaN = missing); InputError naming the column."""
    dtype = series.dtype
    if dtype == np.float64:
        return series.to_numpy()
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    converted = pd.to_numeric(series.astype(object), errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        example = series[bad].iloc[0]
        when = "was numeric when fitted but" if fitted else "is binned as numeric but"
        raise InputError(
            f"column {name!r} {when} holds non-numeric values such as {example!r} (dtype "
            f"{dtype}). Pass numbers (NaN for missing), or bin it as categorical."
        )
    return converted.to_numpy(dtype=np.float64, na_value=np.nan)


def numeric_matrix(frame: pd.DataFrame, columns: Sequence[str], *, fitted: bool) -> np.ndarray:
    """float64 (n_rows, len(columns)); a view of the frame when its columns are one float block."""
    if not columns:
        return np.empty((len(frame), 0))
    if all(frame[c].dtype == np.float64 for c in columns):
        return frame[list(columns)].to_numpy(dtype=np.float64)
    matrix = np.empty((len(frame), len(columns)), dtype=np.float64, order="F")
    for j, c in enumerate(columns):
        matrix[:, j] = numeric_values(frame[c], c, fitted=fitted)
    return matrix


def numeric_specials(values: Sequence[Any], name: str) -> tuple[float, ...]:
    """Special values of a numeric characteristic as distinct floats (never NaN)."""
    try:
        specials = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        raise InputError(
            f"column {name!r}: special_values={list(values)!r} must be numbers for a numeric "
            "characteristic."
        ) from None
    if any(math.isnan(v) for v in specials):
        raise InputError(f"column {name!r}: special_values contains NaN; NaN is the missing bin.")
    if len(set(specials)) != len(specials):
        raise InputError(f"column {name!r}: special_values lists a value twice.")
    return specials


def category_specials(values: Sequence[Any]) -> tuple[str, ...]:
    """Special values of a categorical characteristic as category texts (as `category_text`)."""
    if not len(values):
        return ()
    return tuple(str(v) for v in category_text(pd.Series(list(values))))


def encode_categories(series: pd.Series) -> tuple[np.ndarray, tuple[str, ...]]:
    """Codes (-1 = missing) and the category texts of a categorical characteristic, sorted as
    text (mixed types allowed)."""
    codes, texts = category_text_codes(series)
    seen = np.ones(texts.size, dtype=bool)
    if isinstance(series.dtype, pd.CategoricalDtype):  # unused levels are not categories seen
        seen[:] = False
        seen[codes[codes >= 0]] = True
    kept = np.flatnonzero(seen)
    order = kept[np.argsort(texts[kept].astype(str), kind="stable")]
    rank = np.full(texts.size + 1, -1, dtype=np.int64)  # the last entry: missing stays -1
    rank[order] = np.arange(order.size)
    return rank[codes], tuple(str(texts[i]) for i in order)


def category_codes(
    frame: pd.DataFrame, columns: Sequence[str]
) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Codes of categorical columns as one (n_rows, len(columns)) int64 matrix, and each
    column's categories."""
    codes = np.empty((len(frame), len(columns)), dtype=np.int64, order="F")
    categories = []
    for j, c in enumerate(columns):
        codes[:, j], cats = encode_categories(frame[c])
        categories.append(cats)
    return codes, categories


# ---------------------------------------------------------------------------------------------
# Warnings about the data
# ---------------------------------------------------------------------------------------------


def has_mixed_types(series: pd.Series) -> bool:
    """True for an object column that mixes text with numbers or other types."""
    return series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) in _MIXED_TYPES


def warn_mixed(name: str) -> None:
    warnings.warn(
        f"column {name!r} mixes types (e.g. text and numbers); it is binned as categorical text, "
        "so 1 and '1' are the same category. Clean the column to silence this warning.",
        BinningWarning,
        stacklevel=4,
    )


def warn_infinite(names: Sequence[str]) -> None:
    warnings.warn(
        f"column(s) {', '.join(map(repr, names))} contain infinite values: -inf goes to the first "
        "bin and +inf to the last. Declare them as special values to give them their own bins.",
        BinningWarning,
        stacklevel=4,
    )
