"""The selection MIP: which characteristics enter, and at which granularity, under a fairness budget.

One binary variable x[c, k] per (characteristic c, candidate binning k):

    maximise    sum iv_perf[c, k] * x[c, k]
    subject to  sum_k x[c, k] <= 1                                   (one binning per characteristic)
                sum (iv_fair[c, k] + z * iv_fair_se[c, k]) * x[c, k] <= epsilon
                min_characteristics <= sum x <= max_characteristics
                sum_k x[c, k] = 1 for c in must_include, = 0 for c in must_exclude
                sum_k x[a, k] + sum_k x[b, k] <= 1 for each exclusive pair (a, b)

solved with PuLP: CBC (bundled) by default, HiGHS through highspy when asked for. Both run with a
relative gap of 0, so they return a proven optimum.
"""

from __future__ import annotations

import functools
import math
import numbers
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from scorecard.exceptions import InputError, ScorecardError

__all__ = [
    "CANDIDATE_COLUMNS",
    "InfeasibleSelection",
    "SelectionModel",
    "SelectionTimeLimit",
    "SolverWarning",
    "available_solvers",
    "solve_selection",
]

CANDIDATE_COLUMNS = ("characteristic", "candidate", "iv_perf", "iv_fair", "iv_fair_se")
SOLVERS = ("cbc", "highs")
_TOLERANCE = 1e-9


class InfeasibleSelection(ScorecardError):
    """No selection meets the budget and the other constraints; ``min_budget`` says what would."""

    def __init__(self, message: str, min_budget: float | None = None) -> None:
        super().__init__(message)
        self.min_budget = min_budget


class SelectionTimeLimit(ScorecardError):
    """The solver hit its time limit before finding any feasible selection."""


class SolverWarning(UserWarning):
    """The solver stopped at its time limit: the selection is feasible but maybe not optimal."""


def available_solvers() -> list[str]:
    """Which of "cbc" and "highs" can run here (HiGHS needs the highspy package)."""
    import pulp

    found = set(pulp.listSolvers(onlyAvailable=True))
    return [name for name, cls in (("cbc", "PULP_CBC_CMD"), ("highs", "HiGHS")) if cls in found]


