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
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import writing
from .cli_history import HISTORY_HELP, KeepFactsOpt, SaveOpt, Saver, StoreOpt, history
from .cli_plan import plan_app
from .cli_review import review
from .cli_serve import hw as serve_help
from .cli_serve import serve
from .clihelp import LANG, Lang, h, lang_for_subcommands
from .cliwords import install as install_words
from .cliwords import refusal_text, say_written
from .errors import EngineUnavailable, InputError, Problem
from .evaluate.engine import availability
from .facts.values import parse_date
from .jobs.audit import run_audit
from .jobs.check import Evaluator, default_as_of, run_check, select
from .jobs.plans import Plans, bundled_plans, load_checked, override_from_env, search_from_env
from .jobs.ready import run_ready
from .jobs.rollup import discover, run_rollup
from .quarters import parse_quarter, quarter_end, quarter_of
from .report import formats
from .report.i18n import t
from .report.jsonout import audit_json, ready_json, rollup_json, to_json
from .report.output import safe
from .report.problems import PROBLEMS_SCHEMA, problem_text, problems_json
from .report.views import agenda_markdown, audit_document, check_document, ready_document, rollup_document
from .ruleset.prepare import prepare
from .ruleset.rulespec import load_rules

EXIT_OK, EXIT_GAPS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3
install_words(LANG)  # typer's own frame (usage, panels, errors) in the user's language


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


