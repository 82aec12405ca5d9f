"""Command-line interface (`scorecard --help`): the Typer app and the entry point.

One module per command group registers its commands here; they share `cli.common` and never
import this package module, so the CLI has no import circle. Heavy imports happen inside the
commands, so `scorecard --help` stays fast.
"""

from __future__ import annotations

from scorecard.cli import binning, dashboard, drift, fairness, monitor, scorecard
from scorecard.cli.common import new_app

__all__ = ["app", "main"]

app = new_app("Credit-risk scorecards, binning and drift monitoring with honest uncertainty.\n\n"
              "Every number comes with its standard error, interval or test; `scorecard COMMAND "
              "--help` says what each command prints. Tests and intervals hold their level inside "
              "the region measured in docs/STATISTICS.md section 7 (Monte Carlo table: n_eff >= "
              "50; the material-drift and compliance tests also need 3 expected rows in every "
              "cell at the threshold; intervals, 10 rows per bin on the smaller side); results "
              "outside it are flagged 'unreliable: too few counts' or 'interval indicative'.")

binning.register(app)
scorecard.register(app)
fairness.register(app)
drift.register(app)
monitor.register(app)
dashboard.register(app)


def main() -> None:
    """The `scorecard` console script and `python -m scorecard`."""
    app(prog_name="scorecard")
