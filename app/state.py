"""The only place the dashboard caches: datasets, the results computed from them, the store."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st
from sklearn.model_selection import train_test_split

from scorecard.binning import BinningProcess
from scorecard.binning.prebinning import IVReport, iv_report
from scorecard.datasets import DATASETS
from scorecard.exceptions import ScorecardError, StorageError
from scorecard.fairness.front import ParetoFront, fairness_front
from scorecard.fairness.groups import GERMAN_CREDIT_SEX
from scorecard.fairness.penalized import DEFAULT_PENALTIES
from scorecard.model.scorecard import Scorecard
from scorecard.options import ENCODINGS, TREND_OPTIONS, trend_from_option
from scorecard.storage import MonitorStore, ResultStore, default_url
from scorecard.validation import binary_target

TRENDS = list(TREND_OPTIONS)
HOLDOUT_SHARE, SPLIT_SEED = 0.3, 0
NUMBER_FORMATS = {
    **{c: st.column_config.NumberColumn(format="%.4f")
       for c in ["iv", "iv_se", "iv_ci_low", "iv_ci_high"]},
    **{c: st.column_config.NumberColumn(format="%.2e") for c in ["p_value", "q_value"]},
}


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
def iv_report_for(name: str, n_bins: int) -> IVReport:
    info = DATASETS[name]
    return iv_report(load_dataset(name), info.target, bad_value=info.bad_value,
                     columns=characteristics(name), n_bins=n_bins,
                     special_values=info.special_values)


@st.cache_resource(show_spinner="Optimal binning ...")
def binning_for(name: str, trend: str, max_bins: int, min_bin_size: float,
                prebinning: str) -> BinningProcess:
    info = DATASETS[name]
    frame = load_dataset(name)
    columns = characteristics(name)
    y = binary_target(frame[info.target], name=info.target, bad_value=info.bad_value)
    return BinningProcess(
        columns=columns, special_values=dict(info.special_values) or None,
        monotonic_trend=trend_from_option(trend), max_n_bins=max_bins,
        min_bin_size=min_bin_size, prebinning=prebinning,
    ).fit(frame[columns], y)


@dataclass(frozen=True)
class FittedScorecard:
    model: Scorecard
    metrics: dict
    y_test: np.ndarray
    test_scores: np.ndarray
    n_train: int
    n_test: int


@st.cache_resource(show_spinner="Fitting the scorecard ...")
def scorecard_for(name: str, encoding: str) -> FittedScorecard:
    """Fit on a stratified 70% of the rows; evaluate on the other 30%."""
    info = DATASETS[name]
    frame = load_dataset(name)
    target = frame[info.target]  # raw values: the spec records the real bad value
    y = binary_target(target, name=info.target, bad_value=info.bad_value)
    X = frame[characteristics(name)]
    X_train, X_test, y_train, y_test = train_test_split(
        X, target, test_size=HOLDOUT_SHARE, random_state=SPLIT_SEED, stratify=y)
    binning = BinningProcess(special_values=dict(info.special_values) or None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the CLI and API show them; the page shows results
        model = Scorecard(binning, encoding=encoding, target_name=info.target,
                          bad_value=info.bad_value, name=f"{name} {encoding}").fit(X_train, y_train)
    label_test = binary_target(y_test, name=info.target, bad_value=info.bad_value)
    return FittedScorecard(model, model.evaluate(X_test, y_test), label_test,
                           model.score(X_test), len(X_train), len(X_test))


def saved_scorecard_id(name: str, encoding: str) -> int | None:
    """Store the scorecard's spec once per store; None (and a warning) if that fails."""
    return _save_or_warn(_saved_scorecard_id, "Scorecard", name, encoding)


@st.cache_data(show_spinner=False)
def _saved_scorecard_id(url: str, name: str, encoding: str) -> int:
    fitted = scorecard_for(name, encoding)
    params = {"encoding": encoding, "holdout": HOLDOUT_SHARE, "seed": SPLIT_SEED,
              "data_sha256": fitted.model.spec_["training"]["data_sha256"]}
    return _store(url).save("scorecard", name, params, fitted.model.spec_)


def store() -> ResultStore:
    """The results store named by $SCORECARD_DB (one open engine per URL)."""
    return _store(default_url())


