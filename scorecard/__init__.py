"""Credit-risk scorecards, binning and drift monitoring with delta-method uncertainty."""

from scorecard.exceptions import InputError, NotFittedError, ScorecardError, SpecError

__version__ = "0.1.0"

_LAZY = {"BinningProcess": "scorecard.binning", "OptimalBinner": "scorecard.binning"}

__all__ = [
    "BinningProcess",
    "InputError",
    "NotFittedError",
    "OptimalBinner",
    "ScorecardError",
    "SpecError",
    "__version__",
]


def __getattr__(name: str):
    """Import the estimators on first use, so `scorecard --help` does not load scikit-learn."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'scorecard' has no attribute {name!r}")
