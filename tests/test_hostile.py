"""Hostile and careless input (issue "Never a crash, never a lost file"): every loader answers with
InputError — file, line, field — never a traceback, a hang or a runaway process.

1. YAML fact files and cell.yaml give the errors CSV gives (impossible dates, time-like and huge numbers),
   and a key given twice in a mapping (also in rule, kind and plan files) is an error, not "last one wins".
2. Workbooks written by chibo carry no formula from data, and control characters pasted from Word are
   written safely.
3. Resources are bounded with named limits (docs/case-format.md, "Giới hạn / Limits"): a zip bomb, a
   million rows, a hundred thousand columns are refused quickly — each refusal is timed and its memory
   measured in a subprocess under RLIMIT_AS, so a regression fails instead of swapping; long error lists are
   capped per file.
4. Only regular files are opened: a FIFO, socket, device or link loop is an error for that file; a case
   given as an .xls/.xlsm/.ods/.csv/.zip file says what it is and what chibo reads instead.
5. Messages a secretary can act on: old-Mac CR-only CSV is read, zero-width characters in headers are
   ignored (and shown where they matter), an unclosed quote is named where it opened.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import openpyxl
import pytest

from chibo_rules.errors import InputError, Problem, cap_problems
from chibo_rules.facts import files
from chibo_rules.facts import sources as case_module
from chibo_rules.facts.declarations import read_yaml_file
from chibo_rules.facts.sources import load_case as load_with
from chibo_rules.facts.sources import precheck
from chibo_rules.facts.values import MAX_DIGITS
from chibo_rules.facts.xlsx import write_workbook
from chibo_rules.report.i18n import MESSAGES
from chibo_rules.report.problems import problem_text
from chibo_rules.ruleset.rulespec import load_rules

from .clirun import run_chibo
from .conftest import COMPLIANT_CASE, ROOT, RULES, load_case, plan_rules

SCHEMA = plan_rules().schema
SHEETS = {kind: SCHEMA.sheet(kind) for kind in SCHEMA.kinds}
CODES_SEEN: set[str] = set()  # every problem code these tests met: each must have words in both languages


# --------------------------------------------------------------------------- helpers


def _copy(tmp_path: Path, name: str = "case") -> Path:
    target = tmp_path / name
    shutil.copytree(COMPLIANT_CASE, target)
    return target


def _alarm(signum, frame):  # pragma: no cover - only on a hang
    raise TimeoutError("the loader hung")


@pytest.fixture(autouse=True)
def no_hang():
    """A loader that blocks (a FIFO opened for reading waits for a writer forever) fails the test instead."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(90)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def problems_of(path: Path, load=load_case) -> list[Problem]:
    """load_case's problems (none: []); anything but InputError fails the test."""
    try:
        load(path)
        return []
    except InputError as err:
        assert err.problems
        CODES_SEEN.update(p.code for p in err.problems)
        return err.problems


def where(problems: Iterable[Problem]) -> list[tuple]:
    return [(p.file, p.line, p.field, p.code) for p in problems]


def said(problems: Iterable[Problem]) -> list[tuple]:
    """What a problem says, wherever it is: code, field, detail and value."""
    return [(p.code, p.field, p.detail, p.value) for p in problems]


def pre(path: Path) -> list[Problem]:
    found = precheck(path)
    CODES_SEEN.update(p.code for p in found)
    return found


def _yaml_case(tmp_path: Path, kind: str, body: str, name: str = "case") -> Path:
    case = _copy(tmp_path, name)
    (case / f"{kind}.csv").unlink()
    (case / f"{kind}.yaml").write_text(body, encoding="utf-8")
    return case


