"""Loading a case folder: `cell.yaml` plus one CSV or YAML file per kind of fact.

Every problem of every file is collected before anything is reported (a secretary fixes them in
one pass); files are only read, never written. A kind whose file is absent is "not provided",
which the rules report as no data — different from a file with a header and no rows, which says
"none happened".

Only regular files are opened, each within a named limit (files.py); a file that is not one (a FIFO,
a link loop) or is too large is a problem of that file. The problems of one file are capped (the
first hundred, then how many more), so a broken 200,000-row file still gives a readable report.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .. import safeyaml
from ..errors import CappedProblems, InputError, Problem, Where, cap_problems
from . import files
from .models import EARLIEST, LATEST, Fact
from .schema import CELL, Schema
from .values import blank_to_none, date_number, nfc

SKIPPED_SUFFIXES = {".md", ".txt", ".pdf", ".docx", ".xlsx"}


@dataclass(frozen=True)
class Record:
    kind: str
    key: str
    file: str
    line: int | None
    fact: Fact
    where: Where | None = None

    @property
    def sheet(self) -> str | None:
        return self.where.sheet if self.where else None

    def cell(self, field: str) -> str | None:
        return self.where.cell(field, self.line) if self.where else None


@dataclass
class Case:
    path: Path
    cell: Fact
    records: dict[str, list[Record]] = field(default_factory=dict)
    schema: Schema | None = None
    # the plan's period: records are dated inside it, rules judge periods of it
    start: dt.date = dt.date(1900, 1, 1)
    end: dt.date = dt.date(2100, 12, 31)

    def provided(self, kind: str) -> bool:
        return kind in self.records

    def source_name(self, kind: str) -> str:
        """What a secretary calls the place a kind of fact lives: its CSV file or its sheet."""
        if self.path.is_file() and self.schema is not None and kind in self.schema.kinds:
            return self.schema.sheet(kind)
        return f"{kind}.csv"

    def index(self) -> dict[tuple[str, str], Record]:
        return {(r.kind, r.key): r for rs in self.records.values() for r in rs}

    def facts(self, as_of: dt.date, kinds: set[str] | None = None) -> list[dict[str, Any]]:
        """Records (of `kinds`, default all) as flat engine facts, leaving out those dated after `as_of`."""
        out = []
        schema = self.schema
        for kind, records in self.records.items():
            if kinds is not None and kind not in kinds:
                continue
            date_field = schema.dated_by(kind) if schema else None
            events = schema.events(kind) if schema else ()
            blanks = schema.blank_dates(kind) if schema else {}
            for record in records:
                when = getattr(record.fact, date_field) if date_field else None
                if when is not None and when > as_of:
                    continue
                fact = to_fact(record)
                for name in events:
                    if name in fact and fact[name] > date_number(as_of):
                        del fact[name]  # not yet happened as of that day
                for name, blank in blanks.items():
                    if name not in fact:  # blank: since always / until now
                        fact[name] = date_number(EARLIEST if blank == "earliest" else LATEST)
                out.append(fact)
        return out


def to_fact(record: Record) -> dict[str, Any]:
    """Flatten a record: dates become yyyymmdd numbers; unrecorded values are left out, not null.
    Reads the model's field values directly: model_dump() cost twice as much per record."""
    fact: dict[str, Any] = {"t": record.kind, "key": record.key}
    for name, value in record.fact.__dict__.items():
        cls = type(value)  # by exact type first: the common values decided with one test
        if cls is str:
            if value:
                fact[name] = value
        elif cls is int or cls is float or cls is bool:
            fact[name] = value
        elif cls is dt.date:
            fact[name] = value.year * 10000 + value.month * 100 + value.day
        elif cls is list:
            if value:
                fact[name] = list(value)
        elif value is not None and value != "" and value != []:
            fact[name] = value
    return fact


