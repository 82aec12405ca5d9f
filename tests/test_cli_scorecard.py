"""The scorecard commands end to end: fit -> score -> evaluate -> export, and their errors."""

import json
import sqlite3
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from scorecard.cli.scorecard import register
from scorecard.datasets import data_dir
from scorecard.model import metrics
from scorecard.model.spec import load_spec, score_frame

GERMAN = data_dir() / "german_credit.csv"
CREDIT = data_dir() / "credit_data.csv"

runner = CliRunner()
app = typer.Typer()
register(app)


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """German credit split into train and test CSV files."""
    folder = tmp_path_factory.mktemp("cli")
    frame = pd.read_csv(GERMAN)
    test = frame.sample(frac=0.3, random_state=0)
    train = frame.drop(index=test.index)
    train.to_csv(folder / "train.csv", index=False)
    test.to_csv(folder / "test.csv", index=False)
    return folder, train, test


@pytest.fixture(scope="module")
def model(split):
    folder, _, _ = split
    out = folder / "model.json"
    result = run("fit", folder / "train.csv", "--target", "credit_risk", "--out", out,
                 "--exclude", "personal_status_and_sex", "--exclude", "foreign_worker")
    assert result.exit_code == 0, result.output
    return out, result.output


def test_commands_are_registered():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("fit", "score", "export", "evaluate"):
        assert command in result.output


def test_fit_prints_summary_and_writes_a_valid_spec(model, split):
    out, output = model
    spec = load_spec(out)
    assert spec["target"] == {"name": "credit_risk", "bad_value": 2}
    names = [c["name"] for c in spec["characteristics"]]
    assert "personal_status_and_sex" not in names and "foreign_worker" not in names
    assert "credit_risk" not in names
    assert f"{len(names)} of 18 characteristics selected" in output
    assert "status_of_existing_checking_account" in output
    auc = spec["training"]["metrics"]["auc"]["value"]
    assert f"train AUC {auc:.4f}" in output
    assert spec["training"]["n_rows"] == 700


def test_score_keeps_input_columns_and_adds_score_and_reasons(model, split):
    folder, _, test = split
    out = folder / "scored.csv"
    result = run("score", model[0], folder / "test.csv", "--out", out, "--reason-codes", "2")
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(out)
    assert list(scored.columns) == [*test.columns, "score", "reason_1", "reason_2"]
    pd.testing.assert_frame_equal(scored[test.columns], test.reset_index(drop=True))
    expected = score_frame(load_spec(model[0]), test)["score"].to_numpy()
    np.testing.assert_array_equal(scored["score"].to_numpy(), expected)
    names = {c["name"] for c in load_spec(model[0])["characteristics"]}
    assert set(scored["reason_1"].dropna()) <= names


