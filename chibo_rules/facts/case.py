"""Loading a case folder: `cell.yaml` plus one CSV or YAML file per kind of fact.

Every problem of every file is collected before anything is reported (a secretary fixes them in
one pass); files are only read, never written. A kind whose file is absent is "not provided",
which the rules report as no data — different from a file with a header and no rows, which says
"none happened".
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .. import safeyaml
from ..errors import InputError, Problem, Where
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
            problems.append(where.problem(line, name, code, message, None if value is None else str(value)))
        return None, problems


Row = tuple[int, dict[str, Any], dict[str, Any]]


class _NotUtf8(Exception):
    def __init__(self, line: int, column: int, what: str = "byte"):
        super().__init__(line, column)
        self.line, self.column, self.what = line, column, what


def _decoded_lines(handle: Any) -> Iterator[str]:
    """Lines of a binary file as text, so a byte that is not UTF-8 is reported on its own line."""
    for number, raw in enumerate(handle, start=1):
        if b"\x00" in raw:  # UTF-16 without a BOM, or a binary file: not text to split into cells
            raise _NotUtf8(number, raw.index(b"\x00") + 1, "NUL")
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise _NotUtf8(number, exc.start + 1) from None


def _read_csv(path: Path, model: type[Fact], schema: Schema, problems: list[Problem]) -> Iterator[Row]:
    """Rows of a CSV file, streamed: a 200,000-row timesheet is never held as text or raw rows.
    Problems go to `problems` as they are met; a bad header stops the file (its rows mean nothing)."""
    name = path.name
    with path.open("rb") as handle:
        reader = csv.reader(_decoded_lines(handle))
        next_start = 1
        try:
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                problems.append(Problem(name, 1, None, "empty_file"))
                return
            columns = _columns(name, header, model, schema, problems)
            if columns is None:
                return
            next_start = reader.line_num + 1
            for cells in reader:
                # a quoted cell may span lines: a record is reported at the line it starts on
                line, next_start = next_start, reader.line_num + 1
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(columns):
                    problems.append(Problem(name, line, None, "row_length", f"{len(cells)}/{len(columns)}"))
                    continue
                raw = dict(zip(columns, cells))  # type: ignore[arg-type]
                yield line, {k: v for k, v in raw.items() if blank_to_none(v) is not None}, raw
        except _NotUtf8 as exc:
            problems.append(Problem(name, exc.line, None, "encoding", f"{exc.what} {exc.column}"))
        except csv.Error as exc:
            code = "encoding" if "NUL" in str(exc) else "csv"
            problems.append(Problem(name, next_start, None, code, str(exc)))


def _columns(name: str, header: list[str], model: type[Fact], schema: Schema,
             problems: list[Problem]) -> list[str] | None:
    """Header cells to field names; None (with the problems noted) when the header is unusable."""
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


def _yaml_items(path: Path) -> tuple[list[tuple[int | None, Any]], list[Problem]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(path.name, _byte_line(raw, exc.start), None, "encoding", f"byte {exc.start}")]
    try:
        data, node = safeyaml.load(text, with_node=True)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [Problem(path.name, mark.line + 1 if mark else None, None, "yaml",
                            str(getattr(exc, "problem", "") or exc))]
    if data is None:
        return [], []
    if not isinstance(data, list) or node is None:
        return [], [Problem(path.name, 1, None, "yaml_list")]
    return [(item.start_mark.line + 1, value) for item, value in zip(node.value, data)], []


def _read_yaml(path: Path, model: type[Fact], schema: Schema, problems: list[Problem]) -> Iterator[Row]:
    items, found = _yaml_items(path)
    problems += found
    for line, item in items:
        if not isinstance(item, dict):
            problems.append(Problem(path.name, line, None, "yaml_mapping"))
            continue
        data = {}
        for key, value in item.items():
            column = schema.header_to_field(model.KIND, str(key))
            if column is None:
                problems.append(Problem(path.name, line, str(key), "unknown_column", ", ".join(model.model_fields)))
                continue
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


def _load_kind(path: Path, kind: str, schema: Schema) -> _Loaded:
    reader = _read_csv if path.suffix == ".csv" else _read_yaml
    problems: list[Problem] = []
    rows = reader(path, schema.models[kind], schema, problems)
    return build_records(kind, rows, problems, Where(path.name), schema)


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
        problems += errs
        if fact is None:
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
    readable = read > 0 or not problems
    return _Loaded(records, problems, codes | {r.key for r in records}, readable)


def _check_references(case: Case, keys: dict[str, set[str]], unreadable: set[str]) -> list[Problem]:
    """Every reference resolves; references into a file that could not be read at all are skipped
    (its own problem is reported), so one broken roster does not bury the report in echoes."""
    problems = []
    holders = [(r.where or Where(r.file), r.line, r.fact) for rs in case.records.values() for r in rs]
    holders.append((Where("cell.yaml"), None, case.cell))
    for where, line, fact in holders:
        for name, target in type(fact).REFERENCES.items():
            value = getattr(fact, name)
            refs = value if isinstance(value, list) else [value] if value else []
            for ref in refs:
                if target in unreadable:
                    continue
                if target not in keys:
                    problems.append(where.problem(line, name, "missing_reference_file", case.source_name(target), ref))
                elif ref not in keys[target]:
                    problems.append(where.problem(line, name, "unknown_reference", case.source_name(target), ref))
    return problems


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
    """cell.yaml as data and the line of each key, before any plan is known (it names the plan)."""
    if not path.is_file():
        return None, {}, [Problem(path.name, None, None, "missing_file")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        data, node = safeyaml.load(text, with_node=True)
    except UnicodeDecodeError as exc:
        return None, {}, [Problem(path.name, _byte_line(raw, exc.start), None, "encoding", f"byte {exc.start}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, {}, [Problem(path.name, mark.line + 1 if mark else None, None, "yaml",
                                  str(getattr(exc, "problem", "") or exc))]
    if not isinstance(data, dict):
        return None, {}, [Problem(path.name, None, None, "yaml_mapping")]
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in getattr(node, "value", [])}
    return data, lines, []


def precheck(path: Path | str) -> list[Problem]:
    """What is wrong with a case before its plan is known (its cell.yaml names the plan): no such folder,
    a cell.yaml that is missing, a link out of the case, or unreadable."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".xlsx":
        return [] if zipfile.is_zipfile(path) else [Problem(path.name, None, None, "xlsx", "not an .xlsx file (zip)")]
    if not path.is_dir():
        return [Problem(str(path), None, None, "missing_folder")]
    cell_path = path / "cell.yaml"
    escape = _outside(cell_path, path) if cell_path.exists() else None
    if escape is not None:
        return [Problem("cell.yaml", None, None, "not_in_case", escape)]
    return read_cell_file(cell_path)[2]


