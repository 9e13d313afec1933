"""Rule files made ready to evaluate: conditions parsed, parameters resolved, names checked.

Both evaluators (durable-rules and the oracle) start from a `Prepared` rule, so a misspelt field or
alias in a rule file is reported once, here, with the rule id — not as a silent non-match.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .. import safeyaml
from ..errors import InputError, Problem
from ..facts.schema import Schema
from . import calendar
from .conditions import (
    JOB,
    SETTINGS,
    All,
    Any_,
    Arith,
    Cmp,
    Cond,
    FieldRef,
    Lit,
    Param,
    RuleShapeError,
    Value,
    field_refs,
    fields_of,
    literal,
    parse_cond,
    parse_value,
    refs_of,
    setting,
)
from .rulespec import RULE_NODES, Pattern, Plan, Rule, RuleSet

# `year`: the year a period starts in, a number, so a yearly record ("year: 2023") is found for its period
CALENDAR_FIELDS = {"key": "text", "start": "date", "end": "date", "workdays": "number", "year": "number"}
SYNTHETIC = {"calendar": "__cal", "values": "__val"}
# declared field types by what they compare with
TYPE_CLASS = {
    "text": "text", "ref": "text", "code": "text", "school_year": "text",
    "count": "number", "integer": "number", "number": "number", "percent": "number", "year": "number",
    "date": "date", "week": "date", "yesno": "yes/no", "refs": "list", "list": "list",
}
ORDERED = ("number", "date", "text")
Path_ = tuple[str, ...]


@dataclass(frozen=True)
class Bound:
    """A pattern with its condition parsed; `fact_type` is the `t` of the facts it binds. A calendar
    pattern carries its options with settings resolved (`span`: from, to, excluded ranges, holidays)."""

    alias: str
    fact_type: str
    where: All
    pattern: Pattern
    span: tuple[Any, ...] = (None, None, (), ())

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
    per: FieldRef | None = None
    per_unit: str | None = None
    calendar: calendar.PlanCalendar | None = None
    # what a check kind prepared that no other kind has (a hashable value: Prepared is frozen): the fields above
    # are those the bundled kinds share with the stages after them
    own: Any = None

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def kind(self) -> str:
        return self.rule.check.kind

    @property
    def judged(self) -> bool:
        """False for a rule with nothing to judge (an advisory reminder: rulespec.CheckSpec.judged)."""
        return self.rule.check.judged

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

    def kinds(self) -> list[str]:
        return self.rule.kinds()

    def synthetic_facts(self, as_of: dt.date) -> list[dict[str, Any]]:
        """Calendar periods and fixed values this rule ranges over, as facts of this case."""
        facts: list[dict[str, Any]] = []
        for b in self.bound():
            p = b.pattern
            if p.calendar:
                assert self.calendar is not None
                start, end, exclude, holidays = b.span
                rows = calendar.periods(p.calendar, self.calendar, as_of, start, end, [dict(r) for r in exclude],
                                        list(holidays))
            elif p.values is not None:
                rows = [_value_fact(item) for item in p.values]
            else:
                continue
            for row in rows:
                facts.append({"t": b.fact_type, "rule": self.id, "dim": b.alias, **row})
        return facts

    def periods(self, as_of: dt.date) -> list[tuple[str, dt.date, dt.date]]:
        """The periods a `per` check is judged for as of a day (ended ones), in order."""
        assert self.calendar is not None and self.per_unit is not None
        cal = self.calendar
        return [s for s in calendar.spans(self.per_unit, cal, cal.start, cal.end, [])
                if calendar.judged(s[2], as_of, cal.end)]


def _value_fact(item: dict[str, Any]) -> dict[str, Any]:
    row = {k: literal(v) for k, v in item.items() if not isinstance(v, (dict, list))}
    row["key"] = str(item["code"])
    return row


def _value_class(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "text"


class _Checker:
    """Collects problems of one rule, each at a key path of the rule file: unknown kinds, fields and
    aliases, codes a field cannot hold, comparisons of incompatible types."""

    def __init__(self, rule: Rule, schema: Schema):
        self.rule = rule
        self.schema = schema
        self.types: dict[str, dict[str, str]] = {}  # alias -> field -> type class
        self.kinds: dict[str, str | None] = {}  # alias -> kind of fact (None: calendar or values)
        self.problems: list[tuple[Path_, str]] = []
        self.path: Path_ = ("check",)

    def note(self, message: str, *more: str) -> None:
        self.problems.append((self.path + more, message))

    def note_value(self, value: Value, message: str, *more: str) -> None:
        """A problem with a value: where the rule file wrote it (a parameter), else where it is used."""
        origin = value.origin if isinstance(value, Lit) else ""
        if origin.startswith("params."):
            self.problems.append((tuple(origin.split(".", 1)), message))
        else:
            self.note(message + (f" [{origin}]" if origin else ""), *more)

    def add(self, pattern: Pattern) -> bool:
        if pattern.alias in self.types or pattern.alias == "chk":
            self.note(f"alias '{pattern.alias}' is used twice", "as")
        if pattern.kind:
            decl = self.schema.kinds.get(pattern.kind)
            if decl is None:
                self.note(f"unknown kind '{pattern.kind}' (the plan's kinds: {', '.join(self.schema.kinds)})",
                          "kind")
                self.types[pattern.alias] = {}
                self.kinds[pattern.alias] = None
                return False
            self.types[pattern.alias] = {n: TYPE_CLASS[f.type] for n, f in decl.fields.items()} | {"key": "text"}
            self.kinds[pattern.alias] = pattern.kind
        elif pattern.calendar:
            self.types[pattern.alias] = dict(CALENDAR_FIELDS)
            self.kinds[pattern.alias] = None
        else:
            fields: dict[str, str] = {"key": "text"}
            for item in pattern.values or []:
                for name, value in item.items():
                    if not isinstance(value, (dict, list)):
                        fields.setdefault(name, _value_class(value))
            self.types[pattern.alias] = fields
            self.kinds[pattern.alias] = None
        return True

    # ------------------------------------------------------------------------------------- types

    def value_class(self, value: Value, allowed: set[str]) -> str | None:
        """The type class of a value, noting problems; None when unknown (already reported)."""
        if isinstance(value, Lit):
            if value.is_date:
                return "date"
            return _value_class(value.value)
        if isinstance(value, Param):
            return "date"  # as_of, meeting, last_meeting
        if isinstance(value, FieldRef):
            self.ref(value, allowed)
            return self.types.get(value.alias, {}).get(value.field)
        if isinstance(value, Arith):
            for operand in (value.left, value.right):
                side = self.value_class(operand, allowed)
                if side is not None and side != "number":
                    self.note_value(operand, f"'{value.op}' works on numbers, not on a {side} value"
                                             f" ({_shown(operand)})")
            return "number"
        return None

    def ref(self, ref: FieldRef, allowed: set[str]) -> None:
        if ref.alias not in allowed:
            self.note(f"'{ref.alias}.{ref.field}' names an alias not bound before it")
        elif ref.field not in self.types[ref.alias]:
            self.note(f"'{ref.alias}' ({self._source(ref.alias)}) has no field '{ref.field}'")

    def compare(self, cmp: Cmp, own: str, allowed: set[str]) -> None:
        mine = self.types.get(own, {}).get(cmp.field)
        if mine is None:
            return  # unknown field: reported by cond()
        other = self.value_class(cmp.value, allowed)
        key = (cmp.field,)
        if other is None:
            return
        if mine == "list" or other == "list":
            self.note(f"'{cmp.field}' is a list: test it with exists, not {cmp.op}", *key)
        elif mine != other:
            self.note_value(cmp.value, f"'{cmp.field}' is {_a(mine)} value and cannot be compared with {_a(other)} "
                                       f"value ({_shown(cmp.value)})", *key)
        elif cmp.op not in ("eq", "ne") and mine not in ORDERED:
            self.note(f"'{cmp.field}' is {_a(mine)} value: only eq and ne compare it", *key)
        elif isinstance(cmp.value, Lit) and isinstance(cmp.value.value, str):
            self.code(own, cmp.field, cmp.value.value)

    def code(self, alias: str, name: str, value: str) -> None:
        """A literal compared with a coded field must be one of its codes: any other is never found."""
        kind = self.kinds.get(alias)
        decl = self.schema.field(kind, name) if kind else None
        if decl is not None and decl.type == "code" and value not in (decl.codes or {}):
            codes = ", ".join(decl.codes or {}) or "none declared"
            self.note(f"'{value}' is not a code of {kind}.{name} (codes: {codes})", name)

    def cond(self, cond: All, own: str | None, allowed: set[str]) -> None:
        for alias in refs_of(cond):
            if alias not in allowed:
                self.note(f"condition refers to '{alias}', not bound before it")
        for name in fields_of(cond):
            if (own is not None and own in self.types and name not in self.types[own]
                    and (own not in self.kinds or self.kinds[own])):
                self.note(f"'{own}' ({self._source(own)}) has no field '{name}'", name)
        if own is not None:
            for atom in _atoms(cond):
                if isinstance(atom, Cmp):
                    self.compare(atom, own, allowed)

    def always_recorded(self, must: All, patterns: dict[str, Pattern]) -> None:
        """`must` is negated to find failing records; that negation is exact only if what it compares
        with is always there, so it may join only to fields every record has."""
        for ref in field_refs(must):
            pattern = patterns.get(ref.alias)
            if pattern is None or pattern.calendar:
                continue
            if pattern.kind:
                decl = self.schema.field(pattern.kind, ref.field)
                if decl is not None and not decl.required and decl.default is None and decl.blank is None:
                    self.note(f"must compares with '{ref.alias}.{ref.field}', which may be unrecorded", "must")
            elif any(ref.field not in item for item in pattern.values or []):
                self.note(f"must compares with '{ref.alias}.{ref.field}', missing in some values", "must")

    def numeric(self, ref: FieldRef, what: str) -> None:
        kind = self.types.get(ref.alias, {}).get(ref.field)
        if kind is not None and kind != "number":
            self.note(f"{what} '{ref.alias}.{ref.field}' is {_a(kind)} field, not a number")

    def per_calendar(self, ref: FieldRef, unit: str) -> None:
        """A `per` judges the periods of one calendar by their keys: a year field ("2021") never holds a school
        year's key ("2020-2021") nor the other way round, so every period would say "no records"."""
        kind = self.kinds.get(ref.alias)
        decl = self.schema.kinds[kind].fields.get(ref.field) if kind else None
        if decl is not None and decl.type in ("year", "school_year") and decl.type != unit:
            self.note(f"'{ref.alias}.{ref.field}' is a {decl.type} field: it cannot be judged per {unit} "
                      f"(calendar: {decl.type})")

    def _source(self, alias: str) -> str:
        return next(
            (p.kind or p.calendar or "values" for p in self.rule.check.patterns() if p.alias == alias), "?"
        )


