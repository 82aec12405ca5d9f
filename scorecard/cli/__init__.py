"""Command-line interface (`scorecard --help`): the Typer app and the entry point.

One module per command group registers its commands here; they share `cli.common` and never
import this package module, so the CLI has no import circle. Heavy imports happen inside the
commands, so `scorecard --help` stays fast.
"""

from __future__ import annotations

import typer

from scorecard.cli import binning, dashboard, drift, fairness, monitor, scorecard

__all__ = ["app", "main"]

app = typer.Typer(
    help="Credit-risk scorecards, binning and drift monitoring with honest uncertainty. Tests "
    "and intervals hold their level inside the region measured in docs/STATISTICS.md section 7 "
    "(Monte Carlo table); results outside it are flagged 'unreliable: too few counts'.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

binning.register(app)
scorecard.register(app)
fairness.register(app)
drift.register(app)
monitor.register(app)
dashboard.register(app)


def main() -> None:
    """The `scorecard` console script and `python -m scorecard`."""
    app(prog_name="scorecard")
