"""Reports saved in the results store, newest first."""

import pandas as pd
import streamlit as st

import state

st.title("Stored reports")
store = state.store()
rows = store.list()
st.caption(f"Store: {store.engine.url.render_as_string(hide_password=True)}")
if not rows:
    st.info("Nothing stored yet: open the Characteristics page to compute a report.")
else:
    st.dataframe(pd.DataFrame([{"id": r.id, "kind": r.kind, "subject": r.subject,
                                "params": str(r.params), "created_at": r.created_at}
                               for r in rows]), hide_index=True, key="history_table")
    chosen = st.selectbox("Report", [r.id for r in rows], key="history_id")
    payload = store.get(chosen).payload
    summary = pd.DataFrame([
        {"name": c["name"], "kind": c["kind"],
         "iv": c["result"]["value"] if c["result"] else None,
         "iv_se": c["result"]["se"] if c["result"] else None,
         "p_value": c["result"]["p_value"] if c["result"] else None}
        for c in payload["characteristics"]
    ]).sort_values("iv", ascending=False)
    st.dataframe(summary, hide_index=True, key="history_report")
