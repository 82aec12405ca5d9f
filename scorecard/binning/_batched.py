"""BinningProcess from batches of rows: per-batch counts with the in-memory kernels, summed.

A batch is a Dask partition (`scorecard.binning._dask`), a Spark partition
(`scorecard.binning._spark`) or a chunk of a file read in turn (`scorecard.binning.files`);
`Batches.map` runs a function on every batch and returns the small results in order. The rows
are read in three passes, each one `map`, and every pass reads each batch once:

1. survey: the target's distinct values (which one is bad is decided once, over all rows,
   exactly as in memory), the rows, and per numeric column the number of valid values (not NaN,
   not special);
2. sketch (skipped when every numeric column has user splits): quantile pre-binning values. A
   column with m <= SAMPLE_SIZE valid values sends them all, so its edges are exact and equal
   to the in-memory edges; a larger column sends a uniform with-replacement sample of
   SAMPLE_SIZE values, split over batches by a multinomial draw on the pass-1 counts (a
   mergeable sketch: the union is distributed exactly like the in-memory sample, so the same
   Dvoretzky-Kiefer-Wolfowitz bound holds, see `engine.quantile_edges`);
3. counts: `engine.count_numeric_extent` on each batch's numeric block (the count tables and
   each pre-bin's smallest and largest value, from one pass, as in memory) and per-category
   counts of each categorical column, summed; the bins' value ranges (min / max over batches)
   give each quantile edge's neighbouring valid values, so `engine.edges.separate_by_extent`
   moves the edges strictly between adjacent distinct values exactly as in memory (rows keep
   their bins, so the summed counts hold).

The exact merges then run on the summed tables with the in-memory code, so for the same
pre-binning edges (user splits, or any column of at most SAMPLE_SIZE valid values) bins,
counts, WoE, IV and their SEs equal the in-memory fit exactly (unweighted counts are integers;
weighted sums agree to float rounding). Stump pre-binning needs the rows in memory. The passes
must see the same batches in the same order (files are read in fixed-size chunks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd

from scorecard import engine
from scorecard.engine.edges import separate_by_extent
from scorecard.binning._columns import (
    encode_categories,
    numeric_matrix,
    numeric_specials,
    require_features,
    resolve_kind,
    warn_infinite,
)
from scorecard.binning._selection import check_selection
from scorecard.binning._transform import transform_frame
from scorecard.distributed import sample_allocation
from scorecard.exceptions import InputError
from scorecard.options import CATEGORICAL, NUMERIC
from scorecard.threads import engine_threads
from scorecard.validation import binary_target, check_weights

__all__ = ["SAMPLE_SIZE", "Batches", "fit_batches", "selected_tables", "transform_part"]

SAMPLE_SIZE = 200_000  # engine.quantile_edges' default: the in-memory process samples as many
SEED = 0


# ---------------------------------------------------------------------------------------------
# Per-partition work (runs on the workers)
# ---------------------------------------------------------------------------------------------


def _valid(matrix: np.ndarray, specials: Sequence[Sequence[float]]) -> np.ndarray:
    keep = ~np.isnan(matrix)
    for j, s in enumerate(specials):
        if len(s):
            keep[:, j] &= ~np.isin(matrix[:, j], np.asarray(s, dtype=np.float64))
    return keep


def _survey(part, y_part, w_part, *, partition_index, numeric, specials):
    """Pass 1: the target's distinct values and missing count, rows, valid values per column."""
    y = pd.Series(y_part) if not isinstance(y_part, pd.Series) else y_part
    if w_part is not None:
        check_weights(np.asarray(w_part), len(part))
    matrix = numeric_matrix(part, numeric, fitted=False)
    return {
        "rows": len(part),
        "y_rows": len(y),
        "y_missing": int(y.isna().sum()),
        "y_values": pd.unique(y.dropna()),
        "valid": _valid(matrix, specials).sum(axis=0).astype(np.int64),
        "infinite": np.isinf(matrix).any(axis=0),
    }


def _prebin_values(part, *, partition_index, numeric, specials, take, seed):
    """Pass 2: per column, every valid value (take = -1) or `take` drawn with replacement
    (take: one row per partition)."""
    take = take[partition_index]
    matrix = numeric_matrix(part, numeric, fitted=False)
    keep = _valid(matrix, specials)
    rng = np.random.default_rng([seed, partition_index])
    out = []
    for j, k in enumerate(take):
        values = matrix[keep[:, j], j]
        if k < 0:
            out.append(values)
        elif k == 0 or not values.size:
            out.append(values[:0])
        else:
            out.append(values[rng.integers(0, values.size, size=k)])
    return out


