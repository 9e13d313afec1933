"""The shared library's records the jobs rely on, read in one place: the fact layer's.

The readiness review, exemptions, owners and reports need a few kinds every plan shares (the roster,
meetings, assignments, exemptions) and the cell's own fields. Only this module names those kinds and
fields (rules/library/kinds/*.yaml); every job and renderer reads them through the views below, so no
module outside the fact layer names a kind or a field of any plan (tests/test_plans.py checks it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .case import Case, Record
from .schema import Schema

ROSTER = "people"
_MEETINGS, _ASSIGNMENTS, _EXEMPTIONS = "meetings", "assignments", "exemptions"
_REGULAR = "regular"
# fields a problem in an exemption or an assignment points at
EXEMPTION_RULES, ASSIGNMENT_SCOPE = "rules", "scope"


@dataclass(frozen=True)
class CellInfo:
    name: str
    party_committee: str
    secretary: str | None
    unit: str | None


def cell_info(case: Case) -> CellInfo:
    cell = case.cell
    return CellInfo(cell.name, cell.party_committee, getattr(cell, "secretary", None),  # type: ignore[attr-defined]
                    getattr(cell, "unit", None))


def cell_data(name: str, party_committee: str, plan: str) -> dict[str, Any]:
    """A cell.yaml's data (a rule test's cell)."""
    return {"name": name, "party_committee": party_committee, "plan": plan}


@dataclass(frozen=True)
class Meeting:
    ref: str
    date: dt.date
    regular: bool
    story: str | None
    presenter: str | None


def meetings(case: Case) -> list[Meeting]:
    return [Meeting(r.key, r.fact.date, r.fact.kind == _REGULAR, r.fact.story,  # type: ignore[attr-defined]
                    r.fact.story_presenter)  # type: ignore[attr-defined]
            for r in case.records.get(_MEETINGS, [])]


def regular_meeting_on(case: Case, day: dt.date) -> Meeting | None:
    return next((m for m in meetings(case) if m.regular and m.date == day), None)


def last_regular_meeting(case: Case, day: dt.date) -> dt.date | None:
    """The latest regular meeting strictly before `day`."""
    return max((m.date for m in meetings(case) if m.regular and m.date < day), default=None)


@dataclass(frozen=True)
class Assignment:
    scope: str
    person: str
    record: Record


def has_assignments(case: Case) -> bool:
    return case.provided(_ASSIGNMENTS)


def assignments(case: Case) -> list[Assignment]:
    return [Assignment(r.fact.scope, r.fact.person, r)  # type: ignore[attr-defined]
            for r in case.records.get(_ASSIGNMENTS, [])]


@dataclass(frozen=True)
class Exemption:
    ref: str
    rules: tuple[str, ...]
    person: str | None
    start: dt.date
    end: dt.date
    reason: str
    approved_by: str
    approved_on: dt.date | None
    expires: dt.date
    record: Record


def exemptions(case: Case) -> list[Exemption]:
    out = []
    for r in case.records.get(_EXEMPTIONS, []):
        f = r.fact
        out.append(Exemption(r.key, tuple(f.rules), f.person, f.start, f.end, f.reason,  # type: ignore[attr-defined]
                             f.approved_by, f.approved_on, f.expires, r))  # type: ignore[attr-defined]
    return out


def people_named(schema: Schema, kind: str, fact: dict[str, Any], key: str) -> list[str]:
    """Who a record is about: the roster record itself, or the person its declared `who` field names."""
    if kind == ROSTER:
        return [key]
    decl = schema.kinds.get(kind)
    who = decl.who if decl else None
    return [fact[who]] if who and fact.get(who) else []
