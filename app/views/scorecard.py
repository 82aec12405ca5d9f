"""A fitted scorecard: points, bins, hold-out performance with intervals, and every export."""

import altair as alt
import pandas as pd
import streamlit as st

import charts
import state
from scorecard.exceptions import ScorecardError
from scorecard.export import DIALECTS, EXTENSIONS, FORMATS, export_bytes
from scorecard.model.metrics import ks_curve, roc_curve
from scorecard.model.spec import dumps_spec

st.title("Scorecard")
dataset = state.current_dataset()
encoding = st.sidebar.selectbox("Encoding", state.ENCODINGS, key="encoding")
fitted = state.scorecard_for(dataset, encoding)
model, metrics = fitted.model, fitted.metrics
spec = model.spec_
scaling = spec["scaling"]
card_id = state.saved_scorecard_id(dataset, encoding)
st.caption(
    f"{encoding} on {fitted.n_train:,} training rows; performance on {fitted.n_test:,} hold-out "
    f"rows. Higher score = lower risk: {scaling['base_score']:g} points at odds "
    f"{scaling['base_odds']:g}:1 (good:bad), {scaling['pdo']:g} points to double the odds."
    + (f" Stored as scorecard #{card_id}." if card_id else "")
)

auc, ks, hl = metrics["auc"], metrics["ks"], metrics["calibration"]["hosmer_lemeshow"]
iv = metrics["score_iv"]
cols = st.columns(5)
cols[0].metric("AUC (hold-out)", f"{auc['value']:.3f}",
               help=f"DeLong SE {auc['se']:.3f}; 95% CI [{auc['ci'][0]:.3f}, {auc['ci'][1]:.3f}]")
cols[1].metric("Gini", f"{metrics['gini']['value']:.3f}")
cols[2].metric("KS", f"{ks['statistic']:.3f}")
cols[3].metric("Score IV", f"{iv['value']:.3f}", help=f"SE {iv['se']:.3f}")
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
st.dataframe(performance, hide_index=True, key="performance")

left, right = st.columns(2)
roc = roc_curve(fitted.y_test, fitted.test_scores)
left.altair_chart(alt.Chart(roc).mark_line().encode(
    x=alt.X("fpr:Q", title="False positive rate (goods declined)"),
    y=alt.Y("tpr:Q", title="True positive rate (bads declined)")).properties(title="ROC"),
    width="stretch")
ks_data = ks_curve(fitted.y_test, fitted.test_scores).melt(
    "threshold", var_name="group", value_name="cdf")
right.altair_chart(alt.Chart(ks_data).mark_line().encode(
    x=alt.X("threshold:Q", title="Score"), y=alt.Y("cdf:Q", title="Cumulative share"),
    color="group:N").properties(title=f"KS = {ks['statistic']:.3f} at {ks['threshold']:g}"),
    width="stretch")

st.header("Points")
st.dataframe(charts.display_frame(model.points_table_), hide_index=True, key="points")

st.header("Bins of one characteristic")
name = st.selectbox("Characteristic", list(model.characteristics_), key="card_characteristic")
table = charts.display_frame(model.binning_process_.binning_tables_[name].to_frame())
st.altair_chart(charts.woe_chart(table[table["total"] > 0]), width="stretch")

st.header("Export")
dialect = st.selectbox("SQL dialect", DIALECTS, key="dialect")
stem = f"{dataset}_{encoding}"
buttons = st.columns(len(FORMATS) + 1)
buttons[0].download_button("Spec (JSON)", dumps_spec(spec), file_name=f"{stem}.json",
                           mime="application/json", key="download_json")
for column, fmt in zip(buttons[1:], FORMATS):
    try:
        data = export_bytes(spec, fmt, dialect=dialect)
    except ScorecardError as exc:  # e.g. a category the ansi dialect cannot write safely
        column.warning(f"{fmt.upper()}: {exc}")
        continue
    column.download_button(fmt.upper(), data, file_name=f"{stem}{EXTENSIONS[fmt]}",
                           key=f"download_{fmt}")
