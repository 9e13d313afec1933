"""Each Party member's self-review draft (Mẫu 2A/2B/2C-HD KĐ.ĐG of Hướng dẫn 43-HD/BTCTW), as Word files in a zip
and one workbook.

A member's document is a `Document` with a Party document's header (the cell, "BẢN KIỂM ĐIỂM CÁ NHÂN", the year and
the kind of member), the form chosen and why, the identity lines, then the parts of the form in its order (the
settings' `parts`, facts/selfreview.py): under each, the member's records of the kinds it lists, grouped by kind
with the kind's title (a long list is cut at `list_at_most` and counted; the workbook has every line), the gaps of
the plan that name them with their dates, and dotted lines for what only the member can write (causes, remedies,
the self-rating). Rendered to .docx by docx.py, like every Party document chibo writes.

Privacy: a member's document names no other member except the cell's officers (the members whose form is an
officer's, 2A): a person a record or a gap refers to is named only if they are the member or an officer, else
"(một đồng chí khác)". Names in the zip are built from the member's code and name folded to ASCII, never from a
path in the data, and are unique.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .. import __version__
from ..facts import library, selfreview
from ..facts.case import Record
from ..jobs.members import MemberGap, MembersReview, MemberYear, record_day, review_members
from ..judge.findings import Gap
from ..judge.verdict import Report
from ..ruleset.prepare import Prepared
from ..writing import WORKBOOK_MARK, check_target, write
from .document import BulletItem, Bullets, Closing, Document, Paragraph, PartyHeader, Section, Signature, Span
from .i18n import t
from .labels import Labeller, evaluator_words, fmt_date
from .views import BLANK, place_date

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
ZIP_COMMENT = b"chibo self-review"
MAX_NAME = 60  # characters of a file name inside the zip, before ".docx"


class PrivateLabeller(Labeller):
    """Names records as the report does, but a person only if they may be named in this member's document."""

    def __init__(self, report: Report, lang: str, allowed: set[str], shared: Labeller | None = None):
        """`shared`: a labeller of the same report and language whose index of records is reused (building it
        reads every record of the cell: once per run, not once per member)."""
        if shared is None:
            super().__init__(report, lang, sources=False)
        else:
            self.lang, self.sources, self.index, self.schema = lang, False, shared.index, shared.schema
        self.allowed = allowed
        # everyone else on the roster, by name and by code: free text a secretary typed (a good deed, a topic)
        # may name a colleague, and that is masked too
        others = [k for (kind, k) in self.index if kind == library.ROSTER and k not in allowed]
        words = {w for k in others for w in (k, Labeller.record(self, library.ROSTER, k, short=True)) if w.strip()}
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        self._others = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if alternatives else None

    def scrub(self, text: str) -> str:
        """`text` with every other person's name or code replaced by "(một đồng chí khác)"."""
        return self._others.sub(t("sr_other_member", self.lang), text) if self._others else text

    def gap(self, p: Prepared, gap: Gap) -> str:
        return self.scrub(super().gap(p, gap))

    def record(self, kind: str, key: str, short: bool = False) -> str:
        if kind == library.ROSTER and key not in self.allowed:
            return t("sr_other_member", self.lang)
        return super().record(kind, key, short)

    def owned(self, rec: Record, who: str | None) -> str:
        """A member's record in words, without the member (the document is theirs): its label fields, a number
        among them with its field's name ("phần việc số: 1"), then its other recorded fields, each named."""
        schema = self.schema
        decl = schema.kinds.get(rec.kind)
        label = [n for n in type(rec.fact).LABEL if n != who]
        skip = {who, decl.key if decl else None, *label}
        others = [n for n in (decl.fields if decl else {}) if n not in skip]
        parts = []
        for n in label + others:
            value = selfreview.roster_value(rec.fact, n)
            if value is None or value == "" or value == []:
                continue
            text = self._value(rec.kind, n, value)
            named = n in others or (isinstance(value, (int, float)) and not isinstance(value, bool))
            parts.append(f"{schema.field_label(rec.kind, n, self.lang)}: {text}" if named else text)
        return self.scrub(" — ".join(parts) or rec.key)


