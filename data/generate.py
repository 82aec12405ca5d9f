"""Write a synthetic application book to parquet or CSV, in blocks of rows (bounded memory).

    python data/generate.py --rows 100000 --seed 0 --out var/synthetic.parquet
    python data/generate.py --rows 30000000 --out var/book.parquet           # 30 row groups
    python data/generate.py --kind wide --rows 10000000 --out var/wide10m     # dataset folder

Same arguments, same file contents. `--kind applications` (default) is
scorecard.datasets.make_applications (up to --block-rows rows: exactly its frame; more: see
`iter_applications`). `--kind wide` is the benchmarks' table: 22 numeric characteristics from
make_wide, four categoricals cut from four of them, `default` and `month` (12 periods).
One block is in memory at a time: a .parquet file gets one row group per block, a .csv file is
appended block by block, and an --out without a suffix is a parquet dataset folder with one
file per block. The output is written beside --out and renamed into place when complete.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard.datasets import MIN_ROWS, iter_applications, make_wide
from scorecard.exceptions import InputError

KINDS = ("applications", "wide")
SUFFIXES = (".parquet", ".csv", "")
BLOCK_ROWS = 1_000_000
WIDE_NUMERIC, WIDE_CATEGORICAL_FROM = 22, (0, 1, 3, 5)
WIDE_TARGET, WIDE_PERIOD = "default", "month"


def wide_blocks(n_rows: int, *, seed: int = 0,
                block_rows: int = BLOCK_ROWS) -> Iterator[pd.DataFrame]:
    """The benchmarks' 26-characteristic table in blocks: make_wide(block, 22) per block (the
    whole table when n_rows <= block_rows; else block k seeded by (seed, k)), categoricals c0-c3
    cut at the first block's 20/45/70/90% quantiles of x00, x01, x03, x05 (NaN stays missing),
    and `month` 2024-01..12 cycling over the row number."""
    if n_rows < MIN_ROWS or block_rows < MIN_ROWS:
        raise InputError(f"--rows and --block-rows must be at least {MIN_ROWS:,}.")
    cuts = None
    for k, first in enumerate(range(0, n_rows, block_rows)):
        n = min(block_rows, n_rows - first)
        block_seed = seed if n_rows <= block_rows else int(
            np.random.SeedSequence([seed, k]).generate_state(1, np.uint64)[0])
        X, y = make_wide(max(n, MIN_ROWS), WIDE_NUMERIC, seed=block_seed)
        X, y = X[:n], y[:n]
        frame = pd.DataFrame(X, columns=[f"x{j:02d}" for j in range(WIDE_NUMERIC)])
        if cuts is None:
            cuts = [np.nanquantile(X[:, j], [0.2, 0.45, 0.7, 0.9]) for j in WIDE_CATEGORICAL_FROM]
        for c, (j, cut) in enumerate(zip(WIDE_CATEGORICAL_FROM, cuts)):
            levels = np.array(list("ABCDE"), dtype=object)[np.searchsorted(cut, X[:, j])]
            levels[np.isnan(X[:, j])] = None
            frame[f"c{c}"] = levels
        frame[WIDE_TARGET] = y
        months = np.array([f"2024-{m:02d}" for m in range(1, 13)], dtype=object)
        frame[WIDE_PERIOD] = months[np.arange(first, first + n) % 12]
        yield frame


def write_blocks(blocks: Iterator[pd.DataFrame], out: Path) -> int:
    """Write the blocks to `out` (see the module docstring) and return the number of rows."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial-{os.getpid()}")
    suffix = out.suffix.lower()
    rows, writer = 0, None
    try:
        if suffix == "":
            tmp.mkdir()
        for k, frame in enumerate(blocks):
            if suffix == ".csv":
                frame.to_csv(tmp, mode="a", header=k == 0, index=False)
            elif suffix == "":
                frame.to_parquet(tmp / f"part-{k:05d}.parquet", index=False)
            else:
                import pyarrow as pa
                import pyarrow.parquet as pq

                table = pa.Table.from_pandas(frame, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table, row_group_size=len(frame))
            rows += len(frame)
        if writer is not None:
            writer.close()
            writer = None
        if out.is_dir():
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        if writer is not None:
            writer.close()
        if tmp.is_dir():
            shutil.rmtree(tmp)
        elif tmp.exists():
            tmp.unlink()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000,
                        help="rows (at least 1,000; applications: up to 1,000,000,000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (non-negative integer)")
    parser.add_argument("--kind", choices=KINDS, default="applications",
                        help="applications (make_applications) or wide (the benchmarks' table)")
    parser.add_argument("--months", type=int, default=24, help="number of application months")
    parser.add_argument("--start", default="2023-01", help="first month, YYYY-MM")
    parser.add_argument("--block-rows", type=int, default=BLOCK_ROWS,
                        help="rows generated and written at a time (memory bound)")
    parser.add_argument("--out", type=Path, required=True,
                        help="output: a .parquet or .csv file, or a folder (parquet dataset)")
    parser.add_argument("--if-missing", action="store_true", help="do nothing if --out exists")
    args = parser.parse_args(argv)

    if args.out.suffix.lower() not in SUFFIXES:
        print(f"error: --out must end in .parquet or .csv (or be a folder), got {str(args.out)!r}.",
              file=sys.stderr)
        return 2
    if args.if_missing and args.out.exists():
        print(f"{args.out} exists; left as it is.")
        return 0
    if args.seed < 0:
        print(f"error: seed must be a non-negative integer, got {args.seed}.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    if args.kind == "wide":
        blocks = wide_blocks(args.rows, seed=args.seed, block_rows=args.block_rows)
    else:
        blocks = iter_applications(args.rows, seed=args.seed, n_months=args.months,
                                   start=args.start, block_rows=args.block_rows)
    try:
        rows = write_blocks(blocks, args.out)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {rows:,} rows ({args.kind}) to {args.out} in "
          f"{time.perf_counter() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
