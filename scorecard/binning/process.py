"""BinningProcess: optimal binning of every characteristic of a frame, selection, and transform.

Fast by construction: all numeric characteristics share one quantile pre-binning call and ONE
counting pass over the rows (the engine), categorical ones one more; the exact merges then run
on small count tables. Transform maps every numeric column to its WoE (or bin) in one fused,
parallel pass. Only XGBoost-stump pre-binning looks at each column separately.

Variable selection uses each characteristic's IV, its standard error, interval and p-value.
These assume bins fixed in advance; the bins were chosen on the same rows to maximise IV, so
the p-values and intervals are optimistic (STATISTICS.md section 4). Select on them as a
ranking, or fit the process on a training split and recompute the tables on hold-out rows.
"""

from __future__ import annotations

import json
import numbers
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import ClassifierTags

from scorecard import engine, stats
from scorecard._validation import binary_target, check_weights, require_columns
from scorecard.binning.binner import (
    OptimalBinner,
    _numeric_specials,
    as_target_array,
    check_target_given,
    reject_unsupported,
    _warn_infinite,
    check_binner_params,
    check_metric,
    encode_categories,
    finish_metric,
    has_mixed_types,
    jsonable,
    map_categorical_tables,
    map_numeric_tables,
    numeric_values,
    resolve_kind,
    stump_edges,
    warn_mixed,
)
from scorecard.binning.prebinning import CATEGORICAL, NUMERIC
from scorecard.exceptions import InputError, NotFittedError, SpecError

__all__ = ["BinningProcess", "SELECTION_CRITERIA"]

SELECTION_CRITERIA = ("iv", "iv_se", "iv_ci_low", "iv_ci_high", "p_value", "q_value", "n_bins")
"""Summary columns a `selection` may bound with {"min": ..., "max": ...}."""

JSON_FORMAT = "scorecard.BinningProcess"
JSON_VERSION = 1

# OptimalBinner parameters that BinningProcess also takes as its own defaults.
_SHARED_PARAMS = (
    "prebinning", "max_n_prebins", "n_rounds", "monotonic_trend", "min_bin_size", "min_goods",
    "min_bads", "max_n_bins", "max_pvalue", "cat_min_share", "unseen", "level",
)
_BINNER_PARAMS = frozenset(OptimalBinner().get_params()) - {"name"}


def _input_frame(X: object, what: str = "X") -> tuple[pd.DataFrame, list[str], bool]:
    """X as a DataFrame with string column names; also the names and whether X had them."""
    reject_unsupported(X, what)
    if isinstance(X, pd.DataFrame):
        named = all(isinstance(c, str) for c in X.columns)
        names = [str(c) for c in X.columns] if named else [f"x{i}" for i in range(X.shape[1])]
        if len(set(names)) != len(names):
            duplicated = sorted({n for n in names if names.count(n) > 1})
            raise InputError(f"{what} has duplicated column names {duplicated}; make them unique.")
        return (X if named else X.set_axis(names, axis=1)), names, named
    arr = np.asarray(X)
    if arr.dtype.kind == "c":
        raise InputError(f"Complex data not supported: {what} must hold real numbers or text.")
    if arr.ndim != 2:
        raise InputError(
            f"{what} must be 2-D (rows x characteristics); got shape {arr.shape}. Reshape your "
            "data with X.reshape(-1, 1) for one characteristic or X.reshape(1, -1) for one row."
        )
    names = [f"x{i}" for i in range(arr.shape[1])]
    return pd.DataFrame(arr, columns=names, copy=False), names, False


def _require_features(names: Sequence[str], n_rows: int) -> None:
    if not names:
        raise InputError(
            f"X has 0 feature(s) (shape=({n_rows}, 0)) while a minimum of 1 is required: "
            "there is nothing to bin."
        )


def _numeric_matrix(frame: pd.DataFrame, columns: Sequence[str], *, fitted: bool) -> np.ndarray:
    """float64 (n_rows, len(columns)); a view of the frame when its columns are one float block."""
    if not columns:
        return np.empty((len(frame), 0))
    if all(frame[c].dtype == np.float64 for c in columns):
        return frame[list(columns)].to_numpy(dtype=np.float64)
    matrix = np.empty((len(frame), len(columns)), dtype=np.float64, order="F")
    for j, c in enumerate(columns):
        matrix[:, j] = numeric_values(frame[c], c, fitted=fitted)
    return matrix


