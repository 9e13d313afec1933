"""A `Document` in three formats: rich terminal output, Markdown and one self-contained printable HTML page.

Renderers only lay out and escape: the text is final (document.py). Every block type and every status is
rendered by all three, and no text is dropped (tests/test_output.py checks each text of a Document appears).
Terminal text is built as rich `Text` objects, never parsed as markup, so "[red]" in a name stays literal.
"""

from __future__ import annotations

import html
import re

from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table as RichTable
from rich.text import Text

from .. import __version__
from .document import (
    STATUS_KINDS,
    Block,
    Bullets,
    Cell,
    Closing,
    Document,
    Paragraph,
    PartyHeader,
    Section,
    Span,
    Table,
)

# --------------------------------------------------------------------------------------------- terminal

STATUS_STYLE = {
    "passed": "green", "gap": "bold red", "no_data": "yellow", "not_due": "cyan", "advisory": "magenta",
    "behind_pace": "dark_orange", "on_pace": "green", "exempted": "blue",
    "ready": "green", "not_ready": "bold red", "info": "default",
    "error": "bold red", "fixed": "green", "new": "bold red",
}
CHECK_MARK = {True: "☑", False: "☐"}
CHECK_STYLE = {True: "bold green", False: "bold red"}
PARAGRAPH_STYLE = {"plain": "", "quote": "italic", "note": "dim", "strong": "bold"}
OPEN_QUOTE, CLOSE_QUOTE = "“", "”"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def safe(text: str) -> str:
    """Text from fact files never drives the terminal: control and escape characters (an ESC starting a colour
    or a cursor move, a carriage return hiding a line, a bell) are shown escaped, as \\x1b."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                        text)


def _text(cells: list[Cell], style: str = "", strong_spans: bool = True) -> Text:
    """Cells as one rich Text: plain strings appended as they are (no markup), spans coloured by status."""
    out = Text(style=style)
    for cell in cells:
        if isinstance(cell, Span):
            parts = [STATUS_STYLE.get(cell.status or "", "")]
            if cell.strong and strong_spans:
                parts.append("bold")
            out.append(safe(cell.text), style=" ".join(p for p in parts if p) or None)
        else:
            out.append(safe(str(cell)))
    return out


def _quoted(cells: list[Cell]) -> list[Cell]:
    """A plan clause between “…” (unless it already is)."""
    plain = "".join(c.text if isinstance(c, Span) else str(c) for c in cells).strip()
    if plain.startswith(OPEN_QUOTE) and plain.endswith(CLOSE_QUOTE):
        return list(cells)
    return [OPEN_QUOTE, *cells, CLOSE_QUOTE]


def _emit(console: Console, text: Text, lead: Text | str = "") -> None:
    """Print `text` after `lead`, wrapped to the console with a hanging indent under the lead."""
    lead = lead if isinstance(lead, Text) else Text(lead)
    indent = lead.cell_len
    lines = list(text.wrap(console, max(console.width - indent, 20)))
    for i, line in enumerate(lines or [Text()]):
        line.rstrip()
        console.print(Text.assemble(lead if i == 0 else " " * indent, line), soft_wrap=True)


def _width(table: Table) -> int:
    return max([len(table.columns), *(len(row) for row in table.rows)])


BODY_WORD_CAPS = (40, 20, 16, 12, 10)


def _plain(cell: Cell) -> str:
    return cell.text if isinstance(cell, Span) else str(cell)


def _longest_word(text: str) -> int:
    return max((Text(word).cell_len for word in text.split()), default=0)


def fitted_widths(room: int, ratios: list[int], minimums: list[int]) -> list[int] | None:
    """Content widths sharing `room` in proportion to `ratios`, none below its minimum (its header's longest
    word): a column whose share is too small gets its minimum and the others share the rest. None when the
    minimums alone do not fit."""
    return None if sum(minimums) > room else proportional(room, ratios, minimums)


def proportional(room: int, ratios: list[int], minimums: list[int]) -> list[int]:
    """Widths sharing `room` in proportion to `ratios`, none below its minimum where they can all be met: the
    narrow ones are raised to their minimum and the others share what is left (the terminal's table, above, and
    the Word table, report/docx.py, size their columns alike). When every column left is narrow, they keep
    their proportional widths (only possible when the minimums do not fit)."""
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(len(ratios)) if i not in fixed]
        left = room - sum(fixed.values())
        share = sum(ratios[i] for i in free) or 1
        widths = {i: int(left * ratios[i] / share) for i in free}
        narrow = {i for i, w in widths.items() if w < minimums[i]}
        if not narrow or len(narrow) == len(free):
            return [fixed.get(i, widths.get(i, minimums[i])) for i in range(len(ratios))]
        fixed.update({i: minimums[i] for i in narrow})


def _rich_table(table: Table, console_width: int | None = None) -> RichTable:
    """A table across the console; no column narrower than its header's longest word, so a narrow terminal
    (100 columns, a roll-up of 11 columns) wraps headers between words, never inside one ("Thi/ếu")."""
    width = _width(table)
    ratios = table.ratios if table.ratios and len(table.ratios) == width and sum(table.ratios) else None
    out = RichTable(title=Text(table.title) if table.title else None, title_justify="left",
                    title_style="bold", expand=True)
    headers = [safe(table.columns[i] if i < len(table.columns) else "") for i in range(width)]
    minimums = [max(_longest_word(h), 1) for h in headers]
    widths = None
    if ratios and console_width:  # the borders (one more than the columns) and a space each side of a cell
        room = console_width - (width + 1) - 2 * width
        words = [max((_longest_word(_plain(row[i])) for row in table.rows if i < len(row)), default=0)
                 for i in range(width)]
        # the cells' words too ("vbn1-2020" whole) as far as they fit, the longest ones cut first
        for cap in (*BODY_WORD_CAPS, 0):
            widths = fitted_widths(room, ratios, [max(m, min(w, cap)) for m, w in zip(minimums, words)])
            if widths:
                break
    for i, header in enumerate(headers):
        if widths:
            out.add_column(Text(header), width=widths[i], overflow="fold")
        else:
            out.add_column(Text(header), ratio=(ratios[i] or None) if ratios else None, overflow="fold",
                           min_width=minimums[i])
    for row in table.rows:
        out.add_row(*[_text([cell]) for cell in row], *[Text()] * (width - len(row)))
    return out


def _rich_block(console: Console, block: Block, indent: int) -> None:
    pad = " " * indent
    if isinstance(block, Paragraph):
        style = PARAGRAPH_STYLE.get(block.style, "")
        if block.style == "quote":
            _emit(console, _text(_quoted(block.parts), style), pad + "  ")
        else:
            _emit(console, _text(block.parts, style, strong_spans=block.style != "strong"), pad)
    elif isinstance(block, Bullets):
        for item in block.items:
            if item.checked is None:
                lead = Text(pad + "  • ")
            else:
                lead = Text.assemble(pad + "  ", (CHECK_MARK[bool(item.checked)], CHECK_STYLE[bool(item.checked)]),
                                     " ")
            _emit(console, _text(item.text), lead)
            for child in item.children:
                _emit(console, Text(safe(child)), pad + "      – ")
    elif isinstance(block, Table):
        renderable: RenderableType = _rich_table(block, console.width - indent)
        console.print(Padding(renderable, (0, 0, 0, indent)) if indent else renderable)
    else:
        raise TypeError(f"not a document block: {type(block).__name__}")


def _rich_section(console: Console, section: Section, depth: int) -> None:
    indent = 2 * depth
    console.print()
    _emit(console, Text(safe(section.title), style="bold underline" if depth == 0 else "bold"), " " * indent)
    for block in section.blocks:
        _rich_block(console, block, indent)
    for sub in section.sections:
        _rich_section(console, sub, depth + 1)


def _said_last(doc: Document) -> bool:
    """Whether the last section already says the summary in a paragraph of its own (the review's conclusion, its
    proposed rating): the terminal, which prints the summary at the end, then does not say it twice in a row."""
    if not doc.sections:
        return False
    last = doc.sections[-1]
    while last.sections:
        last = last.sections[-1]
    summary = "".join(_plain(c) for c in doc.summary)
    return any(isinstance(b, Paragraph) and "".join(_plain(c) for c in b.parts) == summary for b in last.blocks)


def print_rich(doc: Document, console: Console) -> None:
    """The document on a terminal: bold title, "label: value" lines, a heading and tables per section,
    coloured statuses, the summary in bold at the end and the footer dimmed."""
    _emit(console, Text(safe(doc.title), style="bold"))
    for label, value in doc.meta:  # a fact without a label is shown alone
        _emit(console, Text.assemble((f"{safe(label)}: ", "bold"), safe(value)) if label else Text(safe(value)))
    for section in doc.sections:
        _rich_section(console, section, 0)
    if doc.summary and not _said_last(doc):
        console.print()
        _emit(console, _text(doc.summary, "bold", strong_spans=False))
    if doc.footer:
        console.print()
        _emit(console, Text(safe(doc.footer), style="dim"))


# --------------------------------------------------------------------------------------------- Markdown

# "_" inside a word ("no_data") cannot start emphasis and is left alone
_MD_SPECIAL = re.compile(r"([\\`*\[\]<|~]|(?<!\w)_|_(?!\w))")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# what would start a block (heading, list, quote, setext underline, ordered list) at the start of a line
_MD_LINE_START = re.compile(r"^(?:([#>+\-=])|(\d+)([.)]))")


def _md_escape(text: str) -> str:
    """Inline text: HTML, links, emphasis, code and table pipes all shown literally."""
    return _MD_ENTITY.sub(r"\\&", _MD_SPECIAL.sub(r"\\\1", text))


def _md_emph(text: str, marker: str) -> str:
    """`marker` around text, whitespace kept outside (CommonMark ignores `** x**`)."""
    core = text.strip()
    if not core:
        return text
    start = len(text) - len(text.lstrip())
    return f"{text[:start]}{marker}{core}{marker}{text[start + len(core):]}"


def _md_cells(cells: list[Cell], strong_spans: bool = True) -> str:
    out = []
    for cell in cells:
        if isinstance(cell, Span):
            text = _md_escape(cell.text)
            out.append(_md_emph(text, "**") if cell.strong and strong_spans else text)
        else:
            out.append(_md_escape(str(cell)))
    return "".join(out)


def _md_unblock(match: re.Match[str]) -> str:
    sign, digits, dot = match.groups()
    return "\\" + sign if sign else digits + "\\" + dot


def _md_block(content: str, first: str, rest: str) -> str:
    """Escaped content as lines: the first after `first`, the others (hard line breaks) after `rest`."""
    lines = [_MD_LINE_START.sub(_md_unblock, line.strip()) for line in content.split("\n")]
    return "  \n".join((first if i == 0 else rest) + line for i, line in enumerate(lines))


def _md_oneline(text: str) -> str:
    return " ".join(text.split())


def _md_heading(level: int, text: str) -> str:
    return "#" * min(level, 6) + " " + _md_escape(_md_oneline(text)).replace("#", "\\#")


def _md_table(table: Table) -> str:
    width = _width(table)

    def row(cells: list[str]) -> str:
        cells = cells + [""] * (width - len(cells))
        return "| " + " | ".join(c.replace("\r\n", "\n").replace("\n", "<br>") for c in cells) + " |"

    lines = [f"**{_md_escape(_md_oneline(table.title))}**", ""] if table.title.strip() else []
    lines.append(row([_md_escape(c) for c in table.columns]))
    lines.append("|" + "---|" * width)
    lines += [row([_md_cells([cell]) for cell in r]) for r in table.rows]
    return "\n".join(lines)


def _md_block_of(block: Block) -> str:
    if isinstance(block, Paragraph):
        if block.style == "quote":
            return _md_block(_md_cells(_quoted(block.parts)), "> ", "> ")
        if block.style == "note":
            return _md_block(_md_emph(_md_cells(block.parts), "*"), "", "")
        if block.style == "strong":
            return _md_block(_md_emph(_md_cells(block.parts, strong_spans=False), "**"), "", "")
        return _md_block(_md_cells(block.parts), "", "")
    if isinstance(block, Bullets):
        lines = []
        for item in block.items:
            box = "" if item.checked is None else ("[x] " if item.checked else "[ ] ")
            lines.append(_md_block(_md_cells(item.text), "- " + box, "  "))
            lines += [_md_block(_md_escape(child), "  - ", "    ") for child in item.children]
        return "\n".join(lines)
    if isinstance(block, Table):
        return _md_table(block)
    raise TypeError(f"not a document block: {type(block).__name__}")


def _md_section(section: Section, depth: int) -> list[str]:
    out = [_md_heading(2 + depth, section.title)]
    out += [_md_block_of(block) for block in section.blocks]
    for sub in section.sections:
        out += _md_section(sub, depth + 1)
    return out


def to_markdown(doc: Document) -> str:
    """The document as Markdown (CommonMark + GitHub tables), for a meeting attachment or a Git host."""
    out = [_md_heading(1, doc.title)]
    if doc.meta:
        out.append("\n".join((f"**{_md_escape(_md_oneline(label))}:** " if label else "")
                             + f"{_md_escape(_md_oneline(value))}  " for label, value in doc.meta))
    if doc.summary:
        out.append(_md_block(_md_emph(_md_cells(doc.summary, strong_spans=False), "**"), "", ""))
    for section in doc.sections:
        out += _md_section(section, 0)
    if doc.footer:
        out += ["---", _md_block(_md_emph(_md_escape(doc.footer), "*"), "", "")]
    return "\n\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------- HTML

# Colour per status on screen (text, background); in print the background is dropped and the text colour
# and weight carry the meaning, with gap / not_ready / error also underlined for black-and-white printers.
STATUS_CSS: dict[str, dict[str, str]] = {
    "passed": {"color": "#17692b", "background-color": "#e4f3e7"},
    "gap": {"color": "#b3261e", "background-color": "#fbe4e2", "font-weight": "700", "text-decoration": "underline"},
    "no_data": {"color": "#7a5200", "background-color": "#fdf1cc"},
    "not_due": {"color": "#00656f", "background-color": "#dff2f5"},
    "advisory": {"color": "#86198f", "background-color": "#f7e4f8"},
    "behind_pace": {"color": "#a64400", "background-color": "#fde6d3", "font-weight": "700"},
    "on_pace": {"color": "#17692b", "background-color": "#e4f3e7"},
    "exempted": {"color": "#1d4fa8", "background-color": "#e3ecfa"},
    "ready": {"color": "#17692b", "background-color": "#e4f3e7"},
    "not_ready": {"color": "#b3261e", "background-color": "#fbe4e2", "font-weight": "700",
                  "text-decoration": "underline"},
    "info": {"color": "inherit", "background-color": "transparent", "font-weight": "400"},
    "error": {"color": "#b3261e", "background-color": "#fbe4e2", "font-weight": "700",
              "text-decoration": "underline"},
    "fixed": {"color": "#17692b", "background-color": "#e4f3e7"},
    "new": {"color": "#b3261e", "background-color": "#fbe4e2", "font-weight": "700"},
}
FONT_STACK = '"Noto Sans", "DejaVu Sans", "Segoe UI", Arial, "Liberation Sans", sans-serif'

CSS = """\
*, *::before, *::after { box-sizing: border-box; }
body { font-family: %(fonts)s; font-size: 11pt; line-height: 1.45; color: #111; background: #fff;
       max-width: 64rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6em; margin: 0 0 .5em; }
