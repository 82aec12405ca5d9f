"""A row scores the same in any batch and in every export (issue 8 item 1), and the scored CSV
repeats every input value exactly as written and reads back as the same rows (item 7).

Categorical text that looks numeric ("07", "1.0") is read as written, never re-typed per file.
"""

from __future__ import annotations

import csv
import importlib.util
import sqlite3

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.export import python_scorer_source, sql_query
from scorecard.io import NA_STRINGS, read_for_scoring, read_table
from scorecard.model.spec import load_spec

runner = CliRunner()
BRANCHES = {"07": 0.05, "7": 0.40, "1.0": 0.10, "1": 0.35, "A1": 0.20, "0012": 0.30}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)  # RFC 4180: a field with CR or LF is quoted
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """A card fitted on text categories whose values look numeric, plus a numeric column."""
    folder = tmp_path_factory.mktemp("batch")
    rng = np.random.default_rng(3)
    n = 6000
    branch = rng.choice(list(BRANCHES), n)
    income = np.round(rng.lognormal(8, 0.5, n), 2)
    p_bad = np.array([BRANCHES[b] for b in branch]) * np.where(income > 3000, 0.6, 1.4)
    bad = (rng.random(n) < p_bad).astype(int)
    _write_csv(folder / "train.csv", ["id", "branch", "income", "bad"],
               [[f"{i:06d}", b, repr(float(x)), y] for i, (b, x, y) in
                enumerate(zip(branch, income, bad))])
    result = run("fit", folder / "train.csv", "--target", "bad", "--exclude", "id",
                 "--out", folder / "model.json")
    assert result.exit_code == 0, result.output
    spec = load_spec(folder / "model.json")
    branch_ch = next(ch for ch in spec["characteristics"] if ch["name"] == "branch")
    assert branch_ch["dtype"] == "categorical"
    categories = {c for b in branch_ch["bins"][:-1] for c in b["categories"]}
    assert {"07", "7", "1.0", "1"} <= categories  # distinct texts, as written
    return folder, spec


ROWS = [  # id, branch, income: numeric-looking categories, missing, unseen
    ["000001", "07", "1500.5"], ["000002", "7", "4000"], ["000003", "1.0", ""],
    ["000004", "1", "2500"], ["000005", "0012", "NA"], ["000006", "NA", "3100"],
    ["000007", "", "1e3"], ["000008", "8", " 2999.99 "], ["000009", "A1", "5000"],
]


def _cli_scores(folder, name, rows, *extra):
    _write_csv(folder / f"{name}.csv", ["id", "branch", "income"], rows)
    out = folder / f"{name}_scored.csv"
    result = run("score", folder / "model.json", folder / f"{name}.csv", "--out", out,
                 "--reason-codes", 1, *extra)
    assert result.exit_code == 0, result.output
    with open(out, newline="", encoding="utf-8") as handle:
        scored = list(csv.DictReader(handle))
    return {row["id"]: int(row["score"]) for row in scored}, scored


def test_a_row_scores_the_same_in_any_batch_and_every_export(fitted, tmp_path):
    folder, spec = fitted
    everything, _ = _cli_scores(folder, "all", ROWS)
    numeric_looking = [r for r in ROWS if r[1] not in ("A1",)]
    alone = {}
    for row in ROWS:  # every row alone in its own file
        alone.update(_cli_scores(folder, f"one_{row[0]}", [row])[0])
    subset, _ = _cli_scores(folder, "subset", numeric_looking)
    assert alone == everything
    assert subset == {k: v for k, v in everything.items() if k in subset}
    branch = next(ch for ch in spec["characteristics"] if ch["name"] == "branch")
    points = {c: b["points"] for b in branch["bins"][:-1] for c in b["categories"]}
    assert points["07"] != points["7"] or points["1.0"] != points["1"]  # the texts matter

    # The generated Python scorer, on the same files.
    path = tmp_path / "scorer.py"
    path.write_text(python_scorer_source(spec), encoding="utf-8")
    loader = importlib.util.spec_from_file_location("batch_scorer", path)
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    module.score_csv(folder / "all.csv", tmp_path / "py.csv", k=1)
    with open(tmp_path / "py.csv", newline="", encoding="utf-8") as handle:
        assert {r["id"]: int(r["score"]) for r in csv.DictReader(handle)} == everything

    # The SQL, on a table loaded as text with the same missing rule.
    con = sqlite3.connect(":memory:")
    con.execute('CREATE TABLE applications ("id" TEXT, "branch" TEXT, "income" REAL)')
    con.executemany("INSERT INTO applications VALUES (?, ?, ?)", [
        (i, None if b in NA_STRINGS else b, None if x in NA_STRINGS else float(x))
        for i, b, x in ROWS])
    query = sql_query(spec, dialect="sqlite")
    sql = {r[0]: int(r[-1]) for r in con.execute(query)}
    con.close()
    assert sql == everything

    # Parquet keeps its stored text.
    frame = pd.DataFrame(ROWS, columns=["id", "branch", "income"])
    frame["income"] = pd.to_numeric(frame["income"].where(~frame["income"].isin(NA_STRINGS)))
    frame["branch"] = frame["branch"].where(~frame["branch"].isin(NA_STRINGS), None)
    frame.to_parquet(tmp_path / "all.parquet")
    out = tmp_path / "parquet_scored.parquet"
    result = run("score", folder / "model.json", tmp_path / "all.parquet", "--out", out)
    assert result.exit_code == 0, result.output
    back = pd.read_parquet(out)
    assert dict(zip(back["id"], back["score"].astype(int))) == everything


