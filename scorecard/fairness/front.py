"""The performance-fairness Pareto front: an epsilon-constraint sweep of the selection MIP, a
scorecard fitted on the training rows and evaluated on the hold-out at every point, and the
score-level method (penalised, sign-constrained logistic regression) as a second front.

Along the front the x axis is the hold-out score's IV between the primary protected attribute's
worst group and its reference group (with SE), the y axis the hold-out AUC (DeLong interval).
A point is dominated when another point of the same method has at least its AUC and at most its
disparity, better in one. The knee is the non-dominated point farthest above the chord joining
the front's ends (both axes scaled to [0, 1]).
"""

from __future__ import annotations

import json
import math
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from scorecard import __version__
from scorecard.validation import binary_target
from scorecard.exceptions import InputError, SpecError
from scorecard.fairness.analysis import characteristic_fairness
from scorecard.fairness.candidates import (
    DEFAULT_GRANULARITIES,
    build_candidates,
    correlated_pairs,
)
from scorecard.fairness.disparity import AIR_METHOD, model_fairness, plain
from scorecard.fairness.groups import ProtectedAttribute, protected_attribute
from scorecard.fairness.penalized import (
    DEFAULT_PENALTIES,
    SURROGATE,
    fair_logistic,
    spec_with_coefficients,
)
from scorecard.fairness.selection import InfeasibleSelection, SelectionModel, SelectionTimeLimit
from scorecard.model import metrics
from scorecard.model import spec as spec_module
from scorecard.model.split import split_rows

__all__ = ["FRONT_FORMAT", "ParetoFront", "fairness_front", "is_front_file", "load_front",
           "load_point_spec", "mark_front", "split_rows"]

FRONT_FORMAT = "scorecard.ParetoFront"
FRONT_VERSION = 1
POINT_COLUMNS = ["index", "method", "epsilon", "penalty", "n_characteristics", "iv_perf_sum",
                 "iv_fair_sum", "auc", "auc_ci_low", "auc_ci_high", "fair_iv", "fair_iv_se",
                 "air", "air_ci_low", "air_ci_high", "cutoff", "four_fifths", "dominated",
                 "knee"]


# ---------------------------------------------------------------------------------------------
# The result object
# ---------------------------------------------------------------------------------------------


