"""Draft minutes of a cell meeting (biên bản sinh hoạt chi bộ), filled in from the readiness review.

The order is that of Hướng dẫn 12-HD/BTCTW (Ban Tổ chức Trung ương, 2018) for a regular meeting: time and place;
attendance (the roster's members on the day, with the absences recorded for it and their reasons); chair and
minute-taker; the opening (reason, programme, Party dues); news and documents from above (the resolutions issued
since the last meeting nobody has been briefed on yet); the Uncle Ho story and its presenter; the review of the
last meeting's decisions; the plan's own checks of the month (only when the plan's checklist has such items, e.g.
a QCCM check — nothing is assumed about a school); the plan's open gaps with their owners; commendations proposed;
tasks for the coming month; then blanks for the discussion, the vote, the self-assessment, the closing time and
the signatures of the minute-taker and the chair. What the records do not say is a dotted blank for the
minute-taker, never a guess. The result is a `Document` with a Party document's header (BIÊN BẢN), rendered to
.docx by docx.py (`chibo ready CASE --meeting DATE --minutes FILE.docx`); views.agenda_lines follows the same order.
"""

from __future__ import annotations

from typing import Any

from ..facts import library
from ..jobs.ready import ReadyReport
from .document import BulletItem, Bullets, Cell, Closing, Document, Paragraph, Section, Signature, Span, Table
from .i18n import t
from .labels import Labeller, fmt_date, observed_text
from .views import (
    BLANK,
    MINUTES_CODE,
    MONTHS_EN,
    ROMAN,
    SHORT_BLANK,
    counted_records,
    gap_lines,
    open_gaps_section,
    party_header,
    plan_checks,
    status_span,
)

SHOWN_RECORDS = 5  # records listed under a check of the month


def minutes_document(r: ReadyReport, lang: str) -> Document:
    case = r.items.case
    labeller = Labeller(r.items, lang, sources=False)  # a document to file: no file or line of the records
    day = r.meeting
    subject = t("minutes_subject", lang, m=day.month, y=day.year, month=MONTHS_EN[day.month - 1])
    header = party_header(case, MINUTES_CODE, t("kind_minutes", lang), subject, day, lang)
    contents = [
        _opening(r, lang),
        _documents(r, lang),
        _story(r, lang, labeller),
        _review(r, lang, labeller),
        _checks(r, lang, labeller),
        _gaps(r, lang, labeller),
        _commendations(r, lang, labeller),
        _tasks(r, lang, labeller),
        Section(t("m_discussion", lang), [_blank_lines(4)]),
        Section(t("m_vote", lang), [Paragraph([t("m_vote_text", lang, blank=SHORT_BLANK)])]),
        Section(t("m_self", lang), [Paragraph([t("m_self_text", lang, blank=BLANK)]),
                                    Paragraph([t("m_close", lang, blank=SHORT_BLANK)])]),
    ]
    numbered = [Section(f"{n}. {s.title}", s.blocks, s.sections, s.anchor)
                for n, s in enumerate((s for s in contents if s is not None), 1)]
    sections = [
        Section(f"{ROMAN['1']}. {t('m_time_place', lang)}", [
            Paragraph([t("m_time", lang, blank=SHORT_BLANK, date=fmt_date(day, lang))]),
            Paragraph([t("m_place", lang, blank=BLANK)])]),
        _attendance(r, lang),
        Section(f"{ROMAN['3']}. {t('m_content', lang)}", sections=numbered),
    ]
    signatures = [Signature([t("m_sign_taker", lang)], BLANK, t("sign_note", lang)),
                  Signature([t("m_sign_chair", lang)], BLANK, t("sign_note", lang))]
    return Document(lang, t("minutes_title", lang, date=fmt_date(day, lang)), [("", t("minutes_note", lang))],
                    [], sections, "", header, Closing(signatures))


def _blank_lines(n: int) -> Paragraph:
    return Paragraph(["\n".join([BLANK * 4] * n)])