def _check_selection(selection: object) -> tuple[dict[str, dict[str, float]], int | None]:
    if selection is None:
        return {}, None
    if not isinstance(selection, Mapping):
        raise InputError(
            f"selection must be a dict such as {{'iv': {{'min': 0.02}}}}; got {selection!r}."
        )
    criteria: dict[str, dict[str, float]] = {}
    limit = None
    for key, bounds in selection.items():
        if key == "max_n_selected":
            if bounds is not None and (not isinstance(bounds, numbers.Integral)
                                       or isinstance(bounds, bool) or bounds < 0):
                raise InputError(f"selection['max_n_selected']={bounds!r} must be an integer >= 0.")
            limit = None if bounds is None else int(bounds)
            continue
        if key not in SELECTION_CRITERIA:
            raise InputError(
                f"selection key {key!r} is unknown; use {', '.join(SELECTION_CRITERIA)} or "
                "max_n_selected."
            )
        if not isinstance(bounds, Mapping) or not bounds or set(bounds) - {"min", "max"}:
            raise InputError(
                f"selection[{key!r}] must be a dict with 'min' and/or 'max'; got {bounds!r}."
            )
        for side, value in bounds.items():
            if not isinstance(value, numbers.Real) or isinstance(value, bool):
                raise InputError(f"selection[{key!r}][{side!r}]={value!r} must be a number.")
        criteria[key] = {side: float(value) for side, value in bounds.items()}
    return criteria, limit


