"""Bad input to the CLI, as an attacker or a careless user would give it (issue 8).

Every case must end with a one-line ``error: ...`` naming what was wrong, exit code 2, no
traceback, and nothing written or replaced. `CASES` is the table; its length is the count of
inputs tried in the closing note.
"""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.datasets import data_dir

runner = CliRunner()
GERMAN = data_dir() / "german_credit.csv"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def ctx(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad")
    frame = pd.read_csv(GERMAN)
    frame.to_csv(folder / "data.csv", index=False)
    model = folder / "model.json"
    result = run("fit", folder / "data.csv", "--target", "credit_risk", "--out", model)
    assert result.exit_code == 0, result.output
    spec = json.loads(model.read_text())

    (folder / "dir.csv").mkdir()
    os.symlink(folder / "elsewhere.csv", folder / "link.csv")
    os.mkfifo(folder / "fifo.csv")
    with_score = frame.assign(score=1)
    with_score.to_csv(folder / "with_score.csv", index=False)
    text = (folder / "data.csv").read_text().splitlines()
    header = text[0].split(",")
    header[1] = header[0]
    (folder / "dupes.csv").write_text("\n".join([",".join(header), *text[1:]]) + "\n")
    rng = np.random.default_rng(0)
    pd.DataFrame({"a": rng.integers(0, 2, 400), "bad": rng.integers(0, 2, 400)}).to_csv(
        folder / "noise.csv", index=False)
    big = dict(spec)
    big["intercept_points"] = 10**12
    (folder / "big_intercept.json").write_text(_sealed_text(big))
    huge = model.read_text().replace('"n_rows": ', '"n_rows": ' + "9" * 5001, 1)
    (folder / "huge_int.json").write_text(huge)
    return {"folder": folder, "data": folder / "data.csv", "model": model, "spec": spec}


def _sealed_text(spec: dict) -> str:
    from scorecard.model.spec import compute_integrity

    body = {k: v for k, v in spec.items() if k != "integrity"}
    body["integrity"] = {"sha256": compute_integrity(body)}
    return json.dumps(body)


def _port_in_use():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


D, M, F = "{data}", "{model}", "{folder}"
CASES = [
    # item 9: --out targets that are not regular files, or cannot be written
    ("out is a directory", ["score", M, D, "--out", F + "/dir.csv"], "is a directory"),
    ("out is a symlink", ["score", M, D, "--out", F + "/link.csv"], "symbolic link"),
    ("out is a FIFO", ["score", M, D, "--out", F + "/fifo.csv"], "named pipe"),
    ("out is a device", ["score", M, D, "--out", "/dev/null"], "is a device"),
    ("out under /proc", ["score", M, D, "--out", "/proc/scorecard.csv"], "cannot write"),
    ("out under /sys", ["score", M, D, "--out", "/sys/scorecard.csv"], "cannot write"),
    ("out in a missing folder", ["score", M, D, "--out", F + "/no/x.csv"], "does not exist"),
    ("export to a directory", ["export", M, "--format", "sql", "--out", F + "/dir.csv"],
     "is a directory"),
    ("fit spec onto a FIFO", ["fit", D, "--target", "credit_risk", "--out", F + "/fifo.csv"],
     "named pipe"),
    ("bin json onto a device", ["bin", D, "--target", "credit_risk", "--out", "/dev/null"],
     "is a device"),
    # item 10
    ("spec with a 5,001-digit integer", ["score", F + "/huge_int.json", D, "--out",
                                         F + "/o.csv"], "JSON cannot read"),
    ("reason codes 100000", ["score", M, D, "--out", F + "/o.csv", "--reason-codes", "100000"],
     "--reason-codes 100000 must be between 0 and"),
    ("reason codes -1", ["score", M, D, "--out", F + "/o.csv", "--reason-codes", "-1"],
     "--reason-codes -1"),
    ("iv level 2", ["iv", D, "--target", "credit_risk", "--level", "2"], "--level 2.0"),
    ("iv level 0", ["iv", D, "--target", "credit_risk", "--level", "0"], "--level 0.0"),
    ("iv level nan", ["iv", D, "--target", "credit_risk", "--level", "nan"], "--level nan"),
    ("evaluate level 1", ["evaluate", M, D, "--level", "1"], "strictly between 0 and 1"),
    ("special on a text column", ["iv", D, "--target", "credit_risk", "--special", "purpose=1"],
     "'purpose' holds text"),
    ("special on a missing column", ["bin", D, "--target", "credit_risk", "--report",
                                     "--special", "nope=1"], "'nope', which is not in the data"),
    ("fit special on text", ["fit", D, "--target", "credit_risk", "--out", F + "/m2.json",
                             "--special", "purpose=-999"], "'purpose' holds text"),
    # item 5: implausible numbers in a correctly hashed spec
    ("intercept 10^12, re-hashed", ["score", F + "/big_intercept.json", D, "--out",
                                    F + "/o.csv"], "intercept_points 1000000000000"),
    # item 13
    ("duplicate CSV columns (iv)", ["iv", F + "/dupes.csv", "--target", "credit_risk"],
     "duplicate column name"),
    ("duplicate CSV columns (fit)", ["fit", F + "/dupes.csv", "--target", "credit_risk", "--out",
                                     F + "/m3.json"], "duplicate column name"),
    ("duplicate CSV columns (score)", ["score", M, F + "/dupes.csv", "--out", F + "/o.csv"],
     "duplicate column name"),
    # item 14
    ("dashboard port 70000", ["dashboard", "--port", "70000"], "--port 70000"),
    ("dashboard port 0", ["dashboard", "--port", "0"], "--port 0"),
    ("dashboard bad address", ["dashboard", "--address", "not an address!"],
     "is not an IP address or host name"),
    ("dashboard address of another machine", ["dashboard", "--address", "192.0.2.1",
                                              "--port", "8599"], "cannot listen on 192.0.2.1"),
    # item 15
    ("data with no signal", ["fit", F + "/noise.csv", "--target", "bad", "--out",
                             F + "/m4.json"], "no characteristic carries information"),
    # item 16
    ("input column named score", ["score", M, F + "/with_score.csv", "--out", F + "/o.csv"],
     "--score-column"),
    ("empty score column name", ["score", M, D, "--out", F + "/o.csv", "--score-column", ""],
     "must be a non-empty name"),
    ("export score column = characteristic", ["export", M, "--format", "python", "--out",
                                              F + "/s.py", "--score-column", "purpose"],
     "'purpose'"),
]


@pytest.mark.parametrize("name, args, phrase", CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_cleanly(ctx, name, args, phrase, monkeypatch):
    monkeypatch.setattr(os, "execv", lambda *a: pytest.fail(f"started a server: {a}"))
    before = {p.name: p.stat().st_mtime_ns for p in ctx["folder"].iterdir() if p.is_file()}
    args = [a.format(**ctx) for a in args]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and phrase in errors[0], result.output
    after = {p.name: p.stat().st_mtime_ns for p in ctx["folder"].iterdir() if p.is_file()}
    assert after == before, "a failed command wrote or replaced a file"
    assert stat.S_ISFIFO(os.lstat(ctx["folder"] / "fifo.csv").st_mode)
    assert os.path.islink(ctx["folder"] / "link.csv")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_port_in_use_is_a_clean_error(monkeypatch):
    monkeypatch.setattr(os, "execv", lambda *a: pytest.fail("started a server"))
    with _port_in_use() as sock:
        port = sock.getsockname()[1]
        result = run("dashboard", "--port", port)
    assert result.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.output


def test_score_column_option_names_the_output(ctx, tmp_path):
    out = tmp_path / "scored.csv"
    result = run("score", ctx["model"], ctx["folder"] / "with_score.csv", "--out", out,
                 "--score-column", "card_score", "--reason-codes", 2)
    assert result.exit_code == 0, result.output
    scored = pd.read_csv(out)
    assert (scored["score"] == 1).all() and scored["card_score"].between(0, 1000).all()
    assert list(scored.columns[-3:]) == ["card_score", "reason_1", "reason_2"]


def test_terminal_escapes_in_names_are_printed_escaped(tmp_path):
    frame = pd.read_csv(GERMAN).rename(columns={"duration_in_month": "dur\x1b[2J\x1b]0;pwned\x07"})
    frame.to_csv(tmp_path / "esc.csv", index=False)
    result = run("iv", tmp_path / "esc.csv", "--target", "credit_risk")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "dur\\x1b[2J\\x1b]0;pwned\\x07" in result.output
    model = tmp_path / "m.json"
    result = run("fit", tmp_path / "esc.csv", "--target", "credit_risk", "--out", model,
                 "--name", "card\x1b[31m\u202eevil")
    assert result.exit_code == 0 and "\x1b" not in result.output and "\u202e" not in result.output
    assert "card\\x1b[31m\\u202eevil" in result.output
    result = run("evaluate", model, tmp_path / "esc.csv")
    assert result.exit_code == 0 and "\x1b" not in result.output
    result = run("score", model, tmp_path / "esc.csv", "--out", tmp_path / "nope" / "x.csv")
    assert result.exit_code == 2 and "\x1b" not in result.output


def test_json_output_stays_valid_and_inert_with_control_characters(tmp_path):
    name = "dur\x7f\x1b[2J\u202e"
    frame = pd.read_csv(GERMAN).rename(columns={"duration_in_month": name})
    frame.to_csv(tmp_path / "esc.csv", index=False)
    result = run("iv", tmp_path / "esc.csv", "--target", "credit_risk", "--json")
    assert result.exit_code == 0, result.output
    assert not any(c in result.output for c in "\x7f\x1b\u202e")
    names = [row["name"] for row in json.loads(result.output)["characteristics"]]
    assert name in names
