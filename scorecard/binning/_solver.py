"""Exact optimal merge of ordered pre-bins: the partition that maximises information value.

The pre-bins of one characteristic (numeric intervals in order, or categories sorted by event
rate) are merged into contiguous final bins so that the IV of the final bins is as large as
possible under monotonicity, size, count, bin-number and neighbour-significance constraints.

Every constraint is either a property of one final bin (its size and counts) or of two
consecutive final bins (their event-rate order and the test between them), so a dynamic
programme whose state is the last final bin (start, end), the number of bins so far and, for
peak/valley shapes, whether the turn has been taken, finds the global optimum exactly.
It costs O(n^3 * K) time for n pre-bins and at most K final bins.

Without constraints the optimum is never to merge: IV is a divergence and merging bins can only
lower it. Every merge the solver makes is one a constraint forced.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from scorecard.exceptions import InputError
from scorecard.options import TRENDS

_TREND_CODES = {None: 0, "ascending": 1, "descending": 2, "peak": 3, "valley": 4}
# Bin-size thresholds are relaxed by this relative amount so that a bin of exactly the
# requested share is not rejected by rounding in min_bin_size * total.
_SIZE_RTOL = 1e-12


@dataclass(frozen=True)
class MergeResult:
    """Optimal partition of pre-bins into final bins.

    splits: pre-bin indices where a new final bin starts (0 excluded), ascending.
    goods, bads: counts per final bin (int64 for integer input, float64 for weights).
    iv: information value of the final bins, against the totals given to the solver.
    trend: event-rate trend the solution obeys ("auto" resolved; None when unconstrained).
    status: "optimal", "trivial" (0 or 1 pre-bin) or "infeasible" (no partition meets the
    constraints; the result is then a single bin).
    """

    splits: np.ndarray
    goods: np.ndarray
    bads: np.ndarray
    iv: float
    trend: str | None
    status: str

    @property
    def n_bins(self) -> int:
        return int(self.goods.shape[0])


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


# ----------------------------------------------------------------------------------------------
# Kernels
# ----------------------------------------------------------------------------------------------


@njit(cache=True)
def _iv_term(g, b, total_goods, total_bads):
    """One bin's IV contribution; a zero cell adds the pseudo-count to both cells of the bin."""
    if g == 0.0 or b == 0.0:
        g += 0.5
        b += 0.5
    p = g / total_goods
    q = b / total_bads
    return (p - q) * np.log(p / q)


@njit(cache=True)
def _next_phase(trend_code, phase, up, down):
    """Phase after a step between consecutive bins, or -1 if the step breaks the trend.

    Phase 0 is before the turn of a peak/valley (or the only phase otherwise), phase 1 after.
    """
    if trend_code == 0:
        return 0
    if trend_code == 1:
        return 0 if up else -1
    if trend_code == 2:
        return 0 if down else -1
    if trend_code == 3:
        if up:
            return 0 if phase == 0 else -1
        return 1 if down else -1
    if down:
        return 0 if phase == 0 else -1
    return 1 if up else -1


@njit(cache=True)
def _neighbours_differ(g1, b1, g2, b2, chi2_critical):
    """Two-proportion chi-square (1 df, no continuity correction) of two bins at the level."""
    n1 = g1 + b1
    n2 = g2 + b2
    denominator = n1 * n2 * (g1 + g2) * (b1 + b2)
    if denominator <= 0.0:
        return chi2_critical <= 0.0
    d = g1 * b2 - b1 * g2
    return (n1 + n2) * d * d / denominator >= chi2_critical


@njit(cache=True, nogil=True)
def _extend_simple(i, n, lefts, n_lefts, group_goods, group_bads, feasible, term, best, parent,
                   trend_code, left_goods, left_bads, left_best, left_h):
    """`_optimal_merge_dp`'s step for bins (i, j) with one phase, no bin count and no neighbour
    test: the same candidates in the same order (ascending h, the first of equal ones wins)."""
    m = 0
    for position in range(n_lefts):
        h = lefts[position]
        if best[i, h, 0, 0] != -np.inf:
            left_goods[m] = group_goods[i, h]
            left_bads[m] = group_bads[i, h]
            left_best[m] = best[i, h, 0, 0]
            left_h[m] = h
            m += 1
    for j in range(i + 1, n + 1):
        if not feasible[j, i]:
            continue
        value = term[j, i]
        right_goods = group_goods[j, i]
        right_bads = group_bads[j, i]
        top = best[j, i, 0, 0]
        top_h = -1
        for q in range(m):
            cross_left = left_bads[q] * right_goods
            cross_right = right_bads * left_goods[q]
            if trend_code == 1:
                allowed = cross_left < cross_right
            elif trend_code == 2:
                allowed = cross_left > cross_right
            else:
                allowed = True
            candidate = left_best[q] + value
            if allowed and candidate > top:
                top = candidate
                top_h = left_h[q]
        if top_h >= 0:
            best[j, i, 0, 0] = top
            parent[j, i, 0, 0] = top_h * 2


