"""A small fitted scorecard, its reference sample and monthly current data on disk, and a
monitor of them in a fresh store (SQLite, or PostgreSQL for tests marked e2e)."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pytest

from scorecard import BinningProcess
from scorecard.datasets import make_applications
from scorecard.model.scorecard import Scorecard
from scorecard.model.spec import save_spec
from scorecard.scheduling.runner import create_monitor
from scorecard.storage import MonitorStore

PERIOD = "application_month"


@pytest.fixture(scope="session")
def book():
    return make_applications(8_000, seed=3, n_months=6)


@pytest.fixture(scope="session")
def files(book, tmp_path_factory):
    folder = tmp_path_factory.mktemp("monitoring")
    development = book[book[PERIOD] < "2023-03"]
    X = development.drop(columns=["default", PERIOD, "protected"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = Scorecard(BinningProcess(special_values={"delinquency_history": [-999.0]})).fit(
            X, development["default"])
    model = save_spec(card.to_spec(), folder / "model.json")
    reference = folder / "reference.parquet"
    development.to_parquet(reference)
    current = folder / "current.parquet"
    later = book[book[PERIOD] >= "2023-03"].copy()
    drifted = later[PERIOD] == "2023-06"  # an injected event: balances collapse in June
    later.loc[drifted, "account_balance"] = later.loc[drifted, "account_balance"] * 0.05
    later.to_parquet(current)
    return SimpleNamespace(model=model, reference=reference, current=current, folder=folder,
                           spec=card.to_spec(), periods=["2023-03", "2023-04", "2023-05", "2023-06"])


@pytest.fixture
def monitored(db_url, files):
    """(store, monitor name) with a monitor of the current file by application month."""
    store = MonitorStore(db_url)
    create_monitor(store, "apps", files.model, reference=str(files.reference),
                   source=str(files.current), period_column=PERIOD)
    return store, "apps"
