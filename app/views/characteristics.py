"""Every characteristic's IV with its interval, and the WoE of each bin with error bars."""

import streamlit as st

import actions
import charts
import display
import state

st.title("Characteristics by information value")
dataset = state.current_dataset()
n_bins = st.sidebar.slider("Quantile pre-bins (numeric)", 5, 40, 20, key="n_bins")
fitted = state.iv_report_for(dataset, n_bins)
state.show_warnings(fitted, "IV report")
report = fitted.value
summary = report.summary
level = f"{report.level:.0%}"

st.caption(
    f"IV = Jeffreys divergence between the goods' and bads' distributions over each "
    f"characteristic's unsupervised pre-bins. 'IV' is the plug-in estimate with its SE (biased "
    f"upward by about (bins - 1) / n_eff); 'IV corrected' is the bias-corrected estimate, drawn "
    f"as the point, always inside its {level} interval (noncentral chi-square inversion, widened "
    f"to the bias-corrected Wald interval far from zero). Test: chi2, or permutation (tables "
    "with the same margins) where expected counts are small; q-value = Benjamini-Hochberg "
    "adjusted p-value. 'Reliable' is False where too few counts leave the tests' level unproven "
    "(docs/STATISTICS.md, section 7). Dashed lines: IV 0.02 / 0.1 / 0.3 (weak / medium / strong)."
)
summary_tab, chart_tab, woe_tab = st.tabs(
    ["Summary", "Intervals (chart)", "Weight of Evidence per bin"], key="iv_tab",
    on_change="rerun")  # only the open tab is drawn
if summary_tab.open:
    with summary_tab:
        display.show_table(summary, ["name", "kind", "n_bins", "iv", "iv_se", "iv_corrected",
                                     "iv_ci_low", "iv_ci_high", "p_value", "p_method", "q_value",
                                     "reliable"], estimates=[("iv", "iv_se")], key="iv_summary")
        reasons = {name: "; ".join(n for n in (r.reliability_note, r.ci_note) if n)
                   for name, r in report.results.items()
                   if r is not None and (r.reliability_note or r.ci_note)}
        if reasons:
            st.warning("Outside the validity region (docs/STATISTICS.md section 7), so the "
                       "test and interval may not hold their level:\n\n" + "\n".join(
                           f"- **{name}**: {note}" for name, note in reasons.items()))
        actions.offer("Save this report to the store", "save_iv", actions.save_iv_report,
                      dataset, n_bins, done="Saved as report #{} (see **Saved results**).",
                      failed="Results not saved")
if chart_tab.open:
    with chart_tab:
        st.altair_chart(charts.iv_interval_chart(summary, report.level), width="stretch")
if woe_tab.open:
    with woe_tab:
        st.caption("Bars: WoE (blue: leans good, vermillion: leans bad); whiskers: 95% Wald "
                   "intervals (WoE ± 1.96 SE, delta method).")
        order = summary.dropna(subset=["iv"])["name"].tolist()
        name = st.selectbox("Characteristic", order, key="characteristic")
        woe = report.woe(name)
        st.altair_chart(charts.woe_chart(woe), width="stretch")
        display.show_table(woe, ["label", "goods", "bads", "share", "event_rate", "woe",
                                 "woe_se", "iv_contrib"], estimates=[("woe", "woe_se")],
                           key="iv_bins")
