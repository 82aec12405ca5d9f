"""Drift monitoring: reports of a scorecard's reference against current samples, per period.

`drift_report` compares two DataFrames in the bins of a scorecard spec; `drift_reports` does it
for every period of a source read in chunks (a file, a folder of files, a SQL query). Every
statistic comes with its uncertainty (docs/STATISTICS.md); `DriftReport` is plain JSON data.
"""

from scorecard.monitoring.report import (
    DriftReport,
    DriftThresholds,
    drift_report,
)

__all__ = ["DriftReport", "DriftThresholds", "drift_report"]