@njit(cache=True, nogil=True)
def _optimal_merge_dp(
    goods,
    bads,
    total_goods,
    total_bads,
    trend_code,
    min_rows,
    min_goods,
    min_bads,
    max_bins,
    chi2_critical,
):
    """Return (bin start indices, best IV); empty starts when no partition is feasible.

    max_bins <= 0 means unlimited (the bin count is then not part of the state);
    chi2_critical < 0 means no neighbour test.
    """
    n = goods.shape[0]
    # Every table is indexed [end, start] of a candidate bin [start, end), so the inner loop
    # over the left neighbours (h, i) of a bin (i, j) reads contiguous memory.
    group_goods = np.zeros((n + 1, n + 1), dtype=np.float64)
    group_bads = np.zeros((n + 1, n + 1), dtype=np.float64)
    feasible = np.zeros((n + 1, n + 1), dtype=np.bool_)
    term = np.zeros((n + 1, n + 1), dtype=np.float64)
    for i in range(n):
        g = 0.0
        b = 0.0
        for j in range(i + 1, n + 1):
            g += goods[j - 1]
            b += bads[j - 1]
            group_goods[j, i] = g
            group_bads[j, i] = b
            if g + b > 0.0 and g >= min_goods and b >= min_bads and g + b >= min_rows:
                feasible[j, i] = True
                term[j, i] = _iv_term(g, b, total_goods, total_bads)

    track_count = 0 < max_bins < n
    n_counts = max_bins if track_count else 1
    best = np.full((n + 1, n + 1, n_counts, 2), -np.inf)
    parent = np.full((n + 1, n + 1, n_counts, 2), -1, dtype=np.int64)
    test_neighbours = chi2_critical >= 0.0
    # Only peak and valley ever reach phase 1; the other trends stay in phase 0.
    n_phases = 2 if trend_code >= 3 else 1
    lefts = np.empty(n + 1, dtype=np.int64)
    # The usual case (one phase, no bin count, no neighbour test) has a tighter loop.
    simple = n_phases == 1 and not track_count and not test_neighbours
    buffer_goods = np.empty(n + 1, dtype=np.float64)
    buffer_bads = np.empty(n + 1, dtype=np.float64)
    buffer_best = np.empty(n + 1, dtype=np.float64)
    buffer_h = np.empty(n + 1, dtype=np.int64)

    for j in range(1, n + 1):
        if feasible[j, 0]:
            best[j, 0, 0, 0] = term[j, 0]
    # Bins (h, i) are final before any bin (i, j) reads them: h < i, and bins are filled in
    # order of their start. For each (i, j) the left neighbours are tried in ascending h.
    for i in range(1, n):
        n_lefts = 0
        for h in range(i):
            if feasible[i, h]:
                lefts[n_lefts] = h
                n_lefts += 1
        if n_lefts == 0:
            continue
        if simple:
            _extend_simple(i, n, lefts, n_lefts, group_goods, group_bads, feasible, term, best,
                           parent, trend_code, buffer_goods, buffer_bads, buffer_best, buffer_h)
            continue
        for j in range(i + 1, n + 1):
            if not feasible[j, i]:
                continue
            value = term[j, i]
            right_goods = group_goods[j, i]
            right_bads = group_bads[j, i]
            for position in range(n_lefts):
                h = lefts[position]
                left_goods = group_goods[i, h]
                left_bads = group_bads[i, h]
                # rate_left < rate_right  <=>  b_l * g_r < b_r * g_l (both bins non-empty)
                cross_left = left_bads * right_goods
                cross_right = right_bads * left_goods
                up = cross_left < cross_right
                down = cross_left > cross_right
                if test_neighbours and not _neighbours_differ(
                    left_goods, left_bads, right_goods, right_bads, chi2_critical
                ):
                    continue
                for k in range(n_counts):
                    new_k = k + 1 if track_count else 0
                    if new_k >= n_counts:
                        break
                    for phase in range(n_phases):
                        previous = best[i, h, k, phase]
                        if previous == -np.inf:
                            continue
                        new_phase = _next_phase(trend_code, phase, up, down)
                        if new_phase < 0:
                            continue
                        candidate = previous + value
                        if candidate > best[j, i, new_k, new_phase]:
                            best[j, i, new_k, new_phase] = candidate
                            parent[j, i, new_k, new_phase] = h * 2 + phase

    best_value = -np.inf
    best_i = -1
    best_k = 0
    best_phase = 0
    for i in range(n):
        for k in range(n_counts):
            for phase in range(2):
                if best[n, i, k, phase] > best_value:
                    best_value = best[n, i, k, phase]
                    best_i = i
                    best_k = k
                    best_phase = phase
    if best_i < 0:
        return np.empty(0, dtype=np.int64), best_value

    starts = []
    i, j, k, phase = best_i, n, best_k, best_phase
    while True:
        starts.append(i)
        if i == 0:
            break
        code = parent[j, i, k, phase]
        j = i
        i = code // 2
        phase = code % 2
        k = k - 1 if track_count else 0
    result = np.empty(len(starts), dtype=np.int64)
    for position in range(len(starts)):
        result[position] = starts[len(starts) - 1 - position]
    return result, best_value


