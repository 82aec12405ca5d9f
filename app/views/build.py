"""Build: your data -> roles -> bins (editable) -> scorecard -> saved model -> monitor + schedule."""

import re

import pandas as pd
import streamlit as st

import auth
import build_flow as flow
import charts
import display
import state as cache
from scorecard.binning import editing
from scorecard.exceptions import ScorecardError
from scorecard.options import TREND_OPTIONS, trend_from_option

st.title("Build a scorecard")
if not auth.can_edit():
    st.info("Building, saving and scheduling a scorecard need the editor role. Ask an editor, "
            "or browse the stored models on the other pages.")
    st.stop()
state = flow.state_of(st.session_state)


def attempt(action, *args, **kwargs):
    """Run a flow action: its result (True for None); a fixable failure is an error box, None."""
    try:
        result = action(*args, **kwargs)
    except auth.PermissionDenied as exc:
        st.error(str(exc))
    except ScorecardError as exc:
        st.error(str(exc))
    else:
        return True if result is None else result
    return None


def with_progress(title: str, action, *args) -> bool:
    """Run a long flow action inside st.status with a progress bar; True if it worked."""
    with st.status(title, expanded=True) as status:
        bar = st.progress(0.0)

        def progress(label: str, fraction: float) -> None:
            bar.progress(fraction, text=label)
            status.update(label=f"{title}: {label}")

        done = attempt(action, *args, progress=progress) is not None
        status.update(label=f"{title}: done" if done else f"{title}: failed",
                      state="complete" if done else "error", expanded=not done)
    return done


# -- 1. data --------------------------------------------------------------------------------------
st.header("1. Data")
kind = st.radio("Data", ["Upload a file", "Bundled dataset"], horizontal=True, key="build_kind")
if kind == "Upload a file":
    limits = attempt(lambda: (flow.max_upload_mb(), flow.max_rows()))
    if limits is None:
        st.stop()
    uploaded = st.file_uploader(
        f"CSV or parquet file (at most {limits[0]:,.0f} MB and {limits[1]:,} rows)",
        type=["csv", "parquet", "pq"], key="build_upload")
    if uploaded is not None and st.session_state.get("build_upload_id") != uploaded.file_id:
        st.session_state["build_upload_id"] = uploaded.file_id
        with st.spinner(f"Reading {uploaded.name} ..."):
            attempt(flow.read_upload, state, uploaded.name, uploaded.getvalue())
else:
    bundled = st.selectbox("Dataset", list(flow.DATASETS), key="build_dataset")
    if st.button("Use this dataset", key="build_use_dataset"):
        attempt(flow.load_bundled, state, bundled)
if state.frame is None:
    st.info("Upload a CSV or parquet file with one row per application and a good/bad target "
            "column, or pick a bundled dataset.")
    st.stop()
frame = state.frame
st.caption(f"**{state.source}**: {len(frame):,} rows, {frame.shape[1]} columns.")
st.dataframe(frame.head(10), hide_index=True, key="build_preview")

# -- 2. roles -------------------------------------------------------------------------------------
st.header("2. Columns")
columns = list(frame.columns)
suggested = flow.suggested_roles(state)
if suggested is not None and st.session_state.get("build_roles_for") != state.source:
    st.session_state["build_roles_for"] = state.source
    st.session_state["build_target"] = suggested.target
    st.session_state["build_protected"] = list(suggested.protected)
    st.session_state["build_excluded"] = list(suggested.excluded)
    st.session_state["build_specials"] = "; ".join(
        f"{c}={','.join(f'{v:g}' for v in vs)}" for c, vs in suggested.special_values.items())
left, right = st.columns(2)
target = left.selectbox("Target (good/bad outcome)", columns, key="build_target",
                        index=len(columns) - 1)
values = sorted(frame[target].dropna().unique().tolist(), key=str)
bad_options = ["(inferred)"] + values if len(values) <= 20 else ["(inferred)"]
bad_choice = right.selectbox("Value meaning bad", bad_options, key="build_bad_value",
                             help="Inferred: 1 of 0/1, 2 of 1/2, 'bad' of good/bad.")
others = [c for c in columns if c != target]
protected = left.multiselect("Protected attributes (never model inputs; used for fairness)",
                             others, key="build_protected")
