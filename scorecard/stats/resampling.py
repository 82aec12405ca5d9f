"""Monte Carlo reference distributions of a count table's divergence (STATISTICS.md section 4).

Where expected counts are small the chi-square forms of section 4 are not trustworthy, so the
p-values come from simulated tables instead:

- no difference, two samples: the conditional (permutation) test. Given the bin totals and the
  side totals, the Q side of the table is multivariate hypergeometric under P = Q; exact for any
  n up to Monte Carlo error.
- no difference, fixed reference: the Q side is multinomial with the reference's shares.
- material (J <= tau) and compliance (J >= eps): a fast double bootstrap at the boundary of the
  null, the distributions on the geometric path through the pooled and the observed shares whose
  divergence is exactly tau (eps); each first-level table's own boundary pair gives one
  second-level table, which calibrates the first level's p-value.

Every simulated table's divergence is computed by the same rule as the observed one (empty bins
dropped, the same automatic or explicit smoothing), so the statistic is one fixed function of the
table. Kernels are numba (seeded, so results are reproducible) with numpy twins for the tests.

Long module: each numba kernel sits beside the numpy twin it is tested against, and the double
bootstrap reuses the divergence, smoothing and draw kernels of the other tests (a split would
have to share those private kernels across modules).
"""

from __future__ import annotations

import math
import zlib
from typing import Final, NamedTuple

import numpy as np
from numba import njit

from scorecard.stats.conventions import DEFAULT_ALPHA

N_RESAMPLES: Final = 1999
"""Simulated tables per p-value: Monte Carlo SE of a p-value near 0.05 is about 0.005."""

SEED: Final = 20240607
"""Base seed; each table's own seed mixes in its counts (see :func:`table_seed`)."""

AUTO: Final = -1.0
"""Passed as alpha to the kernels: choose the smoothing per table (DEFAULT_ALPHA if a zero cell)."""


@njit(cache=True)
def _smoothed_shares(p: np.ndarray, q: np.ndarray, alpha: float, fixed: bool,
                     ps: np.ndarray, qs: np.ndarray) -> int:
    """Shares of one table smoothed by the rules of :func:`scorecard.stats.jeffreys` into
    ``ps``, ``qs`` (0 where a bin is empty on both sides); returns the number of occupied bins,
    0 when a side is empty."""
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
    if p_total == 0 or q_total == 0:
        return 0
    a = alpha
    if a < 0:
        a = DEFAULT_ALPHA if zero_cell else 0.0
    n_min = q_total if fixed else min(p_total, q_total)
    c = a / n_min
    scale = 1.0 + k * c
    for i in range(p.size):
        occupied = p[i] > 0 or q[i] > 0
        ps[i] = (p[i] / p_total + c) / scale if occupied else 0.0
        qs[i] = (q[i] / q_total + c) / scale if occupied else 0.0
    return k


@njit(cache=True)
def _divergence(p: np.ndarray, q: np.ndarray, alpha: float, fixed: bool) -> float:
    """J of one count table by the rules of :func:`scorecard.stats.jeffreys`; inf if a share is 0."""
    ps = np.empty(p.size)
    qs = np.empty(p.size)
    if _smoothed_shares(p, q, alpha, fixed, ps, qs) < 2:
        return 0.0
    total = 0.0
    for i in range(p.size):
        if p[i] > 0 or q[i] > 0:
            if ps[i] == 0 or qs[i] == 0:
                return math.inf
            total += (ps[i] - qs[i]) * math.log(ps[i] / qs[i])
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


@njit(cache=True)
def _path_point(log_m: np.ndarray, d_p: np.ndarray, d_q: np.ndarray, t: float, fixed: bool,
                ps: np.ndarray, out_p: np.ndarray, out_q: np.ndarray) -> tuple[float, float]:
    """The path point ``m^(1-t) x^t`` (renormalised; P kept when ``fixed``) into ``out_p``,
    ``out_q``; returns its J and dJ/dt. Bins with NaN ``d_p`` are empty and stay 0."""
    z_p = 0.0
    z_q = 0.0
    for i in range(log_m.size):
        if d_p[i] == d_p[i]:
            out_p[i] = ps[i] if fixed else math.exp(log_m[i] + t * d_p[i])
            out_q[i] = math.exp(log_m[i] + t * d_q[i])
            z_p += out_p[i]
            z_q += out_q[i]
        else:
            out_p[i] = 0.0
            out_q[i] = 0.0
    mean_p = 0.0
    mean_q = 0.0
    for i in range(log_m.size):
        out_p[i] /= z_p
        out_q[i] /= z_q
        if d_p[i] == d_p[i]:
            mean_p += out_p[i] * d_p[i]
            mean_q += out_q[i] * d_q[i]
    log_z = math.log(z_q) - math.log(z_p)
    value = 0.0
    slope = 0.0
    for i in range(log_m.size):
        if d_p[i] == d_p[i]:
            # ln(p_t / q_t) = ln(ps / m) when fixed, else t (d_p - d_q); plus ln(z_q / z_p).
            log_ratio = (math.log(ps[i]) - log_m[i] - t * d_q[i] if fixed
                         else t * (d_p[i] - d_q[i])) + log_z
            dp = 0.0 if fixed else out_p[i] * (d_p[i] - mean_p)
            dq = out_q[i] * (d_q[i] - mean_q)
            value += (out_p[i] - out_q[i]) * log_ratio
            slope += (dp - dq) * log_ratio + (out_p[i] - out_q[i]) * (
                (0.0 if fixed else d_p[i]) - d_q[i])
    return value, slope


