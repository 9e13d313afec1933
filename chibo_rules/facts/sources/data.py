"""Facts given as data, not read from a file: a rule test's snippet (jobs/ruletests.py).

Every record is validated as if read from `<kind>.csv` with a header on line 1, so a rule test's case
meets the same checks, and names its problems the same way, as a folder would (the default Origin).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ...errors import InputError, Problem, Where
from .. import validate
from ..case import NO_PERIOD, Case, Record
from ..schema import Schema
from ..validate import build_records, validate_cell
from ..values import blank_to_none


def case_from_data(cell: dict[str, Any], facts: dict[str, list[dict[str, Any]]], schema: Schema,
                   period: tuple[dt.date, dt.date] = NO_PERIOD, name: str = "case",
                   check_references: bool = True) -> Case:
    """A case from records given as data (a rule test's snippet): every record validated as if read from
    `<kind>.csv` with a header on line 1, so a record's key without a code field is `<kind>:<n + 1>`."""
    problems: list[Problem] = []
    cell_fact, found = validate_cell(cell, {}, schema, "cell", None)
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
        problems += validate.check_references(case, codes, set(), missing=False)[1]
    if problems:
        raise InputError(problems)
    return case
