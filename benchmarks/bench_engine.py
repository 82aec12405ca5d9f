"""Time the binning engine against plain numpy on seeded synthetic data.

    python benchmarks/bench_engine.py [--rows 1000000 --features 25 --bins 20 --repeat 3]

(a) the count pass with given edges: engine.count_numeric (one fused pass over all features)
    vs numpy per feature (np.searchsorted + missing handling + np.bincount);
(b) quantile pre-binning: engine.quantile_edges_many vs np.nanquantile per feature.
Numba compile time is excluded (every kernel is warmed up first); times are best of --repeat.
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


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


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
        ("quantile edges", lambda: engine.quantile_edges_many(X, args.bins), numpy_quantiles),
    ]
    ours = engine.count_numeric(X, edges, label)
    assert all(np.array_equal(a, b) for a, b in zip(ours, numpy_count())), "counts differ"

    print(
        f"rows={args.rows:,} features={args.features} bins={args.bins} "
        f"threads={numba.get_num_threads()} best of {args.repeat}"
    )
    print(f"{'task':<18}{'engine s':>10}{'numpy s':>10}{'speed-up':>10}")
    for name, ours_fn, numpy_fn in cases:
        ours_fn()  # warm-up: compile or load the numba cache
        t_ours = best_of(ours_fn, args.repeat)
        t_numpy = best_of(numpy_fn, args.repeat)
        print(f"{name:<18}{t_ours:>10.4f}{t_numpy:>10.4f}{t_numpy / t_ours:>9.1f}x")


if __name__ == "__main__":
    main()
