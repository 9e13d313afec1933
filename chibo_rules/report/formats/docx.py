"""docx: a Word file laid out as a Party document (Hướng dẫn 36-HD/VPTW); a file only, never the terminal."""

from __future__ import annotations

from typing import IO

from . import Format, Source, register

DOCX_MARKER = b"<dc:creator>chibo</dc:creator>"  # in docProps/core.xml, inside the zip (writing.py looks there)


def _binary(source: Source, stream: IO[bytes]) -> None:
    from ..docx import write_docx

    write_docx(source.document(), stream)


register(Format(name="docx", order=4,
                words=("docx (văn bản Word đúng thể thức văn bản của Đảng theo Hướng dẫn 36-HD/VPTW; cần --output)",
                       "docx (a Word file laid out as a Party document, Hướng dẫn 36-HD/VPTW; needs --output)"),
                marker=(DOCX_MARKER,), binary=_binary,
                history_words=("docx (cần --output)", "docx (needs --output)")))
