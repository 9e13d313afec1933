"""Plans are data: every bundled plan passes its own rule tests on both evaluators; a plan with a kind of fact
Python has never heard of works with no code; rules are checked against the kinds when loaded; and no Python
outside the fact layer names a kind or a field of any plan."""

from __future__ import annotations

import ast
import json
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from .clirun import invoke_chibo
from .conftest import ROOT, RULES

PLANS = sorted(p for p in (ROOT / "rules").iterdir() if (p / "plan.yaml").is_file())
PACKAGE = ROOT / "chibo_rules"


# ------------------------------------------------------------------------------------ bundled plans


def test_two_bundled_plans_each_named_by_its_folder():
    assert [p.name for p in PLANS] == ["tan-phuoc-2020-2022", "vbn1-2020"]
    for plan in PLANS:
        assert yaml.safe_load((plan / "plan.yaml").read_text(encoding="utf-8"))["id"] == plan.name


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_rules_test_passes_for_every_bundled_plan_on_both_evaluators(plan):
    run = invoke_chibo("rules", "test", "--rules", plan, "--format", "json")
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    result, = json.loads(run.stdout)["plans"]
    assert result["ok"] and result["cases"]
    assert {c["evaluator"] for c in result["cases"]} == {"engine", "oracle"}
    # every judged rule has a passing and a failing case (the runner reports a missing one as a failure)
    assert not [c for c in result["cases"] if c["name"] == "(coverage)"]


def test_changing_a_target_or_a_code_makes_the_rule_tests_fail(tmp_path):
    plan = tmp_path / "vbn1-2020"
    shutil.copytree(RULES, plan)
    r14 = plan / "R14-member-supervisions.yaml"
    r14.write_text(r14.read_text(encoding="utf-8").replace("params: {target: 11}", "params: {target: 10}"),
                   encoding="utf-8")
    r01 = plan / "R01-resolution-briefings.yaml"
    r01.write_text(r01.read_text(encoding="utf-8").replace("level: {in: [commune, cell]}", "level: {in: [commune]}"),
                   encoding="utf-8")
    run = invoke_chibo("rules", "test", "--rules", plan, "--format", "json")
    assert run.returncode == 1
    failed = {(c["rule"], c["evaluator"]) for c in json.loads(run.stdout)["plans"][0]["cases"] if not c["ok"]}
    assert {("R14", "engine"), ("R14", "oracle"), ("R01", "engine"), ("R01", "oracle")} <= failed
    assert {rule for rule, _ in failed} == {"R01", "R14"}
    table = invoke_chibo("rules", "test", "--rules", plan, "--lang", "en")
    assert table.returncode == 1 and "status passed, expected gap" in table.stdout
    vi = invoke_chibo("rules", "test", "--rules", plan)  # Vietnamese by default, no English sentence in it
    assert vi.returncode == 1 and "trạng thái passed, cần gap" in vi.stdout and "expected" not in vi.stdout


def test_a_rule_test_with_a_bad_record_says_so_in_the_users_language(tmp_path):
    plan = tmp_path / "vbn1-2020"
    shutil.copytree(RULES, plan)
    tests = plan / "tests" / "R14.yaml"
    text = tests.read_text(encoding="utf-8")
    tests.write_text(text.replace("party_member: true", "party_member: maybe", 1), encoding="utf-8")
    vi = invoke_chibo("rules", "test", "--rules", plan)
    en = invoke_chibo("rules", "test", "--rules", plan, "--lang", "en")
    assert vi.returncode == en.returncode == 1
    assert "bản ghi của ca thử không hợp lệ" in vi.stdout and "party_member" in vi.stdout
    assert "the case's records are invalid" in en.stdout


def test_check_of_the_bundled_cases_judges_each_by_its_own_plan():
    run = invoke_chibo("check", ROOT / "cases", "--format", "json", "--as-of", "31/12/2020")
    data = json.loads(run.stdout)
    plans = {Path(c["path"]).name: c["case"]["plan"] for c in data["cells"]}
    assert plans == {"vbn1-2020": "vbn1-2020", "vbn1-2020-compliant": "vbn1-2020", "vbn2-2020": "vbn1-2020",
                     "tan-phuoc-2020-2022": "tan-phuoc-2020-2022"}
    table = invoke_chibo("check", ROOT / "cases", "--as-of", "31/12/2020")
    assert "tan-phuoc-2020-2022 —" in table.stdout and "vbn1-2020 —" in table.stdout


# ------------------------------------------------------------------------- a plan Python never heard of

