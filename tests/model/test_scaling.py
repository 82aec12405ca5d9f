import itertools
import math

import numpy as np
import pytest

from scorecard.exceptions import InputError
from scorecard.model.scaling import PointsScaling, round_half_up, scale_points


def test_factor_and_offset_by_hand():
    s = PointsScaling(base_score=600, base_odds=50, pdo=20)
    assert s.factor == pytest.approx(20 / math.log(2), rel=1e-15)
    assert s.factor == pytest.approx(28.853900817779268, rel=1e-12)
    assert s.offset == pytest.approx(600 - 28.853900817779268 * math.log(50), rel=1e-12)
    assert s.offset == pytest.approx(487.1228762045055, rel=1e-12)


def test_base_score_at_base_odds_and_pdo_doubles_the_odds_of_good():
    s = PointsScaling(base_score=600, base_odds=50, pdo=20)
    at_base = -math.log(50)  # odds of good 50:1 -> log-odds of bad = -ln 50
    assert s.score(at_base) == pytest.approx(600, abs=1e-12)
    assert s.score(at_base - math.log(2)) == pytest.approx(620, abs=1e-12)  # odds 100:1
    assert s.score(at_base + math.log(2)) == pytest.approx(580, abs=1e-12)  # odds 25:1
    assert s.probability_of_default(600) == pytest.approx(1 / 51, rel=1e-12)
    assert s.probability_of_default(620) == pytest.approx(1 / 101, rel=1e-12)
    x = np.linspace(-5, 5, 11)
    np.testing.assert_allclose(s.log_odds_bad(s.score(x)), x, atol=1e-12)


def test_other_scalings():
    s = PointsScaling(base_score=200, base_odds=1, pdo=50)
    assert s.offset == 200  # ln 1 = 0
    assert s.score(-math.log(2)) == pytest.approx(250)


def test_scaling_dict_is_the_spec_section():
    d = PointsScaling(min_score=300, max_score=850).to_dict()
    assert list(d) == ["base_score", "base_odds", "pdo", "factor", "offset", "min_score",
                       "max_score", "rounding"]
    assert d["min_score"] == 300 and d["max_score"] == 850
    assert d["rounding"] == "per-bin integer points"


@pytest.mark.parametrize("kwargs", [
    {"pdo": 0}, {"pdo": -20}, {"base_odds": 0}, {"base_odds": float("nan")},
    {"base_score": float("inf")}, {"min_score": 900, "max_score": 300}, {"min_score": 1.5},
    {"pdo": True},
])
def test_bad_scaling_is_rejected(kwargs):
    with pytest.raises(InputError):
        PointsScaling(**kwargs)


def test_clip():
    s = PointsScaling(min_score=300, max_score=850)
    np.testing.assert_array_equal(s.clip(np.array([100, 500, 900])), [300, 500, 850])
    np.testing.assert_array_equal(PointsScaling().clip(np.array([1, 2])), [1, 2])


def test_round_half_up():
    np.testing.assert_array_equal(round_half_up([0.5, 1.5, 2.5, -0.5, -1.5, 0.49, -0.51]),
                                  [1, 2, 3, 0, -1, 0, -1])


def test_scale_points_identity_shift_and_bound():
    rng = np.random.default_rng(1)
    contributions = [rng.normal(scale=0.7, size=k) for k in (3, 4, 2, 5)]
    intercept = -1.3
    s = PointsScaling()
    card = scale_points(contributions, intercept, s)
    for exact, points in zip(card.exact, card.points):
        assert exact.min() == 0.0
        assert points.dtype == np.int64 and points.min() >= 0
        assert np.all(np.abs(points - exact) <= 0.5)
    worst = 0.0
    for combo in itertools.product(*(range(k) for k in (3, 4, 2, 5))):
        log_odds = intercept + sum(c[j] for c, j in zip(contributions, combo))
        exact = card.intercept_exact + sum(e[j] for e, j in zip(card.exact, combo))
        assert exact == pytest.approx(s.score(log_odds), abs=1e-9)
        integer = card.intercept_points + sum(int(p[j]) for p, j in zip(card.points, combo))
        worst = max(worst, abs(integer - exact))
    # The bound is the worst case over every combination of bins, and it is attained.
    assert worst == pytest.approx(card.bound, abs=1e-9)
    assert card.bound <= card.bound_loose == 0.5 * 5


def test_scale_points_rejects_non_finite_contributions():
    with pytest.raises(InputError):
        scale_points([np.array([0.1, np.nan])], 0.0, PointsScaling())
