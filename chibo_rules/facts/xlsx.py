"""A case as one Excel workbook: one sheet per kind of fact, headers in Vietnamese (or the field names).

Reading is streaming: rows go one by one from openpyxl's sheet parser to the validation of records, so
a 200,000-row timesheet is held neither as cells nor as rows. Only the cells a row has are seen: the
sheet's declared size ("dimension") is not trusted, for openpyxl pads every row to it (a 10 KB file
declaring A1:XFD1048576 made 17 billion empty cells). Before openpyxl opens a file, its zip directory
is measured (`workbook_problems`): the parts, their unzipped sizes and compression ratios, so a bomb is
refused before anything is inflated; each sheet's rows are counted in its zipped XML before one is read.

Each value is handed to the same parsers as CSV text; what Excel stores differently is translated
first and nothing is guessed: a date cell becomes a date, a number in a date column is an Excel
serial date, a cell formatted as a percentage becomes "85.5%". Writing (`chibo template`) gives a
workbook a secretary can fill in: an instruction sheet, drop-down lists for coded fields, dates
formatted dd/mm/yyyy — and, from a case, every record, so reading it back gives the same facts. Text
from data is always written as text: one starting with = + - @ would otherwise be a formula when the
file is opened (or edited); control characters Excel cannot hold are removed (vertical tab and form
feed, Word's line and page breaks, become line breaks).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import struct
import typing
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import Problem, Where
from . import files
from .models import Fact, field_choices
from .schema import CELL, INSTRUCTIONS_SHEET, Schema
from .values import fold, nfc

Row = tuple[int, dict[str, Any], dict[str, Any]]
EXCEL_EPOCH = dt.date(1899, 12, 30)
MAX_COLUMNS = files.MAX_COLUMNS


def _openpyxl() -> Any:
    import openpyxl

    return openpyxl


def _column_letter(index: int) -> str:
    return _openpyxl().utils.get_column_letter(index)


def _is_date_field(model: type[Fact], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return annotation is dt.date or dt.date in typing.get_args(annotation)


def _cell_value(cell: Any, is_date: bool) -> Any:
    """An Excel cell as the text or value the field parsers expect."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if is_date:
            if not float(value).is_integer() or not 1 <= value <= 2958465:
                return str(value)  # not a whole serial day: the date parser will refuse it
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        if "%" in (cell.number_format or ""):
            return f"{round(value * 100, 6):g}%"
        return value
    if isinstance(value, str):
        text = nfc(value).strip()
        return text or None
    return str(value)


# --------------------------------------------------------------------------- before openpyxl opens a file


