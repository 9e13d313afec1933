"""`chibo`: check a cell's recorded facts against its plan's rules.

Exit codes (for scripts): 0 no gaps, 1 gaps found (or, with --strict, requirements without data),
2 bad input or usage. Bad input never produces a traceback: every problem is listed with file,
line and field, in Vietnamese by default or English with --lang en.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .case import load_case
from .check import default_as_of, run_check, select
from .errors import EngineUnavailable, InputError, Problem
from .i18n import t, value_message
from .prepare import prepare
from .rulespec import load_rules
from .values import parse_date

EXIT_OK, EXIT_GAPS, EXIT_INPUT = 0, 1, 2


class Lang(str, Enum):
    vi = "vi"
    en = "en"


class Format(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"


class EvaluatorName(str, Enum):
    engine = "engine"
    oracle = "oracle"


app = typer.Typer(
    help=(
        "chibo — rà soát việc thực hiện kế hoạch năm của chi bộ / check a Party cell's yearly plan "
        "against its recorded facts.\n\n"
        "Exit codes: 0 no gaps · 1 gaps found · 2 bad input or usage."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
rules_app = typer.Typer(help="List and show the rules (the plan's requirements).", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

LangOpt = typer.Option(Lang.vi, "--lang", help="Report language: vi (default) or en.")
RulesOpt = typer.Option(None, "--rules", help="Folder of rule files (default: the bundled rules/ or $CHIBO_RULES).")


def default_rules_dir() -> Path:
    env = os.environ.get("CHIBO_RULES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "rules"


def _out() -> Console:
    return Console(soft_wrap=False, highlight=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def problem_text(problem: Problem, lang: str) -> str:
    key = f"p_{problem.code}"
    detail = value_message(problem.detail, lang) if problem.code == "invalid" else problem.detail
    try:
        return t(key, lang, detail=detail)
    except KeyError:
        return f"{problem.code}: {problem.detail}"


def print_problems(problems: list[Problem], lang: str, as_json: bool = False) -> None:
    if as_json:
        data = [
            {"file": p.file, "sheet": p.sheet, "line": p.line, "cell": p.cell, "field": p.field, "code": p.code,
             "message": problem_text(p, lang), "value": p.value}
            for p in problems
        ]
        payload = {"schema": "chibo.problems/1", "problems": data}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return
    console = _err()
    table = Table(title=t("problems_title", lang), title_justify="left")
    workbook = any(p.sheet or p.cell for p in problems)
    columns = ["col_file", "col_sheet", "col_line", "col_cell"] if workbook else ["col_file", "col_line"]
    for col in [*columns, "col_field", "col_problem", "col_value"]:
        table.add_column(t(col, lang), overflow="fold")
    for p in problems:
        where = [escape(p.file), escape(p.sheet or ""), _text(p.line), p.cell or ""] if workbook else [
            escape(p.file), _text(p.line)]
        table.add_row(*where, escape(p.field or ""), escape(problem_text(p, lang)), escape(p.value or ""))
    console.print(table)
    console.print(t("problems_count", lang, n=len(problems)))


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def _fail_input(problems: list[Problem], lang: str, as_json: bool = False) -> None:
    print_problems(problems, lang, as_json)
    raise typer.Exit(EXIT_INPUT)


def _load_rules(rules_dir: Path | None, lang: str):
    try:
        ruleset = load_rules(rules_dir or default_rules_dir())
        return ruleset, prepare(ruleset)
    except InputError as err:
        _fail_input(err.problems, lang)
        raise


def _parse_as_of(text: str | None, plan_year: int, lang: str) -> dt.date:
    if text is None:
        return default_as_of(plan_year)
    try:
        return parse_date(text)
    except ValueError:
        _err().print(t("bad_date", lang, detail=escape(text)))
        raise typer.Exit(EXIT_INPUT) from None


@app.command()
def check(
    case_dir: Path = typer.Argument(..., help="Case folder (cell.yaml plus one CSV/YAML file per kind of fact) "
                                    "or one .xlsx workbook (see `chibo template`)."),
    as_of: str | None = typer.Option(None, "--as-of", help="Judge as of this date (dd/mm/yyyy or yyyy-mm-dd); "
                                        "default: today, or the plan year's last day for a past year."),
    lang: Lang = LangOpt,
    fmt: Format = typer.Option(Format.table, "--format", help="table (terminal), json (machine-readable, "
                               "schema docs/report.schema.json) or markdown (meeting attachment)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file instead of the "
                                       "terminal (never one of the case's own files)."),
    only: list[str] | None = typer.Option(None, "--only", help="Rule id or plan section, repeatable or "
                                             "comma-separated (e.g. --only R14 --only B.III)."),
    rules_dir: Path | None = RulesOpt,
    evaluator: EvaluatorName = typer.Option(EvaluatorName.engine, "--evaluator",
                                            help="engine (durable-rules) or oracle (plain-Python cross-check)."),
    strict: bool = typer.Option(False, "--strict", help="Also exit 1 when a due requirement has no data."),
) -> None:
    """Check a case against the plan's rules and print the compliance report.

    Examples: `chibo check cases/vbn1-2020` · `chibo check cases/vbn1-2020 --as-of 30/06/2020 --lang en` ·
    `chibo check ho-so.xlsx --format markdown -o bao-cao.md` · `chibo check cases/vbn1-2020 --only B.I.4`
    """
    language = lang.value
    ruleset, prepared = _load_rules(rules_dir, language)
    try:
        case = load_case(case_dir)
    except InputError as err:
        _fail_input(err.problems, language, fmt == Format.json)
    if case.cell.plan_year != ruleset.plan.year:
        _fail_input([Problem("cell.yaml", None, "plan_year", "year",
                             f"{case.cell.plan_year} ≠ {ruleset.plan.year} (rules)")], language, fmt == Format.json)
    wanted = [w for item in (only or []) for w in item.split(",") if w.strip()]
    if wanted and not select(prepared, wanted):
        _err().print(t("unknown_rule", language, detail=escape(", ".join(wanted))))
        raise typer.Exit(EXIT_INPUT)
    day = _parse_as_of(as_of, case.cell.plan_year, language)
    try:
        report = run_check(case, ruleset, prepared, day, evaluator.value, wanted or None)
    except EngineUnavailable as exc:
        _err().print(t("engine_missing", language, detail=escape(str(exc))))
        raise typer.Exit(EXIT_INPUT) from None
    _emit(report, language, fmt, output, case_dir)
    counts = report.counts()
    failing = counts["gap"] + (counts["no_data"] if strict else 0)
    raise typer.Exit(EXIT_GAPS if failing else EXIT_OK)


def _emit(report, language: str, fmt: Format, output: Path | None, case_dir: Path) -> None:
    """Print the report, or write it to --output (refusing to overwrite anything inside the case)."""
    from .render import print_json, print_table, to_markdown

    if output is None:
        console = _out()
        if fmt == Format.json:
            print_json(report, language, console)
        elif fmt == Format.markdown:
            console.file.write(to_markdown(report, language))
        else:
            print_table(report, language, console)
        return
    inside = case_dir.resolve() if case_dir.is_dir() else case_dir.resolve().parent
    if output.resolve() == case_dir.resolve() or inside in output.resolve().parents:
        _err().print(t("output_in_case", language, detail=escape(str(output))))
        raise typer.Exit(EXIT_INPUT)
    with output.open("w", encoding="utf-8") as handle:
        console = Console(file=handle, width=120, color_system=None, soft_wrap=False)
        if fmt == Format.json:
            print_json(report, language, console)
        elif fmt == Format.markdown:
            handle.write(to_markdown(report, language))
        else:
            print_table(report, language, console)


@app.command()
def validate(
    case_dir: Path = typer.Argument(..., help="Case folder or .xlsx workbook to validate."),
    lang: Lang = LangOpt,
    fmt: Format = typer.Option(Format.table, "--format", help="table or json."),
) -> None:
    """Check a case's files without judging them: every problem with file, line and field; exit 2 if any."""
    try:
        case = load_case(case_dir)
    except InputError as err:
        _fail_input(err.problems, lang.value, fmt == Format.json)
    n = sum(len(rs) for rs in case.records.values())
    if fmt == Format.json:
        sys.stdout.write(json.dumps({"schema": "chibo.problems/1", "problems": [], "records": n}) + "\n")
    else:
        _out().print(t("valid", lang.value, n=n, files=len(case.records) + 1))


