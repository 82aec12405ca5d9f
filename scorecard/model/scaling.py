"""Points scaling: from an additive log-odds model to integer scorecard points.

Conventions (higher score = lower risk):

    factor = pdo / ln 2,   offset = base_score - factor * ln(base_odds)
    score  = offset + factor * ln(odds of good) = offset - factor * (log-odds of bad)

so a score of ``base_score`` means odds of good ``base_odds`` : 1, and every ``pdo`` points more
double the odds of good. For a model that is additive over characteristics,
``log-odds of bad = intercept + sum_c contribution_c(bin)``, each bin's exact points are
``-factor * contribution``, shifted so every characteristic's smallest is 0; the shifts and the
intercept go into ``intercept_points``. Deployed points are those values rounded half up one by
one, so an integer score differs from the exact one by at most the largest sum of rounding
errors over the bin combinations (never more than 0.5 * (characteristics + 1)).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scorecard.exceptions import InputError

__all__ = ["CardPoints", "PointsScaling", "round_half_up", "scale_points"]


def _finite(value: object, name: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise InputError(f"{name}={value!r} must be a finite number.")
    if positive and value <= 0:
        raise InputError(f"{name}={value!r} must be > 0.")
    return float(value)


def _optional_int(value: object, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputError(f"{name}={value!r} must be an integer or None.")
    return int(value)


def round_half_up(values: object) -> np.ndarray:
    """Nearest integer, halves up (0.5 -> 1, -0.5 -> 0), as int64: the same in every engine."""
    return np.floor(np.asarray(values, dtype=np.float64) + 0.5).astype(np.int64)


@dataclass(frozen=True)
class PointsScaling:
    """Base score at base odds (of good), points to double the odds (PDO), optional clip range.

    ``min_score`` / ``max_score`` clip the final integer score (None: no limit).
    """

    base_score: float = 600.0
    base_odds: float = 50.0
    pdo: float = 20.0
    min_score: int | None = None
    max_score: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_score", _finite(self.base_score, "base_score"))
        object.__setattr__(self, "base_odds", _finite(self.base_odds, "base_odds", positive=True))
        object.__setattr__(self, "pdo", _finite(self.pdo, "pdo", positive=True))
        low = _optional_int(self.min_score, "min_score")
        high = _optional_int(self.max_score, "max_score")
        if low is not None and high is not None and low > high:
            raise InputError(f"min_score={low} is greater than max_score={high}.")
        object.__setattr__(self, "min_score", low)
        object.__setattr__(self, "max_score", high)

    @property
    def factor(self) -> float:
        """Points per unit of log-odds: pdo / ln 2."""
        return self.pdo / math.log(2.0)

    @property
    def offset(self) -> float:
        """The score at even odds (log-odds 0): base_score - factor * ln(base_odds)."""
        return self.base_score - self.factor * math.log(self.base_odds)

    def score(self, log_odds_bad: object) -> np.ndarray:
        """Exact (unrounded, unclipped) score of a log-odds of bad."""
        return self.offset - self.factor * np.asarray(log_odds_bad, dtype=np.float64)

    def log_odds_bad(self, score: object) -> np.ndarray:
        """The log-odds of bad that a score stands for (inverse of `score`)."""
        return (self.offset - np.asarray(score, dtype=np.float64)) / self.factor

    def probability_of_default(self, score: object) -> np.ndarray:
        """P(bad) that a score stands for: 1 / (1 + odds of good)."""
        return 1.0 / (1.0 + np.exp(-self.log_odds_bad(score)))

    def clip(self, score: object) -> np.ndarray:
        """Clip integer scores to [min_score, max_score] where those are set."""
        score = np.asarray(score)
        if self.min_score is None and self.max_score is None:
            return score
        return np.clip(score, self.min_score, self.max_score)

    def to_dict(self) -> dict:
        """The spec's ``scaling`` section (schema_version 1)."""
        return {
            "base_score": self.base_score,
            "base_odds": self.base_odds,
            "pdo": self.pdo,
            "factor": self.factor,
            "offset": self.offset,
            "min_score": self.min_score,
            "max_score": self.max_score,
            "rounding": "per-bin integer points",
        }


@dataclass(frozen=True)
class CardPoints:
    """Points of every characteristic's bins, exact and rounded, and the intercept points.

    ``exact[c]`` / ``points[c]`` run over the bins given to `scale_points` (the last entry is
    the unseen-category slot when one was given); ``shift[c]`` is what was subtracted from
    characteristic c so its smallest exact points are 0. ``bound`` is the worst case of
    |integer score - exact score| over every combination of bins (attained by the combination
    whose rounding errors all lean the same way; clipping aside); ``bound_loose`` =
    0.5 * (characteristics + 1) holds for any card.
    """

    exact: tuple[np.ndarray, ...]
    points: tuple[np.ndarray, ...]
    shift: tuple[float, ...]
    intercept_exact: float
    intercept_points: int
    bound: float
    bound_loose: float


def scale_points(
    contributions: Sequence[np.ndarray], intercept: float, scaling: PointsScaling
) -> CardPoints:
    """Integer points from per-bin contributions to the log-odds of bad and the model intercept.

    Exact score = offset - factor * (intercept + sum of contributions)
                = intercept_exact + sum of exact points.
    """
    factor = scaling.factor
    exact, points, shifts = [], [], []
    intercept_exact = scaling.offset - factor * float(intercept)
    highest = lowest = 0.0  # extreme sums of per-bin rounding errors over all bin combinations
    for contribution in contributions:
        raw = -factor * np.asarray(contribution, dtype=np.float64)
        if raw.size == 0 or not np.all(np.isfinite(raw)):
            raise InputError("every characteristic needs at least one bin with finite points.")
        shift = float(raw.min())
        card = raw - shift
        intercept_exact += shift
        rounded = round_half_up(card)
        exact.append(card)
        points.append(rounded)
        shifts.append(shift)
        highest += float(np.max(rounded - card))
        lowest += float(np.min(rounded - card))
    intercept_points = int(round_half_up(intercept_exact))
    intercept_error = intercept_points - intercept_exact
    worst = max(highest + intercept_error, -(lowest + intercept_error))
    return CardPoints(
        exact=tuple(exact),
        points=tuple(points),
        shift=tuple(shifts),
        intercept_exact=float(intercept_exact),
        intercept_points=intercept_points,
        bound=float(worst),
        bound_loose=0.5 * (len(exact) + 1),
    )
