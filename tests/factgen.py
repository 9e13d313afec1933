"""Hypothesis strategies for whole cases: every kind of fact, small, with values the rules care about.

Field strategies are derived from the models (type, codes, references), with overrides where a rule
compares a field with a specific value (document kinds, school years, Mondays of timesheets…), so
that generated cases hit both sides of every rule instead of failing every filter.
"""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from pydantic import ValidationError

from chibo_rules.facts.case import Case, Record
from chibo_rules.facts.models import FACT_MODELS, UNIQUE_FIELDS, Cell, field_choices

PEOPLE = [f"P{n:02d}" for n in range(1, 9)]
MONDAYS = [dt.date(2020, 1, 6) + dt.timedelta(weeks=w) for w in range(0, 52, 3)]
DATES = st.dates(dt.date(2019, 12, 20), dt.date(2021, 1, 10))

OVERRIDES: dict[tuple[str, str], st.SearchStrategy[Any]] = {
    ("documents", "kind"): st.sampled_from(["cadre_source_plan", "staff_evaluation", "commendation",
                                            "staff_concerns", "other"]),
    ("mobilisation_models", "model"): st.sampled_from(["friendly_sharing_school", "charity_address", "other"]),
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
REFERENCED = {"person": PEOPLE, "mentor": PEOPLE, "story_presenter": PEOPLE, "commended": PEOPLE}


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(base type, optional?) of a model field annotation."""
    optional = False
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        inner = [a for a in args if a is not type(None)]
        optional = len(inner) < len(args)
        annotation = inner[0]
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, optional


def _field_strategy(kind: str, name: str, annotation: Any) -> st.SearchStrategy[Any]:
    base, optional = _unwrap(annotation)
    codes = field_choices(FACT_MODELS[kind], name)
    if (kind, name) in OVERRIDES:
        strategy = OVERRIDES[(kind, name)]
    elif codes:
        strategy = st.sampled_from(codes)
    elif name in REFERENCED:
        strategy = st.lists(st.sampled_from(PEOPLE), max_size=2) if base == list[str] else st.sampled_from(PEOPLE)
    elif name == "school_year":
        strategy = st.sampled_from(["2019-2020", "2020-2021"])
    elif name == "year":
        strategy = st.sampled_from([2019, 2020, 2020])
    elif base is dt.date:
        strategy = DATES
    elif base is bool:
        strategy = st.booleans()
    elif base is int:
        strategy = st.integers(0, 120)
    elif base is float:
        strategy = st.floats(0, 60, allow_nan=False).map(lambda x: round(x, 1))
    else:
        strategy = st.sampled_from(["a", "b", "c"])
    return st.one_of(st.none(), strategy) if optional else strategy


def _record_strategy(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    model = FACT_MODELS[kind]
    fields = {
        name: _field_strategy(kind, name, info.annotation)
        for name, info in model.model_fields.items()
        if name != model.KEY
    }
    return st.fixed_dictionaries(fields)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A case with a random subset of fact files; people always P01..P0n so references resolve."""
    records: dict[str, list[Record]] = {}
    n_people = draw(st.integers(1, len(PEOPLE)))
    people_refs = PEOPLE[:n_people]
    kinds = draw(st.sets(st.sampled_from(sorted(set(FACT_MODELS) - {"people"})), min_size=4))
    for kind in ["people", *sorted(kinds)]:
        model = FACT_MODELS[kind]
        size = n_people if kind == "people" else draw(st.integers(0, 6))
        rows: list[Record] = []
        seen: set[Any] = set()
        for line in range(2, size + 2):
            data = draw(_record_strategy(kind))
            if model.KEY:
                data[model.KEY] = people_refs[line - 2] if kind == "people" else f"{kind[:3].upper()}{line}"
            if kind == "people":
                data["name"] = f"Người {line}"
            data = _resolve(data, people_refs)
            unique = UNIQUE_FIELDS.get(kind)
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
    cell = Cell(name="Chi bộ thử", party_committee="Đảng bộ xã thử", plan_year=2020)
    return Case(Path("generated"), cell, records)


def _resolve(data: dict[str, Any], people_refs: list[str]) -> dict[str, Any]:
    """References point only at people who exist in this case."""
    out = {}
    for name, value in data.items():
        if name in REFERENCED and value is not None:
            if isinstance(value, list):
                value = [people_refs[PEOPLE.index(v) % len(people_refs)] for v in value]
            else:
                value = people_refs[PEOPLE.index(value) % len(people_refs)]
        out[name] = value
    return out
