"""The bundled example cases: exactly the documented gaps, no more and no fewer, and golden reports."""

from __future__ import annotations

import json
import os

import pytest

from chibo_rules.jobs.check import run_check
from chibo_rules.report.jsonout import to_json

from .clirun import invoke_chibo
from .conftest import CASES, COMPLIANT_CASE, GAPS_CASE, ROOT, YEAR_END

GOLDEN = ROOT / "tests" / "golden"
VBN2_CASE = CASES / "vbn2-2020"

# Written from cases/vbn1-2020/README.md before the engine was run: (rule, reason, refs, failing values).
EXPECTED_GAPS = {
    ("R01", "missing", (("p", "P17"), ("r", "NQ-DU-02")), ()),
    ("R04", "failed", (("m", "2020-04"), ("mt", "SH-2020-04")), (("story", None),)),
    ("R14", "short", (), ()),
    ("R28", "short", (), ()),
    ("R41", "failed", (("p", "P30"), ("w", "2020-W11"), ("ts", "timesheets:852")), (("hours", 36.0),)),
    ("R41", "failed", (("p", "P30"), ("w", "2020-W18"), ("ts", "timesheets:859")), (("hours", 20.0),)),
    ("R41", "failed", (("p", "P30"), ("w", "2020-W47"), ("ts", "timesheets:888")), (("hours", 38.0),)),
    ("R43", "failed", (("a", "absences:5"),), (("kind", "late"),)),
}
# R14 also lists the members not yet supervised (17 members, 10 supervised).
NOT_SUPERVISED = {"P01", "P02", "P03", "P09", "P13", "P14", "P31"}


def _gaps(report):
    out = set()
    for p, f in report.results:
        for g in f.gaps:
            if g.reason == "not_counted":
                continue
            values = tuple((k, v["value"]) for k, v in g.values.items()) if g.reason == "failed" else ()
            out.add((p.id, g.reason, tuple(g.refs), values))
    return out


@pytest.mark.parametrize("evaluator", ["engine", "oracle"])
def test_gaps_case_names_exactly_the_documented_gaps(gaps_case, ruleset, prepared, evaluator):
    report = run_check(gaps_case, ruleset, prepared, YEAR_END, evaluator)
    assert _gaps(report) == EXPECTED_GAPS
    statuses = {p.id: f.status for p, f in report.results}
    assert sorted(r for r, s in statuses.items() if s == "gap") == ["R01", "R04", "R14", "R28", "R41", "R43"]
    assert sorted(r for r, s in statuses.items() if s == "advisory") == ["A01", "A02", "A03", "A04"]
    assert report.counts() == {"passed": 38, "gap": 6, "no_data": 0, "not_due": 0, "advisory": 4}
    r14 = next(f for p, f in report.results if p.id == "R14")
    assert {g.refs[0][1] for g in r14.gaps if g.reason == "not_counted"} == NOT_SUPERVISED
    assert r14.observed["value"] == 10
    r28 = next(f for p, f in report.results if p.id == "R28")
    assert (r28.observed["numerator"], r28.observed["denominator"]) == (84, 465)


@pytest.mark.parametrize("evaluator", ["engine", "oracle"])
def test_compliant_case_passes_every_measurable_rule(compliant_case, ruleset, prepared, evaluator):
    report = run_check(compliant_case, ruleset, prepared, YEAR_END, evaluator)
    assert report.counts() == {"passed": 44, "gap": 0, "no_data": 0, "not_due": 0, "advisory": 4}
    assert all(not f.gaps for _, f in report.results)


