"""BinningProcess speed and memory, ours vs optbinning (and toad), side by side in one run.

    python benchmarks/bench_binning.py [--rows 1000000 --features 25 --repeat 3 --no-peers]

Data: scorecard.datasets.make_wide(rows, features, seed=0) as a DataFrame (float64 columns with
about 3% NaN, 15% bad rate); every implementation with its default settings, except threads.

Like for like: both sides run the same number of times (--repeat) and report the median, and
both get the same number of threads, printed on every row: 1 thread (ours n_jobs=None, theirs
n_jobs=None, their default) and, unless --no-optb-parallel, 2 threads (n_jobs=2 on both).
Each worker also pins OMP/MKL/OpenBLAS/numba to its thread count (optbinning's CP-SAT solver
already runs one search worker).

  ours        BinningProcess(n_jobs=...).fit(X, y) and .transform(X) (WoE). Warm: numba
              kernels are loaded by a fit + transform on a 20,000-row slice first.
  optbinning  BinningProcess(columns, n_jobs=...).fit(X, y) and .transform(X, metric="woe"),
              after the same small warm-up for its imports.
  toad        Combiner(method="chi", min_samples=0.05, empty_separate=True), its chi-merge,
              on seeded subsamples of --toad-rows // 4 (at least 5,000) and --toad-rows rows
              (it is far too slow for 1M rows); fit only, no memory. The time is extrapolated
              to the full rows twice: linearly (a lower bound) and with the growth exponent
              measured between the two subsamples. Skipped if toad does not import.

Each implementation runs in a fresh subprocess, so memory is not shared. Peak memory is
measured from the kernel's resident-set high-water mark: after the data are built (and the
warm-up is done) the worker resets it (write "5" to /proc/self/clear_refs) and reads VmRSS as
the baseline; the peak of a step is VmHWM after the step minus that baseline, i.e. the extra
resident memory the step needed at its worst moment, including its output (a 1M x 25 float64
WoE matrix is 200 MB). Without /proc (not Linux), ru_maxrss minus the baseline is used instead,
which cannot be reset between steps.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

FIT_TARGET_S, TRANSFORM_TARGET_S, SPEED_UP_TARGET = 1.0, 0.2, 20.0
WARM_UP_ROWS = 20_000


# ---------------------------------------------------------------------------------------------
# Worker side: one implementation per process
# ---------------------------------------------------------------------------------------------


def _status_kb() -> dict[str, int] | None:
    try:
        with open("/proc/self/status") as handle:
            fields = dict(line.split(":", 1) for line in handle)
        return {key: int(fields[key].split()[0]) for key in ("VmRSS", "VmHWM")}
    except (OSError, KeyError, ValueError):
        return None


class Memory:
    """Peak extra resident memory of a step, in MB (see the module docstring)."""

    def __init__(self) -> None:
        self.method = "VmHWM" if self._reset() else "ru_maxrss"

    @staticmethod
    def _reset() -> bool:
        try:
            with open("/proc/self/clear_refs", "w") as handle:
                handle.write("5")
        except OSError:
            return False
        return _status_kb() is not None

    def start(self) -> None:
        gc.collect()
        if self.method == "VmHWM":
            self._reset()
            self.baseline = _status_kb()["VmRSS"]
        else:
            self.baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    def peak_mb(self) -> float:
        if self.method == "VmHWM":
            high = _status_kb()["VmHWM"]
        else:
            high = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        kb_per_unit = 1 / 1024 if sys.platform == "darwin" else 1  # macOS reports bytes
        return max(high - self.baseline, 0) * kb_per_unit / 1024.0


def _frame(rows: int, features: int) -> tuple[pd.DataFrame, np.ndarray]:
    from scorecard.datasets import make_wide

    X, y = make_wide(rows, features, seed=0)
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(features)])
    return frame, y


def _timed(fn: Callable[[], object], repeat: int, memory: Memory) -> tuple[float, float, object]:
    """Median time of `repeat` calls, the peak extra memory and the last call's result."""
    memory.start()
    times = []
    result = None
    for _ in range(repeat):
        result = None
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), memory.peak_mb(), result


def worker_ours(rows: int, features: int, repeat: int, n_jobs: int | None) -> dict:
    import numba

    from scorecard import BinningProcess

    frame, y = _frame(rows, features)
    warm = BinningProcess(n_jobs=n_jobs).fit(frame.iloc[:WARM_UP_ROWS], y[:WARM_UP_ROWS])
    warm.transform(frame.iloc[:WARM_UP_ROWS])
    del warm
    memory = Memory()
    fit_s, fit_mb, process = _timed(lambda: BinningProcess(n_jobs=n_jobs).fit(frame, y), repeat,
                                    memory)
    transform_s, transform_mb, _ = _timed(lambda: process.transform(frame), repeat, memory)
    return {"fit_s": fit_s, "transform_s": transform_s, "fit_mb": fit_mb,
            "transform_mb": transform_mb, "memory_method": memory.method,
            "threads": process.n_jobs or 1,
            "note": f"n_jobs={n_jobs}, numba may use {numba.config.NUMBA_NUM_THREADS} threads, "
                    f"warm, median of {repeat}"}