def _attendance(r: ReadyReport, lang: str) -> Section:
    case, day = r.items.case, r.meeting
    members = library.members_on(case, day)
    absences = {a.person: a for a in library.absences_on(case, day, lang)}
    probationary = sum(m.probationary for m in members)
    blocks: list[Any] = [
        Paragraph([t("m_members", lang, n=len(members), official=len(members) - probationary,
                     probationary=probationary)]),
        Paragraph([t("m_present", lang, blank=SHORT_BLANK)]),
    ]
    recorded = [m for m in members if m.ref in absences]
    if recorded:
        blocks.append(Paragraph([t("m_absences_recorded", lang)]))
        blocks.append(Bullets([BulletItem([t("m_absence_line", lang, name=m.name, kind=absences[m.ref].kind,
                                             reason=absences[m.ref].reason or t("m_no_reason", lang))])
                               for m in recorded]))
    else:
        blocks.append(Paragraph([t("m_no_absence", lang)], style="note"))
    rows: list[list[Cell]] = []
    for n, m in enumerate(members, 1):
        notes = [t("m_committee", lang)] * m.committee + [t("m_probationary", lang)] * m.probationary
        absence = absences.get(m.ref)
        away = f"{absence.kind}: {absence.reason or t('m_no_reason', lang)}" if absence else ""
        present = "" if absence and absence.absent else "☐"
        rows.append([str(n), m.name, ", ".join(notes), present, away])
    columns = [t(c, lang) for c in ("m_col_no", "m_col_name", "m_col_role", "m_col_present", "m_col_absent")]
    blocks.append(Table(columns, rows, ratios=[1, 6, 3, 2, 6]))
    blocks += [Paragraph([t("m_guests", lang, blank=BLANK)]), Paragraph([t("m_chair", lang, blank=BLANK)]),
               Paragraph([t("m_taker", lang, blank=BLANK)])]
    return Section(f"{ROMAN['2']}. {t('m_attendance', lang)}", blocks)


def _opening(r: ReadyReport, lang: str) -> Section:
    members = library.members_on(r.items.case, r.meeting)
    return Section(t("m_opening", lang), [
        Paragraph([t("m_opening_text", lang, blank=BLANK)]),
        Paragraph([t("m_dues", lang, m=r.meeting.month, y=r.meeting.year, n=len(members), blank=SHORT_BLANK)]),
    ])


def _documents(r: ReadyReport, lang: str) -> Section:
    pending = library.resolutions_to_brief(r.items.case, r.last_meeting, r.meeting)
    blocks: list[Any] = []
    if pending:
        blocks.append(Bullets([BulletItem([t("m_resolution_line", lang, ref=res.ref, title=res.title,
                                             issued=fmt_date(res.issued, lang),
                                             brief_by=fmt_date(res.brief_by, lang))]) for res in pending]))
    else:
        blocks.append(Paragraph([t("m_no_resolution", lang)], style="note"))
    blocks.append(Paragraph([t("m_news", lang, blank=BLANK)]))
    return Section(t("m_documents", lang), blocks)


def _story(r: ReadyReport, lang: str, labeller: Labeller) -> Section:
    meeting = library.regular_meeting_on(r.items.case, r.meeting)
    if meeting is not None and meeting.story and meeting.presenter:
        text = t("m_story_line", lang, story=meeting.story, presenter=labeller.person(meeting.presenter, short=True))
    else:
        text = t("m_story_missing", lang, blank=BLANK)
    return Section(t("m_story", lang), [Paragraph([text])])


def _decision_state(d: library.Decision, r: ReadyReport, lang: str) -> Cell:
    if d.done_on is not None and d.done_on <= r.meeting:
        return Span(t("m_done", lang, date=fmt_date(d.done_on, lang)), "passed")
    if d.due is not None and d.due > r.meeting:
        return Span(t("m_not_due", lang), "not_due")
    if d.due is None:
        return Span(t("m_open", lang), "no_data")
    return Span(t("m_overdue", lang), "gap", strong=True)


