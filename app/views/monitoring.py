"""One monitor: PSI over time with intervals and thresholds, the latest tests, bins, alerts, runs."""

import pandas as pd
import streamlit as st

import charts
import display
import state
from scorecard.monitoring import DriftReport

st.title("Monitors")
names = state.read(state.monitor_names)
if not names:
    st.info("No monitors yet: save a model and add a monitor on the **Build** page, or run "
            "`scorecard monitor create` (the Overview page shows how).")
    st.stop()
name = st.selectbox("Monitor", names, key="monitor")
data = state.read(state.monitor_history, name)
monitor, history, psi = data["monitor"], data["history"], data["psi"]
if not history:
    st.info(f"Monitor {name!r} has no stored periods yet: run `scorecard monitor run {name}` "
            "(or schedule it on the **Schedules** page).")
    st.stop()
latest_period, latest_data = history[-1]
latest = DriftReport.from_dict(latest_data)
thresholds = latest_data["thresholds"]
st.caption(f"Model {monitor.model_name!r} (sha256 {monitor.model_sha256[:12]}...), "
           f"{len(history)} periods; reference mode {monitor.reference_mode}; source "
           f"{monitor.source}. Bands: {latest_data['level']:.0%} intervals of PSI (delta "
           f"method); dashed lines: watch {thresholds['watch']:g} and material "
           f"{thresholds['material']:g}.")
alerts = state.read(state.alerts, name)
score = psi[(psi["name"] == "score") & (psi["period"] == latest_period)]
cols = st.columns(4)
cols[0].metric("Latest period", latest_period)
cols[1].metric("Status", latest.status)
cols[2].metric("Score PSI", display.estimate(*score[["psi", "psi_se"]].iloc[0]) if len(score)
               else "–")
cols[3].metric("Alerts", len(alerts))

options = ["score"] + [n for n in psi["name"].drop_duplicates() if n != "score"]
characteristic = st.selectbox("Characteristic", options, key="monitor_characteristic")
series = psi[psi["name"] == characteristic]
st.altair_chart(charts.psi_chart(series, thresholds, f"PSI of {characteristic}"), width="stretch")

tests, bins_tab, alerts_tab, runs_tab = st.tabs(
    ["Latest tests", "Bins of one period", "Alerts", "Recent runs"], key="monitor_tab",
    on_change="rerun")  # only the open tab is computed and drawn
if tests.open:
    with tests:
        st.caption(f"Every characteristic and the score in {latest_period}. p-value: chi-square test of no drift; p (PSI ≤ 0.10) / p (PSI ≤ 0.25): tests "
                   "that drift is no more than material (double bootstrap); q-value: "
                   "Benjamini-Hochberg across characteristics.")
        display.show_table(psi[psi["period"] == latest_period].drop(columns="period"),
                           estimates=[("psi", "psi_se")], key="monitor_latest")
        rows = [*latest_data["characteristics"], *filter(None, [latest_data.get("score")])]
        notes = [(r["name"], r["p_material_note"]) for r in rows if r.get("p_material_note")]
        if notes:
            st.caption("p (PSI ≤ 0.10) / p (PSI ≤ 0.25) only indicative, outside the validity "
                       "region (docs/STATISTICS.md section 7): " + "; ".join(
                           f"**{name}**: {note}" for name, note in notes))
if bins_tab.open:
    with bins_tab:
        periods = [p for p, _ in history][::-1]
        period = st.selectbox("Period", periods, key="monitor_period")
        report = DriftReport.from_dict(dict(history)[period])
        if report.n_current == 0:
            st.info(f"Period {period} has no rows.")
        else:
            bins = pd.DataFrame(report.characteristic(characteristic)["bins"])
            st.caption(f"{characteristic}: share of rows per bin, reference against {period}.")
            st.altair_chart(charts.share_chart(bins), width="stretch")
            display.show_table(bins, key="monitor_bins")
if alerts_tab.open:
    with alerts_tab:
        if alerts:
            display.show_table(pd.DataFrame([{"period": a.period, "message": a.message,
                                              "notified": str(a.notified or ""),
                                              "created_at": a.created_at} for a in alerts]),
                               key="monitor_alerts")
        else:
            st.write("No alerts.")
if runs_tab.open:
    with runs_tab:
        display.show_table(pd.DataFrame([{"id": r.id, "trigger": r.trigger, "status": r.status,
                                          "started_at": r.started_at,
                                          "finished_at": r.finished_at,
                                          "periods": ", ".join(r.periods), "error": r.error}
                                         for r in state.read(state.runs, name, 20)]),
                           key="monitor_runs")
