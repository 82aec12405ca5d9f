"""Hypothesis edge cases: all NaN, one value, ties, infinities, empty chunks, zero weights."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scorecard import engine
from scorecard.engine import reference as ref

FEW = settings(max_examples=50, deadline=None)

# A small pool makes ties, specials and infinities common.
POOL = [-np.inf, -999.0, -2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, 1e300, np.inf, np.nan]
values = st.one_of(
    st.sampled_from(POOL),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
)


def columns(max_rows=60, n_cols=2):
    return st.integers(0, max_rows).flatmap(
        lambda n: hnp.arrays(np.float64, (n, n_cols), elements=values)
    )


specials_st = st.lists(st.sampled_from([-999.0, 0.5, 3.0, np.inf]), max_size=3, unique=True)
edges_st = st.lists(
    st.floats(allow_nan=False, allow_infinity=True, width=64), max_size=8, unique=True
).map(lambda e: np.unique(np.asarray(e, dtype=np.float64)))


def labels_for(n):
    return hnp.arrays(np.int8, n, elements=st.integers(0, 1))


def weights_for(n):
    return hnp.arrays(np.float64, n, elements=st.sampled_from([0.0, 0.25, 1.0, 3.0]))


@FEW
@given(
    x=hnp.arrays(np.float64, st.integers(0, 80), elements=values),
    n_bins=st.integers(1, 12),
    specials=specials_st,
    sample_size=st.sampled_from([3, 17, 200_000]),
    seed=st.integers(0, 2**64 - 1),
)
def test_quantile_edges_rules(x, n_bins, specials, sample_size, seed):
    edges = engine.quantile_edges(
        x, n_bins, special_values=specials, sample_size=sample_size, seed=seed
    )
    np.testing.assert_array_equal(edges, ref.quantile_edges(x, n_bins, specials, sample_size, seed))
    assert edges.dtype == np.float64 and edges.size <= 2 * (n_bins - 1)
    assert np.all(np.diff(edges) > 0)
    valid = ref.valid_values(x, specials)
    if valid.size == 0:
        assert edges.size == 0
        return
    assert np.all(edges > valid.min())  # no empty first bin
    distinct = np.unique(valid)
    if distinct.size <= n_bins and valid.size <= sample_size:
        np.testing.assert_array_equal(edges, distinct[1:])


# Columns made of runs of tied values (and the odd NaN), so quantile positions often land in ties.
tied_columns = st.lists(
    st.tuples(
        st.sampled_from([-np.inf, -2.5, -0.0, 0.0, 1.0, 650.0, np.inf, np.nan])
        | st.floats(-1e6, 1e6, allow_nan=False),
        st.integers(1, 60),
    ),
    max_size=20,
).map(lambda runs: np.repeat([v for v, _ in runs], [c for _, c in runs]).astype(np.float64))


@FEW
@given(
    runs=st.tuples(tied_columns, tied_columns),
    n_bins=st.integers(1, 15),
    specials=specials_st,
    sample_size=st.sampled_from([40, 200_000]),
    shuffle=st.integers(0, 2**32 - 1),
)
def test_quantile_edges_with_ties_match_reference(runs, n_bins, specials, sample_size, shuffle):
    rng = np.random.default_rng(shuffle)
    n = max(r.size for r in runs)
    X = np.full((n, 2), np.nan)
    for f, r in enumerate(runs):
        X[: r.size, f] = rng.permutation(r)
    many = engine.quantile_edges_many(
        X, n_bins, special_values=[specials, specials], sample_size=sample_size, seed=shuffle
    )
    for f in range(2):
        edges = ref.quantile_edges(X[:, f], n_bins, specials, sample_size, shuffle)
        np.testing.assert_array_equal(many[f], edges)
        np.testing.assert_array_equal(
            engine.quantile_edges(X[:, f], n_bins, special_values=specials,
                                  sample_size=sample_size, seed=shuffle),
            edges,
        )
        assert edges.size <= 2 * (n_bins - 1) and np.all(np.diff(edges) > 0)
        valid = ref.valid_values(X[:, f], specials)
        if valid.size <= sample_size and np.unique(valid).size > n_bins:
            w = np.sort(valid)
            m = w.size
            at = w[(np.arange(1, n_bins) * m) // n_bins]
            assert set(at[at > w[0]]) <= set(edges)  # the plain order statistics stay
            for v in at:  # and every heavy tie at a position gets the next value as an edge
                lo, hi = np.searchsorted(w, v, "left"), np.searchsorted(w, v, "right")
                if hi < m and hi - lo >= 2 and 2 * n_bins * (hi - lo) >= m:
                    assert w[hi] in edges


@FEW
@given(n=st.integers(0, 50), n_bins=st.integers(1, 5))
def test_all_nan_and_constant_columns(n, n_bins):
    nan = np.full(n, np.nan)
    assert engine.quantile_edges(nan, n_bins).size == 0
    assert engine.quantile_edges(np.full(n, 4.0), n_bins).size == 0
    label = np.arange(n, dtype=np.int8) % 2
    counts = engine.count_numeric(nan.reshape(-1, 1), [np.empty(0)], label)[0]
    np.testing.assert_array_equal(counts, [[0, 0], [n - n // 2, n // 2]])


@FEW
@given(
    X=columns(),
    edges=st.tuples(edges_st, edges_st),
    specials=st.tuples(specials_st, specials_st),
    data=st.data(),
)
def test_count_numeric_matches_reference(X, edges, specials, data):
    n = X.shape[0]
    label = data.draw(labels_for(n))
    weights = data.draw(st.none() | weights_for(n))
    order = data.draw(st.sampled_from("CF"))
    Xo = np.asarray(X, order=order)
    ours = engine.count_numeric(Xo, list(edges), label, special_values=list(specials),
                                weights=weights)
    theirs = ref.count_numeric(X, list(edges), label, list(specials), weights)
    for f, (a, b) in enumerate(zip(ours, theirs)):
        assert a.shape == (edges[f].size + 2 + len(specials[f]), 2)
        np.testing.assert_allclose(a, b, rtol=1e-12)
        np.testing.assert_array_equal(
            engine.assign_numeric(X[:, f], edges[f], specials[f]),
            ref.assign_numeric(X[:, f], edges[f], specials[f]),
        )
        if weights is None:
            assert a.dtype == np.int64 and a.sum() == n


@FEW
@given(X=columns(max_rows=80, n_cols=1), edges=edges_st, data=st.data())
def test_counts_are_additive_over_chunks(X, edges, data):
    n = X.shape[0]
    label = data.draw(labels_for(n))
    weights = data.draw(weights_for(n))
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=4)))
    bounds = [0, *cuts, n]
    for w in (None, weights):
        whole = engine.count_numeric(X, [edges], label, weights=w)[0]
        parts = [
            engine.count_numeric(X[a:b], [edges], label[a:b],
                                 weights=None if w is None else w[a:b])[0]
            for a, b in zip(bounds[:-1], bounds[1:])
        ]
        np.testing.assert_allclose(sum(parts), whole, rtol=1e-12)
        assert whole.dtype == (np.int64 if w is None else np.float64)


@FEW
@given(X=columns(max_rows=60, n_cols=1), edges=edges_st, data=st.data())
def test_zero_weights_drop_rows(X, edges, data):
    n = X.shape[0]
    label = data.draw(labels_for(n))
    weights = data.draw(weights_for(n))
    keep = weights > 0
    weighted = engine.count_numeric(X, [edges], label, weights=weights)[0]
    kept = engine.count_numeric(X[keep], [edges], label[keep], weights=weights[keep])[0]
    np.testing.assert_allclose(weighted, kept, rtol=1e-12)


@FEW
@given(
    n_codes=st.integers(0, 6),
    data=st.data(),
)
def test_codes_match_reference(n_codes, data):
    n = data.draw(st.integers(0, 50))
    C = data.draw(hnp.arrays(np.int64, (n, 2), elements=st.integers(-1, max(n_codes - 1, -1))))
    maps = [data.draw(hnp.arrays(np.int64, n_codes, elements=st.integers(0, 4))) for _ in range(2)]
    missing = [data.draw(st.integers(0, 5)) for _ in range(2)]
    label = data.draw(labels_for(n))
    weights = data.draw(st.none() | weights_for(n))
    ours = engine.count_codes(C, maps, missing, label, weights=weights)
    theirs = ref.count_codes(C, maps, missing, label, weights)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    bins = ref.assign_codes(C[:, 0], maps[0], missing[0])
    np.testing.assert_array_equal(engine.assign_codes(C[:, 0], maps[0], missing[0]), bins)
    n_bins = ours[0].shape[0]
    np.testing.assert_allclose(
        engine.count_bins(bins, n_bins, label, weights=weights),
        ref.count_bins(bins, n_bins, label, weights),
        rtol=1e-12,
    )


def test_empty_inputs_give_zero_counts():
    X = np.empty((0, 3))
    label = np.empty(0, dtype=np.int8)
    counts = engine.count_numeric(X, [np.empty(0), np.array([1.0]), np.array([0.0, 2.0])], label,
                                  special_values=[(), (5.0,), ()])
    assert [c.shape for c in counts] == [(2, 2), (4, 2), (4, 2)]
    assert all(c.sum() == 0 and c.dtype == np.int64 for c in counts)
    assert engine.count_numeric(np.empty((5, 0)), [], np.zeros(5, np.int8)) == []
    empty_edges = engine.quantile_edges_many(np.empty((0, 2)))
    assert len(empty_edges) == 2 and all(e.size == 0 for e in empty_edges)
    weighted = engine.count_bins(np.empty(0, np.int64), 3, label, weights=np.empty(0))
    assert weighted.shape == (3, 2) and weighted.dtype == np.float64 and weighted.sum() == 0
    codes = engine.count_codes(np.empty((0, 1), np.int32), [np.arange(2)], [2], label)
    np.testing.assert_array_equal(codes[0], np.zeros((3, 2)))
