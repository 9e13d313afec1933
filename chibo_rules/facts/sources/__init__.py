"""Sources of facts: what counts as a case, decided in one place, and each kind of case one module.

A source (base.Source) gives the cell's header (cell.yaml's content), its records per kind with their
locations (file and line, or sheet, row and cell), its name for messages and the files that belong to it.
`open_case(path)` picks the source that reads a path (the first registered that claims it), after the
checks every path gets (files.case_kind: missing, a lock file, a FIFO, an old .xls…); `is_case` is the
roll-up's test of a path met in a folder, and `owns` tells writing.py which files are a case's own.

The sources chibo reads are a folder (folder.py) and a workbook (workbook.py). A new one is one module: a
Source subclass passed to `register` (tests/test_sources.py reads a JSON file as a case that way).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ... import writing
from ...errors import InputError, Problem, Unreadable
from .. import files
from ..case import NO_PERIOD, Case
from ..schema import Schema
from .base import Source
from .folder import FolderSource
from .workbook import WorkbookSource

__all__ = ["Source", "case_files", "is_case", "load_case", "open_case", "owns", "precheck", "register"]

# the kinds of case chibo reads, asked in this order
SOURCES: list[type[Source]] = [FolderSource, WorkbookSource]


def register(source: type[Source]) -> type[Source]:
    """Read cases of another kind: `source` is asked after those registered before it (usable as a decorator)."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def open_case(path: Path | str) -> Source:
    """The source that reads `path`, not yet read (it reads on first use; close it, or use `with`).
    Unreadable when no source reads it, saying what it is: no such folder, an .xls, a zip, a lock file…"""
    path = Path(path)
    _, problem = files.case_kind(path)
    if problem is not None:
        raise Unreadable([problem])
    for source in SOURCES:
        if source.claims(path):
            return source(path)
    raise Unreadable([files.not_a_case(path)])


def is_case(path: Path) -> bool:
    """Whether a path met in a folder of cases is a case (a folder with cell.yaml, a workbook…)."""
    return any(source.found(path) for source in SOURCES)


def owns(target: Path) -> bool:
    """Whether writing `target` would replace a file of a case (cell.yaml, a file beside it, a case workbook)."""
    return any(source.owns(target) for source in SOURCES)


def case_files(path: Path) -> list[Path]:
    """The files of the case at `path` (a path no source reads: itself, when it is a file)."""
    try:
        with open_case(path) as source:
            return source.files()
    except InputError:
        return [path] if path.is_file() else []


# writing.py sits below facts/: it is told what a case's files are rather than importing this package
writing.recognise_cases(owns, case_files)


def precheck(path: Path | str) -> list[Problem]:
    """What is wrong with a case before its plan is known (its header names the plan): no such folder, a file
    that is not a case, a workbook that may not be opened, a cell.yaml that is missing or unreadable."""
    try:
        with open_case(path) as source:
            return source.problems()
    except InputError as err:
        return err.problems


def load_case(path: Path | str, schema: Schema, period: tuple[dt.date, dt.date] = NO_PERIOD) -> Case:
    """Read a case with the kinds of `schema` (its plan's); records must be dated within `period` (the
    plan's). Raise InputError listing every problem of every file."""
    with open_case(path) as source:
        return source.load(schema, period)
