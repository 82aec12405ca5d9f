"""Credit-risk scorecards, binning and drift monitoring with delta-method uncertainty."""

from scorecard.binning import BinningProcess, OptimalBinner
from scorecard.exceptions import InputError, NotFittedError, ScorecardError, SpecError

__version__ = "0.1.0"

__all__ = [
    "BinningProcess",
    "InputError",
    "NotFittedError",
    "OptimalBinner",
    "ScorecardError",
    "SpecError",
    "__version__",
]
