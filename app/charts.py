"""Altair charts shared by the pages (rendered by Streamlit's bundled Vega: no CDN)."""

from __future__ import annotations

import altair as alt
import pandas as pd

Z95 = 1.959963984540054


def iv_interval_chart(summary: pd.DataFrame, level: float) -> alt.LayerChart:
    """IV per characteristic: its interval, and the estimate inside it, sorted by IV.

    The point is the bias-corrected IV when the summary has it (the plug-in IV can lie outside
    the interval, which targets the corrected value); the tooltip shows both.
    """
    valid = summary.dropna(subset=["iv"])
    order = valid["name"].tolist()
    point_column = "iv_corrected" if "iv_corrected" in valid.columns else "iv"
    base = alt.Chart(valid).encode(
        y=alt.Y("name:N", sort=order, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)))
    rule = base.mark_rule().encode(x=alt.X("iv_ci_low:Q", title=f"IV with {level:.0%} interval"),
                                   x2="iv_ci_high:Q")
    tooltip = ["name", "iv", *([point_column] if point_column != "iv" else []), "iv_se",
               "iv_ci_low", "iv_ci_high", "p_value"]
    point = base.mark_point(filled=True).encode(x=f"{point_column}:Q", tooltip=tooltip)
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
