"""A case as one Excel workbook: one sheet per kind of fact, headers in Vietnamese (or the field names).

Reading is streaming (openpyxl read-only mode), so a 200,000-row timesheet is not held as cells.
Each value is handed to the same parsers as CSV text; what Excel stores differently is translated
first and nothing is guessed: a date cell becomes a date, a number in a date column is an Excel
serial date, a cell formatted as a percentage becomes "85.5%". Writing (`chibo template`) gives a
workbook a secretary can fill in: an instruction sheet, drop-down lists for coded fields, dates
formatted dd/mm/yyyy — and, from a case, every record, so reading it back gives the same facts.
"""

from __future__ import annotations

import datetime as dt
import typing
import zipfile
from pathlib import Path
from typing import Any

from ..errors import Problem, Where
from .models import Fact, field_choices
from .schema import CELL, INSTRUCTIONS_SHEET, Schema
from .values import fold, nfc

Rows = list[tuple[int, dict[str, Any], dict[str, Any]]]
EXCEL_EPOCH = dt.date(1899, 12, 30)
MAX_COLUMNS = 200


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


def _sheet_rows(sheet: Any, kind: str, where_file: str, schema: Schema) -> tuple[Rows, list[Problem], Where]:
    model = schema.models[kind]
    rows_iter = sheet.iter_rows()
    header = next(rows_iter, None)
    base = Where(where_file, sheet.title)
    if not header or all(c.value is None for c in header):
        return [], [base.problem(1, None, "empty_file")], base
    problems: list[Problem] = []
    columns: dict[int, str] = {}
    for index, cell in enumerate(header[:MAX_COLUMNS]):
        if cell.value is None:
            continue
        name = schema.header_to_field(kind, str(cell.value))
        letter = _column_letter(index + 1)
        if name is None:
            problems.append(Problem(where_file, 1, str(cell.value), "unknown_column", ", ".join(model.model_fields),
                                    None, sheet.title, f"{letter}1"))
        elif name in columns.values():
            problems.append(Problem(where_file, 1, name, "duplicate_column", "", None, sheet.title, f"{letter}1"))
        else:
            columns[index] = name
    where = Where(where_file, sheet.title, tuple((n, _column_letter(i + 1)) for i, n in columns.items()))
    for missing in [n for n, f in model.model_fields.items() if f.is_required() and n not in columns.values()]:
        problems.append(where.problem(1, missing, "missing_column"))
    if problems:
        return [], problems, where
    dates = {name for name in columns.values() if _is_date_field(model, name)}
    rows: Rows = []
    for number, cells in enumerate(rows_iter, start=2):
        raw = {}
        for index, name in columns.items():
            if index < len(cells):
                raw[name] = _cell_value(cells[index], name in dates)
        extra = [c for i, c in enumerate(cells) if i not in columns and c.value not in (None, "")]
        if extra:
            problems.append(Problem(where_file, number, None, "row_length", f"{_column_letter(len(cells))}",
                                    None, sheet.title, getattr(extra[0], "coordinate", None)))
            continue
        data = {k: v for k, v in raw.items() if v is not None}
        if data:
            rows.append((number, data, raw))
    return rows, problems, where


def _cell_sheet(sheet: Any, where_file: str, schema: Schema | None) -> tuple[dict[str, Any], dict[str, Any],
                                                                          list[Problem]]:
    """The 'Chi bộ' sheet: field in column A, value in column B. Without a schema (the plan is not known
    yet: this sheet names it), only the rows whose label is a field name or a known header are read."""
    data: dict[str, Any] = {}
    lines: dict[str, Any] = {}
    problems = []
    for number, row in enumerate(sheet.iter_rows(max_col=2), start=1):
        if not row or row[0].value is None:
            continue
        label = str(row[0].value)
        name = schema.header_to_field(CELL, label) if schema else _CELL_PLAN.get(fold(label).strip())
        if name is None:
            if number > 1 and schema is not None:  # row 1 may be a title row
                problems.append(Problem(where_file, number, label, "unknown_column",
                                        ", ".join(schema.cell.fields), None, sheet.title, f"A{number}"))
            continue
        value = _cell_value(row[1], False) if len(row) > 1 else None
        if value is not None:
            data[name] = value
        lines[name] = number
    return data, lines, problems


# the cell sheet's row naming the plan, read before the plan (and so the cell's declaration) is known
_CELL_PLAN = {"plan": "plan", fold("Mã kế hoạch"): "plan"}


def read_cell_sheet(path: Path) -> dict[str, Any]:
    """The plan a workbook names, from its cell sheet, read alone; {} when unreadable (loading then says why)."""
    try:
        if not zipfile.is_zipfile(path):
            return {}
        book = _openpyxl().load_workbook(path, read_only=True, data_only=True)
    except Exception:  # a damaged workbook: the full read reports it
        return {}
    try:
        for sheet in book.worksheets:
            if fold(sheet.title) in (fold("Chi bộ"), "cell"):
                return _cell_sheet(sheet, path.name, None)[0]
    except Exception:
        return {}
    finally:
        book.close()
    return {}


