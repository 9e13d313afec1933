"""Input problems as data: every problem names its file, line/row and field, and the CLI prints all
of them at once in the user's language and exits 2 — never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in the input. `line` is the CSV/YAML line or the Excel row; for a workbook `sheet`
    names the sheet and `cell` the A1 address (e.g. "D7")."""

    file: str
    line: int | None
    field: str | None
    code: str
    detail: str = ""
    value: str | None = None
    sheet: str | None = None
    cell: str | None = None


@dataclass(frozen=True)
class Where:
    """Where rows of one kind come from: a CSV/YAML file, or one sheet of a workbook, whose columns
    are known by letter so a problem can name its cell ("D7") as Excel shows it."""

    file: str
    sheet: str | None = None
    columns: tuple[tuple[str, str], ...] = ()

    def cell(self, field: str | None, line: int | None) -> str | None:
        column = dict(self.columns).get(field or "")
        return f"{column}{line}" if column and line else None

    def problem(self, line: int | None, field: str | None, code: str, detail: str = "",
                value: str | None = None) -> Problem:
        return Problem(self.file, line, field, code, detail, value, self.sheet, self.cell(field, line))


class InputError(Exception):
    """Raised with every problem found in the input, so a secretary can fix them in one pass."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} input problem(s)")
        self.problems = problems


class EngineUnavailable(Exception):
    """durable-rules could not be imported (typically CPython 3.13+, where it no longer builds)."""
