"""Model-level fairness of a score at a cut-off: approval by group, adverse impact ratio with a
Katz interval, standardized mean score difference, the score's IV between groups, and a by-group
table of AUC, KS, bad rate and approval rate (`GroupMetrics`, one object with many views, after
Fairlearn's MetricFrame).

Approve a row when its score >= the cut-off (higher score = lower risk). The default cut-off is
the score that approves ``cutoff_rate`` (70%) of the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from scorecard.exceptions import InputError
from scorecard.fairness.groups import ProtectedAttribute
from scorecard.model import metrics

__all__ = [
    "AIR_METHOD",
    "GroupMetrics",
    "plain",
    "adverse_impact_ratio",
    "cutoff_for_rate",
    "model_fairness",
    "score_group_iv",
    "standardized_mean_difference",
]

AIR_METHOD = ("Katz log interval: delta method on ln(AIR), Var = 1/x_g - 1/n_g + 1/x_r - 1/n_r "
              "(x approved of n; 0.5 added to x and n when a group approves nobody or everybody)")
FOUR_FIFTHS = 0.8


def _z(level: float) -> float:
    return float(special.ndtri(0.5 + level / 2.0))


def cutoff_for_rate(score: np.ndarray, rate: float) -> float:
    """The highest score s such that at least ``rate`` of the rows have score >= s."""
    if not 0 < rate <= 1:
        raise InputError(f"cutoff rate {rate!r} must be in (0, 1]: the share of rows approved.")
    ordered = np.sort(np.asarray(score, dtype=np.float64))[::-1]
    if ordered.size == 0:
        raise InputError("no scores to place a cut-off in.")
    return float(ordered[max(0, math.ceil(rate * ordered.size - 1e-9) - 1)])


def adverse_impact_ratio(approved: np.ndarray, attribute: ProtectedAttribute,
                         level: float = 0.95) -> pd.DataFrame:
    """Per group: rows, approved, approval rate, AIR = rate / reference rate with a Katz
    interval (AIR_METHOD). The reference group's row has AIR 1."""
    approved = np.asarray(approved, dtype=bool)
    codes = attribute.codes
    z = _z(level)
    n_r = int(np.sum(codes == attribute.reference))
    x_r = int(np.sum(approved & (codes == attribute.reference)))
    rows = []
    for g, label in enumerate(attribute.labels):
        n = int(np.sum(codes == g))
        x = int(np.sum(approved & (codes == g)))
        rate = x / n if n else math.nan
        row = {"group": label, "n": n, "approved": x, "approval_rate": rate,
               "reference": g == attribute.reference}
        if g == attribute.reference or n == 0 or n_r == 0:
            row.update(air=1.0 if g == attribute.reference else math.nan,
                       air_ci_low=math.nan, air_ci_high=math.nan)
        else:
            air = rate / (x_r / n_r) if x_r else math.inf
            correct = x in (0, n) or x_r in (0, n_r)
            xg, ng, xr, nr = (x + 0.5, n + 0.5, x_r + 0.5, n_r + 0.5) if correct else (x, n, x_r, n_r)
            log_air = math.log((xg / ng) / (xr / nr))
            se = math.sqrt(max(1 / xg - 1 / ng + 1 / xr - 1 / nr, 0.0))
            row.update(air=air, air_ci_low=math.exp(log_air - z * se),
                       air_ci_high=math.exp(log_air + z * se))
        rows.append(row)
    return pd.DataFrame(rows)


def standardized_mean_difference(score: np.ndarray, attribute: ProtectedAttribute) -> dict:
    """Per group (mean score - reference mean) / pooled SD of the two groups; the worst is the
    largest in absolute value."""
    score = np.asarray(score, dtype=np.float64)
    ref = score[attribute.codes == attribute.reference]
    out = {}
    for g in attribute.others:
        s = score[attribute.codes == g]
        if s.size < 2 or ref.size < 2:
            continue
        pooled = ((s.size - 1) * s.var(ddof=1) + (ref.size - 1) * ref.var(ddof=1)) / (
            s.size + ref.size - 2)
        out[attribute.labels[g]] = (float((s.mean() - ref.mean()) / math.sqrt(pooled))
                                    if pooled > 0 else 0.0)
    return out


def score_group_iv(score: np.ndarray, attribute: ProtectedAttribute, *, n_bands: int = 10,
                   level: float = 0.95) -> dict:
    """The score's IV between each group and the reference group over quantile bands of the
    score (of the two groups' rows), with SE and interval; the worst group is reported."""
    score = np.asarray(score, dtype=np.float64)
    best: dict[str, Any] | None = None
    by_group = {}
    for g in attribute.others:
        mask = (attribute.codes == g) | (attribute.codes == attribute.reference)
        member = (attribute.codes[mask] == g).astype(np.int64)
        if member.sum() == 0 or member.sum() == member.size:
            continue
        try:
            r = metrics.score_iv(member, score[mask], n_bands=n_bands, level=level)
        except InputError:  # the score takes one value on these rows: no divergence
            r = None
        entry = {"group": attribute.labels[g], "value": 0.0 if r is None else r.value,
                 "se": 0.0 if r is None else r.se,
                 "ci": [0.0, 0.0] if r is None else [float(r.ci[0]), float(r.ci[1])],
                 "ci_method": "" if r is None else r.ci_method}
        by_group[entry["group"]] = entry["value"]
        if best is None or entry["value"] > best["value"]:
            best = entry
    if best is None:
        raise InputError(f"protected attribute {attribute.name!r}: no group to compare with the "
                         "reference group on these rows.")
    return {**best, "by_group": by_group}


