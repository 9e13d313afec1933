"""`--jobs N`: a roll-up judged by worker processes gives the same report, in the same order, as one
process — with a broken cell, a cell of another plan, a cell naming an unknown plan, a crashing cell and a
cell whose worker dies among good ones."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys

import pytest

from chibo_rules.jobs import parallel
from chibo_rules.jobs.plans import Plans
from chibo_rules.jobs.rollup import discover, run_rollup

from .conftest import ROOT

CASES = ROOT / "cases"


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    """Every bundled cell (two plans), a copy, a cell with a bad row and one naming a plan that does not exist."""
    root = tmp_path_factory.mktemp("jobs") / "huyen"
    for case in sorted(CASES.iterdir()):
        shutil.copytree(case, root / case.name)
    shutil.copytree(CASES / "vbn1-2020", root / "vbn1-2020-copy")
    broken = root / "vbn3-2020"
    shutil.copytree(CASES / "vbn1-2020-compliant", broken)
    people = (broken / "people.csv").read_text(encoding="utf-8").splitlines()
    people[3] = people[3].replace(",teacher,", ",giáo viênn,", 1)
    (broken / "people.csv").write_text("\n".join(people) + "\n", encoding="utf-8")
    unknown = root / "khac-2020"
    shutil.copytree(CASES / "vbn1-2020-compliant", unknown)
    cell = (unknown / "cell.yaml").read_text(encoding="utf-8")
    (unknown / "cell.yaml").write_text(re.sub(r"plan: .*", "plan: khong-co-2020", cell), encoding="utf-8")
    (root / "xa-hong.xlsx").write_bytes(b"PK\x03\x04" + b"\0" * 60)  # a workbook cut short: unreadable
    (root / "~$xa-hong.xlsx").write_bytes(b"\x0bNguyen Van A" + b" " * 40)  # Excel's lock file: skipped, noted
    return root


def _chibo(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHIBO_LANG": "vi"}
    return subprocess.run([sys.executable, "-m", "chibo_rules", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


@pytest.mark.parametrize("args", [
    ["check", "--format", "json"], ["check", "--format", "markdown", "--full"], ["check", "--format", "json", "--full"],
    ["audit", "--quarter", "2020-Q3", "--format", "json"],
], ids=["check-json", "check-markdown-full", "check-json-full", "audit-json"])
def test_jobs_2_gives_the_report_of_jobs_1(commune, args, tmp_path):
    outputs = []
    for jobs in ("1", "2"):
        target = tmp_path / f"out-{jobs}"
        run = _chibo(args[0], str(commune), *args[1:], "--jobs", jobs, "--as-of" if args[0] == "check" else "--lang",
                     "31/12/2020" if args[0] == "check" else "vi", "-o", str(target))
        assert run.returncode == 2, run.stderr  # the broken cell and the unknown plan are bad input
        assert "Traceback" not in run.stderr
        outputs.append(re.sub(r"\d{4}-\d\d-\d\dT[\d:.+]+", "", target.read_text(encoding="utf-8")))
    assert outputs[0] == outputs[1]
    assert outputs[0].count("vbn1-2020-copy") >= 1 and "khong-co-2020" in outputs[0]
    # the unreadable workbook is its own row, the lock file beside it one note
    assert ('"unreadable": true' if "json" in args else "Không đọc được") in outputs[0]
    assert "~$xa-hong.xlsx" in outputs[0]


def test_results_come_back_in_the_order_given_whatever_finishes_first(commune):
    paths = discover([commune])
    seen: list = []
    cells = parallel.judge_all(paths, Plans(), "check", dt.date(2020, 12, 31), "engine", None, False, 2, seen.append)
    assert [c.path for c in cells] == paths
    assert sorted(seen) == sorted(paths)  # progress once per cell
    by_name = {c.path.name: c for c in cells}
    assert by_name["vbn1-2020"].judged.counts()["gap"] == 6
    serial = run_rollup(paths, Plans(), "check", dt.date(2020, 12, 31)).cells
    assert {c.path.name: (c.status, c.judged and c.judged.counts()) for c in serial} == {
        c.path.name: (c.status, c.judged and c.judged.counts()) for c in cells}
    assert by_name["vbn1-2020-copy"].judged.case.records == {}  # slim: no cell's records held
    # the parent's own rule objects, not copies: the report reads them as for a cell judged here
    plans = Plans()
    cells = parallel.judge_all(paths[:2], plans, "check", dt.date(2020, 12, 31), "engine", None, True, 2)
    loaded = {id(p) for plan in plans.loaded().values() for p in plan.prepared}
    assert all(id(p) in loaded for c in cells if c.judged for p, _ in c.judged.results)
    assert any(c.judged.case.records for c in cells if c.judged)  # --full keeps them


def _dies_on_boom(task):
    if task[2].name == "boom":
        os._exit(1)  # as a segfault in durable-rules' C core would
    if task[2].name == "bug":
        raise RuntimeError("a bug met on this cell")
    return parallel._judge(task)


def test_a_cell_that_kills_its_worker_or_crashes_is_its_own_failure(commune, tmp_path, monkeypatch):
    monkeypatch.setenv("CHIBO_LOG_DIR", str(tmp_path))
    root = tmp_path / "cells"
    for name in ("a", "boom", "bug", "c"):
        shutil.copytree(CASES / "vbn1-2020-compliant", root / name)
    paths = discover([root])
    cells = parallel.judge_all(paths, Plans(), "check", dt.date(2020, 12, 31), "engine", None, False, 2,
                               judge=_dies_on_boom)
    assert [(c.path.name, c.crashed, c.status) for c in cells] == [
        ("a", False, "ok"), ("boom", True, "error"), ("bug", True, "error"), ("c", False, "ok")]
    assert len(list(tmp_path.glob("chibo-crash-*.log"))) == 2


def _judge_if_collecting_rarely(task):
    """What a worker runs per cell, refusing to judge when its collector runs at the default thresholds."""
    import gc

    if gc.get_threshold() != (100_000, 50, 100):
        raise RuntimeError(f"the worker's collector runs at {gc.get_threshold()}")
    return parallel._judge(task)


def test_workers_run_the_collector_as_rarely_as_the_command(commune, tmp_path, monkeypatch):
    """A worker loads a cell at a time (~100,000 objects, freed by reference counts): its collector runs every
    100,000 new objects, as the command's does (gcpause.fewer_collections), not every 700."""
    monkeypatch.setenv("CHIBO_LOG_DIR", str(tmp_path))  # where a refusing worker's crash would be logged
    paths = [p for p in discover([commune]) if p.name in ("vbn1-2020", "vbn1-2020-compliant")]
    cells = parallel.judge_all(paths, Plans(), "check", dt.date(2020, 12, 31), "engine", None, False, 2,
                               judge=_judge_if_collecting_rarely)
    assert [c.status for c in cells] == ["gaps", "ok"], [(c.problems, c.crashed) for c in cells]


