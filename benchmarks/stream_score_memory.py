"""Peak memory of `scorecard score model.json big.parquet --out scored.parquet` (streaming).

Writes N synthetic applications (scorecard.datasets.make_applications, in blocks of 500,000
rows) to parquet, fits a card on 20,000 of them, then scores the file in a child process and
reports its wall time and peak RSS (ru_maxrss). Usage: python benchmarks/stream_score_memory.py
1000000 10000000 [--keep DIR]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from scorecard import BinningProcess
from scorecard.datasets import make_applications
from scorecard.model.scorecard import Scorecard

BLOCK = 500_000


def write_rows(path: Path, n: int) -> None:
    writer = None
    for i, start in enumerate(range(0, n, BLOCK)):
        block = make_applications(min(BLOCK, n - start), seed=100 + i)
        table = pa.Table.from_pandas(block, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table.cast(writer.schema))
    writer.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int, nargs="+")
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="stream_score_"))
    folder.mkdir(parents=True, exist_ok=True)
    train = make_applications(20_000, seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = Scorecard(BinningProcess()).fit(
            train.drop(columns=["default", "application_month", "protected"]), train["default"]
        )
    model = folder / "model.json"
    card.save(model)
    print(f"{'rows':>12} {'file MB':>8} {'score s':>8} {'peak RSS MB':>12}")
    for n in args.rows:
        data = folder / f"apps_{n}.parquet"
        if not data.exists():
            write_rows(data, n)
        out = folder / f"scored_{n}.parquet"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "scorecard", "score", str(model), str(data), "--out", str(out)],
            check=True, stdout=subprocess.DEVNULL,
        )
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        note = "" if peak > before else " (<= an earlier run's peak)"
        print(f"{n:>12,} {data.stat().st_size / 2**20:>8.0f} {seconds:>8.1f} "
              f"{peak / 1024:>12.0f}{note}")
        out.unlink()


if __name__ == "__main__":
    main()