class BinningProcess(TransformerMixin, BaseEstimator):
    """Optimal binning of every characteristic of a frame, IV-based selection and WoE transform.

    Parameters
    ----------
    columns : characteristics to bin (default: every column). Others are ignored and dropped.
    categorical : columns binned as categorical whatever their dtype. Otherwise numeric dtypes
        are numeric and text, object, category and boolean dtypes categorical.
    special_values : dict column -> values that get a bin each (e.g. {"age": [-999]}).
    binner_params : dict column -> dict of OptimalBinner parameters for that column.
    selection : criteria a characteristic must meet to be kept, as bounds on summary columns,
        e.g. {"iv": {"min": 0.02}, "iv_ci_low": {"min": 0.02}, "p_value": {"max": 0.05},
        "max_n_selected": 20} (the top ones by IV). Keys: SELECTION_CRITERIA. A characteristic
        with fewer than two non-empty bins (constant, or all missing) is never selected. The
        p-values and intervals are optimistic after supervised binning (module docstring).
    prebinning, max_n_prebins, n_rounds, monotonic_trend, min_bin_size, min_goods, min_bads,
    max_n_bins, max_pvalue, cat_min_share, unseen, level : defaults for every column's
        OptimalBinner (see there, also for why max_n_prebins is 200).
    n_jobs : threads for the per-column stump pre-binning (None: 1). The counting kernels
        always use every core.

    Attributes
    ----------
    binners_ : dict column -> fitted OptimalBinner; binning_tables_ : dict column -> table.
    columns_ : the binned columns; selected_ : the selected ones (the transform's output).
    support_ : boolean mask over the input features (get_support()).
    n_features_in_, feature_names_in_ : as in scikit-learn (the latter for string-named frames).
    unseen_counts_ : dict column -> rows with an unseen category in the last transform.
    """

    def __init__(
        self,
        *,
        columns: Sequence[str] | None = None,
        categorical: Sequence[str] | None = None,
        special_values: Mapping[str, Sequence[Any]] | None = None,
        binner_params: Mapping[str, Mapping[str, Any]] | None = None,
        selection: Mapping[str, Any] | None = None,
        prebinning: str = "quantile",
        max_n_prebins: int = 200,
        n_rounds: int = 50,
        monotonic_trend: str | None = "auto",
        min_bin_size: float = 0.05,
        min_goods: float = 1,
        min_bads: float = 1,
        max_n_bins: int | None = None,
        max_pvalue: float | None = None,
        cat_min_share: float = 0.01,
        unseen: str = "missing",
        level: float = 0.95,
        n_jobs: int | None = None,
    ) -> None:
        self.columns = columns
        self.categorical = categorical
        self.special_values = special_values
        self.binner_params = binner_params
        self.selection = selection
        self.prebinning = prebinning
        self.max_n_prebins = max_n_prebins
        self.n_rounds = n_rounds
        self.monotonic_trend = monotonic_trend
        self.min_bin_size = min_bin_size
        self.min_goods = min_goods
        self.min_bads = min_bads
        self.max_n_bins = max_n_bins
        self.max_pvalue = max_pvalue
        self.cat_min_share = cat_min_share
        self.unseen = unseen
        self.level = level
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ sklearn plumbing

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.target_tags.required = True
        # The target must be binary: this is what ClassifierTags(multi_class=False) declares,
        # and it makes scikit-learn's estimator checks pass a binary y.
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "binners_")

    def _check_fitted(self) -> None:
        if not hasattr(self, "binners_"):
            raise NotFittedError(
                "This BinningProcess is not fitted yet; call fit(X, y) first."
            )

    # ------------------------------------------------------------------ parameters

    def _column_params(self, names: Sequence[str], columns: Sequence[str]) -> dict[str, dict]:
        defaults = {key: getattr(self, key) for key in _SHARED_PARAMS}
        special_values = self.special_values or {}
        binner_params = self.binner_params or {}
        categorical = self.categorical or []
        for what, given in (("special_values", special_values), ("binner_params", binner_params)):
            if not isinstance(given, Mapping):
                raise InputError(
                    f"{what} must be a dict column -> ...; got {type(given).__name__}."
                )
            unknown = [c for c in given if c not in columns]
            if unknown:
                raise InputError(
                    f"{what} names column(s) {', '.join(map(repr, unknown))} that are not "
                    "binned; check the names (and `columns`)."
                )
        if isinstance(categorical, str) or not isinstance(categorical, (Sequence, np.ndarray)):
            raise InputError(f"categorical must be a list of column names; got {categorical!r}.")
        unknown = [c for c in categorical if c not in names]
        if unknown:
            raise InputError(
                f"categorical names unknown column(s) {', '.join(map(repr, unknown))}."
            )
        params: dict[str, dict] = {}
        for c in columns:
            own = binner_params.get(c, {})
            if not isinstance(own, Mapping):
                raise InputError(
                    f"binner_params[{c!r}] must be a dict of OptimalBinner parameters."
                )
            bad = sorted(set(own) - _BINNER_PARAMS)
            if bad:
                raise InputError(
                    f"binner_params[{c!r}] has unknown parameter(s) {bad}; valid: "
                    f"{', '.join(sorted(_BINNER_PARAMS))}."
                )
            p = {**OptimalBinner().get_params(), **defaults, "name": c}
            p["special_values"] = special_values.get(c, ())
            if c in categorical:
                p["dtype"] = CATEGORICAL
            p.update(own)
            params[c] = check_binner_params(p, f"column {c!r}")
        return params

    # ------------------------------------------------------------------ fit

    def fit(self, X: object, y: object, sample_weight: object = None) -> BinningProcess:
        """Bin every characteristic of X against the binary target y (1 = bad) and select."""
        frame, names, named = _input_frame(X)
        n_rows = len(frame)
        _require_features(names, n_rows)
        check_target_given(y, type(self).__name__)
        criteria, limit = _check_selection(self.selection)
        if self.n_jobs is not None and (not isinstance(self.n_jobs, numbers.Integral)
                                        or self.n_jobs == 0):
            raise InputError(f"n_jobs={self.n_jobs!r} must be None or a non-zero integer.")
        columns = list(names) if self.columns is None else list(self.columns)
        require_columns(frame, columns, what="column")
        if len(set(columns)) != len(columns):
            raise InputError("columns lists a column twice.")
        y_name = str(y.name) if isinstance(y, pd.Series) and y.name is not None else "y"
        label = binary_target(as_target_array(y), name=y_name)
        if label.shape[0] != n_rows:
            raise InputError(f"X has {n_rows} rows but y has {label.shape[0]} values.")
        weights = check_weights(sample_weight, n_rows)
        params = self._column_params(names, columns)
        kinds = {c: resolve_kind(frame[c], params[c]["dtype"]) for c in columns}

        binners: dict[str, OptimalBinner] = {}
        numeric = [c for c in columns if kinds[c] == NUMERIC]
        categorical = [c for c in columns if kinds[c] == CATEGORICAL]
        if numeric:
            binners.update(self._fit_numeric(frame, numeric, params, label, weights))
        if categorical:
            binners.update(self._fit_categorical(frame, categorical, params, label, weights))

        self.n_features_in_ = len(names)
        if named:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self._input_names = list(names)
        self.columns_ = columns
        self.binners_ = {c: binners[c] for c in columns}
        self.binning_tables_ = {c: b.table_ for c, b in self.binners_.items()}
        self._select(criteria, limit)
        self.unseen_counts_ = {c: 0 for c in self.selected_}
        return self

    def _fit_numeric(
        self,
        frame: pd.DataFrame,
        columns: Sequence[str],
        params: Mapping[str, Mapping[str, Any]],
        label: np.ndarray,
        weights: np.ndarray | None,
    ) -> dict[str, OptimalBinner]:
        """All numeric columns: one quantile call, one counting pass, then small merges."""
        matrix = _numeric_matrix(frame, columns, fitted=False)
        specials = [_numeric_specials(params[c]["special_values"], c) for c in columns]
        infinite = np.isinf(matrix).any(axis=0)
        if infinite.any():
            _warn_infinite([c for c, bad in zip(columns, infinite) if bad])
        edges: list[np.ndarray | None] = [None] * len(columns)
        quantile: dict[int, list[int]] = {}
        stumps: list[int] = []
        for j, c in enumerate(columns):
            p = params[c]
            if p["user_splits"] is not None:
                edges[j] = np.asarray(p["user_splits"], dtype=np.float64)
            elif p["prebinning"] == "stumps":
                stumps.append(j)
            else:
                quantile.setdefault(int(p["max_n_prebins"]), []).append(j)
        for n_prebins, group in quantile.items():
            sub = matrix if len(group) == len(columns) else matrix[:, group]
            found = engine.quantile_edges_many(
                sub, n_prebins, special_values=[specials[j] for j in group]
            )
            for j, e in zip(group, found):
                edges[j] = e
        if stumps:
            from joblib import Parallel, delayed

            found = Parallel(n_jobs=self.n_jobs or 1, prefer="threads")(
                delayed(stump_edges)(np.ascontiguousarray(matrix[:, j]), label, weights,
                                     specials[j], params[columns[j]])
                for j in stumps
            )
            for j, e in zip(stumps, found):
                edges[j] = e
        counts = engine.count_numeric(
            matrix, edges, label, special_values=specials, weights=weights
        )
        def finish(j: int) -> OptimalBinner:
            binner = OptimalBinner(**self._binner_args(params[columns[j]]))
            binner.n_features_in_ = 1
            binner._fit_numeric_counts(params[columns[j]], columns[j], edges[j], counts[j],
                                       specials[j])
            return binner

        # The exact merge releases the GIL, so the per-column merges share the cores.
        with ThreadPoolExecutor(max_workers=min(len(columns), os.cpu_count() or 1)) as pool:
            finished = list(pool.map(finish, range(len(columns))))
        return dict(zip(columns, finished))

    def _fit_categorical(
        self,
        frame: pd.DataFrame,
        columns: Sequence[str],
        params: Mapping[str, Mapping[str, Any]],
        label: np.ndarray,
        weights: np.ndarray | None,
    ) -> dict[str, OptimalBinner]:
        """All categorical columns: encode each, one counting pass, then small merges."""
        codes = np.empty((len(frame), len(columns)), dtype=np.int64, order="F")
        categories = []
        for j, c in enumerate(columns):
            if params[c]["user_splits"] is not None:
                raise InputError(
                    f"column {c!r}: user_splits applies to numeric characteristics; this one is "
                    "categorical."
                )
            series = frame[c]
            if has_mixed_types(series):
                warn_mixed(c)
            codes[:, j], cats = encode_categories(series)
            categories.append(cats)
        counts = engine.count_codes(
            codes, [np.arange(len(cats), dtype=np.int64) for cats in categories],
            [len(cats) for cats in categories], label, weights=weights,
        )
        binners = {}
        for j, c in enumerate(columns):
            binner = OptimalBinner(**self._binner_args(params[c]))
            binner.n_features_in_ = 1
            binner._fit_categorical_counts(params[c], c, categories[j], counts[j])
            binners[c] = binner
        return binners

    @staticmethod
    def _binner_args(p: Mapping[str, Any]) -> dict[str, Any]:
        args = dict(p)
        if args["user_splits"] is not None:
            args["user_splits"] = [float(v) for v in args["user_splits"]]
        return args

    # ------------------------------------------------------------------ selection & summary

    def _metrics(self) -> pd.DataFrame:
        rows = []
        for c in self.columns_:
            table = self.binning_tables_[c]
            r = table.iv_result
            rows.append({
                "name": c,
                "dtype": table.dtype,
                "n_bins": table.n_nonempty_bins,
                "iv": r.value,
                "iv_se": r.se,
                "iv_ci_low": r.ci[0],
                "iv_ci_high": r.ci[1],
                "ci_method": r.ci_method,
                "p_value": r.p_value,
                "trend": table.trend,
                "status": table.status,
            })
        frame = pd.DataFrame(rows, columns=[
            "name", "dtype", "n_bins", "iv", "iv_se", "iv_ci_low", "iv_ci_high", "ci_method",
            "p_value", "trend", "status",
        ])
        p_values = frame["p_value"].to_numpy(dtype=np.float64)
        frame["q_value"] = stats.benjamini_hochberg(p_values)[1] if len(frame) else []
        return frame

    def _select(self, criteria: Mapping[str, Mapping[str, float]], limit: int | None) -> None:
        metrics = self._metrics()
        keep = metrics["n_bins"].to_numpy() >= 2
        for key, bounds in criteria.items():
            values = metrics[key].to_numpy(dtype=np.float64)
            with np.errstate(invalid="ignore"):
                if "min" in bounds:
                    keep &= values >= bounds["min"]
                if "max" in bounds:
                    keep &= values <= bounds["max"]
        if limit is not None and keep.sum() > limit:
            ranked = [i for i in np.argsort(-metrics["iv"].to_numpy(), kind="stable") if keep[i]]
            keep[:] = False
            keep[ranked[:limit]] = True
        chosen = {c for c, k in zip(self.columns_, keep) if k}
        self.selected_ = [c for c in self.columns_ if c in chosen]
        self.support_ = np.asarray([n in chosen for n in self._input_names], dtype=bool)

    def summary(self) -> pd.DataFrame:
        """One row per binned characteristic, by decreasing IV.

        Columns: name, dtype, n_bins (non-empty bins), iv, iv_se, iv_ci_low, iv_ci_high,
        ci_method, p_value (chi-square test of "no information"), q_value (Benjamini-Hochberg
        over the characteristics), trend, status and selected. The p-values, q-values and
        intervals treat the bins as fixed in advance; after supervised binning on the same
        rows they are optimistic (too small p-values, too narrow intervals).
        """
        self._check_fitted()
        metrics = self._metrics()
        metrics["selected"] = metrics["name"].isin(self.selected_)
        return metrics.sort_values("iv", ascending=False, na_position="last", kind="stable") \
            .reset_index(drop=True)

    def get_support(self, indices: bool = False) -> np.ndarray:
        """Mask (or indices) of the input features that the transform outputs."""
        self._check_fitted()
        return np.flatnonzero(self.support_) if indices else self.support_.copy()

    def get_binned_variable(self, name: str) -> OptimalBinner:
        """The fitted OptimalBinner of one characteristic."""
        self._check_fitted()
        if name not in self.binners_:
            raise InputError(
                f"no binned characteristic named {name!r}; binned: "
                f"{', '.join(map(repr, self.columns_[:20]))}."
            )
        return self.binners_[name]

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the output columns: the selected characteristics, in input order."""
        self._check_fitted()
        if input_features is not None:
            given = [str(f) for f in np.asarray(input_features, dtype=object)]
            if len(given) != self.n_features_in_:
                raise InputError(
                    f"input_features has {len(given)} names but X had {self.n_features_in_} "
                    "features in fit."
                )
            if hasattr(self, "feature_names_in_") and given != list(self.feature_names_in_):
                raise InputError("input_features is not equal to feature_names_in_.")
        return np.asarray(self.selected_, dtype=object)

    # ------------------------------------------------------------------ transform

    def transform(self, X: object, metric: str = "woe") -> np.ndarray:
        """Selected characteristics as WoE (float64), bin index (int64) or bin label (object).

        Columns are found by name in a DataFrame (extra columns are ignored) and by position in
        an array. Empty bins give WoE 0; unseen categories follow each binner's `unseen` policy
        and their rows are counted in ``unseen_counts_``.
        """
        self._check_fitted()
        check_metric(metric)
        if isinstance(X, pd.DataFrame) and all(isinstance(c, str) for c in X.columns):
            frame = X
            require_columns(frame, self.selected_, what="column")
        else:
            frame, names, _ = _input_frame(X)
            if len(names) != self.n_features_in_:
                raise InputError(
                    f"X has {len(names)} features, but BinningProcess is expecting "
                    f"{self.n_features_in_} features as input."
                )
            frame = frame.set_axis(self._input_names, axis=1)
        n_rows = len(frame)
        tables = [self.binning_tables_[c] for c in self.selected_]
        numeric = [j for j, t in enumerate(tables) if t.dtype == NUMERIC]
        categorical = [j for j, t in enumerate(tables) if t.dtype == CATEGORICAL]
        unseen = {c: 0 for c in self.selected_}
        numeric_out = categorical_out = None
        if numeric:
            names = [self.selected_[j] for j in numeric]
            matrix = _numeric_matrix(frame, names, fitted=True)
            numeric_out = map_numeric_tables(matrix, [tables[j] for j in numeric], metric)
        if categorical:
            names = [self.selected_[j] for j in categorical]
            categorical_out, counts = map_categorical_tables(
                [frame[c] for c in names], [tables[j] for j in categorical], metric
            )
            unseen.update(zip(names, counts))
        if numeric_out is not None and not categorical:
            out = numeric_out
        elif categorical_out is not None and not numeric:
            out = categorical_out
        else:
            out = np.empty((n_rows, len(tables)), dtype=np.float64, order="F")
            if numeric_out is not None:
                out[:, numeric] = numeric_out
            if categorical_out is not None:
                out[:, categorical] = categorical_out
        self.unseen_counts_ = unseen
        return finish_metric(out, tables, metric)

    # ------------------------------------------------------------------ JSON

    def to_json(self) -> str:
        """The fitted process as JSON (no pickle): parameters, every binner, the selection."""
        self._check_fitted()
        document = {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "params": jsonable(self.get_params()),
            "input_names": list(self._input_names),
            "named_input": hasattr(self, "feature_names_in_"),
            "columns": list(self.columns_),
            "selected": list(self.selected_),
            "binners": {c: b._to_dict() for c, b in self.binners_.items()},
        }
        return json.dumps(document, allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> BinningProcess:
        """Rebuild a fitted process from `to_json` output; it transforms identically."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise SpecError(f"not valid JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != JSON_FORMAT or (
            data.get("version") != JSON_VERSION
        ):
            raise SpecError(f"not a {JSON_FORMAT!r} version {JSON_VERSION} document.")
        try:
            process = cls(**data["params"])
            names = [str(n) for n in data["input_names"]]
            binners = {str(c): OptimalBinner._from_dict(d) for c, d in data["binners"].items()}
            columns = [str(c) for c in data["columns"]]
            selected = [str(c) for c in data["selected"]]
            named = bool(data["named_input"])
        except (KeyError, TypeError) as exc:
            raise SpecError(f"malformed BinningProcess document: {exc}") from None
        if set(columns) != set(binners) or not set(selected) <= set(columns) or not set(
            columns
        ) <= set(names):
            raise SpecError("BinningProcess document: columns, selection and binners disagree.")
        process.n_features_in_ = len(names)
        if named:
            process.feature_names_in_ = np.asarray(names, dtype=object)
        process._input_names = names
        process.columns_ = columns
        process.binners_ = {c: binners[c] for c in columns}
        process.binning_tables_ = {c: b.table_ for c, b in process.binners_.items()}
        process.selected_ = selected
        process.support_ = np.asarray([n in set(selected) for n in names], dtype=bool)
        process.unseen_counts_ = {c: 0 for c in selected}
        return process

