"""A `Document` as a Word file laid out as a Party document (Hướng dẫn 36-HD/VPTW, Văn phòng Trung ương Đảng, 2018).

The layout, top to bottom: a two-column header block without borders — top left the higher committee (capitals),
the issuer (capitals, bold), a star and the number line ("Số ……-BC/CB", the number left for the secretary); top
right "ĐẢNG CỘNG SẢN VIỆT NAM" (capitals, bold, underlined by a rule as long as the title) and the place-and-date
line in italics —; the kind of document and its subject, centred; the body (the Document's facts, summary and
sections: headings, paragraphs, lists, tables with their header row repeated on every page and rows never split
across pages; a table too wide for a portrait page gets a landscape section of its own); the closing, kept on one
page: "Nơi nhận:" and its list bottom left, the signature block bottom right (authority and position in bold
capitals, room to sign, the name). A4 portrait, Times New Roman, page numbers at the top from the second page.

Sizes (points) and margins follow the guidance's table of elements as published (see docs/party-documents.md
for the sources and what was not confirmed): title 15 bold, committees 14 (issuer bold), number 14, place and
date 14 italic, kind 16 bold, subject 14 bold, body 14, tables 13 (12 in a landscape table), recipients 12 under
"Nơi nhận:" 14, signature 14 bold; margins top 25, bottom 25, left 35, right 15 mm.

The file's core properties name chibo as its creator and carry a fingerprint of its text (writing.py): an
earlier report chibo wrote and nobody edited may be replaced, a file someone opened and saved (in Word or
LibreOffice) is theirs, never overwritten without --force.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import IO

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from .. import __version__
from ..writing import DOCX_CREATOR, docx_fingerprint
from .document import Block, Bullets, Cell, Closing, Document, Paragraph, PartyHeader, Section, Signature, Span, Table
from .output import CHECK_MARK, STATUS_CSS, proportional

FONT = "Times New Roman"
PAGE = (Mm(210), Mm(297))
MARGINS = {"top": Mm(25), "bottom": Mm(25), "left": Mm(35), "right": Mm(15)}
HEADER_DISTANCE = Mm(10)  # the page number: 10 mm from the top edge
SIZE = {"party": 15, "committee": 14, "number": 14, "place_date": 14, "kind": 16, "subject": 14, "body": 14,
        "note": 13, "table": 13, "wide_table": 12, "recipients_label": 14, "recipients": 12, "signature": 14,
        "page_number": 13, "generator": 9}
# a table with this many columns or more is printed on a landscape page
WIDE_TABLE = 8
UNDERLINED = ("gap", "not_ready", "error")  # as in the HTML's print rules: read without colour too
HEADER_SPLIT = (0.5, 0.5)  # left and right column of the header block, of the text width
MIN_COLUMN, MIN_COLUMN_WIDE = Mm(14), Mm(17)  # no table column narrower (portrait, landscape)
# a column of status words: wide enough for the longest ("Thiếu dữ liệu", "Được miễn trừ") at 13 pt on one line
STATUS_COLUMN, STATUS_COLUMN_WIDE, STATUS_WORDS = Mm(30), Mm(27), 16
NUMBER_COLUMN = Mm(16)  # a column of counts: its header's longest word ("Thiếu", "miễn") on one line
ROW_NUMBER_COLUMN = Mm(10)  # "#", "TT": a row's number
CLOSING_SPLIT = (0.5, 0.5)
SIGNING_ROOM = 4  # empty lines left to sign in


def write_docx(doc: Document, stream: IO[bytes]) -> None:
    """Render `doc` and write the .docx to a binary stream."""
    stream.write(to_docx(doc))


def to_docx(doc: Document) -> bytes:
    doc = doc.filed() if doc.filed else doc  # a Word report is filed: its body names no source file
    word = new_docx()
    # a document whose first section is a wide table (the roll-up) is landscape from its first page
    _page_setup(word, landscape=bool(doc.sections) and _wide(doc.sections[0]) is True)
    _styles(word, doc.lang)
    if doc.header is not None:
        _header_block(word, doc.header)
    else:
        _centred(word, doc.title, SIZE["kind"], bold=True)
    _body(word, doc)
    if doc.closing is not None:
        _closing(word, doc.closing)
    _core(word, doc)
    first = _save(word)
    # the fingerprint of the text, then the same package again with it in the core properties
    word.core_properties.identifier = docx_fingerprint(first)
    return _save(word)


def _save(word) -> bytes:
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------------- page, styles


def _text_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


def _page_setup(word, landscape: bool) -> None:
    section = word.sections[0]
    _turn(section, landscape)
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = HEADER_DISTANCE
    section.different_first_page_header_footer = True  # no number on the first page
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", SIZE["page_number"])


def _field(paragraph, code: str, size: int) -> None:
    """A Word field (PAGE) as its three runs: begin, instruction, end."""
    for kind, text in (("begin", None), (None, code), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(size)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {text} "
            run._r.append(instr)


def _fonts(element, lang: str | None = None) -> None:
    """Times New Roman for every script slot of a style or run, and the text's language."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)
    if lang:
        tag = rpr.find(qn("w:lang"))
        if tag is None:
            tag = OxmlElement("w:lang")
            rpr.append(tag)
        tag.set(qn("w:val"), "vi-VN" if lang == "vi" else "en-GB")


