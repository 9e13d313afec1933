"""The compiled-plan cache (chibo_rules/facts/plancache.py): a plan's YAML files parsed once and kept as JSON
in the user's cache folder, keyed by each file's path and bytes. A warm cache reads no plan YAML and gives
byte-identical reports; an edited file shows at once; a corrupt, foreign or unwritable cache is ignored; a
broken plan is never cached and its errors still name file, line and key."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil

import pytest
import yaml
from typer.testing import CliRunner

from chibo_rules import safeyaml
from chibo_rules.cli import app
from chibo_rules.facts import plancache, schema
from chibo_rules.ruleset.rulespec import bundled_rules_root, load_rules

from .conftest import CASES, GAPS_CASE, ROOT, RULES

BUNDLED_CASES = sorted(p for p in CASES.iterdir() if (p / "cell.yaml").is_file())


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("CHIBO_CACHE_DIR", str(where))
    monkeypatch.delenv("CHIBO_CACHE", raising=False)
    schema._load.cache_clear()  # each load below reads the declarations again, as a new process would
    yield where
    schema._load.cache_clear()


def _check(*args: str, cache: bool = True, monkeypatch=None):
    """One in-process `chibo check`, the declarations read anew (no schema kept from an earlier run)."""
    schema._load.cache_clear()
    if monkeypatch is not None:
        monkeypatch.setenv("CHIBO_CACHE", "1" if cache else "0")
    run = CliRunner().invoke(app, ["check", *args], env={"COLUMNS": "1000"})
    assert run.exception is None or isinstance(run.exception, SystemExit), run.output
    return run.exit_code, run.output


def _count_yaml(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = safeyaml.load

    def counting(text, *args, **kwargs):
        seen.append(text[:40])
        return real(text, *args, **kwargs)

    monkeypatch.setattr(safeyaml, "load", counting)
    return seen


def _read_cache(path):
    """A cache file: its head line (schema, format, version, SHA-256 of the rest) and its entries."""
    head, _, body = path.read_bytes().partition(b"\n")
    head = json.loads(head)
    assert head["sha256"] == hashlib.sha256(body).hexdigest()
    return head, json.loads(body)


def test_a_loaded_plan_is_cached_and_read_back_without_parsing_yaml(cache_dir, monkeypatch):
    cold = load_rules(RULES)
    files = list(cache_dir.glob("plan-*.json"))
    assert len(files) == 1
    head, entries = _read_cache(files[0])  # plain JSON data, nothing to execute
    assert head["schema"] == plancache.SCHEMA and head["format"] == plancache.FORMAT
    libraries = [bundled_rules_root() / "library", bundled_rules_root() / "library-school"]  # the plan uses school
    plan_files = {*RULES.glob("*.yaml"), *(RULES / "kinds").glob("*.yaml"),
                  *(f for library in libraries for f in [*library.glob("*.yaml"), *(library / "kinds").glob("*.yaml")])}
    assert {entry["path"] for entry in entries.values()} == {str(p.resolve()) for p in plan_files}
    schema._load.cache_clear()
    parsed = _count_yaml(monkeypatch)
    warm = load_rules(RULES)
    assert parsed == []
    assert warm.plan == cold.plan and warm.rules == cold.rules
    assert warm.schema.kinds == cold.schema.kinds and warm.schema.cell == cold.schema.cell
    assert warm.schema.sheet_order == cold.schema.sheet_order


def test_no_cache_when_turned_off(cache_dir, monkeypatch):
    monkeypatch.setenv("CHIBO_CACHE", "0")
    load_rules(RULES)
    assert not cache_dir.exists()


@pytest.mark.parametrize("case", BUNDLED_CASES, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_reports_are_byte_identical_with_and_without_cache(case, fmt, cache_dir, monkeypatch):
    args = [str(case), "--format", fmt, "--as-of", "2020-12-31"]
    without = _check(*args, cache=False, monkeypatch=monkeypatch)
    assert not cache_dir.exists()
    cold = _check(*args, monkeypatch=monkeypatch)
    assert list(cache_dir.glob("plan-*.json"))
    parsed = _count_yaml(monkeypatch)
    warm = _check(*args, monkeypatch=monkeypatch)
    assert without == cold == warm
    assert without[0] in (0, 1)
    assert len(parsed) < 10  # the case's own YAML (cell.yaml), not the plan's ~100 files


def _own_plan(tmp_path):
    plan = tmp_path / "plans" / "vbn1-2020"
    shutil.copytree(RULES, plan)
    return plan


def test_a_changed_rule_target_shows_at_once(cache_dir, tmp_path, monkeypatch):
    plan = _own_plan(tmp_path)
    args = [str(GAPS_CASE), "--rules", str(plan), "--format", "json", "--as-of", "2020-12-31"]
    before = _check(*args, monkeypatch=monkeypatch)
    assert before == _check(*args, monkeypatch=monkeypatch)  # warm
    rule = plan / "R06-qualification-above-standard.yaml"
    text = rule.read_text(encoding="utf-8")
    assert "params: {target: 70}" in text
    rule.write_text(text.replace("params: {target: 70}", "params: {target: 71}"), encoding="utf-8")
    after = _check(*args, monkeypatch=monkeypatch)
    assert after != before
    assert after == _check(*args, cache=False, monkeypatch=monkeypatch)
    assert json.dumps(71) in after[1]


@pytest.mark.parametrize("garbage", [b"\x80\x81 not json", b'{"schema": "chibo.plan-cache", "format": 1, "chibo"',
                                     b"[1, 2, 3]", b'{"schema": "someone-else", "files": {}}', b""])
def test_a_corrupt_or_foreign_cache_file_is_ignored_and_rebuilt(garbage, cache_dir, monkeypatch):
    args = [str(GAPS_CASE), "--format", "json", "--as-of", "2020-12-31"]
    expected = _check(*args, cache=False, monkeypatch=monkeypatch)
    _check(*args, monkeypatch=monkeypatch)
    (written,) = cache_dir.glob("plan-*.json")
    written.write_bytes(garbage)
    assert _check(*args, monkeypatch=monkeypatch) == expected
    assert _read_cache(written)[0]["schema"] == plancache.SCHEMA  # rebuilt


def test_a_cache_entry_of_wrong_shape_is_a_miss(cache_dir, monkeypatch):
    first = load_rules(RULES)
    (written,) = cache_dir.glob("plan-*.json")
    head, entries = _read_cache(written)
    for entry in entries.values():
        entry["data"] = {"\x00date": "not a date"}
        entry.pop("lines")
    body = json.dumps(entries).encode("utf-8")
    head["sha256"] = hashlib.sha256(body).hexdigest()  # as chibo would have written it: only the entries are wrong
    written.write_bytes(json.dumps(head).encode("utf-8") + b"\n" + body)
    schema._load.cache_clear()
    again = load_rules(RULES)
    assert again.rules == first.rules and again.plan == first.plan and again.schema.kinds == first.schema.kinds


def test_an_unwritable_cache_folder_changes_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CHIBO_CACHE_DIR", str(blocker / "cache"))  # cannot be created
    args = [str(GAPS_CASE), "--format", "json", "--as-of", "2020-12-31"]
    expected = _check(*args, cache=False, monkeypatch=monkeypatch)
    assert _check(*args, monkeypatch=monkeypatch) == expected
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_read_only_cache_folder_changes_nothing(cache_dir, monkeypatch):
    from chibo_rules import writing

    def refused(*args, **kwargs):
        raise writing.WriteRefused("read_only", str(cache_dir))

    cache_dir.mkdir()
    monkeypatch.setattr(writing, "write", refused)
    args = [str(GAPS_CASE), "--format", "json", "--as-of", "2020-12-31"]
    expected = _check(*args, cache=False, monkeypatch=monkeypatch)
    assert _check(*args, monkeypatch=monkeypatch) == expected
    assert list(cache_dir.iterdir()) == []


def test_a_broken_plan_is_never_cached_and_names_file_line_and_key(cache_dir, tmp_path, monkeypatch):
    plan = _own_plan(tmp_path)
    args = [str(GAPS_CASE), "--rules", str(plan), "--lang", "en"]
    _check(*args, monkeypatch=monkeypatch)  # warm: every file cached
    (written,) = cache_dir.glob("plan-*.json")
    cached = written.read_bytes()
    rule = plan / "R06-qualification-above-standard.yaml"
    lines = rule.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("severity:"))
    lines[at] = "severity: dreadful"
    rule.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for _ in range(2):
        code, out = _check(*args, monkeypatch=monkeypatch)
        compact = "".join(out.split())  # as rich wrapped it
        assert code == 2 and "Traceback" not in out
        assert rule.name in compact and f"┃{at + 1}┃severity┃" in compact.replace("│", "┃"), out
        assert written.read_bytes() == cached  # the broken plan was not written


def _paths(node, trail=()):
    """Every path of keys and indexes in a node tree (and a few that lead nowhere)."""
    yield trail
    yield (*trail, "no-such-key")
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _paths(value, (*trail, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield from _paths(item, (*trail, str(i)))
        yield (*trail, str(len(node.value)))


@pytest.mark.parametrize("folder", [RULES, bundled_rules_root() / "library",
                                    bundled_rules_root() / "tan-phuoc-2020-2022"], ids=lambda p: p.name)
def test_the_kept_lines_answer_as_the_node_tree_does(folder):
    for path in sorted(folder.rglob("*.yaml")):
        data, node = safeyaml.load(path.read_text(encoding="utf-8-sig"), with_node=True)
        kept = json.loads(json.dumps(plancache.lines_of(node)))
        for trail in _paths(node):
            assert safeyaml.line_of(kept, trail) == safeyaml.line_of(node, trail), (path.name, trail)
        again = plancache.decode(json.loads(json.dumps(plancache.encode(data))))
        assert again == data and repr(again) == repr(data), path.name


def test_values_json_has_no_word_for_keep_their_type():
    data = {"day": dt.date(2020, 2, 29), 2: "two", True: [1.5, None, "x"], dt.date(2020, 1, 1): {"\x00date": "k"},
            "big": 10 ** 40}
    again = plancache.decode(json.loads(json.dumps(plancache.encode(data))))
    assert again == data and repr(again) == repr(data)
    for value in ({1, 2}, b"bytes", float("nan"), dt.datetime(2020, 1, 1, 10, 0)):
        with pytest.raises(plancache.Uncacheable):
            plancache.encode({"x": value})


def test_models_are_built_when_first_asked_for(cache_dir, monkeypatch):
    built: list[str] = []
    real = schema.build_model

    def counting(decl, *args, **kwargs):
        built.append(decl.kind)
        return real(decl, *args, **kwargs)

    monkeypatch.setattr(schema, "build_model", counting)
    ruleset = load_rules(RULES)
    assert built == [ruleset.schema.cell.kind]  # the cell's model only: every case has cell.yaml
    kinds = list(ruleset.schema.models)
    assert kinds == list(ruleset.schema.kinds) and len(built) == 1  # names known without building
    first = ruleset.schema.models[kinds[0]]
    assert ruleset.schema.models[kinds[0]] is first and built[1:] == [kinds[0]]


def test_typer_help_formatting_is_imported_only_to_show_help_or_an_error():
    """typer.rich_utils (rich's markdown, syntax and traceback: ~0.1 s of a cold start) is loaded only when help
    or a usage error is shown, and is still in the user's words then."""
    import subprocess
    import sys

    from .clirun import chibo_env

    probe = ("import sys, chibo_rules.cli; print('typer.rich_utils' in sys.modules); "
             "sys.argv = ['chibo', 'check', '--no-such-option']; chibo_rules.cli.main()")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=chibo_env({"CHIBO_LANG": "vi"}), timeout=120)
    assert done.stdout.splitlines()[0] == "False"
    assert done.returncode == 2 and "Lỗi" in done.stderr and "Traceback" not in done.stderr, done.stderr


