"""The benchmark (bench/): its synthetic cells are deterministic, realistic and carry gaps the rules
find; written as case folders they load back to the same findings; `python -m bench --quick` runs,
finds the engine and the oracle in agreement on every cell and writes the expected JSON."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import generate
from chibo_rules.evaluate.interpret import compile_cond, holds
from chibo_rules.jobs.check import run_check
from chibo_rules.ruleset.conditions import All, Any_, Arith, Cmp, Exists, FieldRef, Lit, Param

from .clirun import invoke_chibo
from .conftest import ROOT, load_case

AS_OF = generate.AS_OF


def _comparable(report):
    return [(p.id, f.comparable()) for p, f in report.results]


def test_generator_is_deterministic_by_seed():
    first, again = generate.generate_cell(7, 3), generate.generate_cell(7, 3)
    assert first.facts(AS_OF) == again.facts(AS_OF)
    assert first.facts(AS_OF) != generate.generate_cell(8, 3).facts(AS_OF)
    assert first.facts(AS_OF) != generate.generate_cell(7, 4).facts(AS_OF)
    random.seed(12345)  # the global random state plays no part
    assert generate.generate_cell(7, 3).facts(AS_OF) == first.facts(AS_OF)
    streamed = generate.iter_cells(2, 7, start=3)
    assert next(streamed).facts(AS_OF) == first.facts(AS_OF)


def test_generated_cells_are_realistic_with_some_gaps(ruleset, prepared):
    statuses, counts = [], []
    for index in range(25):
        case = generate.generate_cell(1, index)
        counts.append(generate.fact_count(case))
        people = [r.fact for r in case.records["people"]]
        assert len(people) == 40
        assert 12 <= sum(p.party_member for p in people) <= 18
        regular = [r for r in case.records["meetings"] if r.fact.kind == "regular"]
        assert len(regular) == 12
        assert {r.fact.week for r in case.records["timesheets"]} == set(generate.MONDAYS)
        figures = [r.fact for r in case.records["student_figures"] if r.fact.school_year == "2019-2020"]
        assert 300 <= sum(f.enrolled for f in figures) <= 700
        statuses.append(run_check(case, ruleset, prepared, AS_OF, "oracle").counts())
    assert all(1500 <= n <= 3000 for n in counts), counts
    with_gaps = sum(1 for s in statuses if s["gap"])
    assert 10 <= with_gaps < len(statuses), statuses  # most cells have a gap or two, some none
    assert all(s["gap"] <= 8 for s in statuses), statuses  # a sprinkling, not a disaster


def test_compliant_base_passes_and_every_gap_is_found(ruleset, prepared):
    rows, _ = generate.generate_rows(5, 0, gaps=False)
    base = run_check(generate.to_case(5, 0, rows), ruleset, prepared, AS_OF, "oracle").counts()
    assert base["gap"] == 0 and base["no_data"] == 0, base
    for name, gap in generate.GAPS.items():
        rows, _ = generate.generate_rows(5, 0, gaps=False)
        gap(random.Random(name), rows)
        counts = run_check(generate.to_case(5, 0, rows), ruleset, prepared, AS_OF, "oracle").counts()
        assert counts["gap"] >= 1, name


def test_fact_count_grows_with_the_roster():
    staff = generate.staff_for_facts(5000)
    facts = generate.fact_count(generate.generate_cell(0, 0, staff))
    assert 4000 <= facts <= 6000, (staff, facts)


def test_written_cells_load_back_with_the_same_findings(tmp_path, ruleset, prepared):
    for index in (0, 1):
        case = generate.generate_cell(3, index)
        folder = tmp_path / f"cell-{index}"
        generate.write_case(case, folder)
        loaded = load_case(folder)
        assert generate.fact_count(loaded) == generate.fact_count(case)
        expected = run_check(case, ruleset, prepared, AS_OF, "oracle")
        assert _comparable(run_check(loaded, ruleset, prepared, AS_OF, "oracle")) == _comparable(expected)


def test_cold_start_is_timed_with_and_without_the_plan_cache_beside_the_imports_alone():
    from bench.run import BASELINE, cli_timing

    runs = cli_timing(1)
    baseline, floor = runs[-1], runs[-2]
    assert baseline["baseline"] and BASELINE in baseline["command"] and baseline["exit_code"] == 0
    assert floor["floor"] and "bench/floor.py check" in floor["command"] and floor["exit_code"] == 0
    chibo = runs[:-2]
    assert [run["cache"] for run in chibo][:2] == [True, False] and "CHIBO_CACHE=0" in chibo[1]["command"]
    for run in chibo:
        assert run["exit_code"] == 1 and len(run["runs"]) == 1  # the example case has gaps
        assert run["median_ratio_to_baseline"] == round(run["median_s"] / baseline["median_s"], 2)
        assert run["median_ratio_to_floor"] == round(run["median_s"] / floor["median_s"], 2)
        assert run["load_before"] == baseline["load_before"] == floor["load_before"]  # one run, taken in turn


def test_the_stack_s_floor_prints_every_rule_of_chibo_s_report_and_reads_no_case(tmp_path):
    """bench/floor.py does the libraries' share of `chibo check` (typer, durable-rules, rich): it must print
    as many rows as chibo's report has, or the floor would be cheaper than the work it stands for."""
    from bench.run import FLOOR

    report = tmp_path / "report.json"
    made = invoke_chibo("check", ROOT / "cases" / "vbn1-2020", "--format", "json", "-o", report)
    assert made.returncode == 1, made.stderr
    rules = json.loads(report.read_text(encoding="utf-8"))["rules"]
    done = subprocess.run([sys.executable, "-X", "importtime", str(FLOOR), "check", "no-such-case"], cwd=ROOT,
                          capture_output=True,
                          text=True, env={**os.environ, "CHIBO_FLOOR_REPORT": str(report)})
    assert done.returncode == 0, done.stderr
    printed = [line.split("│")[1].strip() for line in done.stdout.splitlines()
               if line.startswith("│") and line.split("│")[1].strip()]
    assert sorted(printed) == sorted(rule["id"] for rule in rules) and len(printed) == 48
    assert "durable" in done.stderr and "chibo_rules" not in done.stderr  # -X importtime: what it imported


