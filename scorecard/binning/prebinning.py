"""Unsupervised pre-binning of every characteristic in a frame, and their IV with uncertainty.

Numeric columns get equal-frequency (quantile) bins plus a missing bin and one bin per special
value; other columns get one bin per category with at least 5 expected goods and bads, one
"Other" bin pooling the rarer ones, and a missing bin (`scorecard.binning.cardinality`, the
rule OptimalBinner's ``cat_min_expected`` applies too; identifier-like and mostly-numeric text
columns get a note). The bins do not look at the target, so the chi-square
test and intervals of each IV are valid on the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from scorecard import stats
from scorecard.binning._columns import characteristic_kind, numeric_matrix, numeric_specials
from scorecard.binning._counting import categorical_counts, numeric_prebin_counts
from scorecard.binning.cardinality import (
    MIN_EXPECTED,
    OTHER,
    check_min_expected,
    count_table_notes,
    pool_rare,
    rare_note,
)
from scorecard.binning.table import numeric_bin_labels
from scorecard.exceptions import InputError
from scorecard.options import CATEGORICAL, NUMERIC
from scorecard.threads import engine_threads
from scorecard.validation import binary_target, check_weights, require_columns

__all__ = [
    "CATEGORICAL",
    "NUMERIC",
    "IVReport",
    "PrebinnedCharacteristic",
    "characteristic_kind",
    "iv_report",
    "numeric_bin_labels",
    "prebin_frame",
]


@dataclass(frozen=True)
class PrebinnedCharacteristic:
    """Count table of one characteristic: rows are bins, columns are label 0 and label 1."""

    name: str
    kind: str
    labels: tuple[str, ...]
    counts: np.ndarray
    edges: np.ndarray | None = None
    categories: tuple[str, ...] | None = None
    special_values: tuple[float, ...] = field(default_factory=tuple)
    n_pooled: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def prebin_frame(
    frame: pd.DataFrame,
    label: np.ndarray,
    *,
    columns: Sequence[str],
    n_bins: int = 20,
    special_values: Mapping[str, Sequence[float]] | None = None,
    weights: np.ndarray | None = None,
    seed: int = 0,
    cat_min_expected: float = MIN_EXPECTED,
) -> list[PrebinnedCharacteristic]:
    """Pre-bin `columns` of `frame` and count label 0/1 rows per bin in one pass per kind.

    Columns are read, coded and counted exactly as `BinningProcess` does before it merges
    (quantile pre-binning with `n_bins` bins; categories with fewer than `cat_min_expected`
    expected goods or bads pooled), so the IV report and the binning agree.
    """
    cat_min_expected = check_min_expected(cat_min_expected, "prebin_frame")
    special_values = dict(special_values or {})
    unknown = sorted(set(special_values) - set(columns))
    if unknown:
        raise InputError(f"special values given for unknown column(s): {', '.join(unknown)}.")
    numeric = [c for c in columns if characteristic_kind(frame[c]) == NUMERIC]
    categorical = [c for c in columns if c not in set(numeric)]
    bad_special = [c for c in categorical if c in special_values]
    if bad_special:
        raise InputError(
            f"special values are for numeric columns; {', '.join(bad_special)} is categorical."
        )
    result: dict[str, PrebinnedCharacteristic] = {}
    if numeric:
        matrix = numeric_matrix(frame, numeric, fitted=False)
        specials = [numeric_specials(special_values.get(c, ()), c) for c in numeric]
        quantile = {"user_splits": None, "prebinning": "quantile", "max_n_prebins": n_bins}
        edges, counts = numeric_prebin_counts(
            matrix, specials, [quantile] * len(numeric), label, weights, seed=seed
        )
        for name, e, s, c in zip(numeric, edges, specials, counts):
            result[name] = PrebinnedCharacteristic(
                name, NUMERIC, tuple(numeric_bin_labels(e, s)), c, edges=e, special_values=s
            )
    if categorical:
        categories, counts = categorical_counts(frame, categorical, label, weights)
        for name, cats, c in zip(categorical, categories, counts):
            pooled, kept, n_rare = pool_rare(c, cats, cat_min_expected)
            other = (f"{OTHER} ({n_rare} rare)",) if n_rare else ()
            notes = count_table_notes(frame[name], name, cats, c, weights is not None)
            if n_rare:
                notes.append(rare_note(n_rare, cat_min_expected, c[:, 0].sum(), c[:, 1].sum()))
            result[name] = PrebinnedCharacteristic(
                name, CATEGORICAL, (*kept, *other, "Missing"), pooled, categories=kept,
                n_pooled=n_rare, notes=tuple(notes),
            )
    return [result[c] for c in columns]


class IVReport:
    """Information value of every characteristic with SE, interval and tests; one object, many views."""

    def __init__(self, characteristics: Sequence[PrebinnedCharacteristic], *, level: float = 0.95,
                 fdr: float = 0.05):
        self.characteristics = {c.name: c for c in characteristics}
        self.level = level
        self.fdr = fdr
        self.results: dict[str, stats.JeffreysResult | None] = {}
        self.notes: dict[str, str] = {}
        for c in characteristics:
            try:
                self.results[c.name] = stats.jeffreys(c.counts[:, 0], c.counts[:, 1], level=level)
            except InputError as exc:
                self.results[c.name] = None
                self.notes[c.name] = str(exc)
                if c.n_pooled and np.count_nonzero(c.counts.sum(axis=1)) < 2:
                    self.notes[c.name] = ("no evidence of predictive power: every category is "
                                          "rare, so all rows share one bin")
            if c.notes:
                self.notes[c.name] = "; ".join([*c.notes, *filter(None, [self.notes.get(c.name)])])

    def paper_columns(self) -> pd.DataFrame:
        """The framework paper's published SE and Z-test p-value per characteristic.

        Anti-conservative (STATISTICS.md section 6): shown only so users can see the difference.
        """
        rows = []
        for name, c in self.characteristics.items():
            if self.results[name] is None:
                rows.append({"name": name, "paper_se": np.nan, "paper_p_value": np.nan})
                continue
            keep = c.counts.sum(axis=1) > 0
            goods, bads = c.counts[keep, 0], c.counts[keep, 1]
            rows.append({"name": name, "paper_se": stats.paper_iv_se(goods, bads),
                         "paper_p_value": stats.paper_z_test(goods, bads)[1]})
        return pd.DataFrame(rows)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per characteristic, sorted by plug-in IV; q_value is the Benjamini-Hochberg adjustment.

        ``iv`` is the plug-in value, ``iv_corrected`` the bias-corrected one inside the interval;
        ``p_method`` says how the p-value was computed; ``reliable`` is False with too few counts; ``ci_note`` says when the interval's coverage is
        not established.
        """
        rows = []
        for name, c in self.characteristics.items():
            r = self.results[name]
            rows.append({
                "name": name,
                "kind": c.kind,
                "n_bins": int(np.count_nonzero(c.counts.sum(axis=1))),
                "iv": r.value if r else np.nan,
                "iv_corrected": r.estimate if r else np.nan,
                "iv_se": r.se if r else np.nan,
                "iv_ci_low": r.ci[0] if r else np.nan,
                "iv_ci_high": r.ci[1] if r else np.nan,
                "ci_method": r.ci_method if r else "",
                "p_value": r.p_value if r else np.nan,
                "p_method": r.p_method if r else "",
                "reliable": r.reliable if r else False,
                "ci_note": r.ci_note if r else "",
                "alpha": r.alpha if r else np.nan,
                "note": self.notes.get(name, ""),
            })
        table = pd.DataFrame(rows)
        _, table["q_value"] = stats.benjamini_hochberg(table["p_value"].to_numpy(), q=self.fdr)
        return table.sort_values("iv", ascending=False, na_position="last").reset_index(drop=True)

    def woe(self, name: str) -> pd.DataFrame:
        """WoE table of one characteristic with bin labels (empty bins dropped)."""
        if name not in self.characteristics:
            raise InputError(f"no characteristic named {name!r} in this report.")
        c = self.characteristics[name]
        keep = c.counts.sum(axis=1) > 0
        if keep.sum() < 1:
            raise InputError(f"characteristic {name!r} has no rows.")
        table = stats.woe_table(c.counts[keep, 0], c.counts[keep, 1])
        table.insert(1, "label", np.asarray(c.labels, dtype=object)[keep])
        return table

    def to_dict(self) -> dict:
        """JSON-serialisable form for storage and the CLI's --json."""
        return {
            "level": self.level,
            "conventions": {"woe": "ln(goods share / bads share)", "alpha_default": stats.DEFAULT_ALPHA},
            "characteristics": [
                {"name": n, "kind": self.characteristics[n].kind,
                 "labels": list(self.characteristics[n].labels),
                 "counts": np.asarray(self.characteristics[n].counts).tolist(),
                 "result": r.to_dict() if r else None, "note": self.notes.get(n, "")}
                for n, r in self.results.items()
            ],
        }