OFFICE_PLAN = {
    "plan.yaml": """
        id: van-phong-xa-2021
        name: {vi: "Kế hoạch năm 2021 — Chi bộ Văn phòng UBND xã", en: "2021 plan — commune office cell"}
        cell: "Chi bộ Văn phòng UBND xã Thử Nghiệm"
        years: [2021]
        settings:
          answer_within_days: 15
    """,
    "kinds/petitions.yaml": """
        kind: petitions
        label: {vi: đơn thư của công dân, en: citizen petition}
        sheet: Đơn thư
        help: Mỗi dòng là một đơn thư, kiến nghị của công dân gửi đến ủy ban.
        key: ref
        label_fields: [ref, topic]
        dated_by: received
        fields:
          ref: {type: text, required: true, header: Số đơn}
          received: {type: date, required: true, header: Ngày nhận}
          topic:
            type: code
            required: true
            header: Lĩnh vực
            codes:
              land: {vi: đất đai, en: land}
              social: {vi: chính sách xã hội, en: social policy}
          days_to_answer: {type: count, header: Số ngày trả lời, label: {vi: số ngày trả lời, en: days to answer}}
    """,
    "R01-petitions-answered.yaml": """
        id: R01
        section: II.1
        title: {vi: "100% đơn thư được trả lời trong 15 ngày", en: "Every petition answered within 15 days"}
        clause: "giải quyết 100% đơn thư của công dân đúng hạn (không quá 15 ngày)"
        severity: high
        due: continuous
        hint: {vi: "Nhắc bộ phận một cửa trả lời đơn quá hạn.", en: "Answer the overdue petitions."}
        check:
          kind: coverage
          when_empty: passed
          for_each: [{as: d, kind: petitions}]
          must: {days_to_answer: {lte: {setting: answer_within_days}}}
    """,
    "tests/R01.yaml": """
        rule: R01
        cases:
          - name: answered in time
            facts:
              petitions: [{ref: D-01, received: 2021-03-02, topic: đất đai, days_to_answer: 15}]
            expect: {status: passed}
          - name: one answered late, one not answered
            facts:
              petitions:
                - {ref: D-01, received: 2021-03-02, topic: land, days_to_answer: 16}
                - {ref: D-02, received: 2021-04-02, topic: social}
            expect:
              status: gap
              gaps: [{reason: failed, refs: {d: D-01}}, {reason: failed, refs: {d: D-02}}]
    """,
}


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def test_a_plan_with_a_kind_python_never_heard_of_needs_no_code(tmp_path):
    plan = tmp_path / "van-phong-xa-2021"
    _write(plan, OFFICE_PLAN)
    case = tmp_path / "case"
    _write(case, {
        "cell.yaml": 'name: "Chi bộ Văn phòng UBND xã Thử Nghiệm"\nparty_committee: "Đảng bộ xã Thử Nghiệm"\n',
        "petitions.csv": "Số đơn,Ngày nhận,Lĩnh vực,Số ngày trả lời\nD-01,05/01/2021,đất đai,12\n"
                         "D-02,10/02/2021,chính sách xã hội,20\n",
    })
    tests = invoke_chibo("rules", "test", "--rules", plan)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 lượt thử" not in tests.stdout and "4 đạt, 0 không đạt" in tests.stdout
    check = invoke_chibo("check", case, "--rules", plan, "--as-of", "31/12/2021", "--lang", "en")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "D-02" in check.stdout and "days to answer = 20" in check.stdout
    assert "giải quyết 100% đơn thư của công dân đúng hạn" in check.stdout
    # nothing in the shared library assumed a school: the office plan's workbook has no student sheet
    book = tmp_path / "mau.xlsx"
    assert invoke_chibo("template", book, "--rules", plan).returncode == 0
    import openpyxl

    sheets = openpyxl.load_workbook(book).sheetnames
    assert "Đơn thư" in sheets and not any("học sinh" in s.lower() for s in sheets)


# --------------------------------------------------------------------- rules checked against the kinds

BROKEN = [
    ("R36-accreditation.yaml", "must: {result: {param: round}}", "must: {result: {gte: 3}}",
     ("check.must.result", "'result' is a text value and cannot be compared with a number value")),
    ("R09-organisation-ratings.yaml", "must: {rating: {in: [strong, excellent]}}",
     "must: {rating: {in: [strong, excelent]}}", ("check.must.rating", "'excelent' is not a code of")),
    ("R41-admin-40-hours.yaml", "params: {hours_per_day: 8}", 'params: {hours_per_day: "8"}',
     ("params.hours_per_day", "'mul' works on numbers, not on a text value (params.hours_per_day = '8')")),
]


@pytest.mark.parametrize("name, old, new, expected", BROKEN, ids=["text_vs_number", "unknown_code",
                                                                    "string_for_number"])
