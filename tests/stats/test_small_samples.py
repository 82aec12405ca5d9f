"""Issue 7: one interval rule across k and n, estimates inside their intervals, simulated p-values
for sparse tables (kernels against numpy twins and exact enumeration), smoothing that never
flips a WoE's sign, and a fixed reference given as proportions."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from numba import njit
from scipy import stats as sps

from scorecard.exceptions import InputError
from scorecard.stats import information_value, jeffreys, psi, woe_table
from scorecard.stats import resampling as rs


def test_issue_k200_interval_agrees_with_its_p_value() -> None:
    # Issue 7 item 1: 200 bins, no signal. The plug-in IV is ~0.1 (bias (k-1)/n_eff = 0.095);
    # the old Wald interval [0.073, 0.128] excluded the truth (0) despite p = 0.26.
    rng = np.random.default_rng(0)
    g = rng.multinomial(7000, np.full(200, 1 / 200))
    b = rng.multinomial(3000, np.full(200, 1 / 200))
    r = jeffreys(g, b)
    assert r.value == pytest.approx(0.10, abs=0.01)
    assert r.p_value > 0.05 and r.ci[0] == 0.0
    assert r.ci_method == "ncx2"
    assert r.estimate < 0.02 and r.ci[0] <= r.estimate <= r.ci[1]


def _random_tables(seed: int, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    tables = []
    for _ in range(count):
        k = int(rng.choice([2, 3, 5, 10, 20, 60]))
        n = int(rng.choice([60, 200, 1000, 5000]))
        rate = float(rng.choice([0.03, 0.1, 0.3, 0.5]))
        p = rng.dirichlet(np.full(k, 3.0))
        q = p * np.exp(rng.normal(0, float(rng.choice([0.0, 0.1, 0.5])), k))
        bads = max(1, int(n * rate))
        tables.append((rng.multinomial(n - bads, p), rng.multinomial(bads, q / q.sum())))
    return tables


@pytest.mark.parametrize("level", [0.95, 0.90])
def test_interval_p_value_and_estimate_agree(level: float) -> None:
    methods = set()
    for g, b in _random_tables(5, 60):
        if ((g + b) > 0).sum() < 2:
            continue
        r = jeffreys(g, b, level=level)
        methods.add(r.p_method)
        # The equal-tailed interval excludes 0 exactly when the test rejects at (1 - level) / 2.
        assert (r.ci[0] > 0) == (r.p_value < (1 - level) / 2), r
        assert r.ci[0] <= r.estimate <= r.ci[1]
    assert methods == {"chi2", "permutation"}


def test_estimate_is_reported_beside_the_plug_in_value() -> None:
    # Issue 7 item 2: sparse table with a large plug-in IV and an interval far below it.
    rng = np.random.default_rng(2)
    g, b = rng.multinomial(300, np.full(40, 1 / 40)), rng.multinomial(60, np.full(40, 1 / 40))
    r = information_value(g, b)
    assert r.value > r.ci[1]  # the plug-in value overstates: it is not what the interval targets
    assert r.ci[0] <= r.estimate <= r.ci[1]
    d = r.to_dict()
    assert {"estimate", "p_method", "p_value_chi2", "reliable", "reliability_note"} <= set(d)


# Which method produced the p-value, and the reliability flag -------------------------------------


def test_p_method_follows_the_expected_counts() -> None:
    large = jeffreys([3000, 4000, 5000], [800, 600, 400])
    assert large.p_method == "chi2" and large.reliable and large.p_value == large.p_value_chi2
    sparse = jeffreys([50, 60, 70, 40], [3, 6, 2, 5])
    assert sparse.min_expected < 50 and sparse.p_method == "permutation"
    assert 0 < sparse.p_value <= 1 and sparse.p_value != sparse.p_value_chi2
    fixed = psi([0.25, 0.25, 0.25, 0.25], [30, 20, 25, 25], reference="fixed")
    assert fixed.p_method == "multinomial"


def test_too_few_counts_are_flagged() -> None:
    small = jeffreys([20, 15, 10], [5, 3, 2])  # n_eff = 8.2
    assert not small.reliable and small.reliability_note.startswith("unreliable: too few counts")
    weighted = jeffreys([50.5, 60, 70, 40], [3, 6.5, 2, 5])  # weights: no exact test
    assert weighted.p_method == "chi2" and not weighted.reliable


def test_interval_note_follows_rows_per_bin_of_the_smaller_side() -> None:
    sparse = jeffreys(np.full(20, 95), np.full(20, 5))  # 5 bads a bin
    assert sparse.ci_note.startswith("interval indicative: the smaller side has 5 < 10 rows")
    assert sparse.reliable  # n_eff 95: the tests hold their size, only the interval is noted
    assert jeffreys(np.full(10, 190), np.full(10, 10)).ci_note == ""
    # Against a fixed reference only the current window's rows count.
    assert psi(np.full(10, 0.1), np.full(10, 5), reference="fixed").ci_note != ""
    assert psi(np.full(10, 0.1), np.full(10, 20), reference="fixed").ci_note == ""
    assert "ci_note" in jeffreys(np.full(20, 95), np.full(20, 5)).to_dict()


def test_simulated_p_values_are_reproducible() -> None:
    table = ([50, 60, 70, 40], [3, 6, 2, 5])
    assert jeffreys(*table).p_value == jeffreys(*table).p_value


# Kernels against their numpy twins and exact enumeration ----------------------------------------


def test_divergence_kernel_matches_twin_and_jeffreys() -> None:
    rng = np.random.default_rng(9)
    for _ in range(50):
        k = int(rng.integers(2, 12))
        p = rng.integers(0, 30, k).astype(float)
        q = rng.integers(0, 30, k).astype(float)
        p[0] += 1
        q[-1] += 1
        for alpha in (rs.AUTO, 0.5, 2.0):
            for fixed in (False, True):
                kernel = rs._divergence(p, q, alpha, fixed)
                twin = rs._divergence_numpy(p, q, alpha, fixed)[0]
                assert kernel == pytest.approx(twin, rel=1e-12)
        if ((p > 0) & (q > 0) | ((p == 0) & (q == 0))).all():
            continue
        ref = jeffreys(p, q)
        assert rs._divergence(p, q, rs.AUTO, False) == pytest.approx(ref.value, rel=1e-12)


@njit
def _hypergeometric_draws(good: int, bad: int, sample: int, size: int, seed: int) -> np.ndarray:
    np.random.seed(seed)
    out = np.empty(size, dtype=np.int64)
    for i in range(size):
        out[i] = rs._hypergeometric(good, bad, sample)
    return out


@pytest.mark.parametrize(("good", "bad", "sample"), [(30, 170, 40), (5, 3, 6), (900, 9100, 2500)])
def test_hypergeometric_draws_follow_the_distribution(good: int, bad: int, sample: int) -> None:
    draws = _hypergeometric_draws(good, bad, sample, 20000, 7)
    support = np.arange(max(0, sample - bad), min(sample, good) + 1)
    expected = sps.hypergeom.pmf(support, good + bad, good, sample) * draws.size
    observed = np.array([np.count_nonzero(draws == x) for x in support])
    keep = expected >= 5  # pool the thin tails
    stat = np.sum((observed[keep] - expected[keep]) ** 2 / expected[keep])
    tail = observed[~keep].sum() - expected[~keep].sum()
    stat += tail**2 / max(expected[~keep].sum(), 1e-9) if (~keep).any() else 0.0
    assert sps.chi2.sf(stat, int(keep.sum()) + int((~keep).any()) - 1) > 1e-3
    assert draws.min() >= support[0] and draws.max() <= support[-1]


def _ks_same(a: np.ndarray, b: np.ndarray) -> None:
    assert sps.ks_2samp(a, b).pvalue > 1e-3


def test_permutation_kernel_matches_twin_in_distribution() -> None:
    totals = np.array([40, 25, 60, 10, 5], dtype=np.int64)
    kernel = rs._permutation_kernel(totals, 30, rs.AUTO, 4000, 1)
    twin = rs._permutation_numpy(totals, 30, rs.AUTO, 4000, 2)
    _ks_same(kernel, twin)
    assert kernel.mean() == pytest.approx(twin.mean(), rel=0.05)


def test_multinomial_kernel_matches_twin_in_distribution() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.4])
    q = np.array([0.25, 0.25, 0.25, 0.25])
    counts = np.array([10.0, 20.0, 30.0, 40.0])
    for fixed in (False, True):
        kernel = rs._multinomial_kernel(p, q, counts, 100, 80, rs.AUTO, fixed, 4000, 3)
        twin = rs._multinomial_numpy(p, q, counts, 100, 80, rs.AUTO, fixed, 4000, 4)
        _ks_same(kernel, twin)


def _exact_conditional_p(g: np.ndarray, b: np.ndarray) -> float:
    """Enumerate every table with the margins of (g, b); sum hypergeometric probabilities."""
    totals = g + b
    n_b = int(b.sum())
    observed = rs._divergence(g.astype(float), b.astype(float), rs.AUTO, False)
    denominator = math.comb(int(totals.sum()), n_b)
    p_value = 0.0
    for head in itertools.product(*(range(int(t) + 1) for t in totals[:-1])):
        last = n_b - sum(head)
        if not 0 <= last <= totals[-1]:
            continue
        cells = np.array([*head, last], dtype=float)
        prob = math.prod(math.comb(int(t), int(c)) for t, c in zip(totals, cells)) / denominator
        if rs._divergence(totals - cells, cells, rs.AUTO, False) >= observed - 1e-12:
            p_value += prob
    return p_value


@pytest.mark.parametrize(
    ("g", "b"), [([12, 9, 15], [1, 4, 0]), ([20, 5, 8, 11], [2, 3, 0, 1]), ([7, 7], [0, 3])]
)
def test_permutation_p_value_matches_exact_enumeration(g: list[int], b: list[int]) -> None:
    g_arr, b_arr = np.array(g), np.array(b)
    exact = _exact_conditional_p(g_arr, b_arr)
    r = jeffreys(g_arr, b_arr)
    assert r.p_method == "permutation"
    se = math.sqrt(exact * (1 - exact) / rs.N_RESAMPLES)
    assert abs(r.p_value - exact) < 4 * se + 1 / rs.N_RESAMPLES


# Material and compliance tests ------------------------------------------------------------------


def test_boundary_bootstrap_is_used_for_counts_and_is_coherent() -> None:
    r = jeffreys([300, 400, 500, 350, 250], [80, 60, 40, 15, 5])  # IV 0.56, interval [0.35, 0.78]
    low = r.test_material(0.1)
    assert low.method == "double-bootstrap" and low.reject and low.p_value < 0.01
    assert low.statistic > low.critical
    high = r.test_material(1.5)
    assert not high.reject and high.p_value > 0.5
    assert r.test_below(1.5).compliant and not r.test_below(0.3).compliant
    assert r.test_below(1.5).method == "double-bootstrap"
    # The critical value is where the double-bootstrap p-value crosses the level.
    for tau in (0.3, 0.45, 0.55, 0.7):
        test = r.test_material(tau)
        assert test.reject == (test.statistic > test.critical) or abs(test.p_value - 0.05) < 0.01
        compliance = r.test_below(tau + 0.3)
        assert compliance.compliant == (compliance.statistic < compliance.critical) or abs(
            compliance.p_value - 0.05) < 0.01


def test_one_simulation_gives_both_boundary_tests() -> None:
    r = jeffreys([300, 400, 500, 350, 250], [80, 60, 40, 15, 5])
    for target in (0.3, 0.8):
        material, below = r.test_boundary(target)
        assert material == r.test_material(target) and below == r.test_below(target)
        assert material.method == below.method == "double-bootstrap"


def test_boundary_pair_with_sparse_cells_is_flagged() -> None:
    # The flag follows the expected counts of the boundary pair the tables are drawn from.
    from scorecard.stats import inference
    from scorecard.stats.conventions import smoothed_pair

    r = jeffreys([300, 400, 500, 350, 250], [80, 60, 40, 15, 5])
    p, q = np.asarray(r.counts_p), np.asarray(r.counts_q)
    shares = smoothed_pair(p, q, r.alpha)[:2]
    seen = set()
    for target in (0.3, 0.5, 1.0, 1.5):
        found = rs.boundary_p_value(p, q, *shares, r.value, target, rs.AUTO, False, True)
        sparse = found.min_expected < inference.MIN_BOUNDARY_EXPECTED
        q_b = rs.boundary_shares(*shares, p.sum(), q.sum(), target, False)[1]
        assert found.min_expected <= q_b.min() * q.sum() + 1e-9
        material, below = r.test_boundary(target)
        assert material.reliable == below.reliable == (not sparse)
        assert material.note.startswith("unreliable: too few counts") == sparse
        seen.add(sparse)
    assert seen == {True, False}  # both sides of the rule are exercised
    small = jeffreys([30, 40, 50, 35, 25], [8, 6, 4, 2, 1])  # n_eff < 50: its own note carries
    assert small.test_material(0.3).note == small.reliability_note != ""


def test_boundary_shares_have_the_target_divergence() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.4])
    q = np.array([0.3, 0.3, 0.2, 0.2])
    for target, fixed in ((0.05, False), (0.8, False), (0.05, True), (0.8, True)):
        p_b, q_b = rs.boundary_shares(p, q, 500, 100, target, fixed)
        assert np.sum((p_b - q_b) * np.log(p_b / q_b)) == pytest.approx(target, rel=1e-8)
        if fixed:
            np.testing.assert_array_equal(p_b, p)
    assert rs.boundary_shares(p, p, 500, 100, 0.1, False) is None


def test_boundary_point_kernel_matches_its_twin() -> None:
    rng = np.random.default_rng(8)
    for k in (3, 12, 60):
        p, q = rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))
        p[1] = q[1] = 0.0  # an empty bin stays empty
        p, q = p / p.sum(), q / q.sum()
        keep = p > 0
        for target, fixed in ((0.002, False), (0.4, False), (2.5, False), (0.05, True), (1.0, True)):
            out_p, out_q = np.empty(k), np.empty(k)
            assert rs._boundary_point(p, q, 900.0, 150.0, target, fixed, out_p, out_q)
            p_b, q_b = rs.boundary_shares(p[keep], q[keep], 900.0, 150.0, target, fixed)
            np.testing.assert_allclose(out_p[keep], p_b, atol=1e-10)
            np.testing.assert_allclose(out_q[keep], q_b, atol=1e-10)
            assert out_p[1] == out_q[1] == 0.0
    out_p, out_q = np.empty(4), np.empty(4)
    same = np.full(4, 0.25)
    assert not rs._boundary_point(same, same, 100.0, 100.0, 0.1, False, out_p, out_q)


def test_double_bootstrap_kernel_matches_twin_in_distribution() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.4])
    q = np.array([0.3, 0.3, 0.25, 0.15])
    counts = np.array([40.0, 30.0, 20.0, 10.0])
    for fixed in (False, True):
        target = rs._true_divergence(p, q)
        first, second = rs._double_bootstrap_kernel(p, q, counts, 100, 80, rs.AUTO, fixed,
                                                     target, 3000, 5)
        twin_first, twin_second = rs._double_bootstrap_numpy(p, q, counts, 100, 80, rs.AUTO,
                                                             fixed, target, 3000, 6)
        _ks_same(first, twin_first)
        _ks_same(second, twin_second)


def test_double_bootstrap_p_value_corrects_in_the_right_direction() -> None:
    rng = np.random.default_rng(9)
    first = rng.normal(1.0, 0.2, 1999)
    # Second level like the first: the correction leaves the p-value alone.
    same = rs.double_bootstrap_p_value(first, rng.normal(1.0, 0.2, 1999), 1.33, upper=True)
    assert same == pytest.approx(rs._exceedance(first, 1.33, upper=True), abs=0.01)
    # Second level narrower than the first: the first level is likely narrower than the truth
    # too, so the upper-tail p-value grows (and a lower-tail one as well).
    narrow = rng.normal(1.0, 0.16, 1999)
    assert rs.double_bootstrap_p_value(first, narrow, 1.33, upper=True) > same + 0.02
    assert rs.double_bootstrap_p_value(first, narrow, 0.67, upper=False) > rs._exceedance(
        first, 0.67, upper=False) + 0.02
    critical = rs.double_bootstrap_critical(first, narrow, 0.05, upper=True)
    assert rs.double_bootstrap_p_value(first, narrow, critical + 0.01, upper=True) < 0.05
    assert rs.double_bootstrap_p_value(first, narrow, critical - 0.01, upper=True) >= 0.05


# Smoothing: shrink toward WoE 0, never past it ---------------------------------------------------


def test_issue_sparse_bin_is_not_flipped_to_risky() -> None:
    # Issue 7 item 4: the bin with 1 good and no bads used to get WoE -1.20 (riskier than average).
    woe = woe_table([1000, 1000, 1], [100, 100, 0])["woe"].to_numpy()
    assert 0 < woe[2] < 1.0
    assert abs(woe[0]) < 1e-3 and abs(woe[1]) < 1e-3


def test_smoothing_never_crosses_zero() -> None:
    rng = np.random.default_rng(4)
    for _ in range(300):
        k = int(rng.integers(2, 8))
        g = rng.integers(0, 40, k)
        b = rng.integers(0, 6, k)
        g[0] += 1
        b[-1] += 1
        occupied = (g + b) > 0
        g, b = g[occupied], b[occupied]
        if len(g) < 2:
            continue
        with np.errstate(divide="ignore"):
            raw = np.log((g / g.sum()) / (b / b.sum()))
        table = woe_table(g, b, alpha=float(rng.choice([0.5, 2.0])))
        smooth = table["woe"].to_numpy()
        assert np.all(np.sign(smooth) * np.sign(raw) >= 0)
        assert np.all(np.abs(smooth) <= np.abs(raw) + 1e-12)


def test_golden_values_unchanged_without_zero_cells() -> None:
    table = woe_table([300, 400, 500, 350, 250], [80, 60, 40, 15, 5])
    assert table.attrs["alpha"] == 0.0
    np.testing.assert_allclose(
        table["woe"], [-0.875469, -0.300105, 0.328504, 0.952658, 1.714798], atol=1e-6)


# A fixed reference given as proportions ---------------------------------------------------------


def test_fixed_reference_as_proportions_equals_counts() -> None:
    current = [60, 40, 0]
    as_shares = psi([0.5, 0.3, 0.2], current, reference="fixed")
    for scale in (100, 10_000):
        as_counts = psi([0.5 * scale, 0.3 * scale, 0.2 * scale], current, reference="fixed")
        assert as_counts.value == pytest.approx(as_shares.value, rel=1e-12)
        assert as_counts.ci == pytest.approx(as_shares.ci, rel=1e-9)


def test_proportions_are_refused_as_a_sample() -> None:
    with pytest.raises(InputError, match="reference_counts .*looks like proportions.*reference='fixed'"):
        psi([0.5, 0.3, 0.2], [60, 40, 0])
    with pytest.raises(InputError, match="current_counts .*proportions"):
        psi([50, 30, 20], [0.6, 0.4, 0.0], reference="fixed")
