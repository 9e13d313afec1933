"""Removing facts from the compliant case: every rule notices what it depends on, and says what.

Systematic, not hand-picked:
- every (rule, fact file it reads) pair: without the file the rule is "no data" naming the file;
- every single record of every file a rule reads: the oracle decides whether the rule still passes
  without it; where it does not, the engine must report a gap (or no data) that names the record,
  the person/resolution it belongs to, the period it falls in, or the shortfall it causes.
"""

from __future__ import annotations

import dataclasses

import pytest

from chibo_rules.facts.case import Case
from chibo_rules.jobs.check import run_check
from chibo_rules.ruleset.conditions import date_number

from .conftest import YEAR_END

MEASURED = [f"R{n:02d}" for n in range(1, 45)]


def _without(case: Case, kind: str, key: str | None = None) -> Case:
    records = dict(case.records)
    if key is None:
        del records[kind]
    else:
        records[kind] = [r for r in records[kind] if r.key != key]
    return dataclasses.replace(case, records=records)


def _finding(case, ruleset, prepared, rule_id, evaluator):
    return run_check(case, ruleset, prepared, YEAR_END, evaluator, only=[rule_id]).results[0][1]


def _names(record, finding, case) -> bool:
    """Whether a finding points at the removed record: itself, what it refers to or is named by
    (a person, a resolution, a coded value such as a document kind), a record referring to it (a
    candidate whose mentor it was), or the period its date falls in."""
    if finding.status == "no_data":
        return True
    fact = record.fact
    keys = {record.key} | {str(getattr(fact, n)) for n in type(fact).LABEL if getattr(fact, n) is not None}
    for name in type(fact).REFERENCES:
        value = getattr(fact, name)
        keys |= set(value) if isinstance(value, list) else {value}
    date_field = case.schema.dated_by(record.kind)
    when = getattr(fact, date_field, None) if date_field else None
    index = case.index()
    for gap in finding.gaps:
        if gap.reason == "short":
            return True
        named = {k for _, k in gap.refs}
        if keys & named:
            return True
        if when is not None and any(_in_period(k, date_number(when)) for k in named):
            return True
        for other in (index[(record.kind, k)] for k in named if (record.kind, k) in index):
            if any(getattr(other.fact, n) == record.key for n in type(other.fact).REFERENCES):
                return True
    return False


def _in_period(key: str, day: int) -> bool:
    import datetime as dt

    year, _, rest = key.partition("-")
    if not year.isdigit() or not rest:
        return False
    if rest.startswith("W") and rest[1:].isdigit():
        monday = dt.date.fromisocalendar(int(year), int(rest[1:]), 1)
        return date_number(monday) <= day <= date_number(monday + dt.timedelta(days=6))
    if rest.startswith("Q") and rest[1:].isdigit():
        first = (int(rest[1:]) - 1) * 3 + 1
        return int(year) * 100 + first <= day // 100 <= int(year) * 100 + first + 2
    return rest.isdigit() and day // 100 == int(year) * 100 + int(rest)


@pytest.mark.parametrize("rule_id", MEASURED)
def test_rule_without_each_file_it_reads_is_no_data(rule_id, compliant_case, ruleset, prepared):
    rule = ruleset.by_id(rule_id)
    assert rule.kinds(), rule_id
    for kind in rule.kinds():
        finding = _finding(_without(compliant_case, kind), ruleset, prepared, rule_id, "engine")
        assert finding.status == "no_data", (rule_id, kind)
        assert finding.missing_files == [f"{kind}.csv"], (rule_id, kind)


def _batches(records, monotone: bool):
    """Single records, or for large files of monotone rules every k-th record together: removing more
    evidence can only add gaps there, so a record the rule depends on is still named in its batch."""
    if not monotone or len(records) <= 60:
        return [[r] for r in records]
    count = len(records) // 25
    return [records[i::count] for i in range(count)]


@pytest.mark.parametrize("rule_id", MEASURED)
def test_rule_notices_every_record_it_depends_on(rule_id, compliant_case, ruleset, prepared):
    check = ruleset.by_id(rule_id).check
    monotone = check.kind == "coverage" or (check.kind == "count" and check.op in ("gt", "gte"))
    assert _finding(compliant_case, ruleset, prepared, rule_id, "oracle").status == "passed"
    named = 0
    for kind in ruleset.by_id(rule_id).kinds():
        for batch in _batches(compliant_case.records[kind], monotone):
            smaller = compliant_case
            for record in batch:
                smaller = _without(smaller, kind, record.key)
            oracle = _finding(smaller, ruleset, prepared, rule_id, "oracle")
            engine = _finding(smaller, ruleset, prepared, rule_id, "engine")
            assert engine.comparable() == oracle.comparable(), (rule_id, [r.key for r in batch])
            unnamed = [r for r in batch if not (engine.status != "passed" and _names(r, engine, compliant_case))]
            named += len(batch) - len(unnamed)
            if unnamed:
                # what the finding does not name, the rule must not depend on: without all of those
                # records (each alone, for a non-monotone rule) the oracle still passes
                rest = compliant_case
                for record in unnamed:
                    rest = _without(rest, kind, record.key)
                assert _finding(rest, ruleset, prepared, rule_id, "oracle").status == "passed", (
                    rule_id, [r.key for r in unnamed])
    # rules whose example evidence has one record per requirement must name what is removed
    if getattr(check, "require", None) is not None and rule_id not in REDUNDANT_EVIDENCE:  # a coverage's
        assert named > 0, rule_id


# the compliant case holds more than one record per requirement here: several movements per member
# (R22), several activities per mass-mobilisation model (R37), so no single removal is a gap
REDUNDANT_EVIDENCE = {"R22", "R37"}