@st.cache_resource
def _store(url: str) -> ResultStore:
    return ResultStore(url)


def saved_report_id(name: str, n_bins: int) -> int | None:
    """Save the IV report of (dataset, n_bins) once per store; None (and a warning) if that fails."""
    return _save_or_warn(_saved_report_id, "Results", name, n_bins)


def _save_or_warn(save, what: str, *key) -> int | None:
    """Save into the current store; if it cannot be written, warn and let the page go on."""
    try:
        return save(default_url(), *key)
    except ScorecardError as exc:
        st.warning(f"{what} not saved: {exc}")
        return None


@st.cache_data(show_spinner=False)
def _saved_report_id(url: str, name: str, n_bins: int) -> int:
    report = iv_report_for(name, n_bins)
    return _store(url).save("iv", name, {"n_bins": n_bins, "level": report.level}, report.to_dict())


def store_version() -> tuple:
    """A cheap fingerprint of everything the pages read from the store (row counts, newest ids
    and timestamps). Cached readers take it as an argument, so any change (from this app, the
    CLI or the scheduler) is seen on the next run; () when the store cannot be read."""
    try:
        return _store_version(default_url())
    except ScorecardError:
        return ()


def _store_version(url: str) -> tuple:
    from sqlalchemy import func, select
    from sqlalchemy.exc import SQLAlchemyError

    from scorecard.storage import schema

    parts = [select(func.count(), func.max(schema.reports.c.id)).select_from(schema.reports),
             select(func.count(), func.max(schema.models.c.id)).select_from(schema.models),
             select(func.count(), func.max(schema.monitors.c.id)).select_from(schema.monitors),
             select(func.max(schema.runs.c.id), func.max(schema.runs.c.finished_at),
                    func.count()).select_from(schema.runs),
             select(func.count(), func.max(schema.results.c.created_at)).select_from(schema.results),
             select(func.count(), func.max(schema.alerts.c.id)).select_from(schema.alerts),
             select(func.count(), func.max(schema.schedules.c.updated_at))
             .select_from(schema.schedules)]
    database = _store(url).db
    try:
        with database.read() as conn:
            return tuple(tuple(conn.execute(query).one()) for query in parts)
    except SQLAlchemyError as exc:
        raise StorageError(f"could not read {database.display_url!r}: {exc}") from None


STORE_READERS: list = []
"""The cached functions that read the store (cleared together by invalidate_store)."""


def invalidate_store() -> None:
    """Forget every cached store read (call after writing to the store from a page)."""
    for reader in STORE_READERS:
        reader.clear()


def monitor_store() -> MonitorStore:
    """Monitors, results and alerts of the store named by $SCORECARD_DB (same engine as store())."""
    return _monitor_store(default_url())


@st.cache_resource
def _monitor_store(url: str) -> MonitorStore:
    return MonitorStore(database=_store(url).db)


def read_or_stop(read):
    """Return read(); if the store cannot be read, show why and stop the page."""
    try:
        return read()
    except ScorecardError as exc:
        st.error(f"The results store cannot be read: {exc}")
        st.stop()


FAIRNESS_GROUPS = {"german_credit": {"personal_status_and_sex": GERMAN_CREDIT_SEX}}
"""Protected values mapped to groups per dataset (German credit: sex from personal status)."""


@st.cache_resource(show_spinner="Tracing the fairness front (MIP sweep, a scorecard per point) ...")
def front_for(name: str, protected: tuple[str, ...], eps_grid: int, confidence: float,
              score_level: bool) -> ParetoFront:
    """The performance-fairness front on a stratified 70/30 split (the Scorecard page's)."""
    info = DATASETS[name]
    frame = load_dataset(name)
    exclude = [c for c in info.exclude if c != info.target and c not in info.protected]
    return fairness_front(
        frame, info.target, list(protected), bad_value=info.bad_value,
        groups=FAIRNESS_GROUPS.get(name), exclude=exclude,
        special_values=dict(info.special_values) or None, holdout=HOLDOUT_SHARE,
        seed=SPLIT_SEED, eps_grid=eps_grid, confidence=None if confidence == 0.5 else confidence,
        penalties=DEFAULT_PENALTIES if score_level else None)
