"""The judging commands: one per job of jobs/registry.py (check, audit…), built from the job's options, and
`ready`, the pre-meeting review of one cell.

One case: the job's own report. Several (or a folder of cases): a roll-up of every cell, worst first. The job
and its renderers are imported when the command runs, never for `chibo --help`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from ..clihelp import Lang, h
from ..jobs import registry
from .common import (
    EXIT_BUG,
    EXIT_GAPS,
    EXIT_INPUT,
    EXIT_OK,
    EvaluatorName,
    Format,
    check_only,
    docx_output,
    emit,
    engine,
    err,
    evaluator_of,
    fail_input,
    load_one,
    parse_as_of,
    plans_of,
    split,
    t,
    usage,
    within,
    write,
)
from .history import Saver
from .options import OPTIONS, JobOptions, job_command

if TYPE_CHECKING:
    from ..jobs.plans import Plans
    from ..jobs.registry import Job


def add_job_commands(app: typer.Typer) -> None:
    """A command for each registered job, in the order registered."""
    for job in registry.jobs():
        add_job_command(app, job)


def add_job_command(app: typer.Typer, job: Job) -> None:
    """The job's own command (`Job.command`), else one built from its options that runs `run_job`."""
    command = registry.resolve(job.command) if job.command else job_command(job.options, lambda o: run_job(job, o))
    app.command(job.name, help=h(job.help) if job.help else None)(command)


def _day(job: Job, o: JobOptions) -> tuple[dt.date | None, str | None, str]:
    """The day to judge at, the quarter's label ("2020-Q2") when --quarter gave it, and the option that gave it."""
    from ..quarters import parse_quarter, quarter_end

    language = o.language
    if o.quarter and o.as_of:
        usage(t("quarter_or_date", language))
    if o.quarter:
        try:
            year, q = parse_quarter(o.quarter)
        except ValueError:
            usage(t("bad_quarter", language, detail=escape(o.quarter)))
        return quarter_end(year, q), f"{year}-{q}", "--quarter"
    return (parse_as_of(o.as_of, language) if o.as_of else None), None, "--as-of"


def run_job(job: Job, o: JobOptions) -> None:
    """A job on one case (its report) or on many (a roll-up); exit 0, 1 (gaps), 2 (bad input) or 3 (a bug)."""
    from ..jobs.check import default_as_of
    from ..jobs.rollup import discover
    from ..quarters import quarter_of

    language = o.language
    docx_output(o.fmt, o.output, language)
    saver = Saver.start(o.save, o.store, o.keep_facts, language)
    plans = plans_of(o.rules_dir, o.plans_dirs)
    day, label, option = _day(job, o)
    wanted = split(o.only)
    paths = discover(o.cases)
    if len(paths) != 1:
        if job.by_quarter:
            label = label or (f"{day.year}-{quarter_of(day)}" if day else None)
        rollup(paths, plans, job, day, label, o, saver=saver)
    case, plan = load_one(paths[0], plans, language, o.fmt)
    check_only(wanted, plan.prepared, language)
    day = within(day, plan, option, language) or default_as_of(case)
    chosen = evaluator_of(o.evaluator, language)
    result = engine(lambda: job.call("run", case, plan, day, chosen, wanted), language)
    document, data = saver.with_stored(job, result, lambda: job.call("document", result, language),
                                       lambda: job.call("json", result, language))
    saver.report(job.judged(result), job.name)
    saver.done()
    emit(document, data, language, o.fmt, o.output, paths, force=o.force)
    raise typer.Exit(EXIT_GAPS if job.call("failing", result, o.strict) else EXIT_OK)


