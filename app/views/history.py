"""Reports and scorecards saved in the results store, newest first."""

import pandas as pd
import streamlit as st

import charts
import state
from scorecard.exceptions import ScorecardError
from scorecard.model.spec import dumps_spec, points_table

st.title("Stored results")
try:
    store = state.store()
    rows = store.list()
except ScorecardError as exc:
    st.error(f"The results store cannot be read: {exc}")
    st.stop()
st.caption(f"Store: {store.engine.url.render_as_string(hide_password=True)}")
if not rows:
    st.info("Nothing stored yet: open the Characteristics or Scorecard page to compute one.")
else:
    st.dataframe(pd.DataFrame([{"id": r.id, "kind": r.kind, "subject": r.subject,
                                "params": str(r.params), "created_at": r.created_at}
                               for r in rows]), hide_index=True)
    labels = {r.id: f"#{r.id} {r.kind}: {r.subject}" for r in rows}
    chosen = st.selectbox("Result", list(labels), format_func=labels.get, key="history_id")
    stored = store.get(chosen)
    if stored.kind == "iv":
        summary = pd.DataFrame([
            {"name": c["name"], "kind": c["kind"],
             "iv": c["result"]["value"] if c["result"] else None,
             "iv_se": c["result"]["se"] if c["result"] else None,
             "p_value": c["result"]["p_value"] if c["result"] else None}
            for c in stored.payload["characteristics"]
        ]).sort_values("iv", ascending=False)
        st.dataframe(summary, hide_index=True)
    elif stored.kind == "scorecard":
        spec = stored.payload
        st.write(f"**{spec['name']}** ({spec['encoding']}), trained on "
                 f"{spec['training']['n_rows']:,} rows, created {spec['created_at']}; "
                 f"spec sha256 {spec['integrity']['sha256'][:12]}...")
        st.dataframe(charts.display_frame(points_table(spec)), hide_index=True)
        st.download_button("Spec (JSON)", dumps_spec(spec), file_name=f"scorecard_{chosen}.json",
                           mime="application/json", key="history_download")
    else:
        st.json(stored.payload, expanded=False)
