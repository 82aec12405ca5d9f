"""Files larger than memory: the chunked fit (CSV, parquet file, parquet dataset) equals the
in-memory fit exactly; transform to a file, streaming CSV scoring and per-period drift reports
(chunked and on Dask) equal their in-memory twins."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard.binning import BinningProcess, fit_file, transform_file
from scorecard.chunked import ChunkedTable
from scorecard.exceptions import InputError
from scorecard.io import read_table

from binning_frames import PARAMS, sample_frame, tables_json


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The same rows as a CSV file, a parquet file and a parquet dataset of 3 files."""
    folder = tmp_path_factory.mktemp("files")
    frame = sample_frame()
    frame["id"] = np.arange(len(frame))
    frame.to_csv(folder / "book.csv", index=False)
    frame.to_parquet(folder / "book.parquet", index=False)
    (folder / "dataset").mkdir()
    for k, rows in enumerate(np.array_split(np.arange(len(frame)), 3)):
        frame.iloc[rows].to_parquet(folder / "dataset" / f"part-{k}.parquet", index=False)
    return frame, folder


def _memory_fit(frame):
    X, y = frame.drop(columns=["bad", "id"]), frame["bad"]
    with pytest.warns(UserWarning, match="infinite"):
        return BinningProcess(**PARAMS).fit(X, y), X


@pytest.mark.parametrize("source", ["book.csv", "book.parquet", "dataset"])
def test_chunked_fit_equals_in_memory_exactly(book, source):
    frame, folder = book
    memory, _ = _memory_fit(read_table(folder / source) if source.endswith("csv") else frame)
    columns = [c for c in frame.columns if c not in ("bad", "id")]
    with pytest.warns(UserWarning, match="infinite"):
        chunked = fit_file(BinningProcess(columns=columns, **PARAMS), folder / source, "bad",
                           batch_rows=1_000)
    assert tables_json(chunked) == tables_json(memory)
    pd.testing.assert_frame_equal(chunked.summary(), memory.summary(), check_exact=True)
    assert chunked.selected_ == memory.selected_ and len(memory.selected_) >= 2


@pytest.mark.e2e
def test_chunked_fit_on_dask_engine_equals_in_memory(book, dask_client):
    frame, folder = book
    memory, _ = _memory_fit(frame)
    columns = [c for c in frame.columns if c not in ("bad", "id")]
    with pytest.warns(UserWarning, match="infinite"):
        dask = fit_file(BinningProcess(columns=columns, **PARAMS), folder / "dataset", "bad",
                        engine="dask")
    assert tables_json(dask) == tables_json(memory)


@pytest.mark.e2e
def test_transform_to_file_equals_in_memory(book, tmp_path, dask_client):
    frame, folder = book
    memory, X = _memory_fit(frame)
    for metric in ("woe", "bin", "label"):
        out = tmp_path / f"{metric}.parquet"
        done = transform_file(memory, folder / "dataset", out, metric=metric, keep=["id", "bad"],
                              batch_rows=1_500)
        written = pd.read_parquet(out)
        assert done["n_rows"] == len(frame) and list(written.columns) == ["id", "bad", *memory.selected_]
        np.testing.assert_array_equal(written[memory.selected_].to_numpy(),
                                      memory.transform(X, metric=metric))
        np.testing.assert_array_equal(written["id"], frame["id"])
    transform_file(memory, folder / "book.csv", tmp_path / "csv.parquet", keep=["id"],
                   batch_rows=2_500)
    written = pd.read_parquet(tmp_path / "csv.parquet")
    np.testing.assert_array_equal(written[memory.selected_].to_numpy(), memory.transform(X))
    np.testing.assert_array_equal(written["id"], frame["id"])
    with pytest.raises(InputError, match="keep lists 'c'"):
        transform_file(memory, folder / "book.csv", tmp_path / "x.parquet", keep=["c"])
    folder_out = tmp_path / "woe_dask"
    transform_file(memory, folder / "book.parquet", folder_out, keep=["id"], engine="dask")
    written = pd.read_parquet(folder_out).sort_values("id")
    np.testing.assert_array_equal(written[memory.selected_].to_numpy(), memory.transform(X))


