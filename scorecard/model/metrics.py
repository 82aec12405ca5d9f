"""Validation metrics for a scorecard, with their uncertainty.

Conventions: ``y`` is binary with 1 = bad (the event). A *score* is "higher = lower risk" (points);
pass ``higher_is_riskier=True`` to use the same functions on probabilities of default or any other
risk score. AUC is the probability that a random good outranks a random bad (ties count one half),
so it does not depend on the orientation once the flag is set correctly.

Every function sorts the rows once and works on the table of (distinct score value, goods, bads),
so it is O(n log n) and needs no Python loop over rows.

Long module: the metrics share that grouped table, its input checks and the orientation flag,
and `evaluate` combines them; splitting discrimination from calibration would spread the shared
private helpers over two modules (against the house rule of no private names across modules).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas
from scipy import special

from scorecard.exceptions import InputError
from scorecard.stats import JeffreysResult, jeffreys
from scorecard.stats.conventions import check_level

PD_CLIP = 1e-15
"""Predicted probabilities are clipped to [PD_CLIP, 1 - PD_CLIP] where a logarithm or ratio needs it."""

AUC_INTERVALS = ("logit", "wald")
HL_DF_RULES = ("fitted", "holdout")

__all__ = [
    "AUCResult",
    "KSResult",
    "auc",
    "auc_hanley_mcneil_se",
    "brier",
    "calibration_table",
    "evaluate",
    "ks",
    "ks_curve",
    "log_loss",
    "roc_curve",
    "score_iv",
]


# ---------------------------------------------------------------------------------------------
# Validation at the door


def _as_float_vector(values: object, name: str) -> np.ndarray:
    try:
        if isinstance(values, (pandas.Series, pandas.Index)):
            arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a 1-D sequence of numbers.") from None
    if arr.ndim != 1:
        raise InputError(f"{name} must be 1-D (one value per row), got shape {arr.shape}.")
    if arr.size == 0:
        raise InputError(f"{name} is empty: pass one value per row.")
    if not np.all(np.isfinite(arr)):
        n_bad = int(np.sum(~np.isfinite(arr)))
        raise InputError(
            f"{name} has {n_bad} NaN or infinite value(s); drop or fill those rows first."
        )
    return arr


def _check_target(y: object, *, both_classes: bool) -> np.ndarray:
    arr = _as_float_vector(y, "y")
    if not np.all((arr == 0) | (arr == 1)):
        odd = np.unique(arr[(arr != 0) & (arr != 1)])[:5]
        raise InputError(
            f"y must be 0/1 with 1 = bad (event); it has other values ({', '.join(map(str, odd))}). "
            "Recode the target first."
        )
    if both_classes:
        n_bads = int(arr.sum())
        if n_bads == 0 or n_bads == arr.size:
            only = "bads (1)" if n_bads else "goods (0)"
            raise InputError(f"y has only {only}; this metric needs both goods and bads.")
    return arr.astype(np.int8)


def _check_same_length(y: np.ndarray, other: np.ndarray, name: str) -> None:
    if other.shape[0] != y.shape[0]:
        raise InputError(f"y has {y.shape[0]} rows but {name} has {other.shape[0]}; pass one per row.")


def _check_pd(values: object, y: np.ndarray, name: str = "pd") -> np.ndarray:
    arr = _as_float_vector(values, name)
    _check_same_length(y, arr, name)
    if np.any((arr < 0) | (arr > 1)):
        raise InputError(
            f"{name} must hold probabilities of default in [0, 1]; it ranges over "
            f"[{arr.min():g}, {arr.max():g}]. Pass probabilities, not scores or log-odds."
        )
    return arr


def _check_y_score(y: object, score: object, name: str = "score") -> tuple[np.ndarray, np.ndarray]:
    y_arr = _check_target(y, both_classes=True)
    s_arr = _as_float_vector(score, name)
    _check_same_length(y_arr, s_arr, name)
    return y_arr, s_arr


def _check_n_bands(n_bands: object) -> int:
    if isinstance(n_bands, bool) or not isinstance(n_bands, (int, np.integer)) or n_bands < 2:
        raise InputError(f"n_bands must be an integer >= 2, got {n_bands!r}.")
    return int(n_bands)


# ---------------------------------------------------------------------------------------------
# The one pass over rows: distinct score values with their goods and bads


class _Grouped(NamedTuple):
    values: np.ndarray  # distinct scores, ascending
    goods: np.ndarray  # int64 goods per value
    bads: np.ndarray  # int64 bads per value


def _group(y: np.ndarray, score: np.ndarray) -> _Grouped:
    order = np.argsort(score)
    sorted_score = score[order]
    starts = np.flatnonzero(np.r_[True, sorted_score[1:] != sorted_score[:-1]])
    bads = np.add.reduceat(y[order].astype(np.int64), starts)
    sizes = np.diff(np.r_[starts, score.size])
    return _Grouped(sorted_score[starts], sizes - bads, bads)


def _riskiest_last(grouped: _Grouped, higher_is_riskier: bool) -> _Grouped:
    """Order the table from the safest value to the riskiest one."""
    if higher_is_riskier:
        return grouped
    return _Grouped(grouped.values[::-1], grouped.goods[::-1], grouped.bads[::-1])


# ---------------------------------------------------------------------------------------------
# AUC with DeLong uncertainty


@dataclass(frozen=True)
class AUCResult:
    """AUC (probability a random good outranks a random bad) with its DeLong standard error.

    ``ci`` is the ``level`` interval built by ``interval`` ("logit": Wald on logit(AUC), mapped
    back, so it stays inside [0, 1]; "wald": AUC +- z*SE clipped to [0, 1]). ``gini = 2*AUC - 1``
    with ``gini_se = 2*se`` and ``gini_ci`` the image of ``ci``.
    """

    value: float
    se: float
    ci: tuple[float, float]
    gini: float
    gini_se: float
    gini_ci: tuple[float, float]
    n_goods: int
    n_bads: int
    level: float
    higher_is_riskier: bool
    interval: str = "logit"
    method: str = "delong"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable values."""
        return _jsonable(asdict(self))


