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

import datetime as dt
import io
import json
import re
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
           "col_target", "col_due", "col_confidence", "col_why", "col_decision", "col_note", "col_direction",
           "col_kind", "col_field"]
# review.md shows what the secretary decides on; the sentence and the note stay in the workbook
MD_COLUMNS = [c for c in COLUMNS if c not in ("col_sentence", "col_note")]
GUIDE_SHEET = {"vi": "Hướng dẫn", "en": "Instructions"}
LISTS_SHEET = "_lists"
RULE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
MERGE = re.compile(r"^(?:gop vao|merge into)\s+(\S+)$")
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
    elif isinstance(at, dt.date):
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
    reader = _reader(rule["check"])
    return [p.id, rule["section"], p.clause.sentence, p.clause.quote, rule["title"][lang], check_words(rule, lang),
            p.reads, target, due_words(rule["due"], lang), m(f"level_{p.level}", lang) + f" ({p.confidence:.2f})",
            why, "", "", direction_words(rule, lang), reader["kind"] if reader else "", _measured(rule["check"])]


def _reader(check: dict[str, Any]) -> dict[str, Any] | None:
    """The pattern whose kind the "kind" column shows and changes: the first matched kind of a count or ratio,
    the kind a coverage requires, the evidence of an advisory rule; None for a check reading no kind."""
    entries = check.get("match") or []
    for entry in (entries[0] if entries else None, check.get("require"), check.get("evidence")):
        if isinstance(entry, dict) and entry.get("kind"):
            return entry
    return None


def _measured(check: dict[str, Any]) -> str:
    """The field the "field" column shows and changes: the one a count sums, the numerator a ratio sums."""
    total = check.get("sum")
    ref = total.get("numerator") if isinstance(total, dict) else total
    return ref.split(".", 1)[1] if isinstance(ref, str) and "." in ref else ""


def _set_measured(check: dict[str, Any], name: str) -> None:
    total = check["sum"]
    if isinstance(total, dict):
        total["numerator"] = f"{total['numerator'].split('.', 1)[0]}.{name}"
    else:
        check["sum"] = f"{total.split('.', 1)[0]}.{name}"