@pytest.fixture(scope="module")
def quick_result(tmp_path_factory):
    output = tmp_path_factory.mktemp("bench") / "quick.json"
    # smaller than --quick's own smoke run (the suite's time is the budget): every part measured, fewer cells
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--sizes", "1,20", "--pool-cells", "100",
                           "--rollup-cells", "40", "--cli-repeats", "1", "--output", str(output)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(output.read_text(encoding="utf-8"))


def test_quick_benchmark_agrees_and_reports(quick_result):
    result = quick_result
    assert result["disagreements"] == 0 and result["disagreement_details"] == []
    for key in ("schema", "machine", "git", "sizes", "pool", "rollup", "cli", "scaling", "targets", "profiles",
                "runtime_s"):
        assert key in result, key
    assert {"platform", "python", "cpu_count", "cpu_model"} <= set(result["machine"])
    assert [s["cells"] for s in result["sizes"]] == [1, 20]
    for size in result["sizes"]:
        assert size["disagreements"] == 0
        assert set(size["paths"]) == {"engine", "oracle", "bare"}
        for path in size["paths"].values():
            assert path["facts_per_s"] > 0 and path["cells_per_s"] > 0 and path["peak_rss_mb"] > 0
        assert size["vs_oracle"]["oracle"]["facts_per_s"] == 1.0
        engine, oracle = size["paths"]["engine"], size["paths"]["oracle"]
        assert engine["findings_hash"] == oracle["findings_hash"]
    pool = result["pool"]
    assert pool["cells"] == 100 and pool["workers"] == 2 and pool["disagreements"] == 0
    assert pool["cross_checked_cells"] == 20  # the cells the sizes above judged in one process, compared
    chibo_runs = [run for run in result["cli"] if not run.get("baseline") and not run.get("floor")]
    assert chibo_runs and all(run["exit_code"] == 1 for run in chibo_runs)  # the example case has six gaps
    baseline = [run for run in result["cli"] if run.get("baseline")]
    assert len(baseline) == 1 and baseline[0]["exit_code"] == 0
    assert all(run["ratio_to_baseline"] > 1 for run in chibo_runs)
    assert {run["cache"] for run in chibo_runs} == {True, False}  # with and without the plan cache, one run
    rollup = result["rollup"]
    assert rollup["cells"] == 40 and rollup["same_report"]
    assert [r["jobs"] for r in rollup["runs"]] == [1, 2] and all(r["cells"] == 40 for r in rollup["runs"])
    assert rollup["load"]["cells"] == 40 and rollup["load"]["ms_per_cell"] > 0
    store = rollup["store"]  # the same roll-up with --save, then 8 quarters of it saved and viewed
    assert store["rollup_save"]["cells"] == 40 and store["save_ratio"] > 0
    assert store["cells"] == 40 and store["runs_saved"] == 320 and len(store["rss_mb_per_quarter"]) == 8
    assert store["committee_quarters"] == 8 and store["committee_view_s"] > 0
    names = {t["name"] for t in result["targets"]}
    assert {"1,000 cells on 2 cores", "engine path vs bare durable-rules", "oracle speed (reported)",
            "1,000 cells end to end, --jobs 2", "load a generated cell", "save 1,000 cells × 8 quarters (SQLite)",
            "committee's view of them"} <= names
    assert all(t["status"] in ("met", "missed", "not measured", "in range", "outside range")
               for t in result["targets"])


