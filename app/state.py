"""The only place the dashboard caches: datasets, results computed from them, and store reads.

Store reads are cached under the store's URL and `store_version` (a cheap fingerprint: row
counts, newest ids and timestamps), so a change from any process (this app, the CLI, the
scheduler) shows on the next run without clearing anything. Warnings raised while fitting are
kept with the cached result and shown on the page each time (`show_warnings`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from scorecard.binning import BinningProcess
from scorecard.binning.prebinning import iv_report
from scorecard.datasets import DATASETS
from scorecard.exceptions import ScorecardError, StorageError
from scorecard.export import export_bytes
from scorecard.model.scorecard import Scorecard
from scorecard.options import ENCODINGS, TREND_OPTIONS, trend_from_option
from scorecard.scheduling import demo
from scorecard.storage import MonitorStore, ResultStore, default_url
from scorecard.validation import binary_target

TRENDS = list(TREND_OPTIONS)
HOLDOUT_SHARE, SPLIT_SEED = demo.HOLDOUT_SHARE, demo.SPLIT_SEED


@dataclass(frozen=True)
class Fitted:
    """A cached result and the warnings raised while computing it."""

    value: object
    warnings: tuple[str, ...] = ()


def _fit(compute: Callable[[], object]) -> Fitted:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = compute()
    seen = dict.fromkeys(str(w.message) for w in caught)  # in order, once each
    return Fitted(value, tuple(seen))


def show_warnings(fitted: Fitted, what: str) -> None:
    """Each warning of a fit as a warning box (model warnings are shown, never swallowed)."""
    for message in fitted.warnings:
        st.warning(f"{what}: {message}")


# -- bundled datasets -----------------------------------------------------------------------------

def dataset_names() -> list[str]:
    return list(DATASETS)


def current_dataset() -> str:
    """The bundled dataset a page explores, picked in its sidebar."""
    return st.sidebar.selectbox("Dataset", dataset_names(), key="dataset")


@st.cache_data(show_spinner="Loading data ...")
def load_dataset(name: str) -> pd.DataFrame:
    return DATASETS[name].load()


def characteristics(name: str) -> list[str]:
    info = DATASETS[name]
    return [c for c in load_dataset(name).columns if c not in info.exclude]


@st.cache_resource(show_spinner="Pre-binning and computing IV ...")
def iv_report_for(name: str, n_bins: int) -> Fitted:
    info = DATASETS[name]
    return _fit(lambda: iv_report(load_dataset(name), info.target, bad_value=info.bad_value,
                                  columns=characteristics(name), n_bins=n_bins,
                                  special_values=info.special_values))


@st.cache_resource(show_spinner="Optimal binning ...")
def binning_for(name: str, trend: str, max_bins: int, min_bin_size: float,
                prebinning: str) -> Fitted:
    info = DATASETS[name]
    frame = load_dataset(name)
    columns = characteristics(name)
    y = binary_target(frame[info.target], name=info.target, bad_value=info.bad_value)
    return _fit(lambda: BinningProcess(
        columns=columns, special_values=dict(info.special_values) or None,
        monotonic_trend=trend_from_option(trend), max_n_bins=max_bins,
        min_bin_size=min_bin_size, prebinning=prebinning,
    ).fit(frame[columns], y))


@dataclass(frozen=True)
class FittedScorecard:
    model: Scorecard
    metrics: dict
    y_test: np.ndarray
    test_scores: np.ndarray
    n_train: int
    n_test: int


@st.cache_resource(show_spinner="Fitting the scorecard ...")
def scorecard_for(name: str, encoding: str) -> Fitted:
    """Fit on a stratified 70% of the rows; evaluate on the other 30%."""
    from sklearn.model_selection import train_test_split

    info = DATASETS[name]
    frame = load_dataset(name)
    target = frame[info.target]  # raw values: the spec records the real bad value
    y = binary_target(target, name=info.target, bad_value=info.bad_value)
    X = frame[characteristics(name)]
    X_train, X_test, y_train, y_test = train_test_split(
        X, target, test_size=HOLDOUT_SHARE, random_state=SPLIT_SEED, stratify=y)

    def fit() -> FittedScorecard:
        binning = BinningProcess(special_values=dict(info.special_values) or None)
        model = Scorecard(binning, encoding=encoding, target_name=info.target,
                          bad_value=info.bad_value, name=f"{name} {encoding}").fit(X_train, y_train)
        label_test = binary_target(y_test, name=info.target, bad_value=info.bad_value)
        return FittedScorecard(model, model.evaluate(X_test, y_test), label_test,
                               model.score(X_test), len(X_train), len(X_test))

    return _fit(fit)


@st.cache_resource(show_spinner="Loading the fairness front (traced when not stored: a MIP "
                                "sweep, a scorecard per point) ...")
def front_for(name: str, protected: tuple[str, ...], eps_grid: int, confidence: float,
              score_level: bool) -> Fitted:
    """The performance-fairness front on a stratified 70/30 split (the Scorecard page's): the
    one stored with the demo for these exact settings, else traced now."""
    try:
        stored = demo.stored_sample_front(store(), name, protected, eps_grid, confidence,
                                          score_level)
    except ScorecardError:  # an unreadable store or stored front: trace it
        stored = None
    if stored is not None:
        return Fitted(stored)
    return _fit(lambda: demo.sample_front(name, protected, eps_grid, confidence, score_level))


# -- the store ------------------------------------------------------------------------------------

@st.cache_resource
def _store(url: str) -> ResultStore:
    return ResultStore(url)


@st.cache_resource
def _monitor_store(url: str) -> MonitorStore:
    return MonitorStore(database=_store(url).db)


def store() -> ResultStore:
    """The results store named by $SCORECARD_DB (one open engine per URL)."""
    return _store(default_url())


def monitor_store() -> MonitorStore:
    """Monitors, models, results and schedules of the same store (same engine as store())."""
    return _monitor_store(default_url())


def _store_version(url: str) -> tuple:
    from sqlalchemy import func, select
    from sqlalchemy.exc import SQLAlchemyError

    from scorecard.storage import schema

    stamps = [(schema.reports, "id"), (schema.models, "id"), (schema.monitors, "id"),
              (schema.runs, "id", "finished_at"), (schema.results, "id", "created_at"),
              (schema.alerts, "id"), (schema.schedules, "id", "updated_at")]
    database = _store(url).db
    try:
        with database.read() as conn:
            return tuple(tuple(conn.execute(select(func.count(), *(func.max(table.c[c])
                                                                  for c in columns))
                                            .select_from(table)).one())
                         for table, *columns in stamps)
    except SQLAlchemyError as exc:
        raise StorageError(f"could not read {database.display_url!r}: {exc}") from None


def store_version() -> tuple:
    """The store's fingerprint now (StorageError if it cannot be read)."""
    return _store_version(default_url())


def read(reader: Callable, *args):
    """reader(url, version, *args) through its cache; an unreadable store is shown as an error
    and stops the page."""
    url = default_url()
    try:
        return reader(url, _store_version(url), *args)
    except ScorecardError as exc:
        st.error(f"The results store cannot be read: {exc}")
        st.stop()


@st.cache_data(show_spinner=False, max_entries=16)
def monitors_table(url: str, version: tuple) -> pd.DataFrame:
    """One row per monitor: model, latest period and status, alerts, last run and next run."""
    from scorecard.scheduling.cron import next_run_times

    monitors = _monitor_store(url)
    table = monitors.overview()
    last = {}
    for run in monitors.runs(limit=500):  # newest first
        last.setdefault(run.monitor, run)
    upcoming = {s.monitor: (None if s.paused else next(iter(next_run_times(s.cron, s.timezone)), None))
                for s in monitors.schedules()}
    table["last_run"] = [last[m].started_at if m in last else None for m in table["monitor"]]
    table["last_run_status"] = [last[m].status if m in last else None for m in table["monitor"]]
    table["next_run"] = [upcoming[m].isoformat(timespec="minutes") if upcoming.get(m) else None
                         for m in table["monitor"]]
    return table


@st.cache_data(show_spinner=False, max_entries=16)
def alerts(url: str, version: tuple, name: str | None = None) -> list:
    return _monitor_store(url).alerts(name)


@st.cache_data(show_spinner=False, max_entries=16)
def models(url: str, version: tuple) -> list:
    return _monitor_store(url).models()


@st.cache_data(show_spinner=False, max_entries=64)
def model_spec(url: str, version: tuple, model_id: int) -> dict:
    return _monitor_store(url).model_spec(model_id)


@st.cache_data(show_spinner=False, max_entries=16)
def monitor_names(url: str, version: tuple) -> list[str]:
    return _monitor_store(url).monitor_names()


@st.cache_resource(show_spinner="Reading the monitor's history ...", max_entries=16)
def monitor_history(url: str, version: tuple, name: str) -> dict:
    """A monitor, its stored drift reports (period order), the PSI of every row and period.
    Shared, not copied, between sessions (half a megabyte for 24 periods): read, never change."""
    from scorecard.monitoring.report import FRAME_COLUMNS

    monitors = _monitor_store(url)
    history = monitors.history(name)
    rows = [{**{c: row.get(c) for c in FRAME_COLUMNS}, "period": period}
            for period, data in history
            for row in [*data["characteristics"], *([data["score"]] if data["score"] else [])]]
    psi = pd.DataFrame(rows, columns=[*FRAME_COLUMNS, "period"])
    for column in FRAME_COLUMNS[1:-1]:  # as DriftReport.to_frame, for every period at once
        psi[column] = pd.to_numeric(psi[column], errors="coerce").astype(np.float64)
    return {"monitor": monitors.monitor(name), "history": history, "psi": psi}


@st.cache_data(show_spinner=False, max_entries=16)
def runs(url: str, version: tuple, name: str | None = None, limit: int = 100) -> list:
    return _monitor_store(url).runs(name, limit=limit)


@st.cache_data(show_spinner=False, max_entries=16)
def schedules(url: str, version: tuple) -> list:
    return _monitor_store(url).schedules()


@st.cache_data(show_spinner=False, max_entries=16)
def stored_results(url: str, version: tuple) -> list:
    return _store(url).list()


@st.cache_data(show_spinner=False, max_entries=32)
def stored_result(url: str, version: tuple, report_id: int):
    return _store(url).get(report_id)


@st.cache_data(show_spinner="Writing the HTML report ...", max_entries=32)
def drift_report_html(url: str, version: tuple, name: str, period: str) -> str:
    """The offline HTML drift report of `name` over its stored periods up to `period`."""
    from scorecard.reports import drift_html

    data = monitor_history(url, version, name)
    history = [(p, report) for p, report in data["history"] if p <= period]
    return drift_html(history, title=f"Drift of {data['monitor'].model_name} ({name}), "
                                     f"up to {period}")


def on_click(url: str, version: tuple, reader: Callable, *args) -> Callable[[], object]:
    """reader(url, version, *args) deferred: a download button's data, made only when clicked
    (`read(on_click, reader, ...)`)."""
    return lambda: reader(url, version, *args)


STORE_READERS = [monitors_table, alerts, models, model_spec, monitor_names, monitor_history, runs,
                 schedules, stored_results, stored_result, drift_report_html]
"""The cached functions that read the store (cleared together by invalidate_store)."""


def invalidate_store() -> None:
    """Forget every cached store read (after a page writes to the store; reads keyed by
    store_version see other processes' writes without it)."""
    for reader in STORE_READERS:
        reader.clear()


# -- exports --------------------------------------------------------------------------------------

@st.cache_data(show_spinner="Writing the exports ...", max_entries=256)
def card_export(sha256: str, fmt: str, dialect: str, _spec: dict) -> bytes | str:
    """One export of the card with hash `sha256`, made once per (card, format, dialect); the
    error message (a str) when that export cannot represent the card."""
    try:
        return export_bytes(_spec, fmt, dialect=dialect)
    except ScorecardError as exc:
        return str(exc)