# ------------------------------------------------------------------------------------------ one member's parts


def _kinds_of(part: selfreview.Part, member: MemberYear, listed: set[str]) -> list[str]:
    """The member's kinds a part shows: those it lists, in its order; with `rest`, then every kind no part of
    the form lists, in the case's order."""
    kinds = [k for k in part.records if k in member.records]
    if part.rest:
        kinds += [k for k in member.records if k not in listed and k not in kinds]
    return kinds


def _listed(settings: selfreview.Settings, form: selfreview.Form) -> set[str]:
    out: set[str] = set()
    for part_id in form.parts:
        part = settings.parts[part_id]
        for p in (part, *part.items):
            out.update(p.records)
    return out


def _gap_when(g: MemberGap, lang: str) -> str | None:
    if g.start is None or g.end is None:
        return None
    if g.start == g.end:
        return fmt_date(g.start, lang)
    return f"{fmt_date(g.start, lang)}–{fmt_date(g.end, lang)}"


def gap_text(g: MemberGap, labeller: Labeller, lang: str) -> str:
    title = getattr(g.rule.rule.title, lang)
    text = labeller.gap(g.rule, g.gap)
    when = _gap_when(g, lang)
    return t("sr_gap_line", lang, title=title, when=when, text=text) if when else \
        t("sr_gap_undated", lang, title=title, text=text)


def _record_bullets(review: MembersReview, member: MemberYear, kinds: list[str], labeller: PrivateLabeller,
                    lang: str) -> Bullets:
    schema = review.report.case.schema or review.report.ruleset.schema
    items = []
    most = review.settings.list_at_most
    for kind in kinds:
        records = member.records[kind]
        who = schema.kinds[kind].who
        lines = [labeller.owned(r, who) for r in records[:most]]
        if len(records) > most:
            lines.append(t("sr_more", lang, n=len(records) - most))
        title = schema.kind_label(kind, lang)
        items.append(BulletItem([Span(t("sr_kind_count", lang, title=title[:1].upper() + title[1:], n=len(records)),
                                      strong=True)], lines))
    return Bullets(items)


def _blank_lines(n: int) -> Paragraph:
    return Paragraph(["\n".join([BLANK * 4] * n)])


def _part_blocks(review: MembersReview, member: MemberYear, part: selfreview.Part, listed: set[str],
                 labeller: PrivateLabeller, lang: str) -> list[Any]:
    blocks: list[Any] = []
    if part.records or part.rest:
        kinds = _kinds_of(part, member, listed)
        blocks.append(_record_bullets(review, member, kinds, labeller, lang) if kinds
                      else Paragraph([t("sr_no_records", lang)], style="note"))
    if part.gaps:
        if member.gaps:
            blocks.append(Bullets([BulletItem([gap_text(g, labeller, lang)]) for g in member.gaps]))
        else:
            blocks.append(Paragraph([t("sr_no_gaps", lang, date=fmt_date(review.report.as_of, lang))], style="note"))
    for line in part.rating:
        blocks.append(Paragraph([f"- {getattr(line, lang)}: {t('sr_levels', lang)}"]))
    if part.blank:
        blocks.append(_blank_lines(part.blank))
    return blocks


def _sections(review: MembersReview, member: MemberYear, labeller: PrivateLabeller, lang: str) -> list[Section]:
    form = review.settings.forms[member.form]
    listed = _listed(review.settings, form)
    sections = []
    for n, part_id in enumerate(form.parts):
        part = review.settings.parts[part_id]
        subs = [Section(f"{i}. {getattr(item.title, lang)}", _part_blocks(review, member, item, listed, labeller, lang))
                for i, item in enumerate(part.items, 1)]
        sections.append(Section(f"{ROMAN[n] if n < len(ROMAN) else n + 1}. {getattr(part.title, lang)}",
                                _part_blocks(review, member, part, listed, labeller, lang), subs, anchor=part_id))
    return sections


# ------------------------------------------------------------------------------------------ the document


