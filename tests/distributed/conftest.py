"""A LocalCluster with 2 workers on 127.0.0.1, shared by the Dask tests of one module."""

import pytest

dd = pytest.importorskip("dask.dataframe", reason="the dask extra is part of the dev install")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as c:
        yield c
