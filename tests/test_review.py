"""The review sheet speaks plain words (no "ratio gte", "at: year_end"), and `plan apply` reads back what the
secretary changed in it: the title, the direction, the due period and the target; the applied plan's id is
its folder's name."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from .conftest import ROOT

TP = ROOT / "rules" / "tan-phuoc-2020-2022" / "plan.txt"
CODE_WORDS = re.compile(r"\b(gte|lte|eq|gt|lt|ne|ratio|count|coverage|advisory|continuous|year_end|plan_end)\b|"
                        r"\b(at|each):")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "chibo_rules", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def _columns(sheet) -> dict[str, int]:
    return {cell.value: n for n, cell in enumerate(sheet[2])}


def test_the_review_sheet_says_check_direction_and_due_in_plain_words(tmp_path):
    from openpyxl import load_workbook

    for lang, sheet_name, check, due in (("vi", "Đề xuất", "Loại kiểm tra", "Hạn"),
                                         ("en", "Proposals", "Check", "Due")):
        out = tmp_path / lang
        assert _cli("plan", "draft", TP, "--out", out, "--lang", lang).returncode == 0
        sheet = load_workbook(out / "review.xlsx")[sheet_name]
        cols = _columns(sheet)
        shown = [str(row[cols[name]] or "") for row in sheet.iter_rows(min_row=3, values_only=True)
                 for name in (check, due)]
        assert shown and [s for s in shown if CODE_WORDS.search(s)] == []
        markdown = (out / "review.md").read_text(encoding="utf-8")
        assert not re.search(r"\| (ratio|count) (gte|lte|eq)|at: year_end|each: month", markdown)


def test_apply_reads_back_title_direction_due_and_target(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert _cli("plan", "draft", TP, "--out", out).returncode == 0
    book = load_workbook(out / "review.xlsx")
    sheet = book["Đề xuất"]
    cols = _columns(sheet)
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    rule_id = next(i for i, r in rows.items() if str(r[cols["Trích dẫn"]].value).startswith("Hằng năm có từ 90%"))
    row = rows[rule_id]
    row[cols["Đề xuất"]].value = "Ít nhất 85% đảng viên hoàn thành tốt nhiệm vụ"
    row[cols["Hướng"]].value = "không quá"
    row[cols["Hạn"]].value = "cuối năm"
    row[cols["Chỉ tiêu"]].value = 85
    row[cols["Quyết định"]].value = "sửa"
    book.save(out / "review.xlsx")
    final = tmp_path / "chi-bo-tan-phuoc"
    done = _cli("plan", "apply", out / "review.xlsx", "--out", final)
    assert done.returncode == 0, done.stdout + done.stderr
    rule = yaml.safe_load((final / f"{rule_id}.yaml").read_text(encoding="utf-8"))
    assert rule["title"]["vi"] == "Ít nhất 85% đảng viên hoàn thành tốt nhiệm vụ"
    assert rule["check"]["op"] == "lte" and rule["params"]["target"] == 85
    assert rule["due"] == {"at": "year_end"}
    assert yaml.safe_load((final / "plan.yaml").read_text(encoding="utf-8"))["id"] == "chi-bo-tan-phuoc"
    assert _cli("rules", "list", "--rules", final).returncode == 0


def test_a_direction_chibo_cannot_read_names_its_cell(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert _cli("plan", "draft", TP, "--out", out).returncode == 0
    book = load_workbook(out / "review.xlsx")
    sheet = book["Đề xuất"]
    cols = _columns(sheet)
    letter = "ABCDEFGHIJKLMNOP"[cols["Hướng"]]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[cols["Hướng"]].value)
    row[cols["Hướng"]].value = "khoảng chừng"
    row[cols["Quyết định"]].value = "chấp nhận"
    book.save(out / "review.xlsx")
    done = _cli("plan", "apply", out / "review.xlsx", "--out", tmp_path / "final")
    assert done.returncode == 2 and f"{letter}{row[0].row}" in done.stderr and "Traceback" not in done.stderr


def test_a_review_sheet_of_an_earlier_chibo_still_applies(tmp_path):
    """A sheet written before the plain words ("at: year_end" in the due column, no direction column) is applied
    as it was decided, not refused cell by cell."""
    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert _cli("plan", "draft", TP, "--out", out).returncode == 0
    book = load_workbook(out / "review.xlsx")
    sheet = book["Đề xuất"]
    cols = _columns(sheet)
    data = {row[0]: yaml.safe_load(row[2]) for row in book["_data"].iter_rows(values_only=True)
            if row[0] and row[2]}
    for row in sheet.iter_rows(min_row=3):
        due = data[row[0].value]["due"]
        row[cols["Hạn"]].value = due if isinstance(due, str) else ", ".join(f"{k}: {v}" for k, v in due.items())
        row[cols["Hướng"]].value = None
        row[cols["Quyết định"]].value = "chấp nhận"
    book.save(out / "review.xlsx")
    done = _cli("plan", "apply", out / "review.xlsx", "--out", tmp_path / "final")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_every_applied_rule_gets_a_passing_and_a_failing_case_built_from_the_rule(tmp_path):
    """Rules reading library activities (monthly meetings, inspections of members) got a 'CẦN VIẾT / TO DO'
    case; their cases are now built from the rule itself, so the applied plan's own tests pass."""
    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert _cli("plan", "draft", TP, "--out", out).returncode == 0
    book = load_workbook(out / "review.xlsx")
    sheet = book["Đề xuất"]
    cols = _columns(sheet)
    for row in sheet.iter_rows(min_row=3):
        row[cols["Quyết định"]].value = "chấp nhận"
    book.save(out / "review.xlsx")
    final = tmp_path / "final"
    assert _cli("plan", "apply", out / "review.xlsx", "--out", final).returncode == 0
    todo = [p.name for p in (final / "tests").glob("*.yaml") if "CẦN VIẾT" in p.read_text(encoding="utf-8")]
    assert todo == []
    tested = _cli("rules", "test", "--rules", final, "--evaluator", "oracle", "--format", "json")
    assert tested.returncode == 0, tested.stdout[-3000:]