def _zip_directory(handle: BinaryIO, size: int) -> tuple[int, int] | None:
    """(parts, bytes of the central directory) from the zip's end record, read before zipfile reads the
    directory itself (a million entries would be a million objects); None if there is no end record."""
    tail_size = min(size, 22 + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    *_, parts, directory, offset, _comment = struct.unpack("<4s4H2LH", tail[at:at + 22])
    if (parts == 0xFFFF or directory == 0xFFFFFFFF or offset == 0xFFFFFFFF) and at >= 20:
        locator = tail[at - 20:at]  # zip64: its end record is found through a locator just before
        if locator[:4] == b"PK\x06\x07":
            end64 = struct.unpack("<4sLQL", locator)[2]
            if end64 + 56 <= size:
                handle.seek(end64)
                record = handle.read(56)
                if record[:4] == b"PK\x06\x06":
                    parts, directory = struct.unpack("<4sQ2H2L4Q", record)[7:9]
    return parts, directory


def _part_problems(name: str, archive: zipfile.ZipFile) -> list[Problem]:
    problems = []
    total = 0
    for info in archive.infolist():
        part = info.filename
        total += info.file_size
        lower = part.lower()
        if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
            limit: int | None = files.MAX_SHEET_PART
        elif lower.endswith((".xml", ".rels", ".vml")):
            limit = files.MAX_XML_PART
        else:
            limit = None  # pictures and the like: openpyxl does not read them
        if limit is not None and info.file_size > limit:
            problems.append(Problem(name, None, None, "unzipped_too_large", files.mib(limit),
                                    f"{part}: {files.size_text(info.file_size)}"))
        elif info.file_size > files.MIB and info.file_size > files.MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            problems.append(Problem(name, None, None, "zip_ratio", str(files.MAX_RATIO), f"{part}: {ratio}:1"))
    if total > files.MAX_UNZIPPED and not problems:
        problems.append(Problem(name, None, None, "unzipped_too_large", files.mib(files.MAX_UNZIPPED),
                                f"*: {files.size_text(total)}"))
    return problems


def checked_archive(path: Path) -> tuple[BinaryIO | None, list[Problem]]:
    """The workbook's file, opened and measured: a regular file within the size limit, a zip whose parts
    are few, none of which unzips to too much or is compressed like a bomb. (handle, []) or (None, problems)."""
    name = path.name
    try:
        handle = files.open_regular(path, files.MAX_WORKBOOK_BYTES)
    except files.Refused as refused:
        if refused.code == "unreadable":  # Windows refuses a file Excel holds open: say that
            return None, [Problem(name, None, None, "xlsx_open", refused.detail)]
        return None, [refused.problem(name)]
    try:
        size = handle.seek(0, 2)
        handle.seek(0)
        directory = _zip_directory(handle, size) if handle.read(2) == files.ZIP else None
        if directory is None:  # not a zip, or one cut short: a workbook half saved, or held by Excel
            handle.close()
            return None, [Problem(name, None, None, "xlsx_open", "not_zip")]
        parts, directory_size = directory
        if parts > files.MAX_ZIP_PARTS or directory_size > files.MAX_ZIP_PARTS * 1024:
            handle.close()
            return None, [Problem(name, None, None, "zip_parts", str(files.MAX_ZIP_PARTS), str(parts))]
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            problems = _part_problems(name, archive)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error, NotImplementedError) as exc:
        handle.close()
        return None, [Problem(name, None, None, "xlsx_open", "damaged", f"{type(exc).__name__}: {exc}"[:300])]
    if problems:
        handle.close()
        return None, problems
    handle.seek(0)
    return handle, []


def workbook_problems(path: Path) -> list[Problem]:
    """What keeps a workbook from being opened at all (before its plan is known): [] when it may be."""
    handle, problems = checked_archive(path)
    if handle is not None:
        handle.close()
    return problems


class Book:
    """An open workbook (openpyxl, read-only) and the file under it, closed together."""

    def __init__(self, book: Any, handle: BinaryIO):
        self.book, self.handle = book, handle

    def close(self) -> None:
        try:
            self.book.close()
        finally:
            self.handle.close()


@contextlib.contextmanager
def _undimensioned() -> Iterator[None]:
    """openpyxl reads each sheet's declared size as it opens a workbook, and when a sheet declares none it
    parses the whole sheet for it (seconds per sheet, on each opening). chibo never uses that size (rows
    are read as stored), so it is not read."""
    try:
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    except ImportError:  # another openpyxl: its own way
        yield
        return
    saved = ReadOnlyWorksheet._get_size
    ReadOnlyWorksheet._get_size = lambda self: None
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = saved


def open_book(path: Path) -> tuple[Book | None, list[Problem]]:
    """The workbook opened once for all its reading (the caller closes it), or None and why it cannot be:
    the zip measured first (`checked_archive`), then openpyxl."""
    handle, problems = checked_archive(path)
    if handle is None:
        return None, problems
    return load_book(handle, path.name)


def load_book(handle: BinaryIO, name: str) -> tuple[Book | None, list[Problem]]:
    """openpyxl's reading of a measured workbook (`checked_archive`'s handle, then the Book's to close)."""
    try:
        with _undimensioned():
            book = _openpyxl().load_workbook(handle, read_only=True, data_only=True)
        return Book(book, handle), []
    except Exception as exc:  # openpyxl raises many kinds for damaged files; each becomes one problem
        handle.close()
        return None, [Problem(name, None, None, "xlsx", f"{type(exc).__name__}: {exc}"[:300])]


# --------------------------------------------------------------------------- rows, as stored


