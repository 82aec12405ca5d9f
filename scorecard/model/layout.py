"""How a fitted binning table's bins become a spec characteristic's bins.

Numeric characteristics keep the table's order (intervals, missing, specials). Categorical ones
put the category groups first, then one bin per special category, then the missing bin last,
and add an unseen slot. Per-bin arrays in table order may carry that extra slot at the end.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scorecard.binning import BinningTable
from scorecard.exceptions import InputError, ScorecardError
from scorecard.options import CATEGORICAL, SPEC_UNSEEN_POLICIES

__all__ = ["BinLayout"]


class BinLayout:
    """How a BinningTable's bins map to a spec characteristic's bins.

    Numeric: the same order (intervals, missing, specials). Categorical: the spec puts the
    category groups, then one bin per special category, then the missing bin last. Arrays in
    table order may carry one extra slot at the end for unseen categories. ``neutral`` marks the
    bins the card gives contribution 0 (`scorecard.model.neutral`).
    """

    def __init__(self, table: BinningTable, neutral: np.ndarray | None = None) -> None:
        self.table = table
        self.name = table.name
        self.neutral = (np.zeros(table.n_bins, dtype=bool) if neutral is None
                        else np.asarray(neutral, dtype=bool))
        self.categorical = table.dtype == CATEGORICAL
        n = table.n_bins
        if self.categorical:
            if table.unseen not in SPEC_UNSEEN_POLICIES:
                raise InputError(
                    f"column {table.name!r} uses unseen={table.unseen!r}, which a deployed "
                    "scorecard cannot honour (SQL and PMML must score every row). Bin it with "
                    "unseen='missing', 'other' or 'zero'."
                )
            others = [j for j in range(n) if j != table.missing_bin]
            self.spec_order = [*others, table.missing_bin]
            members: dict[int, list[str]] = {j: [] for j in others}
            for category, j in (table.categories or {}).items():
                members[int(j)].append(str(category))
            empty = [table.labels[j] for j in others if not members[j]]
            if empty:
                raise ScorecardError(
                    f"column {table.name!r}: bin(s) {empty} list no category; cannot write them "
                    "to the spec."
                )
            if not others:
                raise InputError(
                    f"column {table.name!r} has no category bin (only the missing bin); drop it."
                )
            self.members = members
        else:
            self.spec_order = list(range(n))
            self.members = {}

    @property
    def woe(self) -> np.ndarray:
        """The table's transform WoE with neutral bins (too small to estimate) at 0."""
        return np.where(self.neutral, 0.0, self.table.transform_woe)

    @property
    def n_slots(self) -> int:
        return self.table.n_bins + (1 if self.categorical else 0)

    def with_unseen(self, per_bin: np.ndarray) -> np.ndarray:
        """Per-bin values plus the unseen slot: the unseen bin's value, or 0 for unseen='zero'."""
        per_bin = np.asarray(per_bin, dtype=np.float64)
        if not self.categorical:
            return per_bin
        unseen = per_bin[self.table.unseen_bin] if self.table.unseen_bin >= 0 else 0.0
        return np.append(per_bin, unseen)

    def lookup(self, values: np.ndarray, bins: np.ndarray,
               out: np.ndarray | None = None) -> np.ndarray:
        """values[bin] per row (into `out` if given); bin -1 (an unseen category under
        unseen='zero') reads the slot."""
        slots = np.asarray(values if self.categorical else np.append(values, 0.0), np.float64)
        return np.take(slots, bins, out=out, mode="wrap")

    def spec(self, exact: np.ndarray, points: np.ndarray) -> dict[str, Any]:
        """The characteristic as the spec writes it (schema_version 1)."""
        table = self.table
        bins = []
        for j in self.spec_order:
            info = {
                "points": int(points[j]),
                "points_exact": float(exact[j]),
                "woe": None if math.isnan(table.woe[j]) else float(table.woe[j]),
                "goods": table.goods[j].item(),
                "bads": table.bads[j].item(),
            }
            kind = table.kinds[j]
            if kind == "interval":
                edges = [None, *(float(e) for e in table.splits), None]
                bins.append({"kind": "interval", "lower": edges[j], "upper": edges[j + 1],
                             "label": table.labels[j], **info})
            elif kind == "missing":
                bins.append({"kind": "missing", "label": table.labels[j], **info})
            elif kind == "special" and not self.categorical:
                value = float(table.special_values[j - table.missing_bin - 1])
                bins.append({"kind": "special", "value": value, "label": table.labels[j], **info})
            else:
                bins.append({"kind": "categories", "categories": self.members[j],
                             "label": table.labels[j], **info})
        out: dict[str, Any] = {"name": self.name, "dtype": table.dtype}
        if self.categorical:
            out["unseen"] = table.unseen
            out["bins"] = bins
            out["unseen_points"] = int(points[-1])
        else:
            out["edges"] = [float(e) for e in table.splits]
            out["special_values"] = [float(v) for v in table.special_values]
            out["bins"] = bins
        return out

    def in_spec_order(self, per_slot: np.ndarray) -> list[float]:
        return [float(per_slot[j]) for j in self.spec_order]

    def spec_index(self, table_bins: np.ndarray) -> np.ndarray:
        """Table bin indices (-1: unseen under unseen='zero') as `scoring.bin_indices` numbers them."""
        slots = np.asarray([*self.spec_order, self.table.n_bins] if self.categorical
                           else self.spec_order)
        position = np.empty(self.n_slots, dtype=np.int64)
        position[slots] = np.arange(slots.size)
        return position[np.where(table_bins < 0, self.n_slots - 1, table_bins)]

