"""What every CLI command module shares: error and warning reporting, option parsing."""

from __future__ import annotations

import functools
import warnings

import typer

from scorecard.exceptions import InputError, ScorecardError

__all__ = ["friendly_errors", "parse_specials"]


def friendly_errors(command):
    """Print our errors and warnings as one line each on stderr (errors exit 2), not tracebacks."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return command(*args, **kwargs)
            except ScorecardError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from None
            finally:
                for w in caught:
                    typer.echo(f"warning: {w.message}", err=True)

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
