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
import math
import numbers
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import ClassifierTags

from scorecard import engine
from scorecard._validation import binary_target, category_text, check_weights
from scorecard.binning._prebin import stump_split_candidates
from scorecard.binning._solver import TRENDS, _check_options, optimal_merge
from scorecard.binning.prebinning import (
    CATEGORICAL,
    NUMERIC,
    _category_codes,
    characteristic_kind,
    numeric_bin_labels,
)
from scorecard.binning.table import UNSEEN_LABEL, UNSEEN_POLICIES, BinningTable
from scorecard.engine.mapping import map_codes, map_numeric
from scorecard.exceptions import InputError, NotFittedError, SpecError
from scorecard.stats import JeffreysResult

__all__ = ["BinningWarning", "OptimalBinner"]

DTYPES = ("auto", NUMERIC, CATEGORICAL)
PREBINNINGS = ("quantile", "stumps")
METRICS = ("woe", "bin", "label")
OTHER_LABEL = "Other"
JSON_FORMAT = "scorecard.OptimalBinner"
JSON_VERSION = 1
_MAX_LABEL_CATEGORIES = 5
_MIXED_TYPES = ("mixed", "mixed-integer")


class BinningWarning(UserWarning):
    """Binning went ahead with documented behaviour the user should know about."""


# ---------------------------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_binner_params(params: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Validate OptimalBinner parameters; InputError messages start with `where`."""
    p = dict(params)

    def fail(message: str) -> None:
        raise InputError(f"{where}: {message}")

    if p["dtype"] not in DTYPES:
        fail(f"dtype={p['dtype']!r} must be one of {', '.join(map(repr, DTYPES))}.")
    if p["prebinning"] not in PREBINNINGS:
        fail(f"prebinning={p['prebinning']!r} must be 'quantile' or 'stumps'.")
    if not _is_int(p["max_n_prebins"]) or p["max_n_prebins"] < 2:
        fail(f"max_n_prebins={p['max_n_prebins']!r} must be an integer >= 2.")
    if not _is_int(p["n_rounds"]) or p["n_rounds"] < 1:
        fail(f"n_rounds={p['n_rounds']!r} must be an integer >= 1.")
    if p["monotonic_trend"] not in TRENDS:
        fail(f"monotonic_trend={p['monotonic_trend']!r} must be one of {TRENDS}.")
    try:
        _check_options(p["monotonic_trend"], p["min_bin_size"], p["min_goods"], p["min_bads"],
                       p["max_n_bins"], p["max_pvalue"])
    except InputError as exc:
        fail(str(exc))
    specials = p["special_values"]
    if specials is None:
        specials = ()
    if isinstance(specials, (str, bytes)) or not isinstance(specials, (Sequence, np.ndarray)):
        fail(f"special_values={specials!r} must be a list of values, e.g. [-999].")
    specials = tuple(v.item() if isinstance(v, np.generic) else v for v in specials)
    if len(set(map(str, specials))) != len(specials):
        fail(f"special_values={list(specials)!r} lists a value twice.")
    p["special_values"] = specials
    share = p["cat_min_share"]
    if not isinstance(share, numbers.Real) or isinstance(share, bool) or not 0 <= share < 1:
        fail(f"cat_min_share={share!r} must be a share of rows in [0, 1).")
    if p["unseen"] not in UNSEEN_POLICIES:
        fail(f"unseen={p['unseen']!r} must be one of {', '.join(map(repr, UNSEEN_POLICIES))}.")
    if p["user_splits"] is not None:
        try:
            splits = np.asarray(p["user_splits"], dtype=np.float64)
        except (TypeError, ValueError):
            splits = None
        if splits is None or splits.ndim != 1 or not np.all(np.isfinite(splits)):
            fail(f"user_splits={p['user_splits']!r} must be a list of finite numbers (interior "
                 "edges of numeric bins).")
        p["user_splits"] = np.unique(splits)
    if not isinstance(p["user_splits_fixed"], (bool, np.bool_)):
        fail(f"user_splits_fixed={p['user_splits_fixed']!r} must be True or False.")
    if p["user_splits_fixed"] and p["user_splits"] is None:
        fail("user_splits_fixed=True needs user_splits.")
    level = p["level"]
    if not isinstance(level, numbers.Real) or isinstance(level, bool) or not 0 < level < 1:
        fail(f"level={level!r} must be strictly between 0 and 1.")
    if p["name"] is not None and not isinstance(p["name"], str):
        fail(f"name={p['name']!r} must be a string or None.")
    return p