def _stored_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """(row number, the row's cells with a value), as the sheet stores them: no row or cell is made up to
    fill the declared dimension, and a row numbered 50,000,000 comes next, not after 49,999,997 empty ones."""
    try:
        from openpyxl.cell.read_only import ReadOnlyCell
        from openpyxl.worksheet._reader import WorkSheetParser

        book = sheet.parent
        source = sheet._get_source()
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats, timedelta_formats=book._timedelta_formats)
    except (ImportError, AttributeError, TypeError):  # another openpyxl: its own iteration, cut at the limit
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
            yield number, [c for c in row if getattr(c, "value", None) is not None]
        return
    try:
        for number, cells in parser.parse():
            yield number, [ReadOnlyCell(sheet, **c) for c in cells if c["value"] is not None]
    finally:
        source.close()


def _row_count(sheet: Any, stop: int) -> int:
    """Rows in the sheet's zipped XML, counted (without parsing) up to `stop`: a million rows are refused
    in a fraction of a second, not after 300,000 of them are read."""
    try:
        source = sheet._get_source()
    except AttributeError:
        return 0
    count, tail = 0, b""
    with source:
        while count <= stop:
            chunk = source.read(1 << 20)
            if not chunk:
                break
            data = tail + chunk
            count += sum(data.count(tag) for tag in (b"<row ", b"<row>", b":row ", b":row>"))
            tail = data[-4:]
    return count


# --------------------------------------------------------------------------- reading


def _header(rows: Iterator[tuple[int, list[Any]]]) -> list[Any] | None:
    first = next(rows, None)
    return first[1] if first and first[0] == 1 and first[1] else None


def _sheet_reader(sheet: Any, kind: str, name: str, schema: Schema, problems: list[Problem],
                  budget: files.Budget) -> tuple[Where, Iterator[Row]]:
    """The sheet's Where (its columns by letter) and its rows, streamed; problems go to `problems` as
    they are met. A bad header, or too many rows, stops the sheet."""
    model = schema.models[kind]
    base = Where(name, sheet.title)
    limit, code, named = budget.limit()
    if _row_count(sheet, limit + 1) > limit + 1:
        budget.refuse(code)
        problems.append(Problem(name, None, None, code, named, None, sheet.title))
        return base, iter(())
    rows = _stored_rows(sheet)
    header = _header(rows)
    if header is None:
        problems.append(base.problem(1, None, "empty_file"))
        return base, iter(())
    widest = max(cell.column for cell in header)
    if widest > MAX_COLUMNS:
        problems.append(Problem(name, 1, None, "too_many_columns", str(MAX_COLUMNS), str(widest),
                                sheet.title, f"{_column_letter(MAX_COLUMNS + 1)}1"))
        return base, iter(())
    found: list[Problem] = []
    columns: dict[int, str] = {}
    for cell in header:
        field = schema.header_to_field(kind, str(cell.value))
        if field is None:
            found.append(Problem(name, 1, str(cell.value), "unknown_column", ", ".join(model.model_fields),
                                 None, sheet.title, cell.coordinate))
        elif field in columns.values():
            found.append(Problem(name, 1, field, "duplicate_column", "", None, sheet.title, cell.coordinate))
        else:
            columns[cell.column] = field
    where = Where(name, sheet.title, tuple((f, _column_letter(i)) for i, f in columns.items()))
    for missing in [n for n, f in model.model_fields.items() if f.is_required() and n not in columns.values()]:
        found.append(where.problem(1, missing, "missing_column"))
    problems += found
    if found:
        return where, iter(())
    dates = {field for field in columns.values() if _is_date_field(model, field)}

    def records() -> Iterator[Row]:
        for number, cells in rows:
            if number > limit + 1:
                budget.refuse(code)
                problems.append(Problem(name, number, None, code, named, None, sheet.title))
                return
            raw = {}
            extra = None
            for cell in cells:
                field = columns.get(cell.column)
                if field is not None:
                    raw[field] = _cell_value(cell, field in dates)
                elif extra is None and cell.value != "":
                    extra = cell
            if extra is not None:
                last = _column_letter(max(c.column for c in cells))
                problems.append(Problem(name, number, None, "row_length", last, None, sheet.title, extra.coordinate))
                continue
            data = {k: v for k, v in raw.items() if v is not None}
            if data:
                yield number, data, raw

    return where, records()


