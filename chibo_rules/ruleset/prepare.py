"""Rule files made ready to evaluate: conditions parsed, parameters resolved, names checked.

Both evaluators (durable-rules and the oracle) start from a `Prepared` rule, so a misspelt field or
alias in a rule file is reported once, here, with the rule id — not as a silent non-match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import InputError, Problem
from ..facts.models import FACT_MODELS
from . import calendar
from .conditions import (
    JOB,
    All,
    FieldRef,
    Lit,
    RuleShapeError,
    field_refs,
    fields_of,
    literal,
    parse_cond,
    parse_value,
    refs_of,
)
from .rulespec import Pattern, Plan, Rule, RuleSet, SumSpec

CALENDAR_FIELDS = ("key", "start", "end", "workdays")
SYNTHETIC = {"calendar": "__cal", "values": "__val"}


@dataclass(frozen=True)
class Bound:
    """A pattern with its condition parsed; `fact_type` is the `t` of the facts it binds."""

    alias: str
    fact_type: str
    where: All
    pattern: Pattern

    @property
    def synthetic(self) -> bool:
        return self.fact_type.startswith("__")

    def lookup_type(self, rule_id: str) -> str:
        """Name under which this pattern's facts are indexed for explaining findings."""
        return f"{self.fact_type}:{rule_id}:{self.alias}" if self.synthetic else self.fact_type


@dataclass(frozen=True)
class Prepared:
    rule: Rule
    dims: tuple[Bound, ...]
    require: Bound | None = None
    must: All | None = None
    numerator: tuple[str, All] | None = None
    distinct: FieldRef | None = None
    sum_field: FieldRef | None = None
    sums: tuple[tuple[FieldRef, ...], tuple[FieldRef, ...]] | None = None
    op: str | None = None
    target: Fraction | None = None
    due_date: dt.date | None = None
    due_each: str | None = None
    evidence: Bound | None = None
    among: Bound | None = None

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def kind(self) -> str:
        return self.rule.check.kind

    def bound(self) -> list[Bound]:
        out = list(self.dims)
        if self.require:
            out.append(self.require)
        if self.evidence:
            out.append(self.evidence)
        if self.among:
            out.append(self.among)
        return out

    def alias_map(self) -> dict[str, Bound]:
        return {b.alias: b for b in self.bound()}

    def synthetic_facts(self, plan_year: int, as_of: dt.date) -> list[dict[str, Any]]:
        """Calendar periods and fixed values this rule ranges over, as facts of this case."""
        facts: list[dict[str, Any]] = []
        for b in self.bound():
            p = b.pattern
            if p.calendar:
                rows = calendar.periods(p.calendar, plan_year, as_of, p.start, p.end, p.exclude, p.holidays)
            elif p.values is not None:
                rows = [_value_fact(item) for item in p.values]
            else:
                continue
            for row in rows:
                facts.append({"t": b.fact_type, "rule": self.id, "dim": b.alias, **row})
        return facts


def _value_fact(item: dict[str, Any]) -> dict[str, Any]:
    row = {k: literal(v) for k, v in item.items() if not isinstance(v, (dict, list))}
    row["key"] = str(item["code"])
    return row


def _fields(pattern: Pattern) -> set[str]:
    if pattern.kind:
        return set(FACT_MODELS[pattern.kind].model_fields) | {"key"}
    if pattern.calendar:
        return set(CALENDAR_FIELDS)
    out = {"key"}
    for item in pattern.values or []:
        out |= set(item)
    return out


class _Checker:
    """Collects naming problems of one rule: unknown fields, unknown or later aliases."""

    def __init__(self, rule: Rule):
        self.rule = rule
        self.fields: dict[str, set[str]] = {}
        self.problems: list[str] = []

    def add(self, pattern: Pattern) -> None:
        if pattern.alias in self.fields or pattern.alias == "chk":
            self.problems.append(f"alias '{pattern.alias}' is used twice")
        self.fields[pattern.alias] = _fields(pattern)

    def ref(self, ref: FieldRef, allowed: set[str]) -> None:
        if ref.alias not in allowed:
            self.problems.append(f"'{ref.alias}.{ref.field}' names an alias not bound before it")
        elif ref.field not in self.fields[ref.alias]:
            self.problems.append(f"'{ref.alias}' has no field '{ref.field}'")

    def cond(self, cond: All, own: str | None, allowed: set[str]) -> None:
        for alias in refs_of(cond):
            if alias not in allowed:
                self.problems.append(f"condition refers to '{alias}', not bound before it")
        for name in fields_of(cond):
            if own is not None and name not in self.fields[own]:
                self.problems.append(f"'{own}' ({self._source(own)}) has no field '{name}'")
        for ref in field_refs(cond):
            if ref.alias in allowed:
                self.ref(ref, allowed)

    def always_recorded(self, must: All) -> None:
        """`must` is negated to find failing records; that negation is exact only if what it compares
        with is always there, so it may join only to fields every record has."""
        patterns = {p.alias: p for p in self.rule.check.patterns()}
        for ref in field_refs(must):
            pattern = patterns.get(ref.alias)
            if pattern is None or pattern.calendar:
                continue
            if pattern.kind:
                info = FACT_MODELS[pattern.kind].model_fields.get(ref.field)
                if info is not None and not info.is_required() and info.default is None:
                    self.problems.append(f"must compares with '{ref.alias}.{ref.field}', which may be unrecorded")
            elif any(ref.field not in item for item in pattern.values or []):
                self.problems.append(f"must compares with '{ref.alias}.{ref.field}', missing in some values")

    def _source(self, alias: str) -> str:
        return next(
            (p.kind or p.calendar or "values" for p in self.rule.check.patterns() if p.alias == alias), "?"
        )