@njit(cache=True)
def _boundary_point(ps: np.ndarray, qs: np.ndarray, n_p: float, n_q: float, target: float,
                    fixed: bool, out_p: np.ndarray, out_q: np.ndarray) -> bool:
    """Numba twin of :func:`boundary_shares` (safeguarded Newton on the path parameter t).

    Writes the pair with divergence ``target`` into ``out_p``, ``out_q``; False when the shares
    carry no direction or the target is out of reach (t > 64). Empty bins (both shares 0) stay 0.
    """
    k = ps.size
    log_m = np.empty(k)
    d_p = np.empty(k)
    d_q = np.empty(k)
    for i in range(k):
        if ps[i] > 0 and qs[i] > 0:
            m = ps[i] if fixed else (n_p * ps[i] + n_q * qs[i]) / (n_p + n_q)
            log_m[i] = math.log(m)
            d_p[i] = math.log(ps[i]) - log_m[i]
            d_q[i] = math.log(qs[i]) - log_m[i]
        elif ps[i] > 0 or qs[i] > 0:
            return False  # a zero share has no logarithm: no path
        else:
            log_m[i] = 0.0
            d_p[i] = math.nan
            d_q[i] = 0.0
    value, slope = _path_point(log_m, d_p, d_q, 1.0, fixed, ps, out_p, out_q)
    if not value > 0:
        return False
    lo, hi = 0.0, 1.0
    while value < target:
        lo = hi
        hi *= 2.0
        if hi > 64.0:
            return False
        value, slope = _path_point(log_m, d_p, d_q, hi, fixed, ps, out_p, out_q)
    # J is about J(1) t^2 near the pooled point: start there, then Newton inside [lo, hi].
    t = min(max(math.sqrt(target / value) * hi, lo), hi)
    tol = 1e-12 * max(1.0, target)
    for _ in range(100):
        value, slope = _path_point(log_m, d_p, d_q, t, fixed, ps, out_p, out_q)
        excess = value - target
        if abs(excess) <= tol or hi - lo <= 1e-14 * hi:
            return True
        if excess > 0:
            hi = t
        else:
            lo = t
        step = t - excess / slope if slope > 0 else -1.0
        t = step if lo < step < hi else 0.5 * (lo + hi)
    return True


