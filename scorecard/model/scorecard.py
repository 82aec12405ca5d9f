"""The Scorecard estimator: bins, an additive model over them, integer points and the spec.

Three encodings of the same bins, all additive over characteristics (`scorecard.model.encodings`):
``woe-lr`` (logistic regression on each bin's WoE), ``onehot-lr`` (one indicator per bin) and
``xgb-stumps`` (monotone XGBoost depth-1 trees on the WoE columns).

Every encoding is reduced to one contribution to the log-odds of bad per (characteristic, bin)
plus an intercept, then scaled to points (`scorecard.model.scaling`). Bins without training rows
(for instance the missing bin when the training data had no missing values) get contribution 0:
neutral, no evidence either way (WoE 0 for woe-lr and xgb-stumps, the intercept's level for
onehot-lr, whose indicator for such a bin never fires in training). Unseen categories get the
points of the bin the binning's ``unseen`` policy sends them to (the missing bin by default;
contribution 0 for ``unseen="zero"``).

The fitted card is a spec (`scorecard.model.spec`, schema_version 1): `Scorecard.score` scores
through the spec's reference scorer, so the estimator and every export agree by construction.
Scoring from a spec alone (`exact_scores`, `evaluate_spec`, ...) lives in
`scorecard.model.scoring` and is re-exported here.

Long module: one scikit-learn estimator with 22 documented parameters; its fit already delegates
selection, encodings, neutral bins, scaling and the spec to their own modules.
"""

from __future__ import annotations

import copy
import math
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone

from scorecard.binning import BinningProcess
from scorecard.binning.binner import jsonable
from scorecard.estimator import EstimatorMixin
from scorecard.exceptions import InputError
from scorecard.model import metrics, spec as spec_module
from scorecard.model.card_spec import card_spec, require_score_spread
from scorecard.model.data_hash import DATA_HASH_METHOD, columns_hash_parts, sha256_of
from scorecard.model.encodings import (
    CoefficientSignWarning,
    EncodingFit,
    ScorecardWarning,
    fit_onehot_lr,
    fit_woe_lr,
    fit_xgb_stumps,
)
from scorecard.model.layout import BinLayout
from scorecard.model.neutral import DEFAULT_MIN_EXPECTED, neutral_mask, neutralised_record
from scorecard.model.card_selection import STEPWISE, fit_selected
from scorecard.model.scaling import CardPoints, PointsScaling, round_half_up, scale_points
from scorecard.model.scoring import (
    bin_indices,
    evaluate_spec,
    exact_scores,
    spec_probability_of_default,
)
from scorecard.options import ENCODINGS
from scorecard.parameters import Choice, Integral, Interval, Real, check_params
from scorecard.protected import warn_protected
from scorecard.validation import binary_target, check_weights, coding_once

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


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


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
    """sha256 of the training data, X's columns followed by the target column, hashed from their
    buffers as `scorecard.model.data_hash.DATA_HASH_METHOD` says (same rows, same digest)."""
    return sha256_of(_training_hash_parts(X, y, target_name))


def _training_hash_parts(X: pd.DataFrame, y: object, target_name: str) -> list:
    frame = _as_frame(X)
    columns = [(str(name), frame.iloc[:, j]) for j, name in enumerate(frame.columns)
               if name != target_name]
    return columns_hash_parts([*columns, (target_name, pd.Series(np.asarray(y)))])


def _bad_value_of(y: object, label: np.ndarray) -> object:
    values = y.to_numpy() if isinstance(y, pd.Series) else np.asarray(y)
    return _json_scalar(values[np.flatnonzero(label == 1)[0]])


