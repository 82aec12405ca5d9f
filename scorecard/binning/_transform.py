"""Transform: map characteristics to their bins' WoE, bin index or label with fitted tables.

Every column is written straight into one preallocated output: numeric ones by the engine's
parallel map kernel (`engine.mapping.map_numeric`) over the frame's own column buffer,
categorical ones through integer codes of their distinct values (unseen ones follow the table's
``unseen`` policy), never row by row as text. Shared by OptimalBinner and BinningProcess.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scorecard.binning._columns import numeric_values
from scorecard.binning.table import UNSEEN_LABEL, BinningTable
from scorecard.engine.mapping import map_numeric
from scorecard.exceptions import InputError
from scorecard.options import CATEGORICAL, METRICS, NUMERIC
from scorecard.engine.text import code_arrow
from scorecard.validation import arrow_text, category_text_codes, coding_once_active

__all__ = ["check_metric", "transform_frame"]


def check_metric(metric: object) -> None:
    if metric not in METRICS:
        raise InputError(f"metric={metric!r} must be one of {', '.join(map(repr, METRICS))}.")


def bin_values(table: BinningTable, metric: str) -> np.ndarray:
    """Per-bin output for the map kernels (float64 WoE, int64 bin indices for "bin" and
    "label"); categorical tables get one extra 'Unseen' slot."""
    n = table.n_bins
    if metric == "woe":
        values = table.transform_woe
        extra = 0.0
    else:
        values = np.arange(n, dtype=np.int64)
        extra = -1 if metric == "bin" else n
    if table.dtype == CATEGORICAL:
        values = np.append(values, extra)
    return np.ascontiguousarray(values, dtype=np.float64 if metric == "woe" else np.int64)


def categorical_values(
    table: BinningTable, series: pd.Series, values: np.ndarray, out: np.ndarray
) -> int:
    """Write ``values[bin]`` of every row of a categorical column into `out` (1-D, values' dtype);
    return the number of rows with a category not seen in fit.

    The column is coded once (`category_text_codes`: the text rule on its distinct values only;
    pyarrow-backed text straight from its buffers by `engine.text.code_arrow`); each distinct
    value is looked up among the fitted categories, and the rows then take their value in one
    pass. Unseen categories go to the table's unseen bin (or the extra slot of
    `bin_values` for unseen="zero"); missing to the missing bin.
    """
    arrow = None if coding_once_active() else arrow_text(series)
    if arrow is not None:  # Arrow text: rows mapped straight from the buffers, no codes array
        coded = code_arrow(arrow)
        uniques = coded.uniques.to_numpy(zero_copy_only=False)  # text rule: strings as they are
    else:
        codes, uniques = category_text_codes(series)
    fitted = table.categories or {}
    found = pd.Index(list(fitted), dtype=object).get_indexer(uniques)
    unseen_bin = table.unseen_bin if table.unseen_bin >= 0 else table.n_bins
    bin_of = np.array([*fitted.values(), unseen_bin], dtype=np.int64)
    per_code = values[bin_of[found]]
    if arrow is not None:
        coded.take(per_code, values[table.missing_bin], out=out)
    else:  # one value per distinct category, then missing (code -1 wraps to the last entry)
        np.take(np.append(per_code, values[table.missing_bin]), codes, out=out, mode="wrap")
    unseen = found < 0
    if not unseen.any():
        return 0
    if arrow is not None:
        n_unseen = int(coded.counts[unseen].sum())
    else:
        n_unseen = int(np.count_nonzero(np.isin(codes, np.flatnonzero(unseen))))
    if table.unseen == "error":
        examples = [str(u) for u in np.asarray(uniques, dtype=object)[unseen][:5]]
        raise InputError(
            f"column {table.name!r} has {n_unseen} row(s) with categories not seen in fit "
            f"(e.g. {', '.join(map(repr, examples))}); refit, or choose unseen='missing', "
            "'other' or 'zero'."
        )
    return n_unseen


def finish_metric(out: np.ndarray, tables: Sequence[BinningTable], metric: str) -> np.ndarray:
    """The mapped values as the metric's output: WoE float64, bin int64, or label object."""
    if metric == "label":
        labelled = np.empty(out.shape, dtype=object)
        for f, table in enumerate(tables):
            names = np.asarray([*table.labels, UNSEEN_LABEL], dtype=object)
            labelled[:, f] = names[out[:, f]]
        return labelled
    return out


def transform_frame(
    frame: pd.DataFrame, columns: Sequence[str], tables: Sequence[BinningTable], metric: str
) -> tuple[np.ndarray, list[int]]:
    """Transform `columns` of `frame` with their `tables`: (n_rows, n_columns) output as the
    metric asks (see `finish_metric`), and the unseen-category row count per column.

    Every column is written straight into one preallocated Fortran-ordered array (float64 WoE,
    or int64 bin indices): a numeric column by the engine's map kernel reading the frame's own
    buffer (no matrix copy), a categorical one through the codes of its distinct values.
    """
    dtype = np.float64 if metric == "woe" else np.int64
    out = np.empty((len(frame), len(tables)), dtype=dtype, order="F")
    unseen = [0] * len(tables)
    for j, (name, table) in enumerate(zip(columns, tables)):
        values = bin_values(table, metric)
        if table.dtype == NUMERIC:
            x = numeric_values(frame[name], name, fitted=True)
            map_numeric(x.reshape(-1, 1), [table.splits], [values], [table.special_values],
                        out=out[:, j : j + 1])
        else:
            unseen[j] = categorical_values(table, frame[name], values, out[:, j])
    return finish_metric(out, tables, metric), unseen
