"""Tests and intervals for a divergence J through ``T = n_eff * J`` (STATISTICS.md section 4).

Under P = Q the delta method degenerates (its gradient is zero), so tests use chi-square forms:
``T ~ chi2(k-1)`` under no difference and ``T ~ ncx2(k-1, n_eff * J)`` near it. Intervals invert
the noncentral chi-square whatever T and k (a Wald interval around the plug-in J misses the truth
when k is large: J is biased upward by about (k-1)/n_eff). Where expected counts are small the
p-values come from :mod:`scorecard.stats.resampling` instead.
"""

from __future__ import annotations

import math
from typing import Final, NamedTuple

import numpy as np
from scipy import special

from scorecard.exceptions import InputError
from scorecard.stats import resampling
from scorecard.stats.conventions import check_level

MIN_EXPECTED: Final = 50.0
"""Below this smallest expected count (smaller side) the no-difference p-value is simulated."""

MIN_SIMULATED_P: Final = 1e-6
"""Chi-square p-values below this are kept: no simulation of a few thousand tables resolves them."""

MIN_N_EFF: Final = 50.0
"""Below this effective sample size results are flagged unreliable (STATISTICS.md section 7)."""

MIN_CI_ROWS_PER_BIN: Final = 10.0
"""Intervals from tables whose smaller side averages fewer rows per bin carry a note: there, with a
strong signal (J >= 0.5), coverage measured 0.85-0.92 (STATISTICS.md section 7)."""

MIN_BOUNDARY_EXPECTED: Final = 3.0
"""Material and compliance tests whose boundary pair has a cell with a smaller expected count are
flagged: the double bootstrap's size is measured to hold only above it (STATISTICS.md section 7)."""


class DifferenceTest(NamedTuple):
    """A test that rejects when the statistic exceeds the critical value (``method`` says how)."""

    statistic: float
    critical: float
    p_value: float
    reject: bool
    method: str = "chi2"
    note: str = ""
    """Empty when the test holds its size here; otherwise why it may not ("unreliable: ...")."""

    @property
    def reliable(self) -> bool:
        return not self.note


class ComplianceTest(NamedTuple):
    """A test of H0: J >= eps; ``compliant`` when the statistic falls below the critical value."""

    statistic: float
    critical: float
    p_value: float
    compliant: bool
    method: str = "ncx2"
    note: str = ""
    """Empty when the test holds its size here; otherwise why it may not ("unreliable: ...")."""

    @property
    def reliable(self) -> bool:
        return not self.note


def _check_nonnegative(value: object, name: str, *, strictly: bool = False) -> float:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, got {value!r}.") from None
    if not math.isfinite(x) or x < 0 or (strictly and x == 0):
        bound = "> 0" if strictly else ">= 0"
        raise InputError(f"{name} must be a finite number {bound}, got {value!r}.")
    return x


def _check_df(df: object) -> int:
    if isinstance(df, bool) or not isinstance(df, (int, np.integer)) or int(df) < 1:
        raise InputError(f"df must be a positive integer (bins - 1), got {df!r}.")
    return int(df)


def no_difference_test(statistic: float, df: int, level_alpha: float = 0.05) -> DifferenceTest:
    """Test H0: J = 0 (nothing differs): reject if ``T > chi2.ppf(1 - a, df)``."""
    t = _check_nonnegative(statistic, "statistic")
    df = _check_df(df)
    a = check_level(level_alpha, name="level_alpha")
    # scipy's chi2.ppf(q, df) is 2 * gammaincinv(df / 2, q): the same float, without importing
    # scipy.stats (about a second of the CLI's start-up).
    critical = float(2 * special.gammaincinv(df / 2, 1.0 - a))
    p_value = float(special.chdtrc(df, t))
    return DifferenceTest(t, critical, p_value, bool(t > critical))


