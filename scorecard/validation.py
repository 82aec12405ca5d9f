"""Input validation at the door: turn user data into clean arrays or raise InputError."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd

from scorecard.exceptions import InputError

BAD_LABELS = frozenset({"bad", "default", "defaulted", "event", "1", "yes", "y", "true"})


def _describe(values: Sequence[object]) -> str:
    """Up to five values as Python literals (numpy scalars shown as plain numbers)."""
    return ", ".join(repr(v.item() if isinstance(v, np.generic) else v) for v in list(values)[:5])


def binary_target(values: object, *, name: str = "target", bad_value: object = None) -> np.ndarray:
    """Return the target as int8 with 1 = bad (event), 0 = good.

    Which value is bad: `bad_value` when given; otherwise True for booleans, the larger of two
    numbers (0/1 -> 1, German credit's 1/2 -> 2), or the string among BAD_LABELS.
    """
    series = pd.Series(values) if not isinstance(values, pd.Series) else values
    if len(series) == 0:
        raise InputError(f"target column {name!r} is empty: there are no rows to learn from.")
    n_missing = int(series.isna().sum())
    if n_missing:
        raise InputError(
            f"target column {name!r} has {n_missing} missing value(s); drop or fill those rows first."
        )
    distinct = pd.unique(series)
    if len(distinct) > 2:
        raise InputError(
            f"target column {name!r} is not binary: it has {len(distinct)} distinct values "
            f"({_describe(sorted(distinct, key=str))} ...). Pass a column with exactly two values."
        )
    if bad_value is not None:
        matches = [v for v in distinct if v == bad_value or str(v) == str(bad_value)]
        if not matches:
            raise InputError(
                f"bad value {bad_value!r} does not occur in target column {name!r} "
                f"(values: {_describe(distinct)})."
            )
        bad = matches[0]
    elif len(distinct) < 2:
        bad = None
    elif series.dtype == bool:
        bad = True
    elif pd.api.types.is_numeric_dtype(series.dtype):
        bad = max(distinct)
    else:
        labelled = [v for v in distinct if str(v).strip().lower() in BAD_LABELS]
        if len(labelled) != 1:
            raise InputError(
                f"cannot tell which value of target column {name!r} means 'bad' "
                f"(values: {_describe(distinct)}); pass the bad value explicitly (--bad-value)."
            )
        bad = labelled[0]
    if len(distinct) < 2:
        raise InputError(
            f"target column {name!r} has only one class ({_describe(distinct)}); "
            "both goods and bads are needed."
        )
    return (series.to_numpy() == bad).astype(np.int8)


def check_weights(weights: object, n_rows: int, *, name: str = "sample_weight") -> np.ndarray | None:
    """Return weights as float64, or None; reject wrong length, NaN, infinite or negative values."""
    if weights is None:
        return None
    w = np.asarray(weights, dtype=np.float64).ravel()
    if w.shape[0] != n_rows:
        raise InputError(f"{name} has {w.shape[0]} values but the data has {n_rows} rows.")
    if not np.all(np.isfinite(w)):
        raise InputError(f"{name} contains NaN or infinite values; weights must be finite.")
    if np.any(w < 0):
        raise InputError(f"{name} contains negative values; weights must be >= 0.")
    return w


def require_columns(frame: pd.DataFrame, columns: Sequence[str], *, what: str = "column") -> None:
    """Raise InputError listing the requested columns that the frame lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"{what} {', '.join(map(repr, missing))} not found; available columns: "
            f"{', '.join(map(str, list(frame.columns)[:20]))}."
        )


