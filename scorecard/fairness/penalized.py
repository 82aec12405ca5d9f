"""The score-level method: logistic regression on the characteristics' WoE with sign constraints
and a penalty on the score's between-group disparity, swept over the penalty weight.

    minimise  mean log loss + ||beta||^2 / (2 C n) + lam * sum_g d_g(beta)^2
    subject to beta_c <= 0   (WoE is ln(good share / bad share); the model predicts bad)

The disparity surrogate is d_g^2, the squared standardized mean difference of the linear score
between group g and the reference group (pooled within-group variance). For two normal score
distributions with a common variance the Jeffreys divergence (the score's IV between the groups,
IV_demographic) is exactly d^2, so d^2 is a smooth surrogate of it. It is scale-free in beta, so
the penalty turns the score's direction rather than shrinking it. The L2 term matches
scikit-learn's LogisticRegression(C) used by the woe-lr scorecard; at lam = 0 with every
coefficient negative the two agree.

Written here until a shared sign-constrained logistic regression lands in scorecard.model.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence

import numpy as np
from scipy import optimize, special

from scorecard.exceptions import InputError, ScorecardError
from scorecard.fairness.groups import ProtectedAttribute
from scorecard.model import metrics
from scorecard.model import spec as spec_module
from scorecard.model.scaling import PointsScaling, scale_points

__all__ = ["DEFAULT_PENALTIES", "SURROGATE", "fair_logistic", "spec_with_coefficients"]

DEFAULT_PENALTIES = (0.0, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
SURROGATE = ("squared standardized mean difference of the linear score between each group and "
             "the reference group (equals the Jeffreys divergence, IV_demographic, for normal "
             "scores with a common variance)")
_TINY = 1e-12


def _group_moments(woe: np.ndarray, attribute: ProtectedAttribute) -> list[tuple[np.ndarray, np.ndarray]]:
    """(mean difference, pooled covariance) of the WoE columns for each group vs the reference."""
    ref = woe[attribute.codes == attribute.reference]
    out = []
    for g in attribute.others:
        grp = woe[attribute.codes == g]
        if len(grp) < 2 or len(ref) < 2:
            continue
        pooled = ((len(grp) - 1) * np.cov(grp, rowvar=False) + (len(ref) - 1) *
                  np.cov(ref, rowvar=False)) / (len(grp) + len(ref) - 2)
        out.append((grp.mean(axis=0) - ref.mean(axis=0), np.atleast_2d(pooled)))
    return out


def fair_logistic(
    woe: np.ndarray,
    y: np.ndarray,
    attribute: ProtectedAttribute,
    lam: float,
    *,
    C: float = 1.0,
    start: np.ndarray | None = None,
) -> tuple[np.ndarray, float, dict]:
    """Coefficients (all <= 0), intercept and diagnostics of the penalised, sign-constrained
    logistic regression of y (1 = bad) on the WoE columns."""
    if lam < 0 or not math.isfinite(lam):
        raise InputError(f"penalty weight {lam!r} must be a finite number >= 0.")
    woe = np.asarray(woe, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, m = woe.shape
    moments = _group_moments(woe, attribute)
    ridge = 1.0 / (2.0 * C * n)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        beta, b0 = theta[:m], theta[m]
        eta = woe @ beta + b0
        loss = float(np.mean(np.logaddexp(0.0, eta) - y * eta)) + ridge * float(beta @ beta)
        resid = special.expit(eta) - y
        grad = np.empty(m + 1)
        grad[:m] = woe.T @ resid / n + 2.0 * ridge * beta
        grad[m] = resid.mean()
        for delta, cov in moments:
            num = float(delta @ beta)
            den = float(beta @ cov @ beta) + _TINY
            loss += lam * num * num / den
            grad[:m] += lam * (2.0 * num * delta / den - 2.0 * num * num * (cov @ beta) / den**2)
        return loss, grad

    theta0 = np.zeros(m + 1)
    if start is not None:
        theta0[:m] = np.minimum(np.asarray(start, dtype=np.float64)[:m], -1e-3)
    else:
        theta0[:m] = -0.5
    theta0[m] = special.logit(min(max(y.mean(), 1e-6), 1 - 1e-6))
    bounds = [(None, 0.0)] * m + [(None, None)]
    result = optimize.minimize(objective, theta0, jac=True, method="L-BFGS-B", bounds=bounds,
                               options={"maxiter": 2000, "ftol": 1e-12, "gtol": 1e-8})
    if not np.all(np.isfinite(result.x)):
        raise ScorecardError(f"the penalised regression diverged at lam={lam}: {result.message}")
    beta, b0 = result.x[:m], float(result.x[m])
    eta = woe @ beta
    disparity = [float((d @ beta) ** 2 / (beta @ c @ beta + _TINY)) for d, c in moments]
    return beta, b0, {"converged": bool(result.success), "n_iter": int(result.nit),
                      "message": str(result.message),
                      "disparity_surrogate": max(disparity, default=0.0),
                      "linear_score_sd": float(eta.std())}


def spec_with_coefficients(
    spec: dict,
    coef: Sequence[float],
    intercept: float,
    *,
    train_frame,
    train_label: np.ndarray,
    model_info: dict,
) -> dict:
    """A woe-lr scorecard spec rewritten for new WoE coefficients (same bins, same scaling).

    Each bin's WoE as the card used it is read back from the woe-lr spec (contribution /
    coefficient), multiplied by the new coefficient, scaled to points and sealed; the training
    metrics are recomputed on ``train_frame``.
    """
    model = spec["model"]
    names = [ch["name"] for ch in spec["characteristics"]]
    old = model["coefficients"]
    if len(coef) != len(names):
        raise InputError(f"{len(coef)} coefficients for {len(names)} characteristics.")
    per_char, unseen_woe = [], {}
    for name, ch in zip(names, spec["characteristics"]):
        if old[name] == 0:
            raise ScorecardError(f"characteristic {name!r} has coefficient 0 in the woe-lr card; "
                                 "its WoE cannot be read back.")
        woe = np.asarray(model["contributions"][name], dtype=np.float64) / old[name]
        if ch["dtype"] == "categorical":
            unseen_woe[name] = model["unseen_contributions"][name] / old[name]
            woe = np.append(woe, unseen_woe[name])
        per_char.append(woe)
    contributions = [float(b) * w for b, w in zip(coef, per_char)]
    s = spec["scaling"]
    scaling = PointsScaling(s["base_score"], s["base_odds"], s["pdo"], s["min_score"],
                            s["max_score"])
    card = scale_points(contributions, intercept, scaling)
    out = copy.deepcopy({k: v for k, v in spec.items() if k != "integrity"})
    for c, ch in enumerate(out["characteristics"]):
        for j, bin_ in enumerate(ch["bins"]):
            bin_["points"] = int(card.points[c][j])
            bin_["points_exact"] = float(card.exact[c][j])
        if ch["dtype"] == "categorical":
            ch["unseen_points"] = int(card.points[c][-1])
    out["intercept_points"] = int(card.intercept_points)
    new_model = {k: v for k, v in model.items() if k not in ("rounding_error", "n_iter")}
    new_model.update(model_info)
    new_model.update({
        "intercept": float(intercept),
        "coefficients": {n: float(b) for n, b in zip(names, coef)},
        "unexpected_sign": [],
        "contributions": {n: [float(v) for v in contributions[c][:len(ch["bins"])]]
                          for c, (n, ch) in enumerate(zip(names, out["characteristics"]))},
        "unseen_contributions": {n: float(b) * unseen_woe[n]
                                 for n, b in zip(names, coef) if n in unseen_woe},
        "points_shift": {n: card.shift[c] for c, n in enumerate(names)},
        "intercept_points_exact": card.intercept_exact,
        "unseen_points_exact": {n: float(card.exact[c][-1]) for c, n in enumerate(names)
                                if n in unseen_woe},
    })
    out["model"] = new_model
    score = spec_module.score_frame(out, train_frame)["score"].to_numpy()
    training = dict(out["training"])
    training["metrics"] = metrics.evaluate(train_label, score)
    out["training"] = training
    return spec_module.seal(out)
