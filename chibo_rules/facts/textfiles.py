"""Reading a fact file of text: a CSV file streamed line by line, a YAML file (and cell.yaml) parsed whole.

The readers of a case folder (sources/folder.py); a new source of text files may use them too. They hand
rows to validation (validate.py) as they read, and note every problem of a file (its encoding, quoting,
header, duplicate keys…) on its line; nothing is written, and each file is opened within its limit (files.py).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .. import safeyaml
from ..errors import Problem
from . import files
from .case import Row
from .models import Fact
from .schema import Schema
from .values import blank_to_none


def _byte_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


class _NotUtf8(Exception):
    def __init__(self, line: int, column: int, what: str = "byte"):
        super().__init__(line, column)
        self.line, self.column, self.what = line, column, what


class _LineTooLong(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


class _Lines:
    """The lines of a CSV file, as text for csv.reader, so a byte that is not UTF-8 is reported on its own
    line. Lines end with LF or CRLF — or, in a file saved by an old Mac (no LF in its first 64 KiB), with
    CR alone. A line longer than files.MAX_LINE_BYTES is refused, never held whole. The lines of the
    record being read are kept (`record`), to name the line a runaway quote opened on."""

    HEAD = 1 << 16

    def __init__(self, handle: Any):
        self.handle = handle
        head = handle.read(self.HEAD)
        handle.seek(0)
        self.cr_only = b"\r" in head and b"\n" not in head
        self.number = 0
        self.record: list[tuple[int, str]] = []

    def raw(self) -> Iterator[bytes]:
        limit = files.MAX_LINE_BYTES
        if not self.cr_only:
            yield from iter(lambda: self.handle.readline(limit + 1), b"")
            return
        rest = b""
        for chunk in iter(lambda: self.handle.read(1 << 20), b""):
            parts = (rest + chunk).split(b"\r")
            rest = parts.pop()
            yield from (part + b"\r" for part in parts)
            if len(rest) > limit:
                yield rest
                return
        if rest:
            yield rest

    def count(self, stop: int) -> int:
        """Line ends in the file (and an unended last line); counting stops past `stop`."""
        end = b"\r" if self.cr_only else b"\n"
        count, last = 0, b""
        for chunk in iter(lambda: self.handle.read(1 << 20), b""):
            count += chunk.count(end)
            last = chunk[-1:]
            if count > stop:
                break
        self.handle.seek(0)
        return count + (1 if last and last != end else 0)

    def __iter__(self) -> Iterator[str]:
        for raw in self.raw():
            self.number += 1
            number = self.number
            if len(raw) > files.MAX_LINE_BYTES:
                raise _LineTooLong(number)
            if b"\x00" in raw:  # UTF-16 without a BOM, or a binary file: not text to split into cells
                raise _NotUtf8(number, raw.index(b"\x00") + 1, "NUL")
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise _NotUtf8(number, exc.start + 1) from None
            if len(self.record) < 10_000:  # a record of more lines is reported by its first ones
                self.record.append((number, text))
            yield text


def _count_rows(lines: _Lines, limit: int) -> int | None:
    """The records after the header when they are more than `limit`, else None: counted from line ends
    first (a fraction of a second for a million), then, only if those are too many, as CSV records (a
    quoted cell may span lines). A file that cannot be counted is left to the reading to report."""
    if lines.count(limit + 1) <= limit + 1:
        return None
    try:
        records: int | None = sum(1 for _ in csv.reader(_Lines(lines.handle))) - 1
    except (csv.Error, _NotUtf8, _LineTooLong):
        records = None
    lines.handle.seek(0)
    return records if records is not None and records > limit else None


def _quote_problem(name: str, record: list[tuple[int, str]], wrong_length: bool) -> Problem | None:
    """A quote that ran past the end of its line: still open at the end of the file (or of a cell too long
    to read), or closed lines later in a record that then makes no sense (a wrong number of cells, text
    after the closing quote). Named on the line where it opened, the one a secretary must fix; None for a
    quoted cell that rightly spans lines. `record`: the record's lines, as (number, text)."""
    state, opened, spanning, closed, stray = "start", 0, 0, 0, False
    for number, text in record:
        for ch in text:
            if state == "start":
                if ch == '"':
                    state, opened = "quoted", number
                elif ch not in ",\r\n":
                    state = "field"
            elif state == "field":
                if ch in ",\r\n":
                    state = "start"
            elif state == "quoted":
                if ch == '"':
                    state = "closing"
                elif ch in "\r\n" and not spanning:
                    spanning = opened  # this quoted cell holds a line end
            elif ch == '"':  # "closing": a doubled quote is a quote inside the cell
                state = "quoted"
            else:
                if spanning == opened and not closed:
                    closed, stray = number, ch not in ",\r\n"
                state = "start" if ch in ",\r\n" else "field"
    last = record[-1][0] if record else 0
    if state == "quoted":
        return Problem(name, opened, None, "quote_not_closed", str(last))
    if spanning and (wrong_length or stray):
        return Problem(name, spanning, None, "quote_spans", str(closed or last))
    return None


