"""Self-contained drift report as one HTML page: inline CSS and SVG, no scripts, nothing fetched.

`drift_html(history, title=...)` takes ``[(period, DriftReport.to_dict()), ...]`` in period order
and renders: a plain-language summary of the latest period, PSI over time per characteristic
and for the score (95% interval band, watch and material threshold lines, points coloured by
status), the latest period's table with its tests, and a per-bin drill-down (``<details>``, so
it opens without JavaScript) with the target part when outcomes are known.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from scorecard.exceptions import InputError

__all__ = ["drift_html"]

COLOURS = {"stable": "#2e7d32", "watch": "#ef8f00", "material": "#c62828", "empty": "#9e9e9e"}
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;
max-width:1100px;color:#212121;padding:0 16px}
h1{font-size:1.6em;margin-bottom:4px}h2{margin-top:32px;border-bottom:1px solid #ddd}
.meta{color:#616161;font-size:.9em}.summary{background:#f5f5f5;padding:12px 16px;border-radius:6px}
table{border-collapse:collapse;font-size:.85em;margin:8px 0}
th,td{border-bottom:1px solid #e0e0e0;padding:3px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#fafafa}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:.85em}
.grid{display:flex;flex-wrap:wrap;gap:12px}.chart{border:1px solid #eee;border-radius:4px}
details{margin:6px 0}summary{cursor:pointer;font-weight:600}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _num(value: object, digits: int = 4) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "&ndash;"
    if isinstance(value, int):
        return f"{value:,}"
    value = float(value)
    if value != 0 and abs(value) < 10 ** (-digits):
        return f"{value:.1e}"
    return f"{value:.{digits}f}"


def _p(value: object) -> str:
    if value is None:
        return "&ndash;"
    value = float(value)
    return "&lt;1e-300" if value < 1e-300 else f"{value:.3g}"


def _pct(value: object) -> str:
    return "&ndash;" if value is None else f"{100 * float(value):.1f}%"


def _badge(status: str) -> str:
    colour = COLOURS.get(status, "#616161")
    return f'<span class="badge" style="background:{colour}">{_e(status)}</span>'


def _check_history(history: object) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(history, (str, bytes)) or not isinstance(history, Sequence):
        raise InputError("history must be a list of (period, DriftReport.to_dict()) pairs.")
    out = []
    for i, item in enumerate(history):
        if not (isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], Mapping)):
            raise InputError(
                f"history[{i}] must be a (period, DriftReport.to_dict()) pair, got {type(item).__name__}."
            )
        report = item[1]
        for key in ("status", "characteristics", "score", "n_current"):
            if key not in report:
                raise InputError(f"history[{i}] is not a drift report dict: it has no {key!r}.")
        out.append((str(item[0]), dict(report)))
    return out


# ---------------------------------------------------------------------------------------------
# Charts (inline SVG)
# ---------------------------------------------------------------------------------------------


def _psi_chart(name: str, periods: list[str], rows: list[dict | None], thresholds: Mapping) -> str:
    """PSI per period with its interval band, threshold lines and status-coloured points."""
    width, height, left, right, top, bottom = 330, 170, 44, 10, 22, 34
    inner_w, inner_h = width - left - right, height - top - bottom
    highs = [r["psi_ci_high"] or r["psi"] for r in rows if r is not None and r["psi"] is not None]
    y_max = max([*highs, thresholds.get("material", 0.25) * 1.15, 0.01])
    n = len(periods)

    def x(i: int) -> float:
        return left + (inner_w / 2 if n == 1 else inner_w * i / (n - 1))

    def y(v: float) -> float:
        return top + inner_h * (1 - min(v, y_max) / y_max)

    parts = [f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="PSI over time: {_e(name)}">',
             f'<text x="{left}" y="14" font-size="12" font-weight="600">{_e(name)}</text>']
    for frac in (0, 0.5, 1):
        v = y_max * frac
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     'stroke="#eee"/>')
        parts.append(f'<text x="{left - 4}" y="{y(v) + 4:.1f}" font-size="9" text-anchor="end">'
                     f'{v:.2f}</text>')
    points = [(i, r) for i, r in enumerate(rows) if r is not None and r["psi"] is not None]
    if len(points) >= 2:
        upper = " ".join(f"{x(i):.1f},{y(r['psi_ci_high'] or r['psi']):.1f}" for i, r in points)
        lower = " ".join(f"{x(i):.1f},{y(r['psi_ci_low'] or 0.0):.1f}" for i, r in reversed(points))
        parts.append(f'<polygon points="{upper} {lower}" fill="#90caf9" fill-opacity="0.45" '
                     'stroke="none"><title>95% interval</title></polygon>')
        line = " ".join(f"{x(i):.1f},{y(r['psi']):.1f}" for i, r in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="#1565c0" stroke-width="1.5"/>')
    for key, colour in (("watch", COLOURS["watch"]), ("material", COLOURS["material"])):
        if key in thresholds:
            ty = y(float(thresholds[key]))
            parts.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
                         f'stroke="{colour}" stroke-dasharray="4 3"><title>{key} '
                         f'{thresholds[key]}</title></line>')
    for i, r in points:
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(r["psi"]):.1f}" r="3" fill="{COLOURS.get(r["status"], "#000")}">'
            f'<title>{_e(periods[i])}: PSI {r["psi"]:.4f} [{r["psi_ci_low"] or 0:.4f}, '
            f'{r["psi_ci_high"] or 0:.4f}], {_e(r["status"])}</title></circle>'
        )
    step = max(1, math.ceil(n / 6))
    for i in range(0, n, step):
        parts.append(f'<text x="{x(i):.1f}" y="{height - bottom + 14}" font-size="9" '
                     f'text-anchor="middle">{_e(periods[i])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _share_bars(bins: list[dict]) -> str:
    """Reference vs current share of every bin as paired horizontal bars."""
    row_h, label_w, bar_w = 16, 150, 260
    height = row_h * len(bins) + 18
    top = max([b["reference_share"] for b in bins] + [b["current_share"] for b in bins] + [1e-9])
    parts = [f'<svg width="{label_w + bar_w + 60}" height="{height}" role="img" '
             'aria-label="bin shares, reference and current">',
             f'<text x="{label_w}" y="11" font-size="9" fill="#757575">reference</text>',
             f'<text x="{label_w + 60}" y="11" font-size="9" fill="#1565c0">current</text>']
    for j, b in enumerate(bins):
        y0 = 18 + j * row_h
        label = b["label"] if len(b["label"]) <= 24 else b["label"][:23] + "\u2026"
        parts.append(f'<text x="{label_w - 4}" y="{y0 + 10}" font-size="9" text-anchor="end">'
                     f'{_e(label)}</text>')
        for k, (key, colour) in enumerate((("reference_share", "#bdbdbd"), ("current_share", "#1565c0"))):
            w = bar_w * b[key] / top
            parts.append(f'<rect x="{label_w}" y="{y0 + 1 + 6 * k}" width="{w:.1f}" height="6" '
                         f'fill="{colour}"><title>{key.split("_")[0]}: {b[key]:.2%}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------


def _summary(history: list[tuple[str, dict]]) -> str:
    period, latest = history[-1]
    if latest["status"] == "empty":
        text = [f"The latest period, <b>{_e(period)}</b>, has no rows: nothing to compare."]
    else:
        rows = latest["characteristics"]
        material = [r for r in rows if r["status"] == "material"]
        watch = [r for r in rows if r["status"] == "watch"]
        text = [f"In the latest period, <b>{_e(period)}</b> ({latest['n_current']:,} rows against "
                f"{latest['n_reference']:,} reference rows), the overall status is "
                f"{_badge(latest['status'])}."]
        for group, word in ((material, "materially drifted"), (watch, "on watch")):
            if group:
                items = ", ".join(f"{_e(r['name'])} (PSI {r['psi']:.3f}, 95% CI "
                                  f"{r['psi_ci_low']:.3f}&ndash;{r['psi_ci_high']:.3f})" for r in group)
                text.append(f"{len(group)} characteristic(s) {word}: {items}.")
        if not material and not watch:
            text.append(f"All {len(rows)} characteristics are stable.")
        score = latest["score"]
        text.append(f"The score distribution's PSI is {score['psi']:.3f} ({_e(score['status'])}).")
        shifts = sorted(rows, key=lambda r: -abs(r.get("mean_points_shift") or 0.0))[:3]
        moved = "; ".join(f"{_e(r['name'])} {r['mean_points_shift']:+.1f}" for r in shifts
                          if abs(r.get("mean_points_shift") or 0.0) >= 0.05)
        if moved:
            text.append(f"Largest shifts of the average applicant's points: {moved}.")
        target = (latest.get("target") or {}).get("current")
        if target:
            auc = target["auc"]
            text.append(f"Outcomes are known: bad rate {target['bad_rate']['rate']:.2%}, AUC "
                        f"{auc['value']:.3f} (95% CI {auc['ci'][0]:.3f}&ndash;{auc['ci'][1]:.3f}).")
            cal = target.get("calibration")
            if cal and cal.get("p_value") is not None:
                verdict = "rejected" if cal["p_value"] < 0.05 else "not rejected"
                text.append(f"Calibration (Hosmer-Lemeshow, p = {_p(cal['p_value'])}): {verdict} at 5%.")
    flagged = [p for p, r in history if r["status"] == "material"]
    if len(history) > 1:
        text.append(f"Over the {len(history)} periods shown, {len(flagged)} had material drift"
                    + (f" ({', '.join(_e(p) for p in flagged[:8])}{'&hellip;' if len(flagged) > 8 else ''})."
                       if flagged else "."))
    text.append("Statuses come from tests, not point estimates alone: <i>material</i> means the "
                "data reject PSI &le; the material threshold at the 5% level, <i>watch</i> that they "
                "reject PSI &le; the watch threshold (or the estimate reaches the material one). "
                "q-values control the false discovery rate across characteristics.")
    return '<div class="summary"><p>' + "</p><p>".join(text) + "</p></div>"


def _over_time(history: list[tuple[str, dict]]) -> str:
    periods = [p for p, _ in history]
    thresholds = next((r.get("thresholds") for _, r in reversed(history) if r.get("thresholds")),
                      {"watch": 0.10, "material": 0.25})
    names = [r["name"] for _, rep in history for r in rep["characteristics"]]
    names = list(dict.fromkeys(names))
    charts = []
    for name in ["score", *names]:
        rows = []
        for _, rep in history:
            found = rep["score"] if name == "score" else next(
                (r for r in rep["characteristics"] if r["name"] == name), None)
            rows.append(found)
        charts.append(_psi_chart(name, periods, rows, thresholds))
    return '<div class="grid">' + "".join(charts) + "</div>"


def _latest_table(period: str, report: dict) -> str:
    if report["status"] == "empty":
        return f"<p>Period {_e(period)} has no rows.</p>"
    head = ("<tr><th>characteristic</th><th>PSI</th><th>SE</th><th>95% CI</th><th>p (no drift)</th>"
            "<th>p (PSI&gt;0.10)</th><th>p (PSI&gt;0.25)</th><th>q</th><th>points shift</th>"
            "<th>missing</th><th>special</th><th>unseen</th><th>status</th></tr>")
    body = []
    for r in [*report["characteristics"], report["score"]]:
        shares = r.get("shares") or {}
        cells = [
            _e(r["name"]), _num(r["psi"]), _num(r["psi_se"]),
            f"{_num(r['psi_ci_low'])} &ndash; {_num(r['psi_ci_high'])}",
            _p(r["p_value"]), _p(r["p_material_010"]), _p(r["p_material_025"]), _p(r["q_value"]),
            _num(r.get("mean_points_shift"), 2),
            *(f"{_pct(shares[k]['reference'])} &rarr; {_pct(shares[k]['current'])}" if k in shares
              else "&ndash;" for k in ("missing", "special", "unseen")),
            _badge(r["status"]),
        ]
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _bins_table(row: dict, rates: dict | None) -> str:
    has_points = any("points" in b for b in row["bins"])
    head = ["bin", *(["points"] if has_points else []), "reference", "share", "current", "share",
            "contribution"]
    if rates:
        head += ["bad rate now (95% CI)", "bad rate at development"]
    lines = ["<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for j, b in enumerate(row["bins"]):
        cells = [_e(b["label"]), *([_num(b.get("points"), 0)] if has_points else []),
                 _num(b["reference_count"]), _pct(b["reference_share"]), _num(b["current_count"]),
                 _pct(b["current_share"]), _num(b["contribution"], 5)]
        if rates:
            rate = rates["bins"][j]
            now = rate["current"]
            cells.append("&ndash;" if now["rate"] is None else
                         f"{_pct(now['rate'])} ({_pct(now['ci'][0])}&ndash;{_pct(now['ci'][1])})")
            dev = rate.get("development")
            cells.append("&ndash;" if not dev or dev["rate"] is None else
                         f"{_pct(dev['rate'])} ({_pct(dev['ci'][0])}&ndash;{_pct(dev['ci'][1])})")
        lines.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return "<table>" + "".join(lines) + "</table>"


def _drill_down(report: dict) -> str:
    if report["status"] == "empty":
        return ""
    target = report.get("target") or {}
    by_name = {c["name"]: c for c in target.get("characteristics", [])}
    parts = []
    for r in [report["score"], *report["characteristics"]]:
        rates = ({"bins": target["score_bands"]} if r["name"] == "score" and target
                 else by_name.get(r["name"]))
        parts.append(
            f"<details><summary>{_e(r['name'])} &mdash; PSI {_num(r['psi'])} {_badge(r['status'])}"
            f"</summary>{_share_bars(r['bins'])}{_bins_table(r, rates)}</details>"
        )
    return "".join(parts)


def _target_section(report: dict) -> str:
    target = report.get("target")
    if not target or not target.get("current"):
        return ""
    rows = []
    for label, part in (("current", target["current"]), ("development", target.get("reference"))):
        if not part:
            continue
        iv = part.get("score_iv") or {}
        cal = part.get("calibration") or {}
        rows.append(
            f"<tr><td>{label}</td><td>{_pct(part['bad_rate']['rate'])}</td>"
            f"<td>{_num(part['auc']['value'], 3)} ({_num(part['auc']['ci'][0], 3)}&ndash;"
            f"{_num(part['auc']['ci'][1], 3)})</td>"
            f"<td>{_num(part['ks']['value'], 3)} ({_num(part['ks']['ci'][0], 3)}&ndash;"
            f"{_num(part['ks']['ci'][1], 3)})</td>"
            f"<td>{_num(iv.get('value'), 3)} ({_num((iv.get('ci') or [None])[0], 3)}&ndash;"
            f"{_num((iv.get('ci') or [None, None])[1], 3)})</td>"
            f"<td>{_p(cal.get('p_value')) if cal else '&ndash;'}</td></tr>"
        )
    return ("<h2>Outcomes</h2><table><tr><th>sample</th><th>bad rate</th><th>AUC (95% CI)</th>"
            "<th>KS (95% CI)</th><th>score IV (95% CI)</th><th>calibration p (HL)</th></tr>"
            + "".join(rows) + "</table>")


def drift_html(history: Sequence[tuple[str, Mapping[str, Any]]], *, title: str = "Drift report") -> str:
    """One self-contained HTML page from ``[(period, DriftReport.to_dict()), ...]`` in period order.

    Works offline: styles and charts are inline (CSS and SVG), there are no scripts and nothing
    is loaded from the network. An empty history gives a page saying there is nothing yet.
    """
    items = _check_history(history)
    head = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{STYLE}</style></head><body><h1>{_e(title)}</h1>")
    if not items:
        return head + "<p>No drift reports yet.</p></body></html>"
    period, latest = items[-1]
    # Tables and drill-down show the latest period that has rows.
    shown, report = next(((p, r) for p, r in reversed(items) if r["status"] != "empty"),
                         (period, latest))
    heading = "Latest period" if shown == period else "Latest period with rows"
    model = latest.get("model") or {}
    meta = (f'<p class="meta">Model {_e(model.get("name", "?"))} (sha256 '
            f'{_e(str(model.get("sha256", ""))[:12])}), {len(items)} period(s) from '
            f'{_e(items[0][0])} to {_e(period)}; PSI {_e(latest.get("reference_mode", "sample"))} '
            f"reference; score bands at the reference's deciles {_e(latest.get('score_edges', []))}.</p>")
    body = [
        meta, "<h2>Summary</h2>", _summary(items),
        "<h2>PSI over time</h2><p class=\"meta\">Line: PSI; band: 95% interval; dashed: watch "
        "and material thresholds; dots coloured by status.</p>", _over_time(items),
        f"<h2>{heading}: {_e(shown)}</h2>", _latest_table(shown, report),
        _target_section(report),
        f"<h2>Per-bin drill-down ({_e(shown)})</h2>", _drill_down(report),
    ]
    return head + "".join(body) + "</body></html>"
