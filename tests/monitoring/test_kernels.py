"""The monitoring kernel against its numpy twin, on awkward values (NaN, +-inf, specials,
values equal to edges, features without edges)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.monitoring._kernels import numeric_points, numeric_points_reference


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
def test_numeric_points_match_the_twin(seed, n_rows, n_features):
    X, edges, specials, points = _case(seed, n_rows, n_features)
    out = np.full(n_rows, 7, dtype=np.int64)
    numeric_points(X, edges, specials, points, out)
    np.testing.assert_array_equal(out - 7, numeric_points_reference(X, edges, specials, points))


def test_many_rows_cross_chunks():
    X, edges, specials, points = _case(1, 200_003, 3)
    out = np.zeros(200_003, dtype=np.int64)
    numeric_points(X, edges, specials, points, out)
    np.testing.assert_array_equal(out, numeric_points_reference(X, edges, specials, points))
