"""`chibo review`: the year-end (or quarterly) review of a cell and its proposed rating (issue 24).

One case: the collective's review in the order of Mẫu 01-HD KĐ.ĐG (report/review.py), scored and rated by
jobs/review.py. A folder of cases: the committee's table of proposed ratings, worst first, with the count per
level and a warning when the share at a capped level passes the committee's cap (committee.yaml beside the cells).
Exit codes as the other jobs: 0 nothing missed, 1 requirements missed or behind schedule (the review is written
all the same), 2 bad input (the year outside the plan among it), 3 a bug (raised to __main__).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from . import writing
from .clihelp import Lang, h
from .cliwords import refusal_text, say_written
from .errors import EngineUnavailable, InputError, Problem
from .facts.values import parse_date
from .jobs.check import Evaluator
from .jobs.plans import Plans, load_checked, override_from_env, search_from_env
from .jobs.review import Remedy, ReviewCell, ReviewReport, ReviewRollup, by_section, review_date, run_review
from .jobs.rollup import discover
from .quarters import QUARTERS, quarter_end, quarter_label
from .report import formats
from .report.i18n import t
from .report.problems import PROBLEMS_SCHEMA, problem_text, problems_json
from .report.review import review_document, review_json, review_rollup_document, review_rollup_json
from .report.reviewwords import w
from .ruleset.scoring import load_committee, load_rating, load_scoring

EXIT_OK, EXIT_GAPS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3


class ReviewFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    docx = "docx"


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _usage(message: str) -> NoReturn:
    _err().print(message, soft_wrap=True)
    raise typer.Exit(EXIT_INPUT)


def _fail(problems: list[Problem], lang: str, as_json: bool) -> NoReturn:
    """Every problem with its file, line and field, in the user's language; exit 2."""
    if as_json:
        payload = {"schema": PROBLEMS_SCHEMA, "problems": problems_json(problems, lang)}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        raise typer.Exit(EXIT_INPUT)
    table = Table(title=t("problems_title", lang), title_justify="left")
    for col in ("col_file", "col_line", "col_field", "col_problem", "col_value"):
        table.add_column(t(col, lang), overflow="fold")
    for p in problems:
        table.add_row(escape(p.file), "" if p.line is None else str(p.line), escape(p.field or ""),
                      escape(problem_text(p, lang)), escape(p.value or ""))
    console = _err()
    console.print(table)
    console.print(t("problems_count", lang, n=len(problems)))
    raise typer.Exit(EXIT_INPUT)


class EvaluatorName(str, Enum):
    auto = "auto"
    engine = "engine"
    oracle = "oracle"


def _evaluator(choice: EvaluatorName, lang: str) -> Evaluator:
    """auto: durable-rules where it runs, else the plain-Python oracle (every report says which); engine:
    durable-rules or a clear refusal (exit 2)."""
    if choice == EvaluatorName.oracle:
        return "oracle"
    from .evaluate.engine import availability

    runs, detail = availability()
    if not runs and choice == EvaluatorName.engine:
        _usage(t("engine_missing", lang, detail=escape(detail)))
    return "engine" if runs else "oracle"


def _review_day(year: int, quarter: int | None, as_of: str | None, lang: str) -> dt.date:
    if quarter and as_of:
        _usage(w("quarter_and_as_of", lang))
    if as_of is None:
        return review_date(year, quarter)
    try:
        day = parse_date(as_of)
    except ValueError:
        _usage(t("bad_date", lang, detail=escape(as_of)))
    if day.year != year:
        _usage(w("as_of_outside", lang, date=day.strftime("%d/%m/%Y"), year=year))
    return day


def review_one(path: Path, plans: Plans, year: int, quarter: int | None, day: dt.date, evaluator: Evaluator,
               store: Any) -> ReviewReport:
    """One cell reviewed by its own plan; InputError when its facts, its plan's scoring or the year is wrong."""
    case, plan = load_checked(path, plans)
    ruleset = plan.ruleset
    if year not in ruleset.plan.years or not ruleset.plan.start <= day <= ruleset.plan.end:
        years = ", ".join(str(y) for y in ruleset.plan.years)
        raise InputError([Problem(str(path), None, "--year", "review_year", f"{year} ∉ {years} ({plan.id})")])
    sections = by_section(plan.prepared)
    scoring = load_scoring(ruleset.folder, [p.id for p in plan.prepared], list(sections))
    result = run_review(case, ruleset, plan.prepared, day, year, quarter, scoring, load_rating(), evaluator)
    result.remedy = last_year(store, result)
    return result


def open_store(given: str | None, lang: str) -> Any:
    """The store named by --store (a problem with it: exit 2), else the user's own when there is one; None
    when there is none (the review then says it has nothing to compare with)."""
    try:
        from .store.db import StoreError
        from .store.db import open_store as open_it
    except ImportError:
        return None
    try:
        return open_it(given, create=False)
    except StoreError as exc:
        if given is None and not os.environ.get("CHIBO_STORE"):
            return None
        from .store.messages import m

        _usage(escape(m(exc.code, lang, detail=exc.detail, **exc.values)))


def last_year(store: Any, review: ReviewReport) -> Remedy:
    """Last year's shortcomings of this cell against today's findings: its latest stored quarter of that year."""
    if store is None:
        return Remedy(review.year - 1, stored=False)
    from .store.queries import compare_with_stored
    from .store.save import run_record

    record = run_record(review.report, "check")
    for end in reversed([quarter_end(review.year - 1, q) for q in QUARTERS]):
        found = compare_with_stored(store, record, quarter_label(end))
        if found is not None:
            return Remedy(review.year - 1, True, found.previous, found.fixed, found.still)
    return Remedy(review.year - 1, stored=True)


