"""Beyond memory: binning fit, WoE transform, scoring and per-period drift on a parquet dataset,
in memory, chunked (one process, batches of rows) and on Dask (LocalCluster, 2 workers, threads
on 127.0.0.1): wall time and peak RSS of each step, each in its own child process.

    python benchmarks/bench_files.py generate --rows 10000000 --out var/wide10m
    python benchmarks/bench_files.py table --data var/wide10m [--modes memory chunked dask]
                                          [--steps fit transform score drift]

Data: bench_drift's 26 characteristics (22 numeric from `make_wide`, four categoricals cut from
them; 3% NaN) plus `default` and `month` (12 periods), written in blocks of 1,000,000 rows (one
parquet file each, seed = block number), so any row count is generated in bounded memory. The
binning and the card used by transform/score/drift are fitted once on the first 200,000 rows.
Peak RSS is ru_maxrss of the child process (Dask workers are threads in it). In memory, the
time includes reading the dataset (pd.read_parquet), as the other modes read it too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_drift import CATEGORICAL_FROM, N_NUMERIC  # noqa: E402

BLOCK = 1_000_000
TARGET, PERIOD = "default", "month"
STEPS = ("fit", "transform", "score", "drift")
MODES = ("memory", "chunked", "dask")


def block(n: int, seed: int) -> pd.DataFrame:
    from scorecard.datasets import make_wide

    X, y = make_wide(n, N_NUMERIC, seed=seed)
    frame = pd.DataFrame(X, columns=[f"x{j:02d}" for j in range(N_NUMERIC)])
    for k, j in enumerate(CATEGORICAL_FROM):
        cuts = np.nanquantile(X[:, j], [0.2, 0.45, 0.7, 0.9])
        levels = np.array(list("ABCDE"), dtype=object)[np.searchsorted(cuts, X[:, j])]
        levels[np.isnan(X[:, j])] = None
        frame[f"c{k}"] = levels
    frame[TARGET] = y
    frame[PERIOD] = [f"2024-{m:02d}" for m in (np.arange(n) % 12 + 1)]
    return frame


def generate(rows: int, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for k, start in enumerate(range(0, rows, BLOCK)):
        block(min(BLOCK, rows - start), seed=k).to_parquet(out / f"part-{k:05d}.parquet",
                                                            index=False)
    print(f"wrote {rows:,} rows to {out} in {time.perf_counter() - started:.0f} s")


def models(data: Path, folder: Path) -> tuple[Path, Path, Path]:
    """Binning JSON, card spec and drift reference from the first 200,000 rows (cached)."""
    from scorecard import BinningProcess
    from scorecard.model.scorecard import Scorecard
    from scorecard.model.spec import save_spec

    binning, spec, reference = (folder / "binning.json", folder / "card.json",
                                folder / "reference.parquet")
    if not spec.exists():
        first = pd.read_parquet(sorted(data.glob("*.parquet"))[0]).iloc[:200_000]
        X, y = first.drop(columns=[TARGET, PERIOD]), first[TARGET]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            binning.write_text(BinningProcess().fit(X, y).to_json())
            save_spec(Scorecard(BinningProcess()).fit(X, y).to_spec(), spec)
        first.to_parquet(reference, index=False)
    return binning, spec, reference


def run_step(mode: str, step: str, data: Path, work: Path) -> dict:
    from scorecard import BinningProcess
    from scorecard.binning import fit_file, transform_file
    from scorecard.model.spec import load_spec, score_frame
    from scorecard.monitoring import drift_reports
    from scorecard.streaming import score_file

    binning, spec_path, reference_path = models(data, work)
    spec = load_spec(spec_path)
    reference = pd.read_parquet(reference_path)
    BinningProcess().fit(reference.iloc[:2_000, :3], reference[TARGET].iloc[:2_000])  # numba loaded
    cluster = None
    if mode == "dask":
        import distributed

        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                           protocol="tcp", host="127.0.0.1",
                                           dashboard_address=None)
        client = distributed.Client(cluster)
    engine = "dask" if mode == "dask" else "chunked"
    started = time.perf_counter()
    out: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if mode == "memory":
            frame = pd.read_parquet(data)
            if step == "fit":
                BinningProcess().fit(frame.drop(columns=[TARGET, PERIOD]), frame[TARGET])
            elif step == "transform":
                BinningProcess.from_json(binning.read_text()).transform(frame)
            elif step == "score":
                score_frame(spec, frame)
            else:
                out["periods"] = len(drift_reports(spec, reference, frame, period_column=PERIOD))
        elif step == "fit":
            columns = [c for c in pd.read_parquet(sorted(data.glob("*.parquet"))[0]).columns
                       if c not in (TARGET, PERIOD)]
            fit_file(BinningProcess(columns=columns), data, TARGET, engine=engine)
        elif step == "transform":
            transform_file(BinningProcess.from_json(binning.read_text()), data,
                           work / f"woe_{mode}.parquet", keep=[TARGET], engine=engine)
        elif step == "score" and mode == "chunked":
            score_file(spec, data, work / "scored.parquet")
        elif step == "score":  # no Dask scoring API: the benchmark maps the reference scorer
            import dask.dataframe as dd

            ddf = dd.read_parquet(str(data))
            ddf.map_partitions(lambda p: p.join(score_frame(spec, p)), meta=ddf._meta.join(
                score_frame(spec, ddf._meta))).to_parquet(str(work / "scored_dask"),
                                                          write_index=False)
        else:
            out["periods"] = len(drift_reports(spec, reference, data, period_column=PERIOD,
                                               engine=engine))
    seconds = time.perf_counter() - started
    if cluster is not None:
        client.close()
        cluster.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "step": step, "seconds": round(seconds, 1), "peak_rss_mb": round(rss),
            "load": round(os.getloadavg()[0], 1), **out}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--rows", type=int, required=True)
    gen.add_argument("--out", type=Path, required=True)
    one = sub.add_parser("step")
    table = sub.add_parser("table")
    for p in (one, table):
        p.add_argument("--data", type=Path, required=True)
        p.add_argument("--work", type=Path, default=None)
    one.add_argument("--mode", choices=MODES, required=True)
    one.add_argument("--step", choices=STEPS, required=True)
    table.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    table.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    args = parser.parse_args()
    if args.command == "generate":
        generate(args.rows, args.out)
        return
    work = args.work or args.data.with_name(args.data.name + "_work")
    work.mkdir(parents=True, exist_ok=True)
    if args.command == "step":
        print(json.dumps(run_step(args.mode, args.step, args.data, work)))
        return
    models(args.data, work)
    rows = sum(__import__("pyarrow.parquet").parquet.ParquetFile(f).metadata.num_rows
               for f in args.data.glob("*.parquet"))
    print(f"{rows:,} rows x 26 characteristics ({args.data})")
    for step in args.steps:
        for mode in args.modes:
            done = subprocess.run([sys.executable, __file__, "step", "--data", str(args.data),
                                   "--work", str(work), "--mode", mode, "--step", step],
                                  capture_output=True, text=True)
            result = (json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0
                      else {"mode": mode, "step": step, "error": done.stderr.strip()[-300:]})
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
