"""High-cardinality text columns: what to warn about, and pooling rare categories.

A text column with one category per few rows (customer IDs, free text) or a numeric column read
as text because of a few typos gives one near-empty bin per category; its plug-in IV is large
by chance alone (100,000 random IDs: IV 0.81). `text_column_notes` names both kinds.

A category too small to estimate is pooled into one "Other" bin (`rare_categories`, used by
`pool_rare` for the IV report and by OptimalBinner's ``cat_min_expected``): its expected goods
or expected bads at the column's average risk, rows x G/N or rows x B/N, are below
`MIN_EXPECTED` (STATISTICS.md section 4, "Rare categories"). A count, not a share of the rows:
a level of 5,000 rows is as well estimated in a table of 1M rows as in one of 10,000. A column
of rare categories then has a single bin, and its IV test finds no evidence, which is the truth.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real

import numpy as np
import pandas as pd

from scorecard.exceptions import InputError

__all__ = [
    "check_min_expected",
    "count_table_notes",
    "ID_SHARE",
    "MIN_EXPECTED",
    "NUMERIC_SHARE",
    "OTHER",
    "pool_rare",
    "rare_categories",
    "rare_note",
    "text_column_notes",
    "text_tally_notes",
]

OTHER = "Other"
MIN_EXPECTED = 5.0
"""A category keeps a bin of its own when its expected goods and expected bads at the column's
average risk are at least this (OptimalBinner's ``cat_min_expected``; the classical chi-square
rule, as for the scorecard's neutral bins)."""
ID_SHARE = 0.5
"""A text column with at least this many distinct values per non-missing row looks like an ID."""
MIN_ID_DISTINCT = 50
NUMERIC_SHARE = 0.9
"""A text column whose values are at least this share numbers is a numeric column with typos."""


def check_min_expected(value: object, where: str) -> float:
    """`cat_min_expected` validated without scikit-learn (the `iv` path imports none of it)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 <= value < math.inf:
        raise InputError(f"{where}: cat_min_expected={value!r} must be a finite number >= 0 "
                         f"(expected goods and bads a category needs; 0 pools nothing).")
    return float(value)


def rare_categories(per_category: np.ndarray, total_goods: float, total_bads: float,
                    min_expected: float = MIN_EXPECTED) -> np.ndarray:
    """Mask of the categories too small to estimate: rows_i * G / N or rows_i * B / N (their
    expected goods or bads at the average risk) below `min_expected`; N = G + B, the whole
    column's rows (or weights), missing included. 0 pools nothing."""
    rows = np.asarray(per_category).sum(axis=1)
    return rows * min(total_goods, total_bads) < min_expected * (total_goods + total_bads)


def rare_note(n_rare: int, min_expected: float, total_goods: float, total_bads: float) -> str:
    """What was pooled and why, in words (the rows a category needed, for the reader)."""
    smaller = min(total_goods, total_bads)
    if smaller > 0:  # rows * smaller < min_expected * N  <=>  rows < ceil(that bound), whole rows
        rows = f"under {math.ceil(min_expected * (total_goods + total_bads) / smaller):,} rows"
    else:
        rows = "one class only"
    return (f"{n_rare:,} categories with fewer than {min_expected:g} expected goods or bads "
            f"each ({rows}) pooled into '{OTHER}'")


def text_column_notes(series: pd.Series, name: str) -> list[str]:
    """Warnings for a text column that looks like an identifier or like numbers with typos."""
    tally = series.value_counts(dropna=True)  # distinct values only: cheap on 1M rows
    return text_tally_notes(tally.index.astype(str), tally.to_numpy(), name)


def count_table_notes(series: pd.Series, name: str, categories: Sequence[str],
                      counts: np.ndarray, weighted: bool) -> list[str]:
    """`text_column_notes` of a column binned as `categories` with `counts` (the engine's
    categorical layout): read off the table when it holds row counts, not weight sums."""
    if weighted:
        return text_column_notes(series, name)
    return text_tally_notes(categories, counts[:len(categories)].sum(axis=1), name)


def text_tally_notes(texts: object, counts: np.ndarray, name: str) -> list[str]:
    """`text_column_notes` from a column's distinct texts and their row counts (e.g. the
    binning's count table), without another pass over the rows."""
    counts = np.asarray(counts)
    keep = counts > 0  # a categorical lists its unused levels too
    texts = pd.Series(np.asarray(texts, dtype=object)[keep], dtype=object)
    counts = counts[keep]
    n = int(counts.sum())
    if n == 0:
        return []
    notes = []
    n_distinct = len(counts)
    if n_distinct >= MIN_ID_DISTINCT and n_distinct >= ID_SHARE * n:
        notes.append(
            f"column {name!r} looks like an identifier or free text ({n_distinct:,} distinct "
            f"values in {n:,} rows): its rare categories are pooled, and it should usually "
            "be excluded."
        )
    is_number = pd.to_numeric(texts.str.strip(), errors="coerce").notna().to_numpy()
    n_numeric = int(counts[is_number].sum())
    if n_numeric < n and n_numeric >= NUMERIC_SHARE * n:
        examples = ", ".join(repr(v) for v in texts[~is_number].sort_values().tolist()[:3])
        notes.append(
            f"column {name!r} is text but {n_numeric / n:.1%} of its values are numbers "
            f"({n - n_numeric:,} are not, e.g. {examples}): fix those values or convert the "
            "column to numeric; as text it is binned as categories."
        )
    return notes


def pool_rare(
    counts: np.ndarray, categories: tuple[str, ...], min_expected: float = MIN_EXPECTED
) -> tuple[np.ndarray, tuple[str, ...], int]:
    """Pool the categories `rare_categories` names into one row before the missing row.

    counts: one row per category, then the missing row (the engine's categorical layout).
    Returns the new counts, the kept categories and how many were pooled (0: unchanged).
    """
    n_cats = len(categories)
    per_category = counts[:n_cats]
    rare = rare_categories(per_category, counts[:, 0].sum(), counts[:, 1].sum(), min_expected)
    n_rare = int(rare.sum())
    if n_rare == 0:
        return counts, categories, 0
    kept = tuple(c for c, r in zip(categories, rare) if not r)
    pooled = np.vstack([per_category[~rare], per_category[rare].sum(axis=0, keepdims=True),
                        counts[n_cats:]])
    return pooled, kept, n_rare