def read_csv(path: Path, model: type[Fact], schema: Schema, problems: list[Problem],
              budget: files.Budget) -> Iterator[Row]:
    """Rows of a CSV file, streamed: a 200,000-row timesheet is never held as text or raw rows.
    Problems go to `problems` as they are met; a bad header stops the file (its rows mean nothing)."""
    name = path.name
    try:
        handle = files.open_regular(path, files.MAX_CSV_BYTES)
    except files.Refused as refused:
        problems.append(refused.problem(name))
        return
    with handle:
        lines = _Lines(handle)
        limit, code, named = budget.limit()
        rows = _count_rows(lines, limit)
        if rows is not None:
            budget.refuse(code)
            problems.append(Problem(name, None, None, code, named, str(rows)))
            return
        reader = csv.reader(lines)
        next_start = 1
        try:
            header = next(reader, None)
            lines.record = []
            if not header or not any(h.strip() for h in header):
                problems.append(Problem(name, 1, None, "empty_file"))
                return
            columns = _columns(name, header, model, schema, problems)
            if columns is None:
                return
            next_start = reader.line_num + 1
            for count, cells in enumerate(reader, start=1):
                # a quoted cell may span lines: a record is reported at the line it starts on
                line, next_start = next_start, reader.line_num + 1
                record, lines.record = lines.record, []
                if count > limit:  # more rows than counted: the file grew while read
                    budget.refuse(code)
                    problems.append(Problem(name, line, None, code, named))
                    return
                if len(record) > 1:
                    runaway = _quote_problem(name, record, len(cells) != len(columns))
                    if runaway is not None:
                        problems.append(runaway)
                        continue
                joined = "".join(cells)
                if not joined or joined.isspace():  # a blank row
                    continue
                if len(cells) != len(columns):
                    problems.append(Problem(name, line, None, "row_length", f"{len(cells)}/{len(columns)}"))
                    continue
                raw = dict(zip(columns, cells))
                # a blank cell is "not recorded" (values.blank_to_none), spelt out: this runs for every cell
                yield line, {k: v for k, v in raw.items() if v and not v.isspace()}, raw
        except _NotUtf8 as exc:
            problems.append(Problem(name, exc.line, None, "encoding", f"{exc.what} {exc.column}"))
        except _LineTooLong as exc:
            problems.append(Problem(name, exc.line, None, "line_too_long", files.mib(files.MAX_LINE_BYTES)))
        except csv.Error as exc:  # a cell over csv's field limit: often a quote left open
            runaway = _quote_problem(name, lines.record, False)
            if runaway is not None and runaway.code == "quote_not_closed":
                problems.append(runaway)
            else:
                problems.append(Problem(name, next_start, None, "encoding" if "NUL" in str(exc) else "csv", str(exc)))
        except OSError as exc:
            problems.append(Problem(name, lines.number or None, None, "unreadable", exc.strerror or str(exc)))


def _columns(name: str, header: list[str], model: type[Fact], schema: Schema,
             problems: list[Problem]) -> list[str] | None:
    """Header cells to field names; None (with the problems noted) when the header is unusable."""
    if len(header) > files.MAX_COLUMNS:
        problems.append(Problem(name, 1, None, "too_many_columns", str(files.MAX_COLUMNS), str(len(header))))
        return None
    found: list[Problem] = []
    columns: list[str | None] = []
    for raw in header:
        column = schema.header_to_field(model.KIND, raw)
        if column is None:
            found.append(Problem(name, 1, raw.strip(), "unknown_column", ", ".join(model.model_fields)))
        elif column in columns:
            found.append(Problem(name, 1, column, "duplicate_column"))
        columns.append(column)
    required = [n for n, f in model.model_fields.items() if f.is_required()]
    found += [Problem(name, 1, n, "missing_column") for n in required if n not in columns]
    problems += found
    return None if found else columns  # type: ignore[return-value]


