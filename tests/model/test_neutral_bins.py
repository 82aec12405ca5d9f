"""Issue 7 item 4's last clause: bins too small to estimate get neutral points, and the card says
which and why (scorecard.model.neutral)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard.model.scorecard import Scorecard


def _data(n: int = 3000, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    home = rng.choice(["own", "rent", "other"], size=n).astype(object)
    y = (rng.random(n) < 1 / (1 + np.exp(2.0 - 1.5 * x - 0.5 * (home == "rent")))).astype(int)
    home[rng.random(n) < 0.1] = None  # a large missing bin: estimable, kept
    x[0], y[0] = np.nan, 0  # the example: a Missing bin with 1 good and 0 bads
    return pd.DataFrame({"x": x, "home": home}), y


def _fit(X, y, **params) -> Scorecard:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Scorecard(**params).fit(X, y)


def _missing_bin(card: Scorecard, name: str) -> int:
    return card.binning_process_.binning_tables_[name].missing_bin


@pytest.mark.parametrize("encoding", ["woe-lr", "onehot-lr"])
def test_a_missing_bin_with_one_good_gets_neutral_points_and_is_reported(encoding):
    X, y = _data()
    j = _missing_bin(_fit(X, y), "x")
    table = _fit(X, y).binning_process_.binning_tables_["x"]
    assert (table.goods[j], table.bads[j]) == (1, 0)
    # Reproduced: without the rule the card prices the bin from its single row.
    old = _fit(X, y, encoding=encoding, min_expected=None)
    assert abs(old.contributions_["x"][j]) > 0.05
    assert old.neutralised_ == [] and old.spec_["model"]["neutralised"] == []

    card = _fit(X, y, encoding=encoding)
    assert card.contributions_["x"][j] == 0.0  # WoE 0: the average risk, neutral points
    (entry,) = [e for e in card.neutralised_ if e["name"] == "x"]
    assert entry["kind"] == "missing" and (entry["goods"], entry["bads"]) == (1, 0)
    assert entry["expected_bads"] < 5 and "min_expected 5" in entry["reason"]
    assert card.spec_["model"]["neutralised"] == card.neutralised_
    # The estimable missing bin of "home" (10% of the rows) keeps its own points.
    assert not any(e["name"] == "home" for e in card.neutralised_)
    k = _missing_bin(card, "home")
    assert card.contributions_["home"][k] != 0.0
    # A row with x missing scores as a row at the average risk of x: its points are the
    # exact points of contribution 0, the same as those of an empty bin would be.
    c = card.characteristics_.index("x")
    assert card.card_points_.exact[c][j] == pytest.approx(-card.card_points_.shift[c])


def test_threshold_is_the_expected_count_not_the_observed_one():
    # A special bin of 300 rows with no bads is strong evidence (15% bad overall: 45 expected
    # bads), not noise: it keeps its own (best) points.
    X, y = _data()
    X.loc[X.index[1:301], "x"] = -999.0
    y[1:301] = 0
    from scorecard.binning import BinningProcess

    card = _fit(X, y, binning_process=BinningProcess(special_values={"x": [-999.0]}))
    assert not any(e["kind"] == "special" for e in card.neutralised_)
    table = card.binning_process_.binning_tables_["x"]
    special = table.kinds.index("special")
    assert card.contributions_["x"][special] < 0  # lower risk than average


def test_min_expected_is_validated():
    X, y = _data(500)
    from scorecard.exceptions import InputError

    with pytest.raises(InputError, match="min_expected"):
        Scorecard(min_expected=-1).fit(X, y)