def _cell_sheet(sheet: Any, where_file: str, schema: Schema | None) -> tuple[dict[str, Any], dict[str, Any],
                                                                          list[Problem]]:
    """The 'Chi bộ' sheet: field in column A, value in column B. Without a schema (the plan is not known
    yet: this sheet names it), only the rows whose label is a field name or a known header are read."""
    data: dict[str, Any] = {}
    lines: dict[str, Any] = {}
    problems = []
    for number, cells in _stored_rows(sheet):
        if number > files.MAX_ROWS + 1:
            problems.append(Problem(where_file, number, None, "too_many_rows", str(files.MAX_ROWS), None,
                                    sheet.title))
            break
        row = {c.column: c for c in cells if c.column <= 2}
        if 1 not in row:
            continue
        label = str(row[1].value)
        name = schema.header_to_field(CELL, label) if schema else _CELL_PLAN.get(fold(label).strip())
        if name is None:
            if number > 1 and schema is not None:  # row 1 may be a title row
                problems.append(Problem(where_file, number, label, "unknown_column",
                                        ", ".join(schema.cell.fields), None, sheet.title, f"A{number}"))
            continue
        if name in lines and schema is not None:
            problems.append(Problem(where_file, number, name, "duplicate_field", str(lines[name]), label,
                                    sheet.title, f"A{number}"))
            continue
        value = _cell_value(row[2], False) if 2 in row else None
        if value is not None:
            data[name] = value
        lines[name] = number
    return data, lines, problems


# the cell sheet's rows read before the plan (and so the cell's declaration) is known: the plan it names, and
# the cell and committee it names (a shared page decides who may see a workbook whose facts have problems by them)
_CELL_PLAN = {"plan": "plan", fold("Mã kế hoạch"): "plan", "name": "name", fold("Tên chi bộ"): "name",
              "party_committee": "party_committee", fold("Đảng bộ cấp trên"): "party_committee"}


def read_cell_sheet(opened: Book, name: str) -> dict[str, Any]:
    """The plan, cell and committee a workbook names, from its cell sheet, read alone; {} when unreadable
    (loading then says why)."""
    try:
        for sheet in opened.book.worksheets:
            if fold(sheet.title) in (fold("Chi bộ"), "cell"):
                return _cell_sheet(sheet, name, None)[0]
    except Exception:  # a damaged workbook: the full read reports it
        return {}
    return {}


Consume = Callable[[str, Iterator[Row], Where, list[Problem]], None]


def read_workbook(opened: Book, name: str, schema: Schema, consume: Consume, budget: files.Budget,
                  problems_list: Callable[[], list[Problem]] = list
                  ) -> tuple[tuple[dict[str, Any], dict[str, Any]] | None, list[Problem]]:
    """Every sheet of an open case workbook (`open_book`), named `name` in problems: the cell's data and rows
    by field, and the problems of the workbook and of its cell sheet. Each data sheet is handed to
    `consume(kind, rows, where, problems)`: its rows are streamed, its problems (from `problems_list()`) added
    as they are met. The workbook stays open (its source closes it)."""
    problems: list[Problem] = []
    cell: tuple[dict[str, Any], dict[str, Any]] | None = None
    seen: dict[str, str] = {}
    current = None
    try:
        for sheet in opened.book.worksheets:
            current = sheet.title
            kind = schema.sheet_to_kind(sheet.title)
            if fold(sheet.title) == fold(INSTRUCTIONS_SHEET) or (kind is None and sheet.title.startswith("_")):
                continue
            if kind is None:
                problems.append(Problem(name, None, None, "sheet", "", None, sheet.title))
                continue
            if kind in seen:
                problems.append(Problem(name, None, None, "two_sources", seen[kind], None, sheet.title))
                continue
            seen[kind] = sheet.title
            if kind == CELL:
                data, lines, cell_problems = _cell_sheet(sheet, name, schema)
                cell = (data, lines)
                problems += cell_problems
                continue
            if budget.spent:
                continue
            sheet_problems = problems_list()
            where, rows = _sheet_reader(sheet, kind, name, schema, sheet_problems, budget)
            consume(kind, rows, where, sheet_problems)
    except Exception as exc:  # a damaged part of the archive shows up while streaming rows
        problems.append(Problem(name, None, None, "xlsx", f"{type(exc).__name__}: {exc}"[:300], None, current))
    if cell is None:
        problems.append(Problem(name, None, None, "missing_file", "", None, schema.cell.sheet))
    return cell, problems


