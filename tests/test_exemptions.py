"""Exemptions: cases/vbn2-2020's three exemptions (README "Miễn trừ") as of 30/09 and 31/12/2020 —
waived gaps shown as exempted with the exemption, never dropped; an expired exemption stops applying
and says so; a cell-wide one; bad exemption files are input errors."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from chibo_rules.errors import InputError
from chibo_rules.jobs.check import run_check
from chibo_rules.judge import exemptions

from .clirun import invoke_chibo
from .conftest import ROOT, load_case

CASE = ROOT / "cases" / "vbn2-2020"
SEPT, DEC = dt.date(2020, 9, 30), dt.date(2020, 12, 31)
P28_WEEKS = [f"2020-W{w}" for w in range(37, 54)]  # W53 (28/12–03/01) judged at the plan's end
P33_WEEKS = ["2020-W23", "2020-W24", "2020-W25", "2020-W26"]


@pytest.fixture(scope="module")
def case():
    return load_case(CASE)


def _run(case, ruleset, prepared, day, evaluator="engine"):
    raw = run_check(case, ruleset, prepared, day, evaluator, exemptions=False)
    before = {p.id: (f.status, len(f.gaps)) for p, f in raw.results}
    report = exemptions.apply(raw)
    return before, report, {p.id: f for p, f in report.results}, {s.ref: s for s in report.exemptions}


def _weeks(gaps, person):
    return sorted(k for g in gaps if ("p", person) in g.refs for a, k in g.refs if a == "w")


@pytest.mark.parametrize("evaluator", ["engine", "oracle"])
def test_year_end_waives_maternity_leave_keeps_expired_and_cell_wide(case, ruleset, prepared, evaluator):
    before, report, found, states = _run(case, ruleset, prepared, DEC, evaluator)
    assert {s: st.state for s, st in states.items()} == {"MT-01": "active", "MT-02": "expired", "MT-03": "active"}
    # MT-01: the 17 weeks of P28's leave (W37–W53) are exempted, shown with the exemption; P17's short week still a gap
    r42 = found["R42"]
    assert r42.status == "gap"
    assert _weeks(r42.exempted, "P28") == P28_WEEKS and {g.exempted_by for g in r42.exempted} == {"MT-01"}
    assert _weeks(r42.gaps, "P28") == [] and _weeks(r42.gaps, "P17") == ["2020-W42"]
    assert len(r42.gaps) + len(r42.exempted) == before["R42"][1]  # nothing dropped
    # MT-02 expired on 30/09: P33's four June weeks are gaps again, each marked with the expired exemption
    r41 = found["R41"]
    assert r41.status == "gap" and r41.exempted == []
    assert _weeks(r41.gaps, "P33") == P33_WEEKS
    assert {g.expired_exemption for g in r41.gaps if ("p", "P33") in g.refs} == {"MT-02"}
    assert len(states["MT-02"].would_cover) == 4 and states["MT-02"].covered == []
    # MT-03 (no person): every gap of R31 waived, the requirement is exempted, not passed
    assert found["R31"].status == "exempted" and found["R31"].gaps == []
    assert len(found["R31"].exempted) == before["R31"][1] > 0
    counts = report.counts()
    assert counts["gap"] == 9 and counts["exempted"] == 1
    assert len(states["MT-01"].covered) == 17


def test_before_expiry_the_same_exemption_applies(case, ruleset, prepared):
    before, report, found, states = _run(case, ruleset, prepared, SEPT)
    assert states["MT-02"].state == "active"  # expires on 30/09: still in force that day
    assert found["R41"].status == "exempted" and _weeks(found["R41"].exempted, "P33") == P33_WEEKS
    assert found["R42"].status == "exempted" and _weeks(found["R42"].exempted, "P28") == P28_WEEKS[:3]
    assert sorted(r for r, f in found.items() if f.status == "gap") == ["R04", "R15", "R38", "R39"]
    assert before["R41"][0] == before["R42"][0] == "gap"


def test_engine_and_oracle_agree_after_exemptions(case, ruleset, prepared):
    for day in (SEPT, DEC):
        engine = run_check(case, ruleset, prepared, day, "engine")
        oracle = run_check(case, ruleset, prepared, day, "oracle")
        for (p, f), (_, g) in zip(engine.results, oracle.results, strict=True):
            assert f.comparable() == g.comparable(), (day, p.id)


def _copy(tmp_path, rows: str):
    target = tmp_path / "cell"
    shutil.copytree(CASE, target)
    text = (target / "exemptions.csv").read_text(encoding="utf-8")
    (target / "exemptions.csv").write_text(text.splitlines()[0] + "\n" + rows, encoding="utf-8")
    return target


def test_unknown_rule_in_an_exemption_is_an_input_error(tmp_path, ruleset):
    target = _copy(tmp_path, "MT-09,R41;R99,P33,2020-06-01,2020-06-28,Lý do,Hiệu trưởng,,2020-12-31\n")
    with pytest.raises(InputError) as err:
        exemptions.check_rule_names(load_case(target), ruleset.rules)
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.field, problem.detail) == ("exemptions.csv", 2, "rules", "R99")


def test_exemption_dates_out_of_order_name_the_field(tmp_path):
    target = _copy(tmp_path, "MT-09,R41,P33,2020-06-28,2020-06-01,Lý do,Hiệu trưởng,,2020-12-31\n")
    with pytest.raises(InputError) as err:
        load_case(target)
    assert [(p.file, p.line, p.field) for p in err.value.problems] == [("exemptions.csv", 2, "end")]


def test_exemption_without_reason_or_approver_is_refused(tmp_path):
    target = _copy(tmp_path, "MT-09,R41,P33,2020-06-01,2020-06-28,,,,2020-12-31\n")
    with pytest.raises(InputError) as err:
        load_case(target)
    assert sorted(p.field for p in err.value.problems) == ["approved_by", "reason"]


def test_cli_report_shows_exempted_and_expired(tmp_path):
    run = invoke_chibo("check", CASE, "--lang", "en")
    assert run.returncode == 1, run.stderr
    out = run.stdout
    assert "Exempted" in out and "exempted by MT-01" in out
    assert "EXPIRED on 2020-09-30: no longer applies; 4 gap(s) still count" in out
    assert "(exemption MT-02 has expired and no longer applies)" in out
    bad = _copy(tmp_path, "MT-09,R41;R99,P33,2020-06-01,2020-06-28,Lý do,Hiệu trưởng,,2020-12-31\n")
    refused = invoke_chibo("check", bad)
    assert refused.returncode == 2 and "exemptions.csv" in refused.stderr and "R99" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_only_gaps_inside_the_exempted_period_are_waived(tmp_path, ruleset, prepared):
    """Leave ending 31/10: the week of 26/10–01/11 overlaps it and is waived; from 02/11 on, gaps again."""
    target = _copy(tmp_path, "MT-01,R42,P28,2020-08-24,2020-10-31,Nghỉ thai sản,Hiệu trưởng,,2021-02-23\n")
    _, _, found, states = _run(load_case(target), ruleset, prepared, DEC)
    assert _weeks(found["R42"].exempted, "P28") == P28_WEEKS[:8]
    assert _weeks(found["R42"].gaps, "P28") == P28_WEEKS[8:]
    assert states["MT-01"].state == "active" and len(states["MT-01"].covered) == 8


def test_person_exemption_does_not_cover_someone_else(tmp_path, ruleset, prepared):
    target = _copy(tmp_path, "MT-01,R42,P27,2020-01-01,2020-12-31,Nhầm người,Hiệu trưởng,,2021-02-23\n")
    _, _, found, states = _run(load_case(target), ruleset, prepared, DEC)
    assert found["R42"].exempted == [] and states["MT-01"].covered == []


def test_assignment_to_an_unknown_rule_or_section_is_an_input_error(tmp_path, ruleset):
    target = tmp_path / "cell"
    shutil.copytree(CASE, target)
    with (target / "assignments.csv").open("a", encoding="utf-8") as handle:
        handle.write("R4l,P01\nB.IV,P02\n")
    lines = len((target / "assignments.csv").read_text(encoding="utf-8").splitlines())
    with pytest.raises(InputError) as err:
        exemptions.check_rule_names(load_case(target), ruleset.rules)
    assert [(p.file, p.line, p.field, p.code) for p in err.value.problems] == [
        ("assignments.csv", lines - 1, "scope", "unknown_scope"), ("assignments.csv", lines, "scope", "unknown_scope")]