def _delong(grouped: _Grouped) -> tuple[float, float]:
    """AUC and its DeLong variance from a safest-first table of (value, goods, bads).

    Placement values are the midrank form of Sun & Xu (2014): a good's is the share of bads it
    outranks (ties count one half), a bad's the share of goods that outrank it. All rows sharing a
    score value share a placement value, so the sums run over distinct values only.
    """
    g, b = grouped.goods.astype(np.float64), grouped.bads.astype(np.float64)
    n_goods, n_bads = g.sum(), b.sum()
    # The table runs safest first, so the bads after a value are the ones it outranks.
    bads_below = n_bads - np.cumsum(b)
    goods_above = np.cumsum(g) - g
    v_goods = (bads_below + 0.5 * b) / n_bads
    v_bads = (goods_above + 0.5 * g) / n_goods
    value = float(np.dot(g, v_goods) / n_goods)
    s_goods = np.dot(g, (v_goods - value) ** 2) / max(n_goods - 1.0, 1.0)
    s_bads = np.dot(b, (v_bads - value) ** 2) / max(n_bads - 1.0, 1.0)
    return value, float(s_goods / n_goods + s_bads / n_bads)


def _z(level: float) -> float:
    return float(special.ndtri(0.5 + level / 2.0))


def _auc_interval(value: float, se: float, level: float, interval: str) -> tuple[float, float]:
    z = _z(level)
    if interval == "wald":
        return max(0.0, value - z * se), min(1.0, value + z * se)
    if se == 0.0 or value <= 0.0 or value >= 1.0:
        # A perfect (or perfectly reversed) ranking has DeLong SE 0: the sample carries no
        # information about its spread, and the interval collapses to the point.
        return value, value
    centre = math.log(value / (1.0 - value))
    half = z * se / (value * (1.0 - value))
    return float(special.expit(centre - half)), float(special.expit(centre + half))


def auc(
    y: object,
    score: object,
    *,
    level: float = 0.95,
    higher_is_riskier: bool = False,
    interval: str = "logit",
) -> AUCResult:
    """AUC of ``score`` for telling goods from bads, with DeLong SE and a confidence interval.

    The DeLong variance uses the fast midrank algorithm (Sun & Xu 2014), O(n log n), ties handled
    by midranks. The default interval is Wald on the logit scale: it stays inside [0, 1] and is
    less anti-conservative than plain Wald when AUC is near 1 (``interval="wald"`` gives plain Wald
    clipped to [0, 1]). A perfect ranking (AUC 0 or 1) has SE 0 and a degenerate interval.
    """
    level = check_level(level)
    if interval not in AUC_INTERVALS:
        raise InputError(f"interval must be one of {AUC_INTERVALS}, got {interval!r}.")
    y_arr, s_arr = _check_y_score(y, score)
    return _auc_result(_group(y_arr, s_arr), level, higher_is_riskier, interval)


