"""The compiled-plan cache: a plan's YAML files, parsed once, kept as JSON data in the user's cache folder.

Reading a plan's ~100 YAML files (data and node tree, for the lines of problems) was a third of a cold
`chibo check`. A plan that loaded without a problem is kept in one JSON file per plan folder: for each
file its parsed data and a map of its lines, under a hash of the file's path and bytes. A file whose bytes
changed misses (and is parsed and kept again), so an edited rule shows at once. JSON cannot run code (never
pickle). The file is a line of JSON naming chibo's version, the format and the SHA-256 of the rest, then the
entries as JSON: a cache file that is unreadable, corrupt, edited, of another chibo version or format, or not
ours is ignored and rebuilt, never an error. A plan with a problem is never written (its errors come from the YAML
itself, with file, line and key). CHIBO_CACHE=0 turns the cache off; the folder is $CHIBO_CACHE_DIR, else
%LOCALAPPDATA%\\chibo\\cache on Windows, else $XDG_CACHE_HOME/chibo (~/.cache/chibo).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import __version__
from ..userdirs import cache_folder

FORMAT = 1
SCHEMA = "chibo.plan-cache"
_TAG = "\x00"  # starts the one key of an object that stands for a value JSON has no word for


class Uncacheable(Exception):
    """A value JSON cannot hold exactly (a set, binary data): the file is simply read each time."""


def folder() -> Path | None:
    """Where cache files go, or None when the user turned the cache off (CHIBO_CACHE=0)."""
    if os.environ.get("CHIBO_CACHE", "1").strip().lower() in {"0", "no", "off", "false"}:
        return None
    given = os.environ.get("CHIBO_CACHE_DIR")
    if given:
        return Path(given)
    return cache_folder()


def file_key(path: Path, raw: bytes) -> str:
    """What a cached entry is kept under: the file's path and its bytes (any edit is a miss)."""
    return hashlib.sha256(str(path).encode("utf-8", "surrogatepass") + b"\x00" + raw).hexdigest()


# ---- values: YAML data as JSON, exactly --------------------------------------------------------------

def encode(value: Any) -> Any:
    """YAML data as JSON data: dates and mappings with keys other than text are tagged objects."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Uncacheable("not finite")
        return value
    if isinstance(value, dt.datetime):
        raise Uncacheable("datetime")
    if isinstance(value, dt.date):
        return {_TAG + "date": value.isoformat()}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith(_TAG) for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {_TAG + "map": [[encode(k), encode(v)] for k, v in value.items()]}
    raise Uncacheable(type(value).__name__)


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            (key, inner), = value.items()
            if key == _TAG + "date":
                return dt.date.fromisoformat(inner)
            if key == _TAG + "map":
                return {_hashable(decode(k)): decode(v) for k, v in inner}
        return {k: decode(v) for k, v in value.items()}
    return value


def _hashable(key: Any) -> Any:
    if isinstance(key, (list, dict)):
        raise ValueError("a mapping key that is a collection")  # never written: such a file is not cached
    return key


# ---- lines: the node tree, reduced to what safeyaml.line_of walks --------------------------------------

def lines_of(node: Any) -> Any:
    """A YAML node tree as nested lists: a scalar is its 1-based line; a mapping ["m", line, [[key text,
    key line, value], ...]]; a sequence ["s", line, [item, ...]] (safeyaml.line_of reads both forms)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    value = node.value
    if isinstance(value, list) and node.id == "mapping":
        return ["m", line, [[str(k.value), k.start_mark.line + 1, lines_of(v)] for k, v in value]]
    if isinstance(value, list) and node.id == "sequence":
        return ["s", line, [lines_of(v) for v in value]]
    return line


# ---- one plan's cache file -------------------------------------------------------------------------------

class PlanCache:
    """The cached files of one plan folder for one load: looked up by file_key, what was parsed anew added,
    written back (whole, atomically) only when the plan loaded without a problem and something was new."""

    def __init__(self, plan_folder: Path):
        self.where = folder()
        name = hashlib.sha256(str(plan_folder).encode("utf-8", "surrogatepass")).hexdigest()[:32]
        self.path = self.where / f"plan-{name}.json" if self.where else None
        self.entries: dict[str, dict[str, Any]] = self._read()
        self.used: dict[str, str] = {}  # path -> key of the entry used or added this time
        self.changed = False

    def _read(self) -> dict[str, dict[str, Any]]:
        if self.path is None:
            return {}
        try:
            with self.path.open("rb") as handle:
                head, _, body = handle.read(64 * 1024 * 1024).partition(b"\n")
            doc = json.loads(head.decode("utf-8"))
            if (isinstance(doc, dict) and doc.get("schema") == SCHEMA and doc.get("format") == FORMAT
                    and doc.get("chibo") == __version__ and doc.get("sha256") == hashlib.sha256(body).hexdigest()):
                files = json.loads(body.decode("utf-8"))
                if isinstance(files, dict):
                    return {k: v for k, v in files.items() if isinstance(v, dict)}
        except (OSError, ValueError, RecursionError):
            pass  # unreadable, corrupt, edited or foreign: as if there were none (and written anew)
        return {}

    def get(self, path: Path, key: str) -> tuple[Any, Any] | None:
        """The data and line map of a file kept under `key`, or None (a miss, or an entry that cannot be read)."""
        entry = self.entries.get(key)
        if entry is None or entry.get("path") != str(path):
            return None
        try:
            found = decode(entry["data"]), entry["lines"]
        except (KeyError, TypeError, ValueError, RecursionError):
            return None
        self.used[str(path)] = key
        return found

    def put(self, path: Path, key: str, data: Any, node: Any) -> None:
        if self.path is None:
            return
        try:
            self.entries[key] = {"path": str(path), "data": encode(data), "lines": lines_of(node)}
        except (Uncacheable, RecursionError):
            return
        self.used[str(path)] = key
        self.changed = True

    def save(self) -> None:
        """Write the entries used this time, and older ones for files not read this time (another plan's
        library read through this folder earlier), one per file; any failure leaves the cache as it was."""
        if self.path is None or not self.changed:
            return
        keep = {key: entry for key, entry in self.entries.items()
                if self.used.get(entry.get("path", "")) in (None, key)}
        body = json.dumps(keep, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        head = {"schema": SCHEMA, "format": FORMAT, "chibo": __version__, "sha256": hashlib.sha256(body).hexdigest()}
        data = json.dumps(head).encode("utf-8") + b"\n" + body  # the head's hash covers every byte after it
        from .. import writing

        with contextlib.suppress(OSError, writing.WriteRefused, ValueError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            writing.write(self.path, lambda stream: stream.write(data), "json", [], force=True)


_ACTIVE: list[PlanCache] = []


@contextlib.contextmanager
def plan_session(plan_folder: Path) -> Iterator[None]:
    """While a plan loads: read_yaml_file looks here first. Saved only when the load raised nothing."""
    cache = PlanCache(plan_folder)
    _ACTIVE.append(cache)
    try:
        yield
    finally:
        _ACTIVE.remove(cache)
    cache.save()


def active() -> PlanCache | None:
    return _ACTIVE[-1] if _ACTIVE else None
