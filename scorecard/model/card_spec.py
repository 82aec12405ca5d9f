"""The spec of a fitted scorecard: its bins with points, the scaling, the model's terms.

Written once by `Scorecard.fit` (then sealed with the training section); everything deployed is
generated from it (`scorecard.model.spec`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import numpy as np

from scorecard import __version__, stats
from scorecard.exceptions import InputError
from scorecard.model.encodings import EncodingFit
from scorecard.model.layout import BinLayout
from scorecard.model.scaling import CardPoints, PointsScaling

__all__ = ["EMPTY_BINS", "card_spec", "require_score_spread"]

EMPTY_BINS = "bins without training rows get contribution 0 to the log-odds (neutral points)"


def card_spec(
    layouts: Sequence[BinLayout],
    card: CardPoints,
    scaling: PointsScaling,
    fitted: EncodingFit,
    *,
    target: Mapping[str, Any],
    encoding: str,
    name: str,
    rounding_error: Mapping[str, float],
    n_reason_codes: int,
    binning_params: Mapping[str, Any],
) -> dict:
    """The unsealed spec (schema_version 1) of a card; its training section is filled in later."""
    contributions = fitted.contributions
    characteristics = [lay.spec(card.exact[c], card.points[c]) for c, lay in
                       enumerate(layouts)]
    model = {
        **fitted.model,
        "intercept": float(fitted.intercept),
        "log_odds": "log-odds of bad = intercept + sum over characteristics of the row's "
                    "bin contribution",
        "contributions": {
            lay.name: lay.in_spec_order(contributions[c]) for c, lay in enumerate(layouts)
        },
        "unseen_contributions": {
            lay.name: float(contributions[c][-1])
            for c, lay in enumerate(layouts) if lay.categorical
        },
        "empty_bins": EMPTY_BINS,
        "points_shift": {lay.name: card.shift[c] for c, lay in enumerate(layouts)},
        "intercept_points_exact": card.intercept_exact,
        "unseen_points_exact": {
            lay.name: float(card.exact[c][-1]) for c, lay in enumerate(layouts)
            if lay.categorical
        },
        "rounding": "each bin's exact points and the intercept rounded half up",
        "rounding_error": {**rounding_error, "rows": "training, before clipping"},
        "reason_codes": n_reason_codes,
        "binning": {
            "params": dict(binning_params),
            "iv": {lay.name: float(lay.table.iv) for lay in layouts},
        },
    }
    return {
        "schema_version": 1,
        "kind": "scorecard",
        "package_version": __version__,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "name": name,
        "target": dict(target),
        "encoding": encoding,
        "conventions": {
            "woe": "ln(share of goods / share of bads)",
            "woe_sign": stats.WOE_SIGN,
            "smoothing_alpha_default": stats.DEFAULT_ALPHA,
            "score": "higher score = lower risk",
            "numeric_bins": "[lower, upper): value < edge goes left; NaN -> missing bin; "
                            "special values matched exactly before edges",
            "empty_bins": EMPTY_BINS,
        },
        "scaling": scaling.to_dict(),
        "intercept_points": card.intercept_points,
        "characteristics": characteristics,
        "model": model,
        "training": {"n_rows": 0},
    }


def require_score_spread(score: np.ndarray) -> None:
    """Refuse a card whose training rows all get one score: no characteristic carries signal."""
    if score.size and score.min() == score.max():
        raise InputError(
            f"every training row gets the same score ({int(score[0])}): no "
            "characteristic carries information the model can use (their points all round "
            "to the same value). Weaken the regularisation (larger C, --C), spread the "
            "points (larger pdo, --pdo), or add rows or characteristics with signal."
        )
