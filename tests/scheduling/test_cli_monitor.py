"""`scorecard monitor ...`, `scorecard schedule ...`: the whole flow, and clean errors."""

import json
from datetime import datetime

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.storage import MonitorStore

runner = CliRunner()
PERIOD = "application_month"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("SCORECARD_DB", url)

    def invoke(*args, code=0):
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == code, (result.output, result.exception)
        return result

    invoke.url = url
    return invoke


def test_create_run_show_report_and_schedule(cli, files, tmp_path):
    cli("monitor", "create", "apps", "--model", files.model, "--reference", files.reference,
        "--source", files.current, "--period-column", PERIOD)
    listed = json.loads(cli("monitor", "list", "--json").stdout)
    assert listed[0]["monitor"] == "apps" and listed[0]["status"] == "no runs yet"
    ran = cli("monitor", "run", "apps").stdout.splitlines()
    store = MonitorStore(cli.url)
    assert ran == [f"{r.period}\t{r.status}" for r in store.results("apps")]
    assert [r.period for r in store.results("apps")] == files.periods
    shown = json.loads(cli("monitor", "show", "apps", "--json").stdout)
    assert shown["latest"]["period"] == "2023-06" and len(shown["alerts"]) == 1
    assert shown["latest"]["report"] == store.history("apps")[-1][1]
    text = cli("monitor", "show", "apps").stdout
    assert "account_balance" in text and "material drift in monitor 'apps'" in text
    rerun = cli("monitor", "run", "apps", "--period", "2023-04", "--json").stdout
    assert json.loads(rerun)["written"] == [["2023-04", store.results("apps")[1].status]]
    html = tmp_path / "report.html"
    cli("monitor", "report", "apps", "--html", html)
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "2023-06" in page and "account_balance" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "") and "<script" not in page
    cli("schedule", "add", "apps", "--cron", "0 6 * * 0")
    [row] = json.loads(cli("schedule", "list", "--json").stdout)
    assert [datetime.fromisoformat(t).isoweekday() for t in row["next_run_times"]] == [7, 7, 7]
    cli("schedule", "pause", "apps")
    assert json.loads(cli("schedule", "list", "--json").stdout)[0]["next_run_times"] == []
    cli("schedule", "resume", "apps")
    cli("schedule", "remove", "apps")
    assert json.loads(cli("schedule", "list", "--json").stdout) == []


@pytest.mark.parametrize("args, message", [
    (["monitor", "run", "nope"], "no monitor named 'nope'"),
    (["monitor", "show", "nope"], "no monitor named 'nope'"),
    (["schedule", "add", "nope", "--cron", "0 6 * * *"], "no monitor named 'nope'"),
    (["schedule", "pause", "nope"], "no monitor named 'nope'"),
    (["monitor", "report", "nope", "--html", "x.html"], "no monitor named 'nope'"),
])
def test_unknown_monitor_is_one_clean_line(cli, args, message):
    result = cli(*args, code=2)
    assert message in result.stderr and "Traceback" not in result.output


def test_bad_inputs_are_clean_errors(cli, files):
    common = ["--model", files.model, "--reference", files.reference, "--source", files.current]
    result = cli("monitor", "create", "m", *common, "--period-column", PERIOD, "--date-column",
                 "d", "--freq", "month", code=2)
    assert "not both" in result.stderr
    assert "watch" in cli("monitor", "create", "m", *common, "--watch", "0.5", "--material",
                          "0.2", code=2).stderr
    cli("monitor", "create", "m", *common, "--period-column", PERIOD)
    assert "5 fields" in cli("schedule", "add", "m", "--cron", "0 6 * *", code=2).stderr
    assert "unknown time zone" in cli("schedule", "add", "m", "--cron", "0 6 * * *",
                                      "--timezone", "Mars/Base", code=2).stderr
    assert "has no stored periods" in cli("monitor", "report", "m", "--html", "x.html",
                                          code=2).stderr
    assert "exists already" in cli("monitor", "create", "m", *common, code=2).stderr
    cli("monitor", "create", "hooked", *common, "--webhook", "https://hooks.example.com/T0/SECRET")
    shown = cli("monitor", "show", "hooked", "--json").stdout
    assert "SECRET" not in shown and "https://hooks.example.com/..." in shown


def test_unreachable_database_never_shows_the_password(monkeypatch):
    monkeypatch.setenv("SCORECARD_DB", "postgresql+psycopg://risk:hunter2@127.0.0.1:9/store")
    result = runner.invoke(app, ["monitor", "list"])
    assert result.exit_code == 2 and "hunter2" not in result.output
    assert "risk:***@127.0.0.1:9/store" in result.stderr
