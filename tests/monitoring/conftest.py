"""A small fitted scorecard (numeric, special, missing and categorical characteristics) and its
development and later samples, shared by the monitoring and report tests."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard import BinningProcess
from scorecard.datasets import make_applications
from scorecard.model.scorecard import Scorecard


def add_region(frame: pd.DataFrame) -> pd.DataFrame:
    """A categorical characteristic: region from the protected flag and open trades."""
    trades = frame["open_trades"].fillna(0).to_numpy()
    region = np.where(frame["protected"] == 1, "north", np.where(trades > 4, "south", "east"))
    region = pd.Series(region, index=frame.index, dtype=object)
    region[frame["mortgage_amount"] > 400_000] = None
    return frame.assign(region=region)


@pytest.fixture(scope="session")
def book() -> pd.DataFrame:
    return add_region(make_applications(30_000, seed=11, n_months=12))


@pytest.fixture(scope="session")
def development(book) -> pd.DataFrame:
    return book[book["application_month"] < "2023-04"].reset_index(drop=True)


@pytest.fixture(scope="session")
def later(book) -> pd.DataFrame:
    """The last three months: account_balance, utilisation and recent_inquiries have drifted."""
    return book[book["application_month"] >= "2023-10"].reset_index(drop=True)


@pytest.fixture(scope="session")
def spec(development) -> dict:
    X = development.drop(columns=["default", "application_month", "protected"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Unconstrained: region is collinear with open_trades and mortgage_amount, so the
        # default sign-constrained fit would drop it, and these tests need a categorical one.
        card = Scorecard(
            BinningProcess(special_values={"delinquency_history": [-999.0]}),
            sign_constrained=False,
        ).fit(X, development["default"])
    out = card.to_spec()
    names = [ch["name"] for ch in out["characteristics"]]
    assert "region" in names and "delinquency_history" in names, names
    return out
