"""Cases as Excel workbooks: template, round trip, and a workbook edited the way a secretary would."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from chibo_rules.facts.schema import INSTRUCTIONS_SHEET
from chibo_rules.facts.xlsx import write_workbook
from chibo_rules.jobs.check import run_check

from .clirun import invoke_chibo
from .conftest import COMPLIANT_CASE, GAPS_CASE, ROOT, YEAR_END, load_case, plan_rules

_SCHEMA = plan_rules().schema
SHEETS = {kind: _SCHEMA.sheet(kind) for kind in _SCHEMA.kinds}
HEADERS = {kind: {name: _SCHEMA.header(kind, name) for name in decl.fields} for kind, decl in _SCHEMA.kinds.items()}


def _facts(case):
    return {kind: [(r.key, r.line, r.fact) for r in records] for kind, records in case.records.items()}


@pytest.fixture(scope="module")
def gaps_book(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("book") / "vbn1-2020.xlsx"
    out = invoke_chibo("template", path, "--from", GAPS_CASE)
    assert out.returncode == 0, out.stderr
    return path


def test_empty_template_has_every_sheet_headers_and_lists(tmp_path, schema):
    path = tmp_path / "mau.xlsx"
    assert invoke_chibo("template", path).returncode == 2  # which plan's kinds? it says how to choose
    out = invoke_chibo("template", path, "--plan", "vbn1-2020")
    assert out.returncode == 0, out.stderr
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [INSTRUCTIONS_SHEET, schema.cell.sheet, *(schema.sheet(k) for k in schema.sheet_order)]
    people = book[schema.sheet("people")]
    assert [c.value for c in people[1]] == [schema.header("people", n) for n in schema.models["people"].model_fields]
    lists = [dv.formula1 for dv in people.data_validations.dataValidation]
    assert any("giáo viên" in f for f in lists) and any("có,không" in f for f in lists)
    assert invoke_chibo("template", path, "--plan", "vbn1-2020").returncode == 2  # never overwritten without --force


def test_round_trip_gives_identical_facts(tmp_path, compliant_case):
    path = tmp_path / "case.xlsx"
    write_workbook(path, compliant_case.schema, compliant_case)
    back = load_case(path)
    assert back.cell == compliant_case.cell
    assert _facts(back) == _facts(compliant_case)


def test_round_trip_gives_the_same_report(gaps_book, gaps_case, ruleset, prepared):
    folder = run_check(gaps_case, ruleset, prepared, YEAR_END)
    book = run_check(load_case(gaps_book), ruleset, prepared, YEAR_END)
    assert [f.comparable() for _, f in book.results] == [f.comparable() for _, f in folder.results]
    out = invoke_chibo("check", gaps_book, "--format", "json", "--lang", "en")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["summary"] == {"total": 48, "passed": 38, "gap": 6, "no_data": 0, "not_due": 0, "advisory": 4}
    r41 = next(r for r in data["rules"] if r["id"] == "R41")
    assert "vbn1-2020.xlsx › Chấm công, line 852" in r41["gaps"][0]["text"] or "line 852" in r41["gaps"][0]["text"]


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _column(sheet, header: str) -> int:
    return next(c.column for c in sheet[1] if unicodedata.normalize("NFC", str(c.value)) == header)


def test_workbook_edited_by_a_secretary(tmp_path):
    """NFD headers, "85,5%", dd/mm/yyyy text dates, an unknown person, a typo in a rating."""
    path = tmp_path / "edited.xlsx"
    assert invoke_chibo("template", path, "--from", COMPLIANT_CASE).returncode == 0
    book = openpyxl.load_workbook(path)
    people = book[SHEETS["people"]]
    for cell in people[1]:
        cell.value = _nfd(str(cell.value)).upper()  # NFD and upper case headers still match
    meetings = book[SHEETS["meetings"]]
    date_col = _column(meetings, HEADERS["meetings"]["date"])
    meetings.cell(row=2, column=date_col).value = "03/01/2020"  # typed as text, dd/mm/yyyy
    survey = book[SHEETS["universal_education"]]
    rate_col = _column(survey, HEADERS["universal_education"]["rate"])
    survey.cell(row=2, column=rate_col).value = "85,5%"  # read as 85.5 %, which contradicts 619/648 = 95.5 %
    briefings = book[SHEETS["briefings"]]
    person_col = _column(briefings, HEADERS["briefings"]["person"])
    briefings.cell(row=5, column=person_col).value = "P99"
    ratings = book[SHEETS["ratings"]]
    rating_col = _column(ratings, HEADERS["ratings"]["rating"])
    ratings.cell(row=7, column=rating_col).value = "hoàn thàn tốt"
    book.save(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    out = invoke_chibo("validate", path, "--format", "json")
    assert out.returncode == 2, out.stdout + out.stderr
    problems = [(p["sheet"], p["cell"], p["field"], p["code"], p["value"]) for p in json.loads(out.stdout)["problems"]]
    letter = openpyxl.utils.get_column_letter
    assert sorted(problems) == sorted([
        (SHEETS["briefings"], f"{letter(person_col)}5", "person", "unknown_reference", "P99"),
        (SHEETS["ratings"], f"{letter(rating_col)}7", "rating", "invalid", "hoàn thàn tốt"),
        (SHEETS["universal_education"], f"{letter(rate_col)}2", "rate", "invalid", "85,5%"),
    ])
    table = invoke_chibo("validate", path)
    assert table.returncode == 2
    for text in (SHEETS["briefings"], SHEETS["ratings"], f"{letter(person_col)}5", f"{letter(rating_col)}7",
                 f"mã không có trong {SHEETS['people']}", "giá trị không hợp lệ", "các số liệu không khớp nhau"):
        assert text in table.stderr, text
    assert "Traceback" not in table.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_excel_serial_and_percent_cells(tmp_path, compliant_case):
    path = tmp_path / "serial.xlsx"
    write_workbook(path, compliant_case.schema, compliant_case)
    book = openpyxl.load_workbook(path)
    meetings = book[SHEETS["meetings"]]
    cell = meetings.cell(row=2, column=_column(meetings, HEADERS["meetings"]["date"]))
    cell.value, cell.number_format = 43833, "General"  # 03/01/2020 as an Excel serial number
    survey = book[SHEETS["universal_education"]]
    rate = survey.cell(row=2, column=_column(survey, HEADERS["universal_education"]["rate"]))
    rate.value, rate.number_format = 0.955, "0.0%"
    book.save(path)
    case = load_case(path)
    assert case.records["meetings"][0].fact.date.isoformat() == "2020-01-03"
    assert case.records["universal_education"][0].fact.rate == pytest.approx(95.5)


def test_a_workbook_without_its_roster_sheet_says_so_first_and_alone(gaps_book, tmp_path):
    """Issue 19: a workbook without "Nhân sự" gave 616 problems over 1,857 lines, one filed under cell.yaml,
    and never said the sheet was missing."""
    book = openpyxl.load_workbook(gaps_book)
    del book[SHEETS["people"]]
    path = tmp_path / "thieu-nhan-su.xlsx"
    book.save(path)
    out = invoke_chibo("validate", path, "--format", "json")
    assert out.returncode == 2, out.stderr
    problems = json.loads(out.stdout)["problems"]
    assert [(p["file"], p["sheet"], p["code"]) for p in problems] == [
        ("thieu-nhan-su.xlsx", SHEETS["people"], "missing_sheet")]
    case = load_case(GAPS_CASE)  # every reference to a person from another sheet (616 were listed)
    refs = 0
    for fact in [case.cell, *(r.fact for kind, rs in case.records.items() if kind != "people" for r in rs)]:
        for name, target in type(fact).REFERENCES.items():
            value = getattr(fact, name) if target == "people" else None
            refs += len(value) if isinstance(value, list) else bool(value)
    assert f" {refs} " in problems[0]["message"] and "thiếu trang tính" in problems[0]["message"]
    table = invoke_chibo("check", path, "--lang", "en")
    assert table.returncode == 2 and "cell.yaml" not in table.stderr
    assert "this sheet is missing" in table.stderr and len(table.stderr.splitlines()) < 15, table.stderr


# ------------------------------------------------------------------ the template as a secretary fills it in


def _read_by(ruleset) -> dict[str, tuple]:
    """Each kind the plan's rules read, directly or through a reference of a kind they read, with the first plan
    section needing it (in plan order)."""
    from chibo_rules.report.labels import section_key

    schema = ruleset.schema
    need: dict[str, tuple] = {}

    def add(kind: str, key: tuple) -> None:
        if kind in need and need[kind] <= key:
            return
        need[kind] = key
        for decl in schema.kinds[kind].fields.values():
            if decl.to:
                add(decl.to, key)

    for rule in ruleset.rules:
        for kind in rule.kinds():
            add(kind, section_key(rule.section))
    return need


@pytest.mark.parametrize("plan", ["vbn1-2020", "tan-phuoc-2020-2022"])
def test_template_holds_the_plans_kinds_in_the_order_a_secretary_fills_them(tmp_path, plan):
    """The instructions, the cell, the roster, then the kinds the plan's rules read by plan section (a kind
    referred to before the kind referring to it), then exemptions and assignments: no kind the plan never reads."""
    from chibo_rules.ruleset.rulespec import load_rules

    ruleset = load_rules(ROOT / "rules" / plan)
    schema = ruleset.schema
    path = tmp_path / f"{plan}.xlsx"
    out = invoke_chibo("template", path, "--plan", plan)
    assert out.returncode == 0, out.stderr
    names = openpyxl.load_workbook(path).sheetnames
    kinds = [schema.sheet_to_kind(name) for name in names]
    assert names[0] == INSTRUCTIONS_SHEET and kinds[1:3] == ["cell", "people"]
    need = _read_by(ruleset)
    every_plan = ["assignments", "exemptions"]
    assert sorted(kinds[3:]) == sorted({*need, *every_plan} - {"people"})
    assert kinds[-2:] == every_plan
    unread = set(schema.kinds) - {*need, *every_plan}
    assert unread and not unread & set(kinds)  # e.g. Tân Phước's template has no timesheets
    sections = [need[k] for k in kinds[3:-2]]
    assert sections == sorted(sections), list(zip(kinds[3:-2], sections))


def test_the_instruction_sheet_prints_within_the_page(tmp_path):
    path = tmp_path / "mau.xlsx"
    assert invoke_chibo("template", path, "--plan", "vbn1-2020").returncode == 0
    book = openpyxl.load_workbook(path)
    sheet = book[INSTRUCTIONS_SHEET]
    setup = sheet.page_setup
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4) and setup.orientation == "portrait"
    widths = {c: sheet.column_dimensions[c].width for c in "AB"}
    assert sum(widths.values()) <= 95  # A4 portrait at 100 %: nothing left for fit-to-width to shrink much
    for row in sheet.iter_rows():
        texts = [c for c in row if c.value]
        for c in texts:
            assert c.alignment.wrap_text and c.alignment.vertical == "top", c.coordinate
        if texts:
            # the row is tall enough for its text at its width (a merged cell spans both columns)
            merged = any(c.coordinate in r for r in sheet.merged_cells.ranges for c in texts)
            lines = max(sum(-(-len(part) // int(sum(widths.values()) if merged else widths[c.column_letter]))
                            for part in str(c.value).split("\n")) for c in texts)
            assert sheet.row_dimensions[row[0].row].height >= 15 * lines, row[0].row
    listed = [r[0].value for r in sheet.iter_rows(min_row=1) if r[0].value in book.sheetnames]
    assert listed == book.sheetnames[1:]  # every sheet the workbook has, in its order


def test_a_workbook_is_read_whatever_the_order_of_its_sheets(tmp_path, compliant_case):
    path = tmp_path / "case.xlsx"
    write_workbook(path, compliant_case.schema, compliant_case)
    book = openpyxl.load_workbook(path)
    book._sheets.reverse()
    book.save(path)
    back = load_case(path)
    assert back.cell == compliant_case.cell and _facts(back) == _facts(compliant_case)


def test_a_blank_template_names_the_cells_to_fill_in_by_their_headers(tmp_path):
    """Issue 19: checking an unfilled template named `name` and `party_committee`, with no cell address."""
    path = tmp_path / "mau.xlsx"
    assert invoke_chibo("template", path, "--plan", "vbn1-2020").returncode == 0
    out = invoke_chibo("validate", path, "--format", "json")
    assert out.returncode == 2, out.stderr
    book = openpyxl.load_workbook(path)
    rows = {row[0].value: row[0].row for row in book[_SCHEMA.cell.sheet].iter_rows()}
    expected = []
    for name in ("name", "party_committee"):
        header = _SCHEMA.header("cell", name)
        expected.append((_SCHEMA.cell.sheet, rows[header], f"B{rows[header]}", header, "missing_value"))
    problems = json.loads(out.stdout)["problems"]
    assert [(p["sheet"], p["line"], p["cell"], p["field"], p["code"]) for p in problems] == expected
