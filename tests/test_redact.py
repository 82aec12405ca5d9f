"""No database password is ever shown: store errors, the CLI and every dashboard page."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from scorecard.exceptions import StorageError
from scorecard.redact import hide_password, scrub
from scorecard.storage import ResultStore

SECRET = "S3cr3t-PW_x"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens


@pytest.mark.parametrize("url, shown", [
    (f"postgresql+psycopg://user:{SECRET}@db.example:5432/risk",
     "postgresql+psycopg://user:***@db.example:5432/risk"),
    ("postgresql://user:p%40ss%2Fw@h/db", "postgresql://user:***@h/db"),
    ("sqlite:////var/lib/scorecard.db", "sqlite:////var/lib/scorecard.db"),
    ("not a url at all", "not a url at all"),
    ("weird+scheme://u:pw@[bad", "weird+scheme://u:***@[bad"),
])
def test_hide_password(url, shown):
    assert hide_password(url) == shown


def test_scrub_removes_the_password_in_every_spelling():
    url = "postgresql://user:p%40ss w@h/db"
    text = f"failed for {url}; password 'p@ss w' rejected; p%40ss%20w"
    cleaned = scrub(text, url)
    assert "p@ss" not in cleaned and "p%40ss" not in cleaned and "***" in cleaned


def test_unreachable_store_error_hides_the_password():
    url = f"postgresql+psycopg://user:{SECRET}@127.0.0.1:{_closed_port()}/risk"
    with pytest.raises(StorageError) as info:
        ResultStore(url)
    message = str(info.value)
    assert SECRET not in message and "user:***@127.0.0.1" in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_unparsable_store_url_hides_the_password():
    url = f"postgresql+nodriver://user:{SECRET}@h/db"
    with pytest.raises(StorageError) as info:
        ResultStore(url)
    assert SECRET not in str(info.value)


@pytest.mark.app
def test_dashboard_pages_never_show_the_password(monkeypatch):
    from streamlit.testing.v1 import AppTest

    main = str(Path(__file__).resolve().parents[1] / "app" / "main.py")
    monkeypatch.setenv(
        "SCORECARD_DB", f"postgresql+psycopg://user:{SECRET}@127.0.0.1:{_closed_port()}/risk")
    at = AppTest.from_file(main, default_timeout=120).run()
    pages = [at]
    at.switch_page("views/history.py").run()
    pages.append(at)
    shown = []
    for page in pages:
        assert not page.exception, page.exception
        for kind in ("warning", "error", "caption", "markdown", "info", "text"):
            shown += [str(element.value) for element in getattr(page, kind)]
    assert any("***" in text for text in shown), shown
    assert not any(SECRET in text for text in shown)
