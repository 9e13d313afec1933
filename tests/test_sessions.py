"""A large cell is judged by durable-rules in several sessions, some people at a time (evaluate/sessions.py).

The split must never change a finding: with the budget forced down to a few records per session, the
engine's matches still equal the oracle's on every bundled case and on generated ones. A rule whose match
joins two people's records (a candidate and the mentor) must stay in one session: forcing it into
batches makes these tests fail (tested below)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chibo_rules.evaluate import sessions
from chibo_rules.jobs.check import evaluate_raw
from chibo_rules.ruleset.conditions import All, Any_, Cmp, FieldRef
from chibo_rules.ruleset.prepare import prepare
from chibo_rules.ruleset.rulespec import load_rules

from .conftest import CASES, ROOT
from .conftest import load_case as load_vbn1_case
from .factgen import cases

TINY = 3  # owned records per session: every bundled case is split into dozens of sessions


def _disagreements(case, prepared, as_of) -> list[str]:
    _, engine, _ = evaluate_raw(case, prepared, as_of, "engine")
    _, oracle, _ = evaluate_raw(case, prepared, as_of, "oracle")
    return [rule_id for rule_id in engine if engine[rule_id].comparable() != oracle[rule_id].comparable()]


def _bundled():
    from chibo_rules.facts.sources import load_case

    for folder in sorted(CASES.iterdir()):
        plan = (folder / "cell.yaml").read_text(encoding="utf-8").split("plan:")[1].split()[0].strip('"')
        ruleset = load_rules(ROOT / "rules" / plan)
        yield folder.name, load_case(folder, ruleset.schema, (ruleset.plan.start, ruleset.plan.end)), ruleset


@pytest.fixture
def tiny_budget(monkeypatch):
    monkeypatch.setattr(sessions, "BUDGET", TINY)
    runs = []
    real = sessions.split

    def counting(*args):
        out = real(*args)
        runs.append(len(out))
        return out

    monkeypatch.setattr(sessions, "split", counting)
    return runs


def test_split_sessions_agree_on_every_bundled_case(tiny_budget):
    for name, case, ruleset in _bundled():
        prepared = prepare(ruleset)
        for as_of in (dt.date(2020, 6, 30), ruleset.plan.end):
            assert _disagreements(case, prepared, as_of) == [], (name, as_of)
    assert len(tiny_budget) == 8 and min(tiny_budget) > 10, tiny_budget  # really split, every time


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                  HealthCheck.function_scoped_fixture])
@given(case=cases(), as_of=st.dates(dt.date(2020, 1, 1), dt.date(2021, 1, 15)))
def test_split_sessions_agree_on_generated_cases(tiny_budget, case, as_of, prepared):
    assert _disagreements(case, prepared, as_of) == []


def test_a_rule_joining_two_people_is_never_split(monkeypatch, ruleset, prepared):
    """Mutation check: judged in batches, the mentor rule (R08) finds the mentor "missing" whenever the
    mentor sits in another session — so the agreement tests above can fail."""
    monkeypatch.setattr(sessions, "BUDGET", TINY)
    monkeypatch.setattr(sessions, "per_owner", lambda p, owners: True)
    case = load_vbn1_case(CASES / "vbn1-2020")
    assert "R08" in _disagreements(case, prepared, dt.date(2020, 12, 31))


def test_which_rules_are_judged_per_person(ruleset, prepared):
    owners = ruleset.schema.owner_fields()
    whole = [p.id for p in prepared if not sessions.per_owner(p, owners)]
    assert whole == ["R08"]  # a candidate joined to another person, the mentor
    tan_phuoc = load_rules(ROOT / "rules" / "tan-phuoc-2020-2022")
    owners = tan_phuoc.schema.owner_fields()
    assert [p.id for p in prepare(tan_phuoc) if not sessions.per_owner(p, owners)] == ["R21"]  # rows joined by period


def _with_where(p, alias, where):
    from dataclasses import replace

    dims = tuple(replace(b, where=where) if b.alias == alias else b for b in p.dims)
    require = replace(p.require, where=where) if p.require and p.require.alias == alias else p.require
    return replace(p, dims=dims, require=require)


def test_a_join_inside_any_ties_nothing(ruleset, prepared):
    owners = ruleset.schema.owner_fields()
    r41 = next(p for p in prepared if p.id == "R41")
    assert sessions.per_owner(r41, owners)
    join = Cmp("person", "eq", FieldRef("p", "ref"))
    week = Cmp("week", "eq", FieldRef("w", "start"))
    assert sessions.per_owner(_with_where(r41, "ts", All((join, week))), owners)
    either = All((Any_((join, Cmp("hours", "gt", FieldRef("w", "workdays")))), week))
    assert not sessions.per_owner(_with_where(r41, "ts", either), owners)


def test_an_owned_required_record_needs_an_owned_subject(ruleset, prepared):
    """"Every resolution has a briefing" cannot be split by person: a session without the briefing's person
    would find it missing."""
    from dataclasses import replace

    owners = ruleset.schema.owner_fields()
    r41 = next(p for p in prepared if p.id == "R41")
    only_weeks = replace(r41, dims=tuple(b for b in r41.dims if b.alias != "p"),
                         require=replace(r41.require, where=All((Cmp("week", "eq", FieldRef("w", "start")),))))
    assert not sessions.per_owner(only_weeks, owners)


def test_split_keeps_every_fact_once_per_owner():
    owners = {"ts": "person", "people": "ref"}
    facts = ([{"t": "people", "ref": f"P{i}"} for i in range(5)]
             + [{"t": "ts", "person": f"P{i}", "key": f"{i}-{k}"} for i in range(5) for k in range(3)]
             + [{"t": "ts", "key": "blank"}, {"t": "res", "key": "r1"}])
    batches = sessions.split(facts, owners, 8)
    # each: the shared resolution + blank-owner timesheet and P0 | P1, P2 | P3, P4 (a person = 1 + 3 records)
    assert [len(b) for b in batches] == [1 + 1 + 4, 1 + 8, 1 + 8]
    owned = [f for b in batches for f in b if f["t"] != "res"]
    assert sorted(map(id, owned)) == sorted(id(f) for f in facts if f["t"] != "res")
    assert all(any(f["t"] == "res" for f in b) for b in batches)


def test_small_cells_stay_in_one_session(ruleset, prepared):
    calls = []

    class Counting:
        def run(self, facts, check):
            calls.append(len(facts))
            return []

    case = load_vbn1_case(CASES / "vbn1-2020")
    facts = case.facts(dt.date(2020, 12, 31))
    sessions.run(Counting(), prepared, facts, {}, ruleset.schema.owner_fields())
    assert calls == [len(facts)]
