"""The only module that imports durable-rules (2.0.28, unmaintained since 2020).

It owns the process's single durable Host, registers a compiled ruleset once, and runs one cell per
session: assert every fact, then the `check` trigger, read what the actions collected, delete the
session's state. See docs/engine-notes.md for why each step is there.
"""

from __future__ import annotations

import hashlib
import itertools
import sys
from typing import Any

from .compile import CHECK, DONE, Collector, compile_ruleset
from .errors import EngineUnavailable
from .prepare import Prepared

_HOST: Any = None
_SESSIONS = itertools.count(1)


def _durable() -> Any:
    """Import durable-rules, turning the failure on unsupported Pythons into a clear message."""
    try:
        import durable.engine as durable_engine
    except (ImportError, OSError) as exc:  # undefined symbol PyEval_CallObject on CPython 3.13
        version = ".".join(map(str, sys.version_info[:3]))
        raise EngineUnavailable(f"Python {version}: {exc}") from None
    return durable_engine


def _quiet_host_class(durable_engine: Any) -> type:
    class QuietHost(durable_engine.Host):  # type: ignore[misc, name-defined]
        """A Host without durable-rules' background dispatch threads.

        The stock Host polls every ruleset every 0.2 s on a timer thread and runs whatever actions
        are pending there. That thread raced the synchronous `assert_fact` of the main thread: in
        measured runs it took a session's actions away (a cell came out with 32 rules "no data"),
        or completed them after the state was deleted (error 307). chibo uses no timers and no
        asynchronous actions, so every action runs inside `assert_fact`, on the caller's thread.
        """

        def _run(self) -> None:
            return None

    return QuietHost


def host() -> Any:
    """One Host per process: durable-rules keeps rulesets in process-wide state."""
    global _HOST
    if _HOST is None:
        _HOST = _quiet_host_class(_durable())()
    return _HOST


_FINGERPRINTS: dict[int, tuple[list[Prepared], str]] = {}


def _fingerprint(prepared: list[Prepared]) -> str:
    """Same prepared rules (parameters and plan dates resolved) -> same registered ruleset.
    Cached per list object (kept alive by the cache, so its id is not reused): repr() of 48 rules
    cost ~5 ms, paid on every cell."""
    cached = _FINGERPRINTS.get(id(prepared))
    if cached is None or cached[0] is not prepared:
        cached = (prepared, hashlib.sha256(repr(prepared).encode()).hexdigest()[:16])
        _FINGERPRINTS[id(prepared)] = cached
    return cached[1]


def _used_fields(prepared: list[Prepared]) -> frozenset[str]:
    """Every field name a compiled rule or an action reads: facts are sent to the engine without the
    rest (names, titles, free text), which durable-rules would otherwise encode, parse, store and
    hand back to every action that matches them."""
    found: set[str] = {"t", "key", "rule", "dim"}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                found.add(k)
                walk(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            found.add(node)

    walk({k: v["all"] for k, v in compile_ruleset(prepared, Collector()).items()})
    for p in prepared:
        refs = [p.distinct, p.sum_field] + [r for side in (p.sums or ()) for r in side]
        found |= {r.field for r in refs if r is not None}
    return frozenset(found)


class Engine:
    """A compiled ruleset bound to the process Host; `run` evaluates one cell."""

    _registered: dict[str, tuple[str, Collector]] = {}
    _fields: dict[str, frozenset[str]] = {}

    def __init__(self, prepared: list[Prepared]):
        name = f"chibo_{_fingerprint(prepared)}"
        if name not in Engine._registered:
            collector = Collector()
            host().set_rulesets({name: compile_ruleset(prepared, collector)})
            Engine._registered[name] = (name, collector)
        self.name, self.collector = Engine._registered[name]
        if name not in Engine._fields:
            Engine._fields[name] = _used_fields(prepared)
        self.fields = Engine._fields[name]

    def run(self, facts: list[dict[str, Any]], check: dict[str, Any]) -> list[tuple[str, str, tuple[str, ...], Any]]:
        durable_engine = _durable()
        sid = f"s{next(_SESSIONS)}"
        used = self.fields
        batch = []
        for n, fact in enumerate(facts):
            slim = {k: v for k, v in fact.items() if k in used}
            slim["id"], slim["sid"] = f"f{n}", sid
            batch.append(slim)
        h = host()
        self.collector.take()
        try:
            if batch:
                h.assert_facts(self.name, batch)
            h.assert_fact(self.name, {**check, "t": "check", "id": CHECK, "sid": sid})
        except durable_engine.MessageNotHandledException as exc:  # a holding rule is missing: a bug
            raise RuntimeError(f"durable-rules did not handle a fact: {exc}") from None
        hits = self.collector.take()
        # only now: the always-firing `done` rule has run, so deleting cannot segfault (trap 5)
        h.delete_state(self.name, sid)
        done = [hit for hit in hits if hit[1] == DONE]
        if len(done) != 1:
            raise RuntimeError(f"durable-rules session {sid} ended without its completion action")
        return [hit for hit in hits if hit[1] != DONE]
