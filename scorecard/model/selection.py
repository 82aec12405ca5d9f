"""Characteristic selection as scorecard teams do it, with the reason for every drop.

Steps, in order, each optional:

1. IV lower-bound filter: drop a characteristic whose IV interval's lower end is below
   ``min_iv_ci_low`` (its IV is not shown to reach that level).
2. Correlation filter: among characteristics whose WoE columns correlate beyond
   ``max_correlation`` (absolute weighted Pearson), keep the stronger (higher IV): greedily, by
   decreasing IV, a characteristic is kept unless it is too correlated with one already kept.
3. Stepwise (forward): start from none and add, one at a time, the characteristic that most
   improves the criterion of the sign-constrained WoE logistic regression; stop when nothing
   improves it. ``"aic"`` / ``"bic"``: -2 log-likelihood + 2 k (or k ln n) on the training rows,
   k = non-zero coefficients + 1. ``"auc"``: AUC on a stratified, seeded hold-out share of the
   training rows (the model fitted on the rest), improved by more than ``min_auc_gain``.
   Each step fits only the N_TRIALS candidates with the largest score (Rao) statistic against
   the current model whose coefficient would take the expected negative sign.

The IV intervals come from bins chosen on the same rows, so they are optimistic
(docs/STATISTICS.md section 4); the filter is a screen, not a test. Hold-out AUC is measured
with bins fitted on all training rows, which flatters it slightly; it ranks candidates fairly.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from scorecard.exceptions import InputError
from scorecard.model import metrics
from scorecard.model.logistic import BoundedLogisticRegression, log_likelihood

__all__ = [
    "STEPWISE",
    "SelectionResult",
    "check_selection_options",
    "select_characteristics",
    "woe_correlation",
]

STEPWISE = (None, "auc", "aic", "bic")
DEFAULT_HOLDOUT = 0.3
DEFAULT_MIN_AUC_GAIN = 0.001
N_TRIALS = 5
"""Candidates (best score statistics) fitted at each stepwise step."""


@dataclass(frozen=True)
class SelectionResult:
    """Kept characteristics (in input order) and the dropped ones with step and reason."""

    kept: list[str]
    dropped: list[dict] = field(default_factory=list)
    stepwise_path: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"kept": list(self.kept), "dropped": [dict(d) for d in self.dropped],
                "stepwise_path": [dict(s) for s in self.stepwise_path]}


def woe_correlation(woe: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Weighted Pearson correlation of the columns (0 where a column is constant)."""
    w = np.ones(woe.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    mean = (w @ woe) / w.sum()
    centred = woe - mean
    cov = (centred * w[:, None]).T @ centred
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    corr[~np.isfinite(corr)] = 0.0
    np.fill_diagonal(corr, 1.0)
    return corr


def check_selection_options(min_iv_ci_low, max_correlation, stepwise, holdout,
                            min_auc_gain=DEFAULT_MIN_AUC_GAIN) -> None:
    """Raise InputError naming the first invalid selection option."""
    for name, value, low, high in (("min_iv_ci_low", min_iv_ci_low, 0.0, math.inf),
                                   ("max_correlation", max_correlation, 0.0, 1.0)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
                low <= value <= high):
            raise InputError(f"{name}={value!r} must be None or a number in [{low}, {high}].")
    if stepwise not in STEPWISE:
        raise InputError(f"stepwise={stepwise!r} must be one of {', '.join(map(repr, STEPWISE))}.")
    if isinstance(holdout, bool) or not isinstance(holdout, numbers.Real) or not 0 < holdout < 1:
        raise InputError(f"holdout={holdout!r} must be a share strictly between 0 and 1.")
    if isinstance(min_auc_gain, bool) or not isinstance(min_auc_gain, numbers.Real) \
            or not min_auc_gain >= 0:
        raise InputError(f"min_auc_gain={min_auc_gain!r} must be a number >= 0.")


def _split(label: np.ndarray, holdout: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified random split: (fit rows, hold-out rows) as index arrays."""
    rng = np.random.default_rng(seed)
    test = []
    for cls in (0, 1):
        rows = np.flatnonzero(label == cls)
        rng.shuffle(rows)
        test.append(rows[: max(1, int(round(holdout * rows.size)))])
    held = np.zeros(label.size, dtype=bool)
    held[np.concatenate(test)] = True
    if held.all() or not (label[~held] == 1).any() or not (label[~held] == 0).any():
        raise InputError("too few goods or bads for a hold-out split; use stepwise='bic'.")
    return np.flatnonzero(~held), np.flatnonzero(held)


def _score_statistics(X: np.ndarray, Z: np.ndarray, y: np.ndarray, p: np.ndarray,
                      w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rao score statistics U^2 / I for adding each column of X to the fit with design Z
    (intercept included) and fitted probabilities p; also U (its sign is the coefficient's)."""
    u = X.T @ (w * (y - p))
    v = w * p * (1.0 - p)
    zvz = Z.T @ (Z * v[:, None])
    cross = X.T @ (Z * v[:, None])
    info = np.einsum("ij,ij->j", X, X * v[:, None]) - np.einsum(
        "ij,ij->i", cross, np.linalg.solve(zvz, cross.T).T)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = np.where(info > 1e-12, u * u / info, 0.0)
    return stat, u


def _stepwise(woe, label, weights, candidates, names, criterion, C, holdout, seed,
              min_auc_gain):
    """Forward selection; returns (chosen indices, path, reason text per unchosen index).

    Each step ranks the remaining characteristics by their score statistic against the current
    model (only those whose coefficient would be negative, as a WoE scorecard needs) and fits
    the best N_TRIALS of them, adding the one with the best criterion.
    """
    n = label.size
    if criterion == "auc":
        fit_rows, test_rows = _split(label, holdout, seed)
    else:
        fit_rows = test_rows = np.arange(n)
    w_fit = np.ones(fit_rows.size) if weights is None else weights[fit_rows]
    y_fit = label[fit_rows]
    penalty = 2.0 if criterion == "aic" else math.log(n)

    def score(columns: list[int]) -> tuple[float, bool, np.ndarray]:
        """Criterion (lower is better), whether every coefficient is non-zero, P(bad) on the
        fit rows."""
        if not columns:
            rate = np.average(y_fit, weights=w_fit)
            p = np.full(fit_rows.size, rate)
            if criterion == "auc":
                return -0.5, True, p
            ll = log_likelihood(np.zeros((n, 0)), label, np.zeros(0),
                                math.log(rate / (1 - rate)), weights)
            return -2.0 * ll + penalty, True, p
        model = BoundedLogisticRegression(C=C).fit(woe[np.ix_(fit_rows, columns)], y_fit,
                                                   w_fit)
        useful = not model.at_bound_.any()
        p = model.predict_proba(woe[np.ix_(fit_rows, columns)])[:, 1]
        if criterion == "auc":
            z = model.decision_function(woe[np.ix_(test_rows, columns)])
            return -metrics.auc(label[test_rows], z, higher_is_riskier=True).value, useful, p
        ll = log_likelihood(woe[:, columns], label, model.coef_[0], model.intercept_[0], weights)
        k = int(np.count_nonzero(model.coef_)) + 1
        return -2.0 * ll + k * penalty, useful, p

    chosen: list[int] = []
    current, _, p_current = score(chosen)
    path = [{"step": 0, "added": None, criterion: _report(current, criterion)}]
    remaining = list(candidates)
    gain_needed = min_auc_gain if criterion == "auc" else 0.0
    while remaining:
        design = np.column_stack([np.ones(fit_rows.size), woe[np.ix_(fit_rows, chosen)]])
        stat, u = _score_statistics(woe[np.ix_(fit_rows, remaining)], design, y_fit,
                                    p_current, w_fit)
        order = [remaining[i] for i in np.argsort(-stat, kind="stable") if u[i] < 0]
        trials = []
        for j in order[:N_TRIALS]:
            value, useful, p = score(chosen + [j])
            if useful:
                trials.append((value, j, p))
        if not trials:
            break
        value, best, p = min(trials, key=lambda t: (t[0], t[1]))
        if not current - value > gain_needed:
            break
        chosen.append(best)
        remaining.remove(best)
        current, p_current = value, p
        path.append({"step": len(chosen), "added": names[best],
                     criterion: _report(current, criterion)})
    what = "hold-out AUC" if criterion == "auc" else criterion.upper()
    reasons = {j: f"stepwise by {what}: adding it did not improve {what} "
                  f"(final {_report(current, criterion):.4f})" for j in remaining}
    return sorted(chosen), path, reasons


def _report(value: float, criterion: str) -> float:
    return -value if criterion == "auc" else value


def select_characteristics(
    woe: np.ndarray,
    label: np.ndarray,
    names: Sequence[str],
    iv: Sequence[float],
    iv_ci_low: Sequence[float],
    *,
    weights: np.ndarray | None = None,
    min_iv_ci_low: float | None = None,
    max_correlation: float | None = None,
    stepwise: str | None = None,
    C: float = 1.0,
    holdout: float = DEFAULT_HOLDOUT,
    min_auc_gain: float = DEFAULT_MIN_AUC_GAIN,
    random_state: int = 0,
) -> SelectionResult:
    """Select characteristics from their WoE columns (rows x characteristics) and IVs.

    label is 0/1 (1 = bad); the steps and options are described in the module docstring.
    """
    check_selection_options(min_iv_ci_low, max_correlation, stepwise, holdout, min_auc_gain)
    names = list(names)
    iv = np.asarray(iv, dtype=np.float64)
    low = np.asarray(iv_ci_low, dtype=np.float64)
    m = len(names)
    if woe.shape[1] != m or iv.shape != (m,) or low.shape != (m,):
        raise InputError("woe, names, iv and iv_ci_low must describe the same characteristics.")
    alive = np.ones(m, dtype=bool)
    dropped: list[dict] = []
    if min_iv_ci_low is not None:
        for j in range(m):
            if not low[j] >= min_iv_ci_low:
                alive[j] = False
                dropped.append({
                    "name": names[j], "step": "iv",
                    "reason": f"IV {iv[j]:.4f}, interval lower end {low[j]:.4f} < "
                              f"min_iv_ci_low {min_iv_ci_low:g}",
                })
    if max_correlation is not None and alive.sum() > 1:
        corr = woe_correlation(woe, weights)
        kept: list[int] = []
        for j in sorted(np.flatnonzero(alive), key=lambda i: (-iv[i], i)):
            partner = next((k for k in kept if abs(corr[j, k]) > max_correlation), None)
            if partner is None:
                kept.append(j)
                continue
            alive[j] = False
            dropped.append({
                "name": names[j], "step": "correlation",
                "reason": f"|correlation| {abs(corr[j, partner]):.3f} > max_correlation "
                          f"{max_correlation:g} with {names[partner]!r}, which has the higher "
                          f"IV ({iv[partner]:.4f} vs {iv[j]:.4f})",
                "correlated_with": names[partner],
            })
    path: list[dict] = []
    if stepwise is not None and alive.any():
        label = np.asarray(label, dtype=np.float64)
        # Many small fits: multi-threaded BLAS only adds contention on matrices this size.
        with threadpool_limits(limits=1, user_api="blas"):
            chosen, path, reasons = _stepwise(woe, label, weights, list(np.flatnonzero(alive)),
                                              names, stepwise, C, holdout, random_state,
                                              min_auc_gain)
        for j in np.flatnonzero(alive):
            if j not in chosen:
                alive[j] = False
                dropped.append({"name": names[j], "step": "stepwise", "reason": reasons[j]})
    kept_names = [names[j] for j in range(m) if alive[j]]
    return SelectionResult(kept=kept_names, dropped=dropped, stepwise_path=path)
