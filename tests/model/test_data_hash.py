"""The training data's sha256 follows its documented recipe (DATA_HASH_METHOD), from buffers."""

from __future__ import annotations

import hashlib
import struct

import numpy as np
import pandas as pd

from scorecard.model.data_hash import DATA_HASH_METHOD
from scorecard.model.scorecard import training_data_sha256


def _by_hand(frame: pd.DataFrame, y, target: str) -> str:
    """The recipe written out value by value with the standard library only."""
    digest = hashlib.sha256()
    columns = [(c, frame[c].tolist()) for c in frame.columns] + [(target, list(y))]
    for name, values in columns:
        digest.update(name.encode() + b"\0")
        numeric = all(isinstance(v, (int, float, bool, np.number)) for v in values)
        if numeric:
            digest.update(b"N")
            for v in values:
                digest.update(struct.pack("<d", float(v)) if v == v else
                              bytes.fromhex("000000000000f87f"))
            continue
        texts, codes = [], []
        for v in values:
            if v is None or (isinstance(v, float) and v != v):
                codes.append(-1)
                continue
            text = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
            if text not in texts:
                texts.append(text)
            codes.append(texts.index(text))
        digest.update(b"T" + struct.pack("<q", len(texts)))
        digest.update(b"".join(t.encode() + b"\0" for t in texts))
        digest.update(b"".join(struct.pack("<q", c) for c in codes))
    return digest.hexdigest()


def _frame():
    return pd.DataFrame({
        "amount": [1.5, np.nan, 3.0, -2.0],
        "count": [1, 2, 3, 4],
        "flag": [True, False, True, True],
        "purpose": pd.Series(["car", None, "tv", "car"], dtype=object),
        "größe": pd.Series(["é", "b", "é", None], dtype=object),
    })


def test_digest_follows_the_documented_recipe():
    frame, y = _frame(), np.array([0, 1, 0, 1])
    assert "columns-v1" in DATA_HASH_METHOD
    assert training_data_sha256(frame, y, "bad") == _by_hand(frame, y, "bad")


def test_digest_does_not_depend_on_how_text_is_stored():
    frame, y = _frame(), np.array([0, 1, 0, 1])
    digest = training_data_sha256(frame, y, "bad")
    as_category = frame.assign(purpose=frame["purpose"].astype("category"))
    as_string = frame.assign(purpose=frame["purpose"].astype("string"))
    assert training_data_sha256(as_category, y, "bad") == digest
    assert training_data_sha256(as_string, y, "bad") == digest
    assert training_data_sha256(frame.assign(purpose=["car", None, "tv", "tv"]), y, "bad") != digest
    assert training_data_sha256(frame, y, "target") != digest
