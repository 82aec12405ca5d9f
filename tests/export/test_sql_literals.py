"""Category literals are safe under every server setting: PostgreSQL with
standard_conforming_strings off and on (a real server), and SQLite.

With the setting off PostgreSQL reads a backslash in an ordinary '...' literal as an escape, so
a category such as ``x\\'; DROP TABLE victim; --`` would end the literal early. The ansi dialect
refuses such categories; the postgres dialect writes them as E'' strings, read the same under
both settings.
"""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from scorecard.exceptions import InputError
from scorecard.export.sql import quote_identifier, sql_query, string_literal
from scorecard.model.spec import score_frame

pytestmark = pytest.mark.e2e

PAYLOAD = "x\\'; DROP TABLE victim; --"
HOSTILE = [[PAYLOAD, "back\\slash"], ["trail\\", "\\'", "\\\\"], ["O'Brien", "';--", "日本"]]
NO_BACKSLASH = [["O'Brien", "';--"], ['say "hi"', "a,b"], ["%s", "$1", "E'x'", "日本"]]


def _spec(card, groups):
    return card.make_spec([
        card.categorical("kind", groups, list(range(10, 10 * len(groups) + 1, 10)),
                         missing_points=-1, unseen_points=-2),
        card.numeric("age", [30.0], [], [1, 2, 3]),
    ], intercept=0)


def _rows(groups):
    values = [c for g in groups for c in g] + ["unseen\\", None]
    return [{"kind": v, "age": float(i)} for i, v in enumerate(values)] + [
        {"kind": v, "age": 50.0} for v in values]


def _postgres_scores(server, spec, rows, *, conforming: bool, dialect: str) -> list[int]:
    import psycopg

    with psycopg.connect(host=server.host, port=server.port, user=server.user,
                         dbname=server.dbname, autocommit=True,
                         cursor_factory=psycopg.ClientCursor) as con, con.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS applications, victim")
        cur.execute("CREATE TABLE victim (id INTEGER)")
        cur.execute('CREATE TABLE applications (rid INTEGER, "kind" TEXT, "age" DOUBLE PRECISION)')
        cur.executemany("INSERT INTO applications VALUES (%s, %s, %s)",
                        [(i, r["kind"], r["age"]) for i, r in enumerate(rows)])
        cur.execute(f"SET standard_conforming_strings = {'on' if conforming else 'off'}")
        cur.execute("SET escape_string_warning = off")
        query = sql_query(spec, dialect=dialect, table="applications")
        cur.execute(f"SELECT * FROM ({query}) AS q ORDER BY rid")  # simple protocol: 1+ statements
        scores = [int(row[-1]) for row in cur.fetchall()]
        cur.execute("SELECT to_regclass('victim') IS NOT NULL")
        assert cur.fetchone()[0], "the query dropped a table"
        return scores


def test_the_server_really_reads_backslash_escapes_when_the_setting_is_off(postgres_server):
    """Control: a naively quoted literal ('' doubled only) breaks out under the setting off and
    the rest of the category runs as SQL: the table is dropped."""
    import psycopg

    naive = "'" + PAYLOAD.replace("'", "''") + "'"
    with psycopg.connect(host=postgres_server.host, port=postgres_server.port,
                         user=postgres_server.user, dbname=postgres_server.dbname,
                         autocommit=True, cursor_factory=psycopg.ClientCursor) as con, \
            con.cursor() as cur:
        cur.execute("SET standard_conforming_strings = off")
        cur.execute("SET escape_string_warning = off")
        cur.execute("DROP TABLE IF EXISTS victim")
        cur.execute("CREATE TABLE victim (id INTEGER)")
        cur.execute(f"SELECT {naive} AS v")  # the literal ends early: the rest is SQL
        cur.execute("SELECT to_regclass('victim') IS NULL")
        assert cur.fetchone()[0], "the naive literal should have dropped the table"
        cur.execute("SET standard_conforming_strings = on")
        cur.execute(f"SELECT {naive} AS v")
        assert cur.fetchone()[0] == PAYLOAD


@pytest.mark.parametrize("conforming", [False, True])
def test_postgres_dialect_is_safe_and_exact_under_both_settings(card, postgres_server, conforming):
    spec = _spec(card, HOSTILE)
    rows = _rows(HOSTILE)
    expected = score_frame(spec, pd.DataFrame(rows))["score"].tolist()
    assert len(set(expected)) >= 4
    got = _postgres_scores(postgres_server, spec, rows, conforming=conforming, dialect="postgres")
    assert got == expected


@pytest.mark.parametrize("conforming", [False, True])
def test_ansi_dialect_without_backslashes_is_exact_under_both_settings(
    card, postgres_server, conforming
):
    spec = _spec(card, NO_BACKSLASH)
    rows = _rows(NO_BACKSLASH)
    expected = score_frame(spec, pd.DataFrame(rows))["score"].tolist()
    got = _postgres_scores(postgres_server, spec, rows, conforming=conforming, dialect="ansi")
    assert got == expected


def test_ansi_dialect_refuses_a_backslash_naming_the_characteristic(card):
    spec = _spec(card, HOSTILE)
    with pytest.raises(InputError, match=r"characteristic 'kind'.*backslash.*postgres or sqlite"):
        sql_query(spec, dialect="ansi")
    with pytest.raises(InputError, match="backslash"):
        string_literal("a\\b", "ansi")
    assert string_literal("a\\b", "sqlite") == "'a\\b'"
    assert string_literal("a\\'b", "postgres") == "E'a\\\\''b'"


def test_sqlite_dialect_keeps_backslashes_literal(card):
    spec = _spec(card, HOSTILE)
    rows = _rows(HOSTILE)
    expected = score_frame(spec, pd.DataFrame(rows))["score"].tolist()
    con = sqlite3.connect(":memory:")
    try:
        con.execute('CREATE TABLE applications (rid INTEGER, "kind" TEXT, "age" REAL)')
        con.execute("CREATE TABLE victim (id INTEGER)")
        con.executemany("INSERT INTO applications VALUES (?, ?, ?)",
                        [(i, r["kind"], r["age"]) for i, r in enumerate(rows)])
        query = sql_query(spec, dialect="sqlite", table="applications")
        got = [int(r[-1]) for r in con.execute(f"SELECT * FROM ({query}) ORDER BY rid")]
        assert got == expected
        assert con.execute("SELECT name FROM sqlite_master WHERE name = 'victim'").fetchone()
    finally:
        con.close()
    assert quote_identifier('a"b') == '"a""b"'
