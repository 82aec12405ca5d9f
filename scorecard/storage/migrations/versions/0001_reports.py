"""The JSON results table (IV reports, scorecard specs).

Stores created before migrations existed already have it: they are adopted as they are.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("reports"):
        return
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("params_hash", sa.String(64), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.UniqueConstraint("kind", "subject", "params_hash", name="uq_report_identity"),
    )


def downgrade() -> None:
    op.drop_table("reports")
