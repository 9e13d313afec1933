"""Plan drafting pages: the plan document -> the draft's review table -> apply -> the plan's workbook."""

from __future__ import annotations

from typing import Any


def routes() -> list[Any]:
    return []