@app.command()
def template(
    out: Path = typer.Argument(..., help="The .xlsx workbook to write."),
    from_case: Path | None = typer.Option(None, "--from", help="Write this case's records into the workbook."),
    lang: Lang = LangOpt,
    force: bool = typer.Option(False, "--force", help="Overwrite OUT if it exists."),
) -> None:
    """Write an Excel workbook to fill in (Vietnamese headers, instructions, drop-down lists, date formats).

    With --from, the workbook holds an existing case; reading it back gives the same facts.
    Example: `chibo template ho-so.xlsx --from cases/vbn1-2020`
    """
    from .xlsx import write_workbook

    language = lang.value
    if out.suffix.lower() != ".xlsx":
        _err().print(t("template_suffix", language, detail=escape(str(out))))
        raise typer.Exit(EXIT_INPUT)
    if out.exists() and not force:
        _err().print(t("template_exists", language, detail=escape(str(out))))
        raise typer.Exit(EXIT_INPUT)
    case = None
    if from_case is not None:
        try:
            case = load_case(from_case)
        except InputError as err:
            _fail_input(err.problems, language)
    write_workbook(out, case)
    _out().print(t("template_written", language, detail=escape(str(out))))


@rules_app.command("list")
def rules_list(
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
    fmt: Format = typer.Option(Format.table, "--format", help="table or json."),
) -> None:
    """Every rule with its id, plan section, kind, due period and title."""
    language = lang.value
    ruleset, prepared = _load_rules(rules_dir, language)
    if fmt == Format.json:
        data = [{"id": p.id, "section": p.rule.section, "kind": p.kind, "severity": p.rule.severity,
                 "title": getattr(p.rule.title, language), "clause": p.rule.clause} for p in prepared]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=getattr(ruleset.plan.name, language), title_justify="left")
    for name in (t("col_id", language), t("section", language), "kind", "due", t("col_requirement", language)):
        table.add_column(name)
    for p in prepared:
        due = p.rule.due if isinstance(p.rule.due, str) else (p.rule.due.each or str(p.rule.due.at))
        table.add_row(p.id, p.rule.section, p.kind, due, escape(getattr(p.rule.title, language)))
    _out().print(table)


