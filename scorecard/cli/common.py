"""What every CLI command module shares: error and warning reporting, option parsing."""

from __future__ import annotations

import functools
import json
import math
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer

from scorecard.exceptions import InputError, ScorecardError
from scorecard.redact import printable

__all__ = ["AsJson", "BadValue", "DataFile", "DateColumn", "Excludes", "Freq", "JOBS_DEFAULT",
           "Jobs", "Level", "ModelFile", "PeriodColumn", "Specials", "Target", "check_jobs", "check_level", "check_specials",
           "echo", "echo_json", "echo_warnings", "friendly_errors", "new_app", "parse_specials"]

# Options several commands share, declared once so they read alike in every --help.
DataFile = Annotated[Path, typer.Argument(
    metavar="DATA", show_default=False, help="CSV or parquet file, one row per application.")]
ModelFile = Annotated[Path, typer.Argument(
    metavar="MODEL", show_default=False, help="Scorecard spec (JSON) written by `scorecard fit`.")]
Target = Annotated[str, typer.Option(metavar="COLUMN", help="Binary target column.")]
BadValue = Annotated[Optional[str], typer.Option(
    metavar="VALUE", show_default="inferred: 1 of 0/1, 2 of 1/2, bad of good/bad",
    help="Target value meaning bad.")]
Specials = Annotated[list[str], typer.Option(
    "--special", metavar="COL=VALUE", show_default="none",
    help="A special value of a numeric column, binned on its own (repeatable).")]
Excludes = Annotated[list[str], typer.Option(
    "--exclude", metavar="COLUMN", show_default="none",
    help="A column that is not a characteristic, e.g. an ID or a protected attribute "
         "(repeatable).")]
Level = Annotated[float, typer.Option(metavar="P", help="Confidence level of the intervals.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
PeriodColumn = Annotated[Optional[str], typer.Option(
    metavar="COLUMN", show_default="none", help="Column naming each row's period.")]
DateColumn = Annotated[Optional[str], typer.Option(
    metavar="COLUMN", show_default="none", help="Date column cut into periods by --freq.")]
Freq = Annotated[Optional[str], typer.Option(
    metavar="FREQ", show_default="month",
    help="Period length for --date-column: day, week, month, quarter or year.")]

JOBS_DEFAULT = -1
"""The CLI bins on every core: it owns its process and the user waits for it (the library's
default, one thread, suits a host process that shares its cores); results do not depend on it."""

Jobs = Annotated[int, typer.Option(
    "--jobs", "-j", metavar="N",
    help="Threads for binning: -1 every core, -2 all but one, 1 a single thread (the result is "
         "the same for any N).")]


def new_app(help: str, **settings: object) -> typer.Typer:
    """A Typer app or command group with the CLI's help style: plain text that re-flows to the
    terminal, flags without a type, every default shown."""
    return typer.Typer(help=help, rich_markup_mode=None, no_args_is_help=True,
                       add_completion=False, pretty_exceptions_enable=False, **settings)


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
                echo_warnings(caught)

    return wrapper


def echo_warnings(caught: list[warnings.WarningMessage]) -> None:
    """Print recorded warnings, one line each on stderr."""
    for w in caught:
        echo(f"warning: {w.message}", err=True)


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


def check_jobs(jobs: int) -> int:
    """A thread count as scikit-learn's n_jobs reads it: any non-zero integer."""
    if jobs == 0:
        raise InputError("--jobs 0 means no thread; use -1 (every core), 1, 2, ...")
    return jobs


def check_level(level: float) -> float:
    """A confidence level strictly between 0 and 1."""
    if not (math.isfinite(level) and 0 < level < 1):
        raise InputError(f"--level {level} must be strictly between 0 and 1, e.g. 0.95.")
    return level
