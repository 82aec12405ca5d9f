"""One monitor: PSI over time with intervals and thresholds, the latest tests, bins, alerts, runs."""

import altair as alt
import pandas as pd
import streamlit as st

import charts
import state
from scorecard.monitoring import DriftReport

st.title("Monitoring")
store = state.read_or_stop(state.monitor_store)
names = state.read_or_stop(store.monitor_names)
if not names:
    st.info("No monitors yet: see the Overview page for how to create one.")
    st.stop()
name = st.selectbox("Monitor", names, key="monitor")
monitor = store.monitor(name)
history = [(period, DriftReport.from_dict(data)) for period, data in store.history(name)]
if not history:
    st.info(f"Monitor {name!r} has no stored periods yet: run `scorecard monitor run {name}`.")
    st.stop()
latest_period, latest = history[-1]
thresholds = latest.to_dict()["thresholds"]
st.caption(f"Model {monitor.model_name!r} (sha256 {monitor.model_sha256[:12]}...), "
           f"{len(history)} periods; reference mode {monitor.reference_mode}; source "
           f"{monitor.source}. PSI bands: {latest.to_dict()['level']:.0%} intervals (delta "
           f"method); dashed lines: watch {thresholds['watch']:g} and material "
           f"{thresholds['material']:g}.")
cols = st.columns(4)
cols[0].metric("Latest period", latest_period)
cols[1].metric("Status", latest.status)
cols[2].metric("Rows (current / reference)", f"{latest.n_current:,} / {latest.n_reference:,}")
cols[3].metric("Alerts", len(store.alerts(name)))

psi = pd.concat([report.to_frame().assign(period=period) for period, report in history],
                ignore_index=True)
options = ["score"] + [n for n in psi["name"].drop_duplicates() if n != "score"]
characteristic = st.selectbox("Characteristic", options, key="monitor_characteristic")
series = psi[psi["name"] == characteristic]
base = alt.Chart(series).encode(x=alt.X("period:O", title="Period"))
limits = pd.DataFrame({"psi": [thresholds["watch"], thresholds["material"]],
                       "threshold": ["watch", "material"]})
st.altair_chart(
    (base.mark_area(opacity=0.25).encode(y=alt.Y("psi_ci_low:Q", title=f"PSI of {characteristic}"),
                                          y2="psi_ci_high:Q")
     + base.mark_line(point=True).encode(
         y="psi:Q", tooltip=["period", "psi", "psi_se", "psi_ci_low", "psi_ci_high", "p_value",
                             "p_material_025", "status"])
     + alt.Chart(limits).mark_rule(strokeDash=[4, 4]).encode(
         y="psi:Q", color=alt.Color("threshold:N", scale=alt.Scale(
             domain=["watch", "material"], range=["#e69f00", "#d55e00"])))),
    width="stretch")

st.header(f"Latest period ({latest_period}): tests")
st.caption("p_value: chi-square test of no drift; p_material_010 / p_material_025: tests of "
           "H0 PSI <= 0.10 / 0.25 (noncentral chi-square); q_value: Benjamini-Hochberg across "
           "characteristics.")
st.dataframe(latest.to_frame(), hide_index=True, key="monitor_latest")

st.header("Bins of one period")
periods = [p for p, _ in history][::-1]
period = st.selectbox("Period", periods, key="monitor_period")
report = dict(history)[period]
if report.n_current == 0:
    st.info(f"Period {period} has no rows.")
else:
    bins = pd.DataFrame(report.characteristic(characteristic)["bins"])
    shares = bins.melt(id_vars="label", value_vars=["reference_share", "current_share"],
                       var_name="sample", value_name="share")
    st.altair_chart(alt.Chart(shares).mark_bar().encode(
        x=alt.X("label:N", sort=bins["label"].tolist(), title=None), xOffset="sample:N",
        y=alt.Y("share:Q", title="Share of rows"), color="sample:N",
        tooltip=["label", "sample", "share"]), width="stretch")
    st.dataframe(charts.display_frame(bins), hide_index=True, key="monitor_bins")

st.header("Alerts")
alerts = store.alerts(name)
if alerts:
    st.dataframe(pd.DataFrame([{"period": a.period, "message": a.message,
                                "notified": str(a.notified or ""), "created_at": a.created_at}
                               for a in alerts]), hide_index=True, key="monitor_alerts")
else:
    st.write("No alerts.")
st.header("Recent runs")
st.dataframe(pd.DataFrame([{"id": r.id, "trigger": r.trigger, "status": r.status,
                            "started_at": r.started_at, "finished_at": r.finished_at,
                            "periods": ", ".join(r.periods), "error": r.error}
                           for r in store.runs(name, limit=20)]),
             hide_index=True, key="monitor_runs")
