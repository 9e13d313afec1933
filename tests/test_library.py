"""The shared library holds what every Party cell keeps, so no plan copies it: the cell's own yearly rating,
members' Party quality ratings (apart from civil-service ratings), the admissions pipeline, political theory
training, the organisation's units with their ratings, initiatives per person, documents naming a person.
An extension may add spellings and labels to a library code; the library has no school words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chibo_rules.errors import InputError
from chibo_rules.facts.declarations import merge
from chibo_rules.ruleset.prepare import prepare
from chibo_rules.ruleset.rulespec import load_rules

from .conftest import ROOT
from .test_plans import OFFICE_PLAN, _write

LIBRARY = ROOT / "rules" / "library"
EVERY_CELL = ("cell_ratings", "party_ratings", "ratings", "candidates", "political_training", "org_units",
              "unit_ratings", "initiatives")


def _office(tmp_path: Path, extra: dict[str, str] | None = None) -> Path:
    plan = tmp_path / "van-phong-xa-2021"
    _write(plan, {**OFFICE_PLAN, **(extra or {})})
    return plan


def test_a_plan_declaring_none_of_them_knows_every_kind_a_party_cell_keeps(tmp_path):
    schema = load_rules(_office(tmp_path)).schema
    assert set(EVERY_CELL) <= set(schema.models)
    # documents can name the people they are about
    kinds, _, _ = merge(LIBRARY, None)
    assert kinds["documents"].fields["persons"].to == "people"
    # the cell's own rating reads the older labels as spellings
    rating = kinds["cell_ratings"].fields["rating"].codes
    assert "trong sạch vững mạnh" in rating["excellent"].accepted()
    assert "trong sạch vững mạnh tiêu biểu" in rating["excellent"].accepted()


def test_a_rule_reads_party_ratings_and_units_with_no_kind_declared(tmp_path):
    rule = """
        id: R02
        section: II.2
        title: {vi: "100% tổ, đoàn thể xếp loại hoàn thành tốt trở lên", en: "Every unit rated good or better"}
        clause: "100% các tổ chức đoàn thể được xếp loại hoàn thành tốt nhiệm vụ trở lên"
        severity: high
        due: {at: 2021-12-31}
        hint: {vi: "Nhắc các đoàn thể.", en: "Remind the units."}
        check:
          kind: coverage
          for_each: [{as: u, kind: org_units}]
          require: {as: r, kind: unit_ratings, where: {unit: {ref: u.ref}, year: 2021}}
          must: {rating: {in: [excellent, good]}}
    """
    prepared = prepare(load_rules(_office(tmp_path, {"R02-units.yaml": rule})))  # refused today: no org_units
    assert [p.id for p in prepared] == ["R01", "R02"]


def test_an_extension_adds_spellings_and_a_label_to_a_library_code(tmp_path):
    kinds = tmp_path / "kinds"
    _write(kinds, {"cell_ratings.yaml": """
        extends: cell_ratings
        codes:
          rating:
            excellent: {vi: "trong sạch, vững mạnh tiêu biểu", en: "exemplary", spellings: [tsvmtb]}
    """})
    merged, _, _ = merge(LIBRARY, kinds)
    excellent = merged["cell_ratings"].fields["rating"].codes["excellent"]
    assert (excellent.vi, excellent.en) == ("trong sạch, vững mạnh tiêu biểu", "exemplary")
    # what the library accepted is still accepted
    assert {"tsvmtb", "hoàn thành xuất sắc nhiệm vụ", "htxsnv", "excellent"} <= set(excellent.accepted())


def test_an_extension_cannot_add_a_spelling_another_code_has(tmp_path):
    kinds = tmp_path / "kinds"
    _write(kinds, {"cell_ratings.yaml": """
        extends: cell_ratings
        codes:
          rating:
            excellent: {vi: "hoàn thành xuất sắc nhiệm vụ", en: "excellent", spellings: [htnv]}
    """})
    with pytest.raises(InputError) as err:
        merge(LIBRARY, kinds)
    assert "htnv" in str(err.value.problems)


SCHOOL = re.compile(r"trường|học sinh|giáo viên|\bschool|teacher|student|pupil", re.IGNORECASE)


def test_the_shared_library_has_no_school_words():
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in sorted(LIBRARY.rglob("*.yaml"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if SCHOOL.search(line)]
    assert found == []


SHARE_RULE = """
    id: R03
    section: II.3
    title: {vi: "80% cán bộ đăng ký sáng kiến", en: "80% of staff register an initiative"}
    clause: "80% cán bộ, công chức đăng ký sáng kiến"
    severity: medium
    due: {at: 2021-12-31}
    hint: {vi: "Nhắc cán bộ đăng ký sáng kiến.", en: "Remind staff to register an initiative."}
    check:
      kind: coverage
      for_each: [{as: p, kind: people}]
      require: {as: i, kind: initiatives, where: {person: {ref: p.ref}}}
      op: gte
      target: 80
