"""The README's shell examples, run as written, so the README cannot rot.

Every ```bash block runs unless an HTML comment "not run ..." right above it says why (set-up,
a server of your own, a process that runs until stopped). The examples run in a temporary folder
laid out like the repository after `make run`: `data/` and the demo files `make run` writes
under `var/` (made by the Makefile's own recipe lines). `scorecard` commands run in-process
(one console-script start is checked for real); `export` sets the environment.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.datasets import DATASETS

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"(<!-- not run[^>]*-->\s*\n)?```bash\n(.*?)```", re.S)
SCORECARD = ".venv/bin/scorecard"
OUTPUT_OPTIONS = ("--out", "--html", "--holdout-out")


def _blocks() -> list[tuple[bool, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [(not skip, body) for skip, body in BLOCK.findall(text)]


def _commands(body: str) -> list[list[str]]:
    """The block's commands as argument lists: continuations joined, comments dropped, `;`
    separating commands."""
    commands = []
    for line in body.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] = []
        for token in lexer:
            if token == ";":
                commands.append(current)
                current = []
            else:
                current.append(token)
        if current:
            commands.append(current)
    return [c for c in commands if c]


RUN = [c for run, body in _blocks() if run for c in _commands(body)]


def _option(command: list[str], name: str) -> list[str]:
    return [command[i + 1] for i, arg in enumerate(command[:-1]) if arg == name]


def test_the_readme_has_runnable_examples_and_says_why_others_are_not_run():
    blocks = _blocks()
    assert sum(run for run, _ in blocks) >= 6 and len(RUN) >= 25
    assert all(c[0] in (SCORECARD, "export") for c in RUN), [c[0] for c in RUN]
    subcommands = {c[1] for c in RUN if c[0] == SCORECARD}
    assert {"iv", "bin", "fit", "evaluate", "score", "export", "fairness", "drift", "monitor",
            "schedule"} <= subcommands


def test_examples_write_under_var_and_never_to_the_same_file():
    outputs = [out for c in RUN for name in OUTPUT_OPTIONS for out in _option(c, name)]
    assert len(outputs) >= 10
    assert all(out.startswith("var/") for out in outputs), outputs
    assert len(set(outputs)) == len(outputs), sorted(outputs)


def test_examples_keep_protected_attributes_out_of_the_card_and_evaluate_on_hold_out():
    protected = set(DATASETS["german_credit"].protected)
    fits = [c for c in RUN if c[1:2] == ["fit"]]
    assert fits
    for c in fits:
        assert protected <= set(_option(c, "--exclude")), c
        assert _option(c, "--holdout") and _option(c, "--holdout-out"), c
    held_out = {out for c in fits for out in _option(c, "--holdout-out")}
    evaluations = [c for c in RUN if c[1:2] == ["evaluate"]]
    assert evaluations and all(c[3] in held_out for c in evaluations), evaluations


def _make_recipe(target: str) -> list[str]:
    """The recipe lines of a Makefile target, with the Makefile's variables filled in."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        command = (line.strip().replace("$(BIN)/", f"{Path(sys.executable).parent}/")
                   .replace("$(VAR)", "var").replace("$(CURDIR)", "."))
        assert "$(" not in command, f"teach the test this Makefile variable: {command}"
        recipe.append(command)
    assert recipe, f"the Makefile has no recipe for {target}"
    return recipe


@pytest.mark.slow
def test_every_runnable_example_runs(tmp_path, monkeypatch):
    (tmp_path / "data").symlink_to(ROOT / "data")
    env = {**os.environ, "SCORECARD_DB": f"sqlite:///{tmp_path}/var/scorecard.db",
           "PWD": str(tmp_path)}
    for target in ("demo-data", "demo-store"):
        for line in _make_recipe(target):
            done = subprocess.run(line, shell=True, cwd=tmp_path, env=env, capture_output=True,
                                  text=True, timeout=600)
            assert done.returncode == 0, (line, done.stdout, done.stderr)
    script = Path(sys.executable).with_name("scorecard")
    started = subprocess.run([str(script), "--help"], capture_output=True, text=True,
                             timeout=300, cwd=tmp_path)
    assert started.returncode == 0 and "Usage: scorecard" in started.stdout, started.stderr

    monkeypatch.chdir(tmp_path)
    for name in ("SCORECARD_DB", "PWD"):
        monkeypatch.setenv(name, env[name])
    runner = CliRunner()
    before = {p for p in tmp_path.iterdir()}
    for command in RUN:
        args = [os.path.expandvars(a) for a in command]
        if args[0] == "export":
            name, _, value = args[1].partition("=")
            monkeypatch.setenv(name, value)
            continue
        result = runner.invoke(app, args[1:], prog_name="scorecard")
        assert result.exit_code == 0, (command, result.output[-3000:])
        assert "error:" not in result.output, (command, result.output[-3000:])
        assert "protected attribute" not in result.output, command
    assert {p for p in tmp_path.iterdir()} == before, "examples write under var/ only"
    for c in RUN:
        for name in OUTPUT_OPTIONS:
            for out in _option(c, name):
                assert (tmp_path / out).is_file(), out