def test_output_repeats_every_input_value_as_written(fitted):
    folder, _ = fitted
    _, scored = _cli_scores(folder, "verbatim", ROWS)
    assert [[r["id"], r["branch"], r["income"]] for r in scored] == ROWS
    raw = (folder / "verbatim_scored.csv").read_bytes()
    assert b"000001,07,1500.5," in raw and b"7.0" not in raw


def test_evaluate_reads_categories_as_written(fitted):
    folder, _ = fitted
    rows = [r + [str(i % 2)] for i, r in enumerate(ROWS)]
    _write_csv(folder / "labelled.csv", ["id", "branch", "income", "bad"], rows)
    subset = [r for r in rows if r[1] in ("07", "1.0", "7", "1")]
    _write_csv(folder / "labelled_subset.csv", ["id", "branch", "income", "bad"], subset)
    full = run("evaluate", folder / "model.json", folder / "labelled.csv", "--json")
    part = run("evaluate", folder / "model.json", folder / "labelled_subset.csv", "--json")
    assert full.exit_code == 0 and part.exit_code == 0, full.output + part.output
    assert '"n": 9' in full.output and '"n": 4' in part.output


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n"])
def test_text_with_line_breaks_round_trips(fitted, tmp_path, newline):
    folder, _ = fitted
    rows = [[f"{i:06d}", "07", "100"] for i in range(12_000)]
    rows[5][0] = f"id{newline}with break"
    rows[6][0] = f'quote " and comma, {newline}'
    _, scored = _cli_scores(folder, "breaks", rows)
    assert len(scored) == 12_000 and scored[5]["id"] == rows[5][0]
    back = pd.read_csv(folder / "breaks_scored.csv", dtype=str, keep_default_na=False)
    assert len(back) == 12_000 and back["id"].tolist() == [r[0] for r in rows]
    again, view = read_for_scoring(folder / "breaks_scored.csv", ["branch"])
    assert again["id"].tolist() == [r[0] for r in rows] and view["branch"].eq("07").all()


def test_na_strings_match_pandas():
    from pandas._libs.parsers import STR_NA_VALUES

    assert NA_STRINGS == frozenset(STR_NA_VALUES)


def test_training_reads_text_columns_as_written(tmp_path):
    path = tmp_path / "t.csv"
    _write_csv(path, ["flag", "code", "x"], [["TRUE", "07", "1"], ["true", "A", "2"],
                                             ["NA", "", "NA"]])
    frame = read_table(path)
    assert frame["flag"].tolist() == ["TRUE", "true", None]
    assert frame["code"].tolist() == ["07", "A", None]
    assert frame["x"].dtype == np.float64


def test_csv_edge_layouts_read_cleanly(tmp_path):
    from scorecard.exceptions import InputError

    bom = tmp_path / "bom.csv"
    bom.write_bytes(b'\xef\xbb\xbfcode,x\r\n07,1\r\n\r\n"a\r\nb",\r\n')
    frame = read_table(bom)
    assert list(frame.columns) == ["code", "x"] and frame["code"].tolist() == ["07", "a\r\nb"]
    raw, view = read_for_scoring(bom, ["x"])
    assert raw["x"].tolist() == ["1", ""] and view["x"].tolist() == ["1", None]
    unnamed = tmp_path / "unnamed.csv"
    unnamed.write_text("a,,b\n1,x,07\n")
    assert read_table(unnamed, as_written=True).to_dict("list") == {
        "a": ["1"], "Unnamed: 1": ["x"], "b": ["07"]}
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b\n1,x\n2\n")
    with pytest.raises(InputError, match="ragged.csv"):
        read_for_scoring(ragged, ["a"])
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty.csv"):
        read_table(empty)


def test_every_column_as_written_keeps_the_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b\n07,x\n1.0,NA\n")
    frame = read_table(path, as_written=["a", "b"])
    assert frame.to_dict("list") == {"a": ["07", "1.0"], "b": ["x", "NA"]}
    _, view = read_for_scoring(path, ["a", "b"], keep_all_as_written=False)
    assert view.to_dict("list") == {"a": ["07", "1.0"], "b": ["x", None]}
