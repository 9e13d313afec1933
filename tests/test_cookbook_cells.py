"""docs/cookbook.md §9 runs as written: its two cells (a hamlet cell with a term starting at its congress, a state
office with an initiative share), each plan using only library kinds, are written out from the document's
`# file:` blocks; their rule tests pass, `chibo check` finds the plan with no --rules (a plans/ folder beside the
case; --plans) and gives exactly the planted gaps, and the first quarterly audit runs."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from .clirun import invoke_chibo
from .conftest import ROOT

COOKBOOK = ROOT / "docs" / "cookbook.md"


def _files(out: Path) -> list[Path]:
    text = COOKBOOK.read_text(encoding="utf-8")
    written = []
    for block in re.findall(r"```[a-z]*\n(# file: [^\n]+\n.*?)```", text, re.S):
        first, rest = block.split("\n", 1)
        path = out / first[len("# file: "):].strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rest, encoding="utf-8")
        written.append(path)
    return written


def _cli(*args, cwd: Path) -> subprocess.CompletedProcess[str]:
    """chibo in-process in `cwd`, finding plans only where the cookbook says: none of the tests' own plan
    variables, no user data folder."""
    return invoke_chibo(*args, cwd=cwd, env={"CHIBO_RULES": None, "CHIBO_PLANS": None,
                                             "XDG_DATA_HOME": str(cwd / "no-data")})


def _gaps(run: subprocess.CompletedProcess[str]) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    assert run.returncode == 1, run.stdout[-2000:] + run.stderr
    rules = json.loads(run.stdout)["rules"]
    return {r["id"]: sorted((g["reason"], tuple(ref["key"] for ref in g["refs"])) for g in r["gaps"])
            for r in rules if r["status"] == "gap"}


def test_the_hamlet_cell_from_its_plan_folder_to_the_first_audit(tmp_path):
    assert len(_files(tmp_path)) >= 20
    tested = _cli("rules", "test", "--rules", "xa-an-lac/plans/thon-an-lac-2022-2025", cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    checked = _cli("check", "xa-an-lac/thon-an-lac", "--as-of", "31/12/2022", "--format", "json", cwd=tmp_path)
    assert _gaps(checked) == {
        "R01": [("missing", ("2022-11",))],  # Jan–Jul 2022 are before the congress: not required
        "R02": [("failed", ("2022", "T3", "unit_ratings:4"))],
        "R03": [("outside", ("party_ratings:6",)), ("short", ())],
    }
    audit = _cli("audit", "xa-an-lac/thon-an-lac", "--quarter", "2022-Q4", "--format", "json", cwd=tmp_path)
    assert audit.returncode == 1, audit.stdout[-2000:] + audit.stderr
    assert json.loads(audit.stdout)["summary"]["gap"] == 3


def test_the_state_office_with_its_plan_in_another_folder(tmp_path):
    _files(tmp_path)
    tested = _cli("rules", "test", "--rules", "ke-hoach/vp-ubnd-an-binh-2023", cwd=tmp_path)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    checked = _cli("check", "van-phong", "--plans", "ke-hoach", "--as-of", "31/12/2023", "--format", "json",
                   cwd=tmp_path)
    assert _gaps(checked) == {"R01": [("missing", ("P4",)), ("missing", ("P5",)), ("short", ())]}
    audit = _cli("audit", "van-phong", "--plans", "ke-hoach", "--quarter", "2023-Q3", cwd=tmp_path)
    assert audit.returncode == 0, audit.stdout[-2000:] + audit.stderr
    lost = _cli("check", "van-phong", "--as-of", "31/12/2023", cwd=tmp_path)
    assert lost.returncode == 2 and "vp-ubnd-an-binh-2023" in lost.stderr and "Traceback" not in lost.stderr