@njit(cache=True)
def _double_bootstrap_kernel(
    p_shares: np.ndarray,
    q_shares: np.ndarray,
    p_counts: np.ndarray,
    n_p: int,
    n_q: int,
    alpha: float,
    fixed: bool,
    target: float,
    n_resamples: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """First- and second-level J of the fast double bootstrap at the null boundary J = target.

    Table r is drawn from the boundary pair (``p_shares``, ``q_shares``); its own boundary pair
    (same path rule, same smoothing) gives one second-level table. With ``fixed`` the P side
    stays ``p_counts`` at both levels.
    """
    np.random.seed(seed)
    k = q_shares.size
    first = np.empty(n_resamples)
    second = np.empty(n_resamples)
    p = p_counts.copy()
    q = np.empty(k)
    ps = np.empty(k)
    qs = np.empty(k)
    p_b = np.empty(k)
    q_b = np.empty(k)
    for r in range(n_resamples):
        if not fixed:
            _multinomial_draw(n_p, p_shares, p)
        _multinomial_draw(n_q, q_shares, q)
        first[r] = _divergence(p, q, alpha, fixed)
        _smoothed_shares(p, q, alpha, fixed, ps, qs)
        if not _boundary_point(ps, qs, float(n_p), float(n_q), target, fixed, p_b, q_b):
            p_b[:] = p_shares
            q_b[:] = q_shares
        if not fixed:
            _multinomial_draw(n_p, p_b, p)
        _multinomial_draw(n_q, q_b, q)
        second[r] = _divergence(p, q, alpha, fixed)
    return first, second


# numpy twins (tests compare the kernels against them) -------------------------------------------


def _smoothed_numpy(p: np.ndarray, q: np.ndarray, alpha: float,
                    fixed: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Row-wise twin of :func:`_smoothed_shares`: smoothed shares and the occupied mask."""
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
    ps = np.where(occupied, (p / p_total + c) / (1.0 + k * c), 0.0)
    qs = np.where(occupied, (q / q_total + c) / (1.0 + k * c), 0.0)
    return ps, qs, occupied


def _divergence_numpy(p: np.ndarray, q: np.ndarray, alpha: float, fixed: bool) -> np.ndarray:
    """Row-wise twin of :func:`_divergence` for 2-D arrays of tables."""
    ps, qs, occupied = _smoothed_numpy(p, q, alpha, fixed)
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


def _double_bootstrap_numpy(
    p_shares: np.ndarray, q_shares: np.ndarray, p_counts: np.ndarray, n_p: int, n_q: int,
    alpha: float, fixed: bool, target: float, n_resamples: int, seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Twin of :func:`_double_bootstrap_kernel` (boundary pairs by :func:`boundary_shares`)."""
    rng = np.random.default_rng(seed)
    q = rng.multinomial(n_q, q_shares / q_shares.sum(), size=n_resamples)
    p = (np.broadcast_to(p_counts, q.shape) if fixed
         else rng.multinomial(n_p, p_shares / p_shares.sum(), size=n_resamples))
    first = _divergence_numpy(p, q, alpha, fixed)
    ps, qs, occupied = _smoothed_numpy(p, q, alpha, fixed)
    second = np.empty(n_resamples)
    for r in range(n_resamples):
        keep = occupied[r]
        found = boundary_shares(ps[r, keep], qs[r, keep], n_p, n_q, target, fixed)
        p_b, q_b = (p_shares, q_shares) if found is None else (
            np.zeros(keep.size), np.zeros(keep.size))
        if found is not None:
            p_b[keep], q_b[keep] = found
        p2 = p_counts if fixed else rng.multinomial(n_p, p_b / p_b.sum())
        second[r] = _divergence_numpy(p2, rng.multinomial(n_q, q_b / q_b.sum()), alpha, fixed)[0]
    return first, second


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
    from scipy import optimize  # only the boundary tests need it; keeps `scorecard iv` light

    t = optimize.brentq(excess, 0.0, hi, xtol=1e-10, rtol=1e-12, maxiter=200)
    return _path(p_shares, q_shares, t, fixed, pooled)


def double_bootstrap_p_value(first: np.ndarray, second: np.ndarray, observed: float,
                             upper: bool) -> float:
    """Fast double bootstrap p-value (Davidson and MacKinnon 2007; STATISTICS.md section 4).

    ``p1`` is the plain bootstrap p-value of ``observed`` among the first-level J. The
    second-level J show where a first-level table's own bootstrap would put its
    ``1 - p1`` quantile (``p1`` for a lower-tail test); the corrected p-value is the share of
    first-level J beyond that point. It undoes the bias of the plain bootstrap, whose boundary
    pair is estimated (and so systematically differs from the true one).
    """
    p1 = _exceedance(first, observed, upper=upper)
    point = float(np.quantile(second, 1.0 - p1 if upper else p1))
    return _exceedance(first, point, upper=upper)


def double_bootstrap_critical(first: np.ndarray, second: np.ndarray, level_alpha: float,
                              upper: bool) -> float:
    """The J beyond which :func:`double_bootstrap_p_value` falls below ``level_alpha``."""
    point = float(np.quantile(first, 1.0 - level_alpha if upper else level_alpha))
    share = float(np.mean(second >= point) if upper else np.mean(second <= point))
    return float(np.quantile(first, 1.0 - share if upper else share))


class BoundaryBootstrap(NamedTuple):
    """A double bootstrap at the null boundary: p-value, first- and second-level J, and the
    smallest expected cell count of the boundary pair the tables were drawn from."""

    p_value: float
    first: np.ndarray
    second: np.ndarray
    min_expected: float


def boundary_p_value(
    p_counts: np.ndarray, q_counts: np.ndarray, p_shares: np.ndarray, q_shares: np.ndarray,
    observed: float, target: float, alpha: float, fixed: bool, upper: bool,
    n_resamples: int = N_RESAMPLES, seed: int | None = None,
) -> BoundaryBootstrap | None:
    """Double-bootstrap p-value at the null boundary ``J = target`` with the first- and
    second-level J; None when the data give no boundary pair.

    ``upper``: H0 is J <= target and large J is evidence against it (material difference);
    otherwise H0 is J >= target and small J is evidence against it (compliance).
    """
    seed = table_seed(p_counts, q_counts, target) if seed is None else seed
    n_p, n_q = float(p_counts.sum()), float(q_counts.sum())
    shares = boundary_shares(p_shares, q_shares, n_p, n_q, target, fixed)
    if shares is None:
        return None
    p_b, q_b = shares
    first, second = _double_bootstrap_kernel(
        p_b, q_b, np.asarray(p_counts, dtype=np.float64), int(round(n_p)), int(round(n_q)),
        alpha, fixed, target, n_resamples, seed)
    cells = q_b * n_q if fixed else np.concatenate([p_b * n_p, q_b * n_q])
    return BoundaryBootstrap(double_bootstrap_p_value(first, second, observed, upper), first,
                             second, float(cells[cells > 0].min()))
