"""Each member's self-review draft (issue 24, item 3): what the cell recorded about each Party member in the year,
the gaps that name them, the form that fits them (Mẫu 2A/2B/2C-HD KĐ.ĐG, chosen by data), one Word file each in a
zip and one workbook — and no member's document names another member except the cell's officers."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from types import SimpleNamespace

import pytest

from chibo_rules.errors import InputError
from chibo_rules.facts import selfreview
from chibo_rules.jobs.check import default_as_of, run_check
from chibo_rules.jobs.members import MembersReview, load_settings, review_members, settings_files
from chibo_rules.jobs.plans import Plans, load_checked
from chibo_rules.report import members as members_report
from chibo_rules.report.docx import to_docx
from chibo_rules.report.labels import Labeller
from chibo_rules.report.members import file_names, member_document, write_member_reviews
from chibo_rules.report.output import to_markdown
from chibo_rules.writing import WriteRefused

from . import libreoffice
from .conftest import CASES, ROOT

BUNDLED = ["vbn1-2020", "vbn1-2020-compliant", "vbn2-2020", "tan-phuoc-2020-2022"]


@pytest.fixture(scope="module")
def reports():
    """Each bundled cell judged at the end of its plan (the oracle: the same findings, faster to start)."""
    out = {}
    plans = Plans()
    for name in BUNDLED:
        case, plan = load_checked(CASES / name, plans)
        out[name] = run_check(case, plan.ruleset, plan.prepared, default_as_of(case), "oracle")
    return out


@pytest.fixture(scope="module")
def vbn1(reports) -> MembersReview:
    return review_members(reports["vbn1-2020"], 2020)


# ------------------------------------------------------------------------------------------ what is gathered

# every record of 2020 whose owner is the member, per kind: what the example cell's files hold
TEACHER = {"briefings": 7, "emulation_titles": 1, "hcm_items": 2, "hcm_registrations": 1, "household_tasks": 15,
           "movements": 2, "ratings": 1, "timesheets": 29}
VBN1_RECORDS = {
    "P01": {**TEACHER, "assignments": 5, "decisions": 3, "good_deeds": 1},
    "P02": {**TEACHER, "assignments": 3, "decisions": 7, "good_deeds": 1},
    "P03": {**TEACHER, "assignments": 1, "decisions": 7, "good_deeds": 1},
    "P04": {**TEACHER, "assignments": 1, "good_deeds": 2, "good_teachers": 1, "supervisions": 1},
    "P05": {**TEACHER, "good_deeds": 1, "supervisions": 1},
    "P06": {**TEACHER, "good_deeds": 1, "good_teachers": 1, "supervisions": 1},
    "P07": {**TEACHER, "decisions": 4, "good_deeds": 1, "supervisions": 2},
    "P08": {**TEACHER, "good_deeds": 2, "good_teachers": 1, "supervisions": 1},
    "P09": {**TEACHER, "good_deeds": 2, "inspections": 1},
    "P10": {**TEACHER, "absences": 1, "good_deeds": 2, "good_teachers": 1, "supervisions": 1},
    "P11": {**TEACHER, "good_deeds": 1, "supervisions": 1},
    "P12": {**TEACHER, "good_deeds": 2, "good_teachers": 1, "supervisions": 1},
    "P13": {**TEACHER, "good_deeds": 2, "inspections": 1},
    "P14": {**TEACHER, "good_deeds": 2, "good_teachers": 1},
    "P15": {**TEACHER, "good_deeds": 2, "supervisions": 1},
    "P29": {**TEACHER, "assignments": 2, "decisions": 3, "good_deeds": 2, "supervisions": 1},
    "P31": {**TEACHER, "assignments": 1, "good_deeds": 2, "timesheets": 52},
}


def test_every_member_gets_exactly_their_records_of_the_year(vbn1):
    """The 17 Party members of the example cell (staff who are not members get no self-review), each with the
    number of records of each kind the cell's files hold for them, by value."""
    got = {m.ref: {k: len(v) for k, v in m.records.items()} for m in vbn1.members}
    assert got == VBN1_RECORDS
    assert {m.ref: m.count() for m in vbn1.members}["P04"] == 63
    assert sum(m.count() for m in vbn1.members) == 1093