def _csv_case(tmp_path: Path, kind: str, rows: list[str], name: str = "csvcase") -> Path:
    case = _copy(tmp_path, name)
    header = (case / f"{kind}.csv").read_text(encoding="utf-8").splitlines()[0]
    (case / f"{kind}.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return case


def _cli(*args: object, lang: str = "en") -> subprocess.CompletedProcess[str]:
    """A child chibo (a crash is the subject here: its exit code and that no traceback is shown)."""
    out = run_chibo(*args, "--lang", lang, cwd=ROOT, env={"CHIBO_RULES": None}, timeout=120)
    assert "Traceback" not in out.stdout + out.stderr, out.stderr
    return out


# --------------------------------------------------------------------------- 1. YAML like CSV


AWARD = "- date: {date}\n  recipient: Liên đội\n  idea: Tủ sách Bác Hồ\n"


@pytest.mark.parametrize("date", ["2020-04-31", "2020-13-01", "2020-02-30", "2020-4-3", "2020-01-01 25:61:00"])
def test_an_impossible_yaml_date_is_the_csv_error(tmp_path, date):
    yaml_problems = problems_of(_yaml_case(tmp_path, "hcm_awards", AWARD.format(date=date)))
    csv_problems = problems_of(_csv_case(tmp_path, "hcm_awards", [f"{date},Liên đội,Tủ sách Bác Hồ"]))
    assert where(yaml_problems) == [("hcm_awards.yaml", 1, "date", "invalid")]
    assert where(csv_problems) == [("hcm_awards.csv", 2, "date", "invalid")]
    assert said(yaml_problems) == said(csv_problems)


def test_an_impossible_date_in_cell_yaml_names_its_line(tmp_path):
    case = _copy(tmp_path)
    text = (case / "cell.yaml").read_text(encoding="utf-8").replace("plan_year: 2020", "plan_year: 2020-13-01")
    (case / "cell.yaml").write_text(text, encoding="utf-8")
    assert said(problems_of(case)) == [("invalid", "plan_year", "expected a whole number", "2020-13-01")]
    assert where(problems_of(case)) == [("cell.yaml", 4, "plan_year", "invalid")]


def test_a_time_like_yaml_value_stays_what_was_typed(tmp_path):
    # YAML 1.1 reads 25:30 as the sexagesimal integer 1530: chibo reads it as typed, like a CSV cell
    body = "- date: 2020-04-01\n  recipient: 25:30\n  idea: 1:30:00\n"
    case = load_case(_yaml_case(tmp_path, "hcm_awards", body))
    record = case.records["hcm_awards"][0].fact
    assert (record.recipient, record.idea) == ("25:30", "1:30:00")
    sheet = "- {person: P01, week: 2020-01-06, periods: 1:30}\n"
    yaml_problems = problems_of(_yaml_case(tmp_path, "timesheets", sheet, "t"))
    csv_problems = problems_of(_csv_case(tmp_path, "timesheets", ["P01,2020-01-06,,1:30"]))
    assert where(yaml_problems) == [("timesheets.yaml", 1, "periods", "invalid")]
    assert said(yaml_problems) == said(csv_problems) == [("invalid", "periods", "expected a whole number", "1:30")]


@pytest.mark.parametrize("digits", [20, 5000])
def test_a_number_of_thousands_of_digits_is_refused_everywhere(tmp_path, digits):
    big = "9" * digits
    record = f"- {{person: P01, week: 2020-01-06, periods: {big}}}\n"
    yaml_problems = problems_of(_yaml_case(tmp_path, "timesheets", record))
    csv_problems = problems_of(_csv_case(tmp_path, "timesheets", [f"P01,2020-01-06,,{big}"]))
    assert where(yaml_problems) == [("timesheets.yaml", 1, "periods", "too_many_digits")]
    assert where(csv_problems) == [("timesheets.csv", 2, "periods", "too_many_digits")]
    assert said(yaml_problems) == said(csv_problems)
    assert yaml_problems[0].detail == str(MAX_DIGITS)
    assert len(yaml_problems[0].value) < 300  # the value shown is cut short, not 5000 characters
    case = _copy(tmp_path, "cell")
    text = (case / "cell.yaml").read_text(encoding="utf-8").replace("plan_year: 2020", f"plan_year: {big}")
    (case / "cell.yaml").write_text(text, encoding="utf-8")
    assert where(problems_of(case)) == [("cell.yaml", 4, "plan_year", "too_many_digits")]


def test_a_number_too_large_for_a_number_column(tmp_path):
    problems = problems_of(_csv_case(tmp_path, "timesheets", ["P01,2020-01-06,1" + "0" * 30 + ",2"]))
    assert where(problems) == [("timesheets.csv", 2, "hours", "too_many_digits")]


def test_a_key_twice_in_a_yaml_record_is_an_error(tmp_path):
    body = "- date: 2020-04-01\n  recipient: A\n  idea: B\n  recipient: C\n"
    problems = problems_of(_yaml_case(tmp_path, "hcm_awards", body))
    assert where(problems) == [("hcm_awards.yaml", 4, "recipient", "duplicate_yaml_key")]
    assert problems[0].detail == "2"


def test_a_field_and_its_vietnamese_header_in_one_record(tmp_path):
    header = SCHEMA.header("hcm_awards", "recipient")
    body = f"- date: 2020-04-01\n  recipient: A\n  '{header}': C\n  idea: B\n"
    problems = problems_of(_yaml_case(tmp_path, "hcm_awards", body))
    assert where(problems) == [("hcm_awards.yaml", 3, "recipient", "duplicate_field")]
    assert (problems[0].detail, problems[0].value) == ("2", header)


def test_a_key_twice_in_cell_yaml(tmp_path):
    case = _copy(tmp_path)
    lines = (case / "cell.yaml").read_text(encoding="utf-8").splitlines()
    with (case / "cell.yaml").open("a", encoding="utf-8") as f:
        f.write("plan_year: 2021\n")
    expected = [("cell.yaml", len(lines) + 1, "plan_year", "duplicate_yaml_key")]
    assert where(problems_of(case)) == expected and where(pre(case)) == expected
    assert problems_of(case)[0].detail == str(lines.index("plan_year: 2020") + 1)


def test_the_plan_row_twice_on_the_cell_sheet(tmp_path, compliant_case):
    path = tmp_path / "case.xlsx"
    write_workbook(path, compliant_case.schema, compliant_case)
    book = openpyxl.load_workbook(path)
    cell_sheet = book[SCHEMA.cell.sheet]
    rows = cell_sheet.max_row
    cell_sheet.cell(row=rows + 1, column=1).value = "plan"
    cell_sheet.cell(row=rows + 1, column=2).value = "vbn1-2020"
    book.save(path)
    problems = problems_of(path)
    assert [(p.sheet, p.line, p.field, p.code) for p in problems] == [
        (SCHEMA.cell.sheet, rows + 1, "plan", "duplicate_field")]


def test_rule_plan_and_kind_files_refuse_a_key_twice(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    with (rules / "plan.yaml").open("a", encoding="utf-8") as f:
        f.write("years: [2021]\n")
    with pytest.raises(InputError) as err:
        load_rules(rules)
    plan_lines = (rules / "plan.yaml").read_text(encoding="utf-8").splitlines()
    first = next(n for n, line in enumerate(plan_lines, 1) if line.startswith("years:"))
    assert [(Path(p.file).name, p.line, p.field, p.code, p.detail) for p in err.value.problems] == [
        ("plan.yaml", len(plan_lines), "years", "duplicate_yaml_key", str(first))]
    CODES_SEEN.add("duplicate_yaml_key")

    shutil.rmtree(rules)
    shutil.copytree(RULES, rules)
    kind_file = rules / "kinds" / "timesheets.yaml"
    kind_file.write_text(kind_file.read_text(encoding="utf-8").replace(
        "    type: count\n", "    type: count\n    type: number\n"), encoding="utf-8")
    rule_file = next(p for p in sorted(rules.glob("*.yaml")) if p.name != "plan.yaml")
    rule_file.write_text(rule_file.read_text(encoding="utf-8") + "id: R999\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_rules(rules)
    found = {(Path(p.file).name, p.field, p.code) for p in err.value.problems}
    assert ("timesheets.yaml", "fields.periods.type", "duplicate_yaml_key") in found
    assert (rule_file.name, "id", "duplicate_yaml_key") in found


def test_a_library_file_with_a_key_twice(tmp_path):
    path = tmp_path / "cell.yaml"
    path.write_text("kind: cell\nlabel: {vi: a, en: b, vi: c}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_yaml_file(path)
    assert [(p.line, p.field, p.code, p.detail) for p in err.value.problems] == [
        (2, "label.vi", "duplicate_yaml_key", "2")]


# .inf, -.inf and .nan are YAML floats: a number no target, parameter or comparison can mean. In a rule, plan or
# kind file each is refused where it is written (file, line, key), before any rule is prepared or evaluated
# (a parameter .inf reached the preparation of targets or durable-rules and crashed: exit 3).
NOT_FINITE = [
    # (file of the vbn1-2020 copy, text, replaced by, the key named, the value shown)
    ("R14-member-supervisions.yaml", "params: {target: 11}", "params: {target: .inf}", "params.target", ".inf"),
    ("R12-member-inspections.yaml", "milestones: {Q2: 1, Q4: 2}", "milestones: {Q2: 1, Q4: .inf}",
     "due.milestones.Q4", ".inf"),
    ("R42-teaching-norm.yaml", "{code: teacher, periods: 19,", "{code: teacher, periods: .nan,",
     "check.for_each.1.values.0.periods", ".nan"),
    ("R31-online-contests.yaml", "must: {participants: {gt: 0}}", "must: {participants: {gt: -.INF}}",
     "check.must.participants.gt", "-.INF"),
    ("R41-admin-40-hours.yaml", "params: {hours_per_day: 8}", "params: {hours_per_day: 1.0e+999}",
     "params.hours_per_day", "1.0e+999"),
    ("plan.yaml", "settings:\n", "settings:\n  cap: .NaN\n", "settings.cap", ".NaN"),
    ("kinds/timesheets.yaml", "    type: count\n", "    type: count\n    max: .inf\n", "fields.periods.max", ".inf"),
]


@pytest.mark.parametrize("name, text, replaced, key, shown", NOT_FINITE, ids=[n[3] for n in NOT_FINITE])
def test_a_number_that_is_not_finite_is_refused_where_it_is_written(tmp_path, name, text, replaced, key, shown):
    rules = tmp_path / "vbn1-2020"
    shutil.copytree(RULES, rules)
    path = rules / name
    before = path.read_text(encoding="utf-8")
    assert before.count(text) == 1, text
    path.write_text(before.replace(text, replaced), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index(
        next(x for x in path.read_text(encoding="utf-8").splitlines() if shown in x)) + 1
    with pytest.raises(InputError) as err:
        load_rules(rules)
    assert [(Path(p.file).name, p.line, p.field, p.code, p.value) for p in err.value.problems] == [
        (path.name, line, key, "not_finite", shown)]
    CODES_SEEN.add("not_finite")
    for lang, words in (("vi", "không phải là một số"), ("en", "not a number")):
        run = _cli("check", COMPLIANT_CASE, "--rules", rules, lang=lang)
        assert run.returncode == 2, run.stdout + run.stderr
        assert words in run.stderr and path.name in run.stderr and key in run.stderr, run.stderr
        assert "Traceback" not in run.stderr


def test_a_rule_tests_record_that_is_not_finite_is_an_invalid_record(tmp_path):
    """A rule test's records are read as a case's: the value parser refuses .inf as it refuses it in a fact file
    (the case fails and says why), never a crash."""
    rules = tmp_path / "vbn1-2020"
    shutil.copytree(RULES, rules)
    tests = rules / "tests" / "R42.yaml"
    tests.write_text(tests.read_text(encoding="utf-8").replace("periods: 18}", "periods: .inf}", 1), encoding="utf-8")
    run = _cli("rules", "test", "--rules", rules)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "the case's records are invalid" in run.stdout and "periods: invalid value" in run.stdout


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1.0e+999"])
def test_fact_files_refuse_a_number_that_is_not_finite(tmp_path, value):
    """Fact files already did (the value parsers): a YAML float and the same text in a CSV cell are invalid."""
    record = f"- {{person: P01, week: 2020-01-06, hours: {value}, periods: 2}}\n"
    problems = problems_of(_yaml_case(tmp_path, "timesheets", record))
    assert where(problems) == [("timesheets.yaml", 1, "hours", "invalid")]
    text = value.lstrip(".").replace("-.", "-")
    csv_problems = problems_of(_csv_case(tmp_path, "timesheets", [f"P01,2020-01-06,{text},2"]))
    assert where(csv_problems) == [("timesheets.csv", 2, "hours", "invalid")]


# --------------------------------------------------------------------------- 2. workbooks written by chibo


HOSTILE_DEEDS = {
    "=1+2": "=1+2",
    "+SUM(A1:A9)": "+SUM(A1:A9)",
    "-2+3": "-2+3",
    "@cmd": "@cmd",
    '=HYPERLINK("http://example.invalid","bấm")': '=HYPERLINK("http://example.invalid","bấm")',
    "Dòng một\x0bdòng hai": "Dòng một\ndòng hai",   # a line break in Word
    "Trang một\x0ctrang hai": "Trang một\ntrang hai",  # a page break in Word
    "a\x01b\x1fc\x00d\x1be": "abcde",                 # other control characters: removed
}


def _quoted_yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def test_a_workbook_written_from_data_holds_text_not_formulas(tmp_path):
    body = "".join(f"- {{person: P08, date: 2020-03-0{1 + i % 9}, deed: {_quoted_yaml(deed)}}}\n"
                   for i, deed in enumerate(HOSTILE_DEEDS))
    case = load_case(_yaml_case(tmp_path, "good_deeds", body))
    path = tmp_path / "out.xlsx"
    write_workbook(path, case.schema, case)  # openpyxl refuses \x00-\x1f but tab and newlines: no crash

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                data = z.read(name)
                assert b"<f>" not in data and b"<f " not in data, name
    book = openpyxl.load_workbook(path)
    sheet = book[SHEETS["good_deeds"]]
    written = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row if c.column == 3 and c.value}
    assert set(written) == set(HOSTILE_DEEDS.values())
    for text, c in written.items():
        assert c.data_type == "s", text
        assert c.quotePrefix == (text[0] in "=+-@"), text  # Excel keeps it text when the cell is edited

    back = load_case(path)
    assert sorted(r.fact.deed for r in back.records["good_deeds"]) == sorted(HOSTILE_DEEDS.values())


def test_template_from_a_case_with_formulas_and_control_characters(tmp_path):
    case = _copy(tmp_path)
    text = (case / "good_deeds.csv").read_text(encoding="utf-8").splitlines()
    text[1] = 'P08,2020-01-02,"=HYPERLINK(""http://example.invalid"",""x"")"'
    text[2] = "P12,2020-01-02,Dòng một\x0bdòng hai\x01"
    (case / "good_deeds.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    out = tmp_path / "ho-so.xlsx"
    run = _cli("template", out, "--from", case)
    assert run.returncode == 0, run.stderr
    deeds = sorted(r.fact.deed for r in load_case(out).records["good_deeds"])
    assert '=HYPERLINK("http://example.invalid","x")' in deeds and "Dòng một\ndòng hai" in deeds


# --------------------------------------------------------------------------- 3. bounded resources

# Each refusal runs in a subprocess under RLIMIT_AS (address space), so a loader that regresses into reading a
# bomb fails with MemoryError instead of swapping; it reports the seconds and peak RSS of load_case alone.
MEASURE = r"""
import json, resource, sys, time
cap = int(sys.argv[3]) * 2**20
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

def peak_mb():
    # VmHWM: this process's own peak; ru_maxrss on Linux also counts the parent's memory at fork
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

import chibo_rules.checks  # every check kind registered: the rule loader learns them there
from chibo_rules.errors import InputError
from chibo_rules.facts.sources import load_case, precheck
from chibo_rules.ruleset.rulespec import load_rules
ruleset = load_rules(sys.argv[2])
before = peak_mb()
start = time.perf_counter()
found = precheck(sys.argv[1])
if not found:
    try:
        load_case(sys.argv[1], ruleset.schema, (ruleset.plan.start, ruleset.plan.end))
    except InputError as err:
        found = err.problems
print(json.dumps({"seconds": round(time.perf_counter() - start, 2), "peak_mb": peak_mb(), "before_mb": before,
                  "problems": [[p.file, p.sheet, p.line, p.field, p.code, p.detail, p.value] for p in found]}))
"""
ADDRESS_SPACE_MB = 512  # loading a case within its limits takes about 60 MB of address space
PEAK_MB = 150  # the interpreter with the plan loaded: 35 MB


def measured(path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(RULES), str(ADDRESS_SPACE_MB)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    CODES_SEEN.update(p[4] for p in result["problems"])
    print(path.name, result["seconds"], "s", result["peak_mb"], "MB", f"({result['before_mb']} MB before loading)")
    return result


def codes(result: dict) -> list[tuple]:
    return [(file, sheet, code) for file, sheet, _, _, code, _, _ in result["problems"]]


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _book(path: Path, sheets: list[tuple[str, Iterable[str]]], shared: Iterable[str] = (),
          extra: Iterable[tuple[str, bytes]] = ()) -> Path:
    """A minimal workbook written part by part (streamed, so a part may be huge): sheets as (name, XML chunks
    of <sheetData>), shared strings as XML chunks of <sst>."""
    types = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                    f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                    for i in range(1, len(sheets) + 1))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
                   'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" '
                   'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                   f"{types}</Types>")
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL}"><sheets>'
                   + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, (n, _) in enumerate(sheets, 1))
                   + "</sheets></workbook>")
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                             for i in range(1, len(sheets) + 1))
                   + f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                   "</Relationships>")
        for i, (_, rows) in enumerate(sheets, 1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as f:
                f.write(f'<?xml version="1.0"?><worksheet {NS}><sheetData>'.encode())
                for chunk in rows:
                    f.write(chunk.encode())
                f.write(b"</sheetData></worksheet>")
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
            f.write(f'<?xml version="1.0"?><sst {NS}>'.encode())
            for chunk in shared:
                f.write(chunk.encode())
            f.write(b"</sst>")
        for name, data in extra:
            z.writestr(name, data)
    return path


def _row(number: int, *values: str) -> str:
    cells = "".join(f'<c r="{openpyxl.utils.get_column_letter(i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
                    for i, v in enumerate(values, 1) if v)
    return f'<row r="{number}">{cells}</row>'


def _cell_sheet() -> tuple[str, list[str]]:
    return SCHEMA.cell.sheet, [_row(1, "Tên chi bộ", "Chi bộ thử"), _row(2, "Đảng bộ cấp trên", "Đảng bộ xã"),
                               _row(3, "Mã kế hoạch", "vbn1-2020"), _row(4, "Năm kế hoạch", "2020")]


def _timesheet_rows(count: int, start: int = 2) -> Iterator[str]:
    chunk = []
    for n in range(start, start + count):
        chunk.append(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>P01</t></is></c><c r="D{n}"><v>2</v></c></row>')
        if len(chunk) == 10000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


TIMESHEET_HEADER = _row(1, "Mã cán bộ", "Tuần (thứ Hai)", "Số giờ làm việc", "Số tiết dạy")


def test_a_shared_strings_bomb_is_refused_before_opening(tmp_path):
    # 160 MiB of shared strings, 0.2 MiB zipped: refused from the zip's directory, nothing is inflated
    bomb = _book(tmp_path / "bomb.xlsx", [_cell_sheet()], ("<si><t>a</t></si>" * 100_000 for _ in range(100)))
    result = measured(bomb)
    assert codes(result) == [("bomb.xlsx", None, "unzipped_too_large")]
    assert result["problems"][0][5] == f"{files.MAX_XML_PART >> 20} MiB"
    assert result["problems"][0][6].startswith("xl/sharedStrings.xml")
    # measured: 0.01 s, 37 MB; before: 61 s and 965 MB (openpyxl read every string), then no problem at all
    assert result["seconds"] < 2 and result["peak_mb"] < PEAK_MB


def test_a_small_but_abnormally_compressed_part_is_refused(tmp_path):
    # 12 MiB (under the 16 MiB a part may hold) of one repeated string: 1000:1, a bomb's ratio
    bomb = _book(tmp_path / "ratio.xlsx", [_cell_sheet()], ("<si><t>a</t></si>" * 50_000 for _ in range(15)))
    result = measured(bomb)
    assert codes(result) == [("ratio.xlsx", None, "zip_ratio")]
    assert result["problems"][0][5] == str(files.MAX_RATIO)
    # measured: 0.01 s, 37 MB; before: 4 s, 115 MB
    assert result["seconds"] < 2 and result["peak_mb"] < PEAK_MB


def test_a_zip_of_too_many_parts_is_refused_before_reading_its_directory(tmp_path):
    path = tmp_path / "parts.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for i in range(files.MAX_ZIP_PARTS + 1):
            z.writestr(f"x/{i}", b"")
    result = measured(path)
    assert codes(result) == [("parts.xlsx", None, "zip_parts")]
    assert result["problems"][0][6] == str(files.MAX_ZIP_PARTS + 1)
    assert result["seconds"] < 2 and result["peak_mb"] < PEAK_MB


def test_an_entity_bomb_in_shared_strings_is_refused_by_the_parser(tmp_path):
    # a billion laughs: nine levels of ten entities, 10^10 characters from 600 bytes
    doctype = ('<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
               + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9)) + "]>")
    path = _book(tmp_path / "laughs.xlsx", [_cell_sheet()], ["<si><t>&j;</t></si>"])
    parts = {name: zipfile.ZipFile(path).read(name) for name in zipfile.ZipFile(path).namelist()}
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(b"?>", b"?>" + doctype.encode(), 1)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    result = measured(path)
    assert codes(result) == [("laughs.xlsx", None, "xlsx")]
    assert result["seconds"] < 2 and result["peak_mb"] < PEAK_MB


