"""The only module that imports durable-rules (2.0.28, unmaintained since 2020).

It owns the process's single durable Host, registers a compiled ruleset once, and runs one cell per
session: assert every fact, then the `check` trigger, read what the actions collected, delete the
session's state. See docs/engine-notes.md for why each step is there.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import sys
from collections.abc import Callable
from typing import Any

from ..errors import EngineUnavailable
from ..gcpause import gc_paused
from ..ruleset.prepare import SYNTHETIC, Prepared
from .compile import CHECK, DONE, Collector, Wire, compile_ruleset

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


@functools.cache
def availability() -> tuple[bool, str]:
    """Whether durable-rules runs here, and what to say about it: its version, or why not (CPython 3.13
    removed a function its C core calls; it ships no wheels, so it needs a C compiler to install)."""
    try:
        _durable()
    except EngineUnavailable as exc:
        if sys.version_info >= (3, 13):  # not installed there on purpose (pyproject.toml), or installed but broken
            return False, f"durable-rules 2.0.28 does not run on Python {sys.version.split()[0]}"
        if "No module named" in str(exc):
            return False, "durable-rules is not installed (install the engine extra: pip install 'chibo[engine]')"
        return False, f"durable-rules cannot be imported ({exc})"
    try:
        from importlib.metadata import version

        return True, f"durable-rules {version('durable-rules')}"
    except Exception:  # installed without metadata (a source checkout)
        return True, "durable-rules"


def _core() -> Any:
    """durable-rules' C extension, which `durable.engine` wraps (imported with it)."""
    return _durable().durable_rules_engine


def _quiet_host_class(durable_engine: Any) -> type:
    class QuietHost(durable_engine.Host):
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


_FINGERPRINTS: dict[tuple[int, ...], tuple[tuple[Prepared, ...], str]] = {}
_FINGERPRINTS_MAX = 64


def _fingerprint(prepared: list[Prepared]) -> str:
    """Same prepared rules (parameters and plan dates resolved) -> same registered ruleset.
    repr() of 48 rules costs ~5 ms, so it is cached by the identities of the rules (kept alive by
    the cache, so no id is reused while cached): callers build a new list per cell (a job's rules,
    a selection) from the same Prepared objects. Bounded, so rules prepared afresh per cell cannot
    make it grow."""
    ids = tuple(map(id, prepared))
    cached = _FINGERPRINTS.get(ids)
    if cached is None:
        if len(_FINGERPRINTS) >= _FINGERPRINTS_MAX:
            _FINGERPRINTS.clear()
        cached = _FINGERPRINTS[ids] = (tuple(prepared), hashlib.sha256(repr(prepared).encode()).hexdigest()[:16])
    return cached[1]