def material_difference_test(
    statistic: float, df: int, n_eff: float, tau: float, level_alpha: float = 0.05
) -> DifferenceTest:
    """Test H0: J <= tau (difference immaterial): reject if ``T > ncx2.ppf(1 - a, df, n_eff*tau)``."""
    t = _check_nonnegative(statistic, "statistic")
    df = _check_df(df)
    n_eff = _check_nonnegative(n_eff, "n_eff", strictly=True)
    tau = _check_nonnegative(tau, "tau")
    a = check_level(level_alpha, name="level_alpha")
    nc = n_eff * tau
    if nc == 0:
        return no_difference_test(t, df, a)
    from scipy import stats  # slow to import; only the material and compliance tests need it

    critical = float(stats.ncx2.ppf(1.0 - a, df, nc))
    p_value = float(stats.ncx2.sf(t, df, nc))
    return DifferenceTest(t, critical, p_value, bool(t > critical), "ncx2")


def compliance_test(
    statistic: float, df: int, n_eff: float, eps: float, level_alpha: float = 0.05
) -> ComplianceTest:
    """Test H0: J >= eps (over budget): compliant if ``T < ncx2.ppf(a, df, n_eff * eps)``."""
    t = _check_nonnegative(statistic, "statistic")
    df = _check_df(df)
    n_eff = _check_nonnegative(n_eff, "n_eff", strictly=True)
    eps = _check_nonnegative(eps, "eps", strictly=True)
    a = check_level(level_alpha, name="level_alpha")
    nc = n_eff * eps
    from scipy import stats

    critical = float(stats.ncx2.ppf(a, df, nc))
    p_value = float(special.chndtr(t, df, nc))
    return ComplianceTest(t, critical, p_value, bool(t < critical))


def wald_interval(value: float, se: float, level: float = 0.95) -> tuple[float, float]:
    """``value +- z * se`` with the lower end clipped at 0 (a divergence is never negative)."""
    level = check_level(level)
    z = float(special.ndtri(0.5 + level / 2.0))
    return max(0.0, value - z * se), value + z * se


def _noncentrality_for_cdf(statistic: float, df: int, target: float) -> float:
    """The lambda with ``P(ncx2(df, lambda) <= statistic) = target`` (the cdf falls as lambda grows).

    ``special.chndtrinc`` inverts the cdf directly (it agrees with a bracketed root search to
    1e-13 and spares importing scipy.optimize on the CLI's first call); the root search below is
    the fallback where it fails.
    """
    lam = float(special.chndtrinc(statistic, df, target))
    if math.isfinite(lam) and abs(float(special.chndtr(statistic, df, lam)) - target) < 1e-9:
        return lam
    from scipy import optimize

    def excess(lam: float) -> float:
        return float(special.chndtr(statistic, df, lam)) - target

    hi = statistic + 10.0 * math.sqrt(statistic + df) + 10.0 * df + 10.0
    for _ in range(200):
        if excess(hi) < 0:
            break
        hi *= 2.0
    else:  # pragma: no cover - the cdf reaches 0 long before this
        raise RuntimeError(f"could not bracket the noncentrality for T={statistic}, df={df}.")
    return float(optimize.brentq(excess, 0.0, hi, xtol=1e-12, rtol=1e-13, maxiter=500))


def ncx2_interval(statistic: float, df: int, n_eff: float, level: float = 0.95) -> tuple[float, float]:
    """Invert the noncentral chi-square: ``[lambda_L, lambda_U] / n_eff``.

    ``lambda_L`` solves ``P(ncx2(df, lambda) >= T) = a/2`` (0 when even lambda = 0 gives at least
    a/2); ``lambda_U`` solves ``P(ncx2(df, lambda) <= T) = a/2``. When T is below the a/2 quantile
    of chi2(df) no lambda >= 0 is consistent with it and the interval collapses to [0, 0].
    """
    t = _check_nonnegative(statistic, "statistic")
    df = _check_df(df)
    n_eff = _check_nonnegative(n_eff, "n_eff", strictly=True)
    level = check_level(level)
    half = (1.0 - level) / 2.0
    cdf_at_zero = float(special.chdtr(df, t))
    lam_lower = 0.0 if 1.0 - cdf_at_zero >= half else _noncentrality_for_cdf(t, df, 1.0 - half)
    lam_upper = 0.0 if cdf_at_zero <= half else _noncentrality_for_cdf(t, df, half)
    return lam_lower / n_eff, lam_upper / n_eff


