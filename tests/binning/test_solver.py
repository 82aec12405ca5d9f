"""The exact optimal merge against exhaustive search, and the constraints of its answers."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from merge_oracle import brute_force_merge

from scorecard.binning import MergeResult, _solver, optimal_merge
from scorecard.binning._solver import _TREND_CODES, _next_phase
from scorecard.exceptions import InputError

TRENDS = ["ascending", "descending", "auto", "peak", "valley", None]


def violations(result, goods, bads, *, total_goods=None, total_bads=None, monotonic_trend="auto",
               min_bin_size=0.0, min_goods=1, min_bads=1, max_n_bins=None, max_pvalue=None):
    """Independent check of a result's partition: the list of constraints it breaks."""
    goods = np.asarray(goods, dtype=np.float64)
    bads = np.asarray(bads, dtype=np.float64)
    total_goods = goods.sum() if total_goods is None else total_goods
    total_bads = bads.sum() if total_bads is None else total_bads
    bounds = [0, *result.splits.tolist(), len(goods)]
    assert bounds == sorted(set(bounds)), "splits must be strictly increasing inside (0, n)"
    g = np.array([goods[a:b].sum() for a, b in zip(bounds[:-1], bounds[1:])])
    b = np.array([bads[a:b].sum() for a, b in zip(bounds[:-1], bounds[1:])])
    np.testing.assert_allclose(result.goods, g)
    np.testing.assert_allclose(result.bads, b)
    broken = []
    if np.any(g + b <= 0):
        broken.append("empty bin")
    if np.any(g < min_goods) or np.any(b < min_bads):
        broken.append("min counts")
    if np.any((g + b) / (total_goods + total_bads) < min_bin_size - 1e-12):
        broken.append("min_bin_size")
    if max_n_bins is not None and len(g) > max_n_bins:
        broken.append("max_n_bins")
    rate = b / (g + b)
    steps = np.sign(np.diff(rate))
    trend = result.trend
    if monotonic_trend == "auto":
        assert trend in ("ascending", "descending")
    else:
        assert trend == monotonic_trend
    if trend is not None and np.any(steps == 0):
        broken.append("equal neighbour rates")
    if trend == "ascending" and np.any(steps < 0):
        broken.append("ascending")
    if trend == "descending" and np.any(steps > 0):
        broken.append("descending")
    if trend in ("peak", "valley"):
        first = 1 if trend == "peak" else -1
        turned = np.cumsum(steps == -first) > 0
        if np.any(turned & (steps == first)):
            broken.append(trend)
    if max_pvalue is not None:
        for k in range(len(g) - 1):
            table = np.array([[g[k], b[k]], [g[k + 1], b[k + 1]]])
            try:
                pvalue = chi2_contingency(table, correction=False).pvalue
            except ValueError:  # a zero margin: no evidence of a difference
                pvalue = 1.0
            if pvalue > max_pvalue:
                broken.append("max_pvalue")
    return broken


def iv_of(result, total_goods, total_bads):
    g = result.goods.astype(np.float64)
    b = result.bads.astype(np.float64)
    g, b = g[g + b > 0], b[g + b > 0]  # an empty bin (only ever an infeasible fallback) adds 0
    zero = (g == 0) | (b == 0)
    g, b = np.where(zero, g + 0.5, g), np.where(zero, b + 0.5, b)
    p, q = g / total_goods, b / total_bads
    return float(np.sum((p - q) * np.log(p / q)))


def assert_matches_brute_force(goods, bads, **options):
    ours = optimal_merge(goods, bads, **options)
    best = brute_force_merge(goods, bads, **options)
    assert ours.status == best.status
    assert ours.iv == pytest.approx(best.iv, abs=1e-9)
    total_goods = options.get("total_goods") or float(np.sum(goods))
    total_bads = options.get("total_bads") or float(np.sum(bads))
    assert ours.iv == pytest.approx(iv_of(ours, total_goods, total_bads), abs=1e-12)
    if ours.status != "infeasible":
        assert violations(ours, goods, bads, **options) == []
        assert violations(best, goods, bads, **options) == []
    else:
        assert ours.n_bins == 1
    return ours


