"""The review sheet speaks plain words (no "ratio gte", "at: year_end"), and `plan apply` reads back what the
secretary changed in it: the title, the direction, the due period and the target; the applied plan's id is
its folder's name."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import yaml

from .clirun import invoke_chibo
from .conftest import ROOT

TP = ROOT / "rules" / "tan-phuoc-2020-2022" / "plan.txt"
CODE_WORDS = re.compile(r"\b(gte|lte|eq|gt|lt|ne|ratio|count|coverage|advisory|continuous|year_end|plan_end)\b|"
                        r"\b(at|each):")


def _columns(sheet) -> dict[str, int]:
    return {cell.value: n for n, cell in enumerate(sheet[2])}


def test_the_review_sheet_says_check_direction_and_due_in_plain_words(tmp_path):
    from openpyxl import load_workbook

    for lang, sheet_name, check, due in (("vi", "Đề xuất", "Loại kiểm tra", "Hạn"),
                                         ("en", "Proposals", "Check", "Due")):
        out = tmp_path / lang
        assert invoke_chibo("plan", "draft", TP, "--out", out, "--lang", lang).returncode == 0
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
    assert invoke_chibo("plan", "draft", TP, "--out", out).returncode == 0
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
    done = invoke_chibo("plan", "apply", out / "review.xlsx", "--out", final)
    assert done.returncode == 0, done.stdout + done.stderr
    rule = yaml.safe_load((final / f"{rule_id}.yaml").read_text(encoding="utf-8"))
    assert rule["title"]["vi"] == "Ít nhất 85% đảng viên hoàn thành tốt nhiệm vụ"
    assert rule["check"]["op"] == "lte" and rule["params"]["target"] == 85
    assert rule["due"] == {"at": "year_end"}
    assert yaml.safe_load((final / "plan.yaml").read_text(encoding="utf-8"))["id"] == "chi-bo-tan-phuoc"
    assert invoke_chibo("rules", "list", "--rules", final).returncode == 0


def test_a_direction_chibo_cannot_read_names_its_cell(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert invoke_chibo("plan", "draft", TP, "--out", out).returncode == 0
    book = load_workbook(out / "review.xlsx")
    sheet = book["Đề xuất"]
    cols = _columns(sheet)
    letter = "ABCDEFGHIJKLMNOP"[cols["Hướng"]]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[cols["Hướng"]].value)
    row[cols["Hướng"]].value = "khoảng chừng"
    row[cols["Quyết định"]].value = "chấp nhận"
    book.save(out / "review.xlsx")
    done = invoke_chibo("plan", "apply", out / "review.xlsx", "--out", tmp_path / "final")
    assert done.returncode == 2 and f"{letter}{row[0].row}" in done.stderr and "Traceback" not in done.stderr


def test_a_review_sheet_of_an_earlier_chibo_still_applies(tmp_path):
    """A sheet written before the plain words ("at: year_end" in the due column, no direction column) is applied
    as it was decided, not refused cell by cell."""
    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert invoke_chibo("plan", "draft", TP, "--out", out).returncode == 0
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
    done = invoke_chibo("plan", "apply", out / "review.xlsx", "--out", tmp_path / "final")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_every_applied_rule_gets_a_passing_and_a_failing_case_built_from_the_rule(tmp_path):
    """Rules reading library activities (monthly meetings, inspections of members) got a 'CẦN VIẾT / TO DO'
    case; their cases are now built from the rule itself, so the applied plan's own tests pass."""
    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert invoke_chibo("plan", "draft", TP, "--out", out).returncode == 0
    book = load_workbook(out / "review.xlsx")
    sheet = book["Đề xuất"]
    cols = _columns(sheet)
    for row in sheet.iter_rows(min_row=3):
        row[cols["Quyết định"]].value = "chấp nhận"
    book.save(out / "review.xlsx")
    final = tmp_path / "final"
    assert invoke_chibo("plan", "apply", out / "review.xlsx", "--out", final).returncode == 0
    todo = [p.name for p in (final / "tests").glob("*.yaml") if "CẦN VIẾT" in p.read_text(encoding="utf-8")]
    assert todo == []
    tested = invoke_chibo("rules", "test", "--rules", final, "--evaluator", "oracle", "--format", "json")
    assert tested.returncode == 0, tested.stdout[-3000:]