def _styles(word, lang: str) -> None:
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(SIZE["body"])
    _fonts(normal.element, lang)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(4), 1.05
    for level, size in ((1, SIZE["body"]), (2, SIZE["body"]), (3, SIZE["body"])):
        style = word.styles[f"Heading {level}"]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = level == 3
        style.font.color.rgb = RGBColor(0, 0, 0)
        _fonts(style.element)
        style.paragraph_format.space_before = Pt(10 if level == 1 else 6)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    for name in ("Header", "Footer"):
        word.styles[name].font.name = FONT
        _fonts(word.styles[name].element)


def _core(word, doc: Document) -> None:
    props = word.core_properties
    props.author = props.last_modified_by = DOCX_CREATOR
    props.comments = f"{DOCX_CREATOR} {__version__}"
    props.title = doc.title
    props.subject = doc.header.subject if doc.header else ""
    props.language = "vi-VN" if doc.lang == "vi" else "en-GB"
    props.revision = 1
    props.created = props.modified = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    if doc.footer:  # who produced it, in small print at the foot of every page
        for section in word.sections:
            paragraph = section.footer.paragraphs[0]
            if not paragraph.text:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                run = paragraph.add_run(doc.footer)
                run.font.size = Pt(SIZE["generator"])
                run.italic = True


# ------------------------------------------------------------------------------------------------ runs


def _run(paragraph, text: str, size: int | None = None, bold: bool = False, italic: bool = False,
         underline: bool = False, status: str | None = None):
    run = paragraph.add_run(text)
    if size:
        run.font.size = Pt(size)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if status in STATUS_CSS and STATUS_CSS[status]["color"].startswith("#"):
        run.font.color.rgb = RGBColor.from_string(STATUS_CSS[status]["color"].lstrip("#").upper())
        if status in UNDERLINED:
            run.underline = True
    return run


def _cells(paragraph, cells: Iterable[Cell], size: int | None = None, bold: bool = False,
           italic: bool = False) -> None:
    for cell in cells:
        if isinstance(cell, Span):
            _run(paragraph, cell.text, size, bold or cell.strong, italic, status=cell.status)
        else:
            _run(paragraph, str(cell), size, bold, italic)


def _paragraph(container, align=None, space_after: float | None = None, keep: bool = False):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    if keep:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _centred(container, text: str, size: int, bold: bool = False, italic: bool = False,
             underline: bool = False, space_after: float = 0):
    paragraph = _paragraph(container, WD_ALIGN_PARAGRAPH.CENTER, space_after)
    _run(paragraph, text, size, bold, italic, underline)
    return paragraph


# -------------------------------------------------------------------------------------------- header


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    table._tbl.tblPr.append(borders)


def _layout_table(word, split: tuple[float, ...]):
    """A borderless table of one row across the text width, its columns in the proportions of `split`."""
    width = _text_width(word.sections[-1])
    table = word.add_table(rows=1, cols=len(split))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borderless(table)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), "57")  # 1 mm: the header's long lines need the width
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.append(margins)
    _fixed(table, [int(width * share) for share in split])
    _cant_split(table.rows[0])
    return table


def _fixed(table, widths: list[int]) -> None:
    """Column widths Word and LibreOffice both honour: a fixed layout, the grid and every cell."""
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


KEPT_ROW_LINES = 5  # a row this short never breaks over a page; a taller one may, under the repeated header


