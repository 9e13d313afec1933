"""History as an Excel workbook: a summary sheet, then one sheet per table of the Document (a committee's
secretary filters and charts them in Excel). Sheets are numbered, not named after their titles, so a
workbook chibo wrote is never taken for a case (writing.py reads sheet names for that)."""

from __future__ import annotations

from typing import IO

from ..writing import WORKBOOK_MARK
from .document import Bullets, Document, Paragraph, Section, Span, Table


def _text(cell: object) -> str:
    return cell.text if isinstance(cell, Span) else str(cell)


def _tables(sections: list[Section], trail: str = "") -> list[tuple[str, Table | list[str]]]:
    out: list[tuple[str, Table | list[str]]] = []
    for section in sections:
        title = f"{trail} › {section.title}" if trail else section.title
        lines: list[str] = []
        for block in section.blocks:
            if isinstance(block, Table):
                out.append((title, block))
            elif isinstance(block, Bullets):
                lines += ["".join(_text(c) for c in item.text) for item in block.items]
            elif isinstance(block, Paragraph):
                lines.append("".join(_text(c) for c in block.parts))
        if lines:
            out.append((title, lines))
        out += _tables(section.sections, title)
    return out


def write_xlsx(doc: Document, stream: IO[bytes]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = "1"
    summary.append([f"{doc.title} — {WORKBOOK_MARK}"])
    summary["A1"].font = Font(bold=True)
    for label, value in doc.meta:
        summary.append([label, value])
    summary.append(["".join(_text(c) for c in doc.summary)])
    summary.column_dimensions["A"].width = 30
    summary.column_dimensions["B"].width = 60
    for n, (title, content) in enumerate(_tables(doc.sections), 2):
        sheet = book.create_sheet(str(n))
        sheet.append([title])
        sheet["A1"].font = Font(bold=True)
        if isinstance(content, Table):
            sheet.append(content.columns)
            for cell in sheet[2]:
                cell.font = Font(bold=True)
            for row in content.rows:
                sheet.append([_number(_text(c)) for c in row])
            sheet.freeze_panes = "A3"
            sheet.column_dimensions["A"].width = 40
        else:
            for line in content:
                sheet.append([line])
    book.save(stream)


def _number(text: str) -> object:
    """Counts as numbers, so Excel sums and charts them."""
    return int(text) if text.isdigit() else text
