"""AppTest of the Build page: german_credit from upload to a saved model with a monitor and a
schedule, bin edits moving the IV, bad uploads as messages, and viewers refused everywhere."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split
from streamlit.testing.v1 import AppTest

from scorecard import stats
from scorecard.binning import BinningProcess
from scorecard.datasets import data_dir
from scorecard.io import read_table
from scorecard.storage import MonitorStore
from scorecard.users import AUTH_FILE_ENV, USERS_ENV, hash_password
from scorecard.validation import binary_target

pytestmark = pytest.mark.app
APP = Path(__file__).resolve().parents[2] / "app"
MAIN = str(APP / "main.py")
GERMAN = data_dir() / "german_credit.csv"
PROTECTED = ["personal_status_and_sex", "foreign_worker"]


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("SCORECARD_DB", url)
    monkeypatch.delenv("SCORECARD_FILES", raising=False)
    for name in (USERS_ENV, AUTH_FILE_ENV, "SCORECARD_MAX_UPLOAD_MB", "SCORECARD_MAX_ROWS"):
        monkeypatch.delenv(name, raising=False)
    return url


def build_page() -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=180).run()
    at.switch_page("views/build.py").run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="build_upload").upload(name, data, "application/octet-stream")
    at.run()
    assert not at.exception, at.exception
    return at


def flow_state(at: AppTest):
    return at.session_state["build"]


def expected_process(frame: pd.DataFrame):
    """The bins the page should show: an independent fit on the same stratified 70% of rows;
    and the hold-out rows with their labels."""
    y = binary_target(frame["credit_risk"], name="credit_risk")
    train, test = train_test_split(np.arange(len(frame)), test_size=0.3, random_state=0,
                                   stratify=y)
    train, test = np.sort(train), np.sort(test)
    columns = [c for c in frame.columns if c != "credit_risk" and c not in PROTECTED]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        process = BinningProcess(columns=columns).fit(frame.iloc[train][columns], y[train])
    return process, frame.iloc[test][columns], y[test]


def iv_shown(at: AppTest, column: str) -> float:
    summary = at.dataframe[1].value
    text = summary.loc[summary["Characteristic"] == column, "IV ± SE (training)"].item()
    return float(text.split(" ± ")[0])


def test_happy_path_upload_edit_save_monitor_schedule(isolated):
    at = upload(build_page(), "german_credit.csv", GERMAN.read_bytes())
    frame = read_table(GERMAN)
    assert flow_state(at).frame.equals(frame)
    assert at.selectbox(key="build_target").value == "credit_risk"
    at.multiselect(key="build_protected").set_value(PROTECTED)
    at.button(key="build_fit").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    state = flow_state(at)
    expected, X_test, y_test = expected_process(frame)
    summary = at.dataframe[1].value
    want = expected.summary()
    assert list(summary["Characteristic"]) == list(want["name"])
    assert [iv_shown(at, c) for c in want["name"]] == pytest.approx(want["iv"], abs=5e-4)
    # Hold-out IV: hold-out rows counted in the frozen training bins, by numpy.
    column = "credit_amount"
    table = expected.binning_tables_[column]
    values = X_test[column].to_numpy(float)
    edges = np.concatenate([[-np.inf], table.splits, [np.inf]])
    slot = np.searchsorted(edges, values, side="right") - 1
    goods = np.bincount(slot[y_test == 0], minlength=len(edges) - 1)
    bads = np.bincount(slot[y_test == 1], minlength=len(edges) - 1)
    honest = stats.information_value(goods, bads)
    row = state.holdout_iv.set_index("name").loc[column]
    assert row["iv_holdout"] == pytest.approx(honest.value, rel=1e-12)
    assert row["iv_holdout_se"] == pytest.approx(honest.se, rel=1e-12)
    shown = summary.set_index("Characteristic").loc[column, "IV ± SE (hold-out)"]
    assert shown == f"{honest.value:.3f} ± {honest.se:.3f}"
    assert not set(PROTECTED) & set(state.process.columns_)
    assert not set(PROTECTED) & set(state.card.characteristics_)
    assert {f["attribute"] for f in state.fairness} == set(PROTECTED)
    assert len(at.dataframe[-1].value) == len(PROTECTED)  # fairness table on hold-out rows
    auc = state.metrics["auc"]
    assert 0.6 < auc["value"] < 0.9 and auc["ci"][0] < auc["value"] < auc["ci"][1]

    # Merge the first two bins of duration_in_month: IV falls, the card follows the edit.
    column = "duration_in_month"
    at.selectbox(key="build_column").set_value(column).run()
    before = state.process.binning_tables_[column]
    at.selectbox(key="build_merge_pair").set_value(0)
    at.button(key="build_merge").click().run()
    assert not at.exception, at.exception
    state = flow_state(at)
    after = state.process.binning_tables_[column]
    assert list(after.splits) == list(before.splits[1:])
    assert iv_shown(at, column) == pytest.approx(after.iv, abs=5e-4) and after.iv < before.iv
    params = state.card.spec_["model"]["binning"]["params"]["binner_params"]
    assert params[column]["user_splits"] == [float(v) for v in before.splits[1:]]
    if column in state.card.characteristics_:
        points = state.card.points_table_
        intervals = points[(points["characteristic"] == column) & (points["kind"] == "interval")]
        assert len(intervals) == len(after.splits) + 1

    # Add a cut back inside the merged bin: IV rises again.
    cut = float(before.splits[0])
    at.number_input(key="build_cut_value").set_value(cut)
    at.button(key="build_add_cut").click().run()
    assert not at.exception, at.exception
    again = flow_state(at).process.binning_tables_[column]
    assert list(again.splits) == list(before.splits) and again.iv > after.iv
    assert again.iv == pytest.approx(before.iv, rel=1e-12)  # the same bins as the optimum's
    assert iv_shown(at, column) == pytest.approx(again.iv, abs=5e-4)

    # Save, monitor, schedule.
    at.button(key="build_save").click().run()
    assert not at.exception, at.exception
    state = flow_state(at)
    store = MonitorStore(isolated)
    sha = state.card.spec_["integrity"]["sha256"]
    assert state.model_id is not None
    pd.testing.assert_frame_equal(read_table(state.reference_path), frame, check_dtype=False)
    at.text_input(key="build_monitor_name").input("german build")
    at.button(key="FormSubmitter:build_monitor_form-Create the monitor").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    monitor = store.monitor("german build")
    assert monitor.model_sha256 == sha and monitor.model_id == state.model_id
    assert Path(monitor.reference) == Path(state.reference_path).resolve()
    assert Path(monitor.source).is_dir()
    at.text_input(key="build_cron").input("30 5 * * 1")
    at.button(key="FormSubmitter:build_schedule_form-Add the schedule").click().run()
    assert not at.exception, at.exception
    schedule = store.schedule("german build")
    assert (schedule.cron, schedule.timezone, schedule.paused) == ("30 5 * * 1", "UTC", False)
    assert any("Scheduled 'german build'" in s.value for s in at.success)


def test_bundled_dataset_suggests_roles_and_a_bad_cron_is_a_message(isolated):
    at = build_page()
    at.radio(key="build_kind").set_value("Bundled dataset").run()
    at.selectbox(key="build_dataset").set_value("german_credit")
    at.button(key="build_use_dataset").click().run()
    assert not at.exception, at.exception
    assert set(at.multiselect(key="build_protected").value) == {
        "personal_status_and_sex", "age_in_years", "foreign_worker"}
    at.button(key="build_fit").click().run()
    at.button(key="build_save").click().run()
    at.radio(key="build_source_kind").set_value("another file, folder or SQL source")
    at.button(key="FormSubmitter:build_monitor_form-Create the monitor").click().run()
    assert any("give the monitor's source" in e.value for e in at.error)
    at.radio(key="build_source_kind").set_value(at.radio(key="build_source_kind").options[0])
    at.button(key="FormSubmitter:build_monitor_form-Create the monitor").click().run()
    assert flow_state(at).monitor is not None
    at.text_input(key="build_cron").input("61 * * * *")
    at.button(key="FormSubmitter:build_schedule_form-Add the schedule").click().run()
    assert not at.exception, at.exception
    assert any("cron" in e.value.lower() for e in at.error), [e.value for e in at.error]
    assert MonitorStore(isolated).schedules() == []


@pytest.mark.parametrize("name, data, message", [
    ("broken.parquet", b"PAR1 this is not parquet", "cannot read 'broken.parquet' as parquet"),
    ("tiny.csv", b"x,y\n1,0\n2,1\n", "'tiny.csv' has 2 rows"),
    ("empty.csv", b"", "'empty.csv' is empty"),
    ("one.csv", b"y\n" + b"0\n1\n" * 40, "a target and at least one characteristic"),
])
def test_bad_upload_is_a_message_not_a_traceback(name, data, message):
    at = upload(build_page(), name, data)
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert flow_state(at).frame is None
    assert any("Upload a CSV or parquet file" in i.value for i in at.info)


def test_upload_limits(monkeypatch):
    monkeypatch.setenv("SCORECARD_MAX_ROWS", "500")
    at = upload(build_page(), "german_credit.csv", GERMAN.read_bytes())
    assert any("has 1,000 rows; the limit is 500" in e.value for e in at.error)
    monkeypatch.setenv("SCORECARD_MAX_UPLOAD_MB", "0.01")
    at = upload(build_page(), "german_credit.csv", GERMAN.read_bytes())
    assert any("the limit is 0.0 MB" in e.value for e in at.error)


def test_a_bad_target_is_a_message(isolated):
    at = upload(build_page(), "german_credit.csv", GERMAN.read_bytes())
    at.selectbox(key="build_target").set_value("credit_amount")
    at.button(key="build_fit").click().run()
    assert not at.exception, at.exception
    assert any("credit_amount" in e.value for e in at.error)
    assert flow_state(at).card is None


# -- viewers ------------------------------------------------------------------------------------


def _viewer_calls_every_action():
    """Each Build action, called directly in a viewer's session: every one must be refused."""
    import sys
    from pathlib import Path

    import streamlit as st

    sys.path.insert(0, st.session_state["app_folder"])
    import auth
    import build_flow as flow

    state = flow.BuildState()
    store = flow.MonitorStore()
    roles = flow.Roles("credit_risk")
    csv = Path(st.session_state["german"]).read_bytes()
    actions = {
        "upload": lambda: flow.read_upload(state, "german_credit.csv", csv),
        "bundled": lambda: flow.load_bundled(state, "german_credit"),
        "fit": lambda: flow.fit(state, roles),
        "edit": lambda: flow.edit(state, "duration_in_month", None),
        "save": lambda: flow.save_model(state, store),
        "monitor": lambda: flow.add_monitor(state, store, "m", source="."),
        "schedule": lambda: flow.add_schedule(state, "0 6 * * *"),
    }
    for name, action in actions.items():
        try:
            action()
        except auth.PermissionDenied as exc:
            st.error(f"{name}: {exc}")
        else:
            st.success(f"{name}: allowed")


def test_viewer_is_refused_by_every_action_called_directly(monkeypatch, isolated):
    monkeypatch.setenv(USERS_ENV, f"vi:viewer:{hash_password('viewer-pass')}")
    at = AppTest.from_function(_viewer_calls_every_action, default_timeout=60)
    at.session_state["app_folder"] = str(APP)
    at.session_state["german"] = str(GERMAN)
    at.session_state["auth_user"] = "vi"
    at.run()
    assert not at.exception, at.exception
    assert not at.success, [s.value for s in at.success]
    assert len(at.error) == 7 and all("needs the editor role" in e.value for e in at.error)
    assert MonitorStore(isolated).monitor_names() == []


def test_viewer_opening_the_build_script_sees_no_controls(monkeypatch):
    monkeypatch.setenv(USERS_ENV, f"vi:viewer:{hash_password('viewer-pass')}")
    monkeypatch.syspath_prepend(str(APP))
    at = AppTest.from_file(str(APP / "views" / "build.py"), default_timeout=60)
    at.session_state["auth_user"] = "vi"
    at.run()
    assert not at.exception, at.exception
    assert any("need the editor role" in i.value for i in at.info)
    assert not at.file_uploader and not at.button
