"""Cost of the material-drift tests in monitoring: ncx2 form vs double bootstrap, on the demo.

Builds the demo store (24 monthly periods, the demo card's characteristics plus the score) in a
temporary SQLite file, then times, for every stored row, the material tests at PSI 0.10 and 0.25
by the ncx2 form and by ``JeffreysResult.test_material`` (double bootstrap), and prints CPU
seconds per row and per period with the share of rows whose status would differ.

Run: ``python benchmarks/bench_material.py [--rows 60000]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench_material_"))
    os.environ["SCORECARD_DB"] = f"sqlite:///{folder / 'store.db'}"
    from scorecard import stats
    from scorecard.scheduling.demo import build_demo
    from scorecard.storage import MonitorStore

    store = MonitorStore()
    cpu = time.process_time()
    build_demo(store, folder / "demo", rows=args.rows)
    build_cpu = time.process_time() - cpu
    history = store.history("demo")
    tables = []
    for _, report in history:
        for row in [*report["characteristics"], report["score"]]:
            ref = [b["reference_count"] for b in row["bins"]]
            cur = [b["current_count"] for b in row["bins"]]
            if sum(1 for a, b in zip(ref, cur) if a or b) >= 2:
                tables.append((row, ref, cur))
    results = [stats.psi(ref, cur) for _, ref, cur in tables]
    cpu = time.process_time()
    asym = [[stats.material_difference_test(r.statistic, r.df, r.n_eff, tau).p_value
             for tau in (0.10, 0.25)] for r in results]
    ncx2_cpu = time.process_time() - cpu
    cpu = time.process_time()
    boot = [[r.test_material(tau).p_value for tau in (0.10, 0.25)] for r in results]
    boot_cpu = time.process_time() - cpu
    flips = sum((a < 0.05) != (b < 0.05) for pa, pb in zip(asym, boot) for a, b in zip(pa, pb))
    ks = sorted(r.df + 1 for r in results)
    n_cur = sorted(int(r.n_q) for r in results)
    print(f"demo: {len(history)} periods, {len(tables)} rows (k {ks[0]}-{ks[-1]}, current "
          f"window {n_cur[0]}-{n_cur[-1]} rows); building the demo took {build_cpu:.1f} s CPU")
    print(f"ncx2 material tests (2 taus): {ncx2_cpu:.2f} s CPU, "
          f"{1e3 * ncx2_cpu / len(tables):.2f} ms per row")
    print(f"double bootstrap (2 taus):    {boot_cpu:.2f} s CPU, "
          f"{1e3 * boot_cpu / len(tables):.1f} ms per row, "
          f"{boot_cpu / len(history):.2f} s per period")
    print(f"verdicts at 5% that differ: {flips} of {2 * len(tables)}")


if __name__ == "__main__":
    main()
