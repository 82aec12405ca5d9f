"""The whole path on a credit table with text categoricals, ours vs optbinning, in one run.

    python benchmarks/bench_speed.py [--rows 1000000 --repeat 3 --no-peers --no-cli
                                      --memory-rows 0]

Data: benchmarks/tables.py `credit_table(rows)`: 21 numeric + 5 text categorical columns
(5 to 200 levels, text as pandas reads it from CSV), about 3% missing, a special value (-999)
in x0 declared to both sides, 15% bad rate. Also run by `make bench` (benchmarks/run.py).

Steps (median of --repeat, warm: a 20,000-row run first; the load average is printed beside
every figure, because the machine may be shared):
  ours        BinningProcess fit (n_jobs=None: one thread, the default; and n_jobs=-1: every
              core numba may use) and WoE transform (both settings too); Scorecard(woe-lr) fit
              (binning, model, spec, training metrics and the training data's sha256
              included); score; 3 reason codes; the training-data hash alone.
  optbinning  BinningProcess fit and transform(metric="woe"); Scorecard (LogisticRegression,
              pdo_odds scaling) fit and score (fit once: it takes long).
  CLI         `scorecard fit` and `scorecard score --reason-codes 3` on the table as parquet,
              timed end to end as fresh processes (import, read, work, write; numba cache warm).
--memory-rows N (e.g. 10000000) also runs ours on N rows in a fresh process: fit and transform
(one thread, then every core) times, CPU seconds and the peak resident memory above the loaded
input (VmHWM after reset), against the input's own size.
--compare DIR first runs ours from another checkout DIR (its `scorecard` package first on the
path, in a fresh process, same table and steps): before/after in one run, e.g.
    python benchmarks/bench_speed.py --rows 1000000 --no-peers --no-cli --compare ../main
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tables import SPECIAL_VALUES, credit_table  # noqa: E402

WARM_ROWS = 20_000


def _timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Median seconds of `repeat` calls, the 1-minute load average after them, the last result.
    The median process CPU seconds go to `_LAST_CPU` (on a busy machine, wall time is mostly
    waiting; CPU seconds of a one-thread step are what a quiet machine's wall time would be)."""
    times, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    _LAST_CPU[0] = float(np.median(cpus))
    return float(np.median(times)), os.getloadavg()[0], result


_LAST_CPU = [0.0]


def _cores() -> int:
    import numba

    return int(numba.config.NUMBA_NUM_THREADS)


def _line(step: str, seconds: float, load: float, note: str = "") -> None:
    print(f"  {step:<48} {seconds:8.3f} s  (cpu {_LAST_CPU[0]:7.3f} s)  load {load:5.1f}  {note}",
          flush=True)


def ours(frame, y, repeat: int) -> dict[str, float]:
    from scorecard import BinningProcess
    from scorecard.model.scorecard import Scorecard, training_data_sha256

    categorical = [c for c in frame.columns if c.startswith("c")]

    def binning():
        return BinningProcess(categorical=categorical, special_values=SPECIAL_VALUES)

    warm = Scorecard(binning()).fit(frame.iloc[:WARM_ROWS], y[:WARM_ROWS])
    warm.reason_codes(frame.iloc[:WARM_ROWS], 3)
    out = {}
    s, load, process = _timed(lambda: binning().fit(frame, y), repeat)
    _line("ours BinningProcess fit (n_jobs=None: 1 thread)", s, load)
    out["binning_fit"] = s
    s, load, _ = _timed(lambda: binning().set_params(n_jobs=-1).fit(frame, y), repeat)
    _line(f"ours BinningProcess fit (n_jobs=-1: {_cores()} threads)", s, load)
    out["binning_fit_all_cores"] = s
    s, load, _ = _timed(lambda: process.transform(frame), repeat)
    _line("ours WoE transform", s, load)
    out["transform"] = s
    process.set_params(n_jobs=-1)
    s, load, _ = _timed(lambda: process.transform(frame), repeat)
    _line("ours WoE transform, n_jobs=-1 (every core)", s, load)
    process.set_params(n_jobs=None)
    s, load, _ = _timed(lambda: training_data_sha256(frame, y, "target"), repeat)
    _line("ours training-data sha256 (from column buffers)", s, load)
    out["hash"] = s
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s, load, card = _timed(
            lambda: Scorecard(binning()).fit(frame, y), repeat)
    _line("ours Scorecard fit (woe-lr, binning included)", s, load)
    out["scorecard_fit"] = s
    s, load, _ = _timed(lambda: card.score(frame), repeat)
    _line("ours score", s, load)
    out["score"] = s
    s, load, _ = _timed(lambda: card.reason_codes(frame, 3), repeat)
    _line("ours 3 reason codes", s, load)
    out["reasons"] = s
    return out


