"""Credit-risk scorecards, binning and drift monitoring with delta-method uncertainty."""

from scorecard.exceptions import InputError, NotFittedError, ScorecardError, SpecError

__version__ = "0.1.0"

__all__ = ["InputError", "NotFittedError", "ScorecardError", "SpecError", "__version__"]
