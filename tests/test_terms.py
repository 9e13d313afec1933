"""Terms as congresses hold them: a term resolution's first year starts at the congress date (plan.yaml
`start`), so a yearly or monthly target is not judged from January; an extension may set `any_date`; a `per`
on a field of the other calendar (a year against school years) is refused when rules load."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from chibo_rules.errors import InputError
from chibo_rules.facts.declarations import merge
from chibo_rules.ruleset.prepare import prepare
from chibo_rules.ruleset.rulespec import load_rules

from .conftest import ROOT
from .test_plans import _write

TERM = {
    "plan.yaml": """
        id: ap-thu-2022-2025
        name: {vi: "Nghị quyết nhiệm kỳ 2022–2025", en: "2022–2025 term resolution"}
        years: [2022, 2023, 2024, 2025]
        start: 2022-08-20
    """,
    "R01-monthly-meeting.yaml": """
        id: R01
        section: "1"
        title: {vi: "Sinh hoạt chi bộ mỗi tháng", en: "A cell meeting every month"}
        clause: "sinh hoạt chi bộ định kỳ mỗi tháng 01 lần"
        severity: high
        due: continuous
        hint: {vi: "Họp chi bộ.", en: "Meet."}
        check:
          kind: coverage
          for_each: [{as: m, calendar: month}]
          require:
            as: mt
            kind: meetings
            where: {kind: regular, date: {gte: {ref: m.start}, lte: {ref: m.end}}}
    """,
    "tests/R01.yaml": """
        rule: R01
        cases:
          - name: every month since the congress
            as_of: 2022-12-31
            facts:
              meetings:
                - {ref: S8, date: 2022-08-25, kind: regular}
                - {ref: S9, date: 2022-09-05, kind: regular}
                - {ref: S10, date: 2022-10-05, kind: regular}
                - {ref: S11, date: 2022-11-05, kind: regular}
                - {ref: S12, date: 2022-12-05, kind: regular}
            expect: {status: passed}
          - name: November missed
            as_of: 2022-12-31
            facts:
              meetings:
                - {ref: S8, date: 2022-08-25, kind: regular}
                - {ref: S9, date: 2022-09-05, kind: regular}
                - {ref: S10, date: 2022-10-05, kind: regular}
                - {ref: S12, date: 2022-12-05, kind: regular}
            expect:
              status: gap
              gaps: [{reason: missing, refs: {m: 2022-11}}]
    """,
}


def test_a_term_starting_at_its_congress_is_not_judged_from_january(tmp_path):
    plan = tmp_path / "ap-thu-2022-2025"
    _write(plan, TERM)
    ruleset = load_rules(plan)
    assert (ruleset.plan.start.isoformat(), ruleset.plan.end.isoformat()) == ("2022-08-20", "2025-12-31")
    run = subprocess.run([sys.executable, "-m", "chibo_rules", "rules", "test", "--rules", str(plan), "--format",
                          "json"], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    assert all(c["ok"] for c in json.loads(run.stdout)["plans"][0]["cases"])


def test_a_start_outside_the_first_year_is_refused(tmp_path):
    plan = tmp_path / "ap-thu-2022-2025"
    _write(plan, {**TERM, "plan.yaml": TERM["plan.yaml"].replace("start: 2022-08-20", "start: 2021-08-20")})
    with pytest.raises(InputError) as err:
        load_rules(plan)
    assert "start" in str(err.value.problems)


def test_an_extension_may_set_any_date(tmp_path):
    kinds = tmp_path / "kinds"
    _write(kinds, {"decisions.yaml": "extends: decisions\nany_date: true\n"})
    merged, _, _ = merge(ROOT / "rules" / "library", kinds)
    assert merged["decisions"].any_date is True


def test_a_per_on_a_field_of_the_other_calendar_is_refused_when_rules_load(tmp_path):
    plan = tmp_path / "tan-phuoc-2020-2022"
    shutil.copytree(ROOT / "rules" / "tan-phuoc-2020-2022", plan)
    r04 = plan / "R04-member-ratings-good.yaml"
    text = r04.read_text(encoding="utf-8")
    old = "per: {field: r.year, calendar: year}"
    assert old in text
    r04.write_text(text.replace(old, "per: {field: r.year, calendar: school_year}"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        prepare(load_rules(plan))
    problem, = err.value.problems
    assert (problem.file.endswith("R04-member-ratings-good.yaml"), problem.field) == (True, "check.per")
    assert "school_year" in problem.detail and "year" in problem.detail
