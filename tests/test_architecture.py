"""The package's layers as a contract: pyproject.toml's [tool.importlinter], checked by lint-imports.

Each layer imports only those below it (command line → jobs' renderers → jobs → judge → evaluate → checks →
ruleset → facts → the shared bottom), no subpackage's modules import each other in a cycle, and nothing below
the command line imports typer or click. The contract is checked on the code as it is, and shown not to be
vacuous: a copy of the package with one upward import, one cycle or one typer import breaks it.
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
        [sys.executable, "-c", code, "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=root, env={"PYTHONPATH": str(root), "PATH": "", "PYTHONIOENCODING": "utf-8"},
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )


def test_the_package_keeps_its_layers():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    # casedoc lived in facts/ and loaded plans through jobs/: the upward import this contract was written against
    ("facts/values.py", "from ..jobs import plans as _upward  # noqa: F401\n",
     "chibo_rules.facts is not allowed to import chibo_rules.jobs"),
    # cli_plan once imported cli (lang_for_subcommands), and cli imports cli_plan
    ("cli_plan.py", "from . import cli as _cycle  # noqa: F401\n",
     "chibo_rules.cli_plan is not allowed to import chibo_rules.cli"),
    # jobs/parallel and jobs/rollup once imported each other (CellResult, check_one)
    ("jobs/cell.py", "from . import rollup as _cycle  # noqa: F401\n", "No cycles are allowed in chibo_rules.jobs"),
    ("judge/findings.py", "import typer as _typer  # noqa: F401\n", "chibo_rules.judge is not allowed to import typer"),
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