def random_options(rng, n, trend):
    return dict(
        monotonic_trend=trend,
        min_bin_size=float(rng.choice([0.0, 0.0, 0.05, 0.1, 0.2, 0.35])),
        min_goods=int(rng.choice([0, 1, 1, 3])),
        min_bads=int(rng.choice([0, 1, 1, 2])),
        max_n_bins=None if rng.random() < 0.5 else int(rng.integers(1, max(n, 1) + 1)),
        max_pvalue=None if rng.random() < 0.5 else float(rng.choice([0.01, 0.05, 0.3, 1.0])),
    )


def random_counts(rng, n, weighted=False):
    goods = rng.integers(0, 40, n)
    bads = rng.binomial(goods + rng.integers(0, 5, n), rng.uniform(0.02, 0.5, n))
    goods[rng.random(n) < 0.1] = 0
    if n:
        goods[rng.integers(n)] += 1
        bads[rng.integers(n)] += 1
    if weighted:  # quarter weights keep every sum exact in binary
        return goods * rng.integers(1, 8, n) / 4.0, bads * rng.integers(1, 8, n) / 4.0
    return goods, bads


@pytest.mark.parametrize("trend", TRENDS)
def test_random_small_cases_match_brute_force(trend):
    rng = np.random.default_rng(20240 + TRENDS.index(trend))
    statuses = set()
    for case in range(120):
        n = int(rng.integers(1, 11))
        goods, bads = random_counts(rng, n, weighted=case % 3 == 0)
        options = random_options(rng, n, trend)
        if case % 4 == 0:
            options.update(total_goods=float(goods.sum()) + 7, total_bads=float(bads.sum()) + 3)
        statuses.add(assert_matches_brute_force(goods, bads, **options).status)
    assert "optimal" in statuses


@settings(max_examples=60, deadline=None)
@given(
    counts=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 20)), min_size=1, max_size=8),
    trend=st.sampled_from(TRENDS),
    min_bin_size=st.sampled_from([0.0, 0.05, 0.15, 0.3]),
    min_goods=st.integers(0, 3),
    min_bads=st.integers(0, 3),
    max_n_bins=st.none() | st.integers(1, 6),
    max_pvalue=st.none() | st.sampled_from([0.001, 0.05, 0.2, 1.0]),
    extra=st.tuples(st.integers(0, 10), st.integers(0, 10)),
)
def test_hypothesis_cases_match_brute_force(
    counts, trend, min_bin_size, min_goods, min_bads, max_n_bins, max_pvalue, extra
):
    goods = np.array([c[0] for c in counts])
    bads = np.array([c[1] for c in counts])
    assert_matches_brute_force(
        goods,
        bads,
        total_goods=float(goods.sum() + max(extra[0], goods.sum() == 0)),
        total_bads=float(bads.sum() + max(extra[1], bads.sum() == 0)),
        monotonic_trend=trend,
        min_bin_size=min_bin_size,
        min_goods=min_goods,
        min_bads=min_bads,
        max_n_bins=max_n_bins,
        max_pvalue=max_pvalue,
    )


def test_twelve_prebins_match_brute_force():
    rng = np.random.default_rng(7)
    for trend in ["auto", "peak", None]:
        goods, bads = random_counts(rng, 12)
        assert_matches_brute_force(goods, bads, monotonic_trend=trend, max_n_bins=5,
                                   min_bin_size=0.05)


def test_golden_table_needs_no_merge():
    goods, bads = [300, 400, 500, 350, 250], [80, 60, 40, 15, 5]
    result = optimal_merge(goods, bads)
    assert result.trend == "descending"
    assert result.status == "optimal"
    assert result.splits.tolist() == [1, 2, 3, 4]
    assert result.iv == pytest.approx(0.562254, abs=1e-6)
    ascending = optimal_merge(goods, bads, monotonic_trend="ascending")
    assert ascending.n_bins == 1 and ascending.iv == pytest.approx(0.0, abs=1e-15)


def test_peak_shape_is_found():
    goods = np.array([100, 100, 100, 100, 100, 100])
    bads = np.array([5, 10, 30, 28, 9, 4])
    result = optimal_merge(goods, bads, monotonic_trend="peak")
    rate = result.bads / (result.goods + result.bads)
    top = int(np.argmax(rate))
    assert 0 < top < result.n_bins - 1
    assert np.all(np.diff(rate[: top + 1]) > 0) and np.all(np.diff(rate[top:]) < 0)
    valley = optimal_merge(goods, bads, monotonic_trend="valley")
    assert valley.iv < result.iv


