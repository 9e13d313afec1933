"""`python -m bench`: the engine path, the oracle and bare durable-rules on the same synthetic cells.

    python -m bench                       # N = 1, 100, 1,000, 10,000 (an hour or more), pool, CLI, scaling
    python -m bench --sizes 1,100,1000    # choose the sizes
    python -m bench --quick               # N = 1 and 100, pool on 200 cells, CLI: a smoke run of about a minute
    python -m bench --markdown bench/results/latest.json    # the README table again, from a saved result

Each (N, path) runs in a fresh interpreter (`bench.run measure`), so its peak RSS is its own; the
cells are the same in every process because they are generated from (seed, index). Engine and
oracle findings are compared cell by cell through digests; any difference is re-checked here to name
the rule, and the run exits 1. Missed targets do not change the exit code: they are results.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import report, run

DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results" / "latest.json"
FULL_SIZES = (1, 100, 1000, 10000)
FULL_SCALING = (1000, 5000, 20000, 50000)
SMALL_N = 100  # sizes up to this are measured three times (best of 3): one run is too noisy


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_ints(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="N=1,100; pool on 200 cells; 1k-fact scaling only")
    parser.add_argument("--sizes", type=parse_ints, help="cells per run, e.g. 1,100,1000 (default 1,100,1000,10000)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--pool-cells", type=int, help="cells for the 2-worker pool (default 1000; --quick 200)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rollup-cells", type=int,
                        help="cells written to disk for `chibo check DIR --jobs 1/2` (default 1000; --quick 100)")
    parser.add_argument("--pool-repeats", type=int,
                        help="pool runs, the fastest kept: the machine is shared (default 2; --quick 1)")
    parser.add_argument("--cli-repeats", type=int, help="cold CLI runs per command, taken in turn with the imports "
                        "alone; best and median (default 5; --quick 3)")
    parser.add_argument("--scaling", type=parse_ints, help="facts per cell, e.g. 1000,5000 ('' to skip)")
    parser.add_argument("--no-profile", action="store_true", help="skip the profiles of missed targets")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON result (a .md table beside it)")
    parser.add_argument("--markdown", type=Path, metavar="JSON", help="print the markdown table of a saved result")
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = [1, 100] if args.quick else list(FULL_SIZES)
    if args.pool_cells is None:
        args.pool_cells = 200 if args.quick else 1000
    if args.rollup_cells is None:
        args.rollup_cells = 100 if args.quick else 1000
    if args.pool_repeats is None:
        args.pool_repeats = 1 if args.quick else 2
    if args.cli_repeats is None:
        args.cli_repeats = 3 if args.quick else 5
    if args.scaling is None:
        args.scaling = [1000] if args.quick else list(FULL_SCALING)
    return args


# ============================================================================================
# STEPS
# ============================================================================================

def measure_size(cells: int, seed: int, repeats: int, scratch: Path) -> dict[str, Any]:
    """All three paths on cells 0..cells-1, each in its own process; the fastest of `repeats` runs."""
    paths = {}
    for path in run.PATHS:
        runs = []
        for attempt in range(repeats):
            out = scratch / f"{path}-{cells}-{attempt}.json"
            runs.append(run.run_in_subprocess(["measure", "--path", path, "--cells", str(cells),
                                               "--seed", str(seed)], out))
        best = min(runs, key=lambda r: r["seconds"])
        best["repeats"] = [r["seconds"] for r in runs]
        paths[path] = best
        log(f"  N={cells:,} {path}: {best['seconds']:.2f} s, {best['facts_per_s']:,} facts/s, "
            f"peak RSS {best['peak_rss_mb']} MB")
    return {"cells": cells, "facts": paths["engine"]["facts"], "paths": paths, "vs_oracle": report.vs_oracle(paths)}


def differing(a: list[str], b: list[str]) -> list[int]:
    return [i for i, (x, y) in enumerate(zip(a, b)) if x != y]


def findings_hash(digests: list[str]) -> str:
    """One hash of every cell's findings: two runs (or machines) with equal hashes found the same."""
    return hashlib.blake2b("".join(digests).encode(), digest_size=8).hexdigest()


def strip_digests(size: dict[str, Any]) -> None:
    for p in size["paths"].values():
        digests = p.pop("digests")
        p["findings_hash"] = findings_hash(digests) if any(digests) else None


