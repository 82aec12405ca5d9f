"""SQL scoring code generated from the spec: one SELECT returning every input column plus the score.

Dialects:

- ``ansi``: standard SQL. Identifiers in double quotes, numbers as
  ``CAST(<literal> AS DOUBLE PRECISION)``, categories compared as ``CAST(col AS VARCHAR)``. It
  relies on the engine converting decimal literals to the nearest double (PostgreSQL, DuckDB and
  most engines do; SQLite before 3.43 does not always, use ``sqlite`` there). MySQL needs
  ``ANSI_QUOTES``. Standard SQL has no NaN: a NaN stored in a double column is scored by the
  interval branches, not as missing. A category holding a backslash is refused: some servers
  read a backslash in a string literal as an escape (PostgreSQL with
  ``standard_conforming_strings=off``, MySQL without ``NO_BACKSLASH_ESCAPES``), which would end
  the literal early, and standard SQL has no other way to write one; use ``postgres`` or
  ``sqlite``, which write it safely. Every other literal reads the same under any setting.
- ``postgres``: as ``ansi``, plus NaN is missing (PostgreSQL stores NaN as a value, distinct
  from NULL), the column is cast to DOUBLE PRECISION so integer and NUMERIC columns compare as
  doubles, categories are cast to TEXT, and category literals containing a backslash are
  written as E'' strings so they read the same whatever ``standard_conforming_strings`` is.
- ``sqlite``: SQLite stores NaN as NULL, so NaN is missing. A number is written as a decimal
  literal only when that decimal is the double exactly (11.5, -999.0); any other value is built
  exactly from integers, ``CAST(m AS REAL) / 2^k`` with the decimal in a comment, because
  SQLite's own decimal parser is not correctly rounded in every case.

Every branch is explicit: ``WHEN col IS NULL`` (missing), ``WHEN col = special``, ``WHEN col <
edge`` for each edge in order, ``ELSE`` the last interval; categorical: ``WHEN col IS NULL``,
``WHEN CAST(col AS TEXT) IN (...)`` per bin, ``ELSE`` the unseen points. The sum starts from a
BIGINT so it cannot overflow a 32-bit integer.

Names are never pasted into the code unescaped: identifiers are double-quoted with embedded
double quotes doubled, categories are string literals with embedded single quotes doubled, and
the only comments hold generated text (version, hash, numbers). Numeric columns should have a
numeric type and categorical columns a text type (a database's text form of a number or boolean
may differ from Python's ``str``). In SQLite an INTEGER column holding integers above 2**53 is
compared exactly rather than after rounding to a double as Python does.

``table`` is a table name, optionally qualified: a string is split on "." into at most three
parts (catalog.schema.table), each quoted; pass a tuple of parts for names that contain a dot.
Quoted identifiers are case-sensitive (PostgreSQL folds unquoted names to lower case).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from scorecard import __version__
from scorecard.exceptions import InputError
from scorecard.export.names import output_columns
from scorecard.model.spec import compute_integrity, validate_spec
from scorecard.options import SQL_DIALECTS

__all__ = ["DIALECTS", "quote_identifier", "sql_query", "string_literal"]

DIALECTS = SQL_DIALECTS
_TEXT_TYPE = {"ansi": "VARCHAR", "sqlite": "TEXT", "postgres": "TEXT"}
_POW2_STEP = 62  # 2**62 is an exact INTEGER literal in every engine


def check_dialect(dialect: object) -> str:
    """Return the dialect name, or raise InputError listing the supported ones."""
    if dialect not in DIALECTS:
        raise InputError(f"unknown SQL dialect {dialect!r}; choose one of {', '.join(DIALECTS)}.")
    return dialect  # type: ignore[return-value]


def _no_nul(text: str, what: str) -> str:
    if "\x00" in text:
        raise InputError(f"{what} {text!r} contains a NUL character, which SQL cannot hold.")
    return text


def quote_identifier(name: str) -> str:
    """A double-quoted SQL identifier with embedded double quotes doubled."""
    if not isinstance(name, str) or not name:
        raise InputError(f"an SQL identifier must be a non-empty string, got {name!r}.")
    return '"' + _no_nul(name, "identifier").replace('"', '""') + '"'


def string_literal(text: str, dialect: str = "ansi") -> str:
    """An SQL string literal with embedded single quotes doubled (E'' in PostgreSQL when the
    text has a backslash, so it is read the same whatever standard_conforming_strings says).

    In the ansi dialect a backslash is refused (InputError): no standard literal holds one
    safely on servers that treat it as an escape.
    """
    _no_nul(text, "text")
    body = text.replace("'", "''")
    if "\\" in text:
        if dialect == "postgres":
            return "E'" + body.replace("\\", "\\\\") + "'"
        if dialect == "ansi":
            raise InputError(
                f"the text {text!r} contains a backslash, which some servers read as an escape "
                "in a standard SQL string (PostgreSQL with standard_conforming_strings=off, MySQL "
                "without NO_BACKSLASH_ESCAPES); export with the postgres or sqlite dialect, which "
                "write it safely, or rename the category."
            )
    return "'" + body + "'"


def _table_name(table: str | Sequence[str]) -> str:
    if isinstance(table, str):
        parts = table.split(".")
    elif isinstance(table, Sequence) and all(isinstance(p, str) for p in table):
        parts = list(table)
    else:
        raise InputError(
            f"table must be a name such as 'applications' or 'schema.table', got {table!r}."
        )
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise InputError(
            f"table {table!r} is not a valid name: use 'table', 'schema.table' or "
            "'catalog.schema.table' (pass a tuple of parts if a name contains a dot)."
        )
    return ".".join(quote_identifier(p) for p in parts)


def _exact_decimal(value: float) -> str | None:
    """repr(value) when that decimal is exactly the double and short enough for any parser."""
    text = repr(value)
    decimal = Decimal(text)
    if Fraction(decimal) != Fraction(value):
        return None
    _, digits, exponent = decimal.as_tuple()
    # s * 10**E with s < 10**15 and |E| <= 22: s and 10**|E| are exact doubles, so a parser's
    # single division or multiplication is exact too.
    if len(digits) > 15 or abs(int(exponent)) > 22:
        return None
    return text


def _sqlite_number(value: float) -> str:
    """An SQLite expression that evaluates to exactly ``value`` (a finite double)."""
    text = _exact_decimal(value)
    if text is not None:
        return text
    mantissa, exponent = math.frexp(value)
    m, e = int(mantissa * 2**53), exponent - 53
    while m and m % 2 == 0:
        m //= 2
        e += 1
    expr = f"CAST({m} AS REAL)"
    op = " * " if e > 0 else " / "
    remaining = abs(e)
    while remaining:
        step = min(remaining, _POW2_STEP)
        expr += op + str(2**step)
        remaining -= step
    return f"({expr} /* {value!r} */)"


def _number(value: float, dialect: str) -> str:
    value = float(value)
    if dialect == "sqlite":
        return _sqlite_number(value)
    return f"CAST({value!r} AS DOUBLE PRECISION)"


def _numeric_case(ch: Mapping[str, Any], dialect: str, indent: str) -> list[str]:
    column = "t." + quote_identifier(ch["name"])
    value = f"CAST({column} AS DOUBLE PRECISION)" if dialect == "postgres" else column
    bins = ch["bins"]
    n_intervals = len(ch["edges"]) + 1
    missing = f"{column} IS NULL"
    if dialect == "postgres":
        missing += f" OR {value} = CAST('NaN' AS DOUBLE PRECISION)"
    lines = [f"{indent}WHEN {missing} THEN {bins[n_intervals]['points']}"]
    for special, bin_ in zip(ch["special_values"], bins[n_intervals + 1:]):
        lines.append(f"{indent}WHEN {value} = {_number(special, dialect)} THEN {bin_['points']}")
    for edge, bin_ in zip(ch["edges"], bins[: n_intervals - 1]):
        lines.append(f"{indent}WHEN {value} < {_number(edge, dialect)} THEN {bin_['points']}")
    lines.append(f"{indent}ELSE {bins[n_intervals - 1]['points']}")
    return lines


def _categorical_case(ch: Mapping[str, Any], dialect: str, indent: str) -> list[str]:
    column = "t." + quote_identifier(ch["name"])
    text = f"CAST({column} AS {_TEXT_TYPE[dialect]})"
    lines = [f"{indent}WHEN {column} IS NULL THEN {ch['bins'][-1]['points']}"]
    for bin_ in ch["bins"][:-1]:
        try:
            values = ", ".join(string_literal(c, dialect) for c in bin_["categories"])
        except InputError as exc:
            raise InputError(f"characteristic {ch['name']!r}: {exc}") from None
        lines.append(f"{indent}WHEN {text} IN ({values}) THEN {bin_['points']}")
    lines.append(f"{indent}ELSE {ch['unseen_points']}")
    return lines


def _indented(lines: list[str], depth: int) -> list[str]:
    # Prefix whole lines only: a category literal may itself contain a newline.
    return [" " * depth + line for line in lines]


def _score_expression(
    total: list[str], low: int | None, high: int | None, dialect: str
) -> list[str]:
    """The summed points, clipped to [low, high] when either bound is set (4-space indent)."""
    if low is None and high is None:
        return _indented(total, 4)
    if dialect in ("postgres", "sqlite"):
        smaller, larger = ("LEAST", "GREATEST") if dialect == "postgres" else ("MIN", "MAX")
        opening, closing = "", ""
        if low is not None:
            opening, closing = f"{larger}({low}, ", ")"
        if high is not None:
            opening, closing = opening + f"{smaller}({high}, ", closing + ")"
        return ["    " + opening.rstrip(), *_indented(total, 8), "    " + closing]
    # Standard SQL has no LEAST/GREATEST: compare the sum itself (repeated) with the bounds.
    sum_lines = ["(", *_indented(total, 4), ")"]
    lines = ["CASE"]
    for bound, operator in ((low, "<"), (high, ">")):
        if bound is not None:
            lines += ["    WHEN " + sum_lines[0], *_indented(sum_lines[1:-1], 4),
                      f"    {sum_lines[-1]} {operator} {bound} THEN {bound}"]
    lines += ["    ELSE " + sum_lines[0], *_indented(sum_lines[1:], 4), "END"]
    return _indented(lines, 4)


def sql_query(
    spec: Mapping[str, Any],
    *,
    dialect: str = "ansi",
    table: str | Sequence[str] = "applications",
    score_column: str = "score",
) -> str:
    """One SELECT over ``table`` returning ``t.*`` plus the integer score as ``score_column``.

    A characteristic named like ``score_column`` is refused; a table whose other columns include
    that name would return it twice, so choose a score column name the table does not have.

    No trailing semicolon, so the query can be wrapped in CREATE VIEW ... AS or used as a
    subquery. See the module docstring for what each dialect does and assumes.
    """
    validate_spec(spec)
    dialect = check_dialect(dialect)
    source = _table_name(table)
    output_columns((ch["name"] for ch in spec["characteristics"]), score_column,
                   option="score_column")
    alias = quote_identifier(score_column)
    total = [f"CAST({spec['intercept_points']} AS BIGINT)"]
    for ch in spec["characteristics"]:
        build = _numeric_case if ch["dtype"] == "numeric" else _categorical_case
        total += ["+ CASE", *build(ch, dialect, "    "), "  END"]
    scaling = spec["scaling"]
    body = "\n".join(_score_expression(total, scaling["min_score"], scaling["max_score"], dialect))
    header = (
        f"-- Scorecard scoring query generated by scorecard {__version__} ({dialect} dialect)\n"
        f"-- from the spec with sha256 {compute_integrity(spec)}.\n"
        "-- Returns every input column plus the integer score (higher = lower risk).\n"
    )
    return f"{header}SELECT\n    t.*,\n{body}\n    AS {alias}\nFROM {source} AS t\n"
