"""Reports as Documents: what a check, an audit, a readiness review and a roll-up show, in words.

Every format but JSON is rendered from these Documents (output.py), so the terminal, Markdown and
HTML show the same things. Views only read findings; they decide nothing about compliance.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .. import __version__
from ..facts import library
from ..jobs import registry
from ..jobs.audit import AuditReport, Change
from ..jobs.ready import ReadyReport, owner_of
from ..jobs.rollup import Rollup
from ..judge.findings import EXEMPTED, OPEN, PACE_STATUSES, SHORTFALLS, Finding
from ..judge.verdict import Report
from ..ruleset.prepare import Prepared
from .document import (
    BulletItem,
    Bullets,
    Cell,
    Closing,
    Document,
    Paragraph,
    PartyHeader,
    Section,
    Signature,
    Span,
    Table,
)
from .i18n import severity as severity_words
from .i18n import status, still, t
from .labels import (
    Labeller,
    by_section,
    evaluator_words,
    fmt_date,
    fmt_number,
    observed_text,
    summary_line,
    target_text,
)
from .problems import problem_line, problem_text

FLAGGED = ("gap", "no_data", "behind_pace", "exempted")
EXTRA_STATUSES = (*PACE_STATUSES, EXEMPTED)
# a blank left for the secretary to fill in by hand (never a guess): long in a line, short in a number
BLANK, SHORT_BLANK = "……………………", "……"
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # not strftime("%B"), which follows the machine's locale
# the kind of document in its number (Hướng dẫn 36-HD/VPTW): báo cáo, biên bản
REPORT_CODE, MINUTES_CODE = "BC", "BB"


def severity(name: str, lang: str) -> str:
    return severity_words(name, lang)


def status_span(name: str, lang: str) -> Span:
    return Span(status(name, lang), status=name, strong=name in ("gap", "not_ready", "error"))


def summary_text(report: Report, lang: str) -> str:
    """The check's summary line, plus the audit and exemption statuses when any occur."""
    text = summary_line(report, lang)
    counts = report.counts()
    extra = [t("summary_extra", lang, n=counts[s], label=status(s, lang).lower()) for s in EXTRA_STATUSES
             if counts.get(s)]
    return text + (", " + ", ".join(extra) if extra else "")


def _title(p: Prepared, lang: str) -> str:
    return getattr(p.rule.title, lang)


def _target(p: Prepared, f: Finding, lang: str) -> str:
    text = target_text(p, f, lang)
    if f.status in ("behind_pace", "on_pace") and "milestone" in f.target:
        by = fmt_date(dt.date.fromisoformat(f.target["by"]), lang)
        text += f" ({t('milestone_note', lang, milestone=fmt_number(f.target['milestone'], lang), by=by)})"
    return text


def person_name(labeller: Labeller, key: str | None, lang: str) -> str:
    if not key:
        return t("unassigned", lang)
    return labeller.person(key)


def choose_note(p: Prepared, f: Finding, lang: str) -> str | None:
    """After a count's shortfall, what the list below it is: any `needed` of the N not yet counted will do
    ("chọn 1 trong 7 người sau:"), not all of them."""
    short = next((g for g in f.gaps if g.reason in SHORTFALLS), None)
    others = [g for g in f.gaps if g.candidate]
    if short is None or not others:
        return None
    kind = p.alias_map()[others[0].refs[0][0]].pattern.kind if others[0].refs else None
    what = t("among_people" if kind == library.ROSTER else "among_items", lang)
    needed = short.values.get("needed")
    if not isinstance(needed, int) or needed >= len(others):
        return t("choose_all", lang, n=len(others), what=what)
    key = "choose_among_one" if needed == 1 else "choose_among"
    return t(key, lang, needed=fmt_number(needed, lang), n=len(others), what=what)


def gap_lines(p: Prepared, f: Finding, labeller: Labeller, lang: str) -> list[str]:
    """Every line a finding's details show: its gaps (with expired exemptions), then waived gaps. A count's
    shortfall says that any of the listed subjects will do."""
    if f.status == "no_data" or (not f.gaps and not f.exempted):
        return [observed_text(p, f, labeller, lang)]
    lines = []
    note = choose_note(p, f, lang)
    for g in f.gaps:
        text = labeller.gap(p, g)
        if note and g.reason in SHORTFALLS:
            text, note = f"{text} — {note}", None
        if g.expired_exemption:
            text = t("expired_gap", lang, text=text, ref=g.expired_exemption)
        lines.append(text)
    for g in f.exempted:
        lines.append(t("exempted_gap", lang, text=labeller.gap(p, g), ref=g.exempted_by))
    return lines


