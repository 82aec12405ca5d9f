"""Count rows into a scorecard's frozen bins: the one pass over raw rows a drift report needs.

`FrozenBins` turns a spec into the engine's inputs (edges and special values of the numeric
characteristics; a text-to-bin lookup of the categorical ones) and `SampleCounts` accumulates,
chunk by chunk, what every statistic of a report is computed from: per characteristic the rows
(and the bads, when the target is known) in each bin, and the histogram of the integer score.
Counts are additive, so a sample read in chunks gives exactly the counts of the whole sample.

Bins of a characteristic are the spec's bins in spec order; a categorical characteristic has one
more, ``Unseen`` (categories the spec does not list), scored with its ``unseen_points``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scorecard import engine
from scorecard.engine.mapping import sum_numeric
from scorecard.exceptions import InputError
from scorecard.model.spec import UNSEEN_LABEL, validate_spec
from scorecard.validation import category_text_codes

__all__ = ["FrozenBins", "SampleCounts"]

# Score histograms are dense (bincount) up to this range of scores, sparse (unique) above it.
_DENSE_SCORE_RANGE = 1 << 22


@dataclass(frozen=True)
class Characteristic:
    """One characteristic's frozen bins: labels, kinds and points in report order."""

    name: str
    dtype: str
    labels: tuple[str, ...]
    kinds: tuple[str, ...]
    points: np.ndarray
    edges: np.ndarray | None = None
    specials: np.ndarray | None = None
    category_bins: Mapping[str, int] = field(default_factory=dict)

    @property
    def n_bins(self) -> int:
        return len(self.labels)

    @property
    def missing_bin(self) -> int:
        return self.kinds.index("missing")

    @property
    def unseen_bin(self) -> int:
        return self.n_bins - 1


def _characteristic(ch: Mapping[str, Any]) -> Characteristic:
    bins = ch["bins"]
    labels = [b["label"] for b in bins]
    kinds = [b["kind"] for b in bins]
    points = [int(b["points"]) for b in bins]
    if ch["dtype"] == "numeric":
        return Characteristic(
            name=ch["name"], dtype="numeric", labels=tuple(labels), kinds=tuple(kinds),
            points=np.asarray(points, dtype=np.int64), edges=np.asarray(ch["edges"], dtype=np.float64),
            specials=np.asarray(ch["special_values"], dtype=np.float64),
        )
    lookup = {c: j for j, b in enumerate(bins[:-1]) for c in b["categories"]}
    return Characteristic(
        name=ch["name"], dtype="categorical", labels=(*labels, UNSEEN_LABEL),
        kinds=(*kinds, "unseen"),
        points=np.asarray([*points, int(ch["unseen_points"])], dtype=np.int64),
        category_bins=lookup,
    )


def _category_codes(series: pd.Series, ch: Characteristic) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a column (-1 missing) and each code's bin, via its distinct texts only."""
    codes, texts = category_text_codes(series)
    code_to_bin = np.array([ch.category_bins.get(t, ch.unseen_bin) for t in texts], dtype=np.int64)
    return codes, code_to_bin


def _numeric_values(series: pd.Series, name: str) -> np.ndarray:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    converted = pd.to_numeric(series, errors="coerce")
    bad = series.notna() & converted.isna()
    if bad.any():
        raise InputError(
            f"column {name!r} is numeric in the scorecard but holds {series[bad].iloc[0]!r}, "
            "which is not a number; fix or drop those values."
        )
    return converted.to_numpy(dtype=np.float64, na_value=np.nan)


class FrozenBins:
    """A spec's bins as engine inputs, and the integer score of a row from its bins' points."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        validate_spec(spec)
        self.spec = spec
        self.characteristics = [_characteristic(ch) for ch in spec["characteristics"]]
        self.names = [ch.name for ch in self.characteristics]
        self.numeric = [c for c in self.characteristics if c.dtype == "numeric"]
        self.categorical = [c for c in self.characteristics if c.dtype == "categorical"]
        self.intercept = int(spec["intercept_points"])
        self.min_score = spec["scaling"]["min_score"]
        self.max_score = spec["scaling"]["max_score"]
        self.target = spec["target"]["name"]
        self.bad_value = spec["target"]["bad_value"]

    def check_columns(self, frame: pd.DataFrame, what: str) -> None:
        """InputError naming the model characteristics the frame lacks."""
        missing = [n for n in self.names if n not in frame.columns]
        if missing:
            raise InputError(
                f"the {what} sample lacks model characteristic(s) "
                f"{', '.join(map(repr, missing))}; every characteristic of the scorecard must be "
                f"a column (available: {', '.join(map(str, list(frame.columns)[:20]))})."
            )
        duplicated = [n for n in self.names if isinstance(frame[n], pd.DataFrame)]
        if duplicated:
            raise InputError(f"column {duplicated[0]!r} appears more than once in the {what} sample.")

    def label(self, frame: pd.DataFrame) -> tuple[np.ndarray, int]:
        """1 where the row is bad, 0 otherwise; and how many rows have no known outcome."""
        if self.target not in frame.columns:
            return np.zeros(len(frame), dtype=np.int8), len(frame)
        codes, uniques = pd.factorize(frame[self.target], use_na_sentinel=True)
        bad = self.bad_value
        is_bad = np.array([u == bad or str(u) == str(bad) for u in uniques], dtype=np.int8)
        known = codes >= 0
        label = np.zeros(len(frame), dtype=np.int8)
        label[known] = is_bad[codes[known]]
        return label, int((~known).sum())

    def count(self, frame: pd.DataFrame, label: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Per characteristic (n_bins, 2) counts of label 0/1 rows, and every row's score."""
        score = np.full(len(frame), self.intercept, dtype=np.int64)
        counts: dict[str, np.ndarray] = {}
        if self.numeric:
            X = np.empty((len(frame), len(self.numeric)), dtype=np.float64, order="F")
            for j, ch in enumerate(self.numeric):
                X[:, j] = _numeric_values(frame[ch.name], ch.name)
            edges = [ch.edges for ch in self.numeric]
            specials = [ch.specials for ch in self.numeric]
            for ch, c in zip(self.numeric, engine.count_numeric(X, edges, label,
                                                                special_values=specials)):
                counts[ch.name] = c
            # Whole points as float64: the row sums are exact.
            score += sum_numeric(X, edges, [ch.points for ch in self.numeric], specials).astype(
                np.int64
            )
        if self.categorical:
            C = np.empty((len(frame), len(self.categorical)), dtype=np.int64, order="F")
            maps = []
            for j, ch in enumerate(self.categorical):
                C[:, j], code_to_bin = _category_codes(frame[ch.name], ch)
                maps.append(code_to_bin)
                # Code -1 (missing) picks the last entry: the missing bin.
                score += ch.points[np.append(code_to_bin, ch.missing_bin)[C[:, j]]]
            missing = [ch.missing_bin for ch in self.categorical]
            sizes = [ch.n_bins for ch in self.categorical]
            for ch, c in zip(self.categorical,
                             engine.count_codes(C, maps, missing, label, n_bins=sizes)):
                counts[ch.name] = c
        if self.min_score is not None or self.max_score is not None:
            score = np.clip(score, self.min_score, self.max_score)
        return [counts[n] for n in self.names], score


