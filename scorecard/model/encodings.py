"""The scorecard's encodings: three additive models over the same bins.

- ``woe-lr``: logistic regression on the WoE of each characteristic's bin. Under our WoE sign
  (ln(goods share / bads share): positive = lower risk) and a model of P(bad), every
  coefficient should be negative. By default the fit is sign-constrained (coefficients <= 0,
  `scorecard.model.logistic`); unconstrained, a positive coefficient (usually collinearity)
  raises a `CoefficientSignWarning` naming the characteristic.
- ``onehot-lr``: logistic regression on one indicator per bin.
- ``xgb-stumps``: XGBoost with depth-1 trees on the WoE columns, constrained so P(bad) never
  increases with WoE. Each tree splits one feature, so the margin is a sum of one function per
  feature; it is read off by evaluating the booster at every bin's WoE with the other features
  held at the reference WoE 0 (the average risk).

Each fitter reduces its model to one contribution to the log-odds of bad per (characteristic,
bin), plus the unseen slot of categorical characteristics, and an intercept (`EncodingFit`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scorecard.model.layout import BinLayout
from scorecard.model.logistic import BoundedLogisticRegression

__all__ = [
    "CoefficientSignWarning",
    "EncodingFit",
    "ScorecardWarning",
    "fit_onehot_lr",
    "fit_woe_lr",
    "fit_xgb_stumps",
    "woe_columns",
]

XGB_SEED = 0
XGB_THREADS = 2
LR_MAX_ITER = 1000


class ScorecardWarning(UserWarning):
    """A scorecard was fitted, with something the user should look at."""


class CoefficientSignWarning(ScorecardWarning):
    """A woe-lr coefficient has the unexpected (positive) sign."""


@dataclass
class EncodingFit:
    """A fitted encoding reduced to the card's terms.

    contributions: per characteristic, the log-odds-of-bad contribution of every table bin (plus
    the unseen slot of a categorical one); intercept: log-odds of bad with every contribution 0;
    model: the spec's model section; coef: woe-lr one per characteristic, onehot-lr one per bin
    (None for xgb-stumps); additivity_error: xgb-stumps only.
    """

    contributions: list[np.ndarray]
    intercept: float
    model: dict[str, Any]
    estimator: Any
    coef: np.ndarray | None = None
    unexpected_sign: list[str] = field(default_factory=list)
    additivity_error: float | None = None


def woe_columns(layouts: Sequence[BinLayout], bins: np.ndarray) -> tuple[list, np.ndarray]:
    """Per-slot WoE of every characteristic and the rows' WoE design matrix."""
    values = [lay.with_unseen(lay.woe) for lay in layouts]
    design = np.empty((bins.shape[0], len(layouts)), order="F")  # columns contiguous
    for c, lay in enumerate(layouts):
        lay.lookup(values[c], bins[:, c], out=design[:, c])
    return values, design


def _logistic(C: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=float(C), solver="lbfgs", max_iter=LR_MAX_ITER)


def _lr_info(estimator, C: float) -> dict[str, Any]:
    return {
        "type": "LogisticRegression",
        "penalty": "l2",
        "C": float(C),
        "solver": "lbfgs",
        "n_iter": int(np.max(estimator.n_iter_)),
    }


def fit_woe_lr(layouts: Sequence[BinLayout], bins: np.ndarray, label: np.ndarray,
               weights: np.ndarray | None, *, C: float,
               sign_constrained: bool = True) -> EncodingFit:
    """Logistic regression on each characteristic's bin WoE; contribution = coef * WoE.

    sign_constrained: every coefficient <= 0 (projected Newton with bounds); False: scikit-learn's
    unconstrained fit, warning about positive coefficients.
    """
    woe_values, woe = woe_columns(layouts, bins)
    if sign_constrained:
        estimator = BoundedLogisticRegression(C=C, sign="negative", max_iter=LR_MAX_ITER)
    else:
        estimator = _logistic(C)
    estimator.fit(woe, label, sample_weight=weights)
    coef = estimator.coef_[0].astype(np.float64)
    intercept = float(estimator.intercept_[0])
    contributions = [coef[c] * woe_values[c] for c in range(len(layouts))]
    unexpected = [lay.name for c, lay in enumerate(layouts) if coef[c] > 0]
    if unexpected:
        warnings.warn(
            f"woe-lr: characteristic(s) {', '.join(map(repr, unexpected))} have a positive "
            "coefficient, i.e. a higher WoE (lower observed risk) raises the predicted risk. "
            "Usually collinearity with other characteristics: consider dropping them.",
            CoefficientSignWarning,
            stacklevel=3,
        )
    info = _lr_info(estimator, C)
    if sign_constrained:
        info.update(type="BoundedLogisticRegression", solver="projected Newton",
                    bounds="every coefficient <= 0",
                    at_bound=[lay.name for c, lay in enumerate(layouts)
                              if estimator.at_bound_[c]])
    model = {
        **info,
        "features": "WoE of each characteristic's bin",
        "coefficients": {lay.name: float(coef[c]) for c, lay in enumerate(layouts)},
        "expected_sign": "negative (WoE > 0 means lower risk; the model predicts bad)",
        "unexpected_sign": unexpected,
    }
    return EncodingFit(contributions, intercept, model, estimator, coef, unexpected)


