"""Many cells at once: one row per cell, worst first; a broken cell is reported and does not stop the
others; exit codes; JSON roll-up against the schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys

import jsonschema
import pytest

from chibo_rules.jobs.plans import Plans
from chibo_rules.jobs.rollup import discover, run_rollup

from .clirun import invoke_chibo
from .conftest import ROOT

CASES = ROOT / "cases"
SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
# worst first: most critical gaps, then high, medium, low (see cases/*/README.md)
ORDER = ["vbn2-2020", "vbn1-2020", "vbn1-2020-compliant"]


@pytest.fixture()
def commune(tmp_path):
    """The three example cells and a fourth whose people.csv has a bad row and a missing column value."""
    root = tmp_path / "xa-vinh-binh-nam"
    for name in ORDER:
        shutil.copytree(CASES / name, root / name)
    broken = root / "vbn3-2020"
    shutil.copytree(CASES / "vbn1-2020-compliant", broken)
    people = (broken / "people.csv").read_text(encoding="utf-8").splitlines()
    people[3] = people[3].replace(",teacher,", ",giáo viênn,", 1)
    (broken / "people.csv").write_text("\n".join(people) + "\n", encoding="utf-8")
    return root


def test_discover_reads_a_folder_of_cases(commune):
    assert [p.name for p in discover([commune])] == sorted([*ORDER, "vbn3-2020"])
    assert discover([CASES / "vbn1-2020"]) == [CASES / "vbn1-2020"]


def test_rollup_orders_worst_first_and_isolates_the_broken_cell(commune):
    seen = []
    rollup = run_rollup(discover([commune]), Plans(), "check", dt.date(2020, 12, 31), progress=seen.append)
    assert len(seen) == 4
    assert [c.path.name for c in rollup.cells] == ["vbn3-2020", *ORDER]
    broken, *judged = rollup.cells
    assert broken.status == "error" and broken.judged is None
    assert [(p.file, p.line, p.field) for p in broken.problems] == [("people.csv", 4, "group")]
    assert [c.status for c in judged] == ["gaps", "gaps", "ok"]
    assert [p.id for p, _ in judged[0].worst()] == ["R15", "R40", "R04"]
    assert judged[1].judged.counts()["gap"] == 6 and judged[2].judged.counts()["gap"] == 0
    assert judged[0].judged.counts()["exempted"] == 1  # exemptions apply in a roll-up too
    assert rollup.exit_problems and rollup.has_gaps


def test_audit_rollup_judges_each_cell_at_the_quarter():
    rollup = run_rollup(discover([CASES]), Plans(), "audit", dt.date(2020, 6, 30), "2020-Q2")
    # at 30/06 both cells have one high and one medium gap; vbn1 is also behind pace on supervision;
    # the Tân Phước cell, judged by its own term plan, has nothing open yet
    assert [c.path.name for c in rollup.cells] == ["vbn1-2020", "vbn2-2020", "vbn1-2020-compliant",
                                                   "tan-phuoc-2020-2022"]
    assert [c.judged.ruleset.plan.id for c in rollup.cells] == ["vbn1-2020"] * 3 + ["tan-phuoc-2020-2022"]
    statuses = {c.path.name: {p.id: f.status for p, f in c.judged.results} for c in rollup.cells}
    assert statuses["vbn1-2020"]["R14"] == statuses["vbn1-2020-compliant"]["R14"] == "behind_pace"
    assert all(c.audit is not None and c.audit.previous.as_of == dt.date(2020, 3, 31) for c in rollup.cells)


def _table_folders(out: str) -> list[str]:
    """The case folder of each roll-up row, in order (a row's cell may wrap over several lines)."""
    rows: list[str] = []
    for line in out.splitlines():
        cols = line.split("│")
        if not line.startswith("│") or len(cols) < 3:
            continue
        if cols[1].strip().isdigit():
            rows.append("")
        if rows:
            rows[-1] += " " + cols[2].strip()
    return [re.search(r"\((vbn[^)]*)\)", row.replace("( ", "(")).group(1) for row in rows]


def test_cli_rollup_table_json_and_exit_codes(commune):
    run = invoke_chibo("check", commune)
    assert run.returncode == 2, run.stderr  # a cell with bad input: exit 2, after reporting every cell
    assert _table_folders(run.stdout) == ["vbn3-2020", *ORDER]
    assert "people.csv" in run.stdout and "Traceback" not in run.stderr
    data = json.loads(invoke_chibo("check", commune, "--format", "json", "--full").stdout)
    jsonschema.validate(data, SCHEMA)
    assert [c["path"].rsplit("/", 1)[1] for c in data["cells"]] == ["vbn3-2020", *ORDER]
    assert [c["status"] for c in data["cells"]] == ["error", "gaps", "gaps", "ok"]
    assert data["totals"] == {"cells": 4, "ok": 1, "gaps": 2, "error": 1, "behind_pace": 0}
    assert data["cells"][1]["report"]["schema"] == "chibo.check/1"
    shutil.rmtree(commune / "vbn3-2020")
    assert invoke_chibo("check", commune / "vbn1-2020", commune / "vbn1-2020-compliant").returncode == 1
    assert invoke_chibo("check", commune / "vbn1-2020-compliant", commune / "vbn1-2020-compliant").returncode == 0


def test_cli_audit_rollup_over_the_bundled_cases():
    run = invoke_chibo("audit", CASES, "--quarter", "2020-Q2", "--format", "json")
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    jsonschema.validate(data, SCHEMA)
    assert data["command"] == "audit" and data["quarter"] == "2020-Q2"
    assert [c["as_of"] for c in data["cells"]] == ["2020-06-30"] * 4
    assert [c["case"]["plan"] for c in data["cells"]] == ["vbn1-2020"] * 3 + ["tan-phuoc-2020-2022"]


# ------------------------------------------------------------------ issue 19, item 5: a roll-up that tells the truth


@pytest.fixture(scope="module")
def audit_q3():
    return run_rollup(discover([CASES]), Plans(), "audit", dt.date(2020, 9, 30), "2020-Q3")


@pytest.fixture(scope="module")
def check_own_dates():
    """`chibo check cases/`: each cell at its own plan's last day (Tân Phước's term ends in 2022)."""
    return run_rollup(discover([CASES]), Plans(), "check", None)


def _rows(doc):
    table = doc.sections[0].blocks[0]
    return {re.search(r"\(([^()]*)\)$", row[1]).group(1): row for row in table.rows}


def _text(cell) -> str:
    return cell.text if hasattr(cell, "text") else str(cell)


def test_audit_rollup_uses_the_audits_own_statuses(audit_q3):
    from chibo_rules.report.views import rollup_document

    doc = rollup_document(audit_q3, "vi")
    rows = _rows(doc)
    # the compliant cell has no gap and one requirement behind pace: its row says so, not "Chưa đạt"
    compliant = rows["vbn1-2020-compliant"]
    assert compliant[3].status == "behind_pace" and compliant[3].text == "Chậm tiến độ"
    assert rows["vbn1-2020"][3].status == "gap" and rows["tan-phuoc-2020-2022"][3].status == "passed"
    assert _text(doc.summary[0]) == "4 chi bộ: 1 đạt hết, 2 có thiếu sót, 1 chậm tiến độ, 0 lỗi dữ liệu"
    assert _text(rollup_document(audit_q3, "en").summary[0]) == (
        "4 cells: 1 without gaps, 2 with gaps, 1 behind pace, 0 with input errors")


def test_audit_rollup_json_carries_each_cells_verdict(audit_q3):
    """The JSON says what the page says: the compliant cell is behind pace, not a cell with gaps (`status`
    keeps ok/gaps/error for scripts and the exit code)."""
    from chibo_rules.report.jsonout import rollup_json

    data = rollup_json(audit_q3, "en")
    jsonschema.validate(data, SCHEMA)
    verdicts = {c["path"].rsplit("/", 1)[-1]: (c["verdict"], c["status"]) for c in data["cells"]}
    assert verdicts == {"vbn1-2020": ("gap", "gaps"), "vbn1-2020-compliant": ("behind_pace", "gaps"),
                        "vbn2-2020": ("gap", "gaps"), "tan-phuoc-2020-2022": ("passed", "ok")}
    assert data["totals"] == {"cells": 4, "ok": 1, "gaps": 3, "error": 0, "behind_pace": 1}


def test_rollup_worst_column_names_the_rules_title(audit_q3):
    from chibo_rules.report.views import rollup_document

    rows = _rows(rollup_document(audit_q3, "vi"))
    assert rows["vbn1-2020-compliant"][-1] == "R14 Giám sát 11 đảng viên (cao, chậm tiến độ)"
    assert rows["vbn2-2020"][-1].startswith("R15 ")
    assert "(rất nghiêm trọng)" in rows["vbn2-2020"][-1]


def test_check_rollup_shows_each_cells_own_date(check_own_dates):
    from chibo_rules.report.views import rollup_document

    assert {c.path.name: c.judged.as_of.year for c in check_own_dates.cells} == {
        "vbn1-2020": 2020, "vbn1-2020-compliant": 2020, "vbn2-2020": 2020, "tan-phuoc-2020-2022": 2022}
    doc = rollup_document(check_own_dates, "vi")
    rows = _rows(doc)
    assert rows["tan-phuoc-2020-2022"][2] == "tan-phuoc-2020-2022\ntính đến 31/12/2022"  # the plan judged it then
    assert rows["vbn1-2020"][2] == "vbn1-2020"
    as_of = dict(doc.meta)["Tính đến ngày"]
    assert "31/12/2020" in as_of and "31/12/2022" in as_of  # never one date for cells judged at two
    assert "31/12/2022" in doc.header.subject or "31/12/2020" not in doc.header.subject
    # cells judged on one day: one date, no date in the rows
    same = rollup_document(run_rollup(discover([CASES / "vbn1-2020"]), Plans(), "check", None), "vi")
    assert dict(same.meta)["Tính đến ngày"] == "31/12/2020" and _rows(same)["vbn1-2020"][2] == "vbn1-2020"


def _header_words(out: str) -> list[list[str]]:
    """The words of each column's header, read from the table's header lines (between ┏ and ┡)."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    end = next(i for i, line in enumerate(lines) if line.startswith("┡"))
    columns: list[list[str]] = []
    for line in lines[start + 1:end]:
        parts = line.split("┃")[1:-1]
        columns += [[] for _ in range(len(parts) - len(columns))]
        for column, part in zip(columns, parts):
            column += part.split()
    return columns


def test_rollup_is_readable_at_100_columns(audit_q3):
    import io

    from rich.console import Console

    from chibo_rules.report.output import print_rich
    from chibo_rules.report.views import rollup_document

    doc = rollup_document(audit_q3, "vi")
    out = io.StringIO()
    print_rich(doc, Console(file=out, width=100, color_system=None, soft_wrap=False))
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 100
    headers = doc.sections[0].blocks[0].columns
    assert _header_words(text) == [h.split() for h in headers]  # no header word split
    run = subprocess.run([sys.executable, "-m", "chibo_rules", "audit", str(CASES), "-q", "2020-Q3"],
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ, "COLUMNS": "100"}, timeout=600)
    assert run.returncode == 1, run.stderr
    assert _header_words(run.stdout) == [h.split() for h in headers]
    assert "1 chậm tiến độ" in run.stdout


# --------------------------------------------------------------------------- a committee's folder of workbooks
LITTER = ["~$vbn1-2020.xlsx", ".~lock.vbn2-2020.xlsx#", "~WRL0001.tmp", "vbn1-2020.xlsx.tmp", "Thumbs.db",
          ".DS_Store", "desktop.ini", ".an.xlsx"]


def _workbooks(root, names=("vbn1-2020", "vbn2-2020")):
    """A committee's folder: each example cell as the workbook `chibo template --from` writes."""
    from chibo_rules.facts.xlsx import write_workbook
    from chibo_rules.jobs.plans import load_checked

    root.mkdir(parents=True, exist_ok=True)
    for name in names:
        case, plan = load_checked(CASES / name, Plans())
        write_workbook(root / f"{name}.xlsx", plan.ruleset.schema, case)
    return root


def test_discover_skips_lock_temporary_hidden_files_and_os_litter(tmp_path):
    root = tmp_path / "xa"
    root.mkdir()
    for name in ["vbn1-2020.xlsx", "vbn2-2020.xlsx", *LITTER]:
        (root / name).write_bytes(b"x")
    found = discover([root])
    assert [p.name for p in found] == ["vbn1-2020.xlsx", "vbn2-2020.xlsx"]
    assert sorted(found.skipped) == sorted(str(root / n) for n in LITTER)
    # a lock file named on the command line is what the user asked for: read (and refused) as given
    assert [p.name for p in discover([root / "~$vbn1-2020.xlsx"])] == ["~$vbn1-2020.xlsx"]


def test_rollup_of_workbooks_open_in_excel_skips_the_lock_file_with_one_note(tmp_path):
    root = _workbooks(tmp_path / "xa")
    (root / "~$vbn1-2020.xlsx").write_bytes(b"\x0bNguyen Van A" + b" " * 40)  # as Excel writes one
    (root / "Thumbs.db").write_bytes(b"\0" * 64)
    run = invoke_chibo("check", root, "--as-of", "31/12/2020")
    assert run.returncode == 1, run.stdout + run.stderr  # two cells judged, gaps: not an input error
    assert _table_folders(run.stdout.replace(".xlsx", "")) == ["vbn2-2020", "vbn1-2020"]
    note = [line for line in run.stdout.splitlines() if "~$vbn1-2020.xlsx" in line]
    assert len(note) == 1 and "Thumbs.db" in note[0] and "Bỏ qua 2 tệp" in note[0]
    data = json.loads(invoke_chibo("check", root, "--as-of", "31/12/2020", "--format", "json", "--lang", "en").stdout)
    jsonschema.validate(data, SCHEMA)
    assert [c["status"] for c in data["cells"]] == ["gaps", "gaps"]
    assert sorted(data["skipped"]) == [str(root / "Thumbs.db"), str(root / "~$vbn1-2020.xlsx")]


def test_an_unreadable_workbook_is_its_own_row_and_every_other_cell_is_judged(tmp_path):
    root = _workbooks(tmp_path / "xa")
    whole = (root / "vbn1-2020.xlsx").read_bytes()
    (root / "vbn3-2020.xlsx").write_bytes(whole[: len(whole) // 2])  # half saved, or held by Excel
    run = invoke_chibo("check", root, "--as-of", "31/12/2020")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert _table_folders(run.stdout.replace(".xlsx", "")) == ["vbn3-2020", "vbn2-2020", "vbn1-2020"]
    first_row = run.stdout.split("│ 1 ", 1)[1].split("│ 2 ", 1)[0]
    assert "(vbn3-2020.xlsx)" in first_row and "Không đọc được" in first_row, first_row
    assert "đang mở trong Excel" in run.stdout  # its problem, with what to do
    assert f"Không đọc được: {root / 'vbn3-2020.xlsx'}" in run.stdout  # and the heading of its problems
    summary = [line for line in run.stdout.splitlines() if line.startswith("3 chi bộ")]
    assert summary == ["3 chi bộ: 0 đạt hết, 2 có thiếu sót, 1 lỗi dữ liệu (1 không đọc được) — mã thoát 2: "
                       "có chi bộ chưa kiểm tra được"], run.stdout
    data = json.loads(invoke_chibo("check", root, "--as-of", "31/12/2020", "--format", "json", "--lang", "en").stdout)
    jsonschema.validate(data, SCHEMA)
    assert [(c["status"], c["unreadable"]) for c in data["cells"]] == [
        ("error", True), ("gaps", False), ("gaps", False)]
    problem, = data["cells"][0]["problems"]
    assert problem["code"] == "xlsx_open" and "open in Excel" in problem["message"]


def test_a_cell_with_bad_values_is_an_input_error_not_unreadable(commune):
    rollup = run_rollup(discover([commune]), Plans(), "check", dt.date(2020, 12, 31))
    assert [(c.path.name, c.unreadable) for c in rollup.cells][:2] == [("vbn3-2020", False), ("vbn2-2020", False)]
