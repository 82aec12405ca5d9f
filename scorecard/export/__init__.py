"""Exports generated from the scorecard spec: points table (CSV, Excel), SQL, PMML, Python.

Every export is a pure function of the spec and scores exactly like
:func:`scorecard.model.spec.score_frame` (tests/export/test_cross_engine.py proves it on
boundary rows in Python, SQLite, PostgreSQL and jpmml-evaluator).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scorecard.io import write_atomic
from scorecard.exceptions import InputError
from scorecard.export.pmml import pmml_document
from scorecard.export.python_scorer import python_scorer_source
from scorecard.export.sql import DIALECTS, check_dialect, sql_query
from scorecard.export.table import points_table_csv, points_table_xlsx, points_table_xlsx_bytes
from scorecard.model.spec import validate_spec
from scorecard.options import EXPORT_FORMATS

__all__ = [
    "DIALECTS",
    "EXTENSIONS",
    "FORMATS",
    "export",
    "export_bytes",
    "pmml_document",
    "points_table_csv",
    "points_table_xlsx",
    "python_scorer_source",
    "sql_query",
]

FORMATS = EXPORT_FORMATS
EXTENSIONS = {"csv": ".csv", "xlsx": ".xlsx", "sql": ".sql", "pmml": ".pmml", "python": ".py"}


def _check_format(fmt: object) -> str:
    name = fmt.lower() if isinstance(fmt, str) else fmt
    if name not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    return name  # type: ignore[return-value]


def export_bytes(
    spec: Mapping[str, Any],
    fmt: str,
    *,
    dialect: str = "ansi",
    table: str | Sequence[str] = "applications",
    score_column: str = "score",
) -> bytes:
    """The export as bytes (UTF-8 text, or the .xlsx workbook), e.g. for a download button.

    ``score_column`` names the score in the SQL, PMML and Python scorers (an input column or
    characteristic of that name is refused, as ``reason_k`` names are)."""
    fmt = _check_format(fmt)
    check_dialect(dialect)
    validate_spec(spec)
    if fmt == "xlsx":
        return points_table_xlsx_bytes(spec)
    if fmt == "csv":
        text = points_table_csv(spec)
    elif fmt == "sql":
        text = sql_query(spec, dialect=dialect, table=table, score_column=score_column)
    elif fmt == "pmml":
        text = pmml_document(spec, score_column=score_column)
    else:
        text = python_scorer_source(spec, score_column=score_column)
    return text.encode("utf-8")


def export(
    spec: Mapping[str, Any],
    fmt: str,
    out_path: str | os.PathLike,
    *,
    dialect: str = "ansi",
    table: str | Sequence[str] = "applications",
    score_column: str = "score",
) -> Path:
    """Write the spec in format ``fmt`` (csv, xlsx, sql, pmml, python) to ``out_path``.

    ``dialect`` (ansi, sqlite, postgres) and ``table`` apply to SQL, ``score_column`` to SQL,
    PMML and Python. Returns the path written.
    """
    data = export_bytes(spec, fmt, dialect=dialect, table=table, score_column=score_column)
    return write_atomic(out_path, lambda tmp: tmp.write_bytes(data))
