"""Spark adapters' common ground: recognise a Spark DataFrame and run a function per partition.

As on Dask (`scorecard.distributed`), every statistic is a function of additive count tables:
each partition of a Spark DataFrame is handed to the same in-memory code (the numba kernels) as
one pandas DataFrame by `mapInPandas`, and the small results are collected and summed on the
driver. Nothing here imports pyspark until it is given a Spark object, and nothing starts or
configures a cluster: the DataFrame's own session runs the work. Install with
``pip install scorecard[spark]``; the workers' Python (PYSPARK_PYTHON) needs scorecard too.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from scorecard.exceptions import InputError

__all__ = ["column_name", "empty_frame", "is_spark", "per_partition"]


def is_spark(obj: object) -> bool:
    """True for a pyspark DataFrame (classic or Spark Connect), without importing pyspark."""
    return (type(obj).__module__.split(".", 1)[0] == "pyspark"
            and hasattr(obj, "mapInPandas") and hasattr(obj, "schema"))


def column_name(frame: Any, value: object, what: str, *, required: bool = True) -> str | None:
    """`value` as a column name of the Spark DataFrame `frame`; InputError otherwise."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InputError(
            f"X is a Spark DataFrame, so {what} must be the name of one of its columns (e.g. "
            f"'bad'); got {type(value).__name__}."
        )
    if value not in frame.columns:
        raise InputError(f"{what} column {value!r} not found; available columns: "
                         f"{', '.join(list(frame.columns)[:20])}.")
    return value


def empty_frame(frame: Any) -> pd.DataFrame:
    """No rows, with the pandas dtypes `mapInPandas` gives the columns of `frame`."""
    from pyspark.sql.pandas.types import to_arrow_schema

    return to_arrow_schema(frame.schema).empty_table().to_pandas()


def per_partition(task: Callable[..., Any], frame: Any, columns: Sequence[str], /,
                  **kwargs: Any) -> list[Any]:
    """`task(partition, partition_index=i, **kwargs)` of every partition of the Spark DataFrame
    `frame` (its `columns`, as one pandas DataFrame, empty partitions included), computed by one
    Spark job; the results (small tables) come back to the driver in partition order."""
    columns = list(columns)
    selected = frame.select(*columns)
    meta = empty_frame(selected)

    def run(batches):  # noqa: ANN001, ANN202
        from pyspark import TaskContext

        parts = list(batches)
        part = (pd.concat(parts, ignore_index=True) if len(parts) > 1
                else parts[0].reset_index(drop=True) if parts else meta)
        index = TaskContext.get().partitionId()
        result = task(part, partition_index=index, **kwargs)
        yield pd.DataFrame({"index": [index], "payload": [pickle.dumps(result)]})

    rows = selected.mapInPandas(run, "index long, payload binary").collect()
    found = {int(r["index"]): pickle.loads(bytes(r["payload"])) for r in rows}
    # a partition that sent nothing had no rows: its result is that of an empty frame
    return [found[i] if i in found else task(meta, partition_index=i, **kwargs)
            for i in range(max(found, default=-1) + 1)]
