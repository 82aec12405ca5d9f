"""AppTest of the Overview and Monitoring pages: an empty store, and the demo store."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scorecard.monitoring import DriftReport
from scorecard.storage import MonitorStore

pytestmark = pytest.mark.app
MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


# AppTest does not expose dataframe keys: tables are found by their order on the page.


def open_page(page):
    at = AppTest.from_file(MAIN, default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_empty_store_explains_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB", f"sqlite:///{tmp_path / 'empty.db'}")
    overview = open_page("views/overview.py")
    assert any("no models yet" in i.value and "Build" in i.value for i in overview.info)
    monitoring = open_page("views/monitoring.py")
    assert any("No monitors yet" in i.value for i in monitoring.info)


def test_overview_lists_each_monitor_with_its_latest_status(demo_store, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB", demo_store)
    at = open_page("views/overview.py")
    shown = at.dataframe[0].value
    store = MonitorStore(demo_store)
    latest = store.results("demo")[-1]
    assert shown.loc[0, "Monitor"] == "demo" and shown.loc[0, "Periods"] == 24
    assert (shown.loc[0, "Latest period"], shown.loc[0, "Status"]) == (latest.period, latest.status)
    assert shown.loc[0, "Alerts"] == len(store.alerts("demo")) > 0
    (run,) = store.runs("demo")
    assert (shown.loc[0, "Last run"], shown.loc[0, "Last run status"]) == (run.started_at,
                                                                          "succeeded")
    assert shown.loc[0, "Next run"].endswith("06:00+00:00")  # the demo's "0 6 1 * *" in UTC
    models = at.dataframe[1].value
    assert list(models["Monitors"]) == ["demo"]


def test_monitoring_shows_latest_tests_bins_and_alerts(demo_store, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB", demo_store)
    at = open_page("views/monitoring.py")
    store = MonitorStore(demo_store)
    period, data = store.history("demo")[-1]
    expected = DriftReport.from_dict(data).to_frame()
    shown = at.dataframe[0].value
    assert list(shown["Characteristic"]) == list(expected["name"])
    assert shown["PSI"].to_numpy() == pytest.approx(expected["psi"].to_numpy(), rel=1e-12)
    assert list(shown["Status"]) == list(expected["status"])
    row = expected.iloc[0]
    assert shown["PSI ± SE"].iloc[0] == f"{row['psi']:.3f} ± {row['psi_se']:.3f}"
    assert len(at.dataframe) == 1 and len(at.get("vega_lite_chart")) == 1  # first view: one tab
    # material-drift p-values outside the validity region are explained under the table
    rows = [*data["characteristics"], data["score"]]
    notes = [f"**{r['name']}**: {r['p_material_note']}" for r in rows if r.get("p_material_note")]
    captions = [c.value for c in at.caption if "only indicative" in c.value]
    assert len(captions) == (len(notes) > 0) and all(n in captions[0] for n in notes)
    at.session_state["monitor_tab"] = "Bins of one period"  # a click on the tab
    at.run()
    assert at.selectbox(key="monitor_period").value == period
    at.selectbox(key="monitor_characteristic").set_value("account_balance").run()
    first = store.results("demo")[0].period
    at.selectbox(key="monitor_period").set_value(first).run()
    assert not at.exception, at.exception
    bins = at.dataframe[0].value
    stored = store.bins("demo", first)
    stored = stored[stored.characteristic == "account_balance"]
    assert bins["Current rows"].tolist() == stored["current_count"].tolist()
    assert bins["Reference rows"].tolist() == stored["reference_count"].tolist()
    at.session_state["monitor_tab"] = "Alerts"
    at.run()
    alerts = at.dataframe[0].value
    assert sorted(alerts["Period"]) == sorted(a.period for a in store.alerts("demo"))
    at.session_state["monitor_tab"] = "Recent runs"
    at.run()
    runs = at.dataframe[0].value
    assert list(runs["Status"]) == ["succeeded"]


def test_unreadable_store_is_an_error_not_a_traceback(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SCORECARD_DB", f"sqlite:///{blocker / 'store.db'}")
    for page in ("views/overview.py", "views/monitoring.py", "views/scorecards.py",
                 "views/reports.py", "views/schedules.py", "views/history.py"):
        at = open_page(page)
        assert any("cannot be read" in e.value for e in at.error)