# ============================================================================================
# THE SPEED-UPS KEEP THE SEMANTICS (issue 6)
# ============================================================================================

# Values of every kind a fact or a rule can hold, the awkward ones included: bools beside 0/1,
# unrecorded "" / [] / None, strings beside numbers, lists.
_VALUES = st.sampled_from([0, 1, 2, 0.5, True, False, "", "a", "b", None, [], ["a"]])
_FIELDS = ["a", "b"]
_values = st.recursive(
    st.one_of(st.builds(Lit, _VALUES), st.builds(FieldRef, st.just("o"), st.sampled_from(["v", "w"])),
              st.just(Param("as_of"))),
    lambda inner: st.builds(Arith, st.sampled_from(["add", "sub", "mul"]), inner, inner), max_leaves=3)
_atoms = st.one_of(
    st.builds(Cmp, st.sampled_from(_FIELDS), st.sampled_from(["eq", "ne", "lt", "lte", "gt", "gte"]), _values),
    st.builds(Exists, st.sampled_from(_FIELDS), st.booleans()))
_conds = st.recursive(_atoms, lambda inner: st.one_of(
    st.builds(lambda xs: All(tuple(xs)), st.lists(inner, min_size=0, max_size=3)),
    st.builds(lambda xs: Any_(tuple(xs)), st.lists(inner, min_size=0, max_size=3))), max_leaves=5)
_records = st.fixed_dictionaries({}, optional={f: _VALUES for f in _FIELDS})
_others = st.fixed_dictionaries({}, optional={"v": _VALUES, "w": st.integers(0, 3)})


def _outcome(fn, *args):
    try:
        return ("value", fn(*args))
    except TypeError as exc:  # e.g. "a" - 1 in an arithmetic value: both must fail alike
        return ("error", type(exc))


@settings(max_examples=500, deadline=None)
@given(cond=_conds, fact=_records, other=_others, as_of=st.integers(0, 3))
def test_oracle_closures_decide_as_the_interpreter(cond, fact, other, as_of):
    env, params = {"o": other}, {"as_of": as_of}
    assert _outcome(compile_cond(cond), fact, env, params) == _outcome(holds, cond, fact, env, params)


def test_oracle_closures_decide_every_comparison_as_the_interpreter():
    """Exhaustive over single tests: every operator, every kind of value on either side (absent,
    unrecorded, bool, number, string, list), literal, joined, parameter or arithmetic."""
    absent = object()
    values = [absent, 0, 1, 2, 0.5, True, False, "", "a", "b", None, [], ["a"]]
    sides = ([Lit(v) for v in values if v is not absent] + [FieldRef("o", "v"), Param("as_of"),
             Arith("sub", FieldRef("o", "v"), Lit(1)), Arith("add", Param("as_of"), FieldRef("o", "v"))])
    for mine in values:
        fact = {} if mine is absent else {"a": mine}
        for theirs in values:
            env = {"o": {} if theirs is absent else {"v": theirs}}
            params = {"as_of": theirs if theirs is not absent else 1}
            for side in sides:
                for op in ("eq", "ne", "lt", "lte", "gt", "gte"):
                    cond = Cmp("a", op, side)
                    assert _outcome(compile_cond(cond), fact, env, params) == \
                        _outcome(holds, cond, fact, env, params), (cond, fact, env, params)
            for present in (True, False):
                cond = Exists("a", present)
                assert compile_cond(cond)(fact, env, params) == holds(cond, fact, env, params)


def test_direct_dispatch_records_what_durables_own_dispatch_records(gaps_case, compliant_case, prepared):
    """Engine.run drives durable's C core itself; durable's Host path, with the same compiled actions,
    must record the same matches, on a case with gaps and on a compliant one (only `done` fires
    there besides the subjects: the session state must still be deletable, trap 5). Both are given the
    facts of the kinds the plan's rules read, as run_check gives them (the ruleset holds only those)."""
    import itertools

    from chibo_rules.evaluate import engine as chibo_engine
    from chibo_rules.evaluate.compile import CHECK, DONE

    eng = chibo_engine.Engine(prepared)
    host = chibo_engine.host()
    read = {kind for p in prepared for kind in p.rule.kinds()}
    for case in (gaps_case, compliant_case):
        facts = case.facts(AS_OF, read)
        direct = eng.run(facts, {"as_of": 20201231})
        sid = f"via-host-{next(itertools.count())}-{id(case)}"
        eng.collector.take()
        host.assert_facts(eng.name, eng.wire_facts(facts, sid))
        trigger = eng.trigger({"as_of": 20201231}, sid)
        assert trigger["id"] == CHECK
        host.assert_fact(eng.name, trigger)
        hits = eng.collector.take()
        host.delete_state(eng.name, sid)
        assert sorted(eng.keys([h for h in hits if h[1] != DONE], facts)) == sorted(direct)
        assert len(direct) > 100
