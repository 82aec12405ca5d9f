"""Monitor runs: pending periods, reruns replacing in place, failures recorded, stored reports
identical to what scorecard.monitoring computes. SQLite, and PostgreSQL (e2e)."""

import pytest

from scorecard.exceptions import InputError
from scorecard.monitoring import DriftReport, drift_reports
from scorecard.scheduling.runner import create_monitor, run_monitor

PERIOD = "application_month"


def test_first_run_stores_every_period_then_only_the_latest(monitored, files):
    store, name = monitored
    first = run_monitor(store, name)
    assert [p for p, _ in first.written] == files.periods and first.skipped == []
    expected = drift_reports(files.spec, str(files.reference), str(files.current),
                             period_column=PERIOD)
    history = store.history(name)
    assert [p for p, _ in history] == files.periods
    for period, stored in history:
        assert DriftReport.from_dict(stored) == expected[period]  # exactly what monitoring says
    bins = store.bins(name, "2023-04")
    report = expected["2023-04"].to_dict()
    balance = next(r for r in report["characteristics"] if r["name"] == "account_balance")
    assert bins[bins.characteristic == "account_balance"]["current_count"].tolist() == [
        b["current_count"] for b in balance["bins"]]
    again = run_monitor(store, name)
    assert [p for p, _ in again.written] == ["2023-06"] and again.skipped == files.periods[:3]
    assert store.monitor(name).settings["score_edges"] == expected["2023-03"].score_edges
    assert [r.status for r in store.runs(name)] == ["succeeded", "succeeded"]
    assert len(store.results(name)) == 4


def test_injected_drift_writes_one_alert_and_reruns_do_not_repeat_it(monitored):
    store, name = monitored
    summary = run_monitor(store, name)
    statuses = dict(summary.written)
    assert statuses["2023-06"] == "material" and statuses["2023-04"] != "material"
    [alert] = store.alerts(name)
    assert alert.period == "2023-06" and "account_balance" in alert.message
    rerun = run_monitor(store, name, period="2023-06")
    assert rerun.written == [("2023-06", "material")] and rerun.alerts == []
    assert [a.id for a in store.alerts(name)] == [alert.id]


def test_a_period_without_rows_is_stored_as_empty(monitored):
    store, name = monitored
    summary = run_monitor(store, name, period="2030-01")
    assert summary.written == [("2030-01", "empty")]
    assert store.results(name)[-1].n_current == 0


def test_bad_source_is_a_failed_run_with_the_reason(monitored, files, tmp_path):
    store, name = monitored
    run_monitor(store, name)
    before = store.history(name)
    broken = tmp_path / "broken.parquet"
    import pandas as pd

    pd.read_parquet(files.current).drop(columns=["utilisation"]).to_parquet(broken)
    create_monitor(store, "broken", files.model, reference=str(files.reference),
                   source=str(broken), period_column=PERIOD)
    with pytest.raises(InputError, match="utilisation"):
        run_monitor(store, "broken")
    [run] = store.runs("broken")
    assert run.status == "failed" and "utilisation" in run.error
    assert store.results("broken") == [] and store.history(name) == before


def test_create_checks_its_inputs(db_url, files):
    from scorecard.storage import MonitorStore

    store = MonitorStore(db_url)
    with pytest.raises(InputError, match="does not exist"):
        create_monitor(store, "m", files.model, reference="/nope.parquet", source=str(files.current))
    with pytest.raises(InputError, match="http"):
        create_monitor(store, "m", files.model, reference=str(files.reference),
                       source=str(files.current), webhook="ftp://x")
    assert store.monitor_names() == []
