"""A scorecard fitted on a bundled sample dataset: points, bins, hold-out performance with
intervals, and every export (to try encodings; the Build page builds cards on your data)."""

import pandas as pd
import streamlit as st

import actions
import charts
import display
import state
from scorecard.export import DIALECTS
from scorecard.model.metrics import ks_curve, roc_curve

st.title("Scorecard on a sample dataset")
dataset = state.current_dataset()
encoding = st.sidebar.selectbox("Encoding", state.ENCODINGS, key="encoding")
fitted_result = state.scorecard_for(dataset, encoding)
state.show_warnings(fitted_result, "Scorecard")
fitted = fitted_result.value
model, metrics = fitted.model, fitted.metrics
spec = model.spec_
scaling = spec["scaling"]
st.caption(
    f"{encoding} on {fitted.n_train:,} training rows; performance on {fitted.n_test:,} hold-out "
    f"rows. Higher score = lower risk: {scaling['base_score']:g} points at odds "
    f"{scaling['base_odds']:g}:1 (good:bad), {scaling['pdo']:g} points to double the odds.")

auc, ks, hl = metrics["auc"], metrics["ks"], metrics["calibration"]["hosmer_lemeshow"]
iv = metrics["score_iv"]
cols = display.show_metrics(metrics, "hold-out", extra=1)
cols[4].metric("Hosmer-Lemeshow p", f"{hl['p_value']:.3g}")
performance = pd.DataFrame([
    {"metric": "AUC", "value": auc["value"], "se": auc["se"], "ci_low": auc["ci"][0],
     "ci_high": auc["ci"][1]},
    {"metric": "Gini", "value": metrics["gini"]["value"], "se": metrics["gini"]["se"],
     "ci_low": metrics["gini"]["ci"][0], "ci_high": metrics["gini"]["ci"][1]},
    {"metric": "KS", "value": ks["statistic"], "se": None, "ci_low": None, "ci_high": None},
    {"metric": "Score IV", "value": iv["value"], "se": iv["se"], "ci_low": iv["ci"][0],
     "ci_high": iv["ci"][1]},
    {"metric": "Log loss", "value": metrics["log_loss"], "se": None, "ci_low": None, "ci_high": None},
    {"metric": "Brier", "value": metrics["brier"], "se": None, "ci_low": None, "ci_high": None},
    {"metric": "Hosmer-Lemeshow chi2", "value": hl["statistic"], "se": None, "ci_low": None,
     "ci_high": None},
])
performance_tab, points_tab, bins_tab, export_tab = st.tabs(
    ["Performance", "Points", "Bins of one characteristic", "Export"], key="card_tab",
    on_change="rerun")  # only the open tab is computed and drawn
if performance_tab.open:
    with performance_tab:
        display.show_table(performance, estimates=[("value", "se")], key="performance")
        left, right = st.columns(2)
        left.altair_chart(charts.roc_chart(roc_curve(fitted.y_test, fitted.test_scores),
                                           f"AUC {display.estimate(auc['value'], auc['se'])}"),
                          width="stretch")
        right.altair_chart(charts.ks_chart(ks_curve(fitted.y_test, fitted.test_scores),
                                           f"KS = {ks['statistic']:.3f} at {ks['threshold']:g}"),
                           width="stretch")
if points_tab.open:
    with points_tab:
        display.show_table(model.points_table_, key="points")
        actions.offer("Save this card to the store", "save_card", actions.save_scorecard, dataset,
                      encoding, done="Saved as model #{} (see **Stored scorecards**).",
                      failed="Scorecard not saved")
if bins_tab.open:
    with bins_tab:
        name = st.selectbox("Characteristic", list(model.characteristics_),
                            key="card_characteristic")
        table = model.binning_process_.binning_tables_[name].to_frame()
        st.altair_chart(charts.woe_chart(table[table["total"] > 0]), width="stretch")
if export_tab.open:
    with export_tab:
        dialect = st.selectbox("SQL dialect", DIALECTS, key="dialect")
        stem = f"{dataset}_{encoding}"
        display.export_buttons(spec, stem, dialect, key="download")
