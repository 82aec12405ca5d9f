"""Data sources of drift reports, read in chunks so memory stays bounded.

A source is one of:

- a pandas DataFrame (already in memory; cut into chunks);
- a CSV or parquet file (``.csv``, ``.parquet``, ``.pq``), read ``chunksize`` rows at a time
  (parquet by record batches, only the columns the report needs);
- a folder of such files, one per period: the period is the file's stem (``2024-01.parquet``);
- a SQL query against a SQLAlchemy URL: ``SqlSource(url, query)`` or the text
  ``"sql:<URL>::<query>"`` (e.g. ``"sql:sqlite:///book.db::SELECT * FROM applications"``),
  fetched in chunks by the database driver.

`iter_chunks` yields ``(file_period, frame)`` pairs; ``file_period`` is the file stem for a
folder and None otherwise. Every failure to read becomes an InputError naming the source.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scorecard.redact import hide_password, scrub
from scorecard.exceptions import InputError
from scorecard.io import READERS

__all__ = ["DEFAULT_CHUNKSIZE", "SqlSource", "describe_source", "iter_chunks", "parse_source"]

DEFAULT_CHUNKSIZE = 250_000
SQL_PREFIX = "sql:"
SQL_SEPARATOR = "::"


@dataclass(frozen=True)
class SqlSource:
    """Rows of a SQL query against a database given by a SQLAlchemy URL."""

    url: str
    query: str

    def __post_init__(self) -> None:
        for name in ("url", "query"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"SqlSource.{name} must be a non-empty string, got {value!r}.")

    def __str__(self) -> str:
        return f"{SQL_PREFIX}{hide_password(self.url)}{SQL_SEPARATOR}{self.query}"


def parse_source(source: object) -> pd.DataFrame | Path | SqlSource:
    """A DataFrame, SqlSource, or the path of an existing file or folder; InputError otherwise."""
    if isinstance(source, (pd.DataFrame, SqlSource)):
        return source
    if isinstance(source, str) and source.startswith(SQL_PREFIX):
        body = source[len(SQL_PREFIX):]
        if SQL_SEPARATOR not in body:
            raise InputError(
                f"SQL source {source!r} must read 'sql:<SQLAlchemy URL>::<query>', e.g. "
                "'sql:sqlite:///book.db::SELECT * FROM applications'."
            )
        url, query = body.split(SQL_SEPARATOR, 1)
        return SqlSource(url.strip(), query.strip())
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.is_dir():
            return path
        if not path.is_file():
            raise InputError(f"data source {str(path)!r} does not exist (neither a file nor a folder).")
        _reader_kind(path)
        return path
    raise InputError(
        "a data source must be a DataFrame, a CSV/parquet path, a folder of such files or a SQL "
        f"source ('sql:<URL>::<query>' or SqlSource); got {type(source).__name__}."
    )


def describe_source(source: object) -> str:
    """A short text naming the source in messages and reports."""
    if isinstance(source, pd.DataFrame):
        return f"DataFrame ({len(source):,} rows)"
    return str(source)


def _reader_kind(path: Path) -> str:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            f"cannot read {str(path)!r}: unknown extension {path.suffix!r}; use .csv or .parquet."
        )
    return "csv" if path.suffix.lower() == ".csv" else "parquet"


def _folder_files(folder: Path) -> list[Path]:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in READERS)
    if not files:
        raise InputError(
            f"folder {str(folder)!r} holds no .csv or .parquet files; a folder source has one "
            "file per period, named after the period (e.g. 2024-01.parquet)."
        )
    stems = [p.stem for p in files]
    repeated = sorted({s for s in stems if stems.count(s) > 1})
    if repeated:
        raise InputError(
            f"folder {str(folder)!r} has several files for period(s) {', '.join(repeated)}; keep "
            "one file per period."
        )
    return files


def _file_chunks(path: Path, columns: Sequence[str] | None, chunksize: int) -> Iterator[pd.DataFrame]:
    kind = _reader_kind(path)
    wanted = None if columns is None else set(columns)
    try:
        if kind == "csv":
            usecols = None if wanted is None else (lambda c: c in wanted)
            with pd.read_csv(path, chunksize=chunksize, usecols=usecols) as reader:
                yield from reader
            return
        import pyarrow.parquet as pq

        handle = pq.ParquetFile(path)
        names = handle.schema_arrow.names
        keep = names if wanted is None else [c for c in names if c in wanted]
        empty = True
        for batch in handle.iter_batches(batch_size=chunksize, columns=keep):
            empty = False
            yield batch.to_pandas()
        if empty:
            yield handle.schema_arrow.empty_table().select(keep).to_pandas()
    except InputError:
        raise
    except Exception as exc:  # the reader's message is useful, its traceback is not
        raise InputError(f"cannot read {str(path)!r} as {kind}: {exc}") from exc


def _sql_chunks(source: SqlSource, chunksize: int) -> Iterator[pd.DataFrame]:
    import sqlalchemy

    where = hide_password(source.url)
    try:
        engine = sqlalchemy.create_engine(source.url)
    except Exception as exc:
        raise InputError(f"cannot use database URL {where!r}: {scrub(exc, source.url)}") from None
    try:
        with engine.connect() as connection:
            chunks = pd.read_sql_query(sqlalchemy.text(source.query), connection,
                                       chunksize=chunksize)
            empty = True
            for chunk in chunks:
                empty = False
                yield chunk
            if empty:
                result = connection.execute(sqlalchemy.text(source.query))
                yield pd.DataFrame(columns=list(result.keys()))
    except (sqlalchemy.exc.SQLAlchemyError, pd.errors.DatabaseError) as exc:
        cause = exc.__cause__ if isinstance(exc, pd.errors.DatabaseError) else exc
        reason = str(getattr(cause, "orig", None) or cause or exc).splitlines()[0]
        raise InputError(
            f"cannot read SQL source {where!r} (query {source.query!r}): {scrub(reason, source.url)}. Check that the "
            "database is reachable and the query is valid."
        ) from None
    finally:
        engine.dispose()


def iter_chunks(
    source: object,
    *,
    columns: Sequence[str] | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    stems: set[str] | None = None,
) -> Iterator[tuple[str | None, pd.DataFrame]]:
    """Yield ``(file_period, chunk)`` of at most ``chunksize`` rows; ``columns`` limits what files
    read (columns a file lacks are simply absent, so the caller can name them); ``stems`` limits
    which files of a folder are read."""
    if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
        raise InputError(f"chunksize must be a positive integer, got {chunksize!r}.")
    parsed = parse_source(source)
    if isinstance(parsed, pd.DataFrame):
        if len(parsed) == 0:
            yield None, parsed
        for start in range(0, len(parsed), chunksize):
            yield None, parsed.iloc[start:start + chunksize]
    elif isinstance(parsed, SqlSource):
        for chunk in _sql_chunks(parsed, chunksize):
            yield None, chunk
    elif parsed.is_dir():
        for path in _folder_files(parsed):
            if stems is not None and path.stem not in stems:
                continue
            for chunk in _file_chunks(path, columns, chunksize):
                yield path.stem, chunk
    else:
        for chunk in _file_chunks(parsed, columns, chunksize):
            yield None, chunk
