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


_LETTERS = "abcdefghijklmnopqrsuvwxyz"  # no "t": the fact type's own name
_RESERVED = {"t", "id", "sid"}


def _short(n: int) -> str:
    """The n-th short name: a … z, ba, bb … (never a name durable-rules or the wire reserves)."""
    out = ""
    while True:
        n, digit = divmod(n, len(_LETTERS))
        out = _LETTERS[digit] + out
        if n == 0:
            return out


@dataclass
class Wire:
    """The names chibo and durable-rules exchange facts under: each field a rule or an action reads gets a
    short name, each fact type a short code, as the compiler meets them; nothing else is sent. durable keeps
    every fact's text as sent and hands it back inside every match (about 1 MB of JSON per generated cell
    with the declared names, parsed again in Python), so the names are paid for once per fact per match."""

    fields: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    _skipped: set[str] = field(default_factory=set)

    def field(self, name: str) -> str:
        code = self.fields.get(name)
        if code is None:
            code = _short(len(self.fields) + len(self._skipped))
            while code in _RESERVED:
                self._skipped.add(code)
                code = _short(len(self.fields) + len(self._skipped))
            self.fields[name] = code
        return code

    def type(self, name: str) -> str:
        code = self.types.get(name)
        if code is None:
            code = self.types[name] = str(len(self.types))
        return code


class _Writer:
    """Conditions as durable-rules patterns, under the wire's names."""

    def __init__(self, wire: Wire):
        self.wire = wire

    def value(self, value: Value) -> Any:
        if isinstance(value, Lit):
            return value.value
        if isinstance(value, FieldRef):
            return {alias_name(value.alias): self.wire.field(value.field)}
        if isinstance(value, Param):
            return {CHECK: self.wire.field(value.name)}
        if isinstance(value, Arith):
            return {f"${value.op}": {"$l": self.value(value.left), "$r": self.value(value.right)}}
        raise TypeError(value)

    def atom(self, cond: Cond) -> dict[str, Any]:
        if isinstance(cond, Exists):
            return {"$ex" if cond.present else "$nex": {self.wire.field(cond.field): 1}}
        assert isinstance(cond, Cmp)
        op = OPS[cond.op]
        value = self.value(cond.value)
        name = self.wire.field(cond.field)
        if op is None:
            return {name: value}
        return {op: {name: value}}

    def pattern(self, bound: Bound, rule_id: str, conj: list[Cond]) -> dict[str, Any]:
        tests: list[dict[str, Any]] = [{"t": self.wire.type(bound.fact_type)}]
        if bound.synthetic:
            tests += [{self.wire.field("rule"): rule_id}, {self.wire.field("dim"): bound.alias}]
        tests += [self.atom(c) for c in conj]
        return {"$and": tests} if len(tests) > 1 else tests[0]


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


@dataclass
class Collector:
    """Where actions write; swapped per cell so one compiled ruleset serves every cell of a run."""

    # (rule id, role, the matched facts' wire ids — the engine turns them into record keys —, extracted values)
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
            hits.append((rule_id, role, tuple([m[n]["id"] for n in names]), extract(m) if extract else None))

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
    """Builds the ruleset dictionary; each `emit` adds one durable rule per DNF alternative. `wire` collects
    the short names of everything the rules read (see Wire)."""

    def __init__(self, collector: Collector, wire: Wire | None = None):
        self.collector = collector
        self.wire = wire or Wire()
        self.writer = _Writer(self.wire)
        self.rules: dict[str, Any] = {}
        self.check = {CHECK: {"t": self.wire.type("check")}}

    def emit(self, rule_id: str, role: str, positives: list[tuple[Bound, Cond]],
             negative: tuple[Bound, Cond] | None, aliases: tuple[str, ...],
             extract: Callable[[dict[str, Any]], Any] | None = None) -> None:
        alternatives = [dnf(cond) for _, cond in positives]
        action = _action(self.collector, rule_id, role, aliases, extract)
        pattern = self.writer.pattern
        for n, choice in enumerate(itertools.product(*alternatives)):
            patterns: list[dict[str, Any]] = [self.check]
            for (bound, _), conj in zip(positives, choice):
                patterns.append({alias_name(bound.alias): pattern(bound, rule_id, conj)})
            if negative is not None:
                bound, cond = negative
                for k, conj in enumerate(dnf(cond)):
                    patterns.append({f"{alias_name(bound.alias)}{k}$not": pattern(bound, rule_id, conj)})
            self.rules[f"{rule_id}.{role}.{n}"] = {"all": patterns, "run": action, "cap": CAP}

    def fields(self, refs: tuple[FieldRef, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        """An action's `extract` reading these fields off a match (a count's distinct field, summed fields)."""
        read = tuple((alias_name(r.alias), self.wire.field(r.field)) for r in refs)
        return lambda m: tuple(m[alias].get(name) for alias, name in read)

    def add(self, p: Prepared) -> None:
        """The rules of one prepared rule, as its check kind compiles them (checks/)."""
        CHECK_KINDS[p.kind].compile(p, self)

    def hold(self, fact_types: list[str]) -> None:
        """A never-firing rule per fact type, so no asserted fact is 'not handled' (trap 4)."""
        never = {"never": {"t": self.wire.type("__never__")}}
        for fact_type in fact_types:
            self.rules[f"hold.{fact_type}"] = {
                "all": [{"h": {"t": self.wire.type(fact_type)}}, never],
                "run": lambda c: None,
            }
        # fires for every cell, so each session has run an action before its state is deleted (trap 5),
        # and its record proves the session's actions ran to the end on this thread
        self.rules["done"] = {"all": [self.check], "run": _action(self.collector, "", DONE, (), None)}


def compile_ruleset(prepared: list[Prepared], collector: Collector, wire: Wire | None = None) -> dict[str, Any]:
    """The durable-rules ruleset of these prepared rules; `wire` receives the names it was written with."""
    compiler = Compiler(collector, wire)
    for p in prepared:
        compiler.add(p)
    kinds = sorted({kind for p in prepared for kind in p.kinds()})
    compiler.hold(kinds + list(SYNTHETIC.values()))
    return compiler.rules