@dataclass
class ParetoFront:
    """Front points of both methods (dicts, each with its full scorecard ``spec``), the
    per-characteristic fairness table, the candidate table, and how it was all made (``meta``).
    ``infeasible`` lists the budgets that had no feasible selection, with the reason."""

    points: list[dict]
    characteristics: pd.DataFrame
    candidates: pd.DataFrame
    meta: dict
    infeasible: list[dict] = field(default_factory=list)

    def table(self, method: str | None = None) -> pd.DataFrame:
        """One row per point (no specs): the numbers the report prints."""
        rows = []
        for p in self.points:
            if method is not None and p["method"] != method:
                continue
            rows.append({
                "index": p["index"], "method": p["method"], "epsilon": p["epsilon"],
                "penalty": p.get("penalty"), "n_characteristics": len(p["characteristics"]),
                "iv_perf_sum": p["iv_perf_sum"], "iv_fair_sum": p["iv_fair_sum"],
                "auc": p["auc"], "auc_ci_low": p["auc_ci"][0], "auc_ci_high": p["auc_ci"][1],
                "fair_iv": p["fair_iv"]["value"], "fair_iv_se": p["fair_iv"]["se"],
                "air": p["air"], "air_ci_low": (p["air_ci"] or [None, None])[0],
                "air_ci_high": (p["air_ci"] or [None, None])[1], "cutoff": p["cutoff"],
                "four_fifths": p["four_fifths"], "dominated": p["dominated"], "knee": p["knee"],
            })
        return pd.DataFrame(rows, columns=POINT_COLUMNS)

    def point(self, k: int) -> dict:
        """Point ``k`` (its ``index``)."""
        for p in self.points:
            if p["index"] == k:
                return p
        raise InputError(f"point {k} is not on this front; points are "
                         f"{', '.join(str(p['index']) for p in self.points) or '(none)'}.")

    def spec(self, k: int) -> dict:
        """The full scorecard spec of point ``k`` (validated, integrity checked)."""
        return spec_module.validate_spec(self.point(k)["spec"], check_integrity=True)

    def to_dict(self) -> dict:
        return {
            "format": FRONT_FORMAT,
            "version": FRONT_VERSION,
            "package_version": __version__,
            "meta": plain(self.meta),
            "points": plain(self.points),
            "infeasible": plain(self.infeasible),
            "characteristics": plain(self.characteristics.to_dict(orient="records")),
            "candidates": plain(self.candidates.to_dict(orient="records")),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, allow_nan=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> ParetoFront:
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise SpecError(f"not a front file (invalid JSON): {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FRONT_FORMAT:
            raise SpecError(f"not a {FRONT_FORMAT} document (a scorecard spec? use it without "
                            "--point).")
        if data.get("version") != FRONT_VERSION:
            raise SpecError(f"front version {data.get('version')!r} is not {FRONT_VERSION}: "
                            "upgrade scorecard.")
        try:
            return cls(points=list(data["points"]),
                       characteristics=pd.DataFrame(data["characteristics"]),
                       candidates=pd.DataFrame(data["candidates"]), meta=dict(data["meta"]),
                       infeasible=list(data.get("infeasible", [])))
        except (KeyError, TypeError) as exc:
            raise SpecError(f"malformed front document: {exc}") from None

    def save(self, path: str | os.PathLike) -> Path:
        from scorecard.io import write_atomic

        text = self.to_json()
        return write_atomic(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def chart(self):
        """Altair chart: hold-out AUC against the score's IV between groups, with error bars on
        both axes (AUC interval; IV interval), both methods, the knee and four-fifths marks."""
        import altair as alt

        data = self.table()
        if data.empty:
            return alt.Chart(pd.DataFrame({"x": []})).mark_point()
        data = data.assign(
            fair_low=[p["fair_iv"]["ci"][0] for p in self.points],
            fair_high=[p["fair_iv"]["ci"][1] for p in self.points],
            marks=[("knee " if p["knee"] else "") + ("AIR>=0.8" if p["four_fifths"] else "")
                   for p in self.points],
        )
        attribute = self.meta.get("primary", {}).get("name", "group")
        x_title = f"score IV between {attribute} groups (hold-out)"
        base = alt.Chart(data).encode(color=alt.Color("method:N"))
        points = base.mark_point(filled=True, size=70).encode(
            x=alt.X("fair_iv:Q", title=x_title), y=alt.Y("auc:Q", title="AUC (hold-out)",
                                                         scale=alt.Scale(zero=False)),
            shape=alt.Shape("four_fifths:N", title="AIR >= 0.8"),
            opacity=alt.condition("datum.dominated", alt.value(0.35), alt.value(1.0)),
            tooltip=["index", "method", "epsilon", "penalty", "n_characteristics", "auc",
                     "fair_iv", "air", "air_ci_low", "air_ci_high", "dominated", "knee"])
        ybars = base.mark_rule().encode(x="fair_iv:Q", y="auc_ci_low:Q", y2="auc_ci_high:Q")
        xbars = base.mark_rule().encode(y="auc:Q", x="fair_low:Q", x2="fair_high:Q")
        labels = base.mark_text(dx=8, dy=-8, align="left").encode(
            x="fair_iv:Q", y="auc:Q", text="marks:N")
        return (xbars + ybars + points + labels).properties(height=420)


def load_front(path: str | os.PathLike) -> ParetoFront:
    """Read a front file written by `ParetoFront.save` (or `scorecard fairness --out`)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"front file {str(path)!r} not found.")
    return ParetoFront.from_json(path.read_text(encoding="utf-8"))


def is_front_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` holds a front document (rather than one scorecard spec)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return f'"{FRONT_FORMAT}"' in handle.read(200)
    except (OSError, UnicodeDecodeError):
        return False


def load_point_spec(path: str | os.PathLike, k: int) -> dict:
    """The scorecard spec of point ``k`` of a saved front, ready to score or export; checked as
    `scorecard.model.spec.load_spec` checks a spec file (integrity hash, structure, plausibility,
    and the HMAC signature when ``$SCORECARD_SPEC_KEY`` is set)."""
    return spec_module.verify_spec(load_front(path).point(k)["spec"],
                                   source=f"point {k} of front file {str(path)!r}")


# ---------------------------------------------------------------------------------------------
# Dominance and knee
# ---------------------------------------------------------------------------------------------


def mark_front(points: list[dict]) -> None:
    """Set ``dominated`` and ``knee`` on each point, per method (maximise AUC, minimise the
    score's IV between groups)."""
    for method in {p["method"] for p in points}:
        group = [p for p in points if p["method"] == method]
        for p in group:
            p["dominated"] = any(
                q["auc"] >= p["auc"] and q["fair_iv"]["value"] <= p["fair_iv"]["value"]
                and (q["auc"] > p["auc"] or q["fair_iv"]["value"] < p["fair_iv"]["value"])
                for q in group)
            p["knee"] = False
        front = sorted((p for p in group if not p["dominated"]),
                       key=lambda p: p["fair_iv"]["value"])
        distinct = {(p["auc"], p["fair_iv"]["value"]) for p in front}
        if len(distinct) < 3:
            continue
        x = np.array([p["fair_iv"]["value"] for p in front])
        y = np.array([p["auc"] for p in front])
        xs = (x - x.min()) / (np.ptp(x) or 1.0)
        ys = (y - y.min()) / (np.ptp(y) or 1.0)
        front[int(np.argmax(ys - xs))]["knee"] = True


# ---------------------------------------------------------------------------------------------
# The sweep
# ---------------------------------------------------------------------------------------------


def _z_from_confidence(confidence: float | None) -> float:
    if confidence is None:
        return 0.0
    if not 0.5 <= confidence < 1:
        raise InputError(f"confidence={confidence!r} must be in [0.5, 1); 0.5 gives z = 0 "
                         "(the nominal front).")
    return float(special.ndtri(confidence))


def _evaluate_point(score: np.ndarray, label: np.ndarray, attributes: Sequence[ProtectedAttribute],
                    *, cutoff: float | None, cutoff_rate: float, level: float) -> dict:
    ev = metrics.evaluate(label, score, level=level)
    fairness = [model_fairness(score, label, a, cutoff=cutoff, cutoff_rate=cutoff_rate,
                               level=level) for a in attributes]
    primary = fairness[0]
    return {
        "auc": ev["auc"]["value"], "auc_se": ev["auc"]["se"], "auc_ci": ev["auc"]["ci"],
        "gini": ev["gini"]["value"], "gini_ci": ev["gini"]["ci"],
        "score_iv": {k: ev["score_iv"][k] for k in ("value", "se", "ci", "ci_method")},
        "fair_iv": {k: primary["score_iv_groups"][k]
                    for k in ("group", "value", "se", "ci", "ci_method")},
        "air": primary["air"], "air_ci": primary["air_ci"], "air_group": primary["air_group"],
        "cutoff": primary["cutoff"], "approval_rate": primary["approval_rate"],
        "approval_by_group": primary["approval_by_group"], "smd": primary["smd"],
        "four_fifths": primary["four_fifths"],
        "by_group": primary["group_metrics"].to_dict(),
        "other_attributes": {
            f["attribute"]: {"air": f["air"], "air_ci": f["air_ci"], "air_group": f["air_group"],
                             "four_fifths": f["four_fifths"],
                             "fair_iv": {k: f["score_iv_groups"][k]
                                         for k in ("group", "value", "se", "ci")},
                             "smd": f["smd"]}
            for f in fairness[1:]},
    }


def _attributes(frame: pd.DataFrame, protected: Sequence[str], target: str,
                reference_group: object, bands: Mapping[str, Any] | None,
                groups: Mapping[str, Mapping] | None) -> list[ProtectedAttribute]:
    if isinstance(protected, str):
        protected = [protected]
    if not protected:
        raise InputError("give at least one protected attribute (--protected COL).")
    if len(set(protected)) != len(protected):
        raise InputError("a protected attribute is listed twice.")
    refs = reference_group if isinstance(reference_group, Mapping) else (
        {} if reference_group is None else {protected[0]: reference_group})
    return [protected_attribute(frame, col, target=target, reference_group=refs.get(col),
                                bands=(bands or {}).get(col), groups=(groups or {}).get(col))
            for col in protected]


def fairness_front(
    frame: pd.DataFrame,
    target: str,
    protected: Sequence[str] | str,
    *,
    bad_value: object = None,
    reference_group: object = None,
    bands: Mapping[str, Any] | None = None,
    groups: Mapping[str, Mapping] | None = None,
    include_protected: bool = False,
    exclude: Sequence[str] = (),
    special_values: Mapping[str, Sequence[float]] | None = None,
    holdout: float = 0.3,
    seed: int = 0,
    eps_grid: int | Sequence[float] = 20,
    confidence: float | None = None,
    level: float = 0.95,
    cutoff: float | None = None,
    cutoff_rate: float = 0.7,
    compliance_eps: float = 0.02,
    granularities: Sequence[int | None] = DEFAULT_GRANULARITIES,
    corr_threshold: float | None = 0.8,
    min_characteristics: int | None = None,
    max_characteristics: int | None = None,
    must_include: Sequence[str] = (),
    must_exclude: Sequence[str] = (),
    solver: object = None,
    time_limit: float | None = None,
    penalties: Sequence[float] | None = DEFAULT_PENALTIES,
    n_jobs: int | None = None,
) -> ParetoFront:
    """Trace the performance-fairness front of ``frame`` (one row per application).

    Characteristics: every column except the target, the protected attributes (unless
    ``include_protected``) and ``exclude``. The MIP budgets the first protected attribute; the
    others are evaluated at every point. ``confidence`` sets z = Phi^-1(confidence) in the
    budget (None: z = 0, the nominal front). ``eps_grid``: number of budgets spanning the
    smallest feasible to the unconstrained optimum's cost, or explicit budgets. ``penalties``:
    the score-level method's penalty weights (None: skip it). ``n_jobs``: threads of the
    candidates' binning (BinningProcess's convention: None = 1, -1 every core); the front does
    not depend on it, and it enters no spec.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"frame must be a DataFrame, got {type(frame).__name__}.")
    if target not in frame.columns:
        raise InputError(f"target column {target!r} not found; available columns: "
                         f"{', '.join(map(str, list(frame.columns)[:30]))}.")
    attributes = _attributes(frame, protected, target, reference_group, bands, groups)
    missing = [c for c in exclude if c not in frame.columns]
    if missing:
        raise InputError(f"exclude names unknown column(s) {', '.join(map(repr, missing))}.")
    label = binary_target(frame[target], name=target, bad_value=bad_value)
    not_inputs = {target, *exclude, *([] if include_protected else [a.name for a in attributes])}
    columns = [c for c in frame.columns if c not in not_inputs]
    if not columns:
        raise InputError("there are no characteristics besides the target, the protected "
                         "attributes and excluded columns.")
    z = _z_from_confidence(confidence)
    train, test = split_rows(label, holdout, seed)
    X_train, X_test = frame.iloc[train][columns], frame.iloc[test][columns]
    y_raw_train = frame[target].iloc[train]
    y_train, y_test = label[train], label[test]
    attrs_train = [a.subset(train) for a in attributes]
    attrs_test = [a.subset(test) for a in attributes]
    binning_params = {"special_values": dict(special_values)} if special_values else {}
    if n_jobs is not None:
        binning_params["n_jobs"] = n_jobs

    candidates = build_candidates(X_train, y_train, attrs_train, granularities=granularities,
                                  binning_params=binning_params, level=level)
    finest = candidates.processes[max(candidates.processes,
                                      key=lambda g: math.inf if g is None else g)]
    char_table = characteristic_fairness(finest, X_test, y_test, attrs_test, eps=compliance_eps,
                                         level=level)
    pairs = correlated_pairs(candidates.spearman, corr_threshold)
    model = SelectionModel(candidates.table, z=z,
                           min_characteristics=max(1, min_characteristics or 1),
                           max_characteristics=max_characteristics, must_include=must_include,
                           must_exclude=must_exclude, exclusive_pairs=pairs, solver=solver,
                           time_limit=time_limit)
    meta = {
        "target": target, "bad_value": spec_module_bad_value(frame[target], label),
        "protected": [a.describe() for a in attributes],
        "primary": attributes[0].describe(), "characteristics": columns,
        "n_rows": len(frame), "n_train": int(train.size), "n_holdout": int(test.size),
        "holdout": holdout, "seed": seed, "split": "stratified by target "
        "(sklearn train_test_split)" if holdout else "none: evaluated on the training rows",
        "z": z, "confidence": confidence, "level": level, "cutoff": cutoff,
        "cutoff_rate": cutoff_rate, "compliance_eps": compliance_eps,
        "granularities": [g for g in granularities], "corr_threshold": corr_threshold,
        "exclusive_pairs": [list(p) for p in pairs], "solver": str(solver or "cbc"),
        "air_method": AIR_METHOD, "score_level_surrogate": SURROGATE,
        "fair_axis": "score IV between the primary attribute's worst group and its reference "
                     "group over 10 quantile bands of the hold-out score",
    }
    smallest = model.min_budget()
    if smallest is None:
        reason = InfeasibleSelection("no selection meets the constraints at any budget")
        return ParetoFront([], char_table, candidates.table, meta,
                           [{"epsilon": None, "reason": str(reason)}])
    largest = model.max_budget()
    if isinstance(eps_grid, (int, np.integer)) and not isinstance(eps_grid, bool):
        if eps_grid < 1:
            raise InputError(f"eps_grid={eps_grid!r} must be >= 1 (number of budgets).")
        grid = list(np.linspace(smallest, largest, int(eps_grid))) if eps_grid > 1 else [largest]
    else:
        grid = [float(e) for e in eps_grid]
    meta["eps_range"] = [smallest, largest]

    evaluate = dict(cutoff=cutoff, cutoff_rate=cutoff_rate, level=level)
    points: list[dict] = []
    infeasible: list[dict] = []
    fitted: dict[tuple, dict] = {}
    for eps in grid:
        try:
            chosen = model.solve(eps)
        except InfeasibleSelection as exc:
            infeasible.append({"epsilon": eps, "reason": str(exc), "min_budget": exc.min_budget})
            continue
        except SelectionTimeLimit as exc:
            infeasible.append({"epsilon": eps, "reason": str(exc), "min_budget": None})
            continue
        key = tuple(sorted(zip(chosen["characteristic"], chosen["candidate"])))
        if key not in fitted:
            fitted[key] = _fit_point(chosen, columns, candidates, X_train, y_raw_train, X_test,
                                     y_test, attrs_test, target, bad_value, evaluate)
        card = fitted[key]
        points.append({
            "index": len(points), "method": "mip", "epsilon": float(eps), "penalty": None,
            "characteristics": card["characteristics"], "candidates": card["candidates"],
            "iv_perf_sum": float(chosen["iv_perf"].sum()),
            "iv_fair_sum": float(chosen["iv_fair"].sum()),
            "fair_cost": chosen.attrs["fair_cost"], "solver_status": chosen.attrs["status"],
            **card["evaluation"], "spec": card["spec"],
        })
    if penalties:
        top = model.solve(math.inf)
        key = tuple(sorted(zip(top["characteristic"], top["candidate"])))
        base = fitted.get(key) or _fit_point(top, columns, candidates, X_train, y_raw_train,
                                             X_test, y_test, attrs_test, target, bad_value,
                                             evaluate)
        points.extend(_score_level(base, penalties, X_train, y_train, X_test, y_test, attrs_train,
                                   attrs_test, evaluate, start=len(points)))
    mark_front(points)
    return ParetoFront(points, char_table, candidates.table, meta, infeasible)


def spec_module_bad_value(target: pd.Series, label: np.ndarray) -> object:
    value = target.to_numpy()[np.flatnonzero(label == 1)[0]]
    return value.item() if isinstance(value, np.generic) else value


def _fit_point(chosen: pd.DataFrame, columns: Sequence[str], candidates, X_train, y_raw_train,
               X_test, y_test, attrs_test, target, bad_value, evaluate) -> dict:
    from scorecard.model.scorecard import Scorecard

    grain = dict(zip(chosen["characteristic"], chosen["max_n_bins"]))
    cols = [c for c in columns if c in grain]
    process = candidates.fitted_process(grain, cols)
    card = Scorecard(process, target_name=target, bad_value=bad_value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sign warnings are recorded in the spec
        card.fit(X_train[cols], y_raw_train)
    score = card.score(X_test[card.characteristics_])
    out = {
        "characteristics": list(card.characteristics_),
        "candidates": {c: str(v) for c, v in zip(chosen["characteristic"], chosen["candidate"])},
        "evaluation": _evaluate_point(score, y_test, attrs_test, **evaluate),
        "spec": card.to_spec(),
        "card": card,
    }
    return out


def _score_level(base: dict, penalties, X_train, y_train, X_test, y_test, attrs_train,
                 attrs_test, evaluate, *, start: int) -> list[dict]:
    card = base["card"]
    names = list(card.characteristics_)
    process = card.binning_process_
    fitted_on = list(getattr(process, "feature_names_in_", names))
    woe = pd.DataFrame(process.transform(X_train[fitted_on], metric="woe"), columns=fitted_on,
                       index=X_train.index)[names].to_numpy()
    coef0 = np.asarray(card.coef_, dtype=np.float64)
    out = []
    previous = coef0
    for lam in penalties:
        coef, intercept, info = fair_logistic(woe, y_train, attrs_train[0], float(lam), C=card.C,
                                              start=previous)
        previous = coef
        spec = spec_with_coefficients(
            card.spec_, coef, intercept, train_frame=X_train[names], train_label=y_train,
            model_info={"type": "sign-constrained logistic regression with a disparity penalty",
                        "penalty_weight": float(lam), "surrogate": SURROGATE,
                        "constraint": "every WoE coefficient <= 0", **info})
        score = spec_module.score_frame(spec, X_test[names])["score"].to_numpy()
        out.append({
            "index": start + len(out), "method": "score-level", "epsilon": None,
            "penalty": float(lam), "characteristics": names,
            "candidates": base["candidates"],
            "iv_perf_sum": None, "iv_fair_sum": None, "fair_cost": None,
            "solver_status": "converged" if info["converged"] else info["message"],
            "disparity_surrogate": info["disparity_surrogate"],
            **_evaluate_point(score, y_test, attrs_test, **evaluate), "spec": spec,
        })
    return out
