"""Transform: map characteristics to their bins' WoE, bin index or label with fitted tables.

Numeric columns go through one fused, parallel engine pass (`engine.mapping.map_numeric`);
categorical ones are coded against the fitted categories (unseen ones follow the table's
``unseen`` policy) and mapped in one more pass. Shared by OptimalBinner and BinningProcess.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scorecard.binning._columns import numeric_matrix
from scorecard.binning.table import UNSEEN_LABEL, BinningTable
from scorecard.engine.mapping import map_codes, map_numeric
from scorecard.exceptions import InputError
from scorecard.options import CATEGORICAL, METRICS, NUMERIC
from scorecard.validation import category_text_codes

__all__ = ["check_metric", "transform_frame"]


def check_metric(metric: object) -> None:
    if metric not in METRICS:
        raise InputError(f"metric={metric!r} must be one of {', '.join(map(repr, METRICS))}.")


def bin_values(table: BinningTable, metric: str) -> np.ndarray:
    """Per-bin output for the map kernels; categorical tables get one extra 'Unseen' slot."""
    n = table.n_bins
    if metric == "woe":
        values = table.transform_woe
        extra = 0.0
    else:
        values = np.arange(n, dtype=np.float64)
        extra = -1.0 if metric == "bin" else float(n)
    if table.dtype == CATEGORICAL:
        values = np.append(values, extra)
    return np.ascontiguousarray(values, dtype=np.float64)


def category_codes_for(
    table: BinningTable, series: pd.Series
) -> tuple[np.ndarray, np.ndarray, int]:
    """Codes of `series` against the fitted categories, the code -> bin map and the unseen count.

    Code -1 is missing, codes 0..n-1 the fitted categories (in `table.categories` order), and
    code n every unseen category; the map sends it to the unseen bin (or the extra 'Unseen'
    slot for unseen="zero").
    """
    fitted = list(table.categories or {})
    codes, uniques = category_text_codes(series)
    n = len(fitted)
    lookup = pd.Index(fitted, dtype=object).get_indexer(uniques)
    unseen_uniques = lookup < 0
    n_unseen = 0
    if unseen_uniques.any():
        lookup = np.where(unseen_uniques, n, lookup)
        unseen_rows = np.isin(codes, np.flatnonzero(unseen_uniques))
        n_unseen = int(unseen_rows.sum())
        if table.unseen == "error":
            examples = [str(u) for u in np.asarray(uniques, dtype=object)[unseen_uniques][:5]]
            raise InputError(
                f"column {table.name!r} has {n_unseen} row(s) with categories not seen in fit "
                f"(e.g. {', '.join(map(repr, examples))}); refit, or choose unseen='missing', "
                "'other' or 'zero'."
            )
    mapped = np.where(codes < 0, -1, lookup[np.maximum(codes, 0)] if lookup.size else -1)
    code_to_bin = np.empty(n + 1, dtype=np.int64)
    code_to_bin[:n] = list(table.categories.values()) if n else []
    code_to_bin[n] = table.unseen_bin if table.unseen_bin >= 0 else table.n_bins
    return mapped.astype(np.int64), code_to_bin, n_unseen


def map_numeric_tables(
    matrix: np.ndarray, tables: Sequence[BinningTable], metric: str
) -> np.ndarray:
    """Per-bin values (see `finish_metric`) of numeric columns, one fused pass: (n, f) float64."""
    return map_numeric(
        matrix, [t.splits for t in tables], [bin_values(t, metric) for t in tables],
        [t.special_values for t in tables],
    )


def map_categorical_tables(
    columns: Sequence[pd.Series], tables: Sequence[BinningTable], metric: str
) -> tuple[np.ndarray, list[int]]:
    """Per-bin values of categorical columns in one pass, and the unseen count per column."""
    n_rows = len(columns[0])
    codes = np.empty((n_rows, len(tables)), dtype=np.int64, order="F")
    maps, unseen = [], []
    for j, (table, series) in enumerate(zip(tables, columns)):
        codes[:, j], code_map, n_unseen = category_codes_for(table, series)
        maps.append(code_map)
        unseen.append(n_unseen)
    out = map_codes(
        codes, maps, [t.missing_bin for t in tables], [bin_values(t, metric) for t in tables]
    )
    return out, unseen


def finish_metric(out: np.ndarray, tables: Sequence[BinningTable], metric: str) -> np.ndarray:
    """The mapped values as the metric's output: WoE float64, bin int64, or label object."""
    if metric == "bin":
        return out.astype(np.int64)
    if metric == "label":
        labelled = np.empty(out.shape, dtype=object)
        for f, table in enumerate(tables):
            names = np.asarray([*table.labels, UNSEEN_LABEL], dtype=object)
            labelled[:, f] = names[out[:, f].astype(np.int64)]
        return labelled
    return out


def transform_frame(
    frame: pd.DataFrame, columns: Sequence[str], tables: Sequence[BinningTable], metric: str
) -> tuple[np.ndarray, list[int]]:
    """Transform `columns` of `frame` with their `tables`: (n_rows, n_columns) output as the
    metric asks (see `finish_metric`), and the unseen-category row count per column."""
    numeric = [j for j, t in enumerate(tables) if t.dtype == NUMERIC]
    categorical = [j for j, t in enumerate(tables) if t.dtype == CATEGORICAL]
    unseen = [0] * len(tables)
    numeric_out = categorical_out = None
    if numeric:
        matrix = numeric_matrix(frame, [columns[j] for j in numeric], fitted=True)
        numeric_out = map_numeric_tables(matrix, [tables[j] for j in numeric], metric)
    if categorical:
        categorical_out, counts = map_categorical_tables(
            [frame[columns[j]] for j in categorical], [tables[j] for j in categorical], metric
        )
        for j, n_unseen in zip(categorical, counts):
            unseen[j] = n_unseen
    if numeric_out is not None and not categorical:
        out = numeric_out
    elif categorical_out is not None and not numeric:
        out = categorical_out
    else:
        out = np.empty((len(frame), len(tables)), dtype=np.float64, order="F")
        if numeric_out is not None:
            out[:, numeric] = numeric_out
        if categorical_out is not None:
            out[:, categorical] = categorical_out
    return finish_metric(out, tables, metric), unseen
