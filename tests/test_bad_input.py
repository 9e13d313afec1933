"""Bad input never produces a traceback: `chibo check` / `chibo validate` exit 2 and list every problem
with its file, line and field, in Vietnamese by default or English with --lang en, and never change a file.

Each test copies cases/vbn1-2020-compliant (valid: `check` exits 0) into tmp_path, breaks one thing and
runs the CLI in-process (typer's CliRunner) or as a real subprocess.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chibo_rules.cli import app

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "vbn1-2020"
GOOD = ROOT / "cases" / "vbn1-2020-compliant"
GAPS = ROOT / "cases" / "vbn1-2020"

# A wide terminal so rich never folds a file name, line number or field; no colour codes; bundled rules.
ENV: dict[str, str | None] = {"COLUMNS": "400", "NO_COLOR": "1", "FORCE_COLOR": None, "CHIBO_RULES": None}

KINDS_VI = "tệp không thuộc loại dữ liệu nào đã biết"


# --------------------------------------------------------------------------- helpers


def _runner() -> CliRunner:
    """Click < 8.2 mixes stderr into output unless mix_stderr=False; Click >= 8.2 dropped the argument."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


RUNNER = _runner()


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke(*args: object) -> Run:
    result = RUNNER.invoke(app, [str(a) for a in args], env=ENV)
    # CliRunner swallows exceptions; anything but a clean exit is a crash the user would see as a traceback.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    try:
        stderr = result.stderr
    except ValueError:  # old Click with mixed streams: stderr is already in stdout
        stderr = ""
    run = Run(result.exit_code, result.stdout, stderr)
    assert "Traceback" not in run.output
    return run


def run_subprocess(*args: object) -> Run:
    env = {k: v for k, v in os.environ.items() if k not in ("CHIBO_RULES", "FORCE_COLOR")}
    env.update(COLUMNS="400", NO_COLOR="1", PYTHONIOENCODING="utf-8")
    proc = subprocess.run([sys.executable, "-m", "chibo_rules", *map(str, args)], capture_output=True, env=env,
                          cwd=ROOT, timeout=60)
    run = Run(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))
    assert "Traceback" not in run.stdout
    assert "Traceback" not in run.stderr
    return run


def table_rows(text: str) -> list[tuple[str, str, str]]:
    """(file, line, field) of every problem row of the rich table (continuation lines have no file)."""
    rows = []
    for line in text.splitlines():
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip().strip("│").split("│")]
            if cells[0]:
                rows.append((cells[0], cells[1], cells[2]))
    return rows


