"""The choices a user can pass, each defined once: estimator parameters, CLI options, spec fields.

A leaf module (no imports from the package), so the CLI, the dashboard and the spec schema read
the same tuples as the estimators that validate them.
"""

from __future__ import annotations

NUMERIC = "numeric"
CATEGORICAL = "categorical"
DTYPES = ("auto", NUMERIC, CATEGORICAL)
"""How a characteristic is binned; "auto" decides from the column's dtype."""

PREBINNINGS = ("quantile", "stumps")
TRENDS = ("auto", "ascending", "descending", "peak", "valley", None)
"""Event-rate shapes of the optimal merge; None = unconstrained (the CLI and dashboard say "none")."""

UNSEEN_POLICIES = ("missing", "other", "zero", "error")
"""Where a category not seen in fit goes at transform time."""

SPEC_UNSEEN_POLICIES = ("missing", "other", "zero")
"""The unseen policies a deployed scorecard can honour: SQL and PMML must score every row."""

METRICS = ("woe", "bin", "label")
"""What a binning transform outputs."""

ENCODINGS = ("woe-lr", "onehot-lr", "xgb-stumps")
"""Scorecard encodings (scorecard.model.encodings)."""

EXPORT_FORMATS = ("csv", "xlsx", "sql", "pmml", "python")
SQL_DIALECTS = ("ansi", "sqlite", "postgres")


def trend_option(trend: str | None) -> str:
    """A trend as the CLI and dashboard spell it (None -> "none")."""
    return "none" if trend is None else trend


def trend_from_option(text: str) -> str | None:
    """Inverse of `trend_option`."""
    return None if text == "none" else text


TREND_OPTIONS = tuple(trend_option(t) for t in TRENDS)
