"""A cell's own plan is found by the id its cell.yaml names, along a search path: --plans DIR (repeatable),
$CHIBO_PLANS, a plans/ folder beside the case or its parent, the user's data folder, then the bundled plans.
Not found: one problem saying where chibo looked and which plan ids it saw. --rules still overrides, and a case
naming another plan than --rules gets one problem saying so, not one per field."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from .clirun import invoke_chibo
from .conftest import ROOT
from .test_plans import OFFICE_PLAN, _write

PLAN_ID = "van-phong-xa-2021"
CELL = ('name: "Chi bộ Văn phòng UBND xã Thử Nghiệm"\nparty_committee: "Đảng bộ xã Thử Nghiệm"\n'
        f"plan: {PLAN_ID}\n")
PETITIONS = ("Số đơn,Ngày nhận,Lĩnh vực,Số ngày trả lời\nD-01,05/01/2021,đất đai,12\n"
             "D-02,10/02/2021,chính sách xã hội,20\n")


def _cli(*args, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """chibo in-process, finding plans only where the test says: none of the tests' own plan variables."""
    return invoke_chibo(*args, cwd=ROOT, env={"CHIBO_RULES": None, "CHIBO_PLANS": None, "XDG_DATA_HOME": None,
                                              **(env or {})})


def _cell(folder: Path) -> Path:
    _write(folder, {"cell.yaml": CELL, "petitions.csv": PETITIONS})
    return folder


def _plan(folder: Path) -> Path:
    _write(folder / PLAN_ID, OFFICE_PLAN)
    return folder


def _judged(run: subprocess.CompletedProcess[str]) -> None:
    """Judged by the office plan: the late petition is its one gap (exit 1)."""
    assert run.returncode == 1, run.stdout + run.stderr
    assert "D-02" in run.stdout and "Traceback" not in run.stderr


def test_a_plans_folder_beside_the_cases_parent_is_searched(tmp_path):
    _plan(tmp_path / "plans")
    case = _cell(tmp_path / "cells" / "van-phong")
    _judged(_cli("check", case, "--as-of", "31/12/2021", env={"XDG_DATA_HOME": str(tmp_path / "none")}))


def test_a_plans_folder_beside_the_case_is_searched(tmp_path):
    _plan(tmp_path / "plans")
    case = _cell(tmp_path / "van-phong")
    _judged(_cli("check", case, "--as-of", "31/12/2021", env={"XDG_DATA_HOME": str(tmp_path / "none")}))


def test_plans_option_env_and_user_data_folder_are_searched(tmp_path):
    case = _cell(tmp_path / "cells" / "van-phong")
    mine = _plan(tmp_path / "mine")
    nowhere = {"XDG_DATA_HOME": str(tmp_path / "none")}
    _judged(_cli("check", case, "--as-of", "31/12/2021", "--plans", tmp_path / "empty", "--plans", mine, env=nowhere))
    _judged(_cli("check", case, "--as-of", "31/12/2021",
                 env={**nowhere, "CHIBO_PLANS": os.pathsep.join([str(tmp_path / "x"), str(mine)])}))
    _plan(tmp_path / "data" / "chibo" / "plans")
    _judged(_cli("check", case, "--as-of", "31/12/2021", env={"XDG_DATA_HOME": str(tmp_path / "data")}))
    # the same search for a template of a plan named by id
    book = tmp_path / "mau.xlsx"
    made = _cli("template", book, "--plan", PLAN_ID, "--plans", mine, env=nowhere)
    assert made.returncode == 0, made.stdout + made.stderr


def test_a_plan_not_found_names_where_chibo_looked_and_the_ids_it_saw(tmp_path):
    case = _cell(tmp_path / "cells" / "van-phong")
    other = tmp_path / "other"
    _write(other / "ap-khac-2024", {"plan.yaml": "id: ap-khac-2024\n"})
    run = _cli("check", case, "--plans", other, "--format", "json", "--lang", "en",
               env={"XDG_DATA_HOME": str(tmp_path / "none")})
    assert run.returncode == 2, run.stdout + run.stderr
    problem, = json.loads(run.stdout)["problems"]
    assert (problem["file"], problem["field"], problem["code"], problem["value"]) == (
        "cell.yaml", "plan", "unknown_plan", PLAN_ID)
    message = problem["message"]
    for place in (other, tmp_path / "cells" / "plans", tmp_path / "plans", tmp_path / "none" / "chibo" / "plans"):
        assert str(place) in message
    for seen in ("ap-khac-2024", "vbn1-2020", "tan-phuoc-2020-2022"):
        assert seen in message


def test_rules_overrides_and_a_case_of_another_plan_gets_one_problem(tmp_path):
    plans = _plan(tmp_path / "plans")
    case = _cell(tmp_path / "cells" / "van-phong")
    run = _cli("check", case, "--rules", ROOT / "rules" / "vbn1-2020", "--format", "json", "--lang", "en")
    assert run.returncode == 2, run.stdout + run.stderr
    problem, = json.loads(run.stdout)["problems"]
    assert (problem["file"], problem["field"], problem["code"], problem["value"]) == (
        "cell.yaml", "plan", "plan_mismatch", PLAN_ID)
    assert "vbn1-2020" in problem["message"]
    _judged(_cli("check", case, "--as-of", "31/12/2021", "--rules", plans / PLAN_ID))
    # the bundled case and a copy of its plan in another folder: the same plan (plan.yaml's id), judged
    copy = tmp_path / "copy-of-the-plan"
    import shutil

    shutil.copytree(ROOT / "rules" / "vbn1-2020", copy)
    assert _cli("check", ROOT / "cases" / "vbn1-2020", "--rules", copy).returncode == 1
