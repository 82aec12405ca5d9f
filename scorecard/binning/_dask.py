"""BinningProcess on a Dask DataFrame: its partitions are the batches of `_batched`.

Each pass is one Dask graph of small per-partition results, run on Dask's own scheduler (the
default one, or a `distributed.Client` if one is active) and summed on the client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from scorecard.binning._batched import fit_batches, selected_tables, transform_part
from scorecard.binning._columns import check_target_given
from scorecard.distributed import per_partition, same_partitions

__all__ = ["DaskBatches", "fit_process", "transform_process"]


class DaskBatches:
    """The partitions of a Dask DataFrame X, with y and sample_weight partitioned like it."""

    def __init__(self, X: Any, y: Any, sample_weight: Any = None, *, owner: str = "BinningProcess"):
        check_target_given(y, owner)
        same_partitions(X, y, "y")
        same_partitions(X, sample_weight, "sample_weight")
        self.X, self.y, self.w = X, y, sample_weight
        self.names = [str(c) for c in X.columns]
        self.named = all(isinstance(c, str) for c in X.columns)
        self.meta = X._meta
        self.y_dtype = y._meta.dtype
        self.y_name = str(y.name) if getattr(y, "name", None) is not None else "y"
        self.bad_value = None

    def map(self, func: Callable[..., Any], *, target: bool, **kwargs: Any) -> list[Any]:
        aligned = (self.y, self.w) if target else ()
        return per_partition(func, self.X, *aligned, **kwargs)


def fit_process(process, X, y, sample_weight):  # noqa: ANN001, ANN201
    """Fit `process` (a BinningProcess) on the Dask DataFrame X (see `_batched`)."""
    return fit_batches(process, DaskBatches(X, y, sample_weight, owner=type(process).__name__))


def transform_process(process, X, metric: str):  # noqa: ANN001, ANN201
    """A lazy Dask DataFrame of the selected columns as `metric`, partition by partition."""
    columns, tables = selected_tables(process, list(X.columns))
    dtype = {"woe": np.float64, "bin": np.int64, "label": object}[metric]
    meta = pd.DataFrame({c: pd.Series(dtype=dtype) for c in columns})
    return X.map_partitions(
        transform_part, columns=columns, tables=tables, metric=metric, meta=meta
    )