# ---------------------------------------------------------------------------------------------
# Columns: conversion at the door
# ---------------------------------------------------------------------------------------------


def reject_unsupported(data: object, what: str) -> None:
    """InputError for inputs no binner takes: None, sparse matrices, complex numbers."""
    if data is None:
        raise InputError(f"{what} is None; pass the data to bin.")
    if sp.issparse(data):
        raise InputError(
            f"{what} is a sparse matrix: sparse input is not supported; pass a dense array or a "
            "DataFrame (binning needs every value, zeros included)."
        )
    dtype = getattr(data, "dtype", None)
    if dtype is not None and getattr(dtype, "kind", None) == "c":
        raise InputError(f"Complex data not supported: {what} must hold real numbers or text.")


def check_target_given(y: object, owner: str) -> None:
    if y is None:
        raise InputError(
            f"{owner} requires y to be passed, but the target y is None: pass the binary target "
            "(1 = bad)."
        )


def as_target_array(y: object) -> object:
    """y as something `binary_target` reads: Series and arrays as they are, else np.asarray."""
    return y if isinstance(y, (pd.Series, np.ndarray)) else np.asarray(y)


def column_series(x: object, what: str = "x") -> pd.Series:
    """One characteristic as a Series: a Series, a 1-D array-like, or a single-column 2-D one."""
    reject_unsupported(x, what)
    if isinstance(x, pd.Series):
        return x
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise InputError(
                f"{what} must be one characteristic; got a DataFrame with {x.shape[1]} columns. "
                "Use BinningProcess for several."
            )
        return x.iloc[:, 0]
    arr = np.asarray(x)
    if arr.dtype.kind == "c":
        raise InputError(f"Complex data not supported: {what} must hold real numbers or text.")
    if arr.ndim == 2 and arr.shape[1] == 0:
        raise InputError(
            f"{what} has 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required."
        )
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise InputError(
            f"{what} must be one characteristic (1-D, or 2-D with one column); got shape "
            f"{arr.shape}. Use BinningProcess for several."
        )
    return pd.Series(arr)