def _section_tables(report: Report, lang: str, labeller: Labeller) -> list[Section]:
    columns = [t(c, lang) for c in ("col_id", "col_requirement", "col_status", "col_target", "col_observed")]
    out = []
    for section, rows in by_section(report).items():
        table = Table(columns, [
            [p.id, _title(p, lang), status_span(f.status, lang), _target(p, f, lang),
             observed_text(p, f, labeller, lang)]
            for p, f in rows
        ], ratios=[1, 6, 2, 4, 4])
        out.append(Section(f"{t('section', lang)} {section}", [table], anchor=section))
    return out


def detail_section(p: Prepared, f: Finding, labeller: Labeller, lang: str, owner: str | None = None) -> Section:
    """One flagged requirement: the plan clause it comes from, who or what is missing, what to do."""
    blocks: list[Any] = [
        Paragraph([Span(f"{t('clause', lang)} ({p.rule.section}): ", strong=True), f"“{p.rule.clause.strip()}”"]),
        Bullets([BulletItem([line]) for line in gap_lines(p, f, labeller, lang)]),
    ]
    if owner is not None:
        blocks.append(Paragraph([f"{t('owner', lang)}: ", Span(owner, strong=True)]))
    blocks.append(Paragraph([f"{t('hint', lang)}: {getattr(p.rule.hint, lang)}"], style="note"))
    title = f"{p.id} — {_title(p, lang)} ({status(f.status, lang)})"
    return Section(title, blocks, anchor=p.id)


def _owner(p: Prepared, report: Report, labeller: Labeller, lang: str) -> str | None:
    case = report.case
    if not library.has_assignments(case) and not library.cell_info(case).secretary:
        return None
    return person_name(labeller, owner_of(p, case), lang)


def details(report: Report, lang: str, labeller: Labeller) -> Section | None:
    flagged = [(p, f) for p, f in report.results if f.status in FLAGGED]
    if not flagged:
        return None
    return Section(t("details", lang), sections=[
        detail_section(p, f, labeller, lang, _owner(p, report, labeller, lang)) for p, f in flagged
    ], anchor="details")


def exemptions_section(report: Report, lang: str, labeller: Labeller) -> Section | None:
    """Every exemption of the case and its state: applied ones with what they waive, expired ones
    named as expired (their gaps still count)."""
    if not report.exemptions:
        return None
    items = []
    for state in report.exemptions:
        ex = state.exemption
        person = f" — {person_name(labeller, ex.person, lang)}" if ex.person else f" — {t('whole_cell', lang)}"
        line = t("exemption_line", lang, ref=state.ref, rules=", ".join(ex.rules), person=person,
                 start=fmt_date(ex.start, lang), end=fmt_date(ex.end, lang), reason=ex.reason,
                 approver=ex.approved_by, expires=fmt_date(ex.expires, lang))
        if state.state == "expired":
            verdict = Span(t("exemption_expired", lang, date=fmt_date(ex.expires, lang), n=len(state.would_cover)),
                           status="gap", strong=True)
        elif state.state == "not_started":
            verdict = Span(t("exemption_not_started", lang, date=fmt_date(ex.approved_on, lang)), status="not_due")
        else:
            verdict = Span(t("exemption_active", lang, n=len(state.covered)), status="exempted")
        by_rule = {p.id: p for p, _ in report.results}
        children = [f"{rid}: {labeller.gap(by_rule[rid], g)}" for rid, g in state.covered + state.would_cover]
        items.append(BulletItem([line, " ", verdict], children))
    return Section(t("exemptions_title", lang), [Bullets(items)], anchor="waivers")


def _meta(report: Report, lang: str) -> list[tuple[str, str]]:
    cell = library.cell_info(report.case)
    meta = [(t("cell", lang), f"{cell.name} — {cell.party_committee}"),
            (t("plan", lang), getattr(report.ruleset.plan.name, lang)),
            (t("as_of", lang), fmt_date(report.as_of, lang))]
    if report.evaluator == "oracle":
        meta.append(("", t("evaluator_oracle", lang)))
    return meta


# ------------------------------------------------------------------- a Party document's header and closing


