"""Monte Carlo reference distributions of a count table's divergence (STATISTICS.md section 4).

Where expected counts are small the chi-square forms of section 4 are not trustworthy, so the
p-values come from simulated tables instead:

- no difference, two samples: the conditional (permutation) test. Given the bin totals and the
  side totals, the Q side of the table is multivariate hypergeometric under P = Q; exact for any
  n up to Monte Carlo error.
- no difference, fixed reference: the Q side is multinomial with the reference's shares.
- material (J <= tau) and compliance (J >= eps): a parametric bootstrap at the boundary of the
  null, the distributions on the geometric path through the pooled and the observed shares whose
  divergence is exactly tau (eps).

Every simulated table's divergence is computed by the same rule as the observed one (empty bins
dropped, the same automatic or explicit smoothing), so the statistic is one fixed function of the
table. Kernels are numba (seeded, so results are reproducible) with numpy twins for the tests.
"""

from __future__ import annotations

import math
import zlib
from typing import Final

import numpy as np
from numba import njit
from scipy import optimize

from scorecard.stats.conventions import DEFAULT_ALPHA

N_RESAMPLES: Final = 1999
"""Simulated tables per p-value: Monte Carlo SE of a p-value near 0.05 is about 0.005."""

SEED: Final = 20240607
"""Base seed; each table's own seed mixes in its counts (see :func:`table_seed`)."""

AUTO: Final = -1.0
"""Passed as alpha to the kernels: choose the smoothing per table (DEFAULT_ALPHA if a zero cell)."""


@njit(cache=True)
def _divergence(p: np.ndarray, q: np.ndarray, alpha: float, fixed: bool) -> float:
    """J of one count table by the rules of :func:`scorecard.stats.jeffreys`; inf if a share is 0."""
    k = 0
    p_total = 0.0
    q_total = 0.0
    zero_cell = False
    for i in range(p.size):
        if p[i] > 0 or q[i] > 0:
            k += 1
            p_total += p[i]
            q_total += q[i]
            if p[i] == 0 or q[i] == 0:
                zero_cell = True
    if k < 2 or p_total == 0 or q_total == 0:
        return 0.0
    a = alpha
    if a < 0:
        a = DEFAULT_ALPHA if zero_cell else 0.0
    n_min = q_total if fixed else min(p_total, q_total)
    c = a / n_min
    scale = 1.0 + k * c
    total = 0.0
    for i in range(p.size):
        if p[i] > 0 or q[i] > 0:
            ps = (p[i] / p_total + c) / scale
            qs = (q[i] / q_total + c) / scale
            if ps == 0 or qs == 0:
                return math.inf
            total += (ps - qs) * math.log(ps / qs)
    return total


@njit(cache=True)
def _log_choose(n: float, r: float) -> float:
    return math.lgamma(n + 1.0) - math.lgamma(r + 1.0) - math.lgamma(n - r + 1.0)


