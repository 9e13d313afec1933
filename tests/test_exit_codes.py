"""Exit codes a script can trust: 1 only ever means gaps; a bug exits 3 with a log file (also for one cell of a
roll-up, whose other cells are still judged); dates outside the plan are usage errors; nothing from a fact
file reaches the terminal as a control sequence."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GAPS_CASE, ROOT

PATCHED = """
import sys
import chibo_rules.jobs.check as check
real = check.run_check
def broken(case, *args, **kwargs):
    if {only_cell!r} in (None, case.path.name):
        raise ZeroDivisionError("a bug")
    return real(case, *args, **kwargs)
check.run_check = broken
import chibo_rules.cli as cli
import chibo_rules.jobs.rollup as rollup
rollup.run_check = broken
sys.argv = ["chibo"] + sys.argv[1:]
cli.main()
"""


def _patched(tmp_path: Path, only_cell: str | None, *args) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHIBO_LOG_DIR": str(tmp_path / "logs"), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-c", PATCHED.format(only_cell=only_cell), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def test_a_bug_exits_3_with_one_sentence_and_a_log_file(tmp_path):
    run = _patched(tmp_path, None, "check", GAPS_CASE)
    assert run.returncode == 3
    assert "Traceback" not in run.stderr and "Lỗi của chibo" in run.stderr
    log, = (tmp_path / "logs").glob("chibo-crash-*.log")
    assert str(log) in run.stderr and "ZeroDivisionError: a bug" in log.read_text(encoding="utf-8")
    english = _patched(tmp_path, None, "check", GAPS_CASE, "--lang", "en")
    assert english.returncode == 3 and "An internal error in chibo" in english.stderr


def test_a_cell_that_crashes_in_a_rollup_is_that_cells_failure(tmp_path):
    run = _patched(tmp_path, "vbn2-2020", "check", ROOT / "cases", "--format", "json")
    assert run.returncode == 3, run.stderr
    import json

    cells = {Path(c["path"]).name: c for c in json.loads(run.stdout)["cells"]}
    assert cells["vbn2-2020"]["status"] == "error" and cells["vbn2-2020"]["problems"][0]["code"] == "crash"
    assert {name for name, c in cells.items() if c["status"] != "error"} == {
        "vbn1-2020", "vbn1-2020-compliant", "tan-phuoc-2020-2022"}


@pytest.mark.parametrize("args, said", [
    (("check", GAPS_CASE, "--as-of", "30/06/2002"), "--as-of 30/06/2002"),
    (("audit", GAPS_CASE, "--quarter", "9999-Q4"), "9999-Q4"),
    (("audit", GAPS_CASE, "--quarter", "2021-Q1"), "--quarter 31/03/2021"),
    (("ready", GAPS_CASE, "--meeting", "05/05/2019"), "--meeting 05/05/2019"),
])
def test_a_date_outside_the_plan_is_a_usage_error(args, said):
    run = subprocess.run([sys.executable, "-m", "chibo_rules", *map(str, args)], capture_output=True, text=True,
                         cwd=ROOT, timeout=300)
    assert run.returncode == 2 and said in run.stderr and "Traceback" not in run.stderr


def test_a_date_outside_a_cells_plan_in_a_rollup_is_that_cells_problem():
    run = subprocess.run([sys.executable, "-m", "chibo_rules", "check", ROOT / "cases", "--as-of", "30/06/2021",
                          "--format", "json"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    import json

    cells = {Path(c["path"]).name: c for c in json.loads(run.stdout)["cells"]}
    assert run.returncode == 2
    assert cells["vbn1-2020"]["problems"][0]["code"] == "as_of_outside"
    assert cells["tan-phuoc-2020-2022"]["status"] in ("ok", "gaps")


def test_control_sequences_from_facts_are_shown_escaped(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(GAPS_CASE, case)
    people = case / "people.csv"
    text = people.read_text(encoding="utf-8").replace("Lý Thị Bảo Trân", "Lý Thị\x1b[2J\x1b]0;pwned\x07 Bảo Trân")
    people.write_text(text, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "chibo_rules", "check", case], capture_output=True, text=True,
                         cwd=ROOT, timeout=300, env={**os.environ, "COLUMNS": "200"})
    assert run.returncode == 1
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert "Lý Thị\\x1b[2J\\x1b]0;pwned\\x07 Bảo Trân" in run.stdout
