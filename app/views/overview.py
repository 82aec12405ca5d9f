"""Every model and monitor with its latest status, open alerts, and last and next run."""

import pandas as pd
import streamlit as st

import display
import state

st.title("Overview")
monitors = state.read(state.monitors_table)
models = state.read(state.models)
alerts = state.read(state.alerts)
st.caption(f"Store: {state.monitor_store().db.display_url}")
if not models and monitors.empty:
    st.info("The store has no models yet. Build one on the **Build** page (upload a table, fit, "
            "save, then add a monitor and a schedule), or from the command line: `scorecard fit "
            "... --out model.json`, then `scorecard monitor create NAME --model model.json "
            "--reference REF --source SRC --period-column COL`. `make run` prepares a demo store "
            "with one monitored model.")
    st.stop()

counts = monitors["status"].value_counts()
cols = st.columns(5)
cols[0].metric("Models", len(models))
cols[1].metric("Monitors", len(monitors))
cols[2].metric("Material drift", int(counts.get("material", 0)),
               help="Monitors whose latest period proves PSI above the material threshold.")
cols[3].metric("Watch", int(counts.get("watch", 0)))
cols[4].metric("Open alerts", len(alerts))

st.header("Monitors")
if monitors.empty:
    st.info("No monitors yet: create one for a stored model on the **Build** page or with "
            "`scorecard monitor create`.")
else:
    display.show_table(monitors, ["monitor", "model", "status", "latest_period", "periods",
                                  "score_psi", "max_psi", "alerts", "last_run",
                                  "last_run_status", "next_run", "schedule"], key="overview")
    st.caption("Status: the worst over the characteristics and the score in the latest period "
               "(material = PSI proven above the material threshold by its test; watch = above "
               "the watch threshold, or a point estimate beyond material not yet proven). Open "
               "**Monitors** for the history with intervals, **Runs and reports** for every run.")

st.header("Models")
display.show_table(pd.DataFrame(
    [{"model": m.name, "id": m.id, "sha256": m.sha256[:12], "created_at": m.created_at,
      "monitors": ", ".join(m.monitors) or "(not monitored)"} for m in models],
    columns=["model", "id", "sha256", "created_at", "monitors"]), key="overview_models")

if alerts:
    st.header("Open alerts")
    display.show_table(pd.DataFrame([{"monitor": a.monitor, "period": a.period,
                                      "message": a.message, "created_at": a.created_at}
                                     for a in alerts[:20]]), key="overview_alerts")
