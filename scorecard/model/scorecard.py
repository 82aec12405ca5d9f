"""The Scorecard estimator: bins, an additive model over them, integer points and the spec.

Three encodings of the same bins, all additive over characteristics:

- ``woe-lr``: logistic regression on the WoE of each characteristic's bin. Under our WoE sign
  (ln(goods share / bads share): positive = lower risk) and a model of P(bad), every
  coefficient should be negative; a positive one (usually collinearity) raises a
  `CoefficientSignWarning` naming the characteristic.
- ``onehot-lr``: logistic regression on one indicator per bin.
- ``xgb-stumps``: XGBoost with depth-1 trees on the WoE columns, constrained so P(bad) never
  increases with WoE. Each tree splits one feature, so the margin is a sum of one function per
  feature; it is read off by evaluating the booster at every bin's WoE with the other features
  held at the reference WoE 0 (the average risk).

Every encoding is reduced to one contribution to the log-odds of bad per (characteristic, bin)
plus an intercept, then scaled to points (`scorecard.model.scaling`). Bins without training rows
(for instance the missing bin when the training data had no missing values) get contribution 0:
neutral, no evidence either way (WoE 0 for woe-lr and xgb-stumps, the intercept's level for
onehot-lr, whose indicator for such a bin never fires in training). Unseen categories get the
points of the bin the binning's ``unseen`` policy sends them to (the missing bin by default;
contribution 0 for ``unseen="zero"``).

The fitted card is a spec (`scorecard.model.spec`, schema_version 1): `Scorecard.score` scores
through the spec's reference scorer, so the estimator and every export agree by construction.
"""

from __future__ import annotations

import copy
import hashlib
import math
import numbers
import os
import warnings
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone

from scorecard import __version__, stats
from scorecard._validation import binary_target, check_weights
from scorecard.binning import BinningProcess, BinningTable
from scorecard.binning.binner import jsonable
from scorecard.exceptions import InputError, NotFittedError, ScorecardError
from scorecard.model import metrics
from scorecard.model import spec as spec_module
from scorecard.model.scaling import CardPoints, PointsScaling, round_half_up, scale_points

__all__ = [
    "CoefficientSignWarning",
    "ENCODINGS",
    "Scorecard",
    "ScorecardWarning",
    "evaluate_spec",
    "exact_scores",
    "load_scorecard",
    "spec_probability_of_default",
    "training_data_sha256",
]

ENCODINGS = ("woe-lr", "onehot-lr", "xgb-stumps")
XGB_SEED = 0
XGB_THREADS = 2
LR_MAX_ITER = 1000
DATA_HASH_METHOD = (
    "sha256 of the UTF-8 CSV text written by pandas DataFrame.to_csv(index=False, "
    "lineterminator='\\n') of the training columns X followed by the target column"
)
EMPTY_BINS = "bins without training rows get contribution 0 to the log-odds (neutral points)"


class ScorecardWarning(UserWarning):
    """A scorecard was fitted, with something the user should look at."""


class CoefficientSignWarning(ScorecardWarning):
    """A woe-lr coefficient has the unexpected (positive) sign."""


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise InputError(f"{name}={value!r} must be one of {', '.join(map(repr, choices))}.")
    return value  # type: ignore[return-value]


