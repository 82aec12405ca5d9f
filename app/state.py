"""The only place the dashboard caches: datasets and the results computed from them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scorecard.binning.prebinning import IVReport, iv_report
from scorecard.datasets import DATASETS
from scorecard.storage import ResultStore


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


@st.cache_resource
def store() -> ResultStore:
    return ResultStore()


@st.cache_data(show_spinner=False)
def saved_report_id(name: str, n_bins: int) -> int:
    """Save the IV report of (dataset, n_bins) once; the store itself is idempotent too."""
    report = iv_report_for(name, n_bins)
    return store().save("iv", name, {"n_bins": n_bins, "level": report.level}, report.to_dict())