def numeric_values(series: pd.Series, name: str, *, fitted: bool = False) -> np.ndarray:
    """float64 values of a numeric characteristic (NaN = missing); InputError naming the column."""
    dtype = series.dtype
    if dtype == np.float64:
        return series.to_numpy()
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    converted = pd.to_numeric(series.astype(object), errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        example = series[bad].iloc[0]
        when = "was numeric when fitted but" if fitted else "is binned as numeric but"
        raise InputError(
            f"column {name!r} {when} holds non-numeric values such as {example!r} (dtype "
            f"{dtype}). Pass numbers (NaN for missing), or bin it as categorical."
        )
    return converted.to_numpy(dtype=np.float64, na_value=np.nan)


def has_mixed_types(series: pd.Series) -> bool:
    """True for an object column that mixes text with numbers or other types."""
    return series.dtype == object and pd.api.types.infer_dtype(series, skipna=True) in _MIXED_TYPES


def warn_mixed(name: str) -> None:
    warnings.warn(
        f"column {name!r} mixes types (e.g. text and numbers); it is binned as categorical text, "
        "so 1 and '1' are the same category. Clean the column to silence this warning.",
        BinningWarning,
        stacklevel=4,
    )


def resolve_kind(series: pd.Series, dtype: str) -> str:
    return characteristic_kind(series) if dtype == "auto" else dtype


def encode_categories(series: pd.Series) -> tuple[np.ndarray, tuple[str, ...]]:
    """Codes (-1 = missing) and the sorted category texts of a categorical characteristic."""
    return _category_codes(category_text(series))


# ---------------------------------------------------------------------------------------------
# Pre-binning helpers
# ---------------------------------------------------------------------------------------------


def stump_edges(
    values: np.ndarray,
    label: np.ndarray,
    weights: np.ndarray | None,
    special_values: Sequence[float],
    params: Mapping[str, Any],
) -> np.ndarray:
    """Candidate edges from boosted depth-1 stumps on the finite, non-special values.

    min_child_weight is set so each side of every stump holds about min_bin_size of the rows:
    a row's logistic hessian is w * r * (1 - r) at the event rate r, so it is
    min_bin_size * W * r * (1 - r) for total weight W.
    """
    keep = np.isfinite(values)
    if len(special_values):
        keep &= ~np.isin(values, np.asarray(special_values, dtype=np.float64))
    y = label[keep]
    if y.size < 2 or y.min() == y.max():
        return np.zeros(0, dtype=np.float64)
    w_all = np.ones(values.shape[0]) if weights is None else weights
    total = float(w_all.sum())
    rate = float(np.dot(w_all, label) / total) if total > 0 else 0.5
    min_child_weight = float(params["min_bin_size"]) * total * rate * (1.0 - rate)
    return stump_split_candidates(
        values[keep], y, sample_weight=None if weights is None else weights[keep],
        n_rounds=int(params["n_rounds"]), min_child_weight=min_child_weight,
    )


def _group_label(names: Sequence[str], n_rare: int) -> str:
    shown = list(names[:_MAX_LABEL_CATEGORIES])
    more = len(names) - len(shown)
    if n_rare:
        shown.append(f"{OTHER_LABEL} ({n_rare} rare)")
    if more > 0:
        shown.append(f"... (+{more} more)")
    return ", ".join(shown) if shown else OTHER_LABEL


def _check_totals(counts: np.ndarray, name: str) -> None:
    goods, bads = counts[:, 0].sum(), counts[:, 1].sum()
    if not (goods > 0 and bads > 0):
        side = "goods (y=0)" if not goods > 0 else "bads (y=1)"
        raise InputError(
            f"column {name!r}: the {side} have zero total weight; sample_weight must give both "
            "classes some weight."
        )


def _constraints(p: Mapping[str, Any], kind: str) -> dict[str, Any]:
    out = {
        key: p[key]
        for key in ("monotonic_trend", "min_bin_size", "min_goods", "min_bads", "max_n_bins",
                    "max_pvalue")
    }
    out = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in out.items()}
    if kind == NUMERIC:
        out["prebinning"] = "user_splits" if p["user_splits"] is not None else p["prebinning"]
        if p["prebinning"] == "quantile" and p["user_splits"] is None:
            out["max_n_prebins"] = int(p["max_n_prebins"])
        if p["prebinning"] == "stumps" and p["user_splits"] is None:
            out["n_rounds"] = int(p["n_rounds"])
        out["user_splits_fixed"] = bool(p["user_splits_fixed"])
    else:
        out["cat_min_share"] = float(p["cat_min_share"])
    return out


# ---------------------------------------------------------------------------------------------
# The estimator
# ---------------------------------------------------------------------------------------------