def _check_positive(value: object, name: str, *, upper: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise InputError(f"{name}={value!r} must be a finite number.")
    if value <= 0 or (upper is not None and value > upper):
        bound = f" and <= {upper}" if upper is not None else ""
        raise InputError(f"{name}={value!r} must be > 0{bound}.")
    return float(value)


def _check_count(value: object, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise InputError(f"{name}={value!r} must be an integer >= {low}.")
    return int(value)


def _json_scalar(value: object) -> object:
    """A target value as a JSON scalar (numpy scalars to Python; anything else as text)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value) if value.is_integer() else value
    return str(value)


def _as_frame(X: object, names: Sequence[str] | None = None) -> pd.DataFrame:
    """X as a DataFrame with string column names (arrays get `names`, else x0, x1, ...)."""
    if X is None:
        raise InputError("X is None; pass the applications to score (a DataFrame).")
    if isinstance(X, pd.DataFrame):
        if not all(isinstance(c, str) for c in X.columns):
            if names is not None and X.shape[1] == len(names):
                return X.set_axis(list(names), axis=1)
            return X.set_axis([f"x{i}" for i in range(X.shape[1])], axis=1)
        return X
    arr = np.asarray(X)
    if arr.ndim != 2:
        raise InputError(
            f"X must be 2-D (rows x characteristics), got shape {arr.shape}; pass a DataFrame."
        )
    if names is None:
        names = [f"x{i}" for i in range(arr.shape[1])]
    elif arr.shape[1] != len(names):
        raise InputError(
            f"X has {arr.shape[1]} columns but the scorecard was fitted on {len(names)}."
        )
    return pd.DataFrame(arr, columns=list(names))


def training_data_sha256(X: pd.DataFrame, y: object, target_name: str = "target") -> str:
    """sha256 of the training data: the CSV text of X's columns followed by the target column.

    The text is ``pandas.DataFrame.to_csv(index=False, lineterminator="\\n")`` encoded as UTF-8,
    so anyone holding the same rows (same column order and values) can reproduce the digest.
    """
    frame = _as_frame(X)
    target = pd.Series(np.asarray(y), index=frame.index, name=target_name)
    data = pd.concat([frame.drop(columns=[target_name], errors="ignore"), target], axis=1)
    text = data.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _bad_value_of(y: object, label: np.ndarray) -> object:
    values = y.to_numpy() if isinstance(y, pd.Series) else np.asarray(y)
    return _json_scalar(values[np.flatnonzero(label == 1)[0]])


# ---------------------------------------------------------------------------------------------
# One characteristic: the binning table's bins in the spec's order
# ---------------------------------------------------------------------------------------------


class _Layout:
    """How a BinningTable's bins map to a spec characteristic's bins.

    Numeric: the same order (intervals, missing, specials). Categorical: the spec puts the
    category groups, then one bin per special category, then the missing bin last. Arrays in
    table order may carry one extra slot at the end for unseen categories.
    """

    def __init__(self, table: BinningTable) -> None:
        self.table = table
        self.name = table.name
        self.categorical = table.dtype == "categorical"
        n = table.n_bins
        if self.categorical:
            if table.unseen not in spec_module.UNSEEN_POLICIES:
                raise InputError(
                    f"column {table.name!r} uses unseen={table.unseen!r}, which a deployed "
                    "scorecard cannot honour (SQL and PMML must score every row). Bin it with "
                    "unseen='missing', 'other' or 'zero'."
                )
            others = [j for j in range(n) if j != table.missing_bin]
            self.spec_order = [*others, table.missing_bin]
            members: dict[int, list[str]] = {j: [] for j in others}
            for category, j in (table.categories or {}).items():
                members[int(j)].append(str(category))
            empty = [table.labels[j] for j in others if not members[j]]
            if empty:
                raise ScorecardError(
                    f"column {table.name!r}: bin(s) {empty} list no category; cannot write them "
                    "to the spec."
                )
            if not others:
                raise InputError(
                    f"column {table.name!r} has no category bin (only the missing bin); drop it."
                )
            self.members = members
        else:
            self.spec_order = list(range(n))
            self.members = {}

    @property
    def n_slots(self) -> int:
        return self.table.n_bins + (1 if self.categorical else 0)

    def with_unseen(self, per_bin: np.ndarray) -> np.ndarray:
        """Per-bin values plus the unseen slot: the unseen bin's value, or 0 for unseen='zero'."""
        per_bin = np.asarray(per_bin, dtype=np.float64)
        if not self.categorical:
            return per_bin
        unseen = per_bin[self.table.unseen_bin] if self.table.unseen_bin >= 0 else 0.0
        return np.append(per_bin, unseen)

    def lookup(self, values: np.ndarray, bins: np.ndarray) -> np.ndarray:
        """values[bin] per row; bin -1 (an unseen category under unseen='zero') reads the slot."""
        slots = values if self.categorical else np.append(values, 0.0)
        return slots[bins]

    def spec(self, exact: np.ndarray, points: np.ndarray) -> dict[str, Any]:
        """The characteristic as the spec writes it (schema_version 1)."""
        table = self.table
        bins = []
        for j in self.spec_order:
            info = {
                "points": int(points[j]),
                "points_exact": float(exact[j]),
                "woe": None if math.isnan(table.woe[j]) else float(table.woe[j]),
                "goods": table.goods[j].item(),
                "bads": table.bads[j].item(),
            }
            kind = table.kinds[j]
            if kind == "interval":
                edges = [None, *(float(e) for e in table.splits), None]
                bins.append({"kind": "interval", "lower": edges[j], "upper": edges[j + 1],
                             "label": table.labels[j], **info})
            elif kind == "missing":
                bins.append({"kind": "missing", "label": table.labels[j], **info})
            elif kind == "special" and not self.categorical:
                value = float(table.special_values[j - table.missing_bin - 1])
                bins.append({"kind": "special", "value": value, "label": table.labels[j], **info})
            else:
                bins.append({"kind": "categories", "categories": self.members[j],
                             "label": table.labels[j], **info})
        out: dict[str, Any] = {"name": self.name, "dtype": table.dtype}
        if self.categorical:
            out["unseen"] = table.unseen
            out["bins"] = bins
            out["unseen_points"] = int(points[-1])
        else:
            out["edges"] = [float(e) for e in table.splits]
            out["special_values"] = [float(v) for v in table.special_values]
            out["bins"] = bins
        return out

    def in_spec_order(self, per_slot: np.ndarray) -> list[float]:
        return [float(per_slot[j]) for j in self.spec_order]


# ---------------------------------------------------------------------------------------------
# Scoring from a spec alone
# ---------------------------------------------------------------------------------------------


def _spec_bin_indices(spec: Mapping[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """(rows, characteristics) index of each row's spec bin (unseen category: len(bins)).

    Computed by the reference scorer itself (a one-characteristic copy of the spec whose
    points are the bin indices), so it can never disagree with `score_frame`.
    """
    characteristics = spec["characteristics"]
    out = np.empty((len(frame), len(characteristics)), dtype=np.int64)
    base = {k: v for k, v in spec.items() if k not in ("integrity", "characteristics")}
    base["intercept_points"] = 0
    base["scaling"] = {**spec["scaling"], "min_score": None, "max_score": None}
    for c, ch in enumerate(characteristics):
        indexed = copy.deepcopy(ch)
        for j, bin_ in enumerate(indexed["bins"]):
            bin_["points"] = j
        if indexed["dtype"] == "categorical":
            indexed["unseen_points"] = len(indexed["bins"])
        one = {**base, "characteristics": [indexed]}
        out[:, c] = spec_module.score_frame(one, frame)["score"].to_numpy()
    return out


def exact_scores(spec: Mapping[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """Unrounded, unclipped scores: the exact points of each row's bins plus the exact intercept.

    Uses ``points_exact`` and the model section's ``intercept_points_exact`` and
    ``unseen_points_exact``; a spec without them (written by hand) gives its integer scores.
    """
    spec_module.validate_spec(spec)
    model = spec.get("model", {})
    intercept = model.get("intercept_points_exact")
    if intercept is None:
        return spec_module.score_frame(
            {**spec, "scaling": {**spec["scaling"], "min_score": None, "max_score": None}},
            frame,
        )["score"].to_numpy(dtype=np.float64)
    unseen_exact = model.get("unseen_points_exact", {})
    indices = _spec_bin_indices(spec, frame)
    total = np.full(len(frame), float(intercept))
    for c, ch in enumerate(spec["characteristics"]):
        values = [b.get("points_exact", b["points"]) for b in ch["bins"]]
        values = [float(b["points"]) if v is None else float(v) for b, v in zip(ch["bins"], values)]
        if ch["dtype"] == "categorical":
            values.append(float(unseen_exact.get(ch["name"], ch["unseen_points"])))
        total += np.asarray(values)[indices[:, c]]
    return total


def spec_probability_of_default(spec: Mapping[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """P(bad) of the exact (unrounded) model the spec was built from, per row of ``frame``."""
    scaling = spec["scaling"]
    log_odds_bad = (scaling["offset"] - exact_scores(spec, frame)) / scaling["factor"]
    return 1.0 / (1.0 + np.exp(-log_odds_bad))


def _evaluate(label: np.ndarray, score: np.ndarray, pd_: np.ndarray, **options: Any) -> dict:
    return metrics.evaluate(label, score, pd_, **options)


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
    spec_module.validate_spec(spec)
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"frame must be a pandas DataFrame, got {type(frame).__name__}.")
    target = spec["target"]["name"]
    if target not in frame.columns:
        raise InputError(
            f"target column {target!r} (named in the scorecard) not found in the data; available "
            f"columns: {', '.join(map(str, list(frame.columns)[:20]))}."
        )
    label = binary_target(frame[target], name=target, bad_value=spec["target"]["bad_value"])
    score = spec_module.score_frame(spec, frame)["score"].to_numpy()
    pd_ = spec_probability_of_default(spec, frame)
    return _evaluate(label, score, pd_, level=level, n_bands=n_bands, hl_df=hl_df)


def load_scorecard(path: str | os.PathLike) -> dict:
    """Read a saved scorecard: the spec dict (validated; its integrity hash checked)."""
    return spec_module.load_spec(path)


# ---------------------------------------------------------------------------------------------
# The estimator
# ---------------------------------------------------------------------------------------------


class Scorecard(BaseEstimator):
    """A credit scorecard: binning, an additive model over the bins, and integer points.

    Parameters
    ----------
    binning_process : BinningProcess, fitted or not. A fitted one is used as it is (a copy);
        an unfitted one is cloned and fitted on the training rows; None uses BinningProcess()
        with its defaults. Only its selected characteristics enter the card.
    encoding : "woe-lr" (default), "onehot-lr" or "xgb-stumps" (module docstring).
    C : inverse strength of the L2 penalty of the logistic regressions (scikit-learn's C:
        smaller = stronger shrinkage towards 0). The intercept is not penalised.
    n_rounds, learning_rate : boosting rounds and shrinkage of xgb-stumps (which otherwise uses
        XGBoost's defaults, e.g. reg_lambda=1, with seed 0 and 2 threads).
    base_score, base_odds, pdo : a score of base_score means odds of good base_odds : 1; pdo
        more points double those odds (`scorecard.model.scaling`).
    min_score, max_score : optional integer clip range of the final score.
    n_reason_codes : default number of reason codes of the `reason_codes` method.
    target_name : the target's name in the spec (default: y's name, else "target").
    bad_value : the value of y that means bad (default: inferred, see
        `scorecard._validation.binary_target`: True, the larger number, or "bad"-like text).
    name : free-text name of the spec (default "<target> <encoding>").

    Attributes
    ----------
    binning_process_ : the fitted BinningProcess. characteristics_ : the card's characteristics.
    estimator_ : the fitted LogisticRegression or XGBClassifier.
    intercept_ : model intercept (log-odds of bad); contributions_ : dict characteristic ->
        contribution to the log-odds of bad per binning-table bin.
    coef_ : woe-lr: one coefficient per characteristic; onehot-lr: one per bin (all
        characteristics' bins concatenated in table order). Not set for xgb-stumps.
    unexpected_sign_ : woe-lr characteristics with a positive coefficient.
    scaling_ : PointsScaling. card_points_ : CardPoints (exact and integer points per bin).
    rounding_error_ : dict max_abs, mean_abs (|integer - exact score| on the training rows,
        before clipping), bound (attainable worst case) and bound_loose (0.5 * (m + 1)).
    spec_ : the sealed spec (dict). points_table_ : one row per bin (DataFrame).
    train_metrics_ : `metrics.evaluate` on the training rows. n_train_, data_sha256_.
    target_name_, bad_value_, classes_ ([0, 1]; 1 = bad).

    Notes
    -----
    ``score`` returns the card's integer score (higher = lower risk), not scikit-learn's
    accuracy. Training metrics and the rounding error are unweighted even with sample_weight.
    """

    def __init__(
        self,
        binning_process: BinningProcess | None = None,
        encoding: str = "woe-lr",
        C: float = 1.0,
        n_rounds: int = 100,
        learning_rate: float = 0.1,
        base_score: float = 600,
        base_odds: float = 50,
        pdo: float = 20,
        min_score: int | None = None,
        max_score: int | None = None,
        n_reason_codes: int = 3,
        target_name: str | None = None,
        bad_value: object = None,
        name: str | None = None,
    ) -> None:
        self.binning_process = binning_process
        self.encoding = encoding
        self.C = C
        self.n_rounds = n_rounds
        self.learning_rate = learning_rate
        self.base_score = base_score
        self.base_odds = base_odds
        self.pdo = pdo
        self.min_score = min_score
        self.max_score = max_score
        self.n_reason_codes = n_reason_codes
        self.target_name = target_name
        self.bad_value = bad_value
        self.name = name

    # ------------------------------------------------------------------ sklearn plumbing

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.target_tags.required = True
        return tags

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "spec_")

    def _check_fitted(self) -> None:
        if not hasattr(self, "spec_"):
            raise NotFittedError("This Scorecard is not fitted yet; call fit(X, y) first.")

    def _check_params(self) -> PointsScaling:
        _check_choice(self.encoding, "encoding", ENCODINGS)
        _check_positive(self.C, "C")
        _check_count(self.n_rounds, "n_rounds", 1)
        _check_positive(self.learning_rate, "learning_rate", upper=1.0)
        _check_count(self.n_reason_codes, "n_reason_codes", 0)
        if self.binning_process is not None and not isinstance(self.binning_process,
                                                               BinningProcess):
            raise InputError(
                f"binning_process must be a BinningProcess or None, got "
                f"{type(self.binning_process).__name__}."
            )
        if self.target_name is not None and not isinstance(self.target_name, str):
            raise InputError(f"target_name={self.target_name!r} must be a string or None.")
        if self.name is not None and not isinstance(self.name, str):
            raise InputError(f"name={self.name!r} must be a string or None.")
        return PointsScaling(self.base_score, self.base_odds, self.pdo, self.min_score,
                             self.max_score)

    # ------------------------------------------------------------------ fit

    def fit(self, X: object, y: object, sample_weight: object = None) -> Scorecard:
        """Bin (unless the binning process is fitted), fit the encoding, scale to points."""
        scaling = self._check_params()
        frame = _as_frame(X)
        if y is None:
            raise InputError("Scorecard requires y: pass the binary target (e.g. 1 = bad).")
        if isinstance(y, pd.DataFrame):
            if y.shape[1] != 1:
                raise InputError("y must be one column (the target).")
            y = y.iloc[:, 0]
        target_name = self.target_name or (
            str(y.name) if isinstance(y, pd.Series) and y.name is not None else "target"
        )
        y_values = y if isinstance(y, (pd.Series, np.ndarray)) else np.asarray(y)
        if np.ndim(y_values) != 1:
            raise InputError(f"y must be 1-D (one target value per row), got shape {np.shape(y)}.")
        label = binary_target(y_values, name=target_name, bad_value=self.bad_value)
        if label.shape[0] != len(frame):
            raise InputError(f"X has {len(frame)} rows but y has {label.shape[0]} values.")
        weights = check_weights(sample_weight, len(frame))

        process = self._fit_binning(frame, label, weights)
        selected = list(process.selected_)
        if not selected:
            raise InputError(
                "the binning process selected no characteristic (none has two or more non-empty "
                "bins meeting its selection criteria); relax `selection` or check the data."
            )
        layouts = [_Layout(process.binning_tables_[c]) for c in selected]
        bins = process.transform(frame, metric="bin")

        if self.encoding == "woe-lr":
            contributions, intercept, model = self._fit_woe_lr(layouts, bins, label, weights)
        elif self.encoding == "onehot-lr":
            contributions, intercept, model = self._fit_onehot_lr(layouts, bins, label, weights)
        else:
            contributions, intercept, model = self._fit_xgb(layouts, bins, label, weights)

        card = scale_points(contributions, intercept, scaling)
        self.binning_process_ = process
        self.characteristics_ = selected
        self.intercept_ = float(intercept)
        self.contributions_ = {
            lay.name: np.asarray(c[: lay.table.n_bins]) for lay, c in zip(layouts, contributions)
        }
        self.scaling_ = scaling
        self.card_points_ = card
        self.classes_ = np.array([0, 1])
        self._layouts = layouts
        self._slot_contributions = contributions

        exact = card.intercept_exact + sum(
            lay.lookup(card.exact[c], bins[:, c]) for c, lay in enumerate(layouts)
        )
        integer = card.intercept_points + sum(
            lay.lookup(card.points[c].astype(np.float64), bins[:, c])
            for c, lay in enumerate(layouts)
        )
        error = np.abs(integer - exact)
        self.rounding_error_ = {
            "max_abs": float(error.max()),
            "mean_abs": float(error.mean()),
            "bound": card.bound,
            "bound_loose": card.bound_loose,
        }

        target = {"name": target_name, "bad_value": _bad_value_of(y_values, label)}
        self.target_name_ = target_name
        self.bad_value_ = target["bad_value"]
        spec = self._build_spec(layouts, card, scaling, target, model, process)
        spec_score = spec_module.score_frame(spec, frame)["score"].to_numpy()
        self._check_agreement(layouts, spec, frame, bins, scaling.clip(round_half_up(integer)),
                              spec_score)

        if spec_score.size and spec_score.min() == spec_score.max():
            raise InputError(
                f"every training row gets the same score ({int(spec_score[0])}): no "
                "characteristic carries information the model can use (their points all round "
                "to the same value). Weaken the regularisation (larger C, --C), spread the "
                "points (larger pdo, --pdo), or add rows or characteristics with signal."
            )
        pd_train = 1.0 / (1.0 + np.exp(-scaling.log_odds_bad(exact)))
        self.train_metrics_ = _evaluate(label, spec_score, pd_train, hl_df="fitted")
        self.n_train_ = int(len(frame))
        self.data_sha256_ = training_data_sha256(frame, y_values, target_name)
        spec["training"] = {
            "n_rows": self.n_train_,
            "data_sha256": self.data_sha256_,
            "data_hash": DATA_HASH_METHOD,
            "n_bads": int(label.sum()),
            "sample_weight": weights is not None,
            "metrics": copy.deepcopy(self.train_metrics_),
        }
        self.spec_ = spec_module.seal(spec)
        self.points_table_ = spec_module.points_table(self.spec_)
        return self

    def _fit_binning(self, frame: pd.DataFrame, label: np.ndarray,
                     weights: np.ndarray | None) -> BinningProcess:
        given = self.binning_process
        if given is None:
            return BinningProcess().fit(frame, label, sample_weight=weights)
        if hasattr(given, "binners_"):
            return BinningProcess.from_json(given.to_json())
        return clone(given).fit(frame, label, sample_weight=weights)

    # ------------------------------------------------------------------ encodings

    def _logistic(self):
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=float(self.C), solver="lbfgs", max_iter=LR_MAX_ITER)

    def _lr_info(self, estimator) -> dict[str, Any]:
        return {
            "type": "LogisticRegression",
            "penalty": "l2",
            "C": float(self.C),
            "solver": "lbfgs",
            "n_iter": int(np.max(estimator.n_iter_)),
        }

    def _fit_woe_lr(self, layouts, bins, label, weights):
        woe = np.column_stack([
            lay.lookup(lay.with_unseen(lay.table.transform_woe), bins[:, c])
            for c, lay in enumerate(layouts)
        ])
        estimator = self._logistic().fit(woe, label, sample_weight=weights)
        coef = estimator.coef_[0].astype(np.float64)
        intercept = float(estimator.intercept_[0])
        contributions = [
            coef[c] * lay.with_unseen(lay.table.transform_woe) for c, lay in enumerate(layouts)
        ]
        unexpected = [lay.name for c, lay in enumerate(layouts) if coef[c] > 0]
        if unexpected:
            warnings.warn(
                f"woe-lr: characteristic(s) {', '.join(map(repr, unexpected))} have a positive "
                "coefficient, i.e. a higher WoE (lower observed risk) raises the predicted risk. "
                "Usually collinearity with other characteristics: consider dropping them.",
                CoefficientSignWarning,
                stacklevel=3,
            )
        self.estimator_ = estimator
        self.coef_ = coef
        self.unexpected_sign_ = unexpected
        model = {
            **self._lr_info(estimator),
            "features": "WoE of each characteristic's bin",
            "coefficients": {lay.name: float(coef[c]) for c, lay in enumerate(layouts)},
            "expected_sign": "negative (WoE > 0 means lower risk; the model predicts bad)",
            "unexpected_sign": unexpected,
        }
        return contributions, intercept, model

    def _fit_onehot_lr(self, layouts, bins, label, weights):
        import scipy.sparse as sp

        n_rows = bins.shape[0]
        sizes = [lay.table.n_bins for lay in layouts]
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        fired = bins >= 0
        rows = np.broadcast_to(np.arange(n_rows)[:, None], bins.shape)[fired]
        cols = (bins + starts[None, :])[fired]
        design = sp.csr_matrix(
            (np.ones(rows.size), (rows, cols)), shape=(n_rows, int(sum(sizes)))
        )
        estimator = self._logistic().fit(design, label, sample_weight=weights)
        coef = estimator.coef_[0].astype(np.float64).copy()
        empty = np.concatenate([lay.table.total == 0 for lay in layouts])
        coef[empty] = 0.0
        intercept = float(estimator.intercept_[0])
        contributions = []
        for c, lay in enumerate(layouts):
            per_bin = coef[starts[c]: starts[c] + sizes[c]]
            contributions.append(lay.with_unseen(per_bin))
        self.estimator_ = estimator
        self.coef_ = coef
        self.unexpected_sign_ = []
        model = {
            **self._lr_info(estimator),
            "features": "one indicator per bin (every bin, no reference level)",
            "coefficients": {
                lay.name: lay.in_spec_order(contributions[c]) for c, lay in enumerate(layouts)
            },
        }
        return contributions, intercept, model

    def _fit_xgb(self, layouts, bins, label, weights):
        from xgboost import XGBClassifier

        m = len(layouts)
        woe_values = [lay.with_unseen(lay.table.transform_woe) for lay in layouts]
        woe = np.column_stack([lay.lookup(woe_values[c], bins[:, c])
                               for c, lay in enumerate(layouts)])
        params = {
            "n_estimators": int(self.n_rounds),
            "max_depth": 1,
            "learning_rate": float(self.learning_rate),
            "tree_method": "hist",
            "objective": "binary:logistic",
            "monotone_constraints": "(" + ",".join(["-1"] * m) + ")",
            "random_state": XGB_SEED,
            "n_jobs": XGB_THREADS,
        }
        estimator = XGBClassifier(**params).fit(woe, label, sample_weight=weights)
        # Additivity: margin(x) = margin(ref) + sum_f [margin(ref with x_f) - margin(ref)].
        reference = np.zeros((1, m))
        probes = [reference]
        for c, values in enumerate(woe_values):
            block = np.zeros((values.size, m))
            block[:, c] = values
            probes.append(block)
        margins = estimator.predict(np.vstack(probes), output_margin=True).astype(np.float64)
        intercept = float(margins[0])
        contributions, start = [], 1
        for values in woe_values:
            contributions.append(margins[start: start + values.size] - intercept)
            start += values.size
        reduced = intercept + sum(
            lay.lookup(contributions[c], bins[:, c]) for c, lay in enumerate(layouts)
        )
        booster_margin = estimator.predict(woe, output_margin=True).astype(np.float64)
        self.additivity_error_ = float(np.max(np.abs(reduced - booster_margin)))
        self.estimator_ = estimator
        self.unexpected_sign_ = []
        used = estimator.get_booster().get_score(importance_type="weight")
        model = {
            "type": "XGBClassifier",
            "features": "WoE of each characteristic's bin",
            "params": {k: v for k, v in params.items()},
            "xgboost_version": __import__("xgboost").__version__,
            "reference": "every characteristic at WoE 0; contribution = margin with one "
                         "characteristic at its bin's WoE minus the reference margin",
            "reference_margin": intercept,
            "additivity_max_abs_error": self.additivity_error_,
            "splits_per_characteristic": {
                lay.name: int(used.get(f"f{c}", 0)) for c, lay in enumerate(layouts)
            },
        }
        return contributions, intercept, model

    # ------------------------------------------------------------------ spec

    def _build_spec(self, layouts, card: CardPoints, scaling: PointsScaling, target,
                    model: dict, process: BinningProcess) -> dict:
        characteristics = [lay.spec(card.exact[c], card.points[c]) for c, lay in
                           enumerate(layouts)]
        model = {
            **model,
            "intercept": self.intercept_,
            "log_odds": "log-odds of bad = intercept + sum over characteristics of the row's "
                        "bin contribution",
            "contributions": {
                lay.name: lay.in_spec_order(self._slot_contributions[c])
                for c, lay in enumerate(layouts)
            },
            "unseen_contributions": {
                lay.name: float(self._slot_contributions[c][-1])
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
            "rounding_error": {**self.rounding_error_, "rows": "training, before clipping"},
            "reason_codes": int(self.n_reason_codes),
            "binning": {
                "params": jsonable(process.get_params()),
                "iv": {lay.name: float(lay.table.iv) for lay in layouts},
            },
        }
        return {
            "schema_version": 1,
            "kind": "scorecard",
            "package_version": __version__,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "name": self.name or f"{target['name']} {self.encoding}",
            "target": target,
            "encoding": self.encoding,
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

    def _check_agreement(self, layouts, spec, frame, bins, integer, spec_score) -> None:
        """The spec's reference scorer must put every training row in the binning's bin."""
        if np.array_equal(integer, spec_score):
            return
        indices = _spec_bin_indices(spec, frame)
        bad = []
        for c, lay in enumerate(layouts):
            slots = np.asarray([*lay.spec_order, lay.table.n_bins] if lay.categorical
                               else lay.spec_order)
            position = np.empty(lay.n_slots, dtype=np.int64)
            position[slots] = np.arange(slots.size)
            table_bins = np.where(bins[:, c] < 0, lay.n_slots - 1, bins[:, c])
            n_off = int(np.sum(position[table_bins] != indices[:, c]))
            if n_off:
                bad.append(f"{lay.name!r} ({n_off} rows)")
        warnings.warn(
            "the deployed scorecard puts some training rows in other bins than the binning did: "
            f"{', '.join(bad) or 'unknown columns'}. Usually a categorical column stored as "
            "floats (1.0 vs '1'); store such columns as text or integers.",
            ScorecardWarning,
            stacklevel=3,
        )

    # ------------------------------------------------------------------ use

    def _frame(self, X: object) -> pd.DataFrame:
        self._check_fitted()
        return _as_frame(X, getattr(self.binning_process_, "_input_names", None))

    def score(self, X: object) -> np.ndarray:
        """Integer scores (higher = lower risk), computed by the spec's reference scorer."""
        frame = self._frame(X)
        return spec_module.score_frame(self.spec_, frame)["score"].to_numpy()

    def reason_codes(self, X: object, k: int | None = None) -> pd.DataFrame:
        """reason_1 .. reason_k: the characteristics costing each row most points relative to
        their best bin (None where fewer lose points). k defaults to `n_reason_codes`."""
        k = self.n_reason_codes if k is None else k
        _check_count(k, "k", 1)
        frame = self._frame(X)
        scored = spec_module.score_frame(self.spec_, frame, reason_codes=int(k))
        return scored.drop(columns="score")

    def decision_function(self, X: object) -> np.ndarray:
        """Log-odds of bad of the exact (unrounded) model."""
        frame = self._frame(X)
        bins = self.binning_process_.transform(frame, metric="bin")
        total = np.full(len(frame), self.intercept_)
        for c, lay in enumerate(self._layouts):
            total += lay.lookup(self._slot_contributions[c], bins[:, c])
        return total

    def predict_proba(self, X: object) -> np.ndarray:
        """[P(good), P(bad)] per row from the exact (unrounded) model."""
        p_bad = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p_bad, p_bad])

    def predict(self, X: object) -> np.ndarray:
        """1 (bad) where P(bad) >= 0.5, else 0."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(np.int64)

    def evaluate(
        self,
        X: object,
        y: object,
        *,
        level: float = 0.95,
        n_bands: int = 10,
        hl_df: str | int = "holdout",
    ) -> dict[str, Any]:
        """Metrics on labelled rows (y coded as in fit): AUC with DeLong SE and interval, Gini,
        KS, log loss, Brier, calibration by score band with Hosmer-Lemeshow (df = bands for
        hold-out rows; pass hl_df="fitted" on training rows) and the score's IV with SE."""
        frame = self._frame(X)
        y_values = y if isinstance(y, (pd.Series, np.ndarray)) else np.asarray(y)
        label = binary_target(y_values, name=self.target_name_, bad_value=self.bad_value_)
        if label.shape[0] != len(frame):
            raise InputError(f"X has {len(frame)} rows but y has {label.shape[0]} values.")
        return _evaluate(label, self.score(frame), self.predict_proba(frame)[:, 1], level=level,
                         n_bands=n_bands, hl_df=hl_df)

    def to_spec(self) -> dict:
        """A copy of the sealed spec (JSON-ready dict)."""
        self._check_fitted()
        return copy.deepcopy(self.spec_)

    def save(self, path: str | os.PathLike) -> os.PathLike:
        """Write the spec as JSON (`scorecard.model.spec.save_spec`); return the path."""
        self._check_fitted()
        return spec_module.save_spec(self.spec_, path)
