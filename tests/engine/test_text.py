"""The Arrow text factorizer: kernel against its plain-Python twin and pandas.factorize."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from scorecard.engine import reference, text
from scorecard.exceptions import InputError
from scorecard.validation import category_text_codes


def _values(n: int, seed: int, levels: int = 40) -> np.ndarray:
    """Short, exactly-7-byte, 8-byte, long, empty, non-ASCII texts and nulls."""
    rng = np.random.default_rng(seed)
    pool = np.array(["", "é", "Zürich", "a" * 7, "a" * 8, "b" * 8, "a long value with spaces",
                     "a long value with spaceS", "日本語"] + [f"L{i:03d}" for i in range(levels)],
                    dtype=object)
    values = pool[rng.integers(0, pool.size, n)]
    values[rng.random(n) < 0.05] = None
    return values


def _buffers(array: pa.Array):
    validity, offsets, data = array.buffers()
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offs = np.frombuffer(offsets, dtype=width)[array.offset : array.offset + len(array) + 1]
    bitmap = None if validity is None else np.frombuffer(validity, dtype=np.uint8)
    return offs, np.frombuffer(data, dtype=np.uint8), bitmap, array.offset


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
@pytest.mark.parametrize("n", [0, 1, 17, 70_000, 300_001])
def test_kernel_equals_twin(kind, n):
    array = pa.array(_values(n, seed=n), type=kind)
    got = text.factorize_utf8(*_buffers(array))
    want = reference.factorize_utf8(*_buffers(array))
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


@pytest.mark.parametrize("start, stop", [(0, 200_000), (3, 200_000), (131_075, 140_001)])
def test_sliced_and_chunked_arrays_match_pandas(start, stop):
    values = _values(200_000, seed=7)
    chunked = pa.chunked_array([pa.array(values[:90_001], type=pa.large_string()),
                                pa.array(values[90_001:], type=pa.large_string())])
    for series in (pd.Series(values, dtype="str").iloc[start:stop],
                   pd.Series(pd.arrays.ArrowStringArray(chunked)).iloc[start:stop],
                   pd.Series(values, dtype=pd.ArrowDtype(pa.string())).iloc[start:stop]):
        codes, texts = category_text_codes(series)
        want_codes, want_texts = pd.factorize(series.astype(object))
        assert np.array_equal(codes, want_codes)
        assert list(texts) == list(want_texts)


def test_many_distinct_values_grow_the_table():
    values = np.array([f"id-{i:07d}-{'x' * (i % 13)}" for i in range(150_000)], dtype=object)
    values = values[np.random.default_rng(0).permutation(values.size)]
    values[::11] = values[5]
    codes, uniques = text.factorize_arrow(pa.array(values))
    want_codes, want_uniques = pd.factorize(values)
    assert np.array_equal(codes, want_codes)
    assert uniques.to_pylist() == list(want_uniques)


def test_all_null_and_empty():
    codes, uniques = text.factorize_arrow(pa.array([None, None], type=pa.large_string()))
    assert codes.tolist() == [-1, -1] and len(uniques) == 0
    codes, uniques = text.factorize_arrow(pa.chunked_array([], type=pa.large_string()))
    assert codes.size == 0 and len(uniques) == 0


def test_bad_buffers_raise_input_error():
    data = np.frombuffer(b"abc", dtype=np.uint8)
    with pytest.raises(InputError, match="offsets"):
        text.factorize_utf8(np.array([0, 2, 1]), data)
    with pytest.raises(InputError, match="offsets"):
        text.factorize_utf8(np.array([0, 4]), data)
    with pytest.raises(InputError, match="data"):
        text.factorize_utf8(np.array([0, 1]), np.array([1.0]))
    with pytest.raises(InputError, match="validity"):
        text.factorize_utf8(np.array([0, 1, 2]), data, np.zeros(1, dtype=np.int64))
    with pytest.raises(InputError, match="pyarrow"):
        text.factorize_arrow(pa.array([1, 2]))


def test_coded_text_counts_and_take_match_the_codes():
    values = _values(250_000, seed=11)
    coded = text.code_arrow(pa.array(values, type=pa.large_string()))
    codes = coded.codes()
    assert np.array_equal(coded.counts, np.bincount(codes[codes >= 0], minlength=coded.first.size))
    per_code = np.random.default_rng(0).normal(size=coded.first.size)
    want = np.where(codes >= 0, per_code[np.maximum(codes, 0)], -7.5)
    assert np.array_equal(coded.take(per_code, -7.5), want)
    out = np.empty(codes.size, dtype=np.int64)
    coded.take(np.arange(coded.first.size) * 3, -1, out=out)
    assert np.array_equal(out, np.where(codes >= 0, codes * 3, -1))
    with pytest.raises(InputError, match="per_code"):
        coded.take(per_code[:-1], 0.0)


def test_transform_of_arrow_text_equals_the_object_column():
    import warnings

    from scorecard.binning import BinningProcess

    rng = np.random.default_rng(4)
    n = 30_000
    levels = np.array(["a", "b", "c", "d", "é", None], dtype=object)
    text_values = levels[rng.integers(0, levels.size, n)]
    y = (rng.random(n) < np.where(text_values == "a", 0.4, 0.15)).astype(int)
    fit_frame = pd.DataFrame({"t": pd.Series(text_values, dtype=object)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        process = BinningProcess(categorical=["t"], selection=None).fit(fit_frame, y)
    new = text_values.copy()
    new[::7] = "never seen"
    for metric in ("woe", "bin", "label"):
        want = process.transform(pd.DataFrame({"t": pd.Series(new, dtype=object)}), metric=metric)
        want_unseen = dict(process.unseen_counts_)
        got = process.transform(pd.DataFrame({"t": pd.Series(new, dtype="str")}), metric=metric)
        assert np.array_equal(got, want) and got.dtype == want.dtype
        assert process.unseen_counts_ == want_unseen and want_unseen["t"] == (new == "never seen").sum()
