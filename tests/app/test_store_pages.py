"""AppTest of the pages over the store: stored scorecards, runs and reports, schedules; an empty
store; a viewer kept from every editor action (also when the action is called directly)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scorecard.model.spec import points_table
from scorecard.storage import MonitorStore
from scorecard.users import USERS_ENV, hash_password

pytestmark = pytest.mark.app
APP = Path(__file__).resolve().parents[2] / "app"
MAIN = str(APP / "main.py")
EMPTY_HINTS = {"views/scorecards.py": "No scorecards in the store yet",
               "views/reports.py": "No monitors yet", "views/schedules.py": "No monitors",
               "views/history.py": "Nothing saved yet"}


@pytest.fixture(autouse=True)
def no_sign_in(monkeypatch):
    monkeypatch.delenv(USERS_ENV, raising=False)
    monkeypatch.delenv("SCORECARD_AUTH_FILE", raising=False)


def open_page(page):
    at = AppTest.from_file(MAIN, default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", sorted(EMPTY_HINTS))
def test_empty_store_says_what_to_do(tmp_path, monkeypatch, page):
    monkeypatch.setenv("SCORECARD_DB", f"sqlite:///{tmp_path / 'empty.db'}")
    at = open_page(page)
    assert any(EMPTY_HINTS[page] in i.value for i in at.info)
    assert not at.error


def test_stored_scorecard_reads_the_store(demo_store, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB", demo_store)
    at = open_page("views/scorecards.py")
    store = MonitorStore(demo_store)
    (model,) = store.models()
    spec = store.model_spec(model.id)
    assert at.selectbox(key="stored_card").value == "demo card"
    points = at.dataframe[0].value
    assert points["Points"].tolist() == points_table(spec)["points"].tolist()
    auc = spec["training"]["metrics"]["auc"]
    assert at.metric[0].value == f"{auc['value']:.3f} ± {auc['se']:.3f}"
    assert not at.get("vega_lite_chart") and not at.get("download_button")  # first view
    at.session_state["stored_tab"] = "Bins of one characteristic"  # a click on the tab
    at.run()
    assert len(at.get("vega_lite_chart")) == 1
    at.session_state["stored_tab"] = "Export"
    at.run()
    assert len(at.get("download_button")) == 6
    csv = [b for b in at.get("download_button") if b.proto.label == "CSV"]
    assert csv and not at.warning


def test_runs_and_html_report_of_a_chosen_period(demo_store, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB", demo_store)
    at = open_page("views/reports.py")
    store = MonitorStore(demo_store)
    periods = [r.period for r in store.results("demo")]
    assert at.selectbox(key="report_period").value == periods[-1]
    runs = at.dataframe[0].value
    assert list(runs["Status"]) == ["succeeded"] and list(runs["Monitor"]) == ["demo"]
    at.selectbox(key="report_period").set_value(periods[2]).run()
    assert not at.exception, at.exception
    import state  # the page's cache module (app/ is on sys.path once the app ran)

    html = state.drift_report_html(demo_store, state.store_version(), "demo", periods[2])
    assert periods[2] in html and periods[3] not in html and "<script src=" not in html


def test_editor_pauses_and_removes_a_schedule(demo_store, monkeypatch, tmp_path):
    import sqlite3

    copy = tmp_path / "store.db"
    with sqlite3.connect(demo_store.removeprefix("sqlite:///")) as source, \
            sqlite3.connect(copy) as target:
        source.backup(target)  # the WAL's pages too
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("SCORECARD_DB", url)
    at = open_page("views/schedules.py")
    assert at.dataframe[0].value.loc[0, "Cron"] == "0 6 1 * *"
    at.button(key="schedule_pause").click().run()
    assert any("Paused" in s.value for s in at.success)
    assert MonitorStore(url).schedule("demo").paused
    assert at.dataframe[0].value.loc[0, "Next run"] == "paused"
    at.text_input(key="schedule_cron").input("0 7 * * 1")
    at.button[0].click().run()  # the form's submit button
    assert MonitorStore(url).schedule("demo").cron == "0 7 * * 1"
    at.text_input(key="schedule_cron").input("not cron")
    at.button[0].click().run()
    assert at.error and MonitorStore(url).schedule("demo").cron == "0 7 * * 1"
    at.button(key="schedule_remove").click().run()
    assert MonitorStore(url).schedules() == []


def _viewer_calls_actions():
    import sys

    import streamlit as st

    sys.path.insert(0, st.session_state["app_folder"])
    import actions
    import auth

    for name, call in [("schedule", lambda: actions.set_schedule("demo", "0 1 * * *", "UTC")),
                       ("pause", lambda: actions.set_paused("demo", True)),
                       ("remove", lambda: actions.remove_schedule("demo")),
                       ("save report", lambda: actions.save_iv_report("german_credit", 20)),
                       ("save card", lambda: actions.save_scorecard("german_credit", "woe-lr"))]:
        try:
            call()
        except auth.PermissionDenied as exc:
            st.error(f"{name}: {exc}")
        else:
            st.success(name)


def test_viewer_sees_schedules_but_cannot_change_them(demo_store, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB", demo_store)
    monkeypatch.setenv(USERS_ENV, f"vi:viewer:{hash_password('viewer-pass')}")
    before = MonitorStore(demo_store).schedules()
    at = AppTest.from_file(MAIN, default_timeout=120)
    at.session_state["auth_user"] = "vi"
    at.run()
    at.switch_page("views/schedules.py").run()
    assert not at.exception, at.exception
    assert len(at.dataframe) == 1  # the table, and no form or buttons but "Sign out"
    assert [b.key for b in at.button] == ["auth_sign_out"]
    calls = AppTest.from_function(_viewer_calls_actions, default_timeout=60)
    calls.session_state["app_folder"] = str(APP)
    calls.session_state["auth_user"] = "vi"
    calls.run()
    assert not calls.exception, calls.exception
    assert not calls.success and len(calls.error) == 5
    assert all("is a viewer" in e.value for e in calls.error)
    assert MonitorStore(demo_store).schedules() == before
    assert MonitorStore(demo_store).models()[0].name == "demo card"
    assert len(MonitorStore(demo_store).models()) == 1
