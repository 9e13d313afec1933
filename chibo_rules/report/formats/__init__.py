"""The output formats: one module each in this package, registering itself (`register`), found on first use.

Why a registry: the --format choices of every command, the marker that lets `-o` replace an earlier output of
the same format (writing.py), the help text and the rendering itself all come from one Format, so adding a
format is adding one module here. A format renders what a command hands it (`Source`): the report's Document,
its JSON data, and for `chibo history` the SVG charts of an HTML page. Renderers are imported when used, so
listing the formats (for the CLI's choices and help) stays cheap.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from ... import writing

#: the commands that render a report; `chibo history` renders too, and some formats only there
REPORTS, HISTORY = "report", "history"


@dataclass(frozen=True)
class Source:
    """What a command hands a format; each part is built only if the format asks for it."""

    document: Callable[[], Any]
    data: Callable[[], Any]
    charts: Callable[[], list[str]] | None = None


@dataclass(frozen=True)
class Format:
    """One output format. `text` renders a text format (printed, or written as UTF-8); `binary` writes a file
    format to a stream (it needs --output); `terminal` shows the report on a terminal instead of `text`.
    `marker`: bytes every output of this format carries near its start or end, so a later -o may replace it.
    `words`: its help (Vietnamese, English); `history_words`: in `chibo history`'s shorter help (default:
    its name). `kind`: its name for writing.py (default: `name`). `commands`:
    where it is a choice (REPORTS, HISTORY)."""

    name: str
    order: int
    words: tuple[str, str]
    marker: tuple[bytes, ...]
    text: Callable[[Source], str] | None = None
    binary: Callable[[Source, IO[bytes]], None] | None = None
    terminal: Callable[[Source, Any], None] | None = None
    kind: str = ""
    history_words: tuple[str, str] | None = None
    commands: frozenset[str] = field(default_factory=lambda: frozenset({REPORTS, HISTORY}))

    @property
    def file_only(self) -> bool:
        """A file format (a Word document) is never printed: it needs --output."""
        return self.text is None and self.terminal is None

    @property
    def write_kind(self) -> str:
        return self.kind or self.name

    def show(self, source: Source, console: Any) -> None:
        """On the terminal (stdout): the terminal view if it has one, else its text."""
        if self.terminal is not None:
            self.terminal(source, console)
        else:
            assert self.text is not None  # file_only formats are refused before any work
            sys.stdout.write(self.text(source))

    def write(self, source: Source, stream: IO[bytes]) -> None:
        """To an output file."""
        if self.binary is not None:
            self.binary(source, stream)
        else:
            assert self.text is not None
            stream.write(self.text(source).encode("utf-8"))


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Called by each format module when it is imported; its marker goes to writing.py, which tells an earlier
    output of the format from someone's own file."""
    _FORMATS[fmt.name] = fmt
    writing.register_marker(fmt.write_kind, fmt.marker)
    return fmt


def _load() -> dict[str, Format]:
    """Import every module of this package (every folder of __path__, also one added later) not imported yet:
    each registers its format."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        name = f"{__name__}.{module.name}"
        if not module.name.startswith("_") and name not in sys.modules:
            importlib.import_module(name)
    return _FORMATS


def formats(command: str = REPORTS) -> list[Format]:
    """The formats a command offers, in the order the help lists them."""
    return sorted((f for f in _load().values() if command in f.commands), key=lambda f: (f.order, f.name))


def get(name: str) -> Format:
    return _load()[name]


def marker(kind: str) -> tuple[bytes, ...]:
    """The marker of the format written as `kind` (writing.py's name for it); none for an unknown kind."""
    return next((f.marker for f in _load().values() if f.write_kind == kind), ())


def _words(fmt: Format, command: str) -> tuple[str, str]:
    if command == HISTORY:
        return fmt.history_words or (fmt.name, fmt.name)
    return fmt.words


def help_words(command: str, lang: str) -> str:
    """`--format`'s help: every format's words, "a, b hoặc c." / "a, b or c."."""
    words = [_words(f, command)[0 if lang == "vi" else 1] for f in formats(command)]
    last = " hoặc " if lang == "vi" else " or "
    return (", ".join(words[:-1]) + last + words[-1] if len(words) > 1 else "".join(words)) + "."


_load()  # every format registered (and its marker known to writing.py) once this package is imported
