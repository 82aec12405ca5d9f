"""The training data's sha256, computed from its column buffers (a spec records it as provenance).

Hashing the columns' memory directly costs about one read of the data; the text of a CSV file
(the earlier method) cost twenty times the model fit on a million rows. `DATA_HASH_METHOD` is
the recipe a spec records, so anyone holding the same rows can reproduce the digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np
import pandas as pd

from scorecard.validation import category_text_codes

__all__ = ["DATA_HASH_METHOD", "columns_hash_parts", "columns_sha256", "sha256_of"]

DATA_HASH_METHOD = (
    "columns-v1: sha256 over the training columns X followed by the target column; per column its "
    "name in UTF-8 and a NUL byte, then for numbers and booleans b'N' and the values as float64 "
    "little-endian (missing as the NaN 0x7ff8000000000000), for any other column b'T', the number "
    "of distinct category texts as int64 little-endian, each text in UTF-8 followed by a NUL byte "
    "(in order of first appearance; whole floats written as integers), and one int64 "
    "little-endian code per row into those texts (-1 = missing)"
)

_NAN = np.float64(np.nan)
_NAN_BITS = np.uint64(0x7FF8000000000000)


def _first_appearance(codes: np.ndarray, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and texts renumbered in order of the texts' first appearance (unused ones dropped)."""
    renumbered, first = pd.factorize(codes)
    used = first >= 0
    new = np.full(first.size, -1, dtype=np.int64)
    new[used] = np.arange(int(used.sum()))
    return new[renumbered], texts[first[used]]


def _column_parts(name: str, series: pd.Series) -> list:
    """The buffers `DATA_HASH_METHOD` hashes for one column, in order."""
    parts: list = [name.encode("utf-8") + b"\0"]
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        values = (series.to_numpy() if dtype == np.float64  # the frame's buffer, no copy
                  else series.to_numpy(dtype=np.float64, na_value=np.nan))
        missing = np.isnan(values)
        if missing.any() and np.any(values.view(np.uint64)[missing] != _NAN_BITS):
            values = np.where(missing, _NAN, values)  # one bit pattern for every NaN
        return [*parts, b"N", np.ascontiguousarray(values, dtype="<f8")]
    codes, texts = category_text_codes(series)
    if isinstance(series.dtype, pd.CategoricalDtype):  # texts in category order: reorder
        codes, texts = _first_appearance(codes, texts)
    return [*parts, b"T", np.int64(len(texts)).astype("<i8").tobytes(),
            b"".join(str(t).encode("utf-8") + b"\0" for t in texts),
            np.ascontiguousarray(codes, dtype="<i8")]


def columns_hash_parts(columns: Iterable[tuple[str, pd.Series]]) -> list:
    """Every buffer `columns_sha256` hashes, in order: read from the columns here, so that
    `sha256_of` can run in another thread doing nothing but hashing (which releases the GIL)."""
    return [part for name, series in columns for part in _column_parts(str(name), series)]


def sha256_of(parts: Iterable) -> str:
    """sha256 hex digest of the buffers in order."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def columns_sha256(columns: Iterable[tuple[str, pd.Series]]) -> str:
    """sha256 of (name, column) pairs by `DATA_HASH_METHOD`, in the order given."""
    return sha256_of(columns_hash_parts(columns))