def place_date(place: str | None, day: dt.date, lang: str) -> str:
    """"Vĩnh Bình Nam, ngày 05 tháng 02 năm 2020": a day below 10 and the months 1 and 2 with a leading zero."""
    where = place or SHORT_BLANK * 3
    if lang == "vi":
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        return t("place_date", lang, place=where, d=f"{day.day:02d}", m=month, y=day.year)
    return t("place_date", lang, place=where, date=f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}")


def plan_years(plan: Any, lang: str) -> str:
    years = sorted(plan.years)
    if len(years) == 1:
        return t("plan_years_one", lang, y=years[0])
    return t("plan_years_many", lang, start=years[0], end=years[-1])


def party_header(case: Any, code: str, kind: str, subject: str, day: dt.date, lang: str) -> PartyHeader:
    """The header of a document the cell issues: its higher committee and its own name in capitals, the
    number left blank for the secretary (with the cell's code when declared), the place and date."""
    head = library.letterhead(case)
    number = t("doc_number", lang, number=SHORT_BLANK, kind=code, code=head.document_code or SHORT_BLANK)
    return PartyHeader(head.higher_committee.upper(), head.name.upper(), number, t("party_name", lang),
                       place_date(head.place, day, lang), kind, subject)


def cell_closing(case: Any, lang: str) -> Closing:
    """"Nơi nhận:" and the cell's recipients (blank lines when none is declared); T/M CHI BỘ, BÍ THƯ and the
    secretary's name (a blank when the cell names no secretary)."""
    head = library.letterhead(case)
    recipients = [f"- {r}" for r in head.recipients] or [f"- {BLANK}", f"- {BLANK}", f"- {BLANK}"]
    name = library.person_name(case, head.secretary) or BLANK
    signature = Signature([t("on_behalf_cell", lang), t("secretary_title", lang)], name)
    return Closing([signature], t("recipients", lang), recipients)


def _check_header(report: Report, lang: str, subject: str) -> tuple[PartyHeader, Closing]:
    header = party_header(report.case, REPORT_CODE, t("kind_report", lang), subject, report.as_of, lang)
    return header, cell_closing(report.case, lang)


def _footer(report: Report, lang: str) -> str:
    return t("generated_by", lang, version=__version__, evaluator=evaluator_words(report.evaluator, lang))


def sources_appendix(reports: list[Report], lang: str, evidence: bool = False, named: bool = False) -> Section | None:
    """Where each gap's records were read from (file and line, sheet and row), for a document whose body
    names none: per requirement, its lines as the screen shows them. With `evidence`, an advisory item's
    evidence records too (the readiness checklist lists them); `named`: each item under its cell's name
    (a roll-up's cells)."""
    items: list[BulletItem] = []
    seen: set[tuple[int, str]] = set()
    for n, report in enumerate(reports):
        full, bare = Labeller(report, lang), Labeller(report, lang, sources=False)
        cell = f"{library.cell_info(report.case).name} — " if named else ""
        for p, f in report.results:
            gaps = [*f.gaps, *f.exempted]
            pairs = [(full.gap(p, g), bare.gap(p, g)) for g in gaps]
            kind = p.evidence.pattern.kind if p.evidence else None
            if evidence and f.status == "advisory" and kind:
                pairs += [(full.record(kind, k), bare.record(kind, k)) for k in f.observed.get("evidence", [])]
            shown = [line for line, plain in pairs if line != plain]
            if shown and (n, p.id) not in seen:
                seen.add((n, p.id))
                items.append(BulletItem([cell, Span(p.id, strong=True), f" {_title(p, lang)}"], shown))
    if not items:
        return None
    return Section(t("sources_title", lang), [Paragraph([t("sources_note", lang)], style="note"), Bullets(items)],
                   anchor="sources")


def with_appendix(doc: Document, reports: list[Report], lang: str, evidence: bool = False,
                  named: bool = False) -> Document:
    appendix = sources_appendix(reports, lang, evidence, named)
    if appendix is not None:
        doc.sections.append(appendix)
    return doc


