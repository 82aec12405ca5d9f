"""Validation metrics: agreement with scikit-learn / scipy, a brute-force DeLong, seeded coverage,
calibration tests, orientation and input validation."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import special, stats
from sklearn import metrics as skm

from scorecard.exceptions import InputError
from scorecard.model import (
    AUCResult,
    auc,
    auc_hanley_mcneil_se,
    brier,
    calibration_table,
    evaluate,
    ks,
    ks_curve,
    log_loss,
    roc_curve,
    score_iv,
)


def _tied_sample(seed: int, n: int = 1500) -> tuple[np.ndarray, np.ndarray]:
    """Scores ("higher = good") rounded to one decimal, so there are many ties across classes."""
    rng = np.random.default_rng(seed)
    y = rng.binomial(1, 0.25, n)
    score = np.round(rng.normal(size=n) - 0.9 * y, 1)
    return y, score


def _brute_force_delong(y: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    """AUC and DeLong SE from the O(n_goods * n_bads) placement values (goods should score higher)."""
    goods, bads = score[y == 0], score[y == 1]
    kernel = (goods[:, None] > bads[None, :]) + 0.5 * (goods[:, None] == bads[None, :])
    v_goods, v_bads = kernel.mean(axis=1), kernel.mean(axis=0)
    variance = v_goods.var(ddof=1) / goods.size + v_bads.var(ddof=1) / bads.size
    return float(kernel.mean()), math.sqrt(variance)


# ------------------------------------------------------------------------------------------ AUC


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_auc_equals_sklearn_with_ties(seed: int) -> None:
    y, score = _tied_sample(seed)
    assert np.unique(score).size < 100  # heavily tied
    result = auc(y, score)
    assert result.value == pytest.approx(skm.roc_auc_score(1 - y, score), abs=1e-12)
    assert result.value == pytest.approx(skm.roc_auc_score(y, -score), abs=1e-12)
    assert (result.n_goods, result.n_bads) == (int((y == 0).sum()), int(y.sum()))


@pytest.mark.parametrize("seed", [3, 4])
def test_delong_se_equals_brute_force_placements(seed: int) -> None:
    y, score = _tied_sample(seed, n=300)
    value, se = _brute_force_delong(y, score)
    result = auc(y, score)
    assert result.value == pytest.approx(value, abs=1e-12)
    assert result.se == pytest.approx(se, rel=1e-10)


def test_orientation_flag() -> None:
    y, score = _tied_sample(5)
    base = auc(y, score)
    assert auc(y, -score, higher_is_riskier=True).value == pytest.approx(base.value, abs=1e-14)
    assert auc(y, -score, higher_is_riskier=True).se == pytest.approx(base.se, rel=1e-12)
    assert auc(y, -score).value == pytest.approx(1.0 - base.value, abs=1e-14)
    probability_of_default = special.expit(-score)
    assert auc(y, probability_of_default, higher_is_riskier=True).value == pytest.approx(
        skm.roc_auc_score(y, probability_of_default), abs=1e-12
    )


def test_gini_and_intervals() -> None:
    y, score = _tied_sample(6)
    result = auc(y, score, level=0.9)
    assert result.gini == pytest.approx(2 * result.value - 1)
    assert result.gini_se == pytest.approx(2 * result.se)
    assert result.gini_ci == pytest.approx((2 * result.ci[0] - 1, 2 * result.ci[1] - 1))
    z = stats.norm.ppf(0.95)
    wald = auc(y, score, level=0.9, interval="wald")
    assert wald.ci == pytest.approx((result.value - z * result.se, result.value + z * result.se))
    logit = special.logit(result.value)
    half = z * result.se / (result.value * (1 - result.value))
    assert result.ci == pytest.approx((special.expit(logit - half), special.expit(logit + half)))
    assert result.ci[0] < result.value < result.ci[1]
    assert auc(y, score, level=0.99).ci[0] < result.ci[0]


def test_near_perfect_auc_interval_stays_inside_unit_interval() -> None:
    rng = np.random.default_rng(7)
    y = np.r_[np.zeros(60, int), np.ones(15, int)]
    score = np.r_[rng.normal(3, 1, 60), rng.normal(0, 1, 15)]
    result = auc(y, score)
    assert 0.98 < result.value < 1.0
    assert result.value + 1.96 * result.se > 1.0  # plain Wald would leave [0, 1]
    assert result.ci[0] < result.value < result.ci[1] < 1.0
    assert auc(y, score, interval="wald").ci[1] == 1.0  # clipped
    perfect = auc([0, 0, 1, 1], [3.0, 4.0, 1.0, 2.0])
    assert (perfect.value, perfect.se, perfect.ci) == (1.0, 0.0, (1.0, 1.0))


def test_delong_interval_covers_95_percent() -> None:
    # Binormal: goods ~ N(mu, 1), bads ~ N(0, 1); true AUC = Phi(mu / sqrt(2)) = 0.80.
    rng = np.random.default_rng(2024)
    mu = math.sqrt(2) * stats.norm.ppf(0.80)
    reps, n, covered = 500, 400, 0
    for _ in range(reps):
        y = rng.binomial(1, 0.2, n)
        score = rng.normal(size=n) + mu * (1 - y)
        lo, hi = auc(y, score).ci
        covered += lo <= 0.80 <= hi
    assert 0.92 <= covered / reps <= 0.98


def test_hanley_mcneil_matches_spread_under_its_exponential_model() -> None:
    # Bads' risk ~ Exp(rate 1), goods' ~ Exp(rate 4): P(bad riskier) = 0.8. Unequal class sizes make
    # the assignment of n_pos / n_neg matter (swapped, the SE would be about 0.026 instead of 0.038).
    rng = np.random.default_rng(11)
    n_pos, n_neg, reps = 50, 500, 2000
    y = np.r_[np.ones(n_pos, int), np.zeros(n_neg, int)]
    risks = (np.r_[rng.exponential(1.0, n_pos), rng.exponential(0.25, n_neg)] for _ in range(reps))
    values = [auc(y, risk, higher_is_riskier=True).value for risk in risks]
    se = auc_hanley_mcneil_se(0.8, n_pos, n_neg)
    assert se == pytest.approx(np.std(values, ddof=1), rel=0.06)
    assert auc_hanley_mcneil_se(0.8, n_neg, n_pos) < 0.8 * se


# ---------------------------------------------------------------------------------- KS and ROC


@pytest.mark.parametrize("seed", [0, 8])
def test_ks_equals_scipy_two_sample_statistic(seed: int) -> None:
    y, score = _tied_sample(seed)
    statistic, threshold = ks(y, score)
    assert statistic == pytest.approx(stats.ks_2samp(score[y == 0], score[y == 1]).statistic, abs=1e-12)
    at = np.mean(score[y == 1] <= threshold) - np.mean(score[y == 0] <= threshold)
    assert abs(at) == pytest.approx(statistic, abs=1e-12)


def test_ks_curve_is_the_two_cdfs() -> None:
    y, score = _tied_sample(9)
    curve = ks_curve(y, score)
    assert list(curve.columns) == ["threshold", "cdf_goods", "cdf_bads"]
    assert np.array_equal(curve["threshold"], np.unique(score))
    t = curve["threshold"].to_numpy()
    assert np.allclose(curve["cdf_bads"], (score[y == 1][:, None] <= t).mean(axis=0))
    assert np.allclose(curve["cdf_goods"], (score[y == 0][:, None] <= t).mean(axis=0))
    assert (curve["cdf_bads"] - curve["cdf_goods"]).abs().max() == pytest.approx(ks(y, score).statistic)


def test_roc_curve_equals_sklearn_in_both_orientations() -> None:
    y, score = _tied_sample(10)
    fpr, tpr, thresholds = skm.roc_curve(y, -score, drop_intermediate=False)
    curve = roc_curve(y, score)
    assert np.allclose(curve["fpr"], fpr) and np.allclose(curve["tpr"], tpr)
    assert curve["threshold"].iloc[0] == -np.inf
    assert np.allclose(curve["threshold"].iloc[1:], -thresholds[1:])
    risky = roc_curve(y, -score, higher_is_riskier=True)
    assert np.allclose(risky["fpr"], fpr) and np.allclose(risky["tpr"], tpr)
    assert np.allclose(risky["threshold"].iloc[1:], thresholds[1:])
    assert np.trapezoid(curve["tpr"], curve["fpr"]) == pytest.approx(auc(y, score).value)


# ------------------------------------------------------------------ probabilities, calibration


def _calibrated(seed: int, n: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pd_ = special.expit(rng.normal(-2.0, 1.0, n))
    return rng.binomial(1, pd_), pd_


def test_log_loss_and_brier_equal_sklearn() -> None:
    y, pd_ = _calibrated(0, 3000)
    assert log_loss(y, pd_) == pytest.approx(skm.log_loss(y, pd_), rel=1e-12)
    assert brier(y, pd_) == pytest.approx(skm.brier_score_loss(y, pd_), rel=1e-12)


def test_log_loss_clips_certain_predictions() -> None:
    value = log_loss([1, 0, 1], [0.0, 0.0, 1.0])
    assert value == pytest.approx(-math.log(1e-15) / 3, rel=1e-9)
    assert brier([1, 0, 1], [0.0, 0.0, 1.0]) == pytest.approx(1 / 3)


def test_calibration_table_columns_and_hosmer_lemeshow_formula() -> None:
    y, pd_ = _calibrated(1)
    table = calibration_table(y, pd_, n_bands=10)
    assert list(table.columns) == [
        "band", "lower", "upper", "n", "observed_bads", "expected_bads", "observed_rate", "mean_pd"
    ]
    assert len(table) == 10 and table["n"].sum() == y.size
    assert table["n"].min() == table["n"].max() == y.size // 10
    assert table["observed_bads"].sum() == y.sum()
    assert table["expected_bads"].sum() == pytest.approx(pd_.sum())
    assert table["mean_pd"].is_monotonic_increasing
    o, e, n = table["observed_bads"], table["expected_bads"], table["n"]
    expected_statistic = float(((o - e) ** 2 / e + (o - e) ** 2 / (n - e)).sum())
    hl = table.attrs["hosmer_lemeshow"]
    assert hl["statistic"] == pytest.approx(expected_statistic, rel=1e-10)
    assert hl["df"] == 8 and hl["p_value"] == pytest.approx(stats.chi2.sf(expected_statistic, 8))
    assert calibration_table(y, pd_, hl_df="holdout").attrs["hosmer_lemeshow"]["df"] == 10
    assert calibration_table(y, pd_, hl_df=5).attrs["hosmer_lemeshow"]["df"] == 5


@pytest.mark.parametrize("seed", [2, 3, 4])
def test_hosmer_lemeshow_accepts_calibrated_and_rejects_miscalibrated(seed: int) -> None:
    y, pd_ = _calibrated(seed)
    good = calibration_table(y, pd_).attrs["hosmer_lemeshow"]
    assert good["statistic"] < 25 and good["p_value"] > 0.001
    bad = calibration_table(y, np.sqrt(pd_) * 0.4).attrs["hosmer_lemeshow"]
    assert bad["statistic"] > 100 and bad["p_value"] < 1e-12


def test_calibration_bands_by_score_and_ties_never_split() -> None:
    y, score = _tied_sample(12, n=4000)
    pd_ = special.expit(-1.0 - score)
    by_score = calibration_table(y, pd_, score=score, n_bands=5)
    assert by_score.attrs["band_by"] == "score"
    assert by_score["mean_pd"].is_monotonic_decreasing  # higher score, lower pd
    # Bands are value ranges, so every row with the same score lands in the same band.
    lower, upper = by_score["lower"].to_numpy(), by_score["upper"].to_numpy()
    inside = (score[:, None] > lower) & (score[:, None] <= upper)
    inside[:, 0] |= score == by_score["lower"].iloc[0]
    assert np.array_equal(inside.sum(axis=1), np.ones(score.size))
    assert np.array_equal(inside.sum(axis=0), by_score["n"])
    assert np.array_equal(inside.T @ y, by_score["observed_bads"])
    few = calibration_table(y, np.where(score > 0, 0.1, 0.3), n_bands=10)
    assert len(few) == 2 and few.attrs["hosmer_lemeshow"]["df"] == 0
    assert math.isnan(few.attrs["hosmer_lemeshow"]["p_value"])


# -------------------------------------------------------------------------------- IV, evaluate


def test_score_iv_agrees_with_hand_computation() -> None:
    # 100 rows on four distinct scores; ten quantile bands collapse to {0}, {1, 2}, {3}.
    score = np.repeat([0.0, 1.0, 2.0, 3.0], [50, 5, 5, 40])
    y = np.r_[np.ones(20), np.zeros(30), [1, 1, 0, 0, 0], [1, 0, 0, 0, 0], np.ones(4), np.zeros(36)]
    goods, bads = np.array([30, 7, 36]), np.array([20, 3, 4])
    p, q = goods / goods.sum(), bads / bads.sum()
    result = score_iv(y, score)
    assert result.k == 3 and (result.n_p, result.n_q) == (73, 27)
    assert result.value == pytest.approx(float(np.sum((p - q) * np.log(p / q))), rel=1e-12)


def test_score_iv_equal_quantile_bands() -> None:
    rng = np.random.default_rng(13)
    score = rng.permutation(100).astype(float)
    y = (rng.random(100) < np.where(score < 50, 0.4, 0.1)).astype(int)
    band = (score // 25).astype(int)  # four bands of 25 distinct scores each
    goods = np.bincount(band, weights=1 - y, minlength=4)
    bads = np.bincount(band, weights=y, minlength=4)
    from scorecard.stats import jeffreys

    assert score_iv(y, score, n_bands=4).value == pytest.approx(jeffreys(goods, bads).value, rel=1e-12)


def test_evaluate_is_json_and_consistent() -> None:
    y, score = _tied_sample(14)
    pd_ = special.expit(-1.3 - score)
    report = evaluate(y, score, pd_, level=0.9)
    text = json.dumps(report, allow_nan=False)
    assert json.loads(text) == report
    assert report["auc"]["value"] == pytest.approx(auc(y, score).value)
    assert report["auc"]["ci"] == pytest.approx(list(auc(y, score, level=0.9).ci))
    assert report["ks"]["statistic"] == pytest.approx(ks(y, score).statistic)
    assert report["score_iv"]["value"] == pytest.approx(score_iv(y, score).value)
    assert report["log_loss"] == pytest.approx(log_loss(y, pd_))
    assert report["brier"] == pytest.approx(brier(y, pd_))
    assert len(report["calibration"]["table"]) == report["calibration"]["hosmer_lemeshow"]["n_bands"]
    without_pd = evaluate(y, score)
    assert "calibration" not in without_pd and "log_loss" not in without_pd
    assert isinstance(auc(y, score), AUCResult)


# ---------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: auc([0, 1, 0], [1.0, 2.0]), "score"),
        (lambda: auc([0, 1, 0], [1.0, np.nan, 2.0]), "score"),
        (lambda: auc([0, np.nan, 1], [1.0, 2.0, 3.0]), "y"),
        (lambda: auc([0, 2, 1], [1.0, 2.0, 3.0]), "y"),
        (lambda: auc([1, 1, 1], [1.0, 2.0, 3.0]), "y"),
        (lambda: ks([0, 0, 0], [1.0, 2.0, 3.0]), "y"),
        (lambda: auc([0, 1], [1.0, 2.0], level=1.5), "level"),
        (lambda: auc([0, 1], [1.0, 2.0], interval="exact"), "interval"),
        (lambda: log_loss([0, 1], [0.2, 1.2]), "pd"),
        (lambda: brier([0, 1, 1], [0.2, 0.3]), "pd"),
        (lambda: calibration_table([0, 1], [0.2, -0.1]), "pd"),
        (lambda: calibration_table([0, 1], [0.2, 0.3], n_bands=1), "n_bands"),
        (lambda: calibration_table([0, 1], [0.2, 0.3], hl_df="train"), "hl_df"),
        (lambda: calibration_table([0, 1], [0.2, 0.3], score=[1.0]), "score"),
        (lambda: score_iv([0, 1, 0], [1.0, 1.0, 1.0]), "score"),
        (lambda: evaluate([0, 1, 0], [1.0, 2.0, 3.0], [0.1, 0.2]), "pd"),
        (lambda: auc_hanley_mcneil_se(1.2, 10, 10), "auc"),
        (lambda: auc_hanley_mcneil_se(0.7, 0, 10), "n_pos"),
    ],
)
def test_bad_input_raises_input_error_naming_the_parameter(call, name: str) -> None:
    with pytest.raises(InputError, match=rf"\b{name}\b"):
        call()
