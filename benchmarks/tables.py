"""The benchmarks' credit table: numeric and text categorical characteristics, as read from CSV.

`credit_table(rows)` is scorecard.datasets.make_wide(rows, 26, seed) with its last five columns
cut into text categories of 5, 20, 50, 100 and 200 levels (object dtype, None for missing, as
pandas reads a CSV file), so the categories keep the signal of the numbers they came from:
21 numeric + 5 categorical characteristics, about 3% missing each, 15% bad rate. 1% of x0 is
the special value -999 (`SPECIAL_VALUES`: "no record"), with a bad rate of its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LEVELS = (5, 20, 50, 100, 200)
SPECIAL_VALUES = {"x0": [-999.0]}


def credit_table(rows: int, *, n_numeric: int = 21, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """(frame, y): n_numeric float64 columns x0.. and len(LEVELS) object text columns c0.."""
    from scorecard.datasets import make_wide

    X, y = make_wide(rows, n_numeric + len(LEVELS), seed=seed)
    columns: dict[str, object] = {f"x{j}": X[:, j] for j in range(n_numeric)}
    rng = np.random.default_rng(seed)
    special = rng.random(rows) < 0.01
    columns["x0"] = np.where(special, SPECIAL_VALUES["x0"][0], X[:, 0])
    for k, levels in enumerate(LEVELS):
        x = X[:, n_numeric + k]
        ranks = np.argsort(np.argsort(np.nan_to_num(x, nan=np.inf), kind="stable"), kind="stable")
        codes = (ranks * levels) // len(x)
        # Shuffle the level names, so text order is not the numbers' order.
        names = np.array([f"L{i:03d}" for i in rng.permutation(levels)], dtype=object)
        text = names[codes]
        text[np.isnan(x)] = None
        columns[f"c{k}"] = text
    return pd.DataFrame(columns), y
