"""Input problems as data: every problem names its file, line/row and field, and the CLI prints all
of them at once in the user's language and exits 2 — never a traceback."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# A broken 200,000-row file must still give a readable report: the first problems of each file (or sheet),
# then one saying how many more there were; and at most so many in all (a folder of a thousand stray files).
MAX_PROBLEMS_PER_FILE = 100
MAX_PROBLEMS = 1000
MORE = "more_problems"
MAX_SHOWN = 200  # characters of a value or field name shown in a problem


def visible(text: str, limit: int = MAX_SHOWN) -> str:
    """Text as a problem shows it: a long value cut short, and every character one cannot see (a zero-width
    space pasted from the web, a control character from Word) named, e.g. P01⟨U+200B⟩: an "unknown code P01"
    is otherwise a riddle. Line breaks and tabs are left alone."""
    if len(text) > limit:
        text = text[:limit] + "…"
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else f"⟨U+{ord(ch):04X}⟩" for ch in text)


@dataclass(frozen=True)
class Problem:
    """One problem in the input. `line` is the CSV/YAML line or the Excel row; for a workbook `sheet`
    names the sheet and `cell` the A1 address (e.g. "D7"). The value and field are kept as a person can
    read them (`visible`)."""

    file: str
    line: int | None
    field: str | None
    code: str
    detail: str = ""
    value: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def __post_init__(self) -> None:
        for name in ("value", "field"):
            text = getattr(self, name)
            if isinstance(text, str) and (len(text) > MAX_SHOWN or not text.isprintable()):
                object.__setattr__(self, name, visible(text))


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


class Unreadable(InputError):
    """The case could not be opened at all (no such folder, a workbook Excel holds or that is half saved, no
    cell.yaml): nothing of it was read. A roll-up lists such a cell as unreadable, apart from bad values."""


class EngineUnavailable(Exception):
    """durable-rules could not be imported (typically CPython 3.13+, where it no longer builds)."""


class CappedProblems(list[Problem]):
    """The problems of one file (or sheet) as they are found: the first `limit` are kept, the rest only
    counted, so 200,000 bad rows do not hold 200,000 problems. `finish` adds the one saying how many more."""

    def __init__(self, limit: int = MAX_PROBLEMS_PER_FILE):
        super().__init__()
        self.limit = limit
        self.hidden = 0
        self.last: Problem | None = None
        self.codes: set[str] = set()  # of every problem, kept or not

    def append(self, problem: Problem) -> None:
        self.last = problem
        self.codes.add(problem.code)
        if len(self) < self.limit:
            super().append(problem)
        else:
            self.hidden += 1

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    # list's own += takes any iterable too (only its + wants a list), which typeshed cannot say of a subclass
    def __iadd__(self, problems: Iterable[Problem]) -> CappedProblems:  # type: ignore[override, misc]
        self.extend(problems)
        return self

    def finish(self) -> CappedProblems:
        if self.hidden and self.last is not None:
            super().append(Problem(self.last.file, None, None, MORE, str(self.hidden), None, self.last.sheet))
            self.hidden = 0
        return self


def cap_problems(problems: list[Problem], name: str = "", per_file: int = MAX_PROBLEMS_PER_FILE,
                 total: int = MAX_PROBLEMS) -> list[Problem]:
    """At most `per_file` problems of each file (or sheet), followed by one `more_problems` with the count
    left out, and at most `total` in all, the last one (on `name`, the case) counting the rest. In order."""
    shown: dict[tuple[str, str | None], int] = {}
    hidden: dict[tuple[str, str | None], int] = {}
    last: dict[tuple[str, str | None], int] = {}
    kept: list[Problem] = []
    over = 0
    for problem in problems:
        key = (problem.file, problem.sheet)
        if problem.code == MORE:
            hidden[key] = hidden.get(key, 0) + int(problem.detail or 0)
        elif shown.get(key, 0) >= per_file:
            hidden[key] = hidden.get(key, 0) + 1
        elif len(kept) >= total:
            over += 1
        else:
            shown[key] = shown.get(key, 0) + 1
            last[key] = len(kept)
            kept.append(problem)
    after: dict[int, list[Problem]] = {}
    for key, count in hidden.items():
        if key in last:
            after.setdefault(last[key], []).append(Problem(key[0], None, None, MORE, str(count), None, key[1]))
        else:
            over += count
    out: list[Problem] = []
    for index, problem in enumerate(kept):
        out.append(problem)
        out += after.get(index, [])
    if over:
        out.append(Problem(name, None, None, MORE, str(over)))
    return out
