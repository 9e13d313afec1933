"""A committee's pages: many workbooks handed in at once -> the roll-up, worst first -> history -> Word report."""

from __future__ import annotations

from typing import Any


def routes() -> list[Any]:
    return []