def _auc_result(
    grouped: _Grouped, level: float, higher_is_riskier: bool, interval: str
) -> AUCResult:
    grouped = _riskiest_last(grouped, higher_is_riskier)
    value, variance = _delong(grouped)
    se = math.sqrt(variance)
    lo, hi = _auc_interval(value, se, level, interval)
    return AUCResult(
        value=value,
        se=se,
        ci=(lo, hi),
        gini=2.0 * value - 1.0,
        gini_se=2.0 * se,
        gini_ci=(2.0 * lo - 1.0, 2.0 * hi - 1.0),
        n_goods=int(grouped.goods.sum()),
        n_bads=int(grouped.bads.sum()),
        level=level,
        higher_is_riskier=bool(higher_is_riskier),
        interval=interval,
    )


def auc_hanley_mcneil_se(auc: float, n_pos: int, n_neg: int) -> float:
    """Hanley & McNeil (1982) standard error of an AUC, from the AUC and the class sizes alone.

    It assumes the negative-exponential model (Q1 = A/(2-A), Q2 = 2A^2/(1+A)); ``n_pos`` is the
    number of events (bads), ``n_neg`` of non-events (goods). A quick approximation when the rows
    are not at hand; prefer DeLong (:func:`auc`) otherwise.
    """
    try:
        a = float(auc)
    except (TypeError, ValueError):
        raise InputError(f"auc must be a number in [0, 1], got {auc!r}.") from None
    if not 0.0 <= a <= 1.0:
        raise InputError(f"auc must be in [0, 1], got {auc!r}.")
    for name, n in (("n_pos", n_pos), ("n_neg", n_neg)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise InputError(f"{name} must be a positive integer (a class size), got {n!r}.")
    q1 = a / (2.0 - a)
    q2 = 2.0 * a * a / (1.0 + a)
    spread = a * (1.0 - a) + (n_pos - 1) * (q1 - a * a) + (n_neg - 1) * (q2 - a * a)
    return math.sqrt(max(spread / (n_pos * n_neg), 0.0))


# ---------------------------------------------------------------------------------------------
# KS and curves


class KSResult(NamedTuple):
    """Kolmogorov-Smirnov distance between the goods' and the bads' score CDFs, and where it is."""

    statistic: float
    threshold: float


def _cdfs(grouped: _Grouped) -> tuple[np.ndarray, np.ndarray]:
    goods, bads = grouped.goods, grouped.bads
    return np.cumsum(goods) / goods.sum(), np.cumsum(bads) / bads.sum()


def ks_curve(y: object, score: object) -> pandas.DataFrame:
    """The goods' and the bads' empirical CDFs, P(score <= threshold), at each distinct score."""
    y_arr, s_arr = _check_y_score(y, score)
    grouped = _group(y_arr, s_arr)
    cdf_goods, cdf_bads = _cdfs(grouped)
    return pandas.DataFrame(
        {"threshold": grouped.values, "cdf_goods": cdf_goods, "cdf_bads": cdf_bads}
    )


def ks(y: object, score: object) -> KSResult:
    """Maximum distance between the goods' and the bads' score CDFs, and the score where it occurs.

    Orientation does not matter (the distance is absolute); it equals the two-sample KS statistic.
    """
    y_arr, s_arr = _check_y_score(y, score)
    return _ks_result(_group(y_arr, s_arr))


def _ks_result(grouped: _Grouped) -> KSResult:
    cdf_goods, cdf_bads = _cdfs(grouped)
    distance = np.abs(cdf_goods - cdf_bads)
    at = int(np.argmax(distance))
    return KSResult(float(distance[at]), float(grouped.values[at]))


def roc_curve(y: object, score: object, *, higher_is_riskier: bool = False) -> pandas.DataFrame:
    """ROC points with bads as the positive class: a row is flagged bad when it is at least as
    risky as ``threshold`` (score <= threshold, or >= with ``higher_is_riskier``).

    Columns fpr (share of goods flagged), tpr (share of bads flagged), threshold; the first row is
    (0, 0) at an infinite threshold that flags nothing.
    """
    y_arr, s_arr = _check_y_score(y, score)
    grouped = _riskiest_last(_group(y_arr, s_arr), higher_is_riskier)
    riskiest_first = _Grouped(grouped.values[::-1], grouped.goods[::-1], grouped.bads[::-1])
    fpr, tpr = _cdfs(riskiest_first)
    start = math.inf if higher_is_riskier else -math.inf
    return pandas.DataFrame(
        {
            "fpr": np.r_[0.0, fpr],
            "tpr": np.r_[0.0, tpr],
            "threshold": np.r_[start, riskiest_first.values],
        }
    )


# ---------------------------------------------------------------------------------------------
# Probability metrics and calibration


def log_loss(y: object, pd: object) -> float:
    """Mean negative log-likelihood of the bads under ``pd`` (clipped to [1e-15, 1 - 1e-15])."""
    y_arr = _check_target(y, both_classes=False)
    p = np.clip(_check_pd(pd, y_arr), PD_CLIP, 1.0 - PD_CLIP)
    return float(-np.mean(np.where(y_arr == 1, np.log(p), np.log1p(-p))))


def brier(y: object, pd: object) -> float:
    """Mean squared difference between ``pd`` and the 0/1 outcome."""
    y_arr = _check_target(y, both_classes=False)
    p = _check_pd(pd, y_arr)
    return float(np.mean((p - y_arr) ** 2))


def _quantile_bands(x: np.ndarray, n_bands: int) -> tuple[np.ndarray, np.ndarray]:
    """Right-closed quantile bands on distinct edges (ties never split): band index and edges.

    Band i holds the values in (edges[i], edges[i+1]], the first band also edges[0] = min. The
    inner edges are the order statistics at ranks ceil(i*n/n_bands) (integer arithmetic, so no
    rounding moves a row), deduplicated: no band is empty, heavy ties give fewer bands.
    """
    n = x.size
    ranks = (np.arange(1, n_bands, dtype=np.int64) * n + n_bands - 1) // n_bands - 1
    lowest, highest = x.min(), x.max()
    inner = np.unique(np.partition(x, ranks)[ranks])
    inner = inner[inner < highest]
    return np.searchsorted(inner, x, side="left"), np.r_[lowest, inner, highest]


def _hl_degrees(hl_df: object, k: int) -> int:
    if hl_df == "fitted":
        return k - 2
    if hl_df == "holdout":
        return k
    if isinstance(hl_df, (int, np.integer)) and not isinstance(hl_df, bool) and hl_df >= 1:
        return int(hl_df)
    raise InputError(
        f"hl_df must be 'fitted' (bands - 2), 'holdout' (bands) or a positive integer, got {hl_df!r}."
    )


def calibration_table(
    y: object,
    pd: object,
    *,
    score: object = None,
    n_bands: int = 10,
    hl_df: str | int = "fitted",
) -> pandas.DataFrame:
    """Observed against expected bads by quantile band of ``pd`` (or of ``score`` when given).

    Columns: band, lower, upper (band edges of the banding variable; bands are right-closed,
    the first one also holds its lower edge), n, observed_bads, expected_bads (sum of pd),
    observed_rate, mean_pd. ``df.attrs["hosmer_lemeshow"]`` holds the Hosmer-Lemeshow test
    ``sum (O - E)^2 / (n pbar (1 - pbar))`` over bands, with ``statistic``, ``df``, ``p_value``.

    ``hl_df="fitted"`` uses bands - 2 degrees of freedom, Hosmer & Lemeshow's reference for the
    rows the model was fitted on; even so the test is optimistic there (binning and variable
    selection also used those rows), so judge calibration on hold-out rows. For hold-out or
    out-of-time data no parameter was fitted on them and ``hl_df="holdout"`` (bands) is the
    usual reference; an integer sets df directly. p_value is NaN when df < 1.
    """
    n_bands = _check_n_bands(n_bands)
    y_arr = _check_target(y, both_classes=False)
    p = _check_pd(pd, y_arr)
    band_by = "pd" if score is None else "score"
    x = p if score is None else _as_float_vector(score, "score")
    _check_same_length(y_arr, x, "score")
    band, edges = _quantile_bands(x, n_bands)
    k = edges.size - 1
    n = np.bincount(band, minlength=k).astype(np.int64)
    observed = np.bincount(band, weights=y_arr, minlength=k)
    expected = np.bincount(band, weights=p, minlength=k)
    mean_pd = expected / n
    table = pandas.DataFrame(
        {
            "band": np.arange(k),
            "lower": edges[:-1],
            "upper": edges[1:],
            "n": n,
            "observed_bads": observed.astype(np.int64),
            "expected_bads": expected,
            "observed_rate": observed / n,
            "mean_pd": mean_pd,
        }
    )
    clipped = np.clip(mean_pd, PD_CLIP, 1.0 - PD_CLIP)
    statistic = float(np.sum((observed - expected) ** 2 / (n * clipped * (1.0 - clipped))))
    df = _hl_degrees(hl_df, k)
    p_value = float(special.chdtrc(df, statistic)) if df >= 1 else math.nan
    table.attrs["band_by"] = band_by
    table.attrs["hosmer_lemeshow"] = {
        "statistic": statistic,
        "df": df,
        "p_value": p_value,
        "n_bands": k,
        "hl_df": hl_df if isinstance(hl_df, str) else int(hl_df),
    }
    return table


# ---------------------------------------------------------------------------------------------
# Information value of the score, and everything at once


def score_iv(y: object, score: object, *, n_bands: int = 10, level: float = 0.95) -> JeffreysResult:
    """Information value of the score: the Jeffreys divergence between the goods' and the bads'
    shares over quantile bands of the score (ties never split, so there may be fewer bands).

    The bands are chosen without looking at ``y``, so the chi-square test of the result is valid.
    """
    n_bands = _check_n_bands(n_bands)
    y_arr, s_arr = _check_y_score(y, score)
    band, edges = _quantile_bands(s_arr, n_bands)
    k = edges.size - 1
    if k < 2:
        raise InputError("score takes a single value, so it cannot be banded; IV needs >= 2 bands.")
    bads = np.bincount(band, weights=y_arr, minlength=k)
    goods = np.bincount(band, minlength=k) - bads
    return jeffreys(goods, bads, level=level)


def _jsonable(value: Any) -> Any:
    """Plain Python containers and numbers; NaN and infinities become None."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    return value


def evaluate(
    y: object,
    score: object,
    pd: object = None,
    *,
    level: float = 0.95,
    n_bands: int = 10,
    higher_is_riskier: bool = False,
    hl_df: str | int = "fitted",
) -> dict[str, Any]:
    """All validation metrics in one JSON-serialisable dict.

    Always: counts, AUC and Gini with DeLong intervals, KS, IV of the banded score. With ``pd``
    (probabilities of default for the same rows): log loss, Brier score, and the calibration
    table by score band with its Hosmer-Lemeshow test. NaN and infinities are stored as None.
    """
    level = check_level(level)
    n_bands = _check_n_bands(n_bands)
    y_arr, s_arr = _check_y_score(y, score)
    grouped = _group(y_arr, s_arr)
    auc_result = _auc_result(grouped, level, higher_is_riskier, "logit")
    ks_result = _ks_result(grouped)
    out: dict[str, Any] = {
        "n": int(y_arr.size),
        "n_goods": auc_result.n_goods,
        "n_bads": auc_result.n_bads,
        "bad_rate": auc_result.n_bads / y_arr.size,
        "level": level,
        "higher_is_riskier": bool(higher_is_riskier),
        "auc": auc_result.to_dict(),
        "gini": {"value": auc_result.gini, "se": auc_result.gini_se, "ci": list(auc_result.gini_ci)},
        "ks": ks_result._asdict(),
        "score_iv": score_iv(y_arr, s_arr, n_bands=n_bands, level=level).to_dict(),
    }
    if pd is not None:
        p = _check_pd(pd, y_arr)
        table = calibration_table(y_arr, p, score=s_arr, n_bands=n_bands, hl_df=hl_df)
        out["log_loss"] = log_loss(y_arr, p)
        out["brier"] = brier(y_arr, p)
        out["calibration"] = {
            "band_by": table.attrs["band_by"],
            "table": table.to_dict(orient="records"),
            "hosmer_lemeshow": table.attrs["hosmer_lemeshow"],
        }
    return _jsonable(out)
