"""Logistic regression with sign-constrained (bounded) coefficients.

A WoE scorecard should have every coefficient of the expected sign: under our WoE convention
(ln(goods share / bads share), positive = lower risk) and a model of P(bad), every coefficient
is <= 0. Unconstrained fits flip signs under collinearity; a flipped coefficient makes a bin
with lower observed risk cost points. `BoundedLogisticRegression` minimises the same objective
as scikit-learn's L2-penalised LogisticRegression,

    sum_i w_i * logloss_i(beta, b) + ||beta||^2 / (2 C)        (intercept b not penalised)

subject to lower <= beta_j <= upper, by a projected Newton method (Bertsekas 1982): each step
solves the Newton system on the coefficients not held at a bound and projects onto the box,
with an Armijo search along the projection arc; each trial point's gradient (and Hessian) comes
from the same pass over the rows as its objective value. A large fit starts from the fit on a
100,000-row subsample and keeps that fit's Hessian while it contracts fast enough (a chord
method), so a million-row scorecard takes four or five light passes over its rows and no Hessian
pass (L-BFGS-B took ~150); should it not
converge, L-BFGS-B (scipy) finishes from where it stopped. Where no bound is active the solution
is scikit-learn's; where one is, it satisfies the KKT conditions (gradient >= 0 at a lower bound,
<= 0 at an upper bound, 0 in between). The objective is divided by sum(w) for conditioning,
which does not move the minimiser.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, ClassifierMixin
from threadpoolctl import threadpool_limits

from scorecard.validation import check_weights
from scorecard.exceptions import InputError, NotFittedError

__all__ = ["BoundedLogisticRegression", "SIGNS", "log_likelihood"]

SIGNS = ("negative", "positive", None)
"""`sign` values: every coefficient <= 0, >= 0, or unconstrained."""

GTOL = 1e-10
FTOL = 1e-15
NEWTON_MAX_ITER = 50
CHUNK_ROWS = 65_536
WARM_ROWS = 100_000


def log_likelihood(X: np.ndarray, y: np.ndarray, coef: np.ndarray, intercept: float,
                   sample_weight: np.ndarray | None = None) -> float:
    """Bernoulli log-likelihood sum_i w_i [y_i ln p_i + (1 - y_i) ln(1 - p_i)] (unpenalised)."""
    z = X @ coef + intercept
    terms = y * log_expit(z) + (1.0 - y) * log_expit(-z)
    return float(terms.sum() if sample_weight is None else sample_weight @ terms)


def _check_bounds(bounds: object, sign: object, p: int) -> np.ndarray:
    """(p, 2) array of [lower, upper] per coefficient (-inf / inf where free)."""
    if sign not in SIGNS:
        raise InputError(f"sign={sign!r} must be one of {', '.join(map(repr, SIGNS))}.")
    out = np.empty((p, 2))
    out[:, 0] = 0.0 if sign == "positive" else -np.inf
    out[:, 1] = 0.0 if sign == "negative" else np.inf
    if bounds is None:
        return out
    try:
        given = np.asarray(bounds, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(
            "bounds must be a (n_features, 2) array of [lower, upper] (use -inf / inf for "
            "none)."
        ) from None
    if given.shape != (p, 2):
        raise InputError(
            f"bounds has shape {given.shape}; it must be ({p}, 2): [lower, upper] per feature."
        )
    if np.isnan(given).any() or (given[:, 0] > given[:, 1]).any():
        raise InputError("bounds: every lower bound must be <= its upper bound (no NaN).")
    out[:, 0] = np.maximum(out[:, 0], given[:, 0])
    out[:, 1] = np.minimum(out[:, 1], given[:, 1])
    if (out[:, 0] > out[:, 1]).any():
        raise InputError(f"bounds contradict sign={sign!r}: some interval is empty.")
    return out


class _Problem:
    """The scaled objective scale * sum_i w_i logloss_i + ridge * ||beta||^2 / 2 over
    theta = (beta, intercept), evaluated over row chunks (bounded temporary memory)."""

    def __init__(self, X: np.ndarray, y: np.ndarray, w: np.ndarray, scale: float,
                 ridge: float) -> None:
        self.X, self.y, self.w, self.scale, self.ridge = X, y, w, scale, ridge
        self.p = X.shape[1]

    def _chunks(self):
        n = self.X.shape[0]
        for lo in range(0, n, CHUNK_ROWS):
            hi = min(n, lo + CHUNK_ROWS)
            yield self.X[lo:hi], self.y[lo:hi], self.w[lo:hi]

    def value(self, theta: np.ndarray) -> float:
        beta, b = theta[:self.p], theta[self.p]
        total = 0.0
        for X, y, w in self._chunks():
            z = X @ beta + b
            total += w @ (np.logaddexp(0.0, z) - y * z)
        return self.scale * total + 0.5 * self.ridge * (beta @ beta)

    def value_grad(self, theta: np.ndarray, hessian: bool = False):
        """(value, gradient) or, with `hessian`, (value, gradient, Hessian)."""
        p = self.p
        beta, b = theta[:p], theta[p]
        total = 0.0
        grad = np.zeros(p + 1)
        hess = np.zeros((p + 1, p + 1)) if hessian else None
        for X, y, w in self._chunks():
            z = X @ beta + b
            total += w @ (np.logaddexp(0.0, z) - y * z)
            prob = expit(z)
            residual = w * (prob - y)
            grad[:p] += X.T @ residual
            grad[p] += residual.sum()
            if hessian:
                h = w * prob * (1.0 - prob)
                weighted = X * h[:, None]
                hess[:p, :p] += X.T @ weighted
                hess[:p, p] += weighted.sum(axis=0)
                hess[p, p] += h.sum()
        value = self.scale * total + 0.5 * self.ridge * (beta @ beta)
        grad *= self.scale
        grad[:p] += self.ridge * beta
        if not hessian:
            return value, grad
        hess *= self.scale
        hess[p, :p] = hess[:p, p]
        hess[np.arange(p), np.arange(p)] += self.ridge
        return value, grad, hess


def _box(limits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of theta (the intercept is free)."""
    return np.append(limits[:, 0], -np.inf), np.append(limits[:, 1], np.inf)


