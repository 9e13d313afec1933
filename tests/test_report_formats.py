"""Report formats: JSON valid against its schema, Markdown, --output (never into the case)."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from .clirun import invoke_chibo
from .conftest import COMPLIANT_CASE, GAPS_CASE, ROOT

SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("golden", sorted((ROOT / "tests" / "golden").glob("*.json")), ids=lambda p: p.name)
def test_golden_reports_follow_the_schema(golden):
    report = json.loads(golden.read_text(encoding="utf-8"))
    report["tool"]["version"] = "0"
    jsonschema.validate(report, SCHEMA)


def test_schema_rejects_what_it_should():
    report = json.loads((ROOT / "tests" / "golden" / "vbn1-2020.en.json").read_text(encoding="utf-8"))
    report["tool"]["version"] = "0"
    report["rules"][0]["status"] = "ok"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, SCHEMA)


def test_json_output_file_and_markdown(tmp_path):
    out = tmp_path / "report.json"
    run = invoke_chibo("check", GAPS_CASE, "--format", "json", "--output", out)
    assert run.returncode == 1 and run.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["summary"]["gap"] == 6
    md = tmp_path / "bao-cao.md"
    assert invoke_chibo("check", GAPS_CASE, "--format", "markdown", "-o", md).returncode == 1
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Báo cáo rà soát thực hiện kế hoạch")
    assert "| R14 | Giám sát 11 đảng viên | **Chưa đạt** | ≥ 11 | 10 |" in text
    assert "- Ngô Thị Cẩm Tú (P14): chưa được giám sát" in text
    assert "**Trích kế hoạch (B.I.4):** “giám sát 11 Đ/C”" in text
    assert "Người phụ trách: **Trần Thị Thu Hà (P02)**" in text
    table = tmp_path / "report.txt"
    assert invoke_chibo("check", COMPLIANT_CASE, "-o", table, "--lang", "en").returncode == 0
    assert "44 passed, 0 gaps" in table.read_text(encoding="utf-8")


def test_output_never_goes_into_the_case(tmp_path):
    import shutil

    case = tmp_path / "case"
    shutil.copytree(COMPLIANT_CASE, case)
    run = invoke_chibo("check", case, "--output", case / "people.csv")
    assert run.returncode == 2
    assert (case / "people.csv").read_bytes() == (COMPLIANT_CASE / "people.csv").read_bytes()


# ------------------------------------------------------------------ the schema's lists are the code's lists


def _enums(node, path=""):
    """Every enum of the schema, by its path (e.g. /$defs/gap/properties/reason)."""
    if isinstance(node, dict):
        if "enum" in node:
            yield path, node["enum"]
        for key, value in node.items():
            yield from _enums(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _enums(value, f"{path}/{i}")


def test_the_schemas_reasons_and_statuses_are_the_codes_lists():
    from chibo_rules.checks.finding import GAP_REASONS
    from chibo_rules.judge.findings import REPORTED_STATUSES

    enums = dict(_enums(SCHEMA))
    # the registry's order (shared reasons, then each kind's as it registers) is not the schema's; the set is
    assert sorted(enums["/$defs/gap/properties/reason"]) == sorted(GAP_REASONS)
    for path in ("/$defs/rule/properties/status", "/$defs/audit/properties/changes/items/properties/before",
                 "/$defs/audit/properties/changes/items/properties/after",
                 "/$defs/rollup/properties/cells/items/properties/worst/items/properties/status"):
        assert enums[path] == list(REPORTED_STATUSES), path


def test_every_gap_the_code_makes_names_a_listed_reason():
    """No gap reason is written outside the list: each `Gap("…")` literal in chibo is one of GAP_REASONS, and a
    Gap of any other reason cannot be made (a bug, exit 3 — never a report its own schema refuses)."""
    import ast

    from chibo_rules.checks.finding import GAP_REASONS, Gap

    made = set()
    for path in (ROOT / "chibo_rules").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Gap" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant):
                    made.add(first.value)
    assert made and made <= set(GAP_REASONS), made - set(GAP_REASONS)
    with pytest.raises(ValueError):
        Gap("no_such_reason", [])


def test_a_period_without_records_follows_the_schema(tmp_path):
    """Tân Phước's cell rating without its 2021 row: R03 names the year with no record (`no_records`)."""
    import shutil

    case = tmp_path / "tan-phuoc"
    shutil.copytree(ROOT / "cases" / "tan-phuoc-2020-2022", case)
    ratings = case / "cell_ratings.csv"
    ratings.write_text("".join(line for line in ratings.read_text(encoding="utf-8").splitlines(keepends=True)
                               if not line.startswith("2021,")), encoding="utf-8")
    for command in (("check",), ("audit", "--quarter", "2021-Q4")):
        run = invoke_chibo(*command, case, "--format", "json", "--lang", "en")
        assert run.returncode == 1, run.stderr
        data = json.loads(run.stdout)
        jsonschema.validate(data, SCHEMA)
        r03 = next(r for r in data["rules"] if r["id"] == "R03")
        assert [g["reason"] for g in r03["gaps"]] == ["no_records"]


# ---------------------------------------------------------- issue 19, item 7: words a secretary reads


@pytest.fixture(scope="module")
def gaps_check(gaps_case, ruleset, prepared):
    from chibo_rules.jobs.check import run_check

    return run_check(gaps_case, ruleset, prepared, dt.date(2020, 12, 31), "oracle")


def _details(report, lang):
    from chibo_rules.report.labels import Labeller
    from chibo_rules.report.views import gap_lines

    labeller = Labeller(report, lang)
    return {p.id: gap_lines(p, f, labeller, lang) for p, f in report.results if f.gaps}


def test_a_short_count_says_any_of_the_listed_will_do(gaps_check):
    vi, en = _details(gaps_check, "vi")["R14"], _details(gaps_check, "en")["R14"]
    assert len(vi) == 8  # the shortfall, then the 7 members not yet supervised
    assert vi[0] == "còn thiếu 1 (đạt 10, chỉ tiêu ≥ 11) — chọn 1 trong 7 người sau:"
    assert en[0] == "1 short (10 against ≥ 11) — any one of these 7 will do:"
    assert vi[1] == "Nguyễn Văn Hùng (P01): chưa được giám sát"


def test_a_gap_naming_a_person_gives_their_code(gaps_check):
    (line,) = _details(gaps_check, "vi")["R43"]
    assert line.startswith("Thạch Thị Ngọc Huyền (P24) — 12/10/2020 — đi trễ")