def test_a_sheet_of_a_million_rows_is_refused_quickly(tmp_path):
    book = _book(tmp_path / "million.xlsx", [_cell_sheet(), (SHEETS["timesheets"], [TIMESHEET_HEADER,
                                                                                     *_timesheet_rows(1_000_000)])])
    result = measured(book)
    assert codes(result) == [("million.xlsx", SHEETS["timesheets"], "too_many_rows")]
    assert result["problems"][0][5] == str(files.MAX_ROWS)
    # measured: 0.16 s, 53 MB (rows counted in the zipped part, not parsed); before: 39 s and 872 MB
    assert result["seconds"] < 3 and result["peak_mb"] < PEAK_MB


def test_a_row_numbered_past_the_limit_is_refused_without_walking_the_gap(tmp_path):
    rows = [TIMESHEET_HEADER, *_timesheet_rows(2), *_timesheet_rows(1, start=50_000_000)]
    result = measured(_book(tmp_path / "gap.xlsx", [_cell_sheet(), (SHEETS["timesheets"], rows)]))
    found = [(p[1], p[2], p[4]) for p in result["problems"]]  # rows 2 and 3 lack their week: 2 problems
    assert found[-1] == (SHEETS["timesheets"], 50_000_000, "too_many_rows") and len(found) == 3
    # measured: 0.06 s, 46 MB; before: 25 s (50 million empty rows made up and walked)
    assert result["seconds"] < 3 and result["peak_mb"] < PEAK_MB


