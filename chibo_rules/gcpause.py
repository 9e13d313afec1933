"""The cyclic garbage collector: paused around one evaluation (an engine session, an oracle rule), and run
rarely in a command and in a roll-up's workers (fewer_collections).

Both evaluators make tens of thousands of short-lived, acyclic containers per cell (facts, decoded
matches, envs, key tuples) that reference counts free; meanwhile the collector's passes re-scanned
every live object of the process, the case's records included — 4–10 % of the engine's time and a
quarter of the oracle's. The collector is switched back on after, so anything cyclic is still
collected, later."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


# A command lives a second, a roll-up's worker a cell at a time: the youngest generation is collected every
# 100,000 new objects, not every 700 (and the command freezes what its imports made: __main__.py). A check of the
# example made the collector run 115 times (10 of them over the older generations too) while nearly everything it
# made was freed by reference counts: a third of loading the case (measured in one process, medians of 8: loading
# 0.20 → 0.14 s, the whole check 0.84 → 0.66 s). Objects in cycles are still collected, less often (mypy's command
# does the same, at 200,000).
THRESHOLDS = (100_000, 50, 100)


def fewer_collections() -> None:
    gc.set_threshold(*THRESHOLDS)
