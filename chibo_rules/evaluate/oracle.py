"""The oracle: the same prepared rules evaluated by nested loops in plain Python.

It shares nothing with the durable-rules path but the parsed rule (conditions as a tree) and the
judging of its `Raw` result. It negates `must` with Python's `not` where the compiler rewrites the
tree, and it never sees engine ids, sessions or triggers — so when the two disagree, one of them has
dropped or invented a gap, and the tests say which rule and which keys.

Which roles a rule fills, and from which loops, is its check kind's oracle step (checks/, beside the
kind's compile step, so the two are read side by side); this module offers it the facts of the cell
as `matcher`, `combos` and `test`, and keeps the indexes that make them fast.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from ..checks import CHECK_KINDS
from ..gcpause import gc_paused
from ..ruleset.conditions import All, Cmp, Cond
from ..ruleset.prepare import Bound, Prepared
from .interpret import MISSING, Env, Getter, Pred, compile_cond, compile_value
from .raw import Raw


def _hashable(value: Any) -> Any:
    # bools are kept apart from 1/0, which Python would otherwise hash together
    return (type(value) is bool, tuple(value) if isinstance(value, list) else value)


def _equalities(cond: Cond) -> tuple[tuple[str, Getter], ...]:
    """Every top-level `field == value` test of a condition: together, one composite index key."""
    items = cond.items if isinstance(cond, All) else (cond,)
    return tuple((item.field, compile_value(item.value)) for item in items if isinstance(item, Cmp) and item.op == "eq")


Matcher = Callable[[dict[str, dict[str, Any]]], list[dict[str, Any]]]


class _Plan:
    """How one condition finds its records: the fields of its index key, how to compute the wanted
    key from the records bound so far, and the condition as a closure. Built once per condition.

    `rest` is the condition without its indexed equalities: a record found in the index under a
    recorded wanted value has already passed them (bool apart from numbers, lists as tuples: the
    same equality `holds` applies). When a wanted value is not recorded ("" or a NaN), the whole
    condition is tested instead, as `holds` would."""

    __slots__ = ("cond", "names", "getters", "pred", "rest")

    def __init__(self, cond: Cond):
        self.cond = cond  # kept alive: plans are found by id(cond)
        keys = _equalities(cond)
        self.names = tuple(name for name, _ in keys)
        self.getters = tuple(getter for _, getter in keys)
        self.pred: Pred = compile_cond(cond)
        items = cond.items if isinstance(cond, All) else (cond,)
        rest = tuple(item for item in items if not (isinstance(item, Cmp) and item.op == "eq"))
        self.rest: Pred | None = compile_cond(All(rest)) if rest else None


_PLANS: dict[int, _Plan] = {}
_PLANS_MAX = 4096


def _plan(cond: Cond) -> _Plan:
    """The plan of a condition, cached by its identity (the plan keeps it alive, so its id is not
    reused while cached). Not by value: equal-looking conditions need not mean the same (Lit(1) ==
    Lit(True) as dataclasses, but `holds` keeps booleans apart from numbers). Bounded, so rules
    prepared afresh per cell cannot make it grow."""
    plan = _PLANS.get(id(cond))
    if plan is None or plan.cond is not cond:
        if len(_PLANS) >= _PLANS_MAX:
            _PLANS.clear()
        plan = _PLANS[id(cond)] = _Plan(cond)
    return plan


class Oracle:
    """Facts indexed by type once per cell; each rule then walks its patterns with plain loops."""

    def __init__(self, facts: list[dict[str, Any]], as_of: dt.date, as_of_number: int):
        with gc_paused():
            self._load(facts, as_of, as_of_number)

    def _load(self, facts: list[dict[str, Any]], as_of: dt.date, as_of_number: int) -> None:
        self.by_type: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for fact in facts:
            if fact["t"].startswith("__"):
                self.by_type[(fact["t"], fact["rule"], fact["dim"])].append(fact)
            else:
                self.by_type[(fact["t"],)].append(fact)
        self.params = {"as_of": as_of_number}
        # by (rule or "", fact type, alias or "", field names): see _index
        self._indexes: dict[tuple[str, str, str, tuple[str, ...]], dict[Any, list[dict[str, Any]]]] = {}
        self.as_of = as_of

    def test(self, cond: Cond) -> Callable[[dict[str, Any], Env], bool]:
        """`holds(cond, record, env, params)` for this cell's parameters."""
        pred, params = _plan(cond).pred, self.params
        return lambda fact, env: pred(fact, env, params)

    def _candidates(self, rule_id: str, bound: Bound) -> list[dict[str, Any]]:
        if bound.synthetic:
            return self.by_type[(bound.fact_type, rule_id, bound.alias)]
        return self.by_type[(bound.fact_type,)]

    def matcher(self, rule_id: str, bound: Bound, cond: Cond) -> Matcher:
        """The records of `bound` meeting `cond` given the records bound so far (env), as a function
        of env: a lookup in an index by the condition's equalities, then the whole condition."""
        candidates = self._candidates(rule_id, bound)
        plan = _plan(cond)
        params, pred, rest = self.params, plan.pred, plan.rest
        index = self._index(rule_id, bound, plan.names) if plan.names and len(candidates) > 8 else None
        getters = plan.getters

        def matches(env: Env) -> list[dict[str, Any]]:
            found: Any = candidates
            test: Pred | None = pred
            if index is not None:
                wanted = []
                exact = True
                for getter in getters:
                    value = getter(env, params)
                    if value is MISSING:
                        return []
                    if value is None or value == "" or value == [] or value != value:
                        exact = False  # unrecorded or NaN: the index alone would not decide as `holds` does
                    # as _hashable(value), inline: this runs once per subject of a rule
                    wanted.append((type(value) is bool, tuple(value) if isinstance(value, list) else value))
                found = index.get(tuple(wanted), ())
                if exact:
                    test = rest
            if env:
                # as in durable-rules, one record never plays two roles in the same match
                taken = [id(fact) for fact in env.values()]
                if test is None:
                    return [f for f in found if id(f) not in taken]
                return [f for f in found if id(f) not in taken and test(f, env, params)]
            if test is None:
                return list(found)
            return [f for f in found if test(f, env, params)]

        return matches

    def _index(self, rule_id: str, bound: Bound, names: tuple[str, ...]) -> dict[Any, list[dict[str, Any]]]:
        """Records of one type by the values of fields: a join becomes a lookup, not a scan."""
        cache_key = (rule_id if bound.synthetic else "", bound.fact_type, bound.alias if bound.synthetic else "", names)
        index = self._indexes.get(cache_key)
        if index is None:
            index = defaultdict(list)
            for fact in self._candidates(rule_id, bound):
                key = []
                for name in names:
                    value = fact.get(name, MISSING)
                    if value is MISSING:
                        break
                    key.append((type(value) is bool, tuple(value) if isinstance(value, list) else value))  # _hashable
                else:
                    index[tuple(key)].append(fact)
            self._indexes[cache_key] = index
        return index

    @staticmethod
    def combos(dims: list[tuple[str, Matcher]]) -> Iterator[Env]:
        """Every combination of records, one per dim, as one env dict updated in place: read it
        before the next iteration (nothing keeps it)."""
        env: Env = {}
        if not dims:
            yield env
            return
        yield from Oracle._level(dims, 0, len(dims) - 1, env)

    @staticmethod
    def _level(dims: list[tuple[str, Matcher]], depth: int, last: int, env: Env) -> Iterator[Env]:
        alias, matches = dims[depth]
        for fact in matches(env):
            env[alias] = fact
            if depth == last:
                yield env
            else:
                yield from Oracle._level(dims, depth + 1, last, env)
        env.pop(alias, None)

    def evaluate(self, p: Prepared) -> Raw:
        with gc_paused():
            return self._evaluate(p)

    def _evaluate(self, p: Prepared) -> Raw:
        """The rule's matches by role, found by its check kind's loops (checks/) over this cell's facts."""
        raw = Raw()
        CHECK_KINDS[p.kind].evaluate(p, self, raw)
        return raw