def _command_probe(at_exit: str, env: dict[str, str] | None = None) -> str:
    """`chibo check` of the example through the command's entry (__main__.main) in a new interpreter, and the
    last line it printed: `at_exit`, an expression printed when the interpreter exits."""
    import subprocess
    import sys

    from .clirun import chibo_env

    probe = ("import atexit, gc, sys\n"
             f"atexit.register(lambda: print({at_exit}))\n"
             "sys.argv = ['chibo', 'check', 'cases/vbn1-2020', '--format', 'json']\n"
             "from chibo_rules.__main__ import main\n"
             "main()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env=chibo_env() if env is None else env, timeout=120, cwd=ROOT)
    assert done.returncode == 1, done.stderr  # the example's gaps
    return done.stdout.splitlines()[-1]


@pytest.mark.parametrize("given, searched", [(None, False), ("0", True)])
def test_the_command_never_searches_for_pydantic_plugins_unless_the_user_says(given, searched):
    """pydantic's search for plugins reads every installed package's metadata (~45 ms of a cold check); chibo
    uses none, so its command skips the search. A user's own PYDANTIC_DISABLE_PLUGINS is kept ("0": search)."""
    from .clirun import chibo_env

    env = {k: v for k, v in chibo_env().items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    loader = "sys.modules['pydantic.plugin._loader']"
    assert _command_probe(f"'searched', {loader}._plugins is not None", env) == f"searched {searched}"


def test_the_command_collects_cycles_rarely_and_never_rescans_what_its_imports_made():
    """A check of the example ran the cyclic collector ~160 times over objects reference counts free anyway (a
    third of loading the case): the command raises the youngest generation's threshold and freezes the command
    line's imports. The collector stays on: cycles are still collected, less often."""
    said = _command_probe("gc.get_threshold()[0], gc.get_freeze_count() > 10_000, gc.isenabled(), "
                          "sum(s['collections'] for s in gc.get_stats())")
    threshold, frozen, enabled, collections = said.split()
    assert (threshold, frozen, enabled) == ("100000", "True", "True")
    assert int(collections) < 40  # ~160 with the default thresholds (~50 of them during the imports)


def test_a_cache_file_edited_by_hand_is_ignored(cache_dir, tmp_path, monkeypatch):
    """Valid JSON of the right form, but not what chibo wrote (a rule's data emptied): ignored, not believed."""
    plan = _own_plan(tmp_path)
    args = [str(GAPS_CASE), "--rules", str(plan), "--format", "json", "--as-of", "2020-12-31"]
    expected = _check(*args, cache=False, monkeypatch=monkeypatch)
    _check(*args, monkeypatch=monkeypatch)
    (written,) = cache_dir.glob("plan-*.json")
    text = written.read_text(encoding="utf-8")
    assert '"params":{"target":70}' in text
    written.write_text(text.replace('"params":{"target":70}', '"params":{"target":7}'), encoding="utf-8")
    assert _check(*args, monkeypatch=monkeypatch) == expected