def _a(kind: str) -> str:
    return {"number": "a number", "date": "a date", "text": "a text", "yes/no": "a yes/no",
            "list": "a list"}.get(kind, kind)


def _shown(value: Value) -> str:
    if isinstance(value, Lit):
        shown = repr(value.value)
        return f"{value.origin} = {shown}" if value.origin else shown
    if isinstance(value, FieldRef):
        return f"{value.alias}.{value.field}"
    if isinstance(value, Param):
        return value.name
    return value.op


def _atoms(cond: Cond) -> list[Cond]:
    if isinstance(cond, (All, Any_)):
        return [a for item in cond.items for a in _atoms(item)]
    return [cond]


def _params(rule: Rule, plan: Plan) -> dict[str, Any]:
    return {
        **rule.params,
        "plan_year": plan.year,
        "plan_start": plan.start,
        "plan_end": plan.end,
        "year_start": plan.start,
        "year_end": plan.end,
        JOB: rule.job,
        SETTINGS: plan.settings,
    }


def _due(rule: Rule, plan: Plan) -> tuple[dt.date | None, str | None]:
    if rule.due == "continuous":
        return None, None
    if rule.due.each:
        return None, rule.due.each
    at = rule.due.at
    if isinstance(at, dt.date):
        return at, None
    if at in ("year_end", "plan_end"):
        return plan.end, None
    value = plan.settings.get(at) if at is not None else None
    if isinstance(value, dt.date):
        return value, None
    raise RuleShapeError(f"due: '{at}' is not a date of the plan's settings")


