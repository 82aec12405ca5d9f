"""All benchmarks in one run: `make bench` (or `python benchmarks/run.py [--rows N --features F]`).

On the same seeded synthetic data (scorecard.datasets.make_wide) it times
  (a) the count pass with given edges: our fused numba pass vs plain numpy
      (np.searchsorted + np.bincount per characteristic);
  (b) pre-binning + counts + IV with SE for every characteristic: ours (quantile_edges_many +
      count_numeric + stats.jeffreys) vs the numpy reference (np.nanquantile + searchsorted +
      bincount + stats.jeffreys) vs, when installed, optbinning's BinningProcess (which also runs
      its optimal binning solver, so it does more work: a peer reference, not a like-for-like).
Numba compile time is excluded (warm-up call first); times are best of --repeat.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numba
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import best_of  # noqa: E402

from scorecard import engine, stats  # noqa: E402
from scorecard.datasets import make_wide  # noqa: E402
from scorecard.engine import _reference as reference  # noqa: E402


def ours_iv(X: np.ndarray, y: np.ndarray, n_bins: int) -> list[float]:
    edges = engine.quantile_edges_many(X, n_bins)
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


def optbinning_fit(frame: pd.DataFrame, y: np.ndarray) -> object:
    from optbinning import BinningProcess as OBP

    return OBP(list(frame.columns)).fit(frame, y)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=25)
    parser.add_argument("--bins", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-peers", action="store_true", help="skip optbinning")
    args = parser.parse_args()

    X, y = make_wide(args.rows, args.features, seed=0)
    edges = engine.quantile_edges_many(X, args.bins)
    rows = []

    def add(task, name, fn, repeat=args.repeat):
        fn()  # warm-up (numba compile / cache load)
        rows.append((task, name, best_of(fn, repeat)))

    add("(a) counts, given edges", "scorecard (numba)", lambda: engine.count_numeric(X, edges, y))
    add("(a) counts, given edges", "numpy reference", lambda: reference.count_numeric(X, edges, y))
    add("(b) pre-bin + counts + IV, SE", "scorecard (numba)", lambda: ours_iv(X, y, args.bins))
    add("(b) pre-bin + counts + IV, SE", "numpy reference", lambda: numpy_iv(X, y, args.bins))
    if not args.no_peers:
        try:
            import optbinning  # noqa: F401
        except ImportError:
            print("optbinning not installed: `make bench` installs it", file=sys.stderr)
        else:
            frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
            start = time.perf_counter()
            optbinning_fit(frame, y)
            rows.append(("(b) pre-bin + counts + IV, SE", "optbinning BinningProcess (1 run)",
                         time.perf_counter() - start))

    table = pd.DataFrame(rows, columns=["task", "implementation", "seconds"])
    fastest = table.groupby("task")["seconds"].transform(
        lambda s: s[table.loc[s.index, "implementation"].str.startswith("scorecard")].iloc[0])
    table["x slower than ours"] = table["seconds"] / fastest
    print(f"rows={args.rows:,} characteristics={args.features} pre-bins={args.bins} "
          f"numba threads={numba.get_num_threads()} best of {args.repeat}")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4f}"))


if __name__ == "__main__":
    main()
