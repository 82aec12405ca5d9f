"""Fixtures for the export tests: hand-built specs and a real PostgreSQL server on 127.0.0.1.

The server is started once per session from the PostgreSQL binaries under
/usr/lib/postgresql/*/bin, in a temporary data directory, listening only on 127.0.0.1 with
trust authentication; it is stopped (immediate mode) and its directory removed at the end.
initdb refuses to run as root, so as root it runs as the ``postgres`` system user.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from scorecard.model.spec import seal

CREATED_AT = "2026-11-28T01:00:00+00:00"


# ----------------------------------------------------------------------------------------------
# Spec builders (plain data, exactly the schema_version 1 contract)
# ----------------------------------------------------------------------------------------------


def _info(j: int) -> dict[str, Any]:
    return {"points_exact": j + 0.25, "woe": 0.125 * j - 0.3, "goods": 100 + 7 * j, "bads": 10 + j}


def numeric_characteristic(
    name: str, edges: Sequence[float], specials: Sequence[float], points: Sequence[int]
) -> dict[str, Any]:
    """Bins in the contract's order; ``points`` gives intervals, then missing, then specials."""
    edges = [float(e) for e in edges]
    k = len(edges) + 1
    assert len(points) == k + 1 + len(specials)
    bounds: list[float | None] = [None, *edges, None]
    bins = []
    for j in range(k):
        lo = "-inf" if bounds[j] is None else repr(bounds[j])
        hi = "inf" if bounds[j + 1] is None else repr(bounds[j + 1])
        bins.append({"kind": "interval", "lower": bounds[j], "upper": bounds[j + 1],
                     "label": f"[{lo}, {hi})", "points": int(points[j]), **_info(j)})
    bins.append({"kind": "missing", "label": "Missing", "points": int(points[k]), **_info(k)})
    for i, value in enumerate(specials):
        bins.append({"kind": "special", "value": float(value), "label": f"Special {value!r}",
                     "points": int(points[k + 1 + i]), **_info(k + 1 + i)})
    return {"name": name, "dtype": "numeric", "edges": edges,
            "special_values": [float(s) for s in specials], "bins": bins}


def categorical_characteristic(
    name: str, groups: Sequence[Sequence[str]], points: Sequence[int], *,
    missing_points: int, unseen_points: int, unseen: str = "other",
) -> dict[str, Any]:
    assert len(points) == len(groups)
    bins = [{"kind": "categories", "categories": list(g), "label": ", ".join(g),
             "points": int(p), **_info(j)} for j, (g, p) in enumerate(zip(groups, points))]
    bins.append({"kind": "missing", "label": "Missing", "points": int(missing_points),
                 **_info(len(groups))})
    return {"name": name, "dtype": "categorical", "unseen": unseen, "bins": bins,
            "unseen_points": int(unseen_points)}


def make_spec(
    characteristics: list[dict[str, Any]], *, intercept: int = 0,
    min_score: int | None = None, max_score: int | None = None, name: str = "test card",
    sealed: bool = True,
) -> dict[str, Any]:
    spec = {
        "schema_version": 1,
        "kind": "scorecard",
        "package_version": "0.1.0",
        "created_at": CREATED_AT,
        "name": name,
        "target": {"name": "bad", "bad_value": 1},
        "encoding": "woe-lr",
        "conventions": {
            "woe": "ln(share of goods / share of bads)",
            "smoothing_alpha_default": 0.5,
            "score": "higher score = lower risk",
            "numeric_bins": "[lower, upper): value < edge goes left; NaN -> missing bin; "
                            "special values matched exactly before edges",
        },
        "scaling": {"base_score": 600, "base_odds": 50, "pdo": 20, "factor": 28.8539,
                    "offset": 487.1229, "min_score": min_score, "max_score": max_score,
                    "rounding": "per-bin integer points"},
        "intercept_points": intercept,
        "characteristics": characteristics,
        "model": {"coefficients": [1.0] * len(characteristics), "intercept": -1.2},
        "training": {"n_rows": 1000, "data_sha256": "0" * 64, "metrics": {}},
    }
    return seal(spec) if sealed else spec


def random_numeric(rng: Any, name: str, n_edges: int, n_specials: int, scale: float = 100.0):
    edges = sorted(set((rng.normal(size=n_edges) * scale).tolist()))
    specials = [-999.0, -1.0, 99999.0][:n_specials]
    n_bins = len(edges) + 2 + len(specials)
    return numeric_characteristic(name, edges, specials, rng.integers(-40, 80, n_bins).tolist())


# ----------------------------------------------------------------------------------------------
# PostgreSQL server
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    dbname: str

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.user,
                               dbname=self.dbname, autocommit=True, connect_timeout=10)


def _postgres_bindir() -> str | None:
    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all(os.access(os.path.join(bindir, tool), os.X_OK) for tool in ("initdb", "pg_ctl")):
            return bindir
    for tool_dir in {os.path.dirname(p) for p in filter(None, [shutil.which("initdb")])}:
        if os.access(os.path.join(tool_dir, "pg_ctl"), os.X_OK):
            return tool_dir
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = _postgres_bindir()
    if bindir is None:
        pytest.fail(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found under "
            "/usr/lib/postgresql/*/bin or on PATH: install postgresql (e.g. apt-get install "
            "postgresql) to run the cross-engine proof. This test does not skip."
        )
    as_user: list[str] = []
    workdir = tempfile.mkdtemp(prefix="scorecard-pg-")
    if os.geteuid() == 0:
        try:
            shutil.chown(workdir, "postgres", "postgres")
        except (LookupError, OSError) as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            pytest.fail(f"running as root needs the 'postgres' system user for initdb: {exc}")
        as_user = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(workdir, "data")
    log = os.path.join(workdir, "server.log")
    pg_ctl = os.path.join(bindir, "pg_ctl")
    started = False
    try:
        init = subprocess.run(
            as_user + [os.path.join(bindir, "initdb"), "-D", data, "-A", "trust", "-U",
                       "postgres", "-E", "UTF8", "--no-locale", "--no-sync"],
            capture_output=True, text=True, timeout=120,
        )
        if init.returncode:
            pytest.fail(f"initdb failed: {init.stderr.strip()[-2000:]}")
        for _attempt in range(3):
            port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -c port={port} "
                       f"-c unix_socket_directories={workdir} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off")
            start = subprocess.run(
                as_user + [pg_ctl, "-D", data, "-o", options, "-l", log, "-w", "-t", "60",
                           "start"],
                capture_output=True, text=True, timeout=90,
            )
            if start.returncode == 0:
                started = True
                break
        if not started:
            tail = ""
            if os.path.exists(log):
                with open(log, encoding="utf-8", errors="replace") as handle:
                    tail = handle.read()[-2000:]
            pytest.fail(f"PostgreSQL did not start: {start.stderr.strip()} {tail}")
        yield PostgresServer(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
    finally:
        if started:
            subprocess.run(as_user + [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def pmml_evaluator_factory():
    """``make(pmml_text) -> verified jpmml Evaluator``; skips only when Java is absent."""
    if shutil.which("java") is None:
        pytest.skip("java is not on PATH: the PMML check needs a Java runtime")
    from jpmml_evaluator import make_evaluator

    def make(document: str):
        return make_evaluator(document).verify()

    return make


@pytest.fixture(scope="session")
def card() -> SimpleNamespace:
    """The spec builders, for tests (conftest modules are not importable under importlib mode)."""
    return SimpleNamespace(
        numeric=numeric_characteristic,
        categorical=categorical_characteristic,
        make_spec=make_spec,
        random_numeric=random_numeric,
    )