def test_csv_batches_are_typed_as_the_whole_file(tmp_path):
    path = tmp_path / "mixed.csv"
    lines = ["num,code,flag,late_text,int_then_na"]
    lines += [f"{i}.5,07,TRUE,{i},{i}" for i in range(5)]
    lines += ["NA,x7,FALSE,abc,", "2,,TRUE,9,3"]
    path.write_text("\n".join(lines) + "\n")
    whole = read_table(path)
    table = ChunkedTable(path, batch_rows=2)
    assert dict(table.meta.dtypes.astype(str)) == {"num": "float64", "code": "object",
                                                   "flag": "object", "late_text": "object",
                                                   "int_then_na": "float64"}
    batched = pd.concat(list(table.batches()), ignore_index=True)
    pd.testing.assert_frame_equal(batched, whole, check_dtype=False)
    assert batched.loc[0, "code"] == "07" and batched.loc[6, "code"] is None


def test_bad_file_inputs_name_the_problem(book, tmp_path):
    frame, folder = book
    with pytest.raises(InputError, match="target column 'nope' not found"):
        fit_file(BinningProcess(), folder / "book.parquet", "nope")
    with pytest.raises(InputError, match="engine must be one of chunked, dask"):
        fit_file(BinningProcess(), folder / "book.parquet", "bad", engine="spark")
    with pytest.raises(InputError, match="engine='dask' reads parquet"):
        fit_file(BinningProcess(), folder / "book.csv", "bad", engine="dask")
    with pytest.raises(InputError, match="stumps"):
        fit_file(BinningProcess(prebinning="stumps"), folder / "book.parquet", "bad")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="holds no .parquet files"):
        fit_file(BinningProcess(), tmp_path / "empty", "bad")
    other = tmp_path / "two"
    other.mkdir()
    frame.head(10).to_parquet(other / "a.parquet")
    frame.head(10).drop(columns="d").to_parquet(other / "b.parquet")
    with pytest.raises(InputError, match="same columns"):
        fit_file(BinningProcess(), other, "bad")
    with pytest.raises(InputError, match="batch_rows"):
        fit_file(BinningProcess(), folder / "book.parquet", "bad", batch_rows=0)


def test_file_fit_with_bad_value_and_weights(tmp_path):
    frame = sample_frame(4_000, seed=8).drop(columns="d")
    frame["w"] = np.random.default_rng(2).uniform(0.5, 2.0, len(frame))
    frame["bad"] = frame["bad"].map({1: "good", 2: "bad"})
    frame.to_parquet(tmp_path / "w.parquet", index=False)
    X = frame.drop(columns=["bad", "w"])
    params = dict(max_n_prebins=30, special_values={"b": [-999.0]}, categorical=["i"])
    memory = BinningProcess(**params).fit(X, (frame["bad"] == "good").astype(int),
                                          sample_weight=frame["w"])
    chunked = fit_file(BinningProcess(**params), tmp_path / "w.parquet", "bad", weight="w",
                       bad_value="good", batch_rows=700)
    for c in memory.columns_:
        pd.testing.assert_frame_equal(chunked.binning_tables_[c].to_frame(),
                                      memory.binning_tables_[c].to_frame(), rtol=1e-12)