def _encode_std(data: Any) -> str:
    """JSON as durable-rules' own wrapper writes it (UTF-8 text, not \\u escapes: the C engine
    compares the bytes it stores), without the blanks: durable keeps each fact's text as sent and
    hands it back inside every match, so shorter text is less to parse both ways."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False)


_decode: Callable[[str | bytes], Any]
try:  # the engine extra installs orjson: the same text (tests/test_engine.py), parsed and written faster
    import orjson

    def _encode(data: Any) -> str:
        return orjson.dumps(data).decode()

    _decode = orjson.loads
except ImportError:  # pragma: no cover - an engine installed without its extra
    _encode, _decode = _encode_std, json.loads


class Engine:
    """A compiled ruleset bound to the process Host; `run` evaluates one cell.

    `run` drives durable-rules' C core directly for the session (assert, then take each pending
    action, hand its matches to the compiled action, complete it) instead of through the Python
    `Host`/`Ruleset` dispatch, which wraps every match in Content objects and re-encodes and
    re-asserts the session state after every action call; chibo's actions only read their matches
    (measured with the compact JSON: ~5–6 ms of the ~60 ms `run` took per generated cell). The
    facts, rules, trigger fact and `done` rule are exactly as before, and so are the traps they
    guard against (tests/test_bench.py compares both dispatches on the example cases)."""

    _registered: dict[str, tuple[str, Collector, dict[str, Any], Wire]] = {}
    _types: dict[str, frozenset[str]] = {}

    def __init__(self, prepared: list[Prepared]):
        name = f"chibo_{_fingerprint(prepared)}"
        if name not in Engine._registered:
            collector, wire = Collector(), Wire()
            rules = compile_ruleset(prepared, collector, wire)
            # read before registering: durable's Ruleset takes the actions out of the definitions
            handlers = {rule_name: getattr(rule["run"], "frames", None) for rule_name, rule in rules.items()}
            host().set_rulesets({name: rules})
            Engine._registered[name] = (name, collector, handlers, wire)
            Engine._types[name] = frozenset(k for p in prepared for k in p.kinds()) | frozenset(SYNTHETIC.values())
        self.name, self.collector, self.handlers, self.wire = Engine._registered[name]
        self.types = Engine._types[name]

    def wire_facts(self, facts: list[dict[str, Any]], sid: str) -> list[dict[str, Any]]:
        """The facts as sent: under the wire's names, only the fields a rule reads, the position in `facts`
        as the fact's id (what a match hands back: see `keys`), facts of kinds no rule reads left out
        (they would match nothing, and durable would raise)."""
        names, types = self.wire.fields, self.wire.types
        held = self.types
        batch = []
        for n, fact in enumerate(facts):
            kind = fact["t"]
            if kind not in held:
                continue
            slim = {names[k]: v for k, v in fact.items() if k in names}
            slim["t"], slim["id"], slim["sid"] = types[kind], str(n), sid
            batch.append(slim)
        return batch

    def trigger(self, check: dict[str, Any], sid: str) -> dict[str, Any]:
        """The `check` fact asserted after every fact: the parameters rules compare with, by wire name."""
        names = self.wire.fields
        fact = {names[k]: v for k, v in check.items() if k in names}
        fact["t"], fact["id"], fact["sid"] = self.wire.types["check"], CHECK, sid
        return fact

    @staticmethod
    def keys(hits: list[tuple[str, str, tuple[str, ...], Any]],
             facts: list[dict[str, Any]]) -> list[tuple[str, str, tuple[str, ...], Any]]:
        """Hits naming records by key, as every evaluator reports them, from hits naming wire ids."""
        out = []
        for rule_id, role, ids, extra in hits:
            out.append((rule_id, role, tuple([str(facts[int(i)]["key"]) for i in ids]), extra))
        return out

    def _settle(self, rules: Any, state: int) -> None:
        """Run every action pending in the session, on this thread, as durable's `do_actions` does
        (start the next action, run it, complete it), minus the Closure and the state round trip."""
        core = _core()
        handle = rules._handle
        started = core.start_action_for_state(handle, state)
        if not started:
            return
        message = started[1]
        while message:
            (action, frames), = _decode(message).items()  # one action's matches per message
            handler = self.handlers.get(action)
            try:
                if handler is None:
                    raise RuntimeError(f"durable-rules ran '{action}', a rule without matches to record")
                handler(frames)
            except BaseException:
                core.abandon_action(handle, state)
                raise
            message = core.complete_and_start_action(handle, state)

    def run(self, facts: list[dict[str, Any]], check: dict[str, Any]) -> list[tuple[str, str, tuple[str, ...], Any]]:
        with gc_paused():
            return self._run(facts, check)

    def _run(self, facts: list[dict[str, Any]], check: dict[str, Any]) -> list[tuple[str, str, tuple[str, ...], Any]]:
        durable_engine = _durable()
        core = _core()
        sid = f"s{next(_SESSIONS)}"
        batch = self.wire_facts(facts, sid)
        h = host()
        rules = h.get_ruleset(self.name)
        trigger = self.trigger(check, sid)
        self.collector.take()
        try:
            if batch:
                self._settle(rules, rules._handle_result(core.assert_facts(rules._handle, _encode(batch)), batch))
            self._settle(rules, rules._handle_result(core.assert_fact(rules._handle, _encode(trigger)), trigger))
        except durable_engine.MessageNotHandledException as exc:  # a holding rule is missing: a bug
            raise RuntimeError(f"durable-rules did not handle a fact: {exc}") from None
        hits = self.collector.take()
        # only now: the always-firing `done` rule has run, so deleting cannot segfault (trap 5)
        h.delete_state(self.name, sid)
        done = [hit for hit in hits if hit[1] == DONE]
        if len(done) != 1:
            raise RuntimeError(f"durable-rules session {sid} ended without its completion action")
        return self.keys([hit for hit in hits if hit[1] != DONE], facts)
