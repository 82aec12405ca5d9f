"""BinningProcess: optimal binning of every characteristic of a frame, selection, and transform.

Fast by construction: all numeric characteristics share one quantile pre-binning call and ONE
counting pass over the rows (the engine), categorical ones one more; the exact merges then run
on small count tables (with n_jobs > 1 the text columns are coded beside the numeric kernels).
Transform maps every numeric column to its WoE (or bin) in one fused, parallel pass. Only
XGBoost-stump pre-binning looks at each column separately.

Variable selection uses each characteristic's IV, its standard error, interval and p-value.
These assume bins fixed in advance; the bins were chosen on the same rows to maximise IV, so
the p-values and intervals are optimistic (STATISTICS.md section 4). Select on them as a
ranking, or fit the process on a training split and recompute the tables on hold-out rows.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from scorecard.binning._backends import distributed_backend
from scorecard.binning._columns import (
    BinningWarning,
    as_target_array,
    check_target_given,
    has_mixed_types,
    input_frame,
    numeric_matrix,
    numeric_specials,
    require_features,
    resolve_kind,
    warn_infinite,
    warn_mixed,
)
from scorecard.binning._counting import categorical_counts, numeric_prebin_counts
from scorecard.binning._fit import categorical_table, numeric_table
from scorecard.binning._params import (
    BINNER_CONSTRAINTS,
    check_binner_params,
    jsonable,
    upgrade_params,
)
from scorecard.binning._selection import (
    SELECTION_CRITERIA,
    check_selection,
    select,
    summary_table,
)
from scorecard.binning._transform import check_metric, transform_frame
from scorecard.binning.binner import OptimalBinner
from scorecard.binning.cardinality import count_table_notes
from scorecard.estimator import EstimatorMixin
from scorecard.exceptions import InputError, SpecError
from scorecard.options import CATEGORICAL, NUMERIC
from scorecard.parameters import Integral
from scorecard.threads import engine_threads
from scorecard.validation import binary_target, check_weights, require_columns

__all__ = ["BinningProcess", "SELECTION_CRITERIA"]


JSON_FORMAT = "scorecard.BinningProcess"
JSON_VERSION = 1

# OptimalBinner parameters that BinningProcess also takes as its own defaults.
_SHARED_PARAMS = (
    "prebinning", "max_n_prebins", "n_rounds", "monotonic_trend", "min_bin_size", "min_goods",
    "min_bads", "max_n_bins", "max_pvalue", "cat_min_expected", "unseen", "level",
)
_BINNER_PARAMS = frozenset(OptimalBinner().get_params()) - {"name"}


class BinningProcess(EstimatorMixin, TransformerMixin, BaseEstimator):
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
    max_n_bins, max_pvalue, cat_min_expected, unseen, level : defaults for every column's
        OptimalBinner (see there, also for why max_n_prebins is 200).
    n_jobs : threads for all parallel work of fit and transform: the engine's kernels
        (quantiles, counting, the transform's map), the per-column exact merges and the stump
        pre-binning. scikit-learn's convention: None means 1, -1 every core, -2 all but one.

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
        cat_min_expected: float = 5.0,
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
        self.cat_min_expected = cat_min_expected
        self.unseen = unseen
        self.level = level
        self.n_jobs = n_jobs

    _fitted_attribute = "binners_"
    _parameter_constraints = {
        "columns": ["array-like", None],
        "categorical": ["array-like", None],
        "special_values": [Mapping, None],
        "binner_params": [Mapping, None],
        "selection": [Mapping, None],
        **{key: BINNER_CONSTRAINTS[key] for key in _SHARED_PARAMS},
        "n_jobs": [Integral, None],
    }

    # ------------------------------------------------------------------ parameters

    def _column_params(self, names: Sequence[str], columns: Sequence[str]) -> dict[str, dict]:
        defaults = {key: getattr(self, key) for key in _SHARED_PARAMS}
        special_values = self.special_values or {}
        binner_params = self.binner_params or {}
        categorical = self.categorical or []
        for what, given in (("special_values", special_values), ("binner_params", binner_params)):
            unknown = [c for c in given if c not in columns]
            if unknown:
                raise InputError(
                    f"{what} names column(s) {', '.join(map(repr, unknown))} that are not "
                    "binned; check the names (and `columns`)."
                )
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
        """Bin every characteristic of X against the binary target y (1 = bad) and select.

        X may be a Dask DataFrame (y, sample_weight: Dask Series partitioned like it): counts are
        then summed over partitions (`scorecard.binning._dask`; ``pip install scorecard[dask]``).
        X may be a Spark DataFrame, y and sample_weight then naming its target and weight
        columns: the same, over Spark partitions (`scorecard.binning._spark`; ``[spark]``).
        """
        self._validate_params()
        if self.n_jobs == 0:
            raise InputError("n_jobs=0 must be None or a non-zero integer.")
        if (backend := distributed_backend(X)) is not None:
            return backend.fit_process(self, X, y, sample_weight)
        frame, names, named = input_frame(X)
        n_rows = len(frame)
        require_features(names, n_rows)
        check_target_given(y, type(self).__name__)
        criteria, limit = check_selection(self.selection)
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
        with engine_threads(self.n_jobs) as n_threads, ThreadPoolExecutor(1) as pool:
            # With threads, text coding (pyarrow hashing, mostly without the GIL) and the
            # categorical count run beside the numeric kernels.
            text = pool.submit(self._fit_categorical, frame, categorical, params, label,
                               weights) if n_threads > 1 and numeric and categorical else None
            if numeric:
                binners.update(
                    self._fit_numeric(frame, numeric, params, label, weights, n_threads)
                )
            if categorical:
                binners.update(text.result() if text is not None else self._fit_categorical(
                    frame, categorical, params, label, weights))
        return self._set_fitted(names, named, columns, binners, criteria, limit)

    def _set_fitted(
        self,
        names: Sequence[str],
        named: bool,
        columns: Sequence[str],
        binners: Mapping[str, OptimalBinner],
        criteria: Mapping[str, Mapping[str, float]],
        limit: int | None,
    ) -> BinningProcess:
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
        n_threads: int,
    ) -> dict[str, OptimalBinner]:
        """All numeric columns: one quantile call, one counting pass, then small merges."""
        matrix = numeric_matrix(frame, columns, fitted=False)
        specials = [numeric_specials(params[c]["special_values"], c) for c in columns]
        infinite = [np.isinf(matrix[:, j]).any() for j in range(len(columns))]  # no n x k mask
        if any(infinite):
            warn_infinite([c for c, bad in zip(columns, infinite) if bad])
        edges, counts = numeric_prebin_counts(
            matrix, specials, [params[c] for c in columns], label, weights, n_jobs=n_threads
        )
        return self._numeric_binners(columns, params, edges, counts, specials, n_threads)

    def _numeric_binners(
        self,
        columns: Sequence[str],
        params: Mapping[str, Mapping[str, Any]],
        edges: Sequence[np.ndarray],
        counts: Sequence[np.ndarray],
        specials: Sequence[Sequence[float]],
        n_threads: int,
    ) -> dict[str, OptimalBinner]:
        """The exact merge of every numeric column from its pre-bin edges and count table."""

        def finish(j: int) -> OptimalBinner:
            p = params[columns[j]]
            table = numeric_table(p, columns[j], edges[j], counts[j], specials[j])
            return OptimalBinner.from_table(table, edges[j], **self._binner_args(p))

        if n_threads == 1 or len(columns) == 1:
            finished = [finish(j) for j in range(len(columns))]
        else:  # the exact merge releases the GIL, so the per-column merges share the threads
            with ThreadPoolExecutor(max_workers=min(len(columns), n_threads)) as pool:
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
        for c in columns:
            if params[c]["user_splits"] is not None:
                raise InputError(
                    f"column {c!r}: user_splits applies to numeric characteristics; this one is "
                    "categorical."
                )
            if has_mixed_types(frame[c]):
                warn_mixed(c)
        with engine_threads(self.n_jobs):  # also when run on a worker thread (fit)
            categories, counts = categorical_counts(frame, columns, label, weights)
        for c, cats, table in zip(columns, categories, counts):
            for note in count_table_notes(frame[c], c, cats, table, weights is not None):
                warnings.warn(note, BinningWarning, stacklevel=3)
        return self._categorical_binners(columns, params, categories, counts)

    def _categorical_binners(
        self,
        columns: Sequence[str],
        params: Mapping[str, Mapping[str, Any]],
        categories: Sequence[tuple[str, ...]],
        counts: Sequence[np.ndarray],
    ) -> dict[str, OptimalBinner]:
        """The merge of every categorical column from its sorted categories and count table."""
        binners = {}
        for j, c in enumerate(columns):
            table = categorical_table(params[c], c, categories[j], counts[j])
            binners[c] = OptimalBinner.from_table(table, None, **self._binner_args(params[c]))
        return binners

    @staticmethod
    def _binner_args(p: Mapping[str, Any]) -> dict[str, Any]:
        args = dict(p)
        if args["user_splits"] is not None:
            args["user_splits"] = [float(v) for v in args["user_splits"]]
        return args

    # ------------------------------------------------------------------ selection & summary

    def _select(self, criteria: Mapping[str, Mapping[str, float]], limit: int | None) -> None:
        self.selected_ = select(summary_table(self.binning_tables_), criteria, limit)
        chosen = set(self.selected_)
        self.support_ = np.asarray([n in chosen for n in self._input_names], dtype=bool)

    def summary(self) -> pd.DataFrame:
        """One row per binned characteristic, by decreasing IV.

        Columns: name, dtype, n_bins (non-empty bins), iv (plug-in), iv_corrected (the
        bias-corrected estimate, inside the interval), iv_se, iv_ci_low, iv_ci_high, ci_method,
        p_value (test of "no information") with p_method (chi2, or permutation where expected
        counts are small), reliable and reliability_note (STATISTICS.md section 7), q_value
        (Benjamini-Hochberg over the characteristics), trend, status and selected. The p-values, q-values and
        intervals treat the bins as fixed in advance; after supervised binning on the same
        rows they are optimistic (too small p-values, too narrow intervals).
        """
        self._check_fitted()
        metrics = summary_table(self.binning_tables_)
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
        an array. A Dask DataFrame gives a lazy Dask DataFrame of the selected columns (each
        partition mapped as in memory; ``unseen_counts_`` is then not updated), a Spark DataFrame a
        lazy Spark DataFrame in the same way. Empty bins give WoE 0; unseen categories follow each binner's `unseen` policy
        and their rows are counted in ``unseen_counts_``.
        """
        self._check_fitted()
        check_metric(metric)
        if (backend := distributed_backend(X)) is not None:
            return backend.transform_process(self, X, metric)
        if isinstance(X, pd.DataFrame) and all(isinstance(c, str) for c in X.columns):
            frame = X
            require_columns(frame, self.selected_, what="column")
        else:
            frame, names, _ = input_frame(X)
            if len(names) != self.n_features_in_:
                raise InputError(
                    f"X has {len(names)} features, but BinningProcess is expecting "
                    f"{self.n_features_in_} features as input."
                )
            frame = frame.set_axis(self._input_names, axis=1)
        tables = [self.binning_tables_[c] for c in self.selected_]
        with engine_threads(self.n_jobs):
            out, unseen = transform_frame(frame, self.selected_, tables, metric)
        self.unseen_counts_ = dict(zip(self.selected_, unseen))
        return out

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
            "binners": {c: b.to_dict() for c, b in self.binners_.items()},
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
            process = cls(**upgrade_params(data["params"]))
            names = [str(n) for n in data["input_names"]]
            binners = {str(c): OptimalBinner.from_dict(d) for c, d in data["binners"].items()}
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

