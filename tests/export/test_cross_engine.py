"""The proof: every export scores boundary rows exactly like the reference scorer.

For each spec (numeric with specials and extreme edges, categorical with hostile names, mixed
with a clipped score range, random cards) the rows hit every edge exactly, one ulp below and
above it, every special value, missing (None and NaN), +-0.0, +-inf, every category, unseen
categories, plus random rows. Scores from (a) `score_frame`, (b) the generated Python scorer,
(c) the SQL in sqlite3, (d) the SQL in a real PostgreSQL and (e) the PMML in jpmml-evaluator
must be identical integers; reason codes are compared too. One characteristic is named
``score``, so every export names its score column ``SCORE_COLUMN`` instead. The ansi dialect
refuses categories with a backslash (tests/export/test_sql_literals.py proves why).
"""

from __future__ import annotations

import importlib.util
import math
import sqlite3
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest

from scorecard.exceptions import InputError
from scorecard.export import pmml_document, python_scorer_source, sql_query
from scorecard.export.pmml import output_field_names
from scorecard.model.spec import score_frame, seal

pytestmark = pytest.mark.e2e

K_REASONS = 3
ROW_ID = "__row_id"
SCORE_COLUMN = "total_score"

HOSTILE_CATEGORIES = [
    ["O'Brien", "a,b", 'say "hi"'],
    ["semi;colon -- comment", "/* c */", "back\\slash"],
    ["trail\\", '\\"', "naïve café 日本 🎉"],
    [" leading", "trailing ", ""],
    ["NULL", "None", "NaN", "nan"],
    ["new\nline", "tab\tx", '=HYPERLINK("x")', "cr\rx"],
    ["%s", "{}", "$1", "?", ":name", "A11"],
]
# Shortest decimals that SQLite 3.40's own parser rounds to the wrong double (found by search):
# the sqlite dialect must build them exactly, or the rows one ulp away score differently.
HARD_LITERALS = [-12561.38069727733, -1555.174360205168, -7.070115219958232, -1.801992942134233,
                 -1.35658863952282e-14, 1.005192704241629e-09, 102903.6648600556,
                 1.583149055046639e22]
UNSEEN = ["zzz", "a11", "A11 ", "O''Brien", "'", '"', "\\", "%", "NULL ", "日本"]


# ----------------------------------------------------------------------------------------------
# Specs
# ----------------------------------------------------------------------------------------------


def _points(rng: np.random.Generator, n: int) -> list[int]:
    return rng.integers(-40, 80, n).tolist()


def spec_numeric(card: Any, rng: np.random.Generator) -> dict:
    def num(name, edges, specials):
        return card.numeric(name, edges, specials, _points(rng, len(edges) + 2 + len(specials)))

    income = sorted(set((rng.normal(size=6) * 1e4).tolist()))
    return card.make_spec([
        num("duration_in_month", [11.5, 15.5, 24.5], [-999.0]),
        num("income", income, [-999.0, -1.0]),
        num("tiny", [-1e-300, -5e-324, 0.0, 5e-324, 1e-300], []),
        num("huge", [-1.7976931348623157e308, -1e300, 1e300, 1.7976931348623157e308], [0.0]),
        num("no_edges", [], [15.5]),
        num("special_on_edge", [0.1, 0.2, 0.30000000000000004], [0.2]),
        num("ratio", [1 / 3, 2 / 3, 0.7, 1.0000000000000002], [-0.0]),
        num("hard_literals", HARD_LITERALS, [-1.776048709244181e-15]),
    ], intercept=17)


def spec_categorical(card: Any, rng: np.random.Generator) -> dict:
    groups = HOSTILE_CATEGORIES
    return card.make_spec([
        card.categorical('purpose "quoted"; DROP TABLE applications; --', groups,
                         _points(rng, len(groups)), missing_points=-7, unseen_points=3),
        card.categorical("größe", [["A"], ["B", "C"]], [10, 20], missing_points=0,
                         unseen_points=30, unseen="zero"),
        card.categorical("score", [["x"], ["y"]], [1, 2], missing_points=3, unseen_points=4),
        card.categorical("it's a.b", [["1"], ["2", "3"]], [-5, 5], missing_points=0,
                         unseen_points=0, unseen="missing"),
    ], intercept=-3)