def check_document(report: Report, lang: str, sources: bool = True) -> Document:
    """The check's report. `sources=False`: records without their file and line (the filed variant's body)."""
    labeller = Labeller(report, lang, sources)
    sections = _section_tables(report, lang, labeller)
    sections += [s for s in (details(report, lang, labeller), exemptions_section(report, lang, labeller)) if s]
    subject = t("subject_check", lang, years=plan_years(report.ruleset.plan, lang), date=fmt_date(report.as_of, lang))
    header, closing = _check_header(report, lang, subject)
    doc = Document(lang, t("report_title", lang), _meta(report, lang), [Span(summary_text(report, lang), strong=True)],
                   sections, _footer(report, lang), header, closing)
    if sources:
        doc.filed = lambda: with_appendix(check_document(report, lang, sources=False), [report], lang)
    return doc


# ---------------------------------------------------------------------------------------------- audit


def audit_document(audit: AuditReport, lang: str, sources: bool = True) -> Document:
    report = audit.report
    labeller = Labeller(report, lang, sources)
    meta = _meta(report, lang)
    if audit.previous is not None:
        meta.append((t("previous_quarter", lang), fmt_date(audit.previous.as_of, lang)))
    sections = _section_tables(report, lang, labeller)
    sections.append(changes_section(audit, lang, labeller))
    sections.append(todo_section(audit, lang, labeller))
    sections += [s for s in (details(report, lang, labeller), exemptions_section(report, lang, labeller)) if s]
    q, y = audit.quarter[1], report.as_of.year
    subject = t("subject_audit", lang, years=plan_years(report.ruleset.plan, lang), q=ROMAN.get(q, q))
    header, closing = _check_header(report, lang, subject)
    doc = Document(lang, t("audit_title", lang, q=q, y=y), meta, [Span(summary_text(report, lang), strong=True)],
                   sections, _footer(report, lang), header, closing)
    if sources:
        doc.filed = lambda: with_appendix(audit_document(audit, lang, sources=False), [report], lang)
    return doc


def _within(change: Change) -> bool:
    """Items that came or went inside a requirement open at both dates (not one newly failing, nor one behind
    pace last quarter and missed now)."""
    return (change.before in OPEN and change.after in OPEN
            and not (change.before == "behind_pace" and change.after == "gap"))


def change_words(change: Change, lang: str) -> str:
    """"Mới phát sinh" for a requirement that newly failed; "Thêm 1 thiếu sót mới" for gaps added to one
    already failing (and "Khắc phục 1 thiếu sót" for gaps fixed in one still failing)."""
    if not _within(change):
        return status(change.kind, lang)
    key = "change_more" if change.kind == "new" else "change_fewer"
    return t(key + ("_one" if len(change.gaps) == 1 else ""), lang, n=len(change.gaps))


def states_words(change: Change, lang: str) -> str:
    if change.before == change.after:
        state = still(change.after, lang) or status(change.after, lang).lower()
        return t("still", lang, state=state)
    return f"{status(change.before, lang)} → {status(change.after, lang)}"


def changes_section(audit: AuditReport, lang: str, labeller: Labeller) -> Section:
    title = t("changes_title", lang)
    if audit.previous is None:
        return Section(title, [Paragraph([t("no_previous", lang)], style="note")], anchor="changes")
    if not audit.changes:
        return Section(title, [Paragraph([t("no_changes", lang)])], anchor="changes")
    by_id = {p.id: p for p, _ in audit.report.results}
    rows: list[list[Cell]] = []
    for change in audit.changes:
        p = by_id[change.rule_id]
        items = "; ".join(labeller.gap(p, g) for g in change.gaps) or "—"
        rows.append([p.id, _title(p, lang), Span(change_words(change, lang), status=change.kind, strong=True),
                     states_words(change, lang), items])
    columns = [t(c, lang) for c in ("col_id", "col_requirement", "col_change", "col_before_after", "col_items")]
    return Section(title, [Table(columns, rows, ratios=[1, 4, 2, 3, 6])], anchor="changes")