def rollup(paths: list[Path], plans: Plans, job: Job, day: dt.date | None, label: str | None, o: JobOptions, *,
           saver: Saver | None = None) -> None:
    """Several cells: judge each (a broken one is reported, the rest go on), print one roll-up, exit.
    `o.jobs` 0: as many worker processes as cores, for roll-ups big enough to repay starting them."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..jobs.parallel import AUTO_JOBS_FROM, cores
    from ..jobs.rollup import run_rollup
    from ..report.jsonout import rollup_json
    from ..report.views import rollup_document

    language, full = o.language, o.full
    if not paths:
        usage(t("no_cases", language, detail=""))
    console = err()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task(t("progress", language), total=len(paths))

        def advance(path: Path) -> None:
            progress.update(task, advance=1, description=f"{t('progress', language)} {path.name}")

        workers = o.jobs or (cores() if len(paths) >= AUTO_JOBS_FROM else 1)
        wanted = split(o.only)
        result = engine(lambda: run_rollup(paths, plans, job.name, day, label, evaluator_of(o.evaluator, language),
                                           wanted, advance, workers, full), language)
    document: Any = lambda: rollup_document(result, language, full)  # noqa: E731
    data: Any = lambda: rollup_json(result, language, full)  # noqa: E731
    if saver is not None:
        document, data = saver.rollup(result, document, data)
        saver.done()
    emit(document, data, language, o.fmt, o.output, paths, force=o.force)
    if result.crashed:
        raise typer.Exit(EXIT_BUG)
    if result.exit_problems:
        raise typer.Exit(EXIT_INPUT)
    failing = result.has_gaps or (o.strict and any(
        c.judged is not None and c.judged.counts()["no_data"] for c in result.cells))
    raise typer.Exit(EXIT_GAPS if failing else EXIT_OK)


def ready(
    *,
    case_dir: Path = typer.Argument(..., help=h("case")),
    meeting: str = typer.Option(..., "--meeting", "-m", help=h("meeting")),
    lang: Lang = OPTIONS["lang"][2],
    fmt: Format = OPTIONS["format"][2],
    output: Path | None = OPTIONS["output"][2],
    agenda: Path | None = typer.Option(None, "--agenda", help=h("agenda")),
    minutes: Path | None = typer.Option(None, "--minutes", help=h("minutes")),
    rules_dir: Path | None = OPTIONS["rules"][2],
    plans_dirs: list[Path] | None = OPTIONS["plans"][2],
    evaluator: EvaluatorName = OPTIONS["evaluator"][2],
    force: bool = OPTIONS["force"][2],
    save: bool | None = OPTIONS["save"][2], store: str | None = OPTIONS["store"][2],
    keep_facts: bool = OPTIONS["keep_facts"][2],
) -> None:
    """`chibo ready CASE --meeting DATE`: the meeting's checklist and who owes what (jobs/ready.py)."""
    from ..errors import InputError
    from ..report.views import agenda_markdown

    job = registry.get("ready")  # its own entry: the command of the job named `ready` in the registry

    language = lang.value
    plans = plans_of(rules_dir, plans_dirs)
    day = parse_as_of(meeting, language)
    saver = Saver.start(save, store, keep_facts, language)
    docx_output(fmt, output, language)
    case, plan = load_one(case_dir, plans, language, fmt)
    within(day, plan, "--meeting", language)
    try:
        _ = plan.checklist  # the meeting's checklist read now: its problems are bad input, exit 2
    except InputError as error:
        fail_input(error.problems, language)
    chosen = evaluator_of(evaluator, language)
    result = engine(lambda: job.call("run", case, plan, day, chosen), language)
    saver.report(result.plan, "ready", [result.items])
    saver.done()
    if agenda is not None:
        text = agenda_markdown(result, language)
        write(agenda, lambda stream: stream.write(text.encode("utf-8")), "agenda", [case_dir], language, force=force)
    if minutes is not None:
        from ..report.docx import write_docx
        from ..report.minutes import minutes_document

        draft = minutes_document(result, language)
        write(minutes, lambda stream: write_docx(draft, stream), "docx", [case_dir], language, force=force)
    emit(lambda: job.call("document", result, language), lambda: job.call("json", result, language), language,
         fmt, output, [case_dir], force=force)
    raise typer.Exit(EXIT_GAPS if job.call("failing", result) else EXIT_OK)
