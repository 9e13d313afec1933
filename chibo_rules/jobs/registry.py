"""The jobs chibo runs on a cell (check, audit, ready…), one entry each: what the command line, the roll-up and
every renderer need from a job, so that none of them branches on a job's name.

A job's parts are named "module:attribute" and imported when first used: `chibo --help` imports no job, no
renderer and no engine (issue 20, item 8). Adding a job is its module (how it judges one cell, and its `Job`
registered with `register`) and its view (its Document and JSON); the command line builds its command from
`options`, names of the shared option sets in cli/options.py.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def resolve(ref: str) -> Any:
    """"package.module:name" -> the object, imported now."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class Job:
    """One job. The callables, each "module:function":
    `run(case, plan, day, evaluator, only)` judges one cell (plan: jobs.plans.Plan) and returns its result;
    `document(result, lang, sources=True)` and `json(result, lang)` render it;
    `failing(result, strict)` is True when the command exits 1 (gaps; with --strict, missing data too);
    `report(result)` is the judged Report in it (what --save stores and the roll-up ranks).

    The rest is data: `help`, the key of its help in clihelp; `options`, its command's options in the order
    the help lists them; `cell`, the field of a roll-up's CellResult that holds its result; `rollup_count`, the
    words' key of a roll-up's one-line summary; `by_quarter`, a command with --quarter whose roll-up is titled by
    the quarter; `compares_stored`, a result compared with the cell's stored submission of the previous quarter
    (cli/history.Saver); `command`, "module:function" of a typer command of the job's own, for a job whose
    options are not the shared sets alone (ready: one case, a meeting, an agenda and minutes to write)."""

    name: str
    run: str
    document: str
    json: str
    failing: str
    report: str = ""
    help: str = ""
    options: tuple[str, ...] = ()
    cell: str = "report"
    rollup_count: str = "cells_count"
    by_quarter: bool = False
    compares_stored: bool = False
    command: str = ""
    # what a page asks for before running it ("": nothing, the cell's own date; "quarter"; "meeting": a date,
    # and the job then has the meeting's minutes and agenda to download; "year": the year-end review's), and
    # "module:function" giving what the store keeps of a result as (report, extra reports) — by default its Report
    asks: str = ""
    stored: str = ""
    # its saved runs are a quarter's submission in a cell's history (`chibo history`, the page's charts): check
    # and audit judge the plan's rules; readiness judges one meeting, so it is kept but not charted
    in_history: bool = True
    # "module:function(store, result)": what a result reads from the store where one is open, before it is shown
    # (the review: last year's shortcomings and what became of them)
    from_store: str = ""

    def call(self, part: str, *args: Any, **kwargs: Any) -> Any:
        """One of the job's callables (run, document, json, failing, report), imported now and called."""
        ref = getattr(self, part)
        return resolve(ref)(*args, **kwargs) if ref else args[0]

    def judged(self, result: Any) -> Any:
        """The Report in a result (the result itself for a check)."""
        return self.call("report", result)

    def kept(self, result: Any) -> tuple[Any, list[Any] | None]:
        """What the store keeps of a result: its Report and any more reports of the same run."""
        return resolve(self.stored)(result) if self.stored else (self.judged(result), None)


_JOBS: dict[str, Job] = {}


def register(job: Job) -> Job:
    """Add (or replace) a job; the command line lists it after the built-in ones."""
    _JOBS[job.name] = job
    return job


def unregister(name: str) -> None:
    """Remove a job (a test's toy job, when the test is done)."""
    _JOBS.pop(name, None)


def get(name: str) -> Job:
    return _JOBS[name]


def history_jobs() -> tuple[str, ...]:
    """The jobs whose stored runs make a cell's history by default (Job.in_history)."""
    return tuple(job.name for job in jobs(lambda job: job.in_history))


def jobs(where: Callable[[Job], bool] = lambda job: True) -> list[Job]:
    """Every registered job, in the order registered (the order of the commands in `chibo --help`)."""
    return [job for job in _JOBS.values() if where(job)]


_COMMON = ("lang", "format", "output", "only", "rules", "plans", "evaluator")
_AFTER = ("jobs", "force", "save", "store", "keep_facts")

register(Job(
    "check", run="chibo_rules.jobs.check:run_cell", document="chibo_rules.report.views:check_document",
    json="chibo_rules.report.jsonout:to_json", failing="chibo_rules.jobs.check:failing", help="check",
    options=("cases", "as_of", *_COMMON, "strict", "full", *_AFTER),
))
register(Job(
    "audit", run="chibo_rules.jobs.audit:run_cell", document="chibo_rules.report.views:audit_document",
    json="chibo_rules.report.jsonout:audit_json", failing="chibo_rules.jobs.audit:failing",
    report="chibo_rules.jobs.audit:report_of", help="audit",
    options=("cases", "quarter", "audit_as_of", *_COMMON, "full", *_AFTER),
    cell="audit", rollup_count="cells_count_audit", by_quarter=True, compares_stored=True, asks="quarter",
))
register(Job(
    "ready", run="chibo_rules.jobs.ready:run_cell", document="chibo_rules.report.views:ready_document",
    json="chibo_rules.report.jsonout:ready_json", failing="chibo_rules.jobs.ready:failing", help="ready",
    command="chibo_rules.cli.check:ready", asks="meeting", stored="chibo_rules.jobs.ready:stored", in_history=False,
))
register(Job(
    "review", run="chibo_rules.jobs.review:run_cell", document="chibo_rules.report.review:review_document",
    json="chibo_rules.report.review:review_json", failing="chibo_rules.jobs.review:failing",
    report="chibo_rules.jobs.review:report_of", help="review", command="chibo_rules.cli.review:review",
    asks="year", in_history=False, from_store="chibo_rules.store.queries:fill_remedy",
))