def _training_scores(card: CardPoints, layouts: Sequence[BinLayout],
                     bins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact and integer (unclipped) scores of the training rows from their table bins."""
    exact = card.intercept_exact + sum(
        lay.lookup(card.exact[c], bins[:, c]) for c, lay in enumerate(layouts)
    )
    integer = card.intercept_points + sum(
        lay.lookup(card.points[c].astype(np.float64), bins[:, c])
        for c, lay in enumerate(layouts)
    )
    return exact, integer


def load_scorecard(path: str | os.PathLike) -> dict:
    """Read a saved scorecard: the spec dict (validated; its integrity hash checked)."""
    return spec_module.load_spec(path)


# ---------------------------------------------------------------------------------------------
# The estimator
# ---------------------------------------------------------------------------------------------


class Scorecard(EstimatorMixin, BaseEstimator):
    """A credit scorecard: binning, an additive model over the bins, and integer points.

    Parameters
    ----------
    binning_process : BinningProcess, fitted or not. A fitted one is used as it is (a copy);
        an unfitted one is cloned and fitted on the training rows; None uses BinningProcess()
        with its defaults. Only its selected characteristics enter the card.
    encoding : "woe-lr" (default), "onehot-lr" or "xgb-stumps" (module docstring).
    C : inverse strength of the L2 penalty of the logistic regressions (scikit-learn's C:
        smaller = stronger shrinkage towards 0). The intercept is not penalised.
    sign_constrained : woe-lr: every coefficient <= 0 (default; those held at 0 are dropped);
        False: scikit-learn's unconstrained fit, warning about positive coefficients.
    min_expected : missing/special bins with fewer expected goods or bads get neutral points,
        WoE 0 (`scorecard.model.neutral`); None or 0 turns the rule off.
    min_iv_ci_low, max_correlation, stepwise, holdout, random_state : characteristic selection
        before any encoding (`scorecard.model.selection`; None = step off).
    n_rounds, learning_rate : boosting rounds and shrinkage of xgb-stumps (which otherwise uses
        XGBoost's defaults, e.g. reg_lambda=1, with seed 0 and 2 threads).
    base_score, base_odds, pdo : a score of base_score means odds of good base_odds : 1; pdo
        more points double those odds (`scorecard.model.scaling`).
    min_score, max_score : optional integer clip range of the final score.
    n_reason_codes : default number of reason codes of the `reason_codes` method.
    target_name : the target's name in the spec (default: y's name, else "target").
    bad_value : the value of y that means bad (default: inferred, see
        `scorecard.validation.binary_target`: True, the larger number, or "bad"-like text).
    name : free-text name of the spec (default "<target> <encoding>").
    allow_protected : columns let into the card without the ProtectedAttributeWarning that a
        characteristic named like a protected attribute (sex, age, ...) raises
        (`scorecard.protected`).

    Attributes
    ----------
    binning_process_ : the fitted BinningProcess. characteristics_ : the card's characteristics.
    estimator_ : the fitted LogisticRegression or XGBClassifier.
    intercept_ : model intercept (log-odds of bad); contributions_ : dict characteristic ->
        contribution to the log-odds of bad per binning-table bin.
    coef_ : woe-lr: one coefficient per characteristic; onehot-lr: one per bin (all
        characteristics' bins concatenated in table order). Not set for xgb-stumps.
    unexpected_sign_ : woe-lr characteristics with a positive coefficient (unconstrained fit).
    neutralised_ : per bin given neutral points, its counts, expected counts and reason (also
        the spec's model.neutralised).
    dropped_ : characteristic -> {"step", "reason", ...} per candidate not in the card
        (`scorecard.model.card_selection`).
        selection_ : options, kept, dropped and stepwise path (the spec's model.selection).
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
        sign_constrained: bool = True,
        min_expected: float | None = DEFAULT_MIN_EXPECTED,
        min_iv_ci_low: float | None = None,
        max_correlation: float | None = None,
        stepwise: str | None = None,
        holdout: float = 0.3,
        random_state: int = 0,
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
        allow_protected: Sequence[str] = (),
    ) -> None:
        self.binning_process = binning_process
        self.encoding = encoding
        self.C = C
        self.sign_constrained = sign_constrained
        self.min_expected = min_expected
        self.min_iv_ci_low = min_iv_ci_low
        self.max_correlation = max_correlation
        self.stepwise = stepwise
        self.holdout = holdout
        self.random_state = random_state
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
        self.allow_protected = allow_protected

    _fitted_attribute = "spec_"
    _parameter_constraints = {
        "binning_process": [BinningProcess, None],
        "encoding": [Choice(ENCODINGS)],
        "C": [Interval(Real, 0, None, closed="neither")],
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        "learning_rate": [Interval(Real, 0, 1, closed="right")],
        "sign_constrained": ["boolean"],
        "min_expected": [Interval(Real, 0, None, closed="left"), None],
        "min_iv_ci_low": [Interval(Real, 0, None, closed="left"), None],
        "max_correlation": [Interval(Real, 0, 1, closed="both"), None],
        "stepwise": [Choice(STEPWISE)],
        "holdout": [Interval(Real, 0, 1, closed="neither")],
        "random_state": [Interval(Integral, 0, None, closed="left")],
        "base_score": [Interval(Real, None, None, closed="neither")],
        "base_odds": [Interval(Real, 0, None, closed="neither")],
        "pdo": [Interval(Real, 0, None, closed="neither")],
        "min_score": [Integral, None],
        "max_score": [Integral, None],
        "n_reason_codes": [Interval(Integral, 0, None, closed="left")],
        "target_name": [str, None],
        "bad_value": "no_validation",
        "name": [str, None],
        "allow_protected": ["array-like"],
    }

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        return tags

    # ------------------------------------------------------------------ fit

    def fit(self, X: object, y: object, sample_weight: object = None) -> Scorecard:
        """Bin (unless the binning process is fitted), fit the encoding, scale to points."""
        self._validate_params()
        with coding_once():  # text columns coded once for binning, bins, spec scorer and hash
            return self._fit(X, y, sample_weight)

    def _fit(self, X: object, y: object, sample_weight: object) -> Scorecard:
        """`fit` after the parameter check."""
        scaling = PointsScaling(self.base_score, self.base_odds, self.pdo, self.min_score,
                                self.max_score)
        frame = _as_frame(X)
        y_values, target_name = self._target_values(y)
        label = binary_target(y_values, name=target_name, bad_value=self.bad_value)
        if label.shape[0] != len(frame):
            raise InputError(f"X has {len(frame)} rows but y has {label.shape[0]} values.")
        weights = check_weights(sample_weight, len(frame))

        process = self._fit_binning(frame, label, weights)
        # The data hash runs beside the model fit: its buffers (text codes from the binning's)
        # are read here, the thread only hashes them (sha256 releases the GIL).
        hashing = ThreadPoolExecutor(1, thread_name_prefix="scorecard-hash")
        digest = hashing.submit(sha256_of, _training_hash_parts(frame, y_values, target_name))
        hashing.shutdown(wait=False)
        selected = list(process.selected_)
        if not selected:
            raise InputError(
                "the binning process selected no characteristic (none has two or more non-empty "
                "bins meeting its selection criteria); relax `selection` or check the data."
            )
        layouts = [BinLayout(process.binning_tables_[c],
                             neutral_mask(process.binning_tables_[c], self.min_expected))
                   for c in selected]
        bins = process.transform(frame, metric="bin")
        layouts, bins, fitted, self.selection_ = fit_selected(
            process, layouts, bins, label, weights, self._encoder(), params=self.get_params())
        self.neutralised_ = [entry for lay in layouts for entry in neutralised_record(
            lay.table, lay.neutral, float(self.min_expected or 0))]
        fitted.model["neutralised"] = copy.deepcopy(self.neutralised_)
        self.dropped_ = {d["name"]: d for d in self.selection_["dropped"]}
        self._set_encoding(fitted)
        selected = [lay.name for lay in layouts]

        card = scale_points(fitted.contributions, fitted.intercept, scaling)
        self.binning_process_ = process
        self.characteristics_ = selected
        warn_protected(selected, self.allow_protected, columns=frame.columns)
        self.intercept_ = float(fitted.intercept)
        self.contributions_ = {
            lay.name: np.asarray(c[: lay.table.n_bins])
            for lay, c in zip(layouts, fitted.contributions)
        }
        self.scaling_ = scaling
        self.card_points_ = card
        self.classes_ = np.array([0, 1])
        self._layouts = layouts
        self._bin_columns = [process.selected_.index(lay.name) for lay in layouts]
        self._slot_contributions = fitted.contributions
        exact, integer = _training_scores(card, layouts, bins)
        error = np.abs(integer - exact)
        self.rounding_error_ = {"max_abs": float(error.max()), "mean_abs": float(error.mean()),
                                "bound": card.bound, "bound_loose": card.bound_loose}

        target = {"name": target_name, "bad_value": _bad_value_of(y_values, label)}
        self.target_name_ = target_name
        self.bad_value_ = target["bad_value"]
        spec = card_spec(
            layouts, card, scaling, fitted, target=target, encoding=self.encoding,
            name=self.name or f"{target_name} {self.encoding}",
            rounding_error=self.rounding_error_, n_reason_codes=int(self.n_reason_codes),
            binning_params=jsonable({k: v for k, v in process.get_params().items()
                                     if k != "n_jobs"}),  # threads: not part of the model
        )
        spec_score = spec_module.score_frame(spec, frame)["score"].to_numpy()
        self._check_agreement(layouts, spec, frame, bins, scaling.clip(round_half_up(integer)),
                              spec_score)

        require_score_spread(spec_score)
        pd_train = 1.0 / (1.0 + np.exp(-scaling.log_odds_bad(exact)))
        self.train_metrics_ = metrics.evaluate(label, spec_score, pd_train, hl_df="fitted")
        self.n_train_ = int(len(frame))
        self.data_sha256_ = digest.result()
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

    def _target_values(self, y: object) -> tuple[object, str]:
        """y as a 1-D Series or array, and the target's name."""
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
        return y_values, target_name

    def _encoder(self):
        """The fitter of `encoding` with this card's parameters (scorecard.model.encodings)."""
        if self.encoding == "woe-lr":
            return partial(fit_woe_lr, C=self.C, sign_constrained=bool(self.sign_constrained))
        if self.encoding == "onehot-lr":
            return partial(fit_onehot_lr, C=self.C)
        return partial(fit_xgb_stumps, n_rounds=self.n_rounds, learning_rate=self.learning_rate)

    def _set_encoding(self, fitted: EncodingFit) -> None:
        self.estimator_ = fitted.estimator
        self.unexpected_sign_ = list(fitted.unexpected_sign)
        if fitted.coef is not None:
            self.coef_ = fitted.coef
        if fitted.additivity_error is not None:
            self.additivity_error_ = fitted.additivity_error

    def _fit_binning(self, frame: pd.DataFrame, label: np.ndarray,
                     weights: np.ndarray | None) -> BinningProcess:
        given = self.binning_process
        if given is None:
            return BinningProcess().fit(frame, label, sample_weight=weights)
        if hasattr(given, "binners_"):
            return BinningProcess.from_json(given.to_json())
        return clone(given).fit(frame, label, sample_weight=weights)

    # ------------------------------------------------------------------ spec

    def _check_agreement(self, layouts, spec, frame, bins, integer, spec_score) -> None:
        """The spec's reference scorer must put every training row in the binning's bin."""
        if np.array_equal(integer, spec_score):
            return
        indices = bin_indices(spec, frame)
        bad = []
        for c, lay in enumerate(layouts):
            n_off = int(np.sum(lay.spec_index(bins[:, c]) != indices[:, c]))
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
        process = self.binning_process_
        names = getattr(process, "feature_names_in_", None)
        if names is None:
            names = [f"x{i}" for i in range(process.n_features_in_)]
        return _as_frame(X, list(names))

    def score(self, X: object) -> np.ndarray:
        """Integer scores (higher = lower risk), computed by the spec's reference scorer."""
        frame = self._frame(X)
        return spec_module.score_frame(self.spec_, frame)["score"].to_numpy()

    def reason_codes(self, X: object, k: int | None = None) -> pd.DataFrame:
        """reason_1 .. reason_k: the characteristics costing each row most points relative to
        their best bin (None where fewer lose points). k defaults to `n_reason_codes`."""
        k = self.n_reason_codes if k is None else k
        check_params({"k": k}, {"k": [Interval(Integral, 1, None, closed="left")]},
                     "reason_codes")
        frame = self._frame(X)
        scored = spec_module.score_frame(self.spec_, frame, reason_codes=int(k))
        return scored.drop(columns="score")

    def decision_function(self, X: object) -> np.ndarray:
        """Log-odds of bad of the exact (unrounded) model."""
        frame = self._frame(X)
        bins = self.binning_process_.transform(frame, metric="bin")[:, self._bin_columns]
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
        return metrics.evaluate(label, self.score(frame), self.predict_proba(frame)[:, 1],
                                level=level, n_bands=n_bands, hl_df=hl_df)

    def to_spec(self) -> dict:
        """A copy of the sealed spec (JSON-ready dict)."""
        self._check_fitted()
        return copy.deepcopy(self.spec_)

    def save(self, path: str | os.PathLike) -> os.PathLike:
        """Write the spec as JSON (`scorecard.model.spec.save_spec`); return the path."""
        self._check_fitted()
        return spec_module.save_spec(self.spec_, path)
