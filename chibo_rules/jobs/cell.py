"""One cell of a roll-up: judged by its own plan, its result (report, audit or problems) as the roll-up reads it.

Its own module so that the serial roll-up (jobs/rollup.py) and the worker processes (jobs/parallel.py)
both import it, and neither imports the other's module for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, Problem, Unreadable
from ..judge.findings import OPEN
from ..ruleset.prepare import Prepared
from . import registry
from .check import Evaluator, Report, default_as_of
from .plans import Plans, load_checked

if TYPE_CHECKING:
    from .audit import AuditReport

SEVERITIES = ("critical", "high", "medium", "low")


@dataclass
class CellResult:
    path: Path
    report: Report | None = None
    audit: AuditReport | None = None
    problems: list[Problem] = field(default_factory=list)
    # chibo failed on this cell (a bug, its details in a log file): the roll-up exits 3
    crashed: bool = False
    # the case could not be opened at all (a workbook open in Excel, half saved, no cell.yaml): its row says so
    unreadable: bool = False

    @property
    def judged(self) -> Report | None:
        return self.audit.report if self.audit else self.report

    @property
    def status(self) -> str:
        if self.problems or self.judged is None:
            return "error"
        return "gaps" if any(f.status in OPEN for _, f in self.judged.results) else "ok"

    @property
    def verdict(self) -> str:
        """The cell's word in the roll-up, in the statuses of its own report: error, gap (a requirement
        failed), behind_pace (none failed, some are behind their milestones: an audit's own status, not a
        gap), passed. `status` (ok/gaps/error) stays what the exit code and the JSON read."""
        if self.status == "error" or self.judged is None:
            return "error"
        found = {f.status for _, f in self.judged.results}
        return next((s for s in OPEN if s in found), "passed")

    def slim(self) -> None:
        """Drop what only a cell's full report reads (its records, the facts as evaluated), keeping what
        the roll-up's table and JSON read: a roll-up of 10,000 cells holds no cell's records. An audit
        holds the previous quarter's report over the same case too."""
        reports = [self.audit.report, self.audit.previous] if self.audit else [self.report]
        for report in reports:
            if report is not None:
                report.sources = report.gap_sources()
                report.lookup = {}
                report.case = replace(report.case, records={})

    def worst(self, n: int = 3) -> list[tuple[Prepared, str]]:
        """The open requirements of highest severity (then plan order)."""
        if self.judged is None:
            return []
        flagged = [(p, f.status) for p, f in self.judged.results if f.status in OPEN]
        return sorted(flagged, key=lambda pf: (SEVERITIES.index(pf[0].rule.severity), pf[1] != "gap", pf[0].id))[:n]

    def sort_key(self) -> tuple:
        if self.judged is None:
            return (0, self.path.name)
        counts = {s: 0 for s in SEVERITIES}
        for p, f in self.judged.results:
            if f.status == "gap":
                counts[p.rule.severity] += 1
        totals = self.judged.counts()
        return (1, *(-counts[s] for s in SEVERITIES), -totals.get("behind_pace", 0), -totals["no_data"],
                self.path.name)


def check_one(
    path: Path, plans: Plans, command: str, as_of: dt.date | None, evaluator: Evaluator, only: list[str] | None,
) -> CellResult:
    """One cell of a roll-up, judged by its own plan; its input problems are its result."""
    try:
        case, plan = load_checked(path, plans)
    except InputError as err:
        return CellResult(path, problems=err.problems, unreadable=isinstance(err, Unreadable))
    period = plan.ruleset.plan
    if as_of is not None and not period.start <= as_of <= period.end:
        # a date outside this cell's plan judges nothing: said for this cell, the others go on
        detail = f"{as_of.isoformat()} ∉ {period.start.isoformat()}…{period.end.isoformat()} ({plan.id})"
        return CellResult(path, problems=[Problem(path.name, None, None, "as_of_outside", detail)])
    day = as_of or default_as_of(case)
    try:
        job = registry.get(command)  # the job says which field of the cell holds its result
        return CellResult(path, **{job.cell: job.call("run", case, plan, day, evaluator, only)})
    except Exception as exc:  # a bug met on this cell: reported as this cell's failure, the others go on
        from ..crash import write_log

        log = write_log(exc, f"{command} {path}")
        return CellResult(path, problems=[Problem(path.name, None, None, "crash", str(log or ""))], crashed=True)
