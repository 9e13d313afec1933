"""Conditions of the rule language parsed into a small tree both evaluators share.

The tree is the only thing the durable-rules compiler and the plain-Python oracle have in common:
the compiler negates it structurally (De Morgan, complement operators) for "fails `must`" rules,
while the oracle simply applies Python's `not`, so the two cross-check each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..facts.values import date_number, number_date  # noqa: F401 (re-exported)
from .rulespec import ARITH, OPS

COMPLEMENT = {"eq": "ne", "ne": "eq", "lt": "gte", "gte": "lt", "lte": "gt", "gt": "lte"}
RUNTIME_PARAMS = ("as_of", "meeting", "last_meeting")
# `meeting` and `last_meeting` exist only in a pre-meeting review (rules with job: ready).
MEETING_PARAMS = ("meeting", "last_meeting")
JOB = "__job"  # key under which prepare passes the rule's job to parse_value
SETTINGS = "__settings"  # key under which prepare passes the plan's settings


@dataclass(frozen=True)
class Lit:
    value: Any
    # a date travels as a yyyymmdd number; the rule checker still needs to know it was a date
    is_date: bool = field(default=False, compare=False)
    # where a resolved value was written ("params.target", "settings.no_teaching"): where a problem with it is
    origin: str = field(default="", compare=False)


@dataclass(frozen=True)
class FieldRef:
    alias: str
    field: str


@dataclass(frozen=True)
class Param:
    """A value known only when a case is checked (the as-of date)."""

    name: str


@dataclass(frozen=True)
class Arith:
    op: str
    left: Value
    right: Value


Value = Lit | FieldRef | Param | Arith


@dataclass(frozen=True)
class Cmp:
    field: str
    op: str
    value: Value


@dataclass(frozen=True)
class Exists:
    field: str
    present: bool


@dataclass(frozen=True)
class All:
    items: tuple[Cond, ...]


@dataclass(frozen=True)
class Any_:
    items: tuple[Cond, ...]


Cond = Cmp | Exists | All | Any_


class RuleShapeError(ValueError):
    """A condition or value the language does not have; reported with the rule id."""


def literal(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return date_number(value)
    if isinstance(value, (str, int, float, bool)):
        return value
    raise RuleShapeError(f"unsupported literal {value!r}")


def setting(name: Any, params: dict[str, Any]) -> Any:
    """A plan setting by name (rule errors name what is missing)."""
    settings = params.get(SETTINGS, {})
    if not isinstance(name, str) or name not in settings:
        known = ", ".join(sorted(settings)) or "none"
        raise RuleShapeError(f"unknown setting '{name}' (the plan's settings: {known})")
    return settings[name]


def parse_value(raw: Any, params: dict[str, Any]) -> Value:
    """Rule parameters, settings and plan dates are resolved now; only `as_of` waits for the case."""
    if isinstance(raw, dict):
        if len(raw) != 1:
            raise RuleShapeError(f"a value has one key (ref, param, setting, add, sub, mul): {raw!r}")
        (key, arg), = raw.items()
        if key == "setting":
            return _from(parse_value(setting(arg, params), params), f"settings.{arg}")
        if key == "ref":
            alias, _, field = str(arg).partition(".")
            if not alias or not field:
                raise RuleShapeError(f"ref takes alias.field: {arg!r}")
            return FieldRef(alias, field)
        if key == "param":
            if arg in MEETING_PARAMS and params.get(JOB) != "ready":
                raise RuleShapeError(f"parameter '{arg}' exists only in rules with job: ready")
            if arg in RUNTIME_PARAMS:
                return Param(arg)
            if arg not in params:
                raise RuleShapeError(f"unknown parameter '{arg}'")
            return _from(parse_value(params[arg], params), f"params.{arg}")
        if key in ARITH:
            if not isinstance(arg, list) or len(arg) != 2:
                raise RuleShapeError(f"{key} takes a list of two values")
            return Arith(key, parse_value(arg[0], params), parse_value(arg[1], params))
        raise RuleShapeError(f"unknown value form '{key}'")
    return Lit(literal(raw), isinstance(raw, dt.date))


def _from(value: Value, origin: str) -> Value:
    """A literal resolved from a parameter or a setting remembers where it was written."""
    return Lit(value.value, value.is_date, value.origin or origin) if isinstance(value, Lit) else value


def _is_value_form(raw: Any) -> bool:
    return isinstance(raw, dict) and len(raw) == 1 and next(iter(raw)) in ("ref", "param", "setting", *ARITH)


def parse_cond(raw: dict[str, Any] | None, params: dict[str, Any]) -> All:
    """Parse a `where`/`must` mapping: every key must hold (an implicit `all`)."""
    items: list[Cond] = []
    for key, spec in (raw or {}).items():
        if key in ("all", "any"):
            if not isinstance(spec, list) or not spec:
                raise RuleShapeError(f"'{key}' takes a non-empty list of conditions")
            parts = tuple(parse_cond(part, params) for part in spec)
            items.append(All(parts) if key == "all" else Any_(parts))
        elif isinstance(spec, dict) and not _is_value_form(spec):
            if not spec:
                raise RuleShapeError(f"empty condition for '{key}'")
            for op, arg in spec.items():
                items.append(_parse_op(key, op, arg, params))
        else:
            items.append(Cmp(key, "eq", parse_value(spec, params)))
    return All(tuple(items))


def _parse_op(field: str, op: str, arg: Any, params: dict[str, Any]) -> Cond:
    if op not in OPS:
        raise RuleShapeError(f"unknown operator '{op}' on '{field}' (one of {', '.join(OPS)})")
    if op == "exists":
        if not isinstance(arg, bool):
            raise RuleShapeError(f"exists takes true or false on '{field}'")
        return Exists(field, arg)
    if op == "in":
        if isinstance(arg, dict) and arg.keys() == {"param"}:
            arg = params.get(arg["param"])
        if isinstance(arg, dict) and arg.keys() == {"setting"}:
            arg = setting(arg["setting"], params)
        if not isinstance(arg, list) or not arg:
            raise RuleShapeError(f"in takes a non-empty list on '{field}'")
        return Any_(tuple(Cmp(field, "eq", parse_value(x, params)) for x in arg))
    return Cmp(field, op, parse_value(arg, params))


def negate(cond: Cond) -> Cond:
    """Structural negation. A comparison on an unrecorded field is false, so its negation holds there."""
    if isinstance(cond, Cmp):
        return Any_((Exists(cond.field, False), Cmp(cond.field, COMPLEMENT[cond.op], cond.value)))
    if isinstance(cond, Exists):
        return Exists(cond.field, not cond.present)
    if isinstance(cond, All):
        return Any_(tuple(negate(c) for c in cond.items))
    return All(tuple(negate(c) for c in cond.items))


def fields_of(cond: Cond) -> list[str]:
    """Own fields a condition tests, in order: shown beside a failing record."""
    if isinstance(cond, (Cmp, Exists)):
        return [cond.field]
    out: list[str] = []
    for item in cond.items:
        out += [f for f in fields_of(item) if f not in out]
    return out


def field_refs(cond: Cond) -> list[FieldRef]:
    """Fields of other patterns a condition joins to, in order."""
    out: list[FieldRef] = []

    def visit_value(value: Value) -> None:
        if isinstance(value, FieldRef):
            out.append(value)
        elif isinstance(value, Arith):
            visit_value(value.left)
            visit_value(value.right)

    def visit(node: Cond) -> None:
        if isinstance(node, Cmp):
            visit_value(node.value)
        elif isinstance(node, (All, Any_)):
            for item in node.items:
                visit(item)

    visit(cond)
    return out


def refs_of(cond: Cond) -> set[str]:
    """Aliases a condition joins to."""
    return {ref.alias for ref in field_refs(cond)}