def _params(rule: Rule, plan: Plan) -> dict[str, Any]:
    return {
        **rule.params,
        "plan_year": plan.year,
        "year_start": dt.date(plan.year, 1, 1),
        "year_end": dt.date(plan.year, 12, 31),
        JOB: rule.job,
    }


def _due(rule: Rule, plan: Plan) -> tuple[dt.date | None, str | None]:
    if rule.due == "continuous":
        return None, None
    if rule.due.each:
        return None, rule.due.each
    at = rule.due.at
    if isinstance(at, dt.date):
        return at, None
    if at == "year_end":
        return dt.date(plan.year, 12, 31), None
    if at in plan.dates:
        return plan.dates[at], None
    raise RuleShapeError(f"due: unknown date name '{at}' (add it to plan.yaml dates)")


def _field_ref(text: str) -> FieldRef:
    alias, _, field = text.partition(".")
    if not alias or not field:
        raise RuleShapeError(f"expected alias.field, got '{text}'")
    return FieldRef(alias, field)


def prepare_rule(rule: Rule, plan: Plan) -> Prepared:
    check = rule.check
    params = _params(rule, plan)
    checker = _Checker(rule)

    def bind(pattern: Pattern) -> Bound:
        allowed = set(checker.fields)
        checker.add(pattern)
        where = parse_cond(pattern.where, params)
        checker.cond(where, pattern.alias, allowed | {pattern.alias})
        fact_type = pattern.kind or SYNTHETIC["calendar" if pattern.calendar else "values"]
        return Bound(pattern.alias, fact_type, where, pattern)

    dims = tuple(bind(p) for p in (check.for_each or check.match))
    require = bind(check.require) if check.require else None
    evidence = bind(check.evidence) if check.evidence else None
    among = bind(check.among) if check.among else None
    must = None
    if check.must:
        must = parse_cond(check.must, params)
        own = require.alias if require else dims[-1].alias
        checker.cond(must, own, set(checker.fields))
        checker.always_recorded(must)
    numerator = None
    if check.numerator:
        if check.numerator.as_ not in checker.fields:
            checker.problems.append(f"numerator names unknown alias '{check.numerator.as_}'")
        else:
            where = parse_cond(check.numerator.where, params)
            checker.cond(where, check.numerator.as_, set(checker.fields))
            numerator = (check.numerator.as_, where)
    distinct = _field_ref(check.distinct) if check.distinct else None
    sum_field = _field_ref(check.sum) if isinstance(check.sum, str) else None
    sums = None
    if isinstance(check.sum, SumSpec):
        sums = (
            tuple(_field_ref(f) for f in check.sum.fields("numerator")),
            tuple(_field_ref(f) for f in check.sum.fields("denominator")),
        )
    for ref in [r for r in (distinct, sum_field) if r] + [r for side in (sums or ()) for r in side]:
        checker.ref(ref, set(checker.fields))
    target = None
    if check.target is not None:
        value = parse_value(check.target, params)
        if not isinstance(value, Lit) or isinstance(value.value, (bool, str)):
            raise RuleShapeError("target must be a number (or a parameter holding one)")
        target = Fraction(str(value.value))
    if checker.problems:
        raise RuleShapeError("; ".join(checker.problems))
    due_date, due_each = _due(rule, plan)
    return Prepared(
        rule=rule, dims=dims, require=require, must=must, numerator=numerator, distinct=distinct,
        sum_field=sum_field, sums=sums, op=check.op, target=target, due_date=due_date,
        due_each=due_each, evidence=evidence, among=among,
    )


def prepare(ruleset: RuleSet, job: str | None = "check") -> list[Prepared]:
    """Prepare the rules of one job (`check`: the plan; `ready`: the pre-meeting checklist; None:
    all, to validate a rules folder); all problems across rule files are reported together."""
    out, problems = [], []
    for rule in ruleset.rules:
        if job is not None and rule.job != job:
            continue
        try:
            out.append(prepare_rule(rule, ruleset.plan))
        except RuleShapeError as exc:
            problems.append(Problem(rule.source, None, rule.id, "rule", str(exc)))
    if problems:
        raise InputError(problems)
    return out
