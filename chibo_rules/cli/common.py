"""What every command of the command line shares, written once: the exit codes, the consoles, the usage error,
the problems table, the evaluator's choice, loading a case, and writing or printing a report.

Light on purpose: `chibo --help` imports this module, so a job, a renderer or the engine is imported inside the
function that needs it, when a command runs (issue 20, item 8).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from ..clihelp import LANG
from ..errors import EngineUnavailable, InputError, Problem
from ..report import formats

if TYPE_CHECKING:
    from ..jobs.check import Evaluator
    from ..jobs.plans import Plans

EXIT_OK, EXIT_GAPS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3


if TYPE_CHECKING:  # a type checker sees a str Enum; its members come from the registry when run
    class Format(str, Enum): ...
else:  # the report formats, one module each in report/formats/
    Format = Enum("Format", {f.name: f.name for f in formats.formats(formats.REPORTS)}, type=str)


class ShortFormat(str, Enum):
    """The formats a command that prints no report can render: validate and the rules commands."""

    table = "table"
    json = "json"


class EvaluatorName(str, Enum):
    auto = "auto"
    engine = "engine"
    oracle = "oracle"


class Evaluated(str, Enum):
    engine = "engine"
    oracle = "oracle"


def t(key: str, lang: str, **kw: Any) -> str:
    """The report's words (report/i18n.py), imported on first use: the catalogue is not needed for --help."""
    from ..report.i18n import t as words

    return words(key, lang, **kw)


def plans_of(rules_dir: Path | None, plans_dirs: list[Path] | None = None) -> Plans:
    """The plans a command judges by: --rules (or $CHIBO_RULES), else those found in --plans and the usual places."""
    from ..jobs.plans import Plans, override_from_env, search_from_env

    return Plans(override=rules_dir or override_from_env(), search=search_from_env(plans_dirs or ()))


