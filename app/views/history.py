"""Results saved in the store (IV reports from the Binning pages, the demo's fairness front),
newest first."""

import pandas as pd
import streamlit as st

import display
import state
from scorecard.scheduling.demo import FRONT_KIND, front_of

st.title("Saved results")
rows = state.read(state.stored_results)
st.caption(f"Store: {state.store().db.display_url}")
if not rows:
    st.info("Nothing saved yet: an editor saves an IV report from the **Information value** "
            "page; scorecards live on the **Stored scorecards** page.")
    st.stop()
display.show_table(pd.DataFrame([{"id": r.id, "kind": r.kind, "subject": r.subject,
                                  "params": str(r.params), "created_at": r.created_at}
                                 for r in rows]), key="history")
labels = {r.id: f"#{r.id} {r.kind}: {r.subject}" for r in rows}
chosen = st.selectbox("Result", list(labels), format_func=labels.get, key="history_id")
stored = state.read(state.stored_result, chosen)
if stored.kind == "iv":
    summary = pd.DataFrame([
        {"name": c["name"], "kind": c["kind"],
         "iv": c["result"]["value"] if c["result"] else None,
         "iv_se": c["result"]["se"] if c["result"] else None,
         "p_value": c["result"]["p_value"] if c["result"] else None}
        for c in stored.payload["characteristics"]
    ]).sort_values("iv", ascending=False)
    display.show_table(summary, estimates=[("iv", "iv_se")], key="history_iv")
elif stored.kind == FRONT_KIND:
    st.caption(f"Fairness front of {stored.subject} with {stored.params}; open the **Fairness "
               "front** page with these settings to explore its points.")
    display.show_table(front_of(stored.payload).table(), estimates=[("fair_iv", "fair_iv_se")],
                       key="history_front")
else:
    st.json(stored.payload, expanded=False)
