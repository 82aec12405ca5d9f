"""Logistic regression with sign-constrained (bounded) coefficients.

A WoE scorecard should have every coefficient of the expected sign: under our WoE convention
(ln(goods share / bads share), positive = lower risk) and a model of P(bad), every coefficient
is <= 0. Unconstrained fits flip signs under collinearity; a flipped coefficient makes a bin
with lower observed risk cost points. `BoundedLogisticRegression` minimises the same objective
as scikit-learn's L2-penalised LogisticRegression,

    sum_i w_i * logloss_i(beta, b) + ||beta||^2 / (2 C)        (intercept b not penalised)

subject to lower <= beta_j <= upper, with L-BFGS-B (scipy). Where no bound is active the
solution is scikit-learn's; where one is, it satisfies the KKT conditions (gradient >= 0 at a
lower bound, <= 0 at an upper bound, 0 in between). The objective is divided by sum(w) for
conditioning, which does not move the minimiser.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, ClassifierMixin

from scorecard.validation import check_weights
from scorecard.exceptions import InputError, NotFittedError

__all__ = ["BoundedLogisticRegression", "SIGNS", "log_likelihood"]

SIGNS = ("negative", "positive", None)
"""`sign` values: every coefficient <= 0, >= 0, or unconstrained."""

GTOL = 1e-10
FTOL = 1e-15


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


class BoundedLogisticRegression(ClassifierMixin, BaseEstimator):
    """L2-penalised logistic regression of a 0/1 target with bounds on the coefficients.

    Parameters
    ----------
    C : inverse strength of the L2 penalty (scikit-learn's C); the intercept is not penalised.
    sign : "negative" (default: every coefficient <= 0, what a WoE scorecard of P(bad) needs),
        "positive" or None (no sign constraint).
    bounds : optional (n_features, 2) array [lower, upper] per coefficient, intersected with
        `sign`.
    max_iter : L-BFGS-B iteration limit.

    Attributes
    ----------
    coef_ : (1, n_features), intercept_ : (1,), classes_ : [0, 1], n_iter_ : (1,).
    at_bound_ : boolean mask of coefficients held at a bound (the constraint is active).
    converged_ : whether L-BFGS-B met its tolerance. n_features_in_.
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
        """Fit by L-BFGS-B; y must hold 0 and 1 (1 = the modelled event, e.g. bad)."""
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
        scale = 1.0 / total
        ridge = 1.0 / (float(self.C) * total)

        def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
            beta, b = theta[:p], theta[p]
            z = X @ beta + b
            loss = -(y * log_expit(z) + (1.0 - y) * log_expit(-z))
            residual = w * (expit(z) - y)
            value = scale * (w @ loss) + 0.5 * ridge * (beta @ beta)
            grad = np.empty(p + 1)
            grad[:p] = scale * (X.T @ residual) + ridge * beta
            grad[p] = scale * residual.sum()
            return value, grad

        start = np.zeros(p + 1)
        start[:p] = np.clip(0.0, limits[:, 0], limits[:, 1])
        rate = float(np.clip((w @ y) / total, 1e-12, 1 - 1e-12))
        start[p] = math.log(rate / (1.0 - rate))
        box = [(None if math.isinf(lo) else lo, None if math.isinf(hi) else hi)
               for lo, hi in limits] + [(None, None)]
        result = minimize(objective, start, jac=True, method="L-BFGS-B", bounds=box,
                          options={"maxiter": int(self.max_iter), "gtol": GTOL, "ftol": FTOL,
                                   "maxcor": 30})
        theta = result.x
        beta = np.clip(theta[:p], limits[:, 0], limits[:, 1])
        _, grad = objective(np.append(beta, theta[p]))
        self.coef_ = beta[None, :]
        self.intercept_ = np.array([theta[p]])
        self.classes_ = np.array([0, 1])
        self.n_iter_ = np.array([int(result.nit)], dtype=np.int32)
        self.at_bound_ = (beta <= limits[:, 0]) | (beta >= limits[:, 1])
        free_grad = np.where(self.at_bound_, 0.0, grad[:p])
        self.converged_ = bool(result.success) or float(
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
