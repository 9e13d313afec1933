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


# ------------------------------------------------------------------ the registry is the only list

def test_the_report_schema_allows_exactly_the_registered_reasons():
    """docs/report.schema.json's gap reasons are the registry's: the shared steps' reasons and every kind's own
    (`per` rules once gave a reason the schema did not allow)."""
    import json

    from chibo_rules.checks.finding import GAP_REASONS

    from .conftest import ROOT

    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    assert sorted(schema["$defs"]["gap"]["properties"]["reason"]["enum"]) == sorted(GAP_REASONS)
    assert {r for kind in CHECK_KINDS.values() for r in kind.reasons} | {"no_records", "behind"} == set(GAP_REASONS)


def test_the_rule_language_document_describes_exactly_the_registered_kinds():
    """docs/rule-language.md §8 has one heading per kind, in the registry's order, and §11's table of gap reasons
    one row per registered reason."""
    import re

    from chibo_rules.checks.finding import GAP_REASONS

    from .conftest import ROOT

    text = (ROOT / "docs" / "rule-language.md").read_text(encoding="utf-8")
    section = text.split("\n## 8. ", 1)[1].split("\n## 9. ", 1)[0]
    assert re.findall(r"^### `?([a-z_]+)`? — ", section, re.M) == list(KINDS)
    reasons = text.split("| lý do / reason |", 1)[1].split("\n\n", 1)[0]
    assert sorted(re.findall(r"^\| `([a-z_]+)` \|", reasons, re.M)) == sorted(GAP_REASONS)


def test_every_kind_has_its_words_in_both_languages():
    """A kind's title (`chibo rules list`) and its own words are in the report's catalogue, through the registry
    (report/i18n.py has no kind's words of its own)."""
    from chibo_rules.report import i18n

    for name, kind in CHECK_KINDS.items():
        assert all(kind.title) and i18n.t(f"rk_{name}", "vi") == kind.title[0]
        assert i18n.t(f"rk_{name}", "en") == kind.title[1]
        for key, (vi, en) in kind.words.items():
            assert vi and en and key not in i18n.MESSAGES, (name, key)


# ------------------------------------------------------------------ a new kind: one module, one line

TOY = '''
"""A toy check kind: none of the matched records may exist; each one found is a gap of its own reason."""

from typing import Literal

from chibo_rules.checks import CheckKind, register
from chibo_rules.checks.finding import Finding, Gap
from chibo_rules.checks.kind import named
from chibo_rules.ruleset.rulespec import CheckSpec, Pattern


class NoneOfCheck(CheckSpec):
    kind: Literal["none_of"]
    match: list[Pattern]
    allowed: int = 0

    def prepare(self, ctx):
        return {"dims": ctx.dims(self.match), "own": self.allowed}


class NoneOf(CheckKind):
    name = "none_of"
    spec = NoneOfCheck
    title = ("Không được có", "None of")
    reasons = ("unwanted",)
    words = {"gap_unwanted": ("không được có (1 trong {n})", "must not be recorded (1 of {n})")}

    def compile(self, p, out):
        dims, aliases = self.subjects(p)
        out.emit(p.id, "unwanted", dims, None, aliases)

    def evaluate(self, p, oracle, raw):
        for keys, _env in self.combinations(oracle, p):
            raw.add("unwanted", keys)

    def judge(self, p, raw, records):
        found = sorted(raw.keys("unwanted"))
        aliases = [b.alias for b in p.dims]
        over = len(found) > p.own  # what its preparation kept of its own
        gaps = [Gap("unwanted", named(aliases, keys), {"n": len(found)}) for keys in found] if over else []
        return Finding(p.id, "gap" if gaps else "passed", observed={"value": len(found)}, gaps=gaps)

    def observed(self, o, number):
        return number((o or {}).get("value", 0))


register(NoneOf())
'''

TOY_RULE = """id: T01
section: B.I.1
title: {vi: "Không học sinh nào bỏ học hẳn", en: "No pupil drops out for good"}
clause: "Không để học sinh bỏ học."
severity: high
due: continuous
hint: {vi: "Vận động học sinh trở lại lớp.", en: "Bring the pupils back to school."}
check:
  kind: none_of
  match:
    - {as: d, kind: dropouts, where: {returned: false}}
  allowed: 1
"""


