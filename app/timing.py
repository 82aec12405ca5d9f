"""Server-side time of each page's script run, appended to $SCORECARD_PAGE_TIMES when it is set
(benchmarks/bench_pages.py sets it to split a page's time into script run and browser drawing)."""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager

TIMES_ENV = "SCORECARD_PAGE_TIMES"


@contextmanager
def timed(page: str):
    """Time the block (a page's script run, also when it stops or reruns) if the variable is set."""
    path = os.environ.get(TIMES_ENV)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        if path:
            record = {"page": page, "seconds": time.perf_counter() - started,
                      "cpu": time.process_time() - cpu, "at": time.time()}
            with open(path, "a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")