def form_reason(review: MembersReview, member: MemberYear, labeller: PrivateLabeller, lang: str) -> str:
    """The form and why: the roster field and value that chose it, or that the default applied."""
    code = review.settings.forms[member.form].code
    why = member.chosen_by
    if why is None:
        return t("sr_default", lang, code=code)
    schema = review.report.case.schema or review.report.ruleset.schema
    value = labeller._value(library.ROSTER, why.field, selfreview.roster_value(member.record.fact, why.field))
    return t("sr_chosen", lang, code=code, field=schema.field_label(library.ROSTER, why.field, lang), value=value)


def _identity(review: MembersReview, member: MemberYear, labeller: PrivateLabeller, lang: str) -> list[tuple[str, str]]:
    lines = [(t("sr_name", lang), f"{member.name} ({member.ref})")]
    for line in review.settings.identity:
        value = selfreview.roster_value(member.record.fact, line.field) if line.field else None
        lines.append((getattr(line.label, lang),
                      labeller._value(library.ROSTER, line.field, value) if line.field and value else BLANK))
    info = library.cell_info(review.report.case)
    lines += [(t("sr_unit", lang), info.unit or BLANK), (t("sr_cell", lang), info.name)]
    return lines


def _for(review: MembersReview, member: MemberYear, lang: str, shared: Labeller | None) -> PrivateLabeller:
    return PrivateLabeller(review.report, lang, review.officers | {member.ref}, shared)


def member_document(review: MembersReview, member: MemberYear, lang: str, shared: Labeller | None = None) -> Document:
    """One member's self-review draft, in the order of their form (`shared`: see PrivateLabeller)."""
    report = review.report
    labeller = _for(review, member, lang, shared)
    form = review.settings.forms[member.form]
    head = library.letterhead(report.case)
    header = PartyHeader(head.higher_committee.upper(), head.name.upper(), "", t("party_name", lang),
                         place_date(head.place, report.as_of, lang), t("sr_kind", lang),
                         t("sr_subject", lang, year=review.year, who=getattr(form.who, lang)))
    meta = [(t("sr_form", lang), form_reason(review, member, labeller, lang)),
            *_identity(review, member, labeller, lang),
            ("", t("sr_note", lang, date=fmt_date(report.as_of, lang)))]
    # the signature bottom right, as on the form: an empty left column where a report has "Nơi nhận"
    closing = Closing([Signature([t("sr_signer", lang)], member.name, t("sign_note", lang))], "", [""])
    footer = t("generated_by", lang, version=__version__, evaluator=evaluator_words(report.evaluator, lang))
    return Document(lang, t("sr_title", lang, year=review.year, name=member.name), meta, [],
                    _sections(review, member, labeller, lang), footer, header, closing)


def member_lines(review: MembersReview, member: MemberYear, lang: str,
                 shared: Labeller | None = None) -> Iterator[list[Any]]:
    """The workbook's rows of one member: every record (none cut) and every gap, with the part it goes in."""
    labeller = _for(review, member, lang, shared)
    schema = review.report.case.schema or review.report.ruleset.schema
    form = review.settings.forms[member.form]
    listed = _listed(review.settings, form)
    for part_id in form.parts:
        part = review.settings.parts[part_id]
        for sub in (part, *part.items):
            title = getattr(sub.title, lang)
            if sub.records or sub.rest:
                for kind in _kinds_of(sub, member, listed):
                    who = schema.kinds[kind].who
                    for rec in member.records[kind]:
                        day = record_day(review.report, rec)
                        yield [member.ref, member.name, member.form, title, t("sr_type_record", lang),
                               schema.kind_label(kind, lang), labeller.owned(rec, who), day]
            if sub.gaps:
                for g in member.gaps:
                    yield [member.ref, member.name, member.form, title, t("sr_type_gap", lang),
                           getattr(g.rule.rule.title, lang), labeller.gap(g.rule, g.gap), g.start]


# ------------------------------------------------------------------------------------------ files