# ----------------------------------------------------------------------------------------------
# Public entry point
# ----------------------------------------------------------------------------------------------


def _counts(values: object, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise InputError(f"{name} must be a 1-D array of counts per pre-bin; got {array.shape}.")
    if array.size == 0:
        return array
    numeric = np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
    if array.dtype == bool or not numeric:
        raise InputError(f"{name} must hold counts or summed weights; got dtype {array.dtype}.")
    if not np.all(np.isfinite(array)):
        raise InputError(f"{name} contains NaN or infinite values; counts must be finite.")
    if np.any(array < 0):
        raise InputError(f"{name} contains negative values; counts must be >= 0.")
    return array


def _total(total: float | None, counts: np.ndarray, name: str) -> float:
    observed = float(counts.astype(np.float64).sum())
    if total is None:
        value = observed
    else:
        value = float(total)
        if not math.isfinite(value) or value < observed * (1.0 - 1e-9):
            raise InputError(
                f"{name}={total!r} is smaller than the sum of the counts ({observed:g}); pass the "
                "characteristic's total including missing and special bins, or leave it as None."
            )
    if not value > 0.0:
        raise InputError(
            f"{name} is 0: information value needs both goods and bads in the characteristic."
        )
    return value


def _number(value: object, name: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{name}={value!r} must be a number.") from None
    if math.isnan(number):
        raise InputError(f"{name} is NaN; pass a number.")
    return number


def check_merge_options(
    monotonic_trend: object,
    min_bin_size: object,
    min_goods: object,
    min_bads: object,
    max_n_bins: object,
    max_pvalue: object,
) -> None:
    if monotonic_trend not in TRENDS:
        raise InputError(
            f"monotonic_trend={monotonic_trend!r} is not one of "
            f"{', '.join(map(repr, TRENDS))}."
        )
    if not 0.0 <= _number(min_bin_size, "min_bin_size") <= 1.0:
        raise InputError(f"min_bin_size={min_bin_size!r} must be a share of rows in [0, 1].")
    for name, value in (("min_goods", min_goods), ("min_bads", min_bads)):
        if not 0.0 <= _number(value, name) < math.inf:
            raise InputError(f"{name}={value!r} must be a finite count >= 0.")
    if max_n_bins is not None:
        count = _number(max_n_bins, "max_n_bins")
        if isinstance(max_n_bins, bool) or not 1 <= count < math.inf or count != int(count):
            raise InputError(f"max_n_bins={max_n_bins!r} must be an integer >= 1 or None.")
    if max_pvalue is not None and not 0.0 < _number(max_pvalue, "max_pvalue") <= 1.0:
        raise InputError(f"max_pvalue={max_pvalue!r} must be in (0, 1] or None.")


def _chi2_critical(pvalue: float) -> float:
    """Chi-square (1 df) statistic whose upper tail is `pvalue`: p <= pvalue iff stat >= it."""
    from scipy.stats import chi2  # scipy.stats is slow to import; only this option needs it

    return float(chi2.isf(pvalue, 1))


def _min_rows(min_bin_size: float, total_goods: float, total_bads: float) -> float:
    return float(min_bin_size) * (total_goods + total_bads) * (1.0 - _SIZE_RTOL)


def _result(
    goods: np.ndarray,
    bads: np.ndarray,
    starts: np.ndarray,
    total_goods: float,
    total_bads: float,
    trend: str | None,
    status: str,
) -> MergeResult:
    integral = np.issubdtype(goods.dtype, np.integer) and np.issubdtype(bads.dtype, np.integer)
    dtype = np.int64 if integral else np.float64
    starts = np.asarray(starts, dtype=np.int64)
    if goods.shape[0]:
        bin_goods = np.add.reduceat(goods.astype(dtype), starts)
        bin_bads = np.add.reduceat(bads.astype(dtype), starts)
    else:
        bin_goods = np.zeros(0, dtype=dtype)
        bin_bads = np.zeros(0, dtype=dtype)
    iv = float(
        sum(
            _iv_term(float(g), float(b), total_goods, total_bads)
            for g, b in zip(bin_goods, bin_bads)
            if g + b > 0
        )
    )
    return MergeResult(
        splits=_frozen(starts[1:].copy()),
        goods=_frozen(bin_goods),
        bads=_frozen(bin_bads),
        iv=iv,
        trend=trend,
        status=status,
    )


def optimal_merge(
    goods: object,
    bads: object,
    *,
    total_goods: float | None = None,
    total_bads: float | None = None,
    monotonic_trend: str | None = "auto",
    min_bin_size: float = 0.0,
    min_goods: float = 1,
    min_bads: float = 1,
    max_n_bins: int | None = None,
    max_pvalue: float | None = None,
) -> MergeResult:
    """Merge ordered pre-bins into contiguous final bins of maximal information value (exact).

    Parameters
    ----------
    goods, bads : counts (or summed weights) per pre-bin, in the pre-bins' order.
    total_goods, total_bads : totals of the whole characteristic, including missing and special
        bins that are not merged here, so that shares and IV are comparable; default the sums.
    monotonic_trend : constraint on the event rate bads / (goods + bads) across final bins.
        "ascending" / "descending": strictly increasing / decreasing. "auto": the better (by IV)
        of the two, ties to "ascending". "peak": strictly rises then strictly falls; "valley":
        falls then rises (either side may be empty, so monotone shapes qualify). None: no
        constraint. Strictness costs no IV: two neighbours of equal rate merge without loss.
    min_bin_size : minimum share of the characteristic's rows, (goods + bads) / (total_goods +
        total_bads), in every final bin.
    min_goods, min_bads : minimum goods and bads in every final bin. The default 1 keeps every
        WoE finite. With 0, a bin with a zero cell counts towards IV with the pseudo-count 0.5
        added to both its cells (totals unchanged), which keeps the objective a sum over bins.
        A final bin with no rows is never allowed (its event rate is undefined).
    max_n_bins : maximum number of final bins (None: no limit).
    max_pvalue : maximum p-value allowed between neighbouring final bins in the two-proportion
        chi-square test (1 df, no continuity correction; equal to the pooled z test) of equal
        event rates; None: no test. Weighted counts enter the test as if they were counts.

    Returns
    -------
    MergeResult. When no partition meets the constraints (for example min_bin_size larger than
    the pre-bins' share of the characteristic) the result is one bin with status "infeasible".
    """
    goods_array = _counts(goods, "goods")
    bads_array = _counts(bads, "bads")
    if goods_array.shape != bads_array.shape:
        raise InputError(
            f"goods and bads must have one count per pre-bin each; got {goods_array.shape[0]} "
            f"and {bads_array.shape[0]}."
        )
    check_merge_options(monotonic_trend, min_bin_size, min_goods, min_bads, max_n_bins, max_pvalue)
    n = goods_array.shape[0]
    if n == 0:
        return MergeResult(
            splits=_frozen(np.zeros(0, dtype=np.int64)),
            goods=_frozen(np.zeros(0, dtype=np.int64)),
            bads=_frozen(np.zeros(0, dtype=np.int64)),
            iv=0.0,
            trend="ascending" if monotonic_trend == "auto" else monotonic_trend,
            status="trivial",
        )
    total_g = _total(total_goods, goods_array, "total_goods")
    total_b = _total(total_bads, bads_array, "total_bads")
    goods64 = np.ascontiguousarray(goods_array, dtype=np.float64)
    bads64 = np.ascontiguousarray(bads_array, dtype=np.float64)
    min_rows = _min_rows(min_bin_size, total_g, total_b)
    critical = -1.0 if max_pvalue is None else _chi2_critical(float(max_pvalue))
    limit = 0 if max_n_bins is None else int(max_n_bins)

    trends = ("ascending", "descending") if monotonic_trend == "auto" else (monotonic_trend,)
    best: tuple[float, np.ndarray, str | None] | None = None
    for trend in trends:
        starts, value = _optimal_merge_dp(
            goods64,
            bads64,
            total_g,
            total_b,
            _TREND_CODES[trend],
            min_rows,
            float(min_goods),
            float(min_bads),
            limit,
            critical,
        )
        if starts.shape[0] and (best is None or value > best[0]):
            best = (value, starts, trend)

    single = np.zeros(1, dtype=np.int64)
    if best is None:
        trend = trends[0]
        return _result(goods_array, bads_array, single, total_g, total_b, trend, "infeasible")
    _, starts, trend = best
    status = "trivial" if n == 1 else "optimal"
    return _result(goods_array, bads_array, starts, total_g, total_b, trend, status)
