"""Quarterly audit: the example cell at each quarter's end against expectations written down before the
audit code existed (tests/expected/audit-vbn1-2020.yaml), by both evaluators; pace, milestones,
changes since the previous quarter; the CLI."""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction

import pytest
import yaml

from chibo_rules.jobs.audit import compare_reports, run_audit
from chibo_rules.jobs.check import Report
from chibo_rules.judge.findings import Finding, Gap, expected_by
from chibo_rules.quarters import parse_quarter, previous_quarter_end, quarter_end
from chibo_rules.ruleset.rulespec import Rule

from .clirun import invoke_chibo
from .conftest import GAPS_CASE, ROOT, RULES

EXPECTED = yaml.safe_load((ROOT / "tests" / "expected" / "audit-vbn1-2020.yaml").read_text(encoding="utf-8"))
QUARTERS = sorted(EXPECTED["quarters"])
COUNTED = ("passed", "gap", "no_data", "not_due", "advisory", "behind_pace", "on_pace")


def _period_keys(finding: Finding) -> list[str]:
    """The calendar periods a gap names (weeks, months), as the expectations list them."""
    return sorted({k for g in finding.gaps for a, k in g.refs if a in ("w", "m")})


def _changes(audit) -> list[str]:
    """Rule-level changes as 'R04'; item-level ones on a rule open at both dates as 'R41:2020-W18'."""
    out = []
    previous = {p.id: f.status for p, f in audit.previous.results}
    for change in audit.changes:
        was_open = previous[change.rule_id] in ("gap", "behind_pace") and change.after in ("gap", "behind_pace")
        if was_open and not (previous[change.rule_id] == "behind_pace" and change.after == "gap"):
            out += [f"{change.rule_id}:{k}" for g in change.gaps for a, k in g.refs if a in ("w", "m")]
        else:
            out.append(change.rule_id)
    return sorted(out)


@pytest.mark.parametrize("evaluator", ["engine", "oracle"])
@pytest.mark.parametrize("quarter", QUARTERS)
def test_example_audit_matches_written_expectations(gaps_case, ruleset, prepared, quarter, evaluator):
    want = EXPECTED["quarters"][quarter]
    year, q = parse_quarter(quarter)
    assert quarter_end(year, q) == want["as_of"]
    audit = run_audit(gaps_case, ruleset, prepared, want["as_of"], evaluator)
    statuses = {p.id: f for p, f in audit.report.results}
    counts = audit.report.counts()
    assert {s: counts.get(s, 0) for s in COUNTED} == want["counts"]
    assert sorted(r for r, f in statuses.items() if f.status == "gap") == sorted(want["gap"])
    for rule_id, items in want["gap"].items():
        periods = _period_keys(statuses[rule_id])
        if rule_id in ("R04", "R41"):
            assert periods == sorted(items), rule_id
    assert sorted(r for r, f in statuses.items() if f.status == "on_pace") == sorted(want["on_pace"])
    behind = {r: f for r, f in statuses.items() if f.status == "behind_pace"}
    assert sorted(behind) == sorted(want["behind_pace"])
    for rule_id, numbers in want["behind_pace"].items():
        head = behind[rule_id].gaps[0]
        assert head.reason == "behind"
        assert {k: head.values[k] for k in ("value", "milestone", "needed")} == numbers
    if want.get("previous", "given") is None:
        assert audit.previous is None and audit.changes == []
    else:
        assert audit.previous is not None
        assert _changes(audit) == sorted(want["new"])
        assert [c for c in audit.changes if c.kind == "fixed"] == [] and want["fixed"] == []


def test_audit_engine_and_oracle_agree_on_every_quarter(gaps_case, compliant_case, ruleset, prepared):
    for case in (gaps_case, compliant_case):
        for quarter in QUARTERS:
            day = EXPECTED["quarters"][quarter]["as_of"]
            engine = run_audit(case, ruleset, prepared, day, "engine")
            oracle = run_audit(case, ruleset, prepared, day, "oracle")
            for (p, f), (_, g) in zip(engine.report.results, oracle.report.results, strict=True):
                assert f.comparable() == g.comparable(), (quarter, p.id)
            assert [(c.rule_id, c.kind) for c in engine.changes] == [(c.rule_id, c.kind) for c in oracle.changes]


