"""Dask adapters' common ground: recognise a Dask collection and run a function per partition.

Every statistic here is a function of additive count tables, so a Dask DataFrame is handled by
running the same in-memory code (the numba kernels) on each partition and summing the small
results on the client. Nothing here imports dask until it is given a Dask object; the work runs
on Dask's own scheduler (the default one, or a `distributed.Client` if one is active).
Install with ``pip install scorecard[dask]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from scorecard.exceptions import InputError

__all__ = ["is_dask", "per_partition", "sample_allocation", "same_partitions"]


def is_dask(obj: object) -> bool:
    """True for a Dask collection (DataFrame, Series, Array), without importing dask."""
    return type(obj).__module__.split(".", 1)[0] == "dask" and hasattr(obj, "__dask_graph__")


def _delayed_parts(obj: object) -> list:
    return list(obj.to_delayed())  # type: ignore[attr-defined]


def same_partitions(frame: object, other: object, what: str) -> None:
    """InputError unless `other` (a Dask Series) is partitioned like `frame`."""
    if other is None:
        return
    if not is_dask(other):
        raise InputError(
            f"X is a Dask DataFrame, so {what} must be a Dask Series partitioned like it (a "
            f"column of the same Dask DataFrame, e.g. ddf['bad']); got {type(other).__name__}."
        )
    if other.npartitions != frame.npartitions:  # type: ignore[attr-defined]
        raise InputError(
            f"{what} has {other.npartitions} partitions but X has "  # type: ignore[attr-defined]
            f"{frame.npartitions}; take both from the same Dask DataFrame."  # type: ignore
        )


def per_partition(
    func: Callable[..., Any], frame: object, *aligned: object, **kwargs: Any
) -> list[Any]:
    """`func(partition, *aligned partitions, partition_index=i, **kwargs)` of every partition,
    computed in one Dask graph; the results (small tables) come back to the client in order.

    `aligned` are Dask Series partitioned like `frame`, or None (passed as None). They travel
    as columns of `frame` and are split off in each task: taken apart, Dask's optimizer may
    partition differently-projected reads of one parquet dataset differently.
    """
    import dask

    names = [f"__scorecard_aligned_{k}" for k in range(len(aligned))]
    given = {n: a for n, a in zip(names, aligned) if a is not None}
    combined = frame.assign(**given) if given else frame  # type: ignore[attr-defined]
    task = dask.delayed(_split_call, pure=True)
    graph = [
        task(part, func, names, list(given), partition_index=i, **kwargs)
        for i, part in enumerate(_delayed_parts(combined))
    ]
    return list(dask.compute(*graph))


def _split_call(part: Any, func: Callable[..., Any], names: list[str], given: list[str],
                **kwargs: Any) -> Any:
    others = [part[n] if n in given else None for n in names]
    return func(part.drop(columns=given) if given else part, *others, **kwargs)


def sample_allocation(sizes: Sequence[int], sample_size: int, seed: int) -> np.ndarray:
    """How many of `sample_size` draws with replacement fall in each partition (multinomial with
    probabilities proportional to `sizes`): with each partition then drawing its share uniformly
    with replacement, the union is a uniform with-replacement sample of all rows."""
    sizes = np.asarray(sizes, dtype=np.float64)
    total = sizes.sum()
    if total <= 0:
        return np.zeros(sizes.shape[0], dtype=np.int64)
    rng = np.random.default_rng(seed)
    return rng.multinomial(sample_size, sizes / total).astype(np.int64)
