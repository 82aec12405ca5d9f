"""Fairness: protected-attribute information with valid tests, and Pareto fronts of accuracy
against disparity (a less-discriminatory-alternative search)."""

from scorecard.fairness.selection import (
    InfeasibleSelection,
    SelectionModel,
    SelectionTimeLimit,
    available_solvers,
    solve_selection,
)

__all__ = [
    "InfeasibleSelection",
    "SelectionModel",
    "SelectionTimeLimit",
    "available_solvers",
    "solve_selection",
]
