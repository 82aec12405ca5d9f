"""One exception hierarchy. Messages say what was wrong, where, and what to do."""

from __future__ import annotations


class ScorecardError(Exception):
    """Base class of every error this package raises on purpose."""


class InputError(ScorecardError, ValueError):
    """Bad user input: a column, parameter or file the caller can fix."""


class NotFittedError(ScorecardError, AttributeError):
    """An estimator was used before `fit`."""


class SpecError(ScorecardError, ValueError):
    """A scorecard or binning spec is malformed, tampered with or of an unknown version."""


class StorageError(ScorecardError):
    """The results store could not read or write; nothing was half-written."""
