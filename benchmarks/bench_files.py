"""Beyond memory: binning fit, WoE transform, scoring and per-period drift on a parquet dataset,
in memory, chunked (one process, batches of rows) and on Dask (LocalCluster, 2 workers, threads
on 127.0.0.1), with optbinning's fit side by side: wall time, CPU time and peak RSS of each step,
each in its own child process.

The whole table (what the closing note reports), one command, on a quiet machine:

    python benchmarks/bench_files.py full [--folder var/bench_files] [--sizes 1000000 3000000 10000000]

generates the data once (kept in --folder), runs every step x mode at every size, optbinning's
fit at each size until one takes longer than --optbinning-timeout (600 s), and prints the table
and each cell's cost exponent (least-squares slope of log time on log rows). Single pieces:

    python benchmarks/bench_files.py generate --rows 10000000 --out var/wide10m
    python benchmarks/bench_files.py table --data var/wide10m [--modes memory chunked dask]
                                          [--steps fit transform score drift]

Data: data/generate.py --kind wide (26 characteristics: 22 numeric from `make_wide`, four
categoricals cut from them; 3% NaN; plus `default` and `month`, 12 periods), a parquet dataset
folder of 1,000,000-row files, generated in bounded memory. The binning and the card used by
transform/score/drift are fitted once on the first 200,000 rows. Peak RSS is ru_maxrss of the
child process (Dask workers are threads in it). In memory, the time includes reading the dataset
(pd.read_parquet), as the other modes read it too.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "data"))

from generate import WIDE_PERIOD, WIDE_TARGET, wide_blocks, write_blocks  # noqa: E402

TARGET, PERIOD = WIDE_TARGET, WIDE_PERIOD
STEPS = ("fit", "transform", "score", "drift")
MODES = ("memory", "chunked", "dask")
OPTBINNING_TIMEOUT = 600


def generate(rows: int, out: Path) -> None:
    started = time.perf_counter()
    write_blocks(wide_blocks(rows, seed=0), out)
    print(f"wrote {rows:,} rows to {out} in {time.perf_counter() - started:.0f} s", flush=True)


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


def _optbinning_fit(data: Path) -> None:
    from optbinning import BinningProcess as OptBinningProcess

    frame = pd.read_parquet(data)
    X = frame.drop(columns=[TARGET, PERIOD])
    categorical = [c for c in X.columns if X[c].dtype == object or str(X[c].dtype) == "str"]
    OptBinningProcess(list(X.columns), categorical_variables=categorical).fit(X, frame[TARGET])


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
    started, cpu = time.perf_counter(), time.process_time()
    out: dict = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if mode == "optbinning":
            if step != "fit":
                raise SystemExit("optbinning is timed for the fit only.")
            _optbinning_fit(data)
        elif mode == "memory":
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
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if cluster is not None:
        client.close()
        cluster.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "step": step, "seconds": round(seconds, 1), "cpu_s": round(cpu, 1),
            "peak_rss_mb": round(rss), "load": round(os.getloadavg()[0], 1), **out}


def n_rows(data: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in data.glob("*.parquet"))


def run_child(mode: str, step: str, data: Path, work: Path, timeout: float | None) -> dict:
    """One step in a fresh process (its own peak RSS); a timeout or a failure is recorded."""
    command = [sys.executable, __file__, "step", "--data", str(data), "--work", str(work),
               "--mode", mode, "--step", step]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"mode": mode, "step": step, "error": f"stopped after {timeout:.0f} s",
                "timeout": timeout}
    if done.returncode != 0:
        return {"mode": mode, "step": step, "error": done.stderr.strip()[-300:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def exponent(points: list[tuple[int, float]]) -> float | None:
    """Least-squares slope of log(seconds) on log(rows): 1 is linear cost."""
    if len(points) < 2:
        return None
    x = np.log([p[0] for p in points])
    y = np.log([p[1] for p in points])
    return float(np.polyfit(x, y, 1)[0])


def full(folder: Path, sizes: list[int], modes: list[str], steps: list[str],
         optbinning_timeout: float, step_timeout: float | None) -> None:
    """Generate, run every cell at every size, print the table and the cost exponents."""
    folder.mkdir(parents=True, exist_ok=True)
    results: list[dict] = []
    optbinning_on = optbinning_timeout > 0
    if optbinning_on:
        try:
            import optbinning  # noqa: F401
        except ImportError:
            print("optbinning is not installed (`make bench` installs it): its column is empty.")
            optbinning_on = False
    for rows in sorted(sizes):
        data = folder / f"wide{rows}"
        if not data.exists():
            generate(rows, data)
        work = folder / f"wide{rows}_work"
        work.mkdir(exist_ok=True)
        models(data, work)
        print(f"{rows:,} rows x 26 characteristics, load {os.getloadavg()[0]:.1f}", flush=True)
        cells = [(m, s) for s in steps for m in modes]
        if optbinning_on and "fit" in steps:
            cells.append(("optbinning", "fit"))
        for mode, step in cells:
            timeout = optbinning_timeout if mode == "optbinning" else step_timeout
            result = {"rows": rows, **run_child(mode, step, data, work, timeout)}
            results.append(result)
            print(json.dumps(result), flush=True)
            if mode == "optbinning" and "timeout" in result:
                optbinning_on = False  # larger sizes would take longer still
    (folder / "results.json").write_text(json.dumps(results, indent=1))
    print(table_markdown(results, sorted(sizes)))


def table_markdown(results: list[dict], sizes: list[int]) -> str:
    cells = {(r["rows"], r["mode"], r["step"]): r for r in results}
    modes = [m for m in (*MODES, "optbinning") if any(r["mode"] == m for r in results)]
    steps = [s for s in STEPS if any(r["step"] == s for r in results)]
    head = "| rows | step | " + " | ".join(modes) + " |"
    lines = [head, "|" + "---|" * (2 + len(modes))]

    def cell(r: dict | None) -> str:
        if r is None:
            return ""
        if "error" in r:
            return "> {:.0f} s".format(r["timeout"]) if "timeout" in r else "failed"
        return f"{r['seconds']:.1f} s ({r['cpu_s']:.1f} CPU s), {r['peak_rss_mb']:,} MB"

    for rows in sizes:
        for step in steps:
            lines.append(f"| {rows / 1e6:g}M | {step} | " + " | ".join(
                cell(cells.get((rows, m, step))) for m in modes) + " |")
    for step in steps:
        slopes = []
        for m in modes:
            points = [(rows, cells[(rows, m, step)]["seconds"]) for rows in sizes
                      if "seconds" in cells.get((rows, m, step), {})]
            e = exponent(points)
            slopes.append("" if e is None or not math.isfinite(e) else f"{e:.2f}")
        lines.append(f"| exponent | {step} | " + " | ".join(slopes) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--rows", type=int, required=True)
    gen.add_argument("--out", type=Path, required=True)
    one = sub.add_parser("step")
    table = sub.add_parser("table")
    whole = sub.add_parser("full")
    for p in (one, table):
        p.add_argument("--data", type=Path, required=True)
        p.add_argument("--work", type=Path, default=None)
    one.add_argument("--mode", choices=(*MODES, "optbinning"), required=True)
    one.add_argument("--step", choices=STEPS, required=True)
    for p in (table, whole):
        p.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
        p.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    whole.add_argument("--folder", type=Path, default=ROOT / "var" / "bench_files")
    whole.add_argument("--sizes", nargs="+", type=int, default=[1_000_000, 3_000_000, 10_000_000])
    whole.add_argument("--optbinning-timeout", type=float, default=OPTBINNING_TIMEOUT,
                       help="seconds; 0 leaves optbinning out")
    whole.add_argument("--step-timeout", type=float, default=None, help="seconds per cell")
    args = parser.parse_args()
    if args.command == "generate":
        generate(args.rows, args.out)
        return
    if args.command == "full":
        full(args.folder, args.sizes, args.modes, args.steps, args.optbinning_timeout,
             args.step_timeout)
        return
    work = args.work or args.data.with_name(args.data.name + "_work")
    work.mkdir(parents=True, exist_ok=True)
    if args.command == "step":
        print(json.dumps(run_step(args.mode, args.step, args.data, work)))
        return
    models(args.data, work)
    rows = n_rows(args.data)
    print(f"{rows:,} rows x 26 characteristics ({args.data})")
    results = []
    for step in args.steps:
        for mode in args.modes:
            result = {"rows": rows, **run_child(mode, step, args.data, work, None)}
            results.append(result)
            print(json.dumps(result), flush=True)
    print(table_markdown(results, [rows]))


if __name__ == "__main__":
    main()
