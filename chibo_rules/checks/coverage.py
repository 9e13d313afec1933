"""coverage: every subject (a combination of `for_each` records) has its `require`d record, and that record
— or, without `require`, the subject's last record — passes `must`. With `op` and `target`, the share of
subjects that do, in percent, is compared with the target instead ("80% of staff register an initiative":
the share of a roster with at least one matching record).

Roles: subjects; missing (a subject without a required record); failed (a subject's keys, plus the key of
the required record that fails `must` when there is one).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal

from pydantic import model_validator

from ..ruleset.conditions import All, Cond, negate
from ..ruleset.prepare import Bound, Prepared, Preparing
from ..ruleset.rulespec import COMPARE, CheckSpec, Pattern
from .finding import Finding, Gap, compare, plain_number
from .kind import (
    OP_SIGN,
    CheckKind,
    Emitter,
    Env,
    Found,
    GapWords,
    Keys,
    Matched,
    Matching,
    Number,
    Records,
    Test,
    named,
)
from .registry import register


class CoverageCheck(CheckSpec):
    """`check:` of a coverage rule."""

    kind: Literal["coverage"]
    for_each: list[Pattern] = []
    require: Pattern | None = None
    must: dict[str, Any] | None = None
    when_empty: Literal["no_data", "passed"] = "no_data"
    op: COMPARE | None = None
    target: float | int | dict[str, Any] | None = None

    @model_validator(mode="after")
    def _shape(self) -> CoverageCheck:
        if not self.for_each:
            raise ValueError("a coverage check needs 'for_each'")
        if self.require is None and not self.must:
            raise ValueError("a coverage check needs 'require', 'must' or both")
        if (self.op is None) != (self.target is None):
            raise ValueError("a coverage judged as a share gives both 'op' and 'target' (a percent)")
        return self

    def prepare(self, ctx: Preparing) -> dict[str, Any]:
        dims = ctx.dims(self.for_each)
        require = ctx.bind(self.require)
        must = None
        if self.must and all(dims) and (require is not None or self.require is None):
            own = require.alias if require else dims[-1].alias  # type: ignore[union-attr]
            must = ctx.must(self.must, own)
        return {"dims": dims, "require": require, "must": must, "op": self.op, "target": ctx.target(self.target)}


class Coverage(CheckKind):
    name = "coverage"
    spec = CoverageCheck
    title = ("Từng đối tượng", "Each one")
    reasons = ("missing", "failed", "short")
    words = {"missing_record": ("chưa có {what}", "no {what} recorded")}

    def compile(self, p: Prepared, out: Emitter) -> None:
        dims, aliases = self.subjects(p)
        out.emit(p.id, "subjects", dims, None, aliases)
        if p.require is not None:
            out.emit(p.id, "missing", dims, (p.require, p.require.where), aliases)
        failing = _failing(p, dims, aliases)
        if failing is not None:
            positives, keyed_by = failing
            out.emit(p.id, "failed", positives, None, keyed_by)

    def evaluate(self, p: Prepared, oracle: Matching, raw: Matched) -> None:
        must = oracle.test(p.must) if p.must is not None else None
        require = oracle.matcher(p.id, p.require, p.require.where) if p.require is not None else None
        last = p.dims[-1].alias if p.dims else ""
        for keys, env in self.combinations(oracle, p):
            raw.add("subjects", keys)
            if require is not None:
                _required(p, require, must, keys, env, raw)
            elif must is not None and not must(env[last], env):
                raw.add("failed", keys)

    def judge(self, p: Prepared, raw: Matched, records: Records) -> Finding:
        if not raw.values("subjects"):
            assert isinstance(p.rule.check, CoverageCheck)
            status = "passed" if p.rule.check.when_empty == "passed" else "no_data"
            return Finding(p.id, status, observed={"satisfied": 0, "total": 0}, note="empty")
        gaps = _gaps(p, raw, records)
        subjects = raw.keys("subjects")
        bad = raw.keys("missing") | {f[:len(p.dims)] for f in raw.keys("failed")}
        total = len(subjects)
        satisfied = total - len(bad & subjects)
        observed: dict[str, Any] = {"satisfied": satisfied, "total": total}
        if p.op is None or p.target is None:
            return Finding(p.id, "gap" if gaps else "passed", target={"op": "all", "total": total},
                           observed=observed, gaps=gaps)
        percent = Fraction(satisfied * 100, total)
        observed["percent"] = plain_number(percent)
        if compare(percent, p.op, p.target):
            return Finding(p.id, "passed", target=self.goal(p, total=total, unit="%"), observed=observed)
        share = {"percent": plain_number(percent), "numerator": satisfied, "denominator": total, "op": p.op,
                 "target": plain_number(p.target)}
        return Finding(p.id, "gap", target=self.goal(p, total=total, unit="%"), observed=observed,
                       gaps=[Gap("short", [], share), *gaps])

    def observed(self, o: dict[str, Any] | None, number: Number) -> str:
        assert o is not None  # a coverage is never judged per period
        if "percent" in o:
            return f"{number(o['percent'])}% ({o['satisfied']}/{o['total']})"
        return f"{o['satisfied']}/{o['total']}"

    def gap_text(self, p: Prepared, gap: Gap, words: GapWords) -> str:
        if gap.reason == "missing":
            what = words.kind_label(p.require.pattern.kind or "") if p.require else ""
            text = words.custom(p, gap.reason)
            text = words.t("missing_record", what=what) if text is None else text
            return f"{words.records(p, gap.refs)}: {text}"
        if gap.reason == "failed":
            if p.require is None:
                return self.explained(p, gap, words, gap.refs[-1][0], gap.refs)
            # the required record that failed: named by where it sits, after the subject
            where = words.location(p.require.pattern.kind or "", gap.refs[-1][1])
            return self.explained(p, gap, words, gap.refs[-1][0], gap.refs[:-1], f" [{where}]" if where else "")
        return super().gap_text(p, gap, words)

    def target(self, p: Prepared, number: Number) -> str:
        if p.op is None or p.target is None:
            return "100%"
        value = int(p.target) if p.target.denominator == 1 else float(p.target)
        return f"{OP_SIGN[p.op]} {number(value)}%"


def _failing(p: Prepared, dims: list[tuple[Bound, Cond]],
             aliases: tuple[str, ...]) -> tuple[list[tuple[Bound, Cond]], tuple[str, ...]] | None:
    """What the engine matches for a failure: the required record (or the last dim) with `must` negated
    (the negation is exact: prepare lets `must` compare only with fields every record has)."""
    if p.must is None:
        return None
    if p.require is not None:
        return dims + [(p.require, All((p.require.where, negate(p.must))))], aliases + (p.require.alias,)
    last = p.dims[-1]
    return dims[:-1] + [(last, All((last.where, negate(p.must))))], aliases


def _required(p: Prepared, require: Found, must: Test | None, keys: Keys, env: Env, raw: Matched) -> None:
    """One subject with `require`: missing without a required record, failed by each one failing `must`."""
    found = require(env)
    if not found:
        raw.add("missing", keys)
    if must is None:
        return
    assert p.require is not None
    for fact in found:
        if not must(fact, {**env, p.require.alias: fact}):
            raw.add("failed", keys + (str(fact["key"]),))


def _gaps(p: Prepared, raw: Matched, records: Records) -> list[Gap]:
    """Missing records first, then failures with the values that failed `must`."""
    aliases = [b.alias for b in p.dims]
    gaps = [Gap("missing", named(aliases, keys)) for keys in sorted(raw.keys("missing"))]
    owner = p.require or p.dims[-1]
    for keys in sorted(raw.keys("failed")):
        refs = named(aliases + ([owner.alias] if p.require else []), keys)
        values = records.explain(p, p.must, owner.alias, refs) if p.must else {}
        gaps.append(Gap("failed", refs, values))
    return gaps


register(Coverage())
