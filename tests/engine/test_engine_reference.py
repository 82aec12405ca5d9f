"""The numba engine agrees with its plain-numpy twins on seeded random data."""

from __future__ import annotations

import numpy as np
import pytest

from scorecard import engine
from scorecard.engine import _kernels
from scorecard.engine import reference as ref

N_ROWS = 30_000


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(20240611)
    X = np.empty((N_ROWS, 5), order="F")
    X[:, 0] = rng.lognormal(3.0, 1.0, N_ROWS)
    X[:, 1] = rng.normal(size=N_ROWS)
    X[:, 2] = rng.integers(0, 8, N_ROWS)
    X[:, 3] = rng.standard_t(2, N_ROWS)
    X[:, 4] = rng.normal(size=N_ROWS).round(1)
    X[rng.random(X.shape) < 0.04] = np.nan
    X[rng.random(X.shape) < 0.02] = -999.0
    X[rng.random(X.shape) < 0.01] = 0.0
    X[:4, 3] = [np.inf, -np.inf, np.inf, -np.inf]
    label = (rng.random(N_ROWS) < 0.15).astype(np.int8)
    weights = rng.exponential(size=N_ROWS)
    weights[rng.random(N_ROWS) < 0.1] = 0.0
    specials = [(-999.0,), (), (-999.0, 3.0), (0.0, -999.0), (7.5,)]
    return X, label, weights, specials


def _same(ours, theirs, exact=True):
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        if exact:
            assert a.dtype == np.int64
            np.testing.assert_array_equal(a, b)
        else:
            assert a.dtype == np.float64
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("sample_size", [1_000, 200_000])
def test_quantile_edges_match_reference(data, sample_size):
    X, _, _, specials = data
    ours = engine.quantile_edges_many(
        X, 12, special_values=specials, sample_size=sample_size, seed=3
    )
    for f in range(X.shape[1]):
        theirs = ref.quantile_edges(X[:, f], 12, specials[f], sample_size, 3)
        np.testing.assert_array_equal(ours[f], theirs)
        np.testing.assert_array_equal(
            ours[f],
            engine.quantile_edges(
                X[:, f], 12, special_values=specials[f], sample_size=sample_size, seed=3
            ),
        )


def test_quantile_edges_layout_does_not_matter(data):
    X, _, _, specials = data
    F = engine.quantile_edges_many(X, 9, special_values=specials, sample_size=5_000)
    C = engine.quantile_edges_many(np.ascontiguousarray(X), 9, special_values=specials,
                                   sample_size=5_000)
    for a, b in zip(F, C):
        np.testing.assert_array_equal(a, b)


def test_quantile_edges_exact_bins_are_equal_frequency():
    x = np.random.default_rng(5).permutation(1000).astype(float)
    edges = engine.quantile_edges(x, 4)
    np.testing.assert_array_equal(edges, [250.0, 500.0, 750.0])
    counts = np.bincount(engine.assign_numeric(x, edges), minlength=5)
    np.testing.assert_array_equal(counts, [250, 250, 250, 250, 0])


def test_heavy_tie_gets_an_edge_after_it():
    # credit_data's Price: 24 rows at exactly 650, and the best split is "<= 650 | > 650".
    x = np.r_[np.arange(100.0), np.full(24, 650.0), np.arange(700.0, 800.0)]
    edges = engine.quantile_edges(x, 20)
    assert 650.0 in edges and 700.0 in edges
    np.testing.assert_array_equal(edges, ref.quantile_edges(x, 20))
    bins = engine.assign_numeric(x, edges)
    assert np.count_nonzero(bins == np.searchsorted(edges, 650.0, side="right")) == 24


@pytest.mark.parametrize("tied, after_run", [(5, False), (6, True)])
def test_edge_after_tie_needs_half_a_grid_step(tied, after_run):
    # 20 bins: a run needs 2 * 20 * tied >= m rows (m = 200 + tied) to earn the extra edge.
    x = np.r_[np.arange(101.0), np.full(tied, 100.5), np.arange(101.0, 200.0)]
    edges = engine.quantile_edges(x, 20)
    assert 100.5 in edges
    assert (101.0 in edges) == after_run
    np.testing.assert_array_equal(edges, ref.quantile_edges(x, 20))


def test_sampled_edges_within_dkw_bound():
    rng = np.random.default_rng(11)
    x = rng.lognormal(size=400_000)
    s, delta, n_bins = 20_000, 1e-6, 10
    edges = engine.quantile_edges(x, n_bins, sample_size=s, seed=1)
    assert edges.size == n_bins - 1
    shares = np.bincount(engine.assign_numeric(x, edges), minlength=n_bins + 1)[:n_bins] / x.size
    bound = 2 * np.sqrt(np.log(2 / delta) / (2 * s))
    assert np.all(np.abs(shares - 1 / n_bins) <= bound + 1 / s)
    # a different seed gives a different (but equally good) sample
    assert not np.array_equal(edges, engine.quantile_edges(x, n_bins, sample_size=s, seed=2))


