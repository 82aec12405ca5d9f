"""Every characteristic's IV with its interval, and the WoE of each bin with error bars."""

import streamlit as st

import charts
import state

st.title("Characteristics by information value")
dataset = state.current_dataset()
n_bins = st.sidebar.slider("Quantile pre-bins (numeric)", 5, 40, 20, key="n_bins")
report = state.iv_report_for(dataset, n_bins)
summary = report.summary
level = f"{report.level:.0%}"
report_id = state.saved_report_id(dataset, n_bins)

st.caption(
    f"IV = Jeffreys divergence between the goods' and bads' distributions over each "
    f"characteristic's unsupervised pre-bins. 'IV plug-in' is the raw estimate (biased upward by "
    f"about (bins - 1) / n_eff); 'IV corrected' is the bias-corrected estimate, drawn as the "
    f"point, always inside its {level} interval (noncentral chi-square inversion, widened to the "
    f"bias-corrected Wald interval far from zero). p_method: "
    "chi2, or permutation (tables with the same margins) where expected counts are small; "
    "q = Benjamini-Hochberg adjusted p-value. 'reliable' is False where too few counts leave "
    "the tests' level unproven (docs/STATISTICS.md, section 7)."
    + (f" Saved as report #{report_id}." if report_id else "")
)
table = summary[["name", "kind", "n_bins", "iv", "iv_corrected", "iv_se", "iv_ci_low",
                 "iv_ci_high", "p_value", "p_method", "q_value", "reliable"]]
st.dataframe(table.rename(columns={"iv": "IV plug-in", "iv_corrected": "IV corrected"}),
             hide_index=True, column_config={
                 **state.NUMBER_FORMATS,
                 "IV plug-in": st.column_config.NumberColumn(format="%.4f"),
                 "IV corrected": st.column_config.NumberColumn(format="%.4f")})
unreliable = summary.loc[~summary["reliable"].astype(bool) & (summary["note"] == ""), "name"]
if len(unreliable):
    st.warning("Unreliable: too few counts for the tests to hold their level: "
               + ", ".join(unreliable.astype(str)))
st.altair_chart(charts.iv_interval_chart(summary, report.level), width="stretch")

st.header("Weight of Evidence per bin")
st.caption("Bars: WoE; whiskers: 95% Wald intervals (WoE +- 1.96 SE, delta method).")
order = summary.dropna(subset=["iv"])["name"].tolist()
name = st.selectbox("Characteristic", order, key="characteristic")
woe = charts.display_frame(report.woe(name))
st.altair_chart(charts.woe_chart(woe), width="stretch")
st.dataframe(woe[["label", "goods", "bads", "share", "event_rate", "woe", "woe_se", "iv_contrib"]],
             hide_index=True)
