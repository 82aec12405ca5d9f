"""A card fitted on float32 data scores the same values read as float64 identically (issue 8.6)."""

import json
import warnings

import numpy as np
import pandas as pd

from scorecard.model.scorecard import Scorecard


def test_float32_fit_float64_score_and_back():
    rng = np.random.default_rng(3)
    n = 20_000
    amount = np.round(rng.uniform(0, 1000, n), 2)
    rate = np.round(rng.uniform(0, 30, n), 2)
    y = (rng.random(n) < 1 / (1 + np.exp(2.0 + amount / 400 - rate / 15))).astype(int)
    X64 = pd.DataFrame({"amount": amount, "rate": rate})
    X32 = X64.astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card32 = Scorecard().fit(X32, y)
        card64 = Scorecard().fit(X64, y)
    np.testing.assert_array_equal(card32.score(X64), card32.score(X32))
    np.testing.assert_array_equal(card64.score(X32), card64.score(X64))
    for card in (card32, card64):
        for ch in card.spec_["characteristics"]:
            for edge in ch["edges"]:
                assert len(json.dumps(edge)) <= 8, edge  # short decimals, not 446.5400085449219
                assert not np.isin(edge, np.concatenate([amount, X32.to_numpy().ravel()]))
