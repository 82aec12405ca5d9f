"""The store's scorecards: every model with its versions, points, bins with intervals, the
training figures, the monitors that watch it, and its exports (made once per card)."""

import pandas as pd
import streamlit as st

import charts
import display
import state
from scorecard.export import DIALECTS
from scorecard.model.spec import points_table
from scorecard.stats.woe import woe_table

st.title("Stored scorecards")
models = state.read(state.models)
if not models:
    st.info("No scorecards in the store yet: build and save one on the **Build** page, or store "
            "one with `scorecard monitor create` (a monitor stores its model).")
    st.stop()
names = list(dict.fromkeys(m.name for m in models))
name = st.selectbox("Scorecard", names, key="stored_card")
versions = [m for m in models if m.name == name]  # newest first
labels = {m.id: f"#{m.id}, saved {m.created_at} (sha256 {m.sha256[:12]})"
          + (" — latest" if i == 0 else "") for i, m in enumerate(versions)}
chosen = st.selectbox(f"Version ({len(versions)})", list(labels), format_func=labels.get,
                      key="stored_card_version")
record = next(m for m in versions if m.id == chosen)
spec = state.read(state.model_spec, record.id)
training, model = spec["training"], spec["model"]
scaling = spec["scaling"]
st.caption(
    f"{spec['encoding']} on {training['n_rows']:,} training rows ({training.get('n_bads', 0):,} "
    f"bads); created {spec['created_at']}. Higher score = lower risk: {scaling['base_score']:g} "
    f"points at odds {scaling['base_odds']:g}:1 (good:bad), {scaling['pdo']:g} points to double "
    f"the odds. Monitored by: {', '.join(record.monitors) or 'no monitor yet'}.")
for column in model.get("unexpected_sign") or []:
    st.warning(f"{column}: coefficient of unexpected sign (riskier bins get more points).")
for column in model.get("at_bound") or []:
    st.warning(f"{column}: coefficient held at its sign bound (it adds nothing to the score).")

metrics = training.get("metrics") or {}
if metrics:
    display.show_metrics(metrics, "training")
    st.caption("Measured on the training rows (optimistic): the Build page and `scorecard "
               "evaluate` give hold-out figures.")

points = points_table(spec)
points_tab, bins_tab, export_tab = st.tabs(["Points", "Bins of one characteristic", "Export"],
                                           key="stored_tab", on_change="rerun")  # open tab only
if points_tab.open:
    with points_tab:
        display.show_table(points, ["characteristic", "bin", "kind", "points", "woe", "goods",
                                    "bads"], key="stored_points")
if bins_tab.open:
    with bins_tab:
        characteristic = st.selectbox("Characteristic",
                                      list(dict.fromkeys(points["characteristic"])),
                                      key="stored_characteristic")
        rows = points[(points["characteristic"] == characteristic) & (points["kind"] != "unseen")
                      & ((points["goods"] + points["bads"]) > 0)]
        table = woe_table(rows["goods"].to_numpy(), rows["bads"].to_numpy())
        bins = pd.DataFrame({"label": rows["bin"].to_numpy(), "goods": rows["goods"].to_numpy(),
                             "bads": rows["bads"].to_numpy(), "woe": rows["woe"].to_numpy(),
                             "woe_se": table["woe_se"].to_numpy(),
                             "points": rows["points"].to_numpy()})
        st.altair_chart(charts.woe_chart(bins), width="stretch")
        st.caption("Bars: the WoE stored in the card; whiskers: 95% intervals (WoE ± 1.96 SE, "
                   "delta method, from the bin's training counts).")
if export_tab.open:
    with export_tab:
        dialect = st.selectbox("SQL dialect", DIALECTS, key="stored_dialect")
        stem = f"{name.replace(' ', '_')}_{record.id}"
        display.export_buttons(spec, stem, dialect, key="stored_download")
        st.caption("Each export is made once per card and dialect; downloading does not rerun "
                   "the page.")
