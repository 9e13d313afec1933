"""The store's tables (SQLAlchemy Core): what a committee keeps of every judged cell.

cells ─< submissions ─< runs ─< results, gaps;  plans ─< runs;  submissions ─< facts (only with --keep-facts).

A submission is one set of facts a cell handed in (its content hash: the same facts twice are one
submission); a run is one judgement of it (job, as-of date and quarter, plan and its content hash,
evaluator, chibo's version); results and gaps are the run's findings as plain values. Nothing here names a
plan's kinds or fields: rule ids, statuses and record keys are stored as the findings carry them.
The tables are created and changed only by the migrations (migrations/versions), never by create_all.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

cells = Table(
    "cells", metadata,
    Column("id", Integer, primary_key=True),
    Column("committee", String(300), nullable=False),  # cell.yaml's party_committee ("" when not declared)
    Column("name", String(300), nullable=False),
    UniqueConstraint("committee", "name", name="uq_cells_committee_name"),
)

plans = Table(
    "plans", metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", String(200), nullable=False),
    Column("content_hash", String(64), nullable=False),  # sha256 of the plan folder's files
    UniqueConstraint("plan_id", "content_hash", name="uq_plans_id_hash"),
)

submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True),
    Column("cell_id", Integer, ForeignKey("cells.id"), nullable=False),
    Column("facts_hash", String(64), nullable=False),  # sha256 of the case's files (names and bytes)
    Column("source", Text, nullable=False),  # the folder or workbook they were read from
    Column("received_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("cell_id", "facts_hash", name="uq_submissions_cell_hash"),
)

facts = Table(
    "facts", metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("name", String(300), primary_key=True),  # the file's name in the case
    Column("content", LargeBinary, nullable=False),
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("plan_ref", Integer, ForeignKey("plans.id"), nullable=False),
    Column("job", String(16), nullable=False),  # check | audit | ready
    Column("as_of", Date, nullable=False),
    Column("quarter", String(7), nullable=False),  # 2020-Q2: the quarter as_of falls in
    Column("evaluator", String(16), nullable=False),
    Column("chibo_version", String(32), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("submission_id", "plan_ref", "job", "as_of", name="uq_runs_once"),
    Index("ix_runs_quarter", "quarter"),
)

results = Table(
    "results", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("rule_id", String(64), primary_key=True),
    Column("section", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("target", Text, nullable=False),  # JSON
    Column("observed", Text, nullable=False),  # JSON
)

gaps = Table(
    "gaps", metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("rule_id", String(64), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("who", Text, nullable=False),  # the records it names, by key ("P30 — 2020-W11")
    Column("period", String(32), nullable=False),  # the period it is about ("" when none)
    Column("source", Text, nullable=False),  # file:line of the record to fix ("" when none exists)
    Column("exempted", Boolean, nullable=False),  # waived by an exemption (shown, never dropped)
    Index("ix_gaps_run", "run_id"),
)

TABLES = (cells, plans, submissions, facts, runs, results, gaps)