def test_compliant_cell_is_behind_on_supervision_mid_year_and_clean_at_year_end(compliant_case, ruleset, prepared):
    """Linear pace is strict: the compliant example supervises 4 members by 30/06 (5 expected)."""
    q2 = run_audit(compliant_case, ruleset, prepared, dt.date(2020, 6, 30))
    assert {p.id: f.status for p, f in q2.report.results if f.status in ("gap", "behind_pace")} == {
        "R14": "behind_pace"}
    q4 = run_audit(compliant_case, ruleset, prepared, dt.date(2020, 12, 31))
    assert not q4.has_gaps
    assert {c.rule_id: c.kind for c in q4.changes} == {"R14": "fixed"}


def test_todo_lists_open_items_then_milestones_and_due_dates(gaps_case, ruleset, prepared):
    audit = run_audit(gaps_case, ruleset, prepared, dt.date(2020, 6, 30))
    assert audit.next_quarter_end == dt.date(2020, 9, 30)
    todo = [(x.rule_id, x.reason, x.by, x.expected) for x in audit.todo]
    assert todo[:3] == [("R04", "gap", None, None), ("R14", "behind_pace", None, None), ("R41", "gap", None, None)]
    assert ("R12", "milestone", dt.date(2020, 9, 30), 1) in todo
    due_soon = sorted(r for r, why, _, _ in todo if why == "due_soon")
    assert due_soon == ["R21", "R27", "R28", "R29", "R30", "R31"]  # school-year end 15/07


def test_linear_pace_and_milestones(prepared):
    by_id = {p.id: p for p in prepared}
    r14, r12 = by_id["R14"], by_id["R12"]
    assert [expected_by(r14, quarter_end(2020, q)) for q in ("Q1", "Q2", "Q3", "Q4")] == [2, 5, 8, 11]
    assert expected_by(r14, dt.date(2020, 1, 1)) == 0
    assert [expected_by(r12, quarter_end(2020, q)) for q in ("Q1", "Q2", "Q3", "Q4")] == [0, 1, 1, 2]
    assert isinstance(expected_by(r12, dt.date(2020, 7, 1)), Fraction)


def test_previous_quarter_end():
    assert previous_quarter_end(dt.date(2020, 3, 31)) is None
    assert previous_quarter_end(dt.date(2020, 4, 1)) == dt.date(2020, 3, 31)
    assert previous_quarter_end(dt.date(2020, 12, 31)) == dt.date(2020, 9, 30)


@pytest.mark.parametrize("text,ok", [("2020-Q2", True), ("2020q4", True), ("2020-Q5", False), ("Q2", False),
                                     ("2020-06", False)])
def test_parse_quarter(text, ok):
    if ok:
        assert parse_quarter(text)[0] == 2020
    else:
        with pytest.raises(ValueError):
            parse_quarter(text)


def _rule(**over):
    base = yaml.safe_load((RULES / "R14-member-supervisions.yaml").read_text(encoding="utf-8"))
    base.update(over)
    return base


@pytest.mark.parametrize("due,message", [
    ({"at": "year_end", "milestones": {"Q2": 5, "Q3": 3}}, "must not decrease"),
    ({"each": "month", "pace": "linear"}, "belong to a requirement due at a date"),
    ({"at": "year_end", "pace": "linear", "milestones": {"Q2": 1}}, "not both"),
    ({"at": "year_end", "milestones": {"Q5": 1}}, "Q5"),
])
def test_pace_is_validated(due, message):
    with pytest.raises(Exception) as err:
        Rule.model_validate(_rule(due=due))
    assert message in str(err.value)


def test_pace_only_on_counts_reaching_up():
    data = yaml.safe_load((RULES / "R01-resolution-briefings.yaml").read_text(encoding="utf-8"))
    data["due"] = {"at": "year_end", "pace": "linear"}
    with pytest.raises(Exception) as err:
        Rule.model_validate(data)
    assert "count with op gte or gt" in str(err.value)


