"""`scorecard dashboard` listens on 127.0.0.1 by default, sends no usage statistics and never
asks a web service for the machine's external IP (issue 8 items 4 and 14)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _streamlit_args(monkeypatch, *args: str, env: dict[str, str] | None = None) -> dict[str, str]:
    for name in ("STREAMLIT_SERVER_ADDRESS", "STREAMLIT_SERVER_PORT",
                 "STREAMLIT_BROWSER_SERVER_ADDRESS", "SCORECARD_MAX_UPLOAD_MB"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    calls = []
    monkeypatch.setattr(os, "execv", lambda exe, argv: calls.append(argv))
    result = runner.invoke(app, ["dashboard", *args])
    assert result.exit_code == 0, result.output
    (argv,) = calls
    flags = argv[argv.index("run") + 2:]
    return dict(zip(flags[::2], flags[1::2]))


def test_defaults_are_local_and_quiet(monkeypatch):
    flags = _streamlit_args(monkeypatch, "--port", str(_free_port()))
    assert flags["--server.address"] == "127.0.0.1"
    assert flags["--browser.gatherUsageStats"] == "false"
    assert flags["--server.headless"] == "true"
    assert flags["--browser.serverAddress"] == "127.0.0.1"
    assert flags["--server.enableXsrfProtection"] == "true"
    assert flags["--client.toolbarMode"] == "viewer"  # no Deploy button
    assert int(flags["--server.maxUploadSize"]) == 200


def test_all_interfaces_only_on_request_and_still_no_external_lookup(monkeypatch):
    flags = _streamlit_args(monkeypatch, "--address", "0.0.0.0", "--port", str(_free_port()))
    assert flags["--server.address"] == "0.0.0.0"
    assert flags["--browser.serverAddress"] == "localhost"
    port = str(_free_port())
    flags = _streamlit_args(monkeypatch, env={"STREAMLIT_SERVER_ADDRESS": "0.0.0.0",
                                              "STREAMLIT_SERVER_PORT": port})
    assert flags["--server.address"] == "0.0.0.0" and flags["--server.port"] == port


def test_upload_limit_from_the_environment(monkeypatch):
    flags = _streamlit_args(monkeypatch, "--port", str(_free_port()),
                            env={"SCORECARD_MAX_UPLOAD_MB": "50"})
    assert flags["--server.maxUploadSize"] == "50"
    monkeypatch.setenv("SCORECARD_MAX_UPLOAD_MB", "lots")
    result = runner.invoke(app, ["dashboard", "--port", str(_free_port())])
    assert result.exit_code != 0 and "SCORECARD_MAX_UPLOAD_MB='lots'" in result.output


def test_project_config_and_docker_image_say_the_same():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["browser"]["serverAddress"]
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["server"]["maxUploadSize"] == 200
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "STREAMLIT_SERVER_ADDRESS=0.0.0.0" in dockerfile  # explicit, on purpose
    assert "STREAMLIT_BROWSER_GATHER_USAGE_STATS=false" in dockerfile


class _Trap:
    """A TCP listener standing in for every HTTP(S) proxy: any outgoing request lands here."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.hits = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self.running = False
        self.thread.join(timeout=5)
        self.sock.close()


@pytest.mark.e2e
def test_start_makes_no_network_call_even_on_all_interfaces(tmp_path):
    trap = _Trap()
    port = _free_port()
    proxy = f"http://127.0.0.1:{trap.sock.getsockname()[1]}"
    env = {**os.environ, "HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "http_proxy": proxy,
           "https_proxy": proxy, "NO_PROXY": "", "no_proxy": "",
           "NUMBA_CACHE_DIR": str(tmp_path / "numba"),
           "SCORECARD_DB": f"sqlite:///{tmp_path / 'store.db'}"}
    for name in ("STREAMLIT_SERVER_ADDRESS", "STREAMLIT_SERVER_PORT",
                 "STREAMLIT_BROWSER_SERVER_ADDRESS"):
        env.pop(name, None)
    scorecard = Path(sys.executable).with_name("scorecard")
    proc = subprocess.Popen([str(scorecard), "dashboard", "--address", "0.0.0.0", "--port",
                             str(port)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        deadline = time.monotonic() + 90
        body = None
        while time.monotonic() < deadline and proc.poll() is None and body is None:
            try:
                with direct.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    body = r.read().decode()
            except OSError:
                time.sleep(0.5)
        assert body == "ok", proc.stdout.read().decode()[-2000:] if proc.poll() else body
        time.sleep(3)  # the URL banner (and any external-IP lookup) comes right after start
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0].decode()
        trap.close()
    assert trap.hits == 0, f"the dashboard made {trap.hits} outgoing request(s)"
    assert "External URL" not in output and f"http://localhost:{port}" in output


def test_no_page_renders_raw_html():
    """Data and store contents reach the page only through Streamlit's escaping elements."""
    sources = {path: path.read_text() for path in (ROOT / "app").rglob("*.py")}
    assert len(sources) >= 10
    for path, text in sources.items():
        for raw in ("unsafe_allow_html", "st.html(", "components.html", "components.v1"):
            assert raw not in text, f"{path.relative_to(ROOT)} uses {raw}"