def test_from_the_draft_to_a_first_check_of_a_filled_in_template(tmp_path):
    """Draft → accept two proposals → apply into a plans/ folder → the template of that plan → the workbook
    filled in as a secretary would (openpyxl) → `chibo check` finds the plan with no option, reads every row
    without an input problem and names exactly the two planted gaps (the members' ratings read the library's
    party_ratings). Three real plans of ../shared/plans-dev go the same way in tests/test_plans_dev_e2e.py."""
    import json

    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert invoke_chibo("plan", "draft", TP, "--out", out).returncode == 0
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
    assert invoke_chibo("plan", "apply", out / "review.xlsx", "--out", plans / "tan-phuoc-thu").returncode == 0
    workbook = tmp_path / "xa" / "ho-so.xlsx"
    made = invoke_chibo("template", workbook, "--plan", "tan-phuoc-thu", "--plans", plans)
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

    run = invoke_chibo("check", workbook, "--as-of", "31/12/2022", "--format", "json")
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    rules = {r["id"]: r for r in json.loads(run.stdout)["rules"]}
    assert set(rules) == set(chosen) and all(r["status"] == "gap" for r in rules.values())
    gaps = sorted((g["reason"], tuple(ref["key"] for ref in g["refs"])) for r in rules.values() for g in r["gaps"])
    assert gaps == [("missing", ("2021-05",)), ("outside", ("party_ratings:14", "P03")),
                    ("outside", ("party_ratings:18", "P07")), ("short", ())]
    rated = next(i for i, clause in chosen.items() if clause.startswith("Hằng năm"))
    assert {g["values"]["period"] for g in rules[rated]["gaps"]} == {"2021"}


# ------------------------------------------------------------------ kind and field; split and merge rows

def _drafted(tmp_path, lang="vi"):
    """A fresh draft of the Tân Phước plan: the workbook, its proposals sheet, column numbers by header and
    the drafted rule of each row (read from the hidden data sheet)."""
    from openpyxl import load_workbook

    out = tmp_path / "draft"
    assert invoke_chibo("plan", "draft", TP, "--out", out, "--lang", lang).returncode == 0
    book = load_workbook(out / "review.xlsx")
    sheet = book["Đề xuất" if lang == "vi" else "Proposals"]
    rules = {row[0]: yaml.safe_load(row[2]) for row in book["_data"].iter_rows(values_only=True)
             if row[0] and row[2]}
    return out, book, sheet, _columns(sheet), rules


def _row_of(sheet, rules, wanted):
    """The first row whose drafted rule `wanted` accepts."""
    return next(r for r in sheet.iter_rows(min_row=3) if r[0].value in rules and wanted(rules[r[0].value]))


def _ratio_sum(rule):
    return rule["check"]["kind"] == "ratio" and isinstance(rule["check"].get("sum"), dict)


def _count_sum(rule):
    return rule["check"]["kind"] == "count" and isinstance(rule["check"].get("sum"), str)


def test_kind_and_field_columns_offer_drop_downs_from_a_hidden_sheet(tmp_path):
    """Every library kind (and the plan's own) is offered: a list far longer than Excel's 255 characters for an
    inline list, so the drop-downs point at a range of a hidden sheet."""
    out, book, sheet, cols, rules = _drafted(tmp_path)
    assert {"Loại hồ sơ", "Trường"} <= set(cols)
    library = {p.stem for p in (ROOT / "rules" / "library" / "kinds").glob("*.yaml")}
    row = _row_of(sheet, rules, _count_sum)
    kind_letter, field_letter = (chr(ord("A") + cols[name]) for name in ("Loại hồ sơ", "Trường"))
    assert row[cols["Loại hồ sơ"]].value == rules[row[0].value]["check"]["match"][0]["kind"]
    assert row[cols["Trường"]].value == rules[row[0].value]["check"]["sum"].split(".")[1]
    lists = {}
    for validation in sheet.data_validations.dataValidation:
        for letter in (kind_letter, field_letter):
            if f"{letter}{row[0].row}" in validation.sqref:
                lists[letter] = validation.formula1
    assert set(lists) == {kind_letter, field_letter}
    sheet_name, cells = lists[kind_letter].split("!")
    hidden = book[sheet_name.strip("'")]
    assert hidden.sheet_state == "hidden"
    first, last = cells.replace("$", "").split(":")
    offered = {c.value for (c,) in hidden[first:last]}
    assert library <= offered and len(",".join(offered)) > 255


def test_apply_reads_back_a_changed_kind_and_field(tmp_path):
    out, book, sheet, cols, rules = _drafted(tmp_path)
    counted = _row_of(sheet, rules, _count_sum)
    counted[cols["Trường"]].value = "rank"
    counted[cols["Quyết định"]].value = "chấp nhận"
    # members' Party ratings, moved by the secretary to the civil-service ratings of the same year
    rated = _row_of(sheet, rules, lambda r: r["check"].get("match", [{}])[0].get("kind") == "party_ratings")
    rated[cols["Loại hồ sơ"]].value = "ratings"
    rated[cols["Quyết định"]].value = "chấp nhận"
    book.save(out / "review.xlsx")
    final = tmp_path / "final"
    done = invoke_chibo("plan", "apply", out / "review.xlsx", "--out", final)
    assert done.returncode == 0, done.stdout + done.stderr
    alias = rules[counted[0].value]["check"]["sum"].split(".")[0]
    assert yaml.safe_load((final / f"{counted[0].value}.yaml").read_text("utf-8"))["check"]["sum"] == f"{alias}.rank"
    check = yaml.safe_load((final / f"{rated[0].value}.yaml").read_text("utf-8"))["check"]
    assert check["match"][0]["kind"] == "ratings"
    assert invoke_chibo("rules", "list", "--rules", final).returncode == 0


