"""count: how many subjects match (or distinct values of a field, or the sum of one), compared with a target;
optionally once per period (`per`). `among` lists who could be counted, so a short count names who was not.

Roles: items (each subject's keys, with the `distinct` or `sum` field's value); among.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal

from pydantic import model_validator

from ..ruleset.conditions import FieldRef
from ..ruleset.prepare import Prepared, Preparing
from ..ruleset.rulespec import COMPARE, CheckSpec, Pattern, Per, SumSpec
from .finding import Finding, Gap, compare, plain_number
from .kind import CheckKind, Emitter, GapWords, Matched, Matching, Number, Records, named, values_of
from .registry import register

PER = "'per' judges a count or a ratio once per period"


class CountCheck(CheckSpec):
    """`check:` of a count rule."""

    kind: Literal["count"]
    match: list[Pattern] = []
    distinct: str | None = None
    sum: str | SumSpec | None = None
    among: Pattern | None = None
    op: COMPARE | None = None
    target: float | int | dict[str, Any] | None = None
    per: Per | None = None

    misplaced = {"among": "'among' lists who could be counted: it goes with a count and 'distinct'", "per": PER}

    @model_validator(mode="after")
    def _shape(self) -> CountCheck:
        self.needs("match", "op", "target")
        if self.among is not None and not self.distinct:
            raise ValueError(self.misplaced["among"])
        if isinstance(self.sum, SumSpec):
            raise ValueError("a count check sums one field: 'sum: alias.field'")
        if self.per is not None and self.among is not None:
            raise ValueError("'per' and 'among' do not go together")
        return self

    def paced(self) -> bool:
        return self.op in ("gt", "gte")

    def prepare(self, ctx: Preparing) -> dict[str, Any]:
        dims = ctx.dims(self.match)
        among = ctx.bind(self.among)
        texts = {"distinct": self.distinct, "sum": self.sum, "per": self.per.field if self.per else None}
        refs = {name: ctx.field_ref(("check", name), text) for name, text in texts.items() if isinstance(text, str)}
        for name, ref in refs.items():
            ctx.ref(("check", name), ref, "sum" if name == "sum" else "")
        if self.per is not None:
            ctx.per_calendar(refs.get("per"), self.per.calendar)
        return {"dims": dims, "among": among, "distinct": refs.get("distinct"), "sum_field": refs.get("sum"),
                "op": self.op, "target": ctx.target(self.target), "per": refs.get("per"),
                "per_unit": self.per.calendar if self.per else None}


class Count(CheckKind):
    name = "count"
    spec = CountCheck
    title = ("Đếm số lượng", "A count")
    reasons = ("short", "counted", "not_counted")
    candidates = ("not_counted",)
    words = {"not_counted": ("chưa thực hiện", "not yet counted")}

    def compile(self, p: Prepared, out: Emitter) -> None:
        dims, aliases = self.subjects(p)
        refs = _counted(p)
        out.emit(p.id, "items", dims, None, aliases, out.fields(refs) if refs else None)
        if p.among is not None:
            self.emit_records(out, p, "among", p.among)

    def evaluate(self, p: Prepared, oracle: Matching, raw: Matched) -> None:
        if p.among is not None:
            self.record_keys(oracle, p, p.among, "among", raw)
        refs = _counted(p)
        for keys, env in self.combinations(oracle, p):
            raw.add("items", keys, values_of(env, refs) if refs else None)

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
            observed["items"] = [list(k) for k in sorted(raw.values("items"))]
        return Finding(p.id, "passed" if ok else "gap", target=self.goal(p), observed=observed, gaps=gaps)

    def gap_text(self, p: Prepared, gap: Gap, words: GapWords) -> str:
        if gap.reason == "not_counted":
            custom = words.custom(p, gap.reason)
            return f"{words.records(p, gap.refs)}: {words.t('not_counted') if custom is None else custom}"
        return super().gap_text(p, gap, words)

    def observed(self, o: dict[str, Any] | None, number: Number) -> str:
        return number(o.get("value")) if o else "—"


def _counted(p: Prepared) -> tuple[FieldRef, ...]:
    """The fields each item carries: the one counted distinct, the one summed."""
    return tuple(r for r in (p.distinct, p.sum_field) if r)


def _value(p: Prepared, raw: Matched) -> tuple[Fraction, list[Any]]:
    """The count (or sum), and the distinct values counted."""
    if p.sum_field is not None:
        values = [v[-1] for v in raw.values("items").values() if v[-1] is not None]
        return Fraction(str(sum(values))) if values else Fraction(0), []
    if p.distinct is not None:
        distinct = sorted({v[0] for v in raw.values("items").values() if v[0] is not None}, key=str)
        return Fraction(len(distinct)), distinct
    return Fraction(len(raw.values("items"))), []


def _gaps(p: Prepared, raw: Matched, value: Fraction, distinct: list[Any]) -> list[Gap]:
    """Short of an at-least target: by how many, and who of `among` was not counted. Over an at-most (or
    exact) target: every item counted."""
    assert p.op is not None and p.target is not None
    if p.op not in ("gt", "gte"):
        return [Gap("counted", named([b.alias for b in p.dims], keys)) for keys in sorted(raw.values("items"))]
    needed = p.target - value + (1 if p.op == "gt" else 0)
    gaps = [Gap("short", [], {"needed": plain_number(needed), "value": plain_number(value), "op": p.op,
                              "target": plain_number(p.target)})]
    counted = {(str(v),) for v in distinct}
    for keys in sorted(raw.keys("among") - counted):
        gaps.append(Gap("not_counted", named([p.among.alias], keys) if p.among else []))
    return gaps


register(Count())