@rules_app.command("show")
def rules_show(
    rule_id: str = typer.Argument(..., help="Rule id, e.g. R14."),
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
) -> None:
    """One rule in full: clause, target, parameters, references and the rule file's check."""
    import yaml

    language = lang.value
    ruleset, prepared = _load_rules(rules_dir, language)
    match = [p for p in prepared if p.id.upper() == rule_id.upper()]
    if not match:
        _err().print(t("unknown_rule", language, detail=escape(rule_id)))
        raise typer.Exit(EXIT_INPUT)
    rule = match[0].rule
    console = _out()
    console.print(f"[bold]{rule.id}[/bold] — {escape(getattr(rule.title, language))}")
    console.print(f"{t('section', language)}: {rule.section}   severity: {rule.severity}   due: {rule.due}")
    console.print(f"{t('clause', language)}: “{escape(rule.clause.strip())}”")
    if rule.target_text:
        console.print(f"{t('col_target', language)}: {escape(getattr(rule.target_text, language))}")
    console.print(f"{t('hint', language)}: {escape(getattr(rule.hint, language))}")
    for ref in rule.refs:
        console.print(f"ref: {escape(ref)}")
    console.print(f"file: rules/{rule.source}")
    dumped = yaml.safe_dump({"params": rule.params, "check": rule.check.model_dump(by_alias=True, exclude_defaults=True,
                                                                                   mode="json")},
                            allow_unicode=True, sort_keys=False)
    console.print(escape(dumped))


def main() -> None:  # pragma: no cover - console entry point
    app()
