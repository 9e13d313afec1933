"""Exemptions (waivers): documented exceptions applied to findings after they are judged.

An exemption (exemptions.csv) names rules, optionally a person, the period it covers, a reason,
an approver and an expiry. It never hides anything: a gap it covers moves to the finding's
`exempted` list with the exemption's ref, and a finding all of whose gaps are covered becomes
`exempted`. After its expiry an exemption stops applying: the gaps stay gaps, each marked with the
expired exemption, and the report lists the exemption as expired. Both evaluators' findings pass
through here unchanged in kind, so the engine and the oracle still agree after exemptions.

Which gaps an exemption covers:
- the gap's rule is among its `rules`;
- with a `person`, the gap names that person: a staff record, or a record whose `person` field is
  that person (a timesheet, an absence…);
- the gap's dates fall inside [start, end]: a week or month overlapping it, a record dated inside it;
  a gap with no date of its own (a count short of its target) is dated at the rule's due date,
  or the as-of date for a requirement judged continuously.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, Problem
from ..facts import library
from ..facts.case import Case, Record
from ..facts.values import number_date
from ..ruleset.prepare import Prepared
from ..ruleset.rulespec import Rule
from .findings import EXEMPTED, OPEN, Finding, Gap
from .verdict import Report


@dataclass
class ExemptionState:
    """One exemption of the case and what it did in this report."""

    ref: str
    exemption: library.Exemption
    record: Record
    state: str  # active | expired | not_started
    covered: list[tuple[str, Gap]] = field(default_factory=list)  # (rule id, gap) waived
    would_cover: list[tuple[str, Gap]] = field(default_factory=list)  # expired: not waived


def check_rule_names(case: Case, rules: list[Rule]) -> None:
    """Rule ids in exemptions.csv and scopes in assignments.csv must name rules (or plan sections) the rules
    folder has: a typo ('R4l') would otherwise silently exempt or assign nothing."""
    ids = {r.id.upper() for r in rules}
    sections = {r.section.upper() for r in rules}
    problems = []
    for ex in library.exemptions(case):
        unknown = [rid for rid in ex.rules if rid.upper() not in ids]
        if unknown:
            problems.append(_problem(ex.record, library.EXEMPTION_RULES, "unknown_rule_id", ", ".join(unknown),
                                     ";".join(ex.rules)))
    for a in library.assignments(case):
        scope = a.scope.strip().upper()
        if scope not in ids and not any(s == scope or s.startswith(scope + ".") for s in sections):
            problems.append(_problem(a.record, library.ASSIGNMENT_SCOPE, "unknown_scope", a.scope, a.scope))
    if problems:
        raise InputError(problems)


def _problem(rec: Record, field_name: str, code: str, detail: str, value: str) -> Problem:
    cell = rec.where.cell(field_name, rec.line) if rec.where else None
    return Problem(rec.file, rec.line, field_name, code, detail, value, rec.sheet, cell)


def _state(ex: library.Exemption, as_of: dt.date) -> str:
    if as_of > ex.expires:
        return "expired"
    if ex.approved_on is not None and as_of < ex.approved_on:
        return "not_started"
    return "active"


def _ref_span(p: Prepared, alias: str, key: str, report: Report) -> tuple[dt.date, dt.date] | None:
    bound = p.alias_map().get(alias)
    if bound is None:
        return None
    fact = report.lookup.get((bound.lookup_type(p.id), key))
    if fact is None:
        return None
    if bound.pattern.calendar:
        return number_date(fact["start"]), number_date(fact["end"])
    name = report.case.schema.dated_by(bound.pattern.kind or "") if report.case.schema else None
    if name and isinstance(fact.get(name), int):
        day = number_date(fact[name])
        return day, day
    return None


def people_in(p: Prepared, gap: Gap, report: Report) -> list[str]:
    """The people a gap names: a roster record itself, or whoever a record it names refers to."""
    found: list[str] = []
    for alias, key in gap.refs:
        bound = p.alias_map().get(alias)
        if bound is None or not bound.pattern.kind:
            continue
        fact = report.lookup.get((bound.lookup_type(p.id), key), {})
        for person in library.people_named(report.ruleset.schema, bound.pattern.kind, fact, key):
            if person not in found:
                found.append(person)
    return found


def _covers(ex: library.Exemption, p: Prepared, gap: Gap, report: Report) -> bool:
    if p.id.upper() not in {r.upper() for r in ex.rules}:
        return False
    if ex.person and ex.person not in people_in(p, gap, report):
        return False
    spans = [s for s in (_ref_span(p, a, k, report) for a, k in gap.refs) if s is not None]
    if not spans:
        day = p.due_date if p.due_date is not None and p.due_date <= report.as_of else report.as_of
        spans = [(day, day)]
    return any(start <= ex.end and ex.start <= end for start, end in spans)


def apply(report: Report) -> Report:
    """Mark the gaps the case's exemptions cover; returns the same report, findings replaced."""
    states = [ExemptionState(ex.ref, ex, ex.record, _state(ex, report.as_of)) for ex in library.exemptions(report.case)]
    report.exemptions = states
    if not states:
        return report
    results = []
    for p, f in report.results:
        results.append((p, _apply_one(p, f, states, report) if f.status in OPEN else f))
    report.results = results
    return report


def _apply_one(p: Prepared, f: Finding, states: list[ExemptionState], report: Report) -> Finding:
    kept: list[Gap] = []
    waived: list[Gap] = []
    for gap in f.gaps:
        active = next((s for s in states if s.state == "active" and _covers(s.exemption, p, gap, report)), None)
        if active is not None:
            gap = _with(gap, exempted_by=active.ref)
            active.covered.append((p.id, gap))
            waived.append(gap)
            continue
        lapsed = next((s for s in states if s.state != "active" and _covers(s.exemption, p, gap, report)), None)
        if lapsed is not None:
            gap = _with(gap, expired_exemption=lapsed.ref)
            lapsed.would_cover.append((p.id, gap))
        kept.append(gap)
    if not waived:
        return Finding(**{**f.__dict__, "gaps": kept})
    substantive = [g for g in kept if not g.candidate]
    status = f.status if substantive else EXEMPTED
    return Finding(**{**f.__dict__, "status": status, "gaps": kept, "exempted": waived})


def _with(gap: Gap, **changes: Any) -> Gap:
    return Gap(**{**gap.__dict__, **changes})
