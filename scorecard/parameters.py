"""One way to validate estimator parameters: scikit-learn's parameter constraints.

Every estimator declares ``_parameter_constraints`` (scikit-learn's convention: parameter ->
list of constraints such as ``Interval(Real, 0, None, closed="neither")``, `Choice`, a type,
``"array-like"``, ``"boolean"`` or ``None``) and calls `check_params` first thing in ``fit``.
A value meeting none of its constraints raises `InputError` "<where>: name=value must be ...",
naming the parameter, instead of scikit-learn's InvalidParameterError, so callers catch one
exception hierarchy. Checks that involve several parameters stay beside the estimator.

Plain functions (the stats, the engine, the merge solver) guard their arguments with small
checks of their own (e.g. `scorecard.stats.conventions.check_level`): they run in hot loops and
must not import scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, Options, make_constraint

from scorecard.exceptions import InputError

__all__ = ["Choice", "Integral", "Interval", "Real", "check_params"]

_TYPE_NAMES = {Mapping: "a dict", str: "a string", bool: "True or False"}


class Choice(Options):
    """One of a fixed tuple of values (None allowed), listed in the tuple's order in messages."""

    def __init__(self, options: Iterable[object]) -> None:
        self.ordered = tuple(options)
        super().__init__(object, set(self.ordered))

    def is_satisfied_by(self, val: object) -> bool:
        try:
            return any(
                val is o or (o is not None and not isinstance(val, bool) and val == o)
                for o in self.ordered
            )
        except (TypeError, ValueError):  # e.g. an array compared elementwise
            return False

    def __str__(self) -> str:
        return "one of " + ", ".join(map(repr, self.ordered))


def _describe(constraint: object, made: object) -> str:
    if constraint is None:
        return "None"
    if constraint == "boolean":
        return "True or False"
    if isinstance(constraint, type):
        return _TYPE_NAMES.get(constraint, f"an instance of {constraint.__name__}")
    if constraint == "array-like":
        return "a list of values"
    return str(made)


def _satisfied(made: object, value: object) -> bool:
    if isinstance(made, Interval) and isinstance(value, (bool, np.bool_)):
        return False  # scikit-learn takes True for 1; a flag is never a number here
    try:
        return bool(made.is_satisfied_by(value))
    except (TypeError, ValueError):
        return False


def check_params(
    params: Mapping[str, object], constraints: Mapping[str, list], where: str
) -> None:
    """Raise InputError for the first parameter (in `constraints` order) that meets none of its
    constraints; parameters without constraints, or with "no_validation", pass."""
    for name, allowed in constraints.items():
        if name not in params or allowed == "no_validation":
            continue
        value = params[name]
        made = [make_constraint(c) for c in allowed]
        if any(_satisfied(m, value) for m in made):
            continue
        shown = [_describe(c, m) for c, m in zip(allowed, made) if not m.hidden]
        expected = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"
        raise InputError(f"{where}: {name}={value!r} must be {expected}.")
