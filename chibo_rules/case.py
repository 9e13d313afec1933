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
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .conditions import date_number
from .errors import InputError, Problem
from .models import DATE_FIELDS, EVENT_FIELDS, FACT_MODELS, UNIQUE_FIELDS, Cell, Fact
from .values import blank_to_none, fold, nfc

SKIPPED_SUFFIXES = {".md", ".txt", ".pdf", ".docx", ".xlsx"}


@dataclass(frozen=True)
class Record:
    kind: str
    key: str
    file: str
    line: int | None
    fact: Fact


@dataclass
class Case:
    path: Path
    cell: Cell
    records: dict[str, list[Record]] = field(default_factory=dict)

    def provided(self, kind: str) -> bool:
        return kind in self.records

    def index(self) -> dict[tuple[str, str], Record]:
        return {(r.kind, r.key): r for rs in self.records.values() for r in rs}

    def facts(self, as_of: dt.date, kinds: set[str] | None = None) -> list[dict[str, Any]]:
        """Records (of `kinds`, default all) as flat engine facts, leaving out those dated after `as_of`."""
        out = []
        for kind, records in self.records.items():
            if kinds is not None and kind not in kinds:
                continue
            date_field = DATE_FIELDS.get(kind)
            for record in records:
                when = getattr(record.fact, date_field) if date_field else None
                if when is not None and when > as_of:
                    continue
                fact = to_fact(record)
                for name in EVENT_FIELDS.get(kind, ()):
                    if name in fact and fact[name] > date_number(as_of):
                        del fact[name]  # not yet happened as of that day
                out.append(fact)
        return out


def to_fact(record: Record) -> dict[str, Any]:
    """Flatten a record: dates become yyyymmdd numbers; unrecorded values are left out, not null."""
    fact: dict[str, Any] = {"t": record.kind, "key": record.key}
    for name, value in record.fact.model_dump().items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, dt.date):
            value = date_number(value)
        fact[name] = value
    return fact


def _byte_line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _header_name(raw: str, fields: dict[str, Any]) -> str | None:
    wanted = fold(raw).replace(" ", "_").replace("-", "_")
    for name in fields:
        if fold(name) == wanted:
            return name
    return None


def _validate(
    model: type[Fact], data: dict[str, Any], file: str, line: int | None, raw: dict[str, Any]
) -> tuple[Fact | None, list[Problem]]:
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else None
            value = raw.get(name) if name else None
            code = "missing_value" if err["type"] == "missing" else "invalid"
            message = err["msg"].removeprefix("Value error, ")
            problems.append(Problem(file, line, name, code, message, None if value is None else str(value)))
        return None, problems


