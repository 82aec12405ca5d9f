"""Sign-constrained logistic regression: scikit-learn where bounds are inactive, KKT where active."""

import numpy as np
import pytest
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from scorecard.exceptions import InputError, NotFittedError
from scorecard.model.logistic import BoundedLogisticRegression, log_likelihood


def _data(n=3000, p=4, seed=0, coef=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    coef = np.linspace(-1.0, -0.2, p) if coef is None else np.asarray(coef, dtype=float)
    y = (rng.random(n) < expit(-1.0 + X @ coef)).astype(int)
    return X, y


def _gradient(X, y, w, coef, intercept, C):
    """Gradient of sum w*logloss + ||coef||^2/(2C) in (coef, intercept)."""
    r = w * (expit(X @ coef + intercept) - y)
    return X.T @ r + coef / C, r.sum()


@pytest.mark.parametrize("C", [0.01, 1.0, 100.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn_when_bounds_are_inactive(C, weighted):
    X, y = _data()
    w = np.random.default_rng(1).uniform(0.2, 3.0, size=len(y)) if weighted else None
    ref = LogisticRegression(C=C, tol=1e-12, max_iter=10000).fit(X, y, sample_weight=w)
    assert (ref.coef_ < 0).all()  # the truth has every coefficient negative: bounds inactive
    ours = BoundedLogisticRegression(C=C).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-5, atol=1e-7)
    assert not ours.at_bound_.any() and ours.converged_
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)


def test_unconstrained_option_matches_sklearn_with_mixed_signs():
    X, y = _data(coef=[-1.0, 0.8, -0.3, 0.5])
    ref = LogisticRegression(C=1.0, tol=1e-12, max_iter=10000).fit(X, y)
    ours = BoundedLogisticRegression(C=1.0, sign=None).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("C", [0.05, 1.0])
def test_kkt_conditions_when_bounds_are_active(C):
    X, y = _data(coef=[-1.0, 0.8, -0.3, 0.5, 0.0], p=5, seed=3)
    w = np.random.default_rng(2).uniform(0.5, 2.0, size=len(y))
    fit = BoundedLogisticRegression(C=C).fit(X, y, sample_weight=w)
    coef, intercept = fit.coef_[0], fit.intercept_[0]
    assert (coef <= 0).all()
    assert fit.at_bound_[1] and fit.at_bound_[3]  # the truly positive ones are held at 0
    g, g0 = _gradient(X, y, w, coef, intercept, C)
    scale = w.sum()
    assert abs(g0) / scale < 1e-7
    free = ~fit.at_bound_
    np.testing.assert_allclose(g[free] / scale, 0.0, atol=1e-7)
    # At the upper bound 0, raising the coefficient must not lower the objective.
    assert (g[fit.at_bound_] / scale <= 1e-9).all()
    assert (coef[fit.at_bound_] == 0).all()


def test_active_bounds_equal_sklearn_on_the_free_features():
    # With the held coefficients at 0, the fit is the unconstrained one on the other features.
    X, y = _data(coef=[-1.0, 0.8, -0.3, 0.5], seed=5)
    fit = BoundedLogisticRegression(C=0.5).fit(X, y)
    free = ~fit.at_bound_
    ref = LogisticRegression(C=0.5, tol=1e-12, max_iter=10000).fit(X[:, free], y)
    np.testing.assert_allclose(fit.coef_[0, free], ref.coef_[0], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(fit.intercept_, ref.intercept_, rtol=1e-5, atol=1e-7)


def test_constrained_optimum_beats_feasible_perturbations():
    X, y = _data(coef=[-1.0, 0.8, -0.3], p=3, seed=7)
    fit = BoundedLogisticRegression(C=1.0).fit(X, y)

    def objective(coef, b):
        return -log_likelihood(X, y, coef, b) + coef @ coef / 2.0

    best = objective(fit.coef_[0], fit.intercept_[0])
    rng = np.random.default_rng(0)
    for _ in range(200):
        coef = np.minimum(fit.coef_[0] + rng.normal(scale=0.05, size=3), 0.0)
        assert objective(coef, fit.intercept_[0] + rng.normal(scale=0.05)) >= best - 1e-9


def test_general_bounds_and_positive_sign():
    X, y = _data(coef=[-1.0, -0.5], p=2)
    fit = BoundedLogisticRegression(sign=None, bounds=[[-0.4, 0.0], [-np.inf, np.inf]]).fit(X, y)
    assert fit.coef_[0, 0] == pytest.approx(-0.4) and fit.at_bound_[0] and not fit.at_bound_[1]
    pos = BoundedLogisticRegression(sign="positive").fit(X, y)
    assert (pos.coef_ == 0).all() and pos.at_bound_.all()
    assert pos.intercept_[0] == pytest.approx(np.log(y.mean() / (1 - y.mean())), abs=1e-6)


def test_bad_input_gets_clear_errors():
    X, y = _data(n=200)
    with pytest.raises(InputError, match="sign"):
        BoundedLogisticRegression(sign="down").fit(X, y)
    with pytest.raises(InputError, match="C="):
        BoundedLogisticRegression(C=0).fit(X, y)
    with pytest.raises(InputError, match="shape"):
        BoundedLogisticRegression(bounds=[[0, 1]]).fit(X, y)
    with pytest.raises(InputError, match="lower bound"):
        BoundedLogisticRegression(sign=None, bounds=[[1, 0]] * 4).fit(X, y)
    with pytest.raises(InputError, match="contradict"):
        BoundedLogisticRegression(bounds=[[0.5, 1]] * 4).fit(X, y)
    with pytest.raises(InputError, match="NaN"):
        BoundedLogisticRegression().fit(np.where(X > 2, np.nan, X), y)
    with pytest.raises(InputError, match="both 0 and 1"):
        BoundedLogisticRegression().fit(X, np.zeros(len(y)))
    with pytest.raises(InputError, match="sample_weight"):
        BoundedLogisticRegression().fit(X, y, sample_weight=np.zeros(len(y)))
    with pytest.raises(NotFittedError):
        BoundedLogisticRegression().predict(X)


def test_large_sample_warm_start_matches_sklearn_and_kkt():
    # Above 2 * WARM_ROWS rows, Newton starts from the fit on every k-th row.
    X, y = _data(n=220_000, p=4, seed=11, coef=[-1.0, 0.6, -0.3, -0.1])
    fit = BoundedLogisticRegression(C=1.0).fit(X, y)
    assert fit.converged_ and fit.at_bound_[1] and fit.n_iter_[0] <= 10
    free = ~fit.at_bound_
    ref = LogisticRegression(C=1.0, tol=1e-12, max_iter=10000).fit(X[:, free], y)
    np.testing.assert_allclose(fit.coef_[0, free], ref.coef_[0], rtol=1e-5, atol=1e-7)
    g, g0 = _gradient(X, y, np.ones(len(y)), fit.coef_[0], fit.intercept_[0], 1.0)
    assert abs(g0) / len(y) < 1e-7 and g[1] / len(y) <= 1e-9
