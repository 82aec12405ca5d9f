"""Command-line interface: `scorecard --help`."""

from __future__ import annotations

import ipaddress
import json
import os
import re
import socket
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from scorecard.cli_common import (
    check_level,
    check_specials,
    echo,
    echo_json,
    friendly_errors,
    parse_specials,
)
from scorecard.exceptions import InputError
from scorecard.options import TREND_OPTIONS, trend_from_option

app = typer.Typer(
    help="Credit-risk scorecards, binning and drift monitoring with honest uncertainty. Tests "
    "and intervals hold their level inside the region measured in docs/STATISTICS.md section 7 "
    "(Monte Carlo table); results outside it are flagged 'unreliable: too few counts'.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
@friendly_errors
def iv(
    data: Annotated[Path, typer.Argument(help="CSV or parquet file, one row per application.")],
    target: Annotated[str, typer.Option(help="Binary target column.")],
    bad_value: Annotated[Optional[str], typer.Option(help="Target value meaning bad.")] = None,
    n_bins: Annotated[int, typer.Option(help="Quantile pre-bins per numeric column.")] = 20,
    special: Annotated[list[str], typer.Option(help="Special value COL=VALUE (repeatable).")] = [],
    level: Annotated[float, typer.Option(help="Confidence level of the intervals.")] = 0.95,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    paper: Annotated[bool, typer.Option(
        "--paper", help="Also show the framework paper's published SE and Z-test p-value "
        "(anti-conservative; for comparison only).")] = False,
) -> None:
    """Information value of every characteristic, with SE, interval and p-value, sorted by IV.

    Numeric columns are cut into quantile pre-bins (plus missing and special bins), other
    columns into one bin per category with at least 1% of the rows (rarer ones pooled into
    "Other"; identifier-like and mostly-numeric text columns get a note); the bins ignore the
    target, as the tests assume.
    "IV plug-in" is the raw estimate, biased upward by about (bins - 1) / n_eff; "IV corrected"
    is the bias-corrected estimate and lies inside the interval (noncentral chi-square
    inversion, widened to the bias-corrected Wald interval far from zero). p_method says how
    each p-value of "no predictive power" was computed: chi2, or permutation (tables with the
    same margins) where expected counts are small. Characteristics with too few counts for the
    tests to hold their level are flagged (docs/STATISTICS.md, section 7). q_value is the
    Benjamini-Hochberg adjusted p-value across characteristics.
    """
    from scorecard.binning.prebinning import iv_report
    from scorecard.io import read_table

    check_level(level)
    frame = read_table(data)
    check_specials(frame, parse_specials(special))
    report = iv_report(frame, target, bad_value=bad_value, n_bins=n_bins,
                       special_values=parse_specials(special), level=level)
    summary = report.summary
    if paper:
        summary = summary.merge(report.paper_columns(), on="name", how="left")
    if as_json:
        records = json.loads(summary.to_json(orient="records", double_precision=15))
        echo_json({"data": str(data), "target": target, "level": level,
                   "characteristics": records})
        return
    pct = f"{level:.0%}"
    shown = summary.assign(
        ci=[f"[{lo:.4f}, {hi:.4f}]" if lo == lo else "" for lo, hi in
            zip(summary.iv_ci_low, summary.iv_ci_high)],
        flag=["" if ok or note else "unreliable: too few counts"
              for ok, note in zip(summary.reliable, summary.note)],
    )[["name", "kind", "n_bins", "iv", "iv_corrected", "iv_se", "ci", "p_value", "p_method",
       "q_value", "flag"] + (["paper_se", "paper_p_value"] if paper else [])]
    shown = shown.rename(columns={"iv": "IV plug-in", "iv_corrected": "IV corrected",
                                  "ci": f"{pct} CI"})
    echo(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    for name, note in zip(summary.name, summary.note):
        if note:
            echo(f"note: {name}: {note}", err=True)




@app.command("bin")
@friendly_errors
def bin_command(
    data: Annotated[Path, typer.Argument(help="CSV or parquet file, one row per application.")],
    target: Annotated[str, typer.Option(help="Binary target column.")],
    out: Annotated[Optional[Path], typer.Option(help="Write the fitted binning as JSON here.")] = None,
    report: Annotated[bool, typer.Option("--report", help="Print the summary table.")] = False,
    bad_value: Annotated[Optional[str], typer.Option(help="Target value meaning bad.")] = None,
    special: Annotated[list[str], typer.Option(help="Special value COL=VALUE (repeatable).")] = [],
    exclude: Annotated[list[str], typer.Option(help="Column not to bin (repeatable).")] = [],
    monotone: Annotated[str, typer.Option(help="Event-rate trend: " + ", ".join(TREND_OPTIONS) + ".")] = "auto",
    max_bins: Annotated[Optional[int], typer.Option(help="Maximum bins per characteristic.")] = None,
    min_bin_size: Annotated[float, typer.Option(help="Minimum share of rows per bin.")] = 0.05,
    prebinning: Annotated[str, typer.Option(help="quantile or stumps (XGBoost depth-1).")] = "quantile",
    min_iv_low: Annotated[Optional[float], typer.Option(
        help="Select only characteristics whose IV interval's lower end exceeds this.")] = None,
) -> None:
    """Optimal (exact, monotone) binning of every characteristic, saved as JSON.

    Missing values and each special value get their own bin; categories are ordered by event
    rate and merged. IV intervals and p-values after supervised binning are optimistic: judge
    them on hold-out rows.
    """
    from scorecard.binning import BinningProcess
    from scorecard.io import read_table, write_atomic
    from scorecard.validation import binary_target, require_columns

    if out is None and not report:
        raise InputError("nothing to do: give --out FILE.json, --report, or both.")
    if monotone not in TREND_OPTIONS:
        raise InputError(f"--monotone must be one of {', '.join(TREND_OPTIONS)}; got {monotone!r}.")
    frame = read_table(data)
    require_columns(frame, [target], what="target column")
    require_columns(frame, exclude, what="excluded column")
    check_specials(frame, parse_specials(special))
    y = binary_target(frame[target], name=target, bad_value=bad_value)
    columns = [c for c in frame.columns if c != target and c not in set(exclude)]
    selection = {"iv_ci_low": {"min": min_iv_low}} if min_iv_low is not None else None
    process = BinningProcess(
        columns=columns, special_values=parse_specials(special) or None, selection=selection,
        monotonic_trend=trend_from_option(monotone), max_n_bins=max_bins,
        min_bin_size=min_bin_size, prebinning=prebinning,
    ).fit(frame[columns], y)
    if out is not None:
        text = process.to_json()
        write_atomic(out, lambda tmp: tmp.write_text(text))
        echo(f"wrote {out} ({len(process.columns_)} characteristics, "
                   f"{len(process.selected_)} selected)", err=True)
    if report:
        summary = process.summary()
        shown = summary[[c for c in ["name", "dtype", "n_bins", "trend", "iv", "iv_se", "iv_ci_low",
                                     "iv_ci_high", "p_value", "selected"] if c in summary.columns]]
        echo(shown.to_string(index=False, float_format=lambda v: f"{v:.4g}"))


def app_script() -> Path:
    """The Streamlit entry script: $SCORECARD_APP, else app/main.py beside the package."""
    override = os.environ.get("SCORECARD_APP")
    script = Path(override) if override else Path(__file__).resolve().parent.parent / "app" / "main.py"
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


@app.command()
@friendly_errors
def dashboard(
    address: Annotated[Optional[str], typer.Option(
        help="Address to bind: 127.0.0.1 (default, this machine only; $STREAMLIT_SERVER_ADDRESS "
             "if set) or 0.0.0.0 (every interface: the dashboard has no sign-in).")] = None,
    port: Annotated[Optional[int], typer.Option(
        help="Port (default 8501; $STREAMLIT_SERVER_PORT if set).")] = None,
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


def main() -> None:
    app()


def _register_scorecard_commands() -> None:
    from scorecard.cli_fairness import register as register_fairness
    from scorecard.cli_scorecard import register

    register(app)
    register_fairness(app)


def _register_monitor_commands() -> None:
    from scorecard.cli_monitor import register

    register(app)


_register_scorecard_commands()
_register_monitor_commands()
from scorecard.cli_drift import register as register_drift  # noqa: E402
register_drift(app)


if __name__ == "__main__":
    main()
