"""A large cell judged by durable-rules in several sessions, some people at a time.

durable-rules keeps every asserted fact in a fixed-size C record of about 9 KB, whatever the fact holds
(`jsonObject` reserves room for 255 properties), so a cell of 200,000 timesheet rows needed ~1.9 GB before
a single rule ran. A rule that only ever joins one person's records with each other (a timesheet with its
person, a briefing with its person) finds exactly the same matches when each session holds some people's
records and every record that belongs to nobody; so such rules are judged batch by batch and their matches
merged (an evaluator's matches are sets: a record matched in two sessions counts once).

Which rules qualify is decided from the prepared rules alone (`per_owner`); the others are judged in one
session holding every fact they read, as before. Cells below the budget are judged in one session, exactly
as they always were. Whose a record is comes from the plan's declarations (`Schema.owner_fields`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any, Protocol

from ..ruleset.conditions import All, Cmp, Cond, FieldRef
from ..ruleset.prepare import SYNTHETIC, Prepared

BUDGET = 20_000  # owned facts per session: ~180 MB of durable-rules' fact records, plus its frames
Hit = tuple[str, str, tuple[str, ...], Any]
Node = tuple[str, str]  # (alias, field)


class Runner(Protocol):
    def run(self, facts: list[dict[str, Any]], check: dict[str, Any]) -> list[Hit]: ...


def _equalities(cond: Cond, alias: str) -> Iterator[tuple[Node, Node]]:
    """Joins `alias.field == other.field` that hold in every alternative of the condition (a join inside
    an `any` ties nothing: another alternative may match without it)."""
    if isinstance(cond, Cmp):
        if cond.op == "eq" and isinstance(cond.value, FieldRef):
            yield (alias, cond.field), (cond.value.alias, cond.value.field)
    elif isinstance(cond, All):
        for item in cond.items:
            yield from _equalities(item, alias)


def per_owner(p: Prepared, owners: dict[str, str]) -> bool:
    """Whether every match of the rule lies within one owner's records (plus records nobody owns).

    True when all of the rule's owned patterns joined in one match are tied to each other by equal owner
    fields (directly or through other fields) and, if the required record is owned (it is also matched
    negated: "no timesheet for this week"), at least one positive pattern is owned too — else a session
    without that owner's records would find it "missing"."""
    # `among` and `evidence` are matched on their own (one record per match): always within one owner
    bounds = list(p.dims) + ([p.require] if p.require is not None else [])
    owned = [b for b in bounds if b.fact_type in owners]
    if not owned:
        return True
    parent: dict[Node, Node] = {}

    def find(node: Node) -> Node:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    for b in bounds:
        for left, right in _equalities(b.where, b.alias):
            parent[find(left)] = find(right)
    if len({find((b.alias, owners[b.fact_type])) for b in owned}) != 1:
        return False
    negated = p.require.alias if p.require is not None else None
    return any(b.alias != negated for b in owned)


def split(facts: list[dict[str, Any]], owners: dict[str, str], budget: int) -> list[list[dict[str, Any]]]:
    """The facts as sessions: each holds every fact nobody owns and the records of some owners (at most
    `budget` owned records unless one owner alone has more); records of an owned kind with a blank owner
    join nothing by owner, so they go to the first session only."""
    shared: list[dict[str, Any]] = []
    ownerless: list[dict[str, Any]] = []
    by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for fact in facts:
        field = owners.get(fact["t"])
        if field is None:
            shared.append(fact)
        elif fact.get(field) is None:
            ownerless.append(fact)
        else:
            by_owner[str(fact[field])].append(fact)
    batches: list[list[dict[str, Any]]] = []
    current = ownerless
    for owner in sorted(by_owner):
        records = by_owner[owner]
        if current and len(current) + len(records) > budget:
            batches.append(current)
            current = []
        current += records
    batches.append(current)
    return [shared + batch for batch in batches]


def owned_count(facts: list[dict[str, Any]], owners: dict[str, str]) -> int:
    return sum(1 for f in facts if f["t"] in owners)


def run(engine: Runner, todo: list[Prepared], facts: list[dict[str, Any]], check: dict[str, Any],
        owners: dict[str, str], budget: int | None = None) -> list[Hit]:
    """Every hit of the rules in `todo`: one session when the cell is small (the usual case), else one
    session for the rules that need every record at once and batches of owners for the rest."""
    budget = BUDGET if budget is None else budget
    if owned_count(facts, owners) <= budget:
        return engine.run(facts, check)
    local = {p.id for p in todo if per_owner(p, owners)}
    whole = {p.id for p in todo} - local
    hits: list[Hit] = []
    if whole:
        hits += [h for h in engine.run(_reading(facts, todo, whole), check) if h[0] in whole]
    if local:
        for batch in split(_reading(facts, todo, local), owners, budget):
            hits += [h for h in engine.run(batch, check) if h[0] in local]
    return hits


def _reading(facts: list[dict[str, Any]], todo: list[Prepared], ids: set[str]) -> list[dict[str, Any]]:
    """The facts the rules `ids` read: their kinds, and the periods and values made for them."""
    kinds = {kind for p in todo if p.id in ids for kind in p.kinds()}
    made = set(SYNTHETIC.values())
    return [f for f in facts if f["t"] in kinds or (f["t"] in made and f.get("rule") in ids)]
