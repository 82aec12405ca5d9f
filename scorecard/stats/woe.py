"""Weight of evidence per bin with its delta-method covariance (STATISTICS.md sections 1 and 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.stats.conventions import (
    WOE_SIGN,
    check_alpha,
    count_table,
    require_finite_woe,
    resolve_alpha,
    smoothed_pair,
)

_NAMES = ("goods", "bads")


def _woe_parts(goods: object, bads: object, alpha: float | None) -> dict[str, object]:
    """Shares, WoE and covariance over all bins; bins empty on both sides get NaN WoE."""
    alpha = check_alpha(alpha)
    g, b, kept = count_table(goods, bads, names=_NAMES, min_bins=1)
    used_alpha = resolve_alpha(g, b, alpha)
    require_finite_woe(g, b, used_alpha, _NAMES)
    total_goods, total_bads = g.sum(), b.sum()
    p_kept, q_kept, a_g, a_b = smoothed_pair(g, b, used_alpha)
    n_bins = kept.size
    p_good = np.zeros(n_bins)
    q_bad = np.zeros(n_bins)
    woe = np.full(n_bins, np.nan)
    p_good[kept], q_bad[kept] = p_kept, q_kept
    woe[kept] = np.log(p_kept / q_kept)

    shared = -1.0 / total_goods - 1.0 / total_bads
    variance = np.maximum(1.0 / (g + a_g) + 1.0 / (b + a_b) + shared, 0.0)
    cov_kept = np.full((kept.sum(), kept.sum()), shared)
    np.fill_diagonal(cov_kept, variance)
    cov = np.full((n_bins, n_bins), np.nan)
    cov[np.ix_(kept, kept)] = cov_kept
    return {"alpha": used_alpha, "p_good": p_good, "q_bad": q_bad, "woe": woe, "cov": cov}


def woe_covariance(goods: object, bads: object, *, alpha: float | None = None) -> np.ndarray:
    """Delta-method covariance matrix of the bins' WoE.

    ``Var(WoE_i) = 1/g_i - 1/G + 1/b_i - 1/B`` and ``Cov(WoE_i, WoE_j) = -1/G - 1/B``, with the
    smoothed cell counts (``g_i`` plus its pseudo-count) and the raw totals G, B. Rows and
    columns of bins empty on both sides are NaN.
    """
    return _woe_parts(goods, bads, alpha)["cov"]  # type: ignore[return-value]


def woe_table(goods: object, bads: object, *, alpha: float | None = None) -> pd.DataFrame:
    """One row per bin: counts, shares, event rate, WoE (good over bad), its SE and IV contribution.

    ``p_good`` and ``q_bad`` are the smoothed shares; ``alpha`` defaults to 0.5 when a bin has zero
    goods or zero bads and to 0 otherwise, and shrinks every WoE toward 0, never past it (see
    :mod:`scorecard.stats.conventions`). Bins empty on
    both sides are kept as rows with NaN WoE and zero IV contribution, but they do not count
    towards k or the smoothing decision. ``df.attrs`` holds ``alpha``, ``woe_cov`` (the
    :func:`woe_covariance` matrix), ``iv`` (the sum of ``iv_contrib``) and ``woe_sign``.
    """
    columns = woe_columns(goods, bads, alpha=alpha)
    attrs = {key: columns.pop(key) for key in ("alpha", "woe_cov", "iv", "woe_sign")}
    frame = pd.DataFrame(columns)
    frame.attrs.update(attrs)
    return frame


def woe_columns(goods: object, bads: object, *, alpha: float | None = None) -> dict[str, object]:
    """`woe_table`'s columns as arrays and its ``attrs`` as entries of one dict, without building
    a DataFrame (binning tables are built by the hundred)."""
    parts = _woe_parts(goods, bads, alpha)
    goods_arr = np.asarray(goods)
    bads_arr = np.asarray(bads)
    integer = goods_arr.dtype.kind in "iub" and bads_arr.dtype.kind in "iub"
    count_dtype = np.int64 if integer else np.float64
    goods_col = goods_arr.astype(count_dtype)
    bads_col = bads_arr.astype(count_dtype)
    total = goods_col + bads_col
    p_good, q_bad, woe = parts["p_good"], parts["q_bad"], parts["woe"]
    cov = parts["cov"]
    with np.errstate(divide="ignore", invalid="ignore"):
        event_rate = np.where(total > 0, bads_col / total, np.nan)
    empty = np.isnan(woe)
    iv_contrib = np.where(empty, 0.0, (p_good - q_bad) * np.where(empty, 0.0, woe))
    return {
        "bin": np.arange(total.size, dtype=np.int64),
        "goods": goods_col,
        "bads": bads_col,
        "total": total,
        "share": total / total.sum(),
        "event_rate": event_rate,
        "p_good": p_good,
        "q_bad": q_bad,
        "woe": woe,
        "woe_se": np.sqrt(np.diag(cov)),
        "iv_contrib": iv_contrib,
        "alpha": parts["alpha"],
        "woe_cov": cov,
        "iv": float(iv_contrib.sum()),
        "woe_sign": WOE_SIGN,
    }
