"""KL, Jeffreys and Jensen-Shannon divergences with delta-method uncertainty.

Information value and PSI are the same statistic, the Jeffreys divergence
``J(P, Q) = sum (p_i - q_i) ln(p_i / q_i)`` between two distributions over the same bins
(STATISTICS.md sections 2-4); :func:`jeffreys` computes it from a count table with its standard
error, second-order bias, chi-square tests and intervals.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import special

from scorecard.stats import inference
from scorecard.stats.conventions import (
    check_alpha,
    check_level,
    check_reference,
    count_table,
    require_finite_woe,
    resolve_alpha,
    smoothed_shares,
)


def _probability_vectors(p: object, q: object) -> tuple[np.ndarray, np.ndarray]:
    p_arr, q_arr, _ = count_table(p, q, names=("p", "q"), min_bins=1)
    # count_table drops bins that are zero on both sides; they contribute 0 to every divergence.
    return p_arr / p_arr.sum(), q_arr / q_arr.sum()


def _kl(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """KL(P||Q) along the last axis, with 0 ln(0/q) = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p / q), 0.0)
    return terms.sum(axis=-1)


def _js(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    m = (p + q) / 2.0
    return 0.5 * _kl(p, m) + 0.5 * _kl(q, m)


def kl_divergence(p: object, q: object) -> float:
    """Kullback-Leibler divergence KL(P||Q) = sum p_i ln(p_i / q_i), in nats.

    Inputs are normalised to sum 1, so counts are accepted. Infinite when some q_i = 0 < p_i.
    """
    p_arr, q_arr = _probability_vectors(p, q)
    return float(_kl(p_arr, q_arr))


def jeffreys_divergence(p: object, q: object) -> float:
    """Jeffreys divergence J = KL(P||Q) + KL(Q||P) of two probability vectors (normalised)."""
    p_arr, q_arr = _probability_vectors(p, q)
    return float(_kl(p_arr, q_arr) + _kl(q_arr, p_arr))


def js_divergence(p: object, q: object) -> float:
    """Jensen-Shannon divergence 1/2 KL(P||M) + 1/2 KL(Q||M), M = (P+Q)/2; at most ln 2."""
    p_arr, q_arr = _probability_vectors(p, q)
    return float(_js(p_arr, q_arr))


def _jeffreys_moments(
    p: np.ndarray, q: np.ndarray, n_p: np.ndarray | float, n_q: np.ndarray | float, fixed: bool
) -> dict[str, np.ndarray]:
    """J, both KLs, delta-method variance and second-order bias along the last axis.

    ``p`` and ``q`` are strictly positive shares; ``n_p``, ``n_q`` the raw sample sizes.
    With ``fixed`` the P side is a known population and only Q's sampling error counts.
    """
    log_ratio = np.log(p / q)
    kl_pq = np.sum(p * log_ratio, axis=-1)
    kl_qp = np.sum(-q * log_ratio, axis=-1)
    grad_q = -log_ratio + 1.0 - p / q
    var_q = np.maximum(np.sum(q * grad_q**2, axis=-1) - kl_qp**2, 0.0) / n_q
    bias_q = 0.5 * np.sum((1.0 + p / q) * (1.0 - q), axis=-1) / n_q
    if fixed:
        variance, bias = var_q, bias_q
    else:
        grad_p = log_ratio + 1.0 - q / p
        variance = var_q + np.maximum(np.sum(p * grad_p**2, axis=-1) - kl_pq**2, 0.0) / n_p
        bias = bias_q + 0.5 * np.sum((1.0 + q / p) * (1.0 - p), axis=-1) / n_p
    return {"value": kl_pq + kl_qp, "kl_pq": kl_pq, "kl_qp": kl_qp, "variance": variance, "bias": bias}


@dataclass(frozen=True)
class JeffreysResult:
    """The Jeffreys divergence J(P, Q) of a count table (IV, PSI) with its uncertainty.

    ``statistic`` is ``T = n_eff * J``; ``ci`` is the recommended interval (``ci_method``): Wald when
    T >= 100, otherwise noncentral chi-square inversion. ``alpha`` (smoothing) and ``reference``
    (sampling model) are the conventions the numbers were computed under.
    """

    value: float
    se: float
    bias: float
    value_corrected: float
    n_eff: float
    df: int
    statistic: float
    p_value: float
    ci_wald: tuple[float, float]
    ci_ncx2: tuple[float, float]
    ci: tuple[float, float]
    ci_method: str
    kl_pq: float
    kl_qp: float
    js: float
    alpha: float
    level: float
    reference: str
    k: int
    n_p: float
    n_q: float
    dropped_bins: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable values (floats, ints, strings, lists)."""
        out = asdict(self)
        for key, val in out.items():
            if isinstance(val, tuple):
                out[key] = [v.item() if isinstance(v, np.generic) else v for v in val]
            elif isinstance(val, np.generic):
                out[key] = val.item()
        return out

    def test_no_difference(self, level_alpha: float = 0.05) -> inference.DifferenceTest:
        """H0: J = 0 (P = Q): reject if ``T > chi2.ppf(1 - level_alpha, k - 1)``."""
        return inference.no_difference_test(self.statistic, self.df, level_alpha)

    def test_material(self, tau: float, level_alpha: float = 0.05) -> inference.DifferenceTest:
        """H0: J <= tau (immaterial): reject if ``T > ncx2.ppf(1 - level_alpha, k - 1, n_eff*tau)``."""
        return inference.material_difference_test(self.statistic, self.df, self.n_eff, tau, level_alpha)

    def test_below(self, eps: float, level_alpha: float = 0.05) -> inference.ComplianceTest:
        """H0: J >= eps (over budget): compliant if ``T < ncx2.ppf(level_alpha, k - 1, n_eff*eps)``."""
        return inference.compliance_test(self.statistic, self.df, self.n_eff, eps, level_alpha)


def _jeffreys(
    p_counts: object,
    q_counts: object,
    *,
    names: tuple[str, str],
    reference: str,
    alpha: float | None,
    level: float,
) -> JeffreysResult:
    reference = check_reference(reference)
    level = check_level(level)
    alpha = check_alpha(alpha)
    p, q, kept = count_table(p_counts, q_counts, names=names)
    used_alpha = resolve_alpha(p, q, alpha)
    require_finite_woe(p, q, used_alpha, names)
    n_p, n_q = float(p.sum()), float(q.sum())
    p_share, q_share = smoothed_shares(p, used_alpha), smoothed_shares(q, used_alpha)
    fixed = reference == "fixed"
    moments = _jeffreys_moments(p_share, q_share, n_p, n_q, fixed)
    value = float(moments["value"])
    se = math.sqrt(float(moments["variance"]))
    bias = float(moments["bias"])
    n_eff = n_q if fixed else n_p * n_q / (n_p + n_q)
    k = int(p.size)
    df = k - 1
    statistic = n_eff * value
    ci_wald = inference.wald_interval(value, se, level)
    ci_ncx2 = inference.ncx2_interval(statistic, df, n_eff, level)
    use_wald = statistic >= inference.WALD_MIN_STATISTIC
    return JeffreysResult(
        value=value,
        se=se,
        bias=bias,
        value_corrected=max(0.0, value - bias),
        n_eff=n_eff,
        df=df,
        statistic=statistic,
        p_value=float(special.chdtrc(df, statistic)),
        ci_wald=ci_wald,
        ci_ncx2=ci_ncx2,
        ci=ci_wald if use_wald else ci_ncx2,
        ci_method="wald" if use_wald else "ncx2",
        kl_pq=float(moments["kl_pq"]),
        kl_qp=float(moments["kl_qp"]),
        js=float(_js(p_share, q_share)),
        alpha=used_alpha,
        level=level,
        reference=reference,
        k=k,
        n_p=n_p,
        n_q=n_q,
        dropped_bins=tuple(int(i) for i in np.flatnonzero(~kept)),
    )


def jeffreys(
    p_counts: object,
    q_counts: object,
    *,
    reference: str = "sample",
    alpha: float | None = None,
    level: float = 0.95,
) -> JeffreysResult:
    """Jeffreys divergence of two count vectors over the same bins, with SE, bias, tests and CIs.

    ``reference="sample"``: both sides are samples, ``n_eff = n_p n_q / (n_p + n_q)``.
    ``reference="fixed"``: ``p_counts`` is a known population; only the Q side's sampling error
    enters the variance and bias, and ``T = n_q * J``. Bins empty on both sides are dropped first
    (they carry no information; their indices are in ``dropped_bins``). Counts may be weights.
    """
    return _jeffreys(
        p_counts, q_counts, names=("p_counts", "q_counts"), reference=reference, alpha=alpha, level=level
    )


def information_value(
    goods: object,
    bads: object,
    *,
    reference: str = "sample",
    alpha: float | None = None,
    level: float = 0.95,
) -> JeffreysResult:
    """Information value: the Jeffreys divergence between the goods' and the bads' bin shares."""
    return _jeffreys(goods, bads, names=("goods", "bads"), reference=reference, alpha=alpha, level=level)


def psi(
    reference_counts: object,
    current_counts: object,
    *,
    reference: str = "sample",
    alpha: float | None = None,
    level: float = 0.95,
) -> JeffreysResult:
    """Population stability index: the Jeffreys divergence between reference and current windows.

    ``reference="fixed"`` treats the reference window as a known population (one-sample).
    """
    return _jeffreys(
        reference_counts,
        current_counts,
        names=("reference_counts", "current_counts"),
        reference=reference,
        alpha=alpha,
        level=level,
    )
