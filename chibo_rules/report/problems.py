"""Input problems in words: one line per problem in the user's language, as a table or as JSON.

Shared by every command and by the roll-up, which reports a broken cell's problems beside the
other cells' results."""

from __future__ import annotations

from typing import Any

from ..errors import Problem
from ..words import has, os_reason
from .i18n import t, value_message

PROBLEMS_SCHEMA = "chibo.problems/1"


def problem_text(problem: Problem, lang: str) -> str:
    key = f"p_{problem.code}"
    detail = problem.detail
    if problem.code == "invalid":
        detail = value_message(detail, lang)
    elif problem.code in ("unreadable", "xlsx_open") and (has(f"os.read_{detail}") or has(f"os.{detail}")):
        detail = os_reason(detail, lang, "read")  # the system's reason (EACCES…) in the user's words
    try:
        return t(key, lang, detail=detail)
    except KeyError:
        return f"{problem.code}: {problem.detail}"


def problems_json(problems: list[Problem], lang: str) -> list[dict[str, Any]]:
    return [
        {"file": p.file, "sheet": p.sheet, "line": p.line, "cell": p.cell, "field": p.field, "code": p.code,
         "message": problem_text(p, lang), "value": p.value}
        for p in problems
    ]


def problem_line(p: Problem, lang: str) -> str:
    """'people.csv, dòng 7, cột group: giá trị không hợp lệ …' — for lists (roll-up, HTML)."""
    where = [p.file]
    if p.sheet:
        where.append(p.sheet)
    if p.line is not None:
        where.append(t("line", lang, line=p.line))
    if p.cell:
        where.append(p.cell)
    if p.field:
        where.append(p.field)
    value = f" ({p.value})" if p.value else ""
    return f"{', '.join(where)}: {problem_text(p, lang)}{value}"
