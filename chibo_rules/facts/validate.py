"""Checking the rows a source read: each record against its kind's model, keys and duplicates, references
between records, and dates within the plan's years.

Every source hands rows here (a CSV line, a YAML item, a workbook row, a rule test's snippet), so a value is
judged the same wherever it was typed, and each problem is located by the `Where` of the rows it came from.
Nothing here opens a file: what the places are called (a CSV file or a sheet) is the case's `Origin`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..errors import CappedProblems, Problem, Where
from .case import Case, Record, Row
from .models import Fact
from .schema import CELL, Schema
from .values import nfc


def validate_fact(
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





@dataclass
class Loaded:
    records: list[Record]
    problems: list[Problem]
    # codes of every row that has one, valid or not: a reference to a row with a typo elsewhere in it
    # is not also reported as a dangling reference
    codes: set[str]
    readable: bool
    rows: int = 0  # rows read, valid or not



def build_records(kind: str, rows: Iterable[Row], problems: list[Problem], where: Where, schema: Schema) -> Loaded:
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
        fact, errs = validate_fact(model, data, where, line, raw)
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
    readable = (read > 0 or not problems) and not found & STOPPED
    if isinstance(problems, CappedProblems):
        problems.finish()
    return Loaded(records, problems, codes | {r.key for r in records}, readable, read)


# a file stopped part way: references into it are not checked (its own problem is reported)
STOPPED = {"too_many_rows", "case_too_large", "quote_not_closed", "line_too_long", "encoding", "unreadable"}


def check_references(case: Case, keys: dict[str, set[str]], unreadable: set[str],
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
    holders.append((case.origin.cell_where(case.schema), None, case.cell))
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
    return [case.origin.lacking(case.source_name(target), n) for target, n in lacking.items()], problems


def plan_years(case: Case) -> str:
    """The plan's years as people write them: 2020, or 2020–2022."""
    first, last = case.start.year, case.end.year
    return str(first) if first == last else f"{first}–{last}"


def check_years(case: Case, schema: Schema) -> list[Problem]:
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
        return [case.origin.cell_problem(field, "outside_year", years, found, schema)]
    return problems



def validate_cell(data: dict[str, Any], lines: dict[str, Any], schema: Schema, file: str,
                   sheet: str | None) -> tuple[Fact | None, list[Problem]]:
    fields = {}
    for key, value in data.items():
        name = schema.header_to_field(CELL, str(key)) if sheet else str(key)
        fields[name or str(key)] = value
    cell, problems = validate_fact(schema.cell_model, {k: v for k, v in fields.items() if v is not None},
                               Where(file), None, fields)
    return cell, [cell_located(p, lines.get(p.field or ""), schema, sheet) for p in problems]


def cell_located(problem: Problem, line: int | None, schema: Schema, sheet: str | None) -> Problem:
    """A problem of the cell's own values where the secretary sees it: the line of cell.yaml, or on the cell
    sheet of a workbook the field's Vietnamese header (column A, as written there) and its value's cell
    (column B): an unfilled template named `name` and `party_committee`, with no cell."""
    if sheet is None:
        return dataclasses.replace(problem, line=line)
    field = problem.field
    if field in schema.cell_model.model_fields:
        field = schema.header(CELL, field)
    return dataclasses.replace(problem, line=line, sheet=sheet, field=field, cell=f"B{line}" if line else None)

