"""Altair charts shared by the pages (rendered by Streamlit's bundled Vega: no CDN).

Every estimate is drawn with its interval; thresholds are dashed rules; goods and bads have one
colour each on every page (GOOD, BAD: Okabe-Ito blue and vermillion, safe for colour blindness).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

Z95 = 1.959963984540054
GOOD, BAD = "#0072B2", "#D55E00"
REFERENCE, CURRENT = "#999999", "#009E73"
WATCH, MATERIAL = "#E69F00", "#D55E00"


def good_bad_scale(good: str = "goods", bad: str = "bads") -> alt.Scale:
    return alt.Scale(domain=[good, bad], range=[GOOD, BAD])


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
    tooltip = [alt.Tooltip("name:N", title="Characteristic"),
               alt.Tooltip("iv:Q", title="IV plug-in", format=".3f"),
               *([alt.Tooltip(f"{point_column}:Q", title="IV corrected", format=".3f")]
                 if point_column != "iv" else []),
               alt.Tooltip("iv_se:Q", title="SE", format=".3f"),
               alt.Tooltip("iv_ci_low:Q", title="low", format=".3f"),
               alt.Tooltip("iv_ci_high:Q", title="high", format=".3f"),
               alt.Tooltip("p_value:Q", title="p-value", format=".3g")]
    point = base.mark_point(filled=True, color=GOOD).encode(x=f"{point_column}:Q", tooltip=tooltip)
    guides = pd.DataFrame({"iv": [0.02, 0.1, 0.3], "strength": ["weak", "medium", "strong"]})
    rules = alt.Chart(guides).mark_rule(strokeDash=[4, 4], color="#bbbbbb").encode(
        x="iv:Q", tooltip=["strength:N", "iv:Q"])
    return (rules + rule + point).properties(height=24 * len(valid) + 40)


def woe_chart(table: pd.DataFrame) -> alt.LayerChart:
    """WoE per bin as bars with 95% Wald whiskers (WoE +- 1.96 SE); bars lean good (GOOD colour)
    or bad (BAD colour) by their sign."""
    data = table.assign(woe_low=table.woe - Z95 * table.woe_se,
                        woe_high=table.woe + Z95 * table.woe_se,
                        leans=["goods" if w >= 0 else "bads" for w in table.woe])
    data = display_frame(data)
    bars = alt.Chart(data).encode(x=alt.X("label:N", sort=data["label"].tolist(), title=None))
    tooltip = [alt.Tooltip("label:N", title="Bin"), alt.Tooltip("goods:Q", title="Goods"),
               alt.Tooltip("bads:Q", title="Bads"), alt.Tooltip("woe:Q", title="WoE", format=".3f"),
               alt.Tooltip("woe_se:Q", title="SE", format=".3f")]
    return (bars.mark_bar(opacity=0.7).encode(
                y=alt.Y("woe:Q", title="WoE = ln(good share / bad share)"),
                color=alt.Color("leans:N", scale=good_bad_scale(), title="Leans to"),
                tooltip=tooltip)
            + bars.mark_rule().encode(y="woe_low:Q", y2="woe_high:Q"))


def psi_chart(series: pd.DataFrame, thresholds: dict, title: str) -> alt.LayerChart:
    """PSI per period: the interval as a band, the estimate as a line, watch/material rules."""
    base = alt.Chart(series).encode(x=alt.X("period:O", title="Period"))
    limits = pd.DataFrame({"psi": [thresholds["watch"], thresholds["material"]],
                           "threshold": ["watch", "material"]})
    tooltip = [alt.Tooltip("period:O", title="Period"),
               alt.Tooltip("psi:Q", title="PSI", format=".3f"),
               alt.Tooltip("psi_se:Q", title="SE", format=".3f"),
               alt.Tooltip("psi_ci_low:Q", title="low", format=".3f"),
               alt.Tooltip("psi_ci_high:Q", title="high", format=".3f"),
               alt.Tooltip("p_material_025:Q", title="p (PSI ≤ 0.25)", format=".3g"),
               alt.Tooltip("status:N", title="Status")]
    return (base.mark_area(opacity=0.25, color=CURRENT).encode(
                y=alt.Y("psi_ci_low:Q", title=title), y2="psi_ci_high:Q")
            + base.mark_line(point=True, color=CURRENT).encode(y="psi:Q", tooltip=tooltip)
            + alt.Chart(limits).mark_rule(strokeDash=[4, 4]).encode(
                y="psi:Q", color=alt.Color("threshold:N", title="Threshold", scale=alt.Scale(
                    domain=["watch", "material"], range=[WATCH, MATERIAL]))))


def share_chart(bins: pd.DataFrame) -> alt.Chart:
    """Reference and current share of rows per bin, side by side."""
    shares = bins.melt(id_vars="label", value_vars=["reference_share", "current_share"],
                       var_name="sample", value_name="share")
    shares["sample"] = shares["sample"].str.replace("_share", "")
    return alt.Chart(shares).mark_bar().encode(
        x=alt.X("label:N", sort=bins["label"].tolist(), title=None), xOffset="sample:N",
        y=alt.Y("share:Q", title="Share of rows", axis=alt.Axis(format="%")),
        color=alt.Color("sample:N", title="Sample", scale=alt.Scale(
            domain=["reference", "current"], range=[REFERENCE, CURRENT])),
        tooltip=[alt.Tooltip("label:N", title="Bin"), alt.Tooltip("sample:N", title="Sample"),
                 alt.Tooltip("share:Q", title="Share", format=".1%")])


def roc_chart(roc: pd.DataFrame, auc_text: str) -> alt.LayerChart:
    diagonal = pd.DataFrame({"fpr": [0, 1], "tpr": [0, 1]})
    return (alt.Chart(diagonal).mark_line(strokeDash=[4, 4], color="#bbbbbb").encode(
                x="fpr:Q", y="tpr:Q")
            + alt.Chart(roc).mark_line(color=BAD).encode(
                x=alt.X("fpr:Q", title="Share of goods declined"),
                y=alt.Y("tpr:Q", title="Share of bads declined"))).properties(
        title=f"ROC ({auc_text})")


def ks_chart(curve: pd.DataFrame, title: str) -> alt.Chart:
    """Cumulative score distributions of goods and bads (ks_curve's cdf_goods, cdf_bads)."""
    data = curve.rename(columns={"cdf_goods": "goods", "cdf_bads": "bads"}).melt(
        "threshold", value_vars=["goods", "bads"], var_name="group", value_name="cdf")
    return alt.Chart(data).mark_line().encode(
        x=alt.X("threshold:Q", title="Score"), y=alt.Y("cdf:Q", title="Cumulative share"),
        color=alt.Color("group:N", title=None, scale=good_bad_scale())).properties(title=title)


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy without attrs (Streamlit cannot serialise arrays held there)."""
    out = frame.copy()
    out.attrs = {}
    return out
