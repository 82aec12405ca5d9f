"""The Fairness page: characteristics table, front, points, one point's card, groups, exports."""

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


def test_fairness_page_shows_front_and_point():
    at = AppTest.from_file(MAIN, default_timeout=300).run()
    at.switch_page("views/fairness.py")
    at.session_state["fairness_eps_grid"] = 3
    at.session_state["fairness_score_level"] = False
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Fairness" and len(at.dataframe) == 4
    info = DATASETS["german_credit"]
    expected = fairness_front(info.load(), info.target, ["personal_status_and_sex"],
                              bad_value=info.bad_value,
                              groups={"personal_status_and_sex": GERMAN_CREDIT_SEX},
                              eps_grid=3, penalties=None)
    characteristics = at.dataframe[0].value
    assert set(characteristics["Worst group"]) == {"female"}
    assert characteristics["IV fair"].tolist() == pytest.approx(
        expected.characteristics["iv_fair"].tolist(), rel=1e-12)
    points = at.dataframe[1].value
    assert points["AUC"].tolist() == pytest.approx(expected.table()["auc"].tolist(), rel=1e-12)
    assert len(at.get("vega_lite_chart")) == 1  # the front with error bars

    last = int(points["Point"].iloc[-1])
    at.selectbox(key="fairness_point").set_value(last).run()
    assert not at.exception, at.exception
    card = at.dataframe[3].value
    assert card["Points"].tolist() == points_table(expected.spec(last))["points"].tolist()
    groups = at.dataframe[2].value
    assert set(groups["Group"]) == {"female", "male"}
    assert groups["Approval rate"].between(0, 1).all()
    assert len(at.get("download_button")) >= 6