def fit_onehot_lr(layouts: Sequence[BinLayout], bins: np.ndarray, label: np.ndarray,
                  weights: np.ndarray | None, *, C: float) -> EncodingFit:
    """Logistic regression on one indicator per bin; empty and neutral bins get coefficient 0
    (their indicators are left out, so their rows sit at the intercept's level)."""
    import scipy.sparse as sp

    n_rows = bins.shape[0]
    sizes = [lay.table.n_bins for lay in layouts]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    fired = bins >= 0
    for c, lay in enumerate(layouts):
        if lay.neutral.any():
            fired[:, c] &= ~lay.neutral[np.maximum(bins[:, c], 0)]
    rows = np.broadcast_to(np.arange(n_rows)[:, None], bins.shape)[fired]
    cols = (bins + starts[None, :])[fired]
    design = sp.csr_matrix(
        (np.ones(rows.size), (rows, cols)), shape=(n_rows, int(sum(sizes)))
    )
    estimator = _logistic(C).fit(design, label, sample_weight=weights)
    coef = estimator.coef_[0].astype(np.float64).copy()
    empty = np.concatenate([(lay.table.total == 0) | lay.neutral for lay in layouts])
    coef[empty] = 0.0
    intercept = float(estimator.intercept_[0])
    contributions = [
        lay.with_unseen(coef[starts[c]: starts[c] + sizes[c]]) for c, lay in enumerate(layouts)
    ]
    model = {
        **_lr_info(estimator, C),
        "features": "one indicator per bin (every bin, no reference level)",
        "coefficients": {
            lay.name: lay.in_spec_order(contributions[c]) for c, lay in enumerate(layouts)
        },
    }
    return EncodingFit(contributions, intercept, model, estimator, coef)


def fit_xgb_stumps(layouts: Sequence[BinLayout], bins: np.ndarray, label: np.ndarray,
                   weights: np.ndarray | None, *, n_rounds: int,
                   learning_rate: float) -> EncodingFit:
    """Monotone XGBoost stumps on the WoE columns, read off as one function per feature."""
    import xgboost
    from xgboost import XGBClassifier

    m = len(layouts)
    woe_values, woe = woe_columns(layouts, bins)
    params = {
        "n_estimators": int(n_rounds),
        "max_depth": 1,
        "learning_rate": float(learning_rate),
        "tree_method": "hist",
        "objective": "binary:logistic",
        "monotone_constraints": "(" + ",".join(["-1"] * m) + ")",
        "random_state": XGB_SEED,
        "n_jobs": XGB_THREADS,
    }
    estimator = XGBClassifier(**params).fit(woe, label, sample_weight=weights)
    # Additivity: margin(x) = margin(ref) + sum_f [margin(ref with x_f) - margin(ref)].
    reference = np.zeros((1, m))
    probes = [reference]
    for c, values in enumerate(woe_values):
        block = np.zeros((values.size, m))
        block[:, c] = values
        probes.append(block)
    margins = estimator.predict(np.vstack(probes), output_margin=True).astype(np.float64)
    intercept = float(margins[0])
    contributions, start = [], 1
    for values in woe_values:
        contributions.append(margins[start: start + values.size] - intercept)
        start += values.size
    reduced = intercept + sum(
        lay.lookup(contributions[c], bins[:, c]) for c, lay in enumerate(layouts)
    )
    booster_margin = estimator.predict(woe, output_margin=True).astype(np.float64)
    additivity_error = float(np.max(np.abs(reduced - booster_margin)))
    used = estimator.get_booster().get_score(importance_type="weight")
    model = {
        "type": "XGBClassifier",
        "features": "WoE of each characteristic's bin",
        "params": dict(params),
        "xgboost_version": xgboost.__version__,
        "reference": "every characteristic at WoE 0; contribution = margin with one "
                     "characteristic at its bin's WoE minus the reference margin",
        "reference_margin": intercept,
        "additivity_max_abs_error": additivity_error,
        "splits_per_characteristic": {
            lay.name: int(used.get(f"f{c}", 0)) for c, lay in enumerate(layouts)
        },
    }
    return EncodingFit(contributions, intercept, model, estimator,
                       additivity_error=additivity_error)
