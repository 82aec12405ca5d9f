"""Reading user tables (CSV or parquet) with clear errors, and writing files atomically.

CSV text is read as written: a column that holds only numbers is numeric, every other column is
text exactly as in the file ("07" stays "07", "TRUE" stays "TRUE"), whatever else the file holds.
So a row reads, and scores, the same in any batch. An empty field and pandas' default NA strings
(`NA_STRINGS`) are missing; the generated Python scorer follows the same rule.
"""

from __future__ import annotations

import csv
import os
import re
import stat
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import pandas as pd

from scorecard.exceptions import InputError, ScorecardError

__all__ = ["NA_STRINGS", "READERS", "csv_header", "read_csv_text_batches", "read_for_scoring", "read_table",
           "scoring_view", "write_atomic", "write_table"]

# pandas' default na_values for read_csv (pandas._libs.parsers.STR_NA_VALUES; a test pins it).
NA_STRINGS = frozenset({
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
})
# The pandas reader of each file type (the monitoring sources read chunks with them).
READERS = {".csv": pd.read_csv, ".parquet": pd.read_parquet, ".pq": pd.read_parquet}
SUFFIXES = tuple(READERS)
PARTIAL_MARK = ".scorecard-partial-"
_PARTIAL_RE = re.compile(re.escape(PARTIAL_MARK) + r"(\d+)-[A-Za-z0-9_]+$")


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"cannot read {str(path)!r}: unknown extension {path.suffix!r}; use .csv or .parquet."
        )
    return suffix


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise InputError(f"data file {str(path)!r} does not exist or is not a file.")


def _refuse_duplicates(names: list[object], path: Path) -> None:
    counts = pd.Series(names, dtype=object).value_counts(sort=False)
    repeated = [name for name, count in counts.items() if count > 1]
    if repeated:
        raise InputError(
            f"{str(path)!r} has duplicate column name(s) {', '.join(map(repr, repeated))}; "
            "rename them so every column has its own name."
        )


def _csv_text(path: Path, names: list[str], wanted: list[str]) -> pd.DataFrame:
    """Columns ``wanted`` of the CSV as text exactly as written (nothing missing).

    pyarrow's reader (RFC 4180 quoting, quoted line breaks allowed) builds the strings in C:
    several times faster than pandas' text path.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    keys = [f"c{i}" for i in range(len(names))]
    key_of = dict(zip(names, keys))
    table = pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(column_names=keys, skip_rows=1),
        parse_options=pcsv.ParseOptions(newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(
            include_columns=[key_of[n] for n in wanted],
            column_types={key_of[n]: pa.string() for n in wanted},
            strings_can_be_null=False, quoted_strings_can_be_null=False,
        ),
    )
    frame = table.to_pandas()
    frame.columns = wanted
    return frame.astype(object)


def csv_header(path: Path) -> list[str]:
    """The CSV's column names; InputError for none or a repeated one."""
    header = pd.read_csv(path, header=None, nrows=1, dtype=str, keep_default_na=False)
    if header.shape[1] == 0:
        raise InputError(f"{str(path)!r} has no columns.")
    _refuse_duplicates(list(header.iloc[0]), path)
    return list(pd.read_csv(path, nrows=0).columns)


def read_csv_text_batches(path: str | Path, batch_rows: int) -> Iterator[pd.DataFrame]:
    """A CSV's rows as text exactly as written (nothing missing), `batch_rows` rows at a time."""
    path = Path(path)
    _check_file(path)
    names = csv_header(path)
    with pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False,
                     chunksize=batch_rows) as reader:
        for chunk in reader:
            chunk.columns = names
            yield chunk.astype(object)


def _read_csv(path: Path, as_written: bool | Collection[str]) -> pd.DataFrame:
    names = csv_header(path)
    if as_written is True:
        return _csv_text(path, names, names)
    raw = set(as_written or ()) & set(names)
    others = [n for n in names if n not in raw]
    frame = pd.read_csv(path, usecols=others, keep_default_na=False,
                        na_values=list(NA_STRINGS), low_memory=False) if others else None
    text = [n for n in others if not pd.api.types.is_numeric_dtype(frame[n].dtype)
            or pd.api.types.is_bool_dtype(frame[n].dtype)]
    wanted = [n for n in names if n in raw or n in text]
    if wanted:  # text exactly as written (pandas would turn "TRUE" into True, "07" into 7)
        again = _csv_text(path, names, wanted)
        if frame is None:
            frame = pd.DataFrame(index=again.index)
        elif len(again) != len(frame):
            raise InputError(f"{str(path)!r} reads as {len(frame)} and {len(again)} rows; "
                             "check its quoting and line ends.")
        for name in wanted:
            values = again[name]
            frame[name] = values if name in raw else values.where(~values.isin(NA_STRINGS), None)
    return frame[names]


