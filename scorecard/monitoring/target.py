"""The target part of a drift report: once outcomes are known, does the card still rank and fit?

Computed when every current row has a known outcome (the spec's target column, no missing
value): the bad rate per bin of every characteristic and per score band against development,
with Wilson intervals; the score's AUC (DeLong) and Gini, KS, IV over the fixed score bands and
the Hosmer-Lemeshow calibration test of the probability of default the integer score stands for
(the spec's scaling). Development is the reference sample when it has outcomes too (then its
AUC, KS and IV are given alongside), otherwise the goods and bads the spec stored per bin.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import special

from scorecard import stats
from scorecard.model import metrics
from scorecard.monitoring.bands import band_labels
from scorecard.monitoring.counting import FrozenBins, SampleCounts

__all__ = ["target_report"]


def _float(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _wilson(bads: np.ndarray, n: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of binomial proportions bads / n (n > 0), vectorised."""
    z = float(special.ndtri(0.5 + level / 2.0))
    p = bads / n
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2.0 * n)) / denominator
    half = z / denominator * np.sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n))
    return np.maximum(centre - half, 0.0), np.minimum(centre + half, 1.0)


def _rates(table: np.ndarray, level: float) -> list[dict[str, Any]]:
    """Bad rate of every row of a (k, 2) goods/bads table with its Wilson interval."""
    bads = table[:, 1].astype(np.float64)
    n = table.sum(axis=1).astype(np.float64)
    safe = np.maximum(n, 1.0)
    low, high = _wilson(bads, safe, level)
    return [
        {"n": int(n[j]), "bads": int(bads[j]), "rate": None, "ci": [None, None]} if n[j] == 0 else
        {"n": int(n[j]), "bads": int(bads[j]), "rate": float(bads[j] / n[j]),
         "ci": [float(low[j]), float(high[j])]}
        for j in range(n.size)
    ]


def _rate(bads: float, n: float, level: float) -> dict[str, Any]:
    return _rates(np.array([[n - bads, bads]]), level)[0]


def _spec_development(frozen: FrozenBins, c: int) -> np.ndarray | None:
    """(n_bins, 2) goods/bads the spec stored for characteristic c, or None if it has none."""
    bins = frozen.spec["characteristics"][c]["bins"]
    if any(b.get("goods") is None or b.get("bads") is None for b in bins):
        return None
    table = np.array([[b["goods"], b["bads"]] for b in bins], dtype=np.float64)
    if frozen.characteristics[c].dtype == "categorical":
        table = np.vstack([table, [0.0, 0.0]])  # nothing unseen at development
    return table


def _bad_rates(current: np.ndarray, development: np.ndarray | None, labels: Sequence[str],
               level: float) -> list[dict[str, Any]]:
    now = _rates(current, level)
    then = _rates(development, level) if development is not None else None
    out = []
    for j, label in enumerate(labels):
        row = {"label": label, "current": now[j]}
        if then is not None:
            row["development"] = then[j]
        out.append(row)
    return out


def _expand(counts: SampleCounts) -> tuple[np.ndarray, np.ndarray]:
    """Row-level (label, score) arrays rebuilt from the score histogram, for the rank metrics."""
    repeats = counts.score_counts.ravel()
    label = np.repeat(np.tile(np.array([0, 1], dtype=np.int8), counts.score_values.size), repeats)
    score = np.repeat(np.repeat(counts.score_values, 2), repeats)
    return label, score


def _ks_interval(statistic: float, n_goods: int, n_bads: int, level: float) -> list[float]:
    """Conservative interval for the population KS: each empirical CDF is within
    sqrt(ln(4 / a) / (2 n)) of its population CDF with probability >= 1 - a/2 (Dvoretzky-Kiefer-
    Wolfowitz with Massart's constant), so the KS distance is within the sum of the two."""
    a = 1.0 - level
    half = math.sqrt(math.log(4.0 / a) / (2.0 * n_goods)) + math.sqrt(math.log(4.0 / a) / (2.0 * n_bads))
    return [max(0.0, statistic - half), min(1.0, statistic + half)]


