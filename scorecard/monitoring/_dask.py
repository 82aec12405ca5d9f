"""Drift counts of a Dask DataFrame: each partition counted as an in-memory chunk, then merged.

The same `SampleCounts.add` (the engine's kernels and the spec's points) runs on every
partition on Dask's scheduler; the small per-partition counts are merged on the client, so a
report from a Dask sample equals the in-memory report exactly (integer counts).
"""

from __future__ import annotations

from scorecard.distributed import per_partition
from scorecard.monitoring.counting import FrozenBins, SampleCounts

__all__ = ["dask_sample_counts"]


def _partition_counts(part, *, partition_index, frozen, what):  # noqa: ANN001, ANN202
    return SampleCounts.of_frame(frozen, part, what)


def dask_sample_counts(frozen: FrozenBins, frame: object, what: str) -> SampleCounts:
    """The counts of every partition of the Dask DataFrame `frame`, merged."""
    frozen.check_columns(frame._meta, what)  # type: ignore[attr-defined]
    total = SampleCounts.empty(frozen)
    for counts in per_partition(_partition_counts, frame, frozen=frozen, what=what):
        total.merge(counts)
    return total
