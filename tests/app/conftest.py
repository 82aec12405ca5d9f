"""Shared by the AppTests: one small demo store (a monitored card, 24 periods) per session."""

import pytest

from scorecard.scheduling.demo import build_demo
from scorecard.storage import MonitorStore


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory):
    """The URL of a demo store; tests that write copy it first."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'store.db'}"
    build_demo(MonitorStore(url), folder / "files", rows=12_000)
    return url
