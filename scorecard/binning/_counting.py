"""The pre-binning stage: pre-bin edges of every numeric column and one counting pass per kind.

Shared by OptimalBinner (one column), BinningProcess (a frame, then the optimal merge) and the
IV report (`prebinning`, no merge). Quantile columns with the same number of pre-bins share one
`engine.quantile_edges_many` call; all numeric columns then share one `engine.count_numeric`
pass, and all categorical ones one `engine.count_codes` pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from scorecard import engine
from scorecard.binning._columns import category_codes
from scorecard.binning._prebin import stump_split_candidates
from scorecard.engine.edges import separate_by_extent
from scorecard.threads import resolve_n_jobs


def stump_edges(
    values: np.ndarray,
    label: np.ndarray,
    weights: np.ndarray | None,
    special_values: Sequence[float],
    params: Mapping[str, Any],
) -> np.ndarray:
    """Candidate edges from boosted depth-1 stumps on the finite, non-special values.

    min_child_weight is set so each side of every stump holds about min_bin_size of the rows:
    a row's logistic hessian is w * r * (1 - r) at the event rate r, so it is
    min_bin_size * W * r * (1 - r) for total weight W.
    """
    keep = np.isfinite(values)
    if len(special_values):
        keep &= ~np.isin(values, np.asarray(special_values, dtype=np.float64))
    y = label[keep]
    if y.size < 2 or y.min() == y.max():
        return np.zeros(0, dtype=np.float64)
    w_all = np.ones(values.shape[0]) if weights is None else weights
    total = float(w_all.sum())
    rate = float(np.dot(w_all, label) / total) if total > 0 else 0.5
    min_child_weight = float(params["min_bin_size"]) * total * rate * (1.0 - rate)
    return stump_split_candidates(
        values[keep], y, sample_weight=None if weights is None else weights[keep],
        n_rounds=int(params["n_rounds"]), min_child_weight=min_child_weight,
    )


def numeric_prebin_counts(
    matrix: np.ndarray,
    specials: Sequence[Sequence[float]],
    params: Sequence[Mapping[str, Any]],
    label: np.ndarray,
    weights: np.ndarray | None,
    *,
    n_jobs: int | None = None,
    seed: int = 0,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Pre-bin edges (user splits, stumps or quantiles, per column's `params`) of every column of
    `matrix` and their count tables in the engine's layout, from one counting pass.

    Stumps run on `n_jobs` threads (`scorecard.threads`: None means 1). Quantile and stump
    edges are then moved strictly between adjacent distinct values (`engine.separating_edges`,
    read off the bins' value ranges of the same counting pass); user splits are kept as given.
    """
    n_columns = matrix.shape[1]
    edges: list[np.ndarray | None] = [None] * n_columns
    quantile: dict[int, list[int]] = {}
    stumps: list[int] = []
    for j, p in enumerate(params):
        if p["user_splits"] is not None:
            edges[j] = np.asarray(p["user_splits"], dtype=np.float64)
        elif p["prebinning"] == "stumps":
            stumps.append(j)
        else:
            quantile.setdefault(int(p["max_n_prebins"]), []).append(j)
    for n_prebins, group in quantile.items():
        sub = matrix if len(group) == n_columns else matrix[:, group]
        found = engine.quantile_edges_many(
            sub, n_prebins, special_values=[specials[j] for j in group], seed=seed
        )
        for j, e in zip(group, found):
            edges[j] = e
    if stumps:
        from joblib import Parallel, delayed

        found = Parallel(n_jobs=resolve_n_jobs(n_jobs), prefer="threads")(
            delayed(stump_edges)(np.ascontiguousarray(matrix[:, j]), label, weights,
                                 specials[j], params[j])
            for j in stumps
        )
        for j, e in zip(stumps, found):
            edges[j] = e
    counts, lows, highs = engine.count_numeric_extent(
        matrix, edges, label, special_values=specials, weights=weights
    )
    for j in range(n_columns):
        if params[j]["user_splits"] is None and len(edges[j]):
            # Edges strictly between adjacent distinct values: no float32/float64 reading of a
            # training value can cross one. Rows keep their bins, so the counts hold.
            edges[j] = separate_by_extent(edges[j], lows[j], highs[j])
    return edges, counts


def categorical_counts(
    frame: pd.DataFrame,
    columns: Sequence[str],
    label: np.ndarray,
    weights: np.ndarray | None,
) -> tuple[list[tuple[str, ...]], list[np.ndarray]]:
    """Each column's sorted categories and its count table (one row per category, then the
    missing row), from one counting pass."""
    codes, categories = category_codes(frame, columns)
    counts = engine.count_codes(
        codes, [np.arange(len(cats), dtype=np.int64) for cats in categories],
        [len(cats) for cats in categories], label, weights=weights,
    )
    return categories, counts
