"""The quarterly audit: the plan's rules judged at a quarter's end, with pace and change since last quarter.

The audit is a check run with `pace` on (counts not yet due are judged against their milestones:
behind pace or on pace), plus the same check at the previous quarter's end from the same facts, so
the report can say what was fixed and what is new. Nothing here evaluates rules itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..facts.case import Case
from ..judge.findings import OPEN, Gap, followed_as, next_milestone, plain_number
from ..quarters import QUARTERS, previous_quarter_end, quarter_end, quarter_of
from ..ruleset.prepare import Prepared
from ..ruleset.rulespec import RuleSet
from .check import Evaluator, Report, run_check


def gap_key(g: Gap) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What identifies one gap across two dates: its records, not its wording or counts."""
    return (followed_as(g.reason), tuple((alias, key) for alias, key in g.refs))


@dataclass
class Change:
    """A requirement whose judgement moved since the previous quarter, or one item of it."""

    rule_id: str
    kind: str  # new | fixed
    before: str
    after: str
    gaps: list[Gap] = field(default_factory=list)


@dataclass
class Todo:
    """What to do before the next quarter: a requirement and why it needs attention."""

    rule_id: str
    reason: str  # gap | behind_pace | due_soon | milestone
    by: dt.date | None = None
    expected: float | int | None = None


@dataclass
class AuditReport:
    report: Report
    previous: Report | None
    changes: list[Change]
    todo: list[Todo]
    quarter: str
    next_quarter_end: dt.date | None

    @property
    def has_gaps(self) -> bool:
        return any(f.status in OPEN for _, f in self.report.results)


def compare_reports(before: Report, after: Report) -> list[Change]:
    """Per rule: a requirement that became open is new, one that closed is fixed; a requirement open
    at both dates reports its new and fixed items (e.g. a further week short)."""
    old = {p.id: f for p, f in before.results}
    changes: list[Change] = []
    for p, f in after.results:
        prev = old.get(p.id)
        if prev is None:
            continue
        was_open, is_open = prev.status in OPEN, f.status in OPEN
        now_gaps, then_gaps = _items(f.gaps), _items(prev.gaps)
        if (is_open and not was_open) or (prev.status == "behind_pace" and f.status == "gap"):
            # behind pace at the last quarter, missed now it is due: a new gap
            changes.append(Change(p.id, "new", prev.status, f.status, now_gaps))
        elif was_open and not is_open:
            changes.append(Change(p.id, "fixed", prev.status, f.status, then_gaps))
        elif was_open and is_open:
            before_keys = {gap_key(g) for g in then_gaps}
            after_keys = {gap_key(g) for g in now_gaps}
            added = [g for g in now_gaps if gap_key(g) not in before_keys and g.refs]
            gone = [g for g in then_gaps if gap_key(g) not in after_keys and g.refs]
            if added:
                changes.append(Change(p.id, "new", prev.status, f.status, added))
            if gone:
                changes.append(Change(p.id, "fixed", prev.status, f.status, gone))
    return changes


def _items(gaps: list[Gap]) -> list[Gap]:
    """Gaps that are items to fix. 'Not yet counted' lists who could still be counted: progress
    through that list is not a fix, and a longer list is not a new gap."""
    return [g for g in gaps if not g.candidate]


def plan_ahead(report: Report, horizon: dt.date | None) -> list[Todo]:
    """Open requirements first, then milestones and due dates that fall before `horizon`."""
    todo: list[Todo] = []
    for p, f in report.results:
        if f.status in OPEN:
            todo.append(Todo(p.id, f.status))
    if horizon is None:
        return todo
    for p, f in report.results:
        if f.status == "on_pace":
            upcoming = next_milestone(p, report.as_of)
            if upcoming and upcoming[0] <= horizon:
                todo.append(Todo(p.id, "milestone", upcoming[0], plain_number(upcoming[1])))
        elif f.status == "not_due" and p.due_date is not None and p.due_date <= horizon:
            todo.append(Todo(p.id, "due_soon", p.due_date))
    return todo


def run_audit(
    case: Case, ruleset: RuleSet, prepared: list[Prepared], as_of: dt.date,
    evaluator: Evaluator = "engine", only: list[str] | None = None,
) -> AuditReport:
    """The audit as of `as_of` (a quarter's end, or any date): pace-aware findings, the previous
    quarter's findings from the same facts, what changed, and what to do before the next quarter end."""
    report = run_check(case, ruleset, prepared, as_of, evaluator, only, pace=True)
    before_day = previous_quarter_end(as_of, case.start)
    previous = None
    if before_day is not None:
        previous = run_check(case, ruleset, prepared, before_day, evaluator, only, pace=True)
    changes = compare_reports(previous, report) if previous else []
    following = [quarter_end(y, q) for y in (as_of.year, as_of.year + 1) for q in QUARTERS]
    horizon = next((end for end in following if as_of < end <= case.end), None)
    return AuditReport(report, previous, changes, plan_ahead(report, horizon), quarter_of(as_of), horizon)


def run_cell(case: Case, plan: Any, as_of: dt.date, evaluator: Evaluator, only: list[str] | None) -> AuditReport:
    """The audit as a job (jobs/registry.py): one cell judged by its plan (jobs.plans.Plan) at a quarter's end."""
    return run_audit(case, plan.ruleset, plan.prepared, as_of, evaluator, only)


def failing(result: AuditReport, strict: bool = False) -> bool:
    """Exit 1: an open requirement (a gap, or behind pace)."""
    return result.has_gaps


def report_of(result: AuditReport) -> Report:
    return result.report
