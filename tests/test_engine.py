"""durable-rules' traps, pinned: each test shows the raw behaviour and that the adapter guards it.

The raw probes talk to durable-rules directly (their own rulesets, their own Host), so a future
release that changes a behaviour shows up here first.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading

import pytest

from chibo_rules.errors import EngineUnavailable
from chibo_rules.evaluate import engine as chibo_engine
from chibo_rules.evaluate.compile import Collector, compile_ruleset
from chibo_rules.jobs.check import evaluate_raw, run_check

from .conftest import YEAR_END

durable_engine = pytest.importorskip("durable.engine")


def _raw_probe(rules: dict, facts: list[dict], check: dict) -> list[tuple[str, str]]:
    """Run a ruleset of plain durable-rules on a quiet host; returns (rule, key) of every action."""
    hits: list[tuple[str, str]] = []
    name = f"probe{random.randrange(10**9)}"
    ruleset = {}
    def record(rule_name):
        # one parameter only: durable-rules treats a two-parameter action as asynchronous
        return lambda c: hits.append((rule_name, c._m["a_r"]["key"]))

    for rule_name, patterns in rules.items():
        ruleset[rule_name] = {"all": patterns, "run": record(rule_name)}
    ruleset["hold"] = {"all": [{"h": {"t": "res"}}, {"n": {"t": "__never__"}}], "run": lambda c: None}
    ruleset["done"] = {"all": [{"chk": {"t": "check"}}], "run": lambda c: None}
    host = chibo_engine.host()
    host.set_rulesets({name: ruleset})
    batch = [{**f, "id": f"f{i}", "sid": "s1"} for i, f in enumerate(facts)]
    host.assert_facts(name, batch)
    host.assert_fact(name, {**check, "t": "check", "id": "c", "sid": "s1"})
    host.delete_state(name, "s1")
    return sorted(hits)


RESOLUTIONS = [
    {"t": "res", "key": "A", "level": "commune", "brief_by": 20200120},
    {"t": "res", "key": "B", "level": "commune", "brief_by": 20200831},
    {"t": "res", "key": "C", "level": "higher", "brief_by": 20200101},
]


def test_durable_drops_a_join_that_follows_an_or():
    """Raw: `$or` then a join to the trigger ignores the join (B is due after the as-of day)."""
    due = {"$lte": {"brief_by": {"chk": "as_of"}}}
    level = {"$or": [{"level": "commune"}, {"level": "cell"}]}
    hits = _raw_probe({
        "or_first": [{"chk": {"t": "check"}}, {"a_r": {"$and": [{"t": "res"}, level, due]}}],
        "join_first": [{"chk": {"t": "check"}}, {"a_r": {"$and": [{"t": "res"}, due, level]}}],
    }, RESOLUTIONS, {"as_of": 20200630})
    assert hits == [("join_first", "A"), ("or_first", "A"), ("or_first", "B")]


def test_durable_fails_on_absence_test_beside_a_join_in_an_or():
    """Raw: the negation of a join test (`not recorded, or compares`) cannot be one `$or` (error 311)."""
    with pytest.raises(Exception, match="311"):
        _raw_probe({"r": [{"chk": {"t": "check"}}, {"a_r": {"$and": [
            {"t": "res"}, {"$or": [{"$nex": {"lvl": 1}}, {"$gt": {"lvl": {"chk": "as_of"}}}]}]}}]},
            RESOLUTIONS, {"as_of": 20200630})


def test_compiled_rules_hold_no_or_and_every_fact_type(prepared):
    rules = compile_ruleset(prepared, Collector())
    text = json.dumps({k: v["all"] for k, v in rules.items()})
    assert "$or" not in text
    for kind in {k for p in prepared for k in p.kinds()}:
        assert f"hold.{kind}" in rules
    assert "done" in rules


def test_no_domain_field_is_named_id(schema):
    """`id` is durable-rules' fact identity: two facts with the same id collide (trap 1); a declaration
    naming a field `id` is refused (declarations.KindDecl)."""
    for model in schema.models.values():
        assert "id" not in model.model_fields, model.KIND


def test_durable_raises_for_a_fact_no_rule_handles():
    host = chibo_engine.host()
    host.set_rulesets({"probe_unhandled": {"r": {"all": [{"a": {"t": "x"}}], "run": lambda c: None}}})
    with pytest.raises(durable_engine.MessageNotHandledException):
        host.assert_facts("probe_unhandled", [{"t": "y", "id": "1", "sid": "u1"}])


def test_results_do_not_depend_on_fact_order(gaps_case, prepared):
    """Negation fires eagerly (trap 2): the trigger asserted after every fact makes order irrelevant."""
    facts = gaps_case.facts(YEAR_END)
    reference = None
    eng = chibo_engine.Engine(prepared)
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(facts)
        hits = sorted(eng.run(list(facts), {"as_of": 20201231}), key=repr)
        if reference is None:
            reference = hits
        assert hits == reference
    assert any(role == "missing" for _, role, _, _ in reference)


def test_quiet_host_runs_no_background_dispatch(gaps_case, ruleset, prepared):
    """The stock Host's 0.2 s dispatch thread raced assert_fact (lost and late actions, error 307)."""
    chibo_engine.host()
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]
    first = [f.comparable() for _, f in run_check(gaps_case, ruleset, prepared, YEAR_END).results]
    for _ in range(15):
        assert [f.comparable() for _, f in run_check(gaps_case, ruleset, prepared, YEAR_END).results] == first