h2 { font-size: 1.3em; margin: 1.4em 0 .5em; padding-bottom: .15em; border-bottom: 1px solid #888; }
h3 { font-size: 1.12em; margin: 1.1em 0 .4em; }
h4, h5, h6 { font-size: 1em; margin: 1em 0 .4em; }
p { margin: .4em 0; }
.meta p { margin: 0; }
.meta-label { font-weight: 700; }
.summary { font-weight: 700; margin: .8em 0; padding: .4em .6em; border: 1px solid #888; }
table { border-collapse: collapse; width: 100%%; margin: .5em 0 1em; }
caption { caption-side: top; text-align: left; font-weight: 700; padding: .2em 0; }
th, td { border: 1px solid #888; padding: .3em .45em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
thead th { background: #e8e8e8; border-bottom: 2px solid #333; }
blockquote.clause { margin: .4em 0 .6em 1em; padding: .1em .8em; border-left: 3px solid #888; font-style: italic; }
.note { font-size: .9em; color: #555; }
ul { margin: .3em 0 .8em; padding-left: 1.6em; }
ul ul { list-style-type: "– "; margin: .1em 0 .2em; }
li.check { list-style: none; margin-left: -1.2em; }
.box { font-weight: 700; }
.box-checked { color: #17692b; }
.box-unchecked { color: #b3261e; }
.status { font-weight: 600; padding: 0 .25em; border-radius: .2em; }
%(statuses)s
footer { margin-top: 2em; padding-top: .4em; border-top: 1px solid #888; font-size: .85em; color: #444; }
.letterhead, .closing { display: flex; justify-content: space-between; align-items: flex-start; gap: 1.5em; }
.letterhead > div, .closing > div { flex: 1 1 50%%; }
.letterhead p, .closing p { margin: 0; }
.issuer, .party, .signature { text-align: center; }
.issuer-name, .party-name, .sign-line, .signer { font-weight: 700; }
.party-name { text-decoration: underline; text-underline-offset: .25em; }
.place-date { font-style: italic; margin-top: .5em !important; }
.number { margin-top: .1em !important; }
header.party-document h1 { text-align: center; margin: 1.2em 0 .2em; }
.subject { text-align: center; font-weight: 700; margin: 0 0 1em; }
.closing { margin-top: 2em; }
.recipients-label { font-weight: 700; font-style: italic; text-decoration: underline; }
.recipients p + p { font-size: .9em; }
.sign-note { font-style: italic; font-size: .9em; }
.sign-room { height: 5em; }
@page { size: A4; margin: 15mm 14mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; color: #000; }
  tr, li, blockquote, .summary, .meta, .letterhead, .closing { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3, h4, h5, h6, caption { break-after: avoid; page-break-after: avoid; }
  thead th { background: none; }
  .status { background-color: transparent !important; padding: 0; }
  .note, footer { color: #000; }
}
"""


def _css() -> str:
    statuses = "\n".join(
        f".status-{name} {{ " + "; ".join(f"{k}: {v}" for k, v in STATUS_CSS[name].items()) + "; }"
        for name in STATUS_KINDS)
    return CSS % {"fonts": FONT_STACK, "statuses": statuses}


def _h(text: str) -> str:
    """Text for HTML: escaped, line breaks kept."""
    return html.escape(text, quote=True).replace("\r\n", "\n").replace("\n", "<br>\n")


def _h_cells(cells: list[Cell]) -> str:
    out = []
    for cell in cells:
        if not isinstance(cell, Span):
            out.append(_h(str(cell)))
            continue
        tag = "strong" if cell.strong else "span"
        if cell.status in STATUS_KINDS:
            out.append(f'<{tag} class="status status-{cell.status}">{_h(cell.text)}</{tag}>')
        elif cell.strong:
            out.append(f"<strong>{_h(cell.text)}</strong>")
        else:
            out.append(_h(cell.text))
    return "".join(out)


def _h_table(table: Table) -> str:
    width = _width(table)
    out = ["<table>"]
    if table.title:
        out.append(f"<caption>{_h(table.title)}</caption>")
    if table.ratios and len(table.ratios) == width and sum(table.ratios) > 0:
        total = sum(table.ratios)
        out.append("<colgroup>" + "".join(f'<col style="width: {100 * r / total:.1f}%">' for r in table.ratios)
                   + "</colgroup>")
    headers = list(table.columns) + [""] * (width - len(table.columns))
    out.append("<thead><tr>" + "".join(f'<th scope="col">{_h(c)}</th>' for c in headers) + "</tr></thead>")
    out.append("<tbody>")
    for row in table.rows:
        cells = [_h_cells([cell]) for cell in row] + [""] * (width - len(row))
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _h_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        if block.style == "quote":
            return f'<blockquote class="clause"><p>{_h_cells(_quoted(block.parts))}</p></blockquote>'
        if block.style == "note":
            return f'<p class="note">{_h_cells(block.parts)}</p>'
        if block.style == "strong":
            return f'<p class="strong"><strong>{_h_cells(block.parts)}</strong></p>'
        return f"<p>{_h_cells(block.parts)}</p>"
    if isinstance(block, Bullets):
        out = ["<ul>"]
        for item in block.items:
            if item.checked is None:
                out.append("<li>")
            else:
                state = "checked" if item.checked else "unchecked"
                out.append(f'<li class="check {state}"><span class="box box-{state}">'
                           f"{CHECK_MARK[bool(item.checked)]}</span> ")
            out.append(_h_cells(item.text))
            if item.children:
                out.append("<ul>" + "".join(f"<li>{_h(child)}</li>" for child in item.children) + "</ul>")
            out.append("</li>")
        out.append("</ul>")
        return "\n".join(out)
    if isinstance(block, Table):
        return _h_table(block)
    raise TypeError(f"not a document block: {type(block).__name__}")


def _h_anchor(anchor: str, used: set[str]) -> str:
    """A unique id attribute from Section.anchor ("" when there is none)."""
    base = "-".join(anchor.split())
    if not base:
        return ""
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}-{n}"
    used.add(ident)
    return f' id="{html.escape(ident, quote=True)}"'


def _h_section(section: Section, depth: int, used: set[str]) -> str:
    level = min(2 + depth, 6)
    out = [f'<section{_h_anchor(section.anchor, used)} class="level-{depth + 1}">',
           f"<h{level}>{_h(section.title)}</h{level}>"]
    out += [_h_block(block) for block in section.blocks]
    out += [_h_section(sub, depth + 1, used) for sub in section.sections]
    out.append("</section>")
    return "\n".join(out)


def _h_party_header(head: PartyHeader) -> str:
    """The two sides of a Party document's header: issuer and number left, the Party and place-and-date right."""
    return "\n".join([
        '<div class="letterhead">',
        f'<div class="issuer"><p class="higher">{_h(head.higher)}</p><p class="issuer-name">{_h(head.issuer)}</p>'
        f'<p class="star">*</p><p class="number">{_h(head.number)}</p></div>',
        f'<div class="party"><p class="party-name">{_h(head.party)}</p>'
        f'<p class="place-date">{_h(head.place_date)}</p></div>',
        "</div>",
    ])


def _h_closing(closing: Closing) -> str:
    """"Nơi nhận:" and its list on the left (when any), the signatures on the right."""
    out = ['<div class="closing">']
    if closing.recipients_label or closing.recipients:
        out.append('<div class="recipients">' + f'<p class="recipients-label">{_h(closing.recipients_label)}</p>'
                   + "".join(f"<p>{_h(line)}</p>" for line in closing.recipients) + "</div>")
    for signature in closing.signatures:
        lines = "".join(f'<p class="sign-line">{_h(line)}</p>' for line in signature.lines)
        note = f'<p class="sign-note">{_h(signature.note)}</p>' if signature.note else ""
        out.append(f'<div class="signature">{lines}{note}<p class="sign-room"></p>'
                   f'<p class="signer">{_h(signature.name)}</p></div>')
    out.append("</div>")
    return "\n".join(out)


def to_html(doc: Document) -> str:
    """The document as one printable HTML5 page: inline CSS only, nothing fetched, A4 print rules."""
    used: set[str] = set()
    lang = html.escape(doc.lang or "vi", quote=True)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="chibo {__version__}">',
        f"<title>{html.escape(' '.join(doc.title.split()))}</title>",
        f"<style>\n{_css()}</style>",
        "</head>",
        "<body>",
    ]
    if doc.header is not None:
        out += ['<header class="party-document">', _h_party_header(doc.header), f"<h1>{_h(doc.title)}</h1>"]
        if " ".join(doc.header.subject.split()) != " ".join(doc.title.split()):
            out.append(f'<p class="subject">{_h(doc.header.subject)}</p>')
    else:
        out += ["<header>", f"<h1>{_h(doc.title)}</h1>"]
    if doc.meta:
        out.append('<div class="meta">')
        out += [(f'<p><span class="meta-label">{_h(label)}:</span> ' if label else "<p>") + f"{_h(value)}</p>"
                for label, value in doc.meta]
        out.append("</div>")
    if doc.summary:
        out.append(f'<p class="summary">{_h_cells(doc.summary)}</p>')
    out += ["</header>", "<main>"]
    out += [_h_section(section, 0, used) for section in doc.sections]
    out.append("</main>")
    if doc.closing is not None:
        out.append(_h_closing(doc.closing))
    if doc.footer:
        out.append(f"<footer><p><small>{_h(doc.footer)}</small></p></footer>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
