"""Optimal (exact, monotone) binning of every characteristic: IV with intervals, bins, WoE."""

import streamlit as st

import charts
import display
import state

st.title("Optimal binning")
dataset = state.current_dataset()
with st.sidebar:
    trend = st.selectbox("Event-rate trend", state.TRENDS, key="trend")
    max_bins = st.slider("Maximum bins (numeric)", 2, 20, 8, key="max_bins")
    min_bin_size = st.slider("Minimum bin share", 0.0, 0.2, 0.05, step=0.01, key="min_bin_size")
    prebinning = st.selectbox("Pre-binning", ["quantile", "stumps"], key="prebinning")
fitted = state.binning_for(dataset, trend, max_bins, min_bin_size, prebinning)
state.show_warnings(fitted, "Binning")
process = fitted.value
summary = process.summary()

st.caption(
    "Bins maximise IV exactly under the constraints (monotone event rate, minimum share, maximum "
    "bins); missing and special values keep their own bins. The bins were chosen on these rows, "
    "so intervals and p-values are optimistic: judge characteristics on hold-out data. To edit "
    "bins and build a card from them, use the **Build** page."
)
summary_tab, chart_tab, bins_tab = st.tabs(
    ["Summary", "Intervals (chart)", "Bins of one characteristic"], key="binning_tab",
    on_change="rerun")  # only the open tab is drawn
if summary_tab.open:
    with summary_tab:
        columns = [c for c in ["name", "dtype", "n_bins", "trend", "iv", "iv_se", "iv_corrected",
                               "iv_ci_low", "iv_ci_high", "p_value", "p_method", "reliable",
                               "selected"] if c in summary.columns]
        display.show_table(summary, columns, estimates=[("iv", "iv_se")],
                           key="binning_summary")
if chart_tab.open:
    with chart_tab:
        st.altair_chart(charts.iv_interval_chart(summary, process.level), width="stretch")
if bins_tab.open:
    with bins_tab:
        name = st.selectbox("Characteristic", summary["name"].tolist(),
                            key="binned_characteristic")
        table = process.binning_tables_[name].to_frame()
        shown = table[table["total"] > 0]
        st.altair_chart(charts.woe_chart(shown), width="stretch")
        display.show_table(table, ["label", "kind", "goods", "bads", "share", "event_rate",
                                   "woe", "woe_se", "iv_contrib"], estimates=[("woe", "woe_se")],
                           key="binning_bins")
