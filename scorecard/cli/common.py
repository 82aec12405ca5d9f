"""What every CLI command module shares: error and warning reporting, option parsing."""

from __future__ import annotations

import functools
import json
import math
import warnings

import typer

from scorecard.exceptions import InputError, ScorecardError
from scorecard.redact import printable

__all__ = ["check_level", "check_specials", "echo", "echo_json", "friendly_errors",
           "parse_specials"]


def echo(message: object = "", *, err: bool = False) -> None:
    """typer.echo with control characters escaped: names from data or specs cannot drive the
    terminal (an ESC in a column name prints as \\x1b)."""
    typer.echo(printable(message), err=err)


def echo_json(obj: object, **options: object) -> None:
    """Print JSON whose text cannot drive the terminal: every non-ASCII or control character,
    DEL included, is a \\u escape (so the JSON stays valid)."""
    options = {"indent": 2, **options, "ensure_ascii": True}
    typer.echo(json.dumps(obj, **options).replace("\x7f", "\\u007f"))


def friendly_errors(command):
    """Print our errors and warnings as one line each on stderr (errors exit 2), not tracebacks."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return command(*args, **kwargs)
            except ScorecardError as exc:
                echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from None
            finally:
                for w in caught:
                    echo(f"warning: {w.message}", err=True)

    return wrapper


def parse_specials(items: list[str]) -> dict[str, list[float]]:
    """Parse repeated COL=VALUE options into {column: [values]}."""
    specials: dict[str, list[float]] = {}
    for item in items:
        column, sep, value = item.rpartition("=")
        if not sep or not column:
            raise InputError(f"--special expects COL=VALUE, got {item!r}.")
        try:
            specials.setdefault(column, []).append(float(value))
        except ValueError:
            raise InputError(f"--special {item!r}: {value!r} is not a number.") from None
    return specials


def check_specials(frame: object, specials: dict[str, list[float]]) -> None:
    """Refuse --special on a column the data lacks or whose values are not numbers."""
    import pandas as pd

    for column in specials:
        if column not in frame.columns:
            raise InputError(f"--special names column {column!r}, which is not in the data.")
        if not pd.api.types.is_numeric_dtype(frame[column].dtype):
            raise InputError(
                f"--special {column}=...: column {column!r} holds text, and special values apply "
                "to numeric columns only (each category already gets its own bin)."
            )


def check_level(level: float) -> float:
    """A confidence level strictly between 0 and 1."""
    if not (math.isfinite(level) and 0 < level < 1):
        raise InputError(f"--level {level} must be strictly between 0 and 1, e.g. 0.95.")
    return level
