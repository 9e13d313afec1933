"""Measurements, each meant to run in a fresh process so its peak RSS belongs to it alone.

    python -m bench.run measure --path engine --cells 1000 --seed 2020 --out result.json
    python -m bench.run scale --facts 20000 --seed 2020 --out result.json
    python -m bench.run profile --path engine --cells 5 --seed 2020 --out result.json

`measure` checks cells 0..N-1 of a seed with one path — the engine path (`run_check(...,
evaluator="engine")`), the oracle path (`evaluator="oracle"`) or bare durable-rules (holding rules,
trigger, done rule; assert + trigger + delete per cell) — and writes timings, peak RSS and one digest of
the findings per cell. The parent compares engine and oracle digests cell by cell, so the findings of
10,000 cells never travel between processes. Cell generation is timed apart from checking.

The pool (`pool_check`) runs in the parent: 2 spawned workers, each building its Engine once in an
initializer, cells generated inside the workers from (seed, index) so nothing big is pickled.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import functools
import hashlib
import io
import json
import os
import pstats
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from . import generate

ROOT = Path(__file__).resolve().parent.parent
RULES = generate.PLAN_DIR  # the plan whose schema shapes the cells judges them
PATHS = ("engine", "oracle", "bare")
CLI_CASE = "cases/vbn1-2020"


# ============================================================================================
# MEMORY AND SMALL HELPERS
# ============================================================================================

def status_kb(field: str) -> int | None:
    """A field of /proc/self/status in kB (VmHWM = peak RSS, VmRSS = current RSS); None off Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def peak_rss_mb() -> float:
    """Peak resident set size of this process (psutil is not installed: /proc, else getrusage)."""
    kb = status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / 1024, 1)


def rss_mb() -> float:
    kb = status_kb("VmRSS")
    return round(kb / 1024, 1) if kb else peak_rss_mb()


def digest(report: Any) -> str:
    """The findings of one cell as a short hash: equal findings, equal digests, across processes."""
    comparable = [(p.id, f.comparable()) for p, f in report.results]
    return hashlib.blake2b(repr(comparable).encode(), digest_size=8).hexdigest()


def load_prepared(rules_dir: Path = RULES) -> tuple[Any, list[Any]]:
    from chibo_rules.ruleset.prepare import prepare
    from chibo_rules.ruleset.rulespec import load_rules

    ruleset = load_rules(rules_dir)
    return ruleset, prepare(ruleset)


@contextlib.contextmanager
def timed(owner: Any, names: tuple[str, ...], total: list[float]) -> Iterator[None]:
    """Add the time spent in methods of `owner` to total[0] while the block runs.

    Instrumentation only (the package's files are untouched): it splits a path's time into the
    evaluator itself (Engine.run, or the Oracle) and the pipeline around it (triage, facts, judging).
    """
    originals = {name: getattr(owner, name) for name in names}

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                total[0] += time.perf_counter() - start

        return inner

    for name, fn in originals.items():
        setattr(owner, name, wrap(fn))
    try:
        yield
    finally:
        for name, fn in originals.items():
            setattr(owner, name, fn)


CORE_FUNCTIONS = ("assert_facts", "assert_fact", "start_action_for_state", "complete_and_start_action",
                  "update_state", "abandon_action", "delete_state")


@contextlib.contextmanager
def core_timed(total: list[float]) -> Iterator[None]:
    """Add the time spent inside durable-rules' C extension (its calls from chibo's adapter and from
    durable's own Python layer alike) to total[0]: the engine's own work, whatever drives it."""
    import durable_rules_engine as core

    originals = {name: getattr(core, name) for name in CORE_FUNCTIONS if hasattr(core, name)}

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def inner(*args: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args)
            finally:
                total[0] += time.perf_counter() - start

        return inner

    for name, fn in originals.items():
        setattr(core, name, wrap(fn))
    try:
        yield
    finally:
        for name, fn in originals.items():
            setattr(core, name, fn)


# ============================================================================================
# BARE DURABLE-RULES: what the engine costs with no rule doing any work
# ============================================================================================

