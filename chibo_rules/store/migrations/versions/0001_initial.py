"""The first store: cells, plans, submissions, kept facts, runs, results and gaps.

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
    op.create_table(
        "cells",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("committee", sa.String(300), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.UniqueConstraint("committee", "name", name="uq_cells_committee_name"),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.String(200), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("plan_id", "content_hash", name="uq_plans_id_hash"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("cell_id", sa.Integer, sa.ForeignKey("cells.id"), nullable=False),
        sa.Column("facts_hash", sa.String(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("cell_id", "facts_hash", name="uq_submissions_cell_hash"),
    )
    op.create_table(
        "facts",
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), primary_key=True),
        sa.Column("name", sa.String(300), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("plan_ref", sa.Integer, sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("job", sa.String(16), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("quarter", sa.String(7), nullable=False),
        sa.Column("evaluator", sa.String(16), nullable=False),
        sa.Column("chibo_version", sa.String(32), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("submission_id", "plan_ref", "job", "as_of", name="uq_runs_once"),
    )
    op.create_table(
        "results",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("rule_id", sa.String(64), primary_key=True),
        sa.Column("section", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("observed", sa.Text, nullable=False),
    )
    op.create_table(
        "gaps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("who", sa.Text, nullable=False),
        sa.Column("period", sa.String(32), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_index("ix_gaps_run", "gaps", ["run_id"])


def downgrade() -> None:
    for table in ("gaps", "results", "runs", "facts", "submissions", "plans", "cells"):
        op.drop_table(table)