def yaml_error(name: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    return Problem(name, mark.line + 1 if mark else None, None, "yaml", str(getattr(exc, "problem", "") or exc))


def read_yaml_text(path: Path) -> tuple[str | None, list[Problem]]:
    try:
        raw = files.read_regular(path, files.MAX_YAML_BYTES)
    except files.Refused as refused:
        return None, [refused.problem(path.name)]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        return None, [Problem(path.name, _byte_line(raw, exc.start), None, "encoding", f"byte {exc.start}")]


YamlItem = tuple[int, Any, dict[str, int]]


def _yaml_items(path: Path) -> tuple[list[YamlItem], list[safeyaml.DuplicateKey], list[Problem]]:
    """(line, value, the line of each key) of every item of a YAML fact file, and its keys given twice."""
    text, problems = read_yaml_text(path)
    if text is None:
        return [], [], problems
    duplicates: list[safeyaml.DuplicateKey] = []
    try:
        data, node = safeyaml.load(text, with_node=True, duplicates=duplicates)
    except yaml.YAMLError as exc:
        return [], [], [yaml_error(path.name, exc)]
    if data is None:
        return [], duplicates, []
    if not isinstance(data, list) or node is None:
        return [], duplicates, [Problem(path.name, 1, None, "yaml_list")]
    items = []
    for item, value in zip(node.value, data):
        keys: dict[str, int] = {}
        if isinstance(item, yaml.MappingNode):
            for key, _ in item.value:
                keys.setdefault(str(key.value), key.start_mark.line + 1)
        items.append((item.start_mark.line + 1, value, keys))
    return items, duplicates, []


def read_yaml(path: Path, model: type[Fact], schema: Schema, problems: list[Problem],
               budget: files.Budget) -> Iterator[Row]:
    items, duplicates, found = _yaml_items(path)
    problems += found
    for dup in duplicates:
        key = dup.path[-1]
        field = (schema.header_to_field(model.KIND, key) or key) if len(dup.path) == 2 else ".".join(dup.path[1:])
        problems.append(Problem(path.name, dup.line, field or None, "duplicate_yaml_key", str(dup.first)))
    limit, code, named = budget.limit()
    if len(items) > limit:
        budget.refuse(code)
        problems.append(Problem(path.name, None, None, code, named, str(len(items))))
        return
    for line, item, keys in items:
        if not isinstance(item, dict):
            problems.append(Problem(path.name, line, None, "yaml_mapping"))
            continue
        data = {}
        given: dict[str, int] = {}
        for key, value in item.items():
            column = schema.header_to_field(model.KIND, str(key))
            if column is None:
                problems.append(Problem(path.name, line, str(key), "unknown_column", ", ".join(model.model_fields)))
                continue
            at = keys.get(str(key), line)
            if column in given:  # the field's name and its Vietnamese header: which value is meant?
                problems.append(Problem(path.name, at, column, "duplicate_field", str(given[column]), str(key)))
                continue
            given[column] = at
            data[column] = blank_to_none(value)
        yield line, {k: v for k, v in data.items() if v is not None}, item




def read_cell_file(path: Path) -> tuple[dict[str, Any] | None, dict[str, int], list[Problem]]:
    """cell.yaml as data and the line of each key, before any plan is known (it names the plan). A key
    given twice is a problem; the data (with the last value) is still returned."""
    text, problems = read_yaml_text(path)
    if text is None:
        return None, {}, problems
    duplicates: list[safeyaml.DuplicateKey] = []
    try:
        data, node = safeyaml.load(text, with_node=True, duplicates=duplicates)
    except yaml.YAMLError as exc:
        return None, {}, [yaml_error(path.name, exc)]
    if not isinstance(data, dict):
        return None, {}, [Problem(path.name, None, None, "yaml_mapping")]
    problems = [Problem(path.name, d.line, ".".join(d.path), "duplicate_yaml_key", str(d.first)) for d in duplicates]
    lines: dict[str, int] = {}
    for key, _ in getattr(node, "value", []):
        lines.setdefault(str(key.value), key.start_mark.line + 1)
    return data, lines, problems

