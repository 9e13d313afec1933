"""Many cells at once: a commune committee's check or audit of every cell it oversees.

Each cell is loaded and judged on its own; a cell whose input is bad is reported with its
problems and the others go on. The roll-up orders cells worst first: cells that could not be
judged, then by critical, high, medium and low gaps, behind-pace counts and missing data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError, Problem, Unreadable
from ..facts import files
from ..judge.findings import OPEN
from ..ruleset.prepare import Prepared
from .audit import AuditReport, run_audit
from .check import Evaluator, Report, default_as_of, run_check
from .plans import Plans, load_checked

SEVERITIES = ("critical", "high", "medium", "low")


def is_case(path: Path) -> bool:
    return (path.is_dir() and (path / "cell.yaml").is_file()) or (path.is_file() and path.suffix.lower() == ".xlsx")


class Found(list[Path]):
    """The cases found, in order, and `skipped`: the lock, temporary, hidden and OS files left out of the
    folders searched, said once in the roll-up. A list, so every caller that takes the paths still does."""

    def __init__(self, paths: Iterable[Path] = (), skipped: Iterable[str] = ()):
        super().__init__(paths)
        self.skipped = list(skipped)


def discover(paths: list[Path]) -> Found:
    """Each argument is a case (a folder with cell.yaml, or a workbook) or a folder of cases.
    Anything else is kept as given, so loading it reports what is wrong with it. In a folder of cases,
    what a program left beside them (Excel's `~$…` lock file while a workbook is open, hidden and
    temporary files, Thumbs.db…) is not a cell: it is skipped and named in `skipped`."""
    found = Found()
    for path in paths:
        if is_case(path) or not path.is_dir():
            found.append(path)
            continue
        children = []
        for child in sorted(path.iterdir(), key=lambda c: c.name):
            if files.is_litter(child.name):
                found.skipped.append(str(child))
            elif child.is_dir() or child.suffix.lower() == ".xlsx":
                children.append(child)
        cases = [c for c in children if is_case(c)]
        found += cases or [path]
        # a sub-folder that looks meant as a case but lacks cell.yaml is reported, not skipped
        found += [c for c in children if c.is_dir() and not is_case(c) and any(c.glob("*.csv"))]
    return found


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


@dataclass
class Rollup:
    command: str  # check | audit
    quarter: str | None
    cells: list[CellResult]
    skipped: list[str] = field(default_factory=list)  # lock, temporary, hidden and OS files: not cells

    @property
    def crashed(self) -> bool:
        return any(c.crashed for c in self.cells)

    @property
    def exit_problems(self) -> bool:
        return any(c.status == "error" for c in self.cells)

    @property
    def has_gaps(self) -> bool:
        return any(c.status == "gaps" for c in self.cells)


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
        if command == "audit":
            return CellResult(path, audit=run_audit(case, plan.ruleset, plan.prepared, day, evaluator, only))
        return CellResult(path, report=run_check(case, plan.ruleset, plan.prepared, day, evaluator, only))
    except Exception as exc:  # a bug met on this cell: reported as this cell's failure, the others go on
        from ..crash import write_log

        log = write_log(exc, f"{command} {path}")
        return CellResult(path, problems=[Problem(path.name, None, None, "crash", str(log or ""))], crashed=True)


def run_rollup(
    paths: list[Path], plans: Plans, command: str, as_of: dt.date | None,
    quarter: str | None = None, evaluator: Evaluator = "engine", only: list[str] | None = None,
    progress: Callable[[Path], None] | None = None, jobs: int = 1, full: bool = False,
) -> Rollup:
    """Judge every cell, in `jobs` worker processes when more than one (jobs/parallel.py); without
    `full`, each cell keeps only what the roll-up shows, so memory does not grow with its records."""
    if jobs > 1 and len(paths) > 1:
        from .parallel import judge_all

        cells = judge_all(paths, plans, command, as_of, evaluator, only, full, jobs, progress)
    else:
        cells = []
        for path in paths:
            cell = check_one(path, plans, command, as_of, evaluator, only)
            if not full:
                cell.slim()
            cells.append(cell)
            if progress is not None:
                progress(path)
    cells.sort(key=CellResult.sort_key)
    return Rollup(command, quarter, cells, list(getattr(paths, "skipped", [])))
