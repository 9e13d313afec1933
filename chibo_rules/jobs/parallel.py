"""A roll-up's cells judged in worker processes (`--jobs N`), one durable-rules host per worker.

A cell's result holds objects of its plan (the rules as prepared, the schema, the fact models that
pydantic built for that plan at run time and cannot be imported by name). They travel by reference: the
worker writes "rule 12 of plan folder X" and the parent, which loads the same plan folders, reads back
its own objects (`_Pickler`/`_Unpickler`). So results are small, the parent's report sees the same rule
objects whichever process judged a cell, and nothing of a plan is pickled by value.

Workers start from a fresh interpreter (forkserver on Linux, spawn elsewhere), never a fork of a parent
that may already run a progress thread. A worker that dies (durable-rules' C core can segfault) breaks the
pool: each cell it left unfinished is judged again alone, and a cell that kills its own worker too is
reported as crashed — the other cells are still judged.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing
import os
import pickle
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..gcpause import fewer_collections
from .cell import CellResult, check_one
from .plans import LoadedPlan, Plans

Task = tuple[str, str, Path, str, "dt.date | None", str, "list[str] | None", bool, tuple[str, ...]]

_PLANS: Plans | None = None  # the worker's plans, loaded on first use
# without --jobs, a roll-up of fewer cells is judged in this process: starting a worker (a fresh Python
# importing chibo and durable-rules) costs about what judging a few cells does
AUTO_JOBS_FROM = 8


def cores() -> int:
    """The cores this process may use (a container's CPU set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _references(plans: Plans) -> dict[int, tuple[str, ...]]:
    """Every plan object a result may hold, by identity -> its reference (plan folder, what, which)."""
    refs: dict[int, tuple[str, ...]] = {}
    for folder, loaded in plans.loaded().items():
        key = str(folder)
        ruleset = loaded.ruleset
        refs[id(ruleset)] = ("ruleset", key)
        refs[id(ruleset.schema)] = ("schema", key)
        refs[id(ruleset.schema.cell_model)] = ("cell_model", key)
        for kind, model in ruleset.schema.models.items():
            refs[id(model)] = ("model", key, kind)
        for n, p in enumerate(loaded.prepared):
            refs[id(p)] = ("prepared", key, str(n))
    return refs


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, refs: dict[int, tuple[str, ...]]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.refs = refs

    def persistent_id(self, obj: Any) -> tuple[str, ...] | None:  # noqa: D102 - pickle's hook
        return self.refs.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, plans: Plans):
        super().__init__(file)
        self.plans = plans

    def persistent_load(self, ref: Any) -> Any:  # noqa: D102 - pickle's hook
        what, key, *rest = ref
        loaded: LoadedPlan = self.plans.load(Path(key))
        if what == "ruleset":
            return loaded.ruleset
        if what == "schema":
            return loaded.ruleset.schema
        if what == "cell_model":
            return loaded.ruleset.schema.cell_model
        if what == "model":
            return loaded.ruleset.schema.models[rest[0]]
        if what == "prepared":
            return loaded.prepared[int(rest[0])]
        raise pickle.UnpicklingError(f"unknown reference {ref!r}")


def dumps(result: Any, plans: Plans) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, _references(plans)).dump(result)
    return buffer.getvalue()


def loads(data: bytes, plans: Plans) -> Any:
    return _Unpickler(io.BytesIO(data), plans).load()


def _judge(task: Task) -> bytes:
    """In a worker: judge one cell and return its result, pickled by reference to its plan."""
    global _PLANS
    override, root, path, command, as_of, evaluator, only, full, search = task
    if _PLANS is None:
        _PLANS = Plans(Path(override) if override else None, Path(root) if root else None, tuple(map(Path, search)))
    result = check_one(path, _PLANS, command, as_of, evaluator, only)  # type: ignore[arg-type]
    if not full:
        result.slim()
    return dumps(result, _PLANS)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def judge_all(
    paths: list[Path], plans: Plans, command: str, as_of: dt.date | None, evaluator: str, only: list[str] | None,
    full: bool, jobs: int, progress: Callable[[Path], None] | None = None, judge: Callable[[Task], bytes] = _judge,
) -> list[Any]:
    """Each cell's CellResult, in the order of `paths`, judged by `jobs` worker processes (`judge`: what a
    worker runs per cell, replaced only by tests)."""
    override = str(plans.override.resolve()) if plans.override is not None else ""
    root = str(plans.root.resolve()) if plans.root is not None else ""
    search = tuple(str(p.resolve()) for p in plans.search)
    tasks: list[Task] = [(override, root, p, command, as_of, evaluator, only, full, search) for p in paths]
    results: list[Any] = [None] * len(paths)
    retry = _run_pool(judge, tasks, plans, min(jobs, len(tasks)), results, progress)
    for n in retry:  # left unfinished by a worker that died: each alone, so a crash is its own cell's
        _run_pool(judge, [tasks[n]], plans, 1, results, progress, offset=n, last_chance=True)
    return results


def _run_pool(judge: Callable[[Task], bytes], tasks: list[Task], plans: Plans, workers: int, results: list[Any],
              progress: Callable[[Path], None] | None, offset: int = 0, last_chance: bool = False) -> list[int]:
    """Run tasks in a pool, filling `results`; the indexes a dead worker left unfinished."""
    unfinished: list[int] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_parent_decides) as pool:
        futures: dict[Future[bytes], int] = {pool.submit(judge, task): offset + n for n, task in enumerate(tasks)}
        try:
            _collect(futures, tasks, plans, results, progress, offset, last_chance, unfinished)
        except BaseException:  # a Ctrl-C: the cells not started are dropped, not judged before stopping
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return sorted(unfinished)


def _parent_decides() -> None:
    """In a worker: a Ctrl-C (sent by the terminal to every process) is the parent's to answer — one sentence,
    exit 130 — not each worker's traceback. And the collector runs as rarely as in the command (gcpause.py)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fewer_collections()


def _collect(futures: dict[Future[bytes], int], tasks: list[Task], plans: Plans, results: list[Any],
             progress: Callable[[Path], None] | None, offset: int, last_chance: bool, unfinished: list[int]) -> None:
    """Each finished cell's result into `results`; a dead worker's cells into `unfinished`."""
    for future in as_completed(futures):
        n = futures[future]
        path = tasks[n - offset][2]
        try:
            results[n] = loads(future.result(), plans)
        except BrokenProcessPool:
            if not last_chance:
                unfinished.append(n)
                continue
            results[n] = _crashed(path, RuntimeError("the worker process judging this cell died"))
        except Exception as exc:  # noqa: BLE001 - a bug met on this cell: its own failure, the others go on
            results[n] = _crashed(path, exc)
        if progress is not None:
            progress(path)


def _crashed(path: Path, exc: BaseException) -> Any:
    """The result of a cell chibo failed on outside check_one (its worker died judging it alone, or its
    result could not be sent back): a crash with its log file, as check_one reports one."""
    from ..crash import write_log

    log = write_log(exc, f"roll-up {path}")
    return CellResult(path, problems=[Problem(path.name, None, None, "crash", str(log or ""))], crashed=True)