def run_scaling(targets: list[int], seed: int, scratch: Path) -> list[dict[str, Any]]:
    out = []
    for facts in targets:
        cells = max(1, min(5, 10000 // facts))
        result = run.run_in_subprocess(["scale", "--facts", str(facts), "--cells", str(cells), "--seed", str(seed)],
                                       scratch / f"scale-{facts}.json")
        log(f"  {result['facts_per_cell']:,} facts/cell: engine {result['engine']['ms_per_cell']:,.0f} ms, "
            f"oracle {result['oracle']['ms_per_cell']:,.0f} ms, bare {result['bare']['ms_per_cell']:,.0f} ms")
        out.append(result)
    return out


def run_profiles(wanted: set[str], seed: int, scratch: Path, cells: int) -> dict[str, Any]:
    profiles = {}
    for path in sorted(wanted & {"engine", "oracle"}):
        profiles[path] = run.run_in_subprocess(["profile", "--path", path, "--cells", str(cells), "--seed", str(seed)],
                                               scratch / f"profile-{path}.json")
    if "cli" in wanted:
        profiles["cli"] = run.run_in_subprocess(["profile-cli"], scratch / "profile-cli.json")
    return profiles


def explain(result: dict[str, Any]) -> dict[str, str]:
    """One line per profiled path: the biggest self-time entries, as a pointer into the profile."""
    notes = {}
    for name, prof in result["profiles"].items():
        top = ", ".join(f"{e['function']} {e['tottime_s']:.2f} s" for e in prof["top_tottime"][:3])
        notes[name] = f"largest self time over {prof.get('cells', 1)} cell(s) ({prof['total_s']:.2f} s): {top}"
    return notes


def check_agreement(result: dict[str, Any], sizes: list[dict[str, Any]], pool: dict[str, Any] | None) -> list[int]:
    """Cell indices where engine and oracle digests differ (per size, and the pool's engine digests
    against the oracle's digests of the same cells)."""
    bad: set[int] = set()
    oracle_all: list[str] = []
    for size in sizes:
        engine, oracle = size["paths"]["engine"]["digests"], size["paths"]["oracle"]["digests"]
        size["disagreements"] = len(differing(engine, oracle))
        bad |= set(differing(engine, oracle))
        if len(oracle) > len(oracle_all):
            oracle_all = oracle
    if pool:
        pool_bad = differing(pool["digests"], oracle_all)
        pool["cross_checked_cells"] = min(len(pool["digests"]), len(oracle_all))
        pool["disagreements"] = len(pool_bad)
        bad |= set(pool_bad)
        pool.pop("digests")
    return sorted(bad)


def locate(seed: int, cells: list[int]) -> list[dict[str, Any]]:
    details = []
    for index in cells[:20]:
        found = run.locate_disagreement(seed, index)
        log(f"DISAGREEMENT: cell {index} (seed {seed}): rule(s) {', '.join(found['rules']) or '(digest only)'}")
        details.append(found)
    return details


# ============================================================================================
# MAIN
# ============================================================================================

def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    result: dict[str, Any] = {"schema": "chibo.bench/1", "created": report.now(), "mode": "quick" if args.quick
                              else "full", "seed": args.seed, "staff_per_cell": run.generate.DEFAULT_STAFF,
                              "as_of": run.generate.AS_OF.isoformat(), "machine": report.machine(),
                              "git": report.git_state(), "definitions": report.DEFINITIONS}
    with tempfile.TemporaryDirectory(prefix="chibo-bench-") as tmp:
        scratch = Path(tmp)
        sizes = []
        for cells in args.sizes:
            log(f"N={cells:,} cells")
            sizes.append(measure_size(cells, args.seed, 3 if cells <= SMALL_N and not args.quick else 1, scratch))
        pool = None
        if args.pool_cells:
            log(f"pool: {args.pool_cells:,} cells on {args.workers} workers")
            runs = []
            for _ in range(max(1, args.pool_repeats)):
                runs.append(run.pool_check(args.pool_cells, args.seed, args.workers))
                log(f"  {runs[-1]['wall_s']:.1f} s wall (load {runs[-1]['load_before']} → {runs[-1]['load_after']})")
            pool = min(runs, key=lambda r: r["wall_s"])
            pool["repeats"] = [{"wall_s": r["wall_s"], "load_before": r["load_before"], "load_after": r["load_after"]}
                               for r in runs]
        if args.rollup_cells:
            log(f"roll-up: {args.rollup_cells:,} cells on disk, chibo check --jobs 1 and 2")
            result["rollup"] = run.rollup(args.rollup_cells, args.seed, scratch)
            for r in result["rollup"]["runs"]:
                log(f"  --jobs {r['jobs']}: {r['wall_s']:.1f} s wall (load {r['load_before']} → {r['load_after']})")
            log(f"  load {result['rollup']['load']['ms_per_cell']:.1f} ms/cell")
        log("CLI")
        result["cli"] = run.cli_timing(args.cli_repeats)
        log("scaling")
        result["scaling"] = run_scaling(args.scaling, args.seed, scratch)
        bad = check_agreement(result, sizes, pool)
        if result.get("rollup") and not result["rollup"]["same_report"]:
            log("DISAGREEMENT: the roll-up with --jobs 2 differs from --jobs 1")
            bad.append(-1)
        for size in sizes:
            strip_digests(size)
        result["sizes"], result["pool"] = sizes, pool
        result["disagreements"] = len(bad)
        result["disagreement_details"] = locate(args.seed, [b for b in bad if b >= 0]) if bad else []
        result["targets"] = report.targets(result)
        wanted = set() if args.no_profile else report.missed(result)
        if wanted:
            log(f"profiling: {', '.join(sorted(wanted))}")
        result["profiles"] = run_profiles(wanted, args.seed, scratch, 2 if args.quick else 5)
        result["profile_notes"] = explain(result)
    result["runtime_s"] = round(time.perf_counter() - started, 1)
    return result


def save(result: dict[str, Any], output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    output.with_suffix(".md").write_text(report.markdown(result), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    if args.markdown:
        print(report.markdown(json.loads(args.markdown.read_text(encoding="utf-8"))), end="")
        return 0
    try:
        result = benchmark(args)
    except (RuntimeError, OSError) as exc:
        log(f"benchmark failed: {exc}")
        return 2
    save(result, args.output)
    report.print_tables(result)
    log(f"wrote {args.output} and {args.output.with_suffix('.md')}")
    return 1 if result["disagreements"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
