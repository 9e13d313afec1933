"""Party documents as Word files: `--format docx` (check, audit, ready, the roll-up) and the draft minutes
(`chibo ready --minutes`). Each document is read back with python-docx and its structure compared with the
JSON report of the same command (header block, title, every section's table, the gaps, the closing); then
converted to PDF by LibreOffice and read with pypdf as a reader sees it (the header's two sides on the first
page, the signature on the last, A4, page numbers, fonts); the HTML report's header and closing in Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Pt

from chibo_rules import writing
from chibo_rules.report.i18n import status

from . import browser as chromium
from . import libreoffice
from .clirun import invoke_chibo
from .conftest import GAPS_CASE, ROOT

CASES = ROOT / "cases"
VBN2 = CASES / "vbn2-2020"
TAN_PHUOC = CASES / "tan-phuoc-2020-2022"
BLANK, SHORT = "……………………", "……"
SECRETARY_VBN1, SECRETARY_VBN2 = "Đặng Thị Mỹ Trang", "Võ Thanh Tâm"
RECIPIENTS_VBN1 = ["- Đảng ủy xã Vĩnh Bình Nam (để báo cáo)", "- Các đồng chí chi ủy viên", "- Lưu chi bộ"]

# name -> (arguments, exit code); each also run with --format json (the minutes: the ready report's JSON)
COMMANDS = {
    "check": (["check", GAPS_CASE], 1),
    "check-vbn2": (["check", VBN2], 1),
    "audit": (["audit", GAPS_CASE, "--quarter", "2020-Q2"], 1),
    "ready": (["ready", GAPS_CASE, "--meeting", "24/04/2020"], 1),
    "rollup": (["check", CASES], 1),
}
MINUTES = {  # name -> (case, meeting, exit code of the readiness review)
    "minutes": (GAPS_CASE, "05/05/2020", 0),
    "minutes-april": (GAPS_CASE, "24/04/2020", 1),
    "minutes-tan-phuoc": (TAN_PHUOC, "05/05/2021", 0),
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("docx")


@pytest.fixture(scope="module")
def produced(out) -> dict[str, Path]:
    files = {}
    for name, (args, code) in COMMANDS.items():
        path = out / f"{name}.docx"
        run = invoke_chibo(*args, "--format", "docx", "--output", path)
        assert run.returncode == code, (name, run.stderr)
        assert run.stdout == "" and "Traceback" not in run.stderr
        files[name] = path
        data = invoke_chibo(*args, "--format", "json")
        assert data.returncode == code, (name, data.stderr)
        (out / f"{name}.json").write_text(data.stdout, encoding="utf-8")
    for name, (case, meeting, code) in MINUTES.items():
        path = out / f"{name}.docx"
        run = invoke_chibo("ready", case, "--meeting", meeting, "--minutes", path, "--format", "json")
        assert run.returncode == code, (name, run.stderr)
        (out / f"{name}.json").write_text(run.stdout, encoding="utf-8")
        files[name] = path
    return files


def report(out: Path, name: str) -> dict:
    return json.loads((out / f"{name}.json").read_text(encoding="utf-8"))


def blocks(path: Path) -> list:
    """The body's paragraphs and tables in reading order."""
    return list(docx.Document(str(path)).iter_inner_content())


def lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def text_of(path: Path) -> str:
    """Every paragraph of the body and of its tables, one per line."""
    out = []
    for block in blocks(path):
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                for cell in row.cells:
                    out += lines(cell)
        else:
            out.append(block.text)
    return "\n".join(out)


def headings(path: Path) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[-1]), p.text) for p in blocks(path)
            if isinstance(p, docx.text.paragraph.Paragraph) and p.style.name.startswith("Heading")]


def table_after(path: Path, heading: str):
    """The first table after the heading with this text."""
    seen = False
    for block in blocks(path):
        if isinstance(block, docx.text.paragraph.Paragraph) and block.style.name.startswith("Heading"):
            seen = seen or block.text == heading
        elif seen and isinstance(block, docx.table.Table):
            return block
    raise AssertionError(f"no table after {heading!r}")


def rows(table) -> list[list[str]]:
    return [["\n".join(lines(c)) for c in row.cells] for row in table.rows]


# ------------------------------------------------------------------------------------------ the command line


def test_docx_needs_an_output_file(tmp_path):
    for args in (["check", GAPS_CASE], ["audit", GAPS_CASE, "-q", "2020-Q2"], ["ready", GAPS_CASE, "-m", "05/05/2020"],
                 ["check", CASES]):
        run = invoke_chibo(*args, "--format", "docx", cwd=tmp_path)
        assert run.returncode == 2 and run.stdout == "", args
        assert "--output" in run.stderr and "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []
    english = invoke_chibo("check", GAPS_CASE, "--format", "docx", "--lang", "en")
    assert english.returncode == 2 and "give its name with --output" in english.stderr