def test_auto_jobs_start_workers_only_for_a_large_roll_up(commune, monkeypatch):
    calls = []
    monkeypatch.setattr(parallel, "judge_all", lambda *a, **k: calls.append(a) or [])
    run_rollup(discover([commune])[:2], Plans(), "check", dt.date(2020, 12, 31), jobs=1)
    assert calls == []
    run_rollup(discover([commune])[:2], Plans(), "check", dt.date(2020, 12, 31), jobs=2)
    assert len(calls) == 1
    assert parallel.cores() >= 1


def test_workers_started_by_spawn_give_the_same_results(commune, monkeypatch):
    """Windows and macOS start workers by "spawn" (a fresh interpreter that imports chibo and loads the plans
    itself): the results must come back as with Linux's fork server."""
    import multiprocessing

    paths = discover([commune])[:3]
    here = run_rollup(paths, Plans(), "check", dt.date(2020, 12, 31)).cells
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("spawn"))
    spawned = parallel.judge_all(paths, Plans(), "check", dt.date(2020, 12, 31), "engine", None, False, 2)
    assert [(c.path, c.status, c.judged and c.judged.counts()) for c in spawned] == [
        (c.path, c.status, c.judged and c.judged.counts()) for c in sorted(here, key=lambda c: paths.index(c.path))]


def test_a_slim_audit_cell_holds_no_records_in_either_quarter(commune):
    """An audit cell carries two reports (this quarter's and the previous one's), both over the case: slimming
    must empty both, or every cell's records travel back from its worker and stay in memory."""
    paths = [p for p in discover([commune]) if p.name == "vbn1-2020"]
    cell, = run_rollup(paths, Plans(), "audit", dt.date(2020, 9, 30)).cells
    assert cell.audit is not None and cell.audit.previous is not None
    for report in (cell.audit.report, cell.audit.previous):
        assert report.case.records == {} and report.lookup == {}
    full = run_rollup(paths, Plans(), "audit", dt.date(2020, 9, 30), full=True).cells[0]
    assert cell.judged.counts() == full.judged.counts() and full.judged.case.records
