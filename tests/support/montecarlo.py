"""Batch path of the Monte Carlo tests: the "no difference" decisions of many tables at once.

`jeffreys` (and `psi`) simulate a permutation p-value from 1,999 tables for every sparse table,
so a size check of 2,000 tables costs 4M simulated tables. A decision "p < a" needs fewer: once
a table has ``a * 2000`` simulated J at least its own, p >= a whatever the rest give. This kernel
draws exactly the product's stream (same seed per table, same hypergeometric draws, same J rule,
the kernels of `scorecard.stats.resampling`) and stops there, so every decision it returns is
the one `jeffreys(...).p_value < a` makes; under the null it draws about a fifth of the tables.
The tests check that equality on a subset through `jeffreys` itself.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit
from scipy import special

from scorecard.stats import inference
from scorecard.stats import resampling as rs


@njit(cache=True)
def _exceedances(totals: np.ndarray, q_totals: np.ndarray, k: np.ndarray, observed: np.ndarray,
                 seeds: np.ndarray, n_resamples: int, stop_at: int) -> np.ndarray:
    """#{J* >= J} per table over `rs._permutation_kernel`'s draws, stopped at ``stop_at``."""
    out = np.zeros(totals.shape[0], dtype=np.int64)
    for t in range(totals.shape[0]):
        np.random.seed(seeds[t])
        kt = k[t]
        p = np.empty(kt)
        q = np.empty(kt)
        n = 0
        for i in range(kt):
            n += totals[t, i]
        tol = 1e-12 * max(1.0, abs(observed[t]))
        hits = 0
        for _ in range(n_resamples):
            left_rows = n
            left_q = q_totals[t]
            for i in range(kt):
                if i == kt - 1:
                    drawn = left_q
                elif left_q == 0:
                    drawn = 0
                elif left_q == left_rows:
                    drawn = totals[t, i]
                else:
                    drawn = rs._hypergeometric(left_q, left_rows - left_q, totals[t, i])
                q[i] = drawn
                p[i] = totals[t, i] - drawn
                left_rows -= totals[t, i]
                left_q -= drawn
            if rs._divergence(p, q, rs.AUTO, False) >= observed[t] - tol:
                hits += 1
                if hits >= stop_at:
                    break
        out[t] = hits
    return out


class Decisions(NamedTuple):
    """Per table: the p-value of "no difference" (exact where ``exact``, else a lower bound at
    least ``max_level``), its method as `jeffreys` chooses it, and the chi-square p-value."""

    p_value: np.ndarray
    exact: np.ndarray
    p_method: np.ndarray
    p_value_chi2: np.ndarray
    max_level: float

    def reject(self, level: float) -> np.ndarray:
        """``p_value < level``: exact for any level up to the ``max_level`` it was built for."""
        if level > self.max_level:
            raise ValueError(f"decisions were settled up to level {self.max_level} only")
        return self.p_value < level


def no_difference(p_counts: np.ndarray, q_counts: np.ndarray, max_level: float = 0.05,
                  n_resamples: int = rs.N_RESAMPLES) -> Decisions:
    """Decisions of ``jeffreys(p_counts[i], q_counts[i]).p_value < a`` for every a <= max_level
    (rows are tables of whole counts, both sides samples, automatic smoothing)."""
    p_counts = np.asarray(p_counts, dtype=np.float64)
    q_counts = np.asarray(q_counts, dtype=np.float64)
    n_tables, width = p_counts.shape
    totals = np.zeros((n_tables, width), dtype=np.int64)
    q_totals = np.empty(n_tables, dtype=np.int64)
    k = np.empty(n_tables, dtype=np.int64)
    observed = np.empty(n_tables)
    seeds = np.empty(n_tables, dtype=np.int64)
    p_chi2 = np.empty(n_tables)
    sparse = np.empty(n_tables, dtype=bool)
    for t in range(n_tables):
        keep = (p_counts[t] + q_counts[t]) > 0  # jeffreys drops bins empty on both sides
        p, q = p_counts[t, keep], q_counts[t, keep]
        k[t] = keep.sum()
        totals[t, : k[t]] = np.rint(p + q)
        q_totals[t] = round(q.sum())
        observed[t] = rs._divergence(p, q, rs.AUTO, False)
        seeds[t] = rs.table_seed(p, q)
        n_p, n_q = p.sum(), q.sum()
        p_chi2[t] = special.chdtrc(k[t] - 1, n_p * n_q / (n_p + n_q) * observed[t])
        min_expected = ((p + q) / (n_p + n_q)).min() * min(n_p, n_q)
        sparse[t] = (min_expected < inference.MIN_EXPECTED
                     and p_chi2[t] >= inference.MIN_SIMULATED_P)
    stop_at = math.ceil(max_level * (n_resamples + 1)) - 1
    hits = _exceedances(totals, q_totals, k, observed, seeds, n_resamples, stop_at)
    p_perm = (1 + hits) / (n_resamples + 1)
    return Decisions(p_value=np.where(sparse, p_perm, p_chi2),
                     exact=~sparse | (hits < stop_at),
                     p_method=np.where(sparse, "permutation", "chi2"),
                     p_value_chi2=p_chi2, max_level=max_level)
