"""A case as one Excel workbook (.xlsx): a sheet for the cell, one per kind of fact (docs/case-format.md).

The workbook is measured (its zip directory: no bomb, not half saved) and opened by openpyxl once per
check; the cell sheet is read from that opening for the plan's id and year, and the data sheets streamed
from it when the plan's kinds are known (xlsx.py reads the sheets). Problems name the workbook, the sheet
and the cell as Excel shows them (D7).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from ...errors import CappedProblems, InputError, Problem, Where, cap_problems
from .. import files
from ..case import NO_PERIOD, Case, Record, Row
from ..schema import Schema
from ..validate import build_records, validate_cell
from .base import Source

if TYPE_CHECKING:
    from ..xlsx import Book


class WorkbookSource(Source):
    """One .xlsx file: opened (measured, then by openpyxl) the first time it is read, closed by `close`."""

    def __init__(self, path: Path):
        super().__init__(path)
        self._archive: list[Problem] | None = None  # what the zip's measure found
        self._handle: BinaryIO | None = None  # the measured file, until openpyxl takes it
        self._book: Book | None = None
        self._book_problems: list[Problem] = []
        self._opened = False
        self._header: dict[str, Any] | None = None

    @classmethod
    def claims(cls, path: Path) -> bool:
        return path.suffix.lower() == ".xlsx"

    @classmethod
    def found(cls, path: Path) -> bool:
        return path.is_file() and path.suffix.lower() == ".xlsx"

    @classmethod
    def owns(cls, target: Path) -> bool:
        """A workbook chibo would read as a case: it has the cell sheet (any case of its name)."""
        if target.suffix.lower() != ".xlsx" or not target.is_file():
            return False
        try:
            with zipfile.ZipFile(target) as archive:
                book = archive.read("xl/workbook.xml")
        except (OSError, KeyError, zipfile.BadZipFile):
            return False
        return b"Chi b" in book or b"cell" in book

    # ------------------------------------------------------------------ opened once

    def _measured(self) -> list[Problem]:
        if self._archive is None:
            from ..xlsx import checked_archive

            self._handle, self._archive = checked_archive(self.path)
        return self._archive

    def _open(self) -> Book | None:
        """The workbook opened by openpyxl, or None (the reason is in `_book_problems`)."""
        if not self._opened:
            self._opened = True
            problems = self._measured()
            if self._handle is None:
                self._book_problems = problems
            else:
                from ..xlsx import load_book

                self._book, self._book_problems = load_book(self._handle, self.path.name)
                self._handle = None  # the book's now (or closed, when openpyxl could not read it)
        return self._book

    def close(self) -> None:
        """Close the workbook; the source keeps only its path and header (it is the loaded case's Origin)."""
        book, handle = self._book, self._handle
        self._book, self._handle = None, None
        if book is not None:
            with contextlib.suppress(Exception):
                book.close()
        if handle is not None:
            handle.close()

    def __getstate__(self) -> dict[str, Any]:
        """A case crosses processes (a roll-up's workers) without what this source held open."""
        state = dict(self.__dict__)
        state["_book"] = state["_handle"] = None
        return state

    # ------------------------------------------------------------------ reading

    def problems(self) -> list[Problem]:
        """Only the measure of the zip: a workbook openpyxl cannot read is said by `load`, with its plan."""
        return list(self._measured())

    def header(self) -> dict[str, Any]:
        if self._header is None:
            from ..xlsx import read_cell_sheet

            book = self._open()
            self._header = {} if book is None else read_cell_sheet(book, self.path.name)
        return self._header

    def load(self, schema: Schema, period: tuple[dt.date, dt.date] = NO_PERIOD) -> Case:
        from ..xlsx import read_workbook

        book = self._open()
        if book is None:
            raise InputError(cap_problems(list(self._book_problems), self.path.name))
        records: dict[str, list[Record]] = {}
        codes: dict[str, set[str]] = {}
        unreadable: set[str] = set()
        sheet_problems: list[Problem] = []
        budget = files.Budget()

        def consume(kind: str, rows: Iterator[Row], where: Where, problems: list[Problem]) -> None:
            unreadable.add(kind)  # until its rows are all read
            loaded = build_records(kind, rows, problems, where, schema)
            budget.take(loaded.rows)
            records[kind] = loaded.records
            sheet_problems.extend(loaded.problems)
            codes[kind] = loaded.codes
            if loaded.readable and not any(p.line == 1 for p in loaded.problems):
                unreadable.discard(kind)

        cell_part, problems = read_workbook(book, self.path.name, schema, consume, budget, CappedProblems)
        problems += sheet_problems
        cell = None
        if cell_part is not None:
            data, lines = cell_part
            cell, cell_problems = validate_cell(data, lines, schema, self.path.name, schema.cell.sheet)
            problems += cell_problems
        return self.assemble(cell, records, schema, period, problems, codes, unreadable, budget.spent)

    # ------------------------------------------------------------------ how its places are named

    def place(self, kind: str, schema: Schema | None) -> str:
        """A kind's sheet (by its Vietnamese name); a kind the plan does not know, as a file would be named."""
        if schema is not None and kind in schema.kinds:
            return schema.sheet(kind)
        return f"{kind}.csv"

    def cell_where(self, schema: Schema | None) -> Where:
        if schema is not None:
            return Where(self.path.name, schema.cell.sheet)
        return Where("cell.yaml")

    def lacking(self, place: str, references: int) -> Problem:
        return Problem(self.path.name, None, None, "missing_sheet", str(references), None, place)

    def cell_problem(self, field: str, code: str, detail: str, value: str | None, schema: Schema) -> Problem:
        return Problem(self.path.name, None, field, code, detail, value, schema.cell.sheet)
