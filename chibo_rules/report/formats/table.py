"""table: the report drawn for a terminal (rich); written to a file, the same at 120 columns without colour."""

from __future__ import annotations

import io
from typing import Any

from . import Format, Source, register

FOOTERS = ("Lập bởi chibo".encode(), b"Produced by chibo")  # every report's closing line, in either language


def _terminal(source: Source, console: Any) -> None:
    from ..output import print_rich

    print_rich(source.document(), console)


def _text(source: Source) -> str:
    from rich.console import Console

    from ..output import print_rich

    buffer = io.StringIO()
    print_rich(source.document(), Console(file=buffer, width=120, color_system=None, soft_wrap=False))
    return buffer.getvalue()


register(Format(name="table", order=0, words=("table (màn hình)", "table (terminal)"), marker=FOOTERS,
                text=_text, terminal=_terminal))
