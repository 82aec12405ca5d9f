"""BinningProcess and drift reports on a Spark DataFrame (local[2]) equal the in-memory results
exactly for the same pre-binning edges: fit, transform and per-period drift."""

import os
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard.binning import BinningProcess
from scorecard.exceptions import InputError

from binning_frames import PARAMS, sample_frame, tables_json

pytest.importorskip("pyspark", reason="install the spark extra (dev has it)")

pytestmark = [
    pytest.mark.spark,
    pytest.mark.e2e,  # starts a JVM and Python workers
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),  # pyspark on pandas 3
]


@pytest.fixture(scope="module")
def spark():
    """A local[2] session on 127.0.0.1, its Python workers running this interpreter."""
    from pyspark.sql import SparkSession

    before = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (SparkSession.builder.master("local[2]").appName("scorecard-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.files.openCostInBytes", str(128 << 20))  # a partition per file
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               # Tiny jobs: the JIT's optimising tier and a parallel GC only cost start-up CPU
               # (the JVM's CPU to a first job fell from 45 to 25 s).
               .config("spark.driver.extraJavaOptions",
                       "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if before is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = before


@pytest.fixture(scope="module")
def book(spark, tmp_path_factory):
    """sample_frame with an id, and the same rows as a Spark DataFrame of 3 parquet files."""
    folder = tmp_path_factory.mktemp("spark_book")
    frame = sample_frame(6_000, seed=5)
    frame["id"] = np.arange(len(frame))
    frame["w"] = np.random.default_rng(1).uniform(0.5, 2.0, len(frame))
    for k, rows in enumerate(np.array_split(np.arange(len(frame)), 3)):
        frame.iloc[rows].to_parquet(folder / f"part-{k}.parquet", index=False)
    return frame, spark.read.parquet(str(folder))


def test_fit_transform_equal_in_memory_exactly(book):
    frame, sdf = book
    assert sdf.rdd.getNumPartitions() == 3  # one per file
    X, y = frame.drop(columns=["bad", "id", "w"]), frame["bad"]
    with pytest.warns(UserWarning, match="infinite"):
        memory = BinningProcess(**PARAMS).fit(X, y)
    with pytest.warns(UserWarning, match="infinite"):
        spark = BinningProcess(columns=list(X.columns), **PARAMS).fit(sdf, "bad")
    assert tables_json(spark) == tables_json(memory)
    pd.testing.assert_frame_equal(spark.summary(), memory.summary(), check_exact=True)
    assert spark.selected_ == memory.selected_ and len(memory.selected_) >= 2
    ordered = sdf.orderBy("id")
    for metric in ("woe", "bin", "label"):
        lazy = spark.transform(ordered, metric=metric)
        assert lazy.columns == memory.selected_
        np.testing.assert_array_equal(lazy.toPandas().to_numpy(),
                                      memory.transform(X, metric=metric))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weighted = BinningProcess(columns=list(X.columns), **PARAMS).fit(sdf, "bad", "w")
        reference = BinningProcess(**PARAMS).fit(X, y, sample_weight=frame["w"])
    for c in reference.columns_:
        m, s = reference.binning_tables_[c], weighted.binning_tables_[c]
        assert m.labels == s.labels
        np.testing.assert_allclose(s.goods, m.goods, rtol=1e-12)
        np.testing.assert_allclose(s.bads, m.bads, rtol=1e-12)


def test_drift_reports_on_spark_equal_in_memory(spark):
    from scorecard.datasets import make_applications
    from scorecard.model.scorecard import Scorecard
    from scorecard.monitoring import drift_report, drift_reports

    rows = make_applications(5_000, seed=4, n_months=4)
    first = rows[rows["application_month"] == "2023-01"]
    later = rows[rows["application_month"] > "2023-01"]
    X = first.drop(columns=["default", "application_month", "protected"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = Scorecard(BinningProcess(special_values={"delinquency_history": [-999.0]})).fit(
            X, first["default"]).to_spec()
    current = spark.createDataFrame(later).repartition(3)
    one = drift_report(spec, spark.createDataFrame(first), current)
    assert one.to_dict() == drift_report(spec, first, later).to_dict()
    options = dict(period_column="application_month")
    by_period = drift_reports(spec, first, current, **options)
    expected = drift_reports(spec, first, later, **options)
    assert list(by_period) == list(expected) == ["2023-02", "2023-03", "2023-04"]
    for period in expected:
        assert by_period[period].to_dict() == expected[period].to_dict()
    with pytest.raises(InputError, match="lacks model characteristic"):
        drift_report(spec, first, current.drop("utilisation"))


def test_partitions_left_empty_by_a_filter_count_as_no_rows(book):
    frame, sdf = book
    # rows of the second file only: the other two partitions send nothing
    rows = frame[(frame["id"] >= 3_000) & (frame["id"] < 4_000)]
    assert set(rows["bad"]) == {1, 2}
    columns = ["a", "b", "c", "d", "i"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        memory = BinningProcess(columns=columns, **PARAMS).fit(rows[columns], rows["bad"])
        spark = BinningProcess(columns=columns, **PARAMS).fit(
            sdf.filter("id >= 3000 AND id < 4000"), "bad")
    assert tables_json(spark) == tables_json(memory)


def test_bad_spark_inputs_name_the_problem(book):
    _, sdf = book
    with pytest.raises(InputError, match="name of one of its columns"):
        BinningProcess().fit(sdf, pd.Series([0, 1]))
    with pytest.raises(InputError, match="'nope' not found"):
        BinningProcess().fit(sdf, "nope")
    with pytest.raises(InputError, match="'zz' not found"):
        BinningProcess(columns=["a", "zz"]).fit(sdf, "bad")
    with pytest.raises(InputError, match="stumps"):
        BinningProcess(columns=["a"], prebinning="stumps").fit(sdf, "bad")
