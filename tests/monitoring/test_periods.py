"""drift_reports: periods from a column, a date column or a folder's files; sources read in
chunks (CSV, parquet, folder, SQL) give the same reports as the whole frame in memory."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

from scorecard.exceptions import InputError
from scorecard.monitoring import SqlSource, drift_report, drift_reports


@pytest.fixture(scope="module")
def current(book) -> pd.DataFrame:
    return book[book["application_month"] >= "2023-09"].reset_index(drop=True)


@pytest.fixture(scope="module")
def by_month(spec, development, current):
    return drift_reports(spec, development, current, period_column="application_month")


def test_one_report_per_period_equal_to_drift_report(spec, development, current, by_month):
    assert list(by_month) == ["2023-09", "2023-10", "2023-11", "2023-12"]
    edges = drift_report(spec, development, current.iloc[:10]).score_edges
    for month, rep in by_month.items():
        rows = current[current["application_month"] == month]
        alone = drift_report(spec, development, rows, period=month, score_edges=edges)
        assert rep == alone
        assert rep.period == month and rep.n_current == len(rows)


def test_chunked_reading_gives_the_same_reports(spec, development, current, by_month):
    small = drift_reports(spec, development, current, period_column="application_month",
                          chunksize=997)
    assert small == by_month


def test_files_folders_and_sql(tmp_path, spec, development, current, by_month):
    development.to_parquet(tmp_path / "reference.parquet")
    current.to_csv(tmp_path / "current.csv", index=False)
    from_files = drift_reports(spec, tmp_path / "reference.parquet", tmp_path / "current.csv",
                               period_column="application_month", chunksize=1500)
    assert from_files == by_month

    folder = tmp_path / "months"
    folder.mkdir()
    for month, rows in current.groupby("application_month"):
        if month == "2023-10":
            rows.to_csv(folder / f"{month}.csv", index=False)
        else:
            rows.drop(columns=["application_month"]).to_parquet(folder / f"{month}.parquet")
    from_folder = drift_reports(spec, development, folder, chunksize=2000)
    assert from_folder == by_month

    db = tmp_path / "book.db"
    with sqlite3.connect(db) as connection:
        current.to_sql("applications", connection, index=False)
        development.to_sql("development", connection, index=False)
    url = f"sqlite:///{db}"
    from_sql = drift_reports(
        spec, f"sql:{url}::SELECT * FROM development",
        SqlSource(url, "SELECT * FROM applications"),
        period_column="application_month", chunksize=1234,
    )
    assert from_sql == by_month


def test_date_column_and_frequency(spec, development, current):
    dated = current.assign(applied=pd.to_datetime(current["application_month"] + "-15"))
    monthly = drift_reports(spec, development, dated, date_column="applied", freq="month")
    assert list(monthly) == ["2023-09", "2023-10", "2023-11", "2023-12"]
    quarterly = drift_reports(spec, development, dated.assign(applied=dated["applied"].astype(str)),
                              date_column="applied", freq="quarter")
    assert list(quarterly) == ["2023Q3", "2023Q4"]
    q4 = current["application_month"] >= "2023-10"
    assert quarterly["2023Q4"].n_current == int(q4.sum())


def test_listed_periods_and_empty_periods(spec, development, current, by_month):
    reps = drift_reports(spec, development, current, period_column="application_month",
                         periods=["2023-10", "2024-01"])
    assert list(reps) == ["2023-10", "2024-01"]
    assert reps["2023-10"] == by_month["2023-10"]
    empty = reps["2024-01"]
    assert empty.status == "empty" and empty.n_current == 0 and empty.to_frame().empty
    assert empty.score_edges == by_month["2023-10"].score_edges


def test_without_a_period_rule_one_report(spec, development, current):
    reps = drift_reports(spec, development, current)
    assert list(reps) == ["all"]
    assert reps["all"] == drift_report(spec, development, current, period="all")


def test_bad_periods_and_sources(tmp_path, spec, development, current):
    with pytest.raises(InputError, match="period column 'month' not found"):
        drift_reports(spec, development, current, period_column="month")
    holes = current.assign(application_month=current["application_month"].where(
        np.arange(len(current)) % 100 != 0))
    with pytest.raises(InputError, match="'application_month' has .* without a value"):
        drift_reports(spec, development, holes, period_column="application_month")
    garbled = current.assign(applied=np.where(np.arange(len(current)) == 5, "not a date", "2023-10-01"))
    with pytest.raises(InputError, match="date column 'applied' holds 'not a date'"):
        drift_reports(spec, development, garbled, date_column="applied")
    with pytest.raises(InputError, match="freq must be one of"):
        drift_reports(spec, development, garbled, date_column="applied", freq="fortnight")
    with pytest.raises(InputError, match="not both"):
        drift_reports(spec, development, current, period_column="a", date_column="b")
    with pytest.raises(InputError, match="does not exist"):
        drift_reports(spec, development, tmp_path / "nowhere.csv")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no .csv or .parquet files"):
        drift_reports(spec, development, tmp_path / "empty")
    (tmp_path / "broken.parquet").write_bytes(b"this is not parquet")
    with pytest.raises(InputError, match="cannot read .*broken.parquet"):
        drift_reports(spec, development, tmp_path / "broken.parquet")
    with pytest.raises(InputError, match="SQL source .*no_such_table"):
        drift_reports(spec, development, f"sql:sqlite:///{tmp_path / 'x.db'}::SELECT * FROM no_such_table")
    with pytest.raises(InputError, match="sql:<SQLAlchemy URL>::<query>"):
        drift_reports(spec, development, "sql:sqlite:///x.db")
    with pytest.raises(InputError, match=r"current \(period 2023-09\) sample lacks .*'utilisation'"):
        drift_reports(spec, development, current.drop(columns=["utilisation"]),
                      period_column="application_month")


def test_unreachable_database_is_a_clear_error(spec, development):
    source = SqlSource("postgresql+psycopg://user:secret@127.0.0.1:1/none", "SELECT 1")
    with pytest.raises(InputError, match="cannot read SQL source") as info:
        drift_reports(spec, development, source)
    assert "secret" not in str(info.value)


def test_sources_are_read_in_bounded_chunks(tmp_path, current):
    from scorecard.monitoring.sources import iter_chunks

    current.to_csv(tmp_path / "c.csv", index=False)
    current.to_parquet(tmp_path / "c.parquet", row_group_size=2000)
    with sqlite3.connect(tmp_path / "c.db") as connection:
        current.to_sql("t", connection, index=False)
    sources = [current, tmp_path / "c.csv", tmp_path / "c.parquet",
               f"sql:sqlite:///{tmp_path / 'c.db'}::SELECT * FROM t"]
    for source in sources:
        sizes = [len(chunk) for _, chunk in iter_chunks(source, columns=["utilisation"],
                                                        chunksize=700)]
        assert sum(sizes) == len(current) and max(sizes) <= 700 and len(sizes) >= len(current) // 700
    _, first = next(iter_chunks(tmp_path / "c.parquet", columns=["utilisation", "region"],
                                chunksize=700))
    assert list(first.columns) == ["utilisation", "region"]  # only the needed columns are read
