"""Fused map kernels against their numpy twins and the engine's own assignment."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard import engine
from scorecard.engine.mapping import map_codes, map_numeric
from scorecard.engine.reference import map_codes as map_codes_reference
from scorecard.engine.reference import map_numeric as map_numeric_reference
from scorecard.exceptions import InputError


def numeric_case(n_rows=5000, n_features=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_rows, n_features))
    X[rng.random(X.shape) < 0.05] = np.nan
    X[rng.random(X.shape) < 0.02] = -999.0
    X[0, 0], X[1, 0] = np.inf, -np.inf
    X[:, -1] = np.round(X[:, -1])  # ties on the edges
    specials = [(-999.0,)] * n_features
    edges = engine.quantile_edges_many(X, 10, special_values=specials)
    values = [rng.normal(size=e.size + 2 + 1) for e in edges]
    return X, edges, values, specials


@pytest.mark.parametrize("order", ["F", "C"])
def test_map_numeric_matches_numpy_twin(order):
    X, edges, values, specials = numeric_case()
    X = np.asarray(X, order=order)
    out = map_numeric(X, edges, values, specials)
    assert out.dtype == np.float64 and out.flags.f_contiguous
    np.testing.assert_array_equal(out, map_numeric_reference(X, edges, values, specials))


def test_map_numeric_with_bin_index_values_is_assign_numeric():
    X, edges, _, specials = numeric_case(seed=1)
    values = [np.arange(e.size + 3, dtype=np.float64) for e in edges]
    out = map_numeric(X, edges, values, specials)
    for f, e in enumerate(edges):
        np.testing.assert_array_equal(out[:, f], engine.assign_numeric(X[:, f], e, specials[f]))


def test_map_numeric_many_edges_uses_the_grouped_search():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(20_000, 2))
    edges = [np.sort(rng.normal(size=300)), np.zeros(0)]
    values = [rng.normal(size=302), np.array([1.5, -2.0])]
    out = map_numeric(X, edges, values)
    np.testing.assert_array_equal(out, map_numeric_reference(X, edges, values))
    assert np.all(out[:, 1] == 1.5)


def test_infinities_go_to_the_end_bins():
    out = map_numeric(np.array([[-np.inf], [np.inf], [0.5]]), [np.array([0.0, 1.0])],
                      [np.array([10.0, 20.0, 30.0, 99.0])])
    np.testing.assert_array_equal(out[:, 0], [10.0, 30.0, 20.0])


def test_map_numeric_empty_inputs():
    assert map_numeric(np.empty((0, 2)), [np.zeros(1)] * 2, [np.zeros(3)] * 2).shape == (0, 2)
    assert map_numeric(np.empty((5, 0)), [], []).shape == (5, 0)


@pytest.mark.parametrize("order", ["F", "C"])
def test_map_codes_matches_numpy_twin(order):
    rng = np.random.default_rng(3)
    C = np.asarray(rng.integers(-1, 30, size=(40_000, 3)), order=order)
    maps = [rng.integers(0, 5, 30), np.arange(30) % 2, np.zeros(30, dtype=np.int64)]
    missing = [5, 2, 1]
    values = [rng.normal(size=6), rng.normal(size=3), rng.normal(size=2)]
    out = map_codes(C, maps, missing, values)
    assert out.flags.f_contiguous
    np.testing.assert_array_equal(out, map_codes_reference(C, maps, missing, values))
    np.testing.assert_array_equal(out[C[:, 0] == -1, 0], values[0][5])


@settings(max_examples=40, deadline=None)
@given(
    data=st.lists(st.one_of(st.floats(-5, 5), st.just(np.nan), st.just(-1.0)), min_size=1,
                  max_size=60),
    cuts=st.lists(st.floats(-5, 5), max_size=8, unique=True),
)
def test_map_numeric_property(data, cuts):
    x = np.asarray(data, dtype=np.float64).reshape(-1, 1)
    edges = [np.sort(np.asarray(cuts, dtype=np.float64))]
    values = [np.arange(len(cuts) + 3, dtype=np.float64) * 1.5]
    got = map_numeric(x, edges, values, [(-1.0,)])
    np.testing.assert_array_equal(got, map_numeric_reference(x, edges, values, [(-1.0,)]))


def test_map_numeric_validates_at_the_door():
    X = np.zeros((4, 1))
    with pytest.raises(InputError, match=r"values_list\[0\] has 2 values but the feature has 3"):
        map_numeric(X, [np.array([0.0])], [np.zeros(2)])
    with pytest.raises(InputError, match="strictly increasing"):
        map_numeric(X, [np.array([1.0, 0.0])], [np.zeros(4)])
    with pytest.raises(InputError, match="one entry per feature"):
        map_numeric(X, "bad", [np.zeros(3)])
    with pytest.raises(InputError, match="2-D"):
        map_numeric(np.zeros(4), [np.zeros(0)], [np.zeros(2)])


def test_map_codes_validates_at_the_door():
    C = np.array([[0], [3]])
    with pytest.raises(InputError, match=r"code 3, outside \[-1, 2\)"):
        map_codes(C, [np.array([0, 1])], [2], [np.zeros(3)])
    with pytest.raises(InputError, match="use bin 2"):
        map_codes(np.array([[0]]), [np.array([0, 1])], [2], [np.zeros(2)])
    with pytest.raises(InputError, match="integers"):
        map_codes(np.array([[0.5]]), [np.array([0])], [1], [np.zeros(2)])
