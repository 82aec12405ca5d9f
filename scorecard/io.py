"""Reading user tables (CSV or parquet) with clear errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scorecard.exceptions import InputError

READERS = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".pq": pd.read_parquet}


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or parquet file into a DataFrame; raise InputError naming the file otherwise."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"data file {str(path)!r} does not exist or is not a file.")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(
            f"cannot read {str(path)!r}: unknown extension {path.suffix!r}; use .csv or .parquet."
        )
    try:
        frame = reader(path)
    except Exception as exc:  # the reader's own message is useful, its traceback is not
        raise InputError(f"cannot read {str(path)!r} as {path.suffix[1:]}: {exc}") from exc
    if frame.shape[1] == 0:
        raise InputError(f"{str(path)!r} has no columns.")
    return frame
