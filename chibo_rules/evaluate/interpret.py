"""Conditions interpreted in plain Python: the oracle's evaluator, also used to explain failures.

A comparison with an unrecorded value is false (as in durable-rules, where a missing property does
not match); booleans only equal booleans (Python's 1 == True would otherwise leak in).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from ..ruleset.conditions import All, Any_, Arith, Cmp, Cond, Exists, FieldRef, Lit, Param, Value, fields_of

MISSING = object()
_CMP: dict[str, Callable[[Any, Any], Any]] = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt,
                                              "lte": operator.le, "gt": operator.gt, "gte": operator.ge}
_ARITH = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}
Env = dict[str, dict[str, Any]]
Pred = Callable[[dict[str, Any], Env, dict[str, Any]], bool]
Getter = Callable[[Env, dict[str, Any]], Any]


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


# ============================================================================================
# THE SAME SEMANTICS AS CLOSURES: what the oracle runs per record
# ============================================================================================
# `holds` walks the tree and dispatches on node types for every record; the oracle tests each
# condition on thousands of records per cell, so it compiles the tree once into nested closures
# that do exactly what `holds`/`value_of` do, branch for branch (tests/test_bench.py compares them
# on generated conditions and records).

def compile_value(value: Value) -> Getter:
    """`value_of` as a closure of (env, params)."""
    if isinstance(value, Lit):
        constant = value.value
        return lambda env, params: constant
    if isinstance(value, FieldRef):
        alias, name = value.alias, value.field

        def ref(env: Env, params: dict[str, Any]) -> Any:
            got = env[alias].get(name, MISSING)
            return MISSING if got is None or got == [] or got == "" else got

        return ref
    if isinstance(value, Param):
        param = value.name
        return lambda env, params: params[param]
    if isinstance(value, Arith):
        fn, left, right = _ARITH[value.op], compile_value(value.left), compile_value(value.right)

        def arith(env: Env, params: dict[str, Any]) -> Any:
            a, b = left(env, params), right(env, params)
            if a is MISSING or b is MISSING:
                return MISSING
            return fn(a, b)

        return arith
    raise TypeError(value)


def _compile_cmp(cond: Cmp) -> Pred:
    name, fn, eq_or_ne, is_ne = cond.field, _CMP[cond.op], cond.op in ("eq", "ne"), cond.op == "ne"
    if isinstance(cond.value, Lit) and cond.value.value is not None and cond.value.value is not MISSING:
        other, other_bool = cond.value.value, type(cond.value.value) is bool

        def cmp_lit(fact: dict[str, Any], env: Env, params: dict[str, Any]) -> bool:
            mine = fact.get(name)
            if mine is None or mine == [] or mine == "":
                return False
            if other_bool or type(mine) is bool:
                return eq_or_ne and fn(mine, other) and type(mine) is type(other)
            try:
                return bool(fn(mine, other))
            except TypeError:
                return is_ne

        return cmp_lit
    get = compile_value(cond.value)

    def cmp(fact: dict[str, Any], env: Env, params: dict[str, Any]) -> bool:
        mine = fact.get(name)
        other = get(env, params)
        if mine is None or mine == [] or mine == "" or other is MISSING:
            return False
        if type(mine) is bool or type(other) is bool:
            return eq_or_ne and fn(mine, other) and type(mine) is type(other)
        try:
            return bool(fn(mine, other))
        except TypeError:
            return is_ne

    return cmp


def compile_cond(cond: Cond) -> Pred:
    """`holds` as a closure of (fact, env, params)."""
    if isinstance(cond, Exists):
        name, present = cond.field, cond.present

        def exists(fact: dict[str, Any], env: Env, params: dict[str, Any]) -> bool:
            got = fact.get(name)
            return (got is not None and got != [] and got != "") == present

        return exists
    if isinstance(cond, Cmp):
        return _compile_cmp(cond)
    if isinstance(cond, (All, Any_)):
        parts = tuple(compile_cond(c) for c in cond.items)
        if len(parts) == 1 and isinstance(cond, All):
            return parts[0]
        if isinstance(cond, All):
            def all_of(fact: dict[str, Any], env: Env, params: dict[str, Any]) -> bool:
                for part in parts:
                    if not part(fact, env, params):
                        return False
                return True

            return all_of

        def any_of(fact: dict[str, Any], env: Env, params: dict[str, Any]) -> bool:
            for part in parts:
                if part(fact, env, params):
                    return True
            return False

        return any_of
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