@dataclass(frozen=True)
class GroupMetrics:
    """Metrics overall and by group, MetricFrame-style: ``overall`` (Series), ``by_group``
    (DataFrame, one row per group), and ``difference()`` / ``ratio()`` against the reference
    group or between the extreme groups."""

    overall: pd.Series
    by_group: pd.DataFrame
    reference: str

    METRICS = ("bad_rate", "approval_rate", "auc", "ks", "mean_score")

    def difference(self, method: str = "to_reference") -> pd.Series:
        """Largest |group - reference| (method "to_reference") or max - min ("between_groups")."""
        table = self.by_group[list(self.METRICS)]
        if method == "between_groups":
            return table.max() - table.min()
        if method == "to_reference":
            return (table - table.loc[self.reference]).abs().max()
        raise InputError(f"method={method!r} must be 'to_reference' or 'between_groups'.")

    def ratio(self, method: str = "to_reference") -> pd.Series:
        """Smallest group / reference (or min / max) ratio of each metric."""
        table = self.by_group[list(self.METRICS)]
        if method == "between_groups":
            return table.min() / table.max()
        if method == "to_reference":
            ratios = table / table.loc[self.reference]
            return ratios.where(ratios <= 1, 1 / ratios).min()
        raise InputError(f"method={method!r} must be 'to_reference' or 'between_groups'.")

    def to_dict(self) -> dict:
        return {"reference": self.reference,
                "overall": plain(self.overall.to_dict()),
                "by_group": plain(self.by_group.reset_index().to_dict(orient="records"))}

    @classmethod
    def from_dict(cls, data: dict) -> GroupMetrics:
        by_group = pd.DataFrame(data["by_group"]).set_index("group")
        return cls(pd.Series(data["overall"], dtype=object), by_group, data["reference"])


def plain(value: Any) -> Any:
    """JSON-ready copy: plain containers and numbers; NaN and infinities become None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if value is None or isinstance(value, (int, str)):
        return value
    return str(value)


def _group_row(y: np.ndarray, score: np.ndarray, approved: np.ndarray, level: float) -> dict:
    row: dict[str, Any] = {"n": int(y.size), "bads": int(y.sum()),
                           "bad_rate": float(y.mean()) if y.size else math.nan,
                           "approval_rate": float(approved.mean()) if y.size else math.nan,
                           "mean_score": float(score.mean()) if y.size else math.nan}
    if 0 < y.sum() < y.size:
        a = metrics.auc(y, score, level=level)
        row.update(auc=a.value, auc_ci_low=a.ci[0], auc_ci_high=a.ci[1],
                   ks=float(metrics.ks(y, score).statistic))
    else:
        row.update(auc=math.nan, auc_ci_low=math.nan, auc_ci_high=math.nan, ks=math.nan)
    return row


def model_fairness(
    score: np.ndarray,
    y: np.ndarray,
    attribute: ProtectedAttribute,
    *,
    cutoff: float | None = None,
    cutoff_rate: float = 0.7,
    level: float = 0.95,
    n_bands: int = 10,
) -> dict[str, Any]:
    """Everything at one cut-off for one protected attribute (JSON-ready, plus ``group_metrics``,
    a `GroupMetrics`): approval by group, the worst AIR with its Katz interval, the four-fifths
    flag, standardized mean differences and the score's IV between groups with SE."""
    score = np.asarray(score, dtype=np.float64)
    y = np.asarray(y, dtype=np.int64)
    if score.shape != y.shape or score.shape != attribute.codes.shape:
        raise InputError("score, target and protected attribute need one value per row each.")
    cut = cutoff_for_rate(score, cutoff_rate) if cutoff is None else float(cutoff)
    approved = score >= cut
    air = adverse_impact_ratio(approved, attribute, level)
    others = air[~air["reference"] & air["air"].notna()]
    worst = others.loc[others["air"].idxmin()] if len(others) else None
    rows = {label: _group_row(y[attribute.codes == g], score[attribute.codes == g],
                              approved[attribute.codes == g], level)
            for g, label in enumerate(attribute.labels)}
    by_group = pd.DataFrame.from_dict(rows, orient="index")
    by_group.index.name = "group"
    overall = pd.Series(_group_row(y, score, approved, level))
    group_metrics = GroupMetrics(overall, by_group, attribute.reference_label)
    smd = standardized_mean_difference(score, attribute)
    iv = score_group_iv(score, attribute, n_bands=n_bands, level=level)
    return {
        "attribute": attribute.name,
        "reference_group": attribute.reference_label,
        "cutoff": cut,
        "approval_rate": float(approved.mean()),
        "approval_by_group": {r.group: r.approval_rate for r in air.itertuples()},
        "air": None if worst is None else float(worst["air"]),
        "air_ci": None if worst is None else [float(worst["air_ci_low"]),
                                              float(worst["air_ci_high"])],
        "air_group": None if worst is None else str(worst["group"]),
        "air_method": AIR_METHOD,
        "four_fifths": None if worst is None else bool(worst["air"] >= FOUR_FIFTHS),
        "smd": smd,
        "smd_worst": max(smd.values(), key=abs) if smd else None,
        "score_iv_groups": iv,
        "air_table": plain(air.to_dict(orient="records")),
        "group_metrics": group_metrics,
    }
