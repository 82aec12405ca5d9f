"""Altair charts shared by the pages (rendered by Streamlit's bundled Vega: no CDN)."""

from __future__ import annotations

import altair as alt
import pandas as pd

Z95 = 1.959963984540054


def iv_interval_chart(summary: pd.DataFrame, level: float) -> alt.LayerChart:
    """IV per characteristic as a point with its interval, sorted by IV."""
    valid = summary.dropna(subset=["iv"])
    order = valid["name"].tolist()
    base = alt.Chart(valid).encode(
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)))
    rule = base.mark_rule().encode(x=alt.X("iv_ci_low:Q", title=f"IV with {level:.0%} interval"),
                                   x2="iv_ci_high:Q")
    point = base.mark_point(filled=True).encode(
        x="iv:Q", tooltip=["name", "iv", "iv_se", "iv_ci_low", "iv_ci_high", "p_value"])
    return (rule + point).properties(height=24 * len(valid) + 40)


def woe_chart(table: pd.DataFrame) -> alt.LayerChart:
    """WoE per bin as bars with 95% Wald whiskers (WoE +- 1.96 SE)."""
    data = table.assign(woe_low=table.woe - Z95 * table.woe_se,
                        woe_high=table.woe + Z95 * table.woe_se)
    bars = alt.Chart(data).encode(x=alt.X("label:N", sort=data["label"].tolist(), title=None))
    return (bars.mark_bar(opacity=0.6).encode(y=alt.Y("woe:Q", title="WoE = ln(good share / bad share)"),
                                              tooltip=["label", "goods", "bads", "woe", "woe_se"])
            + bars.mark_rule().encode(y="woe_low:Q", y2="woe_high:Q"))


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy without attrs (Streamlit cannot serialise arrays held there)."""
    out = frame.copy()
    out.attrs = {}
    return out
