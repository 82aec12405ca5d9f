"""woe-lr coefficient signs and train / hold-out AUC: unconstrained vs sign-constrained, with
and without characteristic selection (issue 7 item 7).

    python benchmarks/signs.py

Data: German credit, credit_data (both bundled) and a wide synthetic table: make_wide's 40
features, a noisy correlated copy of each (corr. about 0.85) and 40 pure-noise columns, 3,000
rows. Split 70/30, stratified, seed 0. Prints one row per (data, configuration).
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from scorecard.datasets import load_credit_data, load_german_credit, make_wide
from scorecard.model.scorecard import Scorecard

CONFIGS = {
    "unconstrained (old default)": {"sign_constrained": False},
    "sign-constrained (default)": {},
    "+ IV lower bound 0.02, corr 0.7": {"min_iv_ci_low": 0.02, "max_correlation": 0.7},
    "+ corr 0.8, stepwise BIC": {"max_correlation": 0.8, "stepwise": "bic"},
}


def wide_table(n: int = 3000, seed: int = 0) -> tuple[pd.DataFrame, pd.Series]:
    X, y = make_wide(n, 40, seed=seed)
    rng = np.random.default_rng(seed + 1)
    cols = {f"x{j}": X[:, j] for j in range(40)}
    for j in range(40):
        z = (X[:, j] - np.nanmean(X[:, j])) / np.nanstd(X[:, j])
        cols[f"copy{j}"] = z + 0.6 * rng.normal(size=n)
    for j in range(40):
        cols[f"noise{j}"] = rng.normal(size=n)
    return pd.DataFrame(cols), pd.Series(y, name="bad")


def datasets():
    german = load_german_credit()
    yield "german_credit", german.drop(columns="credit_risk"), german["credit_risk"]
    credit = load_credit_data()
    yield "credit_data", credit.drop(columns="Status"), credit["Status"]
    yield "wide (120 cols)", *wide_table()


def main() -> None:
    print(f"{'data':16s} {'configuration':34s} {'m':>4s} {'pos':>4s} {'train':>7s} "
          f"{'hold-out':>8s} {'fit s':>6s}")
    for name, X, y in datasets():
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, random_state=0, stratify=y)
        for label, params in CONFIGS.items():
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                card = Scorecard(**params).fit(X_train, y_train)
            seconds = time.perf_counter() - start
            coef = card.spec_["model"]["coefficients"]
            positive = sum(v > 0 for v in coef.values())
            train = card.train_metrics_["auc"]["value"]
            hold = card.evaluate(X_test, y_test)["auc"]["value"]
            print(f"{name:16s} {label:34s} {len(coef):4d} {positive:4d} {train:7.4f} "
                  f"{hold:8.4f} {seconds:6.1f}")


if __name__ == "__main__":
    main()