# --------------------------------------------------------------------------- writing


_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})  # Word's line break and page break
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl (and the XML of .xlsx) cannot hold
FORMULA_START = ("=", "+", "-", "@")


def _text(value: Any) -> Any:
    """A value as a cell can hold it: Word's vertical tab and form feed become line breaks, other control
    characters are removed (openpyxl refuses them: IllegalCharacterError)."""
    if isinstance(value, str) and _CONTROL.search(value):
        return _CONTROL.sub("", value.translate(_BREAKS))
    return value


def _display(model: type[Fact], name: str, value: Any) -> Any:
    """A value as a secretary would type it: Vietnamese label for a code, có/không, 'P01; P02'."""
    if value is None:
        return None
    choices = field_choices(model, name)
    if choices is not None:
        return _text(choices.labels.get(value, value))
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return _text("; ".join(value))
    return _text(value)


def _append(sheet: Any, row: int, values: list[Any]) -> None:
    """Append row `row` of values; text that Excel would take for a formula (= + - @) is stored as text,
    and marked so (quote prefix) that it stays text when the cell is edited."""
    sheet.append(values)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell = sheet.cell(row=row, column=column)
            cell.data_type = "s"
            cell.quotePrefix = True


def _style_header(sheet: Any, widths: list[int]) -> None:
    styles = _openpyxl().styles
    for cell in sheet[1]:
        cell.font = styles.Font(bold=True)
        cell.fill = styles.PatternFill("solid", fgColor="DDEBF7")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[_column_letter(index)].width = max(10, min(45, width + 2))


def _add_lists(sheet: Any, model: type[Fact], names: list[str], rows: int) -> None:
    """Drop-down lists for coded and yes/no fields."""
    validation = _openpyxl().worksheet.datavalidation.DataValidation
    for index, name in enumerate(names, start=1):
        choices = field_choices(model, name)
        annotation = model.model_fields[name].annotation
        if choices is not None:
            options = list(choices.labels.values())
        elif annotation is bool:
            options = ["có", "không"]
        else:
            continue
        rule = validation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        rule.error = "Chọn một giá trị trong danh sách"
        letter = _column_letter(index)
        rule.add(f"{letter}2:{letter}{max(rows, 2) + 500}")
        sheet.add_data_validation(rule)


# the instruction sheet's columns, in Excel's width units (about one digit each): the sheet names (at most 31
# characters) and what a row of each is; 28 + 64 fits the width of an A4 page upright at 100 %
_INSTRUCTION_WIDTHS = (28, 64)
_LINE_POINTS = 15  # the height of one line of 11-point text


