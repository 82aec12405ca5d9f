"""Scoring a parquet file larger than memory: row group by row group, into a parquet file.

Each batch of at most `batch_rows` rows is read (pyarrow), scored by `score_frame` (the reference
scorer, so every row scores exactly as in memory) and appended to the output; the output is
written to a temporary file and renamed only when complete (`io.write_atomic`). Peak memory is
the model plus a few copies of one batch, whatever the row count (measured figures: README).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from scorecard.exceptions import InputError
from scorecard.export.names import output_columns
from scorecard.io import write_atomic
from scorecard.model.spec import score_frame

__all__ = ["BATCH_ROWS", "is_parquet", "score_parquet"]

BATCH_ROWS = 65_536
PARQUET_SUFFIXES = (".parquet", ".pq")


def is_parquet(path: str | Path) -> bool:
    return Path(path).suffix.lower() in PARQUET_SUFFIXES


def score_parquet(
    spec: Mapping[str, Any],
    source: str | Path,
    out: str | Path,
    *,
    reason_codes: int = 0,
    score_column: str = "score",
    batch_rows: int = BATCH_ROWS,
) -> dict[str, Any]:
    """Score every row of the parquet file `source` into the parquet file `out`, in batches.

    The output holds the input columns plus `score_column` and ``reason_1`` .. ``reason_k``
    (an input column with one of those names is refused, as `export.names.output_columns`).
    Returns n_rows and the score's min, median and max (exact: the integer scores' histogram
    is kept).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = Path(source)
    if not source.is_file():
        raise InputError(f"data file {str(source)!r} does not exist or is not a file.")
    if batch_rows < 1:
        raise InputError(f"batch_rows={batch_rows} must be >= 1.")
    try:
        reader = pq.ParquetFile(source)
    except Exception as exc:  # pyarrow's message names the problem; its traceback does not help
        raise InputError(f"cannot read {str(source)!r} as parquet: {exc}") from exc
    added = output_columns(reader.schema_arrow.names, score_column, reason_codes)
    schema = pa.schema(
        list(reader.schema_arrow) + [pa.field(score_column, pa.int64())]
        + [pa.field(n, pa.string()) for n in added[1:]]
    )
    summary: dict[str, Any] = {"n_rows": 0}
    histogram: dict[int, int] = {}

    def write(tmp: Path) -> None:
        with pq.ParquetWriter(tmp, schema) as writer:
            for batch in reader.iter_batches(batch_size=batch_rows):
                frame = batch.to_pandas()
                scored = score_frame(spec, frame, reason_codes=reason_codes)
                result = frame.join(scored.rename(columns={"score": score_column}))
                writer.write_table(
                    pa.Table.from_pandas(result, schema=schema, preserve_index=False)
                )
                values, counts = np.unique(scored["score"].to_numpy(), return_counts=True)
                for v, c in zip(values.tolist(), counts.tolist()):
                    histogram[v] = histogram.get(v, 0) + c
                summary["n_rows"] += len(frame)

    write_atomic(out, write)
    if histogram:
        values = np.array(sorted(histogram))
        cumulative = np.cumsum([histogram[v] for v in values])
        n = int(cumulative[-1])
        lower = values[np.searchsorted(cumulative, (n - 1) // 2 + 1)]
        upper = values[np.searchsorted(cumulative, n // 2 + 1)]
        summary.update(min=int(values[0]), max=int(values[-1]), median=(lower + upper) / 2)
    return summary
