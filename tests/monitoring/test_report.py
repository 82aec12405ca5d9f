"""drift_report on DataFrames: counts in the frozen bins, PSI rows, score bands, statuses,
serialisation and bad input. Expected values come from independent routes (the spec's
reference scorer, scorecard.stats on the counts, plain numpy), never from the code under test."""

from __future__ import annotations

import copy
import json
import math

import numpy as np
import pandas as pd
import pytest

from scorecard import stats
from scorecard.exceptions import InputError
from scorecard.model import metrics
from scorecard.model.spec import score_frame
from scorecard.monitoring import DriftReport, DriftThresholds, drift_report
from scorecard.monitoring.counting import FrozenBins, SampleCounts


def bin_index(spec: dict, frame: pd.DataFrame, name: str) -> np.ndarray:
    """Each row's bin of one characteristic, by the spec's reference scorer (points = index)."""
    ch = copy.deepcopy(next(c for c in spec["characteristics"] if c["name"] == name))
    for j, bin_ in enumerate(ch["bins"]):
        bin_["points"] = j
    if ch["dtype"] == "categorical":
        ch["unseen_points"] = len(ch["bins"])
    one = {k: v for k, v in spec.items() if k != "integrity"}
    one.update(characteristics=[ch], intercept_points=0,
               scaling={**spec["scaling"], "min_score": None, "max_score": None})
    return score_frame(one, frame)["score"].to_numpy()


def points_of(spec: dict, frame: pd.DataFrame, name: str) -> np.ndarray:
    ch = next(c for c in spec["characteristics"] if c["name"] == name)
    points = [b["points"] for b in ch["bins"]]
    if ch["dtype"] == "categorical":
        points.append(ch["unseen_points"])
    return np.asarray(points)[bin_index(spec, frame, name)]


@pytest.fixture(scope="module")
def report(spec, development, later) -> DriftReport:
    return drift_report(spec, development, later)


def test_bin_counts_match_the_reference_scorer(spec, development, later, report):
    for ch in spec["characteristics"]:
        row = report.characteristic(ch["name"])
        n_bins = len(row["bins"])
        for side, frame in (("reference_count", development), ("current_count", later)):
            expected = np.bincount(bin_index(spec, frame, ch["name"]), minlength=n_bins)
            assert [b[side] for b in row["bins"]] == expected.tolist(), (ch["name"], side)
        assert [b["label"] for b in row["bins"]][: len(ch["bins"])] == [b["label"] for b in ch["bins"]]


def test_score_histogram_matches_score_frame(spec, later):
    frozen = FrozenBins(spec)
    counts = SampleCounts.of_frame(frozen, later, "current")
    expected = score_frame(spec, later)["score"].value_counts().sort_index()
    assert counts.score_values.tolist() == expected.index.tolist()
    assert counts.score_counts.sum(axis=1).tolist() == expected.tolist()
    bads = later.groupby(score_frame(spec, later)["score"])["default"].sum().sort_index()
    assert counts.score_counts[:, 1].tolist() == bads.tolist()


def test_psi_rows_are_scorecard_stats_on_the_counts(report):
    frame = report.to_frame()
    assert list(frame.columns) == ["name", "psi", "psi_se", "psi_ci_low", "psi_ci_high", "p_value",
                                   "p_material_010", "p_material_025", "q_value", "status"]
    assert frame["name"].iloc[-1] == "score"
    for name in frame["name"]:
        row = report.characteristic(name)
        ref = [b["reference_count"] for b in row["bins"]]
        cur = [b["current_count"] for b in row["bins"]]
        r = stats.psi(ref, cur)
        assert row["psi"] == pytest.approx(r.value, rel=1e-12)
        assert row["psi_se"] == pytest.approx(r.se, rel=1e-12)
        assert [row["psi_ci_low"], row["psi_ci_high"]] == pytest.approx(list(r.ci), rel=1e-12)
        assert row["p_value"] == pytest.approx(r.p_value, rel=1e-9, abs=1e-300)
        # The report's material tests are test_material's double bootstrap (STATISTICS.md
        # section 4), so a stored status agrees with the CLI, and reruns give the same p-values.
        for tau, key in ((0.10, "p_material_010"), (0.25, "p_material_025")):
            assert row[key] == r.test_material(tau).p_value
        assert row["p_material_method"] == "double-bootstrap"
        assert sum(b["contribution"] for b in row["bins"]) == pytest.approx(r.value, rel=1e-9)
    chars = frame.iloc[:-1]
    _, q = stats.benjamini_hochberg(chars["p_value"].to_numpy())
    np.testing.assert_allclose(chars["q_value"].to_numpy(), q, rtol=1e-12)


