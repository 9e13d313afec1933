"""The bundled rules encode the plan: one rule per TARGETS.md row, in its section, quoting its clause."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from chibo_rules.errors import InputError
from chibo_rules.ruleset.prepare import prepare
from chibo_rules.ruleset.rulespec import load_rules

from .clirun import invoke_chibo
from .conftest import ROOT, RULES

SHARED = Path(os.environ.get("CHIBO_SHARED", ROOT.parent / "shared")) / "plan"


def _targets() -> dict[int, str]:
    rows = {}
    for line in (SHARED / "TARGETS.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| (\d+) \| ([A-Z][A-Z0-9.]*) \|", line)
        if match:
            rows[int(match.group(1))] = match.group(2)
    return rows


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.skipif(not (SHARED / "TARGETS.md").exists(), reason="../shared/plan is not beside the checkout")
def test_one_rule_per_target_row_in_its_section(ruleset):
    targets = _targets()
    assert len(targets) == 44
    by_id = {r.id: r for r in ruleset.rules}
    for number, section in targets.items():
        rule = by_id[f"R{number:02d}"]
        assert rule.section == section, rule.id
    plan_rules = [r for r in ruleset.rules if r.job == "check"]
    assert sorted(r.id for r in plan_rules if r.check.kind == "advisory") == ["A01", "A02", "A03", "A04"]
    assert len(plan_rules) == 48
    # the pre-meeting checklist is not a plan target: its own job, its own ids
    assert sorted(r.id for r in ruleset.rules if r.job == "ready") == ["M01", "M02", "M03", "M04"]


@pytest.mark.skipif(not (SHARED / "ke-hoach-chi-bo-2020.txt").exists(), reason="plan text not beside the checkout")
def test_every_clause_is_quoted_verbatim_from_the_plan(ruleset):
    plan = _squash((SHARED / "ke-hoach-chi-bo-2020.txt").read_text(encoding="utf-8"))
    for rule in ruleset.rules:
        assert _squash(rule.clause) in plan, rule.id


def test_targets_live_in_rule_parameters(ruleset):
    for rule in ruleset.rules:
        if rule.check.kind in ("count", "ratio"):
            assert rule.check.target == {"param": "target"}, rule.id
            assert isinstance(rule.params["target"], (int, float)), rule.id
        assert rule.title.vi and rule.title.en and rule.hint.vi and rule.hint.en, rule.id


def test_rules_list_shows_every_rule_and_section():
    out = invoke_chibo("rules", "list", "--format", "json", cwd=ROOT)
    assert out.returncode == 0, out.stderr
    import json

    rows = json.loads(out.stdout)
    # every bundled plan, each rule with its plan
    assert {r["plan"] for r in rows} == {"vbn1-2020", "tan-phuoc-2020-2022"}
    listed = {(r["id"], r["section"]) for r in rows if r["plan"] == "vbn1-2020"}
    assert len(listed) == 52
    assert ("R14", "B.I.4") in listed and ("R41", "B.III") in listed and ("A04", "B.II") in listed
    table = invoke_chibo("rules", "list", "--rules", RULES, cwd=ROOT)
    assert table.returncode == 0
    for rule_id, section in listed:
        assert re.search(rf"{rule_id}\s+│\s+{re.escape(section)}\s", table.stdout), rule_id


def test_rules_show_prints_clause_and_check():
    """The clause in plain words on the terminal; the rule file's check (its internals) with --format json."""
    out = invoke_chibo("rules", "show", "R14", "--lang", "en", cwd=ROOT)
    assert out.returncode == 0
    assert "giám sát 11 Đ/C" in out.stdout and "among" not in out.stdout
    data = invoke_chibo("rules", "show", "R14", "--format", "json", cwd=ROOT)
    rule = next(r for r in json.loads(data.stdout) if r["plan"] == "vbn1-2020")
    assert rule["params"]["target"] == 11 and rule["check"]["among"]


def _write_rule(folder, body: str) -> None:
    (folder / "plan.yaml").write_text("name: {vi: K, en: P}\nyear: 2020\n", encoding="utf-8")
    (folder / "X01.yaml").write_text(body, encoding="utf-8")


BASE = """id: X01
section: B.I
title: {vi: a, en: a}
clause: c
severity: low
due: continuous
hint: {vi: h, en: h}
"""


@pytest.mark.parametrize("check, message", [
    ("check: {kind: count, match: [{as: p, kind: peeple}], op: gte, target: 1}", "unknown kind 'peeple'"),
    ("check: {kind: count, match: [{as: p, kind: people, where: {grup: teacher}}], op: gte, target: 1}",
     "has no field 'grup'"),
    ("check: {kind: coverage, for_each: [{as: p, kind: people}], require: {as: b, kind: briefings, "
     "where: {person: {ref: q.ref}}}}", "not bound before it"),
    ("check: {kind: count, match: [{as: p, kind: people}], op: gte, target: {param: nope}}", "unknown parameter"),
    ("check: {kind: count, match: [{as: p, kind: people, where: {reduction: {near: 2}}}], op: gte, target: 1}",
     "unknown operator 'near'"),
    ("check: {kind: coverage, for_each: [{as: p, kind: people}]}", "needs 'require', 'must' or both"),
])
def test_bad_rule_files_are_reported_with_file_and_reason(tmp_path, check, message):
    _write_rule(tmp_path, BASE + check + "\n")
    with pytest.raises(InputError) as err:
        prepare(load_rules(tmp_path))
    assert len(err.value.problems) >= 1
    text = " ".join(f"{p.file} {p.field} {p.detail}" for p in err.value.problems)
    assert "X01" in text and message in text


def test_rule_files_are_data_not_code(tmp_path):
    _write_rule(tmp_path, BASE + "check: !!python/object/apply:os.system ['touch pwned']\n")
    with pytest.raises(InputError) as err:
        load_rules(tmp_path)
    assert err.value.problems[0].code == "yaml"
    assert not (tmp_path / "pwned").exists() and not (ROOT / "pwned").exists()
