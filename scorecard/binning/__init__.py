"""Binning: pre-binning candidates, the exact optimal merge, and the binning estimators.

`OptimalBinner` bins one characteristic; `BinningProcess` bins every characteristic of a frame,
selects by IV and transforms to WoE; `BinningTable` is the frozen, JSON-serialisable result.
`fit_file` and `transform_file` run a BinningProcess on a CSV or parquet table larger than memory.
Names are imported on first use, so the IV report (`scorecard.binning.prebinning`, the CLI's
`iv`) does not load scikit-learn.
"""

_LAZY = {
    "BinningProcess": "scorecard.binning.process",
    "BinningTable": "scorecard.binning.table",
    "BinningWarning": "scorecard.binning._columns",
    "MergeResult": "scorecard.binning._solver",
    "OptimalBinner": "scorecard.binning.binner",
    "fit_file": "scorecard.binning.files",
    "optimal_merge": "scorecard.binning._solver",
    "stump_split_candidates": "scorecard.binning._prebin",
    "transform_file": "scorecard.binning.files",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'scorecard.binning' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
