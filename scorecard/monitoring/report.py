"""Drift report of a scorecard: reference against current sample, in the model's frozen bins.

For every characteristic and for the score (in bands fixed at the reference's score deciles):
PSI with its delta-method SE and interval, the no-drift test, the material-drift tests against
0.10 and 0.25 (double bootstrap at the boundary, as ``JeffreysResult.test_material``), Benjamini-Hochberg q-values across the
characteristics, a status, per-bin counts and contributions, the shares of missing, special and
unseen values, and the mean points shift. Where the current sample has the target, the target
part (`scorecard.monitoring.target`) adds bad rates and the score's power and calibration.
All statistics come from :mod:`scorecard.stats` (formulas in docs/STATISTICS.md).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from scorecard import stats
from scorecard.distributed import is_dask
from scorecard.distributed.spark import is_spark
from scorecard.exceptions import InputError
from scorecard.model.spec import compute_integrity
from scorecard.monitoring.bands import band_counts, band_labels, check_edges, score_band_edges
from scorecard.monitoring.counting import FrozenBins, SampleCounts
from scorecard.monitoring.target import target_report
from scorecard.stats.conventions import smoothed_pair

__all__ = [
    "DriftReport",
    "DriftThresholds",
    "FRAME_COLUMNS",
    "REPORT_VERSION",
    "STATUSES",
    "drift_report",
    "report_from_counts",
]

REPORT_VERSION = 1
STATUSES = ("empty", "stable", "watch", "material")
"""Report statuses from best to worst; a report's status is the worst of its rows."""
SCORE_ROW = "score"
FRAME_COLUMNS = (
    "name", "psi", "psi_se", "psi_ci_low", "psi_ci_high", "p_value", "p_material_010",
    "p_material_025", "q_value", "status",
)
STATUS_RULES = ("test", "point")


