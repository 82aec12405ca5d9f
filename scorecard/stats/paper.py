"""Paper-compatibility numbers: the published, ANTI-CONSERVATIVE formulas, for comparison only.

The framework paper (arXiv 2509.09855) uses ``Var(WoE_i) = 1/g_i + 1/b_i`` and
``SE(IV) = sqrt(sum (q_i - p_i)^2 (1/g_i + 1/b_i))`` and tests IV / SE(IV) against N(0, 1). In
simulation that SE is 0.51-0.64 of the true spread (95% intervals cover 65-79%) and the Z test
rejects a true "no difference" 26% (3 bins) to 97.5% (10 bins) of the time at a nominal 5%
(STATISTICS.md section 6). Use :func:`scorecard.stats.woe_table` and
:func:`scorecard.stats.jeffreys` for reported numbers; these exist only to reproduce the paper.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from scorecard.exceptions import InputError
from scorecard.stats.conventions import (
    check_alpha,
    count_table,
    require_finite_woe,
    resolve_alpha,
    smoothed_pair,
)

_NAMES = ("goods", "bads")


def _cells(goods: object, bads: object, alpha: float | None) -> tuple[np.ndarray, ...]:
    """Smoothed shares and smoothed cell counts of goods and bads (same convention as woe_table)."""
    alpha = check_alpha(alpha)
    g, b, _ = count_table(goods, bads, names=_NAMES, min_bins=1)
    used_alpha = resolve_alpha(g, b, alpha)
    require_finite_woe(g, b, used_alpha, _NAMES)
    p, q, a_g, a_b = smoothed_pair(g, b, used_alpha)
    return p, q, g + a_g, b + a_b


def paper_woe_se(goods: object, bads: object, *, alpha: float | None = None) -> np.ndarray:
    """Published, anti-conservative SE of WoE, ``sqrt(1/g_i + 1/b_i)``; for comparison only.

    It omits the ``-1/G - 1/B`` terms of the delta method. Cell counts are smoothed by the same
    convention as :func:`scorecard.stats.woe_table`; bins empty on both sides are dropped.
    """
    _, _, g, b = _cells(goods, bads, alpha)
    return np.sqrt(1.0 / g + 1.0 / b)


def paper_iv_se(goods: object, bads: object, *, alpha: float | None = None) -> float:
    """Published, anti-conservative SE of IV, ``sqrt(sum (q_i - p_i)^2 (1/g_i + 1/b_i))``.

    For comparison only: it is 0.51-0.64 of the true spread (STATISTICS.md section 6).
    """
    p, q, g, b = _cells(goods, bads, alpha)
    return float(np.sqrt(np.sum((q - p) ** 2 * (1.0 / g + 1.0 / b))))


def paper_z_test(goods: object, bads: object, *, alpha: float | None = None) -> tuple[float, float]:
    """Published, anti-conservative test of IV = 0: ``z = IV / SE_paper``, one-sided N(0, 1) p-value.

    For comparison only: under no difference it rejects far more often than its nominal level
    (26% with 3 bins to 97.5% with 10 bins at 5%). Use ``jeffreys(...).p_value`` instead.
    """
    p, q, g, b = _cells(goods, bads, alpha)
    iv = float(np.sum((p - q) * np.log(p / q)))
    se = float(np.sqrt(np.sum((q - p) ** 2 * (1.0 / g + 1.0 / b))))
    if se == 0.0:
        return 0.0, 0.5
    z = iv / se
    return z, float(special.ndtr(-z))


def paper_violation_probability(iv: float, se: float, budget: float) -> float:
    """Published, anti-conservative "probability the IV exceeds the budget", ``Phi((iv - budget) / se)``.

    For comparison only: with the paper's SE it is overconfident (STATISTICS.md section 6). The
    paper's own example, ``Phi((0.066 - 0.05) / 0.0069)``, gives 0.989798.
    """
    values = {"iv": iv, "se": se, "budget": budget}
    for name, value in values.items():
        if not isinstance(value, (int, float, np.integer, np.floating)) or not math.isfinite(value):
            raise InputError(f"{name} must be a finite number, got {value!r}.")
    if se <= 0:
        raise InputError(f"se must be > 0, got {se!r}.")
    return float(special.ndtr((iv - budget) / se))
