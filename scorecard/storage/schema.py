"""The store's tables (schema revision 0002). Migrations under migrations/ create exactly these.

Timestamps are ISO-8601 strings in UTC (portable across SQLite and PostgreSQL); JSON documents
are canonical text. A result row and its bins are replaced together, in one transaction.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

reports = sa.Table(
    "reports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("params_hash", sa.String(64), nullable=False),
    sa.Column("params", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("payload", sa.Text, nullable=False),
    sa.UniqueConstraint("kind", "subject", "params_hash", name="uq_report_identity"),
)

models = sa.Table(
    "models", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("spec", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)

monitors = sa.Table(
    "monitors", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("model_id", sa.Integer, sa.ForeignKey("models.id"), nullable=False),
    sa.Column("reference", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("period_column", sa.String(200)),
    sa.Column("date_column", sa.String(200)),
    sa.Column("freq", sa.String(32)),
    sa.Column("reference_mode", sa.String(16), nullable=False),
    sa.Column("settings", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)

runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("monitor_id", sa.Integer, sa.ForeignKey("monitors.id"), nullable=False, index=True),
    sa.Column("requested_period", sa.String(64)),
    sa.Column("trigger", sa.String(32), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("started_at", sa.String(32), nullable=False),
    sa.Column("finished_at", sa.String(32)),
    sa.Column("error", sa.Text),
    sa.Column("periods", sa.Text),
    sa.Column("host", sa.String(255), nullable=False),
    sa.Column("pid", sa.Integer, nullable=False),
)

results = sa.Table(
    "results", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("monitor_id", sa.Integer, sa.ForeignKey("monitors.id"), nullable=False),
    sa.Column("period", sa.String(64), nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("n_reference", sa.BigInteger, nullable=False),
    sa.Column("n_current", sa.BigInteger, nullable=False),
    sa.Column("score_psi", sa.Float),
    sa.Column("max_psi", sa.Float),
    sa.Column("report", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.UniqueConstraint("monitor_id", "period", name="uq_result_monitor_period"),
)

result_bins = sa.Table(
    "result_bins", metadata,
    sa.Column("result_id", sa.Integer, sa.ForeignKey("results.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("characteristic", sa.String(200), primary_key=True),
    sa.Column("bin_index", sa.Integer, primary_key=True),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("reference_count", sa.BigInteger, nullable=False),
    sa.Column("current_count", sa.BigInteger, nullable=False),
)

alerts = sa.Table(
    "alerts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("monitor_id", sa.Integer, sa.ForeignKey("monitors.id"), nullable=False),
    sa.Column("period", sa.String(64), nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("notified", sa.Text),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.UniqueConstraint("monitor_id", "period", name="uq_alert_monitor_period"),
)

schedules = sa.Table(
    "schedules", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("monitor_id", sa.Integer, sa.ForeignKey("monitors.id"), nullable=False, unique=True),
    sa.Column("cron", sa.String(120), nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("paused", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
)
