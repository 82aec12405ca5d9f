"""Fairness front speed: `python benchmarks/bench_fairness.py [--rows 100000 --features 25]`.

Data: scorecard.datasets.make_wide (numeric characteristics with NaN, 15% bad) plus a protected
attribute (30% = 1) that depends on the first two characteristics, so they carry disparity.

1. The selection MIPs of a 20-point front over the real candidate table (features x 6
   granularities), with CBC and (when highspy is installed) HiGHS: model built once, 20 budgets
   from the smallest feasible to the unconstrained optimum's cost. Target: <= 2 s in all.
2. The whole front: candidates (6 binnings of every characteristic), the MIPs, and a scorecard
   fitted on 70% and evaluated on 30% of the rows per point. Target: <= 10 s. The score-level
   method (8 penalty weights) is timed on top, separately.
Times are best of --repeat after one warm-up run (numba compilation excluded).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from scorecard.datasets import make_wide
from scorecard.fairness import SelectionModel, available_solvers
from scorecard.fairness.candidates import build_candidates, correlated_pairs
from scorecard.fairness.front import fairness_front, split_rows
from scorecard.fairness.groups import protected_attribute
from scorecard.fairness.penalized import DEFAULT_PENALTIES
from scorecard.model.scorecard import training_data_sha256


def data(rows: int, features: int, seed: int = 0) -> pd.DataFrame:
    X, y = make_wide(rows, features, seed=seed)
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(features)])
    rng = np.random.default_rng(seed + 1)
    z = np.nan_to_num((X[:, :2] - np.nanmean(X[:, :2], 0)) / np.nanstd(X[:, :2], 0))
    logit = -1.0 + 0.6 * z[:, 0] - 0.6 * np.log1p(np.abs(z[:, 1]))
    frame["protected"] = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    frame["default"] = y
    return frame


def best_of(repeat: int, function):
    function()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=25)
    parser.add_argument("--points", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame = data(args.rows, args.features)
    columns = [c for c in frame.columns if c not in ("protected", "default")]
    attr = protected_attribute(frame, "protected")
    y = frame["default"].to_numpy()
    cands = build_candidates(frame[columns], y, [attr])
    table = cands.table
    pairs = correlated_pairs(cands.spearman, 0.8)
    print(f"{args.rows:,} rows x {args.features} characteristics; candidate table "
          f"{len(table)} rows ({table.characteristic.nunique()} characteristics x up to 6); "
          f"{len(pairs)} correlated pairs")

    for solver in available_solvers():
        def sweep(solver=solver):
            model = SelectionModel(table, min_characteristics=1, exclusive_pairs=pairs,
                                   solver=solver)
            low, high = model.min_budget(), model.max_budget()
            return [model.solve(e).attrs["objective"] for e in np.linspace(low, high, args.points)]

        seconds, objectives = best_of(args.repeat, sweep)
        print(f"  {args.points} selection MIPs (+ 2 for the range), {solver}: {seconds:.2f} s "
              f"(target <= 2 s); objectives {objectives[0]:.4f} .. {objectives[-1]:.4f}")

    def front(penalties=None):
        return fairness_front(frame, "default", ["protected"], eps_grid=args.points,
                              penalties=penalties)

    seconds, result = best_of(args.repeat, front)
    cards = {tuple(sorted(p["candidates"].items())): p["characteristics"] for p in result.points}
    train, _ = split_rows(y, 0.3, 0)
    start = time.perf_counter()
    for names in cards.values():  # what Scorecard.fit spends on the spec's training-data hash
        training_data_sha256(frame.iloc[train][names], frame["default"].iloc[train], "default")
    hashing = time.perf_counter() - start
    print(f"  whole front ({len(result.points)} points, {len(cards)} distinct scorecards fitted and "
          f"evaluated): {seconds:.2f} s (target <= 10 s), of which {hashing:.2f} s is "
          "Scorecard.fit's training-data sha256 (pandas to_csv of the training rows)")
    seconds_both, both = best_of(1, lambda: front(DEFAULT_PENALTIES))
    print(f"  with the score-level method ({len(DEFAULT_PENALTIES)} penalties): "
          f"{seconds_both:.2f} s")
    shown = both.table()[["index", "method", "epsilon", "penalty", "n_characteristics", "auc",
                          "fair_iv", "air", "air_ci_low", "air_ci_high", "dominated", "knee"]]
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.4f}"))


if __name__ == "__main__":
    main()