@pytest.mark.parametrize(
    ("trend", "bads", "splits"),
    [
        ("ascending", [10, 20, 20, 30], [1, 3]),
        ("descending", [30, 20, 20, 10], [1, 3]),
        ("peak", [10, 30, 30, 20], [1, 3]),
        ("peak", [10, 30, 20, 20], [1, 2]),
        ("valley", [30, 10, 10, 20], [1, 3]),
        ("valley", [30, 10, 20, 20], [1, 2]),
    ],
)
def test_trends_are_strict_so_equal_neighbours_merge(trend, bads, splits):
    goods = [100, 100, 100, 100]
    result = optimal_merge(goods, bads, monotonic_trend=trend)
    assert result.splits.tolist() == splits
    assert violations(result, goods, bads, monotonic_trend=trend) == []
    unconstrained = optimal_merge(goods, bads, monotonic_trend=None)
    assert unconstrained.iv == pytest.approx(result.iv, abs=1e-12)  # the merge cost nothing


def test_phase_transitions_accept_only_strict_steps_of_the_shape():
    up, down, flat = (True, False), (False, True), (False, False)
    expected = {  # (trend, phase, step) -> next phase, -1 = forbidden
        ("ascending", 0, up): 0, ("ascending", 0, down): -1, ("ascending", 0, flat): -1,
        ("descending", 0, up): -1, ("descending", 0, down): 0, ("descending", 0, flat): -1,
        ("peak", 0, up): 0, ("peak", 0, down): 1, ("peak", 0, flat): -1,
        ("peak", 1, up): -1, ("peak", 1, down): 1, ("peak", 1, flat): -1,
        ("valley", 0, down): 0, ("valley", 0, up): 1, ("valley", 0, flat): -1,
        ("valley", 1, down): -1, ("valley", 1, up): 1, ("valley", 1, flat): -1,
        (None, 0, up): 0, (None, 0, down): 0, (None, 0, flat): 0,
    }
    for (trend, phase, step), phase_after in expected.items():
        assert _next_phase(_TREND_CODES[trend], phase, *step) == phase_after, (trend, phase, step)


def test_unlimited_and_generous_bin_limit_agree_on_many_prebins():
    rng = np.random.default_rng(3)
    goods = rng.integers(50, 400, 60)
    bads = rng.binomial(goods, np.linspace(0.02, 0.3, 60) ** 1.5 + 0.01)
    for trend in ["auto", "peak", None]:
        unlimited = optimal_merge(goods, bads, monotonic_trend=trend, min_bin_size=0.01)
        limited = optimal_merge(goods, bads, monotonic_trend=trend, min_bin_size=0.01,
                                max_n_bins=unlimited.n_bins)
        assert limited.iv == pytest.approx(unlimited.iv, abs=1e-12)
        if unlimited.n_bins > 2:
            tighter = optimal_merge(goods, bads, monotonic_trend=trend, min_bin_size=0.01,
                                    max_n_bins=unlimited.n_bins - 1)
            assert tighter.n_bins <= unlimited.n_bins - 1 and tighter.iv < unlimited.iv


@pytest.mark.parametrize("trend", TRENDS)
@pytest.mark.parametrize("max_n_bins", [None, 10])
def test_hundred_prebins_satisfy_every_constraint(trend, max_n_bins):
    rng = np.random.default_rng(11)
    goods = rng.integers(20, 300, 100)
    rate = 0.08 + 0.06 * np.sin(np.linspace(0, 3, 100)) + rng.normal(0, 0.02, 100)
    bads = rng.binomial(goods, np.clip(rate, 0.005, 0.9))
    options = dict(monotonic_trend=trend, min_bin_size=0.02, max_n_bins=max_n_bins,
                   max_pvalue=0.1, total_goods=goods.sum() + 500, total_bads=bads.sum() + 40)
    result = optimal_merge(goods, bads, **options)
    assert result.status == "optimal"
    assert result.n_bins >= 2
    assert violations(result, goods, bads, **options) == []


