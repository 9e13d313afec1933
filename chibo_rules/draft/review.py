"""The secretary's review of a draft: a Markdown sheet to read and a workbook to decide in, and `plan apply`.

One row per proposal: the sentence it came from, the clause, the proposed kind of check, target, direction and
due in plain words (never "ratio gte" or "at: year_end"), how sure the drafter is and why, and a decision
column: chấp nhận (accept), sửa (change: the target column, as edited, is taken) or bỏ (reject). A title,
direction or due the secretary rewrote is taken too (drop-downs offer the words chibo reads back). The workbook
also carries, on a hidden sheet, every drafted rule file, the drafted kinds and plan.yaml, so `plan apply` needs
nothing but the workbook: it writes the accepted and changed rules, the kinds they read, plan.yaml and a
rule-test skeleton per rule; rejected and undecided proposals are left out (and said so).
"""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from .messages import m
from .propose import Draft, Proposal, dump_yaml, short

SHEET = {"vi": "Đề xuất", "en": "Proposals"}
DATA_SHEET = "_data"
COLUMNS = ["col_id", "col_section", "col_sentence", "col_clause", "col_title", "col_check", "col_reads",
           "col_target", "col_due", "col_confidence", "col_why", "col_decision", "col_note", "col_direction"]
OPS = ("gte", "lte", "eq", "gt", "lt", "ne")
SYMBOLS = {"≥": "gte", ">=": "gte", "≤": "lte", "<=": "lte", "=": "eq", ">": "gt", "<": "lt", "≠": "ne"}
EACH = ("week", "month", "quarter")
NAMED_DATES = ("year_end", "plan_end")
DECISIONS = {"chap nhan": "accept", "accept": "accept", "dong y": "accept", "ok": "accept", "x": "accept",
             "sua": "change", "change": "change", "bo": "reject", "reject": "reject", "khong": "reject"}