def test_durable_segfaults_deleting_a_session_where_nothing_fired():
    """Trap 5, in a child process: the adapter's always-firing `done` rule is what prevents it."""
    code = (
        "import durable.engine as d\n"
        "h=d.Host(); h.set_rulesets({'z': {'r': {'all': [{'a': {'t': 'x'}}, {'b': {'t': 'y'}}],"
        " 'run': lambda c: None}}})\n"
        "h.assert_fact('z', {'t': 'x', 'id': '1', 'sid': 's'})\n"
        "h.delete_state('z', 's')\nprint('survived')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "survived" not in out.stdout


def test_a_cell_with_no_facts_runs_cleanly(compliant_case, prepared):
    import dataclasses

    empty = dataclasses.replace(compliant_case, records={})
    decided, raws, _ = evaluate_raw(empty, prepared, YEAR_END, "engine")
    assert all(f.status == "no_data" for f in decided.values() if f.status != "not_due")


def test_import_failure_becomes_a_clear_message(monkeypatch, tmp_path):
    import builtins

    real_import = builtins.__import__

    def fail_durable(name, *args, **kwargs):
        if name.startswith("durable"):
            raise ImportError("undefined symbol: PyEval_CallObject")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fail_durable)
    with pytest.raises(EngineUnavailable, match="PyEval_CallObject"):
        chibo_engine._durable()

    from typer.testing import CliRunner

    from chibo_rules.cli import app

    monkeypatch.setattr(chibo_engine, "_HOST", None)
    monkeypatch.setattr(chibo_engine.Engine, "_registered", {})
    result = CliRunner().invoke(app, ["check", str(tmp_path.parent.parent / "nope")])
    assert result.exit_code == 2


def test_orjson_writes_what_the_standard_library_writes(gaps_case, prepared):
    """The engine sends facts as orjson writes them when it is installed (the engine extra); the text must
    be the standard library's, byte for byte, or durable-rules would store and compare other bytes."""
    pytest.importorskip("orjson")
    eng = chibo_engine.Engine(prepared)
    batch = eng.wire_facts(gaps_case.facts(YEAR_END), "s")
    batch.append({"t": "x", "text": "Nghị quyết “số 1” \\ ⟨U+200B⟩\u200b", "n": 1.5, "big": 10**15, "b": False})
    assert chibo_engine._encode(batch) == chibo_engine._encode_std(batch)
    assert chibo_engine._decode(chibo_engine._encode(batch)) == batch