def plan_calendar(plan: Plan) -> calendar.PlanCalendar:
    school_years = tuple(sorted((k, s, e) for k, (s, e) in plan.school_years().items()))
    return calendar.PlanCalendar(plan.start, plan.end, frozenset(plan.holidays()), school_years)


def _span(pattern: Pattern, params: dict[str, Any]) -> tuple[Any, ...]:
    """A calendar pattern's from / to / exclude with settings resolved."""
    def resolve(value: Any) -> Any:
        return setting(value["setting"], params) if isinstance(value, dict) else value

    start, end, exclude = resolve(pattern.start), resolve(pattern.end), resolve(pattern.exclude)
    for name, value in (("from", start), ("to", end)):
        if value is not None and not isinstance(value, dt.date):
            raise RuleShapeError(f"calendar '{name}' must be a date")
    if not isinstance(exclude, list) or not all(
        isinstance(r, dict) and isinstance(r.get("from"), dt.date) and isinstance(r.get("to"), dt.date)
        for r in exclude
    ):
        raise RuleShapeError("calendar 'exclude' is a list of {from: date, to: date}")
    return start, end, tuple(tuple(sorted(r.items())) for r in exclude), tuple(pattern.holidays)


def _field_ref(text: str) -> FieldRef:
    alias, _, field = text.partition(".")
    if not alias or not field:
        raise RuleShapeError(f"expected alias.field, got '{text}'")
    return FieldRef(alias, field)