def test_evaluate_text_and_json(model, split):
    folder, _, test = split
    result = run("evaluate", model[0], folder / "test.csv")
    assert result.exit_code == 0, result.output
    for word in ("AUC", "SE", "95% CI", "Gini", "KS", "log loss", "Brier", "HL test",
                 "score IV"):
        assert word in result.output
    result = run("evaluate", model[0], folder / "test.csv", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    score = score_frame(load_spec(model[0]), test)["score"]
    expected = metrics.auc((test["credit_risk"] == 2).astype(int), score)
    assert report["auc"]["value"] == pytest.approx(expected.value, rel=1e-12)
    assert report["auc"]["se"] == pytest.approx(expected.se, rel=1e-12)
    assert report["n"] == len(test) and 0.65 < report["auc"]["value"] < 0.95
    assert report["calibration"]["hosmer_lemeshow"]["df"] == 10


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sql", "pmml", "python"])
def test_export_every_format(model, split, fmt):
    folder, _, _ = split
    out = folder / f"card.{fmt}"
    result = run("export", model[0], "--format", fmt, "--out", out)
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.stat().st_size > 0
    if fmt == "csv":
        assert "points" in pd.read_csv(out).columns
    elif fmt == "xlsx":
        assert out.read_bytes()[:2] == b"PK"
    elif fmt == "pmml":
        assert ET.parse(out).getroot().tag.endswith("PMML")
    elif fmt == "python":
        compile(out.read_text(), str(out), "exec")


def test_sql_export_scores_like_the_spec_in_sqlite(model, split):
    folder, _, test = split
    out = folder / "card.sql"
    result = run("export", model[0], "--format", "sql", "--dialect", "sqlite", "--table",
                 "apps", "--out", out)
    assert result.exit_code == 0, result.output
    with sqlite3.connect(":memory:") as db:
        test.to_sql("apps", db, index=False)
        rows = pd.read_sql_query(out.read_text(), db)
    expected = score_frame(load_spec(model[0]), test)["score"].to_numpy()
    np.testing.assert_array_equal(rows["score"].to_numpy(), expected)


def test_fit_other_encodings_and_options(tmp_path):
    out = tmp_path / "credit.json"
    result = run("fit", CREDIT, "--target", "Status", "--bad-value", "bad", "--encoding",
                 "xgb-stumps", "--exclude", "Age", "--exclude", "Marital", "--prebinning",
                 "stumps", "--n-rounds", "10", "--pdo", "40", "--out", out)
    assert result.exit_code == 0, result.output
    spec = load_spec(out)
    assert spec["encoding"] == "xgb-stumps"
    assert spec["target"] == {"name": "Status", "bad_value": "bad"}
    assert spec["scaling"]["pdo"] == 40
    frame = pd.read_csv(CREDIT)
    result = run("evaluate", out, CREDIT, "--json")
    assert json.loads(result.output)["auc"]["value"] > 0.75
    assert frame.isna().any().any()  # missing values went to their bins without error


def test_fit_selection_options_and_unconstrained(tmp_path):
    out = tmp_path / "credit.json"
    result = run("fit", CREDIT, "--target", "Status", "--min-iv-ci-low", "0.02",
                 "--max-correlation", "0.7", "--out", out)
    assert result.exit_code == 0, result.output
    spec = load_spec(out)
    dropped = spec["model"]["selection"]["dropped"]
    assert dropped and all(d["step"] in {"binning", "iv", "correlation", "sign"} for d in dropped)
    for d in dropped:
        assert f"dropped {d['name']} ({d['step']}): {d['reason']}" in result.output
    assert all(v < 0 for v in spec["model"]["coefficients"].values())
    result = run("fit", CREDIT, "--target", "Status", "--unconstrained", "--out", out)
    assert result.exit_code == 0, result.output
    assert load_spec(out)["model"]["type"] == "LogisticRegression"
    result = run("fit", CREDIT, "--target", "Status", "--stepwise", "forward", "--out", out)
    assert result.exit_code != 0 and "stepwise='forward' must be one of" in result.output


def test_fit_with_special_values(tmp_path):
    frame = pd.read_csv(GERMAN)
    frame.loc[frame.index[:60], "credit_amount"] = -1
    data = tmp_path / "special.csv"
    frame.to_csv(data, index=False)
    out = tmp_path / "special.json"
    result = run("fit", data, "--target", "credit_risk", "--encoding", "onehot-lr",
                 "--special", "credit_amount=-1", "--out", out)
    assert result.exit_code == 0, result.output
    ch = next(c for c in load_spec(out)["characteristics"] if c["name"] == "credit_amount")
    assert ch["special_values"] == [-1.0]
    assert ch["bins"][-1]["goods"] + ch["bins"][-1]["bads"] == 60


# ---------------------------------------------------------------------------------------------
# Errors: one line on stderr, exit code 2, no traceback


def _assert_clean_error(result, *phrases):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in result.output


def test_fit_missing_target(tmp_path):
    result = run("fit", GERMAN, "--target", "nope", "--out", tmp_path / "m.json")
    _assert_clean_error(result, "target column 'nope' not found")


def test_fit_bad_encoding_and_exclude(tmp_path):
    result = run("fit", GERMAN, "--target", "credit_risk", "--encoding", "gbm", "--out",
                 tmp_path / "m.json")
    _assert_clean_error(result, "--encoding 'gbm'")
    result = run("fit", GERMAN, "--target", "credit_risk", "--exclude", "ghost", "--out",
                 tmp_path / "m.json")
    _assert_clean_error(result, "'ghost'")
    result = run("fit", GERMAN, "--target", "credit_risk", "--bad-value", "7", "--out",
                 tmp_path / "m.json")
    _assert_clean_error(result, "bad value")


def test_score_missing_columns(model, split, tmp_path):
    folder, _, test = split
    data = tmp_path / "partial.csv"
    test.drop(columns=["duration_in_month", "purpose"]).to_csv(data, index=False)
    result = run("score", model[0], data, "--out", tmp_path / "s.csv")
    _assert_clean_error(result, "duration_in_month", "purpose", "missing")


def test_evaluate_missing_target(model, split, tmp_path):
    folder, _, test = split
    data = tmp_path / "unlabelled.csv"
    test.drop(columns="credit_risk").to_csv(data, index=False)
    result = run("evaluate", model[0], data)
    _assert_clean_error(result, "target column 'credit_risk'")


def test_tampered_or_missing_model(model, tmp_path):
    text = model[0].read_text().replace('"intercept_points": ', '"intercept_points": 9', 1)
    tampered = tmp_path / "tampered.json"
    tampered.write_text(text)
    result = run("score", tampered, GERMAN, "--out", tmp_path / "s.csv")
    _assert_clean_error(result, "integrity")
    result = run("export", tmp_path / "nope.json", "--format", "csv", "--out", tmp_path / "x")
    _assert_clean_error(result, "does not exist")


def test_export_bad_format_and_dialect(model, tmp_path):
    result = run("export", model[0], "--format", "docx", "--out", tmp_path / "x")
    _assert_clean_error(result, "--format 'docx'")
    result = run("export", model[0], "--format", "sql", "--dialect", "oracle", "--out",
                 tmp_path / "x")
    _assert_clean_error(result, "--dialect 'oracle'")


def test_fit_holdout_prints_what_evaluate_measures_on_the_held_out_rows(tmp_path):
    """`fit --holdout 0.3` fits on a stratified 70% (the fairness front's rows for the same
    seed) and prints the hold-out AUC that `evaluate` finds on the rows it wrote out."""
    from scorecard.model.split import split_rows

    out, rows = tmp_path / "model.json", tmp_path / "holdout.csv"
    result = run("fit", GERMAN, "--target", "credit_risk", "--out", out, "--holdout", "0.3",
                 "--seed", "3", "--holdout-out", rows, "--exclude", "personal_status_and_sex",
                 "--exclude", "age_in_years", "--exclude", "foreign_worker")
    assert result.exit_code == 0, result.output
    assert "protected attribute" not in result.output
    frame = pd.read_csv(GERMAN)
    label = (frame["credit_risk"] == 2).to_numpy()
    train, held = split_rows(label, 0.3, 3)
    spec = load_spec(out)
    assert spec["training"]["n_rows"] == len(train) == 700
    held_rows = pd.read_csv(rows)
    pd.testing.assert_frame_equal(held_rows, frame.iloc[held].reset_index(drop=True))
    assert (held_rows["credit_risk"] == 2).sum() == 90  # stratified: 30% of the 300 bads
    score = score_frame(spec, held_rows)["score"]
    auc = metrics.auc(label[held].astype(int), score)
    line = next(x for x in result.output.splitlines() if x.startswith("hold-out"))
    assert "300 rows, 90 bads" in line and "seed 3" in line
    assert f"AUC       {auc.value:.4f}  SE {auc.se:.4f}" in result.output
    evaluated = run("evaluate", out, rows)
    assert evaluated.exit_code == 0, evaluated.output
    for metric in ("AUC ", "Gini ", "KS ", "log loss", "Brier", "HL test", "score IV"):
        shown = next(x for x in evaluated.output.splitlines() if x.startswith(metric))
        assert f"  {shown}" in result.output.splitlines(), metric


def test_fit_warns_about_protected_attributes_and_says_how_to_silence(tmp_path):
    out = tmp_path / "model.json"
    result = run("fit", GERMAN, "--target", "credit_risk", "--out", out)
    assert result.exit_code == 0, result.output
    names = {c["name"] for c in load_spec(out)["characteristics"]}
    warned = {line.split("'")[1] for line in result.output.splitlines()
              if line.startswith("warning: characteristic") and "protected" in line}
    assert warned == names & {"personal_status_and_sex", "age_in_years", "foreign_worker"}
    assert warned, "German credit's card takes at least one protected attribute"
    assert "--allow-protected" in result.output and "--exclude" in result.output
    allowed = [arg for name in sorted(warned) for arg in ("--allow-protected", name)]
    again = run("fit", GERMAN, "--target", "credit_risk", "--out", out, *allowed)
    assert again.exit_code == 0 and "protected attribute" not in again.output


@pytest.mark.parametrize(("args", "message"), [
    (("--holdout", "1"), "--holdout 1.0 must be a share in [0, 1)"),
    (("--holdout-out", "x.csv"), "--holdout-out needs --holdout"),
    (("--allow-protected", "nope"), "--allow-protected names unknown column(s) 'nope'"),
    (("--jobs", "0"), "--jobs 0"),
])
def test_fit_refuses_bad_holdout_protected_and_jobs_options(tmp_path, args, message):
    result = run("fit", GERMAN, "--target", "credit_risk", "--out", tmp_path / "m.json", *args)
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "m.json").exists()


def test_jobs_changes_nothing_but_the_threads(tmp_path):
    specs = []
    for jobs in ("1", "-1"):
        out = tmp_path / f"model{jobs}.json"
        result = run("fit", CREDIT, "--target", "Status", "--out", out, "--jobs", jobs,
                     "--exclude", "Age", "--exclude", "Marital")
        assert result.exit_code == 0, result.output
        spec = json.loads(out.read_text())
        specs.append({k: v for k, v in spec.items() if k not in ("created_at", "integrity")})
    assert specs[0] == specs[1]
    assert "n_jobs" not in specs[0]["model"]["binning"]["params"]
