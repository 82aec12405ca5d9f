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

from polling import wait_for

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


def image_like_env(**extra: str) -> dict[str, str]:
    """This environment with the image's ENV and `extra`, numba's cache excepted: the image warms
    its cache at build time, and here the processes read the one `make test` warmed (an empty
    cache would have each process compile every kernel it runs: minutes on a busy machine)."""
    env = {**os.environ, **dockerfile_env(), **extra}
    if "NUMBA_CACHE_DIR" in os.environ:
        env["NUMBA_CACHE_DIR"] = os.environ["NUMBA_CACHE_DIR"]
    else:
        env.pop("NUMBA_CACHE_DIR", None)
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
    port = free_port()
    env = image_like_env(
        STREAMLIT_SERVER_PORT=str(port),
        STREAMLIT_SERVER_ADDRESS="127.0.0.1",
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


# ----------------------------------------------------------------------------------------------
# compose.yaml: dashboard + scheduler + PostgreSQL
# ----------------------------------------------------------------------------------------------


def compose() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def probe(healthcheck: dict) -> list[str]:
    """A compose healthcheck's exec-form command, without the leading CMD."""
    test = healthcheck["test"]
    assert isinstance(test, list) and test[0] == "CMD", "healthchecks should be exec form"
    return test[1:]


def test_compose_runs_dashboard_scheduler_and_postgres_with_health_and_restart():
    spec = compose()
    services = spec["services"]
    assert set(services) == {"db", "dashboard", "scheduler"}
    for name, service in services.items():
        assert service["restart"] in ("always", "unless-stopped"), name
        assert probe(service["healthcheck"]), name
        assert service["healthcheck"]["retries"] >= 1, name
    db, dashboard, scheduler = services["db"], services["dashboard"], services["scheduler"]
    assert db["image"].startswith("postgres:")
    volume, _, target = db["volumes"][0].partition(":")
    assert target == "/var/lib/postgresql/data" and volume in spec["volumes"]
    assert probe(db["healthcheck"])[0] == "pg_isready"
    # one image, two commands: the dashboard is the image's CMD, the scheduler overrides it
    assert dashboard["build"] == "." and dashboard["image"] == scheduler["image"]
    assert "command" not in dashboard and dockerfile_cmd() == ["scorecard", "dashboard"]
    assert scheduler["command"][:2] == ["scorecard", "scheduler"]
    port = dockerfile_env()["STREAMLIT_SERVER_PORT"]
    assert f"127.0.0.1:{port}/_stcore/health" in " ".join(probe(dashboard["healthcheck"]))
    assert probe(scheduler["healthcheck"])[:2] == ["scorecard", "scheduler-health"]
    assert dockerfile_env()["SCORECARD_SCHEDULER_HEALTH"]  # where the scheduler beats and the probe looks
    for service in (dashboard, scheduler):
        url = service["environment"]["SCORECARD_DB"]
        assert url.startswith("postgresql+psycopg://") and "@db:5432/" in url
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
    assert dashboard["environment"] == scheduler["environment"]  # the same store
    files = scheduler["volumes"][0].split(":")
    assert files[0] in spec["volumes"]
    assert '".[postgres]"' in (ROOT / "Dockerfile").read_text()  # the image can reach PostgreSQL


def scorecard_command(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorecard", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def dashboard_healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.read().decode() == "ok"
    except OSError:
        return False


@pytest.fixture
def monitored_files(tmp_path):
    """A small card, its reference sample and three months of current data, on disk."""
    import warnings

    from scorecard import BinningProcess
    from scorecard.datasets import make_applications
    from scorecard.model.scorecard import Scorecard
    from scorecard.model.spec import save_spec

    book = make_applications(4_000, seed=11, n_months=4)
    development = book[book["application_month"] == "2023-01"]
    X = development.drop(columns=["default", "application_month", "protected"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        card = Scorecard(BinningProcess()).fit(X, development["default"])
    model = save_spec(card.to_spec(), tmp_path / "model.json")
    development.to_parquet(tmp_path / "reference.parquet")
    book[book["application_month"] > "2023-01"].to_parquet(tmp_path / "current.parquet")
    return model, tmp_path / "reference.parquet", tmp_path / "current.parquet"


@pytest.mark.e2e
@pytest.mark.slow
def test_deployment_commands_come_up_healthy_and_share_the_store(postgres_url, monitored_files,
                                                                  tmp_path, monkeypatch):
    """compose.yaml's two commands, outside Docker, on one PostgreSQL store: both report healthy;
    a schedule added through the CLI is run by the scheduler; the dashboard's reader shows it."""
    from streamlit.testing.v1 import AppTest

    from scorecard.storage import MonitorStore

    services = compose()["services"]
    port = free_port()
    health_file = tmp_path / "scheduler.health"
    env = image_like_env(SCORECARD_DB=postgres_url, STREAMLIT_SERVER_PORT=str(port),
                         STREAMLIT_SERVER_ADDRESS="127.0.0.1",
                         SCORECARD_SCHEDULER_HEALTH=str(health_file),
                         PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    scheduler_cmd = list(services["scheduler"]["command"])
    scheduler_cmd[scheduler_cmd.index("--sync-seconds") + 1] = "1"  # pick up the schedule at once
    health_cmd = probe(services["scheduler"]["healthcheck"])
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("dashboard", "scheduler")}
    processes = {
        "dashboard": subprocess.Popen(dockerfile_cmd(), cwd=ROOT, env=env, stdout=logs["dashboard"],
                                      stderr=subprocess.STDOUT),
        "scheduler": subprocess.Popen(scheduler_cmd, cwd=ROOT, env=env, stdout=logs["scheduler"],
                                      stderr=subprocess.STDOUT)}

    def log(name: str) -> str:
        return (tmp_path / f"{name}.log").read_text()[-3000:]

    try:
        model, reference, current = monitored_files
        for args in (["monitor", "create", "apps", "--model", str(model), "--reference",
                      str(reference), "--source", str(current), "--period-column",
                      "application_month"],
                     ["schedule", "add", "apps", "--cron", "* * * * *"]):  # while both start
            done = scorecard_command(args, env)
            assert done.returncode == 0, done.stderr
        assert wait_for(lambda: dashboard_healthy(port), 120), log("dashboard")
        assert wait_for(lambda: scorecard_command(health_cmd[1:], env).returncode == 0, 120), \
            log("scheduler")
        store = MonitorStore(postgres_url)
        assert wait_for(lambda: any(r.status == "succeeded" and r.trigger == "scheduler"
                                      for r in store.runs("apps")), 150), log("scheduler")
        assert [r.period for r in store.results("apps")] == ["2023-02", "2023-03", "2023-04"]
        assert all(p.poll() is None for p in processes.values())
        assert dashboard_healthy(port)

        monkeypatch.setenv("SCORECARD_DB", postgres_url)
        at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=120).run()
        at.switch_page("views/overview.py").run()
        assert not at.exception, at.exception
        shown = at.dataframe[0].value
        assert list(shown["Monitor"]) == ["apps"] and shown.loc[0, "Periods"] == 3
        assert shown.loc[0, "Latest period"] == "2023-04"
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:  # a job still running at SIGTERM: never leak it
                process.kill()
                process.wait()
        for handle in logs.values():
            handle.close()
    assert processes["scheduler"].returncode == 0, log("scheduler")
    assert not health_file.exists()  # a stopped scheduler is unhealthy at once
    stopped = scorecard_command(health_cmd[1:], env)
    assert stopped.returncode == 1 and "not running" in stopped.stderr
