"""Datasets for development, tests, demos and benchmarks.

Two small public credit datasets shipped in the repository's data/ folder (see data/README.md for
provenance and licences), a registry describing them, and seeded generators of synthetic data:
`make_applications` (a monthly application book with drift, missing values, a special code and a
protected attribute) and `make_wide` (a plain numeric matrix for benchmarks).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
from numpy.random import PCG64, Generator

from scorecard.exceptions import InputError

__all__ = [
    "CHARACTERISTICS",
    "DATASETS",
    "DRIFTING",
    "Dataset",
    "MISSING_RATE",
    "NO_BUREAU_RECORD",
    "WITH_MISSING",
    "data_dir",
    "iter_applications",
    "load_credit_data",
    "load_german_credit",
    "make_applications",
    "make_wide",
]

DATA_DIR_ENV = "SCORECARD_DATA_DIR"
MIN_ROWS, MAX_ROWS = 1_000, 10_000_000
MAX_BLOCKED_ROWS = 1_000_000_000  # iter_applications: rows written in blocks

NO_BUREAU_RECORD = -999.0
"""Special code of `delinquency_history` in synthetic data: the applicant has no bureau record."""

MISSING_RATE = 0.03
"""Share of NaN (missing completely at random) in each of the synthetic columns that have any."""

# Column roles in make_applications' output.
CHARACTERISTICS = (
    "mortgage_amount",
    "account_balance",
    "amount_past_due",
    "utilisation",
    "delinquency_history",
    "recent_inquiries",
    "open_trades",
)
DRIFTING = ("account_balance", "utilisation", "recent_inquiries")
WITH_MISSING = ("account_balance", "utilisation", "open_trades")

_NO_BUREAU_RATE = 0.025
_PROTECTED_SHARE = 0.30
# Calibrated once on 2,000,000 rows (seed 123, 24 months) so the expected default rate is 15%;
# fixed here so the data-generating process does not depend on n_rows or seed.
_DEFAULT_INTERCEPT = -3.78855


# --------------------------------------------------------------------------------------------
# Real data
# --------------------------------------------------------------------------------------------


def data_dir() -> Path:
    """The folder holding the bundled CSV files: $SCORECARD_DATA_DIR, else the repository's data/."""
    override = os.environ.get(DATA_DIR_ENV)
    folder = Path(override) if override else Path(__file__).resolve().parent.parent / "data"
    if not folder.is_dir():
        source = f"${DATA_DIR_ENV}" if override else "the repository"
        raise InputError(
            f"data folder {str(folder)!r} (from {source}) does not exist; set {DATA_DIR_ENV} to "
            "the folder holding german_credit.csv and credit_data.csv."
        )
    return folder


def _read_bundled(filename: str) -> pd.DataFrame:
    path = data_dir() / filename
    if not path.is_file():
        raise InputError(
            f"dataset file {filename!r} not found in {str(path.parent)!r}; restore it from the "
            f"repository's data/ folder or point {DATA_DIR_ENV} at a folder that has it."
        )
    return pd.read_csv(path)


def load_german_credit() -> pd.DataFrame:
    """UCI Statlog German Credit: 1,000 rows x 21 raw columns (original A-codes).

    Target `credit_risk`: 1 = good, 2 = bad (300 bad). Protected attributes:
    `personal_status_and_sex`, `age_in_years`, `foreign_worker`.
    """
    return _read_bundled("german_credit.csv")


def load_credit_data() -> pd.DataFrame:
    """modeldata `credit_data`: 4,454 rows x 14 columns, with missing values.

    Target `Status`: "good" / "bad" (about 28% bad). Protected attributes: `Age`, `Marital`.
    """
    return _read_bundled("credit_data.csv")


# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------