def _lines(text: str, width: int) -> int:
    """How many lines `text` takes wrapped at `width` characters (each line break starting a new one)."""
    return sum(max(1, -(-len(part) // width)) for part in text.split("\n"))


def _instructions(book: Any, schema: Schema, kinds: list[str]) -> None:
    """The first sheet: how to fill in the workbook, then each sheet in the workbook's order and what one row
    of it is. Printed as it is read: every cell wraps within its column, each row is as tall as its text (Excel
    does not grow a row for a merged cell), and the page is A4, upright, fitted to its width."""
    openpyxl = _openpyxl()
    sheet = book.create_sheet(INSTRUCTIONS_SHEET)
    first, second = _INSTRUCTION_WIDTHS
    sheet.column_dimensions["A"].width = first
    sheet.column_dimensions["B"].width = second
    wrap = openpyxl.styles.Alignment(wrap_text=True, vertical="top")
    lines = [
        "Hồ sơ dữ liệu chi bộ cho chibo — mỗi trang tính là một loại dữ liệu, mỗi dòng là một bản ghi. Các trang "
        "xếp theo thứ tự nên điền: chi bộ, nhân sự, rồi theo các mục của kế hoạch.",
        "Ngày ghi dd/mm/yyyy; có/không cho các cột Có/Không; nhiều mã trong một ô ngăn cách bằng dấu ';'.",
        "Ô để trống là 'không ghi nhận'. Trang tính bỏ trống (chỉ có dòng tiêu đề) nghĩa là 'không có'.",
        "Xóa hẳn một trang tính nếu chưa có số liệu loại đó: các yêu cầu cần đến nó sẽ báo 'thiếu dữ liệu'.",
        "Kiểm tra: chibo validate TỆP.xlsx — rà soát: chibo check TỆP.xlsx",
        "",
    ]
    for text in lines:  # a sentence across both columns
        sheet.append([text])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        sheet.row_dimensions[row].height = _LINE_POINTS * _lines(text, first + second)
    sheet.append(["Trang tính", "Nội dung mỗi dòng"])
    for c in sheet[sheet.max_row]:
        c.font = openpyxl.styles.Font(bold=True)
    sheet.row_dimensions[sheet.max_row].height = _LINE_POINTS
    for decl in [schema.cell, *(schema.decl(kind) for kind in kinds)]:
        sheet.append([decl.sheet, decl.help])
        sheet.row_dimensions[sheet.max_row].height = _LINE_POINTS * max(_lines(decl.sheet, first),
                                                                         _lines(decl.help or "", second))
    for cells in sheet.iter_rows():
        for c in cells:
            c.alignment = wrap
    setup = sheet.page_setup
    setup.paperSize, setup.orientation = sheet.PAPERSIZE_A4, "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0  # as many pages down as it takes, never a column cut off
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = openpyxl.worksheet.page.PageMargins(left=0.6, right=0.6, top=0.75, bottom=0.75)


def _sheet_kinds(schema: Schema, case: Any | None) -> list[str]:
    """The kinds written, in order: the plan's (its roster, then by plan section: `Schema.sheet_order`) — with a
    case, those it provides, then any other it provides, so that nothing it holds is left out."""
    order = list(schema.sheet_order) or list(schema.models)
    if case is None:
        return order
    provided = [kind for kind in schema.models if case.provided(kind)]
    return [kind for kind in order if kind in provided] + [kind for kind in provided if kind not in order]


def write_workbook(path: Path, schema: Schema, case: Any | None = None, plan: str | None = None) -> None:
    """An empty template of the kinds a plan reads, in the order a secretary fills them in, or (with a case)
    every record of it, in the layout `read_workbook` reads (which takes the sheets in any order)."""
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    book.remove(book.active)
    kinds = _sheet_kinds(schema, case)
    _instructions(book, schema, kinds)
    cell_sheet = book.create_sheet(schema.cell.sheet)
    cell = case.cell if case is not None else None
    cell_model = schema.cell_model
    for row, name in enumerate(cell_model.model_fields, start=1):
        value = _display(cell_model, name, getattr(cell, name)) if cell else (plan if name == "plan" else None)
        _append(cell_sheet, row, [schema.header(CELL, name), _text(value)])
    cell_sheet.column_dimensions["A"].width = 30
    cell_sheet.column_dimensions["B"].width = 50
    for kind in kinds:  # a kind a case does not provide stays absent: "no data" survives the round trip
        model = schema.models[kind]
        sheet = book.create_sheet(schema.sheet(kind))
        names = list(model.model_fields)
        headers = [schema.header(kind, n) for n in names]
        sheet.append(headers)
        widths = [len(h) for h in headers]
        records = case.records[kind] if case is not None else []
        for row, record in enumerate(records, start=2):
            values = [_display(model, n, getattr(record.fact, n)) for n in names]
            _append(sheet, row, values)
            widths = [max(w, len(str(v)) if v is not None else 0) for w, v in zip(widths, values)]
        for index, name in enumerate(names, start=1):
            if _is_date_field(model, name):
                for row in sheet.iter_rows(min_row=2, max_row=len(records) + 500, min_col=index, max_col=index):
                    for c in row:  # the rows to fill in too, not only those written from a case
                        c.number_format = "DD/MM/YYYY"
        _style_header(sheet, widths)
        _add_lists(sheet, model, names, len(records) + 1)
    book.save(path)
