"""One way to validate estimator parameters: scikit-learn's constraints, errors as InputError."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest

from scorecard import BinningProcess, OptimalBinner
from scorecard.exceptions import InputError
from scorecard.model.scorecard import Scorecard
from scorecard.options import TRENDS
from scorecard.parameters import Choice, Integral, Interval, Real, check_params

CONSTRAINTS = {
    "trend": [Choice(TRENDS)],
    "size": [Interval(Real, 0, 1, closed="both")],
    "bins": [Interval(Integral, 1, None, closed="left"), None],
    "columns": ["array-like", None],
    "given": [Mapping, None],
    "flag": ["boolean"],
}


@pytest.mark.parametrize("params", [
    {"trend": None}, {"trend": "auto"}, {"trend": np.str_("peak")}, {"size": np.float64(0.5)},
    {"size": 1}, {"bins": np.int64(3)}, {"bins": None}, {"columns": ("a", "b")},
    {"given": {}}, {"flag": np.True_},
])
def test_valid_values_pass(params):
    check_params(params, CONSTRAINTS, "Thing")


@pytest.mark.parametrize(("params", "message"), [
    ({"trend": "up"}, "Thing: trend='up' must be one of 'auto', 'ascending', 'descending', "
                      "'peak', 'valley', None."),
    ({"trend": False}, "trend=False must be one of"),
    ({"trend": ["auto"]}, "trend=['auto'] must be one of"),
    ({"size": 1.5}, "size=1.5 must be a float in the range [0.0, 1.0]."),
    ({"size": float("nan")}, "size=nan must be"),
    ({"size": True}, "size=True must be"),
    ({"bins": 2.0}, "bins=2.0 must be an int in the range [1, inf) or None."),
    ({"columns": "abc"}, "columns='abc' must be a list of values or None."),
    ({"given": [1]}, "given=[1] must be a dict or None."),
    ({"flag": 1}, "flag=1 must be True or False."),
])
def test_invalid_values_name_the_parameter(params, message):
    with pytest.raises(InputError) as raised:
        check_params(params, CONSTRAINTS, "Thing")
    assert message in str(raised.value)


@pytest.mark.parametrize("estimator", [OptimalBinner(), BinningProcess(), Scorecard()])
def test_every_estimator_declares_a_constraint_for_every_parameter(estimator):
    assert set(estimator._parameter_constraints) == set(estimator.get_params(deep=False))


@pytest.mark.parametrize(("estimator", "message"), [
    (BinningProcess(max_n_prebins=1), "BinningProcess: max_n_prebins=1 must be"),
    (BinningProcess(n_jobs=1.5), "BinningProcess: n_jobs=1.5 must be"),
    (BinningProcess(n_jobs=0), "n_jobs=0"),
    (BinningProcess(selection=[("iv", 0.1)]), "selection="),
    (OptimalBinner(level=1.0), "OptimalBinner: level=1.0 must be"),
    (Scorecard(C=float("inf")), "Scorecard: C=inf must be"),
])
def test_estimators_check_their_parameters_at_fit(estimator, message):
    X = np.arange(20.0).reshape(-1, 1)
    y = np.arange(20) % 2
    with pytest.raises(InputError) as raised:
        estimator.fit(X if not isinstance(estimator, OptimalBinner) else X[:, 0], y)
    assert message in str(raised.value)
