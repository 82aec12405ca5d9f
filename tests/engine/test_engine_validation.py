"""Bad input is stopped at the door with an InputError that names the parameter."""

from __future__ import annotations

import numpy as np
import pytest

from scorecard import engine
from scorecard.exceptions import InputError

X = np.array([[0.0, 1.0], [np.nan, 2.0], [3.0, -999.0]])
LABEL = np.array([0, 1, 0], dtype=np.int8)
EDGES = [np.array([1.0]), np.array([0.0, 1.5])]
CODES = np.array([[0, -1], [1, 2], [-1, 0]])
MAPS = [np.array([0, 1]), np.array([0, 0, 1])]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: engine.count_numeric(X, EDGES, LABEL[:2]), "label has 2 values"),
        (lambda: engine.count_numeric(X, EDGES, [0, 2, 1]), "only 0 and 1"),
        (lambda: engine.count_numeric(X, EDGES, [0.0, np.nan, 1.0]), "only 0 and 1"),
        (lambda: engine.count_numeric(X, EDGES, np.array(["a", "b", "c"])), "label"),
        (lambda: engine.count_numeric(X, EDGES, LABEL.reshape(3, 1)), "label must be 1-D"),
        (lambda: engine.count_numeric(X, EDGES, LABEL, weights=[1, -1, 1]), "negative"),
        (lambda: engine.count_numeric(X, EDGES, LABEL, weights=[1, np.nan, 1]), "NaN"),
        (lambda: engine.count_numeric(X, EDGES, LABEL, weights=[1, 1]), "weights has 2"),
        (lambda: engine.count_numeric(X, [EDGES[0]], LABEL), "edges has 1 entries"),
        (lambda: engine.count_numeric(X, [[1.0], [2.0, 2.0]], LABEL), r"edges\[1\].*strictly"),
        (lambda: engine.count_numeric(X, [[1.0], [3.0, 2.0]], LABEL), r"edges\[1\].*strictly"),
        (lambda: engine.count_numeric(X, [[np.nan], [2.0]], LABEL), r"edges\[0\] contains NaN"),
        (lambda: engine.count_numeric(X, [[np.inf, np.inf], []], LABEL), "strictly"),
        (lambda: engine.count_numeric(X, EDGES, LABEL, special_values=[(np.nan,), ()]),
         r"special_values\[0\] contains NaN"),
        (lambda: engine.count_numeric(X, EDGES, LABEL, special_values=[(1.0, 1.0), ()]),
         "duplicate"),
        (lambda: engine.count_numeric(X, EDGES, LABEL, special_values=[(1.0,)]),
         "special_values has 1 entries"),
        (lambda: engine.count_numeric(X, EDGES, LABEL, special_values=[-999.0, ()]),
         r"special_values\[0\] must be a sequence"),
        (lambda: engine.count_numeric(X[:, 0], EDGES, LABEL), "X must be 2-D"),
        (lambda: engine.count_numeric([["a", "b"]] * 3, EDGES, LABEL), "real numbers"),
        (lambda: engine.quantile_edges(X[:, 0], 0), "n_bins must be >= 1"),
        (lambda: engine.quantile_edges(X[:, 0], 2.5), "n_bins must be an integer"),
        (lambda: engine.quantile_edges(X[:, 0], True), "n_bins must be an integer"),
        (lambda: engine.quantile_edges(X[:, 0], sample_size=0), "sample_size"),
        (lambda: engine.quantile_edges(X[:, 0], seed=-1), "seed"),
        (lambda: engine.quantile_edges(X, 3), "x must be 1-D"),
        (lambda: engine.quantile_edges_many(X, special_values=[()]), "special_values has 1"),
        (lambda: engine.assign_numeric(X[:, 0], [2.0, 1.0]), "edges must be strictly"),
        (lambda: engine.assign_codes(np.array([0, 2]), [0, 1], 2), r"code 2, outside \[-1, 2\)"),
        (lambda: engine.assign_codes(np.array([-2, 0]), [0, 1], 2), "code -2"),
        (lambda: engine.assign_codes(np.array([0.0, 1.0]), [0, 1], 2), "codes must hold integers"),
        (lambda: engine.assign_codes(np.array([0, 1]), [0, -1], 2), "negative bin"),
        (lambda: engine.assign_codes(np.array([0, 1]), [0, 1], -1), "missing_bin must be >= 0"),
        (lambda: engine.count_codes(CODES, MAPS[:1], [2, 2], LABEL), "code_to_bin_list has 1"),
        (lambda: engine.count_codes(CODES, [np.array([0]), MAPS[1]], [2, 2], LABEL),
         r"C\[:, 0\] has code 1"),
        (lambda: engine.count_codes(CODES, MAPS, [2, 2], LABEL, n_bins=[2, 3]),
         r"n_bins\[0\] is 2"),
        (lambda: engine.count_codes(CODES, MAPS, [2], LABEL), "missing_bins has 1"),
        (lambda: engine.count_bins(np.array([0, 3, 1]), 3, LABEL), r"bin 3, outside \[0, 3\)"),
        (lambda: engine.count_bins(np.array([0, -1, 1]), 3, LABEL), "bin -1"),
        (lambda: engine.count_bins(np.array([0, 1, 1]), 0, LABEL), "n_bins must be >= 1"),
    ],
)
def test_bad_input_raises_input_error(call, match):
    with pytest.raises(InputError, match=match):
        call()


def test_input_error_is_a_value_error():
    with pytest.raises(ValueError):
        engine.count_bins(np.array([5]), 2, [0])


def test_accepted_conversions():
    as_bool = engine.count_numeric(X, EDGES, LABEL.astype(bool))
    as_float = engine.count_numeric(X.astype(np.float32), EDGES, LABEL.astype(float))
    as_list = engine.count_numeric(X.tolist(), [list(e) for e in EDGES], LABEL.tolist())
    for a, b, c in zip(as_bool, as_float, as_list):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    codes = engine.assign_codes(np.array([0, 1, -1], dtype=np.int8), [1, 0], 2)
    np.testing.assert_array_equal(codes, [1, 0, 2])


def test_per_feature_arguments_accept_arrays():
    stacked = np.array([[1.0, 2.0], [0.0, 1.5]])
    from_array = engine.count_numeric(X, stacked, LABEL, special_values=np.array([[-999.0]] * 2))
    from_list = engine.count_numeric(X, list(stacked), LABEL, special_values=[(-999.0,)] * 2)
    for a, b in zip(from_array, from_list):
        np.testing.assert_array_equal(a, b)
    codes = engine.count_codes(CODES, MAPS, np.array([2, 2]), LABEL)
    assert [c.shape for c in codes] == [(3, 2), (3, 2)]
    with pytest.raises(InputError, match="edges must be a list"):
        engine.count_numeric(X, "edges", LABEL)