def todo_section(audit: AuditReport, lang: str, labeller: Labeller) -> Section:
    horizon = audit.next_quarter_end
    title = t("todo_title", lang, date=fmt_date(horizon, lang)) if horizon else t("todo_title_end", lang)
    by_id = {p.id: (p, f) for p, f in audit.report.results}
    items = []
    for todo in audit.todo:
        p, f = by_id[todo.rule_id]
        head: list[Cell] = [Span(p.id, strong=True), f" {_title(p, lang)} — "]
        children: list[str] = []
        if todo.reason in ("gap", "behind_pace"):
            head.append(status_span(todo.reason, lang))
            lines = gap_lines(p, f, labeller, lang)
            children = lines[:5] + ([t("more_below", lang, n=len(lines) - 5)] if len(lines) > 5 else [])
            children.append(f"{t('hint', lang)}: {getattr(p.rule.hint, lang)}")
        elif todo.reason == "milestone":
            assert todo.by is not None
            head.append(t("todo_milestone", lang, expected=fmt_number(todo.expected, lang),
                          date=fmt_date(todo.by, lang)))
        else:
            assert todo.by is not None
            head.append(t("todo_due_soon", lang, date=fmt_date(todo.by, lang)))
        owner = _owner(p, audit.report, labeller, lang)
        if owner:
            children.append(f"{t('owner', lang)}: {owner}")
        items.append(BulletItem(head, children))
    if not items:
        return Section(title, [Paragraph([t("nothing_to_do", lang)])], anchor="todo")
    return Section(title, [Bullets(items)], anchor="todo")


# ---------------------------------------------------------------------------------------- readiness


def ready_document(r: ReadyReport, lang: str, sources: bool = True) -> Document:
    labeller = Labeller(r.items, lang, sources)
    cell = library.cell_info(r.items.case)
    verdict = "ready" if r.ready else "not_ready"
    meta = [(t("cell", lang), f"{cell.name} — {cell.party_committee}"),
            (t("last_meeting", lang), fmt_date(r.last_meeting, lang) if r.last_meeting else t("none_before", lang)),
            (t("verdict", lang), status(verdict, lang))]
    sections = [checklist_section(r, lang, labeller), open_gaps_section(r, lang, labeller),
                owing_section(r, lang, labeller), agenda_section(r, lang, labeller)]
    flagged = [s for s in (details(r.plan, lang, labeller), exemptions_section(r.plan, lang, labeller)) if s]
    title = t("ready_title", lang, date=fmt_date(r.meeting, lang))
    header = party_header(r.items.case, REPORT_CODE, t("kind_report", lang), title, r.meeting, lang)
    doc = Document(lang, title, meta, [status_span(verdict, lang)], sections + flagged, _footer(r.items, lang),
                   header, cell_closing(r.items.case, lang))
    if sources:
        doc.filed = lambda: with_appendix(ready_document(r, lang, sources=False), [r.items, r.plan], lang, True)
    return doc


def checklist_section(r: ReadyReport, lang: str, labeller: Labeller) -> Section:
    items = []
    for p, f in r.items.results:
        checked = None if f.status == "advisory" else f.status in ("passed", "exempted")
        head: list[Cell] = [Span(p.id, strong=True), f" {_title(p, lang)} — "]
        head.append(status_span("info" if checked is None else ("ready" if checked else "not_ready"), lang))
        if f.status == "advisory":
            evidence = f.observed.get("evidence", [])
            kind = p.evidence.pattern.kind if p.evidence else ""
            children = [labeller.record(kind or "", key) for key in evidence] or [t("good_deeds_none", lang)]
        elif checked:  # what was found against what was asked, then the records counted
            children = [t("observed_against", lang, observed=observed_text(p, f, labeller, lang),
                          target=_target(p, f, lang))]
            children += counted_records(p, f, labeller)
        else:
            children = gap_lines(p, f, labeller, lang)
            children.append(f"{t('hint', lang)}: {getattr(p.rule.hint, lang)}")
            children.append(f"{t('owner', lang)}: {person_name(labeller, r.owners.get(p.id), lang)}")
        items.append(BulletItem(head, children, checked))
    return Section(t("checklist_title", lang), [Bullets(items)], anchor="checklist")


def counted_records(p: Prepared, f: Finding, labeller: Labeller, limit: int = 5) -> list[str]:
    """The records a passed count or coverage counted (a check's date and scope), at most `limit`."""
    return [labeller.record(b.pattern.kind, key) for keys in (f.observed.get("items") or [])
            for b, key in zip(p.dims, keys) if b.pattern.kind][:limit]