def _label(y_part, bad: object) -> np.ndarray:
    y = y_part if isinstance(y_part, pd.Series) else pd.Series(y_part)
    return (y.to_numpy() == bad).astype(np.int8)


def _counts(part, y_part, w_part, *, partition_index, numeric, edges, specials, categorical,
            bad, moved):
    """Pass 3: numeric count tables (engine layout), the value range (lows, highs) of each
    pre-bin of the columns in `moved`, from the same pass, and per-category counts of one
    partition."""
    label = _label(y_part, bad)
    weights = None if w_part is None else np.asarray(w_part, dtype=np.float64)
    numeric_counts, extents = [], []
    if numeric:
        matrix = numeric_matrix(part, numeric, fitted=False)
        numeric_counts, lows, highs = engine.count_numeric_extent(
            matrix, edges, label, special_values=specials, weights=weights
        )
        k = [len(edges[j]) + 1 for j in moved]  # the value bins, before special and missing
        extents = [(lows[j][:n], highs[j][:n]) for j, n in zip(moved, k)]
    categorical_counts = []
    for c in categorical:
        codes, cats = encode_categories(part[c])
        n = len(cats) + 1
        slot = np.where(codes < 0, len(cats), codes)
        w = np.ones(len(slot)) if weights is None else weights
        table = np.column_stack([
            np.bincount(slot, weights=w * (label == 0), minlength=n),
            np.bincount(slot, weights=w * (label == 1), minlength=n),
        ])
        if weights is None:
            table = np.rint(table).astype(np.int64)
        categorical_counts.append((cats, table))
    return numeric_counts, categorical_counts, extents


# ---------------------------------------------------------------------------------------------
# Client side
# ---------------------------------------------------------------------------------------------


def _bad_value(surveys: Sequence[Mapping[str, Any]], dtype: Any, name: str,
               bad_value: Any = None) -> object:
    missing = sum(s["y_missing"] for s in surveys)
    if missing:
        raise InputError(
            f"target column {name!r} has {missing} missing value(s); drop or fill those rows first."
        )
    distinct = pd.Series(
        pd.unique(np.concatenate([np.asarray(s["y_values"], dtype=object) for s in surveys])),
        dtype=dtype,
    )
    coded = binary_target(distinct, name=name, bad_value=bad_value)  # on the distinct values
    bad = distinct.to_numpy()[coded == 1]
    return bad[0] if len(bad) else _NO_BAD


class _NoBad:
    """The bad value of a target with one value, none of it bad: equal to nothing."""

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__


_NO_BAD = _NoBad()


def _merge_categories(
    parts: Sequence[tuple[tuple[str, ...], np.ndarray]],
) -> tuple[tuple[str, ...], np.ndarray]:
    """Summed per-category counts, categories sorted as text, the missing row last."""
    totals: dict[str, np.ndarray] = {}
    missing = None
    for cats, table in parts:
        missing = table[-1].copy() if missing is None else missing + table[-1]
        for cat, row in zip(cats, table[:-1]):
            totals[cat] = row.copy() if cat not in totals else totals[cat] + row
    categories = tuple(sorted(totals))
    rows = [totals[c] for c in categories] + [missing]
    return categories, np.vstack(rows)


def _quantile_edges(
    values: Sequence[np.ndarray], n_prebins: int
) -> np.ndarray:
    sample = np.concatenate(values) if values else np.zeros(0)
    return engine.quantile_edges(
        sample, n_prebins, sample_size=max(sample.size, 1), seed=SEED
    )


class Batches(Protocol):
    """Rows in batches: feature names and dtypes up front, then `map` over the batches."""

    names: list[str]  # the feature columns, as text
    named: bool  # every feature column name was a str
    meta: pd.DataFrame  # no rows; the features' dtypes
    y_dtype: Any
    y_name: str
    bad_value: Any  # the target value meaning bad, or None for the in-memory rule

    def map(self, func: Callable[..., Any], *, target: bool, **kwargs: Any) -> list[Any]:
        """`func(part[, y_part, w_part], partition_index=i, **kwargs)` of every batch, in order
        (`target`: pass the batch's target and weights, w_part None without weights)."""