def test_help_names_docx_and_minutes():
    run = invoke_chibo("ready", "--help", "--lang", "en")
    assert "--minutes" in run.stdout and "12-HD/BTCTW" in run.stdout
    assert "docx" in invoke_chibo("check", "--help").stdout


# ---------------------------------------------------------------------------------------------- the header


HEADERS = {
    "check": ("Số ……-BC/CB", "Vĩnh Bình Nam, ngày 31 tháng 12 năm 2020", "BÁO CÁO",
              "Kết quả rà soát thực hiện kế hoạch năm 2020, tính đến ngày 31/12/2020"),
    "audit": ("Số ……-BC/CB", "Vĩnh Bình Nam, ngày 30 tháng 6 năm 2020", "BÁO CÁO",
              "Kết quả rà soát thực hiện kế hoạch năm 2020 — quý II"),
    "ready": ("Số ……-BC/CB", "Vĩnh Bình Nam, ngày 24 tháng 4 năm 2020", "BÁO CÁO",
              "Chuẩn bị sinh hoạt chi bộ ngày 24/04/2020"),
    "minutes": ("Số ……-BB/CB", "Vĩnh Bình Nam, ngày 05 tháng 5 năm 2020", "BIÊN BẢN",
                "Sinh hoạt chi bộ định kỳ tháng 5 năm 2020"),
}


@pytest.mark.parametrize("name", HEADERS)
def test_header_block(produced, name):
    number, place_date, kind, subject = HEADERS[name]
    first, *rest = blocks(produced[name])
    assert isinstance(first, docx.table.Table) and len(first.rows) == 1 and len(first.columns) == 2
    left, right = first.rows[0].cells
    assert lines(left) == ["ĐẢNG BỘ XÃ VĨNH BÌNH NAM", "CHI BỘ TRƯỜNG THCS VĨNH BÌNH NAM 1", "*", number]
    assert lines(right) == ["ĐẢNG CỘNG SẢN VIỆT NAM", place_date]
    issuer = left.paragraphs[1].runs[0]
    party = right.paragraphs[0].runs[0]
    date = right.paragraphs[1].runs[0]
    assert issuer.bold and not left.paragraphs[0].runs[0].bold
    assert party.bold and party.underline and party.font.size == Pt(15)
    assert date.italic and date.font.size == Pt(14)
    assert {p.alignment for p in left.paragraphs + right.paragraphs} == {docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER}
    borders = first._tbl.tblPr.find(docx.oxml.ns.qn("w:tblBorders"))
    assert {e.get(docx.oxml.ns.qn("w:val")) for e in borders} == {"nil"}  # no lines around the header
    titled = [p for p in rest[:4] if isinstance(p, docx.text.paragraph.Paragraph) and p.text]
    assert [p.text for p in titled[:2]] == [kind, subject]
    assert all(p.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER and p.runs[0].bold for p in titled[:2])
    assert titled[0].runs[0].font.size == Pt(16)