def _projected_gradient(theta: np.ndarray, grad: np.ndarray, lower: np.ndarray,
                        upper: np.ndarray) -> np.ndarray:
    return theta - np.clip(theta - grad, lower, upper)


def _projected_newton(problem: _Problem, start: np.ndarray, limits: np.ndarray, max_iter: int,
                      hess: np.ndarray | None = None) -> tuple:
    """Bertsekas' projected Newton method on the box; (theta, iterations, converged, gradient
    at theta, last Hessian).

    One pass over the rows per iteration: each trial point's gradient (and, away from the
    optimum, its Hessian) comes with its objective value. Near the optimum (projected gradient
    below 1e-6) the last Hessian is reused. Given `hess` (e.g. a subsample's, near the start),
    that Hessian is kept while each step shrinks the projected gradient at least tenfold (a
    chord method: linear convergence without a Hessian pass), and recomputed otherwise.
    """
    lower, upper = _box(limits)
    theta = np.clip(start, lower, upper)
    chord = hess is not None
    value, grad, *fresh = problem.value_grad(theta, hessian=not chord)
    hess = fresh[0] if fresh else hess
    previous = np.inf
    for iteration in range(1, min(max_iter, NEWTON_MAX_ITER) + 1):
        pg = _projected_gradient(theta, grad, lower, upper)
        size = float(np.max(np.abs(pg)))
        if size < GTOL:
            return theta, iteration - 1, True, grad, hess
        if chord and size > 0.1 * previous:  # the old Hessian no longer contracts fast enough
            chord = False
            value, grad, hess = problem.value_grad(theta, hessian=True)
        previous = size
        near = size < 1e-6
        # Held: at (or within eps of) a bound with the gradient pushing outwards.
        eps = min(1e-6, float(np.linalg.norm(pg)))
        held = ((theta <= lower + eps) & (grad > 0)) | ((theta >= upper - eps) & (grad < 0))
        free = ~held
        step = np.zeros_like(theta)
        try:
            step[free] = -np.linalg.solve(hess[np.ix_(free, free)], grad[free])
        except np.linalg.LinAlgError:
            return theta, iteration, False, grad, hess
        step[held] = -grad[held]
        t = 1.0
        while True:
            trial = np.clip(theta + t * step, lower, upper)
            change = trial - theta
            target = value + 1e-4 * (grad @ change)
            trial_value, trial_grad, *trial_hess = problem.value_grad(
                trial, hessian=not (chord or near))
            if trial_value <= target or t < 1e-10:
                break
            t *= 0.5
        if t < 1e-10:
            return theta, iteration, False, grad, hess
        if np.max(np.abs(change)) == 0.0:
            return theta, iteration, size < 1e-8, grad, hess
        theta, value, grad = trial, trial_value, trial_grad
        if trial_hess:
            hess = trial_hess[0]
    pg = _projected_gradient(theta, grad, lower, upper)
    return theta, min(max_iter, NEWTON_MAX_ITER), bool(np.max(np.abs(pg)) < GTOL), grad, hess


