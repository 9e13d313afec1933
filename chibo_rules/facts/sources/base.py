"""What a source of facts gives chibo: the protocol every kind of case (a folder, a workbook…) implements.

A check reads a case in two steps, because the case names its plan: first the cell's own values (the
header: which plan, which year), then — with the plan's kinds known — every record. Before sources were
modules, each step opened the case again (cell.yaml read five times, a workbook loaded three times per
check); a Source is opened once and keeps what it read, so both steps and every message share one reading.

A source is also what the rest of chibo asks about a case's files: whether a path is a case at all (the
roll-up's search of a folder), and whether writing a file would replace one of a case's own (writing.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import TracebackType
from typing import Any

from ...errors import InputError, Problem, cap_problems
from ..case import NO_PERIOD, Case, Origin
from ..schema import Schema
from ..validate import check_references, check_years


class Source(Origin):
    """One case, opened. Subclasses read one kind of case; `sources.register` makes chibo read it.

    The header is read at most once, when first asked for (`problems`, `header`, `value`), and `load` reuses
    it; whatever the source holds open is let go by `close` (a Source is a context manager). The loaded Case
    keeps the source as its `Origin` (how its places are named), so a closed source must hold no open file."""

    def __init__(self, path: Path):
        self.path = path

    # ------------------------------------------------------------------ what counts as a case of this kind

    @classmethod
    def claims(cls, path: Path) -> bool:
        """Given as a case (`chibo check PATH`), this source reads `path`: then its problems are this source's
        to say. Only the name and the kind of file are looked at (the file is not read)."""
        raise NotImplementedError

    @classmethod
    def found(cls, path: Path) -> bool:
        """Met while searching a folder of cases, `path` is a case of this kind (a roll-up judges it)."""
        return cls.claims(path)

    @classmethod
    def owns(cls, target: Path) -> bool:
        """Writing `target` would replace a file that is part of a case of this kind (never allowed)."""
        return cls.found(target)

    # ------------------------------------------------------------------ reading

    @property
    def name(self) -> str:
        """The file a secretary opens to change the cell's own values: problems of the plan are said there."""
        return self.path.name

    def problems(self) -> list[Problem]:
        """What keeps the case from being read at all, said before its plan is known ([] when it may be)."""
        return []

    def header(self) -> dict[str, Any]:
        """The cell's own values as written (cell.yaml's content), read before the plan is known: {} when
        they cannot be read (`load` then says why)."""
        return {}

    def value(self, key: str) -> str | None:
        """One value of the header as text (the plan's id, the plan year), or None when it is not given."""
        value = self.header().get(key)
        return str(value).strip() if isinstance(value, (str, int)) and str(value).strip() else None

    def load(self, schema: Schema, period: tuple[dt.date, dt.date] = NO_PERIOD) -> Case:
        """Every record of the case with the kinds of `schema` (its plan's), dated within `period`; InputError
        listing every problem of every file or sheet."""
        raise NotImplementedError

    def assemble(self, cell: Any, records: dict[str, list[Any]], schema: Schema, period: tuple[dt.date, dt.date],
                 problems: list[Problem], codes: dict[str, set[str]], unreadable: set[str], spent: bool) -> Case:
        """The Case from what `load` read, or InputError with every problem: no cell, no case; a lacking file or
        sheet is said first, then the rows' problems, then references that resolve nowhere and records outside the
        plan's years. References into a kind that could not be read, or into any kind once the case's reading
        budget was `spent`, are not echoed (its own problem says why)."""
        if cell is None:
            raise InputError(cap_problems(problems, self.path.name))
        if spent:
            unreadable = unreadable | set(schema.models)
        case = Case(self.path, cell, records, schema, *period, origin=self)
        lacking, unresolved = check_references(case, codes, unreadable)
        problems = lacking + problems + unresolved + check_years(case, schema)
        if problems:
            raise InputError(cap_problems(problems, self.path.name))
        return case

    def files(self) -> list[Path]:
        """The files that belong to the case (a hard or symbolic link to one is never written over)."""
        return [self.path] if self.path.is_file() else []

    def close(self) -> None:
        """Let go of whatever the source holds open."""

    def __enter__(self) -> Source:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
