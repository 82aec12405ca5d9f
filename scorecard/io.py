"""Reading user tables (CSV or parquet) with clear errors, and writing files atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
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


def write_atomic(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Write through `write(temporary_path)` then rename, so a failure never leaves half a file.

    The folder must exist (InputError otherwise); an existing file is replaced only on success.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {str(path)!r}: the folder {str(folder)!r} does not exist.")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
