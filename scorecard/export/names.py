"""The names of the columns a scorer adds (score, reason_1..k): one rule for every export.

The score column is called ``score`` unless the caller chooses another name; an input column
(or characteristic) that already has an added column's name is refused with a message saying
how to choose another, never silently replaced, renamed or duplicated.
"""

from __future__ import annotations

from collections.abc import Iterable

from scorecard.exceptions import InputError

__all__ = ["output_columns"]


def output_columns(existing: Iterable[object], score_column: object = "score",
                   reason_codes: int = 0, *, option: str = "--score-column") -> list[str]:
    """[score_column, reason_1, ..., reason_k]; InputError if one is already in ``existing``."""
    if not isinstance(score_column, str) or not score_column:
        raise InputError(f"{option} must be a non-empty name, got {score_column!r}.")
    added = [score_column] + [f"reason_{r + 1}" for r in range(reason_codes)]
    taken = set(existing)
    clash = [name for name in added if name in taken]
    if clash:
        raise InputError(
            f"the input already has column(s) {', '.join(map(repr, clash))}, which the scorer "
            f"adds; name the score column differently ({option}) and rename any reason_k input "
            "columns."
        )
    return added
