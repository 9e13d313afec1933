"""A case folder: `cell.yaml` plus one CSV or YAML file per kind of fact (docs/case-format.md).

Every problem of every file is collected before anything is reported (a secretary fixes them in one pass);
files are only read, never written. A kind whose file is absent is "not provided", which the rules report as
no data — different from a file with a header and no rows, which says "none happened". Only regular files
are opened, each within a named limit (files.py); a link out of the folder is not followed. The problems of
one file are capped (the first hundred, then how many more), so a broken 200,000-row file still gives a
readable report. cell.yaml is read once, whether for the plan's id, its year or the load.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path
from typing import Any

from ...errors import CappedProblems, InputError, Problem, Where
from .. import files
from ..case import NO_PERIOD, Case, Record
from ..schema import Schema
from ..textfiles import read_cell_file, read_csv, read_yaml
from ..validate import Loaded, build_records, validate_cell
from .base import Source

SKIPPED_SUFFIXES = {".md", ".txt", ".pdf", ".docx", ".xlsx"}
CELL_FILE = "cell.yaml"


class FolderSource(Source):
    """A folder holding cell.yaml and a file per kind (people.csv, meetings.yaml…)."""

    _cell: tuple[dict[str, Any] | None, dict[str, int], list[Problem]] | None = None
    _escape: Problem | None = None

    @classmethod
    def claims(cls, path: Path) -> bool:
        return path.is_dir()

    @classmethod
    def found(cls, path: Path) -> bool:
        return path.is_dir() and (path / CELL_FILE).is_file()

    @classmethod
    def owns(cls, target: Path) -> bool:
        """cell.yaml itself, or any file beside one."""
        return target.name == CELL_FILE or (target.parent / CELL_FILE).is_file()

    @property
    def name(self) -> str:
        return CELL_FILE

    def _read_cell(self) -> tuple[dict[str, Any] | None, dict[str, int], list[Problem]]:
        """cell.yaml as data, the line of each key and its problems, read the first time it is asked for. A
        cell.yaml that is a link out of the folder is not read: that is its one problem."""
        if self._cell is None:
            cell_path = self.path / CELL_FILE
            self._escape = _entry_problem(cell_path, self.path) if os.path.lexists(cell_path) else None
            self._cell = (None, {}, [self._escape]) if self._escape else read_cell_file(cell_path)
        return self._cell

    def problems(self) -> list[Problem]:
        return list(self._read_cell()[2])

    def header(self) -> dict[str, Any]:
        return self._read_cell()[0] or {}

    def files(self) -> list[Path]:
        try:
            return [p for p in self.path.iterdir() if p.is_file()]
        except OSError:
            return []

    def load(self, schema: Schema, period: tuple[dt.date, dt.date] = NO_PERIOD) -> Case:
        data, lines, found = self._read_cell()
        if self._escape is not None:
            raise InputError([self._escape])
        problems = list(found)
        cell = None
        if data is not None:
            cell, cell_problems = validate_cell(data, lines, schema, CELL_FILE, None)
            problems += cell_problems
        records: dict[str, list[Record]] = {}
        sources: dict[str, str] = {}
        codes: dict[str, set[str]] = {}
        unreadable: set[str] = set()
        known = schema.models
        budget = files.Budget()
        try:
            entries = list(itertools.islice(self.path.iterdir(), files.MAX_FILES + 1))
        except OSError as exc:
            raise InputError([Problem(self.path.name, None, None, "unreadable", exc.strerror or str(exc))]) from None
        if len(entries) > files.MAX_FILES:
            raise InputError([Problem(self.path.name, None, None, "too_many_files", str(files.MAX_FILES))])
        for path in sorted(entries):
            if path.name == CELL_FILE or path.suffix.lower() in SKIPPED_SUFFIXES or files.is_litter(path.name):
                continue  # hidden, Excel's ~$people.csv while the file is open, Thumbs.db…: never a fact file
            kind = path.stem
            escape = _entry_problem(path, self.path)
            if escape is not None:
                problems.append(escape)
                if kind in known:
                    unreadable.add(kind)  # its own problem is reported; references into it are not echoed
                continue
            if path.is_dir() or kind not in known or path.suffix not in (".csv", ".yaml", ".yml"):
                problems.append(Problem(path.name, None, None, "unknown_file", ", ".join(known)))
                continue
            if kind in sources:
                problems.append(Problem(path.name, None, None, "two_sources", sources[kind]))
                continue
            sources[kind] = path.name
            if budget.spent:  # the case's limit is reached: said once, on the file that reached it
                unreadable.add(kind)
                continue
            loaded = _load_kind(path, kind, schema, budget)
            records[kind] = loaded.records
            problems += loaded.problems
            codes[kind] = loaded.codes
            if not loaded.readable:
                unreadable.add(kind)
        return self.assemble(cell, records, schema, period, problems, codes, unreadable, budget.spent)


def _load_kind(path: Path, kind: str, schema: Schema, budget: files.Budget) -> Loaded:
    reader = read_csv if path.suffix == ".csv" else read_yaml
    problems = CappedProblems()
    rows = reader(path, schema.models[kind], schema, problems, budget)
    loaded = build_records(kind, rows, problems, Where(path.name), schema)
    budget.take(loaded.rows)
    return loaded


def _entry_problem(path: Path, folder: Path) -> Problem | None:
    """A file of the case that is a link out of its folder, or a link loop: not read. Only a link can lead
    out (an entry of the folder that is not a link is in it), so only links are resolved: two resolves
    per file were a tenth of loading a cell."""
    if not path.is_symlink():
        return None
    try:
        real = files.resolves(path)
    except files.Refused as refused:
        return refused.problem(path.name)
    return None if real.parent == folder.resolve() else Problem(path.name, None, None, "not_in_case", str(real))