def _lbfgsb(problem: _Problem, start: np.ndarray, limits: np.ndarray,
            max_iter: int) -> tuple[np.ndarray, int, bool]:
    """L-BFGS-B (scipy) from `start`: the fallback when Newton does not converge."""
    from scipy.optimize import minimize

    box = [(None if math.isinf(lo) else lo, None if math.isinf(hi) else hi)
           for lo, hi in limits] + [(None, None)]
    result = minimize(problem.value_grad, start, jac=True, method="L-BFGS-B", bounds=box,
                      options={"maxiter": max_iter, "gtol": GTOL, "ftol": FTOL, "maxcor": 30})
    return result.x, int(result.nit), bool(result.success)


class BoundedLogisticRegression(ClassifierMixin, BaseEstimator):
    """L2-penalised logistic regression of a 0/1 target with bounds on the coefficients.

    Parameters
    ----------
    C : inverse strength of the L2 penalty (scikit-learn's C); the intercept is not penalised.
    sign : "negative" (default: every coefficient <= 0, what a WoE scorecard of P(bad) needs),
        "positive" or None (no sign constraint).
    bounds : optional (n_features, 2) array [lower, upper] per coefficient, intersected with
        `sign`.
    max_iter : iteration limit of the L-BFGS-B fallback (Newton stops after 50 steps).

    Attributes
    ----------
    coef_ : (1, n_features), intercept_ : (1,), classes_ : [0, 1], n_iter_ : (1,).
    at_bound_ : boolean mask of coefficients held at a bound (the constraint is active).
    converged_ : whether the solver met its tolerance. n_features_in_.
    """

    def __init__(self, C: float = 1.0, sign: str | None = "negative", bounds=None,
                 max_iter: int = 1000) -> None:
        self.C = C
        self.sign = sign
        self.bounds = bounds
        self.max_iter = max_iter

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _check_params(self) -> None:
        C = self.C
        if isinstance(C, bool) or not isinstance(C, numbers.Real) or not math.isfinite(C) \
                or C <= 0:
            raise InputError(f"C={C!r} must be a finite number > 0.")
        if isinstance(self.max_iter, bool) or not isinstance(self.max_iter, numbers.Integral) \
                or self.max_iter < 1:
            raise InputError(f"max_iter={self.max_iter!r} must be an integer >= 1.")

    def fit(self, X: object, y: object, sample_weight: object = None):
        """Fit by projected Newton (L-BFGS-B should that fail); y must hold 0 and 1 (1 = the
        modelled event, e.g. bad)."""
        self._check_params()
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2:
            raise InputError(f"X must be 2-D (rows x features), got shape {X.shape}.")
        if not np.isfinite(X).all():
            raise InputError("X has NaN or infinite values; the features must be finite.")
        y = np.asarray(y)
        if y.shape != (X.shape[0],):
            raise InputError(f"y must be 1-D with {X.shape[0]} values, got shape {y.shape}.")
        if not np.isin(y, (0, 1)).all() or np.unique(y).size < 2:
            raise InputError("y must hold both 0 and 1 (1 = the event being modelled).")
        y = y.astype(np.float64)
        n, p = X.shape
        limits = _check_bounds(self.bounds, self.sign, p)
        w = check_weights(sample_weight, n)
        w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
        total = w.sum()
        if total <= 0:
            raise InputError("sample_weight sums to 0; at least one row must carry weight.")
        problem = _Problem(X, y, w, 1.0 / total, 1.0 / (float(self.C) * total))
        start = np.zeros(p + 1)
        start[:p] = np.clip(0.0, limits[:, 0], limits[:, 1])
        rate = float(np.clip((w @ y) / total, 1e-12, 1 - 1e-12))
        start[p] = math.log(rate / (1.0 - rate))
        # One BLAS thread: the products are small (rows in chunks) and a threaded BLAS on a
        # busy machine spins, 50x slower.
        hess = None
        with threadpool_limits(limits=1, user_api="blas"):
            if n > 2 * WARM_ROWS:  # start from the fit on every k-th row: fewer full passes
                k = n // WARM_ROWS
                sub_total = w[::k].sum()
                if sub_total > 0 and np.unique(y[::k]).size == 2:
                    sub = _Problem(np.ascontiguousarray(X[::k]), y[::k], w[::k],
                                   1.0 / sub_total,
                                   1.0 / (float(self.C) * sub_total))
                    start, *_, hess = _projected_newton(sub, start, limits, int(self.max_iter))
                    # The subsample's Hessian with the full problem's ridge (both are scaled
                    # to one unit of weight): the chord method's fixed matrix.
                    hess = hess.copy()
                    hess[np.arange(p), np.arange(p)] += problem.ridge - sub.ridge
            theta, n_iter, success, grad, _ = _projected_newton(problem, start, limits,
                                                                int(self.max_iter), hess)
            if not success:
                theta, more, success = _lbfgsb(problem, theta, limits, int(self.max_iter))
                n_iter += more
                grad = None
            beta = np.clip(theta[:p], limits[:, 0], limits[:, 1])
            if grad is None or not np.array_equal(beta, theta[:p]):
                _, grad = problem.value_grad(np.append(beta, theta[p]))
        self.coef_ = beta[None, :]
        self.intercept_ = np.array([theta[p]])
        self.classes_ = np.array([0, 1])
        self.n_iter_ = np.array([n_iter], dtype=np.int32)
        self.at_bound_ = (beta <= limits[:, 0]) | (beta >= limits[:, 1])
        free_grad = np.where(self.at_bound_, 0.0, grad[:p])
        self.converged_ = success or float(
            np.max(np.abs(np.append(free_grad, grad[p])))) < 1e-6
        self.n_features_in_ = p
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError(
                "This BoundedLogisticRegression is not fitted yet; call fit(X, y) first."
            )

    def decision_function(self, X: object) -> np.ndarray:
        """Log-odds of the event per row."""
        self._check_fitted()
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise InputError(
                f"X must have {self.n_features_in_} columns, got shape {X.shape}."
            )
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X: object) -> np.ndarray:
        """[P(0), P(1)] per row."""
        p1 = expit(self.decision_function(X))
        return np.column_stack([1.0 - p1, p1])

    def predict(self, X: object) -> np.ndarray:
        """1 where P(1) >= 0.5, else 0."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(np.int64)
