"""A loaded case: the cell's own values and its records per kind, and the engine's view of them.

Where a case comes from (a folder, a workbook, a rule test's snippet) is a source's business
(facts/sources/); reading is in the source's module and its readers (textfiles.py, xlsx.py), checking the
rows in validate.py. This module is what every layer above reads: a Case, its Records, and `facts()`, the
records as the engine takes them. `Origin` is the little a case keeps of its source: how messages name the
places its facts live (a CSV file or a sheet), so nothing above asks whether the case was a folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, Where
from .models import EARLIEST, LATEST, Fact
from .schema import Schema
from .values import date_number

# a row as a reader hands it to validation: (line or row number, values by field, the row as written)
Row = tuple[int, dict[str, Any], dict[str, Any]]
NO_PERIOD = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))


class Origin:
    """How messages name the places of a case's facts. This default is a folder's: `<kind>.csv` and
    cell.yaml (also a rule test's snippet, which is validated as if read from such files); a source whose
    facts live elsewhere (a workbook's sheets) gives its own. Kept by the Case, so it holds no open file."""

    def place(self, kind: str, schema: Schema | None) -> str:
        """What a secretary calls the place a kind of fact lives: its CSV file, or its sheet."""
        return f"{kind}.csv"

    def cell_where(self, schema: Schema | None) -> Where:
        """Where the cell's own values live."""
        return Where("cell.yaml")

    def lacking(self, place: str, references: int) -> Problem:
        """The file or sheet of a kind the case's records refer to `references` times, not there."""
        return Problem(place, None, None, "missing_kind_file", str(references))

    def cell_problem(self, field: str, code: str, detail: str, value: str | None, schema: Schema) -> Problem:
        """A problem of one of the cell's own values (its plan or year), said where that value is written."""
        return Problem("cell.yaml", None, field, code, detail, value)


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
    origin: Origin = field(default_factory=Origin, compare=False, repr=False)  # how its places are named

    def provided(self, kind: str) -> bool:
        return kind in self.records

    def source_name(self, kind: str) -> str:
        """What a secretary calls the place a kind of fact lives: its CSV file or its sheet."""
        return self.origin.place(kind, self.schema)

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


