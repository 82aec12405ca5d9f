"""Render time of every dashboard page on the demo store (24 periods x 26 characteristics).

    python benchmarks/bench_dashboard.py [--store URL] [--repeat 3] [--pages overview ...]

Each page is rendered by Streamlit's AppTest (the server-side script run: queries, computation,
serialising the elements; not the browser's drawing, which buildflow's Chromium benchmark adds):
- cold: a click to the page right after the caches are cleared (every result computed, the
  store read);
- warm: the median of --repeat such clicks in fresh sessions with the caches filled (cached
  results; one cheap store-fingerprint query per read).
The app's first start (imports, numba cache load, opening the store) is timed once, separately. Without --store,
a demo store is built in a temporary folder (`python -m scorecard.scheduling.demo`, 60,000
rows, with the Fairness page's default front stored), as `make run` does. A page with tabs is
timed with its first tab open (the others are drawn only when clicked).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAIN = str(ROOT / "app" / "main.py")
PAGES = ["overview", "monitoring", "scorecards", "scorecard", "fairness", "characteristics",
         "binning", "reports", "schedules", "history", "build"]


def render(page: str, cold: bool = False) -> float:
    """Seconds to open `page` from another page of a running session (a click in the sidebar)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(MAIN, default_timeout=900).run()
    if page == "overview":
        at.switch_page("views/build.py").run()
    if cold:  # every cached result; the open store connection (made at app start) stays
        import state

        st.cache_data.clear()
        for compute in (state.iv_report_for, state.binning_for, state.scorecard_for,
                        state.front_for):
            compute.clear()
    start = time.perf_counter()
    at.switch_page(f"views/{page}.py").run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    if at.error:
        raise RuntimeError(f"{page}: {at.error[0].value}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store URL (default: a fresh demo store)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", nargs="*", default=PAGES, choices=PAGES)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.store:
            os.environ["SCORECARD_DB"] = args.store
        else:
            from scorecard.scheduling.demo import build_demo, store_sample_front
            from scorecard.storage import MonitorStore, ResultStore

            os.environ["SCORECARD_DB"] = f"sqlite:///{Path(tmp) / 'store.db'}"
            build_demo(MonitorStore(), Path(tmp) / "demo")
            store_sample_front(ResultStore())  # as `make run` does
        start = time.perf_counter()
        render("overview")  # imports the engine, opens the store (schema check) once
        print(f"app start (imports, store opened, first page): "
              f"{time.perf_counter() - start:.2f} s")
        print(f"{'page':<16} {'cold s':>8} {'warm s':>8}")
        for page in args.pages:
            cold = render(page, cold=True)
            warm = statistics.median(render(page) for _ in range(args.repeat))
            flag = "" if max(cold, warm) < 2 else ("  (cold > 2 s)" if warm < 2 else "  (> 2 s)")
            print(f"{page:<16} {cold:8.2f} {warm:8.2f}{flag}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
