"""Hypothesis strategies for whole cases: every kind of fact, small, with values the rules care about.

Field strategies are derived from a plan's schema (each field's declared type, codes, references; the
2020 plan's by default), with overrides where a rule compares a field with a specific value (document
kinds, school years, Mondays of timesheets…), so that generated cases hit both sides of every rule
instead of failing every filter.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from pydantic import ValidationError

from chibo_rules.facts.case import Case, Record
from chibo_rules.facts.declarations import FieldDecl
from chibo_rules.facts.models import field_choices
from chibo_rules.facts.schema import Schema
from chibo_rules.ruleset.rulespec import RuleSet

from .conftest import plan_rules

PEOPLE = [f"P{n:02d}" for n in range(1, 9)]
MONDAYS = [dt.date(2020, 1, 6) + dt.timedelta(weeks=w) for w in range(0, 52, 3)]
DATES = st.dates(dt.date(2019, 12, 20), dt.date(2021, 1, 10))

# (coded fields need none: their declared codes are sampled, so a record matches one rule's filter and not
# another's; documents' kind and mobilisation models' model became coded with the declarations)
OVERRIDES: dict[tuple[str, str], st.SearchStrategy[Any]] = {
    ("school_titles", "result"): st.sampled_from(["excellent", "xuất sắc", "3", "good"]),
    ("timesheets", "week"): st.sampled_from(MONDAYS),
    ("emulation_titles", "title"): st.sampled_from(["grassroots_emulation_soldier", "advanced_worker"]),
    ("timesheets", "hours"): st.sampled_from([0.0, 16.0, 24.0, 32.0, 36.5, 40.0, 44.0]),
    ("timesheets", "periods"): st.integers(0, 22),
    ("people", "reduction"): st.integers(0, 5),
    ("household_tasks", "task"): st.integers(1, 15),
    ("student_figures", "grade"): st.integers(6, 9),
    ("online_contests", "grade"): st.integers(6, 9),
    ("youth_admissions", "grade"): st.integers(8, 9),
    ("dropouts", "grade"): st.integers(6, 9),
    ("briefings", "resolution"): st.sampled_from(["RES2", "RES3", "RES4"]),
}


def _references_people(field: FieldDecl) -> bool:
    return field.type in ("ref", "refs") and field.to == "people"


def _field_strategy(schema: Schema, kind: str, name: str) -> st.SearchStrategy[Any]:
    field = schema.kinds[kind].fields[name]
    optional = not field.required and field.default is None and field.type not in ("refs", "list")
    codes = field_choices(schema.models[kind], name)
    if (kind, name) in OVERRIDES:
        strategy = OVERRIDES[(kind, name)]
    elif codes:
        strategy = st.sampled_from(codes)
    elif _references_people(field):
        strategy = st.lists(st.sampled_from(PEOPLE), max_size=2) if field.type == "refs" else st.sampled_from(PEOPLE)
    elif field.type == "school_year":
        strategy = st.sampled_from(["2019-2020", "2020-2021"])
    elif field.type == "year":
        strategy = st.sampled_from([2019, 2020, 2020])
    elif field.type in ("date", "week"):
        strategy = st.sampled_from(MONDAYS) if field.type == "week" else DATES
    elif field.type == "yesno":
        strategy = st.booleans()
    elif field.type in ("count", "integer"):  # within the declared bounds, if any
        low = 0 if field.min is None else int(field.min)
        strategy = st.integers(low, max(low, 120 if field.max is None else int(field.max)))
    elif field.type in ("number", "percent"):
        strategy = st.floats(0, 60, allow_nan=False).map(lambda x: round(x, 1))
    else:  # text, a reference to another kind, a list of codes
        strategy = st.sampled_from(["a", "b", "c"])
    return st.one_of(st.none(), strategy) if optional else strategy


def _record_strategy(schema: Schema, kind: str) -> st.SearchStrategy[dict[str, Any]]:
    model = schema.models[kind]
    fields = {name: _field_strategy(schema, kind, name) for name in model.model_fields if name != model.KEY}
    return st.fixed_dictionaries(fields)


@st.composite
def cases(draw: st.DrawFn, ruleset: RuleSet | None = None) -> Case:
    """A case of a plan (default: the 2020 plan, `load_rules(RULES)`) with a random subset of its kinds of
    fact files; people always P01..P0n so references resolve."""
    ruleset = ruleset or plan_rules()
    schema = ruleset.schema
    records: dict[str, list[Record]] = {}
    n_people = draw(st.integers(1, len(PEOPLE)))
    people_refs = PEOPLE[:n_people]
    kinds = draw(st.sets(st.sampled_from(sorted(set(schema.models) - {"people"})), min_size=4))
    for kind in ["people", *sorted(kinds)]:
        model = schema.models[kind]
        size = n_people if kind == "people" else draw(st.integers(0, 6))
        rows: list[Record] = []
        seen: set[Any] = set()
        for line in range(2, size + 2):
            data = draw(_record_strategy(schema, kind))
            if model.KEY:
                data[model.KEY] = people_refs[line - 2] if kind == "people" else f"{kind[:3].upper()}{line}"
            if kind == "people":
                data["name"] = f"Người {line}"
            data = _resolve(schema, kind, data, people_refs)
            unique = schema.unique(kind)
            if unique:
                ident = tuple(data.get(f) for f in unique)
                if ident in seen:
                    continue
                seen.add(ident)
            try:
                fact = model.model_validate({k: v for k, v in data.items() if v is not None})
            except ValidationError:  # e.g. figures that do not add up: the loader would refuse them too
                continue
            key = str(getattr(fact, model.KEY)) if model.KEY else f"{kind}:{line}"
            rows.append(Record(kind, key, f"{kind}.csv", line, fact))
        records[kind] = rows
    cell = schema.cell_model.model_validate({"name": "Chi bộ thử", "party_committee": "Đảng bộ xã thử",
                                             "plan": ruleset.plan.id, "plan_year": ruleset.plan.year})
    return Case(Path("generated"), cell, records, schema, ruleset.plan.start, ruleset.plan.end)


def _resolve(schema: Schema, kind: str, data: dict[str, Any], people_refs: list[str]) -> dict[str, Any]:
    """References to people point only at people who exist in this case."""
    fields = schema.kinds[kind].fields
    out = {}
    for name, value in data.items():
        if _references_people(fields[name]) and value is not None:
            if isinstance(value, list):
                value = [people_refs[PEOPLE.index(v) % len(people_refs)] for v in value]
            else:
                value = people_refs[PEOPLE.index(value) % len(people_refs)]
        out[name] = value
    return out