def fit_batches(process, batches: Batches):  # noqa: ANN001, ANN201
    """Fit `process` (a BinningProcess) on `batches`; see the module docstring."""
    names, named = batches.names, batches.named
    require_features(names, 0)
    criteria, limit = check_selection(process.selection)
    columns = names if process.columns is None else [str(c) for c in process.columns]
    unknown = [c for c in columns if c not in names]
    if unknown:
        raise InputError(
            f"column {', '.join(map(repr, unknown))} not found; available columns: "
            f"{', '.join(names[:20])}."
        )
    if len(set(columns)) != len(columns):
        raise InputError("columns lists a column twice.")
    params = process._column_params(names, columns)
    meta = batches.meta
    kinds = {c: resolve_kind(meta[c], params[c]["dtype"]) for c in columns}
    numeric = [c for c in columns if kinds[c] == NUMERIC]
    categorical = [c for c in columns if kinds[c] == CATEGORICAL]
    for c in numeric:
        if params[c]["prebinning"] == "stumps" and params[c]["user_splits"] is None:
            raise InputError(
                f"column {c!r}: prebinning='stumps' needs the rows in memory; on a Dask "
                "DataFrame or a file read in chunks use prebinning='quantile' or user_splits."
            )
    for c in categorical:
        if params[c]["user_splits"] is not None:
            raise InputError(
                f"column {c!r}: user_splits applies to numeric characteristics; this one is "
                "categorical."
            )
    specials = [numeric_specials(params[c]["special_values"], c) for c in numeric]
    y_name = batches.y_name

    surveys = batches.map(_survey, target=True, numeric=numeric, specials=specials)
    if sum(s["y_rows"] for s in surveys) != sum(s["rows"] for s in surveys):
        raise InputError("y has a different number of rows than X; take both from one frame.")
    if not sum(s["rows"] for s in surveys):
        raise InputError(f"target column {y_name!r} is empty: there are no rows to learn from.")
    bad = _bad_value(surveys, batches.y_dtype, y_name, batches.bad_value)
    infinite = np.any([s["infinite"] for s in surveys], axis=0) if numeric else []
    if np.any(infinite):
        warn_infinite([c for c, inf in zip(numeric, infinite) if inf])

    edges: list[np.ndarray | None] = [None] * len(numeric)
    take = np.zeros((len(surveys), len(numeric)), dtype=np.int64)
    for j, c in enumerate(numeric):
        if params[c]["user_splits"] is not None:
            edges[j] = np.asarray(params[c]["user_splits"], dtype=np.float64)
            continue
        valid = np.asarray([s["valid"][j] for s in surveys])
        take[:, j] = -1 if valid.sum() <= SAMPLE_SIZE else sample_allocation(
            valid, SAMPLE_SIZE, SEED + j
        )
    quantile = [j for j, e in enumerate(edges) if e is None]
    if quantile:
        values = batches.map(
            _prebin_values, target=False, numeric=[numeric[j] for j in quantile],
            specials=[specials[j] for j in quantile], take=take[:, quantile], seed=SEED,
        )
        for k, j in enumerate(quantile):
            edges[j] = _quantile_edges(
                [v[k] for v in values], int(params[numeric[j]]["max_n_prebins"])
            )

    moved = [j for j in quantile if len(edges[j])]
    results = batches.map(
        _counts, target=True, numeric=numeric, edges=edges, specials=specials,
        categorical=categorical, bad=bad, moved=moved,
    )
    for k, j in enumerate(moved):
        lows = np.minimum.reduce([r[2][k][0] for r in results])
        highs = np.maximum.reduce([r[2][k][1] for r in results])
        edges[j] = separate_by_extent(edges[j], lows, highs)
    binners: dict[str, Any] = {}
    with engine_threads(process.n_jobs) as n_threads:
        if numeric:
            counts = [sum(r[0][j] for r in results) for j in range(len(numeric))]
            binners.update(
                process._numeric_binners(numeric, params, edges, counts, specials, n_threads)
            )
        if categorical:
            merged = [_merge_categories([r[1][j] for r in results])
                      for j in range(len(categorical))]
            binners.update(process._categorical_binners(
                categorical, params, [m[0] for m in merged], [m[1] for m in merged]
            ))
    return process._set_fitted(names, named, columns, binners, criteria, limit)


def transform_part(part, *, columns, tables, metric):  # noqa: ANN001, ANN202
    """One batch's selected columns as `metric` (a DataFrame on the batch's index)."""
    out, _ = transform_frame(part, columns, tables, metric)
    return pd.DataFrame(out, index=part.index, columns=list(columns))


def selected_tables(process, available: Sequence[object]) -> tuple[list[str], list[Any]]:  # noqa: ANN001
    """The fitted process's selected columns and their binning tables; InputError naming any
    selected column not among `available` (the columns of the frame to transform)."""
    columns = list(process.selected_)
    missing = [c for c in columns if c not in set(available)]
    if missing:
        raise InputError(
            f"column {', '.join(map(repr, missing))} not found; available columns: "
            f"{', '.join(map(str, list(available)[:20]))}."
        )
    return columns, [process.binning_tables_[c] for c in columns]
