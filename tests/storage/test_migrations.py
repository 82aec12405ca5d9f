"""The schema is versioned (Alembic) and upgraded on open; stores made before that are adopted."""

import sqlalchemy as sa

import pytest

from scorecard.exceptions import StorageError
from scorecard.storage import MonitorStore, ResultStore
from scorecard.storage.schema import metadata

LEGACY_DDL = """CREATE TABLE reports (
        id INTEGER NOT NULL, kind VARCHAR(32) NOT NULL, subject VARCHAR(200) NOT NULL,
        params_hash VARCHAR(64) NOT NULL, params TEXT NOT NULL, created_at VARCHAR(32) NOT NULL,
        payload TEXT NOT NULL, PRIMARY KEY (id),
        CONSTRAINT uq_report_identity UNIQUE (kind, subject, params_hash))"""


def head_revision(url):
    with sa.create_engine(url).connect() as conn:
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()


def test_fresh_store_is_at_head_with_every_table(db_url):
    store = ResultStore(db_url)
    assert head_revision(db_url) == "0002"
    names = set(sa.inspect(store.engine).get_table_names())
    assert set(metadata.tables) <= names and "alembic_version" in names


def test_pre_migration_sqlite_store_is_adopted_not_lost(tmp_path):
    """A file written by the code before migrations existed (reports only, no version table)."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(LEGACY_DDL)
        conn.exec_driver_sql(
            "INSERT INTO reports (kind, subject, params_hash, params, created_at, payload) "
            "VALUES ('iv', 'german_credit', 'h', '{\"n_bins\":20}', '2026-01-01T00:00:00+00:00',"
            " '{\"iv\":0.5}')")
    engine.dispose()
    store = ResultStore(url)
    [old] = store.list()
    assert old.subject == "german_credit" and store.get(old.id).payload == {"iv": 0.5}
    assert head_revision(url) == "0002"
    assert MonitorStore(database=store.db).monitor_names() == []
    ResultStore(url)  # opening again is a no-op
    assert len(store.list()) == 1


def test_schema_newer_than_the_code_is_a_clear_error(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    ResultStore(url)
    with sa.create_engine(url).begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StorageError, match="newer than this version of scorecard"):
        ResultStore(url)


def test_unreachable_database_hides_the_password():
    with pytest.raises(StorageError) as info:
        ResultStore("postgresql+psycopg://user:s3cret@127.0.0.1:9/db?connect_timeout=2")
    assert "s3cret" not in str(info.value) and "***" in str(info.value)