def worker_optbinning(rows: int, features: int, repeat: int, n_jobs: int | None) -> dict:
    import optbinning
    from optbinning import BinningProcess as OptBinningProcess

    frame, y = _frame(rows, features)
    names = list(frame.columns)
    warm = OptBinningProcess(names, n_jobs=n_jobs).fit(frame.iloc[:5_000], y[:5_000])
    warm.transform(frame.iloc[:5_000], metric="woe")
    del warm
    memory = Memory()
    fit_s, fit_mb, process = _timed(lambda: OptBinningProcess(names, n_jobs=n_jobs).fit(frame, y),
                                    repeat, memory)
    transform_s, transform_mb, _ = _timed(lambda: process.transform(frame, metric="woe"), repeat,
                                          memory)
    return {"fit_s": fit_s, "transform_s": transform_s, "fit_mb": fit_mb,
            "transform_mb": transform_mb, "memory_method": memory.method,
            "threads": n_jobs or 1,
            "note": f"optbinning {optbinning.__version__}, n_jobs={n_jobs}, median of {repeat}"}


def worker_toad(rows: int, features: int, toad_rows: int) -> dict:
    import toad

    frame, y = _frame(rows, features)
    rng = np.random.default_rng(0)
    small = max(toad_rows // 4, 5_000)  # toad's chi-merge fails on very small samples
    sizes = (small, max(toad_rows, 2 * small))
    times = []
    for size in sizes:
        pick = np.sort(rng.choice(rows, size=size, replace=False))
        sub, y_sub = frame.iloc[pick], y[pick]
        start = time.perf_counter()
        toad.transform.Combiner().fit(sub, y_sub, method="chi", min_samples=0.05,
                                      empty_separate=True)
        times.append(time.perf_counter() - start)
    exponent = float(np.log(times[1] / times[0]) / np.log(sizes[1] / sizes[0]))
    scale = rows / sizes[1]
    return {"sizes": sizes, "times": times, "exponent": exponent,
            "fit_linear_s": times[1] * scale, "fit_power_s": times[1] * scale ** max(exponent, 1.0),
            "note": f"toad {toad.__version__}, chi-merge fit only, no memory measured"}


# ---------------------------------------------------------------------------------------------
# Driver side
# ---------------------------------------------------------------------------------------------


def _run_worker(kind: str, args: argparse.Namespace, n_jobs: int | None = None) -> dict | None:
    """One implementation in a fresh process, every thread pool pinned to n_jobs (None: 1)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", kind,
               "--rows", str(args.rows), "--features", str(args.features),
               "--repeat", str(args.repeat), "--toad-rows", str(args.toad_rows),
               "--jobs", str(n_jobs or 0)]
    threads = str(n_jobs or 1)
    env = {**os.environ, "OMP_NUM_THREADS": threads, "MKL_NUM_THREADS": threads,
           "OPENBLAS_NUM_THREADS": threads, "NUMBA_NUM_THREADS": threads}
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        print(f"  {kind}: failed ({' | '.join(tail)})")
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def _importable(module: str) -> bool:
    probe = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True)
    return probe.returncode == 0


def _verdict(step: str, ours_s: float, target_s: float, theirs_s: float | None) -> str:
    line = (f"Target {step}: {ours_s:.3f} s, <= {target_s} s "
            f"{'met' if ours_s <= target_s else 'MISSED'}")
    if theirs_s:
        speed_up = theirs_s / ours_s
        line += (f"; {speed_up:.1f}x faster than optbinning, >= {SPEED_UP_TARGET:.0f}x "
                 f"{'met' if speed_up >= SPEED_UP_TARGET else 'MISSED'}")
    return line + "."


def run(rows: int = 1_000_000, features: int = 25, repeat: int = 3, peers: bool = True,
        toad: bool = True, toad_rows: int = 20_000,
        optb_parallel: bool = True) -> dict[str, dict | None]:
    """Run every worker, print the side-by-side table and the targets, return the raw results."""
    args = argparse.Namespace(rows=rows, features=features, repeat=repeat, toad_rows=toad_rows)
    load_before = os.getloadavg()
    results: dict[str, dict | None] = {"ours": _run_worker("ours", args)}
    if optb_parallel:
        results["ours2"] = _run_worker("ours", args, n_jobs=2)
    if peers:
        if _importable("optbinning"):
            results["optbinning"] = _run_worker("optbinning", args)
            if optb_parallel:
                results["optbinning2"] = _run_worker("optbinning", args, n_jobs=2)
        else:
            print("optbinning is not installed (`make bench` installs it): skipped.")
        if toad and _importable("toad"):
            results["toad"] = _run_worker("toad", args)
        elif toad:
            print("toad does not import: skipped.")
    load_after = os.getloadavg()

    ours, theirs = results.get("ours"), results.get("optbinning")
    print(f"make_wide({rows:,}, {features}) as a DataFrame, default settings; load average "
          f"before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} CPUs)")
    table = []
    for name, r in results.items():
        if r is None:
            continue
        if name == "toad":
            table.append({
                "implementation": f"toad chi-merge, EXTRAPOLATED from {r['sizes'][1]:,} rows",
                "threads": 1,
                "fit s": r["fit_linear_s"], "transform s": np.nan,
                "fit rows/s": rows / r["fit_linear_s"], "transform rows/s": np.nan,
                "fit peak MB": np.nan, "transform peak MB": np.nan,
            })
            continue
        label = {"ours": "scorecard BinningProcess", "ours2": "scorecard BinningProcess",
                 "optbinning": "optbinning BinningProcess",
                 "optbinning2": "optbinning BinningProcess"}[name]
        table.append({
            "implementation": label, "threads": r["threads"],
            "fit s": r["fit_s"], "transform s": r["transform_s"],
            "fit rows/s": rows / r["fit_s"], "transform rows/s": rows / r["transform_s"],
            "fit peak MB": r["fit_mb"], "transform peak MB": r["transform_mb"],
        })
    frame = pd.DataFrame(table)
    if not frame.empty:
        print(frame.to_string(index=False, na_rep="-", formatters={
            "fit s": "{:.3f}".format, "transform s": "{:.3f}".format,
            "fit rows/s": "{:,.0f}".format, "transform rows/s": "{:,.0f}".format,
            "fit peak MB": "{:.0f}".format, "transform peak MB": "{:.0f}".format,
        }))
    for name, r in results.items():
        if r is not None:
            print(f"  {name}: {r['note']}")
    if ours:
        print(f"Peak memory: extra resident memory over the loaded data ({ours['memory_method']}, "
              "fresh subprocess per implementation; transform includes its 8 bytes x rows x "
              "columns output).")
    if results.get("toad"):
        r = results["toad"]
        print(f"  toad measured: {r['times'][0]:.2f} s on {r['sizes'][0]:,} rows, "
              f"{r['times'][1]:.2f} s on {r['sizes'][1]:,} rows (time ~ rows^{r['exponent']:.2f}); "
              f"at {rows:,} rows: >= {r['fit_linear_s']:,.0f} s linearly, "
              f"~{r['fit_power_s']:,.0f} s at that exponent.")
    if ours:
        print("Like for like (same threads, same repeat count, medians):")
        print("  1 thread:  " + _verdict("fit", ours["fit_s"], FIT_TARGET_S,
                                         theirs and theirs["fit_s"]))
        print("  1 thread:  " + _verdict("transform", ours["transform_s"], TRANSFORM_TARGET_S,
                                         theirs and theirs["transform_s"]))
        ours2, theirs2 = results.get("ours2"), results.get("optbinning2")
        if ours2:
            print("  2 threads: " + _verdict("fit", ours2["fit_s"], FIT_TARGET_S,
                                             theirs2 and theirs2["fit_s"]))
            print("  2 threads: " + _verdict("transform", ours2["transform_s"],
                                             TRANSFORM_TARGET_S,
                                             theirs2 and theirs2["transform_s"]))
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per implementation (the median is reported)")
    parser.add_argument("--no-peers", action="store_true", help="skip optbinning and toad")
    parser.add_argument("--no-toad", action="store_true", help="skip toad")
    parser.add_argument("--toad-rows", type=int, default=20_000, help="toad's larger subsample")
    parser.add_argument("--no-optb-parallel", action="store_true",
                        help="skip the 2-thread runs (n_jobs=2 on both sides)")
    parser.add_argument("--worker", choices=["ours", "optbinning", "toad"], help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        warnings.simplefilter("ignore")
        if args.worker == "ours":
            out = worker_ours(args.rows, args.features, args.repeat, args.jobs or None)
        elif args.worker == "optbinning":
            out = worker_optbinning(args.rows, args.features, args.repeat, args.jobs or None)
        else:
            out = worker_toad(args.rows, args.features, args.toad_rows)
        print(json.dumps(out))
        return
    run(args.rows, args.features, args.repeat, not args.no_peers, not args.no_toad,
        args.toad_rows, not args.no_optb_parallel)


if __name__ == "__main__":
    main()