def _byte_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _validate(
    model: type[Fact], data: dict[str, Any], where: Where, line: int | None, raw: dict[str, Any]
) -> tuple[Fact | None, list[Problem]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else None
            message = err["msg"].removeprefix("Value error, ")
            pointed = re.match(r"^\[(\w+)\] ", message)
            if name is None and pointed and pointed.group(1) in model.model_fields:
                name, message = pointed.group(1), message[pointed.end():]
            value = raw.get(name) if name else None
            code = "missing_value" if err["type"] == "missing" else "invalid"
            error = (err.get("ctx") or {}).get("error")
            if error is not None and getattr(error, "code", None):  # a parser's own problem (values.TooManyDigits)
                code, message = error.code, error.detail
            problems.append(where.problem(line, name, code, message, None if value is None else str(value)))
        return None, problems


Row = tuple[int, dict[str, Any], dict[str, Any]]


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


def _read_csv(path: Path, model: type[Fact], schema: Schema, problems: list[Problem],
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


def _yaml_error(name: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    return Problem(name, mark.line + 1 if mark else None, None, "yaml", str(getattr(exc, "problem", "") or exc))


def _read_yaml_text(path: Path) -> tuple[str | None, list[Problem]]:
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
    text, problems = _read_yaml_text(path)
    if text is None:
        return [], [], problems
    duplicates: list[safeyaml.DuplicateKey] = []
    try:
        data, node = safeyaml.load(text, with_node=True, duplicates=duplicates)
    except yaml.YAMLError as exc:
        return [], [], [_yaml_error(path.name, exc)]
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


def _read_yaml(path: Path, model: type[Fact], schema: Schema, problems: list[Problem],
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


@dataclass
class _Loaded:
    records: list[Record]
    problems: list[Problem]
    # codes of every row that has one, valid or not: a reference to a row with a typo elsewhere in it
    # is not also reported as a dangling reference
    codes: set[str]
    readable: bool
    rows: int = 0  # rows read, valid or not


def _load_kind(path: Path, kind: str, schema: Schema, budget: files.Budget) -> _Loaded:
    reader = _read_csv if path.suffix == ".csv" else _read_yaml
    problems = CappedProblems()
    rows = reader(path, schema.models[kind], schema, problems, budget)
    loaded = build_records(kind, rows, problems, Where(path.name), schema)
    budget.take(loaded.rows)
    return loaded


def build_records(kind: str, rows: Iterable[Row], problems: list[Problem], where: Where, schema: Schema) -> _Loaded:
    """Validate rows into records as they are read: keys, duplicates and every value problem, located
    by `where`. `problems` is shared with the reader, which adds to it while rows are streamed."""
    model = schema.models[kind]
    read = 0
    records = []
    codes: set[str] = set()
    seen: dict[Any, int | None] = {}
    unique = schema.unique(kind)
    for line, data, raw in rows:
        read += 1
        if model.KEY and isinstance(data.get(model.KEY), (str, int)):
            codes.add(nfc(str(data[model.KEY]).strip()))
        fact, errs = _validate(model, data, where, line, raw)
        if fact is None:
            problems += errs
            continue
        key = str(getattr(fact, model.KEY)) if model.KEY else f"{kind}:{line}"
        if model.KEY:
            if key in seen:
                problems.append(where.problem(line, model.KEY, "duplicate_key", f"{seen[key]}", key))
                continue
            seen[key] = line
        if unique:
            ident = ("u",) + tuple(getattr(fact, f) for f in unique)
            if ident in seen:
                problems.append(where.problem(line, "+".join(unique), "duplicate_row", f"{seen[ident]}",
                                              " / ".join(str(x) for x in ident[1:])))
                continue
            seen[ident] = line
        records.append(Record(kind, key, where.file, line, fact, where))
    found = problems.codes if isinstance(problems, CappedProblems) else {p.code for p in problems}
    readable = (read > 0 or not problems) and not found & _STOPPED
    if isinstance(problems, CappedProblems):
        problems.finish()
    return _Loaded(records, problems, codes | {r.key for r in records}, readable, read)


# a file stopped part way: references into it are not checked (its own problem is reported)
_STOPPED = {"too_many_rows", "case_too_large", "quote_not_closed", "line_too_long", "encoding", "unreadable"}


def _check_references(case: Case, keys: dict[str, set[str]], unreadable: set[str],
                      missing: bool = True) -> tuple[list[Problem], list[Problem]]:
    """Every reference resolves: (the kinds referred to that the case lacks, the references that do not
    resolve). A lacking kind is one problem naming its sheet or file and counting the references into it,
    not one per reference: a workbook without its roster sheet gave 616 problems and never said the sheet
    was missing. References into a file that could not be read at all are skipped (its own problem is
    reported), so one broken roster does not bury the report in echoes. `missing` False: lacking kinds
    are not problems (a rule test's snippet gives only the kinds its rule reads)."""
    problems = []
    lacking: dict[str, int] = {}
    holders = [(r.where or Where(r.file), r.line, r.fact) for rs in case.records.values() for r in rs]
    holders.append((_cell_where(case), None, case.cell))
    for where, line, fact in holders:
        for name, target in type(fact).REFERENCES.items():
            value = getattr(fact, name)
            refs = value if isinstance(value, list) else [value] if value else []
            for ref in refs:
                if target in unreadable:
                    continue
                if target not in keys:
                    lacking[target] = lacking.get(target, 0) + 1
                elif ref not in keys[target]:
                    problems.append(where.problem(line, name, "unknown_reference", case.source_name(target), ref))
    if not missing:
        return [], problems
    return [_lacking(case, target, n) for target, n in lacking.items()], problems


def _cell_where(case: Case) -> Where:
    """Where the cell's own values live: cell.yaml, or the cell sheet of a workbook."""
    if case.path.is_file() and case.schema is not None:
        return Where(case.path.name, case.schema.cell.sheet)
    return Where("cell.yaml")


def _lacking(case: Case, kind: str, references: int) -> Problem:
    """The sheet or file of a kind the case's records refer to `references` times but that is not there."""
    source = case.source_name(kind)
    if case.path.is_file():
        return Problem(case.path.name, None, None, "missing_sheet", str(references), None, source)
    return Problem(source, None, None, "missing_kind_file", str(references))


def plan_years(case: Case) -> str:
    """The plan's years as people write them: 2020, or 2020–2022."""
    first, last = case.start.year, case.end.year
    return str(first) if first == last else f"{first}–{last}"


def _check_years(case: Case, schema: Schema) -> list[Problem]:
    """Records are dated within the plan's years: a 2019 meeting in a 2020 case is a typing error.
    A kind declared `any_date` (a resolution of the previous year, still to be briefed) is exempt."""
    years = plan_years(case)
    problems = []
    dated = 0
    for kind, records in case.records.items():
        date_field = schema.dated_by(kind)
        if date_field is None or schema.kinds[kind].any_date:
            continue
        for record in records:
            when = getattr(record.fact, date_field)
            dated += when is not None
            if when is not None and not case.start <= when <= case.end:
                where = record.where or Where(record.file)
                problems.append(where.problem(record.line, date_field, "outside_year", years, when.isoformat()))
    if len(problems) >= 10 and 2 * len(problems) > dated:
        # most records disagree with the plan: the cell's plan (or year) is the likelier typo, so say that once
        found = ", ".join(sorted({p.value[:4] for p in problems if p.value}))
        field = "plan_year" if "plan_year" in case.cell.model_fields_set else "plan"
        if case.path.is_file():  # a workbook: the plan is on its cell sheet
            return [Problem(case.path.name, None, field, "outside_year", years, found, schema.cell.sheet)]
        return [Problem("cell.yaml", None, field, "outside_year", years, found)]
    return problems


def read_cell_file(path: Path) -> tuple[dict[str, Any] | None, dict[str, int], list[Problem]]:
    """cell.yaml as data and the line of each key, before any plan is known (it names the plan). A key
    given twice is a problem; the data (with the last value) is still returned."""
    text, problems = _read_yaml_text(path)
    if text is None:
        return None, {}, problems
    duplicates: list[safeyaml.DuplicateKey] = []
    try:
        data, node = safeyaml.load(text, with_node=True, duplicates=duplicates)
    except yaml.YAMLError as exc:
        return None, {}, [_yaml_error(path.name, exc)]
    if not isinstance(data, dict):
        return None, {}, [Problem(path.name, None, None, "yaml_mapping")]
    problems = [Problem(path.name, d.line, ".".join(d.path), "duplicate_yaml_key", str(d.first)) for d in duplicates]
    lines: dict[str, int] = {}
    for key, _ in getattr(node, "value", []):
        lines.setdefault(str(key.value), key.start_mark.line + 1)
    return data, lines, problems


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


def precheck(path: Path | str) -> list[Problem]:
    """What is wrong with a case before its plan is known (its cell.yaml names the plan): no such folder,
    a file that is not a case (said for what it is: an .xls, a .zip…), a workbook that may not be opened
    (files.py limits), a cell.yaml that is missing, not a regular file, a link out of the case, or unreadable."""
    path = Path(path)
    kind, problem = files.case_kind(path)
    if problem is not None:
        return [problem]
    if kind == "workbook":
        from .xlsx import workbook_problems

        return workbook_problems(path)
    cell_path = path / "cell.yaml"
    escape = _entry_problem(cell_path, path) if os.path.lexists(cell_path) else None
    if escape is not None:
        return [escape]
    return read_cell_file(cell_path)[2]


def plan_of(path: Path | str, key: str = "plan") -> str | None:
    """The plan a case names (cell.yaml `plan`, or the cell sheet of a workbook), or None; with `key`,
    another value of the cell read before the plan is known (its plan year)."""
    path = Path(path)
    kind, _ = files.case_kind(path)
    data: dict[str, Any] | None
    if kind == "workbook":
        from .xlsx import read_cell_sheet

        data = read_cell_sheet(path)
    elif kind == "folder" and _entry_problem(path / "cell.yaml", path) is None:
        data = read_cell_file(path / "cell.yaml")[0]
    else:
        return None
    value = (data or {}).get(key)
    return str(value).strip() if isinstance(value, (str, int)) and str(value).strip() else None


def _validate_cell(data: dict[str, Any], lines: dict[str, Any], schema: Schema, file: str,
                   sheet: str | None) -> tuple[Fact | None, list[Problem]]:
    fields = {}
    for key, value in data.items():
        name = schema.header_to_field(CELL, str(key)) if sheet else str(key)
        fields[name or str(key)] = value
    cell, problems = _validate(schema.cell_model, {k: v for k, v in fields.items() if v is not None},
                               Where(file), None, fields)
    return cell, [_cell_located(p, lines.get(p.field or ""), schema, sheet) for p in problems]


def _cell_located(problem: Problem, line: int | None, schema: Schema, sheet: str | None) -> Problem:
    """A problem of the cell's own values where the secretary sees it: the line of cell.yaml, or on the cell
    sheet of a workbook the field's Vietnamese header (column A, as written there) and its value's cell
    (column B): an unfilled template named `name` and `party_committee`, with no cell."""
    if sheet is None:
        return dataclasses.replace(problem, line=line)
    field = problem.field
    if field in schema.cell_model.model_fields:
        field = schema.header(CELL, field)
    return dataclasses.replace(problem, line=line, sheet=sheet, field=field, cell=f"B{line}" if line else None)


def _load_workbook(path: Path, schema: Schema, period: tuple[dt.date, dt.date]) -> Case:
    from .xlsx import read_workbook

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

    cell_part, problems = read_workbook(path, schema, consume, budget, CappedProblems)
    problems += sheet_problems
    cell = None
    if cell_part is not None:
        data, lines = cell_part
        cell, cell_problems = _validate_cell(data, lines, schema, path.name, schema.cell.sheet)
        problems += cell_problems
    if cell is None:
        raise InputError(cap_problems(problems, path.name))
    if budget.spent:
        unreadable |= set(schema.models)
    case = Case(path, cell, records, schema, *period)
    lacking, unresolved = _check_references(case, codes, unreadable)
    problems = lacking + problems + unresolved + _check_years(case, schema)  # a lacking sheet first
    if problems:
        raise InputError(cap_problems(problems, path.name))
    return case


NO_PERIOD = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def load_case(folder: Path | str, schema: Schema, period: tuple[dt.date, dt.date] = NO_PERIOD) -> Case:
    """Read a case folder (or one .xlsx workbook) with the kinds of `schema` (its plan's); records must be
    dated within `period` (the plan's). Raise InputError listing every problem of every file."""
    folder = Path(folder)
    kind, problem = files.case_kind(folder)
    if problem is not None:
        raise InputError([problem])
    if kind == "workbook":
        return _load_workbook(folder, schema, period)
    cell_path = folder / "cell.yaml"
    escape = _entry_problem(cell_path, folder) if os.path.lexists(cell_path) else None
    if escape is not None:
        raise InputError([escape])
    data, lines, problems = read_cell_file(cell_path)
    cell = None
    if data is not None:
        cell, cell_problems = _validate_cell(data, lines, schema, "cell.yaml", None)
        problems += cell_problems
    records: dict[str, list[Record]] = {}
    sources: dict[str, str] = {}
    codes: dict[str, set[str]] = {}
    unreadable: set[str] = set()
    known = schema.models
    budget = files.Budget()
    try:
        entries = list(itertools.islice(folder.iterdir(), files.MAX_FILES + 1))
    except OSError as exc:
        raise InputError([Problem(folder.name, None, None, "unreadable", exc.strerror or str(exc))]) from None
    if len(entries) > files.MAX_FILES:
        raise InputError([Problem(folder.name, None, None, "too_many_files", str(files.MAX_FILES))])
    for path in sorted(entries):
        if path.name == "cell.yaml" or path.suffix.lower() in SKIPPED_SUFFIXES or files.is_litter(path.name):
            continue  # hidden, Excel's ~$people.csv while the file is open, Thumbs.db…: never a fact file
        kind = path.stem
        escape = _entry_problem(path, folder)
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
    if cell is None:
        raise InputError(cap_problems(problems, folder.name))
    if budget.spent:
        unreadable |= set(known)
    case = Case(folder, cell, records, schema, *period)
    lacking, unresolved = _check_references(case, codes, unreadable)
    problems = lacking + problems + unresolved + _check_years(case, schema)  # a lacking file first
    if problems:
        raise InputError(cap_problems(problems, folder.name))
    return case


def case_from_data(cell: dict[str, Any], facts: dict[str, list[dict[str, Any]]], schema: Schema,
                   period: tuple[dt.date, dt.date] = NO_PERIOD, name: str = "case",
                   check_references: bool = True) -> Case:
    """A case from records given as data (a rule test's snippet): every record validated as if read from
    `<kind>.csv` with a header on line 1, so a record's key without a code field is `<kind>:<n + 1>`."""
    problems: list[Problem] = []
    cell_fact, found = _validate_cell(cell, {}, schema, "cell", None)
    problems += found
    records: dict[str, list[Record]] = {}
    codes: dict[str, set[str]] = {}
    for kind, rows in facts.items():
        if kind not in schema.models:
            problems.append(Problem(f"{kind}.csv", None, None, "unknown_file", ", ".join(schema.models)))
            continue
        data_rows = []
        for n, row in enumerate(rows or [], start=2):
            if not isinstance(row, dict):
                problems.append(Problem(f"{kind}.csv", n, None, "yaml_mapping"))
                continue
            data = {}
            for key, value in row.items():
                column = schema.header_to_field(kind, str(key))
                if column is None:
                    problems.append(Problem(f"{kind}.csv", n, str(key), "unknown_column",
                                            ", ".join(schema.models[kind].model_fields)))
                    continue
                data[column] = blank_to_none(value)
            data_rows.append((n, {k: v for k, v in data.items() if v is not None}, row))
        loaded = build_records(kind, data_rows, [], Where(f"{kind}.csv"), schema)
        records[kind] = loaded.records
        problems += loaded.problems
        codes[kind] = loaded.codes
    if cell_fact is None:
        raise InputError(problems)
    case = Case(Path(name), cell_fact, records, schema, *period)
    if check_references:
        # a snippet gives only the kinds a rule reads: references into kinds it leaves out are not checked
        problems += _check_references(case, codes, set(), missing=False)[1]
    if problems:
        raise InputError(problems)
    return case
