"""Binning: pre-binning candidates, the exact optimal merge, and the binning estimators.

`OptimalBinner` bins one characteristic; `BinningProcess` bins every characteristic of a frame,
selects by IV and transforms to WoE; `BinningTable` is the frozen, JSON-serialisable result.
`fit_file` and `transform_file` run a BinningProcess on a CSV or parquet table larger than memory.
"""

from scorecard.binning._prebin import stump_split_candidates
from scorecard.binning._solver import MergeResult, optimal_merge
from scorecard.binning.binner import BinningWarning, OptimalBinner
from scorecard.binning.files import fit_file, transform_file
from scorecard.binning.process import BinningProcess
from scorecard.binning.table import BinningTable

__all__ = [
    "BinningProcess",
    "BinningTable",
    "BinningWarning",
    "MergeResult",
    "OptimalBinner",
    "fit_file",
    "optimal_merge",
    "stump_split_candidates",
    "transform_file",
]