def open_gaps_section(r: ReadyReport, lang: str, labeller: Labeller, codes: bool = True) -> Section:
    """The plan's open gaps with their owners; without `codes` (the minutes), no rule-code column."""
    rows: list[list[Cell]] = []
    for p, f in r.plan.results:
        if f.status not in ("gap", "no_data"):
            continue
        lines = gap_lines(p, f, labeller, lang)
        more = f" (+{len(lines) - 3})" if len(lines) > 3 else ""
        row: list[Cell] = [p.id, _title(p, lang), status_span(f.status, lang),
                           person_name(labeller, r.owners.get(p.id), lang), "; ".join(lines[:3]) + more]
        rows.append(row[0 if codes else 1:])
    title = t("open_gaps_title", lang)
    if not rows:
        return Section(title, [Paragraph([t("no_open_gaps", lang)])], anchor="open-gaps")
    columns = [t(c, lang) for c in ("col_id", "col_requirement", "col_status", "owner", "col_items")]
    ratios = [1, 4, 2, 3, 7]
    if not codes:
        columns, ratios = columns[1:], ratios[1:]
    return Section(title, [Table(columns, rows, ratios=ratios)], anchor="open-gaps")


def owing_section(r: ReadyReport, lang: str, labeller: Labeller) -> Section:
    title = t("owing_title", lang)
    if not r.owing:
        return Section(title, [Paragraph([t("nobody_owing", lang)])], anchor="owing")
    items = []
    for person in sorted(r.owing, key=labeller.person):
        lines = [f"{p.id} {_title(p, lang)}: {labeller.gap(p, g)}" for p, g in r.owing[person]]
        items.append(BulletItem([Span(labeller.person(person), strong=True)], lines))
    return Section(title, [Bullets(items)], anchor="owing")


def plan_checks(r: ReadyReport) -> list[tuple[Prepared, Finding]]:
    """The checklist items that are the plan's own checks (e.g. a QCCM check since the last meeting): those
    reading none of the kinds the minutes give a place of their own (story, decisions, good deeds…). A plan
    without such an item has no "checks" item in the agenda or the minutes."""
    own = library.minutes_kinds()
    return [(p, f) for p, f in r.items.results if p.kinds() and not set(p.kinds()) & own]


def commended_names(r: ReadyReport, labeller: Labeller) -> list[str]:
    """The people the checklist's evidence (good deeds since the last meeting) names, each once."""
    names: list[str] = []
    for p, f in r.items.results:
        if f.status != "advisory" or p.evidence is None or not p.evidence.pattern.kind:
            continue
        kind = p.evidence.pattern.kind
        for key in f.observed.get("evidence", []):
            fact = r.items.lookup.get((kind, key), {})
            for person in library.people_named(r.items.ruleset.schema, kind, fact, key):
                name = labeller.person(person, short=True)
                if name not in names:
                    names.append(name)
    return names


def agenda_lines(r: ReadyReport, lang: str, labeller: Labeller) -> list[str]:
    """A draft agenda, in the order of the minutes (Hướng dẫn 12-HD/BTCTW; report/minutes.py): opening and
    dues, documents from above, the Uncle Ho story, the last meeting's decisions, the plan's own checks (when
    the plan has such checklist items), open gaps, commendations, tasks and the vote, self-assessment, close."""
    case = r.items.case
    meeting = library.regular_meeting_on(case, r.meeting)
    lines = [t("agenda_opening", lang)]
    pending = library.resolutions_to_brief(case, r.last_meeting, r.meeting)
    lines.append(t("agenda_documents", lang, items=", ".join(res.ref for res in pending)) if pending
                 else t("agenda_documents_none", lang))
    if meeting is not None and meeting.story and meeting.presenter:
        presenter = labeller.person(meeting.presenter, short=True)
        lines.append(t("agenda_story", lang, story=meeting.story, presenter=presenter))
    else:
        lines.append(t("agenda_story_missing", lang))
    if r.last_meeting is not None:
        lines.append(t("agenda_review", lang, date=fmt_date(r.last_meeting, lang)))
    checks = plan_checks(r)
    if checks:
        lines.append(t("agenda_checks", lang, items="; ".join(_title(p, lang) for p, _ in checks)))
    lines.append(t("agenda_gaps", lang))
    names = commended_names(r, labeller)
    lines.append(t("agenda_commend", lang, names=", ".join(names)) if names else t("agenda_commend_none", lang))
    lines.append(t("agenda_tasks", lang))
    lines.append(t("agenda_self", lang))
    lines.append(t("agenda_close", lang))
    return lines


def agenda_section(r: ReadyReport, lang: str, labeller: Labeller) -> Section:
    lines = agenda_lines(r, lang, labeller)
    return Section(t("agenda_title", lang), [Bullets([BulletItem([f"{n}. {line}"]) for n, line in
                                                       enumerate(lines, 1)])], anchor="agenda")


