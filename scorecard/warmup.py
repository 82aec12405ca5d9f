"""Compile every numba kernel into the cache once, at install time: `python -m scorecard.warmup`.

The kernels are `@njit(cache=True)`: the first process to run one compiles it (seconds each,
about 20 s for the CLI's `iv` on a cold cache) and writes the machine code to NUMBA_CACHE_DIR;
later processes load it in milliseconds. `make` install targets and the Dockerfile run this
module with the same NUMBA_CACHE_DIR as the application, so a user's first command is fast.
It runs the user paths (IV report, binning fit and transform, scorecard fit, score and reason
codes, drift report; permutation tests of small tables) on a small synthetic table, and the engine's entry points on row- and
column-major inputs (numba compiles one version per memory layout).
"""

from __future__ import annotations

import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

__all__ = ["warm_up"]

ROWS = 4000


def _table(rows: int = ROWS) -> tuple[pd.DataFrame, np.ndarray]:
    """Numeric columns (missing and a special value), a text and a pandas categorical column."""
    from scorecard.datasets import make_wide

    X, y = make_wide(rows, 5, seed=0)
    frame = pd.DataFrame({f"x{j}": X[:, j] for j in range(4)})
    frame.loc[::97, "x1"] = -999.0
    levels = np.array(["a", "b", "c", "d", "e"], dtype=object)
    codes = np.clip(((np.nan_to_num(X[:, 4]) + 3) * 0.8).astype(int), 0, 4)
    text = levels[codes]
    text[::53] = None
    frame["c0"] = pd.array(text, dtype="str")
    frame["c1"] = pd.Categorical(levels[::-1][codes])
    frame["t0"] = pd.Series(text, dtype=object)
    return frame, y


def _engine(frame: pd.DataFrame, y: np.ndarray) -> None:
    from scorecard import engine
    from scorecard.engine import mapping
    from scorecard.engine.edges import edge_neighbours

    label = y.astype(np.int8)
    weights = np.ones(len(y))
    numeric = frame[["x0", "x1", "x2"]].to_numpy(dtype=np.float64)
    codes = np.column_stack([pd.factorize(frame["c0"])[0], pd.factorize(frame["t0"])[0]])
    for X, C in ((np.ascontiguousarray(numeric), np.ascontiguousarray(codes)),
                 (np.asfortranarray(numeric), np.asfortranarray(codes))):
        edges = engine.quantile_edges_many(X, 10, special_values=[(), (-999.0,), ()])
        specials = [(), (-999.0,), ()]
        for w in (None, weights):
            engine.count_numeric(X, edges, label, special_values=specials, weights=w)
            engine.count_numeric_extent(X, edges, label, special_values=specials, weights=w)
        maps = [np.arange(int(C[:, f].max()) + 1) for f in range(C.shape[1])]
        missing = [len(m) for m in maps]
        for w in (None, weights):
            engine.count_codes(C, maps, missing, label, weights=w)
        values = [np.arange(e.size + 2 + len(s), dtype=np.float64) for e, s in zip(edges, specials)]
        mapping.map_numeric(X, edges, values, specials)
        mapping.sum_numeric(X, edges, values, specials)
        mapping.map_codes(C, maps, missing, [np.arange(m + 1, dtype=np.float64) for m in missing])
        edge_neighbours(X, edges, specials)
    engine.assign_numeric(numeric[:, 0], edges[0])
    engine.assign_codes(codes[:, 0], maps[0], missing[0])
    engine.count_bins(engine.assign_numeric(numeric[:, 0], edges[0]), edges[0].size + 2, label)
    for w in (None, weights):
        engine.count_bins(codes[:, 0] + 1, int(codes[:, 0].max()) + 2, label, weights=w)


def _paths(frame: pd.DataFrame, y: np.ndarray) -> None:
    from scorecard.binning import BinningProcess, OptimalBinner
    from scorecard.binning.prebinning import iv_report
    from scorecard.model.scorecard import Scorecard, exact_scores
    from scorecard.monitoring import drift_report

    with_target = frame.assign(bad=y)
    iv_report(with_target, "bad")
    iv_report(with_target.iloc[:150], "bad")  # small counts: permutation p-values
    specials = {"x1": [-999.0]}
    process = BinningProcess(special_values=specials).fit(frame, y)
    for metric in ("woe", "bin", "label"):
        process.transform(frame, metric=metric)
    BinningProcess(special_values=specials, n_jobs=-1).fit(frame, y,
                                                            sample_weight=np.ones(len(y)))
    OptimalBinner().fit(frame["x0"], y).transform(frame["x0"])
    OptimalBinner(prebinning="stumps", n_rounds=5).fit(frame["x2"], y)
    card = Scorecard(BinningProcess(special_values=specials)).fit(frame, y)
    card.score(frame)
    card.reason_codes(frame, 3)
    card.predict_proba(frame)
    exact_scores(card.spec_, frame)
    half = len(frame) // 2
    drift_report(card.spec_, frame.iloc[:half], frame.iloc[half:])


def warm_up(verbose: bool = True) -> float:
    """Run every kernel once (compiling into NUMBA_CACHE_DIR when cold); seconds taken."""
    start = time.perf_counter()
    frame, y = _table()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _engine(frame, y)
        _paths(frame, y)
    seconds = time.perf_counter() - start
    if verbose:
        where = os.environ.get("NUMBA_CACHE_DIR") or "next to the sources (__pycache__)"
        print(f"numba kernels warm in {seconds:.1f} s; cache: {where}", file=sys.stderr)
    return seconds


if __name__ == "__main__":
    warm_up()
