"""OptimalBinner: exact, constrained optimal binning of one characteristic (scikit-learn style).

Pipeline: pre-binning (quantile, XGBoost stumps, or user splits) -> one counting pass through
the engine -> exact optimal merge of the ordered pre-bins (numeric intervals, or categories
sorted by event rate) under monotonicity, size, count, bin-number and significance constraints
-> final counts as sums of pre-bin counts (no second pass over the rows). The missing bin and
one bin per special value are kept apart and never merged; their rows still count in the
totals, so every share and the IV refer to the whole characteristic.

The IV's p-value and interval (``iv_``) are computed as if the bins had been fixed in advance.
The bins were chosen to maximise IV on these same rows, so they are optimistic (STATISTICS.md
section 4): use them to rank characteristics, and for inference refit the table on hold-out rows
or freeze the bins first.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from scorecard.binning._columns import (
    BinningWarning,
    as_target_array,
    check_target_given,
    column_series,
    has_mixed_types,
    numeric_specials,
    numeric_values,
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
from scorecard.binning._transform import check_metric, transform_frame
from scorecard.binning.table import BinningTable
from scorecard.estimator import EstimatorMixin
from scorecard.exceptions import InputError, SpecError
from scorecard.options import NUMERIC
from scorecard.stats import JeffreysResult
from scorecard.validation import binary_target, check_weights

__all__ = ["BinningWarning", "OptimalBinner", "jsonable"]

JSON_FORMAT = "scorecard.OptimalBinner"
JSON_VERSION = 1


class OptimalBinner(EstimatorMixin, TransformerMixin, BaseEstimator):
    """Exact optimal binning of one characteristic against a binary target.

    Parameters
    ----------
    dtype : "auto", "numeric" or "categorical". "auto": numeric for real and integer dtypes,
        categorical for text, object, category and boolean dtypes.
    prebinning : "quantile" (equal-frequency, `max_n_prebins` bins) or "stumps" (the distinct
        thresholds of `n_rounds` boosted XGBoost depth-1 stumps, as in the framework paper).
        Numeric characteristics only; categories are pre-binned one per category.
    max_n_prebins, n_rounds : size of the quantile pre-binning; boosting rounds for stumps.
        The default 200 pre-bins (0.5% of the values each; up to about twice as many edges
        where heavy ties add an edge after the run, see engine.quantile_edges) lets the exact merge put every
        final edge within 0.25% of the rows of any cut (heavy ties aside). With 20 the
        candidates are 5% apart, as coarse as a minimum-size bin, and optbinning's adaptive
        CART pre-bins beat ours by up to 10% IV (benchmarks/compare_optbinning.py). The merge
        costs O(max_n_prebins^3), times max_n_bins when that is set, on a small table: 5-10 ms
        per characteristic at 200 (about 8x less at 100).
    monotonic_trend : event-rate shape across final numeric bins: "auto" (the better of
        ascending and descending), "ascending", "descending", "peak", "valley" or None. For a
        categorical characteristic the categories are ordered by event rate, so any trend other
        than None gives bins in ascending event rate.
    min_bin_size : minimum share of all rows (missing and special included) in every final bin.
    min_goods, min_bads : minimum goods / bads in every final bin (1 keeps WoE finite).
    max_n_bins : maximum number of final bins, missing and special bins not counted.
    max_pvalue : maximum p-value of the chi-square test between neighbouring bins (None: none).
    special_values : values that get a bin each (e.g. -999); numbers for numeric
        characteristics, categories (compared as text) for categorical ones.
    cat_min_expected : a category whose expected goods or expected bads at the column's average
        risk (rows x G/N, rows x B/N) fall below this is pooled into one "Other" pre-bin before
        the merge (0: none). A count, not a share: a well-estimated level keeps its own pre-bin
        at any sample size (STATISTICS.md section 4, "Rare categories"). Documents saved with
        the earlier ``cat_min_share`` still load.
    unseen : where a category not seen in fit goes at transform: "missing" (the missing bin;
        default), "other" (the bin holding the pooled rare categories, or the missing bin when
        none was rare), "zero" (WoE 0, bin -1, label "Unseen"), or "error" (InputError).
        ``unseen_count_`` records how many rows took it in the last transform.
    user_splits : interior edges for a numeric characteristic. They replace the pre-binning and
        are merged optimally, unless `user_splits_fixed` (then they are the final bins as given).
    level : confidence level of the IV interval.
    name : the characteristic's name (default: the Series name, else "x").

    Attributes
    ----------
    table_ : BinningTable, the fitted table (counts, WoE with SE, IV with SE/interval/p-value).
    iv_ : JeffreysResult, the IV over all non-empty bins. Its p-value and interval are
        optimistic: the bins were chosen on the same rows (STATISTICS.md section 4).
    splits_ : final interior edges (numeric); prebin_splits_ : the pre-bin edges.
    categories_ : categories known to transform (seen in fit, then special values), and
        category_bins_ : category -> bin (categorical).
    status_ : "optimal", "trivial", "infeasible" (no partition met the constraints: one bin),
        "fixed" (user splits kept) or "empty" (no non-missing value).
    trend_ : the event-rate trend the bins obey. dtype_, name_, n_bins_ : as named.
    unseen_count_ : rows with a category not seen in fit in the last transform.

    Notes
    -----
    Missing values (NaN) get their own bin, and each special value its own, never merged. A bin
    with no training rows (e.g. the missing bin when fit saw no NaN) transforms to WoE 0, the
    average risk. -inf and +inf go to the first and last numeric bins; a pre-bin holding only
    +inf starts at the largest float64 (labelled "[inf, inf]"), so the JSON holds no infinity. Quantile pre-bins are
    quantiles of the rows: sample weights do not move them, but every count, share, WoE and the
    merge use the weights. Merging is exact: the
    final bins have the largest IV of all contiguous groupings of the pre-bins that meet the
    constraints (dynamic programming; see `scorecard.binning._solver`).
    """

    def __init__(
        self,
        *,
        dtype: str = "auto",
        prebinning: str = "quantile",
        max_n_prebins: int = 200,
        n_rounds: int = 50,
        monotonic_trend: str | None = "auto",
        min_bin_size: float = 0.05,
        min_goods: float = 1,
        min_bads: float = 1,
        max_n_bins: int | None = None,
        max_pvalue: float | None = None,
        special_values: Sequence[Any] = (),
        cat_min_expected: float = 5.0,
        unseen: str = "missing",
        user_splits: Sequence[float] | None = None,
        user_splits_fixed: bool = False,
        level: float = 0.95,
        name: str | None = None,
    ) -> None:
        self.dtype = dtype
        self.prebinning = prebinning
        self.max_n_prebins = max_n_prebins
        self.n_rounds = n_rounds
        self.monotonic_trend = monotonic_trend
        self.min_bin_size = min_bin_size
        self.min_goods = min_goods
        self.min_bads = min_bads
        self.max_n_bins = max_n_bins
        self.max_pvalue = max_pvalue
        self.special_values = special_values
        self.cat_min_expected = cat_min_expected
        self.unseen = unseen
        self.user_splits = user_splits
        self.user_splits_fixed = user_splits_fixed
        self.level = level
        self.name = name

    _fitted_attribute = "table_"
    _fit_call = "fit(x, y)"
    _parameter_constraints = BINNER_CONSTRAINTS

    # ------------------------------------------------------------------ fit

    def fit(self, x: object, y: object, sample_weight: object = None) -> OptimalBinner:
        """Bin one characteristic `x` (1-D) against the binary target `y` (1 = bad)."""
        params = check_binner_params(self.get_params(), type(self).__name__)
        check_target_given(y, type(self).__name__)
        series = column_series(x)
        name = params["name"] or (str(series.name) if series.name is not None else "x")
        label = binary_target(as_target_array(y), name="y")
        if label.shape[0] != series.shape[0]:
            raise InputError(f"x has {series.shape[0]} values but y has {label.shape[0]}.")
        weights = check_weights(sample_weight, series.shape[0])
        kind = resolve_kind(series, params["dtype"])
        self._reset_input_info(x)
        if kind == NUMERIC:
            values = numeric_values(series, name)
            specials = numeric_specials(params["special_values"], name)
            if np.isinf(values).any():
                warn_infinite([name])
            edges, counts = numeric_prebin_counts(
                values.reshape(-1, 1), [specials], [params], label, weights
            )
            table = numeric_table(params, name, edges[0], counts[0], specials)
            self._set_fitted(table, edges[0])
        else:
            if params["user_splits"] is not None:
                raise InputError(
                    f"column {name!r}: user_splits applies to numeric characteristics; this one "
                    "is categorical."
                )
            if has_mixed_types(series):
                warn_mixed(name)
            categories, counts = categorical_counts(series.to_frame("x"), ["x"], label, weights)
            self._set_fitted(categorical_table(params, name, categories[0], counts[0]), None)
        return self

    @classmethod
    def from_table(cls, table: BinningTable, prebin_splits: np.ndarray | None = None,
                   **params: Any) -> OptimalBinner:
        """A fitted binner from its binning table (as BinningProcess builds them): it transforms
        with the table; `params` are the binner's parameters, recorded as given."""
        binner = cls(**params)
        binner._set_fitted(table, prebin_splits)
        binner.n_features_in_ = 1
        return binner

    def _reset_input_info(self, x: object) -> None:
        self.n_features_in_ = 1
        if isinstance(x, pd.DataFrame) and isinstance(x.columns[0], str):
            self.feature_names_in_ = np.asarray(x.columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def _set_fitted(self, table: BinningTable, prebin_edges: np.ndarray | None) -> None:
        self.table_ = table
        self.name_ = table.name
        self.dtype_ = table.dtype
        self.iv_: JeffreysResult = table.iv_result
        self.status_ = table.status
        self.trend_ = table.trend
        self.n_bins_ = table.n_bins
        self.unseen_count_ = 0
        for stale in ("splits_", "prebin_splits_", "categories_", "category_bins_"):
            self.__dict__.pop(stale, None)
        if table.dtype == NUMERIC:
            self.splits_ = table.splits
            self.prebin_splits_ = prebin_edges
        else:
            self.categories_ = tuple(table.categories or {})
            self.category_bins_ = dict(table.categories or {})

    # ------------------------------------------------------------------ transform

    def transform(self, x: object, metric: str = "woe") -> np.ndarray:
        """Map `x` to its bins' WoE (float64), bin index (int64) or bin label (object).

        Empty bins transform to WoE 0. Categories unseen in fit follow `unseen`; how many rows
        there were is stored in ``unseen_count_``.
        """
        self._check_fitted()
        check_metric(metric)
        series = column_series(x)
        out, n_unseen = transform_frame(series.to_frame("x"), ["x"], [self.table_], metric)
        self.unseen_count_ = n_unseen[0]
        two_d = isinstance(x, pd.DataFrame) or (not isinstance(x, pd.Series) and np.ndim(x) == 2)
        return out if two_d else out[:, 0]

    def fit_transform(self, x: object, y: object = None, sample_weight: object = None,
                      metric: str = "woe") -> np.ndarray:
        """`fit` then `transform` on the same rows."""
        return self.fit(x, y, sample_weight=sample_weight).transform(x, metric=metric)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """The one output column: the characteristic's name."""
        self._check_fitted()
        return np.asarray([self.name_], dtype=object)

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        """The fitted binner as plain JSON data (what `to_json` writes)."""
        self._check_fitted()
        return {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "params": jsonable(self.get_params()),
            "table": self.table_.to_dict(),
            "prebin_splits": None
            if getattr(self, "prebin_splits_", None) is None
            else [float(v) for v in self.prebin_splits_],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OptimalBinner:
        """Inverse of `to_dict`; SpecError for anything else."""
        if data.get("format") != JSON_FORMAT or data.get("version") != JSON_VERSION:
            raise SpecError(
                f"not an {cls.__name__} document (format {data.get('format')!r}, version "
                f"{data.get('version')!r}); expected {JSON_FORMAT!r} version {JSON_VERSION}."
            )
        try:
            params = upgrade_params(data["params"])
            params["special_values"] = tuple(params.get("special_values") or ())
            binner = cls(**params)
            prebin = data["prebin_splits"]
            table = BinningTable.from_dict(data["table"])
        except (KeyError, TypeError) as exc:
            raise SpecError(f"malformed {cls.__name__} document: {exc}") from None
        binner._set_fitted(table, None if prebin is None else np.asarray(prebin, dtype=np.float64))
        binner.n_features_in_ = 1
        return binner

    def to_json(self) -> str:
        """The fitted binner as JSON (no pickle): parameters and binning table."""
        return json.dumps(self.to_dict(), allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> OptimalBinner:
        """Rebuild a fitted binner from `to_json` output; it transforms identically."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise SpecError(f"not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise SpecError("an OptimalBinner document must be a JSON object.")
        return cls.from_dict(data)
