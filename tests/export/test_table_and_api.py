"""Points table (CSV, Excel) and the `export` entry point."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from scorecard.exceptions import InputError, SpecError
from scorecard.export import (
    EXTENSIONS,
    FORMATS,
    export,
    export_bytes,
    points_table_csv,
    points_table_xlsx,
)
from scorecard.model.spec import compute_integrity, points_table

FORMULA = '=HYPERLINK("http://example.invalid","click")'


def _spec(card, extra_category="radio"):
    return card.make_spec([
        card.numeric("age", [25.0, 35.5], [-1.0], [-10, 5, 20, 0, -30]),
        card.categorical("purpose", [[FORMULA, "car"], ["tv", extra_category]], [15, -5],
                         missing_points=-2, unseen_points=-8),
    ], intercept=600, min_score=300, max_score=850, name="Demo card")


@pytest.fixture
def spec(card):
    return _spec(card)


def test_csv_reads_back_as_the_points_table(spec):
    text = points_table_csv(spec)
    back = pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])
    table = points_table(spec)
    assert list(back.columns) == list(table.columns)
    assert back["points"].tolist() == table["points"].tolist()
    # Formula-like text comes back with the apostrophe that keeps spreadsheets from running it.
    expected = ["'" + b if b.startswith("=") else b for b in table["bin"]]
    assert back["bin"].tolist() == expected and expected != table["bin"].tolist()
    assert back["woe"].tolist() == pytest.approx(table["woe"].tolist(), nan_ok=True)


def test_xlsx_is_formatted_and_keeps_text_as_text(card, tmp_path):
    spec = _spec(card, extra_category="bell\x07")
    path = points_table_xlsx(spec, tmp_path / "points.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Points", "Scaling"]
    sheet = book["Points"]
    header = [c.value for c in sheet[1]]
    assert header == ["characteristic", "bin", "kind", "points", "points_exact", "woe", "goods", "bads"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > 10
    assert sheet.max_row == 1 + len(points_table(spec))
    labels = [sheet.cell(row=r, column=2) for r in range(2, sheet.max_row + 1)]
    formula_cell = next(c for c in labels if str(c.value).startswith("=HYPERLINK"))
    assert formula_cell.data_type == "s" and formula_cell.value == f"{FORMULA}, car"
    assert any(c.value == "tv, bell\\x07" for c in labels)  # control character shown escaped
    points = [sheet.cell(row=r, column=4).value for r in range(2, sheet.max_row + 1)]
    assert points == points_table(spec)["points"].tolist()
    settings = dict(book["Scaling"].iter_rows(min_row=2, values_only=True))
    assert settings["Base score"] == 600 and settings["Points to double the odds (PDO)"] == 20
    assert settings["Minimum score"] == 300 and settings["Maximum score"] == 850
    assert settings["Spec sha256"] == compute_integrity(spec)
    assert book["Scaling"]["A1"].font.bold


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_every_format(spec, tmp_path, fmt):
    path = export(spec, fmt, tmp_path / f"card{EXTENSIONS[fmt]}", dialect="postgres", table="s.t")
    data = path.read_bytes()
    assert data == export_bytes(spec, fmt, dialect="postgres", table="s.t")
    if fmt == "xlsx":
        assert data[:2] == b"PK"
    else:
        text = data.decode("utf-8")
        marker = {"csv": "characteristic,bin,kind", "sql": 'FROM "s"."t" AS t',
                  "pmml": "<Scorecard", "python": "def score(row)"}[fmt]
        assert marker in text


def test_export_rejects_bad_requests(spec, tmp_path):
    with pytest.raises(InputError, match="unknown export format 'json'.*csv, xlsx, sql, pmml, python"):
        export(spec, "json", tmp_path / "x")
    with pytest.raises(InputError, match="unknown SQL dialect"):
        export(spec, "sql", tmp_path / "x.sql", dialect="oracle")
    with pytest.raises(InputError, match="does not exist"):
        export(spec, "csv", tmp_path / "missing" / "x.csv")
    broken = dict(spec, intercept_points="600")
    with pytest.raises(SpecError):
        export(broken, "csv", tmp_path / "x.csv")
    assert export(spec, "CSV", tmp_path / "upper.csv").exists()


def test_xlsx_bytes_depend_on_the_spec_alone(spec, monkeypatch):
    """openpyxl stamps the clock into the workbook; two exports a clock-second apart still agree."""
    import datetime as dt
    import time as time_module

    from scorecard.export.table import points_table_xlsx_bytes

    first = points_table_xlsx_bytes(spec)
    later = time_module.time() + 3601.0
    monkeypatch.setattr(time_module, "time", lambda: later)
    monkeypatch.setattr(time_module, "localtime", lambda *a: dt.datetime.fromtimestamp(later).timetuple())
    assert points_table_xlsx_bytes(spec) == first
