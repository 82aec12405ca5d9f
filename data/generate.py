"""Write a synthetic application book to parquet or CSV.

    python data/generate.py --rows 100000 --seed 0 --out var/synthetic.parquet

Same arguments, same file contents: see scorecard.datasets.make_applications.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from scorecard.datasets import make_applications
from scorecard.exceptions import InputError

WRITERS = {".parquet": "to_parquet", ".csv": "to_csv"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows (1,000 to 10,000,000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (non-negative integer)")
    parser.add_argument("--months", type=int, default=24, help="number of application months")
    parser.add_argument("--start", default="2023-01", help="first month, YYYY-MM")
    parser.add_argument("--out", type=Path, required=True, help="output file, .parquet or .csv")
    parser.add_argument("--if-missing", action="store_true", help="do nothing if --out exists")
    args = parser.parse_args(argv)

    writer = WRITERS.get(args.out.suffix.lower())
    if writer is None:
        print(f"error: --out must end in .parquet or .csv, got {str(args.out)!r}.", file=sys.stderr)
        return 2
    if args.if_missing and args.out.exists():
        print(f"{args.out} exists; left as it is.")
        return 0
    started = time.perf_counter()
    try:
        frame = make_applications(args.rows, seed=args.seed, n_months=args.months, start=args.start)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    getattr(frame, writer)(args.out, index=False)
    print(f"wrote {len(frame):,} rows x {frame.shape[1]} columns to {args.out} "
          f"in {time.perf_counter() - started:.1f} s (bad rate {frame['default'].mean():.3f}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
