"""A check kind is one module (issue 20 item 1): its rule-file model is a member of the discriminated union on
`kind`, prepared by itself, and registered in one registry (chibo_rules/checks/registry.py) — the only list of
kinds, which the report schema, the rule-language document and the words are checked against."""

from __future__ import annotations

import copy

import pytest
import yaml

from chibo_rules.checks import CHECK_KINDS, KINDS
from chibo_rules.errors import InputError
from chibo_rules.ruleset.rulespec import CHECK_MODELS, CheckSpec, Rule, read_rule

RULE = {"id": "X1", "section": "A", "title": {"vi": "t", "en": "t"}, "clause": "c", "severity": "low",
        "due": "continuous", "hint": {"vi": "h", "en": "h"}}
P = {"as": "p", "kind": "people"}
PER = {"field": "p.year", "calendar": "year"}
Q = {"as": "q", "kind": "people"}
BAD = {
    "unknown_kind": {"kind": "tally", "match": [P]},
    "no_kind": {"match": [P]},
    "not_a_mapping": 5,
    "count_no_target": {"kind": "count", "match": [P], "op": "gte"},
    "count_no_match": {"kind": "count", "op": "gte", "target": 1},
    "coverage_no_for_each": {"kind": "coverage", "must": {"a": 1}},
    "coverage_nothing": {"kind": "coverage", "for_each": [P]},
    "coverage_op_only": {"kind": "coverage", "for_each": [P], "must": {"a": 1}, "op": "gte"},
    "ratio_neither": {"kind": "ratio", "match": [P], "op": "gte", "target": 1},
    "among_no_distinct": {"kind": "count", "match": [P], "op": "gte", "target": 1, "among": Q},
    "count_sumspec": {"kind": "count", "match": [P], "op": "gte", "target": 1,
                      "sum": {"numerator": "p.a", "denominator": "p.b"}},
    "per_on_coverage": {"kind": "coverage", "for_each": [P], "must": {"a": 1}, "per": PER},
    "per_and_among": {"kind": "count", "match": [P], "op": "gte", "target": 1, "distinct": "p.key", "among": Q,
                      "per": PER},
    "bad_op": {"kind": "count", "match": [P], "op": "more", "target": 1},
    "bad_pattern": {"kind": "count", "match": [{"as": "p"}], "op": "gte", "target": 1},
    "bad_when_empty": {"kind": "coverage", "for_each": [P], "must": {"a": 1}, "when_empty": "maybe"},
    "unknown_field": {"kind": "count", "match": [P], "op": "gte", "target": 1, "tally": 3},
    "per_on_advisory": {"kind": "advisory", "per": PER},
}
# (line, field, words) of each, as the flat `Check` model reported them before the union (recorded at 81b35ce)
TODAY = [
    ("unknown_kind", ((2, 'check.kind', "Input should be 'coverage', 'count', 'ratio' or 'advisory'"),)),
    ("no_kind", ((1, 'check.kind', 'Field required'),)),
    ("not_a_mapping", ((1, 'check', 'Input should be a valid dictionary or instance of Check'),)),
    ("count_no_target", ((1, 'check', "a count check needs 'target'"),)),
    ("count_no_match", ((1, 'check', "a count check needs 'match'"),)),
    ("coverage_no_for_each", ((1, 'check', "a coverage check needs 'for_each'"),)),
    ("coverage_nothing", ((1, 'check', "a coverage check needs 'require', 'must' or both"),)),
    ("coverage_op_only", ((1, 'check', "a coverage judged as a share gives both 'op' and 'target' (a percent)"),)),
    ("ratio_neither", ((1, 'check', "a ratio check needs either 'numerator' or 'sum: {numerator, denominator}'"),)),
    ("among_no_distinct", ((1, 'check', "'among' lists who could be counted: it goes with a count and 'distinct'"),)),
    ("count_sumspec", ((1, 'check', "a count check sums one field: 'sum: alias.field'"),)),
    ("per_on_coverage", ((1, 'check', "'per' judges a count or a ratio once per period"),)),
    ("per_and_among", ((1, 'check', "'per' and 'among' do not go together"),)),
    ("bad_op", ((6, 'check.op', "Input should be 'eq', 'ne', 'lt', 'lte', 'gt' or 'gte'"),)),
    ("bad_pattern", ((4, 'check.match.0', 'a pattern needs exactly one of kind, calendar or values'),)),
    ("bad_when_empty", ((8, 'check.when_empty', "Input should be 'no_data' or 'passed'"),)),
    ("unknown_field", ((7, 'check.tally', 'Extra inputs are not permitted'),)),
    ("per_on_advisory", ((1, 'check', "'per' judges a count or a ratio once per period"),))
]


def _problems(tmp_path, name: str) -> list[tuple[int | None, str | None, str]]:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({**RULE, "check": copy.deepcopy(BAD[name])}), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_rule(path)
    return [(p.line, p.field, p.detail) for p in err.value.problems]


@pytest.mark.parametrize(("name", "expected"), TODAY, ids=[name for name, _ in TODAY])
def test_a_bad_check_is_told_in_the_same_words(tmp_path, name, expected):
    """The discriminated union's own errors (a wrong tag, a field of another kind) are translated by the loader
    into the words, fields and lines the flat model gave."""
    assert _problems(tmp_path, name) == list(expected)


def test_each_kind_declares_its_own_model_in_its_own_module():
    """The registry is the only list: every kind registered there brings its model, defined in the kind's
    module, and the loader validates `check:` by exactly those models, in the registry's order."""
    assert tuple(CHECK_KINDS) == KINDS == tuple(CHECK_MODELS)
    for name, kind in CHECK_KINDS.items():
        assert CHECK_MODELS[name] is kind.spec and issubclass(kind.spec, CheckSpec)
        assert kind.spec.__module__ == type(kind).__module__ == f"chibo_rules.checks.{name}"
    rule = Rule.model_validate({**RULE, "check": {"kind": "count", "match": [P], "op": "gte", "target": 2}})
    assert type(rule.check) is CHECK_MODELS["count"] and rule.check.target == 2


def test_a_field_of_another_kind_is_refused(tmp_path):
    """The flat model accepted any kind's field on every kind and ignored it (`distinct` on a coverage, `require`
    on a count — which the count then read as a fact file it needs); each kind's model holds only its own."""
    path = tmp_path / "stray.yaml"
    check = {"kind": "count", "match": [P], "op": "gte", "target": 1, "require": Q}
    path.write_text(yaml.safe_dump({**RULE, "check": check}), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_rule(path)
    assert [(p.field, p.detail) for p in err.value.problems] == [("check.require", "Extra inputs are not permitted")]
