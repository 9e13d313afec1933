"""The durable-rules engine and the plain-Python oracle agree: on every bundled case at every month's
end, and on generated cases (hypothesis). Compared on raw matches and on the judged findings."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chibo_rules.jobs.check import evaluate_raw, run_check

from .factgen import cases

AS_OF_DATES = [dt.date(2020, m, 28) for m in range(1, 13)] + [dt.date(2020, 3, 31), dt.date(2020, 6, 30),
                                                             dt.date(2020, 9, 30), dt.date(2020, 12, 31)]


def _assert_agree(case, ruleset, prepared, as_of):
    e_decided, e_raw, _ = evaluate_raw(case, prepared, as_of, "engine")
    o_decided, o_raw, _ = evaluate_raw(case, prepared, as_of, "oracle")
    assert e_decided.keys() == o_decided.keys()
    for rule_id in e_raw:
        assert e_raw[rule_id].comparable() == o_raw[rule_id].comparable(), rule_id
    engine = run_check(case, ruleset, prepared, as_of, "engine")
    oracle = run_check(case, ruleset, prepared, as_of, "oracle")
    for (p, f), (_, g) in zip(engine.results, oracle.results, strict=True):
        assert f.comparable() == g.comparable(), p.id
    return engine


@pytest.mark.parametrize("as_of", AS_OF_DATES, ids=str)
def test_bundled_cases_agree_all_year(gaps_case, compliant_case, ruleset, prepared, as_of):
    for case in (gaps_case, compliant_case):
        _assert_agree(case, ruleset, prepared, as_of)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=cases(), as_of=st.dates(dt.date(2020, 1, 1), dt.date(2021, 1, 15)))
def test_generated_cases_agree(case, as_of, ruleset, prepared):
    report = _assert_agree(case, ruleset, prepared, as_of)
    assert len(report.results) == len(prepared)


def test_generated_cases_reach_every_status(ruleset, prepared):
    """Guards the generator: agreement on cases where every rule is 'no data' would prove little."""
    seen: dict[str, set[str]] = {}

    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(case=cases())
    def collect(case):
        for p, f in run_check(case, ruleset, prepared, dt.date(2020, 12, 31), "oracle").results:
            seen.setdefault(p.kind, set()).add(f.status)

    collect()
    for kind in ("coverage", "count", "ratio"):
        assert {"passed", "gap", "no_data"} <= seen[kind], (kind, seen[kind])
