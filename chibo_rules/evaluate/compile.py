"""Prepared rules compiled to one durable-rules ruleset (plain JSON-like data plus actions).

Shape of every compiled rule, chosen against the traps in docs/engine-notes.md:
- the first pattern is the `check` trigger fact, asserted after all facts of a cell, so negation
  is evaluated once every fact is present;
- no `$or` reaches the engine: every disjunction is expanded into separate rules (DNF), because
  durable-rules drops a join test that follows an `$or` in the same pattern (it matched a resolution
  due after the as-of date), and fails with error 311 on an `$or` holding `$nex` beside a join;
  a negated pattern with a disjunction becomes several negated patterns (not (A or B) = not A and not B);
- every action only appends (rule id, role, keys, values) to the collector: findings are built
  outside the engine, from data.

Which rules a prepared rule becomes (its roles) is its check kind's compile step (checks/); this module
is the generic part: DNF expansion, patterns, actions, the holding and completion rules.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..checks import CHECK_KINDS
from ..ruleset.conditions import All, Arith, Cmp, Cond, Exists, FieldRef, Lit, Param, Value
from ..ruleset.prepare import SYNTHETIC, Bound, Prepared

CHECK = "chk"
DONE = "__done__"
OPS = {"eq": None, "ne": "$neq", "lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}


def alias_name(alias: str) -> str:
    """Engine-side names are prefixed so a rule alias can never collide with the trigger or `m`."""
    return f"a_{alias}"


def _value(value: Value) -> Any:
    if isinstance(value, Lit):
        return value.value
    if isinstance(value, FieldRef):
        return {alias_name(value.alias): value.field}
    if isinstance(value, Param):
        return {CHECK: value.name}
    if isinstance(value, Arith):
        return {f"${value.op}": {"$l": _value(value.left), "$r": _value(value.right)}}
    raise TypeError(value)


def dnf(cond: Cond) -> list[list[Cond]]:
    """Disjunctive normal form: a list of conjunctions of comparisons and existence tests."""
    if isinstance(cond, (Cmp, Exists)):
        return [[cond]]
    if isinstance(cond, All):
        out: list[list[Cond]] = [[]]
        for item in cond.items:
            out = [left + right for left in out for right in dnf(item)]
        return out
    return [conj for item in cond.items for conj in dnf(item)]


def _atom(cond: Cond) -> dict[str, Any]:
    if isinstance(cond, Exists):
        return {"$ex" if cond.present else "$nex": {cond.field: 1}}
    assert isinstance(cond, Cmp)
    op = OPS[cond.op]
    value = _value(cond.value)
    if op is None:
        return {cond.field: value}
    return {op: {cond.field: value}}


def _pattern(bound: Bound, rule_id: str, conj: list[Cond]) -> dict[str, Any]:
    tests: list[dict[str, Any]] = [{"t": bound.fact_type}]
    if bound.synthetic:
        tests += [{"rule": rule_id}, {"dim": bound.alias}]
    tests += [_atom(c) for c in conj]
    return {"$and": tests} if len(tests) > 1 else tests[0]


@dataclass
class Collector:
    """Where actions write; swapped per cell so one compiled ruleset serves every cell of a run."""

    hits: list[tuple[str, str, tuple[str, ...], Any]] = field(default_factory=list)

    def take(self) -> list[tuple[str, str, tuple[str, ...], Any]]:
        hits, self.hits = self.hits, []
        return hits


CAP = 1000  # matches handed to one action call; far below durable's 10 s action lease


def _action(collector: Collector, rule_id: str, role: str, aliases: tuple[str, ...],
            extract: Callable[[dict[str, Any]], Any] | None) -> Callable[[Any], None]:
    """The rule's action. `engine.Engine` calls its `frames` attribute directly with the matches as
    durable-rules serialised them; `run(c)` is the same for durable's own dispatch (a Closure)."""
    names = tuple(alias_name(a) for a in aliases)

    def record(matches: Any) -> None:
        hits = collector.hits
        for m in matches:
            hits.append((rule_id, role, tuple([str(m[n]["key"]) for n in names]), extract(m) if extract else None))

    def frames(found: Any) -> None:
        # with "cap", durable-rules hands over up to CAP matches at once (a list of frames); without
        # it, one frame. A frame is the matched facts by alias; in a list, durable's Closure unwraps a
        # frame holding only `m` (no alias is named so), and so does this.
        if isinstance(found, dict):
            record((found,))
        else:
            record([m["m"] if len(m) == 1 and "m" in m else m for m in found])

    def run(c: Any) -> None:
        record((c._m,) if c._m is not None else [m._d for m in c.m])

    run.frames = frames  # type: ignore[attr-defined]
    return run


class Compiler:
    """Builds the ruleset dictionary; each `emit` adds one durable rule per DNF alternative."""

    def __init__(self, collector: Collector):
        self.collector = collector
        self.rules: dict[str, Any] = {}

    def emit(self, rule_id: str, role: str, positives: list[tuple[Bound, Cond]],
             negative: tuple[Bound, Cond] | None, aliases: tuple[str, ...],
             extract: Callable[[dict[str, Any]], Any] | None = None) -> None:
        alternatives = [dnf(cond) for _, cond in positives]
        action = _action(self.collector, rule_id, role, aliases, extract)
        for n, choice in enumerate(itertools.product(*alternatives)):
            patterns: list[dict[str, Any]] = [{CHECK: {"t": "check"}}]
            for (bound, _), conj in zip(positives, choice):
                patterns.append({alias_name(bound.alias): _pattern(bound, rule_id, conj)})
            if negative is not None:
                bound, cond = negative
                for k, conj in enumerate(dnf(cond)):
                    patterns.append({f"{alias_name(bound.alias)}{k}$not": _pattern(bound, rule_id, conj)})
            self.rules[f"{rule_id}.{role}.{n}"] = {"all": patterns, "run": action, "cap": CAP}

    @staticmethod
    def fields(refs: tuple[FieldRef, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        """An action's `extract` reading these fields off a match (a count's distinct field, summed fields)."""
        return lambda m: tuple(m[alias_name(r.alias)].get(r.field) for r in refs)

    def add(self, p: Prepared) -> None:
        """The rules of one prepared rule, as its check kind compiles them (checks/)."""
        CHECK_KINDS[p.kind].compile(p, self)

    def hold(self, fact_types: list[str]) -> None:
        """A never-firing rule per fact type, so no asserted fact is 'not handled' (trap 4)."""
        for fact_type in fact_types:
            self.rules[f"hold.{fact_type}"] = {
                "all": [{"h": {"t": fact_type}}, {"never": {"t": "__never__"}}],
                "run": lambda c: None,
            }
        # fires for every cell, so each session has run an action before its state is deleted (trap 5),
        # and its record proves the session's actions ran to the end on this thread
        self.rules["done"] = {"all": [{CHECK: {"t": "check"}}], "run": _action(self.collector, "", DONE, (), None)}


def compile_ruleset(prepared: list[Prepared], collector: Collector) -> dict[str, Any]:
    compiler = Compiler(collector)
    for p in prepared:
        compiler.add(p)
    kinds = sorted({kind for p in prepared for kind in p.kinds()})
    compiler.hold(kinds + list(SYNTHETIC.values()))
    return compiler.rules
