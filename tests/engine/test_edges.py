"""Cut points strictly between adjacent distinct values (issue 8 item 6)."""

import numpy as np
import pytest

from scorecard import engine
from scorecard.engine.edges import (
    edge_neighbours,
    separate_by_extent,
    separating_cut,
    separating_edges,
)


def _twin(x, edges, specials=()):
    valid = x[~np.isnan(x) & ~np.isin(x, np.asarray(specials, dtype=float))]
    below = [valid[valid < e].max() if (valid < e).any() else np.nan for e in edges]
    above = [valid[valid >= e].min() if (valid >= e).any() else np.nan for e in edges]
    return np.array(below), np.array(above)


def _digits(x):
    """Significant digits of the shortest repr of x."""
    return len(repr(abs(float(x))).split("e")[0].replace(".", "").lstrip("0"))


def test_neighbours_match_the_numpy_twin():
    rng = np.random.default_rng(0)
    X = np.round(rng.normal(size=(5000, 3)) * 10, 1)
    X[rng.random(X.shape) < 0.05] = np.nan
    X[:10, 1] = -999.0
    edges = [np.array([-5.0, 0.0, 3.3, 50.0]), np.array([-30.0, 1.0]), np.array([])]
    specials = [(), (-999.0,), ()]
    for f, (below, above) in enumerate(edge_neighbours(X, edges, specials)):
        twin_below, twin_above = _twin(X[:, f], edges[f], specials[f])
        np.testing.assert_array_equal(below, twin_below)
        np.testing.assert_array_equal(above, twin_above)


@pytest.mark.parametrize("low,high", [(446.5299987792969, 446.5400085449219), (1.0, 2.0),
                                      (0.1, 0.1001), (-3.25, -3.2), (99.99, 100.0),
                                      (1e-9, 2e-9), (123456.7, 123456.8)])
def test_cut_is_short_and_separates_every_reading(low, high):
    cut = separating_cut(low, high)
    for value in (low, float(np.float32(low)), float(str(np.float32(low)))):
        assert value < cut
    for value in (high, float(np.float32(high)), float(str(np.float32(high)))):
        assert cut < value
    assert _digits(cut) <= max(_digits(low), _digits(high)) + 1


def test_float32_training_values_score_the_same_as_float64():
    # The case: amounts with cents stored as float32; quantile edges were float32 values
    # such as 446.5400085449219, so the same amounts read as float64 crossed them.
    rng = np.random.default_rng(1)
    cents = np.round(rng.uniform(0, 1000, 60_000), 2)
    as32 = cents.astype(np.float32).astype(np.float64)
    edges = engine.quantile_edges(as32, 20)
    crossed = np.sum(engine.assign_numeric(as32, edges) != engine.assign_numeric(cents, edges))
    assert crossed > 0  # the raw order-statistic edges are fragile
    (moved,) = separating_edges(as32.reshape(-1, 1), [edges])
    np.testing.assert_array_equal(engine.assign_numeric(as32, moved),
                                  engine.assign_numeric(as32, edges))
    np.testing.assert_array_equal(engine.assign_numeric(cents, moved),
                                  engine.assign_numeric(as32, moved))
    # And the other way round: edges from float64 values hold for their float32 readings.
    (moved64,) = separating_edges(cents.reshape(-1, 1), [engine.quantile_edges(cents, 20)])
    np.testing.assert_array_equal(engine.assign_numeric(cents, moved64),
                                  engine.assign_numeric(as32, moved64))
    assert all(_digits(e) <= 6 for e in moved)  # e.g. 500.005 between 500.0 and 500.01


def test_values_equal_in_float32_still_get_a_cut_between_them():
    low, high = 0.1, 0.10000001  # one float32: only the float64 values can be separated
    assert low < separating_cut(low, high) < high


def test_extent_pass_gives_the_counts_and_the_same_cuts_as_separating_edges():
    rng = np.random.default_rng(4)
    X = np.round(rng.normal(size=(20000, 3)) * 10, 2)
    X[rng.random(X.shape) < 0.05] = np.nan
    X[:50, 1] = -999.0
    X[50:60, 2] = np.inf
    specials = [(), (-999.0,), ()]
    edges = engine.quantile_edges_many(X, 30, special_values=specials)
    edges[0] = np.concatenate([[-1e6], edges[0], [1e6]])  # empty first and last bins
    label = (rng.random(20000) < 0.2).astype(np.int8)
    counts, lows, highs = engine.count_numeric_extent(X, edges, label, special_values=specials)
    for f in range(3):
        np.testing.assert_array_equal(
            counts[f], engine.count_numeric(X, edges, label, special_values=specials)[f])
        bins = engine.assign_numeric(X[:, f], edges[f], specials[f])
        for b in range(edges[f].size + 1):
            inside = X[bins == b, f]
            assert lows[f][b] == (inside.min() if inside.size else np.inf)
            assert highs[f][b] == (inside.max() if inside.size else -np.inf)
        np.testing.assert_array_equal(
            separate_by_extent(edges[f], lows[f], highs[f]),
            separating_edges(X[:, [f]], [edges[f]], [specials[f]])[0])
