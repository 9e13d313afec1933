"""Report formats: JSON valid against its schema, Markdown, --output (never into the case)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import jsonschema
import pytest

from .conftest import COMPLIANT_CASE, GAPS_CASE, ROOT

SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))


def _cli(*args) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "chibo_rules", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "COLUMNS": "200"}, timeout=180)


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
    run = _cli("check", GAPS_CASE, "--format", "json", "--output", out)
    assert run.returncode == 1 and run.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["summary"]["gap"] == 6
    md = tmp_path / "bao-cao.md"
    assert _cli("check", GAPS_CASE, "--format", "markdown", "-o", md).returncode == 1
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Báo cáo rà soát thực hiện kế hoạch")
    assert "| R14 | Giám sát 11 đảng viên | **Chưa đạt** | ≥ 11 | 10 |" in text
    assert "- Ngô Thị Cẩm Tú (P14): chưa được giám sát" in text
    assert "**Trích kế hoạch (B.I.4):** “giám sát 11 Đ/C”" in text
    assert "Người phụ trách: **Trần Thị Thu Hà (P02)**" in text
    table = tmp_path / "report.txt"
    assert _cli("check", COMPLIANT_CASE, "-o", table, "--lang", "en").returncode == 0
    assert "44 passed, 0 gaps" in table.read_text(encoding="utf-8")


def test_output_never_goes_into_the_case(tmp_path):
    import shutil

    case = tmp_path / "case"
    shutil.copytree(COMPLIANT_CASE, case)
    run = _cli("check", case, "--output", case / "people.csv")
    assert run.returncode == 2
    assert (case / "people.csv").read_bytes() == (COMPLIANT_CASE / "people.csv").read_bytes()


# ---------------------------------------------------------- issue 19, item 7: words a secretary reads


@pytest.fixture(scope="module")
def gaps_check(gaps_case, ruleset, prepared):
    from chibo_rules.jobs.check import run_check

    return run_check(gaps_case, ruleset, prepared, dt.date(2020, 12, 31), "oracle")


def _details(report, lang):
    from chibo_rules.report.render import Labeller
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
