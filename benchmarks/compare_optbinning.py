"""Binning quality, ours vs optbinning, with matching constraints, judged in and out of sample.

    python benchmarks/compare_optbinning.py [--rows 100000] [--max-n-bins none 5] [--datasets ...]

Each dataset (data/german_credit.csv, data/credit_data.csv and --rows synthetic applications,
scorecard.datasets.make_applications) is split 70/30, stratified on the target (seed 0). Both
BinningProcess objects are fitted on the 70% with the same constraints:

  min_bin_size     0.05 on both sides: a share of ALL rows (missing and special included).
  max_n_bins       each value of --max-n-bins (None = unlimited); missing and special bins are
                   not counted on either side.
  monotonic_trend  ours "auto" (the better by IV of ascending and descending, both exact);
                   theirs "auto_asc_desc", the same rule. Categories are ordered by event rate
                   and merged in that order on both sides.
  missing/special  one bin for missing values and one for the special codes (-999 in the
                   synthetic data) on both sides, never merged.
  categories       no pooling of rare categories: ours cat_min_expected=0, theirs cat_cutoff=None.

and two pre-binnings, one line each per characteristic:

  defaults         each tool's own: ours max_n_prebins=200 equal-frequency quantiles, theirs
                   CART with max_n_prebins=20 leaves of min_prebin_size=0.05. Not like for
                   like: ours sees ten times the candidate cuts.
  equal            the same pre-binning on both sides: 20 equal-frequency quantiles (ours
                   max_n_prebins=20; theirs prebinning_method="quantile", max_n_prebins=20).

Quality: IV on the training rows (what each solver maximises, so finer candidates and
overfitting win there), and out of sample, where they do not: the IV of the hold-out rows'
counts in each side's bins, and the hold-out Gini (2 AUC - 1) of the score "training event rate
of the row's bin". IVs use the same formula on both sides (scorecard.stats.information_value
over non-empty bins, STATISTICS.md smoothing). Each side's training solution is checked against
the shared constraints (bin share, bin count, monotone numeric event rate); the verdict compares
hold-out IV where both meet them: ok when ours >= theirs * 0.98.

`best` is the exact in-sample optimum over every distinct training value as a candidate split
(our solver with user_splits = all distinct values), an upper bound on training IV for both;
shown when a numeric column has at most --best-max-distinct distinct values, else "-".
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from scorecard import BinningProcess, stats
from scorecard.binning import OptimalBinner
from scorecard.datasets import DATASETS
from scorecard.model.metrics import auc

MIN_BIN_SIZE = 0.05
TOLERANCE = 0.02
HOLDOUT_SHARE, SPLIT_SEED = 0.3, 0
PREBINNINGS = {
    "defaults": ({}, {}),
    "equal": ({"max_n_prebins": 20}, {"prebinning_method": "quantile", "max_n_prebins": 20}),
}
"""Pre-binning name -> (our BinningProcess arguments, optbinning's)."""


@dataclass(frozen=True)
class Solution:
    """One side's bins of one characteristic: each row's bin on train and hold-out rows."""

    train_bins: np.ndarray
    holdout_bins: np.ndarray
    n_bins: int  # all bins, missing and special included
    regular: np.ndarray  # mask of interval / category bins (not missing, not special)

    def counts(self, y: np.ndarray, bins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        goods = np.bincount(bins[y == 0], minlength=self.n_bins).astype(np.float64)
        bads = np.bincount(bins[y == 1], minlength=self.n_bins).astype(np.float64)
        return goods, bads

    def iv(self, y: np.ndarray, holdout: bool = False) -> float:
        goods, bads = self.counts(y, self.holdout_bins if holdout else self.train_bins)
        keep = (goods + bads) > 0
        if keep.sum() < 2 or goods.sum() == 0 or bads.sum() == 0:
            return 0.0
        return float(stats.information_value(goods[keep], bads[keep]).value)

    def holdout_gini(self, y_train: np.ndarray, y_holdout: np.ndarray) -> float:
        """Gini of the training event rate of each hold-out row's bin (empty bins: overall)."""
        goods, bads = self.counts(y_train, self.train_bins)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(goods + bads > 0, bads / (goods + bads), y_train.mean())
        score = rate[self.holdout_bins]
        return 2.0 * auc(y_holdout, score, higher_is_riskier=True).value - 1.0

    def violations(self, y: np.ndarray, numeric: bool, max_n_bins: int | None) -> list[str]:
        """Which shared constraints the training solution breaks (empty list: all met)."""
        goods, bads = self.counts(y, self.train_bins)
        total = (goods + bads).sum()
        g, b = goods[self.regular], bads[self.regular]
        n = g + b
        keep = n > 0
        g, b, n = g[keep], b[keep], n[keep]
        out = []
        if np.any(n < MIN_BIN_SIZE * total * (1 - 1e-9)):
            out.append("size")
        if max_n_bins is not None and n.size > max_n_bins:
            out.append("bins")
        if numeric and n.size > 2:
            step = np.diff(b / n)
            if not (np.all(step >= 0) or np.all(step <= 0)):
                out.append("trend")
        return out


def ours_solution(process: BinningProcess, name: str, train: pd.DataFrame,
                  holdout: pd.DataFrame) -> Solution:
    binner = process.binners_[name]
    table = binner.table_
    regular = np.asarray([k in ("interval", "categories") for k in table.kinds])
    missing = table.missing_bin

    def bins(frame: pd.DataFrame) -> np.ndarray:
        out = binner.transform(frame[name], metric="bin")
        return np.where(out < 0, missing, out)  # unseen='zero' never used here; be safe

    return Solution(bins(train), bins(holdout), table.n_bins, regular)


def theirs_solution(process: object, name: str, train: pd.DataFrame,
                    holdout: pd.DataFrame) -> Solution:
    """optbinning's bins are the regular ones, then 'Special', then 'Missing'."""
    binner = process.get_binned_variable(name)
    table = binner.binning_table
    table.build()
    n_bins = len(table.n_event)
    missing = n_bins - 1

    def bins(frame: pd.DataFrame) -> np.ndarray:
        out = binner.transform(frame[name], metric="indices", metric_special="empirical",
                               metric_missing="empirical")
        out = pd.to_numeric(pd.Series(np.asarray(out, dtype=object)), errors="coerce")
        return out.fillna(missing).to_numpy(dtype=np.int64)  # unseen category: missing, as ours

    regular = np.ones(n_bins, dtype=bool)
    regular[-2:] = False
    return Solution(bins(train), bins(holdout), n_bins, regular)


def best_iv(x: pd.Series, y: np.ndarray, specials: Sequence[float], max_n_bins: int | None,
            max_distinct: int) -> float:
    """Exact optimum over every distinct value as a split (NaN if too many distinct values)."""
    values = x.to_numpy(dtype=np.float64)
    valid = values[np.isfinite(values) & ~np.isin(values, np.asarray(specials, dtype=float))]
    distinct = np.unique(valid)
    if distinct.size > max_distinct:
        return float("nan")
    binner = OptimalBinner(
        min_bin_size=MIN_BIN_SIZE, max_n_bins=max_n_bins, special_values=list(specials),
        user_splits=list(distinct[1:]) if distinct.size > 1 else None,
    ).fit(x, y)
    return float(binner.iv_.value)


def load(name: str, rows: int) -> tuple[pd.DataFrame, np.ndarray, dict[str, list[float]]]:
    dataset = DATASETS[name]
    frame = dataset.loader(rows) if name == "synthetic" else dataset.load()
    y = (frame[dataset.target] == dataset.bad_value).to_numpy().astype(np.int64)
    columns = [c for c in frame.columns if c not in dataset.exclude]
    specials = {c: [float(v) for v in vs] for c, vs in dataset.special_values.items()}
    return frame[columns], y, specials


def fit_both(X: pd.DataFrame, y: np.ndarray, specials: dict[str, list[float]],
             max_n_bins: int | None, prebinning: str, numeric: dict[str, bool]):
    """Both fitted processes and their fit times."""
    from optbinning import BinningProcess as OptBinningProcess

    ours_args, theirs_args = PREBINNINGS[prebinning]
    columns = list(X.columns)
    start = time.perf_counter()
    ours = BinningProcess(
        special_values=specials, min_bin_size=MIN_BIN_SIZE, max_n_bins=max_n_bins,
        monotonic_trend="auto", cat_min_expected=0.0, **ours_args,
    ).fit(X, y)
    t_ours = time.perf_counter() - start
    params = {
        c: {"monotonic_trend": "auto_asc_desc",
            **({"special_codes": specials[c]} if c in specials else {}),
            **(theirs_args if numeric[c] else {})}
        for c in columns
    }
    start = time.perf_counter()
    theirs = OptBinningProcess(
        columns, categorical_variables=[c for c in columns if not numeric[c]],
        min_bin_size=MIN_BIN_SIZE, max_n_bins=max_n_bins, binning_fit_params=params,
    ).fit(X, y)
    return ours, theirs, t_ours, time.perf_counter() - start


def compare(name: str, X: pd.DataFrame, y: np.ndarray, specials: dict[str, list[float]],
            max_n_bins: int | None, prebinning: str, max_distinct: int,
            ) -> tuple[pd.DataFrame, float, float]:
    """Side-by-side table for one dataset, max_n_bins and pre-binning; both fit times."""
    columns = list(X.columns)
    numeric = {c: pd.api.types.is_numeric_dtype(X[c]) and not pd.api.types.is_bool_dtype(X[c])
               for c in columns}
    X_train, X_hold, y_train, y_hold = train_test_split(
        X, y, test_size=HOLDOUT_SHARE, random_state=SPLIT_SEED, stratify=y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs, t_ours, t_theirs = fit_both(X_train, y_train, specials, max_n_bins,
                                                  prebinning, numeric)
        rows = []
        for c in columns:
            a = ours_solution(ours, c, X_train, X_hold)
            b = theirs_solution(theirs, c, X_train, X_hold)
            bad_a = a.violations(y_train, numeric[c], max_n_bins)
            bad_b = b.violations(y_train, numeric[c], max_n_bins)
            hold_a, hold_b = a.iv(y_hold, holdout=True), b.iv(y_hold, holdout=True)
            if bad_a or bad_b:
                verdict = "n/a"
            elif hold_a >= hold_b * (1 - TOLERANCE):
                verdict = "ok"
            else:
                verdict = "BELOW"
            best = (best_iv(X_train[c], y_train, specials.get(c, []), max_n_bins, max_distinct)
                    if numeric[c] and prebinning == "defaults" else float("nan"))
            rows.append({
                "dataset": name,
                "characteristic": c,
                "kind": "num" if numeric[c] else "cat",
                "train_ours": a.iv(y_train),
                "train_optb": b.iv(y_train),
                "best": best,
                "hold_ours": hold_a,
                "hold_optb": hold_b,
                "hold ours/optb": hold_a / hold_b if hold_b > 0 else float("nan"),
                "gini_ours": a.holdout_gini(y_train, y_hold),
                "gini_optb": b.holdout_gini(y_train, y_hold),
                "bins": f"{int(a.regular.sum())}/{int(b.regular.sum())}",
                "ok": f"{','.join(bad_a) or 'yes'}/{','.join(bad_b) or 'yes'}",
                "verdict": verdict,
            })
    return pd.DataFrame(rows), t_ours, t_theirs


def _summary(result: pd.DataFrame) -> pd.DataFrame:
    compared = result[result["verdict"] != "n/a"]
    rows = []
    for prebinning, part in compared.groupby("prebinning", sort=False):
        rows.append({
            "pre-binning": prebinning,
            "fits": len(part),
            "train IV ours/optb (median)": (part["train_ours"] / part["train_optb"]).median(),
            "hold-out IV ours/optb (median)": part["hold ours/optb"].median(),
            "hold-out IV ours/optb (min)": part["hold ours/optb"].min(),
            "hold-out Gini ours - optb (median)": (part["gini_ours"] - part["gini_optb"]).median(),
            "hold-out Gini ours - optb (min)": (part["gini_ours"] - part["gini_optb"]).min(),
            f"hold-out IV below optb by > {TOLERANCE:.0%}": int((part["verdict"] == "BELOW").sum()),
        })
    return pd.DataFrame(rows)


def run(rows: int = 100_000, max_n_bins: Sequence[int | None] = (None, 5),
        datasets: Sequence[str] = ("german_credit", "credit_data", "synthetic"),
        max_distinct: int = 1500, characteristic_width: int = 28,
        prebinnings: Sequence[str] = tuple(PREBINNINGS)) -> pd.DataFrame:
    """Print the side-by-side tables and the summary; return the tables concatenated."""
    try:
        import optbinning
    except ImportError:
        print("optbinning is not installed (`make bench` installs it): comparison skipped.")
        return pd.DataFrame()
    print(f"optbinning {optbinning.__version__}; fitted on {1 - HOLDOUT_SHARE:.0%} of the rows, "
          f"judged on the other {HOLDOUT_SHARE:.0%} (stratified, seed {SPLIT_SEED}); "
          f"min_bin_size={MIN_BIN_SIZE} on both; trend ours 'auto' = theirs 'auto_asc_desc'.")
    print("Pre-binning 'defaults': ours 200 quantiles, theirs CART 20 leaves; 'equal': 20 "
          "quantiles on both. train_* = IV on the training rows; hold_* = IV of the hold-out "
          "rows in the same bins; gini_* = hold-out Gini of the bins' training event rate; "
          "bins and ok = ours/optb (ok: constraints met, or what is broken).")
    loaded = {name: load(name, rows) for name in datasets}
    tables = []
    for limit in max_n_bins:
        for name, (X, y, specials) in loaded.items():
            for prebinning in prebinnings:
                table, t_ours, t_theirs = compare(name, X, y, specials, limit, prebinning,
                                                  max_distinct)
                table.insert(0, "prebinning", prebinning)
                table.insert(0, "max_n_bins", "none" if limit is None else limit)
                tables.append(table)
                shown = table.drop(columns=["dataset", "max_n_bins", "prebinning"]).copy()
                shown["characteristic"] = shown["characteristic"].str.slice(
                    0, characteristic_width)
                print(f"\n{name} ({len(X):,} rows x {X.shape[1]}), max_n_bins={limit}, "
                      f"pre-binning {prebinning}: fit ours {t_ours:.2f} s, optbinning "
                      f"{t_theirs:.2f} s")
                print(shown.to_string(index=False, float_format=lambda v: f"{v:.4f}",
                                      na_rep="-"))
    result = pd.concat(tables, ignore_index=True)
    print("\nSummary over the characteristic fits where both sides meet the constraints:")
    print(_summary(result).to_string(index=False, float_format=lambda v: f"{v:.4f}"))
    return result


def _limit(text: str) -> int | None:
    return None if text.lower() == "none" else int(text)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="synthetic rows")
    parser.add_argument("--max-n-bins", type=_limit, nargs="+", default=[None, 5],
                        help="max_n_bins settings to compare ('none' = unlimited)")
    parser.add_argument("--datasets", nargs="+", default=["german_credit", "credit_data",
                                                          "synthetic"], choices=sorted(DATASETS))
    parser.add_argument("--prebinnings", nargs="+", default=list(PREBINNINGS),
                        choices=list(PREBINNINGS))
    parser.add_argument("--best-max-distinct", type=int, default=1500,
                        help="compute `best` only for columns with at most this many values")
    args = parser.parse_args(argv)
    run(args.rows, args.max_n_bins, args.datasets, args.best_max_distinct,
        prebinnings=args.prebinnings)


if __name__ == "__main__":
    main()