def _review(r: ReadyReport, lang: str, labeller: Labeller) -> Section:
    if r.last_meeting is None:
        return Section(t("m_review_none", lang), [Paragraph([t("m_no_previous", lang)], style="note")])
    title = t("m_review", lang, date=fmt_date(r.last_meeting, lang))
    decisions = library.decisions_of(r.items.case, r.last_meeting)
    if not decisions:
        return Section(title, [Paragraph([t("m_no_decisions", lang)], style="note")])
    rows: list[list[Cell]] = [
        [d.ref, d.task, labeller.person(d.owner, short=True) if d.owner else "", fmt_date(d.due, lang) if d.due else "",
         _decision_state(d, r, lang)] for d in decisions]
    columns = [t("col_id", lang)] + [t(c, lang) for c in ("m_col_task", "m_col_owner", "m_col_due", "m_col_result")]
    return Section(title, [Table(columns, rows, ratios=[4, 9, 4, 4, 4]),
                           Paragraph([f"{t('m_discussion', lang)}: {BLANK}"])])


def _checks(r: ReadyReport, lang: str, labeller: Labeller) -> Section | None:
    checks = plan_checks(r)
    if not checks:
        return None
    items = []
    for p, f in checks:
        done = f.status in ("passed", "exempted")
        # the requirement by its title alone: its rule code is chibo's, not the minutes'
        head: list[Cell] = [f"{getattr(p.rule.title, lang)} — ", status_span("ready" if done else "not_ready", lang)]
        if done:  # the records that make it so (a check's date and scope), else what was observed
            children = counted_records(p, f, labeller, SHOWN_RECORDS) or [observed_text(p, f, labeller, lang)]
        else:
            children = gap_lines(p, f, labeller, lang)
        items.append(BulletItem(head, children, done))
    return Section(t("m_checks", lang), [Bullets(items), Paragraph([f"{t('m_discussion', lang)}: {BLANK}"])])


def _gaps(r: ReadyReport, lang: str, labeller: Labeller) -> Section:
    return Section(t("m_gaps", lang), open_gaps_section(r, lang, labeller, codes=False).blocks)


def _commendations(r: ReadyReport, lang: str, labeller: Labeller) -> Section:
    deeds = library.good_deeds_between(r.items.case, r.last_meeting, r.meeting)
    blocks: list[Any] = []
    if deeds:
        blocks.append(Bullets([BulletItem([t("m_commend_line", lang, name=labeller.person(d.person, short=True),
                                             deed=d.deed, date=fmt_date(d.date, lang))]) for d in deeds]))
    else:
        blocks.append(Paragraph([t("m_commend_none", lang)], style="note"))
    blocks.append(Paragraph([t("m_commend_agreed", lang, blank=BLANK)]))
    return Section(t("m_commend", lang), blocks)


def _tasks(r: ReadyReport, lang: str, labeller: Labeller) -> Section:
    items = []
    if r.last_meeting is not None:
        for d in library.decisions_of(r.items.case, r.last_meeting):
            if d.done_on is None or d.done_on > r.meeting:
                who = labeller.person(d.owner, short=True) if d.owner else BLANK
                due = fmt_date(d.due, lang) if d.due else BLANK
                items.append(BulletItem([t("m_task_carry", lang, task=d.task, owner=who, due=due)]))
    for p, f in r.plan.results:
        if f.status not in ("gap", "no_data"):
            continue
        owner = r.owners.get(p.id)
        items.append(BulletItem([t("m_task_gap", lang, title=getattr(p.rule.title, lang),
                                   hint=getattr(p.rule.hint, lang),
                                   owner=labeller.person(owner, short=True) if owner else t("unassigned", lang))]))
    items += [BulletItem([BLANK * 3]) for _ in range(2)]
    return Section(t("m_tasks", lang), [Bullets(items)])