@dataclass(frozen=True)
class DriftThresholds:
    """When a characteristic is on watch or materially drifted.

    ``rule="test"`` (default) uses the material-drift tests at level ``level_alpha``: "material"
    when H0: PSI <= ``material`` is rejected, "watch" when H0: PSI <= ``watch`` is rejected or the
    point estimate reaches ``material`` (suggestive, not yet proven), else "stable". So a large
    sample's tiny but significant drift stays stable, and a small sample's noise does not alarm.
    ``rule="point"`` is the classic reading of the point estimate: PSI >= ``material`` is
    material, >= ``watch`` is watch.
    """

    watch: float = 0.10
    material: float = 0.25
    level_alpha: float = 0.05
    rule: str = "test"

    def __post_init__(self) -> None:
        for name in ("watch", "material"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                math.isfinite(value) and value > 0
            ):
                raise InputError(f"thresholds.{name} must be a PSI > 0, got {value!r}.")
        if not self.watch < self.material:
            raise InputError(
                f"thresholds.watch ({self.watch}) must be below thresholds.material "
                f"({self.material})."
            )
        a = self.level_alpha
        if isinstance(a, bool) or not isinstance(a, (int, float)) or not 0 < a < 1:
            raise InputError(f"thresholds.level_alpha must be in (0, 1), got {a!r}.")
        if self.rule not in STATUS_RULES:
            raise InputError(f"thresholds.rule must be one of {STATUS_RULES}, got {self.rule!r}.")

    @classmethod
    def coerce(cls, value: object) -> DriftThresholds:
        """Accept a DriftThresholds, a dict of its fields, or None (the defaults)."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, Mapping):
            unknown = sorted(set(value) - {"watch", "material", "level_alpha", "rule"})
            if unknown:
                raise InputError(
                    f"unknown threshold(s) {', '.join(map(repr, unknown))}; use watch, material, "
                    "level_alpha, rule."
                )
            return cls(**value)
        raise InputError(f"thresholds must be a DriftThresholds or a dict, got {type(value).__name__}.")


def _json_float(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


def _nan(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _status(psi: float, p_watch: float, p_material: float, t: DriftThresholds) -> str:
    if t.rule == "point":
        return "material" if psi >= t.material else "watch" if psi >= t.watch else "stable"
    if p_material <= t.level_alpha:
        return "material"
    if p_watch <= t.level_alpha or psi >= t.material:
        return "watch"
    return "stable"


def _worst(statuses: Sequence[str]) -> str:
    return max(statuses, key=STATUSES.index) if statuses else "empty"


# ---------------------------------------------------------------------------------------------
# One row of the report: PSI, tests, bins
# ---------------------------------------------------------------------------------------------


def _material_tests(rows: list[dict[str, Any]], results: list[stats.JeffreysResult | None],
                    thresholds: DriftThresholds) -> None:
    """Fill p_material_010/025, p_material_method, p_material_note and the status of each row.

    The p-value of H0: PSI <= tau is ``JeffreysResult.test_material(tau)``: the fast double
    bootstrap at the boundary PSI = tau for whole counts, seeded by the table, so a stored report
    is reproducible and agrees with the CLI (STATISTICS.md section 4; ~15 ms per row and tau);
    the ncx2 form for weighted counts. ``p_material_method`` records which, ``p_material_note``
    why a p-value is only indicative (None when the tests hold their size).
    """
    taus = sorted({0.10, 0.25, thresholds.watch, thresholds.material})
    for row, result in zip(rows, results):
        row["p_material_010"] = row["p_material_025"] = None
        row["p_material_method"] = row["p_material_note"] = None
        p = dict.fromkeys(taus, math.nan)
        if result is not None:
            tests = {tau: result.test_material(tau, thresholds.level_alpha) for tau in taus}
            p = {tau: test.p_value for tau, test in tests.items()}
            row["p_material_010"] = _json_float(p[0.10])
            row["p_material_025"] = _json_float(p[0.25])
            row["p_material_method"] = "/".join(sorted({t.method for t in tests.values()}))
            row["p_material_note"] = "; ".join(
                dict.fromkeys(t.note for t in tests.values() if t.note)) or None
        row["status"] = _status(row["psi"], p[thresholds.watch], p[thresholds.material],
                                thresholds)


def _psi_row(
    ref: np.ndarray, cur: np.ndarray, *, reference_mode: str, level: float
) -> dict[str, Any]:
    """PSI of reference vs current counts with SE, interval and the three tests."""
    occupied = int(((ref > 0) | (cur > 0)).sum())
    if occupied < 2:
        # One occupied bin on both sides: identical distributions, nothing to test.
        return {
            "psi": 0.0, "psi_se": 0.0, "psi_ci_low": 0.0, "psi_ci_high": 0.0, "ci_method": None,
            "statistic": 0.0, "df": 0, "p_value": None, "smoothing": 0.0,
            "kept": (ref > 0) | (cur > 0), "result": None,
        }
    r = stats.psi(ref, cur, reference=reference_mode, level=level)
    kept = np.ones(ref.size, dtype=bool)
    kept[list(r.dropped_bins)] = False
    return {
        "psi": r.value, "psi_se": r.se, "psi_ci_low": r.ci[0], "psi_ci_high": r.ci[1],
        "ci_method": r.ci_method, "statistic": r.statistic, "df": r.df, "p_value": r.p_value,
        "smoothing": r.alpha, "kept": kept, "result": r,
    }


def _contributions(ref: np.ndarray, cur: np.ndarray, kept: np.ndarray, alpha: float,
                   fixed: bool = False) -> np.ndarray:
    """Each bin's term of the PSI (smoothed shares as the statistic uses them; 0 if dropped)."""
    out = np.zeros(ref.size)
    if kept.sum() >= 2:
        p, q, _, _ = smoothed_pair(ref[kept].astype(np.float64), cur[kept].astype(np.float64),
                                   alpha, fixed=fixed)
        out[kept] = (q - p) * np.log(q / p)
    return out


