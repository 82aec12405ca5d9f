"""Drift reports per period: one report for every period of a current source read in chunks.

The period of a row comes from a period column (its values as text), from a date column cut
to a frequency (day, week, month, quarter, year), or, for a folder source, from the file's stem.
The reference is counted once; each chunk of the source is split by period and its counts are
added to that period's counts, so memory holds one chunk and the count tables only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from scorecard.chunked import parquet_files
from scorecard.distributed import is_dask
from scorecard.distributed.spark import is_spark
from scorecard.exceptions import InputError
from scorecard.monitoring.bands import score_band_edges
from scorecard.monitoring.counting import FrozenBins, SampleCounts
from scorecard.monitoring.report import DriftReport, report_from_counts
from scorecard.monitoring.sources import DEFAULT_CHUNKSIZE, describe_source, iter_chunks
from scorecard.validation import category_text

__all__ = ["FREQUENCIES", "drift_reports", "period_labels"]

FREQUENCIES = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}
ALL_ROWS = "all"
"""The period of a source without a period rule: one report of all its rows."""


def _frequency(freq: object) -> str:
    if freq in FREQUENCIES:
        return FREQUENCIES[str(freq)]
    if freq in FREQUENCIES.values():
        return str(freq)
    raise InputError(
        f"freq must be one of {', '.join(FREQUENCIES)} (or D, W, M, Q, Y), got {freq!r}."
    )


def period_labels(
    frame: pd.DataFrame, *, period_column: str | None = None, date_column: str | None = None,
    freq: str | None = None,
) -> pd.Series:
    """The period of every row as text; InputError for a missing column, value or bad date."""
    column = period_column if period_column is not None else date_column
    if column not in frame.columns:
        kind = "period" if period_column is not None else "date"
        raise InputError(
            f"{kind} column {column!r} not found in the current data; available columns: "
            f"{', '.join(map(str, list(frame.columns)[:20]))}."
        )
    values = frame[column]
    n_missing = int(values.isna().sum())
    if n_missing:
        raise InputError(
            f"column {column!r} has {n_missing} row(s) without a value, so their period is "
            "unknown; fill or drop them."
        )
    if period_column is not None:
        return category_text(values)
    code = _frequency("month" if freq is None else freq)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        dates = values
    else:
        dates = pd.to_datetime(values, errors="coerce", format="mixed")
        bad = dates.isna()
        if bad.any():
            raise InputError(
                f"date column {column!r} holds {values[bad].iloc[0]!r}, which does not parse as a "
                f"date ({int(bad.sum())} such row(s)); write dates as YYYY-MM-DD."
            )
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return dates.dt.to_period(code).astype(str)


def _check_rule(period_column: object, date_column: object, freq: object) -> None:
    if period_column is not None and date_column is not None:
        raise InputError("give either period_column or date_column (with freq), not both.")
    if freq is not None and date_column is None:
        raise InputError("freq cuts a date column into periods: give date_column as well.")
    for name, value in (("period_column", period_column), ("date_column", date_column)):
        if value is not None and (not isinstance(value, str) or not value):
            raise InputError(f"{name} must be a column name, got {value!r}.")
    if freq is not None:
        _frequency(freq)


def add_period_counts(
    by_period: dict[str, SampleCounts], frozen: FrozenBins, chunk: pd.DataFrame,
    rule: Mapping[str, str | None], wanted: set[str] | None, file_period: str | None = None,
) -> dict[str, SampleCounts]:
    """Add the rows of `chunk` to the counts of their periods in `by_period` (periods not in
    `wanted` are skipped); `rule` holds period_column, date_column and freq."""
    if (rule.get("period_column") or rule.get("date_column")) is not None:
        codes, uniques = pd.factorize(period_labels(chunk, **rule))
        groups = [(str(u), np.flatnonzero(codes == i)) for i, u in enumerate(uniques)]
    else:
        groups = [(file_period or ALL_ROWS, None)]
    for key, rows in groups:
        if wanted is not None and key not in wanted:
            continue
        part = chunk if rows is None else chunk.iloc[rows]
        counts = by_period.setdefault(key, SampleCounts.empty(frozen))
        counts.add(frozen, part, f"current (period {key})")
    return by_period


def _period_counts(chunk: pd.DataFrame, *, frozen: FrozenBins, rule: Mapping[str, str | None],
                   wanted: set[str] | None) -> dict[str, SampleCounts]:
    return add_period_counts({}, frozen, chunk, rule, wanted)


def _dask_source(source: object, columns: list[str]) -> object:
    """A Dask DataFrame of `source`: itself, or a parquet file or dataset folder read lazily."""
    if is_dask(source):
        return source
    if not isinstance(source, (str, os.PathLike)) or str(source).startswith("sql:"):
        raise InputError("engine='dask' reads a parquet file or dataset folder (or a Dask "
                         f"DataFrame); got {describe_source(source)}.")
    try:
        import dask.dataframe as dd
    except ImportError:
        raise InputError("engine='dask' needs Dask: pip install 'scorecard[dask]'.") from None
    import pyarrow.parquet as pq

    files = parquet_files(source)
    present = set(pq.read_schema(files[0]).names)
    return dd.read_parquet([str(f) for f in files], columns=[c for c in columns if c in present])


def _count_source(
    frozen: FrozenBins, source: object, columns: list[str], chunksize: int, what: str
) -> SampleCounts:
    if is_dask(source):
        from scorecard.monitoring._dask import dask_sample_counts

        return dask_sample_counts(frozen, source, what)
    if is_spark(source):
        from scorecard.monitoring._spark import spark_sample_counts

        return spark_sample_counts(frozen, source, what)
    counts = SampleCounts.empty(frozen)
    for _, chunk in iter_chunks(source, columns=columns, chunksize=chunksize):
        counts.add(frozen, chunk, what)
    return counts


def drift_reports(
    spec: Mapping[str, Any],
    reference: object,
    source: object,
    *,
    period_column: str | None = None,
    date_column: str | None = None,
    freq: str | None = None,
    periods: Sequence[str] | None = None,
    reference_mode: str = "sample",
    chunksize: int = DEFAULT_CHUNKSIZE,
    engine: str = "chunked",
    **options: Any,
) -> dict[str, DriftReport]:
    """One drift report per period of ``source`` against ``reference``, in period order.

    ``reference`` and ``source`` may each be a DataFrame, a CSV/parquet file, a folder of files
    (one per period, named by period) or a SQL source (see `scorecard.monitoring.sources`).
    Periods come from ``period_column``, from ``date_column`` cut to ``freq`` (default month),
    or from a folder's file names; without any, all rows form one period named "all".
    ``periods`` lists the periods wanted: others are skipped, and a listed period without rows
    is reported as empty (status "empty", n_current 0). Every period's report uses the same
    score bands (the reference's deciles unless ``score_edges`` is given). Other options as in
    `drift_report`.

    ``engine="chunked"`` (default) reads the source here, ``chunksize`` rows at a time;
    ``engine="dask"`` counts a parquet file or dataset folder (a folder here is one dataset, not
    one file per period) partition by partition on Dask's scheduler, as does a Dask DataFrame
    source with either engine, and a Spark DataFrame source on its own Spark session; the
    reports are the same. The reference may be a Dask or a Spark DataFrame.
    """
    if engine not in ("chunked", "dask"):
        raise InputError(f"engine must be 'chunked' or 'dask', got {engine!r}.")
    _check_rule(period_column, date_column, freq)
    if periods is not None:
        if isinstance(periods, str) or not all(isinstance(p, str) for p in periods):
            raise InputError(f"periods must be a list of period labels (text), got {periods!r}.")
    frozen = FrozenBins(spec)
    needed = [*frozen.names, frozen.target]
    ref = _count_source(frozen, reference, needed, chunksize, f"reference ({describe_source(reference)})")
    if ref.n_rows == 0:
        raise InputError(f"the reference {describe_source(reference)} has no rows.")
    if options.get("score_edges") is None:
        options["score_edges"] = score_band_edges(ref.score_values, ref.score_counts.sum(axis=1))
    rule = {"period_column": period_column, "date_column": date_column, "freq": freq}
    rule_column = period_column or date_column
    columns = needed + ([rule_column] if rule_column else [])
    wanted = None if periods is None else set(periods)
    split = partial(_period_counts, frozen=frozen, rule=rule, wanted=wanted)
    if is_spark(source):
        from scorecard.monitoring._spark import spark_period_counts

        by_period = spark_period_counts(frozen, source, split, [rule_column] if rule_column else [])
    elif engine == "dask" or is_dask(source):
        from scorecard.monitoring._dask import dask_period_counts

        by_period = dask_period_counts(frozen, _dask_source(source, columns), split)
    else:
        by_period = {}
        stems = wanted if rule_column is None else None
        for file_period, chunk in iter_chunks(source, columns=columns, chunksize=chunksize,
                                              stems=stems):
            add_period_counts(by_period, frozen, chunk, rule, wanted, file_period)
    keys = sorted(by_period) if periods is None else list(periods)
    return {
        key: report_from_counts(
            frozen, ref, by_period.get(key) or SampleCounts.empty(frozen),
            reference_mode=reference_mode, period=key, **options,
        )
        for key in keys
    }
