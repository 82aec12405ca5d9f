"""All benchmarks in one run: `make bench` (or `python benchmarks/run.py [--rows N --no-peers]`).

1. Engine, on seeded synthetic data (scorecard.datasets.make_wide, --rows x --features):
   (a) the count pass with given edges: our fused numba pass vs plain numpy
       (np.searchsorted + np.bincount per characteristic);
   (b) pre-binning + counts + IV with SE for every characteristic: ours (quantile_edges_many +
       count_numeric + stats.jeffreys) vs the numpy reference (np.nanquantile + searchsorted +
       bincount + stats.jeffreys), both on every row (exact quantiles); a labelled row adds our
       default, quantiles of a 200,000-row sample, against the same exact numpy.
   Numba compile time is excluded (warm-up call first); times are the median of --repeat on
   both sides; ours on 1 thread (as numpy) and on every numba thread.
2. BinningProcess speed and peak memory, ours vs optbinning's BinningProcess (and toad's
   chi-merge, extrapolated from subsamples) on the same data: bench_binning.py.
3. IV per characteristic, ours vs optbinning with matching constraints, on the two bundled
   datasets and --compare-rows synthetic applications: compare_optbinning.py.
4. Drift report of a scorecard, --rows vs --rows rows x 26 characteristics (incl. categoricals),
   ours vs optbinning's ScorecardMonitoring: bench_drift.py.
5. The whole path on a credit table with text categoricals, missing and special values, ours vs
   optbinning: binning fit and transform, Scorecard fit, score, reason codes, and the CLI's
   `fit` / `score` as fresh processes: bench_speed.py (--memory-rows N adds N rows' times and
   peak memory).
--no-peers skips everything that needs optbinning or toad (section 3 entirely).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numba
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_binning  # noqa: E402
import bench_drift  # noqa: E402
import bench_speed  # noqa: E402
import compare_optbinning  # noqa: E402
from bench_engine import median_of, on_threads  # noqa: E402

from scorecard import engine, stats  # noqa: E402
from scorecard.datasets import make_wide  # noqa: E402
from scorecard.engine import reference as reference  # noqa: E402


def ours_iv(X: np.ndarray, y: np.ndarray, n_bins: int, sample_size: int) -> list[float]:
    edges = engine.quantile_edges_many(X, n_bins, sample_size=sample_size)
    counts = engine.count_numeric(X, edges, y)
    return [stats.jeffreys(c[:, 0], c[:, 1]).se for c in counts]


def numpy_iv(X: np.ndarray, y: np.ndarray, n_bins: int) -> list[float]:
    levels = np.linspace(0.0, 1.0, n_bins + 1)[1:-1]
    out = []
    for j in range(X.shape[1]):
        x = X[:, j]
        edges = np.unique(np.nanquantile(x, levels))
        bins = np.where(np.isnan(x), len(edges) + 1, np.searchsorted(edges, x, side="right"))
        k = len(edges) + 2
        goods = np.bincount(bins[y == 0], minlength=k)
        bads = np.bincount(bins[y == 1], minlength=k)
        out.append(stats.jeffreys(goods, bads).se)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=25)
    parser.add_argument("--bins", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true", help="skip optbinning and toad")
    parser.add_argument("--no-toad", action="store_true", help="skip toad only")
    parser.add_argument("--no-optb-parallel", action="store_true",
                        help="skip the optbinning n_jobs=2 run (section 2)")
    parser.add_argument("--toad-rows", type=int, default=20_000,
                        help="toad's larger subsample (its time is extrapolated)")
    parser.add_argument("--compare-rows", type=int, default=100_000,
                        help="synthetic rows for the IV comparison (section 3)")
    parser.add_argument("--memory-rows", type=int, default=0,
                        help="also time ours on this many rows with peak memory (section 5)")
    args = parser.parse_args()

    _section(f"1. Engine: counts and pre-binning IV, {args.rows:,} rows x {args.features}")

    X, y = make_wide(args.rows, args.features, seed=0)
    edges = engine.quantile_edges_many(X, args.bins)
    rows = []

    threads = numba.get_num_threads()

    def add(task, fn, reference_fn):
        fn()  # warm-up (numba compile / cache load)
        numpy_s = median_of(reference_fn, args.repeat)
        one_s = median_of(on_threads(1, fn), args.repeat)
        all_s = median_of(fn, args.repeat)
        rows.append((task, numpy_s, one_s, numpy_s / one_s, all_s, numpy_s / all_s))

    exact = args.rows  # sample_size >= rows: quantiles of every row
    add("(a) counts, given edges", lambda: engine.count_numeric(X, edges, y),
        lambda: reference.count_numeric(X, edges, y))
    add("(b) pre-bin + counts + IV, SE (exact quantiles)",
        lambda: ours_iv(X, y, args.bins, exact), lambda: numpy_iv(X, y, args.bins))
    add("(b') same, ours sampled 200k vs numpy exact",
        lambda: ours_iv(X, y, args.bins, 200_000), lambda: numpy_iv(X, y, args.bins))
    table = pd.DataFrame(rows, columns=[
        "task", "numpy s", "ours 1 thread s", "speed-up 1 thread", f"ours {threads} threads s",
        f"speed-up {threads} threads"])
    print(f"rows={args.rows:,} characteristics={args.features} pre-bins={args.bins}; median of "
          f"{args.repeat} on both sides; numpy runs on 1 thread")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    del X, y, edges

    _section(f"2. BinningProcess speed and memory, {args.rows:,} rows x {args.features}")
    bench_binning.run(args.rows, args.features, args.repeat, peers=not args.no_peers,
                      toad=not args.no_toad, toad_rows=args.toad_rows,
                      optb_parallel=not args.no_optb_parallel)

    if args.no_peers:
        print("\n(3. IV comparison with optbinning skipped: --no-peers)")
    else:
        _section("3. IV per characteristic, ours vs optbinning, matching constraints")
        compare_optbinning.run(rows=args.compare_rows)

    _section(f"4. Drift report, {args.rows:,} vs {args.rows:,} rows x 26, vs ScorecardMonitoring")
    bench_drift.run(args.rows, args.repeat, fit_rows=50_000, peers=not args.no_peers)

    _section(f"5. The whole path, {args.rows:,} rows x 26 with text categoricals, vs optbinning")
    bench_speed.run(args.rows, args.repeat, peers=not args.no_peers,
                    memory_rows=args.memory_rows)


def _section(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


if __name__ == "__main__":
    main()