def _shares(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    return counts / total if total > 0 else np.zeros(counts.size)


def _row(
    name: str,
    kinds: Sequence[str],
    labels: Sequence[str],
    points: Sequence[float] | None,
    ref: np.ndarray,
    cur: np.ndarray,
    *,
    reference_mode: str,
    level: float,
) -> tuple[dict[str, Any], stats.JeffreysResult | None]:
    """A characteristic's (or the score's) row: PSI, no-drift test, shares and per-bin table;
    and the PSI result its material tests start from (None when there is nothing to test)."""
    ref_total, cur_total = ref.sum(axis=1), cur.sum(axis=1)
    psi = _psi_row(ref_total, cur_total, reference_mode=reference_mode, level=level)
    result = psi.pop("result")
    kept = psi.pop("kept")
    contrib = _contributions(ref_total, cur_total, kept, psi["smoothing"],
                             fixed=reference_mode == "fixed")
    ref_share, cur_share = _shares(ref_total), _shares(cur_total)
    bins = []
    for j, label in enumerate(labels):
        bin_ = {
            "label": label,
            "kind": kinds[j],
            "reference_count": int(ref_total[j]),
            "current_count": int(cur_total[j]),
            "reference_share": float(ref_share[j]),
            "current_share": float(cur_share[j]),
            "contribution": float(contrib[j]),
        }
        if points is not None:
            bin_["points"] = int(points[j])
        bins.append(bin_)
    row: dict[str, Any] = {"name": name, **psi, "p_material_010": None, "p_material_025": None,
                           "p_material_method": None, "p_material_note": None, "q_value": None,
                           "status": None, "bins": bins}
    if points is not None:
        row["mean_points_shift"] = float(np.dot(np.asarray(points), cur_share - ref_share))
        row["shares"] = {
            kind: {
                "reference": float(ref_share[np.asarray(kinds) == kind].sum()),
                "current": float(cur_share[np.asarray(kinds) == kind].sum()),
            }
            for kind in ("missing", "special", "unseen")
        }
    for key in ("psi", "psi_se", "psi_ci_low", "psi_ci_high", "statistic", "p_value"):
        if row[key] is not None:
            row[key] = _json_float(row[key])
    return row, result


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


class DriftReport:
    """A drift report: plain JSON-ready data with a few accessors.

    ``to_dict()`` returns the data (a deep copy), ``from_dict(d)`` rebuilds the report exactly;
    ``to_frame()`` has one row per characteristic plus a row named "score".
    """

    def __init__(self, data: Mapping[str, Any], *, _copy: bool = True) -> None:
        self._data = copy.deepcopy(dict(data)) if _copy else dict(data)

    # -- serialisation ------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON data (dicts, lists, str, int, float, bool, None)."""
        return copy.deepcopy(self._data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DriftReport:
        """Rebuild a report from ``to_dict()`` output; InputError if it is not one."""
        if not isinstance(data, Mapping):
            raise InputError(f"a drift report must be a dict, got {type(data).__name__}.")
        required = ("report_version", "status", "n_reference", "n_current", "characteristics",
                    "score")
        missing = [k for k in required if k not in data]
        if missing:
            raise InputError(
                f"not a drift report: missing key(s) {', '.join(missing)} (expected the output "
                "of DriftReport.to_dict())."
            )
        if data["report_version"] != REPORT_VERSION:
            raise InputError(
                f"drift report version {data['report_version']!r} is not supported (this version "
                f"reads {REPORT_VERSION})."
            )
        return cls(data)

    def to_frame(self) -> pd.DataFrame:
        """One row per characteristic plus the score: name, psi, psi_se, CI, p-values, status."""
        rows = [*self._data["characteristics"]]
        if self._data["score"] is not None:
            rows.append(self._data["score"])
        frame = pd.DataFrame(
            [{c: r.get(c) for c in FRAME_COLUMNS} for r in rows], columns=list(FRAME_COLUMNS)
        )
        for column in FRAME_COLUMNS[1:-1]:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(np.float64)
        return frame

    # -- accessors ----------------------------------------------------------------------------

    @property
    def status(self) -> str:
        """Worst status: "stable", "watch" or "material" ("empty" when there is no current row)."""
        return self._data["status"]

    @property
    def n_reference(self) -> int:
        return int(self._data["n_reference"])

    @property
    def n_current(self) -> int:
        return int(self._data["n_current"])

    @property
    def period(self) -> str | None:
        return self._data.get("period")

    @property
    def score_edges(self) -> list[int]:
        """The score bands' interior edges (store them with a monitor to reuse the bands)."""
        return list(self._data["score_edges"])

    @property
    def target(self) -> dict[str, Any] | None:
        """The target part (bad rates, AUC, KS, score IV, calibration) or None."""
        return copy.deepcopy(self._data.get("target"))

    def characteristic(self, name: str) -> dict[str, Any]:
        """The full row of one characteristic (or "score"), bins included."""
        if name == SCORE_ROW and self._data["score"] is not None:
            return copy.deepcopy(self._data["score"])
        for row in self._data["characteristics"]:
            if row["name"] == name:
                return copy.deepcopy(row)
        raise InputError(f"no characteristic {name!r} in this report.")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DriftReport) and other._data == self._data

    def __repr__(self) -> str:
        period = f" period={self.period!r}" if self.period is not None else ""
        return (f"DriftReport({self.status}{period}, n_reference={self.n_reference}, "
                f"n_current={self.n_current}, {len(self._data['characteristics'])} characteristics)")


def _check_options(reference_mode: object, level: object) -> tuple[str, float]:
    if reference_mode not in ("sample", "fixed"):
        raise InputError(
            f"reference_mode must be 'sample' (both windows are samples, the default) or 'fixed' "
            f"(the reference is a known population), got {reference_mode!r}."
        )
    if isinstance(level, bool) or not isinstance(level, (int, float)) or not 0 < level < 1:
        raise InputError(f"level must be a confidence level in (0, 1), got {level!r}.")
    return str(reference_mode), float(level)


def report_from_counts(
    frozen: FrozenBins,
    reference: SampleCounts,
    current: SampleCounts,
    *,
    reference_mode: str = "sample",
    level: float = 0.95,
    thresholds: DriftThresholds | Mapping[str, Any] | None = None,
    score_edges: Sequence[int] | None = None,
    period: str | None = None,
) -> DriftReport:
    """The drift report from the counts of the two samples (see `drift_report`)."""
    reference_mode, level = _check_options(reference_mode, level)
    thresholds = DriftThresholds.coerce(thresholds)
    if reference.n_rows == 0:
        raise InputError("the reference sample has no rows; a drift report needs a reference.")
    if score_edges is None:
        score_edges = score_band_edges(reference.score_values, reference.score_counts.sum(axis=1))
    score_edges = check_edges(score_edges)
    spec = frozen.spec
    data: dict[str, Any] = {
        "report_version": REPORT_VERSION,
        "model": {
            "name": spec["name"],
            "sha256": spec.get("integrity", {}).get("sha256") or compute_integrity(spec),
        },
        "period": period,
        "reference_mode": reference_mode,
        "level": level,
        "thresholds": asdict(thresholds),
        "n_reference": int(reference.n_rows),
        "n_current": int(current.n_rows),
        "score_edges": list(score_edges),
        "status": "empty",
        "characteristics": [],
        "score": None,
        "target": None,
    }
    if current.n_rows == 0:
        return DriftReport(data, _copy=False)
    options = {"reference_mode": reference_mode, "level": level}
    rows, results = [], []
    for ch, ref, cur in zip(frozen.characteristics, reference.bins, current.bins):
        row, result = _row(ch.name, ch.kinds, ch.labels, ch.points, ref, cur, **options)
        row["dtype"] = ch.dtype
        rows.append(row)
        results.append(result)
    p_values = [_nan(r["p_value"]) for r in rows]
    _, q_values = stats.benjamini_hochberg(p_values, q=thresholds.level_alpha)
    for row, q in zip(rows, q_values):
        row["q_value"] = _json_float(q)
    ref_bands = band_counts(reference.score_values, reference.score_counts, score_edges)
    cur_bands = band_counts(current.score_values, current.score_counts, score_edges)
    labels = band_labels(score_edges)
    score, score_result = _row(SCORE_ROW, ["interval"] * len(labels), labels, None, ref_bands,
                        cur_bands, **options)
    score["q_value"] = score["p_value"]  # its own family of one hypothesis
    _material_tests([*rows, score], [*results, score_result], thresholds)
    data["characteristics"] = rows
    data["score"] = score
    data["status"] = _worst([r["status"] for r in rows] + [score["status"]])
    data["target"] = target_report(
        frozen, reference, current, ref_bands, cur_bands, score_edges, level=level
    )
    return DriftReport(data, _copy=False)


def _sample_counts(frozen: FrozenBins, sample: object, what: str) -> SampleCounts:
    if is_dask(sample):
        from scorecard.monitoring._dask import dask_sample_counts

        return dask_sample_counts(frozen, sample, what)
    if is_spark(sample):
        from scorecard.monitoring._spark import spark_sample_counts

        return spark_sample_counts(frozen, sample, what)
    return SampleCounts.of_frame(frozen, sample, what)


def drift_report(
    spec: Mapping[str, Any],
    reference: pd.DataFrame,
    current: pd.DataFrame,
    *,
    reference_mode: str = "sample",
    **options: Any,
) -> DriftReport:
    """Drift of ``current`` against ``reference`` in the bins of a scorecard spec.

    ``reference_mode="sample"`` (default) treats both as samples (two-sample PSI variance);
    ``"fixed"`` treats the reference as a known population. Options (keywords of
    `report_from_counts`): ``level`` of the intervals (0.95); ``thresholds`` of the status rule
    (`DriftThresholds` or a dict); ``score_edges`` to fix the score bands (default: the
    reference's score deciles; a monitor stores and reuses them); ``period``, a label stored in
    the report. A current sample with the spec's target column (no missing values) gets the
    target part as well. Either sample may be a Dask or a Spark DataFrame: its partitions are
    counted where they live and the counts summed (``pip install scorecard[dask]`` or
    ``scorecard[spark]``), with the same result.
    """
    frozen = FrozenBins(spec)
    ref = _sample_counts(frozen, reference, "reference")
    cur = _sample_counts(frozen, current, "current")
    return report_from_counts(frozen, ref, cur, reference_mode=reference_mode, **options)