def test_compare_reports_new_fixed_and_items(prepared, gaps_case, ruleset):
    by_id = {p.id: p for p in prepared}
    p41, p04 = by_id["R41"], by_id["R04"]
    w = lambda k: Gap("failed", [("p", "P30"), ("w", k), ("ts", "x")])  # noqa: E731
    before = Report(gaps_case, ruleset, dt.date(2020, 3, 31), [
        (p41, Finding("R41", "gap", gaps=[w("2020-W11"), w("2020-W12")])),
        (p04, Finding("R04", "gap", gaps=[Gap("missing", [("m", "2020-02")])])),
    ], "engine")
    after = Report(gaps_case, ruleset, dt.date(2020, 6, 30), [
        (p41, Finding("R41", "gap", gaps=[w("2020-W12"), w("2020-W18")])),
        (p04, Finding("R04", "passed")),
    ], "engine")
    changes = [(c.rule_id, c.kind, [g.refs[1][1] if len(g.refs) > 1 else g.refs[0][1] for g in c.gaps])
               for c in compare_reports(before, after)]
    assert changes == [("R41", "new", ["2020-W18"]), ("R41", "fixed", ["2020-W11"]), ("R04", "fixed", ["2020-02"])]


def test_cli_audit_json_each_quarter_and_exit_codes():
    for quarter in ("2020-Q2", "2020-Q4"):
        run = invoke_chibo("audit", GAPS_CASE, "--quarter", quarter, "--format", "json")
        assert run.returncode == 1, run.stderr
        data = json.loads(run.stdout)
        want = EXPECTED["quarters"][quarter]
        assert data["schema"] == "chibo.audit/1" and data["as_of"] == want["as_of"].isoformat()
        assert sorted(r["id"] for r in data["rules"] if r["status"] == "gap") == sorted(want["gap"])
        assert sorted(r["id"] for r in data["rules"] if r["status"] == "behind_pace") == sorted(want["behind_pace"])


def test_cli_audit_table_in_english_names_pace_and_changes():
    run = invoke_chibo("audit", GAPS_CASE, "-q", "2020-Q3", "--lang", "en")
    assert run.returncode == 1, run.stderr
    out = run.stdout
    assert "Quarterly audit, Q3 2020" in out
    assert "Behind pace" in out and "behind pace: 1 short (7 against the milestone 8 by 2020-09-30)" in out
    assert "Changes since the previous quarter" in out and "To do before 2020-12-31" in out
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("args,needle", [
    (["--quarter", "2020-Q7"], "Quý không hợp lệ"),
    (["--quarter", "2020-Q2", "--as-of", "30/06/2020"], "không cho cả hai"),
])
def test_cli_audit_bad_usage_exits_2(args, needle):
    run = invoke_chibo("audit", GAPS_CASE, *args)
    assert run.returncode == 2
    assert needle in run.stderr and "Traceback" not in run.stderr


def test_change_table_says_which_gaps_are_new_in_a_rule_already_failing(gaps_case, ruleset, prepared):
    """R41 was a gap at 30/09 and is one at 31/12 with a further short week: not "New" with "Gap → Gap"."""
    from chibo_rules.report.i18n import status
    from chibo_rules.report.views import audit_document

    audit = run_audit(gaps_case, ruleset, prepared, dt.date(2020, 12, 31))
    r41 = [c for c in audit.changes if c.rule_id == "R41"]
    assert [(c.kind, c.before, c.after, len(c.gaps)) for c in r41] == [("new", "gap", "gap", 1)]
    for lang, change, states in (("vi", "Thêm 1 thiếu sót mới", "vẫn chưa đạt"),
                                 ("en", "1 more gap", "still a gap")):
        doc = audit_document(audit, lang)
        (table,) = next(s for s in doc.sections if s.anchor == "changes").blocks
        (row,) = [row for row in table.rows if row[0] == "R41"]
        assert (row[2].text, row[3]) == (change, states)
        assert "16/11–22/11/2020" in row[4]
        (r43,) = [row for row in table.rows if row[0] == "R43"]  # a requirement that newly failed stays "New"
        assert r43[2].text == status("new", lang) and r43[3] == f"{status('passed', lang)} → {status('gap', lang)}"