def test_gaps_that_name_a_member_are_theirs_with_their_dates(reports, vbn1):
    """The example cell's six gaps name only staff who are not members (P17, P30) or the cell as a whole, and
    R14's "not yet supervised" list is the cell's to-do: no member has a gap. In the second cell, P09 has two;
    in the term plan, 2021's gaps are 2021's, not 2022's."""
    assert {m.ref: len(m.gaps) for m in vbn1.members if m.gaps} == {}
    vbn2 = review_members(reports["vbn2-2020"], 2020)
    assert {m.ref: [(g.rule.id, g.gap.reason, str(g.start), str(g.end)) for g in m.gaps]
            for m in vbn2.members if m.gaps} == {
        "P09": [("R15", "counted", "2020-07-03", "2020-07-03"), ("R23", "failed", "None", "None")]}
    term = reports["tan-phuoc-2020-2022"]
    assert {m.ref: [(g.rule.id, str(g.start)) for g in m.gaps] for m in review_members(term, 2021).members
            if m.gaps} == {"P09": [("R04", "2021-12-21")], "P15": [("R04", "2021-12-21")],
                           "P16": [("R02", "2021-01-01")]}
    assert [m.ref for m in review_members(term, 2022).members if m.gaps] == []
    text = to_markdown(member_document(vbn2, next(m for m in vbn2.members if m.ref == "P09"), "vi"))
    limits = text[text.index("## II."):text.index("## III.")]
    assert "Không có đảng viên vi phạm Điều lệ Đảng (03/07/2020)" in limits
    assert "100% cán bộ, đảng viên hoàn thành tốt nhiệm vụ: Lê Văn Nhân (P09): xếp loại = hoàn thành" in limits


def test_a_year_outside_the_plan_is_refused(reports):
    with pytest.raises(InputError) as err:
        review_members(reports["vbn1-2020"], 2021)
    (problem,) = err.value.problems
    assert problem.code == "members_year" and "2021" in problem.detail


# ------------------------------------------------------------------------------------------ which form


def test_form_follows_the_roster(vbn1):
    """Committee members lead (2A); every other member of a school's staff works in the political system (2B)."""
    assert {m.ref: m.form for m in vbn1.members} == {r: ("2A" if r in ("P01", "P02", "P03") else "2B")
                                                     for r in VBN1_RECORDS}
    assert vbn1.officers == {"P01", "P02", "P03"}
    text = to_markdown(member_document(vbn1, vbn1.members[3], "vi"))
    assert "**Mẫu:** Mẫu 2B-HD KĐ.ĐG — chọn theo danh sách nhân sự: nhóm = giáo viên" in text
    text = to_markdown(member_document(vbn1, vbn1.members[0], "vi"))
    assert "Mẫu 2A-HD KĐ.ĐG — chọn theo danh sách nhân sự: chi ủy viên = có" in text


@pytest.mark.parametrize("fields, school, form", [
    ({"committee_member": True, "position": "teacher", "group": "teacher"}, True, "2A"),
    ({"committee_member": False, "position": "principal", "group": "manager"}, True, "2A"),
    ({"committee_member": False, "position": "vice_principal", "group": "manager"}, True, "2A"),
    ({"committee_member": False, "position": "clerk", "group": "administrative"}, True, "2B"),
    ({"committee_member": False, "position": "security", "group": "support"}, True, "2B"),
    ({"committee_member": False, "position": None, "group": None}, True, "2C"),
    ({"committee_member": False, "position": "teacher", "group": "teacher"}, False, "2C"),
    ({"committee_member": True, "position": None, "group": None}, False, "2A"),
])
def test_form_per_position(fields, school, form):
    """The school extension's choice over the library's; without it (a cell of another kind) the default, 2C."""
    paths = [ROOT / "rules" / "library" / "review" / "self-review.yaml"]
    if school:
        paths.append(ROOT / "rules" / "library-school" / "review" / "self-review.yaml")
    chosen, why = selfreview.choose(selfreview.load(paths), SimpleNamespace(**fields))
    assert chosen == form
    assert (why is None) == (form == "2C")


