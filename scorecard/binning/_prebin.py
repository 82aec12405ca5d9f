"""Candidate split points of one characteristic from gradient-boosted stumps (XGBoost).

The framework paper pre-bins with depth-1 boosted trees: each round fits the residual of the
previous rounds with one split, so the distinct thresholds of many rounds are the cut points
where the event rate changes most. These candidate edges are then merged optimally
(`scorecard.binning._solver.optimal_merge`).
"""

from __future__ import annotations

import json

import numpy as np

from scorecard.exceptions import InputError
from scorecard.validation import binary_target, check_weights


def stump_split_candidates(
    x: object,
    y: object,
    *,
    sample_weight: object = None,
    n_rounds: int = 50,
    min_child_weight: float = 1.0,
    max_bin: int = 256,
    seed: int = 0,
) -> np.ndarray:
    """Sorted unique bin edges where boosted stumps on `x` alone split; empty if none.

    A bin is [e_i, e_{i+1}): XGBoost sends x < threshold left, and each returned edge is the
    smallest training value of `x` that XGBoost sends right, so the edges split the training
    rows exactly as the booster does (its thresholds are float32). Missing values (NaN) are
    allowed; XGBoost routes them itself and they never create an edge.

    min_child_weight bounds the hessian on each side of every stump. For logistic loss a row's
    hessian is w * p * (1 - p) at the current prediction p (about the event rate, at most 0.25),
    so each side holds at least about min_child_weight / (rate * (1 - rate)) rows (at least
    4 * min_child_weight). It bounds the sides of each split, not the gap between edges from
    different rounds: the final bin size is the merge's min_bin_size.
    """
    values = np.asarray(x)
    if values.ndim != 1:
        raise InputError(f"x must be one characteristic (1-D); got shape {values.shape}.")
    try:
        values = values.astype(np.float64)
    except (TypeError, ValueError) as error:
        raise InputError(f"x must be numeric for stump pre-binning; got {values.dtype}.") from error
    if np.any(np.isinf(values)):
        raise InputError(
            "x contains infinite values; declare them as special values or set them to NaN first."
        )
    if isinstance(n_rounds, bool) or int(n_rounds) != n_rounds or n_rounds < 1:
        raise InputError(f"n_rounds={n_rounds!r} must be an integer >= 1.")
    if isinstance(max_bin, bool) or int(max_bin) != max_bin or max_bin < 2:
        raise InputError(f"max_bin={max_bin!r} must be an integer >= 2.")
    if not (np.isfinite(min_child_weight) and min_child_weight >= 0):
        raise InputError(f"min_child_weight={min_child_weight!r} must be a finite number >= 0.")
    target = binary_target(y, name="y")
    if target.shape[0] != values.shape[0]:
        raise InputError(f"x has {values.shape[0]} rows but y has {target.shape[0]}.")
    weights = check_weights(sample_weight, values.shape[0])

    observed = np.unique(values[~np.isnan(values)])
    if observed.shape[0] < 2:
        return np.zeros(0, dtype=np.float64)

    from xgboost import XGBClassifier  # heavy import, only needed here

    model = XGBClassifier(
        max_depth=1,
        n_estimators=int(n_rounds),
        tree_method="hist",
        max_bin=int(max_bin),
        min_child_weight=float(min_child_weight),
        random_state=int(seed),
        n_jobs=1,
    )
    model.fit(values.reshape(-1, 1), target, sample_weight=weights)
    thresholds = _split_thresholds(model.get_booster().save_raw("json"))
    if thresholds.shape[0] == 0:
        return np.zeros(0, dtype=np.float64)

    # XGBoost compares float32(x) < threshold; float32 rounding is monotone, so the first observed
    # value whose float32 is >= the threshold reproduces its routing in float64.
    position = np.searchsorted(observed.astype(np.float32), thresholds, side="left")
    edges = np.where(
        position < observed.shape[0],
        observed[np.minimum(position, observed.shape[0] - 1)],
        thresholds.astype(np.float64),
    )
    return np.unique(edges)


def _split_thresholds(raw_model: bytes | bytearray) -> np.ndarray:
    """Distinct float32 thresholds of all split nodes in an XGBoost JSON model."""
    model = json.loads(bytes(raw_model))
    thresholds: list[float] = []
    for tree in model["learner"]["gradient_booster"]["model"]["trees"]:
        for left, condition in zip(tree["left_children"], tree["split_conditions"]):
            if left != -1:
                thresholds.append(condition)
    return np.unique(np.asarray(thresholds, dtype=np.float32))
