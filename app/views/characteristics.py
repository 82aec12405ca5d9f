"""Every characteristic's IV with its interval, and the WoE of each bin with error bars."""

import altair as alt
import pandas as pd
import streamlit as st

import state

st.title("Characteristics by information value")
names = state.dataset_names()
dataset = st.sidebar.selectbox("Dataset", names, index=0, key="dataset")
n_bins = st.sidebar.slider("Quantile pre-bins (numeric)", 5, 40, 20, key="n_bins")
report = state.iv_report_for(dataset, n_bins)
summary = report.summary
level = f"{report.level:.0%}"
report_id = state.saved_report_id(dataset, n_bins)

st.caption(
    f"IV = Jeffreys divergence between the goods' and bads' distributions over each "
    f"characteristic's pre-bins; {level} intervals by the delta method (Wald) or by inverting the "
    "noncentral chi-square where the signal is small; q = Benjamini-Hochberg adjusted p-value. "
    f"Saved as report #{report_id}."
)
table = summary[["name", "kind", "n_bins", "iv", "iv_se", "iv_ci_low", "iv_ci_high",
                 "ci_method", "p_value", "q_value"]]
st.dataframe(table, hide_index=True, key="iv_table",
             column_config={
                 **{c: st.column_config.NumberColumn(format="%.4f")
                    for c in ["iv", "iv_se", "iv_ci_low", "iv_ci_high"]},
                 **{c: st.column_config.NumberColumn(format="%.2e") for c in ["p_value", "q_value"]},
             })

valid = summary.dropna(subset=["iv"])
order = valid["name"].tolist()
base = alt.Chart(valid).encode(
    y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)))
chart = base.mark_rule().encode(x=alt.X("iv_ci_low:Q", title=f"IV with {level} interval"),
                                x2="iv_ci_high:Q") + base.mark_point(filled=True).encode(
    x="iv:Q", tooltip=["name", "iv", "iv_se", "iv_ci_low", "iv_ci_high", "p_value"])
st.altair_chart(chart.properties(height=22 * len(valid) + 40), width="stretch")

st.header("Weight of Evidence per bin")
st.caption("Bars: WoE; whiskers: 95% Wald intervals (WoE +- 1.96 SE, delta method).")
name = st.selectbox("Characteristic", order, key="characteristic")
woe = report.woe(name)
woe.attrs = {}  # the covariance matrix is not for display
woe = woe.assign(woe_low=woe.woe - 1.96 * woe.woe_se, woe_high=woe.woe + 1.96 * woe.woe_se)
bars = alt.Chart(woe).encode(x=alt.X("label:N", sort=woe["label"].tolist(), title=None))
st.altair_chart(
    bars.mark_bar(opacity=0.6).encode(y=alt.Y("woe:Q", title="WoE = ln(good share / bad share)"))
    + bars.mark_rule().encode(y="woe_low:Q", y2="woe_high:Q"),
    width="stretch",
)
st.dataframe(woe[["label", "goods", "bads", "share", "event_rate", "woe", "woe_se", "iv_contrib"]],
             hide_index=True, key="woe_table")