def test_an_unknown_kind_or_a_field_that_does_not_fit_names_its_cell(tmp_path):
    """An unknown kind, an unknown field, a text field under a ratio: exit 2, the sheet and cell named, in the
    user's language; no traceback."""
    for lang, kind_col, field_col, decision, words in (
            ("vi", "Loại hồ sơ", "Trường", "Quyết định", ("không có loại hồ sơ", "không phải là số")),
            ("en", "Kind", "Field", "Decision", ("no kind", "not a number"))):
        out, book, sheet, cols, rules = _drafted(tmp_path / lang, lang)
        ratio = _row_of(sheet, rules, _ratio_sum)
        ratio[cols[field_col]].value = "note"
        ratio[cols[decision]].value = "accept"
        counted = _row_of(sheet, rules, _count_sum)
        counted[cols[kind_col]].value = "ho_so_la"
        counted[cols[decision]].value = "accept"
        book.save(out / "review.xlsx")
        done = subprocess.run([sys.executable, "-m", "chibo_rules", "plan", "apply", str(out / "review.xlsx"), "--out",
                               str(tmp_path / lang / "final"), "--lang", lang], capture_output=True, text=True,
                              cwd=ROOT, timeout=300, env={**os.environ, "COLUMNS": "1000"})  # one line a problem
        err = " ".join(done.stderr.split())
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        for col, row in ((field_col, ratio), (kind_col, counted)):
            assert f"{chr(ord('A') + cols[col])}{row[0].row}" in err
        assert all(w in err for w in words), err
        assert not (tmp_path / lang / "final").exists()


def _copy_row(sheet, row):
    sheet.append([c.value for c in row])
    return sheet[sheet.max_row]


def test_a_row_copied_under_a_new_code_is_a_second_rule_and_merge_into_drops_a_row(tmp_path):
    """Split: the copied row, its code changed to D05b, is a rule of its own with its own target and direction,
    the original stays. Merge: "gộp vào D04" writes no rule of the row, and D04 names the merged clause."""
    out, book, sheet, cols, rules = _drafted(tmp_path)
    ratio = _row_of(sheet, rules, _ratio_sum)
    base = ratio[0].value
    ratio[cols["Quyết định"]].value = "chấp nhận"
    copy = _copy_row(sheet, ratio)
    copy[0].value = f"{base}b"
    copy[cols["Chỉ tiêu"]].value = 50
    copy[cols["Hướng"]].value = "không quá"
    copy[cols["Quyết định"]].value = "sửa"
    rows = [r for r in sheet.iter_rows(min_row=3, max_row=sheet.max_row - 1) if r[0].value in rules]
    keep, gone = [r for r in rows if r[0].value != base and rules[r[0].value]["check"]["kind"] != "advisory"][:2]
    keep[cols["Quyết định"]].value = "chấp nhận"
    gone[cols["Quyết định"]].value = f"gộp vào {keep[0].value}"
    book.save(out / "review.xlsx")
    final = tmp_path / "final"
    done = invoke_chibo("plan", "apply", out / "review.xlsx", "--out", final)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {p.stem for p in final.glob("*.yaml")} == {"plan", base, f"{base}b", keep[0].value}
    split = yaml.safe_load((final / f"{base}b.yaml").read_text("utf-8"))
    assert split["id"] == f"{base}b" and split["params"]["target"] == 50 and split["check"]["op"] == "lte"
    assert yaml.safe_load((final / f"{base}.yaml").read_text("utf-8"))["check"] == rules[base]["check"]
    kept = (final / f"{keep[0].value}.yaml").read_text("utf-8")
    assert gone[0].value in kept and rules[gone[0].value]["clause"][:40] in " ".join(kept.split())
    assert (final / "tests" / f"{base}b.yaml").is_file()
    assert invoke_chibo("rules", "list", "--rules", final).returncode == 0


def test_split_and_merge_mistakes_name_their_cell(tmp_path):
    """Two rows with one code, a code that copies no row, a merge into a row not kept: exit 2, each cell named."""
    out, book, sheet, cols, rules = _drafted(tmp_path)
    first = _row_of(sheet, rules, _ratio_sum)
    first[cols["Quyết định"]].value = "chấp nhận"
    twin = _copy_row(sheet, first)
    stray = _copy_row(sheet, first)
    stray[0].value = "Z99"
    other = _row_of(sheet, rules, _count_sum)
    other[cols["Quyết định"]].value = "gộp vào A01"  # A01 is left undecided
    book.save(out / "review.xlsx")
    done = invoke_chibo("plan", "apply", out / "review.xlsx", "--out", tmp_path / "final")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    err = " ".join(done.stderr.split())
    for cell in (f"A{twin[0].row}", f"A{stray[0].row}", f"L{other[0].row}"):
        assert cell in err, (cell, err)


def test_the_sheet_explains_how_to_split_and_merge(tmp_path):
    out, book, sheet, cols, rules = _drafted(tmp_path)
    guide = book["Hướng dẫn"]
    text = " ".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "gộp vào" in text and "D05b" in text
    assert "gộp vào" in (out / "review.md").read_text("utf-8")
    assert "gộp vào" in (ROOT / "docs" / "plan-drafting.md").read_text("utf-8")
