"""docs/case-format.md is the document chibo generates from the kind declarations.

The document (chibo_rules/report/casedoc.py) is made from rules/library/cell.yaml, rules/library/kinds/*.yaml
and each bundled plan's kinds/*.yaml and rule files; the committed copy must be exactly what it generates
today, so a declaration changed without regenerating it fails here. The other tests check what the
generator writes — every field of every kind with its Vietnamese header, every code with the spellings the
loader accepts, the rules that read each kind — and that a change in a plan's declarations shows up.
"""

from __future__ import annotations

import difflib
import functools
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chibo_rules.cli import app
from chibo_rules.facts.models import field_choices
from chibo_rules.facts.values import parse_choice
from chibo_rules.jobs.plans import bundled_plans
from chibo_rules.report.casedoc import REGENERATE, case_format
from chibo_rules.ruleset.rulespec import RuleSet, load_rules

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "case-format.md"
VBN1 = ROOT / "rules" / "vbn1-2020"


@functools.cache
def generated() -> str:
    return case_format()


@functools.cache
def rulesets() -> tuple[RuleSet, ...]:
    return tuple(load_rules(folder) for folder in bundled_plans())


def sections(text: str) -> dict[tuple[str, str], str]:
    """(the `## ` heading a `### ` section is under, the `### ` heading) -> the section's text, ignoring
    lines inside fenced code blocks."""
    out: dict[tuple[str, str], list[str]] = {}
    chapter, current, fenced = "", None, False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            chapter, current = line, None
        elif not fenced and line.startswith("### "):
            current = out.setdefault((chapter, line), [])
        if current is not None:
            current.append(line)
    return {k: "\n".join(v) for k, v in out.items()}


def kind_text(text: str, kind: str, plan: str) -> str:
    """What the document says of a kind for one plan: its library section and its section in the plan's."""
    found = [body for (chapter, head), body in sections(text).items()
             if head.split(" — ")[0].endswith(f"`{kind}`")
             and (chapter.startswith("## 4. ") or f"`{plan}`" in chapter)]
    return "\n".join(found)


def field_rows(section: str, name: str) -> list[str]:
    return [line for line in section.splitlines() if line.startswith(f"| `{name}` |")]


# --------------------------------------------------------------------------- the committed document


def test_committed_document_is_the_generated_one():
    committed = DOC.read_text(encoding="utf-8")
    text = generated()
    if committed != text:
        diff = "".join(list(difflib.unified_diff(committed.splitlines(True), text.splitlines(True),
                                                 "docs/case-format.md (committed)", "generated", n=1))[:60])
        pytest.fail(f"docs/case-format.md is not what the declarations give: regenerate it with "
                    f"`{REGENERATE}` (from the repository root).\n{diff}", pytrace=False)


# --------------------------------------------------------------------------- what the generator writes


def test_every_kind_of_every_plan_has_a_section():
    text = generated()
    for ruleset in rulesets():
        plan = ruleset.plan.id
        assert f"Kế hoạch `{plan}` — Plan `{plan}`" in text
        for kind, decl in ruleset.schema.kinds.items():
            section = kind_text(text, kind, plan)
            assert section, f"{plan}: no section for `{kind}`"
            assert f"Tệp / file: `{kind}.csv`" in section, f"{plan}: {kind}: no file name"
            assert f"`{decl.sheet}`" in section, f"{plan}: {kind}: sheet {decl.sheet!r} not given"


def test_every_field_of_every_kind_is_named_with_its_header():
    text = generated()
    missing = []
    for ruleset in rulesets():
        plan, schema = ruleset.plan.id, ruleset.schema
        for kind, decl in schema.kinds.items():
            section = kind_text(text, kind, plan)
            for name, field in decl.fields.items():
                if not any(row.startswith(f"| `{name}` | {field.header} |") for row in field_rows(section, name)):
                    missing.append(f"{plan}: {kind}.{name} ({field.header!r})")
        cell_text = text.split("## 3. `cell.yaml`")[1].split("\n## ")[0]
        for name, field in schema.cell.fields.items():
            if f"| `{name}` | {field.header} |" not in cell_text:
                missing.append(f"{plan}: cell.{name} ({field.header!r})")
    assert missing == []


def test_every_code_of_a_coded_field_is_listed_with_its_spellings():
    """Each code of a coded field is in the field's row with its Vietnamese label, other spellings and
    English label, and each spelling listed is one the loader reads as that code."""
    text = generated()
    problems = []
    for ruleset in rulesets():
        plan, schema = ruleset.plan.id, ruleset.schema
        for kind, decl in schema.kinds.items():
            model = schema.models[kind]
            section = kind_text(text, kind, plan)
            for name, field in decl.fields.items():
                if field.type != "code":
                    continue
                rows = " ".join(field_rows(section, name))
                choices = field_choices(model, name)
                assert choices is not None
                for code, spelled in (field.codes or {}).items():
                    listed = f"`{code}`: " + ", ".join(f"“{s}”" for s in (spelled.vi, *spelled.spellings)) + \
                        f" / “{spelled.en}”"
                    if listed not in rows:
                        problems.append(f"{plan}: {kind}.{name}: {listed}")
                    for spelling in (spelled.vi, *spelled.spellings, spelled.en, code):
                        if parse_choice(spelling, choices.accepted) != code:
                            problems.append(f"{plan}: {kind}.{name}: {spelling!r} is not read as {code}")
    assert problems == []


