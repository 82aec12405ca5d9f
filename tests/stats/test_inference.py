"""Chi-square and noncentral chi-square tests, interval inversion and Benjamini-Hochberg."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from scorecard.exceptions import InputError
from scorecard.stats import (
    benjamini_hochberg,
    compliance_test,
    material_difference_test,
    ncx2_interval,
    no_difference_test,
    wald_interval,
)


@pytest.mark.parametrize(("statistic", "df"), [(0.5, 1), (8.0, 4), (70.0, 2), (400.0, 6), (1e5, 4)])
def test_ncx2_interval_ends_solve_their_equations(statistic: float, df: int) -> None:
    n_eff = 250.0
    lower, upper = ncx2_interval(statistic, df, n_eff, level=0.95)
    if stats.chi2.sf(statistic, df) >= 0.025:
        assert lower == 0.0
    else:
        assert stats.ncx2.sf(statistic, df, lower * n_eff) == pytest.approx(0.025, rel=1e-7)
    assert stats.ncx2.cdf(statistic, df, upper * n_eff) == pytest.approx(0.025, rel=1e-7)
    assert lower < upper


def test_ncx2_interval_for_very_large_t() -> None:
    lower, upper = ncx2_interval(1e5, 4, 1.0)
    # Near-normal: T ~ N(df + lam, 2(df + 2 lam)), so the ends sit about 1.96 * 2 sqrt(T) from T.
    half_width = 1.96 * 2 * math.sqrt(1e5)
    assert lower == pytest.approx(1e5 - half_width, rel=1e-3)
    assert upper == pytest.approx(1e5 + half_width, rel=1e-3)


def test_ncx2_interval_for_tiny_t() -> None:
    # T below the 2.5% point of chi2(df): no noncentrality is consistent with it.
    assert ncx2_interval(1e-12, 4, 100.0) == (0.0, 0.0)
    assert ncx2_interval(0.0, 1, 100.0) == (0.0, 0.0)
    # Just above that point the upper end becomes positive and small.
    t = stats.chi2.ppf(0.03, 3)
    lower, upper = ncx2_interval(t, 3, 100.0)
    assert lower == 0.0 and 0.0 < upper < 0.01


def test_wald_interval_clips_at_zero() -> None:
    assert wald_interval(0.01, 0.02) == (0.0, pytest.approx(0.01 + 1.959964 * 0.02))
    lower, upper = wald_interval(0.5, 0.1, level=0.90)
    assert (lower, upper) == pytest.approx((0.5 - 0.1644854, 0.5 + 0.1644854), abs=1e-6)


def test_no_difference_test() -> None:
    result = no_difference_test(9.0, 3)
    assert result.critical == pytest.approx(stats.chi2.ppf(0.95, 3))
    assert result.p_value == pytest.approx(stats.chi2.sf(9.0, 3))
    assert result.reject
    assert not no_difference_test(5.0, 3).reject


def test_material_difference_critical_grows_with_tau() -> None:
    low = material_difference_test(150.0, 6, 5000.0, 0.01)
    high = material_difference_test(150.0, 6, 5000.0, 0.10)
    assert low.critical < high.critical
    assert low.reject and not high.reject


def test_compliance_test() -> None:
    result = compliance_test(10.0, 2, 4200.0, 0.02)
    assert result.critical == pytest.approx(stats.ncx2.ppf(0.05, 2, 84.0))
    assert result.compliant
    assert not compliance_test(80.0, 2, 4200.0, 0.02).compliant


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: no_difference_test(-1.0, 3), "statistic"),
        (lambda: no_difference_test(1.0, 0), "df"),
        (lambda: no_difference_test(1.0, 2.5), "df"),
        (lambda: ncx2_interval(1.0, 2, 0.0), "n_eff"),
        (lambda: ncx2_interval(1.0, 2, 10.0, level=1.2), "level"),
        (lambda: material_difference_test(1.0, 2, 10.0, -0.1), "tau"),
        (lambda: compliance_test(1.0, 2, 10.0, 0.0), "eps"),
    ],
)
def test_inference_validates(call: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        call()  # type: ignore[operator]


# Benjamini-Hochberg --------------------------------------------------------------------------


def test_bh_textbook_example() -> None:
    p = [0.01, 0.04, 0.03, 0.005, 0.20]
    reject, adjusted = benjamini_hochberg(p, q=0.05)
    # Sorted: 0.005, 0.01, 0.03, 0.04, 0.20 -> thresholds 0.01, 0.02, 0.03, 0.04, 0.05.
    assert reject.tolist() == [True, True, True, True, False]
    np.testing.assert_allclose(adjusted, [0.025, 0.05, 0.05, 0.025, 0.20])


def test_bh_matches_scipy() -> None:
    rng = np.random.default_rng(7)
    p = np.concatenate([rng.uniform(size=40), rng.uniform(0, 0.01, size=10)])
    _, adjusted = benjamini_hochberg(p)
    np.testing.assert_allclose(adjusted, stats.false_discovery_control(p, method="bh"))


def test_bh_is_nan_safe() -> None:
    reject, adjusted = benjamini_hochberg([0.01, np.nan, 0.02, 0.9])
    assert reject.tolist() == [True, False, True, False]
    assert np.isnan(adjusted[1])
    # The NaN is left out of the family: three tests, not four.
    np.testing.assert_allclose(adjusted[[0, 2, 3]], [0.03, 0.03, 0.9])
    reject, adjusted = benjamini_hochberg([np.nan, np.nan])
    assert not reject.any() and np.isnan(adjusted).all()
    reject, adjusted = benjamini_hochberg([])
    assert reject.shape == (0,) and reject.dtype == bool


@pytest.mark.parametrize(
    ("p", "q", "match"),
    [
        ([0.5, 1.5], 0.05, "p_values"),
        ([0.5], 0.0, "q"),
        ([[0.1]], 0.05, "1-D"),
        (["x"], 0.05, "p_values"),
    ],
)
def test_bh_validates(p: object, q: float, match: str) -> None:
    with pytest.raises(InputError, match=match):
        benjamini_hochberg(p, q=q)
