"""html: one printable page; `chibo history` adds its SVG charts after the tables they draw."""

from __future__ import annotations

from . import Format, Source, register


def with_charts(page: str, charts: list[str]) -> str:
    """The HTML page with the charts placed before its closing </body> (after the tables they draw)."""
    block = "\n".join(charts)
    head, sep, tail = page.rpartition("</body>")
    return f"{head}{block}\n{sep}{tail}" if sep else page + block


def _text(source: Source) -> str:
    from ..output import to_html

    page = to_html(source.document())
    return with_charts(page, source.charts()) if source.charts is not None else page


register(Format(name="html", order=3, words=("html (một trang in được)", "html (one printable page)"),
                marker=(b'<meta name="generator" content="chibo',), text=_text,
                history_words=("html (có biểu đồ SVG, in được)", "html (with SVG charts, printable)")))