@pytest.mark.parametrize("name", ["check", "minutes", "rollup"])
def test_page_fonts_and_properties(produced, name):
    document = docx.Document(str(produced[name]))
    first = document.sections[0]
    landscape = name == "rollup"  # its first section is the wide roll-up table
    assert (first.orientation == WD_ORIENT.LANDSCAPE) == landscape
    size = (round(first.page_width.mm), round(first.page_height.mm))
    assert size == ((297, 210) if landscape else (210, 297))
    margins = [round(getattr(first, f"{side}_margin").mm) for side in ("top", "bottom", "left", "right")]
    assert margins == [25, 25, 35, 15]
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(docx.oxml.ns.qn("w:rFonts"))
    assert {fonts.get(docx.oxml.ns.qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == {
        "Times New Roman"}
    assert first.different_first_page_header_footer  # the page number starts on page 2
    assert "PAGE" in first.header._element.xml
    props = document.core_properties
    assert props.author == writing.DOCX_CREATOR and props.last_modified_by == writing.DOCX_CREATOR
    assert props.identifier == writing.docx_fingerprint(produced[name].read_bytes())
    with zipfile.ZipFile(produced[name]) as archive:
        assert writing.markers("docx")[0] in archive.read("docProps/core.xml")


# ------------------------------------------------------------------------------------------------ the body


@pytest.mark.parametrize("name", ["check", "check-vbn2", "audit"])
def test_every_section_table_matches_the_json_report(produced, out, name):
    data = report(out, name)
    rules = data["rules"] if "rules" in data else data["report"]["rules"]
    sections = list(dict.fromkeys(r["section"] for r in rules))
    for section in sections:
        table = rows(table_after(produced[name], f"Mục {section}"))
        assert table[0] == ["Mã", "Yêu cầu", "Trạng thái", "Chỉ tiêu", "Thực tế"]
        expected = [r for r in rules if r["section"] == section]
        assert [row[0] for row in table[1:]] == [r["id"] for r in expected], section
        for row, rule in zip(table[1:], expected):
            assert row[1] == rule["title"] and row[2] == status(rule["status"], "vi")
            assert row[3].startswith(rule["target"]["text"]) and row[4] == rule["observed"]["text"], rule["id"]
        repeated = table_after(produced[name], f"Mục {section}").rows[0]._tr.trPr
        assert repeated.find(docx.oxml.ns.qn("w:tblHeader")) is not None  # header row on every page


@pytest.mark.parametrize("name", ["check", "check-vbn2"])
def test_every_gap_with_its_clause_hint_and_owner(produced, out, name):
    data = report(out, name)
    text = text_of(produced[name])
    titles = {t for _, t in headings(produced[name])}
    flagged = [r for r in data["rules"] if r["status"] in ("gap", "no_data", "exempted")]
    assert flagged
    for rule in flagged:
        assert f"{rule['id']} — {rule['title']} ({status(rule['status'], 'vi')})" in titles, rule["id"]
        assert f"Trích kế hoạch ({rule['section']}): “{rule['clause'].strip()}”" in text, rule["id"]
        assert f"Việc cần làm: {rule['hint']}" in text
        for gap in rule["gaps"] + rule["exempted"]:
            assert gap["text"] in text, (rule["id"], gap["text"])
    assert text.count("Người phụ trách: ") >= len(flagged)
    for exemption in data["exemptions"]:
        assert f"{exemption['ref']}: {', '.join(exemption['rules'])}" in text
    if name == "check-vbn2":
        assert "ĐÃ HẾT HẠN ngày 30/09/2020" in text


def test_closing_block(produced):
    last = blocks(produced["check"])[-1]
    assert isinstance(last, docx.table.Table) and len(last.rows) == 1
    left, right = last.rows[0].cells
    assert lines(left) == ["Nơi nhận:", *RECIPIENTS_VBN1]
    label = left.paragraphs[0].runs[0]
    assert label.underline and label.font.size == Pt(14) and left.paragraphs[1].runs[0].font.size == Pt(12)
    signed = lines(right)
    assert [s for s in signed if s] == ["T/M CHI BỘ", "BÍ THƯ", SECRETARY_VBN1]
    assert signed.index(SECRETARY_VBN1) - signed.index("BÍ THƯ") >= 4  # room to sign
    assert all(p.runs[0].bold for p in right.paragraphs if p.text)
    assert last.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None  # kept on one page


def test_what_the_cell_does_not_declare_is_a_blank(produced):
    """vbn2-2020 declares no place, recipients or document code: dots to fill in, nothing invented."""
    first = blocks(produced["check-vbn2"])[0]
    left, right = first.rows[0].cells
    assert lines(left) == ["ĐẢNG BỘ XÃ VĨNH BÌNH NAM", "CHI BỘ TRƯỜNG THCS VĨNH BÌNH NAM 2", "*", "Số ……-BC/……"]
    assert lines(right)[1] == f"{SHORT * 3}, ngày 31 tháng 12 năm 2020"
    left, right = blocks(produced["check-vbn2"])[-1].rows[0].cells
    assert lines(left) == ["Nơi nhận:", f"- {BLANK}", f"- {BLANK}", f"- {BLANK}"]
    assert [s for s in lines(right) if s] == ["T/M CHI BỘ", "BÍ THƯ", SECRETARY_VBN2]


def test_rollup(produced, out):
    data = report(out, "rollup")
    table = rows(table_after(produced["rollup"], "Tổng hợp kết quả các chi bộ"))
    assert [row[1] for row in table[1:]] == [f"{c['case']['name']} ({c['case']['folder']})" for c in data["cells"]]
    assert [row[4] for row in table[1:]] == [str(c["summary"]["passed"]) for c in data["cells"]]
    left, right = blocks(produced["rollup"])[0].rows[0].cells
    assert lines(left) == [BLANK, BLANK, "*", "Số ……-BC/……"]  # the committee above the cells is not in any case
    assert lines(right)[1] == f"{SHORT * 3}, ngày 31 tháng 12 năm 2020"  # the cells declare different places


# ------------------------------------------------------------------------------------------------ minutes


MINUTES_HEADINGS = [
    "I. Thời gian, địa điểm", "II. Thành phần", "III. Nội dung", "1. Khai mạc",
    "2. Thông tin thời sự; phổ biến văn bản, nghị quyết của cấp trên", "3. Kể chuyện về Bác",
    "4. Kiểm điểm việc thực hiện quyết nghị buổi sinh hoạt trước (24/04/2020)", "5. Kết quả kiểm tra trong tháng",
    "6. Các yêu cầu của kế hoạch còn chưa đạt và người phụ trách", "7. Đề nghị tuyên dương",
    "8. Nhiệm vụ tháng tới", "9. Ý kiến thảo luận", "10. Biểu quyết", "11. Tự đánh giá chất lượng buổi sinh hoạt",
]


def test_minutes_follow_the_order_of_the_guidance(produced, out):
    path = produced["minutes"]
    assert [t for _, t in headings(path)] == MINUTES_HEADINGS
    text = text_of(path)
    assert "Thời gian: bắt đầu lúc …… giờ …… phút, ngày 05/05/2020." in text
    assert "Tổng số đảng viên của chi bộ: 17 đồng chí (17 chính thức, 0 dự bị)." in text
    assert f"Chủ trì: đồng chí {BLANK}" in text and f"Thư ký: đồng chí {BLANK}" in text
    assert "Thu đảng phí tháng 5/2020: ……/17 đồng chí đã đóng" in text
    # documents from above: issued since 24/04 and not briefed before the meeting
    assert "NQ-CB-02 — Nghị quyết Chi bộ về lãnh đạo phòng, chống dịch COVID-19 và đón học sinh trở lại trường " \
           "(ban hành ngày 28/04/2020, hạn quán triệt 08/05/2020)" in text
    assert "Câu chuyện “Bác Hồ với các cháu thiếu nhi”, người kể: đồng chí Nguyễn Văn Toàn." in text
    decisions = rows(table_after(path, MINUTES_HEADINGS[6]))
    assert [(r[0], r[4]) for r in decisions[1:]] == [
        ("QN-2020-04-1", "hoàn thành ngày 29/04/2020"), ("QN-2020-04-2", "hoàn thành ngày 02/05/2020"),
        ("QN-2020-04-3", "chưa đến hạn")]
    assert decisions[1][2] == "Huỳnh Văn Út" and decisions[3][3] == "08/05/2020"
    # the plan's own check of the month (the checklist's QCCM item), with the check it found
    assert "☑\tĐã kiểm tra QCCM, nội quy từ buổi sinh hoạt trước — Sẵn sàng" in text  # no rule code in minutes
    assert "29/04/2020 — Kiểm tra việc trực cơ quan và chuẩn bị đón học sinh trở lại trường" in text
    gaps = rows(table_after(path, MINUTES_HEADINGS[8]))
    ready = report(out, "minutes")
    assert [r[0] for r in gaps[1:]] == [g["title"] for g in ready["open_gaps"]]
    assert "Đồng chí Dương Thị Hồng Nhung: Tình nguyện trực chốt kiểm soát dịch COVID-19" in text
    assert "Đồng chí Danh Hoàng Phong: Đến từng nhà vận động 3 học sinh lớp 7A2" in text
    assert "Tiếp tục: Quán triệt Nghị quyết chi bộ về phòng, chống dịch" in text  # QN-2020-04-3, done 06/05
    assert "\tNhân viên hành chính làm việc 40 giờ/tuần: Nhắc nhân viên bù giờ" in text
    assert "tán thành ……/…… đồng chí" in text and "☐ Tốt" in text
    assert "Buổi sinh hoạt kết thúc lúc …… giờ …… phút cùng ngày." in text
    last = blocks(path)[-1]
    taker, chair = last.rows[0].cells
    assert [s for s in lines(taker) if s] == ["THƯ KÝ", "(Ký, ghi rõ họ tên)", BLANK]
    assert [s for s in lines(chair) if s] == ["CHỦ TRÌ", "(Ký, ghi rõ họ tên)", BLANK]
    assert "Nơi nhận" not in text


def test_minutes_attendance_from_the_roster(produced):
    table = rows(table_after(produced["minutes"], "II. Thành phần"))
    assert table[0] == ["TT", "Họ và tên", "Ghi chú", "Có mặt", "Vắng (lý do)"]
    assert len(table) == 1 + 17 and table[1][:3] == ["1", "Nguyễn Văn Hùng", "chi ủy viên"]
    assert "Trần Ngọc Hân" not in {r[1] for r in table}  # a candidate, not a member
    assert {r[3] for r in table[1:]} == {"☐"} and {r[4] for r in table[1:]} == {""}


def test_minutes_show_an_absence_recorded_for_the_day(tmp_path):
    case = tmp_path / "cell"
    shutil.copytree(GAPS_CASE, case)
    with (case / "absences.csv").open("a", encoding="utf-8") as f:
        f.write("P10,2020-05-05,absent,Đi tập huấn tại Phòng GD&ĐT huyện\nP11,2020-05-05,late,\n")
    path = tmp_path / "bien-ban.docx"
    assert invoke_chibo("ready", case, "-m", "05/05/2020", "--minutes", path).returncode == 0
    table = {r[1]: r for r in rows(table_after(path, "II. Thành phần"))}
    assert table["Dương Thị Hồng Nhung"][3:] == ["", "vắng: Đi tập huấn tại Phòng GD&ĐT huyện"]
    assert table["Lâm Quốc Khánh"][3:] == ["☐", "đi trễ: chưa ghi lý do"]
    assert "Dương Thị Hồng Nhung — vắng: Đi tập huấn tại Phòng GD&ĐT huyện" in text_of(path)


def test_minutes_of_a_meeting_not_ready(produced):
    path = produced["minutes-april"]
    text = text_of(path)
    assert f"Câu chuyện: {BLANK}; người kể: đồng chí {BLANK} (chưa ghi trong số liệu của chi bộ)." in text
    decisions = rows(table_after(path, "4. Kiểm điểm việc thực hiện quyết nghị buổi sinh hoạt trước (03/03/2020)"))
    assert ["QN-2020-03-2", "QUÁ HẠN, chưa hoàn thành"] == [decisions[2][0], decisions[2][4]]


def test_minutes_without_a_checklist_have_no_checks_item(produced):
    """Tân Phước's plan has no checklist items (no `job: ready` rules): no QCCM or other check is assumed."""
    titles = [t for _, t in headings(produced["minutes-tan-phuoc"])]
    assert not [t for t in titles if "kiểm tra" in t.lower()]
    assert titles[3:6] == ["1. Khai mạc", "2. Thông tin thời sự; phổ biến văn bản, nghị quyết của cấp trên",
                           "3. Kể chuyện về Bác"]
    first = blocks(produced["minutes-tan-phuoc"])[0]
    assert lines(first.rows[0].cells[0])[1] == "CHI BỘ TRƯỜNG THCS TÂN PHƯỚC"


def test_agenda_follows_the_order_of_the_minutes(produced, tmp_path):
    agenda = tmp_path / "chuong-trinh.md"
    assert invoke_chibo("ready", GAPS_CASE, "-m", "05/05/2020", "--agenda", agenda).returncode == 0
    items = [line for line in agenda.read_text(encoding="utf-8").splitlines() if line[:1].isdigit()]
    titles = [t for _, t in headings(produced["minutes"])]
    steps = ["Khai mạc", "Thông tin thời sự", "Kể chuyện về Bác", "Kiểm điểm", "kiểm tra trong tháng",
             "chưa đạt", "uyên dương", "hiệm vụ tháng tới", "Tự đánh giá"]
    for listing in (items, titles):
        where = [next(i for i, line in enumerate(listing) if step in line) for step in steps]
        assert where == sorted(where), listing
    assert items[-1] == "10. Bế mạc"


# --------------------------------------------------------------------------------------------- writing


def test_an_earlier_document_is_replaced_an_edited_one_is_not(tmp_path):
    target = tmp_path / "bao-cao.docx"
    assert invoke_chibo("check", GAPS_CASE, "--format", "docx", "-o", target).returncode == 1
    assert invoke_chibo("check", GAPS_CASE, "--format", "docx", "-o", target, "--lang", "en").returncode == 1
    assert "COMMUNIST PARTY OF VIET NAM" in text_of(target)
    # someone adds a line in Word (here python-docx) and saves: the file is theirs now
    edited = docx.Document(str(target))
    edited.add_paragraph("Ý kiến của đồng chí bí thư")
    edited.save(str(target))
    before = target.read_bytes()
    refused = invoke_chibo("check", GAPS_CASE, "--format", "docx", "-o", target)
    assert refused.returncode == 2 and "--force" in refused.stderr and target.read_bytes() == before
    assert invoke_chibo("check", GAPS_CASE, "--format", "docx", "-o", target, "--force").returncode == 1
    assert "Ý kiến của đồng chí bí thư" not in text_of(target)
    # minutes filled in by hand are protected the same way; a report is not a docx's replacement for JSON
    minutes = tmp_path / "bien-ban.docx"
    assert invoke_chibo("ready", GAPS_CASE, "-m", "05/05/2020", "--minutes", minutes).returncode == 0
    assert invoke_chibo("ready", GAPS_CASE, "-m", "05/05/2020", "--minutes", minutes).returncode == 0
    filled = docx.Document(str(minutes))
    filled.paragraphs[-1].add_run("Thư ký đã ghi")
    filled.save(str(minutes))
    assert invoke_chibo("ready", GAPS_CASE, "-m", "05/05/2020", "--minutes", minutes).returncode == 2
    assert invoke_chibo("check", GAPS_CASE, "--format", "json", "-o", minutes).returncode == 2
    inside = invoke_chibo("ready", GAPS_CASE, "-m", "05/05/2020", "--minutes", GAPS_CASE / "bien-ban.docx")
    assert inside.returncode == 2
    assert not (GAPS_CASE / "bien-ban.docx").exists()


def test_docx_fingerprint_detection(tmp_path):
    assert not writing.earlier_output(tmp_path / "none.docx", "docx")
    (tmp_path / "not-a-zip.docx").write_text("chibo", encoding="utf-8")
    assert not writing.earlier_output(tmp_path / "not-a-zip.docx", "docx")
    other = docx.Document()
    other.core_properties.author = "chibo"  # says chibo, but no fingerprint of its text
    other.save(str(tmp_path / "other.docx"))
    assert not writing.earlier_output(tmp_path / "other.docx", "docx")


# ------------------------------------------------------------------------------- what a reader sees (PDF)


@pytest.fixture(scope="module")
def pdfs(produced, out) -> dict[str, list[libreoffice.Page]]:
    libreoffice.skip_if_missing()
    converted = libreoffice.to_pdf(list(produced.values()), out / "pdf")
    return {name: libreoffice.pages(converted[path]) for name, path in produced.items()}


A4 = (595.3, 841.9)
SERIF = ("TimesNewRoman", "LiberationSerif", "Tinos")


def _piece(page: libreoffice.Page, needle: str) -> libreoffice.Piece:
    found = page.find(needle)
    assert found, (needle, page.text[:500])
    return found[0]


@pytest.mark.parametrize("name", ["check", "audit", "ready", "minutes", "check-vbn2"])
def test_pdf_first_page_shows_both_sides_of_the_header(pdfs, name):
    page = pdfs[name][0]
    assert abs(page.width - A4[0]) < 1 and abs(page.height - A4[1]) < 1
    middle, top = page.width / 2, page.height * 0.8
    left = [_piece(page, "ĐẢNG BỘ XÃ VĨNH BÌNH NAM"), _piece(page, "CHI BỘ TRƯỜNG THCS"), _piece(page, "Số ……-B")]
    right = [_piece(page, "ĐẢNG CỘNG SẢN VIỆT NAM"), _piece(page, "ngày")]
    assert all(p.x < middle and p.y > top for p in left), left
    assert all(p.x > middle - 20 and p.y > top for p in right), right
    assert abs(left[0].y - right[0].y) < 3  # the first lines of both sides on one line
    kind = _piece(page, "BÁO CÁO" if name != "minutes" else "BIÊN BẢN")
    assert kind.y < min(p.y for p in left)  # below the header block
    assert page.width * 0.35 < kind.x < page.width * 0.6  # centred (left-aligned text starts at 35 mm, 99 pt)


@pytest.mark.parametrize("name, signer", [("check", SECRETARY_VBN1), ("audit", SECRETARY_VBN1),
                                          ("check-vbn2", SECRETARY_VBN2), ("ready", SECRETARY_VBN1)])
def test_pdf_last_page_has_the_signature(pdfs, name, signer):
    page = pdfs[name][-1]
    on_behalf, position, signed = _piece(page, "T/M CHI BỘ"), _piece(page, "BÍ THƯ"), _piece(page, signer)
    recipients = _piece(page, "Nơi nhận:")
    assert recipients.x < page.width / 2 < on_behalf.x + 60 and signed.x > page.width / 2 - 20
    assert on_behalf.y > position.y > signed.y + 50  # room to sign between the position and the name
    assert abs(recipients.y - on_behalf.y) < 3


def test_pdf_minutes_end_with_two_signatures(pdfs):
    page = pdfs["minutes"][-1]
    taker, chair = _piece(page, "THƯ KÝ"), _piece(page, "CHỦ TRÌ")
    assert taker.x < page.width / 2 < chair.x and abs(taker.y - chair.y) < 3
    assert "Buổi sinh hoạt kết thúc lúc" in page.text


@pytest.mark.parametrize("name, low, high", [("check", 4, 10), ("check-vbn2", 5, 14), ("audit", 5, 14),
                                             ("ready", 2, 5), ("minutes", 3, 6), ("rollup", 1, 3)])
def test_pdf_page_count_and_numbers(pdfs, name, low, high):
    pages = pdfs[name]
    assert low <= len(pages) <= high, len(pages)
    assert not [p for p in pages[0].pieces if p.text.strip() == "1" and p.y > pages[0].height - 50]
    for number, page in enumerate(pages[1:], 2):  # from the second page, its number at the top
        assert [p for p in page.pieces if p.text.strip() == str(number) and p.y > page.height - 60], number


def test_pdf_rollup_is_landscape(pdfs):
    assert all(p.landscape for p in pdfs["rollup"])
    assert "ChibộtrườngTHCSTânPhước(tan-phuoc-2020-2022)" in "".join("".join(p.text.split()) for p in pdfs["rollup"])
    # the worst gaps named with their titles make tall rows: they may break over a page, so the table starts
    # under the header on page 1 instead of leaving half of it empty
    assert "(vbn2-2020)" in "".join(pdfs["rollup"][0].text.split())


@pytest.mark.parametrize("name", ["check", "minutes"])
def test_pdf_is_set_in_times_new_roman(pdfs, name):
    pieces = [p for page in pdfs[name] for p in page.pieces if p.text.strip()]
    assert pieces and {p.font for p in pieces if p.font.startswith(SERIF)}
    # only the check boxes (☐ ☑), which Times New Roman has no glyph for, come from another font
    assert set("".join(p.text for p in pieces if not p.font.startswith(SERIF))) <= {"☐", "☑", " "}


def test_pdf_shows_the_vietnamese_text(pdfs, out):
    import unicodedata

    text = unicodedata.normalize("NFC", "\n".join(p.text for p in pdfs["check"]))
    squeezed = "".join(text.split())  # lines wrap anywhere, also after a hyphen
    for rule in report(out, "check")["rules"]:
        if rule["status"] == "gap":
            for gap in rule["gaps"]:
                assert "".join(gap["text"].split()) in squeezed, gap["text"]


def test_libreoffice_saving_makes_the_file_someone_elses(produced, tmp_path):
    libreoffice.skip_if_missing()
    copy = tmp_path / "src" / "bao-cao.docx"
    copy.parent.mkdir()
    shutil.copy(produced["check"], copy)
    assert writing.earlier_output(copy, "docx")
    saved = tmp_path / "saved"
    saved.mkdir()
    run = subprocess.run([libreoffice.SOFFICE, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                          "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved), str(copy)],
                         capture_output=True, text=True, timeout=300)
    assert (saved / "bao-cao.docx").exists(), run.stderr
    assert not writing.earlier_output(saved / "bao-cao.docx", "docx")
    refused = invoke_chibo("check", GAPS_CASE, "--format", "docx", "-o", saved / "bao-cao.docx")
    assert refused.returncode == 2


def test_pdf_pages_render_to_png(produced, out, pdfs):
    png = libreoffice.render_png(out / "pdf" / "check.pdf", 1, out / "check-page-1.png", dpi=40)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert abs(height / width - A4[1] / A4[0]) < 0.01


# ----------------------------------------------------------------------------- the HTML takes the same layout


@pytest.fixture(scope="module")
def page():
    chromium.skip_if_missing()
    with chromium.session() as session:
        yield session


def _rect(browser, selector: str) -> dict:
    return browser.js("const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                      " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};", selector)


def test_html_report_has_the_party_header_and_closing(page, tmp_path):
    path = tmp_path / "bao-cao.html"
    assert invoke_chibo("check", GAPS_CASE, "--format", "html", "-o", path).returncode == 1
    page.open(path)
    assert page.texts(".issuer p") == ["ĐẢNG BỘ XÃ VĨNH BÌNH NAM", "CHI BỘ TRƯỜNG THCS VĨNH BÌNH NAM 1", "*",
                                       "Số ……-BC/CB"]
    assert page.texts(".party p") == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Vĩnh Bình Nam, ngày 31 tháng 12 năm 2020"]
    issuer, party = _rect(page, ".issuer"), _rect(page, ".party")
    assert issuer["right"] <= party["left"] and abs(issuer["top"] - party["top"]) < 2
    assert page.styles(".party-name", "text-decoration-line") == [{"text-decoration-line": "underline"}]
    assert page.styles(".place-date", "font-style") == [{"font-style": "italic"}]
    assert page.text("h1") == "Báo cáo rà soát thực hiện kế hoạch"
    assert page.text(".subject") == "Kết quả rà soát thực hiện kế hoạch năm 2020, tính đến ngày 31/12/2020"
    assert page.texts(".recipients p") == ["Nơi nhận:", *RECIPIENTS_VBN1]
    assert page.texts(".signature .sign-line") == ["T/M CHI BỘ", "BÍ THƯ"]
    assert page.text(".signer") == SECRETARY_VBN1
    recipients, signature, main = _rect(page, ".recipients"), _rect(page, ".signature"), _rect(page, "main")
    assert recipients["right"] <= signature["left"] and signature["top"] >= main["bottom"]
    assert _rect(page, ".signer")["top"] - _rect(page, ".sign-line + .sign-line")["bottom"] > 50  # room to sign
    printed = chromium.pdf_pages(page.pdf())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in printed[0][2] and "T/M CHI BỘ" in printed[-1][2]


# ---------------------------------------------------- issue 19, item 8: documents fit for filing


def _rule_ids() -> set[str]:
    return {p.stem.split("-")[0] for plan in (ROOT / "rules").iterdir() if plan.is_dir()
            for p in plan.glob("*.yaml") if p.stem[:1] in "RMA" and p.stem[1:3].isdigit()}


# where a record was read from: "(absences.csv, dòng 5)", "[timesheets.csv, dòng 852]", "(ho-so.xlsx › …, dòng 7)"
# (a rule's hint may still name the file to fill in: "ghi vào … trong meetings.csv")
FILE_REFERENCE = re.compile(r"\.(csv|ya?ml|xlsx)( › [^,]*)?, (dòng|line) \d+")


@pytest.mark.parametrize("name", list(MINUTES))
def test_minutes_carry_no_rule_codes_or_file_references(produced, name):
    text = text_of(produced[name])
    codes = _rule_ids()
    assert {"M04", "R41", "R14"} <= codes
    assert not [w for w in re.findall(r"\b[A-Z]\d{2}\b", text) if w in codes], name
    assert not FILE_REFERENCE.search(text), FILE_REFERENCE.search(text)
    if name == "minutes-april":  # the open gap is still there, in words
        assert "Phạm Thị Hồng Nhiên (P30) — tuần 09/03–15/03/2020: số giờ = 36 (cần ≥ 40)" in text
        assert "Nhân viên hành chính làm việc 40 giờ/tuần: Nhắc nhân viên bù giờ" in text


def _body_and_appendix(path: Path) -> tuple[str, str]:
    text = text_of(path)
    head, sep, appendix = text.partition("\nPhụ lục: Nguồn số liệu\n")
    assert sep, "no appendix of sources"
    return head, appendix


@pytest.mark.parametrize("name", ["check", "audit", "ready"])
def test_word_report_keeps_file_references_to_an_appendix(produced, out, name):
    body, appendix = _body_and_appendix(produced[name])
    assert not FILE_REFERENCE.search(body), FILE_REFERENCE.search(body)
    assert "[timesheets.csv, dòng 852]" in appendix
    assert "Phạm Thị Hồng Nhiên (P30) — tuần 09/03–15/03/2020: số giờ = 36 (cần ≥ 40)" in body
    assert [t for _, t in headings(produced[name])][-1] == "Phụ lục: Nguồn số liệu"


def test_word_report_status_column_does_not_wrap(produced):
    table = table_after(produced["check"], "Mục B.III")
    assert rows(table)[0][2] == "Trạng thái"
    for row in table.rows[1:]:
        cell = row.cells[2]
        assert cell._tc.tcPr.find(docx.oxml.ns.qn("w:noWrap")) is not None
        assert cell.width >= docx.shared.Mm(24)  # "Chưa đạt", "Thiếu dữ liệu" at 13 pt on one line


def test_pdf_status_is_one_line(pdfs):
    text = "\n".join(page.text for page in pdfs["check"])
    assert "Chưa đạt" in text and not re.search(r"Chưa\s*\n\s*đạt", text)


@pytest.mark.parametrize("name", list(MINUTES))
def test_pdf_minutes_signatures_stay_with_the_last_lines(pdfs, name):
    last = pdfs[name][-1]
    assert "THƯ KÝ" in last.text and "Buổi sinh hoạt kết thúc lúc" in last.text, last.text[:300]
