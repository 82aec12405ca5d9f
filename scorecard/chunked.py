"""Tables larger than memory, read in batches of rows: a CSV file, a parquet file or a parquet
dataset (a folder of parquet files, read in sorted path order).

Batches come typed as `io.read_table` types the whole file, so a batch reads like the same rows
of the whole table: a CSV column is numeric only if it holds numbers in every row (found by one
typing pass over the file, done once), other columns are text exactly as written with the NA
strings missing. The batches of two passes are the same rows in the same order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from scorecard.exceptions import InputError, ScorecardError
from scorecard.io import NA_STRINGS, csv_header, read_csv_text_batches

__all__ = ["BATCH_ROWS", "ChunkedTable", "parquet_files"]

BATCH_ROWS = 262_144
PARQUET = (".parquet", ".pq")


def parquet_files(path: str | os.PathLike) -> list[Path]:
    """The parquet file itself, or a dataset folder's parquet files in sorted path order
    (names starting with '.' or '_', such as _metadata, are not data)."""
    path = Path(path)
    if path.is_file():
        if path.suffix.lower() not in PARQUET:
            raise InputError(f"{str(path)!r} is not a parquet file (.parquet or .pq).")
        return [path]
    if not path.is_dir():
        raise InputError(f"data {str(path)!r} does not exist (neither a file nor a folder).")
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in PARQUET
                   and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts))
    if not files:
        raise InputError(f"folder {str(path)!r} holds no .parquet files; a parquet dataset is a "
                         "folder of parquet files with the same columns.")
    return files


class ChunkedTable:
    """A CSV file, parquet file or parquet dataset, read `batch_rows` rows at a time."""

    def __init__(self, path: str | os.PathLike, *, batch_rows: int = BATCH_ROWS):
        if isinstance(batch_rows, bool) or not isinstance(batch_rows, int) or batch_rows < 1:
            raise InputError(f"batch_rows must be a positive integer, got {batch_rows!r}.")
        self.path, self.batch_rows = Path(path), batch_rows
        self.is_csv = self.path.is_file() and self.path.suffix.lower() == ".csv"
        self.schema = None  # a parquet table's arrow schema
        self.files = [self.path] if self.is_csv else parquet_files(self.path)
        self.meta = self._guard(self._csv_meta if self.is_csv else self._parquet_meta)
        if self.meta.shape[1] == 0:
            raise InputError(f"{str(self.path)!r} has no columns.")
        names = list(self.meta.columns)
        repeated = sorted({str(n) for n in names if names.count(n) > 1})
        if repeated:
            raise InputError(f"{str(self.path)!r} has duplicate column name(s) "
                             f"{', '.join(map(repr, repeated))}; rename them.")

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.meta.columns]

    def require(self, names: Sequence[str], what: str) -> None:
        missing = [n for n in names if n not in self.columns]
        if missing:
            raise InputError(f"{what} {', '.join(map(repr, missing))} not found in "
                             f"{str(self.path)!r}; its columns: {', '.join(self.columns[:20])}.")

    def batches(self, columns: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
        """Every batch, with `columns` (default all) in that order."""
        keep = self.columns if columns is None else list(columns)
        self.require(keep, "column")
        reader = self._csv_batches if self.is_csv else self._parquet_batches
        yield from self._guard_iter(reader(keep))

    def text_batches(self) -> Iterator[pd.DataFrame]:
        """A CSV's batches as text exactly as written (nothing missing), for writing back."""
        yield from self._guard_iter(read_csv_text_batches(self.path, self.batch_rows))

    # -- parquet ----------------------------------------------------------------------------------

    def _parquet_meta(self) -> pd.DataFrame:
        import pyarrow.parquet as pq

        schemas = [pq.read_schema(f) for f in self.files]
        for f, schema in zip(self.files[1:], schemas[1:]):
            if schema.names != schemas[0].names:
                raise InputError(f"{str(f)!r} has other columns than {str(self.files[0])!r}; the "
                                 "files of a parquet dataset need the same columns.")
        self.schema = schemas[0]
        return schemas[0].empty_table().to_pandas()

    def _parquet_batches(self, keep: list[str]) -> Iterator[pd.DataFrame]:
        import pyarrow.parquet as pq

        for f in self.files:
            for batch in pq.ParquetFile(f).iter_batches(batch_size=self.batch_rows, columns=keep):
                yield batch.to_pandas()

    # -- CSV --------------------------------------------------------------------------------------

    def _csv_reader(self, **options):  # noqa: ANN003, ANN202
        return pd.read_csv(self.path, chunksize=self.batch_rows, keep_default_na=False,
                           na_values=list(NA_STRINGS), **options)

    def _csv_meta(self) -> pd.DataFrame:
        """One typing pass: int64 / float64 for the columns numeric in every batch, else text."""
        csv_header(self.path)  # refuses repeated names, which pandas would rename
        kinds: dict[str, str] = {}
        with self._csv_reader(low_memory=False) as reader:
            for chunk in reader:
                for name, dtype in chunk.dtypes.items():
                    numeric = (pd.api.types.is_numeric_dtype(dtype)
                               and not pd.api.types.is_bool_dtype(dtype))
                    kind = ("int64" if pd.api.types.is_integer_dtype(dtype) else "float64"
                            ) if numeric else "object"
                    before = kinds.setdefault(name, kind)
                    if before != kind:
                        kinds[name] = "object" if "object" in (before, kind) else "float64"
        if not kinds:
            kinds = {c: "float64" for c in pd.read_csv(self.path, nrows=0).columns}
        return pd.DataFrame({c: pd.Series(dtype=k) for c, k in kinds.items()})

    def _csv_batches(self, keep: list[str]) -> Iterator[pd.DataFrame]:
        dtypes = {c: (str if self.meta[c].dtype == object else self.meta[c].dtype) for c in keep}
        with self._csv_reader(usecols=keep, dtype=dtypes) as reader:
            for chunk in reader:
                for c in keep:
                    if dtypes[c] is str:
                        chunk[c] = chunk[c].astype(object).where(chunk[c].notna(), None)
                yield chunk[keep]

    def _guard(self, read):  # noqa: ANN001, ANN202
        try:
            return read()
        except ScorecardError:
            raise
        except Exception as exc:  # the reader's message names the problem; its traceback does not
            raise InputError(f"cannot read {str(self.path)!r}: {exc}") from exc

    def _guard_iter(self, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        try:
            yield from batches
        except ScorecardError:
            raise
        except Exception as exc:
            raise InputError(f"cannot read {str(self.path)!r}: {exc}") from exc
