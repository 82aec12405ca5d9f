"""One setting for all parallel work: scikit-learn's ``n_jobs`` convention.

None means 1 thread (the caller asks for more), -1 every core, -2 every core but one, and so
on; a positive number is capped at the cores numba may use. `engine_threads` applies it to the
numba kernels (counting, quantiles, the transform's map) for the calling thread; estimators use
the same number for their own thread pools.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["engine_threads", "resolve_n_jobs"]


def resolve_n_jobs(n_jobs: int | None) -> int:
    """The number of threads `n_jobs` asks for (>= 1)."""
    import numba

    cores = int(numba.config.NUMBA_NUM_THREADS)
    if n_jobs is None:
        return 1
    n = int(n_jobs)
    if n < 0:
        n = cores + 1 + n
    return max(1, min(n, cores))


@contextmanager
def engine_threads(n_jobs: int | None) -> Iterator[int]:
    """Run the numba kernels called from this thread on `resolve_n_jobs(n_jobs)` threads."""
    import numba

    n = resolve_n_jobs(n_jobs)
    previous = numba.get_num_threads()
    numba.set_num_threads(n)
    try:
        yield n
    finally:
        numba.set_num_threads(previous)
