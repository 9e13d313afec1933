"""Findings: what a rule found, as plain data every renderer shares.

Both evaluators produce a `Raw` per rule (the matched keys: subjects, missing, failed, counted…);
`judge` turns it into a `Finding` with a status, a target, an observed value and the gaps, each
naming the records involved. The engine and the oracle are compared on `Raw` and on `Finding`.

How a rule's matches become its finding is its check kind's judging (checks/, which also defines
Finding and Gap, re-exported here); this module is what is the same for every kind: a count or ratio
judged once per period, a count judged against its pace before it is due.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..checks import CHECK_KINDS, CheckKind
from ..checks.finding import (  # noqa: F401 (the status lists are re-exported)
    EXEMPTED,
    PACE_STATUSES,
    REPORTED_STATUSES,
    SHORTFALLS,
    STATUSES,
    Finding,
    Gap,
    compare,
    followed_as,
    plain_number,
)
from ..evaluate.interpret import explain
from ..evaluate.raw import Keys, Raw, raw_from_hits  # noqa: F401 (re-exported)
from ..facts.values import date_number
from ..quarters import QUARTERS, quarter_end
from ..ruleset.conditions import All
from ..ruleset.prepare import Prepared

# what needs action: due and missed, or behind its milestone (what exemptions waive, what a roll-up flags)
OPEN = ("gap", "behind_pace")


@dataclass
class _Records:
    """The cell's records by (fact type, key) and the parameters the rules were evaluated with: where a
    gap's failed values are read from (checks/kind.py's `Records`)."""

    lookup: dict[tuple[str, str], dict[str, Any]]
    params: dict[str, Any]

    def explain(self, p: Prepared, cond: All, owner: str, refs: list[tuple[str, str]]) -> dict[str, Any]:
        bound = p.alias_map()
        env = {alias: self.lookup.get((bound[alias].lookup_type(p.id), key), {}) for alias, key in refs}
        return explain(cond, env[owner], env, self.params)


def judge(
    p: Prepared, raw: Raw, lookup: dict[tuple[str, str], dict[str, Any]], as_of: dt.date,
    runtime: dict[str, Any] | None = None,
) -> Finding:
    """The finding of a rule, as its check kind judges it (checks/), once per period with `per`.
    `runtime`: the parameters besides as_of the rules were evaluated with (a review's meeting dates)."""
    records = _Records(lookup, {"as_of": date_number(as_of), **(runtime or {})})
    kind = CHECK_KINDS[p.kind]
    if p.per is not None:
        return _judge_per(p, kind, raw, records, as_of)
    return kind.judge(p, raw, records)


def _in_period(period_of: Callable[[Keys], Any], key: str, keys: Keys) -> bool:
    return bool(period_of(keys) == key)


def _judge_per(p: Prepared, kind: CheckKind, raw: Raw, records: _Records, as_of: dt.date) -> Finding:
    """A count or ratio judged once per period of the plan that has ended (each year, each school year):
    each period from the matches whose `per` field holds its key; a period without any is a gap of its own
    (`no_records`) — unless nothing is what the target asks for (a cap: at most 2 a year), when it passes."""
    assert p.per is not None
    periods = p.periods(as_of)
    if not periods:
        return Finding(p.id, "not_due", note="no_period")
    at = [b.alias for b in p.dims].index(p.per.alias)
    source, field = p.alias_map()[p.per.alias].lookup_type(p.id), p.per.field

    def period_of(keys: Keys) -> Any:
        value = records.lookup.get((source, keys[at]), {}).get(field)
        return str(value) if value is not None else None

    gaps: list[Gap] = []
    observed: dict[str, Any] = {}
    for key, _start, _end in periods:
        part = raw.only(functools.partial(_in_period, period_of, key))
        finding = kind.judge(p, part, records)
        if not part.matched() and finding.status != "passed":
            # nothing recorded in the period: said as such (a cap met by nothing, "no violation", passes)
            gaps.append(Gap("no_records", [], {"period": key}))
            observed[key] = None
            continue
        observed[key] = finding.observed
        if finding.status == "no_data":
            gaps.append(Gap("no_records", [], {"period": key}))
        for gap in finding.gaps:
            gaps.append(Gap(gap.reason, gap.refs, {**gap.values, "period": key}))
    target = kind.goal(p, per=p.per_unit)
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
        for q in QUARTERS:
            end = quarter_end(year, q)
            if day < end <= p.due_date:
                return end, expected_by(p, end)
    return (p.due_date, p.target) if p.target is not None and day < p.due_date else None


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
    others = [g for g in finding.gaps if g.candidate]
    return Finding(p.id, "behind_pace", target=target, observed=finding.observed, gaps=[behind, *others])