@pytest.mark.parametrize("case", [GAPS_CASE, COMPLIANT_CASE], ids=lambda c: c.name)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_golden_json_report(case, lang, ruleset, prepared, request):
    from .conftest import load_case

    report = run_check(load_case(case), ruleset, prepared, YEAR_END)
    produced = json.loads(json.dumps(to_json(report, lang), ensure_ascii=False))
    produced["tool"].pop("version")
    path = GOLDEN / f"{case.name}.{lang}.json"
    if os.environ.get("CHIBO_UPDATE_GOLDEN"):
        path.write_text(json.dumps(produced, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert produced == expected


def test_cli_exit_codes_and_report():
    gaps = invoke_chibo("check", str(GAPS_CASE))
    assert gaps.returncode == 1, gaps.stderr
    assert "6 chưa đạt" in gaps.stdout and "38 đạt" in gaps.stdout
    assert "Lý Thị Bảo Trân (P17)" in gaps.stdout
    assert "Traceback" not in gaps.stderr
    ok = invoke_chibo("check", str(COMPLIANT_CASE), "--lang", "en")
    assert ok.returncode == 0, ok.stderr
    assert "44 passed, 0 gaps" in ok.stdout


def test_cli_json_lists_every_rule_with_status_target_observed_evidence():
    out = invoke_chibo("check", str(GAPS_CASE), "--format", "json", "--lang", "en")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["schema"] == "chibo.check/1"
    assert len(data["rules"]) == 48
    for rule in data["rules"]:
        assert {"id", "status", "target", "observed", "gaps", "clause", "section"} <= rule.keys()
    r41 = next(r for r in data["rules"] if r["id"] == "R41")
    assert [g["values"]["hours"]["expected"] for g in r41["gaps"]] == [40, 24, 40]


def test_only_selects_rules_and_sections(gaps_case, ruleset, prepared):
    report = run_check(gaps_case, ruleset, prepared, YEAR_END, only=["R14", "B.III"])
    assert [p.id for p, _ in report.results] == ["R03", "R14", "R41", "R42", "R43", "R44"]


def test_as_of_mid_year_judges_only_what_is_due(gaps_case, ruleset, prepared):
    """30/06/2020: yearly targets are not due (only 5 supervisions so far is not a gap), the
    resolution briefed by 31/08 is not due, April's story and two short weeks are."""
    import datetime as dt

    report = run_check(gaps_case, ruleset, prepared, dt.date(2020, 6, 30))
    assert _gaps(report) == {g for g in EXPECTED_GAPS if g[0] == "R04" or (g[0] == "R41" and "2020-W47" not in str(g))}
    statuses = {p.id: f.status for p, f in report.results}
    assert statuses["R14"] == statuses["R28"] == statuses["R12"] == "not_due"
    assert statuses["R01"] == "passed"
    assert report.counts() == {"passed": 10, "gap": 2, "no_data": 0, "not_due": 32, "advisory": 4}


# --------------------------------------------------------------------------- cases/vbn2-2020

# Written from cases/vbn2-2020/README.md: the gaps without exemptions (they are applied afterwards).
# P28 on maternity leave: W37-W53 (W53, 28/12/2020–03/01/2021, is judged at the plan's end)
MATERNITY_WEEKS = [f"2020-W{w}" for w in range(37, 54)]
EXPECTED_VBN2_GAPS = {
    ("R04", "missing", (("m", "2020-02"),), ()),
    ("R04", "failed", (("m", "2020-08"), ("mt", "SH-2020-08")), (("story", None),)),
    ("R12", "short", (), ()),
    ("R15", "counted", (("v", "VP-01"), ("p", "P09")), ()),
    ("R23", "failed", (("p", "P09"), ("r", "ratings:10")), (("rating", "completed"),)),
    *(("R31", "missing", (("c", "ioe_english"), ("g", str(g))), ()) for g in (6, 7, 8, 9)),
    ("R38", "missing", (("m", "2020-02"),), ()),
    ("R38", "missing", (("m", "2020-08"),), ()),
    ("R39", "missing", (("k", "finance"), ("q", "2020-Q3")), ()),
    ("R39", "missing", (("k", "cadre_source"), ("q", "2020-Q4")), ()),
    ("R40", "failed", (("m", "VV-02"),), (("status", "open"), ("handled_on", None))),
    *(("R41", "missing", (("p", "P33"), ("w", w)), ()) for w in ("2020-W23", "2020-W24", "2020-W25")),
    ("R41", "failed", (("p", "P33"), ("w", "2020-W26"), ("ts", "timesheets:1003")), (("hours", 24.0),)),
    ("R41", "failed", (("p", "P30"), ("w", "2020-W43"), ("ts", "timesheets:867")), (("hours", 32.0),)),
    *(("R42", "missing", (("p", "P28"), ("n", "teacher"), ("w", w)), ()) for w in MATERNITY_WEEKS),
    ("R42", "failed", (("p", "P17"), ("n", "teacher"), ("w", "2020-W42"), ("ts", "timesheets:483")),
     (("periods", 12),)),
}
VBN2_GAP_RULES = ["R04", "R12", "R15", "R23", "R31", "R38", "R39", "R40", "R41", "R42"]
# R12 lists the members not yet inspected (17 members, only P09 inspected).
NOT_INSPECTED = {"P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P10", "P11", "P12", "P13", "P14", "P15",
                 "P29", "P31"}
# As of 30/09/2020 (the README's exemptions section): what is due by then.
EXPECTED_VBN2_GAPS_0930 = {
    g for g in EXPECTED_VBN2_GAPS
    if g[0] in ("R04", "R15", "R31", "R38")
    or (g[0] == "R39" and g[2][1] == ("q", "2020-Q3"))
    or (g[0] == "R41" and g[2][0] == ("p", "P33"))
    or (g[0] == "R42" and g[2][0] == ("p", "P28") and g[2][2][1] in ("2020-W37", "2020-W38", "2020-W39"))
}


@pytest.fixture(scope="module")
def vbn2_case():
    from .conftest import load_case

    return load_case(VBN2_CASE)


def _nonzero(counts):
    return {k: v for k, v in counts.items() if v}


@pytest.mark.parametrize("evaluator", ["engine", "oracle"])
def test_vbn2_names_exactly_the_documented_gaps(vbn2_case, ruleset, prepared, evaluator):
    report = run_check(vbn2_case, ruleset, prepared, YEAR_END, evaluator, exemptions=False)
    assert _gaps(report) == EXPECTED_VBN2_GAPS
    statuses = {p.id: f.status for p, f in report.results}
    assert sorted(r for r, s in statuses.items() if s == "gap") == VBN2_GAP_RULES
    assert sorted(r for r, s in statuses.items() if s == "advisory") == ["A01", "A02", "A03", "A04"]
    # nothing passed, or skipped, for lack of data: every other rule is judged and passes
    assert _nonzero(report.counts()) == {"passed": 34, "gap": 10, "advisory": 4}
    findings = {p.id: f for p, f in report.results}
    r12 = findings["R12"]
    assert {g.refs[0][1] for g in r12.gaps if g.reason == "not_counted"} == NOT_INSPECTED
    assert r12.observed["value"] == 1
    assert findings["R15"].observed["value"] == 1
    assert len([g for g in findings["R42"].gaps if g.refs[0] == ("p", "P28")]) == 17


def test_vbn2_provides_every_kind_a_rule_reads(vbn2_case, prepared):
    """No rule of vbn2-2020 could pass or be skipped because a fact file is absent."""
    for p in prepared:
        for kind in p.rule.kinds():
            assert vbn2_case.provided(kind), (p.id, kind)
    assert vbn2_case.provided("exemptions") and vbn2_case.provided("assignments")


@pytest.mark.parametrize("evaluator", ["engine", "oracle"])
def test_vbn2_as_of_end_of_september(vbn2_case, ruleset, prepared, evaluator):
    """30/09/2020, the date the README gives each exemption's coverage for: seven gap rules."""
    import datetime as dt

    report = run_check(vbn2_case, ruleset, prepared, dt.date(2020, 9, 30), evaluator, exemptions=False)
    assert _gaps(report) == EXPECTED_VBN2_GAPS_0930
    statuses = {p.id: f.status for p, f in report.results}
    assert sorted(r for r, s in statuses.items() if s == "gap") == ["R04", "R15", "R31", "R38", "R39", "R41", "R42"]
    assert statuses["R12"] == statuses["R23"] == "not_due"
    assert statuses["R40"] == "passed"  # VV-02 is dated 20/11
    assert "no_data" not in _nonzero(report.counts())


def test_vbn2_cli_exit_code_and_summary():
    """The command applies the exemptions: R31's four gaps are all covered (MT-03), the other nine rules keep
    gaps (MT-02 expired on 30/09), as the README says."""
    out = invoke_chibo("check", str(VBN2_CASE))
    assert out.returncode == 1, out.stderr
    assert "9 chưa đạt" in out.stdout and "34 đạt" in out.stdout and "0 thiếu dữ liệu" in out.stdout
    assert "Lê Văn Nhân (P09)" in out.stdout
    assert "Traceback" not in out.stderr


# --------------------------------------------------------------------------- cases/tan-phuoc-2020-2022

TAN_PHUOC = CASES / "tan-phuoc-2020-2022"
# Written from cases/tan-phuoc-2020-2022/README.md: (rule, reason, refs, period) of every gap but "not yet" lists.
EXPECTED_TAN_PHUOC = {
    ("R02", "missing", (("y", "2021"), ("p", "P16")), None),
    ("R04", "short", (), "2021"),
    ("R04", "outside", (("r", "party_ratings:25"), ("p", "P09")), "2021"),
    ("R04", "outside", (("r", "party_ratings:30"), ("p", "P15")), "2021"),
    ("R11", "short", (), None),
    ("R15", "short", (), "2021-2022"),
    ("R15", "outside", (("f", "figures:46"),), "2021-2022"),
    ("R16", "short", (), "2022"),
    ("R24", "short", (), "2020-2021"),
    ("R26", "short", (), "2021-2022"),
}


@pytest.mark.parametrize("evaluator", ["engine", "oracle"])
def test_tan_phuoc_term_plan_names_exactly_its_documented_gaps(evaluator):
    """The second plan (a 2020–2022 term resolution, no Python of its own) judges its own cell."""
    import datetime as dt

    from chibo_rules.jobs.plans import Plans, load_checked

    case, plan = load_checked(TAN_PHUOC, Plans())
    assert plan.id == "tan-phuoc-2020-2022"
    report = run_check(case, plan.ruleset, plan.prepared, dt.date(2022, 12, 31), evaluator)
    found = {(p.id, g.reason, tuple(g.refs), g.values.get("period")) for p, f in report.results for g in f.gaps
             if g.reason != "not_counted"}
    assert found == EXPECTED_TAN_PHUOC
    assert report.counts() == {"passed": 30, "gap": 7, "no_data": 0, "not_due": 0, "advisory": 4}
