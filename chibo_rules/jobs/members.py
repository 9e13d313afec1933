"""Each member's own year: what the cell recorded about them and the gaps that name them, for their self-review.

Input is the cell's judged check (`run_check` at the review date). For every Party member on the cell's roster on
that day: every record whose owner field (a kind's declared `who`) is that member and that is dated in the year
(a record of a kind without a date counts in every year), grouped by kind; and every open gap of the plan's
requirements that names them (`people_in`), with the days it concerns. "Not yet counted" lists (members nobody
has supervised yet) are the cell's to-do, not the member's shortcoming, and are left out — as the readiness
review's "who owes what" does. The form that fits each member (Mẫu 2A/2B/2C-HD KĐ.ĐG) and the cell's officers
come from the self-review settings (facts/selfreview.py), which are data: no kind or field is named here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..facts import library, selfreview
from ..facts.case import Record
from ..facts.values import number_date
from ..judge.exemptions import people_in
from ..judge.findings import OPEN, Gap
from ..judge.verdict import Report
from ..ruleset.prepare import Prepared
from ..ruleset.rulespec import RuleSet, bundled_rules_root, library_of

# each folder's self-review.yaml sits in its review/ folder: a *.yaml beside plan.yaml is a rule, and the plan
# cache reads the *.yaml beside a library's kinds/
FOLDER = "review"


@dataclass(frozen=True)
class MemberGap:
    rule: Prepared
    gap: Gap
    start: dt.date | None  # the first and last day of the records it names (None: the requirement as a whole)
    end: dt.date | None


@dataclass
class MemberYear:
    ref: str
    name: str
    form: str  # a key of the settings' forms ("2A")
    chosen_by: selfreview.Condition | None  # None: no condition held, the default form
    officer: bool
    record: Record  # the roster record
    records: dict[str, list[Record]] = field(default_factory=dict)  # kind -> records, in the case's order
    gaps: list[MemberGap] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(v) for v in self.records.values())


@dataclass
class MembersReview:
    report: Report
    year: int
    settings: selfreview.Settings
    members: list[MemberYear]

    @property
    def officers(self) -> set[str]:
        return {m.ref for m in self.members if m.officer}


def settings_files(ruleset: RuleSet) -> list[Path]:
    """The self-review.yaml files that apply to a plan, the library's first: its library's, each library
    extension's it uses, then the plan's own (each in the folder's review/); those that exist."""
    folder = ruleset.folder
    lib = library_of(folder, ruleset.plan) if folder is not None else bundled_rules_root() / "library"
    folders = [lib, *(lib.parent / f"library-{name}" for name in ruleset.plan.uses)]
    if folder is not None:
        folders.append(folder)
    return [p for p in (f / FOLDER / selfreview.FILE_NAME for f in folders) if p.is_file()]


def load_settings(ruleset: RuleSet) -> selfreview.Settings:
    paths = settings_files(ruleset)
    if not paths:
        raise InputError([Problem(str(bundled_rules_root() / "library" / FOLDER / selfreview.FILE_NAME), None, None,
                                  "missing_file")])
    settings = selfreview.load(paths)
    selfreview.check_fields(settings, ruleset.schema, library.ROSTER)
    return settings


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and value > 10_000_000:
        return number_date(value)
    if isinstance(value, str) and len(value) >= 8 and "-W" in value:  # an ISO week: its Monday
        year, _, week = value.partition("-W")
        try:
            return dt.date.fromisocalendar(int(year), int(week), 1)
        except ValueError:
            return None
    return None


def record_day(report: Report, record: Record) -> dt.date | None:
    schema = report.case.schema or report.ruleset.schema
    dated = schema.dated_by(record.kind)
    return _day(selfreview.roster_value(record.fact, dated)) if dated else None


def owned_records(report: Report, year: int) -> dict[str, dict[str, list[Record]]]:
    """member -> kind -> their records dated in `year` (or undated), of every kind with a declared owner."""
    schema = report.case.schema or report.ruleset.schema
    out: dict[str, dict[str, list[Record]]] = {}
    for kind, records in report.case.records.items():
        decl = schema.kinds.get(kind)
        if decl is None or not decl.who:
            continue
        for rec in records:
            owner = selfreview.roster_value(rec.fact, decl.who)
            day = record_day(report, rec)
            if owner is None or (day is not None and day.year != year):
                continue
            out.setdefault(str(owner), {}).setdefault(kind, []).append(rec)
    return out


def _gap_days(p: Prepared, gap: Gap, report: Report) -> tuple[dt.date | None, dt.date | None]:
    """The days the records a gap names fall on: a period's first and last day, a record's date."""
    days: list[dt.date] = []
    bound = p.alias_map()
    for alias, key in gap.refs:
        b = bound.get(alias)
        if b is None:
            continue
        fact = report.lookup.get((b.lookup_type(p.id), key), {})
        if b.pattern.calendar:
            days += [d for d in (_day(fact.get("start")), _day(fact.get("end"))) if d is not None]
        elif b.pattern.kind:
            schema = report.case.schema or report.ruleset.schema
            dated = schema.dated_by(b.pattern.kind)
            day = _day(fact.get(dated)) if dated else None
            if day is not None:
                days.append(day)
    return (min(days), max(days)) if days else (None, None)


def member_gaps(report: Report, year: int) -> dict[str, list[MemberGap]]:
    """member -> the open gaps that name them (a "not yet counted" list excepted), in plan order: those of
    `year` (a gap whose records all fall in another year belongs to that year's review) and undated ones."""
    out: dict[str, list[MemberGap]] = {}
    for p, f in report.results:
        if f.status not in OPEN:
            continue
        for gap in f.gaps:
            if gap.candidate:
                continue
            start, end = _gap_days(p, gap, report)
            if start is not None and end is not None and not start.year <= year <= end.year:
                continue
            for person in people_in(p, gap, report):
                out.setdefault(person, []).append(MemberGap(p, gap, start, end))
    return out


def review_members(report: Report, year: int, settings: selfreview.Settings | None = None) -> MembersReview:
    """Every Party member on the roster at the end of `year`, with their form, records of `year` and gaps.
    InputError when the year is not one of the plan's or the settings are bad."""
    years = sorted(report.ruleset.plan.years)
    if year not in years:
        detail = f"{year} ∉ {years[0]}…{years[-1]}" if years else str(year)
        raise InputError([Problem(str(report.case.path), None, None, "members_year", detail)])
    settings = settings or load_settings(report.ruleset)
    owned = owned_records(report, year)
    gaps = member_gaps(report, year)
    roster = {r.key: r for r in report.case.records.get(library.ROSTER, [])}
    officer_forms = settings.officer_forms()
    members = []
    # the members at the year's end (or the review date, when earlier): a member who left during the year has
    # no self-review here; one admitted during it has
    for m in library.members_on(report.case, min(report.as_of, dt.date(year, 12, 31))):
        rec = roster[m.ref]
        form, why = selfreview.choose(settings, rec.fact)
        members.append(MemberYear(m.ref, m.name, form, why, form in officer_forms, rec,
                                  owned.get(m.ref, {}), gaps.get(m.ref, [])))
    return MembersReview(report, year, settings, members)
