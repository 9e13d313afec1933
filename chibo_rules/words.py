"""Every word chibo says to its users, Vietnamese (default) and English, in one catalogue with one lookup.

The words are data: chibo_rules/words/AREA.yaml, one file per area (report, help, draft, store, review, cli,
os, …), each key with its `vi` and its `en`. `say("area.key", lang, **values)` finds one and fills its
{placeholders}; the old per-module lookups (i18n.t, clihelp.h, draft's and the store's m, reviewwords.w, guard's
word, accounts' words) are one-line aliases of it. A new message is one entry in one file; tests/test_words.py
refuses an entry in one language only, or whose two languages name different placeholders.

An area is read when first asked for, once per process (a check never reads the web's or the drafting's
words). The files are YAML in a narrow shape — `key:` then `  vi: "…"` and `  en: "…"`, each text one JSON-style
double-quoted line — read here by one regular expression and one json.loads: about 1 ms for what a check reads
(report + help), where a YAML parser took 12 ms of every cold start. tests/test_words.py proves each file reads
the same through yaml.safe_load. A file out of that shape is read line by line, to name the line.

This module is the package's bottom layer: it imports nothing of chibo's, so every layer can speak.
"""

from __future__ import annotations

import errno
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent / "words"
LANGS = ("vi", "en")


class CatalogueError(ValueError):
    """A words file outside the narrow shape this reader takes: a developer's mistake, named by file and line."""


# one entry: its key line, then its two texts, each a JSON-style double-quoted string on one line
_ENTRY = re.compile(r'\n([^\s#"][^\n]*|"[^\n]*"):\n  vi: ("[^\n]*")\n  en: ("[^\n]*")(?=\n)')


def read_area(path: Path) -> dict[str, tuple[str, str]]:
    """One area's file as {key: (vi, en)}. One regular expression finds the entries and one json.loads reads
    every text; a file it does not wholly match is read line by line, to name the line out of shape or the key
    without both languages (CatalogueError: never a word silently in one language only)."""
    text = path.read_text(encoding="utf-8")
    found = _ENTRY.findall("\n" + text)
    lines, comments, blanks = text.count("\n"), text.count("\n#") + text.startswith("#"), text.count("\n\n")
    if text.endswith("\n") and len(found) * 3 == lines - comments - blanks - text.startswith("\n"):
        try:
            keys = [json.loads(k) if k.startswith('"') else k for k, _, _ in found]
            texts = json.loads("[" + ",".join(f"{vi},{en}" for _, vi, en in found) + "]")
        except ValueError:
            pass
        else:
            if len(set(keys)) == len(keys) and all(isinstance(t, str) for t in texts) and all(
                    isinstance(k, str) for k in keys):
                return {k: (texts[2 * i], texts[2 * i + 1]) for i, k in enumerate(keys)}
    return _read_lines(path, text)


def _read_lines(path: Path, text: str) -> dict[str, tuple[str, str]]:
    """The slow reading of a file the fast one refused: names its first line out of shape."""
    entries: dict[str, dict[str, str]] = {}
    key: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            if line.startswith("  "):
                lang, _, value = line.strip().partition(": ")
                if key is None or lang not in LANGS or lang in entries[key] or not value.startswith('"'):
                    raise ValueError(line)
                said = json.loads(value)
                if not isinstance(said, str):
                    raise ValueError(line)
                entries[key][lang] = said
            elif line.endswith(":"):
                key = line[:-1]
                key = json.loads(key) if key.startswith('"') else key
                if not isinstance(key, str) or key in entries:
                    raise ValueError(f"{key} twice")
                entries[key] = {}
            else:
                raise ValueError(line)
        except ValueError as exc:
            raise CatalogueError(f"{path.name}, line {number}: not `key:` / `  vi: \"…\"` / `  en: \"…\"`") from exc
    one_language = [k for k, texts in entries.items() if set(texts) != set(LANGS)]
    if one_language:
        raise CatalogueError(f"{path.name}: {', '.join(one_language)} not in both vi and en")
    if any(list(texts) != list(LANGS) for texts in entries.values()):
        raise CatalogueError(f"{path.name}: write each key's vi before its en")
    return {k: (texts["vi"], texts["en"]) for k, texts in entries.items()}


class Catalogue:
    """The words of one folder of area files, each area read on first use."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._areas: dict[str, dict[str, tuple[str, str]]] = {}

    def area(self, name: str) -> dict[str, tuple[str, str]]:
        if name not in self._areas:
            self._areas[name] = read_area(self.folder / f"{name}.yaml")
        return self._areas[name]

    def areas(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.yaml"))

    def pair(self, key: str) -> tuple[str, str]:
        area, _, name = key.partition(".")
        return self.area(area)[name]

    def has(self, key: str) -> bool:
        area, _, name = key.partition(".")
        return name in self.area(area)

    def say(self, key: str, lang: str, **values: Any) -> str:
        """The words `key` ("area.name") in `lang` (English for "en", else Vietnamese), placeholders filled."""
        vi, en = self.pair(key)
        text = en if lang == "en" else vi
        return text.format(**values) if values else text


CATALOGUE = Catalogue(FOLDER)


def say(key: str, lang: str, **values: Any) -> str:
    """The words `key` ("area.name", e.g. "report.summary") in `lang`, its {placeholders} filled from values."""
    return CATALOGUE.say(key, lang, **values)


def has(key: str) -> bool:
    return CATALOGUE.has(key)


class Area(Mapping[str, tuple[str, str]]):
    """One area as the read-only {key: (vi, en)} mapping the old catalogues were (i18n.MESSAGES, …), read when
    first looked into, so a module naming it costs nothing at import."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __getitem__(self, key: str) -> tuple[str, str]:
        return CATALOGUE.area(self.name)[key]

    def __iter__(self) -> Iterator[str]:
        return iter(CATALOGUE.area(self.name))

    def __len__(self) -> int:
        return len(CATALOGUE.area(self.name))

    def __contains__(self, key: object) -> bool:
        return key in CATALOGUE.area(self.name)


def os_reason(error: OSError | int | str | None, lang: str, doing: str = "write") -> str:
    """Why the system refused to read or write a file, in the user's words (never its English strerror):
    os.yaml's `read_NAME`/`write_NAME` where the two are said differently, else `NAME`; a code not worded
    there is named ("system error ENOTSOCK"). `error` is the OSError, its errno, or its errno's name."""
    number = error.errno if isinstance(error, OSError) else error
    name = number if isinstance(number, str) else errno.errorcode.get(number, "") if number is not None else ""
    for key in (f"os.{doing}_{name}", f"os.{name}"):
        if name and has(key):
            return say(key, lang)
    code = name or (str(number) if number is not None else "?")
    return say("os.other", lang, code=code)


def pair(key: str) -> tuple[str, str]:
    """The words `key` in both languages, (vi, en): for a text that shows both (docs/case-format.md)."""
    return CATALOGUE.pair(key)


_MARK = re.compile(r"@([A-Z][A-Z0-9_]*)@")


def template(name: str, **values: str) -> str:
    """A longer text kept as a file of the catalogue (words/casedoc/intro.md: the generated case-format
    document's prose), its @NAME@ marks filled from values; a mark left unfilled, or a value no mark asks for,
    is a ValueError (the file and the code that fills it disagree)."""
    text = (FOLDER / name).read_text(encoding="utf-8")
    marks = set(_MARK.findall(text))
    if marks != set(values):
        raise ValueError(f"{name}: marks {sorted(marks)} but values {sorted(values)}")
    return _MARK.sub(lambda m: values[m.group(1)], text) if values else text