def test_a_rule_the_kinds_cannot_support_is_refused_with_file_line_and_key(tmp_path, name, old, new, expected):
    plan = tmp_path / "plan"
    shutil.copytree(RULES, plan)
    path = plan / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = text[:text.index(old)].count("\n") + 1
    run = invoke_chibo("rules", "list", "--rules", plan, "--format", "json", "--lang", "en")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    problem, = json.loads(run.stdout)["problems"]
    key, message = expected
    assert (problem["file"], problem["line"], problem["field"]) == (name, line, key)
    assert message in problem["message"]
    table = invoke_chibo("rules", "list", "--rules", plan, "--lang", "en")
    assert table.returncode == 2 and name in table.stderr and f"│ {line} " in table.stderr
    for command in (("check", ROOT / "cases" / "vbn1-2020"), ("rules", "test")):
        again = invoke_chibo(*command, "--rules", plan, "--lang", "en")
        assert again.returncode == 2 and message in again.stderr  # refused before any evaluation


def test_a_yml_rule_file_is_refused_not_skipped(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(RULES, plan)
    (plan / "R14-member-supervisions.yaml").rename(plan / "R14-member-supervisions.yml")
    run = invoke_chibo("rules", "list", "--rules", plan, "--lang", "en")
    assert run.returncode == 2 and "R14-member-supervisions.yml" in run.stderr and ".yaml (not .yml)" in run.stderr


# ------------------------------------------------------------------ no kind or field named in Python


def _declared() -> tuple[set[str], set[str]]:
    kinds: set[str] = set()
    fields: set[str] = set()
    for path in (ROOT / "rules").glob("**/kinds/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds.add(data.get("kind") or data["extends"])
        fields |= set(data.get("fields") or {})
    fields |= set(yaml.safe_load((ROOT / "rules" / "library" / "cell.yaml").read_text(encoding="utf-8"))["fields"])
    return kinds, fields


def _dict_keys(tree: ast.AST) -> set[int]:
    """Constants used as keys of dict literals: the words of a JSON report, not references to a kind."""
    return {id(k) for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys if k is not None}


def test_no_module_outside_the_fact_layer_names_a_kind_or_a_field():
    """Every kind is declared in YAML (rules/library, rules/<plan>/kinds); Python outside chibo_rules/facts/
    may not name one in a string, nor read a declared field off a record (`.fact.X`, `.cell.X`)."""
    kinds, fields = _declared()
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "facts" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        keys = _dict_keys(tree)
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in keys:
                if node.value in kinds:
                    found.append(f"{where} names the kind {node.value!r}")
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                    and node.value.attr in ("fact", "cell") and node.attr in fields):
                found.append(f"{where} reads the field {node.attr!r} off a record")
    assert found == []


def test_the_name_check_would_catch_a_kind_named_in_python(tmp_path, monkeypatch):
    """The check above is not vacuous: a module naming a kind, or reading a field, is reported."""
    kinds, fields = _declared()
    assert {"people", "timesheets", "figures", "student_figures"} <= kinds and {"person", "story"} <= fields
    bad = ast.parse('x = case.records.get("timesheets")\ny = rec.fact.story\nz = {"people": 1}\n')
    keys = _dict_keys(bad)
    named = [n.value for n in ast.walk(bad) if isinstance(n, ast.Constant) and n.value in kinds and id(n) not in keys]
    read = [n.attr for n in ast.walk(bad) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Attribute)
            and n.value.attr == "fact" and n.attr in fields]
    assert named == ["timesheets"] and read == ["story"]


def test_a_yearly_period_is_named_as_a_year():
    """A bug found while documenting: a yearly calendar gap read "tháng /2021" (a month without a month)."""
    vi = invoke_chibo("check", ROOT / "cases" / "tan-phuoc-2020-2022")
    en = invoke_chibo("check", ROOT / "cases" / "tan-phuoc-2020-2022", "--lang", "en")
    assert vi.returncode == en.returncode == 1
    assert "năm 2021 — Lý Thị Thu Trang (P16)" in vi.stdout and "tháng /" not in vi.stdout
    assert "year 2021 — Lý Thị Thu Trang (P16)" in en.stdout and " /2021" not in en.stdout


def test_a_literal_zero_target_is_a_target(tmp_path):
    """"No member violates the Charter" written `target: 0` in the rule itself (not as a parameter) was refused
    as "a count check needs 'target'"; an absent target still is."""
    plan = tmp_path / "vbn1-2020"
    shutil.copytree(RULES, plan)
    r15 = plan / "R15-no-charter-violations.yaml"
    text = r15.read_text(encoding="utf-8")
    assert "params: {target: 0}" in text and "  target: {param: target}" in text
    r15.write_text(text.replace("params: {target: 0}\n", "").replace("  target: {param: target}", "  target: 0"),
                   encoding="utf-8")
    run = invoke_chibo("rules", "test", "--rules", plan)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    r15.write_text(text.replace("params: {target: 0}\n", "").replace("  target: {param: target}\n", ""),
                   encoding="utf-8")
    broken = invoke_chibo("rules", "list", "--rules", plan)
    assert broken.returncode == 2 and "'target'" in broken.stdout + broken.stderr
