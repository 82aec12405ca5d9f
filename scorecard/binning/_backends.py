"""Which engine fits and transforms a frame that is not in memory: Dask or Spark."""

from __future__ import annotations

from scorecard.distributed import is_dask
from scorecard.distributed.spark import is_spark

__all__ = ["distributed_backend"]


def distributed_backend(X: object):  # noqa: ANN201
    """The module that fits and transforms a Dask or Spark DataFrame (its `fit_process` and
    `transform_process`), imported on demand; None for anything else."""
    if is_dask(X):
        from scorecard.binning import _dask as backend
    elif is_spark(X):
        from scorecard.binning import _spark as backend
    else:
        return None
    return backend
