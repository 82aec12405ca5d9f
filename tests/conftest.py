"""Suite-wide settings and the shared PostgreSQL server.

Hypothesis explores new examples locally but is deterministic in CI.

The PostgreSQL server is started once per session (lazily, by the first test that asks) from the
binaries under /usr/lib/postgresql/*/bin, in a temporary data directory, listening only on
127.0.0.1 with trust authentication; it is stopped (immediate mode) and its directory removed at
the end. initdb refuses to run as root, so as root it runs as the ``postgres`` system user.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


# ----------------------------------------------------------------------------------------------
# PostgreSQL server (shared: export, storage and scheduling tests)
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


_database_numbers = itertools.count()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database on the shared server, as a SQLAlchemy URL; dropped afterwards."""
    name = f"t{os.getpid()}_{next(_database_numbers)}"
    with postgres_server.connect() as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield (f"postgresql+psycopg://{postgres_server.user}@{postgres_server.host}:"
           f"{postgres_server.port}/{name}")
    with postgres_server.connect() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.e2e)])
def db_url(request, tmp_path) -> str:
    """The same test on an SQLite file and on a real PostgreSQL database (marked e2e)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="module")
def dask_client():
    """A LocalCluster with 2 workers (threads, over TCP on 127.0.0.1) and its Client."""
    distributed = pytest.importorskip("distributed", reason="install the dask extra (dev has it)")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:
        yield client