@njit(cache=True)
def _hypergeometric(good: int, bad: int, sample: int) -> int:
    """Goods among ``sample`` rows drawn without replacement: CDF inversion outward from the mode.

    Expected work is proportional to the standard deviation, not to ``sample`` (numba's own
    hypergeometric draws row by row).
    """
    lo = max(0, sample - bad)
    hi = min(sample, good)
    if lo == hi:
        return lo
    mode = min(max((sample + 1) * (good + 1) // (good + bad + 2), lo), hi)
    p_mode = math.exp(_log_choose(good, mode) + _log_choose(bad, sample - mode)
                      - _log_choose(good + bad, sample))
    u = np.random.random() - p_mode
    if u <= 0:
        return mode
    up, down = mode, mode
    p_up, p_down = p_mode, p_mode
    while up < hi or down > lo:
        if up < hi:
            p_up *= (good - up) * (sample - up) / ((up + 1.0) * (bad - sample + up + 1.0))
            up += 1
            u -= p_up
            if u <= 0:
                return up
        if down > lo:
            p_down *= down * (bad - sample + down) / ((good - down + 1.0) * (sample - down + 1.0))
            down -= 1
            u -= p_down
            if u <= 0:
                return down
    return mode


@njit(cache=True)
def _permutation_kernel(
    totals: np.ndarray, q_total: int, alpha: float, n_resamples: int, seed: int
) -> np.ndarray:
    """J of tables with the given bin totals and Q total, Q side multivariate hypergeometric."""
    np.random.seed(seed)
    k = totals.size
    n = 0
    for i in range(k):
        n += totals[i]
    out = np.empty(n_resamples)
    p = np.empty(k)
    q = np.empty(k)
    for r in range(n_resamples):
        left_rows = n
        left_q = q_total
        for i in range(k):
            if i == k - 1:
                drawn = left_q
            elif left_q == 0:
                drawn = 0
            elif left_q == left_rows:
                drawn = totals[i]
            else:
                drawn = _hypergeometric(left_q, left_rows - left_q, totals[i])
            q[i] = drawn
            p[i] = totals[i] - drawn
            left_rows -= totals[i]
            left_q -= drawn
        out[r] = _divergence(p, q, alpha, False)
    return out


@njit(cache=True)
def _multinomial_draw(n: int, shares: np.ndarray, out: np.ndarray) -> None:
    left = n
    rest = 1.0
    for i in range(shares.size):
        if i == shares.size - 1 or left == 0:
            out[i] = left
        else:
            prob = min(max(shares[i] / rest, 0.0), 1.0) if rest > 0 else 1.0
            out[i] = np.random.binomial(left, prob)
        left -= int(out[i])
        rest -= shares[i]


@njit(cache=True)
def _multinomial_kernel(
    p_shares: np.ndarray,
    q_shares: np.ndarray,
    p_counts: np.ndarray,
    n_p: int,
    n_q: int,
    alpha: float,
    fixed: bool,
    n_resamples: int,
    seed: int,
) -> np.ndarray:
    """J of tables drawn from multinomials; with ``fixed`` the P side stays ``p_counts``."""
    np.random.seed(seed)
    k = q_shares.size
    out = np.empty(n_resamples)
    p = p_counts.copy()
    q = np.empty(k)
    for r in range(n_resamples):
        if not fixed:
            _multinomial_draw(n_p, p_shares, p)
        _multinomial_draw(n_q, q_shares, q)
        out[r] = _divergence(p, q, alpha, fixed)
    return out


# numpy twins (tests compare the kernels against them) -------------------------------------------


def _divergence_numpy(p: np.ndarray, q: np.ndarray, alpha: float, fixed: bool) -> np.ndarray:
    """Row-wise twin of :func:`_divergence` for 2-D arrays of tables."""
    p = np.atleast_2d(np.asarray(p, dtype=np.float64))
    q = np.atleast_2d(np.asarray(q, dtype=np.float64))
    occupied = (p > 0) | (q > 0)
    k = occupied.sum(axis=1, keepdims=True)
    p_total = p.sum(axis=1, keepdims=True)
    q_total = q.sum(axis=1, keepdims=True)
    zero_cell = np.any(occupied & ((p == 0) | (q == 0)), axis=1, keepdims=True)
    a = np.where(zero_cell, DEFAULT_ALPHA, 0.0) if alpha < 0 else np.full_like(p_total, alpha)
    n_min = q_total if fixed else np.minimum(p_total, q_total)
    c = a / n_min
    ps = (p / p_total + c) / (1.0 + k * c)
    qs = (q / q_total + c) / (1.0 + k * c)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(occupied, (ps - qs) * np.log(ps / qs), 0.0)
    bad = np.any(occupied & ((ps == 0) | (qs == 0)), axis=1)
    return np.where(bad, np.inf, terms.sum(axis=1))


def _permutation_numpy(
    totals: np.ndarray, q_total: int, alpha: float, n_resamples: int, seed: int
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q = rng.multivariate_hypergeometric(np.asarray(totals, dtype=np.int64), q_total, size=n_resamples)
    return _divergence_numpy(totals - q, q, alpha, False)


def _multinomial_numpy(
    p_shares: np.ndarray, q_shares: np.ndarray, p_counts: np.ndarray, n_p: int, n_q: int,
    alpha: float, fixed: bool, n_resamples: int, seed: int,
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q = rng.multinomial(n_q, q_shares / q_shares.sum(), size=n_resamples)
    if fixed:
        p = np.broadcast_to(p_counts, q.shape)
    else:
        p = rng.multinomial(n_p, p_shares / p_shares.sum(), size=n_resamples)
    return _divergence_numpy(p, q, alpha, fixed)


# p-values -------------------------------------------------------------------------------------


def table_seed(p_counts: np.ndarray, q_counts: np.ndarray, salt: float = 0.0) -> int:
    """A seed derived from the table: the same table always gets the same p-value, yet different
    tables get independent simulations (one fixed seed for all would share one Monte Carlo error,
    biasing the size of every test by up to its SE)."""
    data = np.concatenate([np.asarray(p_counts, np.float64), np.asarray(q_counts, np.float64),
                           [float(salt)]])
    return (zlib.crc32(data.tobytes()) ^ SEED) & 0x7FFFFFFF


def _exceedance(simulated: np.ndarray, observed: float, upper: bool) -> float:
    """``(1 + #{J* >= J}) / (R + 1)`` (or ``<=`` when not ``upper``), ties counted in full."""
    tol = 1e-12 * max(1.0, abs(observed))
    hits = simulated >= observed - tol if upper else simulated <= observed + tol
    return float((1 + np.count_nonzero(hits)) / (simulated.size + 1))


def permutation_p_value(
    p_counts: np.ndarray, q_counts: np.ndarray, observed: float, alpha: float,
    n_resamples: int = N_RESAMPLES, seed: int | None = None,
) -> float:
    """P-value of "P = Q" conditional on the margins (integer counts, both sides samples)."""
    seed = table_seed(p_counts, q_counts) if seed is None else seed
    totals = np.rint(p_counts + q_counts).astype(np.int64)
    simulated = _permutation_kernel(totals, int(round(q_counts.sum())), alpha, n_resamples, seed)
    return _exceedance(simulated, observed, upper=True)


def fixed_reference_p_value(
    p_counts: np.ndarray, q_counts: np.ndarray, observed: float, alpha: float,
    n_resamples: int = N_RESAMPLES, seed: int | None = None,
) -> float:
    """P-value of "Q follows the fixed reference P": Q redrawn from P's shares, P kept."""
    seed = table_seed(p_counts, q_counts) if seed is None else seed
    shares = p_counts / p_counts.sum()
    simulated = _multinomial_kernel(shares, shares, p_counts, 0, int(round(q_counts.sum())),
                                    alpha, True, n_resamples, seed)
    return _exceedance(simulated, observed, upper=True)


def _path(p: np.ndarray, q: np.ndarray, t: float, fixed: bool,
          pooled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distributions ``pooled^(1-t) * x^t`` (renormalised): t = 0 gives P = Q, t = 1 the data."""
    def point(x: np.ndarray) -> np.ndarray:
        w = np.exp((1.0 - t) * np.log(pooled) + t * np.log(x))
        return w / w.sum()

    return (p if fixed else point(p)), point(q)


def _true_divergence(p: np.ndarray, q: np.ndarray) -> float:
    return float(np.sum((p - q) * np.log(p / q)))


def boundary_shares(
    p_shares: np.ndarray, q_shares: np.ndarray, n_p: float, n_q: float, target: float, fixed: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """The pair of distributions with divergence ``target`` on the path through the data.

    The path runs from the pooled shares (or the fixed reference) through the observed smoothed
    shares and beyond. None when the data carry no direction (P = Q) or the target is out of reach.
    """
    pooled = p_shares if fixed else (n_p * p_shares + n_q * q_shares) / (n_p + n_q)

    def excess(t: float) -> float:
        return _true_divergence(*_path(p_shares, q_shares, t, fixed, pooled)) - target

    hi = 1.0
    while excess(hi) < 0:
        hi *= 2.0
        if hi > 64.0:
            return None
    t = optimize.brentq(excess, 0.0, hi, xtol=1e-10, rtol=1e-12, maxiter=200)
    return _path(p_shares, q_shares, t, fixed, pooled)


def boundary_p_value(
    p_counts: np.ndarray, q_counts: np.ndarray, p_shares: np.ndarray, q_shares: np.ndarray,
    observed: float, target: float, alpha: float, fixed: bool, upper: bool,
    n_resamples: int = N_RESAMPLES, seed: int | None = None,
) -> tuple[float, np.ndarray] | None:
    """Bootstrap p-value at the null boundary ``J = target`` and the simulated J; None if no boundary.

    ``upper``: H0 is J <= target and large J is evidence against it (material difference);
    otherwise H0 is J >= target and small J is evidence against it (compliance).
    """
    seed = table_seed(p_counts, q_counts, target) if seed is None else seed
    n_p, n_q = float(p_counts.sum()), float(q_counts.sum())
    shares = boundary_shares(p_shares, q_shares, n_p, n_q, target, fixed)
    if shares is None:
        return None
    p_b, q_b = shares
    simulated = _multinomial_kernel(p_b, q_b, p_counts, int(round(n_p)), int(round(n_q)),
                                    alpha, fixed, n_resamples, seed)
    return _exceedance(simulated, observed, upper=upper), simulated