def ascii_part(text: str) -> str:
    """Text folded to ASCII letters, digits and hyphens: "Đặng Thị Mỹ Trang" -> "Dang-Thi-My-Trang"."""
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9]+", "-", plain.encode("ascii", "ignore").decode()).strip("-")


def file_names(members: list[MemberYear]) -> list[str]:
    """Each member's safe, unique, readable name inside the zip, in order: "P03-Dang-Thi-My-Trang.docx"."""
    out: list[str] = []
    seen: set[str] = set()
    for m in members:
        stem = "-".join(p for p in (ascii_part(m.ref), ascii_part(m.name)) if p)[:MAX_NAME].strip("-") or "member"
        name, n = stem, 1
        while name.lower() in seen:
            n += 1
            name = f"{stem}-{n}"
        seen.add(name.lower())
        out.append(f"{name}.docx")
    return out


def write_zip(review: MembersReview, lang: str, stream: IO[bytes]) -> None:
    from .docx import to_docx

    names = dict(zip((m.ref for m in review.members), file_names(review.members)))
    shared = Labeller(review.report, lang, sources=False)
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in review.members:
            archive.writestr(names[member.ref], to_docx(member_document(review, member, lang, shared)))
        archive.comment = ZIP_COMMENT


def write_workbook(review: MembersReview, lang: str, stream: IO[bytes]) -> None:
    """Sheet "1": one row per member (form, why, counts, Word file); sheet "2": one row per member × record or gap.
    Sheets are numbered, not named, so the workbook is never taken for a case (writing.py)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    names = dict(zip((m.ref for m in review.members), file_names(review.members)))
    shared = Labeller(review.report, lang, sources=False)
    book = Workbook()
    summary = book.active
    summary.title = "1"
    summary.append([f"{t('sr_sheet_members', lang, year=review.year)} — {library.cell_info(review.report.case).name}"
                    f" — {WORKBOOK_MARK}"])
    summary.append([t(c, lang) for c in ("sr_col_ref", "sr_col_name", "sr_col_form", "sr_col_reason",
                                         "sr_col_records", "sr_col_gaps", "sr_col_file")])
    for member in review.members:
        labeller = _for(review, member, lang, shared)
        summary.append([member.ref, member.name, member.form, form_reason(review, member, labeller, lang),
                        member.count(), len(member.gaps), names[member.ref]])
    items = book.create_sheet("2")
    items.append([t("sr_sheet_items", lang, year=review.year)])
    items.append([t(c, lang) for c in ("sr_col_ref", "sr_col_name", "sr_col_form", "sr_col_part", "sr_col_type",
                                       "sr_col_kind", "sr_col_text", "sr_col_date")])
    for member in review.members:
        for row in member_lines(review, member, lang, shared):
            items.append(row)
    for sheet in (summary, items):
        sheet["A1"].font = Font(bold=True)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A3"
    for row in items.iter_rows(min_row=3, min_col=8, max_col=8):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    book.save(stream)


def write_member_reviews(report: Report, year: int, out_zip: Path, workbook: Path, lang: str,
                         force: bool = False, settings: selfreview.Settings | None = None) -> list[Path]:
    """Every member's self-review draft of `year` as a Word file in the zip `out_zip`, and the workbook
    `workbook`; both written whole or not at all, never over a case's file or someone's work (writing.py;
    `force`: replace an existing file that is not an earlier output). Returns the two paths written.
    InputError: a year not of the plan, bad self-review settings; WriteRefused: a target refused."""
    review = review_members(report, year, settings)
    cases = [report.case.path]
    # both targets checked before anything is built or written: one refused, neither is written
    check_target(out_zip, "members_zip", cases, force)
    check_target(workbook, "workbook", cases, force)
    buffer = io.BytesIO()
    write_zip(review, lang, buffer)
    book = io.BytesIO()
    write_workbook(review, lang, book)
    write(out_zip, lambda stream: stream.write(buffer.getvalue()), "members_zip", cases, force)
    write(workbook, lambda stream: stream.write(book.getvalue()), "workbook", cases, force)
    return [out_zip, workbook]