def agenda_markdown(r: ReadyReport, lang: str) -> str:
    """The draft agenda alone, as Markdown to paste into the meeting minutes."""
    labeller = Labeller(r.items, lang)
    cell = library.cell_info(r.items.case)
    when = t("ready_title", lang, date=fmt_date(r.meeting, lang))
    head = [f"# {t('agenda_title', lang)} — {cell.name}", "", f"**{when}**", ""]
    lines = [f"{n}. {line}" for n, line in enumerate(agenda_lines(r, lang, labeller), 1)]
    return "\n".join(head + lines) + f"\n\n<!-- chibo {__version__} -->\n"


# ------------------------------------------------------------------------------------------- roll-up


def worst_text(cell: Any, lang: str) -> str:
    """The cell's most severe open requirements, each by its code and title with its severity (and "behind
    pace" when it is that rather than a gap)."""
    items = []
    for p, state in cell.worst():
        level = severity(p.rule.severity, lang)
        if state != "gap":
            level += f", {status(state, lang).lower()}"
        items.append(t("worst_item", lang, id=p.id, title=_title(p, lang), severity=level))
    return "\n".join(items) or "—"  # one per line


def common_as_of(rollup: Rollup) -> dt.date | None:
    """The date most cells were judged at (the first cell's on a tie); None when no cell was judged."""
    days = [c.judged.as_of for c in rollup.cells if c.judged is not None]
    return max(dict.fromkeys(days), key=days.count) if days else None


def _as_of_meta(rollup: Rollup, common: dt.date, lang: str) -> str:
    """One date when every cell was judged at it; else that date and, apart, each cell judged at another
    (e.g. a term plan ending two years later): never one date for cells judged at two."""
    others = [f"{library.cell_info(c.judged.case).name}: {fmt_date(c.judged.as_of, lang)}" for c in rollup.cells
              if c.judged is not None and c.judged.as_of != common]
    if not others:
        return fmt_date(common, lang)
    return t("as_of_mixed", lang, date=fmt_date(common, lang), others=", ".join(others))


