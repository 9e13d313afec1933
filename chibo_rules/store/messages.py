"""The words of the store and of `chibo history`, Vietnamese (default) and English: data in
chibo_rules/words/store.yaml and history_help.yaml."""

from __future__ import annotations

from typing import Any

from ..words import Area, say

MESSAGES = Area("store")  # chibo_rules/words/store.yaml, {key: (vi, en)}
HELP = Area("history_help")  # chibo_rules/words/history_help.yaml


def m(key: str, lang: str, **values: Any) -> str:
    return say(f"store.{key}", lang, **values)


def hs(key: str) -> str:
    """A help text in the language --help is read in (clihelp.LANG)."""
    from ..clihelp import LANG

    return say(f"history_help.{key}", LANG)
