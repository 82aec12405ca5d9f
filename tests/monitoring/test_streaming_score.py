"""Scoring parquet to parquet in batches equals scoring the whole frame in memory."""

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.exceptions import InputError
from scorecard.model.spec import score_frame
from scorecard.streaming import score_parquet


def test_batches_score_exactly_as_in_memory(spec, later, tmp_path):
    source, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    frame = later.assign(score=-1)  # an input column named like an output is refused
    frame.to_parquet(source, index=False, row_group_size=700)
    with pytest.raises(InputError, match="'score'"):
        score_parquet(spec, source, out, reason_codes=2)
    assert not out.exists()
    done = score_parquet(spec, source, out, reason_codes=2, score_column="points",
                         batch_rows=1_000)
    expected = frame.join(
        score_frame(spec, later, reason_codes=2).rename(columns={"score": "points"})
    )
    written = pd.read_parquet(out)
    assert done["n_rows"] == len(later) == len(written)
    assert list(written.columns) == list(expected.columns)
    np.testing.assert_array_equal(written["points"], expected["points"])
    for k in (1, 2):
        def text(column: pd.Series) -> list:
            return [None if pd.isna(v) else v for v in column]

        assert text(written[f"reason_{k}"]) == text(expected[f"reason_{k}"])
    pd.testing.assert_frame_equal(
        written.drop(columns=["points", "reason_1", "reason_2"]), pd.read_parquet(source),
    )
    s = expected["points"]
    assert (done["min"], done["median"], done["max"]) == (s.min(), s.median(), s.max())
    assert pq.ParquetFile(out).metadata.num_row_groups >= len(later) // 1_000


def test_cli_streams_parquet(spec, later, tmp_path):
    model, source, out = tmp_path / "m.json", tmp_path / "in.parquet", tmp_path / "o.parquet"
    model.write_text(json.dumps(spec))
    later.to_parquet(source, index=False)
    result = CliRunner().invoke(app, ["score", str(model), str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"scored {len(later)} rows" in result.output
    np.testing.assert_array_equal(
        pd.read_parquet(out)["score"], score_frame(spec, later)["score"]
    )


def test_unreadable_source_is_named_and_nothing_is_left(spec, tmp_path):
    bad, out = tmp_path / "bad.parquet", tmp_path / "o.parquet"
    bad.write_text("not parquet")
    with pytest.raises(InputError, match="bad.parquet"):
        score_parquet(spec, bad, out)
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]