def test_sample_indices_are_uniform():
    idx = ref.sample_indices(0, 100_000, 10)
    freq = np.bincount(idx, minlength=10) / idx.size
    assert np.all(np.abs(freq - 0.1) < 0.005)


@pytest.mark.parametrize("order", ["F", "C"])
@pytest.mark.parametrize("weighted", [False, True])
def test_count_numeric_matches_reference(data, order, weighted):
    X, label, weights, specials = data
    w = weights if weighted else None
    edges = engine.quantile_edges_many(X, 15, special_values=specials)
    Xo = np.asarray(X, order=order)
    ours = engine.count_numeric(Xo, edges, label, special_values=specials, weights=w)
    _same(ours, ref.count_numeric(X, edges, label, specials, w), exact=not weighted)


def test_count_numeric_many_edges_and_noncontiguous_input(data):
    X, label, _, specials = data
    rng = np.random.default_rng(2)
    # 0, 3, 128 (linear search), 129 and 700 (grouped search) edges
    edges = [np.empty(0), np.array([-1.0, 0.0, np.inf])]
    edges += [np.unique(rng.normal(size=k)) for k in (128, 129, 700)]
    view = np.asfortranarray(np.hstack([X, X]))[::3, ::2]
    assert not view.flags.c_contiguous and not view.flags.f_contiguous
    ours = engine.count_numeric(view, edges, label[::3], special_values=specials)
    _same(ours, ref.count_numeric(np.array(view), edges, label[::3], specials))
    for f, e in enumerate(edges):
        np.testing.assert_array_equal(
            engine.assign_numeric(X[:, f], e, specials[f]),
            ref.assign_numeric(X[:, f], e, specials[f]),
        )


def test_bin_layout():
    x = np.array([-np.inf, -1.0, 0.0, 0.5, 1.0, 2.0, np.inf, np.nan, -999.0, 2.0, 7.0])
    bins = engine.assign_numeric(x, [0.0, 1.0], special_values=(-999.0, 2.0))
    # numeric bins 0..2, missing 3, specials 4 (-999) and 5 (2.0)
    np.testing.assert_array_equal(bins, [0, 0, 1, 1, 2, 5, 2, 3, 4, 5, 2])


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.int16])
@pytest.mark.parametrize("weighted", [False, True])
def test_count_codes_matches_reference(data, dtype, weighted):
    _, label, weights, _ = data
    rng = np.random.default_rng(9)
    C = rng.integers(-1, 6, size=(N_ROWS, 3)).astype(dtype)
    maps = [np.array([0, 0, 1, 1, 2, 2]), np.arange(6), np.array([3, 2, 1, 0, 0, 0])]
    missing = [3, 0, 4]
    w = weights if weighted else None
    ours = engine.count_codes(C, maps, missing, label, weights=w)
    _same(ours, ref.count_codes(C, maps, missing, label, w), exact=not weighted)
    ours_c = engine.count_codes(np.ascontiguousarray(C), maps, missing, label, weights=w)
    _same(ours_c, ref.count_codes(C, maps, missing, label, w), exact=not weighted)
    for f in range(3):
        np.testing.assert_array_equal(
            engine.assign_codes(C[:, f], maps[f], missing[f]),
            ref.assign_codes(C[:, f], maps[f], missing[f]),
        )


def test_count_codes_n_bins_adds_empty_bins(data):
    _, label, _, _ = data
    C = np.zeros((N_ROWS, 1), dtype=np.int64)
    counts = engine.count_codes(C, [np.array([1])], [0], label, n_bins=[4])[0]
    assert counts.shape == (4, 2)
    np.testing.assert_array_equal(counts[1], np.bincount(label, minlength=2))
    assert counts[[0, 2, 3]].sum() == 0


@pytest.mark.parametrize("weighted", [False, True])
def test_count_bins_matches_reference(data, weighted):
    _, label, weights, _ = data
    bins = np.random.default_rng(4).integers(0, 9, N_ROWS)
    w = weights if weighted else None
    ours = engine.count_bins(bins, 11, label, weights=w)
    _same([ours], [ref.count_bins(bins, 11, label, w)], exact=not weighted)