def _check_int(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError(f"{name} must be an integer, got {value!r} ({type(value).__name__}).")
    if not low <= value <= high:
        raise InputError(f"{name} must be between {low:,} and {high:,}, got {int(value):,}.")
    return int(value)


def _check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be a non-negative integer, got {seed!r}.")
    return int(seed)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# --------------------------------------------------------------------------------------------
# Synthetic application book
# --------------------------------------------------------------------------------------------


def make_applications(
    n_rows: int = 100_000, *, seed: int = 0, n_months: int = 24, start: str = "2023-01"
) -> pd.DataFrame:
    """A seeded synthetic book of credit applications over `n_months` months.

    Modelled on the simulation of the framework paper (arXiv 2509.09855): a latent financial
    strength drives seven characteristics; a protected attribute (30% = 1) lowers
    `mortgage_amount` and `account_balance` but does not enter the default model, so it
    reaches the score only through those proxies. `default` (1 = bad, about 15%) follows a
    logistic model of the characteristics. Over the window `account_balance` falls while
    `utilisation` and `recent_inquiries` rise (PSI first vs last month about 0.2-0.27; the
    others stay below 0.01). `account_balance`, `utilisation` and `open_trades` each have about 3%
    NaN (completely at random); `delinquency_history` is -999 ("no bureau record") for about
    2.5% of rows. Same arguments give an identical frame.

    Columns: application_month ("YYYY-MM" strings, rows sorted by month), the seven
    characteristics as float64, `protected` and `default` as int8.
    """
    n = _check_int(n_rows, "n_rows", MIN_ROWS, MAX_ROWS)
    rng, counts, labels = _application_months(n, seed, n_months, start)
    return _application_rows(rng, _months(counts, 0, n), labels)


def iter_applications(
    n_rows: int, *, seed: int = 0, n_months: int = 24, start: str = "2023-01",
    block_rows: int = 1_000_000,
) -> Iterator[pd.DataFrame]:
    """`make_applications` in blocks of `block_rows` rows, for books larger than memory (up to
    MAX_BLOCKED_ROWS rows); only one block is in memory at a time.

    With n_rows <= block_rows the one block is `make_applications`' frame. Larger books draw
    the months of all rows as it does (same seed: same month of every row, rows sorted by month)
    and then each block's rows from its own stream seeded by (seed, block number): the same
    model and the same rows for the same arguments, but not the rows of the in-memory frame,
    which draws each column for all rows at once.
    """
    n = _check_int(n_rows, "n_rows", MIN_ROWS, MAX_BLOCKED_ROWS)
    block = _check_int(block_rows, "block_rows", MIN_ROWS, MAX_ROWS)
    rng, counts, labels = _application_months(n, seed, n_months, start)
    if n <= block:
        yield _application_rows(rng, _months(counts, 0, n), labels)
        return
    for k, first in enumerate(range(0, n, block)):
        stream = Generator(PCG64(np.random.SeedSequence([_check_seed(seed), k])))
        yield _application_rows(stream, _months(counts, first, min(first + block, n)), labels)


def _application_months(n: int, seed: object, n_months: object, start: object):  # noqa: ANN202
    """The checked generator, the number of rows of each month and the month labels."""
    n_months = _check_int(n_months, "n_months", 1, 1200)
    seed = _check_seed(seed)
    if not isinstance(start, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", start):
        raise InputError(f"start must be a month written 'YYYY-MM' (e.g. '2023-01'), got {start!r}.")
    labels = pd.period_range(start, periods=n_months, freq="M").strftime("%Y-%m")

    rng = Generator(PCG64(seed))
    counts = rng.multinomial(n, np.full(n_months, 1.0 / n_months))
    return rng, counts, labels


def _months(counts: np.ndarray, first: int, stop: int) -> np.ndarray:
    """The month index of rows first..stop-1 of a book sorted by month (`counts` per month)."""
    ends = np.cumsum(counts)
    return np.searchsorted(ends, np.arange(first, stop, dtype=np.int64), side="right")


def _application_rows(rng: Generator, month: np.ndarray, labels: object) -> pd.DataFrame:
    """The book's rows for the given month indices, drawn from `rng`."""
    n, n_months = month.shape[0], len(labels)
    t = month / max(n_months - 1, 1)  # 0 in the first month, 1 in the last
    protected = rng.random(n) < _PROTECTED_SHARE
    strength = rng.standard_normal(n)  # latent: higher = more creditworthy
    noise = rng.standard_normal((3, n))

    log_mortgage = 12.0 + 0.5 * (0.4 * strength + 0.9165 * noise[0]) - 0.25 * protected
    log_balance = 8.0 + 1.1 * (0.6 * strength + 0.8 * noise[1]) - 0.6 * protected - 0.6 * t
    mean_util = _sigmoid(-0.6 - 0.6 * strength + 0.5 * t)
    utilisation = 1.1 * rng.beta(4.0 * mean_util, 4.0 * (1.0 - mean_util))  # > 1: over limit
    in_arrears = rng.random(n) < _sigmoid(-2.6 - 0.8 * strength)
    amount_past_due = np.where(in_arrears, np.exp(6.0 + noise[2]), 0.0)
    delinquency = rng.poisson(np.exp(-1.2 - 0.7 * strength)).astype(np.float64)
    inquiries = rng.poisson(np.exp(-0.1 - 0.3 * strength + 0.45 * t)).astype(np.float64)
    open_trades = rng.poisson(np.exp(np.log(4.0) + 0.15 * strength)).astype(np.float64)
    no_bureau = rng.random(n) < _NO_BUREAU_RATE

    logit = (
        _DEFAULT_INTERCEPT
        - 0.25 * (log_mortgage - 12.0) / 0.5
        - 0.35 * (log_balance - 8.0) / 1.1
        + 2.0 * utilisation
        + 0.25 * np.log1p(amount_past_due)
        + 0.45 * np.minimum(delinquency, 5.0)
        + 0.20 * inquiries
        - 0.06 * open_trades
        + 0.40 * no_bureau  # thin file: slightly riskier
        - 0.30 * strength  # what the characteristics do not capture
    )
    default = (rng.random(n) < _sigmoid(logit)).astype(np.int8)

    delinquency[no_bureau] = NO_BUREAU_RECORD
    characteristics = {
        "mortgage_amount": np.round(np.exp(log_mortgage), -2),
        "account_balance": np.round(np.exp(log_balance), 2),
        "amount_past_due": np.round(amount_past_due, 2),
        "utilisation": np.round(utilisation, 4),
        "delinquency_history": delinquency,
        "recent_inquiries": inquiries,
        "open_trades": open_trades,
    }
    for name in WITH_MISSING:
        characteristics[name][rng.random(n) < MISSING_RATE] = np.nan

    month_labels = pd.array(np.asarray(labels, dtype=object), dtype="str")
    columns = {
        "application_month": month_labels.take(month),
        **characteristics,
        "protected": protected.astype(np.int8),
        "default": default,
    }
    return pd.DataFrame(columns, copy=False)  # the arrays are fresh: no need to copy them


# --------------------------------------------------------------------------------------------
# Wide numeric matrix for benchmarks
# --------------------------------------------------------------------------------------------

_WIDE_KINDS = ("normal", "lognormal", "poisson", "beta", "uniform")
_GAUSS_HERMITE = np.polynomial.hermite_e.hermegauss(80)


def _intercept_for_rate(scale: float, rate: float) -> float:
    """Intercept b with E[sigmoid(b + scale*Z)] = rate, Z standard normal (by quadrature)."""
    nodes, weights = _GAUSS_HERMITE
    weights = weights / weights.sum()
    low, high = -30.0, 30.0
    for _ in range(100):
        mid = 0.5 * (low + high)
        if float(weights @ _sigmoid(mid + scale * nodes)) > rate:
            high = mid
        else:
            low = mid
    return 0.5 * (low + high)


def make_wide(
    n_rows: int, n_features: int = 25, *, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A seeded numeric matrix X (float64, Fortran order) and target y (int8, 1 = bad) for benchmarks.

    Feature j cycles through five kinds: normal, lognormal (skewed), Poisson counts
    (integer-valued), beta on (0, 1), and uniform noise. Each has about 3% NaN. y follows a
    logistic model of the standardised features with decaying coefficients (every fifth
    feature, the uniform one, carries no signal) and an intercept set for a 15% bad rate.
    """
    n = _check_int(n_rows, "n_rows", MIN_ROWS, MAX_ROWS)
    p = _check_int(n_features, "n_features", 1, 1000)
    seed = _check_seed(seed)
    rng = Generator(PCG64(seed))
    X = np.empty((n, p), dtype=np.float64, order="F")
    logit = np.zeros(n, dtype=np.float64)
    variance = 0.0
    for j in range(p):
        kind = _WIDE_KINDS[j % len(_WIDE_KINDS)]
        coef = (0.9 * 0.93**j) * (1.0 if j % 2 == 0 else -1.0)
        column = X[:, j]
        if kind == "normal":
            rng.standard_normal(n, out=column)
            logit += coef * column
        elif kind == "lognormal":
            rng.standard_normal(n, out=column)
            logit += coef * column
            np.exp(column, out=column)
        elif kind == "poisson":
            lam = 1.0 + (j % 7)
            column[:] = rng.poisson(lam, n)
            logit += (coef / np.sqrt(lam)) * (column - lam)
        elif kind == "beta":
            a, b = 2.0, 5.0
            column[:] = rng.beta(a, b, n)
            sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
            logit += (coef / sd) * (column - a / (a + b))
        else:
            rng.random(n, out=column)
            coef = 0.0
        variance += coef * coef
    logit += _intercept_for_rate(float(np.sqrt(variance)), 0.15)
    y = (rng.random(n) < _sigmoid(logit)).astype(np.int8)
    for j in range(p):
        X[rng.random(n) < MISSING_RATE, j] = np.nan
    return X, y


# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """How to load a dataset and read it: target, bad value, protected and non-candidate columns."""

    name: str
    loader: Callable[[], pd.DataFrame]
    target: str
    bad_value: object
    protected: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    special_values: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    description: str = ""

    def load(self) -> pd.DataFrame:
        return self.loader()


def _registry_entry(name: str, loader, target, bad_value, protected, *, other=(), **kw) -> Dataset:
    exclude = (target, *protected, *other)
    specials = MappingProxyType(dict(kw.pop("special_values", {})))
    return Dataset(name, loader, target, bad_value, tuple(protected), exclude, specials, **kw)


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        _registry_entry(
            "german_credit", load_german_credit, "credit_risk", 2,
            ("personal_status_and_sex", "age_in_years", "foreign_worker"),
            description="UCI Statlog German Credit (1,000 rows, 30% bad; CC BY 4.0).",
        ),
        _registry_entry(
            "credit_data", load_credit_data, "Status", "bad", ("Age", "Marital"),
            description="modeldata credit_data (4,454 rows, 28% bad, missing values; MIT).",
        ),
        _registry_entry(
            "synthetic", make_applications, "default", 1, ("protected",),
            other=("application_month",),
            special_values={"delinquency_history": (NO_BUREAU_RECORD,)},
            description="Synthetic applications over 24 months (100,000 rows, about 15% bad, "
            "drift, missing values, special code -999).",
        ),
    )
}
"""name -> Dataset. `exclude` = target, protected attributes and other non-characteristics."""
