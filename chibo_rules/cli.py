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

from .errors import EngineUnavailable, InputError, Problem
from .facts.values import parse_date
from .jobs.audit import parse_quarter, quarter_of, run_audit
from .jobs.check import default_as_of, run_check, select
from .jobs.plans import Plans, bundled_plans, load_checked, override_from_env
from .jobs.ready import run_ready
from .jobs.rollup import discover, run_rollup
from .judge.findings import quarter_end
from .report.i18n import t
from .report.jsonout import audit_json, ready_json, rollup_json
from .report.problems import PROBLEMS_SCHEMA, problem_text, problems_json
from .report.render import to_json
from .report.views import agenda_markdown, audit_document, check_document, ready_document, rollup_document
from .ruleset.prepare import prepare
from .ruleset.rulespec import load_rules

EXIT_OK, EXIT_GAPS, EXIT_INPUT = 0, 1, 2


class Lang(str, Enum):
    vi = "vi"
    en = "en"


class Format(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


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
RulesOpt = typer.Option(None, "--rules", help="A plan folder judging every case (default: the plan each case names "
                        "in cell.yaml, among the bundled plans; or $CHIBO_RULES).")


def _plans(rules_dir: Path | None) -> Plans:
    return Plans(override=rules_dir or override_from_env())


def _out() -> Console:
    """The terminal; when redirected, 120 columns (not rich's 80) unless COLUMNS says otherwise."""
    console = Console(soft_wrap=False, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(soft_wrap=False, highlight=False, width=120)
    return console


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def print_problems(problems: list[Problem], lang: str, as_json: bool = False) -> None:
    if as_json:
        payload = {"schema": PROBLEMS_SCHEMA, "problems": problems_json(problems, lang)}
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


def _plan_folders(rules_dir: Path | None) -> list[Path]:
    """The plans a rules command looks at: --rules (or $CHIBO_RULES), else every bundled plan."""
    override = rules_dir or override_from_env()
    return [override] if override is not None else bundled_plans()


def _load_rules(folder: Path, lang: str):
    try:
        ruleset = load_rules(folder)
        return ruleset, prepare(ruleset)
    except InputError as err:
        _fail_input(err.problems, lang)
        raise


def _prepare_all(ruleset, lang: str) -> list:
    """Every rule of the folder, whatever its job: listing and showing validate them all."""
    try:
        return prepare(ruleset, None)
    except InputError as err:
        _fail_input(err.problems, lang)
        raise


def _parse_as_of(text: str, lang: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError:
        _err().print(t("bad_date", lang, detail=escape(text)))
        raise typer.Exit(EXIT_INPUT) from None


CasesArg = typer.Argument(..., help="One or more cases: a case folder (cell.yaml plus one CSV/YAML file per kind of "
                          "fact), a .xlsx workbook (see `chibo template`), or a folder of cases. Several cases give "
                          "a roll-up: one row per cell, worst first.")
FormatOpt = typer.Option(Format.table, "--format", help="table (terminal), json (machine-readable, schema "
                         "docs/report.schema.json), markdown (meeting attachment) or html (one printable page).")
OutputOpt = typer.Option(None, "--output", "-o", help="Write the report to this file instead of the terminal "
                         "(never one of the case's own files).")
OnlyOpt = typer.Option(None, "--only", help="Rule id or plan section, repeatable or comma-separated "
                       "(e.g. --only R14 --only B.III).")
EvaluatorOpt = typer.Option(EvaluatorName.engine, "--evaluator",
                            help="engine (durable-rules) or oracle (plain-Python cross-check).")
FullOpt = typer.Option(False, "--full", help="With several cases: also print each cell's full report.")


@app.command()
def check(
    cases: list[Path] = CasesArg,
    as_of: str | None = typer.Option(None, "--as-of", help="Judge as of this date (dd/mm/yyyy or yyyy-mm-dd); "
                                        "default: today, or the plan year's last day for a past year."),
    lang: Lang = LangOpt,
    fmt: Format = FormatOpt,
    output: Path | None = OutputOpt,
    only: list[str] | None = OnlyOpt,
    rules_dir: Path | None = RulesOpt,
    evaluator: EvaluatorName = EvaluatorOpt,
    strict: bool = typer.Option(False, "--strict", help="Also exit 1 when a due requirement has no data."),
    full: bool = FullOpt,
) -> None:
    """Check cases against the plan's rules and print the compliance report.

    Exit codes: 0 no gaps · 1 gaps (with --strict, also requirements without data) · 2 bad input.
    Examples: `chibo check cases/vbn1-2020` · `chibo check cases/vbn1-2020 --as-of 30/06/2020 --lang en` ·
    `chibo check ho-so.xlsx --format html -o bao-cao.html` · `chibo check cases/` (roll-up of every cell)
    """
    language = lang.value
    plans = _plans(rules_dir)
    day = _parse_as_of(as_of, language) if as_of else None
    wanted = _split(only)
    paths = discover(cases)
    if len(paths) != 1:
        _rollup(paths, plans, "check", day, None, language, fmt, output, evaluator, wanted, full, strict)
    case, plan = _load_one(paths[0], plans, language, fmt)
    _check_only(wanted, plan.prepared, language)
    day = day or default_as_of(case)
    report = _engine(lambda: run_check(case, plan.ruleset, plan.prepared, day, evaluator.value, wanted), language)
    _emit(lambda: check_document(report, language), lambda: to_json(report, language), language, fmt, output,
          paths)
    counts = report.counts()
    failing = counts["gap"] + (counts["no_data"] if strict else 0)
    raise typer.Exit(EXIT_GAPS if failing else EXIT_OK)


@app.command()
def audit(
    cases: list[Path] = CasesArg,
    quarter: str | None = typer.Option(None, "--quarter", "-q", help="The quarter to audit, e.g. 2020-Q2: judged "
                                       "as of its last day."),
    as_of: str | None = typer.Option(None, "--as-of", help="Audit as of this date instead of a quarter's end."),
    lang: Lang = LangOpt,
    fmt: Format = FormatOpt,
    output: Path | None = OutputOpt,
    only: list[str] | None = OnlyOpt,
    rules_dir: Path | None = RulesOpt,
    evaluator: EvaluatorName = EvaluatorOpt,
    full: bool = FullOpt,
) -> None:
    """Quarterly audit: what is due and missed, what is behind pace, on pace or not due yet, what changed
    since the previous quarter and what to do before the next one.

    Counts due later in the year are judged against the milestones (or linear pace) in their rule files.
    Exit codes: 0 nothing open · 1 gaps or behind pace · 2 bad input.
    Examples: `chibo audit cases/vbn1-2020 --quarter 2020-Q2` · `chibo audit cases/ -q 2020-Q3 --format html -o q3.html`
    """
    language = lang.value
    plans = _plans(rules_dir)
    wanted = _split(only)
    if quarter and as_of:
        _usage(t("quarter_or_date", language))
    label = None
    if quarter:
        try:
            year, q = parse_quarter(quarter)
        except ValueError:
            _usage(t("bad_quarter", language, detail=escape(quarter)))
        day = quarter_end(year, q)
        label = f"{year}-{q}"
    else:
        day = _parse_as_of(as_of, language) if as_of else None
    paths = discover(cases)
    if len(paths) != 1:
        label = label or (f"{day.year}-{quarter_of(day)}" if day else None)
        _rollup(paths, plans, "audit", day, label, language, fmt, output, evaluator, wanted, full, False)
    case, plan = _load_one(paths[0], plans, language, fmt)
    _check_only(wanted, plan.prepared, language)
    day = day or default_as_of(case)
    result = _engine(lambda: run_audit(case, plan.ruleset, plan.prepared, day, evaluator.value, wanted), language)
    _emit(lambda: audit_document(result, language), lambda: audit_json(result, language), language, fmt, output,
          paths)
    raise typer.Exit(EXIT_GAPS if result.has_gaps else EXIT_OK)


@app.command()
def ready(
    case_dir: Path = typer.Argument(..., help="The cell's case folder or .xlsx workbook."),
    meeting: str = typer.Option(..., "--meeting", "-m", help="Date of the monthly meeting (dd/mm/yyyy or yyyy-mm-dd)."),
    lang: Lang = LangOpt,
    fmt: Format = FormatOpt,
    output: Path | None = OutputOpt,
    agenda: Path | None = typer.Option(None, "--agenda", help="Also write the draft agenda (Markdown, to paste "
                                       "into the minutes) to this file."),
    rules_dir: Path | None = RulesOpt,
    evaluator: EvaluatorName = EvaluatorOpt,
) -> None:
    """Pre-meeting readiness review: the checklist for a monthly cell meeting (Uncle Ho story and presenter,
    commendation proposals, the last meeting's decisions, the QCCM check), the plan's open gaps with their
    owners, who still owes what, and a draft agenda.

    The checklist is the rules with `job: ready` in the rules folder. Exit codes: 0 ready · 1 not ready ·
    2 bad input. Example: `chibo ready cases/vbn1-2020 --meeting 05/05/2020 --agenda chuong-trinh.md`
    """
    language = lang.value
    plans = _plans(rules_dir)
    day = _parse_as_of(meeting, language)
    case, plan = _load_one(case_dir, plans, language, fmt)
    try:
        checklist = plan.checklist
    except InputError as err:
        _fail_input(err.problems, language)
    ruleset, prepared = plan.ruleset, plan.prepared
    result = _engine(lambda: run_ready(case, ruleset, prepared, checklist, day, evaluator.value), language)
    if agenda is not None:
        _refuse_inside([case_dir], agenda, language)
        agenda.write_text(agenda_markdown(result, language), encoding="utf-8")
    _emit(lambda: ready_document(result, language), lambda: ready_json(result, language), language, fmt, output,
          [case_dir])
    raise typer.Exit(EXIT_OK if result.ready else EXIT_GAPS)


def _split(only: list[str] | None) -> list[str] | None:
    """--only R14 --only B.III,R41 -> ["R14", "B.III", "R41"] (None: every rule)."""
    wanted = [w for item in (only or []) for w in item.split(",") if w.strip()]
    return wanted or None


def _check_only(wanted: list[str] | None, prepared: list, language: str) -> None:
    if wanted and not select(prepared, wanted):
        _usage(t("unknown_rule", language, detail=escape(", ".join(wanted))))


def _usage(message: str) -> None:
    _err().print(message)
    raise typer.Exit(EXIT_INPUT)


def _engine(run, language: str):
    """Run an evaluation; durable-rules failing to import becomes a clear message, exit 2."""
    try:
        return run()
    except EngineUnavailable as exc:
        _usage(t("engine_missing", language, detail=escape(str(exc))))


def _load_one(path: Path, plans: Plans, language: str, fmt: Format):
    """Load one case and its plan, or list every problem and exit 2."""
    try:
        return load_checked(path, plans)
    except InputError as err:
        _fail_input(err.problems, language, fmt == Format.json)


def _rollup(paths, plans, command, day, label, language, fmt, output, evaluator, wanted, full, strict):
    """Several cells: judge each (a broken one is reported, the rest go on), print one roll-up, exit."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if not paths:
        _usage(t("no_cases", language, detail=""))
    console = _err()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(t("progress", language), total=len(paths))

        def advance(path: Path) -> None:
            progress.update(task, advance=1, description=f"{t('progress', language)} {path.name}")

        result = _engine(lambda: run_rollup(paths, plans, command, day, label, evaluator.value, wanted,
                                            advance), language)
    _emit(lambda: rollup_document(result, language, full), lambda: rollup_json(result, language, full), language,
          fmt, output, paths)
    if result.exit_problems:
        raise typer.Exit(EXIT_INPUT)
    failing = result.has_gaps or (strict and any(
        c.judged is not None and c.judged.counts()["no_data"] for c in result.cells))
    raise typer.Exit(EXIT_GAPS if failing else EXIT_OK)


def _refuse_inside(cases: list[Path], output: Path, language: str) -> None:
    """Reports are never written into a case: a report file there would be read as a fact file."""
    target = output.resolve()
    for case_dir in cases:
        inside = case_dir.resolve() if case_dir.is_dir() else case_dir.resolve().parent
        if target == case_dir.resolve() or inside in target.parents:
            _usage(t("output_in_case", language, detail=escape(str(output))))


def _emit(document, data, language: str, fmt: Format, output: Path | None, cases: list[Path]) -> None:
    """Print the report in the chosen format, or write it to --output. `document` and `data` build the
    Document (table, markdown, html) and the JSON, only the one needed."""
    from .report.output import print_rich, to_html, to_markdown

    if fmt == Format.json:
        text = json.dumps(data(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == Format.markdown:
        text = to_markdown(document())
    elif fmt == Format.html:
        text = to_html(document())
    else:
        text = None
    if output is None:
        if text is None:
            print_rich(document(), _out())
        else:
            sys.stdout.write(text)
        return
    _refuse_inside(cases, output, language)
    with output.open("w", encoding="utf-8") as handle:
        if text is None:
            print_rich(document(), Console(file=handle, width=120, color_system=None, soft_wrap=False))
        else:
            handle.write(text)


@app.command()
def validate(
    case_dir: Path = typer.Argument(..., help="Case folder or .xlsx workbook to validate."),
    lang: Lang = LangOpt,
    fmt: Format = typer.Option(Format.table, "--format", help="table or json."),
    rules_dir: Path | None = RulesOpt,
) -> None:
    """Check a case's files against its plan's kinds of facts without judging them: every problem with file,
    line and field; exit 2 if any."""
    case, _ = _load_one(case_dir, _plans(rules_dir), lang.value, fmt)
    n = sum(len(rs) for rs in case.records.values())
    if fmt == Format.json:
        sys.stdout.write(json.dumps({"schema": "chibo.problems/1", "problems": [], "records": n}) + "\n")
    else:
        _out().print(t("valid", lang.value, n=n, files=len(case.records) + 1))


@app.command()
def template(
    out: Path = typer.Argument(..., help="The .xlsx workbook to write."),
    from_case: Path | None = typer.Option(None, "--from", help="Write this case's records into the workbook."),
    plan_id: str | None = typer.Option(None, "--plan", help="The plan whose kinds of facts the workbook holds "
                                       "(a bundled plan's id); with --from, the case's own plan."),
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
    force: bool = typer.Option(False, "--force", help="Overwrite OUT if it exists."),
) -> None:
    """Write an Excel workbook to fill in (Vietnamese headers, instructions, drop-down lists, date formats).

    The sheets are the kinds of facts of a plan (--plan, --rules, or the --from case's plan). With --from, the
    workbook holds an existing case; reading it back gives the same facts.
    Examples: `chibo template ho-so.xlsx --plan vbn1-2020` · `chibo template ho-so.xlsx --from cases/vbn1-2020`
    """
    from .facts.xlsx import write_workbook

    language = lang.value
    if out.suffix.lower() != ".xlsx":
        _err().print(t("template_suffix", language, detail=escape(str(out))))
        raise typer.Exit(EXIT_INPUT)
    if out.exists() and not force:
        _err().print(t("template_exists", language, detail=escape(str(out))))
        raise typer.Exit(EXIT_INPUT)
    plans = _plans(rules_dir)
    case = None
    if from_case is not None:
        case, plan = _load_one(from_case, plans, language, Format.table)
    else:
        folder = plans.override or next((p for p in bundled_plans() if p.name == plan_id), None)
        if folder is None:
            _usage(t("choose_plan", language, detail=", ".join(p.name for p in bundled_plans())))
        try:
            plan = plans.load(folder)
        except InputError as err:
            _fail_input(err.problems, language)
    write_workbook(out, plan.ruleset.schema, case, plan.id)
    _out().print(t("template_written", language, detail=escape(str(out))))


def _all_rules(rules_dir: Path | None, language: str):
    """(plan, every prepared rule whatever its job) for each plan a rules command looks at."""
    out = []
    for folder in _plan_folders(rules_dir):
        ruleset, _ = _load_rules(folder, language)
        out.append((ruleset, _prepare_all(ruleset, language)))
    return out


@rules_app.command("list")
def rules_list(
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
    fmt: Format = typer.Option(Format.table, "--format", help="table or json."),
) -> None:
    """Every rule with its id, plan section, kind, due period and title (the plan's rules, then the
    pre-meeting checklist's: job `ready`), for --rules or every bundled plan.

    Example: `chibo rules list --rules rules/vbn1-2020 --format json`"""
    language = lang.value
    plans = _all_rules(rules_dir, language)
    if fmt == Format.json:
        data = [{"plan": ruleset.plan.id, "id": p.id, "section": p.rule.section, "kind": p.kind,
                 "severity": p.rule.severity, "job": p.rule.job, "title": getattr(p.rule.title, language),
                 "clause": p.rule.clause}
                for ruleset, prepared in plans for p in prepared]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    for ruleset, prepared in plans:
        table = Table(title=f"{ruleset.plan.id} — {getattr(ruleset.plan.name, language)}", title_justify="left")
        for name in (t("col_id", language), t("section", language), "kind", "due", "job",
                     t("col_requirement", language)):
            table.add_column(name)
        for p in prepared:
            due = p.rule.due if isinstance(p.rule.due, str) else (p.rule.due.each or str(p.rule.due.at))
            if not isinstance(p.rule.due, str) and (p.rule.due.milestones or p.rule.due.pace):
                steps = ", ".join(f"{q}: {v:g}" for q, v in p.rule.due.milestones.items())
                due += f" ({p.rule.due.pace or steps})"
            if p.per_unit:
                due += f" (per {p.per_unit})"
            table.add_row(p.id, p.rule.section, p.kind, due, p.rule.job, escape(getattr(p.rule.title, language)))
        _out().print(table)


@rules_app.command("show")
def rules_show(
    rule_id: str = typer.Argument(..., help="Rule id, e.g. R14."),
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
) -> None:
    """One rule in full: clause, target, parameters, references and the rule file's check.

    Example: `chibo rules show R14 --rules rules/vbn1-2020`"""
    import yaml

    language = lang.value
    match = [(ruleset, p) for ruleset, prepared in _all_rules(rules_dir, language) for p in prepared
             if p.id.upper() == rule_id.upper()]
    if not match:
        _err().print(t("unknown_rule", language, detail=escape(rule_id)))
        raise typer.Exit(EXIT_INPUT)
    console = _out()
    for ruleset, p in match:
        rule = p.rule
        console.print(f"[bold]{rule.id}[/bold] — {escape(getattr(rule.title, language))}")
        plan_name = escape(getattr(ruleset.plan.name, language))
        console.print(f"{t('plan', language)}: {escape(ruleset.plan.id)} — {plan_name}")
        console.print(f"{t('section', language)}: {rule.section}   severity: {rule.severity}   due: {rule.due}")
        console.print(f"{t('clause', language)}: “{escape(rule.clause.strip())}”")
        if rule.target_text:
            console.print(f"{t('col_target', language)}: {escape(getattr(rule.target_text, language))}")
        console.print(f"{t('hint', language)}: {escape(getattr(rule.hint, language))}")
        for ref in rule.refs:
            console.print(f"ref: {escape(ref)}")
        console.print(f"file: {escape(str((ruleset.folder or Path('.')) / rule.source))}")
        dumped = yaml.safe_dump({"params": rule.params, "check": rule.check.model_dump(
            by_alias=True, exclude_defaults=True, mode="json")}, allow_unicode=True, sort_keys=False)
        console.print(escape(dumped))


@rules_app.command("test")
def rules_test(
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
    evaluator: list[EvaluatorName] | None = typer.Option(None, "--evaluator", help="Run the cases with this "
                                                           "evaluator only (default: both)."),
    fmt: Format = typer.Option(Format.table, "--format", help="table or json."),
) -> None:
    """Run the plan's own rule tests (tests/*.yaml in the plan folder): every named case with both evaluators.

    Each case gives only the records it needs, an as-of date and the expected status and gaps. Exit 0 when
    every case passes, 1 when any fails (with what differs), 2 when a test or rule file is broken.
    Example: `chibo rules test --rules rules/vbn1-2020`"""
    from .jobs.ruletests import run_plan_tests
    from .report.ruletests import print_results, results_json

    language = lang.value
    chosen = [e.value for e in evaluator] if evaluator else ["engine", "oracle"]
    results = []
    try:
        for folder in _plan_folders(rules_dir):
            results.append(_engine(lambda f=folder: run_plan_tests(f, chosen), language))
    except InputError as err:
        _fail_input(err.problems, language, fmt == Format.json)
    if fmt == Format.json:
        sys.stdout.write(json.dumps(results_json(results), ensure_ascii=False, indent=2) + "\n")
    else:
        print_results(results, language, _out())
    failed = any(not r.ok for result in results for r in result.cases)
    raise typer.Exit(EXIT_GAPS if failed else EXIT_OK)


@app.command("docs")
def docs(
    document: str = typer.Argument(..., metavar="case-format", help="The document: case-format (how a case "
                                   "folder or workbook is written, from the kinds of facts the plans declare)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write it to this file (replaced whole, "
                                       "never left half-written) instead of the terminal."),
    rules_dir: list[Path] | None = typer.Option(None, "--rules", help="Document these plan folders (repeatable; "
                                                "default: every bundled plan)."),
    lang: Lang = LangOpt,
) -> None:
    """Print a document generated from the plans' declarations (kinds of facts, headers, codes, rules).

    Example: `chibo docs case-format --output docs/case-format.md` (how docs/case-format.md is made)."""
    import stat
    import tempfile

    from .facts.casedoc import case_format

    language = lang.value
    if document != "case-format":
        _usage(f"không có tài liệu này / no such document: {escape(document)} (case-format)")
    try:
        text = case_format(rules_dir or None)
    except InputError as err:
        _fail_input(err.problems, language)
    if output is None:
        sys.stdout.write(text)
        return
    folder = output.parent
    if not folder.is_dir():
        _usage(f"không có thư mục / no such folder: {escape(str(folder))}")
    if output.exists():
        mode = stat.S_IMODE(output.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main() -> None:  # pragma: no cover - console entry point
    app()
