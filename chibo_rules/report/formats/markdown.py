"""markdown: the report to attach to the meeting's minutes."""

from __future__ import annotations

from . import Format, Source, register
from .table import FOOTERS


def _text(source: Source) -> str:
    from ..output import to_markdown

    return to_markdown(source.document())


register(Format(name="markdown", order=2, words=("markdown (đính kèm biên bản)", "markdown (meeting attachment)"),
                marker=FOOTERS, text=_text))
