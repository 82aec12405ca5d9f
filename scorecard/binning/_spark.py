"""BinningProcess on a Spark DataFrame: its partitions are the batches of `_batched`.

The target and weights are columns of the same DataFrame, named by `y` and `sample_weight`.
Each pass is one Spark job (`mapInPandas` over the partitions, `scorecard.distributed.spark`),
its small per-partition results summed on the driver. The passes must see the same partitions:
a DataFrame read from files or cached is; cache one built by a random repartition.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from scorecard.binning._batched import fit_batches, selected_tables, transform_part
from scorecard.distributed.spark import column_name, empty_frame, per_partition
from scorecard.exceptions import InputError

__all__ = ["SparkBatches", "fit_process", "transform_process"]


class SparkBatches:
    """The partitions of a Spark DataFrame: features, target column and weight column."""

    def __init__(self, X: Any, y: object, sample_weight: object = None, *,
                 columns: list[str] | None = None):
        self.X = X
        self.target = column_name(X, y, "y")
        self.weight = column_name(X, sample_weight, "sample_weight", required=False)
        if self.weight == self.target:
            raise InputError("sample_weight names the target column; give the weight column.")
        names = [c for c in X.columns if c not in (self.target, self.weight)]
        self.names, self.named = names, True
        # only the process's columns travel (fit_batches reports any not among the names)
        self.features = names if columns is None else [c for c in names if c in set(columns)]
        meta = empty_frame(X)
        self.meta = meta[names]
        self.y_dtype = meta[self.target].dtype
        self.y_name = self.target
        self.bad_value = None

    def map(self, func: Callable[..., Any], *, target: bool, **kwargs: Any) -> list[Any]:
        extra = [self.target] + ([self.weight] if self.weight else []) if target else []
        return per_partition(_split_call, self.X, self.features + extra,
                             func=func, features=self.features, target=self.target if target else None,
                             weight=self.weight, **kwargs)


def _split_call(part: pd.DataFrame, *, func: Callable[..., Any], features: list[str],
                target: str | None, weight: str | None, **kwargs: Any) -> Any:
    if target is None:
        return func(part[features], **kwargs)
    return func(part[features], part[target], part[weight] if weight else None, **kwargs)


def fit_process(process, X, y, sample_weight):  # noqa: ANN001, ANN201
    """Fit `process` (a BinningProcess) on the Spark DataFrame X against its column `y`."""
    columns = None if process.columns is None else list(process.columns)
    return fit_batches(process, SparkBatches(X, y, sample_weight, columns=columns))


def transform_process(process, X, metric: str):  # noqa: ANN001, ANN201
    """A lazy Spark DataFrame of the selected columns as `metric`, partition by partition."""
    columns, tables = selected_tables(process, list(X.columns))
    kind = {"woe": "double", "bin": "long", "label": "string"}[metric]
    schema = ", ".join(f"`{c}` {kind}" for c in columns)

    def run(batches):  # noqa: ANN001, ANN202
        for part in batches:
            out = transform_part(part, columns=columns, tables=tables, metric=metric)
            yield out.astype(object) if metric == "label" else out.astype(
                np.float64 if metric == "woe" else np.int64)

    return X.select(*columns).mapInPandas(run, schema)