def _emit(document: Any, data: Any, fmt: ReviewFormat, output: Path | None, cases: list[Path], force: bool,
          lang: str) -> None:
    chosen, source = formats.get(fmt.value), formats.Source(document, data)
    if output is None:
        console = Console(soft_wrap=False, highlight=False)
        if not console.is_terminal and "COLUMNS" not in os.environ:
            console = Console(soft_wrap=False, highlight=False, width=120)
        chosen.show(source, console)
        return
    try:
        writing.write(output, lambda stream: chosen.write(source, stream), chosen.write_kind, cases, force)
    except writing.WriteRefused as refused:
        _usage(refusal_text(refused, lang))
    say_written([output], lang)


def _members(result: ReviewReport, target: Path, force: bool, lang: str, as_json: bool) -> None:
    """Each member's Mẫu 2A/2B/2C draft (report/members.py) from the same judged report as the review: the
    Word files in the zip `target`, the workbook beside it (same name, .xlsx)."""
    from .report.members import write_member_reviews

    zipped = target if target.suffix.lower() == ".zip" else target.with_name(target.name + ".zip")
    try:
        written = write_member_reviews(result.report, result.year, zipped, zipped.with_suffix(".xlsx"), lang, force)
    except InputError as err:
        _fail(err.problems, lang, as_json)
    except writing.WriteRefused as refused:
        _usage(refusal_text(refused, lang))
    say_written(written, lang)


def _committee(paths: list[Path], levels: list[str], lang: str, as_json: bool) -> Any:
    """The cap of committee.yaml in the folder of cells given (the first folder holding one)."""
    from .jobs.review import CommitteeCap

    for folder in paths:
        try:
            found = load_committee(folder, levels)
        except InputError as err:
            _fail(err.problems, lang, as_json)
        if found is not None and found[0].review_cap is not None:
            cap = found[0].review_cap
            return CommitteeCap(cap.level, cap.max_share, str(found[1]))
    return None


def review(
    cases: list[Path] = typer.Argument(..., help=h("cases")),
    year: int = typer.Option(..., "--year", help=h("review_year")),
    quarter: int | None = typer.Option(None, "--quarter", "-q", min=1, max=4, help=h("review_quarter")),
    as_of: str | None = typer.Option(None, "--as-of", help=h("review_as_of")),
    fmt: ReviewFormat = typer.Option(ReviewFormat.table, "--format", help=h("review_format")),
    output: Path | None = typer.Option(None, "--output", "-o", help=h("output")),
    lang: Lang = typer.Option(Lang.vi, "--lang", help=h("lang")),
    rules_dir: Path | None = typer.Option(None, "--rules", help=h("rules")),
    plans_dirs: list[Path] | None = typer.Option(None, "--plans", help=h("plans")),
    evaluator: EvaluatorName = typer.Option(EvaluatorName.auto, "--evaluator", help=h("evaluator")),
    store: str | None = typer.Option(None, "--store", help=h("review_store")),
    force: bool = typer.Option(False, "--force", help=h("force_output")),
    members: Path | None = typer.Option(None, "--members", help=h("review_members")),
) -> None:
    language = lang.value
    as_json = fmt == ReviewFormat.json
    if fmt == ReviewFormat.docx and output is None:
        _usage(t("docx_needs_output", language))
    day = _review_day(year, quarter, as_of, language)
    plans = Plans(override=rules_dir or override_from_env(), search=search_from_env(plans_dirs or ()))
    paths = discover(cases)
    if not paths:
        _usage(t("no_cases", language, detail=""))
    chosen = _evaluator(evaluator, language)
    opened = open_store(store, language)
    try:
        if len(paths) == 1:
            try:
                result = review_one(paths[0], plans, year, quarter, day, chosen, opened)
            except InputError as err:
                _fail(err.problems, language, as_json)
            except EngineUnavailable as exc:
                _usage(t("engine_missing", language, detail=escape(str(exc))))
            _emit(lambda: review_document(result, language), lambda: review_json(result, language), fmt, output,
                  list(paths), force, language)
            if members is not None:
                _members(result, members, force, language, as_json)
            raise typer.Exit(EXIT_GAPS if result.has_gaps else EXIT_OK)
        if members is not None:
            _usage(w("members_one_cell", language))
        cells = []
        crashed = False
        for path in paths:
            try:
                cells.append(ReviewCell(path, review_one(path, plans, year, quarter, day, chosen, opened)))
            except InputError as err:
                cells.append(ReviewCell(path, problems=err.problems))
            except Exception as exc:  # noqa: BLE001 - a bug met on this cell: said on its row, the others go on
                from .crash import write_log

                log = write_log(exc, f"review {path}")
                crashed = True
                cells.append(ReviewCell(path, problems=[Problem(path.name, None, None, "crash", str(log or ""))]))
        levels = [lv.level for lv in load_rating().levels]
        rollup = ReviewRollup(year, cells, _committee(list(cases), levels, language, as_json))
        _emit(lambda: review_rollup_document(rollup, language), lambda: review_rollup_json(rollup, language), fmt,
              output, list(paths), force, language)
    finally:
        if opened is not None:
            opened.close()
    if crashed:
        raise typer.Exit(EXIT_BUG)
    if rollup.exit_problems:
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_GAPS if rollup.has_gaps else EXIT_OK)