def test_fixed_reference_mode(spec, development, later, report):
    fixed = drift_report(spec, development, later, reference_mode="fixed")
    row = fixed.characteristic("utilisation")
    ref = [b["reference_count"] for b in row["bins"]]
    cur = [b["current_count"] for b in row["bins"]]
    assert row["psi_se"] == pytest.approx(stats.psi(ref, cur, reference="fixed").se, rel=1e-12)
    assert row["psi_se"] < report.characteristic("utilisation")["psi_se"]


def test_mean_points_shift_is_the_change_in_mean_points(spec, development, later, report):
    total = 0.0
    for ch in spec["characteristics"]:
        expected = points_of(spec, later, ch["name"]).mean() - points_of(spec, development, ch["name"]).mean()
        got = report.characteristic(ch["name"])["mean_points_shift"]
        assert got == pytest.approx(expected, abs=1e-9), ch["name"]
        total += got
    scores_shift = score_frame(spec, later)["score"].mean() - score_frame(spec, development)["score"].mean()
    assert total == pytest.approx(scores_shift, abs=1e-9)  # no clipping in this card


def test_score_bands_are_the_reference_deciles(spec, development, later, report):
    scores = np.sort(score_frame(spec, development)["score"].to_numpy())
    n = scores.size
    picked = np.unique([scores[(j * n) // 10] for j in range(1, 10)])
    assert report.score_edges == [int(v) for v in picked if v > scores[0]]
    current = score_frame(spec, later)["score"].to_numpy()
    band = np.searchsorted(report.score_edges, current, side="right")
    row = report.characteristic("score")
    assert [b["current_count"] for b in row["bins"]] == np.bincount(band, minlength=len(row["bins"])).tolist()
    # Reusing stored edges gives the same bands on any sample.
    again = drift_report(spec, later, development, score_edges=report.score_edges)
    assert again.score_edges == report.score_edges


def test_shares_of_missing_special_and_unseen(spec, development, later):
    current = later.copy()
    current.loc[current.index[:500], "region"] = "atlantis"
    rep = drift_report(spec, development, current)
    region = rep.characteristic("region")
    assert region["shares"]["unseen"]["current"] == pytest.approx(500 / len(current))
    assert region["shares"]["unseen"]["reference"] == 0.0
    assert region["bins"][-1]["label"] == "Unseen" and region["bins"][-1]["current_count"] == 500
    expected_missing = development["region"].isna().mean()
    assert region["shares"]["missing"]["reference"] == pytest.approx(expected_missing)
    delinquency = rep.characteristic("delinquency_history")
    assert delinquency["shares"]["special"]["reference"] == pytest.approx(
        (development["delinquency_history"] == -999).mean())


def test_categorical_dtype_and_object_text_count_alike(spec, development, later, report):
    as_category = later.assign(region=later["region"].astype("category"))
    assert drift_report(spec, development, as_category) == report


def test_statuses_follow_the_thresholds(spec, development, later, report):
    same = drift_report(spec, development, development)
    assert same.status == "stable"
    assert set(same.to_frame()["status"]) == {"stable"}
    assert all(r == 0.0 for r in same.to_frame()["psi"])
    frame = report.to_frame().set_index("name")
    assert frame.loc["mortgage_amount", "status"] == "stable"
    assert report.status in ("watch", "material")
    strict = drift_report(spec, development, later, thresholds={"watch": 0.01, "material": 0.02})
    assert strict.to_frame().set_index("name").loc["account_balance", "status"] == "material"
    assert strict.status == "material"
    point = drift_report(spec, development, later, thresholds=DriftThresholds(rule="point"))
    for _, row in point.to_frame().iterrows():
        want = "material" if row.psi >= 0.25 else "watch" if row.psi >= 0.10 else "stable"
        assert row.status == want


def test_a_strong_drift_is_material(spec, development):
    shifted = development.assign(utilisation=development["utilisation"] + 0.4,
                                 account_balance=development["account_balance"] / 20)
    rep = drift_report(spec, development, shifted)
    frame = rep.to_frame().set_index("name")
    assert frame.loc["utilisation", "status"] == "material"
    assert frame.loc["utilisation", "p_material_025"] < 0.05
    assert rep.status == "material"


def test_small_sample_noise_does_not_alarm(spec, development):
    rng = np.random.default_rng(0)
    sample = development.iloc[rng.choice(len(development), 150, replace=False)]
    frame = drift_report(spec, development, sample).to_frame()
    # Sparse bins make point PSIs of 0.05-0.2 from noise alone; the tests keep them from alarming.
    assert (frame["status"] != "material").all()


def test_round_trip_exact_through_json(report):
    data = report.to_dict()
    text = json.dumps(data, allow_nan=False)
    again = DriftReport.from_dict(json.loads(text))
    assert again == report
    assert again.to_dict() == data
    pd.testing.assert_frame_equal(again.to_frame(), report.to_frame())
    assert again.status == report.status and again.n_current == report.n_current


def test_from_dict_rejects_other_data():
    with pytest.raises(InputError, match="missing key"):
        DriftReport.from_dict({"status": "stable"})
    with pytest.raises(InputError, match="must be a dict"):
        DriftReport.from_dict([1, 2])


def test_target_part(spec, development, later, report):
    target = report.target
    assert target is not None and target["development"] == "reference"
    scores = score_frame(spec, later)["score"]
    expected = metrics.auc(later["default"], scores)
    assert target["current"]["auc"]["value"] == pytest.approx(expected.value, rel=1e-12)
    assert target["current"]["auc"]["se"] == pytest.approx(expected.se, rel=1e-12)
    assert target["current"]["ks"]["value"] == pytest.approx(metrics.ks(later["default"], scores).statistic)
    lo, hi = target["current"]["ks"]["ci"]
    assert lo <= target["current"]["ks"]["value"] <= hi
    region = next(c for c in target["characteristics"] if c["name"] == "region")
    north = next(b for b in region["bins"] if "north" in b["label"])
    rows = later["region"] == "north"
    assert north["current"]["rate"] == pytest.approx(later.loc[rows, "default"].mean())
    assert north["current"]["ci"][0] < north["current"]["rate"] < north["current"]["ci"][1]
    cal = target["current"]["calibration"]
    assert cal["test"] == "hosmer-lemeshow" and 0.0 <= cal["p_value"] <= 1.0
    assert target["current"]["score_iv"]["value"] > 0.3


def test_no_target_part_without_outcomes(spec, development, later):
    rep = drift_report(spec, development, later.drop(columns=["default"]))
    assert rep.target is None
    partial = later.assign(default=later["default"].astype(float))
    partial.loc[partial.index[:10], "default"] = np.nan
    assert drift_report(spec, development, partial).target is None
    # Development from the spec's stored goods and bads when the reference has no outcomes.
    rep = drift_report(spec, development.drop(columns=["default"]), later)
    assert rep.target["development"] == "spec" and rep.target["reference"] is None


def test_chunks_add_up(spec, development, later):
    frozen = FrozenBins(spec)
    whole = SampleCounts.of_frame(frozen, later, "current")
    parts = SampleCounts.empty(frozen)
    for chunk in np.array_split(np.arange(len(later)), 7):
        parts.add(frozen, later.iloc[chunk], "current")
    assert parts.n_rows == whole.n_rows
    for a, b in zip(parts.bins, whole.bins):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(parts.score_values, whole.score_values)
    np.testing.assert_array_equal(parts.score_counts, whole.score_counts)


def test_empty_current_is_reported_as_empty(spec, development, later):
    rep = drift_report(spec, development, later.iloc[:0])
    assert rep.status == "empty" and rep.n_current == 0
    assert rep.to_frame().empty
    assert DriftReport.from_dict(rep.to_dict()) == rep


def test_missing_characteristic_is_named(spec, development, later):
    with pytest.raises(InputError, match=r"current sample lacks model characteristic\(s\) 'utilisation'"):
        drift_report(spec, development, later.drop(columns=["utilisation"]))
    with pytest.raises(InputError, match="reference sample lacks"):
        drift_report(spec, development.drop(columns=["region"]), later)


def test_bad_options_and_values(spec, development, later):
    with pytest.raises(InputError, match="reference_mode"):
        drift_report(spec, development, later, reference_mode="population")
    with pytest.raises(InputError, match="thresholds.watch"):
        drift_report(spec, development, later, thresholds={"watch": 0.3, "material": 0.25})
    with pytest.raises(InputError, match="unknown threshold"):
        drift_report(spec, development, later, thresholds={"warn": 0.1})
    with pytest.raises(InputError, match="strictly increasing"):
        drift_report(spec, development, later, score_edges=[600, 500])
    bad = later.assign(utilisation=later["utilisation"].astype(object))
    bad.loc[bad.index[3], "utilisation"] = "high"
    with pytest.raises(InputError, match="'utilisation'.*'high'"):
        drift_report(spec, development, bad)
    with pytest.raises(InputError, match="DataFrame"):
        drift_report(spec, development, later.to_numpy())
    with pytest.raises(InputError, match="reference sample has no rows"):
        drift_report(spec, development.iloc[:0], later)


def test_numeric_text_columns_are_read_as_numbers(spec, development, later, report):
    as_text = later.assign(utilisation=later["utilisation"].map(lambda v: None if math.isnan(v) else str(v)))
    assert drift_report(spec, development, as_text) == report
