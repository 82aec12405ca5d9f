"""The Fairness page: characteristics table, front, points, one point's card, groups, exports."""

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scorecard.fairness.front import fairness_front
from scorecard.datasets import DATASETS
from scorecard.fairness.groups import GERMAN_CREDIT_SEX
from scorecard.model.spec import points_table

pytestmark = pytest.mark.app
MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB", f"sqlite:///{tmp_path / 'store.db'}")


def open_small_front() -> AppTest:
    """The Fairness page with 3 budgets and the MIP method only (quick to trace)."""
    at = AppTest.from_file(MAIN, default_timeout=300).run()
    at.switch_page("views/fairness.py")
    at.session_state["fairness_eps_grid"] = 3
    at.session_state["fairness_score_level"] = False
    at.run()
    assert not at.exception, at.exception
    return at


def test_fairness_page_shows_front_and_point():
    at = open_small_front()
    assert at.title[0].value == "Fairness" and len(at.dataframe) == 1  # first view: the front
    info = DATASETS["german_credit"]
    expected = fairness_front(info.load(), info.target, ["personal_status_and_sex"],
                              bad_value=info.bad_value,
                              groups={"personal_status_and_sex": GERMAN_CREDIT_SEX},
                              eps_grid=3, penalties=None)
    points = at.dataframe[0].value
    assert points["AUC"].tolist() == pytest.approx(expected.table()["auc"].tolist(), rel=1e-12)
    assert len(at.get("vega_lite_chart")) == 1  # the front with error bars
    at.session_state["fairness_tab"] = "Characteristics"  # a click on the tab
    at.run()
    characteristics = at.dataframe[0].value
    assert set(characteristics["Worst group"]) == {"female"}
    assert characteristics["IV fair"].tolist() == pytest.approx(
        expected.characteristics["iv_fair"].tolist(), rel=1e-12)
    flagged = expected.characteristics.query("compliance_note != ''")
    assert characteristics["Compliance reliable"].tolist() == (
        expected.characteristics["compliance_note"] == "").tolist()
    shown = [w.value for w in at.warning if "outside the validity region" in w.value]
    assert len(shown) == (len(flagged) > 0)
    for row in flagged.itertuples():
        assert f"**{row.characteristic}** ({row.attribute}): {row.compliance_note}" in shown[0]

    at.session_state["fairness_tab"] = "One point"
    at.run()
    last = int(points["Point"].iloc[-1])
    at.selectbox(key="fairness_point").set_value(last).run()
    assert not at.exception, at.exception
    card = at.dataframe[1].value
    assert card["Points"].tolist() == points_table(expected.spec(last))["points"].tolist()
    groups = at.dataframe[0].value
    assert set(groups["Group"]) == {"female", "male"}
    assert groups["Approval rate"].between(0, 1).all()
    assert len(at.get("download_button")) == 6


def test_stored_front_is_read_not_traced(tmp_path, monkeypatch):
    """The demo stores the page's front: the page then shows it without tracing one (the
    tracer is broken here), Saved results lists it, and other settings are traced anew."""
    if str(Path(MAIN).parent) not in sys.path:
        sys.path.insert(0, str(Path(MAIN).parent))  # as main.py does
    import state  # the app's cache module

    from scorecard.scheduling import demo
    from scorecard.storage import ResultStore

    store = ResultStore(f"sqlite:///{tmp_path / 'store.db'}")
    front_id = demo.store_sample_front(store, eps_grid=3, score_level=False)
    assert demo.store_sample_front(store, eps_grid=3, score_level=False) == front_id  # once
    stored = demo.stored_sample_front(store, "german_credit", ("personal_status_and_sex",), 3,
                                      0.5, False)
    assert stored is not None and demo.stored_sample_front(
        store, "german_credit", ("personal_status_and_sex",), 4, 0.5, False) is None

    def broken(*args, **kwargs):
        raise AssertionError("traced a front that is stored")

    monkeypatch.setattr("scorecard.fairness.front.fairness_front", broken)
    state.front_for.clear()
    at = open_small_front()
    points = at.dataframe[0].value
    assert points["AUC"].tolist() == pytest.approx(stored.table()["auc"].tolist(), rel=1e-12)
    at.session_state["fairness_tab"] = "Characteristics"
    at.run()
    assert at.dataframe[0].value["IV fair"].tolist() == pytest.approx(
        stored.characteristics["iv_fair"].tolist(), rel=1e-12)

    at.session_state["fairness_eps_grid"] = 4  # not stored: traced (here: the broken tracer)
    at.run()
    assert at.exception and "traced a front that is stored" in at.exception[0].message
    state.front_for.clear()

    at.switch_page("views/history.py").run()
    assert not at.exception, at.exception
    assert list(at.dataframe[0].value["Kind"]) == [demo.FRONT_KIND]
    assert at.dataframe[1].value["AUC"].tolist() == pytest.approx(
        stored.table()["auc"].tolist(), rel=1e-12)
