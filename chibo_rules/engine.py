"""The only module that imports durable-rules (2.0.28, unmaintained since 2020).

It owns the process's single durable Host, registers a compiled ruleset once, and runs one cell per
session: assert every fact, then the `check` trigger, read what the actions collected, delete the
session's state. See docs/engine-notes.md for why each step is there.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sys
from typing import Any

from .compile import CHECK, Collector, compile_ruleset
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


def host() -> Any:
    """One Host per process: durable-rules starts timer threads and keeps rulesets globally."""
    global _HOST
    if _HOST is None:
        _HOST = _durable().Host()
    return _HOST


def _fingerprint(prepared: list[Prepared]) -> str:
    text = json.dumps([p.rule.model_dump(mode="json") for p in prepared], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class Engine:
    """A compiled ruleset bound to the process Host; `run` evaluates one cell."""

    _registered: dict[str, tuple[str, Collector]] = {}

    def __init__(self, prepared: list[Prepared]):
        name = f"chibo_{_fingerprint(prepared)}"
        if name not in Engine._registered:
            collector = Collector()
            host().set_rulesets({name: compile_ruleset(prepared, collector)})
            Engine._registered[name] = (name, collector)
        self.name, self.collector = Engine._registered[name]

    def run(self, facts: list[dict[str, Any]], check: dict[str, Any]) -> list[tuple[str, str, tuple[str, ...], Any]]:
        durable_engine = _durable()
        sid = f"s{next(_SESSIONS)}"
        batch = [{**fact, "id": f"f{n}", "sid": sid} for n, fact in enumerate(facts)]
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
        return hits
