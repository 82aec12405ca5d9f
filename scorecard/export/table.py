"""The points table as CSV and as a formatted Excel workbook (openpyxl).

The workbook has a "Points" sheet (one row per bin, as `scorecard.model.spec.points_table`)
and a "Scaling" sheet (base score, base odds, PDO, factor, offset, score range and where the
card came from). Every text cell is written as text: a category such as ``=HYPERLINK(...)``
stays a string and never becomes a formula. Control characters that Excel cannot store are
shown escaped (``\\x01``). The CSV is RFC 4180 (CRLF line ends, a field holding a comma, quote,
CR or LF quoted) and safe to open in a spreadsheet: a text cell that starts like a formula
(``=``, ``+``, ``-``, ``@``, tab or CR, and is not a plain number) is written with a leading
apostrophe, the usual defence against CSV formula injection; numbers are written unchanged.
"""

from __future__ import annotations

import io
import math
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from scorecard.io import write_atomic
from scorecard.model.spec import compute_integrity, points_table

__all__ = ["points_table_csv", "points_table_xlsx", "points_table_xlsx_bytes"]

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_NUMBER_FORMATS = {
    "points": "0",
    "points_exact": "0.00",
    "woe": "0.0000",
    "goods": "#,##0.##",
    "bads": "#,##0.##",
}
_MAX_WIDTH = 60
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _inert(value: Any) -> Any:
    """A text cell a spreadsheet will not run: formula-like text gets a leading apostrophe."""
    if (isinstance(value, str) and value.startswith(_FORMULA_START)
            and not _PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


def points_table_csv(spec: Mapping[str, Any]) -> str:
    """The points table as CSV text (header row, one row per bin, empty cells for no value);
    formula-like text cells are neutralised (see the module docstring)."""
    table = points_table(spec)
    for column in ("characteristic", "bin", "kind"):
        table[column] = table[column].map(_inert)
    return table.to_csv(index=False, lineterminator="\r\n")


def _cell_value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: repr(m.group())[1:-1], value)
    if hasattr(value, "item"):  # numpy scalar -> Python scalar
        return value.item()
    return value


def _write_row(sheet: Any, row: int, values: list[Any]) -> None:
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=col)
        cell.value = _cell_value(value)
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, never a formula, whatever it starts with


def _style_header(sheet: Any, n_columns: int) -> None:
    for col in range(1, n_columns + 1):
        cell = sheet.cell(row=1, column=col)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.freeze_panes = "A2"


def _fit_widths(sheet: Any) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                length = max(len(line) for line in str(cell.value).split("\n"))
                widths[cell.column] = max(widths.get(cell.column, 0), length)
    for col, width in widths.items():
        sheet.column_dimensions[get_column_letter(col)].width = min(_MAX_WIDTH, width + 2)


def _workbook(spec: Mapping[str, Any]) -> Workbook:
    table = points_table(spec)
    book = Workbook()
    points = book.active
    points.title = "Points"
    columns = list(table.columns)
    _write_row(points, 1, columns)
    for r, record in enumerate(table.itertuples(index=False), start=2):
        _write_row(points, r, list(record))
    for c, name in enumerate(columns, start=1):
        if name in _NUMBER_FORMATS:
            for r in range(2, len(table) + 2):
                points.cell(row=r, column=c).number_format = _NUMBER_FORMATS[name]
    _style_header(points, len(columns))
    points.auto_filter.ref = points.dimensions
    _fit_widths(points)

    scaling = spec["scaling"]
    scaling_sheet = book.create_sheet("Scaling")
    rows: list[list[Any]] = [
        ["Setting", "Value"],
        ["Base score", scaling["base_score"]],
        ["Base odds (good:bad)", scaling["base_odds"]],
        ["Points to double the odds (PDO)", scaling["pdo"]],
        ["Factor", scaling["factor"]],
        ["Offset", scaling["offset"]],
        ["Intercept points", spec["intercept_points"]],
        ["Minimum score", scaling["min_score"]],
        ["Maximum score", scaling["max_score"]],
        ["Rounding", scaling["rounding"]],
        ["Score direction", "higher score = lower risk"],
        ["Scorecard", spec["name"]],
        ["Encoding", spec["encoding"]],
        ["Target", f"{spec['target']['name']} (bad = {spec['target']['bad_value']!r})"],
        ["Created at", spec["created_at"]],
        ["Package version", spec["package_version"]],
        ["Spec sha256", compute_integrity(spec)],
    ]
    for r, values in enumerate(rows, start=1):
        _write_row(scaling_sheet, r, values)
    _style_header(scaling_sheet, 2)
    _fit_widths(scaling_sheet)
    return book


def points_table_xlsx_bytes(spec: Mapping[str, Any]) -> bytes:
    """The formatted workbook as bytes (for downloads); the same spec gives the same bytes."""
    buffer = io.BytesIO()
    _workbook(spec).save(buffer)
    return _reproducible_zip(buffer.getvalue(), str(spec["created_at"]))


_STAMPS = re.compile(rb"<dcterms:(created|modified)([^>]*)>[^<]*</dcterms:\1>")


def _reproducible_zip(data: bytes, created_at: str) -> bytes:
    """openpyxl stamps the clock into docProps/core.xml and every zip entry: pin them (to the
    spec's creation time), so the workbook's bytes depend on the spec alone."""
    stamp = created_at.replace("+00:00", "Z").encode("ascii", "replace")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _STAMPS.sub(lambda m: b"<dcterms:%s%s>%s</dcterms:%s>" % (
                    m.group(1), m.group(2), stamp, m.group(1)), content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)),
                            content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def points_table_xlsx(spec: Mapping[str, Any], path: str | os.PathLike) -> Path:
    """Write the formatted workbook to ``path`` (atomically) and return it."""
    data = points_table_xlsx_bytes(spec)
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))
