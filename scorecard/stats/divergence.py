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

from scorecard.stats import inference, resampling
from scorecard.stats.conventions import (
    check_alpha,
    check_level,
    check_reference,
    check_sample_counts,
    count_table,
    require_finite_woe,
    resolve_alpha,
    smoothed_pair,
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

    ``value`` is the plug-in J of the smoothed shares; it is biased upward by about
    ``(k - 1) / n_eff``. ``estimate`` is the bias-corrected value to print beside ``ci``: the
    median-unbiased estimate of the noncentral chi-square model that ``ci`` inverts, so it always
    lies inside ``ci`` (``value_corrected`` is the second-order correction ``max(0, value - bias)``).
    ``statistic`` is ``T = n_eff * J``. ``p_value`` tests J = 0 by ``p_method``: ``"chi2"``
    (T against chi2(k - 1)), ``"permutation"`` (tables with the same margins, exact up to Monte
    Carlo error) or ``"multinomial"`` (fixed reference); ``p_value_chi2`` is always the
    chi-square one. ``ci`` inverts the noncentral chi-square at the statistic whose chi2(k - 1)
    p-value is ``p_value``, so ``ci[0] > 0`` exactly when ``p_value < (1 - level) / 2``.
    ``reliable`` is False (with ``reliability_note``) outside the region where the tests hold
    their size (STATISTICS.md section 7); ``ci_note`` is non-empty where the interval's coverage
    is not established (too few rows per bin on the smaller side). ``alpha`` (smoothing) and ``reference`` (sampling model)
    are the conventions the numbers were computed under.
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
    estimate: float = math.nan
    p_value_chi2: float = math.nan
    p_method: str = "chi2"
    min_expected: float = math.nan
    reliable: bool = True
    reliability_note: str = ""
    counts_p: tuple[float, ...] = ()
    counts_q: tuple[float, ...] = ()
    alpha_auto: bool = True
    ci_note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable values (floats, ints, strings, lists)."""
        out = asdict(self)
        for key, val in out.items():
            if isinstance(val, tuple):
                out[key] = [v.item() if isinstance(v, np.generic) else v for v in val]
            elif isinstance(val, np.generic):
                out[key] = val.item()
        return out

    def _simulable(self) -> bool:
        return _whole(np.asarray(self.counts_q)) and (
            self.reference == "fixed" or _whole(np.asarray(self.counts_p)))

    def _boundary_tests(self, target: float, level_alpha: float,
                        material: inference.DifferenceTest,
                        below: inference.ComplianceTest) -> tuple[Any, Any]:
        """Both tests by one double bootstrap at the null boundary J = target (the first- and
        second-level tables do not depend on the tail), else the asymptotic ``material``, ``below``."""
        if not self._simulable() or self.df < 1:
            return (material._replace(note=self.reliability_note),
                    below._replace(note=self.reliability_note))
        p, q = np.asarray(self.counts_p), np.asarray(self.counts_q)
        fixed = self.reference == "fixed"
        p_share, q_share, _, _ = smoothed_pair(p, q, self.alpha, fixed=fixed)
        found = resampling.boundary_p_value(
            p, q, p_share, q_share, self.value, target, self._alpha_rule, fixed, upper=True)
        if found is None:
            return (material._replace(note=self.reliability_note),
                    below._replace(note=self.reliability_note))
        p_down = resampling.double_bootstrap_p_value(found.first, found.second, self.value,
                                                     upper=False)
        critical = [self.n_eff * resampling.double_bootstrap_critical(
            found.first, found.second, level_alpha, upper) for upper in (True, False)]
        note = self.reliability_note or _boundary_note(found.min_expected, target)
        return (inference.DifferenceTest(self.statistic, critical[0], found.p_value,
                                         bool(found.p_value < level_alpha), "double-bootstrap",
                                         note),
                inference.ComplianceTest(self.statistic, critical[1], p_down,
                                         bool(p_down < level_alpha), "double-bootstrap", note))

    def test_boundary(self, target: float, level_alpha: float = 0.05
                      ) -> tuple[inference.DifferenceTest, inference.ComplianceTest]:
        """``(test_material(target), test_below(target))`` from one simulation (half the cost).

        Each test's ``note`` (``reliable`` False) says when its size is not established: a
        flagged result, or a boundary pair with a sparse cell (STATISTICS.md section 4, step 6).
        """
        a = check_level(level_alpha, name="level_alpha")
        material = inference.material_difference_test(self.statistic, self.df, self.n_eff,
                                                      target, a)
        below = inference.compliance_test(self.statistic, self.df, self.n_eff, target, a)
        return self._boundary_tests(float(target), float(a), material, below)

    @property
    def _alpha_rule(self) -> float:
        return resampling.AUTO if self.alpha_auto else self.alpha

    def test_no_difference(self, level_alpha: float = 0.05) -> inference.DifferenceTest:
        """H0: J = 0 (P = Q): reject when ``p_value < level_alpha`` (method ``p_method``)."""
        if self.p_method == "chi2":
            return inference.no_difference_test(self.statistic, self.df, level_alpha)
        a = check_level(level_alpha, name="level_alpha")
        return inference.DifferenceTest(self.statistic, math.nan, self.p_value,
                                        bool(self.p_value < a), self.p_method)

    def test_material(self, tau: float, level_alpha: float = 0.05) -> inference.DifferenceTest:
        """H0: J <= tau (immaterial): reject when large T is unlikely at J = tau.

        Integer counts: fast double bootstrap at the boundary J = tau ("double-bootstrap"); weights:
        ``T > ncx2.ppf(1 - level_alpha, k - 1, n_eff*tau)`` ("ncx2").
        """
        inference.material_difference_test(  # validates tau and level_alpha first
            self.statistic, self.df, self.n_eff, tau, level_alpha)
        if float(tau) == 0:
            return self.test_no_difference(level_alpha)
        return self.test_boundary(tau, level_alpha)[0]

    def test_below(self, eps: float, level_alpha: float = 0.05) -> inference.ComplianceTest:
        """H0: J >= eps (over budget): compliant when small T is unlikely at J = eps.

        Integer counts: fast double bootstrap at the boundary J = eps ("double-bootstrap"); weights:
        ``T < ncx2.ppf(level_alpha, k - 1, n_eff*eps)`` ("ncx2").
        """
        inference.compliance_test(  # validates eps and level_alpha first
            self.statistic, self.df, self.n_eff, eps, level_alpha)
        return self.test_boundary(eps, level_alpha)[1]


def _whole(counts: np.ndarray) -> bool:
    """Integer counts (a resampling test needs rows, not weights)."""
    return counts.size > 0 and bool(np.all(counts == np.round(counts)))


def _no_difference_p_value(
    p: np.ndarray, q: np.ndarray, value: float, statistic: float, df: int, alpha_rule: float,
    fixed: bool, min_expected: float,
) -> tuple[float, str]:
    """The p-value of J = 0 and its method: chi-square where expected counts allow, else simulated."""
    p_chi2 = float(special.chdtrc(df, statistic))
    sparse = min_expected < inference.MIN_EXPECTED and p_chi2 >= inference.MIN_SIMULATED_P
    if not sparse or not _whole(q) or not (fixed or _whole(p)):
        return p_chi2, "chi2"
    if fixed:
        return resampling.fixed_reference_p_value(p, q, value, alpha_rule), "multinomial"
    return resampling.permutation_p_value(p, q, value, alpha_rule), "permutation"


def _boundary_note(min_expected: float, target: float) -> str:
    """Empty when the boundary pair's cells are large enough for the double bootstrap."""
    if min_expected >= inference.MIN_BOUNDARY_EXPECTED:
        return ""
    return (f"unreliable: too few counts (the null boundary pair at J = {target:g} expects "
            f"{min_expected:.2g} < {inference.MIN_BOUNDARY_EXPECTED:g} rows in its sparsest cell); "
            "the p-value is indicative")


def _interval_note(smaller: float, k: int) -> str:
    """Empty when the smaller side has enough rows per bin for the interval's measured coverage."""
    per_bin = smaller / max(k, 1)
    if per_bin >= inference.MIN_CI_ROWS_PER_BIN:
        return ""
    return (f"interval indicative: the smaller side has {per_bin:.3g} < "
            f"{inference.MIN_CI_ROWS_PER_BIN:g} rows per bin; with a strong signal (J >= 0.5) the "
            "95% interval covered only 0.85-0.92 there")


def _reliability(n_eff: float, min_expected: float, whole: bool) -> str:
    """Empty when the tests hold their size here; otherwise why not (STATISTICS.md section 7)."""
    if n_eff < inference.MIN_N_EFF:
        return (f"unreliable: too few counts (n_eff = {n_eff:.3g} < {inference.MIN_N_EFF:g}); "
                "tests and intervals may not hold their level")
    if not whole and min_expected < inference.MIN_EXPECTED:
        return (f"unreliable: too few counts (smallest expected count {min_expected:.3g} < "
                f"{inference.MIN_EXPECTED:g}) and weights rule out the exact test")
    return ""


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
    fixed = reference == "fixed"
    for counts, name in ((q, names[1]),) if fixed else ((p, names[0]), (q, names[1])):
        check_sample_counts(counts, name)
    used_alpha = resolve_alpha(p, q, alpha)
    require_finite_woe(p, q, used_alpha, names)
    n_p, n_q = float(p.sum()), float(q.sum())
    p_share, q_share, _, _ = smoothed_pair(p, q, used_alpha, fixed=fixed)
    moments = _jeffreys_moments(p_share, q_share, n_p, n_q, fixed)
    value = float(moments["value"])
    se = math.sqrt(float(moments["variance"]))
    bias = float(moments["bias"])
    n_eff = n_q if fixed else n_p * n_q / (n_p + n_q)
    k = int(p.size)
    df = k - 1
    statistic = n_eff * value
    pooled = p / n_p if fixed else (p + q) / (n_p + n_q)
    min_expected = float(np.min(pooled) * (n_q if fixed else min(n_p, n_q)))
    alpha_rule = resampling.AUTO if alpha is None else used_alpha
    p_value, p_method = _no_difference_p_value(
        p, q, value, statistic, df, alpha_rule, fixed, min_expected)
    calibrated = inference.calibrated_statistic(statistic, df, p_value, p_method)
    ci_ncx2 = inference.ncx2_interval(calibrated, df, n_eff, level)
    value_corrected = max(0.0, value - bias)
    ci = inference.hull_interval(ci_ncx2, inference.wald_interval(value_corrected, se, level))
    note = _reliability(n_eff, min_expected, _whole(q) and (fixed or _whole(p)))
    return JeffreysResult(
        value=value,
        se=se,
        bias=bias,
        value_corrected=value_corrected,
        n_eff=n_eff,
        df=df,
        statistic=statistic,
        p_value=p_value,
        ci_wald=inference.wald_interval(value, se, level),
        ci_ncx2=ci_ncx2,
        ci=ci,
        ci_method="ncx2" if ci == ci_ncx2 else "ncx2+wald",
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
        estimate=inference.ncx2_median_estimate(calibrated, df, n_eff),
        p_value_chi2=float(special.chdtrc(df, statistic)),
        p_method=p_method,
        min_expected=min_expected,
        reliable=not note,
        reliability_note=note,
        counts_p=tuple(float(v) for v in p),
        counts_q=tuple(float(v) for v in q),
        alpha_auto=alpha is None,
        ci_note=_interval_note(n_q if fixed else min(n_p, n_q), k),
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
