"""The words of `chibo plan draft` / `plan apply` and of the review sheet, Vietnamese and English: data in
chibo_rules/words/draft.yaml."""

from __future__ import annotations

from typing import Any

from ..words import Area, say

MESSAGES = Area("draft")  # chibo_rules/words/draft.yaml, {key: (vi, en)}


def m(key: str, lang: str, **kw: Any) -> str:
    return say(f"draft.{key}", lang, **kw)