@pytest.fixture
def toy_kind(tmp_path, monkeypatch):
    """The toy kind's module in a temporary package on sys.path, imported (it registers itself); the registry
    as it was afterwards."""
    import importlib
    import sys

    from chibo_rules.checks.finding import GAP_REASONS
    from chibo_rules.ruleset import rulespec

    kinds, models, reasons = dict(CHECK_KINDS), dict(CHECK_MODELS), list(GAP_REASONS)
    package = tmp_path / "toykinds"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "none_of.py").write_text(TOY, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        yield importlib.import_module("toykinds.none_of")
    finally:
        for name in ("toykinds.none_of", "toykinds"):
            sys.modules.pop(name, None)
        CHECK_KINDS.clear()
        CHECK_KINDS.update(kinds)
        CHECK_MODELS.clear()
        CHECK_MODELS.update(models)
        GAP_REASONS[:] = reasons
        rulespec._UNION.clear()


def test_a_new_kind_is_one_module_registering_itself(toy_kind, tmp_path):
    """A kind no file of chibo names: its rule file loads, compiles for durable-rules, is judged by the engine
    and by the oracle alike, and its gap is shown in the table and in JSON in its own words."""
    import json
    import shutil

    from chibo_rules.evaluate.engine import availability

    from .clirun import invoke_chibo
    from .conftest import ROOT

    plan = tmp_path / "vbn1-2020"
    shutil.copytree(ROOT / "rules" / "vbn1-2020", plan)
    (plan / "T01-no-dropouts.yaml").write_text(TOY_RULE, encoding="utf-8")
    case = ROOT / "cases" / "vbn1-2020"
    assert "none_of" in CHECK_KINDS and "none_of" not in KINDS

    listed = invoke_chibo("rules", "list", "--rules", plan, "--lang", "en")
    assert listed.returncode == 0 and "None of" in listed.stdout, listed.stdout + listed.stderr

    reports = {}
    evaluators = ["engine", "oracle"] if availability()[0] else ["oracle"]
    assert evaluators == ["engine", "oracle"], "durable-rules is in the test venv"
    for evaluator in evaluators:
        run = invoke_chibo("check", case, "--rules", plan, "--only", "T01", "--format", "json", "--lang", "en",
                           "--evaluator", evaluator)
        assert run.returncode == 1, run.stdout + run.stderr
        reports[evaluator] = json.loads(run.stdout)
    rules = {e: [r for r in report["rules"] if r["id"] == "T01"] for e, report in reports.items()}
    assert rules["engine"] == rules["oracle"]
    (rule,) = rules["oracle"]
    assert rule["status"] == "gap"
    assert [(g["reason"], [(r["alias"], r["key"]) for r in g["refs"]]) for g in rule["gaps"]] == [
        ("unwanted", [("d", "BH-01")]), ("unwanted", [("d", "BH-02")])]
    assert all(g["text"].endswith(": must not be recorded (1 of 2)") for g in rule["gaps"]), rule["gaps"]

    table = invoke_chibo("check", case, "--rules", plan, "--only", "T01")
    assert table.returncode == 1
    assert table.stdout.count("không được có (1 trong 2)") == 2, table.stdout


def test_the_report_words_no_kinds_gap_reason_itself():
    """How a gap of a kind's reason reads is the kind's (CheckKind.gap_text): report/labels.py names none of
    the kinds' reasons (it did: missing, failed, outside, short, not_counted, counted)."""
    import ast

    from .conftest import ROOT

    own = {r for kind in CHECK_KINDS.values() for r in kind.reasons}
    tree = ast.parse((ROOT / "chibo_rules" / "report" / "labels.py").read_text(encoding="utf-8"))
    named = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert own and not own & named, own & named


def test_no_stage_outside_the_kinds_names_a_kinds_reason():
    """The judge, the jobs and the reports ask a gap what it is (`Gap.candidate`: who could still be counted)
    instead of naming a kind's reason (they named not_counted in five places). Left: `short`, a shortfall, which
    the audit, the store and the report's choice note group with audit's `behind`."""
    import ast

    from .conftest import ROOT

    own = {r for kind in CHECK_KINDS.values() for r in kind.reasons} - {"short"}
    named = {}
    for path in (ROOT / "chibo_rules").rglob("*.py"):
        relative = path.relative_to(ROOT / "chibo_rules").as_posix()
        if not relative.startswith(("evaluate/", "judge/", "jobs/", "report/")) or relative == "report/i18n.py":
            continue  # the stages after the kinds (the words' catalogue aside)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        compared = [c for n in ast.walk(tree) if isinstance(n, ast.Compare) for c in (n.left, *n.comparators)]
        found = {c.value for node in compared for c in ast.walk(node)  # a reason tested (==, in), not a JSON key
                 if isinstance(c, ast.Constant) and c.value in own}
        if found:
            named[relative] = found
    assert not named, named
