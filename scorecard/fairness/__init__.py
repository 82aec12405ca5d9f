"""Fairness: protected-attribute information with valid tests, and Pareto fronts of accuracy
against disparity (a less-discriminatory-alternative search).

`solve_selection` (the MIP) loads without scikit-learn; the rest loads on first use.
"""

from scorecard.fairness.selection import (
    InfeasibleSelection,
    SelectionModel,
    SelectionTimeLimit,
    available_solvers,
    solve_selection,
)

_LAZY = {
    "GroupMetrics": "scorecard.fairness.disparity",
    "ParetoFront": "scorecard.fairness.front",
    "ProtectedAttribute": "scorecard.fairness.groups",
    "build_candidates": "scorecard.fairness.candidates",
    "characteristic_fairness": "scorecard.fairness.analysis",
    "fairness_front": "scorecard.fairness.front",
    "load_front": "scorecard.fairness.front",
    "model_fairness": "scorecard.fairness.disparity",
    "protected_attribute": "scorecard.fairness.groups",
}

__all__ = [
    "GroupMetrics",
    "InfeasibleSelection",
    "ParetoFront",
    "ProtectedAttribute",
    "SelectionModel",
    "SelectionTimeLimit",
    "available_solvers",
    "build_candidates",
    "characteristic_fairness",
    "fairness_front",
    "load_front",
    "model_fairness",
    "protected_attribute",
    "solve_selection",
]


def __getattr__(name: str):
    """Import the heavier parts on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'scorecard.fairness' has no attribute {name!r}")
