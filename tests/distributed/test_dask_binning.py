"""BinningProcess on Dask equals the in-memory fit exactly (same pre-binning edges), on a
LocalCluster with 2 workers; the sampled pre-binning of large columns meets its DKW bound."""

import math

import numpy as np
import pandas as pd
import pytest

from scorecard.binning import BinningProcess
from scorecard.exceptions import InputError

from binning_frames import PARAMS, sample_frame, tables_json

dd = pytest.importorskip("dask.dataframe")

pytestmark = pytest.mark.e2e


def test_fit_and_transform_equal_in_memory_exactly(dask_client):
    frame = sample_frame()
    X, y = frame.drop(columns="bad"), frame["bad"]
    ddf = dd.from_pandas(frame, npartitions=6)
    with pytest.warns(UserWarning, match="infinite"):
        memory = BinningProcess(**PARAMS).fit(X, y)
    with pytest.warns(UserWarning, match="infinite"):
        dask = BinningProcess(**PARAMS).fit(ddf.drop(columns="bad"), ddf["bad"])
    assert tables_json(dask) == tables_json(memory)
    for c in memory.columns_:
        pd.testing.assert_frame_equal(
            dask.binning_tables_[c].to_frame(), memory.binning_tables_[c].to_frame(),
            check_exact=True,
        )
    pd.testing.assert_frame_equal(dask.summary(), memory.summary(), check_exact=True)
    assert dask.selected_ == memory.selected_ and len(memory.selected_) >= 2
    for metric in ("woe", "bin", "label"):
        lazy = dask.transform(ddf, metric=metric)
        assert list(lazy.columns) == memory.selected_
        np.testing.assert_array_equal(
            lazy.compute().to_numpy(), memory.transform(X, metric=metric)
        )


def test_weighted_fit_matches_to_float_rounding(dask_client):
    frame = sample_frame(6_000, seed=5)
    weights = pd.Series(np.random.default_rng(1).uniform(0.5, 2.0, len(frame)), name="w")
    frame["w"] = weights
    X, y = frame.drop(columns=["bad", "w"]), frame["bad"]
    ddf = dd.from_pandas(frame, npartitions=4)
    with pytest.warns(UserWarning):
        memory = BinningProcess(**PARAMS).fit(X, y, sample_weight=weights)
    with pytest.warns(UserWarning):
        dask = BinningProcess(**PARAMS).fit(
            ddf.drop(columns=["bad", "w"]), ddf["bad"], sample_weight=ddf["w"]
        )
    for c in memory.columns_:
        m, d = memory.binning_tables_[c], dask.binning_tables_[c]
        assert m.labels == d.labels
        np.testing.assert_allclose(d.goods, m.goods, rtol=1e-12)
        np.testing.assert_allclose(d.bads, m.bads, rtol=1e-12)
        assert d.iv == pytest.approx(m.iv, rel=1e-10)


def test_sampled_prebinning_meets_its_dkw_bound(dask_client, monkeypatch):
    """Above SAMPLE_SIZE valid values the edges come from a uniform with-replacement sample of
    SAMPLE_SIZE values drawn across partitions; every pre-bin's share of the whole column is then
    within 2 * sqrt(ln(2 / delta) / (2 s)) of 1 / n_prebins with probability >= 1 - delta."""
    from scorecard.binning import _batched

    s, n_prebins, n = 2_000, 10, 30_000
    monkeypatch.setattr(_batched, "SAMPLE_SIZE", s)
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"x": rng.lognormal(size=n), "bad": rng.integers(0, 2, n)})
    ddf = dd.from_pandas(frame, npartitions=5)
    params = dict(max_n_prebins=n_prebins, min_bin_size=0.01)
    first = BinningProcess(**params).fit(ddf[["x"]], ddf["bad"])
    again = BinningProcess(**params).fit(ddf[["x"]], ddf["bad"])
    edges = first.get_binned_variable("x").prebin_splits_
    np.testing.assert_array_equal(edges, again.get_binned_variable("x").prebin_splits_)
    assert len(edges) == n_prebins - 1
    shares = np.bincount(np.searchsorted(edges, frame["x"], side="right"), minlength=n_prebins) / n
    bound = 2 * math.sqrt(math.log(2 / 0.01) / (2 * s))
    assert np.abs(shares - 1 / n_prebins).max() <= bound
    # the sample is not the first rows: edges differ from quantiles of one partition
    head = np.quantile(frame["x"][: n // 5], np.arange(1, n_prebins) / n_prebins)
    assert not np.allclose(edges, head, rtol=1e-3)


def test_bad_dask_inputs_name_the_problem(dask_client):
    frame = sample_frame(2_000)
    ddf = dd.from_pandas(frame, npartitions=2)
    X = ddf.drop(columns="bad")
    with pytest.raises(InputError, match="Dask Series"):
        BinningProcess().fit(X, frame["bad"])
    with pytest.raises(InputError, match="partitions"):
        BinningProcess().fit(X, dd.from_pandas(frame["bad"], npartitions=3))
    with pytest.raises(InputError, match="stumps"):
        BinningProcess(prebinning="stumps", columns=["a"]).fit(X, ddf["bad"])
    three = ddf["bad"] + 5 * (ddf["a"].fillna(0) > 1).astype(int)
    with pytest.raises(InputError, match="not binary"):
        BinningProcess(columns=["a"]).fit(X, three)
    with pytest.raises(InputError, match="'nope'"):
        BinningProcess(columns=["nope"]).fit(X, ddf["bad"])
