"""Conditions, negation, DNF and calendars: the pieces both evaluators stand on."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from chibo_rules.evaluate.compile import dnf
from chibo_rules.evaluate.interpret import holds
from chibo_rules.ruleset.calendar import PlanCalendar, periods
from chibo_rules.ruleset.conditions import All, Any_, Cmp, Exists, FieldRef, Lit, negate, parse_cond

# Negation is exact where prepare() lets a comparison be written: values of the field's own type,
# and joins only to fields every record has (see test_must_may_only_join_required_fields).
FIELDS = ["a", "b"]
VALUES = st.integers(0, 3)
atoms = st.one_of(
    st.builds(Cmp, st.sampled_from(FIELDS), st.sampled_from(["eq", "ne", "lt", "lte", "gt", "gte"]),
              st.one_of(st.builds(Lit, VALUES), st.just(FieldRef("o", "v")))),
    st.builds(Exists, st.sampled_from(FIELDS), st.booleans()),
)
conds = st.recursive(atoms, lambda inner: st.one_of(
    st.builds(lambda xs: All(tuple(xs)), st.lists(inner, min_size=1, max_size=3)),
    st.builds(lambda xs: Any_(tuple(xs)), st.lists(inner, min_size=1, max_size=3)),
), max_leaves=8)
facts = st.fixed_dictionaries({}, optional={f: st.one_of(VALUES, st.none()) for f in FIELDS})
others = st.fixed_dictionaries({"v": VALUES})


@settings(max_examples=300)
@given(cond=conds, fact=facts, other=others)
def test_negation_is_exact_complement(cond, fact, other):
    env = {"o": other}
    assert holds(negate(cond), fact, env, {}) == (not holds(cond, fact, env, {}))


@settings(max_examples=300)
@given(cond=conds, fact=facts, other=others)
def test_dnf_is_equivalent(cond, fact, other):
    env = {"o": other}
    expanded = any(all(holds(atom, fact, env, {}) for atom in conj) for conj in dnf(cond))
    assert expanded == holds(cond, fact, env, {})
    assert all(isinstance(atom, (Cmp, Exists)) for conj in dnf(cond) for atom in conj)


def test_parse_cond_shapes():
    cond = parse_cond({"group": {"in": ["a", "b"]}, "date": {"gte": {"ref": "m.start"}, "lte": {"ref": "m.end"}},
                       "x": {"param": "target"}}, {"target": 3})
    assert cond == All((
        Any_((Cmp("group", "eq", Lit("a")), Cmp("group", "eq", Lit("b")))),
        Cmp("date", "gte", FieldRef("m", "start")),
        Cmp("date", "lte", FieldRef("m", "end")),
        Cmp("x", "eq", Lit(3)),
    ))


def test_unrecorded_fields_fail_comparisons_but_not_absence():
    assert not holds(Cmp("a", "ne", Lit(1)), {}, {}, {})
    assert not holds(Cmp("a", "lt", Lit(1)), {"a": None}, {}, {})
    assert holds(Exists("a", False), {"a": []}, {}, {})
    assert not holds(Cmp("a", "eq", Lit(1)), {"a": True}, {}, {})  # booleans never equal numbers


YEAR_2020 = PlanCalendar(dt.date(2020, 1, 1), dt.date(2020, 12, 31),
                         frozenset({dt.date(2020, 1, 23), dt.date(2020, 1, 24), dt.date(2020, 1, 27),
                                    dt.date(2021, 1, 1)}))


def test_calendar_weeks_months_quarters_of_2020():
    weeks = periods("week", YEAR_2020, dt.date(2020, 12, 31))
    # 52 Mondays from 6/1 to 28/12 (the week of Monday 30/12/2019 belongs to the 2019 plan); the week of
    # 28/12, which ends on 03/01/2021, is judged at the plan's end and counts 1 January 2021 as a holiday
    assert len(weeks) == 52 and weeks[0]["key"] == "2020-W02" and weeks[-1]["key"] == "2020-W53"
    by_key = {w["key"]: w for w in weeks}
    assert by_key["2020-W04"]["workdays"] == 3 and by_key["2020-W05"]["workdays"] == 4
    assert by_key["2020-W02"]["start"] == 20200106 and by_key["2020-W02"]["end"] == 20200112
    assert by_key["2020-W53"]["start"] == 20201228 and by_key["2020-W53"]["workdays"] == 4
    assert [w["key"] for w in periods("week", YEAR_2020, dt.date(2020, 12, 30))][-1] == "2020-W52"
    months = periods("month", YEAR_2020, dt.date(2020, 12, 31))
    assert [m["key"] for m in months][:2] == ["2020-01", "2020-02"] and len(months) == 12
    assert months[1]["end"] == 20200229
    assert [q["key"] for q in periods("quarter", YEAR_2020, dt.date(2020, 9, 30))] == ["2020-Q1", "2020-Q2",
                                                                                      "2020-Q3"]
    assert periods("month", YEAR_2020, dt.date(2020, 1, 30)) == []
    assert [y["key"] for y in periods("year", YEAR_2020, dt.date(2020, 12, 31))] == ["2020"]


def test_school_years_of_a_term_plan():
    term = PlanCalendar(dt.date(2020, 1, 1), dt.date(2022, 12, 31), frozenset(), (
        ("2019-2020", dt.date(2019, 9, 5), dt.date(2020, 7, 12)),
        ("2020-2021", dt.date(2020, 9, 7), dt.date(2021, 5, 31)),
        ("2022-2023", dt.date(2022, 9, 5), dt.date(2023, 5, 31)),
    ))
    assert [p["key"] for p in periods("school_year", term, dt.date(2021, 6, 30))] == ["2019-2020", "2020-2021"]
    # a school year ending after the plan is not the plan's to judge
    assert [p["key"] for p in periods("school_year", term, dt.date(2023, 6, 30))] == ["2019-2020", "2020-2021"]
    assert [p["key"] for p in periods("year", term, dt.date(2021, 12, 31))] == ["2020", "2021"]


def test_calendar_excludes_weeks_by_their_monday():
    weeks = periods("week", YEAR_2020, dt.date(2020, 12, 31), dt.date(2020, 1, 6), dt.date(2020, 2, 3),
                    exclude=[{"from": dt.date(2020, 1, 20), "to": dt.date(2020, 1, 27)}])
    assert [w["start"] for w in weeks] == [20200106, 20200113, 20200203]


def test_must_may_only_join_required_fields(tmp_path):
    import pytest

    from chibo_rules.errors import InputError
    from chibo_rules.ruleset.prepare import prepare
    from chibo_rules.ruleset.rulespec import load_rules

    (tmp_path / "plan.yaml").write_text("name: {vi: K, en: P}\nyear: 2020\n", encoding="utf-8")
    (tmp_path / "X.yaml").write_text(
        "id: X\nsection: B\ntitle: {vi: a, en: a}\nclause: c\nseverity: low\ndue: continuous\nhint: {vi: h, en: h}\n"
        "check: {kind: coverage, for_each: [{as: p, kind: people}], require: {as: t, kind: timesheets, "
        "where: {person: {ref: p.ref}}}, must: {hours: {gte: {ref: p.mentor}}}}\n", encoding="utf-8")
    with pytest.raises(InputError, match="input problem") as err:
        prepare(load_rules(tmp_path))
    assert "p.mentor" in err.value.problems[0].detail
