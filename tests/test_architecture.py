"""The package's layers as a contract: pyproject.toml's [tool.importlinter], checked by lint-imports.

Each layer imports only those below it (command line → jobs' renderers → jobs → judge → evaluate → checks →
ruleset → facts → the shared bottom), no subpackage's modules import each other in a cycle, nothing below
the command line imports typer or click, and only evaluate/engine.py imports durable-rules. The contract is
checked on the code as it is, and shown not to be vacuous: a copy of the package with one upward import, one
cycle, one typer or one durable-rules import breaks it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "chibo_rules"


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the package under `root`, with the contract of this repository's pyproject.toml."""
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=root, env={"PYTHONPATH": str(root), "PATH": "", "PYTHONIOENCODING": "utf-8"},
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )


def test_the_package_keeps_its_layers():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    # casedoc lived in facts/ and loaded plans through jobs/: the upward import this contract was written against
    ("facts/values.py", "from ..jobs import plans as _upward  # noqa: F401\n",
     "chibo_rules.facts is not allowed to import chibo_rules.jobs"),
    # cli_plan once imported cli (lang_for_subcommands), and cli imported cli_plan: inside the cli/ package now,
    # the shared helpers importing a command module is such a cycle
    ("cli/common.py", "from . import check as _cycle  # noqa: F401\n", "No cycles are allowed in chibo_rules.cli"),
    # jobs/parallel and jobs/rollup once imported each other (CellResult, check_one)
    ("jobs/cell.py", "from . import rollup as _cycle  # noqa: F401\n", "No cycles are allowed in chibo_rules.jobs"),
    ("judge/findings.py", "import typer as _typer  # noqa: F401\n", "chibo_rules.judge is not allowed to import typer"),
    ("evaluate/oracle.py", "import durable as _durable  # noqa: F401\n",
     "chibo_rules.evaluate.oracle is not allowed to import durable"),
])
def test_a_broken_contract_fails(tmp_path: Path, module: str, line: str, broken: str):
    """Not vacuous: one forbidden import added to a copy of the package is named, and lint-imports fails."""
    shutil.copytree(PACKAGE, tmp_path / "chibo_rules", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "chibo_rules" / module
    text = target.read_text(encoding="utf-8")
    head, sep, rest = text.partition("from __future__ import annotations\n")
    target.write_text(head + sep + line + rest if sep else line + text, encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout


# words the package once used for what it now calls otherwise: a module is named with the word the
# reports, the plans and the docs use (an exemption, never a "waiver")
RETIRED_WORDS = {"waivers": "exemptions"}


def test_module_names_say_what_they_hold():
    """A module is never named like a subpackage (judge/report.py beside the report/ package said nothing of
    what it held), nor with a retired word."""
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    clashes = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
               if p.stem in subpackages and p.parent != PACKAGE]
    retired = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if p.stem in RETIRED_WORDS]
    assert clashes == [] and retired == []


def test_quarter_arithmetic_lives_in_one_module():
    """Which quarter a month falls in, and the quarters' names, are computed in chibo_rules/quarters.py only."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "quarters.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "// 3" in line or '"Q1"' in line or "-Q{" in line:
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []
