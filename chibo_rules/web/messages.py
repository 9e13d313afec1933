"""The words of the web pages, Vietnamese (default) and English: one catalogue, read by the templates as w(key)."""

from __future__ import annotations

from typing import Any

from ..words import Area, say

MESSAGES = Area("web")  # chibo_rules/words/web.yaml, {key: (vi, en)}


def w(key: str, lang: str, **values: Any) -> str:
    """A page's words in `lang` ("vi" unless "en"), with `values` filled in."""
    return say(f"web.{key}", lang, **values)