def test_chunked_counts_add_up(data):
    X, label, weights, specials = data
    edges = engine.quantile_edges_many(X, 10, special_values=specials)
    whole = engine.count_numeric(X, edges, label, special_values=specials)
    whole_w = engine.count_numeric(X, edges, label, special_values=specials, weights=weights)
    cuts = [0, 1, 1, 777, 12_345, N_ROWS]
    parts = [
        engine.count_numeric(X[a:b], edges, label[a:b], special_values=specials)
        for a, b in zip(cuts[:-1], cuts[1:])
    ]
    parts_w = [
        engine.count_numeric(X[a:b], edges, label[a:b], special_values=specials,
                             weights=weights[a:b])
        for a, b in zip(cuts[:-1], cuts[1:])
    ]
    for f in range(X.shape[1]):
        np.testing.assert_array_equal(sum(p[f] for p in parts), whole[f])
        np.testing.assert_allclose(sum(p[f] for p in parts_w), whole_w[f], rtol=1e-12)


def test_weighted_sums_do_not_depend_on_threads(data):
    X, label, weights, specials = data
    import numba

    edges = engine.quantile_edges_many(X, 10, special_values=specials)
    before = engine.count_numeric(X, edges, label, special_values=specials, weights=weights)
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        after = engine.count_numeric(X, edges, label, special_values=specials, weights=weights)
    finally:
        numba.set_num_threads(threads)
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)


def test_chunks_depend_on_rows_only():
    assert _kernels.n_chunks_for(0) == 1
    assert _kernels.n_chunks_for(10**9) == _kernels.MAX_CHUNKS


def test_read_only_inputs(data):
    X, label, weights, specials = data
    frozen = [a.copy() for a in (X, label, weights)]
    for a in frozen:
        a.flags.writeable = False
    Xr, yr, wr = frozen
    edges = engine.quantile_edges_many(Xr, 6, special_values=specials)
    ours = engine.count_numeric(Xr, edges, yr, special_values=specials, weights=wr)
    _same(ours, ref.count_numeric(X, edges, label, specials, weights), exact=False)


@pytest.mark.parametrize(
    "edges",
    [
        np.array([0.5]),  # one edge: no grid cells
        np.array([-np.inf, 0.0, 1e300]),  # infinite edge, range near overflow
        np.array([1.0, 1.0 + 2**-52, 1.0 + 2**-51, 3.0]),  # adjacent floats share a cell
        np.array([-5.0, 1e-300, 2e-300, 1e5, np.inf]),  # many edges in one cell, +inf edge
        np.concatenate([np.linspace(0.0, 1e-9, 150), np.linspace(1.0, 1e6, 150)]),  # skewed
    ],
)
def test_count_numeric_edge_grid_matches_reference(edges):
    """The counting pass finds bins through a grid over the edges' range; its cells may hold
    many edges or none, and values may lie on edges, outside the range or be infinite."""
    rng = np.random.default_rng(7)
    finite = edges[np.isfinite(edges)]
    x = np.concatenate([
        edges, np.nextafter(edges, -np.inf), np.nextafter(edges, np.inf),
        rng.choice(finite, 500) * (1 + rng.normal(scale=1e-3, size=500)),
        rng.normal(size=500) * 10.0 ** rng.integers(-300, 300, 500),
        [np.inf, -np.inf, np.nan, 0.0, -0.0, 1.7e308, -1.7e308],
    ])
    label = (rng.random(x.size) < 0.3).astype(np.int8)
    ours, lows, highs = engine.count_numeric_extent(x.reshape(-1, 1), [edges], label)
    assert np.array_equal(ours[0], ref.count_numeric(x.reshape(-1, 1), [edges], label)[0])
    bins = ref.assign_numeric(x, edges)
    for b in range(edges.size + 1):
        inside = x[(bins == b) & ~np.isnan(x)]
        assert lows[0][b] == (inside.min() if inside.size else np.inf)
        assert highs[0][b] == (inside.max() if inside.size else -np.inf)


def test_quantile_edges_read_negative_zero_as_zero():
    """np.sort leaves -0.0 and +0.0 in any order; both are read as +0.0, so an edge at zero is
    always +0.0 and the edges match the twin whatever the signs of the zeros."""
    rng = np.random.default_rng(3)
    x = np.round(rng.normal(size=50_000) * 0.4)
    x[rng.random(x.size) < 0.5] *= -1.0  # half the zeros become -0.0
    assert np.signbit(x[x == 0]).any()
    for n_bins, sample_size in ((5, 200_000), (20, 10_000), (200, 200_000)):
        ours = engine.quantile_edges(x, n_bins, sample_size=sample_size)
        assert np.array_equal(ours, ref.quantile_edges(x, n_bins, (), sample_size))
        assert not np.signbit(ours[ours == 0]).any()
    assert np.array_equal(engine.quantile_edges(x, 20), engine.quantile_edges(x + 0.0, 20))