def _read_csv(path: Path, model: type[Fact]) -> tuple[list[tuple[int, dict[str, Any], dict[str, Any]]], list[Problem]]:
    name = path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(name, _byte_line(data, exc.start), None, "encoding", f"byte {exc.start}")]
    if "\x00" in text:
        return [], [Problem(name, None, None, "encoding", "NUL")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [Problem(name, 1, None, "csv", str(exc))]
    if not header or not any(h.strip() for h in header):
        return [], [Problem(name, 1, None, "empty_file")]
    problems: list[Problem] = []
    columns: list[str | None] = []
    for raw in header:
        column = _header_name(nfc(raw.strip()), model.model_fields)
        if column is None:
            problems.append(Problem(name, 1, raw.strip(), "unknown_column", ", ".join(model.model_fields)))
        elif column in columns:
            problems.append(Problem(name, 1, column, "duplicate_column"))
        columns.append(column)
    required = [n for n, f in model.model_fields.items() if f.is_required()]
    for missing in [n for n in required if n not in columns]:
        problems.append(Problem(name, 1, missing, "missing_column"))
    if problems:
        return [], problems
    rows = []
    next_start = reader.line_num + 1
    try:
        for cells in reader:
            # a quoted cell may span lines: a record is reported at the line it starts on
            line, next_start = next_start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                problems.append(Problem(name, line, None, "row_length", f"{len(cells)}/{len(columns)}"))
                continue
            raw = dict(zip(columns, cells))  # type: ignore[arg-type]
            data = {k: blank_to_none(v) for k, v in raw.items()}
            rows.append((line, {k: v for k, v in data.items() if v is not None}, raw))
    except csv.Error as exc:
        problems.append(Problem(name, next_start, None, "csv", str(exc)))
    return rows, problems


def _yaml_items(path: Path) -> tuple[list[tuple[int | None, Any]], list[Problem]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(path.name, None, None, "encoding", f"byte {exc.start}")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [Problem(path.name, mark.line + 1 if mark else None, None, "yaml",
                            str(getattr(exc, "problem", "") or exc))]
    if data is None:
        return [], []
    if not isinstance(data, list) or node is None:
        return [], [Problem(path.name, 1, None, "yaml_list")]
    return [(item.start_mark.line + 1, value) for item, value in zip(node.value, data)], []


def _read_yaml(path: Path, model: type[Fact]) -> tuple[list[tuple[int, dict[str, Any], dict[str, Any]]], list[Problem]]:
    items, problems = _yaml_items(path)
    rows = []
    for line, item in items:
        if not isinstance(item, dict):
            problems.append(Problem(path.name, line, None, "yaml_mapping"))
            continue
        data = {}
        for key, value in item.items():
            column = _header_name(nfc(str(key)), model.model_fields)
            if column is None:
                problems.append(Problem(path.name, line, str(key), "unknown_column", ", ".join(model.model_fields)))
                continue
            data[column] = blank_to_none(value)
        rows.append((line, {k: v for k, v in data.items() if v is not None}, item))
    return rows, problems


@dataclass
class _Loaded:
    records: list[Record]
    problems: list[Problem]
    # codes of every row that has one, valid or not: a reference to a row with a typo elsewhere in it
    # is not also reported as a dangling reference
    codes: set[str]
    readable: bool


def _load_kind(path: Path, kind: str) -> _Loaded:
    model = FACT_MODELS[kind]
    reader = _read_csv if path.suffix == ".csv" else _read_yaml
    rows, problems = reader(path, model)
    readable = bool(rows) or not problems
    records = []
    codes: set[str] = set()
    seen: dict[Any, int | None] = {}
    unique = UNIQUE_FIELDS.get(kind)
    for line, data, raw in rows:
        if model.KEY and isinstance(data.get(model.KEY), (str, int)):
            codes.add(nfc(str(data[model.KEY]).strip()))
        fact, errs = _validate(model, data, path.name, line, raw)
        problems += errs
        if fact is None:
            continue
        key = str(getattr(fact, model.KEY)) if model.KEY else f"{kind}:{line}"
        if model.KEY:
            if key in seen:
                problems.append(Problem(path.name, line, model.KEY, "duplicate_key", f"{seen[key]}", key))
                continue
            seen[key] = line
        if unique:
            ident = ("u",) + tuple(getattr(fact, f) for f in unique)
            if ident in seen:
                problems.append(Problem(path.name, line, "+".join(unique), "duplicate_row", f"{seen[ident]}",
                                        " / ".join(str(x) for x in ident[1:])))
                continue
            seen[ident] = line
        records.append(Record(kind, key, path.name, line, fact))
    return _Loaded(records, problems, codes | {r.key for r in records}, readable)


def _check_references(case: Case, keys: dict[str, set[str]], unreadable: set[str]) -> list[Problem]:
    """Every reference resolves; references into a file that could not be read at all are skipped
    (its own problem is reported), so one broken roster does not bury the report in echoes."""
    problems = []
    holders = [(r.file, r.line, r.fact) for rs in case.records.values() for r in rs]
    holders.append(("cell.yaml", None, case.cell))
    for file, line, fact in holders:
        for name, target in type(fact).REFERENCES.items():
            value = getattr(fact, name)
            refs = value if isinstance(value, list) else [value] if value else []
            for ref in refs:
                if target in unreadable:
                    continue
                if target not in keys:
                    problems.append(Problem(file, line, name, "missing_reference_file", f"{target}.csv", ref))
                elif ref not in keys[target]:
                    problems.append(Problem(file, line, name, "unknown_reference", f"{target}.csv", ref))
    return problems


def _load_cell(path: Path) -> tuple[Cell | None, list[Problem]]:
    if not path.is_file():
        return None, [Problem(path.name, None, None, "missing_file")]
    try:
        text = path.read_bytes().decode("utf-8-sig")
        data = yaml.safe_load(text)
    except UnicodeDecodeError as exc:
        return None, [Problem(path.name, None, None, "encoding", f"byte {exc.start}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [Problem(path.name, mark.line + 1 if mark else None, None, "yaml",
                              str(getattr(exc, "problem", "") or exc))]
    if not isinstance(data, dict):
        return None, [Problem(path.name, None, None, "yaml_mapping")]
    cell, problems = _validate(Cell, {k: v for k, v in data.items() if v is not None}, path.name, None, data)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in getattr(node, "value", [])}
    return cell, [dataclasses.replace(p, line=lines.get(p.field or "")) for p in problems]


def load_case(folder: Path | str) -> Case:
    """Read a case folder; raise InputError listing every problem found in any of its files."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), None, None, "missing_folder")])
    cell, problems = _load_cell(folder / "cell.yaml")
    records: dict[str, list[Record]] = {}
    sources: dict[str, str] = {}
    codes: dict[str, set[str]] = {}
    unreadable: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == "cell.yaml" or path.suffix.lower() in SKIPPED_SUFFIXES:
            continue
        kind = path.stem
        if path.is_dir() or kind not in FACT_MODELS or path.suffix not in (".csv", ".yaml", ".yml"):
            problems.append(Problem(path.name, None, None, "unknown_file", ", ".join(FACT_MODELS)))
            continue
        if kind in sources:
            problems.append(Problem(path.name, None, None, "two_sources", sources[kind]))
            continue
        sources[kind] = path.name
        loaded = _load_kind(path, kind)
        records[kind] = loaded.records
        problems += loaded.problems
        codes[kind] = loaded.codes
        if not loaded.readable:
            unreadable.add(kind)
    if cell is None:
        raise InputError(problems)
    case = Case(folder, cell, records)
    problems += _check_references(case, codes, unreadable)
    if problems:
        raise InputError(problems)
    return case