def json_problems(text: str) -> list[tuple[str, int | None, str | None, str]]:
    data = json.loads(text)
    assert data["schema"] == "chibo.problems/1"
    return [(p["file"], p["line"], p["field"], p["code"]) for p in data["problems"]]


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under folder (also catches files created or removed)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def edit_lines(path: Path, change: Callable[[list[str]], None]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    change(lines)
    path.write_bytes("".join(lines).encode("utf-8"))


def set_line(path: Path, number: int, old: str, new: str) -> None:
    """Replace `old` by `new` on 1-based line `number`; fails loudly if the fixture changed."""
    def change(lines: list[str]) -> None:
        assert old in lines[number - 1], (path.name, number, lines[number - 1])
        lines[number - 1] = lines[number - 1].replace(old, new, 1)
    edit_lines(path, change)


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def to_cp1258(text: str) -> bytes:
    """Vietnamese as legacy Windows-1258 bytes: base letters precomposed, tone marks as combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out.append((base + "".join(c for c in parts if c in tones)).encode("cp1258"))
    return b"".join(out)


def expected_records(folder: Path) -> int:
    """Data rows of every CSV, counted independently of the loader (blank rows are skipped)."""
    total = 0
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        total += sum(1 for row in rows[1:] if any(cell.strip() for cell in row))
    return total


@pytest.fixture(scope="module", autouse=True)
def bundled_cases_untouched():
    before = {GOOD: snapshot(GOOD), GAPS: snapshot(GAPS)}
    yield
    for folder, digests in before.items():
        assert snapshot(folder) == digests, f"{folder} was modified by the tests or the CLI"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    dest = tmp_path / "case"
    shutil.copytree(GOOD, dest)
    return dest


# --------------------------------------------------------------------------- the scenarios


@dataclass
class Scenario:
    """One kind of broken input: how to break the copy, and exactly which problems must be reported."""

    name: str
    breaks: Callable[[Path], None]
    # (file, line, field, code); "{case}" in file is replaced by the case folder
    expected: Callable[[Path], list[tuple[str, int | None, str | None, str]]]
    message_vi: str
    value: str | None = None


def _missing_folder(case: Path) -> None:
    shutil.rmtree(case)


def _no_cell(case: Path) -> None:
    (case / "cell.yaml").unlink()


def _bad_yaml(case: Path) -> None:
    set_line(case / "cell.yaml", 4, "plan_year: 2020", "plan_year: 2020: 1")


def _unclosed_yaml(case: Path) -> None:
    set_line(case / "cell.yaml", 2, 'party_committee: "', "party_committee: [")


def _too_many_cells(case: Path) -> None:
    set_line(case / "briefings.csv", 3, "2020-01-13", "2020-01-13,thừa")


def _unknown_column(case: Path) -> None:
    set_line(case / "briefings.csv", 1, "resolution,person,date", "resolution,person,date,ghi chú")


def _missing_column(case: Path) -> None:
    edit_lines(case / "briefings.csv", lambda lines: lines.__setitem__(
        slice(None), [line.rsplit(",", 1)[0] + "\n" for line in lines]))


def _duplicate_column(case: Path) -> None:
    set_line(case / "absences.csv", 1, "person,date,kind,reason", "person,date,kind,Kind")


def _text_in_int(case: Path) -> None:
    set_line(case / "timesheets.csv", 3, "P01,2020-01-13,,2", "P01,2020-01-13,,mười")


def _feb_31(case: Path) -> None:
    set_line(case / "timesheets.csv", 5, "2020-05-11", "31/02/2020")


def _month_13(case: Path) -> None:
    set_line(case / "timesheets.csv", 5, "2020-05-11", "2020-13-01")


def _date_with_dots(case: Path) -> None:
    set_line(case / "briefings.csv", 2, "2020-01-13", "13.01.2020")


def _bad_choice(case: Path) -> None:
    set_line(case / "absences.csv", 3, ",absent,", ",nghỉ phép,")


def _blank_required(case: Path) -> None:
    set_line(case / "briefings.csv", 2, "NQ-DU-01,P01,", "NQ-DU-01,,")


def _unknown_person(case: Path) -> None:
    set_line(case / "briefings.csv", 4, ",P03,", ",P99,")


def _duplicate_id(case: Path) -> None:
    edit_lines(case / "people.csv",
               lambda lines: lines.append("P05,Người Trùng Mã,false,teacher,teacher,standard,false,false,,0,\n"))


def _duplicate_row(case: Path) -> None:
    edit_lines(case / "timesheets.csv", lambda lines: lines.append(lines[1]))


def _unknown_file(case: Path) -> None:
    shutil.copy(case / "people.csv", case / "peple.csv")


def _not_utf8(case: Path) -> None:
    text = (case / "absences.csv").read_text(encoding="utf-8")
    (case / "absences.csv").write_bytes(to_cp1258(text))


def _first_non_ascii_line(path: Path) -> int:
    """The line of the first byte that is not valid UTF-8 after a cp1258 re-encoding: the first non-ASCII one."""
    lines = (GOOD / path.name).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if not line.isascii())


def _empty_csv(case: Path) -> None:
    (case / "absences.csv").write_bytes(b"")


def _nul_byte(case: Path) -> None:
    (case / "absences.csv").write_bytes(b"person,date,kind\x00,reason\n")


def _cp1258_offset(case: Path) -> int:
    """1-based position, within its line, of the first byte that is not UTF-8."""
    for line in to_cp1258((GOOD / "absences.csv").read_text(encoding="utf-8")).split(b"\n"):
        for i, b in enumerate(line):
            if b >= 0x80:
                return i + 1
    raise AssertionError("no non-ASCII byte")


SCENARIOS = [
    Scenario("missing_folder", _missing_folder, lambda c: [(str(c), None, None, "missing_folder")],
             "không có thư mục này"),
    Scenario("no_cell_yaml", _no_cell, lambda c: [("cell.yaml", None, None, "missing_file")], "thiếu tệp bắt buộc"),
    Scenario("malformed_yaml", _bad_yaml, lambda c: [("cell.yaml", 4, None, "yaml")], "lỗi cú pháp YAML"),
    Scenario("unclosed_yaml_flow", _unclosed_yaml, lambda c: [("cell.yaml", 3, None, "yaml")], "lỗi cú pháp YAML"),
    Scenario("too_many_cells", _too_many_cells, lambda c: [("briefings.csv", 3, None, "row_length")],
             "số ô không khớp với tiêu đề (4/3)"),
    Scenario("unknown_column", _unknown_column, lambda c: [("briefings.csv", 1, "ghi chú", "unknown_column")],
             "cột không có trong mẫu (các cột: resolution, person, date)"),
    Scenario("missing_column", _missing_column, lambda c: [("briefings.csv", 1, "date", "missing_column")],
             "thiếu cột bắt buộc"),
    Scenario("duplicate_column", _duplicate_column, lambda c: [("absences.csv", 1, "kind", "duplicate_column")],
             "cột bị lặp"),
    Scenario("text_in_integer", _text_in_int, lambda c: [("timesheets.csv", 3, "periods", "invalid")],
             "giá trị không hợp lệ: cần số nguyên", "mười"),
    Scenario("feb_31", _feb_31, lambda c: [("timesheets.csv", 5, "week", "invalid")],
             "giá trị không hợp lệ: ngày không có thật trên lịch", "31/02/2020"),
    Scenario("month_13", _month_13, lambda c: [("timesheets.csv", 5, "week", "invalid")],
             "giá trị không hợp lệ: ngày không có thật trên lịch", "2020-13-01"),
    Scenario("date_with_dots", _date_with_dots, lambda c: [("briefings.csv", 2, "date", "invalid")],
             "giá trị không hợp lệ: cần ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd", "13.01.2020"),
    Scenario("unknown_choice", _bad_choice, lambda c: [("absences.csv", 3, "kind", "invalid")],
             "giá trị không hợp lệ: cần một trong: vắng, đi trễ, về sớm", "nghỉ phép"),
    Scenario("blank_required_value", _blank_required, lambda c: [("briefings.csv", 2, "person", "missing_value")],
             "thiếu giá trị bắt buộc", ""),
    Scenario("unknown_person", _unknown_person, lambda c: [("briefings.csv", 4, "person", "unknown_reference")],
             "mã không có trong people.csv", "P99"),
    Scenario("duplicate_id", _duplicate_id,
             lambda c: [("people.csv", line_count(GOOD / "people.csv") + 1, "ref", "duplicate_key")],
             "mã bị trùng (đã có ở dòng 6)", "P05"),
    Scenario("duplicate_row", _duplicate_row,
             lambda c: [("timesheets.csv", line_count(GOOD / "timesheets.csv") + 1, "person+week", "duplicate_row")],
             "bản ghi bị trùng (đã có ở dòng 2)", "P01 / 2020-01-06"),
    Scenario("unknown_file", _unknown_file, lambda c: [("peple.csv", None, None, "unknown_file")], KINDS_VI),
    Scenario("not_utf8", _not_utf8, lambda c: [("absences.csv", _first_non_ascii_line(c / "absences.csv"), None,
                                                 "encoding")],
             f"không đọc được dạng UTF-8 (byte {_cp1258_offset(GOOD)})"),
    Scenario("empty_csv", _empty_csv, lambda c: [("absences.csv", 1, None, "empty_file")],
             "tệp rỗng, không có dòng tiêu đề"),
    Scenario("nul_byte", _nul_byte, lambda c: [("absences.csv", 1, None, "encoding")],
             "không đọc được dạng UTF-8 (NUL 17)"),
]


def _as_table(expected: list[tuple[str, int | None, str | None, str]]) -> list[tuple[str, str, str]]:
    return [(f, "" if line is None else str(line), field or "") for f, line, field, _ in expected]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_check_reports_bad_input_with_file_line_and_field(case: Path, scenario: Scenario):
    scenario.breaks(case)
    before = snapshot(case)
    expected = scenario.expected(case)

    run = invoke("check", case)

    assert run.code == 2, run.output
    assert table_rows(run.stderr) == _as_table(expected), run.stderr
    assert "Dữ liệu đầu vào có lỗi" in run.stderr
    assert scenario.message_vi in run.stderr
    if scenario.value:
        assert scenario.value in run.stderr
    assert f"{len(expected)} lỗi; chưa có tệp nào bị thay đổi." in run.stderr
    assert snapshot(case) == before


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_validate_json_lists_the_same_problems(case: Path, scenario: Scenario):
    scenario.breaks(case)
    before = snapshot(case)

    run = invoke("validate", case, "--format", "json")

    assert run.code == 2, run.output
    assert json_problems(run.stdout) == scenario.expected(case)
    data = json.loads(run.stdout)
    assert [p["value"] for p in data["problems"]] == [scenario.value]
    assert scenario.message_vi in data["problems"][0]["message"]
    assert snapshot(case) == before


# --------------------------------------------------------------------------- every problem at once


def test_two_bad_rows_in_one_file_are_both_listed(case: Path):
    _text_in_int(case)
    set_line(case / "timesheets.csv", 5, "2020-05-11", "2020-13-01")

    run = invoke("check", case)

    assert run.code == 2
    assert table_rows(run.stderr) == [("timesheets.csv", "3", "periods"), ("timesheets.csv", "5", "week")]
    assert "2 lỗi;" in run.stderr


def test_problems_of_several_files_are_listed_together(case: Path):
    _unknown_person(case)
    _text_in_int(case)
    _unknown_file(case)
    _empty_csv(case)
    before = snapshot(case)

    run = invoke("validate", case, "--format", "json")

    assert run.code == 2
    assert sorted(json_problems(run.stdout), key=lambda p: (p[0], p[1] or 0)) == [
        ("absences.csv", 1, None, "empty_file"),
        ("briefings.csv", 4, "person", "unknown_reference"),
        ("peple.csv", None, None, "unknown_file"),
        ("timesheets.csv", 3, "periods", "invalid"),
    ]
    assert snapshot(case) == before


def test_every_bad_row_of_a_long_file_is_listed(case: Path):
    bad_lines = [2, 100, 500, 1102]

    def change(lines: list[str]) -> None:
        for number in bad_lines:
            person, week, hours, periods = lines[number - 1].rstrip("\n").split(",")
            lines[number - 1] = f"{person},{week},{hours},-{periods or 1}\n"
    edit_lines(case / "timesheets.csv", change)

    run = invoke("validate", case, "--format", "json")

    assert run.code == 2
    assert json_problems(run.stdout) == [("timesheets.csv", n, "periods", "invalid") for n in bad_lines]


# --------------------------------------------------------------------------- real subprocess


def test_subprocess_check_bad_input_exit_2_without_traceback(case: Path):
    _text_in_int(case)
    _feb_31(case)
    _unknown_person(case)
    before = snapshot(case)

    run = run_subprocess("check", case)

    assert run.code == 2, run.output
    assert run.stdout == ""
    assert sorted(table_rows(run.stderr)) == [
        ("briefings.csv", "4", "person"), ("timesheets.csv", "3", "periods"), ("timesheets.csv", "5", "week"),
    ]
    assert "mã không có trong people.csv" in run.stderr
    assert "3 lỗi; chưa có tệp nào bị thay đổi." in run.stderr
    assert snapshot(case) == before


def test_subprocess_json_on_missing_folder(tmp_path: Path):
    missing = tmp_path / "không-có"
    run = run_subprocess("check", missing, "--format", "json", "--lang", "en")
    assert run.code == 2
    assert json_problems(run.stdout) == [(str(missing), None, None, "missing_folder")]
    assert json.loads(run.stdout)["problems"][0]["message"] == "no such folder"
    assert not missing.exists()


def test_subprocess_good_case_exits_0():
    run = run_subprocess("check", GOOD, "--as-of", "31/12/2020")
    assert run.code == 0, run.output


# --------------------------------------------------------------------------- validate on good and bad input


def test_validate_good_case_exit_0_with_record_count():
    n = expected_records(GOOD)
    files = len(list(GOOD.glob("*.csv"))) + 1
    run = invoke("validate", GOOD)
    assert run.code == 0, run.output
    assert f"Dữ liệu hợp lệ: {n} bản ghi trong {files} tệp." in run.stdout
    assert run.stderr == ""


def test_validate_good_case_json():
    run = invoke("validate", GOOD, "--format", "json")
    assert run.code == 0
    assert json.loads(run.stdout) == {"schema": "chibo.problems/1", "problems": [], "records": expected_records(GOOD)}


def test_validate_bad_case_prints_a_table(case: Path):
    _unknown_column(case)
    run = invoke("validate", case)
    assert run.code == 2
    assert run.stdout == ""
    header = next(line for line in run.stderr.splitlines() if line.startswith("┃"))
    assert [c.strip() for c in header.strip("┃").split("┃")] == ["Tệp", "Dòng", "Trường", "Lỗi", "Giá trị"]
    assert table_rows(run.stderr) == [("briefings.csv", "1", "ghi chú")]


def test_check_gap_case_is_not_an_input_error():
    run = invoke("check", GAPS, "--as-of", "2020-12-31")
    assert run.code == 1, run.output


# --------------------------------------------------------------------------- language


def test_messages_are_vietnamese_by_default(case: Path):
    _unknown_column(case)
    _text_in_int(case)
    run = invoke("validate", case)
    assert run.code == 2
    assert "cột không có trong mẫu" in run.stderr
    assert "giá trị không hợp lệ: cần số nguyên" in run.stderr
    assert "unknown column" not in run.stderr
    assert "invalid value" not in run.stderr


def test_lang_en_gives_english_messages(case: Path):
    _unknown_column(case)
    _text_in_int(case)
    run = invoke("validate", case, "--lang", "en")
    assert run.code == 2
    assert "Problems in the input" in run.stderr
    assert "unknown column (columns: resolution, person, date)" in run.stderr
    assert "invalid value: expected a whole number" in run.stderr
    assert "2 problem(s); no file was changed." in run.stderr
    assert "cột không có trong mẫu" not in run.stderr
    assert "giá trị không hợp lệ" not in run.stderr


def test_lang_en_json_messages(case: Path):
    _feb_31(case)
    run = invoke("check", case, "--format", "json", "--lang", "en")
    assert run.code == 2
    problems = json.loads(run.stdout)["problems"]
    assert [(p["file"], p["line"], p["field"], p["message"], p["value"]) for p in problems] == [
        ("timesheets.csv", 5, "week", "invalid value: not a real calendar date", "31/02/2020"),
    ]


# --------------------------------------------------------------------------- json on bad input


def test_check_json_on_bad_input_is_parseable_and_names_file_line_field(case: Path):
    _duplicate_row(case)
    _unknown_person(case)
    run = invoke("check", case, "--format", "json")
    assert run.code == 2
    problems = json.loads(run.stdout)["problems"]  # stdout holds nothing but the JSON document
    keys = ("cell", "code", "field", "file", "line", "message", "sheet", "value")
    assert {tuple(sorted(p)) for p in problems} == {keys}
    assert sorted(json_problems(run.stdout)) == [
        ("briefings.csv", 4, "person", "unknown_reference"),
        ("timesheets.csv", line_count(GOOD / "timesheets.csv") + 1, "person+week", "duplicate_row"),
    ]


def test_check_json_on_plan_year_mismatch(case: Path):
    set_line(case / "cell.yaml", 4, "plan_year: 2020", "plan_year: 2021")
    run = invoke("check", case, "--format", "json")
    assert run.code == 2
    # the 2020 plan does not cover 2021: one problem on the plan year, not one per record
    assert json_problems(run.stdout) == [("cell.yaml", None, "plan_year", "year")]


def test_plan_year_of_rules_and_case_must_match(case: Path, tmp_path: Path):
    rules = tmp_path / "rules2021"
    shutil.copytree(RULES, rules)
    set_line(rules / "plan.yaml", 8, "years: [2020]", "years: [2021]")
    run = invoke("check", case, "--format", "json", "--rules", rules)
    assert run.code == 2
    assert json_problems(run.stdout) == [("cell.yaml", None, "plan_year", "year")]


def test_a_few_records_outside_the_plan_year_are_each_named(case: Path):
    set_line(case / "meetings.csv", 2, ",2020-01-", ",2019-01-")
    run = invoke("validate", case, "--format", "json")
    assert run.code == 2
    assert json_problems(run.stdout) == [("meetings.csv", 2, "date", "outside_year")]


def test_plan_year_mismatch_is_an_input_error(case: Path):
    set_line(case / "cell.yaml", 4, "plan_year: 2020", "plan_year: 2021")
    run = invoke("check", case)
    assert run.code == 2
    assert table_rows(run.stderr) == [("cell.yaml", "", "plan_year")]
    assert "năm kế hoạch 2021" in run.stderr and "2020" in run.stderr


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize("as_of, said", [
    ("32/13/2020", "Ngày không có thật trên lịch: 32/13/2020"),  # the right form: the date is what is wrong
    ("31/02/2020", "Ngày không có thật trên lịch: 31/02/2020"),
    ("hôm nay", "Ngày không hợp lệ: hôm nay (dùng dd/mm/yyyy hoặc yyyy-mm-dd)"),
    ("2020-12-32", "Ngày không có thật trên lịch: 2020-12-32"),
])
def test_check_invalid_as_of(as_of: str, said: str):
    run = invoke("check", GOOD, "--as-of", as_of)
    assert run.code == 2
    assert run.stdout == ""
    assert said in run.stderr


def test_check_invalid_as_of_english():
    assert "This date does not exist: 32/13/2020" in invoke("check", GOOD, "--as-of", "32/13/2020", "--lang",
                                                             "en").stderr
    run = invoke("check", GOOD, "--as-of", "today", "--lang", "en")
    assert run.code == 2
    assert "Invalid date: today (use dd/mm/yyyy or yyyy-mm-dd)" in run.stderr


def test_check_unknown_only():
    run = invoke("check", GOOD, "--only", "NOPE")
    assert run.code == 2
    assert run.stdout == ""
    assert "Không có quy tắc hay mục nào khớp --only NOPE" in run.stderr


def test_check_known_only_is_accepted():
    # the counterpart of --only NOPE: a real rule id is not rejected
    run = invoke("check", GOOD, "--only", "R01", "--as-of", "31/12/2020")
    assert run.code == 0, run.output


@pytest.mark.parametrize(
    "args",
    [["check", GOOD, "--lang", "fr"], ["check", GOOD, "--format", "xml"], ["validate"], ["check", GOOD, "--bogus"]],
)
def test_usage_errors_exit_2(args: list[object]):
    run = invoke(*args)
    assert run.code == 2
    assert run.stdout == ""


# --------------------------------------------------------------------------- loader bugs found here, fixed


def test_broken_people_file_does_not_flood_references(case: Path):
    set_line(case / "people.csv", 1, "ref,name,", "ref,ho_ten,")
    run = invoke("validate", case, "--format", "json")
    assert run.code == 2
    assert json_problems(run.stdout) == [("people.csv", 1, "ho_ten", "unknown_column"),
                                         ("people.csv", 1, "name", "missing_column")]


def test_unterminated_quote_is_reported_on_its_own_line(case: Path):
    set_line(case / "absences.csv", 3, "P34,2020-08-12,absent,", 'P34,2020-08-12,absent,"')
    run = invoke("validate", case, "--format", "json")
    assert run.code == 2
    assert [(f, line) for f, line, _, _ in json_problems(run.stdout)] == [("absences.csv", 3)]


def test_one_bad_person_row_does_not_flood_references(case: Path):
    set_line(case / "people.csv", 4, ",teacher,teacher,", ",giáo viên dạy,teacher,")
    run = invoke("validate", case, "--format", "json")
    assert run.code == 2
    assert json_problems(run.stdout) == [("people.csv", 4, "group", "invalid")]


# --------------------------------------------------------------------------- issue 19: the first hour with chibo


def _workbook(path: Path, source: Path = GOOD) -> Path:
    from chibo_rules.facts.xlsx import write_workbook
    from chibo_rules.jobs.plans import Plans, load_checked

    case, plan = load_checked(source, Plans())
    write_workbook(path, plan.ruleset.schema, case)
    return path


def test_a_workbook_that_cannot_be_opened_asks_whether_it_is_open_in_excel(tmp_path: Path):
    book = _workbook(tmp_path / "ho-so.xlsx")
    whole = book.read_bytes()
    book.write_bytes(whole[: len(whole) // 2])
    vi = invoke("check", book)
    assert vi.code == 2 and "đang mở trong Excel" in vi.output, vi.output
    en = invoke("check", book, "--lang", "en", "--format", "json")
    assert en.code == 2
    (problem,) = json.loads(en.stdout)["problems"]
    assert problem["code"] == "xlsx_open" and "open in Excel" in problem["message"]


def test_a_workbook_locked_by_excel_asks_whether_it_is_open(tmp_path: Path, monkeypatch):
    from chibo_rules.facts import files

    book = _workbook(tmp_path / "ho-so.xlsx")

    def locked(path, limit=None):
        raise files._refusal(PermissionError(errno.EACCES, "Permission denied"))

    monkeypatch.setattr(files, "open_regular", locked)  # as Windows answers while Excel holds the file
    run = invoke("check", book, "--lang", "en")
    assert run.code == 2 and "open in Excel" in run.output and "no permission to read it" in run.output, run.output
    vi = invoke("check", book)
    assert "đang mở trong Excel" in vi.output and "không có quyền đọc" in vi.output, vi.output
    assert "Permission denied" not in run.output + vi.output  # the system's English never reaches the user


def test_why_a_workbook_could_not_be_read_is_in_the_users_words(tmp_path: Path):
    book = _workbook(tmp_path / "ho-so.xlsx")
    book.write_bytes(b"not a workbook at all")
    vi, en = invoke("check", book), invoke("check", book, "--lang", "en")
    assert "tệp không phải là một tệp .xlsx hoàn chỉnh" in vi.output, vi.output
    assert "it is not a complete .xlsx file" in en.output, en.output
    assert "zip" not in vi.output + en.output


def test_excel_lock_file_named_as_the_case_names_its_workbook(tmp_path: Path):
    (tmp_path / "~$ho-so.xlsx").write_bytes(b"\x0bNguyen Van A" + b" " * 40)
    run = invoke("check", tmp_path / "~$ho-so.xlsx", "--format", "json", "--lang", "en")
    assert run.code == 2
    (problem,) = json.loads(run.stdout)["problems"]
    assert problem["code"] == "lock_file" and "ho-so.xlsx" in problem["message"], problem


def test_a_case_folder_without_its_roster_file_says_so_first_and_alone(case: Path):
    (case / "people.csv").unlink()
    run = invoke("validate", case, "--format", "json")
    assert run.code == 2
    problems = json.loads(run.stdout)["problems"]
    assert [(p["file"], p["line"], p["code"]) for p in problems] == [("people.csv", None, "missing_kind_file")]
    assert "thiếu tệp" in problems[0]["message"]


def test_the_missing_roster_comes_before_problems_of_its_own(case: Path):
    (case / "people.csv").unlink()
    set_line(case / "absences.csv", 3, "P34,2020-08-12,", "P34,2020-08-32,")
    run = invoke("validate", case, "--format", "json")
    assert json_problems(run.stdout) == [("people.csv", None, None, "missing_kind_file"),
                                         ("absences.csv", 3, "date", "invalid")]


def test_a_misspelt_workbook_name_is_a_missing_file_and_names_the_one_nearby(tmp_path: Path):
    _workbook(tmp_path / "ho-so.xlsx")
    vi = invoke("check", tmp_path / "ho-so.xslx", "--format", "json")
    assert vi.code == 2
    (problem,) = json.loads(vi.stdout)["problems"]
    assert problem["code"] == "missing_case_file_near", problem
    assert problem["message"] == f"không có tệp này; có phải ý bạn là {tmp_path / 'ho-so.xlsx'}?"
    en = invoke("check", tmp_path / "ho-so.xslx", "--lang", "en")
    assert "no such file; did you mean" in en.output and "ho-so.xlsx" in en.output, en.output


def test_a_misspelt_case_folder_names_the_closest_cases():
    run = invoke("check", ROOT / "cases" / "vbn1-2002", "--format", "json", "--lang", "en")
    assert run.code == 2
    (problem,) = json.loads(run.stdout)["problems"]
    assert problem["code"] == "missing_folder_near"
    assert problem["message"].startswith(f"no such folder; did you mean {ROOT / 'cases' / 'vbn1-2020'}")


def test_a_missing_folder_with_nothing_like_it_nearby_says_only_that(tmp_path: Path):
    run = invoke("check", tmp_path / "khong-co", "--format", "json")
    assert json_problems(run.stdout) == [(str(tmp_path / "khong-co"), None, None, "missing_folder")]


def test_lock_and_system_files_in_a_case_folder_are_not_fact_files(case: Path):
    """A CSV open in Excel has ~$people.csv beside it; Windows and macOS leave Thumbs.db, desktop.ini."""
    for name in ("~$people.csv", "Thumbs.db", "desktop.ini", "people.csv.tmp", ".~lock.people.csv#"):
        (case / name).write_bytes(b"\x0bNguyen Van A" + b" " * 40)
    run = invoke("check", case, "--as-of", "31/12/2020")
    assert run.code == 0, run.output
