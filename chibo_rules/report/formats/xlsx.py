"""xlsx: `chibo history` as an Excel workbook, one sheet per table (a file only). Written as writing.py's
"workbook" kind, whose first cell names chibo."""

from __future__ import annotations

from typing import IO

from . import HISTORY, Format, Source, register


def _binary(source: Source, stream: IO[bytes]) -> None:
    from ..sheets import write_xlsx

    write_xlsx(source.document(), stream)


register(Format(name="xlsx", order=5, words=("xlsx (cần --output)", "xlsx (needs --output)"), marker=(),
                binary=_binary, kind="workbook", commands=frozenset({HISTORY}),
                history_words=("xlsx (cần --output)", "xlsx (needs --output)")))
