"""n_jobs governs all parallel work (scikit-learn's convention), and never changes a result."""

from __future__ import annotations

import numba
import numpy as np
import pandas as pd
import pytest

from scorecard import BinningProcess
from scorecard.threads import engine_threads, resolve_n_jobs

CORES = numba.config.NUMBA_NUM_THREADS


@pytest.mark.parametrize(("n_jobs", "expected"), [
    (None, 1), (1, 1), (-1, CORES), (10_000, CORES), (-10_000, 1),
])
def test_resolve_follows_scikit_learn(n_jobs, expected):
    assert resolve_n_jobs(n_jobs) == expected


def test_engine_threads_sets_and_restores_numba_threads():
    before = numba.get_num_threads()
    with engine_threads(None) as n:
        assert n == 1 and numba.get_num_threads() == 1
    assert numba.get_num_threads() == before


def test_binning_process_is_the_same_on_one_thread_and_on_all():
    rng = np.random.default_rng(3)
    n = 40_000
    X = pd.DataFrame({f"x{j}": rng.normal(size=n) for j in range(4)})
    X["city"] = rng.choice(["a", "b", "c", "d"], size=n)
    logit = X["x0"] - 0.5 * X["x1"] + (X["city"] == "a")
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    one = BinningProcess(n_jobs=None).fit(X, y)
    every = BinningProcess(n_jobs=-1).fit(X, y)
    assert one.to_json().replace('"n_jobs": null', "") == every.to_json().replace(
        '"n_jobs": -1', "")
    np.testing.assert_array_equal(one.transform(X), every.transform(X))