def rollup_document(rollup: Rollup, lang: str, full: bool = False, sources: bool = True) -> Document:
    """One row per cell, worst first, with the cell's verdict in its own report's statuses (an audit's
    behind pace is not a gap) and its own date where it differs from the others'; a broken cell shows its
    problems; with `full`, every cell's own report follows as a section."""
    columns = ["#", f"{t('col_cell_name', lang)} ({t('col_case', lang).lower()})", t("plan", lang),
               t("col_status", lang)]
    shown = ["passed", "gap", "behind_pace", "no_data", "not_due", "exempted"]
    columns += [status(s, lang) for s in shown] + [t("col_worst", lang)]
    common = common_as_of(rollup)
    rows: list[list[Cell]] = []
    broken: list[Section] = []
    for n, cell in enumerate(rollup.cells, 1):
        report = cell.judged
        if report is None:
            verdict, line = status_span("error", lang), t("cell_errors", lang, n=len(cell.problems))
            if cell.unreadable:  # nothing of it was read: say so, and why, on its row
                verdict = Span(t("unreadable", lang), status="error", strong=True)
                line = problem_text(cell.problems[0], lang) if cell.problems else line
            rows.append([str(n), f"({cell.path.name})", "", verdict, *([""] * len(shown)), line])
            heading = t("unreadable", lang) if cell.unreadable else status("error", lang)
            broken.append(Section(f"{heading}: {cell.path}", [
                Bullets([BulletItem([problem_line(p, lang)]) for p in cell.problems])], anchor=f"error-{n}"))
            continue
        counts = report.counts()
        plan = report.ruleset.plan.id
        if report.as_of != common:  # judged at another date than the others (its own plan's last day)
            plan += "\n" + t("own_as_of", lang, date=fmt_date(report.as_of, lang))
        rows.append([str(n), f"{library.cell_info(report.case).name} ({cell.path.name})", plan,
                     status_span(cell.verdict, lang), *[str(counts.get(s, 0)) for s in shown],
                     worst_text(cell, lang)])
    verdicts = [c.verdict for c in rollup.cells]
    words = {"n": len(rollup.cells), "ok": verdicts.count("passed"), "errors": verdicts.count("error")}
    job = registry.get(rollup.command)
    # a check has no behind_pace: its cells with gaps are those whose verdict is gap
    summary = t(job.rollup_count, lang, gaps=verdicts.count("gap"), behind=verdicts.count("behind_pace"), **words)
    unreadable = sum(c.unreadable for c in rollup.cells)
    summary += t("cells_unreadable", lang, n=unreadable) if unreadable else ""
    summary += t("exit_input", lang) if rollup.exit_problems and not rollup.crashed else ""
    table = Table(columns, rows, ratios=[1, 5, 5, 3, 2, 2, 2, 2, 2, 2, 10])
    sections = [Section(t("rollup_title", lang), [table, *_skipped_note(rollup, lang)], anchor="rollup"), *broken]
    if full:
        for cell in rollup.cells:
            if cell.judged is None:
                continue
            doc = job.call("document", getattr(cell, job.cell), lang, sources)
            sections.append(Section(t("full_report_of", lang, name=library.cell_info(cell.judged.case).name),
                                    [Paragraph([f"{k}: {v}" if k else v for k, v in doc.meta[0:1]]),
                                     Paragraph(doc.summary)], doc.sections, anchor=f"cell-{cell.path.name}"))
    first = next((c.judged for c in rollup.cells if c.judged is not None), None)
    meta: list[tuple[str, str]] = []
    plans = {c.judged.ruleset.plan.id: c.judged.ruleset.plan for c in rollup.cells if c.judged is not None}
    for each in plans.values():  # each cell is judged by its own plan: name every plan in the roll-up
        meta.append((t("plan", lang), f"{each.id} — {getattr(each.name, lang)}"))
    if common is not None:
        meta.append((t("as_of", lang), _as_of_meta(rollup, common, lang)))
    if job.by_quarter and rollup.quarter:
        year, q = rollup.quarter.split("-Q")
        title = t("rollup_audit_title", lang, q=q, y=year)
    else:
        title = t("rollup_title", lang)
    footer = _footer(first, lang) if first else ""
    days = {c.judged.as_of for c in rollup.cells if c.judged is not None}
    day = common or dt.date.today()  # the date most cells were judged at
    if job.by_quarter and rollup.quarter:
        year, q = rollup.quarter.split("-Q")
        subject = t("subject_rollup_audit", lang, q=ROMAN.get(q, q), y=year)
    elif len(days) > 1:
        subject = t("subject_rollup_mixed", lang)
    else:
        subject = t("subject_rollup", lang, date=fmt_date(day, lang))
    doc = Document(lang, title, meta, [Span(summary, strong=True)], sections, footer,
                   *rollup_header(rollup, subject, day, lang))
    if full and sources:  # each cell's own report in it: filed with its sources in an appendix
        doc.filed = lambda: with_appendix(rollup_document(rollup, lang, full, sources=False),
                                          [c.judged for c in rollup.cells if c.judged is not None], lang,
                                          named=True)
    return doc


def _skipped_note(rollup: Rollup, lang: str, shown: int = 10) -> list[Paragraph]:
    """One line naming the lock, temporary, hidden and OS files left out of the folders searched, so a
    skipped file is never silent (nor a dozen lines)."""
    if not rollup.skipped:
        return []
    names = [Path(p).name for p in rollup.skipped]
    listed = ", ".join(names[:shown]) + (", …" if len(names) > shown else "")
    return [Paragraph([t("skipped_files", lang, n=len(names), names=listed)], style="note")]


def rollup_header(rollup: Rollup, subject: str, day: dt.date, lang: str) -> tuple[PartyHeader, Closing]:
    """A roll-up is issued by the committee above the cells (e.g. ĐẢNG ỦY XÃ …, under ĐẢNG BỘ HUYỆN …), which no
    case declares: its lines are blanks, except the place when every cell declares the same one."""
    places = {library.letterhead(c.judged.case).place for c in rollup.cells if c.judged is not None}
    place = places.pop() if len(places) == 1 else None
    number = t("doc_number", lang, number=SHORT_BLANK, kind=REPORT_CODE, code=SHORT_BLANK)
    header = PartyHeader(BLANK, BLANK, number, t("party_name", lang), place_date(place, day, lang),
                         t("kind_report", lang), subject)
    signature = Signature([t("on_behalf_blank", lang, blank=SHORT_BLANK * 2), BLANK], BLANK)
    return header, Closing([signature], t("recipients", lang), [f"- {BLANK}", f"- {BLANK}", f"- {BLANK}"])
