"""Binning: pre-binning candidates and the exact optimal merge of pre-bins."""

from scorecard.binning._prebin import stump_split_candidates
from scorecard.binning._solver import MergeResult, optimal_merge

__all__ = ["MergeResult", "optimal_merge", "stump_split_candidates"]