def _power(frozen: FrozenBins, counts: SampleCounts, bands: np.ndarray, level: float,
           calibration: bool) -> dict[str, Any] | None:
    """AUC, Gini, KS, IV over the score bands (and calibration) of a labelled sample."""
    n_bads = int(counts.score_counts[:, 1].sum())
    n_goods = int(counts.score_counts[:, 0].sum())
    if n_bads == 0 or n_goods == 0:
        return None
    label, score = _expand(counts)
    pd_ = None
    if calibration:
        scaling = frozen.spec["scaling"]
        pd_ = 1.0 / (1.0 + np.exp((score - scaling["offset"]) / scaling["factor"]))
    ev = metrics.evaluate(label, score, pd_, level=level, hl_df="holdout")
    ks = ev["ks"]["statistic"]
    out: dict[str, Any] = {
        "n_goods": n_goods,
        "n_bads": n_bads,
        "bad_rate": _rate(n_bads, n_goods + n_bads, level),
        "auc": {k: ev["auc"][k] for k in ("value", "se", "ci")},
        "gini": ev["gini"],
        "ks": {"value": ks, "ci": _ks_interval(ks, n_goods, n_bads, level),
               "ci_method": "dkw", "threshold": ev["ks"]["threshold"]},
    }
    occupied = bands[(bands.sum(axis=1) > 0)]
    if occupied.shape[0] >= 2:
        iv = stats.information_value(occupied[:, 0], occupied[:, 1], level=level)
        out["score_iv"] = {"value": iv.value, "se": iv.se, "ci": list(iv.ci), "p_value": iv.p_value}
    if calibration:
        hl = ev["calibration"]["hosmer_lemeshow"]
        out["calibration"] = {
            "test": "hosmer-lemeshow",
            "statistic": hl["statistic"],
            "df": hl["df"],
            "p_value": hl["p_value"],
            "n_bands": hl["n_bands"],
            "observed_bads": n_bads,
            "expected_bads": _float(np.sum(pd_)),
        }
    return out


def _reference_power(frozen: FrozenBins, reference: SampleCounts, bands: np.ndarray,
                     score_edges: Sequence[int], level: float) -> dict[str, Any] | None:
    """The reference's power, computed once for all periods that share its counts and bands."""
    key = ("power", level, tuple(score_edges))
    if key not in reference.memo:
        reference.memo[key] = _power(frozen, reference, bands, level, calibration=False)
    return copy.deepcopy(reference.memo[key])


def target_report(
    frozen: FrozenBins,
    reference: SampleCounts,
    current: SampleCounts,
    ref_bands: np.ndarray,
    cur_bands: np.ndarray,
    score_edges: Sequence[int],
    *,
    level: float,
) -> dict[str, Any] | None:
    """The target part of a report, or None when the current sample's outcomes are not known."""
    if not current.labelled:
        return None
    from_reference = reference.labelled
    characteristics = []
    for c, ch in enumerate(frozen.characteristics):
        development = reference.bins[c] if from_reference else _spec_development(frozen, c)
        characteristics.append({
            "name": ch.name,
            "bins": _bad_rates(current.bins[c], development, ch.labels, level),
        })
    labels = band_labels(score_edges)
    return {
        "development": "reference" if from_reference else ("spec" if any(
            _spec_development(frozen, c) is not None for c in range(len(frozen.characteristics))
        ) else None),
        "current": _power(frozen, current, cur_bands, level, calibration=True),
        "reference": _reference_power(frozen, reference, ref_bands, score_edges, level)
        if from_reference else None,
        "characteristics": characteristics,
        "score_bands": _bad_rates(cur_bands, ref_bands if from_reference else None, labels, level),
    }