def test_the_plans_use_the_library_and_the_school_settings(reports):
    ruleset = reports["vbn1-2020"].ruleset
    assert [p.relative_to(ROOT).as_posix() for p in settings_files(ruleset)] == [
        "rules/library/review/self-review.yaml", "rules/library-school/review/self-review.yaml"]


def test_bad_settings_name_file_line_and_key(tmp_path, reports):
    bad = tmp_path / "self-review.yaml"
    bad.write_text("choose:\n  - form: 2D\n    when: {field: committee_member, is: true}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        selfreview.load([ROOT / "rules" / "library" / "review" / "self-review.yaml", bad])
    (problem,) = err.value.problems
    assert (problem.file, problem.code) == (str(bad), "self_review") and "2D" in problem.detail
    bad.write_text("choose:\n  - form: 2A\n    when: {field: rank, is: true}\n", encoding="utf-8")
    settings = selfreview.load([ROOT / "rules" / "library" / "review" / "self-review.yaml", bad])
    with pytest.raises(InputError) as err:
        selfreview.check_fields(settings, reports["vbn1-2020"].ruleset.schema, "people")
    assert [(p.file, p.line, p.field, p.code) for p in err.value.problems] == [
        (str(bad), 3, "choose.0.when.field", "self_review")]
    bad.write_text("default: 2C\ndefault: 2A\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        selfreview.load([bad])
    assert err.value.problems[0].file == str(bad)


# ------------------------------------------------------------------------------------------ privacy


def _roster(report):
    return [(r.key, r.fact.name) for r in report.case.records["people"]]  # a test may name the roster's kind


def leaks(text: str, own: str, allowed: set[str], roster: list[tuple[str, str]]) -> list[str]:
    """Codes and names of the roster's people other than the member and the officers found in a text."""
    found = []
    for ref, name in roster:
        if ref in allowed or ref == own:
            continue
        if re.search(rf"(?<![\w-]){re.escape(ref)}(?![\w-])", text) or name in text:
            found.append(ref)
    return found


def _all_texts(review: MembersReview, word: bool) -> dict[str, str]:
    """Every member's document as Markdown and (`word`) as the Word file's text."""
    import docx

    out = {}
    for m in review.members:
        doc = member_document(review, m, "vi")
        out[m.ref] = to_markdown(doc)
        if word:
            filed = docx.Document(io.BytesIO(to_docx(doc)))
            cells = [c.text for t in filed.tables for row in t.rows for c in row.cells]
            out[m.ref] += "\n".join(p.text for p in filed.paragraphs) + "\n".join(cells)
    return out


@pytest.mark.parametrize("name", BUNDLED)
def test_no_document_names_another_member_except_the_officers(reports, name):
    report = reports[name]
    years = sorted(report.ruleset.plan.years)
    for year in years:
        review = review_members(report, year)
        roster = _roster(report)
        for ref, text in _all_texts(review, word=year == years[-1]).items():
            assert leaks(text, ref, review.officers, roster) == [], (name, year, ref)


def _every_gap_to_everyone(review: MembersReview) -> None:
    """A mutation: every member is given every open gap of the cell, "not yet counted" lists included."""
    from chibo_rules.jobs.members import MemberGap

    every = [MemberGap(p, g, None, None) for p, f in review.report.results if f.status == "gap" for g in f.gaps]
    for m in review.members:
        m.gaps = list(every)


def test_the_leak_check_would_catch_a_leak(reports, monkeypatch):
    """Every gap of the example cell given to every member still names no one else (they are masked); the
    same with no masking (the report's own labeller, free text left as typed) is caught: the check can fail."""
    review = review_members(reports["vbn1-2020"], 2020)
    _every_gap_to_everyone(review)
    roster = _roster(reports["vbn1-2020"])
    texts = {m.ref: to_markdown(member_document(review, m, "vi")) for m in review.members}
    assert all(leaks(text, ref, review.officers, roster) == [] for ref, text in texts.items())
    assert "(một đồng chí khác)" in texts["P04"]
    monkeypatch.setattr(members_report.PrivateLabeller, "record", Labeller.record)
    monkeypatch.setattr(members_report.PrivateLabeller, "scrub", lambda self, text: text)
    p04 = to_markdown(member_document(review, next(m for m in review.members if m.ref == "P04"), "vi"))
    assert leaks(p04, "P04", review.officers, roster) == ["P09", "P13", "P14", "P17", "P24", "P30", "P31"]


def test_a_colleague_named_in_free_text_is_masked(reports):
    """A good deed typed as "helped Trương Văn Phúc (P09)" names a colleague who is no officer: masked; an
    officer named the same way stays."""
    review = review_members(reports["vbn1-2020"], 2020)
    p04 = next(m for m in review.members if m.ref == "P04")
    deed = p04.records["good_deeds"][0]
    typed = deed.fact.model_copy(update={"deed": "Cùng Trương Văn Phúc (P09) và Nguyễn Văn Hùng sửa bàn ghế"})
    p04.records["good_deeds"][0] = dataclasses.replace(deed, fact=typed)
    text = to_markdown(member_document(review, p04, "vi"))
    assert "Cùng (một đồng chí khác) ((một đồng chí khác)) và Nguyễn Văn Hùng sửa bàn ghế" in text
    assert leaks(text, "P04", review.officers, _roster(reports["vbn1-2020"])) == []


# ------------------------------------------------------------------------------------------ the files


def test_names_in_the_zip_are_safe_unique_and_readable(vbn1):
    assert file_names(vbn1.members)[:4] == [
        "P01-Nguyen-Van-Hung.docx", "P02-Tran-Thi-Thu-Ha.docx", "P03-Dang-Thi-My-Trang.docx", "P04-Le-Minh-Tuan.docx"]
    hostile = [SimpleNamespace(ref="../P1", name="/etc/passwd"), SimpleNamespace(ref="P1", name="..\\etc passwd"),
               SimpleNamespace(ref="P2", name="Đỗ Thị Ánh"), SimpleNamespace(ref="P2", name="Đỗ Thị Ánh"),
               SimpleNamespace(ref="", name="…")]
    names = file_names(hostile)  # type: ignore[arg-type]
    assert names == ["P1-etc-passwd.docx", "P1-etc-passwd-2.docx", "P2-Do-Thi-Anh.docx", "P2-Do-Thi-Anh-2.docx",
                     "member.docx"]


def test_the_zip_and_the_workbook(tmp_path, reports, vbn1):
    import docx
    from openpyxl import load_workbook

    out_zip, book = tmp_path / "tu-kiem-diem.zip", tmp_path / "tu-kiem-diem.xlsx"
    assert write_member_reviews(reports["vbn1-2020"], 2020, out_zip, book, "vi") == [out_zip, book]
    with zipfile.ZipFile(out_zip) as archive:
        names = archive.namelist()
        assert names == file_names(vbn1.members) and len(names) == 17
        assert archive.comment == b"chibo self-review"
        word = docx.Document(io.BytesIO(archive.read("P04-Le-Minh-Tuan.docx")))
    text = "\n".join(p.text for p in word.paragraphs)
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert [h.split(".")[0] for h in headings if not h[0].isdigit()] == ["I", "II", "III", "IV", "V", "VI"]
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in text and "Năm 2020 (Đảng viên làm việc trong hệ thống chính trị)" in text
    assert "Quán triệt nghị quyết (7)" in text and "… và 17 bản ghi khác (xem bảng tính)" in text
    left, right = word.tables[-1].rows[0].cells  # the closing: the signature bottom right, as on the form
    assert left.text.strip() == "" and "NGƯỜI TỰ KIỂM ĐIỂM" in right.text and "Lê Minh Tuấn" in right.text

    wb = load_workbook(book)
    assert wb.sheetnames == ["1", "2"]
    summary = list(wb["1"].iter_rows(values_only=True))
    assert "chibo" in summary[0][0] and len(summary) == 2 + 17
    assert summary[5][:3] == ("P04", "Lê Minh Tuấn", "2B") and summary[5][4:] == (63, 0, "P04-Le-Minh-Tuan.docx")
    items = list(wb["2"].iter_rows(values_only=True))
    assert len(items) == 2 + 1093  # every record of every member, none cut
    p04 = [row for row in items[2:] if row[0] == "P04"]
    assert len(p04) == 63 and sum(1 for row in p04 if row[5] == "bảng chấm công") == 29
    # written again: an earlier output is replaced; a case's own folder is never written into
    write_member_reviews(reports["vbn1-2020"], 2020, out_zip, book, "vi")
    with pytest.raises(WriteRefused) as refused:
        write_member_reviews(reports["vbn1-2020"], 2020, CASES / "vbn1-2020" / "m.zip", book, "vi")
    assert refused.value.code == "in_case" and not (CASES / "vbn1-2020" / "m.zip").exists()
    other = tmp_path / "mine.xlsx"
    other.write_bytes(b"someone's own workbook")
    with pytest.raises(WriteRefused) as refused:
        write_member_reviews(reports["vbn1-2020"], 2020, tmp_path / "new.zip", other, "vi")
    assert refused.value.code == "exists" and other.read_bytes() == b"someone's own workbook"
    assert not (tmp_path / "new.zip").exists()  # one target refused: neither is written


def test_the_cells_records_are_indexed_once_per_file_not_once_per_member(tmp_path, reports, monkeypatch):
    """Naming records needs an index of every record of the cell: a large cell's run builds it once for the
    zip and once for the workbook, not once per member and file."""
    from chibo_rules.facts.case import Case

    calls = []
    index = Case.index
    monkeypatch.setattr(Case, "index", lambda self: calls.append(1) or index(self))
    write_member_reviews(reports["vbn1-2020"], 2020, tmp_path / "m.zip", tmp_path / "m.xlsx", "vi")
    assert len(calls) == 2


def test_english(tmp_path, reports):
    out_zip, book = tmp_path / "m.zip", tmp_path / "m.xlsx"
    write_member_reviews(reports["vbn2-2020"], 2020, out_zip, book, "en")
    import docx

    with zipfile.ZipFile(out_zip) as archive:
        word = docx.Document(io.BytesIO(archive.read("P09-Le-Van-Nhan.docx")))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "PERSONAL SELF-REVIEW" in text and "Year 2020 (Party member working in the political system)" in text
    assert "II. Shortcomings and their causes" in text
    assert "Every staff member rated good or excellent: Lê Văn Nhân (P09): rating = completed" in text
    assert "Mẫu 2B-HD KĐ.ĐG — chosen from the roster: group = teacher" in text


def test_a_member_document_opens_in_libreoffice(tmp_path, reports):
    libreoffice.skip_if_missing()
    review = review_members(reports["vbn1-2020"], 2020)
    path = tmp_path / "P01.docx"
    path.write_bytes(to_docx(member_document(review, review.members[0], "vi")))
    pdf = libreoffice.to_pdf([path], tmp_path)[path]
    pages = libreoffice.pages(pdf)
    assert 2 <= len(pages) <= 6
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in pages[0].text and "Nguyễn Văn Hùng" in pages[0].text
    assert "NGƯỜI TỰ KIỂM ĐIỂM" in pages[-1].text


def test_no_owner_kind_or_field_named_in_python():
    """The module reads kinds and fields only through the settings and the schema (tests/test_plans.py checks
    every module; this one names the files it adds)."""
    for path in ("chibo_rules/jobs/members.py", "chibo_rules/report/members.py"):
        source = (ROOT / path).read_text(encoding="utf-8")
        for word in ("\"people\"", "\"timesheets\"", "\"briefings\"", "committee_member", "\"position\""):
            assert word not in source, (path, word)


def test_the_settings_document_is_cited():
    doc = (ROOT / "docs" / "review-members.md").read_text(encoding="utf-8")
    assert "43-HD/BTCTW" in doc and "2A" in doc and "self-review.yaml" in doc


def test_load_settings_of_a_plan(reports):
    settings = load_settings(reports["tan-phuoc-2020-2022"].ruleset)
    assert set(settings.forms) == {"2A", "2B", "2C"} and settings.default == "2C" and settings.officer_forms() == {"2A"}


def test_nothing_is_written_for_a_year_outside_the_plan(tmp_path, reports):
    with pytest.raises(InputError):
        write_member_reviews(reports["vbn1-2020"], 2019, tmp_path / "x.zip", tmp_path / "x.xlsx", "vi")
    assert list(tmp_path.iterdir()) == []
