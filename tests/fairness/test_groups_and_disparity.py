"""Protected groups, per-characteristic IV_fair with its test, and the model-level measures, each
checked against an independent computation."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from scorecard import stats
from scorecard.binning import BinningProcess
from scorecard.datasets import DATASETS
from scorecard.exceptions import InputError
from scorecard.fairness.analysis import characteristic_fairness
from scorecard.fairness.disparity import (
    adverse_impact_ratio,
    cutoff_for_rate,
    model_fairness,
    score_group_iv,
    standardized_mean_difference,
)
from scorecard.fairness.groups import GERMAN_CREDIT_SEX as SEX
from scorecard.fairness.groups import protected_attribute
from scorecard.model import metrics


@pytest.fixture(scope="module")
def german():
    info = DATASETS["german_credit"]
    frame = info.load()
    return frame, (frame[info.target] == 2).astype(int).to_numpy()


def test_binary_multi_and_banded_attributes(german):
    frame, _ = german
    fw = protected_attribute(frame, "foreign_worker")
    assert fw.labels == ("A201", "A202") and fw.reference_label == "A201"  # the larger group
    assert fw.counts().sum() == len(frame)
    status = protected_attribute(frame, "personal_status_and_sex")
    assert len(status.labels) == 4 and status.reference_label == "A93"
    sex = protected_attribute(frame, "personal_status_and_sex", groups=SEX,
                              reference_group="male")
    assert sex.labels == ("female", "male")
    assert sex.counts()[0] == frame["personal_status_and_sex"].isin(["A92", "A95"]).sum()
    age = protected_attribute(frame, "age_in_years")
    assert age.edges is not None and len(age.labels) == 4
    quartiles = np.quantile(frame["age_in_years"], [0.25, 0.5, 0.75])
    assert np.allclose(age.edges, quartiles)
    banded = protected_attribute(frame, "age_in_years", bands=[25, 40])
    assert banded.labels == ("<25", "25-40", ">=40")
    expected = np.searchsorted([25, 40], frame["age_in_years"], side="right")
    assert np.array_equal(banded.codes, expected)


def test_bad_protected_attributes_are_named(german):
    frame, _ = german
    with pytest.raises(InputError, match="'nope' not found"):
        protected_attribute(frame, "nope")
    with pytest.raises(InputError, match="'credit_risk' is also the target"):
        protected_attribute(frame, "credit_risk", target="credit_risk")
    with pytest.raises(InputError, match="constant"):
        protected_attribute(frame.assign(one=1), "one")
    with pytest.raises(InputError, match="reference group 'A999' does not occur"):
        protected_attribute(frame, "foreign_worker", reference_group="A999")
    with pytest.raises(InputError, match="no group"):
        protected_attribute(frame, "personal_status_and_sex", groups={"A91": "male"})


def test_characteristic_fairness_matches_jeffreys_by_hand(german):
    frame, y = german
    X = frame[["duration_in_month", "purpose", "housing"]]
    process = BinningProcess().fit(X, y)
    status = protected_attribute(frame, "personal_status_and_sex")
    table = characteristic_fairness(process, X, y, [status], eps=0.05)
    bins = process.transform(X, metric="bin")
    for c, name in enumerate(process.selected_):
        row = table[table.characteristic == name].iloc[0]
        n_bins = process.binning_tables_[name].n_bins
        crosstab = pd.crosstab(pd.Categorical(frame["personal_status_and_sex"]),
                               pd.Categorical(bins[:, c], categories=range(n_bins)),
                               dropna=False)
        ref = crosstab.loc["A93"].to_numpy()
        results = {g: stats.jeffreys(ref, crosstab.loc[g].to_numpy())
                   for g in crosstab.index if g != "A93"}
        worst = max(results, key=lambda g: results[g].value)
        assert row.worst_group == worst
        assert row.iv_fair == pytest.approx(results[worst].value, rel=1e-12)
        assert row.iv_fair_se == pytest.approx(results[worst].se, rel=1e-12)
        tests = [r.test_below(0.05) for r in results.values()]
        assert row.compliant == all(t.compliant for t in tests)
        assert row.compliance_p_value == pytest.approx(max(t.p_value for t in tests))
        # the tests' own "unreliable: too few counts" notes travel with the verdict
        notes = list(dict.fromkeys(t.note for t in tests if t.note))
        assert row.compliance_note == "; ".join(notes)
        assert row.compliance_reliable == (not notes)
        assert all(n.startswith("unreliable: too few counts") for n in notes)
        goods = np.bincount(bins[y == 0, c], minlength=n_bins)
        bads = np.bincount(bins[y == 1, c], minlength=n_bins)
        assert row.iv_perf == pytest.approx(stats.information_value(goods, bads).value)
    # group A91 has 50 rows: against A93's 548, n_eff = 46 < 50, so its tests are flagged
    assert (~table.compliance_reliable).any()


def test_cutoff_and_air_by_hand():
    rng = np.random.default_rng(0)
    score = rng.integers(400, 700, 5000)
    codes = (rng.random(5000) < 0.3).astype(int)
    cut = cutoff_for_rate(score, 0.7)
    assert np.mean(score >= cut) >= 0.7 and np.mean(score > cut) < 0.7
    attr = protected_attribute(pd.DataFrame({"g": codes}), "g")
    approved = score >= cut
    table = adverse_impact_ratio(approved, attr).set_index("group")
    p1, p0 = approved[codes == 1].mean(), approved[codes == 0].mean()
    assert table.loc["1", "air"] == pytest.approx(p1 / p0)
    x1, n1, x0, n0 = approved[codes == 1].sum(), (codes == 1).sum(), approved[codes == 0].sum(), (
        codes == 0).sum()
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0)
    z = sps.norm.ppf(0.975)
    assert table.loc["1", "air_ci_low"] == pytest.approx(p1 / p0 * math.exp(-z * se))
    assert table.loc["1", "air_ci_high"] == pytest.approx(p1 / p0 * math.exp(z * se))
    assert table.loc["0", "air"] == 1.0


@pytest.mark.slow
def test_katz_interval_covers_the_true_air():
    """Monte Carlo: 2,000 samples of 600 + 400 applicants, true approval 0.7 vs 0.56."""
    rng = np.random.default_rng(1)
    codes = np.r_[np.zeros(600, int), np.ones(400, int)]
    attr = protected_attribute(pd.DataFrame({"g": codes}), "g")
    truth = 0.56 / 0.7
    hits = 0
    for _ in range(2000):
        approved = rng.random(1000) < np.where(codes == 0, 0.7, 0.56)
        row = adverse_impact_ratio(approved, attr).set_index("group").loc["1"]
        hits += row.air_ci_low <= truth <= row.air_ci_high
    assert 0.935 <= hits / 2000 <= 0.965


def test_smd_and_score_iv_between_groups():
    rng = np.random.default_rng(2)
    codes = (rng.random(4000) < 0.4).astype(int)
    score = rng.normal(600 - 15 * codes, 40)
    attr = protected_attribute(pd.DataFrame({"g": codes}), "g")
    smd = standardized_mean_difference(score, attr)["1"]
    a, b = score[codes == 1], score[codes == 0]
    pooled = ((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)) / (a.size + b.size - 2)
    assert smd == pytest.approx((a.mean() - b.mean()) / math.sqrt(pooled))
    iv = score_group_iv(score, attr)
    direct = metrics.score_iv(codes, score)
    assert iv["value"] == pytest.approx(direct.value) and iv["se"] == pytest.approx(direct.se)
    # Normal scores with a common variance: the Jeffreys divergence is d^2 (banding loses a bit).
    assert 0.8 * smd**2 < iv["value"] < 1.2 * smd**2 + 0.01


def test_model_fairness_and_group_metrics():
    rng = np.random.default_rng(3)
    n = 3000
    codes = rng.integers(0, 3, n)
    y = (rng.random(n) < 0.2 + 0.05 * codes).astype(int)
    score = np.round(rng.normal(600 - 40 * y - 10 * codes, 30))
    attr = protected_attribute(pd.DataFrame({"g": codes}), "g", reference_group=0)
    out = model_fairness(score, y, attr, cutoff_rate=0.6)
    air = out["air_table"]
    worst = min((r for r in air if not r["reference"]), key=lambda r: r["air"])
    assert out["air"] == worst["air"] and out["air_group"] == worst["group"]
    assert out["four_fifths"] == (out["air"] >= 0.8)
    gm = out["group_metrics"]
    assert list(gm.by_group.index) == ["0", "1", "2"]
    for g in range(3):
        m = codes == g
        assert gm.by_group.loc[str(g), "auc"] == pytest.approx(metrics.auc(y[m], score[m]).value)
        assert gm.by_group.loc[str(g), "bad_rate"] == pytest.approx(y[m].mean())
        assert gm.by_group.loc[str(g), "approval_rate"] == pytest.approx(
            (score[m] >= out["cutoff"]).mean())
    diff = gm.difference()
    rates = gm.by_group["approval_rate"]
    assert diff["approval_rate"] == pytest.approx((rates - rates["0"]).abs().max())
    assert gm.ratio(method="between_groups")["approval_rate"] == pytest.approx(
        rates.min() / rates.max())
    again = type(gm).from_dict(gm.to_dict())
    assert np.allclose(again.by_group["auc"].astype(float), gm.by_group["auc"])
