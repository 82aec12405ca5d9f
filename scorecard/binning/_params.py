"""OptimalBinner parameters: their validation and their JSON form."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from scorecard.exceptions import InputError, SpecError
from scorecard.options import DTYPES, PREBINNINGS, TRENDS, UNSEEN_POLICIES
from scorecard.parameters import Choice, Integral, Interval, Real, check_params

__all__ = ["BINNER_CONSTRAINTS", "check_binner_params", "jsonable", "upgrade_params"]


BINNER_CONSTRAINTS = {
    "dtype": [Choice(DTYPES)],
    "prebinning": [Choice(PREBINNINGS)],
    "max_n_prebins": [Interval(Integral, 2, None, closed="left")],
    "n_rounds": [Interval(Integral, 1, None, closed="left")],
    "monotonic_trend": [Choice(TRENDS)],
    "min_bin_size": [Interval(Real, 0, 1, closed="both")],
    "min_goods": [Interval(Real, 0, None, closed="left")],
    "min_bads": [Interval(Real, 0, None, closed="left")],
    "max_n_bins": [Interval(Integral, 1, None, closed="left"), None],
    "max_pvalue": [Interval(Real, 0, 1, closed="right"), None],
    "special_values": ["array-like", None],
    "cat_min_expected": [Interval(Real, 0, None, closed="left")],
    "unseen": [Choice(UNSEEN_POLICIES)],
    "user_splits": ["array-like", None],
    "user_splits_fixed": ["boolean"],
    "level": [Interval(Real, 0, 1, closed="neither")],
    "name": [str, None],
}
"""OptimalBinner's parameter constraints (scikit-learn's convention, `scorecard.parameters`)."""


def check_binner_params(params: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Validated OptimalBinner parameters, special values and user splits normalised;
    InputError messages start with `where`."""
    check_params(params, BINNER_CONSTRAINTS, where)
    p = dict(params)
    specials = tuple(v.item() if isinstance(v, np.generic) else v for v in p["special_values"] or ())
    if len(set(map(str, specials))) != len(specials):
        raise InputError(f"{where}: special_values={list(specials)!r} lists a value twice.")
    p["special_values"] = specials
    if p["user_splits"] is not None:
        try:
            splits = np.asarray(p["user_splits"], dtype=np.float64)
        except (TypeError, ValueError):
            splits = None
        if splits is None or splits.ndim != 1 or not np.all(np.isfinite(splits)):
            raise InputError(
                f"{where}: user_splits={p['user_splits']!r} must be a list of finite numbers "
                "(interior edges of numeric bins)."
            )
        p["user_splits"] = np.unique(splits)
    elif p["user_splits_fixed"]:
        raise InputError(f"{where}: user_splits_fixed=True needs user_splits.")
    return p


def jsonable(value: Any) -> Any:
    """Parameters as plain JSON values: tuples and arrays to lists, numpy scalars to Python."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        raise SpecError(f"cannot store the non-finite parameter value {value!r} in JSON.")
    return value



def upgrade_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters of a saved OptimalBinner / BinningProcess document in today's names.

    ``cat_min_share`` (a share of the rows; it pooled every level of a 200-level column at any
    size) became ``cat_min_expected``: 0 (no pooling) stays 0, any other share takes the
    default count rule. Only a refit sees the change: a loaded document transforms with its
    stored tables, whose ``constraints`` still record the share they were fitted with.
    """
    if not isinstance(params, Mapping):
        raise SpecError(f"params must be an object, got {type(params).__name__}.")
    out = dict(params)
    if "cat_min_share" in out:
        share = out.pop("cat_min_share")
        if share == 0:
            out.setdefault("cat_min_expected", 0.0)
    if isinstance(out.get("binner_params"), Mapping):
        out["binner_params"] = {
            column: upgrade_params(own) if isinstance(own, Mapping) else own
            for column, own in out["binner_params"].items()
        }
    return out