class OptimalBinner(TransformerMixin, BaseEstimator):
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
    cat_min_share : categories with a smaller share of rows are pooled into one "Other" pre-bin.
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
    average risk. -inf and +inf go to the first and last numeric bins. Quantile pre-bins are
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
        cat_min_share: float = 0.01,
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
        self.cat_min_share = cat_min_share
        self.unseen = unseen
        self.user_splits = user_splits
        self.user_splits_fixed = user_splits_fixed
        self.level = level
        self.name = name

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
        return hasattr(self, "table_")

    def _check_fitted(self) -> None:
        if not hasattr(self, "table_"):
            raise NotFittedError(
                f"This {type(self).__name__} is not fitted yet; call fit(x, y) first."
            )

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
            specials = _numeric_specials(params["special_values"], name)
            if np.isinf(values).any():
                _warn_infinite([name])
            edges = numeric_prebin_edges(values, label, weights, specials, params, name)
            counts = engine.count_numeric(
                values.reshape(-1, 1), [edges], label, special_values=[specials], weights=weights
            )[0]
            self._fit_numeric_counts(params, name, edges, counts, specials)
        else:
            if params["user_splits"] is not None:
                raise InputError(
                    f"column {name!r}: user_splits applies to numeric characteristics; this one "
                    "is categorical."
                )
            if has_mixed_types(series):
                warn_mixed(name)
            codes, categories = encode_categories(series)
            counts = engine.count_codes(
                codes.reshape(-1, 1), [np.arange(len(categories), dtype=np.int64)],
                [len(categories)], label, weights=weights,
            )[0]
            self._fit_categorical_counts(params, name, categories, counts)
        return self

    def _reset_input_info(self, x: object) -> None:
        self.n_features_in_ = 1
        if isinstance(x, pd.DataFrame) and isinstance(x.columns[0], str):
            self.feature_names_in_ = np.asarray(x.columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def _fit_numeric_counts(
        self,
        params: Mapping[str, Any],
        name: str,
        prebin_edges: np.ndarray,
        counts: np.ndarray,
        specials: Sequence[float],
    ) -> None:
        """Finish a numeric fit from the pre-bin count table (engine layout)."""
        _check_totals(counts, name)
        n_numeric = prebin_edges.shape[0] + 1
        numeric = counts[:n_numeric]
        total_goods, total_bads = counts[:, 0].sum(), counts[:, 1].sum()
        notes: list[str] = []
        if params["user_splits_fixed"]:
            edges, merged, status, trend = prebin_edges, numeric, "fixed", None
        elif numeric.sum() == 0:
            edges = np.zeros(0, dtype=np.float64)
            merged = numeric.sum(axis=0, keepdims=True)
            status, trend = "empty", None
            notes.append("no non-missing, non-special value: one empty numeric bin")
        else:
            result = optimal_merge(
                numeric[:, 0], numeric[:, 1], total_goods=total_goods, total_bads=total_bads,
                monotonic_trend=params["monotonic_trend"], min_bin_size=params["min_bin_size"],
                min_goods=params["min_goods"], min_bads=params["min_bads"],
                max_n_bins=params["max_n_bins"], max_pvalue=params["max_pvalue"],
            )
            edges = prebin_edges[result.splits - 1]
            merged = np.column_stack([result.goods, result.bads]).astype(counts.dtype)
            status, trend = result.status, result.trend
        final = np.vstack([merged, counts[n_numeric:]])
        n_final = edges.shape[0] + 1
        kinds = ["interval"] * n_final + ["missing"] + ["special"] * len(specials)
        table = BinningTable.from_counts(
            name=name, dtype=NUMERIC, labels=numeric_bin_labels(edges, specials), kinds=kinds,
            counts=final, level=params["level"], trend=trend, status=status,
            constraints=_constraints(params, NUMERIC), missing_bin=n_final, splits=edges,
            special_values=tuple(float(v) for v in specials), unseen=params["unseen"],
            unseen_bin=-1, notes=notes,
        )
        self._set_fitted(table, prebin_edges)
        _warn_fit_outcome(table, int(np.count_nonzero(counts.sum(axis=1))))

    def _fit_categorical_counts(
        self,
        params: Mapping[str, Any],
        name: str,
        categories: Sequence[str],
        counts: np.ndarray,
    ) -> None:
        """Finish a categorical fit from per-category counts (categories, then missing)."""
        _check_totals(counts, name)
        n_cats = len(categories)
        per_category = counts[:n_cats]
        missing_counts = counts[n_cats:]
        specials = _category_specials(params["special_values"])
        position = {c: i for i, c in enumerate(categories)}
        special_rows = [position.get(s) for s in specials]
        is_special = np.zeros(n_cats, dtype=bool)
        is_special[[i for i in special_rows if i is not None]] = True
        total_rows = float(counts.sum())
        shares = per_category.sum(axis=1) / total_rows
        rare = (shares < params["cat_min_share"]) & ~is_special
        kept = np.flatnonzero(~rare & ~is_special)
        n_rare = int(rare.sum())
        notes: list[str] = []
        if n_rare:
            notes.append(f"{n_rare} categories below cat_min_share pooled into '{OTHER_LABEL}'")
            if n_rare >= 100:
                warnings.warn(
                    f"column {name!r} has {n_cats} categories; {n_rare} with less than "
                    f"{params['cat_min_share']:.2%} of the rows each were pooled into "
                    f"'{OTHER_LABEL}'.",
                    BinningWarning,
                    stacklevel=3,
                )
        # Pre-bins: one per kept category (its index), plus the pooled rare ones (-1).
        members = [int(i) for i in kept]
        pre_counts = [per_category[i] for i in kept]
        if n_rare:
            members.append(-1)
            pre_counts.append(per_category[rare].sum(axis=0))
        pre = np.array(pre_counts, dtype=counts.dtype).reshape(-1, 2)
        totals = pre.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(totals > 0, pre[:, 1] / totals, np.inf)
        sort_names = [OTHER_LABEL if m < 0 else categories[m] for m in members]
        order = sorted(range(len(members)), key=lambda j: (rate[j], sort_names[j]))
        pre = pre[order]
        members = [members[j] for j in order]
        trend_param = None if params["monotonic_trend"] is None else "ascending"
        if len(members) == 0:
            starts = np.zeros(0, dtype=np.int64)
            merged = np.zeros((0, 2), dtype=counts.dtype)
            status, trend = "empty", None
            notes.append("no non-missing, non-special category")
        else:
            result = optimal_merge(
                pre[:, 0], pre[:, 1], total_goods=counts[:, 0].sum(),
                total_bads=counts[:, 1].sum(), monotonic_trend=trend_param,
                min_bin_size=params["min_bin_size"], min_goods=params["min_goods"],
                min_bads=params["min_bads"], max_n_bins=params["max_n_bins"],
                max_pvalue=params["max_pvalue"],
            )
            starts = np.concatenate([[0], result.splits]).astype(np.int64)
            merged = np.column_stack([result.goods, result.bads]).astype(counts.dtype)
            status, trend = result.status, result.trend
        n_groups = merged.shape[0]
        bounds = [*starts.tolist(), len(members)]
        category_bins: dict[str, int] = {}
        labels: list[str] = []
        other_bin = -1
        for b in range(n_groups):
            names: list[str] = []
            group_rare = 0
            for m in members[bounds[b] : bounds[b + 1]]:
                if m < 0:
                    other_bin, group_rare = b, n_rare
                    category_bins.update((categories[i], b) for i in np.flatnonzero(rare))
                else:
                    category_bins[categories[m]] = b
                    names.append(categories[m])
            labels.append(_group_label(names, group_rare))
        missing_bin = n_groups
        special_counts = np.zeros((len(specials), 2), dtype=counts.dtype)
        for s, row in enumerate(special_rows):
            category_bins[specials[s]] = missing_bin + 1 + s  # seen in fit or not
            if row is not None:
                special_counts[s] = per_category[row]
        final = np.vstack([merged, missing_counts, special_counts])
        labels.append("Missing")
        labels.extend(f"Special {s}" for s in specials)
        kinds = ["categories"] * n_groups + ["missing"] + ["special"] * len(specials)
        unseen = params["unseen"]
        if unseen == "missing":
            unseen_bin = missing_bin
        elif unseen == "other":
            unseen_bin = other_bin if other_bin >= 0 else missing_bin
        else:
            unseen_bin = -1
        ordered_map = {c: category_bins[c] for c in (*categories, *specials)}
        table = BinningTable.from_counts(
            name=name, dtype=CATEGORICAL, labels=labels, kinds=kinds, counts=final,
            level=params["level"], trend=trend, status=status,
            constraints=_constraints(params, CATEGORICAL), missing_bin=missing_bin,
            categories=ordered_map, special_values=specials, unseen=unseen,
            unseen_bin=unseen_bin, notes=notes,
        )
        self._set_fitted(table, None)
        parts = (pre, missing_counts, special_counts)
        n_nonempty_prebins = sum(int(np.count_nonzero(part.sum(axis=1))) for part in parts)
        _warn_fit_outcome(table, n_nonempty_prebins, all_rare=n_rare > 0 and kept.size == 0)

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
        out, n_unseen = transform_columns([self.table_], [series], metric)
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

    def _to_dict(self) -> dict[str, Any]:
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
    def _from_dict(cls, data: Mapping[str, Any]) -> OptimalBinner:
        if data.get("format") != JSON_FORMAT or data.get("version") != JSON_VERSION:
            raise SpecError(
                f"not an {cls.__name__} document (format {data.get('format')!r}, version "
                f"{data.get('version')!r}); expected {JSON_FORMAT!r} version {JSON_VERSION}."
            )
        try:
            params = dict(data["params"])
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
        return json.dumps(self._to_dict(), allow_nan=False)

    @classmethod
    def from_json(cls, text: str) -> OptimalBinner:
        """Rebuild a fitted binner from `to_json` output; it transforms identically."""
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise SpecError(f"not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise SpecError("an OptimalBinner document must be a JSON object.")
        return cls._from_dict(data)


# ---------------------------------------------------------------------------------------------
# Shared by OptimalBinner and BinningProcess
# ---------------------------------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """Parameters as plain JSON values: tuples and arrays to lists, numpy scalars to Python."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        raise SpecError(f"cannot store the non-finite parameter value {value!r} in JSON.")
    return value


def check_metric(metric: object) -> None:
    if metric not in METRICS:
        raise InputError(f"metric={metric!r} must be one of {', '.join(map(repr, METRICS))}.")


def _numeric_specials(values: Sequence[Any], name: str) -> tuple[float, ...]:
    try:
        specials = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        raise InputError(
            f"column {name!r}: special_values={list(values)!r} must be numbers for a numeric "
            "characteristic."
        ) from None
    if any(math.isnan(v) for v in specials):
        raise InputError(f"column {name!r}: special_values contains NaN; NaN is the missing bin.")
    if len(set(specials)) != len(specials):
        raise InputError(f"column {name!r}: special_values lists a value twice.")
    return specials


def _category_specials(values: Sequence[Any]) -> tuple[str, ...]:
    """Special values of a categorical characteristic as category texts (as `category_text`)."""
    if not len(values):
        return ()
    return tuple(str(v) for v in category_text(pd.Series(list(values))))


def numeric_prebin_edges(
    values: np.ndarray,
    label: np.ndarray,
    weights: np.ndarray | None,
    specials: Sequence[float],
    params: Mapping[str, Any],
    name: str,
) -> np.ndarray:
    """Pre-bin edges of one numeric characteristic: user splits, stumps or quantiles."""
    if params["user_splits"] is not None:
        return np.asarray(params["user_splits"], dtype=np.float64)
    if params["prebinning"] == "stumps":
        return stump_edges(values, label, weights, specials, params)
    return engine.quantile_edges(values, params["max_n_prebins"], special_values=specials)


def _warn_infinite(names: Sequence[str]) -> None:
    warnings.warn(
        f"column(s) {', '.join(map(repr, names))} contain infinite values: -inf goes to the first "
        "bin and +inf to the last. Declare them as special values to give them their own bins.",
        BinningWarning,
        stacklevel=4,
    )


def _warn_fit_outcome(
    table: BinningTable, n_nonempty_prebins: int, all_rare: bool = False
) -> None:
    if table.n_nonempty_bins < 2:
        if table.status == "empty":
            what = "has no non-missing value"
        elif all_rare:
            what = f"has only rare categories, all pooled into '{OTHER_LABEL}'"
        elif n_nonempty_prebins < 2:
            what = "is constant (a single non-empty bin)"
        else:
            what = "was merged into a single bin by the constraints (trend, sizes, counts)"
        warnings.warn(
            f"column {table.name!r} {what}: its IV is 0, it carries no information and is never "
            "selected by BinningProcess.",
            BinningWarning,
            stacklevel=4,
        )
    elif table.status == "infeasible":
        warnings.warn(
            f"column {table.name!r}: no binning meets the constraints (min_bin_size, min_goods, "
            "min_bads, max_pvalue, trend); its pre-bins were merged into one bin.",
            BinningWarning,
            stacklevel=4,
        )


def _bin_values(table: BinningTable, metric: str) -> np.ndarray:
    """Per-bin output for the map kernels; categorical tables get one extra 'Unseen' slot."""
    n = table.n_bins
    if metric == "woe":
        values = table.transform_woe
        extra = 0.0
    else:
        values = np.arange(n, dtype=np.float64)
        extra = -1.0 if metric == "bin" else float(n)
    if table.dtype == CATEGORICAL:
        values = np.append(values, extra)
    return np.ascontiguousarray(values, dtype=np.float64)


def category_codes_for(
    table: BinningTable, series: pd.Series
) -> tuple[np.ndarray, np.ndarray, int]:
    """Codes of `series` against the fitted categories, the code -> bin map and the unseen count.

    Code -1 is missing, codes 0..n-1 the fitted categories (in `table.categories` order), and
    code n every unseen category; the map sends it to the unseen bin (or the extra 'Unseen'
    slot for unseen="zero").
    """
    fitted = list(table.categories or {})
    text = category_text(series)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    n = len(fitted)
    lookup = pd.Index(fitted, dtype=object).get_indexer(np.asarray(uniques, dtype=object))
    unseen_uniques = lookup < 0
    n_unseen = 0
    if unseen_uniques.any():
        lookup = np.where(unseen_uniques, n, lookup)
        unseen_rows = np.isin(codes, np.flatnonzero(unseen_uniques))
        n_unseen = int(unseen_rows.sum())
        if table.unseen == "error":
            examples = [str(u) for u in np.asarray(uniques, dtype=object)[unseen_uniques][:5]]
            raise InputError(
                f"column {table.name!r} has {n_unseen} row(s) with categories not seen in fit "
                f"(e.g. {', '.join(map(repr, examples))}); refit, or choose unseen='missing', "
                "'other' or 'zero'."
            )
    mapped = np.where(codes < 0, -1, lookup[np.maximum(codes, 0)] if lookup.size else -1)
    code_to_bin = np.empty(n + 1, dtype=np.int64)
    code_to_bin[:n] = list(table.categories.values()) if n else []
    code_to_bin[n] = table.unseen_bin if table.unseen_bin >= 0 else table.n_bins
    return mapped.astype(np.int64), code_to_bin, n_unseen


def map_numeric_tables(
    matrix: np.ndarray, tables: Sequence[BinningTable], metric: str
) -> np.ndarray:
    """Per-bin values (see `finish_metric`) of numeric columns, one fused pass: (n, f) float64."""
    return map_numeric(
        matrix, [t.splits for t in tables], [_bin_values(t, metric) for t in tables],
        [t.special_values for t in tables],
    )


def map_categorical_tables(
    columns: Sequence[pd.Series], tables: Sequence[BinningTable], metric: str
) -> tuple[np.ndarray, list[int]]:
    """Per-bin values of categorical columns in one pass, and the unseen count per column."""
    n_rows = len(columns[0])
    codes = np.empty((n_rows, len(tables)), dtype=np.int64, order="F")
    maps, unseen = [], []
    for j, (table, series) in enumerate(zip(tables, columns)):
        codes[:, j], code_map, n_unseen = category_codes_for(table, series)
        maps.append(code_map)
        unseen.append(n_unseen)
    out = map_codes(
        codes, maps, [t.missing_bin for t in tables], [_bin_values(t, metric) for t in tables]
    )
    return out, unseen


def finish_metric(out: np.ndarray, tables: Sequence[BinningTable], metric: str) -> np.ndarray:
    """The mapped values as the metric's output: WoE float64, bin int64, or label object."""
    if metric == "bin":
        return out.astype(np.int64)
    if metric == "label":
        labelled = np.empty(out.shape, dtype=object)
        for f, table in enumerate(tables):
            names = np.asarray([*table.labels, UNSEEN_LABEL], dtype=object)
            labelled[:, f] = names[out[:, f].astype(np.int64)]
        return labelled
    return out


def transform_columns(
    tables: Sequence[BinningTable], columns: Sequence[pd.Series], metric: str
) -> tuple[np.ndarray, list[int]]:
    """Transform characteristics given as Series: (n_rows, n_features) output, unseen counts."""
    n_features = len(tables)
    n_rows = len(columns[0])
    numeric = [f for f in range(n_features) if tables[f].dtype == NUMERIC]
    categorical = [f for f in range(n_features) if tables[f].dtype == CATEGORICAL]
    unseen = [0] * n_features
    out = np.empty((n_rows, n_features), dtype=np.float64, order="F")
    if numeric:
        arrays = [numeric_values(columns[f], tables[f].name, fitted=True) for f in numeric]
        out[:, numeric] = map_numeric_tables(_stack(arrays, n_rows), [tables[f] for f in numeric],
                                             metric)
    if categorical:
        values, counts = map_categorical_tables(
            [columns[f] for f in categorical], [tables[f] for f in categorical], metric
        )
        out[:, categorical] = values
        for f, n_unseen in zip(categorical, counts):
            unseen[f] = n_unseen
    return finish_metric(out, tables, metric), unseen


def _stack(arrays: Sequence[np.ndarray], n_rows: int) -> np.ndarray:
    matrix = np.empty((n_rows, len(arrays)), dtype=np.float64, order="F")
    for j, a in enumerate(arrays):
        matrix[:, j] = a
    return matrix
