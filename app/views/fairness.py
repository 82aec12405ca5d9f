"""Fairness: protected-attribute IV per characteristic with tests, and the accuracy-disparity
Pareto front of scorecards; pick a point to see its card, by-group metrics and exports."""

import streamlit as st

import display
import state
from scorecard.datasets import DATASETS
from scorecard.export import DIALECTS
from scorecard.fairness.disparity import GroupMetrics
from scorecard.model.spec import points_table
from scorecard.scheduling.demo import FRONT_DEFAULTS

st.title("Fairness")
dataset = state.current_dataset()
info = DATASETS[dataset]
with st.sidebar:
    protected = st.multiselect("Protected attributes (the first is budgeted)",
                               list(info.protected), default=list(info.protected[:1]),
                               key="fairness_protected")
    eps_grid = st.slider("Budgets along the front", 3, 20, FRONT_DEFAULTS["eps_grid"],
                         key="fairness_eps_grid")
    levels = [0.5, 0.9, 0.95]
    confidence = st.selectbox("Budget on IV_fair + z SE at confidence", levels,
                              index=levels.index(FRONT_DEFAULTS["confidence"]),
                              key="fairness_confidence", help="0.5: z = 0, the nominal front.")
    score_level = st.checkbox("Score-level method too", value=FRONT_DEFAULTS["score_level"],
                              key="fairness_score_level")
if not protected:
    st.info("Pick at least one protected attribute in the sidebar.")
    st.stop()
fitted = state.front_for(dataset, tuple(protected), eps_grid, confidence, score_level)
state.show_warnings(fitted, "Fairness front")
front = fitted.value
meta = front.meta
primary = meta["primary"]
st.caption(
    f"{meta['n_train']:,} training rows, {meta['n_holdout']:,} hold-out rows. Protected "
    f"attributes are not model inputs. Budgeted: {primary['name']} (groups "
    f"{', '.join(primary['groups'])}; reference {primary['reference']!r}). AIR interval: "
    f"{meta['air_method']}. Score-level surrogate: {meta['score_level_surrogate']}."
)

front_tab, characteristics_tab, point_tab = st.tabs(
    ["Pareto front", "Characteristics", "One point"], key="fairness_tab",
    on_change="rerun")  # only the open tab is drawn
if front_tab.open:
    with front_tab:
        for item in front.infeasible:
            st.warning(f"Budget {item['epsilon']}: {item['reason']}")
        st.altair_chart(front.chart(), width="stretch")
        display.show_table(front.table(), estimates=[("fair_iv", "fair_iv_se")],
                           key="fairness_points")
        st.download_button("Whole front (JSON)", front.to_json, file_name=f"{dataset}_front.json",
                           mime="application/json", key="fairness_download_front",
                           on_click="ignore")
if characteristics_tab.open:
    with characteristics_tab:
        st.caption(f"On hold-out rows. IV_fair: the worst group against the reference over the "
                   f"characteristic's bins; compliant: H0 IV_fair >= {meta['compliance_eps']:g} "
                   f"rejected at {1 - meta['level']:.0%} (double bootstrap at the budget; "
                   "validity region: docs/STATISTICS.md section 7).")
        display.show_table(front.characteristics, key="fairness_characteristics")
        notes = front.characteristics.get("compliance_note")
        flagged = front.characteristics[notes.fillna("") != ""] if notes is not None else []
        if len(flagged):
            st.warning("Compliance tests outside the validity region (their p-values are "
                       "indicative):\n\n" + "\n".join(
                           f"- **{row.characteristic}** ({row.attribute}): {row.compliance_note}"
                           for row in flagged.itertuples()))
if point_tab.open and not front.points:
    point_tab.info("The front has no points: every budget was infeasible (see the Pareto front).")
elif point_tab.open:
    with point_tab:
        labels = {p["index"]: f"{p['index']}: {p['method']} " + (
            f"eps {p['epsilon']:.4g}" if p["method"] == "mip" else f"penalty {p['penalty']:g}")
            + f", AUC {p['auc']:.3f}, AIR {p['air']:.3f}" + (" (knee)" if p["knee"] else "")
            for p in front.points}
        knee = next((p["index"] for p in front.points if p["knee"]), front.points[-1]["index"])
        k = st.selectbox("Point", list(labels), index=list(labels).index(knee),
                         format_func=labels.get, key="fairness_point")
        point = front.point(k)
        spec = front.spec(k)
        cols = st.columns(4)
        cols[0].metric("AUC (hold-out)", f"{point['auc']:.3f}",
                       help=f"95% CI [{point['auc_ci'][0]:.3f}, {point['auc_ci'][1]:.3f}]")
        cols[1].metric("AIR", f"{point['air']:.3f}",
                       help=f"CI [{point['air_ci'][0]:.3f}, {point['air_ci'][1]:.3f}]")
        cols[2].metric("Score IV between groups", f"{point['fair_iv']['value']:.4f}",
                       help=f"SE {point['fair_iv']['se']:.4f}")
        cols[3].metric("Cut-off score", f"{point['cutoff']:g}",
                       help=f"approves {point['approval_rate']:.1%} of hold-out rows")
        st.subheader("By group")
        display.show_table(GroupMetrics.from_dict(point["by_group"]).by_group.reset_index(),
                           key="fairness_by_group")
        st.subheader("Scorecard")
        display.show_table(points_table(spec), key="fairness_card")
        dialect = st.selectbox("SQL dialect", DIALECTS, key="fairness_dialect")
        display.export_buttons(spec, f"{dataset}_fair_point{k}", dialect, key="fairness_download")
