"""`chibo plan draft` / `plan apply` (issue 15): patterns, reading .txt/.docx/.pdf, the measured recall and
precision on both plans (exact counts: a drop fails), the review round trip and bad input."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chibo_rules.draft.clauses import Reader, plan_clauses
from chibo_rules.draft.measure import measure, read_targets, unmeasurable_phrases
from chibo_rules.draft.propose import draft_plan, load_lexicon
from chibo_rules.draft.reading import read_plan

from .clirun import invoke_chibo
from .conftest import ROOT

# the shared 2020 plan beside the clone (../shared/plan; from a git worktree under wt/, beside its parent)
SHARED_PLAN = next((p / "shared" / "plan" for p in (ROOT.parent, ROOT.parent.parent)
                    if (p / "shared" / "plan").is_dir()), ROOT.parent / "shared" / "plan")
VBN = SHARED_PLAN / "ke-hoach-chi-bo-2020.txt"
VBN_TARGETS = SHARED_PLAN / "TARGETS.md"
TP = ROOT / "rules" / "tan-phuoc-2020-2022" / "plan.txt"
TP_TARGETS = ROOT / "rules" / "tan-phuoc-2020-2022" / "TARGETS.md"
LEXICON = load_lexicon()
# CI clones with ../shared beside it: there a missing plan is a failure, not a skip
needs_vbn = pytest.mark.skipif(not VBN.is_file() and not os.environ.get("CI"),
                               reason="the shared 2020 plan is not here")


def _figures(text):
    return [(f.value, f.percent, f.op, (f.unit or {}).get("unit")) for f in Reader(LEXICON).figures(text)]


# --- patterns ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, want", [
    ("kết quả kiểm tra đảng viên chấp hành 02 Đ/C", [(2, False, "gte", "member")]),
    ("chuyên đề 01", [(1, False, "gte", "thematic")]),
    ("đạt 64% (giỏi", [(64, True, "gte", "percent")]),
    ("Bảo đảm làm việc 40 giờ/tuần", [(40, False, "gte", "hours_week")]),
    ("kết nạp đoàn viên cho học sinh lớp 9 đạt 80 em", [(80, False, "gte", "student")]),
    ("học sinh bỏ học dưới 1%", [(1, True, "lt", "percent")]),
    ("Giáo viên dạy giỏi cấp trường đạt trên 85%/TSGV đăng ký", [(85, True, "gt", "percent")]),
    ("phấn đấu trên chuẩn đạt 70%", [(70, True, "gte", "percent")]),
    ("yếu không quá 5%", [(5, True, "lte", "percent")]),
    ("không vượt quá 20% số đảng viên", [(20, True, "lte", "percent")]),
    ("có từ 90% đảng viên trở lên", [(90, True, "gte", "percent")]),
    ("kiểm tra từ 03 đến 05 đảng viên mỗi năm", [(3, False, "gte", "member")]),  # issue 21: a range is a floor
    ("giỏi từ 15% đến 25%", [(15, True, "gte", "percent")]),
    ("kiểm tra từ 03 đến tối đa 05 đảng viên", [(3, False, "gte", "member"), (5, False, "lte", "member")]),
    ("giỏi từ 15% đến dưới 25%", [(15, True, "gte", "percent"), (25, True, "lt", "percent")]),
    ("mỗi CB, đảng viên chọn đăng ký ít nhất một nội dung", [(1, False, "gte", "item")]),
    ("có đủ 04 khối tham gia", [(4, False, "all", "grade")]),
    ("xếp trong tốp 5 khối THCS", [(5, False, "rank", "grade")]),
    ("cử 02/15 đảng viên đi học", [(2, False, "gte", "member")]),
])
def test_figures_units_and_directions(text, want):
    assert _figures(text) == want


@pytest.mark.parametrize("text", [
    "theo đúng Nghị định 56/NĐ-CP", "trong độ tuổi từ 15-18 tuổi", "lớp 9", "kiểm định chất lượng lần 3",
    "Hướng dẫn 12-HD/BTCTW", "ngày 30/5/2019", "năm 2020", "định kỳ 6 tháng", "thanh thiếu niên 15 - 18 tuổi",
    "từ năm học 2021 - 2022"])
def test_numbers_that_name_something_are_not_figures(text):
    assert _figures(text) == []


@pytest.mark.parametrize("text, period", [
    ("Mỗi tháng sinh hoạt chi bộ", "month"), ("Hàng tháng có kiểm tra", "month"), ("mỗi quý sinh hoạt", "quarter"),
    ("40 giờ/tuần", "week"), ("Hằng năm có", "year"), ("trong nhiệm kỳ có", "term"), ("Cuối năm 100%", "year_end"),
    ("bỏ học dưới 1%/năm", "year")])
def test_periods(text, period):
    assert Reader(LEXICON).period_of(text, text, None)["period"] == period


@pytest.mark.parametrize("text, subject", [
    ("100% cán bộ giáo viên", "staff_members"), ("giám sát 11 Đ/C", "members"), ("Giáo viên dạy giỏi", "teachers"),
    ("học sinh tốt nghiệp", "students"), ("Công đoàn, Chi đoàn", "organisations"), ("trường phấn đấu", "school"),
    ("Chi bộ tổ chức", "cell")])
def test_subjects(text, subject):
    assert Reader(LEXICON).subject_of(text)["subject"] == subject


# --- measured recall and precision (exact: any drop fails) -------------------------------------------------
def _measure(plan, targets):
    draft = draft_plan(read_plan(plan, LEXICON), "x", LEXICON)
    return measure(read_targets(targets), draft.proposals, unmeasurable_phrases(targets), max(draft.plan["years"]))


@needs_vbn
def test_recall_and_precision_on_the_2020_plan():
    """Measured: all 44 rows found with the right figure and direction; 48 of 49 proposals real (D17, "100% cán
    bộ đảng viên hoàn thành nghị quyết chi bộ đề ra", is an introduction, not a target); 4/4 unmeasurable
    phrases drafted as advisory. The lexicon was written while reading this plan: see docs/plan-drafting.md."""
    result = _measure(VBN, VBN_TARGETS)
    assert (result.found, len(result.targets)) == (44, 44)
    assert (len(result.real), len(result.proposals)) == (48, 49)
    assert [p.id for p in result.proposals if p.id not in result.real] == ["D17"]
    assert [found for _, found in result.advisory_phrases] == [True] * 4


def test_recall_and_precision_on_the_tan_phuoc_resolution():
    """Measured: 38 of 41 rows. #14, "Công đoàn, Chi đoàn, Liên đội … vửng mạnh trở lên", is drafted as "all
    rated", the table wants "3 distinct organisations". #17 and #24 are the caps of "từ 03 đến 05" and "từ 15%
    đến 25%": since issue 21 a range is a floor, and a cap only where the text caps it ("tối đa", "không
    quá"), so the cap the hand-made table reads into these two is left to the secretary. 38 of 41 proposals
    real (was 40/41 and 40/43)."""
    result = _measure(TP, TP_TARGETS)
    assert (result.found, len(result.targets)) == (38, 41)
    assert [t.number for t in result.targets if not t.found_by] == ["14", "17", "24"]
    assert (len(result.real), len(result.proposals)) == (38, 41)


def test_the_measure_reads_both_targets_tables():
    assert len(read_targets(TP_TARGETS)) == 41
    if VBN_TARGETS.is_file():
        assert len(read_targets(VBN_TARGETS)) == 44


# --- reading the other formats ------------------------------------------------------------------------------
def _docx_of(plan: Path, out: Path) -> Path:
    """The plan typed into Word: parts, chapters and points as Heading 1/2/3 paragraphs, the rest as body."""
    import docx

    from chibo_rules.draft.reading import heading_of

    document = docx.Document()
    for line in plan.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        found = heading_of(line, 0)
        document.add_paragraph(line.strip(), style=f"Heading {found[0]}" if found else None)
    document.save(out)
    return out


def _summary(plan: Path):
    draft = draft_plan(read_plan(plan, LEXICON), "x", LEXICON)
    return [(p.clause.section, p.clause.quote, p.shape, p.rule.get("params")) for p in draft.proposals]


@needs_vbn
def test_a_docx_of_the_2020_plan_gives_the_same_proposals(tmp_path):
    assert _summary(_docx_of(VBN, tmp_path / "plan.docx")) == _summary(VBN)


def test_a_docx_with_unlabelled_word_headings_is_numbered_by_level(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Kế hoạch năm 2021", style="Title")
    document.add_paragraph("NỘI DUNG", style="Heading 1")
    document.add_paragraph("Xây dựng Đảng", style="Heading 2")
    document.add_paragraph("Kiểm tra", style="Heading 3")
    document.add_paragraph("Kiểm tra đảng viên chấp hành 03 Đ/C.")
    document.save(tmp_path / "p.docx")
    text = read_plan(tmp_path / "p.docx", LEXICON)
    (clause,) = plan_clauses(text.paragraphs, LEXICON)
    assert (clause.section, clause.value, text.years) == ("A.I.1", 3, [2021])


@needs_vbn
def test_a_text_pdf_of_the_2020_plan_gives_the_same_figures(tmp_path):
    """A PDF made by LibreOffice from the .docx (no new dependency); skipped where soffice is missing."""
    if shutil.which("soffice") is None:
        pytest.skip("soffice not installed")
    source = _docx_of(VBN, tmp_path / "plan.docx")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "plan.pdf"
    want = [(s, shape, params) for s, _, shape, params in _summary(VBN)]
    assert [(s, shape, params) for s, _, shape, params in _summary(pdf)] == want


# --- the command line and the review round trip -----------------------------------------------------------
def test_draft_writes_a_folder_chibo_accepts(tmp_path):
    out = tmp_path / "tp-draft"
    done = invoke_chibo("plan", "draft", TP, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "41 đề xuất" in done.stdout and "recall" not in done.stdout
    assert {"plan.yaml", "review.md", "review.xlsx", "kinds"} <= {p.name for p in out.iterdir()}
    listed = invoke_chibo("rules", "list", "--rules", out, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    tested = invoke_chibo("rules", "test", "--rules", out)
    assert tested.returncode == 1 and "chưa có ca thử đạt nào và chưa có ca thử không đạt nào" in tested.stdout
    en = invoke_chibo("plan", "draft", TP, "--out", tmp_path / "en", "--targets", TP_TARGETS, "--lang", "en")
    assert "38/41 targets found" in en.stdout and "precision 92.7%" in en.stdout


def test_review_round_trip(tmp_path):
    """Draft → accept some, change one target, reject one → apply → `rules list` accepts it, the changed
    target is in the written rule, the rejected rule is not written, generated tests pass where they can."""
    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert invoke_chibo("plan", "draft", TP, "--out", out).returncode == 0
    book = load_workbook(out / "review.xlsx")
    sheet = book["Đề xuất"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    assert "Hạnh kiểm: tốt, khá đạt từ 97% trở lên" in [r[3].value for r in rows.values()]
    changed = next(i for i, r in rows.items() if r[3].value == "Hạnh kiểm: tốt, khá đạt từ 97% trở lên")
    rejected = next(i for i, r in rows.items() if r[3].value.startswith("Phân công 02 đảng viên"))
    accepted = [i for i, r in rows.items() if r[3].value.startswith(("Tốt nghiệp THCS", "yếu không quá"))] + ["A01"]
    for rule_id in accepted:
        rows[rule_id][11].value = "chấp nhận"
    rows[changed][11].value = "sửa"
    rows[changed][7].value = 95
    rows[rejected][11].value = "Bỏ"
    book.save(out / "review.xlsx")
    done = invoke_chibo("plan", "apply", out / "review.xlsx", "--out", tmp_path / "final")
    assert done.returncode == 0, done.stderr
    written = sorted(p.stem for p in (tmp_path / "final").glob("*.yaml") if p.stem != "plan")
    assert written == sorted(accepted + [changed])
    assert "target: 95" in (tmp_path / "final" / f"{changed}.yaml").read_text(encoding="utf-8")
    assert not (tmp_path / "final" / f"{rejected}.yaml").exists()
    assert invoke_chibo("rules", "list", "--rules", tmp_path / "final").returncode == 0
    tested = invoke_chibo("rules", "test", "--rules", tmp_path / "final", "--evaluator", "oracle")
    assert tested.returncode == 0, tested.stdout
    again = invoke_chibo("plan", "apply", out / "review.xlsx", "--out", tmp_path / "final")
    assert again.returncode == 2 and "--force" in again.stderr


def test_apply_refuses_an_unknown_decision(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert invoke_chibo("plan", "draft", TP, "--out", out).returncode == 0
    book = load_workbook(out / "review.xlsx")
    book["Đề xuất"]["L3"] = "có lẽ"
    book.save(out / "review.xlsx")
    done = invoke_chibo("plan", "apply", out / "review.xlsx")
    assert done.returncode == 2 and "L3" in done.stderr and "Traceback" not in done.stderr


# --- bad input: exit 2, the file named, no traceback, nothing overwritten --------------------------------
def _bad(tmp_path, name, content: bytes | None):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    done = invoke_chibo("plan", "draft", path, "--out", tmp_path / "out")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and name in done.stderr
    return done.stderr


def test_bad_plan_files(tmp_path):
    assert "không có tệp" in _bad(tmp_path, "missing.docx", None)
    assert ".docx" in _bad(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0 word 97")
    assert "rỗng" in _bad(tmp_path, "empty.txt", b"")
    assert "docx" in _bad(tmp_path, "broken.docx", b"PK not a zip")
    assert "UTF-8" in _bad(tmp_path, "latin.txt", "Kế hoạch".encode("cp1258", "replace") + b"\xff\xfe")


def test_image_only_and_garbled_pdfs(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(tmp_path / "scan.pdf", "wb") as handle:
        writer.write(handle)
    assert "lớp chữ" in _bad(tmp_path, "scan.pdf", None)
    assert "PDF" in _bad(tmp_path, "garbled.pdf", b"%PDF-1.4 garbage \x00\x01")


def test_an_out_folder_holding_files_is_refused_unless_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.yaml").write_text("id: mine\n", encoding="utf-8")
    done = invoke_chibo("plan", "draft", TP, "--out", out)
    assert done.returncode == 2 and "mine.yaml" in done.stderr and "--force" in done.stderr
    assert (out / "mine.yaml").read_text(encoding="utf-8") == "id: mine\n"
    assert invoke_chibo("plan", "draft", TP, "--out", out, "--force").returncode == 0


def test_help_in_both_languages():
    vi = invoke_chibo("plan", "draft", "--help")
    en = subprocess.run([sys.executable, "-m", "chibo_rules", "plan", "apply", "--help", "--lang", "en"],
                        capture_output=True, text=True, timeout=60)
    assert vi.returncode == en.returncode == 0
    assert "Đọc kế hoạch" in vi.stdout and "accept / change / reject" in en.stdout


def test_apply_with_nothing_accepted_says_so_and_writes_nothing(tmp_path):
    """A review sheet nobody filled in: an input error naming the sheet and the column, no empty plan folder."""
    out = tmp_path / "draft"
    assert invoke_chibo("plan", "draft", TP, "--out", out).returncode == 0
    target = tmp_path / "mine"
    done = invoke_chibo("plan", "apply", "draft/review.xlsx", "--out", "mine", cwd=tmp_path)  # short: one table line
    assert done.returncode == 2 and "Traceback" not in done.stderr
    text = " ".join(done.stderr.replace("│", " ").split())  # the table wraps the message over its lines
    assert "chưa có đề xuất nào được chấp nhận (41 chưa quyết định hoặc bỏ)" in text
    assert not target.exists()


# --- issue 21: real plans as they are published ------------------------------------------------------------
# Real published plans, beside the clone (../shared/plans-dev; from a git worktree under wt/, beside its parent).
PLANS_DEV = next((p / "shared" / "plans-dev" for p in (ROOT.parent, ROOT.parent.parent)
                  if (p / "shared" / "plans-dev").is_dir()), ROOT.parent / "shared" / "plans-dev")


def _read(tmp_path, text: str, name: str = "plan.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_plan(path, LEXICON)


def _clauses(tmp_path, text: str):
    return plan_clauses(_read(tmp_path, text).paragraphs, LEXICON)


@pytest.mark.parametrize("text, want", [
    ("hoàn thành từ 90% trở lên các chỉ tiêu kế hoạch", [(90, True, "gte", "percent")]),
    ("chỉ tiêu tuyển sinh 85%", [(85, True, "gte", "percent")]),
    ("theo dõi sức khoẻ trên biểu đồ và được khám sức khỏe 2 lần", [(2, False, "gte", "times")]),
    ("học sinh yếu 2%", [(2, True, "lte", "percent")]),
    ("tỷ lệ lưu ban 1,5%", [(1.5, True, "lte", "percent")]),
    ("học sinh bỏ học dưới 1%", [(1, True, "lt", "percent")]),
    ("tỷ lệ giỏi 2.5%", [(2.5, True, "gte", "percent")]),
    ("tỷ lệ giỏi 2,5%", [(2.5, True, "gte", "percent")]),
    ("thi đua xếp thứ 12/30 của huyện", [(12, False, "rank", None)]),
    ("mức tăng trưởng kinh tế từ 7-8% trở lên", [(7, True, "gte", "percent")]),
    ("kết nạp 3-4 đảng viên", [(3, False, "gte", "member")]),
    ("kết nạp từ 3 đến 4 đảng viên", [(3, False, "gte", "member")]),
    ("sinh hoạt chuyên đề 6-7 lần", [(6, False, "gte", "times")]),
    ("kết nạp không quá 3-4 đảng viên", [(3, False, "gte", "member"), (4, False, "lte", "member")]),
    ("cử 3/20 đảng viên đi học", [(3, False, "gte", "member")]),
])
def test_figures_of_published_plans(text, want):
    assert _figures(text) == want


@pytest.mark.parametrize("text", [
    "Chi bộ 3 tổ chức", "khu phố 4 phấn đấu", "Nghị quyết Trung ương 8", "Điều 11 Điều lệ Đảng",
    "Hướng dẫn 12-HD/BTCTW", "Ngày 3/3, chi bộ họp", "Sáng 29/10, chi bộ", "- Ngày 7-2, chi bộ",
    "liên hệ ĐT: 0912 345 678", "Thứ sáu - 10/06/2022 22:05", "Ngày 21-5-2010, chi bộ"])
def test_numbers_inside_names_and_dates_are_not_figures(text):
    assert _figures(text) == []


def test_the_tail_of_a_distribution_is_a_guessed_cap(tmp_path):
    (clause,) = _clauses(tmp_path, "Nghị quyết năm 2021\nA- MỤC TIÊU\n- Học sinh yếu 2%.\n")
    assert (clause.op, clause.explicit) == ("lte", False) and "guessed_cap" in clause.reasons


def test_sibling_points_are_not_nested(tmp_path):
    text = _read(tmp_path, "Kế hoạch năm 2021\nI. MỤC TIÊU\n1. Xây dựng Đảng\n- 100% đảng viên học tập.\n"
                           "2. Chuyên môn\n- 100% giáo viên đạt chuẩn.\n1.2.1. Chi tiết\n- 95% học sinh lên lớp.\n"
                           "a) Nội dung\n- 90% học sinh tốt nghiệp.\nII. GIẢI PHÁP\n")
    sections = [p.section for p in text.paragraphs if not p.heading and not p.skipped]
    assert sections == ["I.1", "I.2", "I.1.2.1", "I.1.2.1.a"]


def test_a_text_without_part_headings_is_read_from_its_targets_on(tmp_path):
    text = _read(tmp_path, "Đại hội chi bộ nhiệm kỳ 2020 - 2022\nNgày 3/3, chi bộ họp với 21/22 đảng viên.\n"
                           "Đại hội thống nhất mục tiêu nhiệm kỳ 2020 - 2022 là: trên 95% đảng viên hoàn thành "
                           "tốt nhiệm vụ.\n")
    assert text.whole_text and text.start_line == 3
    (clause,) = plan_clauses(text.paragraphs, LEXICON)
    assert (clause.value, clause.op, clause.section) == (95, "gt", "-")


def test_a_look_back_is_not_a_target(tmp_path):
    clauses = _clauses(tmp_path, "Đại hội chi bộ nhiệm kỳ 2022 - 2025\n"
                                 "Trong nhiệm kỳ qua, thu nhập đạt 55 triệu đồng, hộ nghèo 0,07%.\n"
                                 "Nhiệm kỳ 2019 - 2022, chi bộ đã kết nạp 02 đảng viên.\n"
                                 "Nhiệm kỳ 2022-2025, phấn đấu thu nhập bình quân 62 triệu đồng/người/năm.\n")
    assert [c.value for c in clauses] == [62]


def test_two_targets_joined_by_and_share_the_verb(tmp_path):
    clauses = _clauses(tmp_path, "Nghị quyết nhiệm kỳ 2020-2025\nMục tiêu: hàng năm có 100% đảng viên và 100% "
                                 "quần chúng học tập các chủ trương của Đảng.\n")
    assert [(c.value, c.subject["subject"]) for c in clauses] == [(100, "members"), (100, "masses")]
    assert all("học tập các chủ trương của Đảng" in c.quote for c in clauses)


@pytest.mark.parametrize("sentence, subject", [
    ("100% hộ gia đình đạt gia đình văn hóa", "households"), ("95% người dân tham gia bảo hiểm y tế", "residents"),
    ("100% công chức hoàn thành nhiệm vụ", "officials"), ("100% đoàn viên tham gia", "union_members"),
    ("100% cháu được khám sức khỏe", "children"), ("90% bệnh nhân hài lòng", "patients"),
    ("100% tổ dân phố đạt chuẩn", "units")])
def test_subjects_beyond_schools(sentence, subject):
    assert Reader(LEXICON).subject_of(sentence)["subject"] == subject


def test_ratings_without_a_figure_become_rating_rules(tmp_path):
    clauses = _clauses(tmp_path, "Nghị quyết nhiệm kỳ 2020 - 2022\nMục tiêu: chi bộ hằng năm đạt trong sạch, "
                                 "vững mạnh; cơ quan đạt tập thể lao động tiên tiến.\n")
    assert [(c.kind, c.op) for c in clauses] == [("rating", "rating"), ("rating", "rating")]


def test_drafts_read_the_library_kind_that_fits(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("Nghị quyết nhiệm kỳ 2020 - 2022\nMục tiêu: hằng năm trên 95% đảng viên hoàn thành tốt "
                    "nhiệm vụ; đến cuối nhiệm kỳ kết nạp được 10 đảng viên mới; chi bộ hằng năm đạt trong "
                    "sạch, vững mạnh; giảm tỷ lệ hộ nghèo xuống dưới 2%.\n", encoding="utf-8")
    draft = draft_plan(read_plan(path, LEXICON), "x", LEXICON)
    reads = [p.reads.split(" ")[0].rstrip(",") for p in draft.proposals]
    assert reads == ["party_ratings", "candidates", "cell_ratings", "figures"]
    assert draft.proposals[0].rule["check"]["per"]["calendar"] == "year"
    assert not any(re.fullmatch(r"d\d+", p.code or "") for p in draft.proposals)


def test_drafts_read_units_initiatives_and_the_cells_own_rating(tmp_path):
    """The library's kinds, not a drafted figure: the teams' yearly ratings cover the roster of units (each unit
    without a good rating is named), "80% of staff register an initiative" is the share of the roster with one
    (a coverage with op and target), the cell's rating is its cell_ratings row of each year."""
    path = tmp_path / "plan.txt"
    path.write_text("Nghị quyết nhiệm kỳ 2020 - 2022\nMục tiêu: hằng năm 100% các tổ hoàn thành tốt nhiệm vụ; "
                    "80% cán bộ đăng ký sáng kiến; chi bộ hằng năm được xếp loại hoàn thành tốt nhiệm vụ trở lên.\n",
                    encoding="utf-8")
    draft = draft_plan(read_plan(path, LEXICON), "x", LEXICON)
    units, initiatives, cell = draft.proposals
    assert units.reads.startswith("org_units, unit_ratings") and units.rule["check"]["kind"] == "coverage"
    assert units.rule["check"]["must"] == {"rating": {"in": ["excellent", "good"]}}
    assert "op" not in units.rule["check"]  # 100%: every unit
    assert initiatives.reads.startswith("people, initiatives")
    assert (initiatives.rule["check"]["op"], initiatives.rule["params"]["target"]) == ("gte", 80)
    assert cell.reads == "cell_ratings" and cell.code is None
    assert cell.rule["check"]["numerator"]["where"] == {"rating": {"in": ["excellent", "good"]}}


def test_a_draft_with_no_proposal_is_not_a_silent_success(tmp_path):
    plan = tmp_path / "tin.txt"
    plan.write_text("Chi bộ họp mặt đầu xuân\nCác đồng chí chúc nhau năm mới vui vẻ.\n", encoding="utf-8")
    done = invoke_chibo("plan", "draft", "tin.txt", "--out", "out", cwd=tmp_path)  # short paths: one table line
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "không tìm thấy chỉ tiêu nào" in " ".join(done.stderr.replace("│", " ").split())
    assert not (tmp_path / "out").exists()


def test_targets_tables_with_figure_direction_and_period_columns(tmp_path):
    table = tmp_path / "TARGETS.md"
    table.write_text("| # | Section | Clause | Figure | Direction | Subject | Period |\n|---|---|---|---|---|---|---|\n"
                     "| 1 | - | \"trên 95% đảng viên\" | 95% | more than | members | each year 2020–2022 |\n"
                     "| 2 | - | \"không có vi phạm\" | 0 | none | members | term (continuous) |\n"
                     "| 3 | - | \"tổng sản phẩm hơn 139 tỷ\" | 139 tỷ đồng | more than | the village | year 2025 |\n"
                     "| 4 | - | \"đạt trong sạch, vững mạnh\" | rating \"trong sạch\" | rating | the cell | by the "
                     "schedule |\n", encoding="utf-8")
    rows = read_targets(table)
    assert [(r.want, r.value, r.when) for r in rows] == [("gt", 95, "year"), ("eq", 0, "term"),
                                                         ("gt", 139, "by:2025"), ("rating", None, "any")]


PLANS = {  # per plan: (targets found, targets), (real proposals, proposals) — measured, exact
    "ap-phu-hoa-2024": ((2, 2), (2, 2)),
    "cdc-ninh-binh-hiv-2020": ((3, 3), (3, 3)),
    "mn-my-hung-2022": ((7, 7), (7, 7)),
    "thon-tu-san-2022": ((3, 3), (3, 3)),
    "tinh-doan-ben-tre-2010": ((6, 6), (6, 6)),
    "vp-ubnd-tuyen-quang-2020": ((2, 2), (2, 2)),
}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_recall_and_precision_on_real_published_plans(name):
    """Each real plan as published (../shared/plans-dev), against its hand-made TARGETS.md: figure, direction
    and period must all be right. Exact counts, so a regression fails (docs/plan-drafting.md)."""
    import os

    folder = PLANS_DEV / name
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{folder} is missing on CI")
        pytest.skip(f"{folder} is not here (the shared plans-dev folder beside the repository)")
    result = _measure(folder / "plan.txt", folder / "TARGETS.md")
    found, real = PLANS[name]
    assert ((result.found, len(result.targets)), (len(result.real), len(result.proposals))) == (found, real)


@pytest.mark.parametrize("text, want", [
    ("đạt 5% trên tổng thu, 100% doanh nghiệp khai thuế qua mạng", [(5, True, "gte", "percent"),
                                                                   (100, True, "gte", "percent")]),
    ("chi bộ đề ra 7 mục tiêu", []), ("hoàn thành đạt và vượt 14 chỉ tiêu", []),
    ("hoàn thành 100% chỉ tiêu kế hoạch", [(100, True, "gte", "percent")]),
])
def test_direction_words_stay_in_their_piece_and_counts_of_goals_are_no_figures(text, want):
    assert _figures(text) == want


def test_a_report_is_read_from_its_targets_not_its_description(tmp_path):
    """A newspaper report: the cell's description and the look-back ("…" ends a sentence) are no targets."""
    path = tmp_path / "tin.txt"
    path.write_text("Đại hội chi bộ Chi cục thuế, nhiệm kỳ 2025-2027\nĐại hội thông qua phương hướng nhiệm kỳ "
                    "2025-2027.\nChi bộ có 3 tổ đảng, 99 đảng viên. Trong 5 năm qua, chi bộ đã kết nạp 5 đảng "
                    "viên… Tại đại hội, các chỉ tiêu được đề ra như: phát triển thêm 8 đảng viên, trên 95% đảng viên "
                    "hoàn thành tốt nhiệm vụ, trong đó 20% hoàn thành xuất sắc nhiệm vụ.\n", encoding="utf-8")
    draft = draft_plan(read_plan(path, LEXICON), "x", LEXICON)
    assert [(p.clause.value, p.clause.op, p.reads.split(",")[0]) for p in draft.proposals] == [
        (8, "gte", "candidates"), (95, "gt", "party_ratings"), (20, "gte", "party_ratings")]


def test_titles_and_things_that_must_not_happen(tmp_path):
    clauses = _clauses(tmp_path, "Nghị quyết năm 2024\nI. CHỈ TIÊU\n- Cơ quan đạt danh hiệu “Tập thể lao động xuất "
                                 "sắc”.\n- Khu phố giữ vững danh hiệu khu phố văn hóa.\n- Không có tội phạm ma túy.\n"
                                 "- Tạo điều kiện cho đảng viên hoàn thành tốt nhiệm vụ.\n")
    assert [(c.kind, c.op) for c in clauses] == [("rating", "rating"), ("rating", "rating"), ("commitment", "none")]


@pytest.mark.parametrize("text, period", [
    ("cả nhiệm kỳ kết nạp 5 đảng viên", "term"), ("Phấn đấu đến năm 2025 đạt 139 tỷ đồng", "by_year"),
    ("mức tăng trưởng kinh tế 7%", "year"), ("thu nhập 62 triệu đồng/người/năm", None),
    ("nhiệm kỳ 2020 - 2022 là: 90% chỉ tiêu", None)])
def test_periods_of_term_plans(text, period):
    found = Reader(LEXICON).period_of(text, text, None)
    assert (found or {}).get("period") == period


def test_yearly_and_unsaid_periods_in_a_term_plan_are_judged_each_year(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("Nghị quyết nhiệm kỳ 2025 - 2027\nMục tiêu: hằng năm 95% hộ đạt gia đình văn hóa. 100% người "
                    "dân tham gia bảo hiểm y tế; đến năm 2027 thu nhập đạt 70 triệu đồng/người/năm.\n",
                    encoding="utf-8")
    draft = draft_plan(read_plan(path, LEXICON), "x", LEXICON)
    assert [p.rule["check"].get("per", {}).get("calendar") for p in draft.proposals] == ["year", "year", None]
    assert "period_guessed_yearly" in draft.proposals[1].reasons
    assert str(draft.proposals[2].rule["due"]["at"]) == "2027-12-31"


def test_above_the_standard_is_no_direction_and_a_rating_keeps_the_names_listed_before_it(tmp_path):
    assert _figures("100% giáo viên đạt chuẩn, trong đó trên chuẩn 80%") == [(100, True, "gte", "percent"),
                                                                             (80, True, "gte", "percent")]
    (clause,) = _clauses(tmp_path, "Nghị quyết năm 2025\nI. CHỈ TIÊU\n- Công đoàn, Chi đoàn, Liên đội hằng năm đạt "
                                   "vững mạnh.\n")
    assert (clause.kind, clause.quote) == ("rating", "Công đoàn, Chi đoàn, Liên đội hằng năm đạt vững mạnh")
    (clause,) = _clauses(tmp_path, "Nghị quyết năm 2025\nI. CHỈ TIÊU\n- Hằng năm chi bộ được đánh giá, xếp loại hoàn "
                                   "thành tốt nhiệm vụ trở lên.\n")
    assert clause.quote.startswith("Hằng năm chi bộ") and clause.activity["id"] == "cell_rating"


def test_parts_named_in_words_and_a_look_back_part_naming_an_earlier_term(tmp_path):
    """A political report: "Phần thứ nhất" (its title on the next line) looks back at the last term, "Phần thứ
    hai" holds the targets."""
    clauses = _clauses(tmp_path, "BÁO CÁO CHÍNH TRỊ NHIỆM KỲ 2020 - 2022\nPhần thứ nhất\nKẾT QUẢ THỰC HIỆN NGHỊ "
                                 "QUYẾT NHIỆM KỲ 2017 – 2020\nI. Xây dựng Đảng\n- Kết nạp 3 đảng viên.\nPhần thứ hai\n"
                                 "PHƯƠNG HƯỚNG NHIỆM KỲ 2020 - 2022\nI. Chỉ tiêu\n- Kết nạp 4 đảng viên trong nhiệm "
                                 "kỳ.\n")
    assert [(c.section, c.value) for c in clauses] == [("2.I", 4)]


def test_above_the_estimate_is_more_than_100_percent(tmp_path):
    clauses = _clauses(tmp_path, "Nghị quyết năm 2024\nMục tiêu: phấn đấu vượt dự toán thu ngân sách được giao; "
                                 "quyết tâm thực hiện đạt và vượt các chỉ tiêu về phát triển kinh tế.\n")
    assert [(c.quote, c.op, c.value, c.percent) for c in clauses] == [
        ("phấn đấu vượt dự toán thu ngân sách được giao", "gt", 100, True)]


def test_a_report_of_results_stays_in_the_past_until_a_goal_is_named(tmp_path):
    """"Trong nhiệm kỳ 2022-2025, chi bộ đã …. Nổi bật, chi bộ kết nạp 2 đảng viên, đạt 100% chỉ tiêu …" are
    results; the goals named after "phương hướng … nhiệm kỳ 2025-2027" are targets, judged each year (the term
    named is not "over the term"), and "chi bộ hoàn thành xuất sắc nhiệm vụ" is the cell's rating."""
    path = tmp_path / "tin.txt"
    path.write_text("Đại hội chi bộ nhiệm kỳ 2025-2027\nĐại hội thông qua báo cáo chính trị.\nTrường có 16 nhóm lớp. "
                    "Trong nhiệm kỳ 2022-2025, chi bộ đã lãnh đạo thực hiện đạt các chỉ tiêu. Nổi bật, chi bộ kết nạp "
                    "2 đảng viên, đạt 100% chỉ tiêu; 100% đảng viên hoàn thành tốt nhiệm vụ.\nĐại hội biểu quyết "
                    "phương hướng của chi bộ trong nhiệm kỳ 2025-2027 với các nội dung: 100% đảng viên được quán "
                    "triệt nghị quyết; chi bộ hoàn thành xuất sắc nhiệm vụ.\n", encoding="utf-8")
    draft = draft_plan(read_plan(path, LEXICON), "x", LEXICON)
    assert [(p.clause.quote, p.clause.period["period"]) for p in draft.proposals] == [
        ("100% đảng viên được quán triệt nghị quyết", "year"), ("chi bộ hoàn thành xuất sắc nhiệm vụ", "year")]
    assert draft.proposals[1].clause.activity["id"] == "cell_rating"


@pytest.mark.parametrize("text, want", [
    ("sản lượng lương thực đạt 13.461 tấn", [(13461, False, "gte", "tonne")]),
    ("mỗi năm kết nạp từ 8.000 – 11.000 đoàn viên", [(8000, False, "gte", "union_member")]),
    ("mỗi năm kết nạp từ 90 - 100 đảng viên", [(90, False, "gte", "member")]),
    ("ngày 6.6.2022", []), ("tổng sản phẩm hơn 139 tỷ đồng", [(139, False, "gt", "billion_dong")]),
    ("thu nhập 62 triệu đồng/người/năm", [(62, False, "gte", "million_dong")])])
def test_thousands_and_spaced_ranges(text, want):
    assert _figures(text) == want


def test_the_congress_own_business_is_no_target(tmp_path):
    clauses = _clauses(tmp_path, "Đại hội chi bộ nhiệm kỳ 2025-2027\nĐại hội thống nhất phương hướng nhiệm kỳ "
                                 "2025-2027. Đại hội có mặt 18/19 đảng viên. Đại hội bầu Ban Chi ủy gồm 3 đồng chí. "
                                 "Phấn đấu hằng năm 100% đảng viên hoàn thành tốt nhiệm vụ.\n")
    assert [(c.value, c.op) for c in clauses] == [(100, "gte")]


def _draft_and_accept_all(folder: Path) -> None:
    """`chibo plan draft plan.txt --out d` in `folder`, then every proposal accepted in d/review.xlsx, as a
    secretary would mark the review sheet's decision column."""
    from openpyxl import load_workbook

    assert invoke_chibo("plan", "draft", "plan.txt", "--out", "d", cwd=folder).returncode == 0
    book = load_workbook(folder / "d" / "review.xlsx")
    sheet = book["Đề xuất"]
    decision = next(n for n, c in enumerate(sheet[2]) if c.value == "Quyết định")
    for row in sheet.iter_rows(min_row=3):
        row[decision].value = "chấp nhận"
    book.save(folder / "d" / "review.xlsx")


def test_a_draft_reading_the_library_kinds_applies_and_checks(tmp_path):
    """Accept every proposal of a draft reading units, initiatives, the cell's and members' ratings and the
    admissions, apply it, make its template: the workbook has the library's sheets for them, and checking it
    (only the cell filled in) is no input problem — each rule is judged, none passes on no rows."""
    import json

    from openpyxl import load_workbook

    (tmp_path / "plan.txt").write_text(
        "Nghị quyết nhiệm kỳ 2020 - 2022\nMục tiêu: hằng năm 100% các tổ hoàn thành tốt nhiệm vụ; 80% cán bộ đăng "
        "ký sáng kiến; chi bộ hằng năm được xếp loại hoàn thành tốt nhiệm vụ trở lên; hằng năm trên 95% đảng viên "
        "hoàn thành tốt nhiệm vụ; đến cuối nhiệm kỳ kết nạp được 10 đảng viên mới.\n", encoding="utf-8")
    _draft_and_accept_all(tmp_path)
    assert invoke_chibo("plan", "apply", "d/review.xlsx", "--out", "x/plans/thu", cwd=tmp_path).returncode == 0
    assert invoke_chibo("template", "x/ho-so.xlsx", "--plan", "thu", "--plans", "x/plans", cwd=tmp_path).returncode == 0
    book = load_workbook(tmp_path / "x" / "ho-so.xlsx")
    assert {"Tổ, bộ phận, đoàn thể", "Xếp loại tổ, bộ phận", "Sáng kiến", "Xếp loại chi bộ", "Xếp loại đảng viên",
            "Phát triển đảng viên"} <= set(book.sheetnames)
    for row in book["Chi bộ"].iter_rows(min_row=1):
        row[1].value = {"Tên chi bộ": "Chi bộ A", "Đảng bộ cấp trên": "Đảng bộ xã B"}.get(row[0].value, row[1].value)
    book.save(tmp_path / "x" / "ho-so.xlsx")
    run = invoke_chibo("check", "x/ho-so.xlsx", "--as-of", "31/12/2022", "--format", "json", cwd=tmp_path)
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr[-2000:]
    statuses = [r["status"] for r in json.loads(run.stdout)["rules"]]
    assert len(statuses) == 5 and "passed" not in statuses


def test_money_and_rates_are_values_and_a_target_by_a_year_reads_that_years_row(tmp_path):
    """'hơn 80 tỷ đồng', '65 triệu đồng/người/năm', 'tăng trưởng 6,5%' are values a secretary writes with
    decimals (141,5 tỷ), not whole counts nor a numerator over a denominator; a target 'đến năm 2025' is the
    figure of 2025, not the sum of every year's row."""
    path = tmp_path / "plan.txt"
    path.write_text("Nghị quyết nhiệm kỳ 2022 - 2025\nMục tiêu: phấn đấu đến năm 2025 giá trị sản xuất đạt hơn 80 tỷ "
                    "đồng, thu nhập bình quân 65 triệu đồng/người/năm; tốc độ tăng trưởng kinh tế hằng năm từ 6,5% "
                    "trở lên; kết nạp 3 đảng viên.\n", encoding="utf-8")
    draft = draft_plan(read_plan(path, LEXICON), "x", LEXICON)
    checks = [p.rule["check"] for p in draft.proposals]
    assert [(c["kind"], c.get("sum"), c["match"][0].get("where", {}).get("period"), "per" in c)
            for c in checks[:3]] == [("count", "f.value", "2025", False), ("count", "f.value", "2025", False),
                                     ("count", "f.value", None, True)]
    assert draft.proposals[2].rule["params"]["target"] == 6.5


def test_rating_shares_get_rule_tests_built_from_the_rule(tmp_path):
    """A drafted rule on the members' or the cell's yearly rating (a share of rating records, per year), or on
    the admissions (a count of candidates admitted during the plan), gets a passing and a failing case built from
    the rule and the kinds' declarations, not a 'CẦN VIẾT / TO DO' case."""
    (tmp_path / "plan.txt").write_text(
        "Nghị quyết nhiệm kỳ 2020 - 2022\nMục tiêu: hằng năm trên 90% đảng viên hoàn thành tốt nhiệm vụ; không quá "
        "20% đảng viên hoàn thành xuất sắc nhiệm vụ; chi bộ hằng năm đạt trong sạch, vững mạnh; cả nhiệm kỳ kết nạp "
        "3 đảng viên mới.\n", encoding="utf-8")
    _draft_and_accept_all(tmp_path)
    assert invoke_chibo("plan", "apply", "d/review.xlsx", "--out", "thu", cwd=tmp_path).returncode == 0
    tests = sorted((tmp_path / "thu" / "tests").glob("*.yaml"))
    assert len(tests) == 4 and not [p.name for p in tests if "CẦN VIẾT" in p.read_text(encoding="utf-8")]
    tested = invoke_chibo("rules", "test", "--rules", "thu", "--evaluator", "oracle", cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout[-3000:]
