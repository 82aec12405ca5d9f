import json
import os

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from scorecard import stats
from scorecard.cli import app
from scorecard.datasets import data_dir
from scorecard.exceptions import InputError

runner = CliRunner()
GERMAN = str(data_dir() / "german_credit.csv")


def run(*args):
    return runner.invoke(app, list(args))


def test_help_lists_commands():
    result = run("--help")
    assert result.exit_code == 0
    assert "iv" in result.output and "dashboard" in result.output


def test_iv_json_matches_an_independent_crosstab():
    result = run("iv", GERMAN, "--target", "credit_risk", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["characteristics"]
    ivs = [r["iv"] for r in rows]
    assert ivs == sorted(ivs, reverse=True)
    assert len(rows) == 20
    top = rows[0]
    assert top["name"] == "status_of_existing_checking_account"
    frame = pd.read_csv(GERMAN)
    table = pd.crosstab(frame["status_of_existing_checking_account"], frame["credit_risk"])
    expected = stats.jeffreys(table[1].to_numpy(), table[2].to_numpy())
    assert top["iv"] == pytest.approx(expected.value, rel=1e-12)
    assert top["iv_se"] == pytest.approx(expected.se, rel=1e-12)
    for r in rows:
        assert 0 <= r["p_value"] <= 1 and r["p_value"] <= r["q_value"] + 1e-15
        assert r["iv_ci_low"] <= r["iv_corrected"] <= r["iv_ci_high"]
        assert r["p_method"] in ("chi2", "permutation") and r["ci_method"] in ("ncx2", "ncx2+wald")
        assert r["reliable"] and r["reliability_note"] == ""  # 1,000 rows: n_eff 210


def test_iv_table_output():
    result = run("iv", GERMAN, "--target", "credit_risk", "--n-bins", "10")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "iv_se" in lines[0] and "95% CI" in lines[0]
    assert "IV plug-in" in lines[0] and "IV corrected" in lines[0] and "p_method" in lines[0]
    assert lines[1].split()[0] == "status_of_existing_checking_account"


def test_iv_table_flags_too_few_counts(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=60), "y": (rng.random(60) < 0.3).astype(int)})
    path = tmp_path / "small.csv"
    frame.to_csv(path, index=False)
    result = run("iv", str(path), "--target", "y", "--n-bins", "5")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.split()[:1] == ["x"])
    assert row.split()[-1] == "unreliable*"  # the flag column, explained under the table
    assert "* x: unreliable: too few counts (n_eff = " in result.output
    assert "docs/STATISTICS.md section 7" in result.output
    as_json = run("iv", str(path), "--target", "y", "--n-bins", "5", "--json")
    record = json.loads(as_json.output)["characteristics"][0]
    assert record["reliable"] is False
    assert record["reliability_note"].startswith("unreliable: too few counts (n_eff = ")


def test_missing_target_column_is_named():
    result = run("iv", GERMAN, "--target", "nope")
    assert result.exit_code == 2
    assert "target column 'nope' not found" in result.output
    assert "Traceback" not in result.output


def test_non_binary_target_is_explained():
    result = run("iv", GERMAN, "--target", "purpose")
    assert result.exit_code == 2
    assert "not binary" in result.output and "'purpose'" in result.output


def test_unreadable_file(tmp_path):
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"this is not parquet")
    result = run("iv", str(bad), "--target", "y")
    assert result.exit_code == 2 and "cannot read" in result.output
    missing = run("iv", str(tmp_path / "none.csv"), "--target", "y")
    assert missing.exit_code == 2 and "does not exist" in missing.output
    other = tmp_path / "data.xls"
    other.write_text("x")
    assert "unknown extension" in run("iv", str(other), "--target", "y").output


def test_special_values_and_parquet(tmp_path):
    rng = np.random.default_rng(3)
    n = 4000
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    x[:300] = -999.0
    path = tmp_path / "d.parquet"
    pd.DataFrame({"x": x, "noise": rng.normal(size=n), "y": y}).to_parquet(path)
    result = run("iv", str(path), "--target", "y", "--special", "x=-999", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.output)["characteristics"]}
    assert rows["x"]["p_value"] < 1e-10 and rows["noise"]["p_value"] > 1e-4
    bad = run("iv", str(path), "--target", "y", "--special", "x:-999")
    assert bad.exit_code == 2 and "COL=VALUE" in bad.output


def test_paper_compatibility_columns_are_smaller_se():
    result = run("iv", GERMAN, "--target", "credit_risk", "--json", "--paper")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["characteristics"]
    frame = pd.read_csv(GERMAN)
    table = pd.crosstab(frame["purpose"], frame["credit_risk"])
    # Purposes with under 5 expected bads (300 of 1,000 rows: under 17 rows) share one bin.
    rare = table.sum(axis=1) * 300 / 1000 < 5
    assert sorted(table.index[rare]) == ["A410", "A44", "A48"]
    table = pd.concat([table[~rare], table[rare].sum().to_frame("Other").T])
    row = next(r for r in rows if r["name"] == "purpose")
    assert row["paper_se"] == pytest.approx(stats.paper_iv_se(table[1], table[2]), rel=1e-12)
    assert row["paper_se"] < row["iv_se"]


def test_bin_writes_json_that_reloads_and_reports(tmp_path):
    from scorecard.binning import BinningProcess

    out = tmp_path / "binning.json"
    result = run("bin", GERMAN, "--target", "credit_risk", "--out", str(out), "--report",
                 "--min-iv-low", "0.02", "--max-bins", "5")
    assert result.exit_code == 0, result.output
    process = BinningProcess.from_json(out.read_text())
    summary = process.summary()
    assert (summary["n_bins"] <= 5 + 2).all()
    assert set(process.selected_) == set(summary.loc[summary["iv_ci_low"] > 0.02, "name"])
    assert "status_of_existing_checking_account" in result.output
    assert "warning: column 'foreign_worker'" in result.output


def test_bin_bad_options():
    assert "nothing to do" in run("bin", GERMAN, "--target", "credit_risk").output
    bad = run("bin", GERMAN, "--target", "credit_risk", "--report", "--monotone", "up")
    assert bad.exit_code == 2 and "--monotone must be one of" in bad.output
    missing = run("bin", GERMAN, "--target", "credit_risk", "--report", "--exclude", "nope")
    assert missing.exit_code == 2 and "'nope' not found" in missing.output


def test_failed_write_leaves_existing_file_untouched(tmp_path, monkeypatch):
    import pandas as pd

    from scorecard.io import write_atomic

    target = tmp_path / "scored.csv"
    target.write_text("old contents")

    def half_write(tmp):
        tmp.write_text("half")
        raise OSError("disk full")

    with pytest.raises(InputError, match="disk full; nothing was written"):
        write_atomic(target, half_write)
    assert target.read_text() == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["scored.csv"]
    write_atomic(target, lambda tmp: pd.DataFrame({"a": [1]}).to_csv(tmp, index=False))
    assert target.read_text().splitlines() == ["a", "1"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("command", [[], ["iv"], ["drift"], ["fairness"]])
def test_help_points_to_the_measured_validity_region(command):
    """Issue 7: --help does not claim the tests are valid everywhere; it names the region."""
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "STATISTICS.md" in text and "section" in text and "7" in text


def test_iv_jobs_changes_nothing_but_the_threads():
    outputs = []
    for jobs in ("1", "2"):
        result = run("iv", GERMAN, "--target", "credit_risk", "--json", "-j", jobs)
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1]
    bad = run("iv", GERMAN, "--target", "credit_risk", "--jobs", "0")
    assert bad.exit_code == 2 and "--jobs 0" in bad.output
