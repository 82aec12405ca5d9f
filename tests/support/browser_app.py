"""The dashboard in a real headless Chromium: start it on 127.0.0.1, drive pages, wait until idle.

Shared by the end-to-end tests (tests/e2e) and the page-timing benchmark (benchmarks/bench_pages.py).
Chromium is Debian's (/usr/bin/chromium, flags from docs/ARCHITECTURE.md); nothing is downloaded.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
BUSY = ('[data-testid="stStatusWidget"], [data-testid="stSpinner"], '
        '[data-testid="stSkeleton"]')
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
LOCAL = re.compile(r"(https?|wss?)://(127\.0\.0\.1|localhost)[:/]|data:|blob:")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard(env: Mapping[str, str], timeout: float = 120) -> Iterator[str]:
    """`scorecard dashboard` on a free port of 127.0.0.1 with `env` added; yields its URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "scorecard.cli", "dashboard", "--address", "127.0.0.1",
         "--port", str(port)], cwd=ROOT, env={**os.environ, **env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stdout.read().decode()[-2000:]) from None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the dashboard did not start in {timeout:.0f} s") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(
            "Chromium is missing: `make test` installs it (scripts/system-deps.sh)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def watch(page) -> object:
    """Record page errors, console errors, failed responses and requests leaving the machine in
    ``page.problems`` and ``page.remote``."""
    page.problems, page.remote = [], []
    page.on("pageerror", lambda exc: page.problems.append(str(exc)))
    page.on("console", lambda m: m.type == "error"
            and not m.text.startswith("Failed to load resource") and page.problems.append(m.text))
    # Deep-linked, Streamlit's frontend first probes <page>/_stcore/* for a base path: a 404
    # there is its discovery, not a fault.
    page.on("response", lambda r: r.status >= 400
            and not re.search(r"/[^/]+/_stcore/(host-config|health)$", r.url)
            and page.problems.append(f"{r.status} {r.url}"))
    page.on("request", lambda r: not LOCAL.match(r.url) and page.remote.append(r.url))
    return page


def settle(page, timeout: float = 120, quiet: float = 0.5) -> float:
    """Wait until the script run is over: the app has drawn and nothing has been busy (running
    indicator, spinner, skeleton) for `quiet` seconds. Returns when (time.monotonic()) it
    became calm."""
    page.wait_for_selector('[data-testid="stMain"]', timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    calm_since = None
    while time.monotonic() < deadline:
        busy = page.locator(BUSY).count() > 0
        now = time.monotonic()
        if busy:
            calm_since = None
        elif calm_since is None:
            calm_since = now
        elif now - calm_since >= quiet:
            return calm_since
        time.sleep(0.1)
    raise TimeoutError(f"{page.url} still busy after {timeout:.0f} s")


def error_texts(page) -> list[str]:
    """The text of every exception and error box on the page."""
    return [e.inner_text()[:500] for e in page.locator(ERRORS).all()]


def nav_links(page, timeout: float = 120) -> dict[str, str]:
    """Sidebar navigation: page title -> URL (every section expanded)."""
    page.wait_for_selector('[data-testid="stSidebarNavLink"]', timeout=timeout * 1000)
    more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if more.count() and "more" in more.first.inner_text():
        more.first.click()
    links = page.locator('[data-testid="stSidebarNavLink"]')
    return {link.inner_text().strip(): link.get_attribute("href") for link in links.all()}
