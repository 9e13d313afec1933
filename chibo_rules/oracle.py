"""The oracle: the same prepared rules evaluated by nested loops in plain Python.

It shares nothing with the durable-rules path but the parsed rule (conditions as a tree) and the
judging of its `Raw` result. It negates `must` with Python's `not` where the compiler rewrites the
tree, and it never sees engine ids, sessions or triggers — so when the two disagree, one of them has
dropped or invented a gap, and the tests say which rule and which keys.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from .conditions import All, Cmp, Cond, Value
from .findings import Raw
from .interpret import MISSING, Env, holds, value_of
from .prepare import Bound, Prepared


def _hashable(value: Any) -> Any:
    # bools are kept apart from 1/0, which Python would otherwise hash together
    return (type(value) is bool, tuple(value) if isinstance(value, list) else value)


def _equalities(cond: Cond) -> tuple[tuple[str, Value], ...]:
    """Every top-level `field == value` test of a condition: together, one composite index key."""
    items = cond.items if isinstance(cond, All) else (cond,)
    return tuple((item.field, item.value) for item in items if isinstance(item, Cmp) and item.op == "eq")


class Oracle:
    """Facts indexed by type once per cell; each rule then walks its patterns with plain loops."""

    def __init__(self, facts: list[dict[str, Any]], as_of: dt.date, as_of_number: int):
        self.by_type: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for fact in facts:
            if fact["t"].startswith("__"):
                self.by_type[(fact["t"], fact["rule"], fact["dim"])].append(fact)
            else:
                self.by_type[(fact["t"],)].append(fact)
        self.params = {"as_of": as_of_number}
        self._indexes: dict[tuple[str, ...], dict[Any, list[dict[str, Any]]]] = {}
        self.as_of = as_of

    def _candidates(self, rule_id: str, bound: Bound) -> list[dict[str, Any]]:
        if bound.synthetic:
            return self.by_type[(bound.fact_type, rule_id, bound.alias)]
        return self.by_type[(bound.fact_type,)]

    def _matches(self, rule_id: str, bound: Bound, cond: Cond, env: Env) -> list[dict[str, Any]]:
        candidates = self._candidates(rule_id, bound)
        keys = _equalities(cond)
        if keys and len(candidates) > 8:
            wanted = tuple(value_of(value, env, self.params) for _, value in keys)
            if any(w is MISSING for w in wanted):
                return []
            by_value = self._index(rule_id, bound, tuple(name for name, _ in keys))
            candidates = by_value.get(tuple(_hashable(w) for w in wanted), [])
        bound = {id(fact) for fact in env.values()}
        # as in durable-rules, one record never plays two roles in the same match
        return [f for f in candidates if id(f) not in bound and holds(cond, f, env, self.params)]

    def _index(self, rule_id: str, bound: Bound, names: tuple[str, ...]) -> dict[Any, list[dict[str, Any]]]:
        """Records of one type by the values of fields: a join becomes a lookup, not a scan."""
        cache_key = (rule_id if bound.synthetic else "", bound.fact_type, bound.alias if bound.synthetic else "", names)
        index = self._indexes.get(cache_key)
        if index is None:
            index = defaultdict(list)
            for fact in self._candidates(rule_id, bound):
                if all(name in fact for name in names):
                    index[tuple(_hashable(fact[name]) for name in names)].append(fact)
            self._indexes[cache_key] = index
        return index

    def _combos(self, p: Prepared, dims: tuple[Bound, ...], env: Env | None = None) -> Iterator[Env]:
        env = env or {}
        if not dims:
            yield dict(env)
            return
        first, rest = dims[0], dims[1:]
        for fact in self._matches(p.id, first, first.where, env):
            env[first.alias] = fact
            yield from self._combos(p, rest, env)
            del env[first.alias]

    @staticmethod
    def _keys(env: Env, aliases: list[str]) -> tuple[str, ...]:
        return tuple(str(env[a]["key"]) for a in aliases)

    def evaluate(self, p: Prepared) -> Raw:
        raw = Raw()
        aliases = [b.alias for b in p.dims]
        if p.kind == "advisory":
            if p.evidence is not None:
                for f in self._matches(p.id, p.evidence, p.evidence.where, {}):
                    raw.evidence.add((str(f["key"]),))
            return raw
        if p.kind == "count" and p.among is not None:
            for f in self._matches(p.id, p.among, p.among.where, {}):
                raw.among.add((str(f["key"]),))
        for env in self._combos(p, p.dims):
            keys = self._keys(env, aliases)
            if p.kind == "coverage":
                raw.subjects.add(keys)
                self._cover(p, env, keys, raw)
            elif p.kind == "count":
                refs = [r for r in (p.distinct, p.sum_field) if r]
                raw.items[keys] = tuple(env[r.alias].get(r.field) for r in refs) if refs else None
            elif p.numerator is not None:
                raw.den.add(keys)
                alias, where = p.numerator
                if holds(where, env[alias], env, self.params):
                    raw.num.add(keys)
            else:
                num, den = p.sums or ((), ())
                raw.rows[keys] = (
                    tuple(env[r.alias].get(r.field) for r in num),
                    tuple(env[r.alias].get(r.field) for r in den),
                )
        return raw

    def _cover(self, p: Prepared, env: Env, keys: tuple[str, ...], raw: Raw) -> None:
        if p.require is None:
            last = env[p.dims[-1].alias]
            if p.must is not None and not holds(p.must, last, env, self.params):
                raw.failed.add(keys)
            return
        found = self._matches(p.id, p.require, p.require.where, env)
        if not found:
            raw.missing.add(keys)
        for fact in found:
            inner = {**env, p.require.alias: fact}
            if p.must is not None and not holds(p.must, fact, inner, self.params):
                raw.failed.add(keys + (str(fact["key"]),))
