"""ratio: the share of subjects meeting `numerator` (or the sum of fields over the sum of others), in percent,
compared with a target; optionally once per period (`per`).

Roles: den and num (the subjects, and those meeting `numerator`); or rows (each subject's summed fields).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal

from pydantic import model_validator

from ..ruleset.conditions import All
from ..ruleset.prepare import Prepared, Preparing
from ..ruleset.rulespec import COMPARE, CheckSpec, Numerator, Pattern, Per, SumSpec
from .count import PER
from .finding import Finding, Gap, compare, plain_number
from .kind import CheckKind, Emitter, GapWords, Keys, Matched, Matching, Number, Records, named, values_of
from .registry import register


class RatioCheck(CheckSpec):
    """`check:` of a ratio rule."""

    kind: Literal["ratio"]
    match: list[Pattern] = []
    sum: str | SumSpec | None = None
    numerator: Numerator | None = None
    op: COMPARE | None = None
    target: float | int | dict[str, Any] | None = None
    per: Per | None = None

    misplaced = {"per": PER}

    @model_validator(mode="after")
    def _shape(self) -> RatioCheck:
        self.needs("match", "op", "target")
        if (self.numerator is None) == (not isinstance(self.sum, SumSpec)):
            raise ValueError("a ratio check needs either 'numerator' or 'sum: {numerator, denominator}'")
        return self

    def prepare(self, ctx: Preparing) -> dict[str, Any]:
        dims = ctx.dims(self.match)
        numerator = None
        if self.numerator:
            alias = self.numerator.as_
            if not ctx.alias_known(alias):
                ctx.note(("check", "numerator"), f"numerator names unknown alias '{alias}'", "as")
            else:
                where = ctx.cond(("check", "numerator", "where"), self.numerator.where, alias)
                if where is not None:
                    numerator = (alias, where)
        texts = {"sum": self.sum, "per": self.per.field if self.per else None}
        refs = {name: ctx.field_ref(("check", name), text) for name, text in texts.items() if isinstance(text, str)}
        sums = None
        if isinstance(self.sum, SumSpec):
            sums = ctx.field_refs(("check", "sum"), self.sum.fields("numerator"), self.sum.fields("denominator"))
        for name, ref in refs.items():
            ctx.ref(("check", name), ref, "sum" if name == "sum" else "")
        if self.per is not None:
            ctx.per_calendar(refs.get("per"), self.per.calendar)
        for side in sums or ():
            for ref in side:
                ctx.ref(("check", "sum"), ref, "sum")
        return {"dims": dims, "numerator": numerator, "sum_field": refs.get("sum"), "sums": sums, "op": self.op,
                "target": ctx.target(self.target), "per": refs.get("per"),
                "per_unit": self.per.calendar if self.per else None}


class Ratio(CheckKind):
    name = "ratio"
    spec = RatioCheck
    title = ("Tỷ lệ", "A ratio")
    reasons = ("short", "outside", "counted")
    unit = "%"

    def compile(self, p: Prepared, out: Emitter) -> None:
        dims, aliases = self.subjects(p)
        if p.numerator is not None:
            out.emit(p.id, "den", dims, None, aliases)
            alias, where = p.numerator
            with_num = [(b, All((cond, where)) if b.alias == alias else cond) for b, cond in dims]
            out.emit(p.id, "num", with_num, None, aliases)
        elif p.sums is not None:
            num, den = out.fields(p.sums[0]), out.fields(p.sums[1])
            out.emit(p.id, "rows", dims, None, aliases, lambda m: (num(m), den(m)))

    def evaluate(self, p: Prepared, oracle: Matching, raw: Matched) -> None:
        if p.numerator is not None:
            alias, where = p.numerator
            test = oracle.test(where)
            for keys, env in self.combinations(oracle, p):
                raw.add("den", keys)
                if test(env[alias], env):
                    raw.add("num", keys)
            return
        num, den = p.sums or ((), ())
        for keys, env in self.combinations(oracle, p):
            raw.add("rows", keys, (values_of(env, num), values_of(env, den)))

    def judge(self, p: Prepared, raw: Matched, records: Records) -> Finding:
        assert p.op is not None and p.target is not None
        target = self.goal(p)
        num, den, outside, inside = _share(p, raw)
        if den == 0:
            return Finding(p.id, "no_data", target=target, observed={"numerator": num, "denominator": den},
                           note="empty")
        percent = Fraction(str(num)) * 100 / Fraction(str(den))
        ok = compare(percent, p.op, p.target)
        observed = {"percent": plain_number(percent), "numerator": plain_number(num), "denominator": plain_number(den)}
        # over a cap ("excellent: at most 20%"), the subjects to look at are those in the numerator
        over = compare(percent, "gt", p.target)
        gaps = [] if ok else _gaps(p, observed, inside if over else outside, "counted" if over else "outside",
                                   records)
        return Finding(p.id, "passed" if ok else "gap", target=target, observed=observed, gaps=gaps)

    def gap_text(self, p: Prepared, gap: Gap, words: GapWords) -> str:
        if gap.reason == "outside":
            return _outside_text(self, p, gap, words)
        return super().gap_text(p, gap, words)

    def observed(self, o: dict[str, Any] | None, number: Number) -> str:
        if not o or "percent" not in o:
            return "—"
        share = f"{number(o['numerator'])}/{number(o['denominator'])}"
        return f"{number(o['percent'])}% ({share})"


def _outside_text(kind: CheckKind, p: Prepared, gap: Gap, words: GapWords) -> str:
    """A subject outside the numerator, with the values that kept it out: the numerator's record's (not the last
    pattern's: the roster)."""
    alias = p.numerator[0] if p.numerator is not None else gap.refs[-1][0]
    return kind.explained(p, gap, words, alias, gap.refs)


def _share(p: Prepared, raw: Matched) -> tuple[Any, Any, list[Keys], list[Keys]]:
    """Numerator and denominator, and the subjects outside and inside the numerator (none for summed
    fields: a row adds to both sides). Rows with an unrecorded field are left out of both sums."""
    if p.numerator is not None:
        den, num = raw.keys("den"), raw.keys("num")
        inside = num & den
        return len(inside), len(den), sorted(den - num), sorted(inside)
    rows = [v for v in raw.values("rows").values() if None not in v[0] and None not in v[1]]
    return sum(sum(v[0]) for v in rows), sum(sum(v[1]) for v in rows), [], []


def _gaps(p: Prepared, share: dict[str, Any], subjects: list[Keys], reason: str, records: Records) -> list[Gap]:
    """How far from the target, then the subjects that move the share: below a floor, each one outside the
    numerator with the values that kept it out (`outside`); over a cap, each one in it (`counted`)."""
    assert p.op is not None
    gaps = [Gap("short", [], {**share, "op": p.op, "target": plain_number(p.target)})]
    aliases = [b.alias for b in p.dims]
    for keys in subjects:
        refs = named(aliases, keys)
        explained = reason == "outside" and p.numerator is not None
        values = records.explain(p, p.numerator[1], p.numerator[0], refs) if explained else {}  # type: ignore[index]
        gaps.append(Gap(reason, refs, values))
    return gaps


register(Ratio())
