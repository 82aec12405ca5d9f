"""Monitoring: models, monitors, runs, results with per-bin counts, alerts, schedules.

Also APScheduler's job table (the scheduler's runtime state, JSON job documents), in the exact
shape APScheduler 3's SQLAlchemyJobStore expects.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STAMP = sa.String(32)


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("spec", sa.Text, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
    )
    op.create_table(
        "monitors",
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
        sa.Column("created_at", STAMP, nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("monitor_id", sa.Integer, sa.ForeignKey("monitors.id"), nullable=False,
                  index=True),
        sa.Column("requested_period", sa.String(64)),
        sa.Column("trigger", sa.String(32), nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", STAMP, nullable=False),
        sa.Column("finished_at", STAMP),
        sa.Column("error", sa.Text),
        sa.Column("periods", sa.Text),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
    )
    op.create_table(
        "results",
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
        sa.Column("created_at", STAMP, nullable=False),
        sa.UniqueConstraint("monitor_id", "period", name="uq_result_monitor_period"),
    )
    op.create_table(
        "result_bins",
        sa.Column("result_id", sa.Integer, sa.ForeignKey("results.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("characteristic", sa.String(200), primary_key=True),
        sa.Column("bin_index", sa.Integer, primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("reference_count", sa.BigInteger, nullable=False),
        sa.Column("current_count", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("monitor_id", sa.Integer, sa.ForeignKey("monitors.id"), nullable=False),
        sa.Column("period", sa.String(64), nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("notified", sa.Text),
        sa.Column("created_at", STAMP, nullable=False),
        sa.UniqueConstraint("monitor_id", "period", name="uq_alert_monitor_period"),
    )
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("monitor_id", sa.Integer, sa.ForeignKey("monitors.id"), nullable=False,
                  unique=True),
        sa.Column("cron", sa.String(120), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("paused", sa.Boolean, nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
    )
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(191), primary_key=True),
        sa.Column("next_run_time", sa.Float(25), index=True),
        sa.Column("job_state", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    for table in ("apscheduler_jobs", "schedules", "alerts", "result_bins", "results", "runs",
                  "monitors", "models"):
        op.drop_table(table)
