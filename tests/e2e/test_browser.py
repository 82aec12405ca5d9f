"""The dashboard in a real headless Chromium: pages render, charts draw, nothing leaves the machine."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dashboard")
    port = free_port()
    env = {**os.environ, "SCORECARD_DB": f"sqlite:///{tmp / 'store.db'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "scorecard.cli", "dashboard", "--address", "127.0.0.1",
         "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            assert proc.poll() is None, proc.stdout.read().decode()[-2000:]
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture
def page(tmp_path):
    assert Path(CHROMIUM).exists(), "Chromium is missing: `make test` installs it (scripts/system-deps.sh)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        pg = context.new_page()
        pg.problems = []
        pg.remote = []
        pg.on("pageerror", lambda exc: pg.problems.append(str(exc)))
        pg.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource")
              and pg.problems.append(m.text))
        # Deep-linked, Streamlit's frontend first probes <page>/_stcore/* for a base path: a 404
        # there is its discovery, not a fault.
        pg.on("response", lambda r: r.status >= 400
              and not re.search(r"/[^/]+/_stcore/(host-config|health)$", r.url)
              and pg.problems.append(f"{r.status} {r.url}"))
        pg.on("request", lambda r: not re.match(r"(https?|wss?)://127\.0\.0\.1[:/]|data:|blob:", r.url)
              and pg.remote.append(r.url))
        yield pg
        pg.screenshot(path=str(tmp_path / "last.png"), full_page=True)
        browser.close()


def test_characteristics_page_draws_charts(dashboard, page):
    page.goto(f"{dashboard}/characteristics")
    page.get_by_text("Characteristics by information value").wait_for(timeout=120_000)
    page.get_by_text("Weight of Evidence per bin").wait_for(timeout=120_000)
    page.wait_for_function("document.querySelectorAll('.vega-embed canvas, .vega-embed svg').length >= 2",
                           timeout=60_000)
    assert page.locator('[data-testid="stDataFrame"]').count() >= 2
    assert page.remote == [], f"requests left the machine: {page.remote[:5]}"
    assert page.problems == [], page.problems


def test_scorecard_page_metrics_and_downloads(dashboard, page):
    page.goto(f"{dashboard}/scorecard")
    page.get_by_text("AUC (hold-out)").wait_for(timeout=180_000)
    metric = page.locator('[data-testid="stMetric"]').first.inner_text()
    auc = float(re.search(r"0\.\d{3}", metric).group())
    assert 0.7 < auc < 0.9
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"stDownloadButton\"]').length >= 6", timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.vega-embed canvas, .vega-embed svg').length >= 3",
                           timeout=60_000)
    assert page.remote == [], f"requests left the machine: {page.remote[:5]}"
    assert page.problems == [], page.problems
