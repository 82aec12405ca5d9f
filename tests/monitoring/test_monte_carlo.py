"""Monte Carlo checks of the statuses in frozen bins: a drift exactly at the watch threshold is
flagged at most about 5% of the time (the test's size), a clearly material drift nearly always.
Counts are drawn directly (multinomial), so the check is of the statistics, not of counting."""

from __future__ import annotations

import numpy as np
import pytest

from scorecard import stats
from scorecard.monitoring.counting import FrozenBins, SampleCounts
from scorecard.monitoring.report import report_from_counts

N_REPS = 250


def _shifted(p: np.ndarray, target_psi: float) -> np.ndarray:
    """q = p tilted towards the last bins, with PSI(p, q) = target_psi (bisection)."""
    tilt = np.linspace(-1.0, 1.0, p.size)
    low, high = 0.0, 5.0
    for _ in range(200):
        mid = (low + high) / 2
        q = p * np.exp(mid * tilt)
        q /= q.sum()
        if stats.jeffreys_divergence(p, q) < target_psi:
            low = mid
        else:
            high = mid
    return q


def _status_rate(spec, p, q, n, rng, reps: int = N_REPS) -> dict[str, float]:
    # The report of the characteristic under test alone (the score in one band): a row's status
    # depends on its own counts only, and every other row would add its own double bootstraps.
    ch = next(ch for ch in FrozenBins(spec).characteristics if ch.n_bins == p.size)
    frozen = FrozenBins({**spec, "characteristics": [
        next(x for x in spec["characteristics"] if x["name"] == ch.name)]})
    statuses = []
    for _ in range(reps):
        ref, cur = SampleCounts.empty(frozen), SampleCounts.empty(frozen)
        for side, probs in ((ref, p), (cur, q)):
            side.bins[0][:, 0] = rng.multinomial(n, probs)
            side.score_values = np.zeros(1, dtype=np.int64)  # one score band: nothing to test
            side.score_counts = np.array([[n, 0]], dtype=np.int64)
            side.n_rows = side.n_unknown = n
        report = report_from_counts(frozen, ref, cur)
        statuses.append(report.characteristic(ch.name)["status"])
    statuses = np.array(statuses)
    return {s: float(np.mean(statuses == s)) for s in ("stable", "watch", "material")}


@pytest.mark.slow
def test_status_size_at_the_watch_threshold_and_power(spec):
    rng = np.random.default_rng(20261129)
    n_bins = max(len(ch["bins"]) for ch in spec["characteristics"] if ch["dtype"] == "numeric")
    p = np.linspace(1.0, 2.0, n_bins)
    p /= p.sum()
    # True PSI exactly 0.10: "watch" (H0: PSI <= 0.10 rejected) is a false alarm here.
    at_watch = _status_rate(spec, p, _shifted(p, 0.10), 4000, rng)
    margin = 3 * np.sqrt(0.05 * 0.95 / N_REPS)
    assert at_watch["watch"] + at_watch["material"] <= 0.05 + margin, at_watch
    # True PSI 0.40: material nearly always with these sample sizes (power: 100 reports tell
    # 1.0 from below 0.9).
    far = _status_rate(spec, p, _shifted(p, 0.40), 4000, rng, reps=100)
    assert far["material"] >= 0.9, far
    # True PSI 0.05 with 20,000 rows a side: significant drift, but immaterial: stable.
    small = _status_rate(spec, p, _shifted(p, 0.05), 20_000, rng, reps=100)
    print(f"status rates: PSI 0.10 n=4000 {at_watch}; PSI 0.40 n=4000 {far}; "
          f"PSI 0.05 n=20000 {small}")
    assert small["stable"] >= 0.95, small