def test_rules_reading_a_kind_are_named_in_its_section():
    text = generated()
    problems = []
    for ruleset in rulesets():
        plan = ruleset.plan.id
        for rule in ruleset.rules:
            for kind in rule.kinds():
                readers = [line for line in kind_text(text, kind, plan).splitlines()
                           if line.startswith(("Quy tắc đọc / read by: ", f"- `{plan}`: "))]
                if not any(rule.id in re.findall(r"[\w.-]+", line) for line in readers):
                    problems.append(f"{plan}: {rule.id} reads `{kind}`, its section does not say so")
        table = [body for (chapter, head), body in sections(text).items()
                 if f"`{plan}`" in chapter and "Quy tắc của kế hoạch" in head]
        assert len(table) == 1
        for rule in ruleset.rules:
            assert f"| {rule.id} | " in table[0], f"{plan}: {rule.id} missing from the rule table"
    assert problems == []


def test_the_general_part_says_where_the_kinds_come_from():
    text = generated()
    assert "plan: vbn1-2020" in text
    assert "`rules/library/kinds/*.yaml`" in text and "docs/plan-format.md" in text
    assert REGENERATE in text
    for heading in ("## 1. Thư mục hồ sơ", "### 1.1 Hồ sơ là một tệp Excel", "## 2. Cách ghi giá trị",
                    "## 3. `cell.yaml`", "## 4. Thư viện dùng chung — Shared library"):
        assert heading in text


# --------------------------------------------------------------------------- a changed declaration shows


def copy_plan(tmp_path: Path) -> Path:
    folder = tmp_path / VBN1.name
    shutil.copytree(VBN1, folder)
    return folder


def test_an_extra_field_in_a_plan_changes_the_document(tmp_path):
    folder = copy_plan(tmp_path)
    with (folder / "kinds" / "youth_admissions.yaml").open("a", encoding="utf-8") as handle:  # a kind of its own
        handle.write("  school_bus: {type: yesno, header: Đi xe đưa đón, help: có hoặc không}\n")
    before, after = case_format([VBN1]), case_format([folder])
    assert before != after
    row = "| `school_bus` | Đi xe đưa đón | có/không / yes-no | không / no |"
    assert row not in before
    assert row in field_rows(kind_text(after, "youth_admissions", "vbn1-2020"), "school_bus")[0]
    assert ",Đi xe đưa đón\n```" in kind_text(after, "youth_admissions", "vbn1-2020")  # last in the header row
    assert after != DOC.read_text(encoding="utf-8")  # so the committed-document test would fail


def test_an_extra_code_in_an_extension_changes_the_document(tmp_path):
    folder = copy_plan(tmp_path)
    path = folder / "kinds" / "people.yaml"
    text = path.read_text(encoding="utf-8")
    assert "  group:\n" in text
    path.write_text(text.replace("  group:\n", "  group:\n    intern: {vi: thực tập, en: intern, spellings: [tts]}\n",
                                 1), encoding="utf-8")
    before, after = case_format([VBN1]), case_format([folder])
    listed = "`intern`: “thực tập”, “tts” / “intern”"
    assert listed not in before
    assert any(listed in row for row in field_rows(kind_text(after, "people", "vbn1-2020"), "group"))


# --------------------------------------------------------------------------- the command


def test_docs_command_writes_the_document(tmp_path):
    out = tmp_path / "case-format.md"
    out.write_text("someone's own notes", encoding="utf-8")
    refused = CliRunner().invoke(app, ["docs", "case-format", "--rules", str(VBN1), "--output", str(out)])
    assert refused.exit_code == 2 and out.read_text(encoding="utf-8") == "someone's own notes"  # never lost
    out.write_text("an earlier one, made by `chibo docs case-format`", encoding="utf-8")
    result = CliRunner().invoke(app, ["docs", "case-format", "--rules", str(VBN1), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == case_format([VBN1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case-format.md"]  # no temporary file left


def test_docs_command_prints_the_document():
    result = CliRunner().invoke(app, ["docs", "case-format", "--rules", str(VBN1)])
    assert result.exit_code == 0, result.output
    assert result.stdout == case_format([VBN1])


def test_docs_command_refuses_an_unknown_document_and_a_broken_plan(tmp_path):
    assert CliRunner().invoke(app, ["docs", "rule-language"]).exit_code == 2
    folder = copy_plan(tmp_path)
    (folder / "kinds" / "dropouts.yaml").write_text("kind: dropouts\nfields: {}\n", encoding="utf-8")
    out = tmp_path / "out.md"
    result = CliRunner().invoke(app, ["docs", "case-format", "--rules", str(folder), "--output", str(out)])
    assert result.exit_code == 2
    assert not out.exists()
