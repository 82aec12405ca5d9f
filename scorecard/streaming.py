"""Scoring a file larger than memory, batch by batch, into a file of the same format.

Parquet (a file or a dataset folder) goes to a parquet file, CSV to CSV. Each batch of at most
`batch_rows` rows is scored by `score_frame` (the reference scorer, so every row scores exactly
as in memory) and appended to the output; a CSV is read and written back as text exactly as
written, as `scorecard score` does in memory. The output is written to a temporary file and
renamed only when complete (`io.write_atomic`). Peak memory is the model plus a few copies of
one batch, whatever the row count (measured figures: README).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorecard.chunked import PARQUET, ChunkedTable
from scorecard.exceptions import InputError
from scorecard.export.names import output_columns
from scorecard.io import scoring_view, write_atomic
from scorecard.model.spec import score_frame

__all__ = ["BATCH_ROWS", "is_parquet", "score_file", "score_parquet", "streams"]

BATCH_ROWS = 65_536


def is_parquet(path: str | Path) -> bool:
    return Path(path).suffix.lower() in PARQUET


def streams(source: str | Path, out: str | Path) -> bool:
    """True when `score_file` streams this pair: parquet (file or dataset folder) to parquet,
    or CSV to CSV."""
    source, out = Path(source), Path(out)
    if is_parquet(out):
        return is_parquet(source) or source.is_dir()
    return source.suffix.lower() == ".csv" and out.suffix.lower() == ".csv"


def score_file(
    spec: Mapping[str, Any],
    source: str | Path,
    out: str | Path,
    *,
    reason_codes: int = 0,
    score_column: str = "score",
    batch_rows: int = BATCH_ROWS,
) -> dict[str, Any]:
    """Score every row of `source` into `out` (parquet to parquet, CSV to CSV), in batches.

    The output holds the input columns plus `score_column` and ``reason_1`` .. ``reason_k``
    (an input column with one of those names is refused, as `export.names.output_columns`).
    Returns n_rows and the score's min, median and max (exact: the integer scores' histogram
    is kept).
    """
    if not streams(source, out):
        raise InputError(f"streaming scores parquet to parquet or CSV to CSV; {str(source)!r} "
                         f"to {str(out)!r} is neither.")
    table = ChunkedTable(source, batch_rows=batch_rows)
    added = output_columns(table.columns, score_column, reason_codes)
    names = [ch["name"] for ch in spec["characteristics"]]
    histogram: dict[int, int] = {}
    summary: dict[str, Any] = {"n_rows": 0}

    def scored() -> Iterator[pd.DataFrame]:
        batches = table.text_batches() if table.is_csv else table.batches()
        for frame in batches:
            view = scoring_view(frame, names) if table.is_csv else frame
            result = score_frame(spec, view, reason_codes=reason_codes)
            values, counts = np.unique(result["score"].to_numpy(), return_counts=True)
            for v, c in zip(values.tolist(), counts.tolist()):
                histogram[v] = histogram.get(v, 0) + c
            summary["n_rows"] += len(frame)
            yield frame.join(result.rename(columns={"score": score_column}))

    if table.is_csv:
        write_atomic(out, lambda tmp: _write_csv(tmp, scored(), [*table.columns, *added]))
    else:
        write_atomic(out, lambda tmp: _write_parquet(tmp, scored(), table, score_column, added))
    if histogram:
        values = np.array(sorted(histogram))
        cumulative = np.cumsum([histogram[v] for v in values])
        n = int(cumulative[-1])
        lower = values[np.searchsorted(cumulative, (n - 1) // 2 + 1)]
        upper = values[np.searchsorted(cumulative, n // 2 + 1)]
        summary.update(min=int(values[0]), max=int(values[-1]), median=(lower + upper) / 2)
    return summary


def score_parquet(spec: Mapping[str, Any], source: str | Path, out: str | Path,
                  **options: Any) -> dict[str, Any]:
    """`score_file` for a parquet file or dataset folder `source` (kept for existing callers)."""
    if not (is_parquet(source) or Path(source).is_dir()) or not is_parquet(out):
        raise InputError(f"score_parquet reads and writes parquet; got {str(source)!r} and "
                         f"{str(out)!r}.")
    return score_file(spec, source, out, **options)


def _write_parquet(tmp: Path, frames: Iterator[pd.DataFrame], table: ChunkedTable,
                   score_column: str, added: list[str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(list(table.schema) + [pa.field(score_column, pa.int64())]
                       + [pa.field(n, pa.string()) for n in added[1:]])
    with pq.ParquetWriter(tmp, schema) as writer:
        for frame in frames:
            writer.write_table(pa.Table.from_pandas(frame, schema=schema, preserve_index=False))


def _write_csv(tmp: Path, frames: Iterator[pd.DataFrame], columns: list[str]) -> None:
    """RFC 4180 like `io.write_table`: the header once, then every batch appended."""
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        handle.write(pd.DataFrame(columns=columns).to_csv(
            index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL))
        for frame in frames:
            frame.to_csv(handle, index=False, header=False, lineterminator="\r\n",
                         quoting=csv.QUOTE_MINIMAL)
