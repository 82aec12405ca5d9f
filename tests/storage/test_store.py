import math

import pytest

from scorecard.exceptions import InputError, StorageError
from scorecard.storage import ResultStore


@pytest.fixture
def store(tmp_path):
    return ResultStore(f"sqlite:///{tmp_path / 'sub' / 'store.db'}")


def test_save_get_roundtrip_and_idempotent(store):
    payload = {"iv": 0.5, "bins": [1, 2, 3], "nan": math.nan}
    first = store.save("iv", "german_credit", {"n_bins": 20}, payload)
    again = store.save("iv", "german_credit", {"n_bins": 20}, {"iv": 9.9})
    other = store.save("iv", "german_credit", {"n_bins": 10}, payload)
    assert again == first and other != first
    got = store.get(first)
    assert got.payload["iv"] == 0.5 and got.payload["bins"] == [1, 2, 3]
    assert math.isnan(got.payload["nan"])
    assert got.params == {"n_bins": 20}
    assert [r.id for r in store.list("iv")] == [other, first]


def test_unserialisable_payload_writes_nothing(store):
    store.save("iv", "a", {}, {"x": 1})
    with pytest.raises(InputError, match="JSON"):
        store.save("iv", "b", {}, {"x": object()})
    assert [r.subject for r in store.list()] == ["a"]


def test_missing_report_is_a_clear_error(store):
    with pytest.raises(InputError, match="no stored report with id 42"):
        store.get(42)


def test_unopenable_store_is_a_storage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StorageError, match="results store"):
        ResultStore(f"sqlite:///{blocker / 'x.db'}")


def test_wal_mode_on_sqlite(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
