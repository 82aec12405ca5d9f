"""The image's exact start command, run outside Docker (no engine here), must serve /_stcore/health."""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def dockerfile_env() -> dict[str, str]:
    env = {}
    for keyword, rest in dockerfile_instructions():
        if keyword == "ENV":
            for item in shlex.split(rest):
                key, _, value = item.partition("=")
                env[key] = value
    return env


def dockerfile_cmd() -> list[str]:
    cmds = [json.loads(rest) for keyword, rest in dockerfile_instructions() if keyword == "CMD"]
    assert len(cmds) == 1, "the Dockerfile should have exactly one exec-form CMD"
    return cmds[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dockerfile_is_headless_with_healthcheck_and_numba_cache():
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("#") or "FROM python:3.11-slim" in text
    assert "FROM python:3.11-slim" in text
    assert "HEALTHCHECK" in text and "/_stcore/health" in text
    env = dockerfile_env()
    assert env["NUMBA_CACHE_DIR"] and env["STREAMLIT_SERVER_HEADLESS"] == "true"


@pytest.mark.e2e
def test_image_start_command_serves_health(tmp_path):
    env = {**os.environ, **dockerfile_env()}
    port = free_port()
    env.update(
        STREAMLIT_SERVER_PORT=str(port),
        STREAMLIT_SERVER_ADDRESS="127.0.0.1",
        NUMBA_CACHE_DIR=str(tmp_path / "numba"),
        SCORECARD_DB=f"sqlite:///{tmp_path / 'store.db'}",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )
    proc = subprocess.Popen(dockerfile_cmd(), cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        body = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert proc.poll() is None, proc.stdout.read().decode()[-2000:]
        assert body == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            page = r.read().decode()
        assert "<html" in page.lower()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "page loads a remote asset"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
