"""One catalogue of words (chibo_rules/words/*.yaml, chibo_rules/words.py): every entry in both languages with
the same placeholders, each file real YAML, a new message one entry in one file, and the old lookups aliases."""

from __future__ import annotations

import string

import pytest
import yaml

from chibo_rules import words
from chibo_rules.words import Catalogue, CatalogueError, read_area

from .conftest import ROOT

FILES = sorted((ROOT / "chibo_rules" / "words").glob("*.yaml"))
# texts whose languages legitimately fill different placeholders: a date written in words in Vietnamese and as
# one value in English; a count's noun ("người", "mục") that English leaves out
OWN_PLACEHOLDERS = {"report.choose_among", "report.choose_among_one", "report.choose_all", "report.place_date",
                    "report.minutes_subject"}


def _names(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_catalogue_has_its_areas():
    assert {p.stem for p in FILES} >= {"report", "help", "draft", "store", "review", "cli", "frame", "os", "login",
                                       "accounts"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_word_is_in_both_languages_with_the_same_placeholders(path):
    entries = read_area(path)
    assert entries
    empty = [k for k, (vi, en) in entries.items() if not vi.strip() or not en.strip()]
    differ = [k for k, (vi, en) in entries.items()
              if _names(vi) != _names(en) and f"{path.stem}.{k}" not in OWN_PLACEHOLDERS]
    assert empty == [] and differ == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_words_file_reads_the_same_as_yaml(path):
    """The fast reader takes a narrow shape of YAML; any YAML tool reads the same words from the file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert {str(k): (v["vi"], v["en"]) for k, v in data.items()} == read_area(path)
    assert all(set(v) == {"vi", "en"} for v in data.values())


def test_a_word_in_one_language_only_is_refused(tmp_path):
    (tmp_path / "toy.yaml").write_text('# a toy area\nhello:\n  vi: "Xin chào {name}"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="toy.yaml: hello not in both vi and en"):
        Catalogue(tmp_path).say("toy.hello", "vi", name="A")


def test_a_line_out_of_shape_is_named_by_file_and_line(tmp_path):
    (tmp_path / "toy.yaml").write_text('hello:\n  vi: Xin chào\n  en: "Hello"\n', encoding="utf-8")
    with pytest.raises(CatalogueError, match="toy.yaml, line 2"):
        Catalogue(tmp_path).area("toy")


def test_a_new_message_is_one_entry_in_one_file(tmp_path):
    """The touch count for a new message: one file (an area's YAML), no code."""
    for path in FILES:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with (tmp_path / "report.yaml").open("a", encoding="utf-8") as f:
        f.write('brand_new:\n  vi: "Mới: {n}"\n  en: "New: {n}"\n')
    catalogue = Catalogue(tmp_path)
    assert catalogue.say("report.brand_new", "vi", n=3) == "Mới: 3"
    assert catalogue.say("report.brand_new", "en", n=3) == "New: 3"
    assert catalogue.say("report.cell", "en") == "Cell"


def test_the_old_lookups_are_the_catalogues():
    from chibo_rules import clihelp
    from chibo_rules.draft import messages as draft
    from chibo_rules.report import i18n, reviewwords
    from chibo_rules.store import messages as store

    assert i18n.t("summary", "en", total=1, passed=1, gap=0, no_data=0, not_due=0, advisory=0) == words.say(
        "report.summary", "en", total=1, passed=1, gap=0, no_data=0, not_due=0, advisory=0)
    assert clihelp.h("app") == words.say("help.app", clihelp.LANG)
    assert draft.m("level_high", "vi") == words.say("draft.level_high", "vi") == "cao"
    assert store.m("m_cell", "en") == words.say("store.m_cell", "en") == "Cell"
    assert reviewwords.w("review_date", "vi") == words.say("review.review_date", "vi")
    assert i18n.status("passed", "vi") == words.say("status.passed", "vi") == "Đạt"


def test_the_systems_reasons_are_worded_once_for_reads_and_writes():
    import errno

    from chibo_rules.cliwords import os_reason
    from chibo_rules.report.problems import problem_text

    # one entry where reading and writing say the same, the reading's words where they differ
    assert os_reason(errno.EISDIR, "vi") == words.say("os.EISDIR", "vi")
    assert words.os_reason("EISDIR", "en", "read") == words.os_reason(errno.EISDIR, "en", "write")
    assert words.os_reason("EACCES", "en", "read") == "no permission to read it, or it is open in another program"
    assert os_reason(errno.EACCES, "en") == "no permission (or the file is open in another program)"
    assert os_reason(errno.ENOTSOCK, "en") == "system error ENOTSOCK"
    assert not words.has("report.reason_EACCES")
    from chibo_rules.errors import Problem

    said = problem_text(Problem("x.csv", None, None, "unreadable", "EACCES"), "en")
    assert "no permission to read it" in said


def test_the_case_format_documents_prose_is_in_template_files():
    """report/casedoc.py builds docs/case-format.md; its fixed prose lives in chibo_rules/words/casedoc/ (each file
    used), never in the module as long strings (tests/test_docs.py keeps the document byte-identical)."""
    import ast

    source = (ROOT / "chibo_rules" / "report" / "casedoc.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    prose = [node.value[:60] for node in ast.walk(tree) if isinstance(node, ast.Constant)
             and isinstance(node.value, str) and len(node.value) > 300 and id(node) not in docstrings]
    unused = [p.name for p in (ROOT / "chibo_rules" / "words" / "casedoc").iterdir()
              if f'"casedoc/{p.name}"' not in source]
    assert prose == [] and unused == []


def test_a_template_and_the_code_filling_it_must_agree():
    with pytest.raises(ValueError, match="LAST"):
        words.template("casedoc/folder-layout.md")
    with pytest.raises(ValueError, match="LAST"):
        words.template("casedoc/folder-layout.md", LAST="6", FIRST="1")
    assert "@LAST@" not in words.template("casedoc/folder-layout.md", LAST="6")


# areas whose keys are named as they are written: each must be said somewhere (in the package or the web's pages).
# The others build keys from data (report's p_{code}, draft's draft_{code}, os' errno names, review's cond_{name},
# status, still and severity names, values' parser messages, types' type names, store's rules_{state}): their
# usage is tested where the data is (tests/test_hostile.py, tests/test_review_job.py, …)
NAMED_AREAS = ("accounts", "casedoc", "cli", "frame", "help", "history_help", "login")


@pytest.mark.parametrize("area", NAMED_AREAS)
def test_every_word_of_a_named_area_is_used(area):
    import re

    package = ROOT / "chibo_rules"
    sources = "".join(p.read_text(encoding="utf-8") for pattern in ("*.py", "*.html") for p in package.rglob(pattern))
    unused = [k for k in words.CATALOGUE.area(area)
              if not re.search(r"[\"'.]" + re.escape(k) + r"[\"'\s]", sources)]
    assert unused == []


def test_the_tool_moving_a_dict_into_the_catalogue_keeps_every_text(tmp_path):
    """tools/words_from_dict.py: how the words of a branch merged later (web/uploads.py, web/app.py) move here."""
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from words_from_dict import entry_lines
    finally:
        sys.path.remove(str(ROOT / "tools"))
    odd = {"plain": ("Đã ghi {path}", "Wrote {path}"), "no": ("không", "no"), "Usage: ": ("Cách dùng: ", "Usage: "),
           "quote": ('dấu "ngoặc" \\ và\ttab', 'a "quote" \\ and\ttab')}
    (tmp_path / "toy.yaml").write_text("\n".join(line for key, (vi, en) in odd.items()
                                                 for line in entry_lines(key, vi, en)) + "\n", encoding="utf-8")
    assert read_area(tmp_path / "toy.yaml") == odd
    assert yaml.safe_load((tmp_path / "toy.yaml").read_text(encoding="utf-8"))["no"] == {"vi": "không", "en": "no"}