app = typer.Typer(
    help=h("app") + "\n\n" + h("exit_codes"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
rules_app = typer.Typer(help=h("rules_app"), no_args_is_help=True)
app.add_typer(rules_app, name="rules")
app.add_typer(plan_app, name="plan")


@rules_app.callback(help=h("rules_app"))
def _rules(ctx: typer.Context, lang: Lang = typer.Option(Lang.vi, "--lang", help=h("lang"))) -> None:
    """`chibo rules --help --lang en`, `chibo rules --lang en list`: the group takes --lang too."""
    lang_for_subcommands(ctx, lang.value)

LangOpt = typer.Option(Lang.vi, "--lang", help=h("lang"))
RulesOpt = typer.Option(None, "--rules", help=h("rules"))
PlansOpt = typer.Option(None, "--plans", help=h("plans"))


def _plans(rules_dir: Path | None, plans_dirs: list[Path] | None = None) -> Plans:
    return Plans(override=rules_dir or override_from_env(), search=search_from_env(plans_dirs or ()))


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
        where = [escape(safe(p.file)), escape(safe(p.sheet or "")), _text(p.line), p.cell or ""] if workbook else [
            escape(safe(p.file)), _text(p.line)]
        table.add_row(*where, escape(safe(p.field or "")), escape(safe(problem_text(p, lang))),
                      escape(safe(p.value or "")))
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


def _all_prepared(folder: Path, lang: str, as_json: bool = False):
    """A plan folder and every rule of it, whatever its job: listing and showing validate them all."""
    try:
        ruleset = load_rules(folder)
        return ruleset, prepare(ruleset, None)
    except InputError as err:
        _fail_input(err.problems, lang, as_json)
        raise


def _parse_as_of(text: str, lang: str) -> dt.date:
    try:
        return parse_date(text)
    except ValueError as exc:
        # 31/4/2020 has the right form: saying "use dd/mm/yyyy" would send the user looking for the wrong mistake
        key = "bad_date_not_real" if str(exc) == "not a real calendar date" else "bad_date"
        _err().print(t(key, lang, detail=escape(text)))
        raise typer.Exit(EXIT_INPUT) from None


CasesArg = typer.Argument(..., help=h("cases"))
FormatOpt = typer.Option(Format("table"), "--format", help=formats.help_words(formats.REPORTS, LANG))
ShortFormatOpt = typer.Option(ShortFormat.table, "--format", help=h("format_short"))
OutputOpt = typer.Option(None, "--output", "-o", help=h("output"))
OnlyOpt = typer.Option(None, "--only", help=h("only"))
EvaluatorOpt = typer.Option(EvaluatorName.auto, "--evaluator", help=h("evaluator"))
FullOpt = typer.Option(False, "--full", help=h("full"))
JobsOpt = typer.Option(0, "--jobs", "-j", min=0, help=h("jobs"))
ForceOpt = typer.Option(False, "--force", help=h("force_output"))


@app.command(help=h("check"))
def check(
    cases: list[Path] = CasesArg,
    as_of: str | None = typer.Option(None, "--as-of", help=h("as_of")),
    lang: Lang = LangOpt,
    fmt: Format = FormatOpt,
    output: Path | None = OutputOpt,
    only: list[str] | None = OnlyOpt,
    rules_dir: Path | None = RulesOpt,
    plans_dirs: list[Path] | None = PlansOpt,
    evaluator: EvaluatorName = EvaluatorOpt,
    strict: bool = typer.Option(False, "--strict", help=h("strict")),
    full: bool = FullOpt,
    jobs: int = JobsOpt,
    force: bool = ForceOpt,
    save: bool | None = SaveOpt, store: str | None = StoreOpt, keep_facts: bool = KeepFactsOpt,
) -> None:
    language = lang.value
    _docx_output(fmt, output, language)
    saver = Saver.start(save, store, keep_facts, language)
    plans = _plans(rules_dir, plans_dirs)
    day = _parse_as_of(as_of, language) if as_of else None
    wanted = _split(only)
    paths = discover(cases)
    if len(paths) != 1:
        _rollup(paths, plans, "check", day, None, language, fmt, output, evaluator, wanted, full, strict, force, jobs,
                saver)
    case, plan = _load_one(paths[0], plans, language, fmt)
    _check_only(wanted, plan.prepared, language)
    day = _within(day, plan, "--as-of", language) or default_as_of(case)
    chosen = _evaluator(evaluator, language)
    report = _engine(lambda: run_check(case, plan.ruleset, plan.prepared, day, chosen, wanted), language)
    saver.report(report, "check")
    saver.done()
    _emit(lambda: check_document(report, language), lambda: to_json(report, language), language, fmt, output,
          paths, force)
    counts = report.counts()
    failing = counts["gap"] + (counts["no_data"] if strict else 0)
    raise typer.Exit(EXIT_GAPS if failing else EXIT_OK)


@app.command(help=h("audit"))
def audit(
    cases: list[Path] = CasesArg,
    quarter: str | None = typer.Option(None, "--quarter", "-q", help=h("quarter")),
    as_of: str | None = typer.Option(None, "--as-of", help=h("audit_as_of")),
    lang: Lang = LangOpt,
    fmt: Format = FormatOpt,
    output: Path | None = OutputOpt,
    only: list[str] | None = OnlyOpt,
    rules_dir: Path | None = RulesOpt,
    plans_dirs: list[Path] | None = PlansOpt,
    evaluator: EvaluatorName = EvaluatorOpt,
    full: bool = FullOpt,
    jobs: int = JobsOpt,
    force: bool = ForceOpt,
    save: bool | None = SaveOpt, store: str | None = StoreOpt, keep_facts: bool = KeepFactsOpt,
) -> None:
    language = lang.value
    _docx_output(fmt, output, language)
    plans = _plans(rules_dir, plans_dirs)
    wanted = _split(only)
    saver = Saver.start(save, store, keep_facts, language)
    if quarter and as_of:
        _usage(t("quarter_or_date", language))
    label = None
    day: dt.date | None
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
        _rollup(paths, plans, "audit", day, label, language, fmt, output, evaluator, wanted, full, False, force, jobs,
                saver)
    case, plan = _load_one(paths[0], plans, language, fmt)
    _check_only(wanted, plan.prepared, language)
    day = _within(day, plan, "--quarter" if quarter else "--as-of", language) or default_as_of(case)
    chosen = _evaluator(evaluator, language)
    result = _engine(lambda: run_audit(case, plan.ruleset, plan.prepared, day, chosen, wanted), language)
    document, data = saver.audit(result, lambda: audit_document(result, language), lambda: audit_json(result, language))
    saver.report(result.report, "audit")
    saver.done()
    _emit(document, data, language, fmt, output, paths, force)
    raise typer.Exit(EXIT_GAPS if result.has_gaps else EXIT_OK)


@app.command(help=h("ready"))
def ready(
    case_dir: Path = typer.Argument(..., help=h("case")),
    meeting: str = typer.Option(..., "--meeting", "-m", help=h("meeting")),
    lang: Lang = LangOpt,
    fmt: Format = FormatOpt,
    output: Path | None = OutputOpt,
    agenda: Path | None = typer.Option(None, "--agenda", help=h("agenda")),
    minutes: Path | None = typer.Option(None, "--minutes", help=h("minutes")),
    rules_dir: Path | None = RulesOpt,
    plans_dirs: list[Path] | None = PlansOpt,
    evaluator: EvaluatorName = EvaluatorOpt,
    force: bool = ForceOpt,
    save: bool | None = SaveOpt, store: str | None = StoreOpt, keep_facts: bool = KeepFactsOpt,
) -> None:
    language = lang.value
    plans = _plans(rules_dir, plans_dirs)
    day = _parse_as_of(meeting, language)
    saver = Saver.start(save, store, keep_facts, language)
    _docx_output(fmt, output, language)
    case, plan = _load_one(case_dir, plans, language, fmt)
    _within(day, plan, "--meeting", language)
    try:
        checklist = plan.checklist
    except InputError as err:
        _fail_input(err.problems, language)
    ruleset, prepared = plan.ruleset, plan.prepared
    chosen = _evaluator(evaluator, language)
    result = _engine(lambda: run_ready(case, ruleset, prepared, checklist, day, chosen), language)
    saver.report(result.plan, "ready", [result.items])
    saver.done()
    if agenda is not None:
        text = agenda_markdown(result, language)
        _write(agenda, lambda stream: stream.write(text.encode("utf-8")), "agenda", [case_dir], language, force)
    if minutes is not None:
        from .report.docx import write_docx
        from .report.minutes import minutes_document

        draft = minutes_document(result, language)
        _write(minutes, lambda stream: write_docx(draft, stream), "docx", [case_dir], language, force)
    _emit(lambda: ready_document(result, language), lambda: ready_json(result, language), language, fmt, output,
          [case_dir], force)
    raise typer.Exit(EXIT_OK if result.ready else EXIT_GAPS)


def _split(only: list[str] | None) -> list[str] | None:
    """--only R14 --only B.III,R41 -> ["R14", "B.III", "R41"] (None: every rule)."""
    wanted = [w for item in (only or []) for w in item.split(",") if w.strip()]
    return wanted or None


def _check_only(wanted: list[str] | None, prepared: list, language: str) -> None:
    if wanted and not select(prepared, wanted):
        _usage(t("unknown_rule", language, detail=escape(", ".join(wanted))))


def _docx_output(fmt: Format, output: Path | None, language: str) -> None:
    """A Word document is a file, never the terminal: --format docx needs --output (a usage error, exit 2)."""
    if formats.get(fmt.value).file_only and output is None:
        _usage(t("docx_needs_output", language))


def _usage(message: str) -> NoReturn:
    """One line to stderr, exit 2; never wrapped by rich (a path cut in two cannot be copied back)."""
    _err().print(message, soft_wrap=True)
    raise typer.Exit(EXIT_INPUT)


def _within(day: dt.date | None, plan, option: str, language: str) -> dt.date | None:
    """A date given on the command line must fall in the plan's years: a typo (30/06/2002) would otherwise
    judge nothing and exit 0."""
    ruleset = plan.ruleset
    if day is not None and not ruleset.plan.start <= day <= ruleset.plan.end:
        _usage(t("date_outside_plan", language, option=option, date=day.strftime("%d/%m/%Y"), plan=plan.id,
                 start=ruleset.plan.start.strftime("%d/%m/%Y"), end=ruleset.plan.end.strftime("%d/%m/%Y")))
    return day


def _evaluator(choice: EvaluatorName, language: str) -> Evaluator:
    """auto: durable-rules where it runs, else the plain-Python oracle (every report then says so and why);
    engine: durable-rules or a clear refusal (exit 2)."""
    if choice == EvaluatorName.oracle:
        return "oracle"
    runs, detail = availability()
    if runs:
        return "engine"
    if choice == EvaluatorName.engine:
        _usage(t("engine_missing", language, detail=escape(detail)))
    return "oracle"


def _engine(run, language: str):
    """Run an evaluation; durable-rules failing to import becomes a clear message, exit 2."""
    try:
        return run()
    except EngineUnavailable as exc:
        _usage(t("engine_missing", language, detail=escape(str(exc))))


def _load_one(path: Path, plans: Plans, language: str, fmt: Format | ShortFormat):
    """Load one case and its plan, or list every problem and exit 2."""
    try:
        return load_checked(path, plans)
    except InputError as err:
        _fail_input(err.problems, language, fmt.value == "json")


def _rollup(paths, plans, command, day, label, language, fmt, output, evaluator, wanted, full, strict, force, jobs,
            saver=None):
    """Several cells: judge each (a broken one is reported, the rest go on), print one roll-up, exit.
    `jobs` 0: as many worker processes as cores, for roll-ups big enough to repay starting them."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if not paths:
        _usage(t("no_cases", language, detail=""))
    console = _err()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(t("progress", language), total=len(paths))

        def advance(path: Path) -> None:
            progress.update(task, advance=1, description=f"{t('progress', language)} {path.name}")

        from .jobs.parallel import AUTO_JOBS_FROM, cores

        workers = jobs or (cores() if len(paths) >= AUTO_JOBS_FROM else 1)
        result = _engine(lambda: run_rollup(paths, plans, command, day, label, _evaluator(evaluator, language), wanted,
                                            advance, workers, full), language)
    document, data = lambda: rollup_document(result, language, full), lambda: rollup_json(result, language, full)
    if saver is not None:
        document, data = saver.rollup(result, document, data)
        saver.done()
    _emit(document, data, language, fmt, output, paths, force)
    if result.crashed:
        raise typer.Exit(EXIT_BUG)
    if result.exit_problems:
        raise typer.Exit(EXIT_INPUT)
    failing = result.has_gaps or (strict and any(
        c.judged is not None and c.judged.counts()["no_data"] for c in result.cells))
    raise typer.Exit(EXIT_GAPS if failing else EXIT_OK)


def _write(target: Path, produce, kind: str, cases: list[Path], language: str, force: bool = False,
           replace_case: bool = False) -> None:
    """Write an output file whole or not at all, never over a case's file or a file that is not an earlier
    output of the same kind (unless --force); what stops it is said in the user's language, exit 2; what was
    written is named on stderr (every command that writes a file comes through here)."""
    try:
        writing.write(target, produce, kind, cases, force, replace_case)
    except writing.WriteRefused as refused:
        _usage(refusal_text(refused, language))
    say_written([target], language)


def _emit(document, data, language: str, fmt: Format, output: Path | None, cases: list[Path],
          force: bool = False) -> None:
    """Print the report in the chosen format, or write it to --output. `document` and `data` build the
    Document and the JSON, only the one the format needs (report/formats/)."""
    chosen, source = formats.get(fmt.value), formats.Source(document, data)
    if output is None:
        chosen.show(source, _out())  # a file-only format (docx) was refused before any work
        return
    _write(output, lambda stream: chosen.write(source, stream), chosen.write_kind, cases, language, force)


@app.command(help=h("validate"))
def validate(
    case_dir: Path = typer.Argument(..., help=h("case")),
    lang: Lang = LangOpt,
    fmt: ShortFormat = ShortFormatOpt,
    rules_dir: Path | None = RulesOpt,
    plans_dirs: list[Path] | None = PlansOpt,
) -> None:
    case, _ = _load_one(case_dir, _plans(rules_dir, plans_dirs), lang.value, fmt)
    n = sum(len(rs) for rs in case.records.values())
    if fmt == ShortFormat.json:
        sys.stdout.write(json.dumps({"schema": "chibo.problems/1", "problems": [], "records": n}) + "\n")
    else:
        _out().print(t("valid", lang.value, n=n, files=len(case.records) + 1))


@app.command(help=h("template"))
def template(
    out: Path = typer.Argument(..., help=h("template_out")),
    from_case: Path | None = typer.Option(None, "--from", help=h("template_from")),
    plan_id: str | None = typer.Option(None, "--plan", help=h("template_plan")),
    rules_dir: Path | None = RulesOpt,
    plans_dirs: list[Path] | None = PlansOpt,
    lang: Lang = LangOpt,
    force: bool = typer.Option(False, "--force", help=h("force")),
) -> None:
    from .facts.xlsx import write_workbook

    language = lang.value
    if out.suffix.lower() != ".xlsx":
        _err().print(t("template_suffix", language, detail=escape(str(out))))
        raise typer.Exit(EXIT_INPUT)
    plans = _plans(rules_dir, plans_dirs)
    case = None
    if from_case is not None:
        case, plan = _load_one(from_case, plans, language, Format("table"))
    else:
        folder = plans.override or (plans.find(plan_id)[0] if plan_id else None)
        if folder is None:
            _usage(t("choose_plan", language, detail=", ".join(p.name for p in bundled_plans())))
        try:
            plan = plans.load(folder)
        except InputError as err:
            _fail_input(err.problems, language)
    cases = [from_case] if from_case is not None else []
    # a workbook chibo wrote is a case chibo reads: replaced only when asked (--force), never the --from case
    _write(out, lambda stream: write_workbook(stream, plan.ruleset.schema, case, plan.id), "workbook", cases,
           language, force, replace_case=force)


def _all_rules(rules_dir: Path | None, language: str, as_json: bool = False):
    """(plan, every prepared rule whatever its job) for each plan a rules command looks at."""
    return [_all_prepared(folder, language, as_json) for folder in _plan_folders(rules_dir)]


@rules_app.command("list", help=h("rules_list"))
def rules_list(
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
    fmt: ShortFormat = ShortFormatOpt,
) -> None:
    language = lang.value
    plans = _all_rules(rules_dir, language, fmt == ShortFormat.json)
    if fmt == ShortFormat.json:
        data = [{"plan": ruleset.plan.id, "id": p.id, "section": p.rule.section, "kind": p.kind,
                 "severity": p.rule.severity, "job": p.rule.job, "title": getattr(p.rule.title, language),
                 "clause": p.rule.clause}
                for ruleset, prepared in plans for p in prepared]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    for ruleset, prepared in plans:
        table = Table(title=f"{ruleset.plan.id} — {getattr(ruleset.plan.name, language)}", title_justify="left")
        for key in ("col_id", "section", "col_check_kind", "col_due", "col_job", "col_requirement"):
            table.add_column(t(key, language))
        for p in prepared:
            table.add_row(p.id, escape(p.rule.section), escape(_kind_words(p.kind, language)),
                          escape(_due_words(p, language)), escape(_words("rj_", p.rule.job, language)),
                          escape(getattr(p.rule.title, language)))
        _out().print(table)


def _words(prefix: str, name: str, language: str) -> str:
    """A rule file's term (a check kind, a job) in plain words; the term itself if it has none yet."""
    from .report.i18n import known

    return t(prefix + name, language) if known(prefix + name) else name


def _kind_words(kind: str, language: str) -> str:
    return _words("rk_", kind, language)


def _due_words(p, language: str) -> str:
    """When a rule is judged, as a secretary says it: "đến 31/12/2020 (mốc: quý 2: 1, quý 4: 2)", "mỗi tháng",
    "luôn xét" — not the rule file's year_end / each / continuous."""
    due = p.rule.due
    if p.due_each:
        text = _words("rd_each_", p.due_each, language)
    elif p.due_date is not None:
        text = t("rd_by", language, date=p.due_date.strftime("%d/%m/%Y"))
    else:
        text = t("rd_continuous", language)
    notes = []
    if not isinstance(due, str) and due.milestones:
        steps = ", ".join(t("rd_milestone", language, n=q[1:], value=f"{v:g}") for q, v in due.milestones.items())
        notes.append(t("rd_milestones", language, steps=steps))
    if not isinstance(due, str) and due.pace:
        notes.append(_words("rd_", due.pace, language))
    if p.per_unit:
        notes.append(_words("rd_per_", p.per_unit, language))
    return text + (f" ({'; '.join(notes)})" if notes else "")


@rules_app.command("show", help=h("rules_show"))
def rules_show(
    rule_id: str = typer.Argument(..., help=h("rule_id")),
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
    fmt: ShortFormat = ShortFormatOpt,
) -> None:
    from .words import has, say

    language = lang.value
    as_json = fmt == ShortFormat.json
    match = [(ruleset, p) for ruleset, prepared in _all_rules(rules_dir, language, as_json) for p in prepared
             if p.id.upper() == rule_id.upper()]
    if not match:
        _usage(t("unknown_rule", language, detail=escape(rule_id)))
    if as_json:  # the rule file's own terms, for plan authors and scripts
        data = [{"plan": ruleset.plan.id, "file": str((ruleset.folder or Path(".")) / p.rule.source),
                 **p.rule.model_dump(mode="json", by_alias=True, exclude_defaults=True)} for ruleset, p in match]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    console = _out()
    for ruleset, p in match:
        rule = p.rule
        console.print(f"[bold]{escape(rule.id)}[/bold] — {escape(getattr(rule.title, language))}")
        plan_name = escape(getattr(ruleset.plan.name, language))
        console.print(f"{t('plan', language)}: {escape(ruleset.plan.id)} — {plan_name}")
        severity = say(f"severity.{rule.severity}", language) if has(f"severity.{rule.severity}") else rule.severity
        console.print(f"{t('section', language)}: {escape(rule.section)}   {t('severity_label', language)}: "
                      f"{escape(severity)}   {t('col_check_kind', language)}: {escape(_kind_words(p.kind, language))}")
        console.print(f"{t('col_due', language)}: {escape(_due_words(p, language))}")
        console.print(f"{t('clause', language)}: “{escape(rule.clause.strip())}”")
        if rule.target_text:
            console.print(f"{t('col_target', language)}: {escape(getattr(rule.target_text, language))}")
        console.print(f"{t('hint', language)}: {escape(getattr(rule.hint, language))}")
        for ref in rule.refs:
            console.print(f"{t('reference', language)}: {escape(ref)}")
        console.print(f"[dim]{escape(t('rules_show_json', language))}[/dim]")


@rules_app.command("test", help=h("rules_test"))
def rules_test(
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
    evaluator: list[Evaluated] | None = typer.Option(None, "--evaluator", help=h("evaluators")),
    fmt: ShortFormat = ShortFormatOpt,
) -> None:
    from .jobs.ruletests import run_plan_tests
    from .report.ruletests import print_results, results_json

    language = lang.value
    chosen = [e.value for e in evaluator] if evaluator else ["engine", "oracle"]
    if "engine" in chosen and not availability()[0]:
        if evaluator:
            _usage(t("engine_missing", language, detail=escape(availability()[1])))
        chosen = ["oracle"]  # said in the summary: the engine cannot run here
        _err().print(t("engine_skipped", language, detail=escape(availability()[1])))
    results = []
    try:
        for folder in _plan_folders(rules_dir):
            results.append(_engine(lambda f=folder: run_plan_tests(f, chosen), language))
    except InputError as err:
        _fail_input(err.problems, language, fmt == ShortFormat.json)
    if fmt == ShortFormat.json:
        sys.stdout.write(json.dumps(results_json(results, language), ensure_ascii=False, indent=2) + "\n")
    else:
        print_results(results, language, _out())
    failed = any(not r.ok for result in results for r in result.cases)
    raise typer.Exit(EXIT_GAPS if failed else EXIT_OK)


@app.command("docs", help=h("docs"))
def docs(
    document: str = typer.Argument(..., metavar="case-format", help=h("docs_document")),
    output: Path | None = typer.Option(None, "--output", "-o", help=h("docs_output")),
    rules_dir: list[Path] | None = typer.Option(None, "--rules", help=h("docs_rules")),
    lang: Lang = LangOpt,
) -> None:
    from .report.casedoc import case_format

    language = lang.value
    if document != "case-format":
        _usage(t("no_such_document", language, detail=escape(document), known="case-format"))
    try:
        text = case_format(rules_dir or None)
    except InputError as err:
        _fail_input(err.problems, language)
    if output is None:
        _page(text)
        return
    _write(output, lambda stream: stream.write(text.encode("utf-8")), "document", [], language)


def _page(text: str) -> None:
    """A long document: through the pager ($PAGER, less, more) on a terminal — it is some 1,700 lines, and the
    help says -o FILE writes it to a file — and whole to a pipe or file, where a program reads it."""
    if sys.stdout.isatty() and sys.stdin.isatty():
        import pydoc

        pydoc.pager(text)
    else:
        sys.stdout.write(text)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help=h("version"), is_eager=True),
    lang: Lang = typer.Option(Lang.vi, "--lang", help=h("lang")),
) -> None:
    lang_for_subcommands(ctx, lang.value)
    if version:
        _print_version()
        raise typer.Exit(EXIT_OK)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(EXIT_OK)