def _score_histogram(score: np.ndarray, label: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct scores and their (label 0, label 1) counts."""
    if score.size == 0:
        return np.empty(0, dtype=np.int64), np.empty((0, 2), dtype=np.int64)
    low, high = int(score.min()), int(score.max())
    if high - low < _DENSE_SCORE_RANGE:
        shifted = score - low
        bads = np.bincount(shifted, weights=label, minlength=high - low + 1).astype(np.int64)
        total = np.bincount(shifted, minlength=high - low + 1)
        present = np.flatnonzero(total)
        return present + low, np.column_stack([total[present] - bads[present], bads[present]])
    values, inverse = np.unique(score, return_inverse=True)
    bads = np.bincount(inverse, weights=label, minlength=values.size).astype(np.int64)
    total = np.bincount(inverse, minlength=values.size)
    return values, np.column_stack([total - bads, bads])


@dataclass
class SampleCounts:
    """Everything a drift report needs from one sample, accumulated chunk by chunk.

    ``bins[c]``: (n_bins, 2) int64 counts of characteristic c (column 0 rows that are not bad,
    column 1 bads). ``score_values`` / ``score_counts``: the histogram of the integer score, split
    the same way. ``n_unknown``: rows whose outcome is not known (no target column or a missing
    value); the target part of a report needs ``n_unknown == 0``.
    """

    bins: list[np.ndarray]
    score_values: np.ndarray
    score_counts: np.ndarray
    n_rows: int = 0
    n_unknown: int = 0
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    """Results derived from these counts (e.g. the reference's AUC, reused across periods)."""

    @classmethod
    def empty(cls, frozen: FrozenBins) -> SampleCounts:
        return cls(
            bins=[np.zeros((ch.n_bins, 2), dtype=np.int64) for ch in frozen.characteristics],
            score_values=np.empty(0, dtype=np.int64),
            score_counts=np.empty((0, 2), dtype=np.int64),
        )

    @classmethod
    def of_frame(cls, frozen: FrozenBins, frame: pd.DataFrame, what: str) -> SampleCounts:
        out = cls.empty(frozen)
        out.add(frozen, frame, what)
        return out

    def add(self, frozen: FrozenBins, frame: pd.DataFrame, what: str) -> None:
        """Count one chunk of rows into these counts."""
        if not isinstance(frame, pd.DataFrame):
            raise InputError(f"the {what} sample must be a pandas DataFrame, got {type(frame).__name__}.")
        frozen.check_columns(frame, what)
        if len(frame) == 0:
            return
        label, unknown = frozen.label(frame)
        counts, score = frozen.count(frame, label)
        for total, c in zip(self.bins, counts):
            total += c
        values, hist = _score_histogram(score, label)
        self._merge_scores(values, hist)
        self.memo.clear()
        self.n_rows += len(frame)
        self.n_unknown += unknown

    def merge(self, other: SampleCounts) -> None:
        """Add another sample's counts (e.g. of another chunk or partition)."""
        for total, c in zip(self.bins, other.bins):
            total += c
        self._merge_scores(other.score_values, other.score_counts)
        self.memo.clear()
        self.n_rows += other.n_rows
        self.n_unknown += other.n_unknown

    def _merge_scores(self, values: np.ndarray, hist: np.ndarray) -> None:
        if self.score_values.size == 0:
            self.score_values, self.score_counts = values, hist
            return
        merged, inverse = np.unique(np.r_[self.score_values, values], return_inverse=True)
        counts = np.zeros((merged.size, 2), dtype=np.int64)
        np.add.at(counts, inverse, np.r_[self.score_counts, hist])
        self.score_values, self.score_counts = merged, counts

    @property
    def labelled(self) -> bool:
        """True when every row's outcome is known (and there are rows)."""
        return self.n_rows > 0 and self.n_unknown == 0