def _row_lines(row: list, widths: list[int], size: float) -> int:
    """About how many lines the row's fullest cell takes at these widths (a character is about half the font's
    size wide). A tall row kept whole would leave the rest of a page empty and start the table on the next."""
    most = 1
    for value, width in zip(row, widths):
        chars = max(4, int(width / (size * Pt(1) / 2)))  # widths in EMU; a character about half a point size
        text = value.text if isinstance(value, Span) else str(value)
        most = max(most, sum(max(1, -(-len(line) // chars)) for line in text.split("\n")))
    return most


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _header_block(word, head: PartyHeader) -> None:
    table = _layout_table(word, HEADER_SPLIT)
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(left.paragraphs[0], head.higher, SIZE["committee"])
    _centred(left, head.issuer, SIZE["committee"], bold=True)
    _centred(left, "*", SIZE["committee"])
    _centred(left, head.number, SIZE["number"])
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].paragraph_format.space_after = Pt(10)
    _run(right.paragraphs[0], head.party, SIZE["party"], bold=True, underline=True)
    _centred(right, head.place_date, SIZE["place_date"], italic=True)
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.space_after = paragraph.paragraph_format.space_after or Pt(0)
    _paragraph(word, space_after=6)
    _centred(word, head.kind, SIZE["kind"], bold=True)
    _centred(word, head.subject, SIZE["subject"], bold=True, space_after=2)
    _centred(word, "-" * 5, SIZE["subject"], space_after=10)


# ---------------------------------------------------------------------------------------------- body


def _body(word, doc: Document) -> None:
    for label, value in doc.meta:
        paragraph = _paragraph(word, WD_ALIGN_PARAGRAPH.JUSTIFY)
        if label:
            _run(paragraph, f"{label}: ", bold=True)
        _run(paragraph, value)
    if doc.summary:
        paragraph = _paragraph(word, WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=8)
        _cells(paragraph, doc.summary, bold=True)
    for section in doc.sections:
        # a top-level section with a table too wide for portrait gets landscape pages, from its heading on;
        # a later section with narrow tables only goes back to portrait; one without tables stays as it is
        wide = _wide(section)
        if wide is not None:
            _orient(word, wide)
        _section(word, section, 1)


def _tables(section: Section) -> list[Table]:
    found = [b for b in section.blocks if isinstance(b, Table)]
    return found + [t for sub in section.sections for t in _tables(sub)]


def _columns(table: Table) -> int:
    return max([len(table.columns), *(len(row) for row in table.rows)])


def _wide(section: Section) -> bool | None:
    """Whether a top-level section needs landscape pages (None: it has no table, either will do)."""
    widths = [_columns(b) for b in _tables(section)]
    return max(widths) >= WIDE_TABLE if widths else None


def _orient(word, landscape: bool) -> None:
    """Continue on landscape (or portrait) pages: a new section from the next page."""
    if (word.sections[-1].orientation == WD_ORIENT.LANDSCAPE) == landscape:
        return
    section = word.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    _turn(section, landscape)


def _turn(section, landscape: bool) -> None:
    short, long_ = PAGE
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long_, short) if landscape else (short, long_)


def _section(word, section: Section, level: int) -> None:
    if section.title:
        word.add_heading(section.title, min(level, 3))
    for block in section.blocks:
        _block(word, block)
    for sub in section.sections:
        _section(word, sub, level + 1)


def _block(word, block: Block) -> None:
    if isinstance(block, Paragraph):
        paragraph = _paragraph(word, WD_ALIGN_PARAGRAPH.JUSTIFY)
        if block.style == "quote":
            paragraph.paragraph_format.left_indent = Mm(8)
            _cells(paragraph, _quoted(block.parts), italic=True)
        elif block.style == "note":
            _cells(paragraph, block.parts, SIZE["note"], italic=True)
        else:
            _cells(paragraph, block.parts, bold=block.style == "strong")
    elif isinstance(block, Bullets):
        for item in block.items:
            paragraph = _paragraph(word, WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=2)
            _hanging(paragraph, Mm(5), Mm(5))
            mark = "-" if item.checked is None else CHECK_MARK[bool(item.checked)]
            _run(paragraph, f"{mark}\t", status=None if item.checked is None else
                 ("ready" if item.checked else "not_ready"))
            _cells(paragraph, item.text)
            for child in item.children:
                sub = _paragraph(word, WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=2)
                _hanging(sub, Mm(12), Mm(4))
                _run(sub, f"+\t{child}", SIZE["note"])
    elif isinstance(block, Table):
        _table(word, block)
    else:
        raise TypeError(f"not a document block: {type(block).__name__}")


def _quoted(cells: list[Cell]) -> list[Cell]:
    plain = "".join(c.text if isinstance(c, Span) else str(c) for c in cells).strip()
    return list(cells) if plain.startswith("“") and plain.endswith("”") else ["“", *cells, "”"]


def _hanging(paragraph, indent, hang) -> None:
    fmt = paragraph.paragraph_format
    fmt.left_indent = indent
    fmt.first_line_indent = -hang
    fmt.tab_stops.add_tab_stop(indent)


def _table(word, block: Table) -> None:
    width = _columns(block)
    wide = word.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    size = SIZE["wide_table" if wide else "table"]
    if block.title:
        paragraph = _paragraph(word, keep=True)
        _run(paragraph, block.title, size, bold=True)
    table = word.add_table(rows=1, cols=width)
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    ratios = block.ratios if block.ratios and len(block.ratios) == width and sum(block.ratios) else [1] * width
    minimum = MIN_COLUMN_WIDE if wide else MIN_COLUMN
    statuses, numbers = status_columns(block, width), number_columns(block, width)
    status_width = STATUS_COLUMN_WIDE if wide else STATUS_COLUMN
    minimums = [status_width if i in statuses else numbers[i] if i in numbers else minimum for i in range(width)]
    widths = column_widths(_text_width(word.sections[-1]), ratios, minimums)
    _fixed(table, widths)
    head = table.rows[0]
    _cant_split(head)
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated on every page
    for cell, text in zip(head.cells, list(block.columns) + [""] * (width - len(block.columns))):
        _shade(cell, "E7E6E6")
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, size, bold=True)
    for row in block.rows:
        cells = table.add_row()
        if _row_lines(row, widths, size) <= KEPT_ROW_LINES:
            _cant_split(cells)
        for column, (cell, value) in enumerate(zip(cells.cells, list(row) + [""] * (width - len(row)))):
            if column in statuses:  # "Chưa đạt" on one line, never "Chưa / đạt"
                cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
            lines = (value.text if isinstance(value, Span) else str(value)).split("\n")
            for n, line in enumerate(lines):
                paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
                paragraph.paragraph_format.space_after = Pt(0)
                if isinstance(value, Span):
                    _cells(paragraph, [Span(line, value.status, value.strong)], size)
                else:
                    _run(paragraph, line, size)
    _paragraph(word, space_after=4)


def status_columns(block: Table, width: int) -> set[int]:
    """The columns holding a status word in every row ("Chưa đạt", "Thiếu dữ liệu"): kept on one line."""
    found = set()
    for i in range(width):
        values = [row[i] for row in block.rows if i < len(row)]
        if values and all(isinstance(v, Span) and v.status and len(v.text) <= STATUS_WORDS for v in values):
            found.add(i)
    return found


def number_columns(block: Table, width: int) -> dict[int, int]:
    """The columns of numbers only and their least width: a count ("Đạt", "Chưa đạt"…) narrower than other
    columns, its header wrapping between words; a row number ("#", "TT") narrower still."""
    found: dict[int, int] = {}
    for i in range(width):
        values = [row[i] for row in block.rows if i < len(row)]
        if values and all(isinstance(v, str) and v.isdigit() for v in values):
            header = block.columns[i] if i < len(block.columns) else ""
            found[i] = ROW_NUMBER_COLUMN if len(header) <= 2 else NUMBER_COLUMN
    return found


def column_widths(total: int, ratios: list[int], minimum: int | list[int] = MIN_COLUMN) -> list[int]:
    """Widths in proportion to `ratios`, none narrower than its minimum (a code such as "R41" or a status must
    fit on one line): the narrow ones are raised and the others share what is left."""
    return proportional(total, ratios, minimum if isinstance(minimum, list) else [minimum] * len(ratios))


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


# ------------------------------------------------------------------------------------------- closing


def _keep_last_lines(word, most: int = 8) -> None:
    """The body's last paragraphs, back to the last heading (at most `most`, none past a table), kept with
    what follows: the signatures never stand alone on a page of their own."""
    for element in reversed(list(word.element.body.iterchildren())):
        if element.tag == qn("w:tbl") or most == 0:
            return
        if element.tag != qn("w:p"):
            continue
        paragraph = DocxParagraph(element, word._body)
        paragraph.paragraph_format.keep_with_next = True
        most -= 1
        if paragraph.style is not None and paragraph.style.name.startswith("Heading"):
            return


def _closing(word, closing: Closing) -> None:
    _keep_last_lines(word)
    _paragraph(word, space_after=6).paragraph_format.keep_with_next = True
    blocks: list[tuple[str, Signature | None]] = []
    if closing.recipients_label or closing.recipients:
        blocks.append(("recipients", None))
    blocks += [("signature", s) for s in closing.signatures]
    split = CLOSING_SPLIT if len(blocks) == 2 else tuple(1 / len(blocks) for _ in blocks)
    table = _layout_table(word, split)
    for cell, (kind, signature) in zip(table.rows[0].cells, blocks):
        first = cell.paragraphs[0]
        if kind == "recipients":
            _run(first, closing.recipients_label, SIZE["recipients_label"], bold=True, italic=True,
                 underline=True)
            for line in closing.recipients:
                paragraph = cell.add_paragraph()
                paragraph.paragraph_format.space_after = Pt(0)
                _run(paragraph, line, SIZE["recipients"])
            continue
        assert signature is not None
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first.paragraph_format.space_after = Pt(0)
        for n, line in enumerate(signature.lines):
            paragraph = first if n == 0 else _paragraph(cell, WD_ALIGN_PARAGRAPH.CENTER, 0)
            _run(paragraph, line, SIZE["signature"], bold=True)
        if signature.note:
            _centred(cell, signature.note, SIZE["note"], italic=True)
        for _ in range(SIGNING_ROOM):
            _centred(cell, "", SIZE["signature"])
        _centred(cell, signature.name, SIZE["signature"], bold=True)