def iv_report(
    frame: pd.DataFrame,
    target: str,
    *,
    bad_value: object = None,
    columns: Sequence[str] | None = None,
    n_bins: int = 20,
    special_values: Mapping[str, Sequence[float]] | None = None,
    weights: str | None = None,
    level: float = 0.95,
    cat_min_expected: float = MIN_EXPECTED,
    n_jobs: int | None = None,
) -> IVReport:
    """Pre-bin every characteristic of `frame` and compute its IV against the binary `target`
    (categories with fewer than `cat_min_expected` expected goods or bads pooled into "Other").

    n_jobs: threads of the numba kernels (scikit-learn's convention: None = 1, -1 every core);
    the report does not depend on it."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError("data must be a pandas DataFrame.")
    require_columns(frame, [target], what="target column")
    if weights is not None:
        require_columns(frame, [weights], what="weight column")
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 2:
        raise InputError(f"n_bins must be an integer >= 2, got {n_bins!r}.")
    excluded = {target, weights}
    columns = [c for c in (columns if columns is not None else frame.columns) if c not in excluded]
    require_columns(frame, columns, what="characteristic")
    if not columns:
        raise InputError("there are no characteristics besides the target column.")
    label = binary_target(frame[target], name=target, bad_value=bad_value)
    w = check_weights(frame[weights], len(frame), name=weights) if weights else None
    integer = isinstance(n_jobs, (int, np.integer)) and not isinstance(n_jobs, bool)
    if n_jobs is not None and (not integer or n_jobs == 0):
        raise InputError(f"n_jobs={n_jobs!r} must be None or a non-zero integer (-1: every core).")
    with engine_threads(n_jobs):
        binned = prebin_frame(frame, label, columns=columns, n_bins=int(n_bins),
                              special_values=special_values, weights=w,
                              cat_min_expected=cat_min_expected)
        return IVReport(binned, level=level)
