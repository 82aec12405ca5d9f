"""Bundled datasets, the registry, and the synthetic generators."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scorecard import datasets
from scorecard.datasets import (
    DATASETS,
    NO_BUREAU_RECORD,
    data_dir,
    load_credit_data,
    load_german_credit,
    make_applications,
    make_wide,
)
from scorecard.exceptions import InputError

CHARACTERISTICS = [
    "mortgage_amount", "account_balance", "amount_past_due", "utilisation",
    "delinquency_history", "recent_inquiries", "open_trades",
]


@pytest.fixture(scope="module")
def book() -> pd.DataFrame:
    return make_applications(48_000, seed=11)


def psi(reference: np.ndarray, current: np.ndarray, n_bins: int = 10) -> float:
    """Jeffreys divergence over quantile bins of the reference (NaN dropped, tiny smoothing)."""
    reference = reference[~np.isnan(reference)]
    current = current[~np.isnan(current)]
    edges = np.unique(np.quantile(reference, np.linspace(0, 1, n_bins + 1)[1:-1]))
    p = np.bincount(np.searchsorted(edges, reference), minlength=edges.size + 1) / reference.size
    q = np.bincount(np.searchsorted(edges, current), minlength=edges.size + 1) / current.size
    used = (p > 0) | (q > 0)
    p, q = p[used] + 1e-4, q[used] + 1e-4
    return float(np.sum((p - q) * np.log(p / q)))


# --- real data -------------------------------------------------------------------------------


def test_german_credit_shape_and_target():
    frame = load_german_credit()
    assert frame.shape == (1000, 21)
    assert frame["credit_risk"].value_counts().to_dict() == {1: 700, 2: 300}
    assert {"personal_status_and_sex", "age_in_years", "foreign_worker"} <= set(frame.columns)


def test_credit_data_shape_target_and_missing():
    frame = load_credit_data()
    assert frame.shape == (4454, 14)
    assert frame["Status"].value_counts().to_dict() == {"good": 3200, "bad": 1254}
    assert frame["Income"].isna().sum() == 381


def test_registry_describes_each_dataset_consistently():
    assert set(DATASETS) == {"german_credit", "credit_data", "synthetic"}
    assert (DATASETS["german_credit"].target, DATASETS["german_credit"].bad_value) == ("credit_risk", 2)
    assert (DATASETS["credit_data"].target, DATASETS["credit_data"].bad_value) == ("Status", "bad")
    assert DATASETS["synthetic"].protected == ("protected",)
    for name in ("german_credit", "credit_data"):
        info = DATASETS[name]
        frame = info.load()
        assert info.bad_value in set(frame[info.target])
        assert set(info.protected) <= set(frame.columns)
        assert set(info.exclude) == {info.target, *info.protected}
    synthetic = DATASETS["synthetic"]
    frame = synthetic.load()
    assert len(frame) == 100_000 and set(synthetic.exclude) <= set(frame.columns)
    assert dict(synthetic.special_values) == {"delinquency_history": (NO_BUREAU_RECORD,)}
    assert (frame["delinquency_history"] == NO_BUREAU_RECORD).any()


def test_data_dir_override_and_missing_files(tmp_path, monkeypatch):
    assert (data_dir() / "german_credit.csv").is_file()
    monkeypatch.setenv("SCORECARD_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path
    with pytest.raises(InputError, match="german_credit.csv.*SCORECARD_DATA_DIR"):
        load_german_credit()
    monkeypatch.setenv("SCORECARD_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="does not exist"):
        data_dir()


# --- make_applications -------------------------------------------------------------------------


def test_columns_and_dtypes(book):
    assert list(book.columns) == ["application_month", *CHARACTERISTICS, "protected", "default"]
    assert all(book[c].dtype == np.float64 for c in CHARACTERISTICS)
    assert book["protected"].dtype == np.int8 and book["default"].dtype == np.int8
    assert set(book["default"].unique()) == {0, 1}
    assert len(book) == 48_000


def test_same_seed_same_frame_other_seed_differs():
    first = make_applications(5_000, seed=3)
    pd.testing.assert_frame_equal(first, make_applications(5_000, seed=3))
    other = make_applications(5_000, seed=4)
    assert not first["account_balance"].equals(other["account_balance"])
    assert not first["default"].equals(other["default"])


@pytest.mark.parametrize("n_rows", [999, 10_000_001, 0, -5])
def test_row_count_out_of_range(n_rows):
    with pytest.raises(InputError, match="n_rows must be between"):
        make_applications(n_rows)


@pytest.mark.parametrize("n_rows", [5000.0, "5000", True, None])
def test_row_count_must_be_integer(n_rows):
    with pytest.raises(InputError, match="n_rows must be an integer"):
        make_applications(n_rows)


def test_smallest_size_and_numpy_integer_accepted():
    assert len(make_applications(np.int64(1_000), seed=1)) == 1_000


@pytest.mark.parametrize(
    "kwargs, match",
    [({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"), ({"n_months": 0}, "n_months"),
     ({"start": "2023-13"}, "YYYY-MM"), ({"start": "Jan 2023"}, "YYYY-MM")],
)
def test_other_arguments_validated(kwargs, match):
    with pytest.raises(InputError, match=match):
        make_applications(2_000, **kwargs)


def test_default_rate_near_fifteen_percent(book):
    assert 0.13 <= book["default"].mean() <= 0.17


def test_protected_share_and_proxies(book):
    assert book["protected"].mean() == pytest.approx(0.30, abs=0.015)
    corr = book[["protected", "mortgage_amount", "account_balance"]].corr(method="spearman")
    assert corr.loc["protected", "mortgage_amount"] < -0.1
    assert corr.loc["protected", "account_balance"] < -0.1
    for name in ("amount_past_due", "utilisation", "recent_inquiries", "open_trades"):
        assert abs(book["protected"].corr(book[name])) < 0.03
    rates = book.groupby("protected")["default"].mean()
    assert rates[1] > rates[0] + 0.01  # disparate impact through the proxies


def test_characteristics_predict_default_in_the_right_direction(book):
    bad = book["default"] == 1
    assert book.loc[bad, "utilisation"].mean() > book.loc[~bad, "utilisation"].mean() + 0.05
    assert book.loc[bad, "account_balance"].median() < book.loc[~bad, "account_balance"].median()


def test_missing_values_share(book):
    share = book[CHARACTERISTICS].isna().mean()
    for name in ("account_balance", "utilisation", "open_trades"):
        assert share[name] == pytest.approx(0.03, abs=0.005)
    assert share.drop(["account_balance", "utilisation", "open_trades"]).eq(0).all()
    assert book[["application_month", "protected", "default"]].notna().all().all()


def test_special_code_no_bureau_record(book):
    special = book["delinquency_history"] == NO_BUREAU_RECORD
    assert 0.015 <= special.mean() <= 0.035
    others = book.loc[~special, "delinquency_history"]
    assert others.min() >= 0 and (others == np.round(others)).all()


def test_value_ranges(book):
    assert (book["mortgage_amount"] > 0).all()
    assert (book["account_balance"].dropna() > 0).all()
    assert (book["amount_past_due"] >= 0).all() and (book["amount_past_due"] == 0).mean() > 0.8
    util = book["utilisation"].dropna()
    assert util.min() >= 0 and util.max() <= 1.1 and (util > 1).any()
    for name in ("recent_inquiries", "open_trades"):
        values = book[name].dropna()
        assert values.min() >= 0 and (values == np.round(values)).all()


def test_months_span_and_order(book):
    months = book["application_month"]
    assert months.nunique() == 24
    assert months.iloc[0] == "2023-01" and months.iloc[-1] == "2024-12"
    assert months.is_monotonic_increasing
    assert months.value_counts().min() > 48_000 / 24 * 0.8
    custom = make_applications(2_000, n_months=3, start="2022-11")
    assert sorted(custom["application_month"].unique()) == ["2022-11", "2022-12", "2023-01"]


def test_drift_first_vs_last_month(book):
    first = book[book["application_month"] == "2023-01"]
    last = book[book["application_month"] == "2024-12"]
    values = {c: psi(first[c].to_numpy(), last[c].to_numpy()) for c in CHARACTERISTICS}
    for name in ("account_balance", "utilisation", "recent_inquiries"):
        assert values[name] > 0.1, (name, values[name])
    for name in ("mortgage_amount", "amount_past_due", "delinquency_history", "open_trades"):
        assert values[name] < 0.05, (name, values[name])
    assert last["utilisation"].mean() > first["utilisation"].mean()
    assert last["recent_inquiries"].mean() > first["recent_inquiries"].mean()
    assert last["account_balance"].median() < first["account_balance"].median()


def test_psi_helper_is_zero_for_equal_and_large_for_shifted():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(20_000)
    assert psi(x, x) == pytest.approx(0.0, abs=1e-12)
    assert psi(x, x + 1.0) > 0.5


def test_round_trips_through_parquet_and_csv(tmp_path):
    frame = make_applications(2_000, seed=5)
    frame.to_parquet(tmp_path / "a.parquet", index=False)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a.parquet"), frame)
    frame.to_csv(tmp_path / "a.csv", index=False)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "a.csv"), frame, check_dtype=False)


# --- the generate.py script -------------------------------------------------------------------

SCRIPT = Path(datasets.__file__).resolve().parent.parent / "data" / "generate.py"


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          timeout=120)


def test_generate_script_writes_the_package_frame(tmp_path):
    out = tmp_path / "sub" / "book.parquet"
    result = run_script("--rows", "3000", "--seed", "9", "--out", str(out))
    assert result.returncode == 0, result.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(out), make_applications(3000, seed=9))
    stamp = out.stat().st_mtime_ns
    again = run_script("--rows", "4000", "--seed", "9", "--out", str(out), "--if-missing")
    assert again.returncode == 0 and out.stat().st_mtime_ns == stamp


def test_generate_script_rejects_bad_input(tmp_path):
    result = run_script("--rows", "10", "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 2 and "n_rows" in result.stderr and "Traceback" not in result.stderr
    result = run_script("--rows", "2000", "--out", str(tmp_path / "x.txt"))
    assert result.returncode == 2 and ".parquet or .csv" in result.stderr


# --- make_wide ---------------------------------------------------------------------------------


def test_make_wide_shape_layout_and_target():
    X, y = make_wide(40_000, 25, seed=2)
    assert X.shape == (40_000, 25) and X.dtype == np.float64 and X.flags.f_contiguous
    assert y.dtype == np.int8 and set(np.unique(y)) == {0, 1}
    assert 0.13 <= y.mean() <= 0.17
    nan_share = np.isnan(X).mean(axis=0)
    assert np.all(np.abs(nan_share - 0.03) < 0.006)
    kinds = [j % 5 for j in range(25)]
    lognormal = X[:, kinds.index(1)]
    assert np.nanmin(lognormal) > 0 and np.nanmean(lognormal) > 1.3 * np.nanmedian(lognormal)
    counts = X[:, kinds.index(2)]
    assert np.all(counts[~np.isnan(counts)] == np.round(counts[~np.isnan(counts)]))
    bad = y == 1
    first = X[:, 0]
    assert np.nanmean(first[bad]) > np.nanmean(first[~bad]) + 0.2  # positive coefficient


def test_make_wide_deterministic_and_validated():
    X1, y1 = make_wide(2_000, 6, seed=1)
    X2, y2 = make_wide(2_000, 6, seed=1)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(make_wide(2_000, 6, seed=2)[1], y1)
    with pytest.raises(InputError, match="n_features"):
        make_wide(2_000, 0)
    with pytest.raises(InputError, match="n_rows"):
        make_wide(10)


def test_iter_applications_blocks():
    one = list(datasets.iter_applications(3_000, seed=9, block_rows=5_000))
    assert len(one) == 1
    pd.testing.assert_frame_equal(one[0], make_applications(3_000, seed=9))
    blocks = list(datasets.iter_applications(5_500, seed=9, n_months=6, block_rows=2_000))
    assert [len(b) for b in blocks] == [2_000, 2_000, 1_500]
    whole = pd.concat(blocks, ignore_index=True)
    memory = make_applications(5_500, seed=9, n_months=6)
    # the same month of every row (sorted), the same columns and types; other draws per block
    pd.testing.assert_series_equal(whole["application_month"], memory["application_month"])
    assert list(whole.dtypes) == list(memory.dtypes)
    assert not whole["default"].equals(memory["default"])
    again = pd.concat(datasets.iter_applications(5_500, seed=9, n_months=6, block_rows=2_000),
                      ignore_index=True)
    pd.testing.assert_frame_equal(again, whole)
    assert 0.08 < whole["default"].mean() < 0.25
    with pytest.raises(InputError, match="block_rows"):
        next(datasets.iter_applications(5_000, block_rows=10))


def test_generate_script_writes_blocks_to_parquet_csv_and_a_folder(tmp_path):
    import pyarrow.parquet as pq

    common = ("--rows", "5500", "--seed", "3", "--months", "6", "--block-rows", "2000")
    for name in ("book.parquet", "book.csv", "book"):
        result = run_script(*common, "--out", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
    expected = pd.concat(datasets.iter_applications(5_500, seed=3, n_months=6, block_rows=2_000),
                         ignore_index=True)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "book.parquet"), expected)
    assert [pq.ParquetFile(tmp_path / "book.parquet").metadata.row_group(k).num_rows
            for k in range(3)] == [2_000, 2_000, 1_500]
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "book.csv"), expected, check_dtype=False)
    assert len(list((tmp_path / "book").glob("part-*.parquet"))) == 3
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "book"), expected)
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]

    wide = run_script("--kind", "wide", "--rows", "2500", "--block-rows", "1000",
                      "--out", str(tmp_path / "wide.parquet"))
    assert wide.returncode == 0, wide.stderr
    table = pd.read_parquet(tmp_path / "wide.parquet")
    assert table.shape == (2_500, 28) and set(table["c0"].dropna()) == set("ABCDE")
    assert list(table["month"][:13]) == [f"2024-{m:02d}" for m in range(1, 13)] + ["2024-01"]
