"""In memory vs Dask (LocalCluster, 2 workers on 127.0.0.1): binning fit, WoE transform, drift.

    python benchmarks/bench_dask.py [--rows 1000000 --partitions 8 --repeat 1]

Data: bench_drift's `drift_data(rows)` (26 characteristics, four categorical): the reference
half is binned; the drift report compares reference and current. The Dask side gets the same
frames through dd.from_pandas (data already in the workers' memory: this times the counting
and the merges, not file reading). Checks that the Dask fit's tables equal the in-memory ones
(below 200,000 valid values per column; above, the pre-bins come from the same-size sample).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_drift import drift_data  # noqa: E402
from bench_engine import median_of  # noqa: E402

from scorecard import BinningProcess  # noqa: E402
from scorecard.model.scorecard import Scorecard  # noqa: E402
from scorecard.monitoring import drift_report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    import dask.dataframe as dd
    import distributed

    reference, current = drift_data(args.rows)
    target = "default"
    X, y = reference.drop(columns=[target]), reference[target]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = Scorecard(BinningProcess()).fit(X[:50_000], y[:50_000]).to_spec()
        BinningProcess().fit(X[:2_000], y[:2_000])  # numba loaded
    print(f"rows {args.rows:,} x {X.shape[1]} characteristics, load {os.getloadavg()[0]:.1f}")
    memory = BinningProcess()
    t_fit = median_of(lambda: memory.fit(X, y), args.repeat)
    t_tr = median_of(lambda: memory.transform(X), args.repeat)
    t_drift = median_of(lambda: drift_report(spec, reference, current), args.repeat)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1", dashboard_address=None) as c, \
            distributed.Client(c):
        ddf = dd.from_pandas(reference, npartitions=args.partitions).persist()
        dcur = dd.from_pandas(current, npartitions=args.partitions).persist()
        dX, dy = ddf.drop(columns=[target]), ddf[target]
        dask = BinningProcess()
        d_fit = median_of(lambda: dask.fit(dX, dy), args.repeat)
        d_tr = median_of(lambda: dask.transform(dX).compute(), args.repeat)
        d_drift = median_of(lambda: drift_report(spec, ddf, dcur), args.repeat)
    same = sum(json.dumps(dask.binning_tables_[n].to_dict(), sort_keys=True)
               == json.dumps(memory.binning_tables_[n].to_dict(), sort_keys=True)
               for n in memory.columns_)
    print(f"{'step':<14}{'memory s':>10}{'dask s':>10}")
    for step, a, b in (("fit", t_fit, d_fit), ("transform", t_tr, d_tr),
                       ("drift report", t_drift, d_drift)):
        print(f"{step:<14}{a:>10.2f}{b:>10.2f}")
    print(f"tables equal to in-memory: {same} of {len(memory.columns_)}")


if __name__ == "__main__":
    main()
