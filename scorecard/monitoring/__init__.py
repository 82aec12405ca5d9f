"""Drift monitoring: reports of a scorecard's reference against current samples, per period.

`drift_report` compares two DataFrames in the bins of a scorecard spec; `drift_reports` does it
for every period of a source read in chunks (a file, a folder of files, a SQL query). Every
statistic comes with its uncertainty (docs/STATISTICS.md); `DriftReport` is plain JSON data.
"""

from scorecard.monitoring.periods import FREQUENCIES, drift_reports
from scorecard.monitoring.report import (
    STATUSES,
    DriftReport,
    DriftThresholds,
    drift_report,
)
from scorecard.monitoring.sources import SqlSource

__all__ = [
    "FREQUENCIES",
    "STATUSES",
    "DriftReport",
    "DriftThresholds",
    "SqlSource",
    "drift_report",
    "drift_reports",
]
