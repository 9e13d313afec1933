"""Gaps say whether an exemption waives them; runs are found by quarter through an index (the committee's
view reads every cell's runs of a quarter).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gaps") as batch:
        batch.add_column(sa.Column("exempted", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_index("ix_runs_quarter", "runs", ["quarter"])


def downgrade() -> None:
    op.drop_index("ix_runs_quarter", "runs")
    with op.batch_alter_table("gaps") as batch:
        batch.drop_column("exempted")
