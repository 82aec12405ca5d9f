"""Drift counts of a Dask DataFrame: each partition counted as an in-memory chunk, then merged.

The same `SampleCounts.add` (the engine's kernels and the spec's points) runs on every
partition on Dask's scheduler, split by period for `drift_reports`; the small per-partition
counts are merged on the client, so a report from a Dask sample equals the in-memory report
exactly (integer counts).
"""

from __future__ import annotations

from collections.abc import Callable

from scorecard.distributed import per_partition
from scorecard.monitoring.counting import FrozenBins, SampleCounts

__all__ = ["dask_period_counts", "dask_sample_counts"]


def _partition_counts(part, *, partition_index, frozen, what):  # noqa: ANN001, ANN202
    return SampleCounts.of_frame(frozen, part, what)


def _partition_period_counts(part, *, partition_index, split):  # noqa: ANN001, ANN202
    return split(part)


def dask_sample_counts(frozen: FrozenBins, frame: object, what: str) -> SampleCounts:
    """The counts of every partition of the Dask DataFrame `frame`, merged."""
    frozen.check_columns(frame._meta, what)  # type: ignore[attr-defined]
    total = SampleCounts.empty(frozen)
    for counts in per_partition(_partition_counts, frame, frozen=frozen, what=what):
        total.merge(counts)
    return total


def dask_period_counts(frozen: FrozenBins, frame: object,
                       split: Callable[[object], dict[str, SampleCounts]]) -> dict[str, SampleCounts]:
    """Per period, the counts of every partition of the Dask DataFrame `frame` (`split` counts
    one partition by period: a picklable callable), merged."""
    frozen.check_columns(frame._meta, "current")  # type: ignore[attr-defined]
    total: dict[str, SampleCounts] = {}
    for part in per_partition(_partition_period_counts, frame, split=split):
        for key, counts in part.items():
            total.setdefault(key, SampleCounts.empty(frozen)).merge(counts)
    return total
