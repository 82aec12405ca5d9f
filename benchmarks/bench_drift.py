"""Drift report speed, ours vs optbinning's ScorecardMonitoring, side by side in one run.

    python benchmarks/bench_drift.py [--rows 1000000 --repeat 3 --fit-rows 50000 --no-peers]

Data: `drift_data(rows)`, 2 x --rows rows of scorecard.datasets.make_wide(2 * rows, 22, seed=3)
(numeric columns of five kinds with about 3% NaN, 15% bad rate) plus four categorical columns
(five levels each, cut from four of the numeric ones, pandas "category" dtype as read from
parquet, NaN where the source is NaN): 26 characteristics. The first half is the reference;
the second half is the current sample, with drift injected into x02 (scaled by 1.3), x08
(shifted by half a standard deviation) and c1 (a quarter of its "A" rows become "E").
Both scorecards are fitted on the first --fit-rows reference rows with default settings.

  ours        scorecard.monitoring.drift_report(spec, reference, current): every characteristic
              and the score in bands at the reference's deciles, PSI with SE and interval, the
              no-drift and both material-drift tests, BH q-values, statuses, per-bin counts,
              shares, points shifts, and the target part (bad rates with intervals per bin and
              band, AUC with DeLong SE, KS, score IV, Hosmer-Lemeshow), for both samples' labels.
              Warm (numba loaded by a run on 2,000 rows first), median of --repeat, data in memory
              (file reading excluded). Also timed without the target part.
  optbinning  ScorecardMonitoring(scorecard).fit(X_current, y_current, X_reference,
              y_reference) with its defaults (psi_method="cart"), once, on the same frames;
              it needs labels in both samples.

Targets (issue 10): ours <= 1 s and >= 30x faster than optbinning in the same run. The load
average is printed: the machine is shared, and timings under load are longer for both.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_engine import median_of  # noqa: E402

SECONDS_TARGET, SPEED_UP_TARGET = 1.0, 30.0
N_NUMERIC, CATEGORICAL_FROM = 22, (0, 1, 3, 5)


def drift_data(rows: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Reference and current frames (26 characteristics and `default`), seeded."""
    from scorecard.datasets import make_wide

    X, y = make_wide(2 * rows, N_NUMERIC, seed=3)
    frame = pd.DataFrame(X, columns=[f"x{j:02d}" for j in range(N_NUMERIC)])
    for k, j in enumerate(CATEGORICAL_FROM):
        cuts = np.nanquantile(X[:rows, j], [0.2, 0.45, 0.7, 0.9])
        levels = np.array(list("ABCDE"), dtype=object)[np.searchsorted(cuts, X[:, j])]
        levels[np.isnan(X[:, j])] = None
        frame[f"c{k}"] = pd.Categorical(levels, categories=list("ABCDE"))
    frame["default"] = y
    reference = frame.iloc[:rows].reset_index(drop=True)
    current = frame.iloc[rows:].reset_index(drop=True)
    current["x02"] = current["x02"] * 1.3
    current["x08"] = current["x08"] + 0.5 * np.nanstd(current["x08"])
    rng = np.random.default_rng(0)
    flip = (current["c1"] == "A").to_numpy() & (rng.random(rows) < 0.25)
    current.loc[flip, "c1"] = "E"
    return reference, current


def _features(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["default"])


def fit_ours(reference: pd.DataFrame, fit_rows: int) -> dict:
    from scorecard import BinningProcess
    from scorecard.model.scorecard import Scorecard

    train = reference.iloc[:fit_rows]
    categorical = [c for c in train.columns if c.startswith("c")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = Scorecard(BinningProcess(categorical=categorical)).fit(
            _features(train), train["default"])
    return card.to_spec()


def fit_optbinning(reference: pd.DataFrame, fit_rows: int):
    from optbinning import BinningProcess, Scorecard
    from sklearn.linear_model import LogisticRegression

    train = reference.iloc[:fit_rows]
    X = _features(train)
    categorical = [c for c in X.columns if c.startswith("c")]
    process = BinningProcess(list(X.columns), categorical_variables=categorical)
    card = Scorecard(process, LogisticRegression(max_iter=1000), scaling_method="pdo_odds",
                     scaling_method_params={"pdo": 20, "odds": 50, "scorecard_points": 600})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card.fit(X, train["default"].to_numpy())
    return card


def run(rows: int, repeat: int, fit_rows: int, peers: bool) -> dict[str, float]:
    from scorecard.monitoring import drift_report

    load = os.getloadavg()[0]
    reference, current = drift_data(rows)
    spec = fit_ours(reference, fit_rows)
    print(f"rows={rows:,} vs {rows:,}, characteristics={len(spec['characteristics'])} "
          f"(fitted on {fit_rows:,} reference rows), median of {repeat}; "
          f"load average {load:.1f} on {os.cpu_count()} cores", flush=True)
    drift_report(spec, reference.iloc[:2000], current.iloc[:2000])  # warm-up
    unlabelled = current.drop(columns=["default"])
    ours = median_of(lambda: drift_report(spec, reference, current), repeat)
    ours_no_target = median_of(lambda: drift_report(spec, reference, unlabelled), repeat)
    report = drift_report(spec, reference, current)
    flagged = report.to_frame().query("status != 'stable'")[["name", "psi", "status"]]
    result = {"ours": ours, "ours_no_target": ours_no_target}
    lines = [("scorecard drift_report (with target part)", ours),
             ("scorecard drift_report (no target column)", ours_no_target)]
    if peers:
        from optbinning.scorecard import ScorecardMonitoring

        card = fit_optbinning(reference, fit_rows)
        monitor = ScorecardMonitoring(scorecard=card)
        X_cur, y_cur = _features(current), current["default"].to_numpy()
        X_ref, y_ref = _features(reference), reference["default"].to_numpy()
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            monitor.fit(X_cur, y_cur, X_ref, y_ref)
        result["optbinning"] = time.perf_counter() - start
        lines.append(("optbinning ScorecardMonitoring.fit (once)", result["optbinning"]))
    width = max(len(name) for name, _ in lines)
    for name, seconds in lines:
        print(f"  {name:<{width}}  {seconds:8.3f} s")
    print(f"drifted in the report: {', '.join(f'{r.name} ({r.psi:.3f}, {r.status})' for r in flagged.itertuples())}")
    verdict = "PASS" if ours <= SECONDS_TARGET else "FAIL"
    print(f"target <= {SECONDS_TARGET:g} s: {ours:.3f} s  {verdict}")
    if "optbinning" in result:
        speed_up = result["optbinning"] / ours
        result["speed_up"] = speed_up
        verdict = "PASS" if speed_up >= SPEED_UP_TARGET else "FAIL"
        print(f"target >= {SPEED_UP_TARGET:g}x optbinning: {speed_up:.1f}x  {verdict}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fit-rows", type=int, default=50_000)
    parser.add_argument("--no-peers", action="store_true", help="skip optbinning")
    args = parser.parse_args()
    run(args.rows, args.repeat, args.fit_rows, peers=not args.no_peers)


if __name__ == "__main__":
    main()