def plan_of(path: Path | str, key: str = "plan") -> str | None:
    """The plan a case names (cell.yaml `plan`, or the cell sheet of a workbook), or None; with `key`,
    another value of the cell read before the plan is known (its plan year)."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() == ".xlsx":
        from .xlsx import read_cell_sheet

        data = read_cell_sheet(path)
    elif path.is_dir() and (path / "cell.yaml").is_file() and _outside(path / "cell.yaml", path) is None:
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
    return cell, [dataclasses.replace(p, line=lines.get(p.field or ""), sheet=sheet) for p in problems]


def _load_workbook(path: Path, schema: Schema, period: tuple[dt.date, dt.date]) -> Case:
    from .xlsx import read_workbook

    cell_part, sheets, problems = read_workbook(path, schema)
    cell = None
    if cell_part is not None:
        data, lines = cell_part
        cell, cell_problems = _validate_cell(data, lines, schema, path.name, schema.cell.sheet)
        problems += cell_problems
    records: dict[str, list[Record]] = {}
    codes: dict[str, set[str]] = {}
    unreadable: set[str] = set()
    for kind, rows, where in sheets:
        loaded = build_records(kind, rows, [], where, schema)
        records[kind] = loaded.records
        problems += loaded.problems
        codes[kind] = loaded.codes
        if not loaded.readable or any(p.sheet == where.sheet and p.line == 1 for p in problems):
            unreadable.add(kind)
    if cell is None:
        raise InputError(problems)
    case = Case(path, cell, records, schema, *period)
    problems += _check_references(case, codes, unreadable) + _check_years(case, schema)
    if problems:
        raise InputError(problems)
    return case


def _outside(path: Path, folder: Path) -> str | None:
    """Where a file of the case really lives, if that is outside the case folder (a link)."""
    real = path.resolve()
    return None if real.parent == folder.resolve() else str(real)


NO_PERIOD = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def load_case(folder: Path | str, schema: Schema, period: tuple[dt.date, dt.date] = NO_PERIOD) -> Case:
    """Read a case folder (or one .xlsx workbook) with the kinds of `schema` (its plan's); records must be
    dated within `period` (the plan's). Raise InputError listing every problem of every file."""
    folder = Path(folder)
    if folder.is_file() and folder.suffix.lower() == ".xlsx":
        return _load_workbook(folder, schema, period)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), None, None, "missing_folder")])
    cell_path = folder / "cell.yaml"
    escape = _outside(cell_path, folder) if cell_path.exists() else None
    if escape is not None:
        raise InputError([Problem("cell.yaml", None, None, "not_in_case", escape)])
    data, lines, problems = read_cell_file(cell_path)
    cell = None
    if data is not None:
        cell, problems = _validate_cell(data, lines, schema, "cell.yaml", None)
    records: dict[str, list[Record]] = {}
    sources: dict[str, str] = {}
    codes: dict[str, set[str]] = {}
    unreadable: set[str] = set()
    known = schema.models
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == "cell.yaml" or path.suffix.lower() in SKIPPED_SUFFIXES:
            continue
        kind = path.stem
        escape = _outside(path, folder)
        if escape is not None:
            problems.append(Problem(path.name, None, None, "not_in_case", escape))
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
        loaded = _load_kind(path, kind, schema)
        records[kind] = loaded.records
        problems += loaded.problems
        codes[kind] = loaded.codes
        if not loaded.readable:
            unreadable.add(kind)
    if cell is None:
        raise InputError(problems)
    case = Case(folder, cell, records, schema, *period)
    problems += _check_references(case, codes, unreadable)
    problems += _check_years(case, schema)
    if problems:
        raise InputError(problems)
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
        problems += [p for p in _check_references(case, codes, set()) if p.code != "missing_reference_file"]
    if problems:
        raise InputError(problems)
    return case
