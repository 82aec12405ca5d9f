"""`scorecard drift`: text, JSON and HTML output, periods, exit codes and clear errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.cli.drift import FAIL_EXIT_CODE
from scorecard.model.spec import save_spec
from scorecard.monitoring import DriftReport, drift_reports


@pytest.fixture(scope="module")
def files(tmp_path_factory, spec, development, book):
    folder = tmp_path_factory.mktemp("drift")
    save_spec(spec, folder / "model.json")
    development.to_parquet(folder / "reference.parquet")
    book.to_csv(folder / "book.csv", index=False)
    return folder


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_json_output_equals_the_python_api(files, spec, development, book):
    result = run("drift", files / "model.json", "--reference", files / "reference.parquet",
                 "--current", files / "book.csv", "--period-column", "application_month", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    expected = drift_reports(spec, development, book, period_column="application_month")
    assert list(data) == list(expected)
    for period, report in expected.items():
        assert DriftReport.from_dict(data[period]) == report


def test_text_and_html_output(files, tmp_path, spec, development, book):
    out = tmp_path / "drift.html"
    result = run("drift", files / "model.json", "--reference", files / "reference.parquet",
                 "--current", files / "book.csv", "--period-column", "application_month",
                 "--period", "2023-12", "--html", out)
    assert result.exit_code == 0, result.output
    assert "period 2023-12:" in result.stdout and "account_balance" in result.stdout
    assert "period 2023-11" not in result.stdout
    # material-drift p-values outside the validity region are explained under the table
    (report,) = drift_reports(spec, development, book, period_column="application_month",
                              periods=["2023-12"]).values()
    rows = [*report.to_dict()["characteristics"], report.to_dict()["score"]]
    notes = [f"* p>0.10 / p>0.25 of {r['name']}: {r['p_material_note']}"
             for r in rows if r.get("p_material_note")]
    assert [x for x in result.stdout.splitlines() if x.startswith("* ")] == [
        f"{n} (docs/STATISTICS.md section 7)" for n in notes]
    few = tmp_path / "few.csv"  # 40 current rows: n_eff < 50, every material test is flagged
    book[book["application_month"] == "2023-12"].head(40).to_csv(few, index=False)
    small = run("drift", files / "model.json", "--reference", files / "reference.parquet",
                "--current", few)
    assert small.exit_code == 0, small.output
    flagged = [x for x in small.stdout.splitlines() if x.startswith("* p>0.10 / p>0.25 of ")]
    assert len(flagged) == len(rows) and all("unreliable: too few counts" in x for x in flagged)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "2023-12" in page


def test_fail_on_exit_code(files):
    args = ["drift", files / "model.json", "--reference", files / "reference.parquet",
            "--current", files / "book.csv", "--period-column", "application_month",
            "--period", "2023-12"]
    assert run(*args, "--fail-on", "watch", "--watch", "0.01", "--material", "0.02").exit_code == FAIL_EXIT_CODE
    assert run(*args, "--fail-on", "material").exit_code == 0


def test_clear_errors(files, tmp_path):
    base = ["drift", files / "model.json", "--reference", files / "reference.parquet"]
    result = run(*base, "--current", tmp_path / "missing.csv")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert "Traceback" not in result.output
    result = run(*base, "--current", files / "book.csv", "--period-column", "no_such_column")
    assert result.exit_code == 2 and "period column 'no_such_column' not found" in result.stderr
    result = run(*base, "--current", files / "book.csv", "--fail-on", "panic")
    assert result.exit_code == 2 and "--fail-on" in result.stderr
