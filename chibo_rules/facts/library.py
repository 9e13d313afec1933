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
from .models import field_choices
from .schema import Schema

ROSTER = "people"
_MEETINGS, _ASSIGNMENTS, _EXEMPTIONS = "meetings", "assignments", "exemptions"
_REGULAR = "regular"
# kinds every plan's jobs read, whatever its rules read: who answers for a requirement, what is exempted
EVERY_PLAN = (_ASSIGNMENTS, _EXEMPTIONS)
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


# ------------------------------------------------------------------ Party documents and meeting minutes
# The header and closing of a Party document (Hướng dẫn 36-HD/VPTW) and the draft minutes of a meeting
# (Hướng dẫn 12-HD/BTCTW) read the cell's optional fields and a few library kinds, here only.

_ABSENCES, _RESOLUTIONS, _BRIEFINGS, _DECISIONS, _GOOD_DEEDS = (
    "absences", "resolutions", "briefings", "decisions", "good_deeds")
_ABSENT = "absent"


@dataclass(frozen=True)
class Letterhead:
    """What the header and closing of the cell's documents say. None (or empty): not declared, so the
    document leaves a blank to fill in — nothing is guessed."""

    name: str
    higher_committee: str  # the declared line, else the Party committee the cell belongs to
    place: str | None
    recipients: tuple[str, ...]
    document_code: str | None
    secretary: str | None  # a roster code


def letterhead(case: Case) -> Letterhead:
    cell = case.cell
    higher = getattr(cell, "higher_committee", None) or cell.party_committee  # type: ignore[attr-defined]
    return Letterhead(cell.name, higher, getattr(cell, "place", None) or None,  # type: ignore[attr-defined]
                      tuple(getattr(cell, "recipients", None) or ()), getattr(cell, "document_code", None) or None,
                      getattr(cell, "secretary", None))


@dataclass(frozen=True)
class Member:
    ref: str
    name: str
    committee: bool
    probationary: bool  # admitted during the plan and not yet official on the day


def members_on(case: Case, day: dt.date) -> list[Member]:
    """The cell's Party members on `day`, in roster order: marked as members, admitted by then (a blank
    admission date: before the plan), not yet left, already arrived."""
    out = []
    for r in case.records.get(ROSTER, []):
        f: Any = r.fact
        if not f.party_member or (f.admitted is not None and f.admitted > day):
            continue
        if (f.joined is not None and f.joined > day) or (f.left is not None and f.left <= day):
            continue
        probationary = f.admitted is not None and (f.official is None or f.official > day)
        out.append(Member(r.key, f.name, bool(f.committee_member), probationary))
    return out


def person_name(case: Case, ref: str | None) -> str | None:
    """A roster code's name, or None (no code, or not on the roster)."""
    for r in case.records.get(ROSTER, []):
        if r.key == ref:
            return r.fact.name  # type: ignore[attr-defined]
    return None


@dataclass(frozen=True)
class Absence:
    person: str
    absent: bool  # absent all day (else late or leaving early)
    kind: str  # the absence's kind in words
    reason: str | None


def absences_on(case: Case, day: dt.date, lang: str) -> list[Absence]:
    """The absences recorded on `day` (absences.csv), with their reason when one is recorded."""
    out = []
    for r in case.records.get(_ABSENCES, []):
        f: Any = r.fact
        if f.date != day:
            continue
        choices = field_choices(type(f), "kind")
        kind = choices.label(f.kind, lang) if choices else str(f.kind)
        out.append(Absence(f.person, f.kind == _ABSENT, kind, f.reason or None))
    return out


@dataclass(frozen=True)
class Resolution:
    ref: str
    title: str
    issued: dt.date
    brief_by: dt.date


def resolutions_to_brief(case: Case, since: dt.date | None, day: dt.date) -> list[Resolution]:
    """Resolutions issued after `since` (the last meeting; None: from the start) and by `day`, which nobody
    was briefed on before `day` (a briefing on the day itself is the meeting's): what the meeting passes on."""
    briefed = {r.fact.resolution for r in case.records.get(_BRIEFINGS, [])  # type: ignore[attr-defined]
               if r.fact.date < day}  # type: ignore[attr-defined]
    out = []
    for r in case.records.get(_RESOLUTIONS, []):
        f: Any = r.fact
        if (since is None or f.issued > since) and f.issued <= day and r.key not in briefed:
            out.append(Resolution(r.key, f.title, f.issued, f.brief_by))
    return sorted(out, key=lambda x: (x.issued, x.ref))


@dataclass(frozen=True)
class Decision:
    ref: str
    task: str
    owner: str | None
    due: dt.date | None
    done_on: dt.date | None


def decisions_of(case: Case, day: dt.date) -> list[Decision]:
    """What the regular meeting held on `day` decided (decisions.csv)."""
    meeting = next((m.ref for m in meetings(case) if m.regular and m.date == day), None)
    if meeting is None:
        return []
    return [Decision(r.key, r.fact.task, r.fact.owner, r.fact.due, r.fact.done_on)  # type: ignore[attr-defined]
            for r in case.records.get(_DECISIONS, []) if r.fact.meeting == meeting]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class GoodDeed:
    person: str
    date: dt.date
    deed: str


def good_deeds_between(case: Case, after: dt.date | None, until: dt.date) -> list[GoodDeed]:
    """Good deeds recorded after `after` (None: from the start) and by `until`, by date."""
    out = [GoodDeed(r.fact.person, r.fact.date, r.fact.deed)  # type: ignore[attr-defined]
           for r in case.records.get(_GOOD_DEEDS, [])
           if (after is None or r.fact.date > after) and r.fact.date <= until]  # type: ignore[attr-defined]
    return sorted(out, key=lambda d: d.date)


def minutes_kinds() -> frozenset[str]:
    """The library kinds the minutes give a place of their own (the meeting and its story, the last
    meeting's decisions, good deeds to commend, attendance, resolutions): a checklist item reading only
    other kinds is one of the plan's own checks (e.g. a QCCM check) and gets the "checks" item."""
    return frozenset({_MEETINGS, _DECISIONS, _GOOD_DEEDS, ROSTER, _ABSENCES, _RESOLUTIONS, _BRIEFINGS})