def plain(text: str) -> str:
    """Lower case without accents: "Chấp nhận" and "chap nhan" are the same decision."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).lower().split())


def check_words(rule: dict[str, Any], lang: str) -> str:
    """"tỷ lệ, từ … trở lên", not "ratio gte"."""
    check = rule["check"]
    words = m(f"check_{check['kind']}", lang)
    return words + (f", {m('op_' + check['op'], lang)}" if check.get("op") in OPS else "")


def direction_words(rule: dict[str, Any], lang: str) -> str:
    op = rule["check"].get("op")
    return m(f"op_{op}", lang) if op in OPS else ""


def due_words(due: Any, lang: str) -> str:
    """"cuối năm", "mỗi tháng", "đến 30/06/2021", not "at: year_end"."""
    if due == "continuous" or not isinstance(due, dict):
        return m("due_continuous", lang) if due == "continuous" else str(due)
    words = []
    if due.get("each") in EACH:
        words.append(m(f"due_{due['each']}", lang))
    at = due.get("at")
    if at in NAMED_DATES:
        words.append(m(f"due_{at}", lang))
    elif hasattr(at, "strftime"):
        words.append(m("due_at", lang, detail=at.strftime("%d/%m/%Y")))
    elif at:
        words.append(m("due_at", lang, detail=str(at)))
    if due.get("milestones"):
        words.append(m("due_milestones", lang))
    if due.get("pace"):
        words.append(m("due_pace", lang))
    return ", ".join(words)


def row_values(p: Proposal, lang: str) -> list[Any]:
    """The visible cells of one proposal, in COLUMNS order (decision and note left blank)."""
    rule = p.rule
    target = "" if p.target is None else p.target
    why = ", ".join(p.reasons)
    return [p.id, rule["section"], p.clause.sentence, p.clause.quote, rule["title"][lang], check_words(rule, lang),
            p.reads, target, due_words(rule["due"], lang), m(f"level_{p.level}", lang) + f" ({p.confidence:.2f})",
            why, "", "", direction_words(rule, lang)]


def review_markdown(draft: Draft, lang: str, source: str) -> str:
    """review.md: the proposals as a table the secretary can read before deciding in review.xlsx."""
    lines = [f"# {m('review_title', lang)}: {source}", "", m("review_intro", lang), ""]
    header = [m(c, lang) for c in COLUMNS[:-2] if c != "col_sentence"] + [m("col_decision", lang)]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for p in draft.proposals:
        cells = [v for c, v in zip(COLUMNS, row_values(p, lang)) if c not in ("col_sentence", "col_note")]
        lines.append("| " + " | ".join(_md(short(str(v), 160)) for v in cells) + " |")
    lines += ["", m("review_decisions", lang), "", f"*{m('footer', lang)}*", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def review_workbook(draft: Draft, lang: str, rule_texts: dict[str, str], source: str) -> bytes:
    """review.xlsx: a title row naming chibo (so a later run may replace it), the header, one row per
    proposal with a drop-down decision; the hidden data sheet holds what `plan apply` writes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET[lang]
    sheet.append([f"chibo — {m('review_title', lang)}: {source}"])
    sheet.append([m(c, lang) for c in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    choices = m("choices", lang)
    validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    sheet.add_data_validation(validation)
    directions = DataValidation(type="list", formula1='"' + ",".join(m(f"op_{o}", lang) for o in OPS) + '"',
                                allow_blank=True)
    dues = DataValidation(type="list", allow_blank=True, formula1='"' + ",".join(
        m(f"due_{d}", lang) for d in ("continuous", *NAMED_DATES, *EACH)) + '"')
    dues.showErrorMessage = False  # a date may be typed too
    for extra in (directions, dues):
        sheet.add_data_validation(extra)
    for p in draft.proposals:
        sheet.append(row_values(p, lang))
        validation.add(f"L{sheet.max_row}")
        dues.add(f"I{sheet.max_row}")
        if "op" in p.rule["check"]:
            directions.add(f"N{sheet.max_row}")
    widths = [6, 8, 50, 40, 40, 14, 30, 9, 16, 12, 30, 14, 20, 14]
    for letter, width in zip("ABCDEFGHIJKLMN", widths):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    data = book.create_sheet(DATA_SHEET)
    data.append(["plan", json.dumps(draft.plan, ensure_ascii=False)])
    data.append(["kinds", json.dumps(draft.kinds, ensure_ascii=False)])
    for p in draft.proposals:
        data.append([p.id, json.dumps({"code": p.code, "shape": p.shape, "period": p.clause.period["period"]
                                       if p.clause.period else None}, ensure_ascii=False), rule_texts[p.id]])
    data.sheet_state = "hidden"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


@dataclass
class Decided:
    """What a filled-in review says: the rules to write (with changed targets) and what is left out."""

    plan: dict[str, Any]
    kinds: dict[str, Any]
    accepted: list[dict[str, Any]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)


def read_review(path: Path) -> Decided:
    """The decisions of a review workbook; InputError naming the sheet and cell of anything unreadable."""
    from openpyxl import load_workbook

    from .. import safeyaml

    if not path.is_file():
        raise InputError([Problem(str(path), None, None, "draft_missing")])
    try:
        book = load_workbook(path, data_only=True)
    except Exception:  # noqa: BLE001 - any file openpyxl cannot open is "not a review workbook"
        raise InputError([Problem(str(path), None, None, "draft_not_review")]) from None
    if DATA_SHEET not in book.sheetnames:
        raise InputError([Problem(str(path), None, None, "draft_not_review")])
    data = {row[0]: row[1:] for row in book[DATA_SHEET].iter_rows(values_only=True) if row and row[0]}
    decided = Decided(json.loads(data["plan"][0]), json.loads(data["kinds"][0]))
    sheet = next(book[name] for name in book.sheetnames if name != DATA_SHEET)
    lang = "en" if sheet.title == SHEET["en"] else "vi"
    problems = []
    for number, row in enumerate(sheet.iter_rows(min_row=3, values_only=True), start=3):
        rule_id = row[0]
        if rule_id not in data:
            continue
        choice = DECISIONS.get(plain(row[11] or ""), "" if not row[11] else None)
        if choice is None:
            problems.append(Problem(str(path), number, m("col_decision", "vi"), "draft_decision", "", str(row[11]),
                                    sheet.title, f"L{number}"))
            continue
        meta = json.loads(data[rule_id][0])
        text = data[rule_id][1]
        rule = safeyaml.load(text)[0]
        if choice == "":
            decided.undecided.append(rule_id)
        elif choice == "reject":
            decided.rejected.append(rule_id)
        else:
            edits = []
            if choice == "change":
                target = _number(row[7])
                if target is None or "params" not in rule:
                    problems.append(Problem(str(path), number, m("col_target", "vi"), "draft_target", "",
                                            str(row[7]), sheet.title, f"H{number}"))
                    continue
                rule["params"]["target"] = target
                rule.pop("target_text", None)
                edits.append(f"target changed by the reviewer to {target:g}")
            found = _edits(rule, row, lang)
            problems += [Problem(str(path), number, m(col, "vi"), code, detail, value, sheet.title,
                                 f"{_LETTERS[COLUMNS.index(col)]}{number}") for col, code, detail, value in found[1]]
            edits += found[0]
            if edits:
                decided.changed.append(rule_id)
                head = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
                text = head + "".join(f"# {e}\n" for e in edits) + dump_yaml(rule)
            decided.accepted.append({"rule": rule, "text": text, **meta})
    if problems:
        raise InputError(problems)
    return decided


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _cell(row: tuple[Any, ...], col: str) -> str:
    n = COLUMNS.index(col)
    value = row[n] if n < len(row) else None
    return "" if value is None else str(value).strip()


def _edits(rule: dict[str, Any], row: tuple[Any, ...], lang: str) -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """What the secretary rewrote in an accepted row (title, direction, due), applied to the rule: the edits
    made, and the cells chibo cannot read (column, problem code, detail, value). A cell left as chibo wrote
    it (or emptied) changes nothing."""
    edits: list[str] = []
    problems: list[tuple[str, str, str, str]] = []
    title = _cell(row, "col_title")
    if title and title != rule["title"][lang]:
        rule["title"][lang] = title
        edits.append(f"title changed by the reviewer ({lang})")
    direction = _cell(row, "col_direction")
    if direction and "op" in rule["check"] and direction != direction_words(rule, lang):
        op = _read_op(direction)
        if op is None:
            words = ", ".join(m(f"op_{o}", lang) for o in OPS)
            problems.append(("col_direction", "draft_direction", words, direction))
        elif op != rule["check"]["op"]:
            rule["check"]["op"] = op
            edits.append(f"direction changed by the reviewer to {op}")
    due = _cell(row, "col_due")
    if due and due not in (due_words(rule["due"], lang), _code_words(rule["due"])):
        value = _read_due(due)
        if value is None:
            words = ", ".join(m(f"due_{d}", lang) for d in ("continuous", *NAMED_DATES, *EACH))
            problems.append(("col_due", "draft_due", words, due))
        elif value != rule["due"]:
            rule["due"] = value
            edits.append("due changed by the reviewer")
    return edits, problems


def _code_words(due: Any) -> str:
    """How a review sheet of an earlier chibo wrote a due ("at: year_end"): such a sheet still applies."""
    return due if isinstance(due, str) else ", ".join(f"{k}: {v}" for k, v in due.items())


def _read_op(text: str) -> str | None:
    """A direction as the sheet offers it, in either language, or a sign (≥, <=)."""
    if text.strip() in SYMBOLS:
        return SYMBOLS[text.strip()]
    wanted = plain(text)
    return next((o for o in OPS for lang in ("vi", "en") if plain(m(f"op_{o}", lang)) == wanted), None)


def _read_due(text: str) -> Any:
    """A due period as the sheet offers it (either language), or a date dd/mm/yyyy."""
    import datetime as dt

    wanted = plain(text)
    for lang in ("vi", "en"):
        if wanted == plain(m("due_continuous", lang)):
            return "continuous"
        for name in NAMED_DATES:
            if wanted == plain(m(f"due_{name}", lang)):
                return {"at": name}
        for unit in EACH:
            if wanted == plain(m(f"due_{unit}", lang)):
                return {"each": unit}
    for form in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return {"at": dt.datetime.strptime(text.strip(), form).date()}
        except ValueError:
            continue
    return None


def _number(value: Any) -> float | int | None:
    """A target as typed: 75, 75%, "75,5" → a number ≥ 0, else None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        try:
            number = float(str(value or "").strip().rstrip("%").replace(",", "."))
        except ValueError:
            return None
    if number < 0:
        return None
    return int(number) if number.is_integer() else number
