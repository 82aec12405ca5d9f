"""Monitors, results per (monitor, period), alerts and schedules: on SQLite and PostgreSQL."""

import threading

import pytest
import sqlalchemy as sa

from scorecard.exceptions import InputError, StorageError
from scorecard.storage import MonitorStore, ResultStore


@pytest.fixture
def store(db_url, drift):
    store = MonitorStore(db_url)
    store.create_monitor("applications", drift.spec, reference="ref.parquet", source="cur/",
                         period_column="month")
    return store


def run_threads(target, n=8) -> list:
    """Run target(k) in n threads at once; return the exceptions they raised."""
    errors = []

    def guarded(k):
        try:
            target(k)
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def count(store, table, **where):
    clause = " AND ".join(f"{k} = :{k}" for k in where) or "1 = 1"
    with store.db.read() as conn:
        return conn.execute(sa.text(f"SELECT COUNT(*) FROM {table} WHERE {clause}"), where).scalar()


def test_monitor_create_read_and_clear_errors(store, drift):
    m = store.monitor("applications")
    assert (m.model_name, m.period_column, m.reference_mode) == ("test card", "month", "sample")
    assert m.spec == drift.spec
    with pytest.raises(InputError, match="exists already"):
        store.create_monitor("applications", drift.spec, reference="r", source="s")
    with pytest.raises(InputError, match="no monitor named 'nope'.*applications"):
        store.monitor("nope")
    with pytest.raises(InputError, match="not both"):
        store.create_monitor("x", drift.spec, reference="r", source="s", period_column="m",
                             date_column="d", freq="month")
    with pytest.raises(InputError, match="go together"):
        store.create_monitor("x", drift.spec, reference="r", source="s", date_column="d")
    store.create_monitor("second", drift.spec, reference="r", source="s")
    assert count(store, "models") == 1  # one spec, stored once
    assert store.monitor_names() == ["applications", "second"]
    (model,) = store.models()
    assert model.monitors == ("applications", "second") and model.name == "test card"
    assert store.model_spec(model.id) == drift.spec
    with pytest.raises(InputError, match="no stored model with id 999"):
        store.model_spec(999)


def test_rerun_replaces_result_bins_and_alert_in_place(store, drift):
    run1 = store.start_run("applications", trigger="test")
    first = store.write_result("applications", "2026-01", run1, drift.make_report("material"))
    assert not first.replaced and first.new_alert and "age" in first.alert.message
    run2 = store.start_run("applications", trigger="test")
    again = store.write_result("applications", "2026-01", run2,
                               drift.make_report("material", shift=3))
    assert again.replaced and not again.new_alert and again.alert.id == first.alert.id
    assert count(store, "results") == 1 and count(store, "alerts") == 1
    bins = store.bins("applications", "2026-01")
    assert len(bins) == 9 and bins["current_count"].tolist()[:3] == [37, 35, 28]
    assert count(store, "result_bins") == 9
    store.write_result("applications", "2026-01", run2, drift.make_report("stable"))
    assert store.alerts() == [] and count(store, "result_bins") == 9
    [summary] = store.results("applications")
    assert (summary.period, summary.status, summary.run_id) == ("2026-01", "stable", run2)


def test_history_is_in_period_order_and_round_trips(store, drift):
    run = store.start_run("applications", trigger="test")
    for period, shift in [("2026-03", 2), ("2026-01", 0), ("2026-02", 1)]:
        store.write_result("applications", period, run, drift.make_report(shift=shift))
    history = store.history("applications")
    assert [p for p, _ in history] == ["2026-01", "2026-02", "2026-03"]
    assert history[2][1] == drift.make_report(shift=2)
    overview = store.overview()
    assert overview.loc[0, "latest_period"] == "2026-03" and overview.loc[0, "periods"] == 3


def test_failed_write_leaves_the_previous_result(store, drift):
    run = store.start_run("applications", trigger="test")
    store.write_result("applications", "2026-01", run, drift.make_report())
    broken = drift.make_report("material", shift=5)
    broken["characteristics"][1]["name"] = "age"  # duplicate bins: the insert fails mid-transaction
    with pytest.raises(StorageError, match="could not store the result"):
        store.write_result("applications", "2026-01", run, broken)
    assert store.history("applications") == [("2026-01", drift.make_report())]
    assert count(store, "result_bins") == 9 and store.alerts() == []
    with pytest.raises(InputError, match="not a drift report"):
        store.write_result("applications", "2026-01", run, {"status": "stable"})


def test_runs_record_status_and_errors(store):
    run = store.start_run("applications", trigger="cli", requested_period="2026-01")
    assert store.runs("applications")[0].status == "running"  # our own pid is alive
    store.finish_run(run, "failed", error="boom")
    [record] = store.runs("applications")
    assert (record.status, record.error, record.requested_period) == ("failed", "boom", "2026-01")
    assert record.finished_at is not None


def test_schedules_add_pause_resume_remove(store):
    s = store.set_schedule("applications", "0 6 1 * *", "UTC")
    assert (s.cron, s.paused) == ("0 6 1 * *", False)
    assert store.set_paused("applications", True).paused
    assert not store.set_paused("applications", False).paused
    store.set_schedule("applications", "0 7 * * 1", "Europe/Berlin")
    assert [(x.cron, x.timezone) for x in store.schedules()] == [("0 7 * * 1", "Europe/Berlin")]
    store.remove_schedule("applications")
    assert store.schedules() == []
    with pytest.raises(InputError, match="has no schedule"):
        store.set_paused("applications", True)


def test_concurrent_writes_of_one_key_leave_one_consistent_result(store, drift):
    run = store.start_run("applications", trigger="test")

    def write(shift):
        for _ in range(5):
            store.write_result("applications", "2026-01", run,
                               drift.make_report("material", shift=shift))

    assert run_threads(write) == []
    assert count(store, "results") == 1 and count(store, "alerts") == 1
    [(_, report)] = store.history("applications")
    stored_bins = store.bins("applications")
    expected = [b["current_count"] for row in report["characteristics"] + [report["score"]]
                for b in row["bins"]]
    assert sorted(stored_bins["current_count"]) == sorted(expected)  # bins match the report


def test_concurrent_identical_saves_return_the_existing_row(db_url):
    """Issue 8 item 8: the same (kind, subject, params) saved at once by many writers."""
    store = ResultStore(db_url)
    ids = []

    def save(k):
        for j in range(10):
            ids.append(store.save("iv", f"subject {j}", {"n_bins": 20}, {"by": k}))

    assert run_threads(save) == []
    assert len(ids) == 80 and len(set(ids)) == 10 and len(store.list()) == 10