def test_infeasible_problems_fall_back_to_one_bin():
    goods, bads = [10, 20, 30], [1, 2, 3]
    too_large = optimal_merge(goods, bads, min_bin_size=0.5, total_goods=200, total_bads=30)
    assert too_large.status == "infeasible"
    assert too_large.splits.tolist() == [] and too_large.goods.tolist() == [60]
    assert too_large.iv > 0  # the single bin still differs from the whole characteristic
    too_few = optimal_merge(goods, bads, min_bads=7)
    assert too_few.status == "infeasible" and too_few.n_bins == 1


def test_trivial_sizes():
    empty = optimal_merge([], [])
    assert empty.status == "trivial" and empty.n_bins == 0 and empty.iv == 0.0
    one = optimal_merge([5], [2], total_goods=10, total_bads=3)
    assert one.status == "trivial" and one.splits.tolist() == [] and one.goods.tolist() == [5]
    assert one.iv == pytest.approx(iv_of(one, 10, 3))


def test_zero_cells_allowed_with_min_counts_zero_use_pseudo_count():
    goods, bads = [50, 50, 0], [0, 10, 10]
    strict = optimal_merge(goods, bads, monotonic_trend="ascending")
    assert np.all(strict.goods > 0) and np.all(strict.bads > 0)
    loose = optimal_merge(goods, bads, monotonic_trend="ascending", min_goods=0, min_bads=0)
    assert loose.splits.tolist() == [1, 2]
    assert loose.iv == pytest.approx(iv_of(loose, 100, 20)) and loose.iv > strict.iv


def test_result_is_immutable_and_keeps_count_dtype():
    result = optimal_merge([3, 4, 5], [1, 1, 2])
    assert isinstance(result, MergeResult)
    assert result.goods.dtype == np.int64
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.iv = 1.0
    with pytest.raises(ValueError):
        result.goods[0] = 9
    weighted = optimal_merge([3.5, 4.0, 5.25], [1.0, 1.5, 2.0])
    assert weighted.goods.dtype == np.float64
    assert math.isclose(weighted.goods.sum(), 12.75)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(goods=[1, -2], bads=[1, 1]), "goods contains negative"),
        (dict(goods=[1, 2], bads=[1]), "one count per pre-bin"),
        (dict(goods=[1, np.nan], bads=[1, 1]), "NaN"),
        (dict(goods=[1, 2], bads=[1, 1], monotonic_trend="up"), "monotonic_trend"),
        (dict(goods=[1, 2], bads=[1, 1], max_pvalue=0.0), "max_pvalue"),
        (dict(goods=[1, 2], bads=[1, 1], max_n_bins=0), "max_n_bins"),
        (dict(goods=[1, 2], bads=[1, 1], min_bin_size=1.5), "min_bin_size"),
        (dict(goods=[1, 2], bads=[1, 1], min_goods="many"), "min_goods"),
        (dict(goods=[1, 2], bads=[1, 1], max_n_bins=2.5), "max_n_bins"),
        (dict(goods=["a", "b"], bads=[1, 1]), "goods must hold counts"),
        (dict(goods=[1, 2], bads=[1, 1], total_goods=2), "total_goods"),
        (dict(goods=[0, 0], bads=[1, 1]), "total_goods is 0"),
    ],
)
def test_bad_input_raises_input_error(kwargs, match):
    with pytest.raises(InputError, match=match):
        optimal_merge(**kwargs)


def test_simple_step_equals_the_general_dynamic_programme():
    """The usual case (monotone or no trend, no bin limit, no neighbour test) takes a tighter
    loop; it makes the same choices, ties included, as the general loop, here forced by a
    chi-square critical value of 0 (every neighbour pair passes)."""
    rng = np.random.default_rng(11)
    for _ in range(300):
        n = int(rng.integers(1, 30))
        goods = rng.integers(0, 40, n).astype(float)  # small integers: many exact ties
        bads = rng.integers(0, 10, n).astype(float)
        total_goods, total_bads = goods.sum() + 3, bads.sum() + 2
        for trend in (0, 1, 2):
            for min_rows in (0.0, 0.1 * (total_goods + total_bads)):
                args = (goods, bads, total_goods, total_bads, trend, min_rows, 1.0, 1.0, 0)
                simple = _solver._optimal_merge_dp(*args, -1.0)
                general = _solver._optimal_merge_dp(*args, 0.0)
                assert np.array_equal(simple[0], general[0])
                assert simple[1] == general[1]
