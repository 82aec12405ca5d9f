"""Factorize text straight from its Arrow buffers: integer codes per row, no Python string each.

`factorize_utf8` codes UTF-8 values given as Arrow's offsets and data bytes (and its validity
bitmap) in parallel; `factorize_arrow` does it for a pyarrow string array, as pandas'
pyarrow-backed ``str`` columns hold them. `code_utf8` / `code_arrow` stop before writing the
codes: their `CodedText` maps each row straight to a value per distinct text (`take`, e.g. a
transform's WoE) with the rows' counts per text, without an intermediate array of codes. Codes number the distinct texts from 0 in order of
first appearance (-1 = null), exactly as `pandas.factorize`. Plain-numpy twin:
`scorecard.engine.reference.factorize_utf8`.
"""

from __future__ import annotations

import numpy as np

from scorecard.engine import _text_kernels as TK
from scorecard.exceptions import InputError

__all__ = ["CodedText", "code_arrow", "code_utf8", "factorize_arrow", "factorize_utf8", "is_arrow_text"]

_MIN_CHUNK_ROWS = 65_536
_MAX_CHUNKS = 64
_ALL_VALID = np.frombuffer(b"\xff", dtype=np.uint8)


def _readonly(arr: np.ndarray) -> np.ndarray:
    """Read-only, as buffers from Arrow are: one compiled version of the kernel for both."""
    if arr.flags.writeable:
        arr = arr.view()
        arr.flags.writeable = False
    return arr


class CodedText:
    """A text column factorized in chunks (`code_utf8`, `code_arrow`): ``first`` (the first row of
    each distinct value, in order of first appearance), ``counts`` (rows per distinct value),
    and the rows' codes, written out by `codes` or mapped to one value per code by `take`."""

    def __init__(self, local: np.ndarray, n_chunks: int, starts: np.ndarray,
                 merged: np.ndarray, first: np.ndarray, local_counts: np.ndarray) -> None:
        self._local, self._n_chunks, self._starts, self._merged = local, n_chunks, starts, merged
        self.first = first
        self.counts = np.bincount(merged, weights=local_counts[: merged.size],
                                  minlength=first.size).astype(np.int64)
        self.uniques: object = None  # the distinct values themselves, if the caller has them

    def codes(self) -> np.ndarray:
        """int64 code of every row (-1 = null)."""
        return self.take(np.arange(self.first.size, dtype=np.int64), -1)

    def take(self, per_code: np.ndarray, missing: float | int,
             out: np.ndarray | None = None) -> np.ndarray:
        """``per_code[code]`` of every row (`missing` for nulls), in one pass (into `out`)."""
        per_code = np.ascontiguousarray(per_code)
        if per_code.ndim != 1 or per_code.shape[0] != self.first.size:
            raise InputError(f"per_code must have one value per distinct text ({self.first.size}).")
        if out is None:
            out = np.empty(self._local.shape[0], dtype=per_code.dtype)
        elif out.shape != self._local.shape or out.dtype != per_code.dtype:
            raise InputError(f"out must be a 1-D {per_code.dtype} array with a value per row.")
        TK._take_coded(self._local, self._n_chunks, self._starts, self._merged, per_code,
                       per_code.dtype.type(missing), out)
        return out


def factorize_utf8(
    offsets: object, data: object, validity: object = None, bit_offset: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(codes, first): int64 code of every value (-1 = null) and the index of each distinct
    value's first row, in code order.

    Value i is ``data[offsets[i]:offsets[i + 1]]`` (offsets: n + 1 non-decreasing integers);
    `validity` is Arrow's bitmap (bit ``bit_offset + i`` set = valid; None = all valid).
    Values are compared as bytes.
    """
    coded = code_utf8(offsets, data, validity, bit_offset)
    return coded.codes(), coded.first


def code_utf8(offsets: object, data: object, validity: object = None,
              bit_offset: int = 0) -> CodedText:
    """`factorize_utf8` as a `CodedText` (codes not yet written out)."""
    offsets = np.asarray(offsets)
    data = np.asarray(data)
    if offsets.ndim != 1 or offsets.shape[0] < 1 or offsets.dtype.kind not in "iu":
        raise InputError("offsets must be a 1-D integer array of n + 1 entries.")
    if data.ndim != 1 or data.dtype != np.uint8:
        raise InputError("data must be a 1-D uint8 array (the UTF-8 bytes).")
    n = offsets.shape[0] - 1
    if n and (offsets[0] < 0 or offsets[-1] > data.shape[0] or np.any(np.diff(offsets) < 0)):
        raise InputError("offsets must be non-decreasing and within the data bytes.")
    if validity is not None:
        validity = np.asarray(validity)
        if validity.dtype != np.uint8 or validity.ndim != 1 or \
                validity.shape[0] * 8 < bit_offset + n:
            raise InputError("validity must be a uint8 bitmap with a bit for every value.")
    return _code(offsets, data, validity, int(bit_offset))


def _code(offsets: np.ndarray, data: np.ndarray, validity: np.ndarray | None,
          bit_offset: int) -> CodedText:
    """`code_utf8` on checked buffers."""
    n = offsets.shape[0] - 1
    local = np.empty(n, dtype=np.int32)
    counts = np.zeros(max(n, 1), dtype=np.int64)
    n_chunks = int(min(_MAX_CHUNKS, max(1, n // _MIN_CHUNK_ROWS)))
    starts, merged, first = TK._factorize_chunks(
        _readonly(np.ascontiguousarray(offsets, dtype=np.int64)), _readonly(data),
        _readonly(_ALL_VALID if validity is None else validity), bit_offset,
        validity is not None, n_chunks, local, counts,
    )
    return CodedText(local, n_chunks, starts, merged, first, counts)


def is_arrow_text(values: object) -> bool:
    """Whether `values` is a pyarrow (chunked) array of string or large_string."""
    import pyarrow as pa

    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        return False
    return pa.types.is_string(values.type) or pa.types.is_large_string(values.type)


def code_arrow(values: object) -> CodedText:
    """A pyarrow string array as a `CodedText`; its ``uniques`` are the distinct values as a
    pyarrow array in order of first appearance (`pandas.factorize`'s order)."""
    import pyarrow as pa

    if not is_arrow_text(values):
        raise InputError("values must be a pyarrow array of string or large_string.")
    array = values
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    if len(array) == 0:
        coded = _code(np.zeros(1, dtype=np.int64), np.empty(0, np.uint8), None, 0)
        coded.uniques = array
        return coded
    validity, offsets, data = array.buffers()
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(offsets, dtype=width)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, np.uint8)
    bitmap = None
    if validity is not None and array.null_count:
        bitmap = np.frombuffer(validity, dtype=np.uint8)
    coded = _code(offsets, data, bitmap, array.offset)
    coded.uniques = array.take(pa.array(coded.first))
    return coded


def factorize_arrow(values: object) -> tuple[np.ndarray, object]:
    """(codes, uniques) of a pyarrow string array: int64 codes (-1 = null) and the distinct
    values as a pyarrow array in order of first appearance (`pandas.factorize`'s order)."""
    coded = code_arrow(values)
    return coded.codes(), coded.uniques