excluded = right.multiselect("Excluded columns (identifiers, dates, leaks)",
                             [c for c in others if c not in protected], key="build_excluded")
specials_text = st.text_input("Special values (numeric codes with a bin of their own)",
                              key="build_specials", placeholder="delinquency_history=-999; age=-1")
specials = attempt(flow.parse_special_values, specials_text, frame)
roles = flow.Roles(target, None if bad_choice == "(inferred)" else bad_choice,
                   tuple(protected), tuple(excluded), specials or {})
if st.button("Fit binning and scorecard", type="primary", key="build_fit") and specials is not None:
    with_progress("Fitting", flow.fit, state, roles)
if state.card is None:
    st.stop()

# -- 3. bins --------------------------------------------------------------------------------------
process, card = state.process, state.card
st.header("3. Bins")
summary = process.summary()
st.caption(
    f"Optimal bins on the {len(state.train):,} training rows. The bins were chosen on these rows, "
    "so the training intervals are optimistic; the hold-out IV counts the "
    f"{len(state.test):,} hold-out rows in the same bins (an edit that only fits noise raises "
    "the training IV, not the hold-out IV). Characteristics with one bin have no hold-out IV.")
shown = summary.merge(state.holdout_iv, on="name", how="left")
table_shown = display.people_table(
    shown, ["name", "dtype", "n_bins", "iv", "iv_ci_low", "iv_ci_high", "iv_holdout",
            "iv_holdout_ci_low", "iv_holdout_ci_high", "trend", "status"],
    estimates=[("iv", "iv_se"), ("iv_holdout", "iv_holdout_se")]
).rename(columns={"IV ± SE": "IV ± SE (training)", "IV": "IV (training)",
                  "Iv holdout ± SE": "IV ± SE (hold-out)", "Iv holdout": "IV (hold-out)",
                  "Iv holdout ci low": "Hold-out low", "Iv holdout ci high": "Hold-out high"})
st.dataframe(table_shown, hide_index=True, key="build_summary",
             column_config=display.number_formats(table_shown))
for message in state.warnings:
    st.warning(message)
column = st.selectbox("Characteristic to review", summary["name"].tolist(), key="build_column")
table = process.binning_tables_[column]
cols = st.columns(3)
cols[0].metric("IV (training)", display.estimate(table.iv, table.iv_se),
               help=f"95% interval {display.interval(*table.iv_ci)}")
cols[1].metric("Bins", table.n_nonempty_bins)
cols[2].metric("In the scorecard", "yes" if column in card.characteristics_ else "no")
bins = charts.display_frame(table.to_frame())
st.altair_chart(charts.woe_chart(bins[bins["total"] > 0]), width="stretch")
display.show_table(bins, ["label", "goods", "bads", "share", "event_rate", "woe", "woe_se",
                          "iv_contrib"], estimates=[("woe", "woe_se")], key="build_bins")

st.subheader(f"Edit the bins of {column}")
change = None
edit_cols = st.columns(4)
if table.dtype == "numeric" and table.splits is not None and len(table.splits):
    labels = list(table.labels[: len(table.splits) + 1])
    pair = edit_cols[0].selectbox("Merge two adjacent bins", range(len(table.splits)),
                                  format_func=lambda i: f"{labels[i]} + {labels[i + 1]}",
                                  key="build_merge_pair")
    if edit_cols[0].button("Merge", key="build_merge"):
        change = attempt(editing.merge_bins, table, pair)
if table.dtype == "numeric":
    cut = edit_cols[1].number_input("Add a cut at (values below go left)", value=None,
                                    key="build_cut_value", format="%g")
    if edit_cols[1].button("Add cut", key="build_add_cut"):
        change = attempt(editing.add_cut, table, cut) if cut is not None else None
        if cut is None:
            st.error("Enter the value at which to cut.")
trend = edit_cols[2].selectbox("Force an event-rate trend", TREND_OPTIONS, key="build_trend")
if edit_cols[2].button("Apply trend", key="build_apply_trend"):
    change = attempt(editing.force_trend, table, trend_from_option(trend))
if edit_cols[3].button("Reset to the optimal bins", key="build_reset"):
    change = {}
