"""Suite-wide settings: Hypothesis explores new examples locally but is deterministic in CI."""

import os

import pytest

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="module")
def dask_client():
    """A LocalCluster with 2 workers (threads, over TCP on 127.0.0.1) and its Client."""
    distributed = pytest.importorskip("distributed", reason="install the dask extra (dev has it)")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:
        yield client
