"""Score bands of a drift report: fixed at the reference's score deciles, then reused.

The score is an integer, so a sample's scores are kept as a histogram (distinct score, counts);
bands, their counts and the deciles all come from histograms, exactly and chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scorecard.exceptions import InputError

__all__ = ["N_SCORE_BANDS", "band_counts", "band_labels", "check_edges", "score_band_edges"]

N_SCORE_BANDS = 10


def score_band_edges(values: np.ndarray, counts: np.ndarray, n_bands: int = N_SCORE_BANDS) -> list[int]:
    """Interior edges of the score bands: the reference's score deciles, from its histogram.

    Edge j is the order statistic at rank floor(j * n / n_bands) (0-based) of the reference
    scores, as the engine's quantile pre-binning; duplicates and an edge at the minimum are
    dropped, so heavy ties give fewer bands. Band b holds scores s with ``edges[b-1] <= s <
    edges[b]``.
    """
    if values.size == 0:
        return []
    cumulative = np.cumsum(counts)
    n = int(cumulative[-1])
    ranks = (np.arange(1, n_bands, dtype=np.int64) * n) // n_bands
    picked = values[np.searchsorted(cumulative, ranks, side="right")]
    return [int(v) for v in np.unique(picked) if v > values[0]]


def band_labels(edges: Sequence[int]) -> list[str]:
    """Readable labels of the bands: "< e0", "[e0, e1)", ..., ">= e_last"."""
    if not edges:
        return ["all scores"]
    labels = [f"< {edges[0]}"]
    labels += [f"[{a}, {b})" for a, b in zip(edges[:-1], edges[1:])]
    labels.append(f">= {edges[-1]}")
    return labels


def band_counts(values: np.ndarray, counts: np.ndarray, edges: Sequence[int]) -> np.ndarray:
    """(n_bands, 2) counts per score band from a score histogram."""
    band = np.searchsorted(np.asarray(edges, dtype=np.int64), values, side="right")
    out = np.zeros((len(edges) + 1, 2), dtype=np.int64)
    np.add.at(out, band, counts)
    return out


def check_edges(edges: object) -> list[int]:
    """Given score edges as a strictly increasing list of ints, or InputError."""
    try:
        out = [int(e) for e in edges]  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise InputError(f"score_edges must be a list of integer scores, got {edges!r}.") from None
    if any(b <= a for a, b in zip(out[:-1], out[1:])):
        raise InputError(f"score_edges must be strictly increasing, got {out}.")
    return out
