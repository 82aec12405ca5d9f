"""Numbers and tables for people: estimates as "0.213 ± 0.031", human column names, one format.

Tables keep their numeric columns (sortable, and what tests read) under human names; an
estimate with a standard error also gets one text column "IV ± SE" that reads at a glance.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from charts import display_frame

LABELS = {
    "name": "Characteristic", "characteristic": "Characteristic", "kind": "Kind",
    "dtype": "Type", "n_bins": "Bins", "trend": "Trend", "selected": "Selected",
    "iv": "IV", "iv_corrected": "IV corrected", "iv_se": "IV SE", "iv_ci_low": "IV low",
    "iv_ci_high": "IV high", "p_value": "p-value", "p_method": "Test", "q_value": "q-value (BH)",
    "reliable": "Reliable", "note": "Note", "label": "Bin", "goods": "Goods", "bads": "Bads",
    "total": "Rows", "share": "Share of rows", "event_rate": "Bad rate", "woe": "WoE",
    "woe_se": "WoE SE", "iv_contrib": "IV contribution", "points": "Points",
    "psi": "PSI", "psi_se": "PSI SE", "psi_ci_low": "PSI low", "psi_ci_high": "PSI high",
    "p_material_010": "p (PSI ≤ 0.10)", "p_material_025": "p (PSI ≤ 0.25)", "status": "Status",
    "monitor": "Monitor", "model": "Model", "latest_period": "Latest period",
    "periods": "Periods", "score_psi": "Score PSI", "max_psi": "Largest PSI", "alerts": "Alerts",
    "schedule": "Schedule", "last_run": "Last run", "last_run_status": "Last run status",
    "next_run": "Next run", "period": "Period", "message": "Message", "created_at": "Created",
    "reference_count": "Reference rows", "current_count": "Current rows",
    "reference_share": "Reference share", "current_share": "Current share",
    "n_reference": "Reference rows", "n_current": "Current rows", "bin_index": "Bin #",
    "id": "ID", "sha256": "SHA-256", "trigger": "Trigger", "started_at": "Started",
    "finished_at": "Finished", "error": "Error", "cron": "Cron", "timezone": "Time zone",
    "paused": "Paused", "subject": "Subject", "metric": "Metric", "value": "Value", "se": "SE",
    "ci_low": "Low (95%)", "ci_high": "High (95%)", "bin": "Bin", "points_exact": "Points (exact)",
    "updated_at": "Updated", "attempt": "Attempt", "iv_fair": "IV fair", "auc": "AUC",
    "air": "AIR", "auc_ci_low": "AUC low", "auc_ci_high": "AUC high", "air_ci_low": "AIR low",
    "air_ci_high": "AIR high", "fair_iv": "Score IV between groups", "fair_iv_se": "SE (between)",
    "index": "Point", "epsilon": "Budget ε", "n_characteristics": "Characteristics",
    "iv_perf_sum": "Sum of IV", "iv_fair_sum": "Sum of IV fair", "cutoff": "Cut-off",
    "four_fifths": "Four-fifths rule met", "approval_rate": "Approval rate", "group": "Group",
}
PROBABILITIES = {"p_value", "q_value", "p_material_010", "p_material_025"}
COUNTS = {"goods", "bads", "total", "n_bins", "periods", "alerts", "reference_count",
          "current_count", "n_reference", "n_current", "points", "bin_index"}


def estimate(value: object, se: object = None, digits: int = 3) -> str:
    """'0.213 ± 0.031' (just '0.213' without an SE; '–' when there is no estimate)."""
    if not _finite(value):
        return "–"
    text = f"{float(value):.{digits}f}"
    return f"{text} ± {float(se):.{digits}f}" if _finite(se) else text


def interval(low: object, high: object, digits: int = 3) -> str:
    return f"[{float(low):.{digits}f}, {float(high):.{digits}f}]" if (
        _finite(low) and _finite(high)) else "–"


def _finite(value: object) -> bool:
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def label(column: str) -> str:
    text = LABELS.get(column) or re.sub(r"_+", " ", str(column)).strip()
    return text[:1].upper() + text[1:]


def people_table(frame: pd.DataFrame, columns: Sequence[str] | None = None, *,
                 estimates: Iterable[tuple[str, str]] = (), digits: int = 3) -> pd.DataFrame:
    """`frame`'s `columns` under human names, with an 'X ± SE' text column before each
    (value, se) pair of `estimates`; attrs dropped (Streamlit cannot serialise arrays there)."""
    out = display_frame(frame[list(columns)] if columns is not None else frame)
    shown_as_text = set()
    for value, se in estimates:
        text = [estimate(v, s, digits) for v, s in zip(frame[value], frame[se])]
        shown_as_text.add(f"{label(value)} ± SE")
        out.insert(out.columns.get_loc(value), f"{label(value)} ± SE", text)
    return out.rename(columns={c: label(c) for c in out.columns if c not in shown_as_text})


def number_formats(frame: pd.DataFrame, digits: int = 3) -> dict:
    """Column formats of a people_table: probabilities in 3 significant digits, counts whole,
    other numbers with `digits` decimals."""
    names = {label(c): c for c in LABELS}
    config = {}
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(
                frame[column]):
            continue
        source = names.get(column, column)
        if source in PROBABILITIES:
            config[column] = st.column_config.NumberColumn(format="%.3g")
        elif source in COUNTS:
            config[column] = st.column_config.NumberColumn(format="localized")
        else:
            config[column] = st.column_config.NumberColumn(format=f"%.{digits}f")
    return config


def show_table(frame: pd.DataFrame, columns: Sequence[str] | None = None, *,
               estimates: Iterable[tuple[str, str]] = (), key: str | None = None,
               digits: int = 3) -> pd.DataFrame:
    """Draw a people_table with its number formats; returns what was drawn."""
    shown = people_table(frame, columns, estimates=estimates, digits=digits)
    st.dataframe(shown, hide_index=True, key=key, column_config=number_formats(shown, digits))
    return shown


def show_metrics(metrics: dict, rows: str, extra: int = 0) -> list:
    """AUC, Gini, KS and score IV of `metrics` (Scorecard.evaluate) as metric tiles, each
    estimate with its SE and interval; returns the columns (with `extra` empty ones after)."""
    auc, gini, iv = metrics["auc"], metrics["gini"], metrics["score_iv"]
    cols = st.columns(4 + extra)
    cols[0].metric(f"AUC ({rows})", estimate(auc["value"], auc["se"]),
                   help=f"DeLong SE; 95% interval {interval(*auc['ci'])}.")
    cols[1].metric("Gini", estimate(gini["value"], gini["se"]),
                   help=f"95% interval {interval(*gini['ci'])}.")
    cols[2].metric("KS", f"{metrics['ks']['statistic']:.3f}")
    cols[3].metric("Score IV", estimate(iv["value"], iv["se"]),
                   help=f"95% interval {interval(*iv['ci'])}.")
    return cols


def export_buttons(spec: dict, stem: str, dialect: str, key: str) -> None:
    """A download button per export of the card: made once per (card, format, dialect) and
    cached, and a click does not rerun the page (two quick clicks both download)."""
    import state
    from scorecard.export import EXTENSIONS, FORMATS
    from scorecard.model.spec import dumps_spec

    buttons = st.columns(len(FORMATS) + 1)
    buttons[0].download_button("Spec (JSON)", dumps_spec(spec), file_name=f"{stem}.json",
                               mime="application/json", key=f"{key}_json", on_click="ignore")
    for column, fmt in zip(buttons[1:], FORMATS):
        data = state.card_export(spec["integrity"]["sha256"], fmt, dialect, spec)
        if isinstance(data, str):  # e.g. a category the ansi dialect cannot write safely
            column.warning(f"{fmt.upper()}: {data}")
            continue
        column.download_button(fmt.upper(), data, file_name=f"{stem}{EXTENSIONS[fmt]}",
                               key=f"{key}_{fmt}", on_click="ignore")