def spec_mixed(card: Any, rng: np.random.Generator, *, low: bool, high: bool) -> dict:
    spec = card.make_spec([
        card.numeric("age", [25.0, 35.5, 50.0], [-1.0], [-20, 0, 15, 30, -5, -25]),
        card.categorical("housing", [["own"], ["rent", "free"]], [25, -10], missing_points=-15,
                         unseen_points=-15),
        card.numeric("amount", sorted(set((rng.lognormal(8, 1, 5)).tolist())), [0.0],
                     _points(rng, 8)),
        card.categorical("job's \"kind\"", HOSTILE_CATEGORIES[:3], [40, -40, 0], missing_points=5,
                         unseen_points=45),
    ], intercept=500)
    # A range that cuts into the scores actually reached, so clipping is exercised.
    rows = boundary_rows(spec, np.random.default_rng(99))
    raw = score_frame(spec, pd.DataFrame(rows))["score"]
    spec = dict(spec)
    spec["scaling"] = dict(spec["scaling"])
    spec["scaling"]["min_score"] = int(raw.quantile(0.25)) if low else None
    spec["scaling"]["max_score"] = int(raw.quantile(0.75)) if high else None
    return seal(spec)


def spec_random(card: Any, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    alphabet = list("ab'\",; -\\é日\t") + ["--", "/*", "*/"]
    characteristics = []
    for i in range(4):
        characteristics.append(card.random_numeric(
            rng, f"num {i} '\"", int(rng.integers(0, 8)), int(rng.integers(0, 3)),
            scale=float(10.0 ** rng.integers(-3, 6)),
        ))
    for i in range(2):
        words = sorted({"".join(rng.choice(alphabet, int(rng.integers(1, 5)))) for _ in range(12)})
        cut = sorted(set(rng.integers(1, len(words), 3).tolist()))
        groups = [words[a:b] for a, b in zip([0, *cut], [*cut, len(words)]) if words[a:b]]
        characteristics.append(card.categorical(
            f"cat {i}", groups, _points(rng, len(groups)), missing_points=int(rng.integers(-9, 9)),
            unseen_points=int(rng.integers(-9, 9)),
        ))
    return card.make_spec(characteristics, intercept=int(rng.integers(0, 600)))


# ----------------------------------------------------------------------------------------------
# Boundary rows
# ----------------------------------------------------------------------------------------------


def _numeric_values(ch: dict, rng: np.random.Generator) -> list[float | None]:
    values: list[float | None] = [None, math.nan, math.inf, -math.inf, 0.0, -0.0]
    with np.errstate(over="ignore"):
        for point in [*ch["edges"], *ch["special_values"]]:
            values += [point, float(np.nextafter(point, -np.inf)),
                       float(np.nextafter(point, np.inf))]
    finite = [abs(e) for e in ch["edges"] if 0 < abs(e) < 1e300] or [1.0]
    scale = float(np.median(finite))
    values += (rng.normal(size=12) * scale).tolist()
    values += [e * float(rng.uniform(0.9, 1.1)) for e in ch["edges"]]
    return values


def _categorical_values(ch: dict) -> list[str | None]:
    values: list[str | None] = [None]
    for bin_ in ch["bins"][:-1]:
        values += bin_["categories"]
    return values + UNSEEN


def boundary_rows(spec: dict, rng: np.random.Generator, n_random: int = 40) -> list[dict]:
    columns = {}
    for ch in spec["characteristics"]:
        values = (_numeric_values(ch, rng) if ch["dtype"] == "numeric"
                  else _categorical_values(ch))
        columns[ch["name"]] = values
    n_rows = max(len(v) for v in columns.values()) + n_random
    for name, values in columns.items():
        extra = [values[i] for i in rng.integers(0, len(values), n_rows - len(values))]
        padded = values + extra
        columns[name] = [padded[i] for i in rng.permutation(n_rows)]
    return [{name: columns[name][r] for name in columns} for r in range(n_rows)]


# ----------------------------------------------------------------------------------------------
# Engines
# ----------------------------------------------------------------------------------------------


def reference(spec: dict, rows: list[dict]) -> tuple[list[int], list[list[str]]]:
    scored = score_frame(spec, pd.DataFrame(rows), reason_codes=K_REASONS)
    columns = [f"reason_{k + 1}" for k in range(K_REASONS)]
    reasons = [[r for r in row if r is not None]
               for row in scored[columns].itertuples(index=False)]
    return scored["score"].tolist(), reasons


def python_module(spec: dict, tmp_path: Any) -> Any:
    path = tmp_path / "generated_scorer.py"
    path.write_text(python_scorer_source(spec, score_column=SCORE_COLUMN), encoding="utf-8")
    module_name = f"generated_scorer_{id(path)}"
    loader_spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(loader_spec)
    loader_spec.loader.exec_module(module)
    return module


def _sql_type(ch: dict, dialect: str) -> str:
    if ch["dtype"] == "categorical":
        return "TEXT"
    return "REAL" if dialect == "sqlite" else "DOUBLE PRECISION"


def _create_and_insert(cursor: Any, spec: dict, rows: list[dict], table: str, dialect: str) -> None:
    from scorecard.export.sql import quote_identifier

    chars = spec["characteristics"]
    columns = ", ".join(f"{quote_identifier(ch['name'])} {_sql_type(ch, dialect)}" for ch in chars)
    row_id = quote_identifier(ROW_ID)
    cursor.execute(f"CREATE TABLE {table} ({row_id} INTEGER PRIMARY KEY, {columns})")
    mark = "?" if dialect == "sqlite" else "%s"
    names = ", ".join(quote_identifier(n) for n in [ROW_ID] + [ch["name"] for ch in chars])
    placeholders = ", ".join([mark] * (len(chars) + 1))
    cursor.executemany(
        f"INSERT INTO {table} ({names}) VALUES ({placeholders})",
        [[r] + [row[ch["name"]] for ch in chars] for r, row in enumerate(rows)],
    )


def _run(cursor: Any, query: str) -> list[int]:
    cursor.execute(f"SELECT * FROM (\n{query}\n) AS q ORDER BY 1")
    result = cursor.fetchall()
    return [int(row[-1]) for row in result]


def sqlite_scores(spec: dict, rows: list[dict]) -> list[int]:
    con = sqlite3.connect(":memory:")
    try:
        _create_and_insert(con, spec, rows, '"applications"', "sqlite")
        scores = _run(con.cursor(), sql_query(spec, dialect="sqlite", table="applications",
                                              score_column=SCORE_COLUMN))
        assert con.execute("SELECT COUNT(*) FROM applications").fetchone()[0] == len(rows)
        return scores
    finally:
        con.close()


def _has_backslash(spec: dict) -> bool:
    return any("\\" in c for ch in spec["characteristics"] if ch["dtype"] == "categorical"
               for b in ch["bins"][:-1] for c in b["categories"])


def postgres_scores(server: Any, spec: dict, rows: list[dict], schema: str) -> dict[str, list[int]]:
    from scorecard.export.sql import quote_identifier

    table = (schema, "applications")
    qualified = f"{quote_identifier(schema)}.{quote_identifier('applications')}"
    with server.connect() as con, con.cursor() as cur:
        cur.execute(f"DROP SCHEMA IF EXISTS {quote_identifier(schema)} CASCADE")
        cur.execute(f"CREATE SCHEMA {quote_identifier(schema)}")
        _create_and_insert(cur, spec, rows, qualified, "postgres")
        out = {"postgres": _run(cur, sql_query(spec, dialect="postgres", table=table,
                                               score_column=SCORE_COLUMN))}
        if _has_backslash(spec):
            with pytest.raises(InputError, match="backslash"):
                sql_query(spec, dialect="ansi", table=table, score_column=SCORE_COLUMN)
        else:
            out["ansi"] = _run(cur, sql_query(spec, dialect="ansi", table=table,
                                              score_column=SCORE_COLUMN))
        cur.execute(f"SELECT COUNT(*) FROM {qualified}")
        assert cur.fetchone()[0] == len(rows)
        cur.execute(f"DROP SCHEMA {quote_identifier(schema)} CASCADE")
    return out


def pmml_results(make: Any, spec: dict, rows: list[dict]) -> tuple[list[int], list[list[str]]]:
    evaluator = make(pmml_document(spec, reason_codes=K_REASONS, score_column=SCORE_COLUMN))
    fields = output_field_names(spec, reason_codes=K_REASONS, score_column=SCORE_COLUMN)
    frame = pd.DataFrame({
        ch["name"]: pd.Series(
            [None if isinstance(row[ch["name"]], float) and math.isnan(row[ch["name"]])
             else row[ch["name"]] for row in rows], dtype=object)
        for ch in spec["characteristics"]
    })
    result = evaluator.evaluateAll(frame)
    assert "errors" not in result.columns or result["errors"].isna().all(), result.get("errors")
    scores = []
    for value in result[fields["score"]]:
        assert float(value).is_integer(), value
        scores.append(int(value))
    reasons = [[r for r in row] for row in result[fields["reasons"]].itertuples(index=False)]
    return scores, reasons


# ----------------------------------------------------------------------------------------------
# The proof
# ----------------------------------------------------------------------------------------------


SPECS = ["numeric", "categorical", "mixed_clipped", "mixed_min_only", "random_0", "random_1",
         "random_2"]


def build(name: str, card: Any) -> dict:
    rng = np.random.default_rng(sum(map(ord, name)))
    if name == "numeric":
        return spec_numeric(card, rng)
    if name == "categorical":
        return spec_categorical(card, rng)
    if name == "mixed_clipped":
        return spec_mixed(card, rng, low=True, high=True)
    if name == "mixed_min_only":
        return spec_mixed(card, rng, low=True, high=False)
    return spec_random(card, int(name.split("_")[1]))


@pytest.mark.parametrize("name", SPECS)
def test_every_engine_gives_identical_scores(
    name: str, card: Any, tmp_path: Any, postgres_server: Any, pmml_evaluator_factory: Any
) -> None:
    spec = build(name, card)
    rows = boundary_rows(spec, np.random.default_rng(7))
    ref_scores, ref_reasons = reference(spec, rows)
    assert len(set(ref_scores)) > 3, "the rows should reach many different scores"

    module = python_module(spec, tmp_path)
    assert [module.score(row) for row in rows] == ref_scores
    assert [module.reason_codes(row, K_REASONS) for row in rows] == ref_reasons

    assert sqlite_scores(spec, rows) == ref_scores

    pg = postgres_scores(postgres_server, spec, rows, schema=f'proof "{name}"')
    assert pg["postgres"] == ref_scores
    no_nan = [i for i, row in enumerate(rows)
              if not any(isinstance(v, float) and math.isnan(v) for v in row.values())]
    assert len(no_nan) > len(rows) // 2
    if "ansi" in pg:
        assert [pg["ansi"][i] for i in no_nan] == [ref_scores[i] for i in no_nan]

    pmml_scores, pmml_reasons = pmml_results(pmml_evaluator_factory, spec, rows)
    assert pmml_scores == ref_scores
    # PMML ranks like the reference and then lists the characteristics that lost nothing.
    for ours, theirs in zip(ref_reasons, pmml_reasons):
        assert theirs[: len(ours)] == ours


def test_clipping_and_specials_are_exercised(card: Any) -> None:
    """Guard the proof's own inputs: the clipped card clips, specials and edges are hit."""
    spec = build("mixed_clipped", card)
    rows = boundary_rows(spec, np.random.default_rng(7))
    scores = np.array(reference(spec, rows)[0])
    low, high = spec["scaling"]["min_score"], spec["scaling"]["max_score"]
    assert (scores == low).sum() > 1 and (scores == high).sum() > 1
    numeric = build("numeric", card)
    rows = boundary_rows(numeric, np.random.default_rng(7))
    durations = [row["duration_in_month"] for row in rows]
    for value in (11.5, float(np.nextafter(11.5, -np.inf)), -999.0, None):
        assert value in durations
    assert any(isinstance(v, float) and math.isnan(v) for v in durations)
    assert sys.float_info.max in [row["huge"] for row in rows]