def _quiet(function):
    """Run PuLP calls without its PuLP-4.0 deprecation notices (about its own API)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return function(*args, **kwargs)

    return wrapper


@_quiet
def _solver(solver: object, time_limit: float | None):
    import pulp

    if solver is None or solver == "cbc":
        return pulp.PULP_CBC_CMD(msg=False, gapRel=0.0, gapAbs=0.0, timeLimit=time_limit)
    if solver == "highs":
        if "highs" not in available_solvers():
            raise InputError("solver='highs' needs the highspy package: pip install highspy "
                             "(or use solver='cbc', bundled with PuLP).")
        return pulp.HiGHS(msg=False, gapRel=0.0, gapAbs=0.0, timeLimit=time_limit)
    if isinstance(solver, pulp.LpSolver):
        return solver
    raise InputError(f"solver={solver!r} must be 'cbc', 'highs', None (CBC) or a PuLP solver.")


def _check_candidates(candidates: object) -> pd.DataFrame:
    if not isinstance(candidates, pd.DataFrame):
        raise InputError(f"candidates must be a DataFrame with columns {', '.join(CANDIDATE_COLUMNS)}"
                         f"; got {type(candidates).__name__}.")
    missing = [c for c in CANDIDATE_COLUMNS if c not in candidates.columns]
    if missing:
        raise InputError(f"candidates lack column(s) {', '.join(missing)}; they need "
                         f"{', '.join(CANDIDATE_COLUMNS)}.")
    frame = candidates.reset_index(drop=True)
    for column in ("iv_perf", "iv_fair", "iv_fair_se"):
        try:
            values = pd.to_numeric(frame[column], errors="raise").to_numpy(dtype=np.float64)
        except (TypeError, ValueError):
            raise InputError(f"candidates column {column!r} must be numeric.") from None
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise InputError(f"candidates column {column!r} must hold finite numbers >= 0 "
                             "(a divergence and its SE are never negative).")
    keys = frame[["characteristic", "candidate"]].astype(str)
    if keys.duplicated().any():
        dup = keys[keys.duplicated()].iloc[0]
        raise InputError(f"candidates repeat (characteristic, candidate) = "
                         f"({dup['characteristic']!r}, {dup['candidate']!r}); make them unique.")
    return frame


def _check_optional_count(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise InputError(f"{name}={value!r} must be an integer >= 0 or None.")
    return int(value)


def _check_names(values: object, name: str, known: Sequence[str]) -> list[str]:
    if isinstance(values, str):
        values = [values]
    try:
        names = [str(v) for v in values]  # type: ignore[union-attr]
    except TypeError:
        raise InputError(f"{name} must be a list of characteristic names.") from None
    unknown = [n for n in names if n not in set(known)]
    if unknown:
        raise InputError(f"{name} names characteristic(s) {', '.join(map(repr, unknown))} that have "
                         f"no candidate; known: {', '.join(map(repr, known))}.")
    return names


def _undominated(owner: np.ndarray, gain: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """True for candidates no other candidate of the same characteristic dominates (at least as
    much IV_perf for at most the cost, better in one; exact duplicates keep the first)."""
    keep = np.ones(owner.size, dtype=bool)
    for name in np.unique(owner):
        rows = np.flatnonzero(owner == name)
        for i in rows:
            for j in rows:
                if i == j or not keep[j]:
                    continue
                if gain[j] >= gain[i] and cost[j] <= cost[i] and (
                        gain[j] > gain[i] or cost[j] < cost[i] or j < i):
                    keep[i] = False
                    break
    return keep


def _check_number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise InputError(f"{name}={value!r} must be a finite number.")
    return float(value)


class SelectionModel:
    """The selection MIP built once over a candidate table; `solve(epsilon)` for each budget.

    ``exclusive_pairs``: pairs of characteristics of which at most one may enter (for instance
    those with |Spearman| above a threshold). ``time_limit`` in seconds (None: no limit).
    """

    @_quiet
    def __init__(
        self,
        candidates: pd.DataFrame,
        *,
        z: float = 0.0,
        min_characteristics: int | None = None,
        max_characteristics: int | None = None,
        must_include: Iterable[str] = (),
        must_exclude: Iterable[str] = (),
        exclusive_pairs: Iterable[tuple[str, str]] = (),
        solver: object = None,
        time_limit: float | None = None,
    ) -> None:
        import pulp

        frame = _check_candidates(candidates)
        self.z = _check_number(z, "z")
        if self.z < 0:
            raise InputError(f"z={z!r} must be >= 0 (0 gives the nominal front).")
        if time_limit is not None:
            time_limit = _check_number(time_limit, "time_limit")
            if time_limit <= 0:
                raise InputError(f"time_limit={time_limit!r} must be > 0 seconds or None.")
        names = list(dict.fromkeys(frame["characteristic"].astype(str)))
        low = _check_optional_count(min_characteristics, "min_characteristics")
        high = _check_optional_count(max_characteristics, "max_characteristics")
        include = _check_names(must_include, "must_include", names)
        exclude = _check_names(must_exclude, "must_exclude", names)
        both = sorted(set(include) & set(exclude))
        if both:
            raise InputError(f"characteristic(s) {', '.join(map(repr, both))} are both in "
                             "must_include and must_exclude.")
        pairs = []
        for pair in exclusive_pairs:
            a, b = _check_names(pair, "exclusive_pairs", names)
            pairs.append((a, b))
        self.candidates = frame
        self.cost = (frame["iv_fair"].to_numpy(np.float64)
                     + self.z * frame["iv_fair_se"].to_numpy(np.float64))
        self.gain = frame["iv_perf"].to_numpy(np.float64)
        self.time_limit = time_limit
        self._solver_arg = solver
        self._solver = _solver(solver, time_limit)

        owner = frame["characteristic"].astype(str).to_numpy()
        # A candidate that another of the same characteristic beats on both IV_perf and cost
        # is never needed: it gets no variable (fewer branches, the same optimum).
        self._useful = _undominated(owner, self.gain, self.cost)
        problem = pulp.LpProblem("characteristic_selection", pulp.LpMaximize)
        x = [pulp.LpVariable(f"x{i}", cat="Binary") for i in range(len(frame))]
        for i in np.flatnonzero(~self._useful):
            x[i].upBound = 0
        problem += pulp.lpSum(float(g) * v for g, v in zip(self.gain, x))
        per_name = {n: [x[i] for i in np.flatnonzero(owner == n)] for n in names}
        for n in names:
            chosen = pulp.lpSum(per_name[n])
            if n in include:
                problem += chosen == 1, f"include_{len(problem.constraints)}"
            elif n in exclude:
                problem += chosen == 0, f"exclude_{len(problem.constraints)}"
            else:
                problem += chosen <= 1, f"one_{len(problem.constraints)}"
        total = pulp.lpSum(x)
        if low is not None:
            problem += total >= low, "min_characteristics"
        if high is not None:
            problem += total <= high, "max_characteristics"
        for a, b in pairs:
            if a != b:
                problem += pulp.lpSum(per_name[a] + per_name[b]) <= 1, f"pair_{len(problem.constraints)}"
        budget = pulp.lpSum(float(c) * v for c, v in zip(self.cost, x)) <= 0.0
        problem += budget, "budget"
        self._problem, self._x, self._budget = problem, x, budget
        self._structure = (names, include, exclude, low, high, pairs)

    def _explain(self, epsilon: float) -> InfeasibleSelection:
        names, include, exclude, low, high, pairs = self._structure
        if low is not None and high is not None and low > high:
            return InfeasibleSelection(
                f"min_characteristics={low} exceeds max_characteristics={high}.")
        if high is not None and len(include) > high:
            return InfeasibleSelection(
                f"must_include lists {len(include)} characteristics but max_characteristics={high}.")
        clash = [(a, b) for a, b in pairs if a in include and b in include]
        if clash:
            return InfeasibleSelection(
                f"must_include holds the exclusive pair {clash[0]!r} (too highly correlated).")
        # Smallest feasible budget: the same MIP minimising the fairness cost.
        smallest = self.min_budget()
        if smallest is None:
            return InfeasibleSelection(
                "no selection meets min_characteristics, must_include/must_exclude and the "
                "exclusive pairs together, at any budget; relax them.")
        return InfeasibleSelection(
            f"budget epsilon={epsilon:.6g} is below the smallest feasible fairness cost "
            f"{smallest:.6g} (sum of iv_fair + {self.z:g} * iv_fair_se of the cheapest selection "
            "meeting the other constraints); raise epsilon or relax the constraints.",
            min_budget=smallest,
        )

    @_quiet
    def min_budget(self) -> float | None:
        """The smallest fairness cost of any selection meeting the non-budget constraints."""
        import pulp

        problem, saved = self._problem, self._problem.objective
        self._budget.constant = -(float(self.cost.sum()) + 1.0)  # no budget
        problem.sense = pulp.LpMinimize
        problem.setObjective(pulp.lpSum(float(c) * v for c, v in zip(self.cost, self._x)))
        try:
            problem.solve(self._solver)
            found = problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
            chosen = [(v.value() or 0) > 0.5 for v in self._x]
        finally:
            problem.sense = pulp.LpMaximize
            problem.setObjective(saved)
        return float(self.cost[np.asarray(chosen)].sum()) if found else None

    def max_budget(self) -> float:
        """The fairness cost of the unconstrained optimum (the budget beyond which nothing changes)."""
        return float(self.solve(math.inf).attrs["fair_cost"])

    @_quiet
    def solve(self, epsilon: float) -> pd.DataFrame:
        """The chosen candidate rows for budget ``epsilon`` (``attrs``: objective, fair_cost,
        status). Raises InfeasibleSelection (with the smallest feasible budget) or
        SelectionTimeLimit."""
        import pulp

        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or math.isnan(epsilon):
            raise InputError(f"epsilon={epsilon!r} must be a number (the fairness budget).")
        rhs = float(epsilon) if math.isfinite(epsilon) else float(self.cost.sum()) + 1.0
        if rhs < 0:
            raise self._explain(float(epsilon))
        solver = self._solver
        for _ in range(3):
            self._budget.constant = -rhs
            self._problem.solve(solver)
            solution = self._problem.sol_status
            if solution == pulp.LpSolutionInfeasible or (
                    pulp.LpStatus[self._problem.status] == "Infeasible"):
                raise self._explain(float(epsilon))
            if solution not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
                raise SelectionTimeLimit(
                    f"the {type(solver).__name__} solver stopped without a feasible selection at "
                    f"epsilon={epsilon:.6g} (time limit {self.time_limit} s); raise time_limit.")
            chosen = np.array([(v.value() or 0.0) > 0.5 for v in self._x], dtype=bool)
            cost = float(self.cost[chosen].sum())
            excess = cost - rhs
            if excess <= _TOLERANCE * max(1.0, abs(rhs)):
                break
            rhs -= excess + _TOLERANCE  # the solver's feasibility tolerance let it overshoot
        else:  # pragma: no cover - tolerances never compound three times
            raise ScorecardError("the solver's selections keep exceeding the budget.")
        optimal = solution == pulp.LpSolutionOptimal
        if not optimal:
            warnings.warn(f"the solver stopped at its time limit ({self.time_limit} s) at epsilon="
                          f"{epsilon:.6g}: the selection meets the budget but may not be optimal.",
                          SolverWarning, stacklevel=2)
        result = self.candidates.loc[chosen].reset_index(drop=True)
        result.attrs = {
            "objective": float(self.gain[chosen].sum()),
            "fair_cost": cost,
            "epsilon": float(epsilon),
            "z": self.z,
            "status": "optimal" if optimal else "time_limit",
        }
        return result


def solve_selection(
    candidates: pd.DataFrame,
    epsilon: float,
    *,
    z: float = 0.0,
    min_characteristics: int | None = None,
    max_characteristics: int | None = None,
    must_include: Sequence[str] = (),
    must_exclude: Sequence[str] = (),
    solver: Any = None,
) -> pd.DataFrame:
    """Choose at most one candidate binning per characteristic to maximise the sum of iv_perf
    subject to sum (iv_fair + z * iv_fair_se) <= epsilon and the other constraints.

    ``candidates``: DataFrame with columns characteristic, candidate, iv_perf, iv_fair,
    iv_fair_se (more columns are carried along). Returns the chosen rows (same columns; ``attrs``
    holds objective, fair_cost and status). Raises `InfeasibleSelection` when no selection meets
    the constraints (its ``min_budget`` is the smallest feasible epsilon, when one exists).
    ``solver``: None or "cbc" (CBC, bundled with PuLP), "highs" (needs highspy) or a PuLP solver.
    """
    model = SelectionModel(candidates, z=z, min_characteristics=min_characteristics,
                           max_characteristics=max_characteristics, must_include=must_include,
                           must_exclude=must_exclude, solver=solver)
    return model.solve(epsilon)
