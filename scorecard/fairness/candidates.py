"""Candidate binnings of several granularities per characteristic, each with IV_perf and IV_fair.

For every granularity (a ``max_n_bins`` of the optimal monotone binning; None = unconstrained,
exactly the binning `scorecard fit` uses) one BinningProcess is fitted on the training rows; a
characteristic's distinct binnings become its candidates. Coarser bins lower both IV_perf and
IV_fair, so the granularity is a lever of the selection MIP beside which characteristics enter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from scorecard import stats
from scorecard.binning import BinningProcess
from scorecard.binning.binner import jsonable
from scorecard.exceptions import InputError
from scorecard.fairness.analysis import bin_group_counts, group_divergence
from scorecard.fairness.groups import ProtectedAttribute

__all__ = ["DEFAULT_GRANULARITIES", "CandidateSet", "build_candidates", "correlated_pairs",
           "candidate_label"]

DEFAULT_GRANULARITIES: tuple[int | None, ...] = (2, 3, 4, 5, 6, None)
"""max_n_bins of the candidate binnings; None is the unconstrained optimal binning."""


def candidate_label(max_n_bins: int | None) -> str:
    return "optimal" if max_n_bins is None else f"max{max_n_bins}"


@dataclass
class CandidateSet:
    """The candidate table (one row per distinct binning) and what produced it.

    ``table`` columns: characteristic, candidate, max_n_bins, n_bins, iv_perf, iv_perf_se,
    iv_fair, iv_fair_se, iv_fair_group (the worst group of the primary attribute) and, for every
    further attribute, iv_fair[<name>]. ``processes`` maps each granularity to its fitted
    BinningProcess; ``spearman`` is the |Spearman| matrix of the characteristics' WoE.
    """

    table: pd.DataFrame
    processes: dict[int | None, BinningProcess]
    spearman: pd.DataFrame
    binning_params: dict[str, Any] = field(default_factory=dict)

    def fitted_process(self, chosen: Mapping[str, int | None], columns: Sequence[str]
                       ) -> BinningProcess:
        """A fitted BinningProcess over ``columns`` with each column's chosen binning, assembled
        from the per-granularity processes (through their JSON documents): the process that
        fitting ``BinningProcess(**process_params(chosen, columns))`` on the training rows gives,
        without binning again."""
        if not hasattr(self, "_documents"):
            self._documents = {g: json.loads(p.to_json()) for g, p in self.processes.items()}
        params = BinningProcess(**self.process_params(chosen, columns)).get_params()
        base = next(iter(self._documents.values()))
        document = {
            **base,
            "params": jsonable(params),
            "input_names": list(columns),
            "named_input": True,
            "columns": list(columns),
            "selected": list(columns),
            "binners": {c: self._documents[_grain(chosen[c])]["binners"][c] for c in columns},
        }
        return BinningProcess.from_json(json.dumps(document))

    def process_params(self, chosen: Mapping[str, int | None], columns: Sequence[str]) -> dict:
        """BinningProcess parameters that rebuild the chosen binnings (max_n_bins per column)."""
        per_column = {c: {"max_n_bins": _grain(chosen[c])} for c in columns
                      if _grain(chosen[c]) is not None}
        params = dict(self.binning_params)
        if per_column:
            params["binner_params"] = per_column
        return params


def _grain(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


SPEARMAN_ROWS = 20_000
"""Spearman correlations use a seeded sample of at most this many rows (SE about 0.007)."""


def _spearman(woe: np.ndarray, names: Sequence[str]) -> pd.DataFrame:
    if len(woe) > SPEARMAN_ROWS:
        rows = np.random.default_rng(0).choice(len(woe), SPEARMAN_ROWS, replace=False)
        woe = woe[np.sort(rows)]
    ranks = pd.DataFrame(woe, columns=list(names)).rank().to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.corrcoef(ranks, rowvar=False)
    corr = np.nan_to_num(np.atleast_2d(corr), nan=0.0)
    return pd.DataFrame(np.abs(corr), index=list(names), columns=list(names))


def correlated_pairs(spearman: pd.DataFrame, threshold: float | None) -> list[tuple[str, str]]:
    """Pairs of characteristics whose |Spearman| exceeds ``threshold`` (None: no pairs)."""
    if threshold is None:
        return []
    if not 0 < threshold <= 1:
        raise InputError(f"correlation threshold {threshold!r} must be in (0, 1] or None.")
    names = list(spearman.index)
    values = spearman.to_numpy()
    return [(names[i], names[j]) for i in range(len(names)) for j in range(i + 1, len(names))
            if values[i, j] > threshold]


def build_candidates(
    X: pd.DataFrame,
    y: np.ndarray,
    attributes: Sequence[ProtectedAttribute],
    *,
    granularities: Sequence[int | None] = DEFAULT_GRANULARITIES,
    binning_params: Mapping[str, Any] | None = None,
    level: float = 0.95,
) -> CandidateSet:
    """Fit one BinningProcess per granularity on (X, y) (training rows; y: 1 = bad) and tabulate
    every characteristic's distinct binnings with IV_perf and IV_fair (worst group of each
    attribute; the first attribute is the one the MIP budgets)."""
    if not attributes:
        raise InputError("give at least one protected attribute.")
    grains = list(dict.fromkeys(granularities))
    for g in grains:
        if g is not None and (isinstance(g, bool) or not isinstance(g, (int, np.integer)) or g < 2):
            raise InputError(f"granularity {g!r} must be an integer max_n_bins >= 2 or None.")
    if not grains:
        raise InputError("give at least one granularity (max_n_bins value).")
    params = dict(binning_params or {})
    y = np.asarray(y, dtype=np.int64)
    order = sorted(grains, key=lambda g: np.inf if g is None else g, reverse=True)
    processes: dict[int | None, BinningProcess] = {}
    seen: dict[str, set] = {}
    rows = []
    finest_woe = None
    for g in order:
        process = BinningProcess(**params, max_n_bins=g).fit(X, y)
        processes[g] = process
        names = list(process.selected_)
        if not names:
            continue
        bins = process.transform(X, metric="bin")
        if finest_woe is None:
            finest_woe = (process.transform(X, metric="woe"), names)
        for c, name in enumerate(names):
            table = process.binning_tables_[name]
            key = "|".join(table.labels)
            if key in seen.setdefault(name, set()):
                continue  # the same bins as a finer granularity already gave
            seen[name].add(key)
            counts = bin_group_counts(bins[:, c], table.n_bins, y, 2)
            perf = stats.information_value(counts[0], counts[1], level=level)
            row = {"characteristic": name, "candidate": candidate_label(g), "max_n_bins": g,
                   "n_bins": int(table.n_nonempty_bins), "iv_perf": perf.value,
                   "iv_perf_se": perf.se}
            for a, attribute in enumerate(attributes):
                fair_counts = bin_group_counts(bins[:, c], table.n_bins, attribute.codes,
                                               len(attribute.labels))
                fair = group_divergence(fair_counts, attribute, level=level)
                if a == 0:
                    row.update(iv_fair=fair["value"], iv_fair_se=fair["se"],
                               iv_fair_group=fair["group"])
                else:
                    row[f"iv_fair[{attribute.name}]"] = fair["value"]
            rows.append(row)
    if not rows:
        raise InputError("no characteristic has two or more non-empty bins on the training rows; "
                         "nothing to select.")
    table = pd.DataFrame(rows)
    table["max_n_bins"] = pd.Series([r["max_n_bins"] for r in rows], dtype=object)
    table = table.sort_values(["characteristic", "n_bins"], kind="stable").reset_index(drop=True)
    woe, names = finest_woe
    return CandidateSet(table, processes, _spearman(woe, names), params)
