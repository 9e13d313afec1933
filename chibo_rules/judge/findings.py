"""Findings: what a rule found, as plain data every renderer shares.

Both evaluators produce a `Raw` per rule (the matched keys: subjects, missing, failed, counted…);
`judge` turns it into a `Finding` with a status, a target, an observed value and the gaps, each
naming the records involved. The engine and the oracle are compared on `Raw` and on `Finding`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

from ..evaluate.interpret import explain
from ..evaluate.raw import Keys, Raw, raw_from_hits  # noqa: F401 (re-exported)
from ..facts.values import date_number
from ..ruleset.prepare import Prepared

STATUSES = ("gap", "no_data", "passed", "not_due", "advisory")
# a quarterly audit's judgement of a count before it falls due; a gap every item of which is waived
PACE_STATUSES = ("behind_pace", "on_pace")
EXEMPTED = "exempted"
# what needs action: due and missed, or behind its milestone (what exemptions waive, what a roll-up flags)
OPEN = ("gap", "behind_pace")


@dataclass
class Gap:
    """One thing missing or failing: the records by alias, and the values that failed."""

    reason: str  # missing | failed | outside | counted | short | not_counted | behind
    refs: list[tuple[str, str]]
    values: dict[str, Any] = field(default_factory=dict)
    # the exemption (its ref) that waives this gap, or that would but has expired
    exempted_by: str = ""
    expired_exemption: str = ""


@dataclass
class Finding:
    rule_id: str
    status: str
    target: dict[str, Any] = field(default_factory=dict)
    observed: dict[str, Any] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    note: str = ""
    # gaps waived by an exemption: still reported, never dropped (see waivers.py)
    exempted: list[Gap] = field(default_factory=list)

    def comparable(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("gaps", "exempted"):
            data[name] = sorted(
                (g["reason"], tuple(map(tuple, g["refs"])), tuple(sorted(g["values"].items())), g["exempted_by"],
                 g["expired_exemption"])
                for g in data[name]
            )
        return data


def compare(value: Fraction, op: str, target: Fraction) -> bool:
    return {
        "eq": value == target, "ne": value != target, "lt": value < target,
        "lte": value <= target, "gt": value > target, "gte": value >= target,
    }[op]


def _refs(aliases: list[str], keys: Keys) -> list[tuple[str, str]]:
    return list(zip(aliases, keys))


def _judge_coverage(
    p: Prepared, raw: Raw, lookup: dict[tuple[str, str], dict[str, Any]], params: dict[str, Any]
) -> Finding:
    aliases = [b.alias for b in p.dims]
    if not raw.subjects:
        status = "passed" if p.rule.check.when_empty == "passed" else "no_data"
        return Finding(p.id, status, observed={"satisfied": 0, "total": 0}, note="empty")
    n = len(aliases)
    bad = raw.missing | {f[:n] for f in raw.failed}
    gaps = [Gap("missing", _refs(aliases, keys)) for keys in sorted(raw.missing)]
    owner = p.require or p.dims[-1]
    bound = {b.alias: b for b in p.bound()}
    for keys in sorted(raw.failed):
        refs = _refs(aliases + ([owner.alias] if p.require else []), keys)
        env = {alias: lookup.get((bound[alias].lookup_type(p.id), key), {}) for alias, key in refs}
        values = explain(p.must, env[owner.alias], env, params) if p.must else {}
        gaps.append(Gap("failed", refs, values))
    total = len(raw.subjects)
    return Finding(
        p.id, "gap" if gaps else "passed",
        target={"op": "all", "total": total},
        observed={"satisfied": total - len(bad & raw.subjects), "total": total},
        gaps=gaps,
    )


def _count_value(p: Prepared, raw: Raw) -> tuple[Fraction, list[Any]]:
    if p.sum_field is not None:
        values = [v[-1] for v in raw.items.values() if v[-1] is not None]
        return Fraction(str(sum(values))) if values else Fraction(0), []
    if p.distinct is not None:
        distinct = sorted({v[0] for v in raw.items.values() if v[0] is not None}, key=str)
        return Fraction(len(distinct)), distinct
    return Fraction(len(raw.items)), []


def _judge_count(p: Prepared, raw: Raw) -> Finding:
    assert p.op is not None and p.target is not None
    value, distinct = _count_value(p, raw)
    ok = compare(value, p.op, p.target)
    aliases = [b.alias for b in p.dims]
    gaps: list[Gap] = []
    if not ok:
        if p.op in ("gt", "gte"):
            needed = p.target - value + (1 if p.op == "gt" else 0)
            gaps.append(Gap("short", [], {"needed": plain_number(needed), "value": plain_number(value), "op": p.op,
                                          "target": plain_number(p.target)}))
            counted = {(str(v),) for v in distinct}
            for keys in sorted(raw.among - counted):
                gaps.append(Gap("not_counted", _refs([p.among.alias], keys) if p.among else []))
        else:
            gaps += [Gap("counted", _refs(aliases, keys)) for keys in sorted(raw.items)]
    observed: dict[str, Any] = {"value": plain_number(value)}
    if p.distinct is not None:
        observed["distinct"] = [str(v) for v in distinct]
        observed["distinct_field"] = f"{p.distinct.alias}.{p.distinct.field}"
    else:
        observed["items"] = [list(k) for k in sorted(raw.items)]
    return Finding(p.id, "passed" if ok else "gap", target={"op": p.op, "value": plain_number(p.target)},
                   observed=observed, gaps=gaps)


def _judge_ratio(
    p: Prepared, raw: Raw, lookup: dict[tuple[str, str], dict[str, Any]], params: dict[str, Any]
) -> Finding:
    assert p.op is not None and p.target is not None
    aliases = [b.alias for b in p.dims]
    target = {"op": p.op, "value": plain_number(p.target), "unit": "%"}
    if p.numerator is not None:
        num, den = len(raw.num & raw.den), len(raw.den)
        outside = sorted(raw.den - raw.num)
    else:
        rows = [v for v in raw.rows.values() if None not in v[0] and None not in v[1]]
        num = sum(sum(v[0]) for v in rows)
        den = sum(sum(v[1]) for v in rows)
        outside = []
    if den == 0:
        return Finding(p.id, "no_data", target=target, observed={"numerator": num, "denominator": den},
                       note="empty")
    percent = Fraction(str(num)) * 100 / Fraction(str(den))
    ok = compare(percent, p.op, p.target)
    gaps: list[Gap] = []
    if not ok:
        share = {"percent": plain_number(percent), "numerator": plain_number(num), "denominator": plain_number(den)}
        gaps.append(Gap("short", [], {**share, "op": p.op, "target": plain_number(p.target)}))
        bound = {b.alias: b for b in p.dims}
        for keys in outside:
            refs = _refs(aliases, keys)
            values = {}
            if p.numerator is not None:
                alias, where = p.numerator
                env = {a: lookup.get((bound[a].lookup_type(p.id), k), {}) for a, k in refs}
                values = explain(where, env[alias], env, params)
            gaps.append(Gap("outside", refs, values))
    observed = {"percent": plain_number(percent), "numerator": plain_number(num), "denominator": plain_number(den)}
    return Finding(p.id, "passed" if ok else "gap", target=target, observed=observed, gaps=gaps)


def plain_number(value: Any) -> Any:
    """Exact where whole, otherwise rounded to 2 decimals for display and JSON."""
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else round(float(value), 2)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def judge(
    p: Prepared, raw: Raw, lookup: dict[tuple[str, str], dict[str, Any]], as_of: dt.date,
    runtime: dict[str, Any] | None = None,
) -> Finding:
    """`runtime`: the parameters besides as_of the rules were evaluated with (a review's meeting dates)."""
    params = {"as_of": date_number(as_of), **(runtime or {})}
    if p.per is not None:
        return _judge_per(p, raw, lookup, params, as_of)
    if p.kind == "coverage":
        return _judge_coverage(p, raw, lookup, params)
    if p.kind == "count":
        return _judge_count(p, raw)
    if p.kind == "ratio":
        return _judge_ratio(p, raw, lookup, params)
    return Finding(p.id, "advisory", observed={"evidence": [k[0] for k in sorted(raw.evidence)]})


def _only(raw: Raw, keep: Any) -> Raw:
    """The part of a count's or ratio's matches whose keys `keep` accepts."""
    return Raw(items={k: v for k, v in raw.items.items() if keep(k)}, den={k for k in raw.den if keep(k)},
               num={k for k in raw.num if keep(k)}, rows={k: v for k, v in raw.rows.items() if keep(k)})


def _judge_per(p: Prepared, raw: Raw, lookup: dict[tuple[str, str], dict[str, Any]], params: dict[str, Any],
               as_of: dt.date) -> Finding:
    """A count or ratio judged once per period of the plan that has ended (each year, each school year):
    each period from the matches whose `per` field holds its key; a period without any is a gap of its own,
    never a pass."""
    assert p.per is not None
    periods = p.periods(as_of)
    if not periods:
        return Finding(p.id, "not_due", note="no_period")
    aliases = [b.alias for b in p.dims]
    at = aliases.index(p.per.alias)
    bound = p.alias_map()[p.per.alias]

    def period_of(keys: Keys) -> Any:
        value = lookup.get((bound.lookup_type(p.id), keys[at]), {}).get(p.per.field)
        return str(value) if value is not None else None

    gaps: list[Gap] = []
    observed: dict[str, Any] = {}
    for key, _start, _end in periods:
        part = _only(raw, lambda k, key=key: period_of(k) == key)
        if not (part.items or part.den or part.rows):
            gaps.append(Gap("no_records", [], {"period": key}))
            observed[key] = None
            continue
        finding = _judge_count(p, part) if p.kind == "count" else _judge_ratio(p, part, lookup, params)
        observed[key] = finding.observed
        if finding.status == "no_data":
            gaps.append(Gap("no_records", [], {"period": key}))
        for gap in finding.gaps:
            gaps.append(Gap(gap.reason, gap.refs, {**gap.values, "period": key}))
    target = {"op": p.op, "value": plain_number(p.target), "per": p.per_unit}
    if p.kind == "ratio":
        target["unit"] = "%"
    return Finding(p.id, "gap" if gaps else "passed", target=target, observed={"periods": observed}, gaps=gaps)


def expected_by(p: Prepared, day: dt.date) -> Fraction:
    """How many a count with milestones (or linear pace) should have reached by `day`.
    Milestones name the quarters of the year the count falls due in; linear pace runs from the plan's
    first day to the due date, rounded down: 11 supervisions a year expect 2 (not 2.7) by 31 March."""
    due = p.rule.due
    assert not isinstance(due, str) and p.target is not None and p.due_date is not None
    if due.milestones:
        reached = [Fraction(str(v)) for q, v in due.milestones.items() if quarter_end(p.due_date.year, q) <= day]
        return max(reached, default=Fraction(0))
    start = p.calendar.start if p.calendar else dt.date(p.due_date.year, 1, 1)
    share = Fraction((day - start).days + 1, (p.due_date - start).days + 1)
    return Fraction(int(p.target * min(share, Fraction(1))))


def next_milestone(p: Prepared, day: dt.date) -> tuple[dt.date, Fraction] | None:
    """The next quarter end after `day` (up to the due date) and what is expected by then."""
    assert p.due_date is not None
    for year in range(day.year, p.due_date.year + 1):
        for q in ("Q1", "Q2", "Q3", "Q4"):
            end = quarter_end(year, q)
            if day < end <= p.due_date:
                return end, expected_by(p, end)
    return (p.due_date, p.target) if p.target is not None and day < p.due_date else None


def quarter_end(year: int, quarter: str) -> dt.date:
    month = int(quarter[1]) * 3
    return (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)


def judge_pace(p: Prepared, finding: Finding, day: dt.date) -> Finding:
    """A count judged before it is due: on pace if it has reached its milestone, else behind pace.
    A count that has already reached its yearly target stays passed."""
    if finding.status != "gap":
        return finding
    assert p.op is not None
    value = Fraction(str(finding.observed["value"]))
    expected = expected_by(p, day)
    ok = compare(value, p.op, expected) if expected > 0 else True
    target = {**finding.target, "milestone": plain_number(expected), "by": day.isoformat()}
    if ok:
        return Finding(p.id, "on_pace", target=target, observed=finding.observed)
    needed = expected - value + (1 if p.op == "gt" else 0)
    behind = Gap("behind", [], {"needed": plain_number(needed), "value": plain_number(value),
                                "milestone": plain_number(expected), "by": day.isoformat()})
    others = [g for g in finding.gaps if g.reason == "not_counted"]
    return Finding(p.id, "behind_pace", target=target, observed=finding.observed, gaps=[behind, *others])
