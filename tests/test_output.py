"""The three renderers of a Document (output.py): terminal, Markdown, HTML — and the HTML in a real Chromium.

Documents are built by hand: Vietnamese text with diacritics, every block type, every status, and a text
that would be markup in each format ("[red]", "<b>", "|", ":thumbs_up:") to prove it is shown literally.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style

from chibo_rules.report.document import (
    STATUS_KINDS,
    Block,
    BulletItem,
    Bullets,
    Cell,
    Document,
    Paragraph,
    Section,
    Span,
    Table,
)
from chibo_rules.report.output import FONT_STACK, STATUS_CSS, STATUS_STYLE, print_rich, to_html, to_markdown

from . import browser as chromium

CELL = "Chi bộ trường THCS Vĩnh Bình Nam 1"
SUPERVISED = "Giám sát 11 đảng viên"
NOT_SUPERVISED = "chưa được giám sát"
HOSTILE = "Trần [red]Văn[/red] <b>Ba</b> | a|b :thumbs_up: *x* _y_ &amp; [link](http://example.com)"
CLAUSE = "Bảo đảm làm việc 40 giờ/tuần (đối với hành chính)"


def status_label(name: str) -> str:
    return f"tt-{name.replace('_', '-')}"


def full_doc(lang: str = "vi") -> Document:
    """Every block type, every paragraph style, every status, nested sections, hostile text everywhere."""
    status_rows: list[list[Cell]] = [[f"R{i}", f"Yêu cầu số {i}", Span(status_label(name), name)]
                                     for i, name in enumerate(STATUS_KINDS)]
    return Document(
        lang=lang,
        title=f"Báo cáo rà soát — {CELL}",
        meta=[("Chi bộ", CELL), ("Đảng ủy", "Đảng ủy xã Vĩnh Bình"), ("Ngày", "31/12/2020"), ("Ghi chú", HOSTILE)],
        summary=["48 yêu cầu: ", Span("38 đạt", "passed"), ", ", Span("6 chưa đạt", "gap"), ", 4 tham khảo"],
        sections=[
            Section("Mục B.I — Công tác giám sát", anchor="B.I", blocks=[
                Table(["Mã", "Yêu cầu", "Trạng thái"], status_rows, title="Bảng trạng thái", ratios=[1, 4, 2]),
                Paragraph([CLAUSE], style="quote"),
                Paragraph(["Đoạn thường: ", Span("in đậm", strong=True), " và ", Span("Chưa đạt", "gap")]),
                Paragraph(["Ghi chú nhỏ: số liệu đến 31/12/2020"], style="note"),
                Paragraph(["Đoạn nhấn mạnh ", Span("Đạt", "passed", strong=True)], style="strong"),
            ], sections=[
                Section(f"R14 — {SUPERVISED}", anchor="R14", blocks=[
                    Bullets([
                        BulletItem([Span("Phạm Thị Hồng Nhiên (P30)", strong=True), f": {NOT_SUPERVISED}"],
                                   children=["[timesheets.csv, dòng 852]", HOSTILE]),
                        BulletItem([HOSTILE]),
                        BulletItem(["- 1. dòng bắt đầu như danh sách\n# và dòng thứ hai như tiêu đề"]),
                    ]),
                    Table(["Đảng viên", "Ghi chú | cột"], [[HOSTILE, "dòng 1\ndòng 2"], ["Lê Văn Tám", ""]]),
                ]),
                Section("R14 — lặp lại", anchor="R14"),
            ]),
            Section("Sẵn sàng cho kỳ họp", anchor="ready", blocks=[
                Bullets([BulletItem(["Biên bản tháng 11 đã ký"], checked=True),
                         BulletItem([Span("Nghị quyết tháng 12", "not_ready"), " chưa có"], checked=False,
                                    children=["cần nộp trước 05/01/2021"])]),
            ]),
        ],
        footer="Lập bởi chibo 0.1.0 — rà soát ngày 31/12/2020",
    )


def small_doc() -> Document:
    return Document(
        lang="vi", title="Báo cáo", meta=[("Chi bộ", CELL)], summary=["2 yêu cầu: ", Span("1 đạt", "passed")],
        sections=[Section("Mục A", blocks=[
            Paragraph([SUPERVISED], style="quote"),
            Bullets([BulletItem(["Nguyễn Văn An"], children=[NOT_SUPERVISED]),
                     BulletItem(["Biên bản"], checked=True), BulletItem(["Nghị quyết"], checked=False)]),
        ], sections=[Section("R1", blocks=[Paragraph(["ghi chú"], style="note")])])],
        footer="chibo")


def texts(doc: Document) -> Iterator[str]:
    """Every piece of text a Document holds (anchors are ids, not text)."""

    def cells(items: list[Cell]) -> Iterator[str]:
        for c in items:
            yield c.text if isinstance(c, Span) else c

    def block(b: Block) -> Iterator[str]:
        if isinstance(b, Paragraph):
            yield from cells(b.parts)
        elif isinstance(b, Bullets):
            for item in b.items:
                yield from cells(item.text)
                yield from item.children
        else:
            yield b.title
            yield from b.columns
            for row in b.rows:
                yield from cells(row)

    def section(s: Section) -> Iterator[str]:
        yield s.title
        for b in s.blocks:
            yield from block(b)
        for sub in s.sections:
            yield from section(sub)

    yield doc.title
    for label, value in doc.meta:
        yield from (label, value)
    yield from cells(doc.summary)
    for s in doc.sections:
        yield from section(s)
    yield doc.footer


def lines_of(doc: Document) -> list[str]:
    """The texts split at line breaks, each non-empty line once: what must appear in every format."""
    return [line.strip() for text in texts(doc) for line in text.split("\n") if line.strip()]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_texts_cover_every_block_and_status():
    doc = full_doc()
    kinds = {type(b) for s in doc.sections for b in s.blocks}
    assert kinds == {Table, Paragraph, Bullets}
    styles = {b.style for s in doc.sections for b in s.blocks if isinstance(b, Paragraph)}
    assert styles == {"plain", "quote", "note", "strong"}
    assert all(status_label(name) in list(texts(doc)) for name in STATUS_KINDS)
    assert set(STATUS_STYLE) == set(STATUS_KINDS) == set(STATUS_CSS)


# --------------------------------------------------------------------------------------------- terminal


def rich_output(doc: Document, width: int = 200, color: bool = False) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=color, color_system="standard" if color else None,
                      legacy_windows=False)
    print_rich(doc, console)
    return out.getvalue()


def test_rich_exact_layout():
    assert rich_output(small_doc(), width=60) == (
        "Báo cáo\n"
        f"Chi bộ: {CELL}\n"
        "\n"
        "Mục A\n"
        f"  “{SUPERVISED}”\n"
        "  • Nguyễn Văn An\n"
        f"      – {NOT_SUPERVISED}\n"
        "  ☑ Biên bản\n"
        "  ☐ Nghị quyết\n"
        "\n"
        "  R1\n"
        "  ghi chú\n"
        "\n"
        "2 yêu cầu: 1 đạt\n"
        "\n"
        "chibo\n"
    )


def test_rich_shows_every_text_literally():
    out = rich_output(full_doc())
    for line in lines_of(full_doc()):
        assert line in out, line
    # markup and emoji codes are text, not instructions
    assert out.count("Trần [red]Văn[/red] <b>Ba</b> | a|b :thumbs_up:") == 4  # meta, bullet, child, cell


def test_rich_colours_every_status_and_no_markup_colour():
    out = rich_output(full_doc(), color=True)
    for name in STATUS_KINDS:
        expected = Style.parse(STATUS_STYLE[name]).render(status_label(name), color_system=ColorSystem.STANDARD)
        assert expected in out, name
    assert "\x1b[1;31mtt-gap\x1b[0m" in out and "\x1b[32mtt-passed\x1b[0m" in out
    assert "[red]Văn[/red]" in out and "\x1b[31mVăn" not in out
    assert "\x1b[1;32m☑\x1b[0m Biên bản" in out and "\x1b[1;31m☐\x1b[0m" in out


def test_rich_table_rows_and_title():
    out = rich_output(full_doc())
    assert "Bảng trạng thái" in out
    rows = [line for line in out.splitlines() if re.match(r"^│ R\d+ ", line)]
    assert [line.split("│")[1].strip() for line in rows] == [f"R{i}" for i in range(len(STATUS_KINDS))]


def test_rich_wraps_with_hanging_indent():
    long = " ".join([f"{NOT_SUPERVISED} {i}" for i in range(12)])
    doc = Document(lang="vi", title="T", sections=[Section("S", blocks=[Bullets([BulletItem([long], children=[long])])],
                                                           sections=[Section("N", blocks=[Paragraph([long])])])])
    lines = rich_output(doc, width=50).splitlines()
    assert all(len(line) <= 50 and line == line.rstrip() for line in lines)
    b = next(i for i, x in enumerate(lines) if x.startswith("  • "))
    c = next(i for i, x in enumerate(lines) if x.startswith("      – "))
    n = lines.index("  N")
    bullet, child, nested = lines[b:c], lines[c:n - 1], lines[n + 1:]
    assert len(bullet) > 2 and all(x.startswith("    ") and x[4] != " " for x in bullet[1:])
    assert flat(" ".join(x[4:] for x in bullet)) == flat(long)
    assert len(child) > 2 and all(x.startswith("        ") and x[8] != " " for x in child[1:])
    assert flat(" ".join(x[8:] for x in child)) == flat(long)
    assert len(nested) > 2 and all(x.startswith("  ") and x[2] != " " for x in nested)
    assert flat(" ".join(nested)) == flat(long)


# --------------------------------------------------------------------------------------------- Markdown


class TextAndTags(HTMLParser):
    """Text content (entities decoded), every start tag with its attributes, and whether tags nest correctly."""

    VOID = {"meta", "br", "col", "img", "input", "link", "hr", "wbr", "source", "area", "base", "embed"}

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.decl: list[str] = []
        self.feed(source)
        self.close()

    def handle_decl(self, decl: str) -> None:
        self.decl.append(decl)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def all_text(self) -> str:
        return "".join(self.text)

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def md_html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").render(markdown)


def test_markdown_exact_layout():
    assert to_markdown(small_doc()) == (
        "# Báo cáo\n\n"
        f"**Chi bộ:** {CELL}  \n\n"
        "**2 yêu cầu: 1 đạt**\n\n"
        "## Mục A\n\n"
        f"> “{SUPERVISED}”\n\n"
        f"- Nguyễn Văn An\n  - {NOT_SUPERVISED}\n- [x] Biên bản\n- [ ] Nghị quyết\n\n"
        "### R1\n\n"
        "*ghi chú*\n\n"
        "---\n\n"
        "*chibo*\n"
    )


def test_markdown_renders_every_text_literally():
    """Rendered by a CommonMark parser, the page shows every text and nothing of it became markup."""
    page = TextAndTags(md_html(to_markdown(full_doc())))
    shown = flat(page.all_text())
    for line in lines_of(full_doc()):
        assert flat(line) in shown, line
    assert shown.count(flat(HOSTILE)) == 4
    # the only tags are the ones the renderer means: no <b>, no link, no emphasis from "*x*" / "_y_"
    used = {tag for tag, _ in page.tags}
    assert used == {"h1", "h2", "h3", "p", "strong", "em", "blockquote", "ul", "li", "table", "thead", "tbody",
                    "tr", "th", "td", "br", "hr"}
    assert [t.get("href") for t in page.named("a")] == []
    assert not page.errors
    ems = re.findall(r"<em>(.*?)</em>", md_html(to_markdown(full_doc())), re.S)
    assert ems == ["Ghi chú nhỏ: số liệu đến 31/12/2020", "Lập bởi chibo 0.1.0 — rà soát ngày 31/12/2020"]


def test_markdown_headings_and_lists():
    md = to_markdown(full_doc())
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings == [f"# Báo cáo rà soát — {CELL}", "## Mục B.I — Công tác giám sát",
                        f"### R14 — {SUPERVISED}", "### R14 — lặp lại", "## Sẵn sàng cho kỳ họp"]
    assert "- [x] Biên bản tháng 11 đã ký\n- [ ] Nghị quyết tháng 12 chưa có\n  - cần nộp trước 05/01/2021" in md
    assert f"- **Phạm Thị Hồng Nhiên (P30)**: {NOT_SUPERVISED}\n  - \\[timesheets.csv, dòng 852\\]\n" in md
    assert f"> “{CLAUSE}”" in md
    # a line that looks like a list or a heading stays text
    assert "- \\- 1. dòng bắt đầu như danh sách  \n  \\# và dòng thứ hai như tiêu đề" in md
    assert "**Đoạn nhấn mạnh Đạt**" in md and "Đoạn thường: **in đậm** và Chưa đạt" in md


def pipe_tables(md: str) -> list[list[list[str]]]:
    """Each pipe table as rows of cells (header and delimiter included), split at unescaped pipes."""
    tables, current = [], []
    for line in md.splitlines() + [""]:
        if line.startswith("|"):
            current.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
        elif current:
            tables.append(current)
            current = []
    return tables


def test_markdown_tables_parse_back():
    md = to_markdown(full_doc())
    tables = pipe_tables(md)
    assert [len(t) for t in tables] == [2 + len(STATUS_KINDS), 2 + 2]
    status, people = tables
    assert all(len(row) == 3 for row in status) and all(len(row) == 2 for row in people)
    assert [row[2] for row in status[2:]] == [status_label(n) for n in STATUS_KINDS]
    assert people[0] == ["Đảng viên", "Ghi chú \\| cột"] and people[1] == ["---", "---"]
    assert people[2][0].startswith("Trần \\[red\\]Văn\\[/red\\] \\<b>Ba\\</b> \\| a\\|b")
    assert people[2][1] == "dòng 1<br>dòng 2"
    assert people[3] == ["Lê Văn Tám", ""]
    assert "**Bảng trạng thái**\n\n| Mã | Yêu cầu | Trạng thái |\n|---|---|---|\n| R0 |" in md
    # a CommonMark + tables parser sees the same shape
    html = md_html(md)
    assert html.count("<tr>") == len(STATUS_KINDS) + 1 + 3
    assert "<td>dòng 1<br>dòng 2</td>" in html
    assert ("<td>Trần [red]Văn[/red] &lt;b&gt;Ba&lt;/b&gt; | a|b :thumbs_up: *x* _y_ &amp;amp; "
            "[link](http://example.com)</td>") in html


def test_markdown_statuses_plain():
    md = to_markdown(full_doc())
    assert "status" not in md and "\x1b" not in md
    assert "| R1 | Yêu cầu số 1 | tt-gap |" in md


# --------------------------------------------------------------------------------------------- HTML


def test_html_well_formed_and_self_contained():
    source = to_html(full_doc())
    page = TextAndTags(source)
    assert page.decl == ["DOCTYPE html"] and source.startswith("<!DOCTYPE html>\n")
    assert not page.errors and page.stack == []
    assert page.named("html") == [{"lang": "vi"}]
    assert {"charset": "utf-8"} in page.named("meta")
    used = {tag for tag, _ in page.tags}
    assert not used & {"script", "link", "img", "iframe", "object", "embed", "a", "base", "form", "svg", "video"}
    attrs = {name for _, a in page.tags for name in a}
    assert attrs <= {"lang", "charset", "name", "content", "class", "id", "style", "scope"}
    style = re.search(r"<style>(.*?)</style>", source, re.S).group(1)
    assert "url(" not in style and "@import" not in style and "http" not in style
    assert FONT_STACK in style and "@media print" in style and "size: A4" in style
    assert "page-break-inside: avoid" in style
    assert to_html(full_doc("en")).count('<html lang="en">') == 1


def test_html_every_text_escaped():
    source = to_html(full_doc())
    page = TextAndTags(source)
    shown = flat(page.all_text())
    for line in lines_of(full_doc()):
        assert flat(line) in shown, line
    assert shown.count(flat(HOSTILE)) == 4
    assert not page.named("b")
    assert "&lt;b&gt;Ba&lt;/b&gt;" in source and "&amp;amp;" in source
    assert re.search(r"<title>(.*?)</title>", source).group(1) == f"Báo cáo rà soát — {CELL}"
    assert re.search(r"<h1>(.*?)</h1>", source).group(1) == f"Báo cáo rà soát — {CELL}"
    assert '<footer><p><small>Lập bởi chibo 0.1.0 — rà soát ngày 31/12/2020</small></p></footer>' in source


def test_html_status_classes_and_anchors():
    source = to_html(full_doc())
    for name in STATUS_KINDS:
        assert f'<span class="status status-{name}">{status_label(name)}</span>' in source
        assert re.search(rf"\.status-{name} {{ color: [^}}]+}}", source), name
    assert '<strong class="status status-passed">Đạt</strong>' in source
    ids = [a["id"] for a in TextAndTags(source).named("section") if "id" in a]
    assert ids == ["B.I", "R14", "R14-2", "ready"]
    assert '<col style="width: 14.3%"><col style="width: 57.1%"><col style="width: 28.6%">' in source


def test_meta_without_label_shows_value_alone():
    doc = Document(lang="vi", title="T", meta=[("Chi bộ", CELL), ("", "(đánh giá bằng bộ kiểm chứng)")])
    assert rich_output(doc) == f"T\nChi bộ: {CELL}\n(đánh giá bằng bộ kiểm chứng)\n"
    assert to_markdown(doc) == f"# T\n\n**Chi bộ:** {CELL}  \n(đánh giá bằng bộ kiểm chứng)  \n"
    assert '<div class="meta">\n<p><span class="meta-label">Chi bộ:</span> ' + CELL + "</p>\n" \
           "<p>(đánh giá bằng bộ kiểm chứng)</p>\n</div>" in to_html(doc)


def test_renderers_refuse_unknown_blocks():
    doc = Document(lang="vi", title="T", sections=[Section("S", blocks=["không phải khối"])])  # type: ignore[list-item]
    for render in (to_markdown, to_html, lambda d: rich_output(d)):
        with pytest.raises(TypeError, match="not a document block: str"):
            render(doc)


# --------------------------------------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def browser():
    chromium.skip_if_missing()
    with chromium.session() as session:
        yield session


@pytest.fixture(scope="module")
def page_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(to_html(full_doc()), encoding="utf-8")
    return path


def test_browser_shows_vietnamese_text(browser, page_file):
    browser.open(page_file)
    shown = browser.text()
    assert unicodedata.is_normalized("NFC", shown)
    for text in (CELL, SUPERVISED, NOT_SUPERVISED, f"Phạm Thị Hồng Nhiên (P30): {NOT_SUPERVISED}", CLAUSE,
                 "Trần [red]Văn[/red] <b>Ba</b> | a|b :thumbs_up: *x* _y_ &amp; [link](http://example.com)"):
        assert text in shown, text
    for line in lines_of(full_doc()):
        assert flat(line) in flat(shown), line
    assert browser.driver.title == f"Báo cáo rà soát — {CELL}"
    assert browser.text("h1") == f"Báo cáo rà soát — {CELL}"
    # one font drew every glyph of the title, diacritics included (no fallback font, no missing glyph)
    fonts = browser.fonts("h1")
    assert len(fonts) == 1 and next(iter(fonts)) in ("Noto Sans", "DejaVu Sans"), fonts


def test_browser_status_colours(browser, page_file):
    browser.open(page_file)
    props = ("color", "background-color", "font-weight", "text-decoration-line")
    body = browser.styles("body", "color")[0]["color"]
    seen = {}
    for name in STATUS_KINDS:
        [style] = browser.styles(f"td .status-{name}", *props)
        css = STATUS_CSS[name]
        expected_colour = body if css["color"] == "inherit" else chromium.rgb(css["color"])
        expected_back = "rgba(0, 0, 0, 0)" if css["background-color"] == "transparent" else chromium.rgb(
            css["background-color"])
        assert style["color"] == expected_colour, name
        assert style["background-color"] == expected_back, name
        assert style["font-weight"] == css.get("font-weight", "600"), name
        assert style["text-decoration-line"] == css.get("text-decoration", "none"), name
        seen[name] = style
    assert seen["gap"]["color"] == "rgb(179, 38, 30)" and seen["passed"]["color"] == "rgb(23, 105, 43)"
    assert seen["gap"] != seen["passed"]
    assert all(browser.visible("td .status"))


def test_browser_print_rules(browser, page_file):
    """As printed: no background colours to rely on, gap still bold and underlined, rows kept whole."""
    browser.open(page_file, media="print")
    try:
        [gap] = browser.styles("td .status-gap", "color", "background-color", "font-weight", "text-decoration-line")
        assert gap == {"color": "rgb(179, 38, 30)", "background-color": "rgba(0, 0, 0, 0)", "font-weight": "700",
                       "text-decoration-line": "underline"}
        assert {s["background-color"] for s in browser.styles(".status", "background-color")} == {"rgba(0, 0, 0, 0)"}
        assert {s["break-inside"] for s in browser.styles("tr", "break-inside")} == {"avoid"}
    finally:
        browser.open(page_file)


def test_browser_tables(browser, page_file):
    browser.open(page_file)
    assert browser.count("table") == 2
    assert browser.texts("caption") == ["Bảng trạng thái"]
    assert browser.count("#B\\.I > table tbody tr") == len(STATUS_KINDS)
    rows = browser.texts("#B\\.I > table tbody tr")
    assert [r.split("\t") for r in rows] == [[f"R{i}", f"Yêu cầu số {i}", status_label(n)]
                                             for i, n in enumerate(STATUS_KINDS)]
    assert browser.texts("#R14 th") == ["Đảng viên", "Ghi chú | cột"]
    assert browser.texts("#R14 tbody tr td:nth-child(2)") == ["dòng 1\ndòng 2", ""]
    assert all(browser.visible("tbody tr"))
    widths = [w["width"] for w in browser.styles("#B\\.I > table thead th", "width")]
    assert float(widths[1][:-2]) > 3 * float(widths[0][:-2])  # ratios 1:4:2


def test_browser_checklist_and_quote(browser, page_file):
    browser.open(page_file)
    assert browser.texts("#ready li.check") == ["☑ Biên bản tháng 11 đã ký",
                                                "☐ Nghị quyết tháng 12 chưa có\ncần nộp trước 05/01/2021"]
    assert [s["color"] for s in browser.styles(".box", "color")] == ["rgb(23, 105, 43)", "rgb(179, 38, 30)"]
    assert browser.texts("blockquote") == [f"“{CLAUSE}”"]
    assert browser.styles("blockquote", "font-style") == [{"font-style": "italic"}]


A4 = (595.28, 841.89)


def test_browser_prints_small_report_on_one_a4_page(browser, tmp_path):
    path = tmp_path / "small.html"
    path.write_text(to_html(small_doc()), encoding="utf-8")
    browser.open(path)
    pages = chromium.pdf_pages(browser.pdf())
    assert len(pages) == 1
    width, height, text = pages[0]
    assert abs(width - A4[0]) < 1 and abs(height - A4[1]) < 1
    text = unicodedata.normalize("NFC", text)
    for line in (CELL, SUPERVISED, NOT_SUPERVISED, "Nguyễn Văn An"):
        assert line in text, line


def test_browser_prints_long_table_without_splitting_rows(browser, tmp_path):
    """Rows of six lines over several pages: each row on one page (Chromium splits them without the CSS)."""
    rows: list[list[Cell]] = [[f"P{i:02d}", "\n".join(f"{NOT_SUPERVISED} {k} của {i}" for k in range(6)),
                               Span("Chưa đạt", "gap") if i % 3 else Span("Đạt", "passed")] for i in range(60)]
    table = Table(["Mã", "Tên", "Kết quả"], rows)
    doc = Document(lang="vi", title=CELL, sections=[Section(SUPERVISED, blocks=[table])])
    path = tmp_path / "long.html"
    path.write_text(to_html(doc), encoding="utf-8")
    browser.open(path)
    pdf = browser.pdf()
    pages = chromium.pdf_pages(pdf)
    assert len(pages) > 3
    assert all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h, _ in pages)
    found = [re.findall(rf"{NOT_SUPERVISED} (\d) của (\d+)$", unicodedata.normalize("NFC", t), re.M)
             for _, _, t in pages]
    for i in range(60):
        holders = {p for p, lines in enumerate(found) if any(int(row) == i for _, row in lines)}
        assert len(holders) == 1, (i, holders)
        assert sorted(int(k) for lines in found for k, row in lines if int(row) == i) == list(range(6)), i
    # the header row is repeated on every page
    assert all(t.count("Mã Tên Kết quả") == 1 for _, _, t in pages)
    fonts = chromium.pdf_fonts(pdf)
    assert fonts and all(re.match(r"(NotoSans|DejaVuSans)", f) for f in fonts), fonts
