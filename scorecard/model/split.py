"""Training and hold-out rows: one split, stratified by the target, shared by `scorecard fit
--holdout` and the fairness front (the same seed gives both the same rows)."""

from __future__ import annotations

import numpy as np

from scorecard.exceptions import InputError

__all__ = ["split_rows"]


def split_rows(label: np.ndarray, holdout: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (training, hold-out) row positions; holdout=0 gives every row to both."""
    n = len(label)
    if not 0 <= holdout < 1:
        raise InputError(f"holdout={holdout!r} must be in [0, 1): the share of rows held out.")
    rows = np.arange(n)
    if holdout == 0:
        return rows, rows
    from sklearn.model_selection import train_test_split

    try:
        train, test = train_test_split(rows, test_size=holdout, random_state=seed, stratify=label)
    except ValueError as exc:  # too few rows of a class for the share asked
        raise InputError(f"cannot hold out {holdout:g} of {n} rows stratified by the target: "
                         f"{exc}; use a larger share or more data.") from None
    return np.sort(train), np.sort(test)
