"""count: how many subjects match (or distinct values of a field, or the sum of one), compared with a target;
optionally once per period (`per`). `among` lists who could be counted, so a short count names who was not.

Roles: items (each subject's keys, with the `distinct` or `sum` field's value); among.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..ruleset.conditions import FieldRef
from ..ruleset.prepare import Prepared
from .finding import Finding, Gap, compare, plain_number
from .kind import CheckKind, Emitter, Matched, Matching, Number, Records, named, values_of


class Count(CheckKind):
    name = "count"

    def compile(self, p: Prepared, out: Emitter) -> None:
        dims, aliases = self.subjects(p)
        refs = _counted(p)
        out.emit(p.id, "items", dims, None, aliases, out.fields(refs) if refs else None)
        if p.among is not None:
            self.emit_records(out, p, "among", p.among)

    def evaluate(self, p: Prepared, oracle: Matching, raw: Matched) -> None:
        if p.among is not None:
            raw.among.update(self.record_keys(oracle, p, p.among))
        refs = _counted(p)
        for keys, env in self.combinations(oracle, p):
            raw.items[keys] = values_of(env, refs) if refs else None

    def judge(self, p: Prepared, raw: Matched, records: Records) -> Finding:
        assert p.op is not None and p.target is not None
        value, distinct = _value(p, raw)
        ok = compare(value, p.op, p.target)
        gaps = [] if ok else _gaps(p, raw, value, distinct)
        observed: dict[str, Any] = {"value": plain_number(value)}
        if p.distinct is not None:
            observed["distinct"] = [str(v) for v in distinct]
            observed["distinct_field"] = f"{p.distinct.alias}.{p.distinct.field}"
        else:
            observed["items"] = [list(k) for k in sorted(raw.items)]
        return Finding(p.id, "passed" if ok else "gap", target=self.goal(p), observed=observed, gaps=gaps)

    def observed(self, o: dict[str, Any] | None, number: Number) -> str:
        return number(o.get("value")) if o else "—"


def _counted(p: Prepared) -> tuple[FieldRef, ...]:
    """The fields each item carries: the one counted distinct, the one summed."""
    return tuple(r for r in (p.distinct, p.sum_field) if r)


def _value(p: Prepared, raw: Matched) -> tuple[Fraction, list[Any]]:
    """The count (or sum), and the distinct values counted."""
    if p.sum_field is not None:
        values = [v[-1] for v in raw.items.values() if v[-1] is not None]
        return Fraction(str(sum(values))) if values else Fraction(0), []
    if p.distinct is not None:
        distinct = sorted({v[0] for v in raw.items.values() if v[0] is not None}, key=str)
        return Fraction(len(distinct)), distinct
    return Fraction(len(raw.items)), []


def _gaps(p: Prepared, raw: Matched, value: Fraction, distinct: list[Any]) -> list[Gap]:
    """Short of an at-least target: by how many, and who of `among` was not counted. Over an at-most (or
    exact) target: every item counted."""
    assert p.op is not None and p.target is not None
    if p.op not in ("gt", "gte"):
        return [Gap("counted", named([b.alias for b in p.dims], keys)) for keys in sorted(raw.items)]
    needed = p.target - value + (1 if p.op == "gt" else 0)
    gaps = [Gap("short", [], {"needed": plain_number(needed), "value": plain_number(value), "op": p.op,
                              "target": plain_number(p.target)})]
    counted = {(str(v),) for v in distinct}
    for keys in sorted(raw.among - counted):
        gaps.append(Gap("not_counted", named([p.among.alias], keys) if p.among else []))
    return gaps