def hull_interval(
    ncx2: tuple[float, float], wald_corrected: tuple[float, float]
) -> tuple[float, float]:
    """The ncx2 interval, widened to cover the bias-corrected Wald interval when that excludes 0.

    Far from the null (noncentrality large against k - 1) the ncx2 law understates the spread of
    J (measured: coverage 0.92 at IV 1.0, k = 20, n = 50,000) while the delta method is right;
    near it the Wald interval fails. The hull covers at least as often as either part, and as the
    Wald part is used only when its lower end is positive, the hull excludes 0 exactly when the
    ncx2 interval does (so it still agrees with the p-value).
    """
    if wald_corrected[0] <= 0.0:
        return ncx2
    return min(ncx2[0], wald_corrected[0]), max(ncx2[1], wald_corrected[1])


def ncx2_median_estimate(statistic: float, df: int, n_eff: float) -> float:
    """Median-unbiased J: ``lambda / n_eff`` with ``P(ncx2(df, lambda) <= T) = 1/2`` (0 if none).

    The 50% point of the inversion behind :func:`ncx2_interval`, so it lies inside every
    equal-tailed interval from the same T; it removes the upward bias ~(k-1)/n_eff of plug-in J.
    """
    t = _check_nonnegative(statistic, "statistic")
    df = _check_df(df)
    n_eff = _check_nonnegative(n_eff, "n_eff", strictly=True)
    if float(special.chdtr(df, t)) <= 0.5:
        return 0.0
    return _noncentrality_for_cdf(t, df, 0.5) / n_eff


def calibrated_statistic(statistic: float, df: int, p_value: float, p_method: str) -> float:
    """The T whose chi2(df) p-value is ``p_value``: the interval then agrees with the test.

    Identity for chi-square p-values. For simulated ones T is mapped through its simulated null
    distribution; when no simulated table reached T (p at its floor) T is kept if larger.
    """
    if p_method == "chi2":
        return statistic
    mapped = float(special.chdtri(df, p_value))
    at_floor = p_value <= (1.0 + 1e-9) / (resampling.N_RESAMPLES + 1)
    return max(mapped, statistic) if at_floor else mapped


def benjamini_hochberg(p_values: object, q: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Benjamini-Hochberg step-up: which hypotheses to reject at false discovery rate ``q``.

    Returns ``(reject, adjusted)`` in the input order. NaN p-values are left out of the family
    (as R's ``p.adjust`` does): their adjusted value is NaN and they are never rejected.
    """
    q = check_level(q, name="q")
    try:
        p = np.asarray(p_values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("p_values must be a 1-D sequence of numbers in [0, 1].") from None
    if p.ndim != 1:
        raise InputError(f"p_values must be 1-D, got shape {p.shape}.")
    present = ~np.isnan(p)
    if np.any((p[present] < 0) | (p[present] > 1)):
        raise InputError("p_values must lie in [0, 1] (NaN is allowed and never rejected).")
    adjusted = np.full(p.shape, np.nan)
    reject = np.zeros(p.shape, dtype=bool)
    values = p[present]
    m = values.size
    if m == 0:
        return reject, adjusted
    order = np.argsort(values, kind="stable")
    ranked = values[order] * m / np.arange(1, m + 1)
    ranked = np.minimum(np.minimum.accumulate(ranked[::-1])[::-1], 1.0)
    family_adjusted = np.empty(m)
    family_adjusted[order] = ranked
    adjusted[present] = family_adjusted
    reject[present] = family_adjusted <= q
    return reject, adjusted