if change is not None:
    if with_progress("Rebinning and refitting the scorecard", flow.edit, state, column,
                     change or None):
        st.rerun()

# -- 4. scorecard ---------------------------------------------------------------------------------
st.header("4. Scorecard")
display.show_metrics(state.metrics, "hold-out")
edited = sorted((process.binner_params or {}))
st.caption(f"{card.encoding} on the training rows, {len(card.characteristics_)} "
           "characteristics; hand-edited bins: "
           f"{', '.join(edited) if edited else 'none'}. Dropped: "
           + (", ".join(f"{n} ({d['reason']})" for n, d in card.dropped_.items()) or "none") + ".")
display.show_table(card.points_table_, key="build_points")
if state.fairness:
    st.subheader("Fairness on the hold-out rows")
    st.dataframe(pd.DataFrame([{
        "Protected attribute": f["attribute"], "Reference group": f["reference_group"],
        "Worst group": f["air_group"],
        "Adverse impact ratio": "–" if f["air"] is None else
        f"{f['air']:.2f} {display.interval(*f['air_ci'], digits=2)}",
        "Four-fifths met": f["four_fifths"],
        "Score IV between groups": display.estimate(f["score_iv_groups"]["value"],
                                                    f["score_iv_groups"]["se"]),
    } for f in state.fairness]), hide_index=True, key="build_fairness")
    st.caption("At the cut-off approving 70% of the rows; AIR with a Katz 95% interval. See the "
               "Fairness page for the accuracy-disparity front.")

# -- 5. save --------------------------------------------------------------------------------------
st.header("5. Save")
store = cache.monitor_store()
if state.model_id is None:
    if st.button("Save the model to the store", type="primary", key="build_save"):
        with st.spinner("Saving ..."):
            if attempt(flow.save_model, state, store) is not None:
                cache.invalidate_store()
                st.rerun()
    st.stop()
st.success(f"Saved as model #{state.model_id} ({card.spec_['name']}, sha256 "
           f"{card.spec_['integrity']['sha256'][:12]}...) in {store.db.display_url}.")
stem = re.sub(r"\W+", "_", card.spec_["name"]).strip("_") or "scorecard"
display.export_buttons(card.spec_, stem, "ansi", key="build_export")

# -- 6. monitor and schedule ----------------------------------------------------------------------
st.header("6. Monitor and schedule")
if state.monitor is None:
    incoming = flow.incoming_folder(state)
    with st.form("build_monitor_form"):
        name = st.text_input("Monitor name", value=f"{card.spec_['name']} #{state.model_id}",
                             key="build_monitor_name")
        where = st.radio("New applications arrive in",
                         [f"the folder made for it, one file per period: {incoming}",
                          "another file, folder or SQL source"], key="build_source_kind")
        other = st.text_input("File, folder or sql:URL::query", key="build_source")
        period_column = st.selectbox("Period column (for a file or SQL source)",
                                     ["(none: one file per period)"] + columns,
                                     key="build_period_column")
        create = st.form_submit_button("Create the monitor")
    if create:
        own_folder = where.startswith("the folder")
        attempt(flow.add_monitor, state, store, name,
                source=str(incoming) if own_folder else other,
                period_column=None if period_column.startswith("(none") else period_column)
        if state.monitor is not None:
            cache.invalidate_store()
            st.rerun()
    st.stop()
st.success(f"Monitor {state.monitor.name!r} watches {state.monitor.source} against "
           f"{state.monitor.reference}.")
if state.schedule is None:
    with st.form("build_schedule_form"):
        cron = st.text_input("Cron (minute hour day month weekday; 0 or 7 = Sunday)",
                             value="0 6 1 * *", key="build_cron")
        timezone = st.text_input("Time zone (IANA)", value="UTC", key="build_timezone")
        add = st.form_submit_button("Add the schedule")
    if add and attempt(flow.add_schedule, state, cron, timezone) is not None:
        st.rerun()
    st.stop()
st.success(f"Scheduled {state.monitor.name!r}: {state.schedule.cron!r} ({state.schedule.timezone}); "
           "`scorecard scheduler` runs it. See Overview and Monitoring.")
