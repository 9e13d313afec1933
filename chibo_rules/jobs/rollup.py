"""Many cells at once: a commune committee's check or audit of every cell it oversees.

Each cell is loaded and judged on its own; a cell whose input is bad is reported with its
problems and the others go on. The roll-up orders cells worst first: cells that could not be
judged, then by critical, high, medium and low gaps, behind-pace counts and missing data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..facts import files, sources
from .cell import SEVERITIES, CellResult, check_one
from .check import Evaluator
from .plans import Plans

__all__ = ["SEVERITIES", "CellResult", "Found", "Rollup", "check_one", "discover", "is_case", "run_rollup"]

def is_case(path: Path) -> bool:
    """A case found in a folder of cases (the sources of facts decide: facts/sources/)."""
    return sources.is_case(path)


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
            elif child.is_dir() or is_case(child):
                children.append(child)
        cases = [c for c in children if is_case(c)]
        found += cases or [path]
        # a sub-folder that looks meant as a case but lacks cell.yaml is reported, not skipped
        found += [c for c in children if c.is_dir() and not is_case(c) and any(c.glob("*.csv"))]
    return found


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