def known_fields(kinds: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every kind a drafted plan can read — the library's and its own — with its fields and their types:
    the drop-downs of the kind and field columns and what `plan apply` checks a changed one against."""
    from ..facts.declarations import merge
    from ..ruleset.rulespec import bundled_rules_root

    library, _, _ = merge(bundled_rules_root() / "library", None)
    out = {name: {f: d.type for f, d in decl.fields.items()} for name, decl in library.items()}
    for name, kind in kinds.items():
        declared = {f: str((d or {}).get("type", "text")) for f, d in (kind.get("fields") or {}).items()}
        out[kind.get("kind") or name] = {**out.get(kind.get("extends", ""), {}), **declared}
    return out


def review_markdown(draft: Draft, lang: str, source: str) -> str:
    """review.md: the proposals as a table the secretary can read before deciding in review.xlsx."""
    lines = [f"# {m('review_title', lang)}: {source}", "", m("review_intro", lang), ""]
    header = [m(c, lang) for c in MD_COLUMNS]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for p in draft.proposals:
        cells = [v for c, v in zip(COLUMNS, row_values(p, lang)) if c in MD_COLUMNS]
        lines.append("| " + " | ".join(_md(short(str(v), 160)) for v in cells) + " |")
    lines += ["", m("review_decisions", lang), ""] + [f"- {line}" for line in guide_lines(lang)]
    lines += ["", f"*{m('footer', lang)}*", ""]
    return "\n".join(lines)


def guide_lines(lang: str) -> list[str]:
    """How to fill in the sheet, splitting and merging rows included: the workbook's instructions sheet and
    the end of review.md say the same."""
    return [m(key, lang) for key in ("guide_decide", "guide_edit", "guide_kind", "guide_split", "guide_merge")]


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
    validation.showErrorMessage = False  # "gộp vào D04" / "merge into D04" is typed
    sheet.add_data_validation(validation)
    directions = DataValidation(type="list", formula1='"' + ",".join(m(f"op_{o}", lang) for o in OPS) + '"',
                                allow_blank=True)
    dues = DataValidation(type="list", allow_blank=True, formula1='"' + ",".join(
        m(f"due_{d}", lang) for d in ("continuous", *NAMED_DATES, *EACH)) + '"')
    dues.showErrorMessage = False  # a date may be typed too
    kinds_list, fields_list = _lists(book, known_fields(draft.kinds))
    for extra in (directions, dues, kinds_list, fields_list):
        sheet.add_data_validation(extra)
    for p in draft.proposals:
        sheet.append(row_values(p, lang))
        validation.add(f"L{sheet.max_row}")
        dues.add(f"I{sheet.max_row}")
        if "op" in p.rule["check"]:
            directions.add(f"N{sheet.max_row}")
        if _reader(p.rule["check"]):
            kinds_list.add(f"O{sheet.max_row}")
        if _measured(p.rule["check"]):
            fields_list.add(f"P{sheet.max_row}")
    guide = book.create_sheet(GUIDE_SHEET[lang], 1)  # next to the proposals, before the hidden sheets
    guide.column_dimensions["A"].width = 120
    for line in [m("review_title", lang), *guide_lines(lang)]:
        guide.append([line])
        guide.cell(guide.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    guide["A1"].font = Font(bold=True)
    widths = [6, 8, 50, 40, 40, 14, 30, 9, 16, 12, 30, 14, 20, 14, 18, 14]
    for letter, width in zip("ABCDEFGHIJKLMNOP", widths):
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


def _lists(book: Any, fields: dict[str, dict[str, str]]) -> tuple[Any, Any]:
    """Drop-downs of every kind and every field: far longer than the 255 characters Excel allows in an inline
    list, so they are columns of a hidden sheet the validations point at."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = book.create_sheet(LISTS_SHEET)
    kinds = sorted(fields)
    names = sorted({name for kind in fields.values() for name in kind})
    for n in range(max(len(kinds), len(names))):
        lists.append([kinds[n] if n < len(kinds) else None, names[n] if n < len(names) else None])
    lists.sheet_state = "hidden"
    out = []
    for letter, values in (("A", kinds), ("B", names)):
        out.append(DataValidation(type="list", allow_blank=True,
                                  formula1=f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(values)}"))
    return out[0], out[1]


@dataclass
class Decided:
    """What a filled-in review says: the rules to write (with changed targets) and what is left out."""

    plan: dict[str, Any]
    kinds: dict[str, Any]
    accepted: list[dict[str, Any]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    merged: dict[str, str] = field(default_factory=dict)  # row merged away -> the rule it was merged into


def read_review(path: Path) -> Decided:
    """The decisions of a review workbook; InputError naming the sheet and cell of anything unreadable.

    A row whose code is a drafted rule's code followed by more (D05b) is a copy of that rule (a split); a
    decision "gộp vào D04" / "merge into D04" drops the row's rule and notes its clause in D04 (a merge)."""
    from openpyxl import load_workbook

    if not path.is_file():
        raise InputError([Problem(str(path), None, None, "draft_missing")])
    try:
        book = load_workbook(path, data_only=True)
    except Exception:  # noqa: BLE001 - any file openpyxl cannot open is "not a review workbook"
        raise InputError([Problem(str(path), None, None, "draft_not_review")]) from None
    if DATA_SHEET not in book.sheetnames:
        raise InputError([Problem(str(path), None, None, "draft_not_review")])
    data = {row[0]: row[1:] for row in book[DATA_SHEET].iter_rows(values_only=True) if row and row[0]}
    decided = Decided(json.loads(data.pop("plan")[0]), json.loads(data.pop("kinds")[0]))
    sheet = next((book[n] for n in SHEET.values() if n in book.sheetnames),
                 next(book[n] for n in book.sheetnames if n != DATA_SHEET))
    lang = "en" if sheet.title == SHEET["en"] else "vi"
    reading = _Reading(path, sheet.title, lang, data, decided, known_fields(decided.kinds))
    seen: dict[str, int] = {}
    for number, row in enumerate(sheet.iter_rows(min_row=3, values_only=True), start=3):
        reading.row(number, row, seen)
    reading.merge()
    if reading.problems:
        raise InputError(reading.problems)
    for item in decided.accepted:
        edits = item.pop("edits")
        if edits:
            decided.changed.append(item["rule"]["id"])
            head = "".join(line + "\n" for line in item["text"].splitlines() if line.startswith("#"))
            item["text"] = head + "".join(f"# {e}\n" for e in edits) + dump_yaml(item["rule"])
    return decided


@dataclass
class _Reading:
    """One pass over the proposals sheet: each row's decision and edits, problems at their cells."""

    path: Path
    sheet: str
    lang: str
    data: dict[str, Any]
    decided: Decided
    fields: dict[str, dict[str, str]]
    problems: list[Problem] = field(default_factory=list)
    merges: list[tuple[str, str, int]] = field(default_factory=list)

    def problem(self, number: int, col: str, code: str, detail: str = "", value: Any = "") -> None:
        self.problems.append(Problem(str(self.path), number, m(col, "vi"), code, detail, str(value), self.sheet,
                                     f"{_LETTERS[COLUMNS.index(col)]}{number}"))

    def base_of(self, rule_id: str) -> str | None:
        """The drafted rule a row's code copies: itself, else the longest drafted code it starts with (D05b)."""
        if rule_id in self.data:
            return rule_id
        bases = [b for b in self.data if rule_id.startswith(b)]
        return max(bases, key=len) if bases and RULE_ID.match(rule_id) else None

    def row(self, number: int, row: tuple[Any, ...], seen: dict[str, int]) -> None:
        from .. import safeyaml

        rule_id = "" if row[0] is None else str(row[0]).strip()
        decision = row[11] if len(row) > 11 else None
        base = self.base_of(rule_id) if rule_id else None
        if base is None:
            if rule_id and decision:  # a decided row chibo cannot place is never dropped silently
                self.problem(number, "col_id", "draft_split_id", rule_id, rule_id)
            return
        if rule_id in seen:
            self.problem(number, "col_id", "draft_duplicate_id", str(seen[rule_id]), rule_id)
            return
        seen[rule_id] = number
        merge = MERGE.match(plain(decision or ""))
        choice = "merge" if merge else DECISIONS.get(plain(decision or ""), "" if not decision else None)
        if choice is None:
            self.problem(number, "col_decision", "draft_decision", "", decision)
            return
        if choice == "merge":
            self.merges.append((rule_id, str(decision).split()[-1].strip(), number))
            return
        if choice in ("", "reject"):
            (self.decided.undecided if choice == "" else self.decided.rejected).append(rule_id)
            return
        meta = json.loads(self.data[base][0])
        text = self.data[base][1]
        rule = safeyaml.load(text)[0]
        edits = []
        if rule_id != base:
            rule["id"] = rule_id
            edits.append(f"split by the reviewer from {base}")
        if choice == "change":
            target = _number(row[7])
            if target is None or "params" not in rule:
                self.problem(number, "col_target", "draft_target", "", row[7])
                return
            rule["params"]["target"] = target
            rule.pop("target_text", None)
            edits.append(f"target changed by the reviewer to {target:g}")
        found = _edits(rule, row, self.lang)
        found[1].extend(_kind_edits(rule, row, self.fields, self.lang, found[0]))
        for col, code, detail, value in found[1]:
            self.problem(number, col, code, detail, value)
        edits += found[0]
        self.decided.accepted.append({"rule": rule, "text": text, "edits": edits, **meta})

    def merge(self) -> None:
        """Each "gộp vào D04" row: D04 must be a rule written (accepted or changed); its clause is noted there."""
        kept = {item["rule"]["id"]: item for item in self.decided.accepted}
        for rule_id, into, number in self.merges:
            item = kept.get(into)
            if item is None or into == rule_id:
                self.problem(number, "col_decision", "draft_merge_into", into, f"{rule_id} → {into}")
                continue
            clause = self.data[self.base_of(rule_id) or rule_id][1]
            from .. import safeyaml

            merged = safeyaml.load(clause)[0].get("clause", "")
            rule = item["rule"]
            if merged and merged not in str(rule.get("clause", "")):
                rule["clause"] = f"{rule.get('clause', '')} / {merged}".strip(" /")
            item["edits"].append(f"{rule_id} merged into this rule by the reviewer")
            self.decided.merged[rule_id] = into


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


NUMBER_TYPES = ("count", "integer", "number", "percent")


def _kind_edits(rule: dict[str, Any], row: tuple[Any, ...], fields: dict[str, dict[str, str]], lang: str,
                edits: list[str]) -> list[tuple[str, str, str, str]]:
    """A kind or field the secretary chose in an accepted row, applied to the rule's check (edits noted in
    `edits`): the kind must be one the plan can read and hold every field the check reads of it; a summed
    field must be a number. Cells left as chibo wrote them (or emptied) change nothing."""
    check = rule["check"]
    reader = _reader(check)
    kind, name = _cell(row, "col_kind"), _cell(row, "col_field")
    problems: list[tuple[str, str, str, str]] = []
    changed_kind = bool(reader and kind and kind != reader["kind"])
    changed_field = bool(name and name != _measured(check))
    if (kind and reader is None) or (changed_field and not _measured(check)):
        return [("col_field" if reader else "col_kind", "draft_kind_none", "", name if reader else kind)]
    if changed_kind and reader is not None:
        if kind not in fields:
            return [("col_kind", "draft_kind_unknown", ", ".join(sorted(fields)), kind)]
        reader["kind"] = kind
        edits.append(f"kind changed by the reviewer to {kind}")
    if not (changed_kind or changed_field) or reader is None:
        return problems
    held = fields[reader["kind"]]
    if changed_field:
        if name not in held:
            return [("col_field", "draft_field_unknown", f"{reader['kind']}: {', '.join(held)}", name)]
        _set_measured(check, name)
        edits.append(f"field changed by the reviewer to {name}")
    missing = [f for f in _fields_read(check, reader) if f not in held and f != "key"]
    if missing:
        col = "col_kind" if changed_kind else "col_field"
        problems.append((col, "draft_kind_unfit", f"{reader['kind']}: {', '.join(missing)}",
                         kind if changed_kind else name))
    measured = _measured(check)
    if measured and measured in held and held[measured] not in NUMBER_TYPES:
        problems.append(("col_field", "draft_field_unfit", f"{measured} ({held[measured]})", measured))
    return problems


def _fields_read(check: dict[str, Any], reader: dict[str, Any]) -> list[str]:
    """The fields the check reads of the reader's records: its conditions' keys and every "alias.field"."""
    alias = reader.get("as", "")
    names = [k for k in (reader.get("where") or {}) if k not in ("any", "all", "not")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "as" and value == alias and node is not reader and isinstance(node.get("where"), dict):
                    names.extend(node["where"])
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and node.startswith(alias + ".") and alias:
            names.append(node.split(".", 1)[1])

    walk(check)
    return list(dict.fromkeys(names))


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
