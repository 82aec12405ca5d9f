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
