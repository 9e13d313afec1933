"""Input problems as data: every problem names its file, line/row and field, and the CLI prints all
of them at once in the user's language and exits 2 — never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    code: str
    detail: str = ""
    value: str | None = None


class InputError(Exception):
    """Raised with every problem found in the input, so a secretary can fix them in one pass."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} input problem(s)")
        self.problems = problems


class EngineUnavailable(Exception):
    """durable-rules could not be imported (typically CPython 3.13+, where it no longer builds)."""
