"""Protected attributes as groups: binary, multi-group (each group against a reference group) or
continuous (banded first, e.g. age). Rows whose attribute is missing belong to no group."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scorecard.exceptions import InputError

__all__ = ["CONTINUOUS_MIN_VALUES", "DEFAULT_BANDS", "GERMAN_CREDIT_SEX", "ProtectedAttribute",
           "protected_attribute"]

CONTINUOUS_MIN_VALUES = 10
"""A numeric attribute with more distinct values than this is continuous and gets banded."""
DEFAULT_BANDS = 4
"""Continuous attributes are cut at their quartiles unless band edges are given."""


@dataclass(frozen=True)
class ProtectedAttribute:
    """A protected attribute's groups: ``codes`` per row (-1: missing), ``labels`` per group and
    the ``reference`` group's index. ``edges`` are the band edges of a banded attribute."""

    name: str
    codes: np.ndarray
    labels: tuple[str, ...]
    reference: int
    edges: tuple[float, ...] | None = None

    @property
    def reference_label(self) -> str:
        return self.labels[self.reference]

    @property
    def others(self) -> list[int]:
        """The groups compared with the reference group."""
        return [g for g in range(len(self.labels)) if g != self.reference]

    def counts(self) -> np.ndarray:
        return np.bincount(self.codes[self.codes >= 0], minlength=len(self.labels))

    def subset(self, rows: np.ndarray) -> ProtectedAttribute:
        """The same groups on a subset of rows (an index or boolean mask)."""
        return ProtectedAttribute(self.name, self.codes[rows], self.labels, self.reference,
                                  self.edges)

    def describe(self) -> dict:
        counts = self.counts()
        return {"name": self.name, "groups": list(self.labels), "reference": self.reference_label,
                "counts": {lab: int(n) for lab, n in zip(self.labels, counts)},
                "bands": None if self.edges is None else list(self.edges)}


def _band_labels(edges: Sequence[float]) -> list[str]:
    inner = [f"{a:g}-{b:g}" for a, b in zip(edges[:-1], edges[1:])]
    return [f"<{edges[0]:g}", *inner, f">={edges[-1]:g}"] if edges else ["all"]


def _quartile_edges(values: np.ndarray, n_bands: int) -> list[float]:
    finite = values[np.isfinite(values)]
    edges = np.unique(np.quantile(finite, np.linspace(0, 1, n_bands + 1)[1:-1]))
    return [float(e) for e in edges if e > finite.min()]


def protected_attribute(
    frame: pd.DataFrame,
    column: str,
    *,
    target: str | None = None,
    reference_group: object = None,
    bands: Sequence[float] | int | None = None,
    groups: Mapping[object, str] | None = None,
) -> ProtectedAttribute:
    """Read a protected attribute from ``frame[column]``.

    Numeric columns with more than CONTINUOUS_MIN_VALUES distinct values (or any numeric column
    when ``bands`` is given) are cut into bands: ``bands`` = band edges (value < edge goes left)
    or a number of quantile bands (default 4). ``groups`` maps raw values to group names (e.g.
    German credit's personal_status_and_sex codes to sex). The reference group defaults to the
    largest group; ``reference_group`` must be one of the groups.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"frame must be a DataFrame, got {type(frame).__name__}.")
    if column not in frame.columns:
        raise InputError(f"protected attribute {column!r} not found; available columns: "
                         f"{', '.join(map(str, list(frame.columns)[:30]))}.")
    if target is not None and column == target:
        raise InputError(f"protected attribute {column!r} is also the target; pick another column.")
    series = frame[column]
    edges: list[float] | None = None
    if groups is not None:
        series = series.map(lambda v: groups.get(v, groups.get(str(v))) if pd.notna(v) else None)
        unmapped = frame[column][series.isna() & frame[column].notna()].unique()
        if len(unmapped):
            raise InputError(f"protected attribute {column!r}: value(s) "
                             f"{', '.join(map(repr, map(str, unmapped[:5])))} have no group in "
                             "the group mapping; map every value.")
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    if numeric and (bands is not None or series.nunique() > CONTINUOUS_MIN_VALUES):
        values = series.to_numpy(dtype=np.float64)
        if isinstance(bands, (int, np.integer)) or bands is None:
            n_bands = DEFAULT_BANDS if bands is None else int(bands)
            if n_bands < 2:
                raise InputError(f"bands={bands!r} must be >= 2 bands or a list of edges.")
            edges = _quartile_edges(values, n_bands) if np.isfinite(values).any() else []
        else:
            edges = sorted(float(e) for e in bands)
            if not edges or len(set(edges)) != len(edges):
                raise InputError(f"bands for {column!r} must be distinct, increasing edges; "
                                 f"got {list(bands)!r}.")
        labels = _band_labels(edges)
        codes = np.searchsorted(np.asarray(edges), values, side="right").astype(np.int64)
        codes[~np.isfinite(values)] = -1
    else:
        present = series.dropna()
        text = present.astype(str)
        labels = sorted(text.unique().tolist())
        codes = np.full(len(series), -1, dtype=np.int64)
        lookup = {lab: i for i, lab in enumerate(labels)}
        codes[np.flatnonzero(series.notna().to_numpy())] = text.map(lookup).to_numpy()
    counts = np.bincount(codes[codes >= 0], minlength=len(labels))
    if np.count_nonzero(counts) < 2:
        raise InputError(f"protected attribute {column!r} is constant (or missing) on these rows: "
                         "there are no two groups to compare.")
    keep = np.flatnonzero(counts > 0)
    if keep.size < len(labels):  # drop empty bands, renumber
        remap = np.full(len(labels), -1, dtype=np.int64)
        remap[keep] = np.arange(keep.size)
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        labels = [labels[i] for i in keep]
        counts = counts[keep]
    if reference_group is None:
        reference = int(np.argmax(counts))
    else:
        wanted = str(reference_group)
        if wanted not in labels:
            raise InputError(f"reference group {reference_group!r} does not occur in protected "
                             f"attribute {column!r}; its groups are {', '.join(map(repr, labels))}.")
        reference = labels.index(wanted)
    return ProtectedAttribute(str(column), codes, tuple(labels), reference,
                              None if edges is None else tuple(edges))


GERMAN_CREDIT_SEX = {"A91": "male", "A92": "female", "A93": "male", "A94": "male", "A95": "female"}
"""German credit's personal_status_and_sex codes mapped to sex (UCI documentation: A91, A93,
A94 male; A92, A95 female), for ``protected_attribute(..., groups=GERMAN_CREDIT_SEX)``."""
