"""A drift report from Dask DataFrames (2 workers on 127.0.0.1) equals the in-memory one."""

import pytest

from scorecard.exceptions import InputError
from scorecard.monitoring import drift_report

dd = pytest.importorskip("dask.dataframe")

pytestmark = pytest.mark.e2e


def test_dask_report_equals_in_memory_report(dask_client, spec, development, later):
    memory = drift_report(spec, development, later)
    dask = drift_report(
        spec, dd.from_pandas(development, npartitions=4), dd.from_pandas(later, npartitions=3)
    )
    assert dask == memory
    assert dask.to_dict() == memory.to_dict()
    assert memory.n_current == len(later) and memory.target is not None
    mixed = drift_report(spec, development, dd.from_pandas(later, npartitions=2))
    assert mixed == memory


def test_dask_sample_missing_a_characteristic_is_named(dask_client, spec, development, later):
    current = dd.from_pandas(later.drop(columns=["utilisation"]), npartitions=2)
    with pytest.raises(InputError, match="current sample lacks model characteristic"):
        drift_report(spec, development, current)