class _RuleProblems(Exception):
    def __init__(self, problems: list[tuple[Path_, str]]):
        super().__init__(problems)
        self.problems = problems


class Preparing:
    """One rule being prepared: what every check kind's `prepare` (its model's, rulespec.CheckSpec) uses to
    bind its patterns, parse its conditions and field names and note each problem at its key path. Problems
    are noted in the order the kind asks, which is the order they are reported in."""

    def __init__(self, rule: Rule, plan: Plan, schema: Schema):
        self.rule = rule
        self.params = _params(rule, plan)
        self.checker = _Checker(rule, schema)
        self.paths = {pattern.alias: path for path, pattern in rule.check.pattern_paths()}

    def guarded(self, path: Path_, build: Any) -> Any:
        """build(), or None with its RuleShapeError noted at `path`."""
        self.checker.path = path
        try:
            return build()
        except RuleShapeError as exc:
            self.checker.note(str(exc))
            return None

    def bind(self, pattern: Pattern | None) -> Bound | None:
        """A pattern checked against the plan's kinds (and the aliases bound before it) and its condition
        parsed; None when it has problems (noted) or is absent."""
        if pattern is None:
            return None
        checker = self.checker
        allowed = set(checker.types)
        checker.path = self.paths[pattern.alias]
        if not checker.add(pattern):
            return None
        checker.path = self.paths[pattern.alias] + ("where",)
        where = self.guarded(checker.path, lambda: parse_cond(pattern.where, self.params))
        if where is None:
            return None
        checker.cond(where, pattern.alias, allowed | {pattern.alias})
        fact_type = pattern.kind or SYNTHETIC["calendar" if pattern.calendar else "values"]
        span = None
        if pattern.calendar:
            span = self.guarded(self.paths[pattern.alias], lambda: _span(pattern, self.params))
        return Bound(pattern.alias, fact_type, where, pattern, span or (None, None, (), ()))

    def dims(self, patterns: list[Pattern]) -> tuple[Bound | None, ...]:
        return tuple(self.bind(p) for p in patterns)

    def cond(self, path: Path_, raw: dict[str, Any], own: str) -> All | None:
        """A condition on the records of alias `own` (bound already), parsed and checked."""
        cond = self.guarded(path, lambda: parse_cond(raw, self.params))
        if cond is not None:
            self.checker.cond(cond, own, set(self.checker.types))
        return cond

    def must(self, raw: dict[str, Any], own: str) -> All | None:
        """`must` on the records of `own`: a condition whose negation finds the failing records."""
        must = self.cond(("check", "must"), raw, own)
        if must is not None:
            self.checker.always_recorded(must, {p.alias: p for p in self.rule.check.patterns()})
        return must

    def alias_known(self, alias: str) -> bool:
        return alias in self.checker.types

    def note(self, path: Path_, message: str, *more: str) -> None:
        self.checker.path = path
        self.checker.note(message, *more)

    def field_ref(self, path: Path_, text: str) -> FieldRef | None:
        """`alias.field` parsed (not yet checked against the bound aliases: `ref` does)."""
        ref: FieldRef | None = self.guarded(path, lambda: _field_ref(text))
        return ref

    def field_refs(self, path: Path_, *sides: list[str]) -> tuple[tuple[FieldRef, ...], ...] | None:
        """Lists of `alias.field` parsed together (a ratio's summed fields); None at the first wrong one."""
        refs: tuple[tuple[FieldRef, ...], ...] | None = self.guarded(
            path, lambda: tuple(tuple(_field_ref(text) for text in side) for side in sides))
        return refs

    def ref(self, path: Path_, ref: FieldRef | None, numeric: str = "") -> None:
        """A field reference checked: its alias bound and its field declared; a number when `numeric`
        says what it is for (`sum`)."""
        if ref is None:
            return
        self.checker.path = path
        self.checker.ref(ref, set(self.checker.types))
        if numeric:
            self.checker.numeric(ref, numeric)

    def per_calendar(self, ref: FieldRef | None, unit: str) -> None:
        if ref is not None:
            self.checker.path = ("check", "per")
            self.checker.per_calendar(ref, unit)

    def target(self, raw: Any) -> Fraction | None:
        """A target: a number, or a parameter or setting holding one."""
        if raw is None:
            return None
        value = self.guarded(("check", "target"), lambda: parse_value(raw, self.params))
        if value is not None and (not isinstance(value, Lit) or isinstance(value.value, (bool, str)) or value.is_date):
            self.checker.note(f"target must be a number (or a parameter or setting holding one), not {_shown(value)}")
        elif value is not None:
            return Fraction(str(value.value))
        return None


