"""The standalone Python scorer: standard library only, names stay data, CSV scoring agrees with
pandas' reading of the same file, and the command line works in an isolated interpreter."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from pandas._libs.parsers import STR_NA_VALUES

from scorecard.export import python_scorer_source
from scorecard.export.python_scorer import NA_STRINGS
from scorecard.model.spec import compute_integrity, score_frame

STDLIB_IMPORTS = {"__future__", "argparse", "bisect", "csv", "sys"}


def _load(source: str, tmp_path, name: str = "card_scorer"):
    path = tmp_path / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(f"{name}_{id(path)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, path


@pytest.fixture
def spec(card):
    return card.make_spec([
        card.numeric("age", [25.0, 35.5], [-1.0], [-10, 5, 20, 0, -30]),
        card.categorical("purpose", [["car", "new car"], ["tv"]], [15, -5], missing_points=-2,
                         unseen_points=-8),
    ], intercept=600, min_score=560, max_score=640)


def test_generated_module_imports_only_the_standard_library(spec):
    tree = ast.parse(python_scorer_source(spec))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported == STDLIB_IMPORTS


def test_module_carries_the_spec_hash_and_scores_a_row(spec, tmp_path):
    module, _ = _load(python_scorer_source(spec), tmp_path)
    assert module.SPEC_SHA256 == compute_integrity(spec)
    assert module.score({"age": 30.0, "purpose": "tv"}) == 600 + 5 - 5
    assert module.score({"age": 40.0, "purpose": "car"}) == 635
    assert module.score({"age": 40.0, "purpose": "car", "extra": object()}) == 635
    assert module.score({"age": "-1", "purpose": "nope"}) == 562
    assert module.score({"age": -1.0, "purpose": None}) == 568
    assert module.score({"age": float("nan"), "purpose": "car"}) == 615
    assert module.score({"age": pd.NA, "purpose": pd.NA}) == 598
    assert module.reason_codes({"age": 20.0, "purpose": "tv"}) == ["age", "purpose"]
    assert module.reason_codes({"age": 20.0, "purpose": "tv"}, k=1) == ["age"]
    assert module.reason_codes({"age": 40.0, "purpose": "car"}) == []


def test_bad_rows_raise_clear_errors(spec, tmp_path):
    module, _ = _load(python_scorer_source(spec), tmp_path)
    with pytest.raises(ValueError, match="input column 'purpose' is missing"):
        module.score({"age": 1.0})
    with pytest.raises(ValueError, match="column 'age': 'old' is not a number"):
        module.score({"age": "old", "purpose": "tv"})
    with pytest.raises(ValueError, match="k must be an integer"):
        module.reason_codes({"age": 1.0, "purpose": "tv"}, k=-1)


def test_hostile_names_are_string_literals_not_code(card, tmp_path):
    sentinel = tmp_path / "pwned"
    evil = f'x"); import os; os.system("touch {sentinel}")  # \'\'\' """'
    spec = card.make_spec([
        card.numeric(evil, [1.0], [], [1, 2, 3]),
        card.categorical("c\n\\", [[evil, "\\", "'''"]], [10], missing_points=0, unseen_points=0),
    ], name=evil + "\n\"\"\"\nimport os")
    module, _ = _load(python_scorer_source(spec), tmp_path)
    assert not sentinel.exists()
    assert module.SCORECARD_NAME == spec["name"]
    assert module.CHARACTERISTICS[0]["name"] == evil
    assert module.score({evil: 5.0, "c\n\\": evil}) == 2 + 10
    assert module.score({evil: None, "c\n\\": "'''"}) == 3 + 10


def test_na_strings_are_pandas_defaults():
    assert NA_STRINGS == frozenset(STR_NA_VALUES)


def test_score_csv_matches_score_frame_on_pandas_reading_of_the_file(spec, tmp_path):
    module, _ = _load(python_scorer_source(spec), tmp_path)
    rng = np.random.default_rng(3)
    ages = ["25", "25.0", "24.999999999999996", "35.5", "-1", "", "NA", "null", "1e3", "-inf"]
    purposes = ["car", "new car", "tv", "", "NaN", "TV", "x,y", 'say "hi"', "n/a", "None"]
    frame = pd.DataFrame({
        "id": range(60),
        "age": rng.choice(ages, 60),
        "purpose": rng.choice(purposes, 60),
    })
    source = tmp_path / "in.csv"
    frame.to_csv(source, index=False)
    target = tmp_path / "out.csv"
    module.score_csv(source, target, k=2)
    written = pd.read_csv(target, keep_default_na=False, dtype=str)
    reference = score_frame(spec, pd.read_csv(source), reason_codes=2)
    assert list(written.columns) == ["id", "age", "purpose", "score", "reason_1", "reason_2"]
    assert written["score"].astype(int).tolist() == reference["score"].tolist()
    for r in ("reason_1", "reason_2"):
        assert written[r].tolist() == reference[r].fillna("").tolist()
    original = pd.read_csv(source, dtype=str, keep_default_na=False)
    assert written["age"].tolist() == original["age"].tolist()  # input text kept verbatim


def test_score_csv_refuses_to_overwrite_an_input_column(spec, tmp_path):
    module, _ = _load(python_scorer_source(spec), tmp_path)
    source = tmp_path / "in.csv"
    source.write_text("age,purpose,score\n1,tv,3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="already has column"):
        module.score_csv(source, tmp_path / "out.csv")


def test_command_line_runs_in_an_isolated_interpreter(spec, tmp_path):
    _, path = _load(python_scorer_source(spec), tmp_path)
    source = tmp_path / "in.csv"
    source.write_text("age,purpose\n30,tv\n,car\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    done = subprocess.run([sys.executable, "-I", str(path), str(source), str(target),
                           "--reason-codes", "1"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8").splitlines() == [
        "age,purpose,score,reason_1", "30,tv,600,purpose", ",car,615,age",
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("age,purpose\nold,tv\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", str(path), str(bad), str(target)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "line 2" in done.stderr and "'old'" in done.stderr
