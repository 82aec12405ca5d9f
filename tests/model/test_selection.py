"""Characteristic selection: IV lower-bound filter, correlation filter, forward stepwise."""

import numpy as np
import pytest
from scipy.special import expit

from scorecard.exceptions import InputError
from scorecard.model.selection import select_characteristics, woe_correlation


def _table(n=4000, seed=0):
    """Columns: a strong, b = a + small noise (weaker copy), c moderate, d pure noise."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = a + 0.3 * rng.normal(size=n)
    c = rng.normal(size=n)
    d = rng.normal(size=n)
    y = (rng.random(n) < expit(-1.5 - 1.0 * a - 0.5 * c)).astype(float)
    return np.column_stack([a, b, c, d]), y, ["a", "b", "c", "d"]


def test_weighted_correlation_matches_numpy():
    X, _, _ = _table(n=500)
    np.testing.assert_allclose(woe_correlation(X), np.corrcoef(X, rowvar=False), atol=1e-12)
    w = np.random.default_rng(1).integers(1, 4, size=500)
    expanded = np.repeat(X, w, axis=0)
    np.testing.assert_allclose(woe_correlation(X, w.astype(float)),
                               np.corrcoef(expanded, rowvar=False), atol=1e-12)
    constant = np.column_stack([X[:, 0], np.ones(500)])
    assert woe_correlation(constant)[0, 1] == 0.0


def test_iv_filter_drops_below_the_lower_bound_with_reason():
    X, y, names = _table()
    r = select_characteristics(X, y, names, iv=[0.5, 0.4, 0.1, 0.01],
                               iv_ci_low=[0.4, 0.3, 0.05, 0.0], min_iv_ci_low=0.02)
    assert r.kept == ["a", "b", "c"]
    assert [d["name"] for d in r.dropped] == ["d"]
    assert r.dropped[0]["step"] == "iv" and "0.0000 < min_iv_ci_low 0.02" in r.dropped[0]["reason"]


def test_correlation_filter_keeps_the_stronger_of_a_pair():
    X, y, names = _table()
    # b is given the higher IV: then a is the one dropped, whatever the column order.
    r = select_characteristics(X, y, names, iv=[0.4, 0.5, 0.1, 0.01], iv_ci_low=[0] * 4,
                               max_correlation=0.8)
    assert r.kept == ["b", "c", "d"]
    (drop,) = r.dropped
    assert drop["name"] == "a" and drop["step"] == "correlation"
    assert drop["correlated_with"] == "b"
    corr = np.corrcoef(X[:, 0], X[:, 1])[0, 1]
    assert f"{corr:.3f}" in drop["reason"]
    # Threshold above the pair's correlation: nothing dropped.
    r = select_characteristics(X, y, names, iv=[0.4, 0.5, 0.1, 0.01], iv_ci_low=[0] * 4,
                               max_correlation=min(0.999, corr + 0.01))
    assert r.kept == names and not r.dropped


@pytest.mark.parametrize("criterion", ["bic", "aic", "auc"])
def test_stepwise_finds_the_signal_and_leaves_the_noise(criterion):
    X, y, names = _table(n=6000, seed=3)
    r = select_characteristics(X[:, [0, 2, 3]], y, ["a", "c", "d"], iv=[0.5, 0.1, 0.01],
                               iv_ci_low=[0] * 3, stepwise=criterion)
    assert r.kept == ["a", "c"]
    assert [d["name"] for d in r.dropped] == ["d"]
    assert r.dropped[0]["step"] == "stepwise"
    assert [s["added"] for s in r.stepwise_path] == [None, "a", "c"]
    values = [s[criterion] for s in r.stepwise_path]
    better = np.diff(values) > 0 if criterion == "auc" else np.diff(values) < 0
    assert better.all()


def test_stepwise_skips_a_characteristic_whose_sign_flips():
    # Marginally b looks like a weaker a; given a its coefficient would be positive.
    rng = np.random.default_rng(0)
    n = 6000
    u = rng.normal(size=n)
    a, b = u + 0.3 * rng.normal(size=n), u + 0.5 * rng.normal(size=n)
    y = (rng.random(n) < expit(-1.0 - 2.0 * a + 1.0 * b)).astype(float)
    r = select_characteristics(np.column_stack([a, b]), y, ["a", "b"], iv=[0.6, 0.3],
                               iv_ci_low=[0.5, 0.2], stepwise="bic")
    assert r.kept == ["a"]


def test_bad_options_get_clear_errors():
    X, y, names = _table(n=300)
    iv, low = [0.1] * 4, [0.0] * 4
    with pytest.raises(InputError, match="max_correlation"):
        select_characteristics(X, y, names, iv, low, max_correlation=1.5)
    with pytest.raises(InputError, match="min_iv_ci_low"):
        select_characteristics(X, y, names, iv, low, min_iv_ci_low=-1)
    with pytest.raises(InputError, match="stepwise"):
        select_characteristics(X, y, names, iv, low, stepwise="forward")
    with pytest.raises(InputError, match="holdout"):
        select_characteristics(X, y, names, iv, low, stepwise="auc", holdout=1.0)
    with pytest.raises(InputError, match="same characteristics"):
        select_characteristics(X, y, names[:3], iv, low)
