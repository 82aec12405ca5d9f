"""`scorecard dashboard`: start the Streamlit dashboard after checking where it will listen.

`scorecard.cli` calls `register(app)`; Streamlit itself starts in a fresh process (exec).
"""

from __future__ import annotations

import ipaddress
import os
import re
import socket
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from scorecard.cli.common import friendly_errors
from scorecard.exceptions import InputError


def app_script() -> Path:
    """The Streamlit entry script: $SCORECARD_APP, else app/main.py beside the package."""
    override = os.environ.get("SCORECARD_APP")
    script = Path(override) if override else Path(__file__).resolve().parents[2] / "app" / "main.py"
    if not script.is_file():
        raise InputError(f"dashboard script {str(script)!r} not found; set SCORECARD_APP.")
    return script


_HOSTNAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")
DEFAULT_ADDRESS = "127.0.0.1"
DEFAULT_PORT = 8501


def check_listen(address: str, port: int) -> None:
    """Refuse an address that is neither an IP address nor a host name, a port outside
    1..65535, or one that cannot be bound now (in use, not a local address)."""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        if not _HOSTNAME.fullmatch(address):
            raise InputError(
                f"--address {address!r} is not an IP address or host name; use e.g. 127.0.0.1 "
                "(this machine only) or 0.0.0.0 (every interface: anyone who can reach it)."
            ) from None
    if not 1 <= port <= 65535:
        raise InputError(f"--port {port} must be between 1 and 65535.")
    try:
        infos = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE | socket.AI_NUMERICSERV)
        family, kind, proto, _, where = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(where)
    except OSError as exc:
        raise InputError(
            f"cannot listen on {address}:{port}: {exc.strerror or exc}; choose another --port "
            "or --address."
        ) from None


def dashboard(
    address: Annotated[Optional[str], typer.Option(
        metavar="HOST", show_default=f"$STREAMLIT_SERVER_ADDRESS, else {DEFAULT_ADDRESS}",
        help=f"Address to bind: {DEFAULT_ADDRESS} (this machine only) or 0.0.0.0 (every "
             "interface: the dashboard has no sign-in).")] = None,
    port: Annotated[Optional[int], typer.Option(
        metavar="PORT", show_default=f"$STREAMLIT_SERVER_PORT, else {DEFAULT_PORT}",
        help="Port to listen on.")] = None,
) -> None:
    """Start the Streamlit dashboard (headless; open the printed URL in a browser).

    It listens on 127.0.0.1 unless told otherwise, sends no usage statistics and never looks up
    the machine's external IP address (no network call at start).
    """
    address = address or os.environ.get("STREAMLIT_SERVER_ADDRESS") or DEFAULT_ADDRESS
    if port is None:
        text = os.environ.get("STREAMLIT_SERVER_PORT") or str(DEFAULT_PORT)
        if not text.isdigit():
            raise InputError(f"STREAMLIT_SERVER_PORT={text!r} is not a port number.")
        port = int(text)
    check_listen(address, port)
    # A wildcard address would make Streamlit print an "External URL" found by asking a web
    # service; a fixed browser.serverAddress prints one local URL instead.
    shown = "localhost" if address in ("0.0.0.0", "::") else address
    args = [sys.executable, "-m", "streamlit", "run", str(app_script()),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.address", address, "--server.port", str(port),
            "--browser.serverAddress", os.environ.get("STREAMLIT_BROWSER_SERVER_ADDRESS", shown)]
    os.execv(sys.executable, args)


def register(app: typer.Typer) -> None:
    """Add the dashboard command to the CLI app."""
    app.command("dashboard", short_help="Start the Streamlit dashboard (local by "
                "default).")(friendly_errors(dashboard))