class Bare:
    """durable-rules' own floor on the same facts: one holding rule per fact type (trap 4), the `check`
    trigger fact, an always-firing `done` rule (trap 5), state deleted per cell. It shares chibo's Host
    (`chibo_rules.evaluate.engine.host()`: no background dispatch thread, trap 8); actions take exactly one
    parameter, since durable-rules treats a two-parameter action as asynchronous (trap 9)."""

    NAME = "bench_bare"

    def __init__(self, kinds: list[str]) -> None:
        """`kinds`: the plan's kinds of facts (its schema), one holding rule each."""
        from chibo_rules.evaluate.engine import host

        self.done = 0
        self.sessions = 0
        rules: dict[str, Any] = {
            f"hold.{kind}": {"all": [{"h": {"t": kind}}, {"never": {"t": "__never__"}}], "run": self._never}
            for kind in kinds
        }
        rules["done"] = {"all": [{"chk": {"t": "check"}}], "run": self._done}
        self.host = host()
        self.host.set_rulesets({self.NAME: rules})

    @staticmethod
    def _never(c: Any) -> None:
        """Never runs: the second pattern matches no fact."""

    def _done(self, c: Any) -> None:
        self.done += 1

    def batch(self, facts: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
        """Engine ids and session, added outside the timed part: the floor is durable's own work."""
        self.sessions += 1
        sid = f"b{self.sessions}"
        return sid, [{**fact, "id": f"f{n}", "sid": sid} for n, fact in enumerate(facts)]

    def run(self, sid: str, batch: list[dict[str, Any]], as_of: int) -> None:
        before = self.done
        if batch:
            self.host.assert_facts(self.NAME, batch)
        self.host.assert_fact(self.NAME, {"t": "check", "as_of": as_of, "id": "chk", "sid": sid})
        self.host.delete_state(self.NAME, sid)
        if self.done != before + 1:
            raise RuntimeError(f"bare session {sid}: the done rule fired {self.done - before} times")


# ============================================================================================
# ONE PATH OVER N CELLS (runs in its own process)
# ============================================================================================

class PathRunner:
    """Checks one cell with one path and returns (seconds, evaluator seconds, digest, status counts)."""

    def __init__(self, path: str):
        from chibo_rules.ruleset.conditions import date_number

        start = time.perf_counter()
        self.path = path
        self.ruleset, self.prepared = load_prepared()
        self.as_of_number = date_number(generate.AS_OF)
        if path == "engine":
            from chibo_rules.evaluate.engine import Engine

            Engine(self.prepared)  # compile and register once, as every later Engine(prepared) reuses it
        elif path == "bare":
            self.bare = Bare(list(self.ruleset.schema.models))
        self.setup_s = time.perf_counter() - start

    def check(self, case: Any, instrument: bool = True) -> tuple[float, float, float, str, dict[str, int]]:
        """Check one cell: (seconds, evaluator seconds, seconds inside durable's C core, digest,
        status counts). `instrument` times the evaluator and the C core apart (off when profiling)."""
        in_core = [0.0]
        if self.path == "bare":
            sid, batch = self.bare.batch(case.facts(generate.AS_OF))
            with core_timed(in_core) if instrument else contextlib.nullcontext():
                start = time.perf_counter()
                self.bare.run(sid, batch, self.as_of_number)
                seconds = time.perf_counter() - start
            return seconds, seconds, in_core[0], "", {}
        from chibo_rules.evaluate import engine, oracle
        from chibo_rules.jobs.check import run_check

        evaluator = [0.0]
        owner, names = (engine.Engine, ("run",)) if self.path == "engine" else (oracle.Oracle, ("__init__", "evaluate"))
        with contextlib.ExitStack() as stack:
            if instrument:
                stack.enter_context(timed(owner, names, evaluator))
                if self.path == "engine":
                    stack.enter_context(core_timed(in_core))
            start = time.perf_counter()
            report = run_check(case, self.ruleset, self.prepared, generate.AS_OF, self.path)  # type: ignore[arg-type]
            seconds = time.perf_counter() - start
        return seconds, evaluator[0], in_core[0], digest(report), report.counts()


def measure(path: str, cells: int, seed: int, staff: int = generate.DEFAULT_STAFF) -> dict[str, Any]:
    """Generate and check cells 0..cells-1 one at a time; nothing but digests outlives a cell."""
    runner = PathRunner(path)
    gen_s = check_s = core_s = c_core_s = 0.0
    facts = 0
    digests: list[str] = []
    counts: Counter[str] = Counter()
    gapped = 0
    rss_first = None
    worst = 0.0
    for index in range(cells):
        start = time.perf_counter()
        case = generate.generate_cell(seed, index, staff)
        gen_s += time.perf_counter() - start
        facts += generate.fact_count(case)
        seconds, core, in_c, cell_digest, cell_counts = runner.check(case)
        check_s, core_s, c_core_s, worst = check_s + seconds, core_s + core, c_core_s + in_c, max(worst, seconds)
        digests.append(cell_digest)
        counts.update(cell_counts)
        gapped += bool(cell_counts.get("gap"))
        del case
        if index == 0:
            rss_first = rss_mb()
        if (index + 1) % 1000 == 0:
            print(f"    {path}: {index + 1:,}/{cells:,} cells, {check_s:.0f} s", file=sys.stderr, flush=True)
    return {
        "path": path, "cells": cells, "seed": seed, "staff": staff, "facts": facts,
        "setup_s": round(runner.setup_s, 4), "generate_s": round(gen_s, 4), "seconds": round(check_s, 4),
        "evaluator_s": round(core_s, 4), "pipeline_s": round(check_s - core_s, 4) if path != "bare" else 0.0,
        "durable_core_s": round(c_core_s, 4) if path != "oracle" else None,
        "facts_per_s": round(facts / check_s) if check_s else None,
        "cells_per_s": round(cells / check_s, 2) if check_s else None,
        "ms_per_cell": round(1000 * check_s / cells, 2), "worst_cell_ms": round(1000 * worst, 2),
        "peak_rss_mb": peak_rss_mb(), "rss_after_first_cell_mb": rss_first, "rss_end_mb": rss_mb(),
        "statuses": dict(counts), "cells_with_gaps": gapped if path != "bare" else None,
        "digests": digests,
    }


def scale(target_facts: int, seed: int, cells: int) -> dict[str, Any]:
    """Time per cell against facts per cell: one roster size, all three paths on the same cells."""
    staff = generate.staff_for_facts(target_facts, seed)
    runners = {path: PathRunner(path) for path in PATHS}
    totals = dict.fromkeys(PATHS, 0.0)
    facts = 0
    agree = True
    for index in range(cells):
        case = generate.generate_cell(seed, index, staff)
        facts += generate.fact_count(case)
        digests = {}
        for path, runner in runners.items():
            seconds, _, _, digests[path], _ = runner.check(case)
            totals[path] += seconds
        agree = agree and digests["engine"] == digests["oracle"]
    out: dict[str, Any] = {"target_facts": target_facts, "staff": staff, "cells": cells,
                           "facts_per_cell": round(facts / cells), "engine_oracle_agree": agree,
                           "peak_rss_mb": peak_rss_mb()}
    for path, seconds in totals.items():
        out[path] = {"ms_per_cell": round(1000 * seconds / cells, 2),
                     "us_per_fact": round(1e6 * seconds / facts, 2), "facts_per_s": round(facts / seconds)}
    return out


# ============================================================================================
# PROFILES
# ============================================================================================

def _short(filename: str) -> str:
    """Paths relative to the project, site-packages or the standard library: readable in a table."""
    filename = filename.replace(str(ROOT) + "/", "")
    return re.sub(r"^.*/(site-packages|lib/python\d+\.\d+)/", "", filename)


def top_entries(stats: pstats.Stats, key: str, count: int) -> list[dict[str, Any]]:
    """The first `count` rows of a pstats listing as data (file:line(function), calls, times)."""
    stats.sort_stats(key)
    rows = []
    for func in stats.fcn_list[:count]:  # type: ignore[attr-defined]
        cc, nc, tt, ct, _ = stats.stats[func]  # type: ignore[attr-defined]
        filename, line, name = func
        rows.append({"function": f"{_short(filename)}:{line}({name})", "ncalls": nc if nc == cc else f"{nc}/{cc}",
                     "tottime_s": round(tt, 4), "cumtime_s": round(ct, 4)})
    return rows


def profile_path(path: str, cells: int, seed: int) -> dict[str, Any]:
    """cProfile over a few cells of one path, after one warm-up cell (registration is not the question)."""
    runner = PathRunner(path)
    cases = [generate.generate_cell(seed, index) for index in range(cells + 1)]
    runner.check(cases[0], instrument=False)
    profiler = cProfile.Profile()
    profiler.enable()
    for case in cases[1:]:
        runner.check(case, instrument=False)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    return {"path": path, "cells": cells, "total_s": round(stats.total_tt, 4),  # type: ignore[attr-defined]
            "top_cumulative": top_entries(stats, "cumulative", 15), "top_tottime": top_entries(stats, "tottime", 10)}


def profile_cli(out: Path) -> dict[str, Any]:
    """cProfile of one cold CLI run, imports included: where the second goes before the first fact."""
    prof = out.with_suffix(".prof")
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "chibo_rules", "check", CLI_CASE]
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
    stats = pstats.Stats(str(prof), stream=io.StringIO())
    prof.unlink(missing_ok=True)
    return {"path": "cli", "total_s": round(stats.total_tt, 4),  # type: ignore[attr-defined]
            "top_cumulative": top_entries(stats, "cumulative", 15), "top_tottime": top_entries(stats, "tottime", 10)}