def prepare_rule(rule: Rule, plan: Plan, schema: Schema) -> Prepared:
    """A rule checked against the plan's kinds and made ready to evaluate: its check kind prepares what is its
    own (rulespec.CheckSpec.prepare), then its due date; _RuleProblems with every problem at its key path."""
    ctx = Preparing(rule, plan, schema)
    fields = rule.check.prepare(ctx)
    due = ctx.guarded(("due",), lambda: _due(rule, plan))
    if ctx.checker.problems:
        raise _RuleProblems(ctx.checker.problems)
    due_date, due_each = due
    dims = fields.pop("dims", ())
    bound = tuple(d for d in dims if d is not None)
    assert len(bound) == len(dims)  # a pattern that did not bind noted a problem, raised just above
    return Prepared(rule=rule, dims=bound, due_date=due_date, due_each=due_each, calendar=plan_calendar(plan),
                    **fields)


def prepare(ruleset: RuleSet, job: str | None = "check") -> list[Prepared]:
    """Prepare the rules of one job (`check`: the plan; `ready`: the pre-meeting checklist; None:
    all, to validate a rules folder); all problems across rule files are reported together, each with
    its file, line and key."""
    out, problems = [], []
    folder = str(ruleset.folder) if ruleset.folder else ""
    for rule in ruleset.rules:
        if job is not None and rule.job != job:
            continue
        try:
            out.append(prepare_rule(rule, ruleset.plan, ruleset.schema))
        except _RuleProblems as err:
            node = RULE_NODES.get((folder, rule.source))
            for path, message in err.problems:
                problems.append(Problem(rule.source, safeyaml.line_of(node, path), ".".join(path), "rule",
                                        f"{rule.id}: {message}"))
    if problems:
        raise InputError(problems)
    return out
