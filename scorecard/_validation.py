"""Deprecated alias of `scorecard.validation`, kept while branches that import it merge."""

from scorecard.validation import (  # noqa: F401
    BAD_LABELS,
    binary_target,
    category_text,
    check_weights,
    require_columns,
    value_text,
)
