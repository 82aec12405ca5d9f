"""Every monitor with its latest period and status, and the most recent alerts."""

import pandas as pd
import streamlit as st

import state

st.title("Overview")
store = state.read_or_stop(state.monitor_store)
overview, alerts = state.read_or_stop(lambda: (store.overview(), store.alerts()))
st.caption(f"Store: {store.db.display_url}")
if overview.empty:
    st.info("No monitors yet. Create one with `scorecard monitor create NAME --model model.json "
            "--reference REF --source SRC --period-column COL`, then `scorecard monitor run NAME` "
            "(or schedule it); `make run` prepares a demo store with one monitor.")
    st.stop()
counts = overview["status"].value_counts()
cols = st.columns(4)
cols[0].metric("Monitors", len(overview))
cols[1].metric("Material drift", int(counts.get("material", 0)))
cols[2].metric("Watch", int(counts.get("watch", 0)))
cols[3].metric("Alerts", len(alerts))
st.dataframe(overview, hide_index=True, key="overview",
             column_config={c: st.column_config.NumberColumn(format="%.4f")
                            for c in ["score_psi", "max_psi"]})
st.caption("status: the worst status over the characteristics and the score in the latest period "
           "(material = PSI proven above the material threshold by its test; watch = above the "
           "watch threshold, or a point estimate beyond material not yet proven). Open the "
           "Monitoring page for the history, tests and bins.")
if alerts:
    st.header("Recent alerts")
    st.dataframe(pd.DataFrame([{"monitor": a.monitor, "period": a.period, "message": a.message,
                                "created_at": a.created_at} for a in alerts[:20]]),
                 hide_index=True, key="overview_alerts")
