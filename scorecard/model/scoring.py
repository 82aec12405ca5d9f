"""Scoring from a spec alone: each row's bin, integer scores, reason codes, exact scores, metrics.

`bin_indices` is the one place that puts a row into a spec bin; `score_frame` (the reference
scorer every export must reproduce exactly), the exact scores, the reason codes and the
validation metrics are all lookups on its result, so they can never disagree about a bin.

Bin index per characteristic, in spec order: numeric characteristics number their interval
bins, then the missing bin, then one bin per special value; categorical ones their category
bins, then the missing bin, and an unseen category gets ``len(bins)`` (the unseen slot).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from scorecard.exceptions import InputError
from scorecard.model import metrics
from scorecard.model._reasons import top_losses
from scorecard.model.schema import validate_spec
from scorecard.engine.mapping import map_numeric, sum_numeric
from scorecard.validation import binary_target, category_text_codes

__all__ = [
    "bin_indices",
    "evaluate_spec",
    "exact_scores",
    "score_frame",
    "spec_probability_of_default",
]


def _numeric_column(series: pd.Series, name: str) -> np.ndarray:
    dtype = series.dtype
    if dtype == np.float64:
        return series.to_numpy()  # the frame's own buffer, no copy
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    values = series.to_numpy(dtype=object)
    missing = np.asarray(pd.isna(values), dtype=bool)
    out = np.full(values.shape[0], np.nan)
    try:
        out[~missing] = np.asarray(values[~missing], dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        bad = next(
            (v for v in values[~missing] if not _parses_as_float(v)), values[~missing][0]
        )
        raise InputError(
            f"column {name!r} is numeric in the scorecard but holds {bad!r}, which is not a "
            "number; fix or drop those values."
        ) from None
    return out


def _parses_as_float(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return False
    return True


def _categorical_values(series: pd.Series, ch: Mapping[str, Any], per_bin: np.ndarray) -> np.ndarray:
    """per_bin[bin] of every row of a categorical column, the text rule on distinct values only."""
    categories: list[str] = []
    bin_of_category: list[int] = []
    for j, bin_ in enumerate(ch["bins"][:-1]):
        categories.extend(bin_["categories"])
        bin_of_category.extend([j] * len(bin_["categories"]))
    n_bins = len(ch["bins"])
    codes, texts = category_text_codes(series)
    found = pd.Index(categories, dtype=object).get_indexer(texts)  # -1: unseen
    bins = np.array([*bin_of_category, n_bins], dtype=np.int64)[found]
    return np.append(per_bin[bins], per_bin[n_bins - 1])[codes]  # code -1 -> the missing bin


def _mapped(
    spec: Mapping[str, Any], frame: pd.DataFrame, per_bin: Sequence[np.ndarray],
    *, summed: bool = False,
) -> np.ndarray:
    """(rows, characteristics) float64: ``per_bin[c][bin]`` of each row's bin in each
    characteristic of a validated spec (the layout of `bin_indices`); ``summed``: its row sums.

    Numeric characteristics go through one fused engine pass (`engine.mapping`, whose bin layout
    is the spec's); categorical ones through integer codes of their distinct texts.
    """
    characteristics = spec["characteristics"]
    absent = [ch["name"] for ch in characteristics if ch["name"] not in frame.columns]
    if absent:
        raise InputError(
            f"input column(s) {', '.join(map(repr, absent))} needed by the scorecard are missing "
            f"from the data; available columns: {', '.join(map(str, list(frame.columns)[:20]))}."
        )
    for ch in characteristics:
        if isinstance(frame[ch["name"]], pd.DataFrame):
            raise InputError(f"column {ch['name']!r} appears more than once in the data.")
    n_rows = len(frame)
    out = np.zeros(n_rows) if summed else np.empty((n_rows, len(characteristics)), order="F")
    numeric = [c for c, ch in enumerate(characteristics) if ch["dtype"] == "numeric"]
    for c in numeric:  # each column from the frame's buffer, straight into the output
        ch = characteristics[c]
        inputs = (
            _numeric_column(frame[ch["name"]], ch["name"]).reshape(-1, 1),
            [np.asarray(ch["edges"], dtype=np.float64)],
            [np.asarray(per_bin[c], dtype=np.float64)],
            [np.asarray(ch["special_values"], dtype=np.float64)],
        )
        if summed:  # added in characteristic order, as one pass over all of them would
            sum_numeric(*inputs, out=out)
        else:
            map_numeric(*inputs, out=out[:, c : c + 1])
    for c, ch in enumerate(characteristics):
        if ch["dtype"] != "numeric":
            values = _categorical_values(frame[ch["name"]], ch, np.asarray(per_bin[c], float))
            if summed:
                out += values
            else:
                out[:, c] = values
    return out


def _indices(spec: Mapping[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """`bin_indices` of a validated spec."""
    slots = [bin_values(ch, range(len(ch["bins"])), len(ch["bins"])) for ch in spec["characteristics"]]
    return _mapped(spec, frame, slots).astype(np.int64)


def _check_frame(frame: object) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"frame must be a pandas DataFrame, got {type(frame).__name__}.")


def bin_indices(spec: Mapping[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """(rows, characteristics) int64: the index of each row's bin in each characteristic's
    ``bins`` (spec order); an unseen category gets ``len(bins)``.

    Numeric inputs: NaN/None is missing, special values match exactly, otherwise the interval
    bin is the number of edges <= x. Categorical inputs are compared as text.
    """
    validate_spec(spec)
    _check_frame(frame)
    return _indices(spec, frame)


def bin_values(ch: Mapping[str, Any], per_bin: Sequence[float], unseen: float) -> np.ndarray:
    """One value per bin index of `bin_indices`: `per_bin`, plus the unseen slot if categorical."""
    values = list(per_bin)
    if ch["dtype"] == "categorical":
        values.append(unseen)
    return np.asarray(values)


def _integer_points(ch: Mapping[str, Any]) -> np.ndarray:
    return bin_values(ch, [b["points"] for b in ch["bins"]], ch.get("unseen_points", 0)).astype(
        np.int64
    )


def score_frame(
    spec: Mapping[str, Any], frame: pd.DataFrame, *, reason_codes: int = 0
) -> pd.DataFrame:
    """Score every row: the reference implementation every export must reproduce exactly.

    Returns a frame on ``frame``'s index with ``score`` (int64) and, when ``reason_codes`` = k > 0,
    ``reason_1`` .. ``reason_k``: the characteristics that cost the row most points relative to
    their best bin (ties in characteristic order; None where fewer than k lose points).
    Rows are put into bins by `bin_indices`.
    """
    validate_spec(spec)
    _check_frame(frame)
    if (
        isinstance(reason_codes, bool)
        or not isinstance(reason_codes, (int, np.integer))
        or reason_codes < 0
    ):
        raise InputError(f"reason_codes must be an integer >= 0, got {reason_codes!r}.")
    characteristics = spec["characteristics"]
    per_bin = [_integer_points(ch) for ch in characteristics]
    k = int(reason_codes)
    # Whole numbers as float64: their sums are exact.
    points = _mapped(spec, frame, per_bin) if k else None
    total = points.sum(axis=1) if k else _mapped(spec, frame, per_bin, summed=True)
    score = total.astype(np.int64) + np.int64(spec["intercept_points"])
    low, high = spec["scaling"]["min_score"], spec["scaling"]["max_score"]
    if low is not None or high is not None:
        score = np.clip(score, low, high)
    result = pd.DataFrame({"score": score.astype(np.int64)}, index=frame.index)
    if k:
        names = np.array([ch["name"] for ch in characteristics] + [None], dtype=object)
        top = top_losses(points, per_bin, k)
        for r in range(k):
            result[f"reason_{r + 1}"] = pd.Series(names[top[:, r]], index=frame.index,
                                                  dtype=object)
    return result


def exact_scores(spec: Mapping[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """Unrounded, unclipped scores: the exact points of each row's bins plus the exact intercept.

    Uses ``points_exact`` and the model section's ``intercept_points_exact`` and
    ``unseen_points_exact``; a spec without them (written by hand) gives its integer scores.
    """
    validate_spec(spec)
    _check_frame(frame)
    model = spec.get("model", {})
    intercept = model.get("intercept_points_exact")
    if intercept is None:
        return score_frame(
            {**spec, "scaling": {**spec["scaling"], "min_score": None, "max_score": None}},
            frame,
        )["score"].to_numpy(dtype=np.float64)
    unseen_exact = model.get("unseen_points_exact", {})
    per_bin = []
    for ch in spec["characteristics"]:
        exact = [b.get("points_exact") for b in ch["bins"]]
        exact = [float(b["points"]) if v is None else float(v) for b, v in zip(ch["bins"], exact)]
        unseen = unseen_exact.get(ch["name"], ch.get("unseen_points"))
        per_bin.append(bin_values(ch, exact, unseen).astype(np.float64))
    points = _mapped(spec, frame, per_bin)
    total = np.full(len(frame), float(intercept))
    for c in range(points.shape[1]):
        total += points[:, c]
    return total


def spec_probability_of_default(spec: Mapping[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """P(bad) of the exact (unrounded) model the spec was built from, per row of ``frame``."""
    scaling = spec["scaling"]
    log_odds_bad = (scaling["offset"] - exact_scores(spec, frame)) / scaling["factor"]
    return 1.0 / (1.0 + np.exp(-log_odds_bad))


def evaluate_spec(
    spec: Mapping[str, Any],
    frame: pd.DataFrame,
    *,
    level: float = 0.95,
    n_bands: int = 10,
    hl_df: str | int = "holdout",
) -> dict[str, Any]:
    """Validation metrics of a spec on labelled rows (the target column and bad value come from
    the spec): AUC with DeLong SE and interval, Gini, KS, log loss, Brier, calibration by score
    band with Hosmer-Lemeshow, and the score's IV with SE. Log loss, Brier and calibration use
    the exact model's P(bad); the ranking metrics use the deployed integer score."""
    validate_spec(spec)
    _check_frame(frame)
    target = spec["target"]["name"]
    if target not in frame.columns:
        raise InputError(
            f"target column {target!r} (named in the scorecard) not found in the data; available "
            f"columns: {', '.join(map(str, list(frame.columns)[:20]))}."
        )
    label = binary_target(frame[target], name=target, bad_value=spec["target"]["bad_value"])
    score = score_frame(spec, frame)["score"].to_numpy()
    pd_ = spec_probability_of_default(spec, frame)
    return metrics.evaluate(label, score, pd_, level=level, n_bands=n_bands, hl_df=hl_df)
