"""User-facing words in Vietnamese (default) and English. Identifiers stay English everywhere.

The words themselves are data in chibo_rules/words/ (report.yaml, status.yaml, still.yaml, severity.yaml,
values.yaml, os.yaml), looked up through chibo_rules.words; these are the report's names for that lookup."""

from __future__ import annotations

from typing import Any

from ..facts.values import CHOICES_SEPARATOR
from ..words import Area, has, say

LANGS = ("vi", "en")
MESSAGES = Area("report")  # {key: (vi, en)}, read on first use


def _words(key: str) -> tuple[str, str]:
    """A key of the catalogue: report words, else a check kind's own (checks/: its title, its gap texts)."""
    if key in MESSAGES:
        return MESSAGES[key]
    from ..checks import words

    return words()[key]


def known(key: str) -> bool:
    """Whether the catalogue has words for `key`."""
    try:
        _words(key)
    except KeyError:
        return False
    return True


def t(key: str, lang: str, **kw: Any) -> str:
    if key in MESSAGES:
        return say(f"report.{key}", lang, **kw)
    vi, en = _words(key)  # a check kind's own words (checks/)
    text = vi if lang == "vi" else en
    return text.format(**kw) if kw else text


def status(name: str, lang: str) -> str:
    return say(f"status.{name}", lang)


def severity(name: str, lang: str) -> str:
    return say(f"severity.{name}", lang)


def still(state: str, lang: str) -> str | None:
    """A requirement in the same state at both dates of an audit's comparison ("vẫn chưa đạt"), if worded."""
    return say(f"still.{state}", lang) if has(f"still.{state}") else None


def value_message(text: str, lang: str) -> str:
    """A parser's message in the user's language; a list of codes is shown as the codes in English and
    as their Vietnamese labels in Vietnamese (values.parse_choice puts both in the message)."""
    codes, _, labels = text.partition(CHOICES_SEPARATOR)
    if lang == "en":
        return codes
    for en, (vi, _) in Area("values").items():
        if text.startswith(en):
            return vi + ((labels or codes.removeprefix(en)) if en == "expected one of: " else text[len(en):])
    return text
