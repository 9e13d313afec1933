"""The cyclic garbage collector paused around one evaluation (an engine session, an oracle rule).

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
