"""The selection MIP against brute-force enumeration, CBC against HiGHS, and its errors."""

import itertools

import numpy as np
import pandas as pd
import pytest

from scorecard.exceptions import InputError
from scorecard.fairness import (
    InfeasibleSelection,
    SelectionModel,
    available_solvers,
    solve_selection,
)

SOLVERS = available_solvers()


def random_candidates(rng, n_chars, max_cands, *, monotone=False):
    rows = []
    for c in range(n_chars):
        k = int(rng.integers(1, max_cands + 1))
        perf = rng.uniform(0, 0.4, k)
        fair = rng.uniform(0, 0.05, k)
        if monotone:  # coarser binnings lower both, as real candidates do
            perf, fair = np.sort(perf), np.sort(fair)
        for j in range(k):
            rows.append({"characteristic": f"c{c}", "candidate": f"k{j}", "iv_perf": perf[j],
                         "iv_fair": fair[j], "iv_fair_se": rng.uniform(0, 0.01)})
    return pd.DataFrame(rows)


def brute_force(cands, eps, z=0.0, lo=None, hi=None, include=(), exclude=(), pairs=()):
    """Best objective over every choice of at most one candidate per characteristic."""
    names = list(dict.fromkeys(cands["characteristic"]))
    options = []
    for n in names:
        rows = list(cands.index[cands["characteristic"] == n])
        options.append(rows if n in include else [None] if n in exclude else [None, *rows])
    cost = (cands["iv_fair"] + z * cands["iv_fair_se"]).to_numpy()
    gain = cands["iv_perf"].to_numpy()
    best = None
    for combo in itertools.product(*options):
        chosen = [i for i in combo if i is not None]
        used = {names[j] for j, i in enumerate(combo) if i is not None}
        if lo is not None and len(chosen) < lo or hi is not None and len(chosen) > hi:
            continue
        if any(a in used and b in used for a, b in pairs):
            continue
        if cost[chosen].sum() > eps:
            continue
        value = gain[chosen].sum()
        best = value if best is None else max(best, value)
    return best


@pytest.mark.parametrize("seed", range(60))
def test_objective_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    cands = random_candidates(rng, int(rng.integers(2, 6)), 3, monotone=bool(seed % 2))
    names = list(dict.fromkeys(cands["characteristic"]))
    total = (cands["iv_fair"] + cands["iv_fair_se"]).sum()
    eps = float(rng.uniform(0, 0.6) * total)
    z = float(rng.choice([0.0, 1.0, 1.645]))
    lo = int(rng.integers(0, 3)) if seed % 3 == 0 else None
    hi = int(rng.integers(1, len(names) + 1)) if seed % 4 == 0 else None
    include = [names[0]] if seed % 5 == 0 else []
    exclude = [names[-1]] if seed % 7 == 0 and len(names) > 2 else []
    expected = brute_force(cands, eps, z, lo, hi, include, exclude)
    if expected is None:
        with pytest.raises(InfeasibleSelection):
            solve_selection(cands, eps, z=z, min_characteristics=lo, max_characteristics=hi,
                            must_include=include, must_exclude=exclude)
        return
    chosen = solve_selection(cands, eps, z=z, min_characteristics=lo, max_characteristics=hi,
                             must_include=include, must_exclude=exclude)
    assert chosen["iv_perf"].sum() == pytest.approx(expected, abs=1e-9)
    assert chosen.attrs["objective"] == pytest.approx(expected, abs=1e-9)
    assert (chosen["iv_fair"] + z * chosen["iv_fair_se"]).sum() <= eps + 1e-9
    assert chosen["characteristic"].is_unique
    assert set(include) <= set(chosen["characteristic"])
    assert not set(exclude) & set(chosen["characteristic"])
    assert list(chosen.columns) == list(cands.columns)


