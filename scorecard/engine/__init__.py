"""The binning engine: assign values to bins and count label 0/1 rows per bin, fast.

Counting is the only pass over raw rows; everything else works on the small count tables it
returns. Counts are additive: counting chunks of rows and summing equals counting all rows.

Bin layout (fixed; every layer above relies on it)
--------------------------------------------------
Numeric feature with strictly increasing interior edges e[0] < ... < e[k-2] has k numeric bins.
Bin j is the number of edges <= x, i.e. ``np.searchsorted(edges, x, side="right")``: the
intervals [-inf, e0), [e0, e1), ..., [e[k-2], +inf]; -inf goes to bin 0, +inf to bin k-1. Then
bin k is missing (NaN; always present, possibly empty), and bins k+1 .. k+S are the S special
values in the order given. Special values are matched exactly and before the edges; NaN is never
a special value. Total: k + 1 + S bins, i.e. ``len(edges) + 2 + S``.

Categorical feature: integer codes (-1 = missing) are mapped through a lookup array
``code_to_bin`` (one entry per code) to a bin; code -1 goes to the given ``missing_bin``. Codes
outside [-1, len(code_to_bin)) are an error.

Labels and counts: ``label`` is 0/1 (int8 inside; 1 = event = "bad" for scorecards, the current
window for drift, group A=1 for fairness). ``counts[..., 0]`` counts label 0 and
``counts[..., 1]`` label 1: int64 counts, or float64 sums of non-negative sample weights.

Public functions (all validate their input and raise InputError naming the parameter):
:func:`quantile_edges`, :func:`quantile_edges_many`, :func:`assign_numeric`,
:func:`assign_codes`, :func:`count_numeric`, :func:`count_numeric_extent` (counts and each
bin's value range), :func:`count_codes`, :func:`count_bins`, :func:`separating_edges` (cut points
strictly between adjacent distinct values).
"""

from scorecard.engine.api import (
    assign_codes,
    assign_numeric,
    count_bins,
    count_codes,
    count_numeric,
    count_numeric_extent,
    quantile_edges,
    quantile_edges_many,
)
from scorecard.engine.edges import separating_edges

__all__ = [
    "assign_codes",
    "assign_numeric",
    "count_bins",
    "count_codes",
    "count_numeric",
    "count_numeric_extent",
    "quantile_edges",
    "quantile_edges_many",
    "separating_edges",
]
