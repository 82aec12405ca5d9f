"""BinningProcess fit and transform on a file larger than memory: a CSV file, a parquet file or
a parquet dataset folder, read in batches of rows (`engine="chunked"`, one process, memory
bounded by a batch), or as a Dask DataFrame of the parquet data (`engine="dask"`).

Both run the batch passes of `_batched` (the same per-batch counts, summed), so for the same
pre-binning edges the fit equals the in-memory fit of the whole table exactly.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from scorecard.binning._batched import fit_batches, transform_part
from scorecard.binning._transform import check_metric, transform_frame
from scorecard.chunked import BATCH_ROWS, ChunkedTable
from scorecard.exceptions import InputError
from scorecard.io import write_atomic
from scorecard.threads import engine_threads

__all__ = ["ENGINES", "fit_file", "transform_file"]

ENGINES = ("chunked", "dask")


class FileBatches:
    """The batches of a ChunkedTable: features, target column and weight column."""

    def __init__(self, table: ChunkedTable, target: str, weight: str | None,
                 features: Sequence[str], bad_value: Any = None):
        self.table, self.target, self.weight = table, target, weight
        self.bad_value = bad_value
        self.features = list(features)
        self.names, self.named = self.features, True
        self.meta = table.meta[self.features]
        self.y_dtype = table.meta[target].dtype
        self.y_name = target

    def map(self, func: Callable[..., Any], *, target: bool, **kwargs: Any) -> list[Any]:
        wanted = self.features + ([self.target] + ([self.weight] if self.weight else [])
                                  if target else [])
        out = []
        for i, batch in enumerate(self.table.batches(wanted)):
            part = batch[self.features]
            if target:
                w = batch[self.weight] if self.weight else None
                out.append(func(part, batch[self.target], w, partition_index=i, **kwargs))
            else:
                out.append(func(part, partition_index=i, **kwargs))
        return out


def _check_engine(engine: str, table: ChunkedTable) -> None:
    if engine not in ENGINES:
        raise InputError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}.")
    if engine == "dask" and table.is_csv:
        raise InputError("engine='dask' reads parquet data; for a CSV file use "
                         "engine='chunked' (or convert it to parquet first).")


def _dask_frame(path: Path, columns: Sequence[str]):  # noqa: ANN202
    try:
        import dask.dataframe as dd
    except ImportError:
        raise InputError("engine='dask' needs Dask: pip install 'scorecard[dask]'.") from None
    return dd.read_parquet(str(path), columns=list(columns))


def fit_file(process, path: str | os.PathLike, target: str, *, weight: str | None = None,
             bad_value: Any = None, engine: str = "chunked",
             batch_rows: int = BATCH_ROWS):  # noqa: ANN001, ANN201
    """Fit the BinningProcess `process` on the table at `path` against its column `target`
    (`bad_value` means bad, by default the rule of `validation.binary_target`), optionally
    weighted by the column `weight`. The process's `columns` are the characteristics, by
    default every other column. Returns `process`, fitted."""
    process._validate_params()
    table = ChunkedTable(path, batch_rows=batch_rows)
    _check_engine(engine, table)
    if not isinstance(target, str):
        raise InputError(f"target must be a column name of {str(path)!r}, got {target!r}.")
    table.require([target], "target column")
    if weight is not None:
        table.require([weight], "weight column")
    features = ([str(c) for c in process.columns] if process.columns is not None
                else [c for c in table.columns if c not in (target, weight)])
    table.require(features, "column")
    if engine == "dask":
        from scorecard.binning._dask import DaskBatches

        ddf = _dask_frame(table.path, [*features, target, *([weight] if weight else [])])
        batches = DaskBatches(ddf[features], ddf[target], ddf[weight] if weight else None)
        batches.bad_value = bad_value
        return fit_batches(process, batches)
    return fit_batches(process, FileBatches(table, target, weight, features, bad_value))


def transform_file(process, path: str | os.PathLike, out: str | os.PathLike, *,
                   metric: str = "woe", keep: Sequence[str] = (), engine: str = "chunked",
                   batch_rows: int = BATCH_ROWS) -> dict[str, Any]:  # noqa: ANN001
    """Write the selected characteristics of the table at `path` as `metric` (woe, bin or label)
    to the parquet `out`, after the columns in `keep` (e.g. an id and the target) unchanged.

    `engine="chunked"` writes one parquet file and sets ``unseen_counts_``; `engine="dask"`
    writes a parquet dataset folder (one file per partition). Either is written beside `out`
    and renamed into place when complete. Returns n_rows (chunked) and the output path.
    """
    process._check_fitted()
    check_metric(metric)
    table = ChunkedTable(path, batch_rows=batch_rows)
    _check_engine(engine, table)
    columns = list(process.selected_)
    keep = list(keep)
    table.require(columns, "column")
    table.require(keep, "kept column")
    clash = sorted(set(keep) & set(columns))
    if clash:
        raise InputError(f"keep lists {', '.join(map(repr, clash))}, which the output holds as "
                         f"{metric} already.")
    out = Path(out)
    if engine == "dask":
        return _transform_dask(process, table, out, metric, keep, columns)
    tables = [process.binning_tables_[c] for c in columns]
    unseen = np.zeros(len(columns), dtype=np.int64)
    n_rows = 0

    def write(tmp: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        nonlocal n_rows
        writer = None
        try:
            for batch in table.batches(keep + columns):
                with engine_threads(process.n_jobs):
                    values, seen = transform_frame(batch, columns, tables, metric)
                frame = batch[keep].copy()
                for j, c in enumerate(columns):
                    frame[c] = values[:, j]
                unseen[:] += seen
                n_rows += len(frame)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, _output_schema(table, keep, columns, metric))
                writer.write_table(pa.Table.from_pandas(frame, schema=writer.schema,
                                                        preserve_index=False))
        finally:
            if writer is not None:
                writer.close()

    write_atomic(out, write)
    process.unseen_counts_ = dict(zip(columns, unseen.tolist()))
    return {"n_rows": n_rows, "out": str(out)}


def _output_schema(table: ChunkedTable, keep: list[str], columns: list[str], metric: str):  # noqa: ANN202
    """The kept columns as stored (a CSV's text as strings), then the metric's columns."""
    import pyarrow as pa

    def kept(name: str) -> pa.Field:
        if table.schema is not None:
            return table.schema.field(name)
        dtype = table.meta[name].dtype
        return pa.field(name, pa.string() if dtype == object else pa.from_numpy_dtype(dtype))

    kind = {"woe": pa.float64(), "bin": pa.int64(), "label": pa.string()}[metric]
    return pa.schema([kept(c) for c in keep] + [pa.field(c, kind) for c in columns])


def _transform_dask(process, table: ChunkedTable, out: Path, metric: str, keep: list[str],
                    columns: list[str]) -> dict[str, Any]:  # noqa: ANN001
    import pandas as pd

    ddf = _dask_frame(table.path, keep + columns)
    tables = [process.binning_tables_[c] for c in columns]
    dtype = {"woe": np.float64, "bin": np.int64, "label": object}[metric]
    meta = ddf._meta[keep].assign(**{c: pd.Series(dtype=dtype) for c in columns})

    def part(frame):  # noqa: ANN001, ANN202
        return frame[keep].join(transform_part(frame, columns=columns, tables=tables,
                                               metric=metric))

    if out.exists() and not out.is_dir():
        raise InputError(f"{str(out)!r} is a file; engine='dask' writes a parquet dataset "
                         "folder: give a folder path.")
    tmp = out.with_name(f"{out.name}.scorecard-partial-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        ddf.map_partitions(part, meta=meta).to_parquet(str(tmp), write_index=False)
        shutil.rmtree(out, ignore_errors=True)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"out": str(out)}
