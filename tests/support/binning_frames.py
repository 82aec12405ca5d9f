"""A frame exercising every binning path (NaN, specials, inf, a rare category, an int
categorical, 1/2 target coding, sorted by target), shared by the Dask and file tests."""

import json

import numpy as np
import pandas as pd

from scorecard.binning import BinningProcess


def sample_frame(n: int = 12_000, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    frame = pd.DataFrame({
        "a": a,
        "b": rng.integers(0, 40, n).astype(float),
        # "rare": about 6 rows, 2.4 expected bads (under the 5 that keep a category apart)
        "c": rng.choice(["x", "y", "z", "w", "rare"], n, p=[0.3, 0.3, 0.2, 0.1995, 0.0005]),
        "d": rng.exponential(size=n),
        "i": rng.integers(0, 5, n),
    })
    frame.loc[::17, "a"] = np.nan
    frame.loc[::23, "b"] = -999.0
    frame.loc[::31, "c"] = None
    frame.loc[::7, "d"] = np.inf
    logit = 1.5 * np.nan_to_num(a) + 0.8 * (frame["c"] == "x") + 0.3 * frame["i"] - 1.5
    bad = rng.random(n) < 1 / (1 + np.exp(-logit))
    frame["bad"] = np.where(bad, 2, 1)  # 1/2 coding: which value is bad is decided globally
    # sorted by target, so some partitions hold one class only
    return frame.sort_values("bad", kind="stable").reset_index(drop=True)


def tables_json(process: BinningProcess) -> dict:
    return {c: json.dumps(t.to_dict(), sort_keys=True) for c, t in process.binning_tables_.items()}


PARAMS = dict(
    max_n_prebins=40, special_values={"b": [-999.0]}, categorical=["i"],
    selection={"iv": {"min": 0.01}}, binner_params={"d": {"user_splits": [0.5, 1.0, 2.0]}},
)
