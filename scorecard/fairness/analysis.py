"""Per-characteristic fairness: the IV of a protected attribute over a characteristic's bins.

IV_fair is the Jeffreys divergence between the reference group's and another group's shares over
the same bins (``stats.jeffreys``, both sides samples), with its delta-method SE, interval and the
compliance test "IV_fair below the budget eps" (H0: J >= eps; a double bootstrap at the budget
for whole counts, STATISTICS.md section 4, with its ``note`` where its size is not established). With several groups each is compared with the reference group and the
worst (largest IV_fair) is reported; the attribute is declared compliant only when every group
is (an intersection-union test: valid at level a without a multiplicity correction).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scorecard import stats
from scorecard.exceptions import InputError
from scorecard.fairness.groups import ProtectedAttribute

__all__ = ["bin_group_counts", "characteristic_fairness", "group_divergence"]


def bin_group_counts(bins: np.ndarray, n_bins: int, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """(n_groups, n_bins + 1) row counts per group and bin; the last column holds bin -1 (an
    unseen category sent nowhere). Rows without a group (code -1) are left out."""
    keep = codes >= 0
    slot = np.where(bins[keep] < 0, n_bins, bins[keep]).astype(np.int64)
    flat = codes[keep].astype(np.int64) * (n_bins + 1) + slot
    return np.bincount(flat, minlength=n_groups * (n_bins + 1)).reshape(n_groups, n_bins + 1)


def _zero(k: int) -> dict:
    return {"value": 0.0, "se": 0.0, "ci": (0.0, 0.0), "k": k}


def group_divergence(counts: np.ndarray, attribute: ProtectedAttribute, *, eps: float | None = None,
                     level: float = 0.95) -> dict:
    """The worst group's IV_fair against the reference group over the bins in ``counts``.

    Returns value, se, ci, group, p_value, compliant and note (at ``eps``; the tests' "unreliable:
    too few counts ..." notes, empty when every test holds its size), plus the per-group values. A group whose rows all fall in one bin has IV_fair 0 over these bins.
    """
    reference = counts[attribute.reference]
    results = {}
    for g in attribute.others:
        if counts[g].sum() == 0:
            continue
        both = (reference + counts[g]) > 0
        if both.sum() < 2:
            results[g] = None
            continue
        results[g] = stats.jeffreys(reference, counts[g], reference="sample", level=level)
    if not results:
        raise InputError(f"protected attribute {attribute.name!r}: no group besides the reference "
                         f"{attribute.reference_label!r} has rows here.")
    values = {g: (0.0 if r is None else r.value) for g, r in results.items()}
    worst = max(values, key=values.get)
    r = results[worst]
    out = {
        "group": attribute.labels[worst],
        "value": values[worst],
        "se": 0.0 if r is None else r.se,
        "ci_low": 0.0 if r is None else r.ci[0],
        "ci_high": 0.0 if r is None else r.ci[1],
        "by_group": {attribute.labels[g]: v for g, v in values.items()},
    }
    if eps is not None:
        tests = [r.test_below(eps, 1.0 - level) for r in results.values() if r is not None]
        # Every group must be shown below eps; a one-bin comparison has J = 0 exactly.
        out["p_value"] = max((t.p_value for t in tests), default=0.0)
        out["compliant"] = all(t.compliant for t in tests)
        out["note"] = "; ".join(dict.fromkeys(t.note for t in tests if t.note))
    return out


def characteristic_fairness(
    process,
    X: pd.DataFrame,
    y: np.ndarray,
    attributes: Sequence[ProtectedAttribute],
    *,
    eps: float = 0.02,
    level: float = 0.95,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per characteristic and protected attribute: IV_perf (goods vs bads) and IV_fair (worst
    group vs the reference) with SEs, intervals and the compliance test at ``eps``
    (``compliance_reliable`` False, with ``compliance_note``, where its size is not established).

    ``process`` is a fitted BinningProcess; ``X``, ``y`` (1 = bad) and the attributes' codes are
    the rows to judge on: pass hold-out rows when there are any (the bins were fitted on the
    training rows, so tests on them are optimistic).
    """
    names = list(columns if columns is not None else process.selected_)
    if not names:
        raise InputError("no characteristic to analyse: the binning selected none.")
    y = np.asarray(y, dtype=np.int64)
    full = process.transform(X, metric="bin")
    position = {c: i for i, c in enumerate(process.selected_)}
    rows = []
    for name in names:
        if name not in position:
            raise InputError(f"characteristic {name!r} is not among the binning's selected ones.")
        table = process.binning_tables_[name]
        bins = full[:, position[name]]
        n_bins = table.n_bins
        perf_counts = bin_group_counts(bins, n_bins, y, 2)
        goods, bads = perf_counts[0], perf_counts[1]
        if ((goods + bads) > 0).sum() >= 2 and goods.sum() > 0 and bads.sum() > 0:
            perf = stats.information_value(goods, bads, level=level)
            iv_perf, iv_perf_se = perf.value, perf.se
        else:
            iv_perf, iv_perf_se = 0.0, 0.0
        for attribute in attributes:
            counts = bin_group_counts(bins, n_bins, attribute.codes, len(attribute.labels))
            fair = group_divergence(counts, attribute, eps=eps, level=level)
            rows.append({
                "characteristic": name,
                "n_bins": n_bins,
                "iv_perf": iv_perf,
                "iv_perf_se": iv_perf_se,
                "attribute": attribute.name,
                "worst_group": fair["group"],
                "reference_group": attribute.reference_label,
                "iv_fair": fair["value"],
                "iv_fair_se": fair["se"],
                "iv_fair_ci_low": fair["ci_low"],
                "iv_fair_ci_high": fair["ci_high"],
                "eps": eps,
                "compliance_p_value": fair["p_value"],
                "compliant": fair["compliant"],
                "compliance_reliable": not fair["note"],
                "compliance_note": fair["note"],
            })
    return pd.DataFrame(rows)
