from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from scorecard.binning.prebinning import iv_report
from scorecard.datasets import DATASETS

pytestmark = pytest.mark.app
MAIN = str(Path(__file__).resolve().parents[2] / "app" / "main.py")


@pytest.fixture(autouse=True)
def isolated_store(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_DB", f"sqlite:///{tmp_path / 'store.db'}")


def expected_summary(name, n_bins=20):
    info = DATASETS[name]
    frame = info.load()
    columns = [c for c in frame.columns if c not in info.exclude]
    return iv_report(frame, info.target, bad_value=info.bad_value, columns=columns,
                     n_bins=n_bins, special_values=info.special_values).summary


def open_page(page="views/characteristics.py", timeout=120):
    at = AppTest.from_file(MAIN, default_timeout=timeout).run()
    return at.switch_page(page).run()


def test_opens_on_german_credit_with_real_values():
    at = open_page()
    assert not at.exception, at.exception
    assert at.selectbox(key="dataset").value == "german_credit"
    shown = at.dataframe[0].value
    expected = expected_summary("german_credit")
    assert list(shown["Characteristic"]) == list(expected["name"])
    assert shown["IV"].to_numpy() == pytest.approx(expected["iv"].to_numpy(), rel=1e-12)
    first = expected.iloc[0]
    assert shown["IV ± SE"].iloc[0] == f"{first['iv']:.3f} ± {first['iv_se']:.3f}"
    assert (shown["IV low"] <= shown["IV corrected"]).all()
    assert (shown["IV corrected"] <= shown["IV high"]).all()
    assert set(shown["Test"]) <= {"chi2", "permutation"}
    assert len(at.dataframe) == 1 and not at.get("vega_lite_chart")  # first view: the summary
    at.button(key="save_iv").click().run()
    assert any("Saved as report #" in c.value for c in at.success)
    at.session_state["iv_tab"] = "Intervals (chart)"  # a click on the tab
    at.run()
    assert len(at.get("vega_lite_chart")) == 1
    at.session_state["iv_tab"] = "Weight of Evidence per bin"
    at.run()
    woe = at.dataframe[0].value
    assert at.selectbox(key="characteristic").value == "status_of_existing_checking_account"
    assert len(woe) == 4 and woe["WoE SE"].gt(0).all()


def test_switch_dataset_and_characteristic():
    at = open_page()
    at.selectbox(key="dataset").set_value("credit_data").run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    assert "Seniority" in set(shown["Characteristic"])
    at.session_state["iv_tab"] = "Weight of Evidence per bin"
    at.run()
    at.selectbox(key="characteristic").set_value("Income").run()
    labels = list(at.dataframe[0].value["Bin"])
    assert "Missing" in labels


def test_history_lists_stored_report():
    at = open_page()
    at.button(key="save_iv").click().run()
    at.switch_page("views/history.py").run()
    assert not at.exception, at.exception
    history = at.dataframe[0].value
    assert list(history["Subject"]) == ["german_credit"]
    report = at.dataframe[1].value
    assert report.iloc[0]["Characteristic"] == "status_of_existing_checking_account"


def test_binning_page_matches_the_estimator():
    from scorecard.binning import BinningProcess
    from scorecard.validation import binary_target

    at = open_page("views/binning.py")
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    info = DATASETS["german_credit"]
    frame = info.load()
    columns = [c for c in frame.columns if c not in info.exclude]
    y = binary_target(frame[info.target], bad_value=info.bad_value)
    expected = BinningProcess(columns=columns, max_n_bins=8).fit(frame[columns], y).summary()
    assert list(shown["Characteristic"]) == list(expected["name"])
    assert shown["IV"].to_numpy() == pytest.approx(expected["iv"].to_numpy(), rel=1e-12)
    at.session_state["binning_tab"] = "Bins of one characteristic"  # a click on the tab
    at.run()
    at.selectbox(key="binned_characteristic").set_value("duration_in_month").run()
    bins = at.dataframe[0].value
    assert "Missing" in set(bins["Bin"]) and bins["WoE SE"].dropna().gt(0).all()
    rates = bins.loc[bins["Kind"] == "interval", "Bad rate"].to_numpy()
    assert np.all(np.diff(rates) > 0) or np.all(np.diff(rates) < 0)


def test_binning_page_reacts_to_constraints():
    at = open_page("views/binning.py")
    at.slider(key="max_bins").set_value(3).run()
    assert not at.exception, at.exception
    at.session_state["binning_tab"] = "Bins of one characteristic"
    at.run()
    at.selectbox(key="binned_characteristic").set_value("duration_in_month").run()
    bins = at.dataframe[0].value
    assert (bins["Kind"] == "interval").sum() <= 3


def test_scorecard_page_shows_holdout_performance_and_exports():
    import warnings

    from sklearn.model_selection import train_test_split

    from scorecard.model.scorecard import Scorecard
    from scorecard.validation import binary_target

    at = open_page("views/scorecard.py", timeout=180)
    assert not at.exception, at.exception
    info = DATASETS["german_credit"]
    frame = info.load()
    columns = [c for c in frame.columns if c not in info.exclude]
    y = binary_target(frame[info.target], bad_value=info.bad_value)
    X_train, X_test, y_train, y_test = train_test_split(
        frame[columns], y, test_size=0.3, random_state=0, stratify=y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = Scorecard(encoding="woe-lr").fit(X_train, y_train)
    expected_auc = model.evaluate(X_test, y_test)["auc"]["value"]
    performance = at.dataframe[0].value
    shown_auc = performance.loc[performance["Metric"] == "AUC", "Value"].iloc[0]
    assert shown_auc == pytest.approx(expected_auc, rel=1e-12)
    assert 0.7 < shown_auc < 0.9
    assert len(at.dataframe) == 1 and len(at.get("vega_lite_chart")) == 2  # ROC, KS
    at.session_state["card_tab"] = "Export"  # a click on the tab
    at.run()
    downloads = [e for e in at.get("download_button")]
    assert len(downloads) == 6
    at.session_state["card_tab"] = "Points"
    at.run()
    points = at.dataframe[0].value
    assert set(points["Characteristic"]) == set(model.characteristics_)
    at.button(key="save_card").click().run()
    assert any("Saved as model #" in s.value for s in at.success)
    at.sidebar.selectbox(key="encoding").set_value("xgb-stumps").run()
    assert not at.exception, at.exception
    stored = open_page("views/scorecards.py", timeout=60)
    assert stored.selectbox(key="stored_card").value == "german_credit woe-lr"
    points = stored.dataframe[0].value
    assert set(points["Characteristic"]) == set(model.characteristics_)
    stored.session_state["stored_tab"] = "Export"
    stored.run()
    assert len(stored.get("download_button")) == 6


def test_unwritable_store_warns_but_shows_results(tmp_path, monkeypatch):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    monkeypatch.setenv("SCORECARD_DB", f"sqlite:///{blocker / 'store.db'}")
    at = open_page()
    assert not at.exception, at.exception
    assert at.dataframe[0].value.iloc[0]["Characteristic"] == "status_of_existing_checking_account"
    at.button(key="save_iv").click().run()
    assert any("Results not saved" in w.value for w in at.warning)
    at.switch_page("views/history.py").run()
    assert not at.exception, at.exception
    assert any("cannot be read" in e.value for e in at.error)


def test_model_warnings_are_shown_on_the_page():
    at = open_page("views/binning.py")
    assert not at.warning
    at.slider(key="max_bins").set_value(2)
    at.slider(key="min_bin_size").set_value(0.2)
    at.run()
    assert not at.exception, at.exception
    shown = [w.value for w in at.warning]
    assert any("other_debtors_or_guarantors" in w and "single bin" in w for w in shown)
    at.slider(key="max_bins").set_value(3).run()  # another fit
    at.slider(key="max_bins").set_value(2).run()  # the cached fit: its warnings again
    assert [w.value for w in at.warning] == shown
