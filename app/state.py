"""The only place the dashboard caches: datasets and the results computed from them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scorecard.binning.prebinning import IVReport, iv_report
from scorecard.datasets import DATASETS
from scorecard.storage import ResultStore, default_url


def dataset_names() -> list[str]:
    return list(DATASETS)


@st.cache_data(show_spinner="Loading data ...")
def load_dataset(name: str) -> pd.DataFrame:
    return DATASETS[name].load()


@st.cache_resource(show_spinner="Pre-binning and computing IV ...")
def iv_report_for(name: str, n_bins: int) -> IVReport:
    info = DATASETS[name]
    frame = load_dataset(name)
    columns = [c for c in frame.columns if c not in info.exclude]
    return iv_report(frame, info.target, bad_value=info.bad_value, columns=columns,
                     n_bins=n_bins, special_values=info.special_values)


def store() -> ResultStore:
    """The results store named by $SCORECARD_DB (one open engine per URL)."""
    return _store(default_url())


@st.cache_resource
def _store(url: str) -> ResultStore:
    return ResultStore(url)


def saved_report_id(name: str, n_bins: int) -> int:
    """Save the IV report of (dataset, n_bins) once per store; saving is idempotent anyway."""
    return _saved_report_id(default_url(), name, n_bins)


@st.cache_data(show_spinner=False)
def _saved_report_id(url: str, name: str, n_bins: int) -> int:
    report = iv_report_for(name, n_bins)
    return _store(url).save("iv", name, {"n_bins": n_bins, "level": report.level}, report.to_dict())