# ============================================================================================
# THE POOL (parent side) AND THE CLI
# ============================================================================================

_WORKER: dict[str, Any] = {}


def _init_worker(seed: int, staff: int) -> None:
    """Once per worker: rules loaded, prepared, compiled and registered with this process's Host."""
    _WORKER["runner"] = PathRunner("engine")
    _WORKER["seed"], _WORKER["staff"] = seed, staff


def _check_in_worker(index: int) -> tuple[int, str, int, float, float, bool]:
    start = time.perf_counter()
    case = generate.generate_cell(_WORKER["seed"], index, _WORKER["staff"])
    gen_s = time.perf_counter() - start
    seconds, _, _, cell_digest, counts = _WORKER["runner"].check(case)
    return index, cell_digest, generate.fact_count(case), gen_s, seconds, bool(counts.get("gap"))


def pool_check(cells: int, seed: int, workers: int = 2, staff: int = generate.DEFAULT_STAFF) -> dict[str, Any]:
    """Check cells 0..cells-1 with the engine path on `workers` spawned processes; wall time includes
    starting the workers and building their engines, and generating the cells inside them."""
    load_before = load_average()
    start = time.perf_counter()
    context = get_context("spawn")  # a fresh interpreter: no durable-rules state inherited by fork
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(seed, staff)) as pool:
        results = list(pool.map(_check_in_worker, range(cells), chunksize=max(1, cells // (workers * 20))))
    wall = time.perf_counter() - start
    facts = sum(r[2] for r in results)
    gen_s, check_s = sum(r[3] for r in results), sum(r[4] for r in results)
    startup = max(0.0, wall - (gen_s + check_s) / workers)  # spawning, imports, engines built
    return {
        "cells": cells, "workers": workers, "wall_s": round(wall, 3), "facts": facts,
        "cells_per_s": round(cells / wall, 2), "facts_per_s": round(facts / wall),
        "generate_s_total": round(gen_s, 3), "check_s_total": round(check_s, 3), "startup_s": round(startup, 3),
        "projected_1000_cells_s": round(startup + (wall - startup) * 1000 / cells, 1),
        # the same, had the cells been ready (loaded or generated beforehand): workers' checking only
        "check_only_1000_cells_s": round(startup + check_s / workers * 1000 / cells, 1),
        "cells_with_gaps": sum(r[5] for r in results),
        "load_before": load_before, "load_after": load_average(),
        "digests": [r[1] for r in sorted(results)],
    }


def find_chibo_script() -> str | None:
    """The `chibo` console script of this interpreter's environment, else one on PATH."""
    beside = Path(sys.executable).with_name("chibo")
    if beside.exists():
        return str(beside)
    import shutil

    return shutil.which("chibo")


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """One cold run, as a user's machine makes it: its modules' bytecode written once and read after (pip does
    so for an install); PYTHONDONTWRITEBYTECODE, set on some CI machines, would have every run compile chibo's
    command-line modules again and weigh on chibo alone, not on the imports it is compared with."""
    start = time.perf_counter()
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False, env={**base, **env})
    return time.perf_counter() - start, done.returncode


def time_side_by_side(commands: list[tuple[str, list[str], dict[str, str]]], repeats: int) -> list[dict[str, Any]]:
    """Cold runs of several commands taken in turn (one of each, `repeats` times), so that a machine whose
    load changes during the run weighs on each alike: best and median of each, and its runs."""
    times: list[list[float]] = [[] for _ in commands]
    codes: list[int | None] = [None for _ in commands]
    load_before = load_average()
    for _ in range(repeats):
        for i, (_label, cmd, env) in enumerate(commands):
            seconds, codes[i] = _timed(cmd, env)
            times[i].append(seconds)
    load_after = load_average()
    out = []
    for (label, cmd, _env), runs, code in zip(commands, times, codes):
        name = " ".join([Path(cmd[0]).name, *cmd[1:]]) + (f" ({label})" if label else "")
        out.append({"command": name, "best_s": round(min(runs), 3), "median_s": round(sorted(runs)[len(runs) // 2], 3),
                    "runs": [round(t, 3) for t in runs], "exit_code": code, "expected_exit_code": 1,
                    "load_before": load_before, "load_after": load_after})
    return out


BASELINE = "import pydantic, rich, typer"  # what any CLI on chibo's stack pays before its own work


def cli_timing(repeats: int) -> list[dict[str, Any]]:
    """Cold runs of `chibo check` on the example with the plan cache warm and with it off (CHIBO_CACHE=0)
    and, in the same run and in turn with them, of the stack's imports alone. The cache lives in a scratch
    folder, warmed by one untimed run."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="chibo-bench-cache-") as cache:
        cached = {"CHIBO_CACHE_DIR": cache, "CHIBO_CACHE": "1"}
        module = [sys.executable, "-m", "chibo_rules", "check", CLI_CASE]
        commands = [("", module, cached), ("CHIBO_CACHE=0", module, {"CHIBO_CACHE": "0"})]
        script = find_chibo_script()
        if script:
            commands.append(("", [script, "check", CLI_CASE], cached))
        report = str(Path(cache) / "report.json")  # the rows the floor prints, as chibo reports them
        floor_run = (FLOOR_LABEL, [sys.executable, str(FLOOR), "check", CLI_CASE], {"CHIBO_FLOOR_REPORT": report})
        commands += [floor_run, ("", [sys.executable, "-c", BASELINE], {})]
        # the plan's first load writes the cache (and the report the floor prints), the modules their bytecode
        _timed([*module, "--format", "json", "-o", report], cached)
        _timed(floor_run[1], floor_run[2])
        out = time_side_by_side(commands, repeats)
    baseline, floor = out[-1], out[-2]
    baseline.update(command=f'python -c "{BASELINE}"', expected_exit_code=0, baseline=True)
    floor.update(command=f"python bench/floor.py check {CLI_CASE} ({FLOOR_LABEL})", expected_exit_code=0, floor=True,
                 ratio_to_baseline=round(floor["best_s"] / baseline["best_s"], 2),
                 median_ratio_to_baseline=round(floor["median_s"] / baseline["median_s"], 2))
    for run_, (label, _cmd, _env) in zip(out[:-2], commands[:-2]):
        run_["cache"] = not label
        run_["ratio_to_baseline"] = round(run_["best_s"] / baseline["best_s"], 2)
        run_["median_ratio_to_baseline"] = round(run_["median_s"] / baseline["median_s"], 2)
        run_["median_ratio_to_floor"] = round(run_["median_s"] / floor["median_s"], 2)
    return out


# what chibo's libraries alone cost for a command of `chibo check`'s shape (bench/floor.py): typer parsing its
# options, durable-rules started, the report's rows printed by rich; none of chibo's own work
FLOOR = Path(__file__).with_name("floor.py")
FLOOR_LABEL = "the stack's floor"


# ============================================================================================
# ROLL-UP END TO END: generated cells on disk, `chibo check DIR --jobs N`
# ============================================================================================

_PEAK_WRAPPER = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.stderr.write('\\nVmHWM %s\\n' % next(l.split()[1] for l in "
    "open('/proc/self/status') if l.startswith('VmHWM:'))))\n"
    "from chibo_rules.cli import main\n"
    "sys.argv = ['chibo', *sys.argv[1:]]\n"
    "main()\n"
)


def write_cells(cells: int, seed: int, folder: Path, staff: int = generate.DEFAULT_STAFF) -> int:
    """Cells 0..cells-1 as case folders (cell.yaml + CSV files), as a committee would collect them."""
    facts = 0
    for index in range(cells):
        case = generate.generate_cell(seed, index, staff)
        facts += generate.fact_count(case)
        generate.write_case(case, folder / f"cell-{index:05d}")
    return facts


def load_time(folder: Path) -> dict[str, Any]:
    """ms to load (read, validate, check references) each written cell, in one process, plan loaded once."""
    from chibo_rules.jobs.plans import Plans, load_checked
    from chibo_rules.jobs.rollup import discover

    plans = Plans()
    paths = discover([folder])
    load_checked(paths[0], plans)  # the plan's schema and models built once, as a roll-up does
    start = time.perf_counter()
    for path in paths:
        load_checked(path, plans)
    seconds = time.perf_counter() - start
    return {"cells": len(paths), "ms_per_cell": round(1000 * seconds / len(paths), 2)}


def rollup_run(folder: Path, jobs: int, out: Path, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """`chibo check FOLDER --jobs N --format json -o OUT` in a new interpreter: wall time (imports, loading,
    checking, the roll-up report written) and the parent process's peak RSS. `extra`: more options (--save)."""
    load_before = load_average()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK_WRAPPER, "check", str(folder), "--jobs", str(jobs),
                           "--as-of", generate.AS_OF.strftime("%d/%m/%Y"), "--format", "json", "-o", str(out),
                           *extra], cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"chibo check --jobs {jobs} exited {done.returncode}: {done.stderr[-2000:]}")
    peak = int(done.stderr.rsplit("VmHWM", 1)[1].split()[0]) // 1024
    report = json.loads(out.read_text(encoding="utf-8"))
    return {"jobs": jobs, "wall_s": round(wall, 3), "parent_peak_rss_mb": peak, "exit_code": done.returncode,
            "cells": report["totals"]["cells"], "cells_with_gaps": report["totals"]["gaps"],
            "load_before": load_before, "load_after": load_average(),
            "digest": hashlib.sha256(json.dumps(report["cells"], sort_keys=True).encode()).hexdigest()}


def rollup(cells: int, seed: int, scratch: Path, jobs: tuple[int, ...] = (1, 2), quarters: int = 8) -> dict[str, Any]:
    """The committee's run end to end, with 1 and 2 worker processes on the same cells; the two reports
    must be identical (the run fails otherwise). Then the same roll-up with --save (the ratio to the run
    without), and `quarters` quarters of those cells saved into a store and the committee's view of them."""
    folder = scratch / f"rollup-{cells}"
    facts = write_cells(cells, seed, folder)
    runs = [rollup_run(folder, j, scratch / f"rollup-{cells}-{j}.json") for j in jobs]
    same = len({r.pop("digest") for r in runs}) == 1
    result = {"cells": cells, "facts": facts, "runs": runs, "same_report": same, "load": load_time(folder)}
    if quarters:
        result["store"] = store_bench(folder, cells, quarters, scratch, runs[-1])
    return result


def store_bench(folder: Path, cells: int, quarters: int, scratch: Path, plain: dict[str, Any]) -> dict[str, Any]:
    """The store (chibo_rules/store): the roll-up with --save into SQLite beside `plain` (the same roll-up
    without saving), then `quarters` quarters of every cell saved into a fresh store in a new interpreter
    (each quarter a new submission of the facts saved by the roll-up), and the committee's view of them."""
    store = scratch / f"store-{cells}.sqlite3"
    saved = rollup_run(folder, plain["jobs"], scratch / f"rollup-{cells}-save.json", ("--save", "--store", str(store)))
    saved.pop("digest")
    quarter_store = scratch / f"store-{cells}x{quarters}.sqlite3"
    many = run_in_subprocess(["store", "--source", str(store), "--target", str(quarter_store),
                              "--quarters", str(quarters)], scratch / "store-quarters.json")
    return {"rollup_save": saved, "rollup_plain_wall_s": plain["wall_s"],
            "save_ratio": round(saved["wall_s"] / plain["wall_s"], 2), **many}


def store_quarters(source: Path, target: Path, quarters: int) -> dict[str, Any]:
    """Every run of `source` saved again for `quarters` quarters (2019-Q1 on: the store does not read a
    plan's years) into `target`, as `--save` saves a roll-up (save_many: whole runs, 50 per transaction);
    then the committee's view (best of 3) and a cell's history. RSS is sampled after each quarter: it should
    stay flat."""
    from chibo_rules.store.db import open_store
    from chibo_rules.store.queries import cell_history, committee_view
    from chibo_rules.store.save import save_many
    from chibo_rules.store.transfer import records

    with_source = open_store(str(source))
    base = list(records(with_source))
    with_source.close()
    store = open_store(str(target))
    rss, start = [], time.perf_counter()
    for n in range(quarters):
        year, q = 2019 + n // 4, n % 4 + 1
        end = dt.date(year, q * 3, 1) + dt.timedelta(days=31)
        end = end.replace(day=1) - dt.timedelta(days=1)

        def quarter(n: int = n, year: int = year, q: int = q, end: dt.date = end) -> Iterator[dict[str, Any]]:
            for record in base:
                sub = {**record["submission"],
                       "hash": hashlib.sha256(f"{record['submission']['hash']}{n}".encode()).hexdigest()}
                yield {**record, "submission": sub, "run": {**record["run"], "as_of": end.isoformat(),
                                                           "quarter": f"{year}-Q{q}"}}

        save_many(store, quarter())  # as `--save` saves a roll-up
        rss.append(round(rss_mb(), 1))
    save_s = time.perf_counter() - start
    committee = base[0]["cell"]["committee"] if base else ""
    views = []
    for _ in range(3):
        began = time.perf_counter()
        view = committee_view(store, committee)
        views.append(time.perf_counter() - began)
    began = time.perf_counter()
    cell_history(store, base[0]["cell"]["name"]) if base else None
    history_s = time.perf_counter() - began
    store.close()
    return {"cells": len(base), "quarters": quarters, "runs_saved": len(base) * quarters,
            "save_s": round(save_s, 2), "ms_per_run": round(1000 * save_s / max(1, len(base) * quarters), 2),
            "rss_mb_per_quarter": rss, "committee_view_s": round(min(views), 3),
            "committee_quarters": len(view.quarters), "committee_behind": len(view.behind),
            "cell_history_s": round(history_s, 3), "store_mb": round(target.stat().st_size / 2**20, 1)}


# ============================================================================================
# DISAGREEMENTS: which rule, found again in this process
# ============================================================================================

def locate_disagreement(seed: int, index: int, staff: int = generate.DEFAULT_STAFF) -> dict[str, Any]:
    """Re-check one cell with both evaluators and name every rule whose findings differ."""
    from chibo_rules.jobs.check import run_check

    ruleset, prepared = load_prepared()
    case = generate.generate_cell(seed, index, staff)
    engine = run_check(case, ruleset, prepared, generate.AS_OF, "engine")
    oracle = run_check(case, ruleset, prepared, generate.AS_OF, "oracle")
    rules = [p.id for (p, f), (_, g) in zip(engine.results, oracle.results) if f.comparable() != g.comparable()]
    return {"seed": seed, "index": index, "rules": rules}


# ============================================================================================
# SUBPROCESS ENTRY
# ============================================================================================

def run_in_subprocess(args: list[str], out: Path, timeout: float | None = None) -> dict[str, Any]:
    """`python -m bench.run ARGS --out FILE` in a fresh interpreter; its JSON result. Its stderr
    (progress, or a traceback) goes straight to ours."""
    cmd = [sys.executable, "-m", "bench.run", *args, "--out", str(out)]
    before = load_average()
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed with exit code {done.returncode} (its error is above)")
    result = json.loads(out.read_text())
    out.unlink()
    result["load_before"], result["load_after"] = before, load_average()
    return result


def load_average() -> list[float] | None:
    """1-, 5- and 15-minute load averages: on a shared machine, what else was running."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument("what", choices=["measure", "scale", "profile", "profile-cli", "store"])
    parser.add_argument("--source", type=Path)
    parser.add_argument("--target", type=Path)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--path", choices=PATHS, default="engine")
    parser.add_argument("--cells", type=int, default=1)
    parser.add_argument("--facts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--staff", type=int, default=generate.DEFAULT_STAFF)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.what == "measure":
        result = measure(args.path, args.cells, args.seed, args.staff)
    elif args.what == "scale":
        result = scale(args.facts, args.seed, args.cells)
    elif args.what == "store":
        result = store_quarters(args.source, args.target, args.quarters)
    elif args.what == "profile":
        result = profile_path(args.path, args.cells, args.seed)
    else:
        result = profile_cli(args.out)
    result["process_wall_s"] = round(time.perf_counter() - start, 3)
    result["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    result["pid"] = os.getpid()
    args.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
