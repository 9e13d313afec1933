"""A plan's own rule tests (`tests/*.yaml` in the plan folder), run with both evaluators.

In the spirit of sqlfluff's YAML rule cases and `conftest verify`: per rule, named cases holding only
the records they need, an as-of date (and, for a pre-meeting rule, the meeting date), and the expected
status and gaps. A case passes when the rule's finding has exactly that status and, when gaps are
given, exactly those gaps (reason and the records they name), on every evaluator asked for.
Every judged rule needs at least one passing and one failing case, so a rule whose target or code
changes makes some case fail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from .. import safeyaml
from ..errors import InputError, Problem
from ..facts import library
from ..facts.declarations import read_yaml_file
from ..facts.sources.data import case_from_data
from ..facts.values import date_number
from ..judge.findings import Finding
from ..ruleset.prepare import Prepared, prepare
from ..ruleset.rulespec import RuleSet, load_rules
from .check import run_check
from .ready import last_meeting_before

PASSING, FAILING = ("passed",), ("gap", "behind_pace", "no_data")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectedGap(_Strict):
    reason: str
    refs: dict[str, str] | None = None


class Expect(_Strict):
    status: Literal["passed", "gap", "no_data", "not_due", "advisory", "exempted"]
    gaps: list[ExpectedGap] | None = None


class TestCase(_Strict):
    name: str
    as_of: dt.date | None = None
    meeting: dt.date | None = None
    cell: dict[str, Any] = {}
    facts: dict[str, list[dict[str, Any]] | None] = {}
    expect: Expect


class TestFile(_Strict):
    rule: str
    cases: list[TestCase]


@dataclass
class CaseResult:
    plan: str
    rule: str
    name: str
    evaluator: str
    ok: bool
    file: str
    line: int | None
    expected: str = ""
    got: str = ""
    # what differs, as (message code, its values): worded in the user's language by report/ruletests.py
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class PlanResult:
    plan: str
    folder: Path
    rules: int
    cases: list[CaseResult]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.cases)


def read_tests(folder: Path) -> list[tuple[Path, TestFile, Any]]:
    """Every test file of a plan folder; InputError with file, line and key for a broken one."""
    tests = folder / "tests"
    problems = [Problem(str(p), None, None, "yml_suffix") for p in sorted(tests.glob("*.yml"))]
    out = []
    for path in sorted(tests.glob("*.yaml")):
        try:
            data, node = read_yaml_file(path, finite=False)  # records: as the fact parsers read them
            out.append((path, TestFile.model_validate(data), node))
        except InputError as err:
            problems += err.problems
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(str(p) for p in error["loc"])
                problems.append(Problem(str(path), safeyaml.line_of(node, loc), ".".join(loc), "rule_test",
                                        error["msg"].removeprefix("Value error, ")))
    if problems:
        raise InputError(problems)
    return out


def _gap_key(reason: str, refs: dict[str, str] | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    return reason, tuple(sorted((refs or {}).items()))


def _describe(finding: Finding, with_gaps: bool) -> str:
    text: str = finding.status
    if with_gaps:
        gaps = sorted(_gap_key(g.reason, dict(g.refs)) for g in finding.gaps)
        text += " " + "; ".join(f"{r}{dict(refs) if refs else ''}" for r, refs in gaps) if gaps else " (no gaps)"
    return text


def _expected(expect: Expect) -> str:
    text: str = expect.status
    if expect.gaps is not None:
        gaps = sorted(_gap_key(g.reason, g.refs) for g in expect.gaps)
        text += " " + "; ".join(f"{r}{dict(refs) if refs else ''}" for r, refs in gaps) if gaps else " (no gaps)"
    return text


def _differences(expect: Expect, finding: Finding) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    if finding.status != expect.status:
        out.append(("rt_status", {"got": finding.status, "want": expect.status}))
    if expect.gaps is not None:
        want = sorted(_gap_key(g.reason, g.refs) for g in expect.gaps)
        got = sorted(_gap_key(g.reason, dict(g.refs)) for g in finding.gaps)
        for reason, refs in [g for g in got if g not in want]:
            out.append(("rt_unexpected_gap", {"gap": f"{reason} {dict(refs) if refs else ''}".rstrip()}))
        for reason, refs in [g for g in want if g not in got]:
            out.append(("rt_missing_gap", {"gap": f"{reason} {dict(refs) if refs else ''}".rstrip()}))
        if not out and len(want) != len(got):
            out.append(("rt_gap_count", {"got": len(got), "want": len(want)}))
    return out


def run_case(ruleset: RuleSet, job_rules: list[Prepared], rule: Prepared, test: TestCase,
             evaluator: str) -> tuple[Finding | None, list[tuple[str, dict[str, Any]]]]:
    """One case with one evaluator: the rule's finding, or the problems of the case's own records."""
    plan = ruleset.plan
    cell = {**library.cell_data("Chi bộ thử", "Đảng bộ thử", plan.id), **test.cell}
    facts = {kind: rows or [] for kind, rows in test.facts.items()}
    try:
        case = case_from_data(cell, facts, ruleset.schema, (plan.start, plan.end), name=f"{rule.id}: {test.name}")
    except InputError as err:
        return None, [("rt_record", {"problem": p}) for p in err.problems]
    runtime = None
    as_of = test.as_of or plan.end
    if rule.rule.job == "ready":
        meeting = test.meeting or as_of
        as_of = meeting
        last = last_meeting_before(case, meeting) or (plan.start - dt.timedelta(days=1))
        runtime = {"meeting": date_number(meeting), "last_meeting": date_number(last)}
    report = run_check(case, ruleset, job_rules, as_of, evaluator, only=[rule.id],  # type: ignore[arg-type]
                       runtime=runtime)
    finding = next(f for p, f in report.results if p.id == rule.id)
    return finding, []


def run_plan_tests(folder: Path, evaluators: list[str]) -> PlanResult:
    """Every case of every test file of a plan, with each evaluator; rules without a passing and a
    failing case are reported as failures of their own."""
    ruleset = load_rules(folder)
    jobs = {"check": prepare(ruleset, "check"), "ready": prepare(ruleset, "ready")}
    by_id = {p.id: p for rules in jobs.values() for p in rules}
    files = read_tests(folder)
    plan_id = ruleset.plan.id or folder.name
    results: list[CaseResult] = []
    covered: dict[str, set[str]] = {rid: set() for rid in by_id}
    problems = []
    for path, test_file, node in files:
        rule = by_id.get(test_file.rule)
        if rule is None:
            problems.append(Problem(str(path), safeyaml.line_of(node, ("rule",)), "rule", "rule_test",
                                    f"no rule '{test_file.rule}' in {plan_id}"))
            continue
        for i, test in enumerate(test_file.cases):
            line = safeyaml.line_of(node, ("cases", str(i)))
            covered[rule.id].add(test.expect.status)
            for evaluator in evaluators:
                finding, errors = run_case(ruleset, jobs[rule.rule.job], rule, test, evaluator)
                if finding is None:
                    results.append(CaseResult(plan_id, rule.id, test.name, evaluator, False, path.name, line,
                                              _expected(test.expect), "", [("rt_invalid_records", {}), *errors]))
                    continue
                diff = _differences(test.expect, finding)
                results.append(CaseResult(plan_id, rule.id, test.name, evaluator, not diff, path.name, line,
                                          _expected(test.expect), _describe(finding, test.expect.gaps is not None),
                                          diff))
    if problems:
        raise InputError(problems)
    for rule_id, statuses in covered.items():
        if not by_id[rule_id].judged:
            if "advisory" not in statuses:
                results.append(CaseResult(plan_id, rule_id, "(coverage)", "-", False, "", None, "", "",
                                          [("rt_advisory_case", {"rule": rule_id})]))
            continue
        missing = [what for what, wanted in (("passing", PASSING), ("failing", FAILING))
                   if not statuses & set(wanted)]
        if missing:
            code = "rt_no_cases" if len(missing) == 2 else f"rt_no_{missing[0]}_case"
            results.append(CaseResult(plan_id, rule_id, "(coverage)", "-", False, "", None, "", "",
                                      [(code, {"rule": rule_id})]))
    return PlanResult(plan_id, folder, len(by_id), results)
