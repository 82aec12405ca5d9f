"""Drift counts of a Spark DataFrame: each partition counted as an in-memory chunk, then merged.

As `scorecard.monitoring._dask`: the same `SampleCounts.add` runs on every partition
(`mapInPandas`, `scorecard.distributed.spark`), split by period for `drift_reports`, and the
small per-partition counts are merged on the driver, so a report from a Spark sample equals the
in-memory report exactly (integer counts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from scorecard.distributed.spark import empty_frame, per_partition
from scorecard.monitoring.counting import FrozenBins, SampleCounts

__all__ = ["spark_period_counts", "spark_sample_counts"]


def _partition_counts(part, *, partition_index, frozen, what):  # noqa: ANN001, ANN202
    return SampleCounts.of_frame(frozen, part, what)


def _partition_period_counts(part, *, partition_index, split):  # noqa: ANN001, ANN202
    return split(part)


def _needed(frozen: FrozenBins, frame: object, what: str, extra: Sequence[str]) -> list[str]:
    """The model's columns of `frame` (InputError naming any it lacks), its target and `extra`
    if present: only these travel to the workers."""
    meta = empty_frame(frame)
    frozen.check_columns(meta, what)
    wanted = [*frozen.names, frozen.target, *extra]
    return [c for c in dict.fromkeys(wanted) if c in meta.columns]


def spark_sample_counts(frozen: FrozenBins, frame: object, what: str) -> SampleCounts:
    """The counts of every partition of the Spark DataFrame `frame`, merged."""
    total = SampleCounts.empty(frozen)
    columns = _needed(frozen, frame, what, ())
    for counts in per_partition(_partition_counts, frame, columns, frozen=frozen, what=what):
        total.merge(counts)
    return total


def spark_period_counts(frozen: FrozenBins, frame: object,
                        split: Callable[[object], dict[str, SampleCounts]],
                        columns: Sequence[str]) -> dict[str, SampleCounts]:
    """Per period, the counts of every partition of the Spark DataFrame `frame` (`split`
    counts one partition by period), merged; `columns` adds the period rule's column."""
    total: dict[str, SampleCounts] = {}
    needed = _needed(frozen, frame, "current", columns)
    for part in per_partition(_partition_period_counts, frame, needed, split=split):
        for key, counts in part.items():
            total.setdefault(key, SampleCounts.empty(frozen)).merge(counts)
    return total
