"""Candidate edges from boosted XGBoost stumps."""

from __future__ import annotations

import json

import numpy as np
import pytest
from xgboost import XGBClassifier

from scorecard.binning import stump_split_candidates
from scorecard.exceptions import InputError


def step_data(n=4000, seed=0, missing=0.0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 10.0, n)
    y = (rng.random(n) < np.where(x >= 6.0, 0.45, 0.05)).astype(int)
    x[rng.random(n) < missing] = np.nan
    return x, y


def test_step_target_gives_an_edge_at_the_step():
    x, y = step_data(missing=0.1)
    first = stump_split_candidates(x, y, n_rounds=1)
    assert first.shape == (1,) and abs(first[0] - 6.0) < 0.1
    edges = stump_split_candidates(x, y)
    assert np.min(np.abs(edges - 6.0)) < 0.1


def test_edges_are_sorted_unique_finite_float64():
    x, y = step_data(missing=0.2, seed=1)
    edges = stump_split_candidates(x, y, n_rounds=30)
    assert edges.dtype == np.float64 and edges.ndim == 1 and edges.size > 1
    assert np.all(np.diff(edges) > 0)
    assert np.all(np.isfinite(edges))
    assert np.all((edges > np.nanmin(x)) & (edges <= np.nanmax(x)))


def test_more_rounds_only_add_candidates():
    x, y = step_data(seed=2)
    previous = np.zeros(0)
    for n_rounds in (1, 5, 20, 60):
        edges = stump_split_candidates(x, y, n_rounds=n_rounds)
        assert np.isin(previous, edges).all()
        assert edges.size >= previous.size
        previous = edges
    assert previous.size > 3


def test_deterministic_given_seed():
    x, y = step_data(missing=0.05, seed=3)
    weights = np.random.default_rng(3).uniform(0.5, 2.0, x.shape[0])
    first = stump_split_candidates(x, y, sample_weight=weights, n_rounds=25, seed=5)
    second = stump_split_candidates(x, y, sample_weight=weights, n_rounds=25, seed=5)
    np.testing.assert_array_equal(first, second)


def test_edges_route_training_rows_as_the_booster_does():
    rng = np.random.default_rng(4)
    # float64 values closer together than float32 resolves, around the step
    x = np.concatenate([rng.uniform(0, 10, 3000), 6.0 + rng.integers(-300, 300, 3000) * 1e-9])
    y = (rng.random(x.shape[0]) < np.where(x >= 6.0, 0.5, 0.05)).astype(int)
    params = dict(n_rounds=15, min_child_weight=1.0, max_bin=256, seed=0)
    edges = stump_split_candidates(x, y, **params)

    model = XGBClassifier(max_depth=1, n_estimators=15, tree_method="hist", max_bin=256,
                          min_child_weight=1.0, random_state=0, n_jobs=1)
    model.fit(x.reshape(-1, 1), y)
    leaves = model.apply(x.reshape(-1, 1))
    trees = json.loads(model.get_booster().save_raw("json"))
    trees = trees["learner"]["gradient_booster"]["model"]["trees"]
    for t, tree in enumerate(trees):
        if tree["left_children"][0] == -1:
            continue
        goes_right = leaves[:, t] == tree["right_children"][0]
        assert any(np.array_equal(x >= edge, goes_right) for edge in edges), t


@pytest.mark.parametrize(
    "x",
    [np.full(50, 3.0), np.full(50, np.nan), np.r_[np.full(49, np.nan), 1.0]],
    ids=["constant", "all-missing", "one-value"],
)
def test_degenerate_columns_give_no_edges(x):
    y = np.tile([0, 1], 25)
    edges = stump_split_candidates(x, y)
    assert edges.dtype == np.float64 and edges.shape == (0,)


def test_unpredictive_column_with_large_min_child_weight_gives_no_edges():
    x, y = step_data(n=400, seed=5)
    assert stump_split_candidates(x, y, min_child_weight=1e6).shape == (0,)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(x=np.array([1.0, np.inf, 2.0, 3.0])), "infinite"),
        (dict(x=np.ones((4, 2))), "1-D"),
        (dict(x=np.arange(3.0)), "rows"),
        (dict(x=np.arange(4.0), n_rounds=0), "n_rounds"),
        (dict(x=np.arange(4.0), max_bin=1), "max_bin"),
        (dict(x=np.arange(4.0), sample_weight=[1, 1, -1, 1]), "sample_weight"),
        (dict(x=np.array(["a", "b", "c", "d"])), "numeric"),
    ],
)
def test_bad_input_raises_input_error(kwargs, match):
    with pytest.raises(InputError, match=match):
        stump_split_candidates(y=[0, 1, 0, 1], **kwargs)
