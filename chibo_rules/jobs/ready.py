"""The pre-meeting readiness review: is the monthly cell meeting ready, and who still owes what.

Two evaluations as of the meeting date, both by the same evaluator:
- the rules with `job: ready` (the meeting's own checklist: story and presenter, commendation
  proposals, last meeting's decisions, the QCCM check…), with the runtime parameters `meeting` and
  `last_meeting` (the previous regular meeting's date);
- the plan's own rules (`job: check`), for the gaps open on that day, each with its owner from
  assignments.csv, and the people named in them.
The meeting is ready when every checklist item that is judged (not advisory) has passed or is
exempted; open plan gaps are listed for the meeting to discuss, they do not block it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..facts import library
from ..facts.case import Case
from ..facts.values import date_number
from ..judge.exemptions import people_in
from ..judge.findings import Gap
from ..ruleset.prepare import Prepared
from ..ruleset.rulespec import RuleSet
from .check import Evaluator, Report, run_check

READY_OK = ("passed", "exempted", "advisory")


def last_meeting_before(case: Case, day: dt.date) -> dt.date | None:
    """The latest regular meeting strictly before `day`, from meetings.csv."""
    return library.last_regular_meeting(case, day)


def owner_of(p: Prepared, case: Case) -> str | None:
    """The person answering for a rule: an assignment to the rule id, else to the most specific
    plan section containing it, else the cell's secretary."""
    best: tuple[int, str] | None = None
    section = p.rule.section.upper()
    for assignment in library.assignments(case):
        scope, person = assignment.scope.strip().upper(), assignment.person
        if scope == p.id.upper():
            rank = 1000
        elif section == scope or section.startswith(scope + "."):
            rank = len(scope)
        else:
            continue
        if best is None or rank > best[0]:
            best = (rank, person)
    return best[1] if best else library.cell_info(case).secretary


@dataclass
class ReadyReport:
    meeting: dt.date
    last_meeting: dt.date | None
    items: Report
    plan: Report
    owners: dict[str, str | None] = field(default_factory=dict)
    # person -> [(rule, gap)] of the open plan gaps naming them (not_counted lists included)
    owing: dict[str, list[tuple[Prepared, Gap]]] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(f.status in READY_OK for _, f in self.items.results)


def run_ready(
    case: Case, ruleset: RuleSet, prepared: list[Prepared], checklist: list[Prepared], meeting: dt.date,
    evaluator: Evaluator = "engine",
) -> ReadyReport:
    """`prepared`: the plan's rules; `checklist`: the rules with job: ready (prepare(ruleset, "ready"))."""
    last = last_meeting_before(case, meeting)
    before_plan = case.start - dt.timedelta(days=1)
    runtime = {"meeting": date_number(meeting), "last_meeting": date_number(last or before_plan)}
    items = run_check(case, ruleset, checklist, meeting, evaluator, runtime=runtime)
    plan = run_check(case, ruleset, prepared, meeting, evaluator)
    owners = {p.id: owner_of(p, case) for p, f in plan.results if f.status in ("gap", "no_data")}
    owing: dict[str, list[tuple[Prepared, Gap]]] = {}
    for report in (items, plan):
        _collect_owing(report, owing)
    for p, _ in items.results:
        owners.setdefault(p.id, owner_of(p, case))
    return ReadyReport(meeting, last, items, plan, owners, owing)


def _collect_owing(report: Report, owing: dict[str, list[tuple[Prepared, Gap]]]) -> None:
    """Who is named by an open gap. 'Not yet counted' lists (members not yet supervised) are the
    cell's to-do, not something those people owe, so they are left out."""
    for p, f in report.results:
        if f.status != "gap":
            continue
        for gap in f.gaps:
            if gap.candidate:
                continue
            for person in people_in(p, gap, report):
                owing.setdefault(person, []).append((p, gap))


def run_cell(case: Case, plan: Any, meeting: dt.date, evaluator: Evaluator, only: list[str] | None = None
             ) -> ReadyReport:
    """The readiness review as a job (jobs/registry.py): the plan's checklist (its `job: ready` rules, which may
    be bad input: InputError) and its own rules, as of the meeting."""
    return run_ready(case, plan.ruleset, plan.prepared, plan.checklist, meeting, evaluator)


def stored(result: ReadyReport) -> tuple[Report, list[Report]]:
    """What the store keeps of a readiness review: its plan's rules, and its checklist beside them."""
    return result.plan, [result.items]


def failing(result: ReadyReport, strict: bool = False) -> bool:
    """Exit 1: the meeting is not ready."""
    return not result.ready