def optbinning_side(frame, y, repeat: int) -> dict[str, float]:
    from optbinning import BinningProcess, Scorecard
    from sklearn.linear_model import LogisticRegression

    names = list(frame.columns)
    categorical = [c for c in names if c.startswith("c")]
    specials = {c: {"special_codes": v} for c, v in SPECIAL_VALUES.items()}

    def binning():
        return BinningProcess(names, categorical_variables=categorical,
                              binning_fit_params=specials)

    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        binning().fit(frame.iloc[:5000], y[:5000])
        s, load, process = _timed(lambda: binning().fit(frame, y), repeat)
        _line("optbinning BinningProcess fit", s, load)
        out["binning_fit"] = s
        s, load, _ = _timed(lambda: process.transform(frame, metric="woe"), repeat)
        _line("optbinning WoE transform", s, load)
        out["transform"] = s
        card = Scorecard(binning(), LogisticRegression(max_iter=1000), scaling_method="pdo_odds",
                         scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600})
        s, load, card = _timed(lambda: card.fit(frame, y), 1)
        _line("optbinning Scorecard fit (once)", s, load)
        out["scorecard_fit"] = s
        s, load, _ = _timed(lambda: card.score(frame), repeat)
        _line("optbinning score", s, load)
        out["score"] = s
    return out


def cli_side(frame, y) -> dict[str, float]:
    """`scorecard fit` and `scorecard score` as fresh processes on the table as parquet."""
    scorecard = Path(sys.executable).with_name("scorecard")
    specials = [f"--special={c}={v:g}" for c, values in SPECIAL_VALUES.items() for v in values]
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "applications.parquet"
        frame.assign(target=y).to_parquet(data)
        model, scored = Path(folder) / "model.json", Path(folder) / "scored.parquet"
        steps = {
            "cli_fit": [str(scorecard), "fit", str(data), "--target", "target", "--out",
                        str(model), *specials],
            "cli_score": [str(scorecard), "score", str(model), str(data), "--out", str(scored),
                          "--reason-codes", "3"],
        }
        for key, command in steps.items():
            before = os.times()
            s, load, _ = _timed(lambda: subprocess.run(command, check=True, capture_output=True), 1)
            after = os.times()
            _LAST_CPU[0] = (after.children_user + after.children_system
                            - before.children_user - before.children_system)
            _line(f"CLI {' '.join(command[1:2])} (fresh process, end to end)", s, load)
            out[key] = s
    return out


def _hwm_kb() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM"))


def memory_worker(rows: int) -> None:
    """Fit and transform ours on `rows` rows; print JSON: times, peaks above the input, input."""
    from scorecard import BinningProcess

    frame, y = credit_table(rows)
    categorical = [c for c in frame.columns if c.startswith("c")]
    BinningProcess(categorical=categorical, special_values=SPECIAL_VALUES).fit(
        frame.iloc[:WARM_ROWS], y[:WARM_ROWS]).transform(frame.iloc[:WARM_ROWS])
    input_mb = frame.memory_usage(deep=True).sum() / 2**20
    result = {"rows": rows, "input_mb": input_mb}
    for step in ("fit", "fit_all_cores", "transform", "transform_all_cores"):
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        base = _hwm_kb()
        start, cpu = time.perf_counter(), time.process_time()
        if step.startswith("fit"):
            process = BinningProcess(categorical=categorical, special_values=SPECIAL_VALUES,
                                     n_jobs=-1 if step == "fit_all_cores" else None).fit(frame, y)
        else:
            process.set_params(n_jobs=-1 if step == "transform_all_cores" else None)
            process.transform(frame)
        result[f"{step}_s"] = time.perf_counter() - start
        result[f"{step}_cpu"] = time.process_time() - cpu
        result[f"{step}_peak_mb"] = (_hwm_kb() - base) / 1024
        result[f"{step}_load"] = os.getloadavg()[0]
    print(json.dumps(result))


def run(rows: int, repeat: int, *, peers: bool = True, cli: bool = True,
        memory_rows: int = 0, compare: str | None = None) -> None:
    """Every step above; `make bench` calls this with its --rows and --repeat."""
    if compare:
        print(f"== {compare}", flush=True)
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--rows", str(rows),
                        "--repeat", str(repeat), "--no-peers", "--no-cli"], check=True,
                       cwd=tempfile.gettempdir(),
                       env={**os.environ, "PYTHONPATH": str(Path(compare).resolve())})
        print("== this checkout", flush=True)
    frame, y = credit_table(rows)
    print(f"{rows:,} rows x {frame.shape[1]} (21 numeric, 5 text categorical, missing, a "
          f"special value), median of {repeat}", flush=True)
    mine = ours(frame, y, repeat)
    if cli:
        cli_side(frame, y)
    if peers:
        theirs = optbinning_side(frame, y, repeat)
        print("  ratios (optbinning / ours, same run):")
        for key in theirs:
            print(f"    {key:<16} {theirs[key] / mine[key]:7.1f}x")
    if memory_rows:
        done = subprocess.run([sys.executable, __file__, "--memory-worker", str(memory_rows)],
                              capture_output=True, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{r['rows']:,} rows (input {r['input_mb']:.0f} MB in memory):")
        for step in ("fit", "fit_all_cores", "transform", "transform_all_cores"):
            print(f"  ours {step:<19} {r[step + '_s']:7.2f} s (cpu {r[step + '_cpu']:6.2f} s), peak {r[step + '_peak_mb']:6.0f} MB "
                  f"above the input ({r[step + '_peak_mb'] / r['input_mb']:.2f}x input)   "
                  f"load {r[step + '_load']:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--memory-rows", type=int, default=0)
    parser.add_argument("--memory-worker", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--compare", default=None, help="another checkout to run first")
    args = parser.parse_args()
    if args.memory_worker:
        memory_worker(args.memory_worker)
        return
    run(args.rows, args.repeat, peers=not args.no_peers, cli=not args.no_cli,
        memory_rows=args.memory_rows, compare=args.compare)


if __name__ == "__main__":
    main()