def out() -> Console:
    """The terminal; when redirected, 120 columns (not rich's 80) unless COLUMNS says otherwise."""
    console = Console(soft_wrap=False, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(soft_wrap=False, highlight=False, width=120)
    return console


def err() -> Console:
    return Console(stderr=True, highlight=False)


def print_problems(problems: list[Problem], lang: str, as_json: bool = False) -> None:
    """Every problem with its file (sheet and cell in a workbook), line and field, in the user's language."""
    from rich.table import Table

    from ..report.output import safe
    from ..report.problems import PROBLEMS_SCHEMA, problem_text, problems_json

    if as_json:
        payload = {"schema": PROBLEMS_SCHEMA, "problems": problems_json(problems, lang)}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    console = err()
    table = Table(title=t("problems_title", lang), title_justify="left")
    workbook = any(p.sheet or p.cell for p in problems)
    columns = ["col_file", "col_sheet", "col_line", "col_cell"] if workbook else ["col_file", "col_line"]
    for col in [*columns, "col_field", "col_problem", "col_value"]:
        table.add_column(t(col, lang), overflow="fold")
    for p in problems:
        where = [escape(safe(p.file)), escape(safe(p.sheet or "")), _text(p.line), p.cell or ""] if workbook else [
            escape(safe(p.file)), _text(p.line)]
        table.add_row(*where, escape(safe(p.field or "")), escape(safe(problem_text(p, lang))),
                      escape(safe(p.value or "")))
    console.print(table)
    console.print(t("problems_count", lang, n=len(problems)))


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def fail_input(problems: list[Problem], lang: str, as_json: bool = False) -> NoReturn:
    """Bad input: every problem listed, exit 2."""
    print_problems(problems, lang, as_json)
    raise typer.Exit(EXIT_INPUT)


def usage(message: str) -> NoReturn:
    """One line to stderr, exit 2; never wrapped by rich (a path cut in two cannot be copied back)."""
    err().print(message, soft_wrap=True)
    raise typer.Exit(EXIT_INPUT)


def parse_as_of(text: str, lang: str) -> dt.date:
    from ..facts.values import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        # 31/4/2020 has the right form: saying "use dd/mm/yyyy" would send the user looking for the wrong mistake
        key = "bad_date_not_real" if str(exc) == "not a real calendar date" else "bad_date"
        err().print(t(key, lang, detail=escape(text)))
        raise typer.Exit(EXIT_INPUT) from None


def split(only: list[str] | None) -> list[str] | None:
    """--only R14 --only B.III,R41 -> ["R14", "B.III", "R41"] (None: every rule)."""
    wanted = [w for item in (only or []) for w in item.split(",") if w.strip()]
    return wanted or None


def check_only(wanted: list[str] | None, prepared: list, language: str) -> None:
    from ..jobs.check import select

    if wanted and not select(prepared, wanted):
        usage(t("unknown_rule", language, detail=escape(", ".join(wanted))))


def docx_output(fmt: Enum, output: Path | None, language: str) -> None:
    """A Word document is a file, never the terminal: --format docx needs --output (a usage error, exit 2)."""
    if formats.get(fmt.value).file_only and output is None:
        usage(t("docx_needs_output", language))


def within(day: dt.date | None, plan: Any, option: str, language: str) -> dt.date | None:
    """A date given on the command line must fall in the plan's years: a typo (30/06/2002) would otherwise
    judge nothing and exit 0."""
    ruleset = plan.ruleset
    if day is not None and not ruleset.plan.start <= day <= ruleset.plan.end:
        usage(t("date_outside_plan", language, option=option, date=day.strftime("%d/%m/%Y"), plan=plan.id,
                start=ruleset.plan.start.strftime("%d/%m/%Y"), end=ruleset.plan.end.strftime("%d/%m/%Y")))
    return day


def evaluator_of(choice: EvaluatorName, language: str) -> Evaluator:
    """auto: durable-rules where it runs, else the plain-Python oracle (every report then says so and why);
    engine: durable-rules or a clear refusal (exit 2)."""
    if choice == EvaluatorName.oracle:
        return "oracle"
    from ..evaluate.engine import availability

    runs, detail = availability()
    if runs:
        return "engine"
    if choice == EvaluatorName.engine:
        usage(t("engine_missing", language, detail=escape(detail)))
    return "oracle"


def engine(run: Callable[..., Any], language: str) -> Any:
    """Run an evaluation; durable-rules failing to import becomes a clear message, exit 2."""
    try:
        return run()
    except EngineUnavailable as exc:
        usage(t("engine_missing", language, detail=escape(str(exc))))


def load_one(path: Path, plans: Plans, language: str, fmt: Enum) -> Any:
    """Load one case and its plan, or list every problem and exit 2."""
    from ..jobs.plans import load_checked

    try:
        return load_checked(path, plans)
    except InputError as error:
        fail_input(error.problems, language, fmt.value == "json")


def write(target: Path, produce: Callable[[Any], object], kind: str, cases: list[Path], language: str, *,
          force: bool = False, replace_case: bool = False) -> None:
    """Write an output file whole or not at all, never over a case's file or a file that is not an earlier
    output of the same kind (unless --force); what stops it is said in the user's language, exit 2; what was
    written is named on stderr (every command that writes a file comes through here)."""
    from .. import writing
    from ..cliwords import refusal_text, say_written

    try:
        writing.write(target, produce, kind, cases, force, replace_case)
    except writing.WriteRefused as refused:
        usage(refusal_text(refused, language))
    say_written([target], language)


def emit(document: Callable[[], Any], data: Callable[[], Any], language: str, fmt: Enum, output: Path | None,
         cases: list[Path], *, force: bool = False) -> None:
    """Print the report in the chosen format, or write it to --output. `document` and `data` build the
    Document and the JSON, only the one the format needs (report/formats/)."""
    chosen, source = formats.get(fmt.value), formats.Source(document, data)
    if output is None:
        chosen.show(source, out())  # a file-only format (docx) was refused before any work
        return
    write(output, lambda stream: chosen.write(source, stream), chosen.write_kind, cases, language, force=force)


__all__ = ["EXIT_BUG", "EXIT_GAPS", "EXIT_INPUT", "EXIT_OK", "LANG", "Evaluated", "EvaluatorName", "Format",
           "ShortFormat"]