def read_workbook(path: Path, schema: Schema) -> tuple[
    tuple[dict[str, Any], dict[str, Any]] | None, list[tuple[str, Rows, Where]], list[Problem]
]:
    """Every sheet of a case workbook: (cell data and rows by field), (kind, rows, where) per sheet, problems."""
    name = path.name
    if not zipfile.is_zipfile(path):
        return None, [], [Problem(name, None, None, "xlsx", "not an .xlsx file (zip)")]
    try:
        book = _openpyxl().load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files; each becomes one problem
        return None, [], [Problem(name, None, None, "xlsx", f"{type(exc).__name__}: {exc}"[:300])]
    problems: list[Problem] = []
    cell: tuple[dict[str, Any], dict[str, Any]] | None = None
    sheets: list[tuple[str, Rows, Where]] = []
    seen: dict[str, str] = {}
    try:
        for sheet in book.worksheets:
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
            rows, sheet_problems, where = _sheet_rows(sheet, kind, name, schema)
            problems += sheet_problems
            sheets.append((kind, rows, where))
    except Exception as exc:  # a damaged part of the archive shows up while streaming rows
        problems.append(Problem(name, None, None, "xlsx", f"{type(exc).__name__}: {exc}"[:300]))
    finally:
        book.close()
    if cell is None:
        problems.append(Problem(name, None, None, "missing_file", "", None, schema.cell.sheet))
    return cell, sheets, problems


# --------------------------------------------------------------------------- writing


def _display(model: type[Fact], name: str, value: Any) -> Any:
    """A value as a secretary would type it: Vietnamese label for a code, có/không, 'P01; P02'."""
    if value is None:
        return None
    choices = field_choices(model, name)
    if choices is not None:
        return choices.labels.get(value, value)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return "; ".join(value)
    return value


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


def _instructions(book: Any, schema: Schema) -> None:
    sheet = book.create_sheet(INSTRUCTIONS_SHEET)
    lines = [
        "Hồ sơ dữ liệu chi bộ cho chibo — mỗi trang tính là một loại dữ liệu, mỗi dòng là một bản ghi.",
        "Ngày ghi dd/mm/yyyy; có/không cho các cột Có/Không; nhiều mã trong một ô ngăn cách bằng dấu ';'.",
        "Ô để trống là 'không ghi nhận'. Trang tính bỏ trống (chỉ có dòng tiêu đề) nghĩa là 'không có'.",
        "Xóa hẳn một trang tính nếu chưa có số liệu loại đó: các yêu cầu cần đến nó sẽ báo 'thiếu dữ liệu'.",
        "Kiểm tra: chibo validate TỆP.xlsx — rà soát: chibo check TỆP.xlsx",
        "",
        "Trang tính — nội dung mỗi dòng",
    ]
    for line in lines:
        sheet.append([line])
    sheet.append([schema.cell.sheet, schema.cell.help])
    for decl in schema.kinds.values():
        sheet.append([decl.sheet, decl.help])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 90


def write_workbook(path: Path, schema: Schema, case: Any | None = None, plan: str | None = None) -> None:
    """An empty template of a plan's kinds, or (with a case) every record of it, in the layout
    `read_workbook` reads."""
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    book.remove(book.active)
    _instructions(book, schema)
    cell_sheet = book.create_sheet(schema.cell.sheet)
    cell = case.cell if case is not None else None
    cell_model = schema.cell_model
    for name in cell_model.model_fields:
        value = _display(cell_model, name, getattr(cell, name)) if cell else (plan if name == "plan" else None)
        cell_sheet.append([schema.header(CELL, name), value])
    cell_sheet.column_dimensions["A"].width = 30
    cell_sheet.column_dimensions["B"].width = 50
    for kind, model in schema.models.items():
        if case is not None and not case.provided(kind):
            continue  # a kind the case does not provide stays absent: "no data" survives the round trip
        sheet = book.create_sheet(schema.sheet(kind))
        names = list(model.model_fields)
        headers = [schema.header(kind, n) for n in names]
        sheet.append(headers)
        widths = [len(h) for h in headers]
        records = case.records[kind] if case is not None else []
        for record in records:
            values = [_display(model, n, getattr(record.fact, n)) for n in names]
            sheet.append(values)
            widths = [max(w, len(str(v)) if v is not None else 0) for w, v in zip(widths, values)]
        for index, name in enumerate(names, start=1):
            if _is_date_field(model, name):
                for row in sheet.iter_rows(min_row=2, max_row=len(records) + 500, min_col=index, max_col=index):
                    for c in row:  # the rows to fill in too, not only those written from a case
                        c.number_format = "DD/MM/YYYY"
        _style_header(sheet, widths)
        _add_lists(sheet, model, names, len(records) + 1)
    book.save(path)
