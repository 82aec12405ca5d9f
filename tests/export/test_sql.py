"""SQL export: quoting, table names, exact numbers in SQLite, one statement, no injection."""

from __future__ import annotations

import re
import sqlite3

import numpy as np
import pytest

from scorecard.exceptions import InputError
from scorecard.export import sql_query
from scorecard.export.sql import _sqlite_number, quote_identifier, string_literal
from scorecard.model.spec import compute_integrity


@pytest.fixture
def spec(card):
    return card.make_spec([
        card.numeric("age", [25.0, 35.5], [-1.0], [-10, 5, 20, 0, -30]),
        card.categorical("purpose", [["car", "new car"], ["tv"]], [15, -5], missing_points=-2,
                         unseen_points=-8),
    ], intercept=600)


def test_quoting_doubles_embedded_quotes():
    assert quote_identifier('a "b"') == '"a ""b"""'
    assert string_literal("O'Brien") == "'O''Brien'"
    assert string_literal("a\\b", "postgres") == "E'a\\\\b'"
    assert string_literal("a\\b", "sqlite") == "'a\\b'"
    with pytest.raises(InputError, match="NUL"):
        quote_identifier("a\x00b")
    with pytest.raises(InputError, match="NUL"):
        string_literal("a\x00b")


@pytest.mark.parametrize(
    ("table", "quoted"),
    [
        ("applications", '"applications"'),
        ("risk.applications", '"risk"."applications"'),
        ("db.risk.apps", '"db"."risk"."apps"'),
        (("my.schema", 'apps "2"'), '"my.schema"."apps ""2"""'),
    ],
)
def test_table_names_are_split_and_quoted(spec, table, quoted):
    assert sql_query(spec, table=table).rstrip().endswith(f"FROM {quoted} AS t")


@pytest.mark.parametrize("table", ["", "a..b", "a.b.c.d", ".a", 3, ("a", 4)])
def test_invalid_table_names_are_rejected(spec, table):
    with pytest.raises(InputError, match="table"):
        sql_query(spec, table=table)


def test_unknown_dialect_is_rejected(spec):
    with pytest.raises(InputError, match="unknown SQL dialect 'mysql'.*ansi, sqlite, postgres"):
        sql_query(spec, dialect="mysql")


def test_query_is_one_select_with_explicit_branches(spec):
    query = sql_query(spec, dialect="sqlite")
    assert sqlite3.complete_statement(query + ";")
    assert query.count("SELECT") == 1 and ";" not in query
    assert 'WHEN t."age" IS NULL THEN 0' in query
    assert 'WHEN t."age" = -1.0 THEN -30' in query
    assert 'WHEN t."age" < 25.0 THEN -10' in query and "ELSE 20" in query
    assert "WHEN CAST(t.\"purpose\" AS TEXT) IN ('car', 'new car') THEN 15" in query
    assert "ELSE -8" in query
    assert compute_integrity(spec) in query


def test_comments_hold_only_generated_text(card):
    evil = "x */ DROP TABLE t; /* \n-- y"
    spec = card.make_spec([card.numeric(evil, [0.1], [], [1, 2, 3])], name="a\nDROP TABLE t; --")
    for dialect in ("ansi", "sqlite", "postgres"):
        query = sql_query(spec, dialect=dialect)
        outside = query.replace(quote_identifier(evil), "")
        comments = re.findall(r"--[^\n]*|/\*.*?\*/", outside)
        for comment in comments:
            assert re.fullmatch(r"--[ \w().,=-]*|/\* [-+.e\d]+ \*/", comment), comment


def test_sqlite_numbers_are_exact_even_where_its_parser_is_not():
    rng = np.random.default_rng(11)
    values = np.concatenate([
        rng.integers(0, 2**63 - 1, 4000, dtype=np.int64).view(np.float64),
        rng.normal(size=4000) * 10.0 ** rng.integers(-30, 30, 4000),
        [5e-324, -5e-324, 1.7976931348623157e308, 0.1, -0.0, 11.5, -1.801992942134233],
    ])
    values = values[np.isfinite(values)]
    con = sqlite3.connect(":memory:")
    for chunk in np.array_split(values, 40):
        exprs = [_sqlite_number(float(v)) for v in chunk]
        checks = con.execute("SELECT " + ", ".join(f"({e} = ?)" for e in exprs),
                             [float(v) for v in chunk]).fetchone()
        assert all(checks), [v for v, ok in zip(chunk, checks) if not ok][:5]
    assert _sqlite_number(11.5) == "11.5"
    assert _sqlite_number(0.1).endswith("/* 0.1 */)")


def _sqlite_run(spec, rows, **kwargs):
    con = sqlite3.connect(":memory:")
    names = [ch["name"] for ch in spec["characteristics"]]
    cols = ", ".join(quote_identifier(n) for n in names)
    con.execute(f"CREATE TABLE applications (id INTEGER PRIMARY KEY, {cols})")
    marks = ", ".join("?" * (len(names) + 1))
    con.executemany(f"INSERT INTO applications (id, {cols}) VALUES ({marks})",
                    [[i, *row] for i, row in enumerate(rows)])
    result = con.execute(sql_query(spec, dialect="sqlite", **kwargs)).fetchall()
    tables = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return result, tables


def test_every_input_column_is_returned_plus_score(spec):
    result, _ = _sqlite_run(spec, [[30.0, "tv"], [None, None], [-1.0, "zzz"]])
    assert result == [(0, 30.0, "tv", 600), (1, None, None, 598), (2, -1.0, "zzz", 562)]


def test_score_column_name_can_be_chosen(spec):
    con = sqlite3.connect(":memory:")
    con.execute('CREATE TABLE applications (age REAL, purpose TEXT)')
    cursor = con.execute(sql_query(spec, dialect="sqlite", score_column='my "score"'))
    assert [d[0] for d in cursor.description] == ["age", "purpose", 'my "score"']


def test_hostile_names_cannot_inject(card):
    evil_column = "a\"; DROP TABLE applications; --"
    evil_category = "x'); DROP TABLE applications; --"
    spec = card.make_spec([
        card.numeric(evil_column, [1.0], [], [1, 2, 3]),
        card.categorical("c'/*", [[evil_category, "ok"]], [10], missing_points=0, unseen_points=5),
    ])
    result, tables = _sqlite_run(spec, [[0.0, evil_category], [2.0, "other"]])
    assert [row[-1] for row in result] == [1 + 10, 2 + 5]
    assert tables == [("applications",)]


@pytest.mark.parametrize(("low", "high"), [(None, 605), (598, None), (598, 605)])
def test_clipping_in_sqlite_and_ansi(spec, low, high):
    clipped = dict(spec, scaling=dict(spec["scaling"], min_score=low, max_score=high))
    clipped.pop("integrity")
    rows = [[20.0, "tv"], [40.0, "car"], [30.0, None]]  # raw 585, 635, 603
    expected = [min(max(s, low or -10**9), high or 10**9) for s in (585, 635, 603)]
    result, _ = _sqlite_run(clipped, rows)
    assert [row[-1] for row in result] == expected
    con = sqlite3.connect(":memory:")  # the ANSI text is standard enough for SQLite too
    con.execute("CREATE TABLE applications (age REAL, purpose TEXT)")
    con.executemany("INSERT INTO applications VALUES (?, ?)", rows)
    assert [r[-1] for r in con.execute(sql_query(clipped, dialect="ansi")).fetchall()] == expected
