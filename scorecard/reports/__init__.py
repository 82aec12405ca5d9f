"""Reports for people: self-contained, offline HTML (inline CSS and SVG, no scripts, no network)."""

from scorecard.reports.html import drift_html

__all__ = ["drift_html"]