@pytest.fixture(scope="module")
def card(tmp_path_factory):
    """A small scorecard spec, its development rows and later rows by month."""
    from scorecard.datasets import make_applications
    from scorecard.model.scorecard import Scorecard

    book = make_applications(6_000, seed=4, n_months=4)
    book["region"] = np.where(book["account_balance"] > book["account_balance"].median(),
                              "north", "07")
    first = book[book["application_month"] == "2023-01"]
    X = first.drop(columns=["default", "application_month", "protected"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = Scorecard(BinningProcess(special_values={"delinquency_history": [-999.0]})).fit(
            X, first["default"]).to_spec()
    return spec, first, book[book["application_month"] > "2023-01"]


def test_csv_scoring_streams_byte_for_byte_as_in_memory(card, tmp_path):
    from scorecard.io import read_for_scoring, write_table
    from scorecard.model.spec import score_frame
    from scorecard.streaming import score_file

    spec, _, later = card
    rows = later.head(2_000).copy()
    rows["note"] = np.where(np.arange(len(rows)) % 3 == 0, 'a, "quoted" note', "07")
    rows.loc[rows.index[::5], "region"] = "NA"  # missing to the scorer, written back as NA
    path = tmp_path / "in.csv"
    rows.to_csv(path, index=False)
    done = score_file(spec, path, tmp_path / "streamed.csv", reason_codes=2, batch_rows=300)
    names = [ch["name"] for ch in spec["characteristics"]]
    raw, view = read_for_scoring(path, names)
    scored = score_frame(spec, view, reason_codes=2)
    write_table(raw.join(scored), tmp_path / "memory.csv")
    assert (tmp_path / "streamed.csv").read_bytes() == (tmp_path / "memory.csv").read_bytes()
    assert done["n_rows"] == len(rows) and done["median"] == scored["score"].median()


@pytest.mark.e2e
def test_drift_reports_on_dask_equal_the_chunked_reports(card, tmp_path, dask_client):
    from scorecard.monitoring import drift_reports

    spec, first, later = card
    dataset = tmp_path / "current"
    dataset.mkdir()
    for k, rows in enumerate(np.array_split(np.arange(len(later)), 4)):  # periods cut across files
        later.iloc[rows].to_parquet(dataset / f"part-{k}.parquet", index=False)
    options = dict(period_column="application_month")
    chunked = drift_reports(spec, first, later, chunksize=700, **options)
    dask = drift_reports(spec, first, dataset, engine="dask", **options)
    assert list(dask) == list(chunked) == ["2023-02", "2023-03", "2023-04"]
    for period in chunked:
        assert dask[period].to_dict() == chunked[period].to_dict()
    wanted = drift_reports(spec, first, dataset, engine="dask", periods=["2023-03", "2099-01"],
                           **options)
    assert wanted["2023-03"].to_dict() == chunked["2023-03"].to_dict()
    assert wanted["2099-01"].to_dict()["status"] == "empty"
    with pytest.raises(InputError, match="engine must be"):
        drift_reports(spec, first, dataset, engine="spark", **options)


def test_bin_command_chunked_writes_the_in_memory_binning(book, tmp_path):
    from typer.testing import CliRunner

    from scorecard.cli import app

    frame, folder = book
    runner = CliRunner()
    # d holds +inf (every 7th row): its +inf pre-bin edge is written as the largest float
    common = ["--target", "bad", "--exclude", "id", "--special", "b=-999"]
    memory = runner.invoke(app, ["bin", str(folder / "book.parquet"), *common,
                                 "--out", str(tmp_path / "memory.json")])
    chunked = runner.invoke(app, ["bin", str(folder / "dataset"), *common, "--engine", "chunked",
                                  "--out", str(tmp_path / "chunked.json")])
    assert memory.exit_code == 0 and chunked.exit_code == 0, memory.stderr + chunked.stderr
    assert json.loads((tmp_path / "chunked.json").read_text()) == json.loads(
        (tmp_path / "memory.json").read_text())
    loaded = BinningProcess.from_json((tmp_path / "memory.json").read_text())
    assert "d" in loaded.columns_
    X = frame.drop(columns=["bad", "id"])
    with pytest.warns(UserWarning, match="infinite"):
        refit = BinningProcess(columns=list(X.columns), special_values={"b": [-999.0]}).fit(
            X, frame["bad"])
    np.testing.assert_array_equal(loaded.transform(X), refit.transform(X))
    wrong = runner.invoke(app, ["bin", str(folder / "dataset"), "--target", "nope", "--engine",
                                "chunked", "--report"])
    assert wrong.exit_code == 2 and "target column 'nope' not found" in wrong.stderr


def test_parquet_dataset_scores_as_one_frame(card, tmp_path):
    from scorecard.model.spec import score_frame
    from scorecard.streaming import score_file

    spec, _, later = card
    dataset = tmp_path / "book"
    dataset.mkdir()
    for k, rows in enumerate(np.array_split(np.arange(len(later)), 3)):
        later.iloc[rows].to_parquet(dataset / f"part-{k}.parquet", index=False)
    done = score_file(spec, dataset, tmp_path / "scored.parquet", batch_rows=999)
    written = pd.read_parquet(tmp_path / "scored.parquet")
    expected = score_frame(spec, later.reset_index(drop=True))["score"]
    assert done["n_rows"] == len(later)
    np.testing.assert_array_equal(written["score"], expected)
    with pytest.raises(InputError, match="parquet to parquet or CSV to CSV"):
        score_file(spec, dataset, tmp_path / "scored.csv")
