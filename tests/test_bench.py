"""The benchmark (bench/): its synthetic cells are deterministic, realistic and carry gaps the rules
find; written as case folders they load back to the same findings; `python -m bench --quick` runs,
finds the engine and the oracle in agreement on every cell and writes the expected JSON."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import pytest

from bench import generate
from chibo_rules.case import load_case
from chibo_rules.check import run_check

from .conftest import ROOT

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


@pytest.fixture(scope="module")
def quick_result(tmp_path_factory):
    output = tmp_path_factory.mktemp("bench") / "quick.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--output", str(output)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(output.read_text(encoding="utf-8"))


def test_quick_benchmark_agrees_and_reports(quick_result):
    result = quick_result
    assert result["disagreements"] == 0 and result["disagreement_details"] == []
    for key in ("schema", "machine", "git", "sizes", "pool", "cli", "scaling", "targets", "profiles", "runtime_s"):
        assert key in result, key
    assert {"platform", "python", "cpu_count", "cpu_model"} <= set(result["machine"])
    assert [s["cells"] for s in result["sizes"]] == [1, 100]
    for size in result["sizes"]:
        assert size["disagreements"] == 0
        assert set(size["paths"]) == {"engine", "oracle", "bare"}
        for path in size["paths"].values():
            assert path["facts_per_s"] > 0 and path["cells_per_s"] > 0 and path["peak_rss_mb"] > 0
        assert size["vs_oracle"]["oracle"]["facts_per_s"] == 1.0
        engine, oracle = size["paths"]["engine"], size["paths"]["oracle"]
        assert engine["findings_hash"] == oracle["findings_hash"]
    pool = result["pool"]
    assert pool["cells"] == 200 and pool["workers"] == 2 and pool["disagreements"] == 0
    assert pool["cross_checked_cells"] == 100
    assert all(run["exit_code"] == 1 for run in result["cli"])  # the example case has six gaps
    names = {t["name"] for t in result["targets"]}
    assert {"1,000 cells on 2 cores", "engine path vs bare durable-rules", "oracle speed (reported)"} <= names
    assert all(t["status"] in ("met", "missed", "not measured", "in range", "outside range")
               for t in result["targets"])
