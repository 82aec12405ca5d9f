"""Time the binning engine against plain numpy on seeded synthetic data.

    python benchmarks/bench_engine.py [--rows 1000000 --features 25 --bins 20 --repeat 3]

(a) the count pass with given edges: engine.count_numeric (one fused pass over all features)
    vs numpy per feature (np.searchsorted + missing handling + np.bincount);
(b) quantile pre-binning on every row: engine.quantile_edges_many with sample_size = rows
    (exact) vs np.nanquantile per feature (exact); and, labelled as such, our default (edges of
    a 200,000-row sample, see engine.quantile_edges) against the same exact numpy.
Numba compile time is excluded (every kernel is warmed up first); times are the median of
--repeat for both sides. The engine runs on 1 thread (as numpy) and on every numba thread.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numba
import numpy as np

from scorecard import engine
from scorecard.engine import reference as reference


def synthetic(rows: int, features: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """F-ordered float64 matrix of lognormal, normal and integer columns with ~3% NaN."""
    rng = np.random.default_rng(seed)
    X = np.empty((rows, features), dtype=np.float64, order="F")
    for j in range(features):
        kind = j % 3
        if kind == 0:
            X[:, j] = rng.lognormal(mean=8.0, sigma=1.0, size=rows)
        elif kind == 1:
            X[:, j] = rng.normal(size=rows)
        else:
            X[:, j] = rng.integers(0, 60, size=rows)
        X[rng.random(rows) < 0.03, j] = np.nan
    label = (rng.random(rows) < 0.1).astype(np.int8)
    weights = rng.uniform(0.5, 2.0, size=rows)
    return X, label, weights


def median_of(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def on_threads(n: int, fn: Callable[[], object]) -> Callable[[], object]:
    """fn run with the numba kernels on n threads."""
    def run() -> object:
        previous = numba.get_num_threads()
        numba.set_num_threads(n)
        try:
            return fn()
        finally:
            numba.set_num_threads(previous)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=25)
    parser.add_argument("--bins", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    X, label, weights = synthetic(args.rows, args.features)
    X_c = np.ascontiguousarray(X)
    levels = np.linspace(0.0, 1.0, args.bins + 1)[1:-1]
    edges = engine.quantile_edges_many(X, args.bins)

    def numpy_count(w: np.ndarray | None = None) -> list[np.ndarray]:
        return reference.count_numeric(X, edges, label, weights=w)

    def numpy_quantiles() -> list[np.ndarray]:
        return [np.unique(np.nanquantile(X[:, j], levels)) for j in range(X.shape[1])]

    cases = [
        ("count, F order", lambda: engine.count_numeric(X, edges, label), numpy_count),
        ("count, C order", lambda: engine.count_numeric(X_c, edges, label), numpy_count),
        (
            "count, weighted",
            lambda: engine.count_numeric(X, edges, label, weights=weights),
            lambda: numpy_count(weights),
        ),
        (
            "quantiles, exact",
            lambda: engine.quantile_edges_many(X, args.bins, sample_size=args.rows),
            numpy_quantiles,
        ),
        (
            "quantiles, sampled 200k vs exact",
            lambda: engine.quantile_edges_many(X, args.bins),
            numpy_quantiles,
        ),
    ]
    ours = engine.count_numeric(X, edges, label)
    assert all(np.array_equal(a, b) for a, b in zip(ours, numpy_count())), "counts differ"

    threads = numba.get_num_threads()
    print(
        f"rows={args.rows:,} features={args.features} bins={args.bins} "
        f"median of {args.repeat}; numpy 1 thread, engine 1 and {threads} threads"
    )
    print(f"{'task':<34}{'numpy s':>9}{'1 thr s':>9}{'x':>6}{f'{threads} thr s':>9}{'x':>6}")
    for name, ours_fn, numpy_fn in cases:
        ours_fn()  # warm-up: compile or load the numba cache
        t_numpy = median_of(numpy_fn, args.repeat)
        t_one = median_of(on_threads(1, ours_fn), args.repeat)
        t_all = median_of(ours_fn, args.repeat)
        print(f"{name:<34}{t_numpy:>9.4f}{t_one:>9.4f}{t_numpy / t_one:>6.1f}"
              f"{t_all:>9.4f}{t_numpy / t_all:>6.1f}")


if __name__ == "__main__":
    main()