@pytest.mark.parametrize("seed", range(15))
def test_exclusive_pairs_equal_brute_force(seed):
    rng = np.random.default_rng(100 + seed)
    cands = random_candidates(rng, 5, 3)
    names = list(dict.fromkeys(cands["characteristic"]))
    pairs = [(names[0], names[1]), (names[2], names[3])]
    eps = float(rng.uniform(0.02, 0.15))
    expected = brute_force(cands, eps, pairs=pairs)
    chosen = SelectionModel(cands, exclusive_pairs=pairs).solve(eps)
    assert chosen["iv_perf"].sum() == pytest.approx(expected, abs=1e-9)
    used = set(chosen["characteristic"])
    assert not ({names[0], names[1]} <= used or {names[2], names[3]} <= used)


@pytest.mark.skipif("highs" not in SOLVERS, reason="highspy is a dev dependency")
@pytest.mark.parametrize("seed", range(10))
def test_cbc_and_highs_reach_the_same_objective(seed):
    rng = np.random.default_rng(200 + seed)
    cands = random_candidates(rng, 12, 6, monotone=bool(seed % 2))
    for eps in (0.01, 0.05, 0.15):
        cbc = solve_selection(cands, eps, solver="cbc", min_characteristics=1)
        highs = solve_selection(cands, eps, solver="highs", min_characteristics=1)
        assert cbc.attrs["objective"] == pytest.approx(highs.attrs["objective"], abs=1e-9)


def test_model_is_reused_over_budgets_and_is_monotone():
    cands = random_candidates(np.random.default_rng(7), 10, 5, monotone=True)
    model = SelectionModel(cands, min_characteristics=1)
    low, high = model.min_budget(), model.max_budget()
    values = [model.solve(e).attrs["objective"] for e in np.linspace(low, high, 8)]
    assert np.all(np.diff(values) >= -1e-12)
    assert values[-1] == pytest.approx(solve_selection(cands, np.inf).attrs["objective"])
    assert low == pytest.approx((cands["iv_fair"]).groupby(cands["characteristic"]).min().min())


def test_infeasible_budget_is_a_clear_result():
    cands = random_candidates(np.random.default_rng(3), 4, 2)
    with pytest.raises(InfeasibleSelection, match="smallest feasible") as info:
        solve_selection(cands, 0.0, min_characteristics=2)
    smallest = info.value.min_budget
    assert smallest > 0
    chosen = solve_selection(cands, smallest + 1e-9, min_characteristics=2)
    assert len(chosen) == 2
    with pytest.raises(InfeasibleSelection, match="must_include"):
        solve_selection(cands, 1.0, max_characteristics=1, must_include=["c0", "c1"])


def test_empty_selection_is_feasible_without_minimum():
    cands = random_candidates(np.random.default_rng(4), 3, 2)
    chosen = solve_selection(cands, 0.0)
    assert chosen.empty and list(chosen.columns) == list(cands.columns)


@pytest.mark.parametrize("change, match", [
    (lambda c: c.drop(columns="iv_fair_se"), "iv_fair_se"),
    (lambda c: c.assign(iv_fair=-c.iv_fair), "iv_fair"),
    (lambda c: c.assign(iv_perf=np.nan), "iv_perf"),
    (lambda c: pd.concat([c, c.iloc[:1]]), "repeat"),
])
def test_bad_candidates_are_named(change, match):
    cands = random_candidates(np.random.default_rng(5), 3, 2)
    with pytest.raises(InputError, match=match):
        solve_selection(change(cands), 0.1)


def test_bad_arguments_are_named():
    cands = random_candidates(np.random.default_rng(6), 3, 2)
    with pytest.raises(InputError, match="must_include"):
        solve_selection(cands, 0.1, must_include=["nope"])
    with pytest.raises(InputError, match="both"):
        solve_selection(cands, 0.1, must_include=["c0"], must_exclude=["c0"])
    with pytest.raises(InputError, match="solver"):
        solve_selection(cands, 0.1, solver="gurobi")
    with pytest.raises(InputError, match="epsilon"):
        solve_selection(cands, "a lot")
    with pytest.raises(InputError, match="z="):
        solve_selection(cands, 0.1, z=-1)
    with pytest.raises(InputError, match="DataFrame"):
        solve_selection([1, 2], 0.1)