def read_table(path: str | Path, *, as_written: bool | Collection[str] = ()) -> pd.DataFrame:
    """Read a CSV or parquet file into a DataFrame; raise InputError naming the file otherwise.

    CSV: numeric columns are parsed (correctly rounded), other columns kept as text exactly as
    written with the NA strings missing; columns in ``as_written`` (True: all) are text exactly
    as written with nothing missing. Duplicate column names are refused.
    """
    path = Path(path)
    _check_file(path)
    suffix = _suffix(path)
    try:
        if suffix == ".csv":
            frame = _read_csv(path, as_written)
        else:
            frame = pd.read_parquet(path)
    except ScorecardError:
        raise
    except Exception as exc:  # the reader's own message is useful, its traceback is not
        raise InputError(f"cannot read {str(path)!r} as {suffix[1:]}: {exc}") from exc
    if frame.shape[1] == 0:
        raise InputError(f"{str(path)!r} has no columns.")
    _refuse_duplicates(list(frame.columns), path)
    return frame


def read_for_scoring(
    path: str | Path, columns: Collection[str], *, keep_all_as_written: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows to write back, rows to score) from a CSV or parquet file.

    For a CSV the first is the file's text exactly as written (every column, or with
    ``keep_all_as_written=False`` only ``columns``); the second is the same with the NA strings of
    ``columns`` as missing, so the scorer parses numbers and compares categories as written.
    A parquet file keeps its stored types in both.
    """
    path = Path(path)
    _check_file(path)
    if _suffix(path) != ".csv":
        frame = read_table(path)
        return frame, frame
    raw = read_table(path, as_written=True if keep_all_as_written else columns)
    return raw, scoring_view(raw, columns)


def scoring_view(raw: pd.DataFrame, columns: Collection[str]) -> pd.DataFrame:
    """CSV text as written, with the NA strings of `columns` missing (what the scorer reads)."""
    view = raw.copy()
    for name in columns:
        if name in view.columns:
            values = view[name].astype(object)
            view[name] = values.where(~values.isin(NA_STRINGS) & values.notna(), None)
    return view


# ----------------------------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------------------------


def _check_target(path: Path) -> Path:
    """The folder to write into; refuse targets that are not (yet) regular files."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror or exc}.") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = ("a directory" if stat.S_ISDIR(info.st_mode) else
                "a symbolic link" if stat.S_ISLNK(info.st_mode) else
                "a named pipe" if stat.S_ISFIFO(info.st_mode) else
                "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "not a regular file")
        raise InputError(
            f"cannot write {str(path)!r}: it is {kind}; give the path of a regular file."
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {str(path)!r}: the folder {str(folder)!r} does not exist.")
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def _remove_stale_partials(folder: Path, name: str) -> None:
    """Remove partial files of earlier writes to the same target whose process has died."""
    prefix = name + PARTIAL_MARK
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        match = _PARTIAL_RE.search(entry.name)
        if match and entry.is_file(follow_symlinks=False) and not _alive(int(match.group(1))):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def write_atomic(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Write through `write(temporary_path)` then rename, so a failure never leaves half a file.

    The target must be a regular file or absent, in an existing folder (InputError otherwise);
    an existing file is replaced only on success. The temporary file is named
    ``<name>.scorecard-partial-<pid>-<random>`` beside the target: if the process is killed it
    stays, obviously removable, and the next write to the same target removes it.
    """
    path = Path(path)
    folder = _check_target(path)
    _remove_stale_partials(folder, path.name)
    tmp = folder / f"{path.name}{PARTIAL_MARK}{os.getpid()}-{os.urandom(4).hex()}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except OSError as exc:
        raise InputError(f"cannot write {str(path)!r}: {exc.strerror or exc}.") from None
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        _check_target(path)  # it may have become a link or a directory meanwhile
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
            left = "nothing was written"
        except FileNotFoundError:
            left = "nothing was written"
        except OSError:
            left = f"remove the partial file {str(tmp)!r}"
        if isinstance(exc, OSError):
            reason = exc.strerror or exc
            raise InputError(f"cannot write {str(path)!r}: {reason}; {left}.") from None
        raise
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a frame as parquet (.parquet, .pq) or CSV (anything else), atomically.

    CSV follows RFC 4180 (CRLF line ends; a field holding a comma, quote, CR or LF is quoted), so
    any text, even a bare carriage return, reads back as the same rows with pandas or `csv`.
    """
    path = Path(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        return write_atomic(path, lambda tmp: frame.to_parquet(tmp, index=False))
    return write_atomic(path, lambda tmp: frame.to_csv(
        tmp, index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL))
