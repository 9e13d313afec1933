"""Every rule-test file of every bundled plan as its own pytest item (sqlfluff's one item per YAML rule case):
a failing rule test names its plan, file and cases in pytest's own summary, instead of one item per plan.

The cases run once per plan through the same runner as `chibo rules test` (both evaluators), and each item
asserts the results of its file and the runner's coverage verdict for its rule (a passing and a failing case)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from chibo_rules.jobs.ruletests import PlanResult, run_plan_tests

from .conftest import ROOT

PLANS = sorted(p for p in (ROOT / "rules").iterdir() if (p / "plan.yaml").is_file())
FILES = [path for plan in PLANS for path in sorted((plan / "tests").glob("*.yaml"))]


@functools.cache
def plan_result(folder: Path) -> PlanResult:
    return run_plan_tests(folder, ["engine", "oracle"])


def _describe(case) -> str:
    return f"{case.name} [{case.evaluator}] line {case.line}: want {case.expected}, got {case.got} {case.notes}"


def test_every_bundled_plan_has_rule_test_files():
    assert {p.name for p in PLANS} <= {f.parent.parent.name for f in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_rule_file(path: Path):
    result = plan_result(path.parent.parent)
    rule = yaml.safe_load(path.read_text(encoding="utf-8"))["rule"]
    mine = [c for c in result.cases if c.file == path.name]
    coverage = [c for c in result.cases if c.rule == rule and c.name == "(coverage)"]
    assert mine, f"no case of {path.name} was run"
    assert {c.evaluator for c in mine} == {"engine", "oracle"}
    failed = [_describe(c) for c in mine + coverage if not c.ok]
    assert not failed, "\n".join(failed)
