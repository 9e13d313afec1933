"""A job is one module: registered in jobs/registry.py with what the command line, the roll-up and every renderer
need from it, so adding one touches no other file (issue 20, item 3), and nothing branches on a job's name.

The toy job lives in a temporary module (its job and its view in one file here): it judges only a plan's critical
rules. It gets a command, a report in every format, its JSON, its exit code and a roll-up row, run in-process
on cases/vbn1-2020 and on the example folder of cases.
"""

from __future__ import annotations

import json
import re
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from chibo_rules.jobs import registry

from .clirun import invoke_chibo
from .conftest import ROOT

CASE = ROOT / "cases" / "vbn1-2020"

TOY = textwrap.dedent('''
    """A toy job: a cell's critical requirements only, with its own one-section report and JSON."""
    from chibo_rules.jobs.check import run_check
    from chibo_rules.jobs.registry import Job, register
    from chibo_rules.report.document import Document, Paragraph, Section


    def run(case, plan, as_of, evaluator, only):
        critical = [p for p in plan.prepared if p.rule.severity == "critical"]
        return run_check(case, plan.ruleset, critical, as_of, evaluator, only)


    def failing(report, strict=False):
        return report.counts()["gap"] > 0


    def document(report, lang, sources=True):
        lines = [f"{p.id}: {f.status}" for p, f in report.results]
        return Document(lang, "TOY REPORT", [("as_of", report.as_of.isoformat())], ["critical only"],
                        [Section("critical", [Paragraph(["; ".join(lines)])])])


    def json(report, lang):
        return {"schema": "toy/1", "results": {p.id: f.status for p, f in report.results}}


    JOB = register(Job("toy", run="toyjob:run", document="toyjob:document", json="toyjob:json",
                       failing="toyjob:failing", options=("cases", "as_of", "lang", "format", "output", "rules",
                                                          "plans", "evaluator", "full", "jobs", "force")))
''')


@pytest.fixture
def toy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[registry.Job]:
    """The toy job's module imported from a temporary folder; its command added to the app the way the app adds
    every job's (cli/check.add_job_command), and both removed afterwards."""
    from chibo_rules import cli
    from chibo_rules.cli.check import add_job_command

    (tmp_path / "toyjob.py").write_text(TOY, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import toyjob  # type: ignore[import-not-found]

    before = list(cli.app.registered_commands)
    add_job_command(cli.app, toyjob.JOB)
    try:
        yield toyjob.JOB
    finally:
        cli.app.registered_commands[:] = before
        registry.unregister("toy")
        sys.modules.pop("toyjob", None)


def test_a_toy_job_from_one_module_runs_on_one_case(toy: registry.Job):
    """Its command, its report, its JSON and its exit code: all from its own module."""
    table = invoke_chibo("toy", CASE, "--evaluator", "oracle", cwd=ROOT)
    assert "TOY REPORT" in table.stdout and "critical only" in table.stdout, table.stdout + table.stderr
    data = invoke_chibo("toy", CASE, "--evaluator", "oracle", "--format", "json", cwd=ROOT)
    payload = json.loads(data.stdout)
    assert payload["schema"] == "toy/1" and payload["results"], payload
    statuses = list(payload["results"].values())
    assert data.returncode == (1 if "gap" in statuses else 0) == table.returncode
    full = invoke_chibo("check", CASE, "--evaluator", "oracle", "--format", "json", cwd=ROOT)
    critical = {r["id"] for r in json.loads(full.stdout)["rules"] if r["severity"] == "critical"}
    assert set(payload["results"]) == critical and critical


def test_a_toy_job_has_a_rollup_row_per_cell(toy: registry.Job):
    """Many cells: the roll-up's rows and, with --full, each cell's report come from the toy's module."""
    run = invoke_chibo("toy", ROOT / "cases", "--evaluator", "oracle", "--format", "json", "--full", "--jobs", "1",
                       cwd=ROOT)
    data = json.loads(run.stdout)
    assert data["schema"] == "chibo.rollup/1" and data["command"] == "toy"
    judged = [c for c in data["cells"] if c["report"] is not None]
    assert judged and all(c["report"]["schema"] == "toy/1" for c in judged)
    markdown = invoke_chibo("toy", ROOT / "cases", "--evaluator", "oracle", "--format", "markdown", "--full",
                            "--jobs", "1", cwd=ROOT)
    assert markdown.stdout.count("critical only") == len(judged)


def test_the_help_lists_a_registered_job_and_its_options(toy: registry.Job):
    run = invoke_chibo("toy", "--help", cwd=ROOT)
    assert run.returncode == 0
    assert "--as-of" in run.stdout and "--full" in run.stdout and "--quarter" not in run.stdout


def test_no_code_branches_on_a_jobs_name():
    """What differs between jobs is said by their Job (registry), never by comparing a command with a job's
    name. A rule's own `job:` field (a plan's rule for the meeting checklist) is another thing: left out."""
    names = "|".join(re.escape(job.name) for job in registry.jobs())
    compared = re.compile(rf"""(==|!=)\s*["']({names})["']|["']({names})["']\s*(==|!=)""")
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in sorted((ROOT / "chibo_rules").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if compared.search(line) and not re.search(r"\.job\b|\bJOB\b", line)]
    assert found == []
    assert [job.name for job in registry.jobs()][:2] == ["check", "audit"]


def test_no_command_line_function_takes_more_than_six_positional_parameters():
    """Options travel as a JobOptions or as keywords (typer passes them so), never as a row of 14 positional
    arguments where two swapped booleans go unnoticed."""
    import ast

    modules = [*(ROOT / "chibo_rules" / "cli").glob("*.py"), *(ROOT / "chibo_rules").glob("cli*.py")]
    wide = [f"{path.relative_to(ROOT)}:{node.name}" for path in sorted(modules)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef) and len(node.args.posonlyargs) + len(node.args.args) > 6]
    assert modules and wide == []


def test_the_review_is_a_registered_job_run_through_the_generic_contract():
    """`chibo review` is the registry's `review` entry (its own command, like ready's): its run takes what every
    job's run takes, and gives what the command's JSON says (vbn1-2020, 2020: 77.39 points, not completed)."""
    import datetime as dt

    from chibo_rules.jobs.plans import Plans, load_checked

    review = registry.get("review")
    assert review.command == "chibo_rules.cli.review:review" and not review.in_history and review.asks == "year"
    assert "review" not in registry.history_jobs() and "ready" not in registry.history_jobs()
    case, plan = load_checked(CASE, Plans())
    result = review.call("run", case, plan, dt.date(2020, 12, 31), "oracle", None)
    data = review.call("json", result, "en")
    assert (data["terms"]["points"], data["proposal"]["level"]) == (77.3889, "not_complete")
    assert review.call("failing", result, False) is True and review.judged(result) is result.report
    run = invoke_chibo("review", str(CASE), "--year", "2020", "--format", "json", "--evaluator", "oracle", cwd=ROOT)
    assert run.returncode == 1 and json.loads(run.stdout)["terms"] == data["terms"]