"""
SHARE_TESTS = """
    rule: R03
    cases:
      - name: four of five registered
        facts:
          people:
            - {ref: P1, name: A, party_member: true}
            - {ref: P2, name: B, party_member: true}
            - {ref: P3, name: C, party_member: false}
            - {ref: P4, name: D, party_member: false}
            - {ref: P5, name: E, party_member: true}
          initiatives:
            - {ref: S1, person: P1, title: a, registered: 2021-03-01}
            - {ref: S2, person: P2, title: b, registered: 2021-03-01}
            - {ref: S3, person: P2, title: c, registered: 2021-04-01}
            - {ref: S4, person: P3, title: d, registered: 2021-03-01}
            - {ref: S5, person: P4, title: e, registered: 2021-03-01}
        expect: {status: passed}
      - name: three of five is short, naming who has none
        facts:
          people:
            - {ref: P1, name: A, party_member: true}
            - {ref: P2, name: B, party_member: true}
            - {ref: P3, name: C, party_member: false}
            - {ref: P4, name: D, party_member: false}
            - {ref: P5, name: E, party_member: true}
          initiatives:
            - {ref: S1, person: P1, title: a, registered: 2021-03-01}
            - {ref: S2, person: P2, title: b, registered: 2021-03-01}
            - {ref: S4, person: P3, title: d, registered: 2021-03-01}
        expect:
          status: gap
          gaps: [{reason: short}, {reason: missing, refs: {p: P4}}, {reason: missing, refs: {p: P5}}]
"""


def test_the_share_of_a_roster_with_at_least_one_matching_record(tmp_path):
    """"80% of staff register an initiative" is judged from the records, not a typed-in figure."""
    import json
    import subprocess
    import sys

    plan = _office(tmp_path, {"R03-initiatives.yaml": SHARE_RULE, "tests/R03.yaml": SHARE_TESTS})
    run = subprocess.run([sys.executable, "-m", "chibo_rules", "rules", "test", "--rules", str(plan), "--format",
                          "json"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    cases = [c for c in json.loads(run.stdout)["plans"][0]["cases"] if c["rule"] == "R03"]
    assert len(cases) == 4 and all(c["ok"] for c in cases)


SCHOOL_KINDS = ("student_figures", "dropouts", "universal_education", "school_titles", "good_teachers", "qccm_checks")


def test_school_kinds_are_a_library_extension_school_plans_use(tmp_path):
    """rules/library-school holds what schools keep; vbn1-2020 and Tân Phước say `uses: [school]`, an office
    plan does not and has none of it."""
    office = load_rules(_office(tmp_path)).schema
    assert not set(SCHOOL_KINDS) & set(office.models)
    assert "trường" not in office.kinds["figures"].fields["level"].codes["unit"].accepted()
    for plan in ("vbn1-2020", "tan-phuoc-2020-2022"):
        ruleset = load_rules(ROOT / "rules" / plan)
        assert ruleset.plan.uses == ["school"]
        assert set(SCHOOL_KINDS) <= set(ruleset.schema.models)
        assert "trường" in ruleset.schema.kinds["figures"].fields["level"].codes["unit"].accepted()
        assert "pioneer_team" in ruleset.schema.kinds["organisation_ratings"].fields["organisation"].codes
    assert not (ROOT / "rules" / "vbn1-2020" / "kinds" / "student_figures.yaml").exists()


def test_a_library_extension_that_does_not_exist_is_refused(tmp_path):
    plan = _office(tmp_path)
    (plan / "plan.yaml").write_text((plan / "plan.yaml").read_text(encoding="utf-8") + "uses: [nope]\n",
                                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_rules(plan)
    assert "library-nope" in str(err.value.problems)