def _print_version() -> None:
    """chibo, the evaluator that will judge (and why), Python, and the plans it finds."""
    import platform

    from . import __version__

    runs, detail = availability()
    lang = LANG  # --lang is read for help and this text before options are parsed (clihelp)
    evaluator = detail if runs else t("evaluated_oracle_fallback", lang, detail=detail)
    lines = [f"chibo {__version__}", f"{t('version_evaluator', lang)}: {evaluator}",
             f"Python {platform.python_version()} ({sys.executable})"]
    lines += [f"{t('plan', lang)}: {folder.name} ({folder})" for folder in bundled_plans()]
    typer.echo("\n".join(lines))  # plain lines, never wrapped: scripts and support read them


# after the daily commands (check, audit, ready…): the help lists commands in the order they are added
app.command("history", help=HISTORY_HELP)(history)
app.command("review", help=h("review"))(review)
app.command("serve", help=serve_help("serve"))(serve)


def main() -> None:
    """The command line (started by __main__.main): an unexpected error is a bug, exit 3 with a log file, never
    exit 1; a Ctrl-C is one sentence and exit 130."""
    from .crash import EXIT_INTERRUPTED, finished, interrupted, report

    try:
        app(prog_name="chibo")
    except SystemExit as exit_:
        if exit_.code == EXIT_INTERRUPTED:  # typer turns a Ctrl-C into exit 130, silently
            sys.exit(interrupted(LANG))
        finished()
        raise
    except KeyboardInterrupt:
        sys.exit(interrupted(LANG))
    except Exception as exc:  # noqa: BLE001 - everything unexpected lands here, by design
        if _caused_by_ctrl_c(exc):  # e.g. a Ctrl-C inside a lazy import, wrapped by Python in a RuntimeError
            sys.exit(interrupted(LANG))
        sys.exit(report(exc, LANG))


def _caused_by_ctrl_c(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
