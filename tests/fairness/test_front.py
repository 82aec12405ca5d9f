"""The Pareto front on German credit: the sweep, dominance and knee, JSON round trip, the
score-level method, and every point's spec against `scorecard fit` and the exports."""

import json

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from scorecard.binning import BinningProcess
from scorecard.cli.fairness import register as register_fairness
from scorecard.cli.scorecard import register as register_scorecard
from scorecard.datasets import DATASETS, data_dir
from scorecard.exceptions import InputError
from scorecard.fairness.front import ParetoFront, fairness_front, load_front, split_rows
from scorecard.fairness.penalized import fair_logistic
from scorecard.model.scorecard import Scorecard
from scorecard.model.spec import load_spec, score_frame

GERMAN = data_dir() / "german_credit.csv"
runner = CliRunner()
app = typer.Typer()
register_scorecard(app)
register_fairness(app)


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def frame():
    return DATASETS["german_credit"].load()


@pytest.fixture(scope="module")
def front(frame):
    return fairness_front(frame, "credit_risk", ["age_in_years", "foreign_worker"],
                          eps_grid=6, penalties=(0.0, 1.0, 30.0), seed=1)


def test_front_points_follow_the_budget(front):
    mip = [p for p in front.points if p["method"] == "mip"]
    assert len(mip) == 6
    low, high = front.meta["eps_range"]
    assert mip[0]["epsilon"] == pytest.approx(low) and mip[-1]["epsilon"] == pytest.approx(high)
    perf = [p["iv_perf_sum"] for p in mip]
    assert np.all(np.diff(perf) >= -1e-12)  # a larger budget never loses IV_perf
    for p in mip:
        assert p["fair_cost"] <= p["epsilon"] + 1e-9
        assert p["iv_fair_sum"] == pytest.approx(p["fair_cost"])  # z = 0
        chosen = front.candidates.set_index(["characteristic", "candidate"])
        rows = chosen.loc[list(p["candidates"].items())]
        assert rows["iv_perf"].sum() == pytest.approx(p["iv_perf_sum"])
        # the card keeps the chosen characteristics but those whose sign-constrained
        # coefficient is held at 0; each of those is reported as a "sign" drop in its spec
        dropped = {d["name"] for d in p["spec"]["model"]["selection"]["dropped"]}
        assert set(p["characteristics"]) | dropped == set(p["candidates"])
        assert not set(p["characteristics"]) & dropped
        assert p["four_fifths"] == (p["air"] >= 0.8)
        assert p["air_ci"][0] <= p["air"] <= p["air_ci"][1]
        assert p["auc_ci"][0] <= p["auc"] <= p["auc_ci"][1]
        assert "age_in_years" not in p["characteristics"]  # protected: never an input
    assert mip[-1]["auc"] > mip[0]["auc"]


def test_dominance_and_knee(front):
    for method in ("mip", "score-level"):
        pts = [p for p in front.points if p["method"] == method]
        for p in pts:
            beaten = any(q["auc"] >= p["auc"] and q["fair_iv"]["value"] <= p["fair_iv"]["value"]
                         and (q["auc"], q["fair_iv"]["value"]) != (p["auc"], p["fair_iv"]["value"])
                         for q in pts)
            assert p["dominated"] == beaten
        knees = [p for p in pts if p["knee"]]
        assert len(knees) <= 1 and not any(p["dominated"] for p in knees)


def test_json_round_trip(front, tmp_path):
    path = front.save(tmp_path / "front.json")
    again = load_front(path)
    pd.testing.assert_frame_equal(again.table(), front.table())
    assert again.meta == json.loads(json.dumps(front.to_dict()["meta"]))
    for p in again.points:
        assert again.spec(p["index"]) == front.spec(p["index"])
    pd.testing.assert_frame_equal(again.characteristics, front.characteristics,
                                  check_dtype=False)
    with pytest.raises(InputError, match="point 99 is not on this front"):
        again.spec(99)
    chart = again.chart().to_dict()
    assert len(chart["layer"]) == 4  # x error bars, y error bars, points, marks


