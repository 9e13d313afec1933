"""Conditions interpreted in plain Python: the oracle's evaluator, also used to explain failures.

A comparison with an unrecorded value is false (as in durable-rules, where a missing property does
not match); booleans only equal booleans (Python's 1 == True would otherwise leak in).
"""

from __future__ import annotations

import operator
from typing import Any

from .conditions import All, Any_, Arith, Cmp, Cond, Exists, FieldRef, Lit, Param, Value, fields_of

MISSING = object()
_CMP = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "lte": operator.le,
        "gt": operator.gt, "gte": operator.ge}
_ARITH = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}
Env = dict[str, dict[str, Any]]


def _recorded(value: Any) -> bool:
    return value is not None and value != [] and value != ""


def value_of(value: Value, env: Env, params: dict[str, Any]) -> Any:
    if isinstance(value, Lit):
        return value.value
    if isinstance(value, FieldRef):
        got = env[value.alias].get(value.field, MISSING)
        return got if _recorded(got) else MISSING
    if isinstance(value, Param):
        return params[value.name]
    if isinstance(value, Arith):
        left, right = value_of(value.left, env, params), value_of(value.right, env, params)
        if left is MISSING or right is MISSING:
            return MISSING
        return _ARITH[value.op](left, right)
    raise TypeError(value)


def holds(cond: Cond, fact: dict[str, Any], env: Env, params: dict[str, Any]) -> bool:
    if isinstance(cond, Exists):
        return _recorded(fact.get(cond.field)) == cond.present
    if isinstance(cond, Cmp):
        mine = fact.get(cond.field)
        other = value_of(cond.value, env, params)
        if not _recorded(mine) or other is MISSING:
            return False
        if type(mine) is bool or type(other) is bool:
            return cond.op in ("eq", "ne") and _CMP[cond.op](mine, other) and type(mine) is type(other)
        try:
            return bool(_CMP[cond.op](mine, other))
        except TypeError:
            return cond.op == "ne"
    if isinstance(cond, All):
        return all(holds(c, fact, env, params) for c in cond.items)
    if isinstance(cond, Any_):
        return any(holds(c, fact, env, params) for c in cond.items)
    raise TypeError(cond)


def explain(must: All, record: dict[str, Any], env: Env, params: dict[str, Any]) -> dict[str, Any]:
    """For a record failing `must`: each failing test with the value found and what was expected."""
    out: dict[str, Any] = {}
    for atom in must.items:
        if holds(atom, record, env, params):
            continue
        if isinstance(atom, Cmp):
            expected = value_of(atom.value, env, params)
            out[atom.field] = {"value": record.get(atom.field), "op": atom.op,
                               "expected": None if expected is MISSING else expected}
        elif isinstance(atom, Exists):
            out[atom.field] = {"value": record.get(atom.field), "op": "exists", "expected": atom.present}
        elif isinstance(atom, Any_) and all(isinstance(c, Cmp) and c.op == "eq" for c in atom.items):
            field = atom.items[0].field  # type: ignore[union-attr]
            out[field] = {"value": record.get(field), "op": "in",
                          "expected": [value_of(c.value, env, params) for c in atom.items]}  # type: ignore[union-attr]
        else:
            for name in fields_of(atom):
                out[name] = {"value": record.get(name), "op": "all", "expected": None}
    return out