def test_from_the_draft_to_a_first_check_of_a_filled_in_template(tmp_path):
    """Draft → accept two proposals → apply into a plans/ folder → the template of that plan → the workbook
    filled in as a secretary would (openpyxl) → `chibo check` finds the plan with no option, reads every row
    without an input problem and names exactly the two planted gaps (the members' ratings read the library's
    party_ratings). Three real plans of ../shared/plans-dev go the same way in tests/test_plans_dev_e2e.py."""
    import json

    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert _cli("plan", "draft", TP, "--out", out).returncode == 0
    book = load_workbook(out / "review.xlsx")
    sheet = book["Đề xuất"]
    cols = _columns(sheet)
    chosen = {}
    for row in sheet.iter_rows(min_row=3):
        clause = str(row[cols["Trích dẫn"]].value)
        if clause.startswith(("Hằng năm có từ 90%", "Duy trì sinh hoạt chi bộ định kỳ mỗi tháng")):
            row[cols["Quyết định"]].value = "chấp nhận"
            chosen[row[0].value] = clause
    assert len(chosen) == 2
    book.save(out / "review.xlsx")
    plans = tmp_path / "xa" / "plans"
    assert _cli("plan", "apply", out / "review.xlsx", "--out", plans / "tan-phuoc-thu").returncode == 0
    workbook = tmp_path / "xa" / "ho-so.xlsx"
    made = _cli("template", workbook, "--plan", "tan-phuoc-thu", "--plans", plans)
    assert made.returncode == 0, made.stdout + made.stderr

    book = load_workbook(workbook)
    cell = book["Chi bộ"]
    values = {"Tên chi bộ": "Chi bộ Thử Nghiệm", "Đảng bộ cấp trên": "Đảng bộ xã Thử Nghiệm"}
    for row in cell.iter_rows(min_row=1):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    # the members' share rated good reads the library's party_ratings: ten members, two of them rated merely
    # 'completed' in 2021 (80%, planted)
    people, ratings = book["Nhân sự"], book["Xếp loại đảng viên"]
    head = [c.value for c in people[1]]
    for n in range(1, 11):
        for name, value in (("Mã", f"P{n:02d}"), ("Họ và tên", f"Đảng viên Thứ {n}"), ("Đảng viên", "có")):
            people.cell(n + 1, head.index(name) + 1, value)
    head = [c.value for c in ratings[1]]
    row = 2
    for year in (2020, 2021, 2022):
        for n in range(1, 11):
            level = "hoàn thành nhiệm vụ" if year == 2021 and n in (3, 7) else "hoàn thành tốt nhiệm vụ"
            for name, value in (("Mã đảng viên", f"P{n:02d}"), ("Năm đánh giá", year), ("Mức xếp loại", level),
                                ("Ngày chi bộ xét xếp loại", f"20/12/{year}")):
                ratings.cell(row, head.index(name) + 1, value)
            row += 1
    meetings = book["Sinh hoạt chi bộ"]
    head = [c.value for c in meetings[1]]
    n = 2
    for year in (2020, 2021, 2022):
        for month in range(1, 13):
            if (year, month) == (2021, 5):
                continue  # planted: no meeting in May 2021
            for name, value in (("Mã buổi sinh hoạt", f"SH-{year}-{month:02d}"),
                                ("Ngày họp", f"05/{month:02d}/{year}"), ("Loại sinh hoạt", "định kỳ")):
                meetings.cell(n, head.index(name) + 1, value)
            n += 1
    book.save(workbook)

    run = _cli("check", workbook, "--as-of", "31/12/2022", "--format", "json")
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    rules = {r["id"]: r for r in json.loads(run.stdout)["rules"]}
    assert set(rules) == set(chosen) and all(r["status"] == "gap" for r in rules.values())
    gaps = sorted((g["reason"], tuple(ref["key"] for ref in g["refs"])) for r in rules.values() for g in r["gaps"])
    assert gaps == [("missing", ("2021-05",)), ("outside", ("party_ratings:14", "P03")),
                    ("outside", ("party_ratings:18", "P07")), ("short", ())]
    rated = next(i for i, clause in chosen.items() if clause.startswith("Hằng năm"))
    assert {g["values"]["period"] for g in rules[rated]["gaps"]} == {"2021"}
