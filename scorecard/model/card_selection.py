"""Which of the binning's characteristics enter the card, and the record of every drop.

`fit_selected` runs the card's selection (`scorecard.model.selection`) on the binning's
selected characteristics, fits the encoding on the kept ones and, for a sign-constrained woe-lr,
drops those whose coefficient the constraint holds at 0 and refits (dropping a coefficient held
at its bound leaves the constrained optimum unchanged). The record lists the options, the kept
characteristics and, for each dropped one, the step ("binning", "iv", "correlation",
"stepwise", "sign") and the reason.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from scorecard.binning import BinningProcess
from scorecard.binning.binner import jsonable
from scorecard.exceptions import InputError
from scorecard.model.encodings import EncodingFit, woe_columns
from scorecard.model.layout import BinLayout
from scorecard.model.selection import STEPWISE, select_characteristics

__all__ = ["SIGN_REASON", "STEPWISE", "fit_selected"]

SIGN_REASON = ("the sign constraint holds its coefficient at 0 (given the others, a higher WoE "
               "would raise the predicted risk): no points")


def _binning_drops(process: BinningProcess, names: Sequence[str]) -> list[dict]:
    dropped = []
    for c in process.columns_:
        if c in names:
            continue
        table = process.binning_tables_[c]
        reason = ("fewer than two non-empty bins" if table.n_nonempty_bins < 2 else
                  f"outside the BinningProcess selection {jsonable(process.selection)}")
        dropped.append({"name": c, "step": "binning", "reason": reason})
    return dropped


def fit_selected(
    process: BinningProcess,
    layouts: list[BinLayout],
    bins: np.ndarray,
    label: np.ndarray,
    weights: np.ndarray | None,
    fit: Callable[..., EncodingFit],
    *,
    params: Mapping[str, Any],
) -> tuple[list[BinLayout], np.ndarray, EncodingFit, dict[str, Any]]:
    """Select, fit `fit(layouts, bins, label, weights)`; return the kept layouts, their bin
    columns, the fitted encoding (its model section holds the record) and the selection record.
    `params`: the Scorecard's parameters (encoding, sign_constrained, C and the selection's)."""
    min_iv_ci_low, max_correlation = params["min_iv_ci_low"], params["max_correlation"]
    stepwise, holdout, random_state = params["stepwise"], params["holdout"], params["random_state"]
    drop_held = params["encoding"] == "woe-lr" and bool(params["sign_constrained"])
    names = [lay.name for lay in layouts]
    dropped = _binning_drops(process, names)
    options: dict[str, Any] = {"min_iv_ci_low": min_iv_ci_low,
                               "max_correlation": max_correlation, "stepwise": stepwise}
    if stepwise == "auc":
        options.update(holdout=holdout, random_state=random_state)
    path: list[dict] = []
    if any(v is not None for v in options.values()):
        _, design = woe_columns(layouts, bins)
        results = [lay.table.iv_result for lay in layouts]
        chosen = select_characteristics(
            design, label, names, [r.value for r in results], [r.ci[0] for r in results],
            weights=weights, min_iv_ci_low=min_iv_ci_low, max_correlation=max_correlation,
            stepwise=stepwise, C=float(params["C"]), holdout=holdout,
            random_state=int(random_state),
        )
        if not chosen.kept:
            raise InputError(
                "characteristic selection dropped every characteristic ("
                + "; ".join(f"{d['name']}: {d['reason']}" for d in chosen.dropped[:5])
                + "); relax min_iv_ci_low, max_correlation or stepwise."
            )
        dropped += chosen.dropped
        path = chosen.stepwise_path
        keep = [names.index(n) for n in chosen.kept]
        layouts, bins = [layouts[c] for c in keep], bins[:, keep]
    fitted = fit(layouts, bins, label, weights)
    held = [c for c in range(len(layouts)) if drop_held and fitted.coef[c] == 0]
    if held and len(held) < len(layouts):
        dropped += [{"name": layouts[c].name, "step": "sign", "reason": SIGN_REASON}
                    for c in held]
        keep = [c for c in range(len(layouts)) if c not in held]
        layouts, bins = [layouts[c] for c in keep], bins[:, keep]
        fitted = fit(layouts, bins, label, weights)
    record = {"options": options, "kept": [lay.name for lay in layouts], "dropped": dropped,
              "stepwise_path": path}
    fitted.model["selection"] = copy.deepcopy(record)
    return layouts, bins, fitted, record
