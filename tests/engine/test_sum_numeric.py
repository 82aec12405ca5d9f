"""`sum_numeric` (row sums of mapped values: a score's points, used by spec scoring and
monitoring) against its numpy twin, on awkward values (NaN, +-inf, specials, values equal to
edges, features without edges)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.engine.mapping import map_numeric, sum_numeric
from scorecard.engine.reference import sum_numeric as sum_numeric_reference


def _case(seed: int, n_rows: int, n_features: int):
    rng = np.random.default_rng(seed)
    X = np.asfortranarray(rng.choice([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0, -999.0, np.nan, np.inf, -np.inf],
                                     size=(n_rows, n_features)) + rng.integers(0, 2, (n_rows, n_features)) * rng.normal(size=(n_rows, n_features)))
    edges = [np.unique(rng.normal(size=rng.integers(0, 9))) for _ in range(n_features)]
    specials = [np.array([-999.0]) if f % 2 else np.empty(0) for f in range(n_features)]
    points = [rng.integers(-50, 50, size=len(e) + 2 + len(s)) for e, s in zip(edges, specials)]
    return X, edges, specials, points


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 3000), st.integers(1, 6))
def test_sum_numeric_matches_the_twin(seed, n_rows, n_features):
    X, edges, specials, points = _case(seed, n_rows, n_features)
    out = sum_numeric(X, edges, points, specials)
    np.testing.assert_array_equal(out, sum_numeric_reference(X, edges, points, specials))


def test_many_rows_cross_chunks():
    X, edges, specials, points = _case(1, 200_003, 3)
    out = sum_numeric(X, edges, points, specials)
    np.testing.assert_array_equal(out, sum_numeric_reference(X, edges, points, specials))


def test_row_order_and_c_order_input_give_the_same_sums():
    X, edges, specials, points = _case(2, 50_000, 4)
    np.testing.assert_array_equal(sum_numeric(np.ascontiguousarray(X), edges, points, specials),
                                  sum_numeric(X, edges, points, specials))


def test_sums_are_the_row_sums_of_map_numeric():
    X, edges, specials, points = _case(3, 10_000, 5)
    values = [np.random.default_rng(f).normal(size=p.size) for f, p in enumerate(points)]
    mapped = map_numeric(X, edges, values, specials)
    np.testing.assert_allclose(sum_numeric(X, edges, values, specials), mapped.sum(axis=1),
                               rtol=1e-12)


def test_sums_added_column_by_column_into_out_equal_one_pass():
    X, edges, specials, _ = _case(4, 70_000, 5)
    values = [np.random.default_rng(f).normal(size=e.size + 2 + s.size)
              for f, (e, s) in enumerate(zip(edges, specials))]
    total = np.zeros(X.shape[0])
    for f in range(X.shape[1]):
        sum_numeric(X[:, f : f + 1], [edges[f]], [values[f]], [specials[f]], out=total)
    np.testing.assert_array_equal(total, sum_numeric(X, edges, values, specials))


def test_map_numeric_into_int64_out_equals_the_float_map():
    X, edges, specials, points = _case(5, 40_000, 4)
    out = np.empty(X.shape, dtype=np.int64, order="F")
    map_numeric(X, edges, points, specials, out=out)
    np.testing.assert_array_equal(out, map_numeric(X, edges, points, specials).astype(np.int64))


def test_bad_out_and_fractional_values_for_an_int64_out_raise():
    import pytest

    from scorecard.exceptions import InputError

    X, edges, specials, points = _case(6, 100, 2)
    with pytest.raises(InputError, match="whole numbers"):
        map_numeric(X, edges, [p + 0.5 for p in points], specials,
                    out=np.empty(X.shape, dtype=np.int64))
    with pytest.raises(InputError, match="out must be"):
        map_numeric(X, edges, points, specials, out=np.empty(X.shape, dtype=np.int32))
    with pytest.raises(InputError, match="out must be"):
        sum_numeric(X, edges, points, specials, out=np.zeros(X.shape[0], dtype=np.int64))
