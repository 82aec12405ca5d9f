"""The monitoring fixtures (a fitted scorecard and its samples) for the report tests."""

from tests.monitoring.conftest import add_region, book, development, later, spec  # noqa: F401
