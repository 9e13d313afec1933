"""The review's words (`chibo review`), Vietnamese and English: its own area of the catalogue
(chibo_rules/words/review.yaml), so the review's many lines stay together. The level names themselves are data
(rules/library/review/rating.yaml)."""

from __future__ import annotations

from typing import Any

from ..words import Area, say

WORDS = Area("review")  # chibo_rules/words/review.yaml, {key: (vi, en)}


def w(key: str, lang: str, **values: Any) -> str:
    return say(f"review.{key}", lang, **values)