def test_infeasible_budget_gives_an_empty_front_with_reason(frame):
    front = fairness_front(frame, "credit_risk", ["foreign_worker"], eps_grid=[-1.0],
                           penalties=None, granularities=(2, None))
    assert front.points == []
    assert "below the smallest feasible" in front.infeasible[0]["reason"]
    assert front.infeasible[0]["min_budget"] > 0


@pytest.mark.parametrize("kwargs, match", [
    ({"protected": ["nope"]}, "'nope' not found"),
    ({"protected": ["credit_risk"]}, "also the target"),
    ({"protected": ["foreign_worker"], "reference_group": "A999"}, "'A999' does not occur"),
    ({"protected": ["const"]}, "constant"),
])
def test_bad_input_names_the_column(frame, kwargs, match):
    with pytest.raises(InputError, match=match):
        fairness_front(frame.assign(const="x"), "credit_risk", **kwargs)


def provenance_free(path, spec):
    """An export's text without what names its source spec (its sha256 and PMML timestamp)."""
    text = path.read_text().replace(spec["integrity"]["sha256"], "<spec sha256>")
    return "\n".join(line for line in text.splitlines() if "<Timestamp>" not in line)


def test_point_spec_equals_a_card_from_scorecard_fit(front, frame, tmp_path):
    """The unconstrained point uses the optimal binning of its characteristics: `scorecard fit`
    on the same training rows and columns writes the same spec (but for its time stamp), which
    scores and exports identically (but for the source hash the exports quote)."""
    top = max((p for p in front.points if p["method"] == "mip"), key=lambda p: p["epsilon"])
    assert set(top["candidates"].values()) == {"optimal"}
    label = (frame["credit_risk"] == 2).to_numpy()
    train, test = split_rows(label, front.meta["holdout"], front.meta["seed"])
    columns = [c for c in frame.columns if c in top["candidates"]]
    frame.iloc[train][columns + ["credit_risk"]].to_csv(tmp_path / "train.csv", index=False)
    result = run("fit", tmp_path / "train.csv", "--target", "credit_risk", "--out",
                 tmp_path / "card.json")
    assert result.exit_code == 0, result.output
    front.save(tmp_path / "front.json")
    card = load_spec(tmp_path / "card.json")
    point = front.spec(top["index"])
    differ = {k for k in card if card[k] != point[k]}
    assert differ == {"created_at", "integrity"}, differ
    holdout = frame.iloc[test]
    assert score_frame(point, holdout, reason_codes=3).equals(
        score_frame(card, holdout, reason_codes=3))
    for fmt in ("csv", "sql", "pmml", "python"):
        a = run("export", tmp_path / "card.json", "--format", fmt, "--out", tmp_path / f"a.{fmt}")
        b = run("export", tmp_path / "front.json", "--point", top["index"], "--format", fmt,
                "--out", tmp_path / f"b.{fmt}")
        assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
        assert provenance_free(tmp_path / f"a.{fmt}", card) == provenance_free(
            tmp_path / f"b.{fmt}", point)
    frame.iloc[test].to_csv(tmp_path / "holdout.csv", index=False)
    a = run("score", tmp_path / "card.json", tmp_path / "holdout.csv", "--out", tmp_path / "a.csv")
    b = run("score", tmp_path / "front.json", tmp_path / "holdout.csv", "--point",
            top["index"], "--out", tmp_path / "b.csv")
    assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_mixed_granularity_point_equals_refitting_its_binning(front, frame):
    """A point whose characteristics use coarser candidates: its spec is the card that
    Scorecard(BinningProcess(binner_params={col: {"max_n_bins": k}})) fits on the training rows."""
    mixed = [p for p in front.points if p["method"] == "mip"
             and set(p["candidates"].values()) - {"optimal"}]
    assert mixed, "no point uses a coarser binning"
    p = mixed[len(mixed) // 2]
    label = (frame["credit_risk"] == 2).to_numpy()
    train, test = split_rows(label, front.meta["holdout"], front.meta["seed"])
    columns = [c for c in frame.columns if c in p["characteristics"]]
    per_column = {c: {"max_n_bins": int(v[3:])} for c, v in p["candidates"].items()
                  if v != "optimal"}
    card = Scorecard(BinningProcess(binner_params=per_column)).fit(
        frame.iloc[train][columns], frame.iloc[train]["credit_risk"])
    spec = front.spec(p["index"])
    assert spec["characteristics"] == card.spec_["characteristics"]
    assert spec["intercept_points"] == card.spec_["intercept_points"]
    holdout = frame.iloc[test]
    assert np.array_equal(score_frame(spec, holdout)["score"], card.score(holdout[columns]))


def test_score_level_method(front, frame):
    pts = [p for p in front.points if p["method"] == "score-level"]
    assert [p["penalty"] for p in pts] == [0.0, 1.0, 30.0]
    surrogate = [p["disparity_surrogate"] for p in pts]
    assert surrogate[0] >= surrogate[1] >= surrogate[2] - 1e-9
    for p in pts:
        spec = front.spec(p["index"])
        coefs = spec["model"]["coefficients"]
        assert all(v <= 0 for v in coefs.values())
        assert spec["model"]["penalty_weight"] == p["penalty"]


def test_fair_logistic_without_penalty_is_sklearn(frame):
    """lam = 0 and all coefficients negative: the same optimum as scikit-learn's L2 LR."""
    from sklearn.linear_model import LogisticRegression

    X = frame[["status_of_existing_checking_account", "duration_in_month", "credit_history"]]
    y = (frame["credit_risk"] == 2).to_numpy().astype(int)
    woe = BinningProcess().fit(X, y).transform(X, metric="woe")
    reference = LogisticRegression(C=1.0, max_iter=1000, tol=1e-10).fit(woe, y)
    assert np.all(reference.coef_ < 0)
    from scorecard.fairness.groups import protected_attribute

    attr = protected_attribute(frame, "foreign_worker")
    coef, intercept, info = fair_logistic(woe, y, attr, 0.0)
    assert info["converged"]
    assert np.allclose(coef, reference.coef_[0], atol=1e-4)
    assert intercept == pytest.approx(reference.intercept_[0], abs=1e-4)
    coef_pen, _, info_pen = fair_logistic(woe, y, attr, 50.0)
    assert np.all(coef_pen <= 0)
    assert info_pen["disparity_surrogate"] < info["disparity_surrogate"]


@pytest.mark.slow
def test_synthetic_front_trades_auc_for_air():
    """The synthetic book's protected attribute lowers two characteristics: along the MIP front
    AUC rises and AIR falls with the budget, beyond their intervals end to end."""
    from scorecard.datasets import make_applications

    frame = make_applications(20_000, seed=3)
    front = fairness_front(frame, "default", ["protected"], exclude=["application_month"],
                           special_values={"delinquency_history": [-999.0]}, eps_grid=5,
                           penalties=(0.0, 3.0))
    mip = [p for p in front.points if p["method"] == "mip"]
    first, last = mip[0], mip[-1]
    assert last["auc_ci"][0] > first["auc_ci"][1]
    assert last["air_ci"][1] < first["air_ci"][0]
    assert last["fair_iv"]["value"] > first["fair_iv"]["value"]
    level = [p for p in front.points if p["method"] == "score-level"]
    assert level[1]["fair_iv"]["value"] < level[0]["fair_iv"]["value"]
    assert level[1]["air"] > level[0]["air"]


def test_point_specs_are_signature_checked_like_spec_files(front, tmp_path, monkeypatch):
    """With $SCORECARD_SPEC_KEY set, `--point K` refuses an unsigned point, accepts one signed
    with the key, and refuses one changed after signing even with its sha256 recomputed."""
    from scorecard.model.spec import compute_integrity, seal

    k = front.points[0]["index"]
    front.save(tmp_path / "unsigned.json")  # built without a key
    monkeypatch.setenv("SCORECARD_SPEC_KEY", "a-long-random-secret-0123456789")
    args = ("--point", k, "--format", "csv", "--out", tmp_path / "points.csv")
    refused = run("export", tmp_path / "unsigned.json", *args)
    assert refused.exit_code == 2 and "is not signed" in refused.output
    assert f"point {k} of front file" in refused.output

    document = json.loads((tmp_path / "unsigned.json").read_text())
    for point in document["points"]:
        point["spec"] = seal(point["spec"])  # signs, the key being set
    (tmp_path / "signed.json").write_text(json.dumps(document))
    assert run("export", tmp_path / "signed.json", *args).exit_code == 0

    spec = document["points"][0]["spec"]
    spec["characteristics"][0]["bins"][0]["points"] += 40
    spec["integrity"]["sha256"] = compute_integrity(spec)  # the plain hash anyone can redo
    (tmp_path / "tampered.json").write_text(json.dumps(document))
    tampered = run("export", tmp_path / "tampered.json", *args)
    assert tampered.exit_code == 2 and "failed its signature check" in tampered.output
    monkeypatch.delenv("SCORECARD_SPEC_KEY")
    assert run("export", tmp_path / "tampered.json", *args).exit_code == 0  # no key: hash only


def test_cli_fairness_report_and_points_whatever_the_threads(tmp_path):
    """`scorecard fairness --report --out`: the report, the front file and its points, and the
    same bytes with one thread as with the default (every core)."""
    outputs = []
    for jobs in (["-j", "1"], []):
        out = tmp_path / f"front{len(jobs)}.json"
        result = run("fairness", GERMAN, "--target", "credit_risk", "--protected",
                     "foreign_worker", "--eps-grid", "3", "--no-score-level", "--granularities",
                     "2,optimal", "--out", out, "--report", *jobs)
        assert result.exit_code == 0, result.output
        document = json.loads(out.read_text())
        for point in document["points"]:
            point["spec"] = {k: v for k, v in point["spec"].items()
                             if k not in ("created_at", "integrity")}
            assert "n_jobs" not in point["spec"]["model"]["binning"]["params"]
        outputs.append((result.output.replace(str(out), "FRONT"), document))
    assert outputs[0] == outputs[1]

    assert "per characteristic" in result.output and "front" in result.output
    front = ParetoFront.from_json(out.read_text())
    # about 11 foreign workers among the 300 hold-out rows (n_eff < 50): every compliance test
    # is flagged in the JSON, in the report's flag column, and explained under the table
    table = front.characteristics
    assert not table.compliance_reliable.any()
    assert table.compliance_note.str.startswith("unreliable: too few counts").all()
    lines = result.output.splitlines()
    assert "flag" in lines[lines.index(next(x for x in lines if x.startswith("per characteristic"))) + 1]
    for name in table.characteristic:
        assert f"* {name} (foreign_worker): unreliable: too few counts" in result.output
    assert len(front.points) == 3 and front.meta["z"] == pytest.approx(1.6448536, rel=1e-6)
    for key in ("epsilon", "characteristics", "iv_perf_sum", "iv_fair_sum", "auc", "auc_ci",
                "air", "air_ci", "cutoff", "dominated", "spec"):
        assert key in front.points[0]
    bad = run("export", out, "--format", "sql", "--out", tmp_path / "x.sql")
    assert bad.exit_code == 2 and "--point" in bad.output
    bad = run("export", out, "--point", "7", "--format", "sql", "--out", tmp_path / "x.sql")
    assert bad.exit_code == 2 and "point 7 is not on this front" in bad.output
    bad = run("fairness", GERMAN, "--target", "credit_risk", "--protected", "nope", "--out", out)
    assert bad.exit_code == 2 and "'nope' not found" in bad.output