def test_a_lying_dimension_does_not_pad_every_row(tmp_path):
    # openpyxl pads each row to the declared dimension: with A1:XFD1048576 each row is 16,384 cells
    rows = [TIMESHEET_HEADER, *_timesheet_rows(20_000)]
    path = _book(tmp_path / "dim.xlsx", [_cell_sheet(), (SHEETS["timesheets"], rows)])
    data = {n: zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()}
    data["xl/worksheets/sheet2.xml"] = data["xl/worksheets/sheet2.xml"].replace(
        b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in data.items():
            z.writestr(name, part)
    result = measured(path)
    assert {p[4] for p in result["problems"]} == {"missing_value", "more_problems"}  # no week on those rows
    # measured: 0.5 s, 49 MB; before: 16 s for these 20,000 rows
    assert result["seconds"] < 4 and result["peak_mb"] < PEAK_MB


def test_a_header_of_too_many_columns_in_a_workbook(tmp_path):
    header = _row(1, "Mã cán bộ", "Tuần (thứ Hai)", *[f"c{i}" for i in range(files.MAX_COLUMNS + 50)])
    result = measured(_book(tmp_path / "wide.xlsx", [_cell_sheet(), (SHEETS["timesheets"], [header])]))
    assert [(p[1], p[2], p[4], p[5]) for p in result["problems"]] == [
        (SHEETS["timesheets"], 1, "too_many_columns", str(files.MAX_COLUMNS))]


def test_a_csv_of_a_hundred_thousand_columns_is_refused_quickly(tmp_path):
    case = _copy(tmp_path)
    (case / "people.csv").write_text(",".join(f"c{i}" for i in range(100_000)) + "\nx\n", encoding="utf-8")
    result = measured(case)
    assert [(p[0], p[2], p[4], p[5], p[6]) for p in result["problems"]] == [
        ("people.csv", 1, "too_many_columns", str(files.MAX_COLUMNS), "100000")]
    # measured: 0.04 s, 44 MB; before: 100,000 "unknown column" problems
    assert result["seconds"] < 3 and result["peak_mb"] < PEAK_MB


def test_a_csv_of_a_million_rows_is_refused_quickly(tmp_path):
    case = _copy(tmp_path)
    with (case / "timesheets.csv").open("w", encoding="utf-8") as f:
        f.write("person,week,hours,periods\n")
        for _ in range(100):
            f.write("P01,2020-01-06,40,2\n" * 10_000)
    result = measured(case)
    assert [(p[0], p[4], p[5], p[6]) for p in result["problems"]] == [
        ("timesheets.csv", "too_many_rows", str(files.MAX_ROWS), "1000000")]
    # measured: 0.7 s, 38 MB (line ends counted, then records); before: 13 s, 435 MB and a million problems
    assert result["seconds"] < 4 and result["peak_mb"] < PEAK_MB


def test_a_broken_200k_row_file_gives_a_readable_report(tmp_path):
    case = _copy(tmp_path)
    with (case / "timesheets.csv").open("w", encoding="utf-8") as f:
        f.write("person,week,hours,periods\n")
        for _ in range(20):
            f.write("P01,2020-01-06,,x\n" * 10_000)
    result = measured(case)
    problems = result["problems"]
    assert len(problems) == files.MAX_PROBLEMS_PER_FILE + 1
    assert {p[4] for p in problems[:-1]} == {"invalid"} and [p[2] for p in problems[:3]] == [2, 3, 4]
    assert problems[-1][:5] == ["timesheets.csv", None, None, None, "more_problems"]
    assert problems[-1][5] == str(200_000 - files.MAX_PROBLEMS_PER_FILE)
    # measured: 2.0 s, 38 MB: every row is still checked (the count is exact), its problem counted, not kept;
    # before: 3.2 s, 92 MB and 200,000 problems
    assert result["seconds"] < 15 and result["peak_mb"] < PEAK_MB


def test_problems_are_capped_per_file_and_in_all():
    many = [Problem("a.csv", n, "x", "invalid") for n in range(250)]
    many += [Problem("b.csv", 1, None, "csv")]
    many += [Problem(f"f{n}.csv", None, None, "unknown_file") for n in range(2000)]
    capped = cap_problems(many)
    assert [p.code for p in capped[:102]] == ["invalid"] * 100 + ["more_problems", "csv"]
    assert capped[100].file == "a.csv" and capped[100].detail == "150"
    assert len([p for p in capped if p.code != "more_problems"]) == files.MAX_PROBLEMS
    assert capped[-1].code == "more_problems" and capped[-1].detail == str(len(many) - files.MAX_PROBLEMS - 150)


def test_a_case_of_too_many_records_stops_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_CASE_ROWS", 500)
    problems = problems_of(COMPLIANT_CASE)
    assert [p.code for p in problems] == ["case_too_large"]
    assert problems[0].detail == "500"


def test_a_case_folder_of_too_many_files(tmp_path):
    case = _copy(tmp_path)
    for n in range(files.MAX_FILES):
        (case / f"ghi-chu-{n}.txt").write_bytes(b"")
    assert where(problems_of(case)) == [("case", None, None, "too_many_files")]


@pytest.mark.parametrize("name, limit", [("hcm_awards.yaml", "MAX_YAML_BYTES"), ("people.csv", "MAX_CSV_BYTES"),
                                         ("cell.yaml", "MAX_YAML_BYTES")])
def test_a_file_too_large_is_refused_unread(tmp_path, name, limit):
    case = _copy(tmp_path)
    (case / f"{Path(name).stem}.csv").unlink(missing_ok=True)
    with (case / name).open("wb") as f:
        f.truncate(getattr(files, limit) + 1)  # sparse: nothing to read, and nothing is read
    problems = problems_of(case)
    assert where(problems) == [(name, None, None, "too_large")]
    assert problems[0].detail.endswith(f"> {getattr(files, limit) >> 20} MiB")


def test_a_workbook_too_large_is_refused_unread(tmp_path):
    path = tmp_path / "big.xlsx"
    with path.open("wb") as f:
        f.truncate(files.MAX_WORKBOOK_BYTES + 1)
    assert where(pre(path)) == [("big.xlsx", None, None, "too_large")]
    assert where(problems_of(path)) == [("big.xlsx", None, None, "too_large")]


def test_a_line_without_end_is_refused_not_held(tmp_path):
    case = _copy(tmp_path)
    (case / "absences.csv").write_bytes(b"person,date,kind,reason\n" + b"x" * (files.MAX_LINE_BYTES + 10))
    assert where(problems_of(case)) == [("absences.csv", 2, None, "line_too_long")]


# --------------------------------------------------------------------------- 4. only regular files


def _replace(case: Path, name: str) -> Path:
    (case / name).unlink(missing_ok=True)
    return case / name


def test_a_fifo_in_a_case_folder_is_an_error_not_a_hang(tmp_path):
    case = _copy(tmp_path)
    os.mkfifo(_replace(case, "violations.csv"))
    os.mkfifo(_replace(case, "notes.txt"))  # ignored by its suffix, never opened
    assert where(problems_of(case)) == [("violations.csv", None, None, "not_regular")]


def test_a_fifo_as_cell_yaml(tmp_path):
    case = _copy(tmp_path)
    os.mkfifo(_replace(case, "cell.yaml"))
    assert where(pre(case)) == [("cell.yaml", None, None, "not_regular")]
    assert where(problems_of(case)) == [("cell.yaml", None, None, "not_regular")]


def test_a_socket_in_a_case_folder(tmp_path):
    case = _copy(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(_replace(case, "violations.csv")))
        assert where(problems_of(case)) == [("violations.csv", None, None, "not_regular")]
    finally:
        server.close()


def test_a_device_in_a_case_folder(tmp_path):
    case = _copy(tmp_path)
    try:
        os.mknod(_replace(case, "violations.csv"), stat.S_IFCHR | 0o600, os.makedev(1, 3))  # like /dev/null
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here")
    assert where(problems_of(case)) == [("violations.csv", None, None, "not_regular")]


def test_symlink_loops(tmp_path):
    case = _copy(tmp_path)
    _replace(case, "violations.csv").symlink_to("violations.csv")
    _replace(case, "absences.csv").symlink_to("absences.yaml")
    (case / "absences.yaml").symlink_to("absences.csv")
    assert sorted(where(problems_of(case))) == [("absences.csv", None, None, "link_loop"),
                                                ("absences.yaml", None, None, "link_loop"),
                                                ("violations.csv", None, None, "link_loop")]
    case = _copy(tmp_path, "cell")
    _replace(case, "cell.yaml").symlink_to("cell.yaml")
    assert where(pre(case)) == [("cell.yaml", None, None, "link_loop")]
    assert where(problems_of(case)) == [("cell.yaml", None, None, "link_loop")]


def test_a_fifo_or_a_loop_given_as_the_case(tmp_path):
    fifo = tmp_path / "ho-so.xlsx"
    os.mkfifo(fifo)
    assert where(pre(fifo)) == [("ho-so.xlsx", None, None, "not_regular")]
    assert where(problems_of(fifo)) == [("ho-so.xlsx", None, None, "not_regular")]
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    assert where(pre(loop)) == [("loop", None, None, "link_loop")]


def test_a_fifo_among_the_rules(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    os.mkfifo(rules / "kinds" / "fifo.yaml")
    with pytest.raises(InputError) as err:
        load_rules(rules)
    assert [(Path(p.file).name, p.code) for p in err.value.problems] == [("fifo.yaml", "not_regular")]


OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")


def _zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name in names:
            z.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize("name, data, code", [
    ("ho-so.xls", OLE2 + bytes(600), "old_xls"),
    ("ho-so.xls", b"<html><table></table></html>", "old_xls"),  # a web page saved as .xls
    ("ho-so.xlsx", OLE2 + bytes(600), "old_xls"),               # an old workbook renamed
    ("ho-so.xlsx", OLE2 + "EncryptionInfo".encode("utf-16-le") + bytes(600), "xlsx_encrypted"),
    ("ho-so.xlsm", _zip_bytes("xl/workbook.xml", "xl/vbaProject.bin"), "other_spreadsheet"),
    ("ho-so.ods", _zip_bytes("mimetype", "content.xml"), "other_spreadsheet"),
    ("ho-so.zip", _zip_bytes("case/cell.yaml"), "zip_case"),
    ("people.csv", b"ref,name\n", "not_a_case"),
    ("cell.yaml", b"name: x\n", "not_a_case"),
])
def test_a_file_given_as_the_case_says_what_it_is(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    assert where(pre(path)) == [(name, None, None, code)]
    assert where(problems_of(path)) == [(name, None, None, code)]


def test_a_missing_workbook_is_no_such_file(tmp_path):
    assert where(pre(tmp_path / "ho-so.xlsx")) == [(str(tmp_path / "ho-so.xlsx"), None, None, "missing_case_file")]


def test_a_folder_named_like_a_workbook_is_read_as_a_folder(tmp_path):
    folder = tmp_path / "ho-so.xlsx"
    shutil.copytree(COMPLIANT_CASE, folder)
    assert pre(folder) == [] and problems_of(folder) == []


def test_chibo_check_an_xls_file_says_save_it_as_xlsx(tmp_path):
    path = tmp_path / "ho-so.xls"
    path.write_bytes(OLE2 + bytes(600))
    run = _cli("check", path)
    assert run.returncode == 2
    assert "an old Excel .xls file: save it as .xlsx" in run.stderr
    assert "no such folder" not in run.stderr
    run = _cli("check", path, "--format", "json", lang="vi")
    assert run.returncode == 2
    [problem] = json.loads(run.stdout)["problems"]
    assert problem["code"] == "old_xls" and ".xlsx" in problem["message"] and "Excel" in problem["message"]


# --------------------------------------------------------------------------- 5. messages a secretary can act on


def test_an_old_mac_csv_with_cr_line_ends_is_read(tmp_path, compliant_case):
    case = _copy(tmp_path)
    for name in ("briefings.csv", "decisions.csv"):  # decisions: quoted cells with commas
        data = (case / name).read_bytes().replace(b"\r\n", b"\n")
        (case / name).write_bytes(data.replace(b"\n", b"\r"))
    back = load_case(case)
    for kind in ("briefings", "decisions"):
        expected = [(r.line, r.fact) for r in compliant_case.records[kind]]
        assert [(r.line, r.fact) for r in back.records[kind]] == expected
    data = (case / "briefings.csv").read_bytes().split(b"\r")
    data[3] = data[3].replace(b"2020-", b"2020-13-", 1)
    (case / "briefings.csv").write_bytes(b"\r".join(data))
    assert where(problems_of(case)) == [("briefings.csv", 4, "date", "invalid")]


@pytest.mark.parametrize("header", ["resolution,\u200bperson,date", "\ufeffresolution,per\ufeffson,date\u200b",
                                    "resolution,person\u2060,date"])
def test_zero_width_characters_in_a_header_are_ignored(tmp_path, header):
    case = _copy(tmp_path)
    text = (case / "briefings.csv").read_text(encoding="utf-8").splitlines()
    text[0] = header
    (case / "briefings.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    assert problems_of(case) == []


def test_zero_width_characters_in_a_workbook_header_and_sheet_name(tmp_path, compliant_case):
    path = tmp_path / "case.xlsx"
    write_workbook(path, compliant_case.schema, compliant_case)
    book = openpyxl.load_workbook(path)
    sheet = book[SHEETS["briefings"]]
    sheet.title = "\u200b" + sheet.title
    sheet["B1"].value = "\ufeff" + sheet["B1"].value
    book.save(path)
    assert problems_of(path) == []


def test_an_invisible_character_in_a_value_is_shown(tmp_path):
    case = _copy(tmp_path)
    text = (case / "briefings.csv").read_text(encoding="utf-8").replace(",P03,", ",P03\u200b,", 1)
    (case / "briefings.csv").write_text(text, encoding="utf-8")
    [problem] = problems_of(case)
    assert problem.code == "unknown_reference"
    assert problem.value == "P03⟨U+200B⟩"


def test_an_unclosed_quote_is_named_where_it_opened(tmp_path):
    case = _copy(tmp_path)
    lines = (case / "timesheets.csv").read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9].replace(",2020", ',"2020', 1)
    (case / "timesheets.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = problems_of(case)
    assert where(problems) == [("timesheets.csv", 10, None, "quote_not_closed")]
    assert problems[0].detail == str(len(lines))


def test_a_stray_quote_closed_lines_later_names_both_lines(tmp_path):
    case = _copy(tmp_path)
    lines = (case / "timesheets.csv").read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9].replace(",2020", ',"2020', 1)
    lines[19] = lines[19].replace(",2020", ',2020"', 1)
    (case / "timesheets.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = problems_of(case)
    assert where(problems) == [("timesheets.csv", 10, None, "quote_spans")]
    assert problems[0].detail == "20"


def test_an_unclosed_quote_on_the_second_line_of_a_record(tmp_path):
    case = _copy(tmp_path)
    (case / "decisions.csv").write_text('ref,meeting,task,owner,due,done_on\n'
                                        'QN-2020-01-1,SH-2020-01,"việc một\ndòng hai",P03,"2020-01-20,2020-01-13\n'
                                        'QN-2020-01-2,SH-2020-01,việc hai,P03,2020-01-17,2020-01-17\n',
                                        encoding="utf-8")
    problems = problems_of(case)
    assert where(problems) == [("decisions.csv", 3, None, "quote_not_closed")]
    assert problems[0].detail == "4"


def test_a_quote_left_open_by_a_huge_field(tmp_path):
    case = _copy(tmp_path)
    original = (case / "timesheets.csv").read_text(encoding="utf-8").splitlines()
    lines = original[:]
    lines[4] = lines[4].replace(",2020", ',"2020', 1)  # the rest of the file outgrows csv's field limit
    (case / "timesheets.csv").write_text("\n".join(lines + original[1:] * 8) + "\n", encoding="utf-8")
    problems = problems_of(case)
    assert where(problems) == [("timesheets.csv", 5, None, "quote_not_closed")]


# --------------------------------------------------------------------------- words and documentation


NEW_CODES = {"too_many_files", "too_many_digits", "duplicate_yaml_key", "duplicate_field", "unzipped_too_large",
             "zip_ratio", "zip_parts", "too_many_rows", "too_many_columns", "more_problems", "case_too_large",
             "too_large", "line_too_long", "not_regular", "link_loop", "old_xls", "xlsx_encrypted",
             "other_spreadsheet", "zip_case", "not_a_case", "missing_case_file", "quote_not_closed", "quote_spans"}


def test_every_problem_met_here_has_vietnamese_and_english_words():
    for code in sorted(NEW_CODES | CODES_SEEN):
        assert f"p_{code}" in MESSAGES, code
        problem = Problem("x", 1, "f", code, "7")
        vi, en = problem_text(problem, "vi"), problem_text(problem, "en")
        assert vi != en and not vi.startswith(code), code


def test_the_limits_are_documented():
    doc = (ROOT / "docs" / "case-format.md").read_text(encoding="utf-8")
    section = doc.split("Giới hạn / Limits", 1)[1].split("\n## ", 1)[0]
    for number in (files.MAX_ROWS, files.MAX_CASE_ROWS, files.MAX_COLUMNS, files.MAX_PROBLEMS_PER_FILE,
                   files.MAX_ZIP_PARTS, files.MAX_RATIO, MAX_DIGITS):
        assert f"{number:,}".replace(",", " ") in section, number
    for size in (files.MAX_CSV_BYTES, files.MAX_YAML_BYTES, files.MAX_WORKBOOK_BYTES, files.MAX_XML_PART,
                 files.MAX_SHEET_PART, files.MAX_UNZIPPED, files.MAX_LINE_BYTES):
        assert f"{size >> 20} MiB" in section, size
    assert "FIFO" in section and "\\x0b" in section


def test_loading_with_the_schema_directly(tmp_path):
    """load_case with an explicit schema is the same entry point (used by the roll-up)."""
    case = _copy(tmp_path)
    os.mkfifo(_replace(case, "violations.csv"))
    problems = problems_of(case, load=lambda path: load_with(path, SCHEMA))
    assert where(problems) == [("violations.csv", None, None, "not_regular")]
    assert case_module.load_case is load_with