def value_text(value: object) -> str:
    """One value as category text: whole finite floats print as integers (1.0 -> "1").

    The single rule shared by binning, the spec scorer and every export, so a category means the
    same text everywhere.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 2.0**53:
        return str(int(value))
    return str(value)


def category_text(series: pd.Series) -> pd.Series:
    """A column as category text (missing stays missing), value by value as `value_text`."""
    dtype = series.dtype
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        text = series.astype("string")
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 2.0**53)
        if whole.any():
            text = text.copy()
            text[whole] = pd.array(values[whole].astype(np.int64).astype(str), dtype="string")
        return text
    if dtype == object:
        return series.map(lambda v: v if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                          else value_text(v)).astype("string")
    return series.astype("string")


_ONE_KIND = frozenset({"string", "empty", "boolean", "integer", "floating", "mixed-integer-float",
                       "decimal", "bytes"})


def category_text_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A column as integer codes of its category texts (-1 = missing) and those distinct texts.

    The same categories as `category_text` row by row, but the text rule runs on the distinct
    values only (pandas categorical codes, a parallel hashing pass over the Arrow buffers of a
    pyarrow-backed text column (`scorecard.engine.text`), or one factorize), so a column of a
    million rows costs one hashing pass. Texts are an object array in order of first appearance.
    Inside `coding_once` a column is coded once.
    """
    memo = _CODED.get()
    key, owner = _buffer_key(series) if memo is not None else (None, None)
    if key is None:
        return _text_codes(series)
    if key not in memo:
        memo[key] = (owner, *_text_codes(series))  # owner keeps the buffer (and its id) alive
    return memo[key][1], memo[key][2]


_CODED: ContextVar[dict | None] = ContextVar("coded_columns", default=None)


def coding_once_active() -> bool:
    """Whether this thread is inside `coding_once` (then `category_text_codes` remembers)."""
    return _CODED.get() is not None


@contextmanager
def coding_once() -> Iterator[None]:
    """Within the block, `category_text_codes` codes each column buffer once and hands the same
    codes (not to be modified) to every later call: a scorecard fit codes its text columns for
    the binning, the bins, the spec scorer and the data hash once. Per thread (a ContextVar)."""
    token = _CODED.set({})
    try:
        yield
    finally:
        _CODED.reset(token)


def _buffer_key(series: pd.Series) -> tuple[tuple | None, object]:
    """A key for the column's buffer (its identity and extent) and the object holding it; None
    for columns whose buffer is not reached without a copy (and categoricals: codes are free)."""
    if (arrow := arrow_text(series)) is not None:
        return ("arrow", id(arrow), len(arrow)), arrow
    if not isinstance(series.dtype, np.dtype):
        return None, None
    values = series.to_numpy()
    interface = values.__array_interface__
    return ("numpy", interface["data"][0], values.shape, values.strides, values.dtype.str), values


def _text_codes(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """`category_text_codes` without the memo."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        raw = np.asarray(series.cat.codes.to_numpy(), dtype=np.int64)
        uniques = pd.Series(series.cat.categories, dtype=series.cat.categories.dtype)
    elif (arrow := arrow_text(series)) is not None:
        from scorecard.engine.text import factorize_arrow  # numba: imported when needed

        raw, values = factorize_arrow(arrow)
        uniques = pd.Series(values.to_numpy(zero_copy_only=False), dtype=object)
    else:
        raw, values = pd.factorize(series, use_na_sentinel=True)
        if (series.dtype == object and pd.api.types.infer_dtype(values) != "string"
                and pd.api.types.infer_dtype(series) not in _ONE_KIND):
            # Hashing may merge equal values of different text (True == 1): text every row.
            raw, values = pd.factorize(category_text(series), use_na_sentinel=True)
        uniques = pd.Series(values)
    codes, texts = pd.factorize(category_text(uniques), use_na_sentinel=True)
    texts = np.asarray(texts, dtype=object)
    if np.array_equal(codes, np.arange(len(uniques))):  # the text rule merged nothing
        return raw, texts
    lookup = np.append(codes.astype(np.int64), -1)  # raw code -1 (missing) picks the last entry
    return lookup[raw], texts


def arrow_text(series: pd.Series) -> object:
    """The pyarrow array behind a pyarrow-backed text column (pandas' ``str``), else None."""
    dtype = series.dtype
    if not (isinstance(dtype, pd.ArrowDtype)
            or (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow")):
        return None
    from scorecard.engine.text import is_arrow_text

    values = series.array.__arrow_array__()
    return values if is_arrow_text(values) else None
