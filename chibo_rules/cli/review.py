"""`chibo review`: the year-end (or quarterly) review of a cell and its proposed rating (issue 24).

One case: the collective's review in the order of Mẫu 01-HD KĐ.ĐG (report/review.py), scored and rated by
jobs/review.py. A folder of cases: the committee's table of proposed ratings, worst first, with the count per
level and a warning when the share at a capped level passes the committee's cap (committee.yaml beside the cells).
Exit codes as the other jobs: 0 nothing missed, 1 requirements missed or behind schedule (the review is written
all the same), 2 bad input (the year outside the plan among it), 3 a bug (raised to __main__).
"""

from __future__ import annotations

import datetime as dt
import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape

from .. import writing
from ..clihelp import Lang, h
from ..errors import EngineUnavailable, InputError, Problem
from .common import (
    EXIT_BUG,
    EXIT_GAPS,
    EXIT_INPUT,
    EXIT_OK,
    EvaluatorName,
    emit,
    evaluator_of,
    fail_input,
    plans_of,
    t,
    usage,
)

if TYPE_CHECKING:
    from ..jobs.check import Evaluator
    from ..jobs.plans import Plans
    from ..jobs.review import ReviewReport


def w(key: str, lang: str, **kw: Any) -> str:
    """The review's own words (report/reviewwords.py), imported when the review runs."""
    from ..report.reviewwords import w as words

    return words(key, lang, **kw)


class ReviewFormat(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    docx = "docx"


def _review_day(year: int, quarter: int | None, as_of: str | None, lang: str) -> dt.date:
    from ..facts.values import parse_date
    from ..jobs.review import review_date

    if quarter and as_of:
        usage(w("quarter_and_as_of", lang))
    if as_of is None:
        return review_date(year, quarter)
    try:
        day = parse_date(as_of)
    except ValueError:
        usage(t("bad_date", lang, detail=escape(as_of)))
    if day.year != year:
        usage(w("as_of_outside", lang, date=day.strftime("%d/%m/%Y"), year=year))
    return day


def review_one(path: Path, plans: Plans, year: int, quarter: int | None, day: dt.date, evaluator: Evaluator, *,
               store: Any) -> ReviewReport:
    """One cell reviewed by its own plan; InputError when its facts, its plan's scoring or the year is wrong."""
    from ..jobs.plans import load_checked
    from ..jobs.review import run_cell

    case, plan = load_checked(path, plans)
    ruleset = plan.ruleset
    if year not in ruleset.plan.years or not ruleset.plan.start <= day <= ruleset.plan.end:
        years = ", ".join(str(y) for y in ruleset.plan.years)
        raise InputError([Problem(str(path), None, "--year", "review_year", f"{year} ∉ {years} ({plan.id})")])
    result = run_cell(case, plan, day, evaluator, quarter=quarter)
    from ..store.queries import last_year

    result.remedy = last_year(store, result)
    return result


def open_store(given: str | None, lang: str) -> Any:
    """The store named by --store (a problem with it: exit 2), else the user's own when there is one; None
    when there is none (the review then says it has nothing to compare with)."""
    try:
        from ..store.db import StoreError
        from ..store.db import open_store as open_it
    except ImportError:
        return None
    try:
        return open_it(given, create=False)
    except StoreError as exc:
        if given is None and not os.environ.get("CHIBO_STORE"):
            return None
        from ..store.messages import m

        usage(escape(m(exc.code, lang, detail=exc.detail, **exc.values)))


def _members(result: ReviewReport, target: Path, force: bool, lang: str, as_json: bool) -> None:
    """Each member's Mẫu 2A/2B/2C draft (report/members.py) from the same judged report as the review: the
    Word files in the zip `target`, the workbook beside it (same name, .xlsx)."""
    from ..cliwords import refusal_text, say_written
    from ..report.members import write_member_reviews

    zipped = target if target.suffix.lower() == ".zip" else target.with_name(target.name + ".zip")
    try:
        written = write_member_reviews(result.report, result.year, zipped, zipped.with_suffix(".xlsx"), lang, force)
    except InputError as err:
        fail_input(err.problems, lang, as_json)
    except writing.WriteRefused as refused:
        usage(refusal_text(refused, lang))
    say_written(written, lang)


def _committee(paths: list[Path], levels: list[str], lang: str, as_json: bool) -> Any:
    """The cap of committee.yaml in the folder of cells given (the first folder holding one)."""
    from ..jobs.review import CommitteeCap
    from ..ruleset.scoring import load_committee

    for folder in paths:
        try:
            found = load_committee(folder, levels)
        except InputError as err:
            fail_input(err.problems, lang, as_json)
        if found is not None and found[0].review_cap is not None:
            cap = found[0].review_cap
            return CommitteeCap(cap.level, cap.max_share, str(found[1]))
    return None


def review(
    *,
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
    from ..jobs.review import ReviewCell, ReviewRollup
    from ..jobs.rollup import discover
    from ..report.review import review_document, review_json, review_rollup_document, review_rollup_json
    from ..ruleset.scoring import load_rating

    language = lang.value
    as_json = fmt == ReviewFormat.json
    if fmt == ReviewFormat.docx and output is None:
        usage(t("docx_needs_output", language))
    day = _review_day(year, quarter, as_of, language)
    plans = plans_of(rules_dir, plans_dirs)
    paths = discover(cases)
    if not paths:
        usage(t("no_cases", language, detail=""))
    chosen = evaluator_of(evaluator, language)
    opened = open_store(store, language)
    try:
        if len(paths) == 1:
            try:
                result = review_one(paths[0], plans, year, quarter, day, chosen, store=opened)
            except InputError as err:
                fail_input(err.problems, language, as_json)
            except EngineUnavailable as exc:
                usage(t("engine_missing", language, detail=escape(str(exc))))
            emit(lambda: review_document(result, language), lambda: review_json(result, language), language, fmt,
                 output, list(paths), force=force)
            if members is not None:
                _members(result, members, force, language, as_json)
            raise typer.Exit(EXIT_GAPS if result.has_gaps else EXIT_OK)
        if members is not None:
            usage(w("members_one_cell", language))
        cells = []
        crashed = False
        for path in paths:
            try:
                cells.append(ReviewCell(path, review_one(path, plans, year, quarter, day, chosen, store=opened)))
            except InputError as err:
                cells.append(ReviewCell(path, problems=err.problems))
            except Exception as exc:  # noqa: BLE001 - a bug met on this cell: said on its row, the others go on
                from ..crash import write_log

                log = write_log(exc, f"review {path}")
                crashed = True
                cells.append(ReviewCell(path, problems=[Problem(path.name, None, None, "crash", str(log or ""))]))
        levels = [lv.level for lv in load_rating().levels]
        rollup = ReviewRollup(year, cells, _committee(list(cases), levels, language, as_json))
        emit(lambda: review_rollup_document(rollup, language), lambda: review_rollup_json(rollup, language),
             language, fmt, output, list(paths), force=force)
    finally:
        if opened is not None:
            opened.close()
    if crashed:
        raise typer.Exit(EXIT_BUG)
    if rollup.exit_problems:
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_GAPS if rollup.has_gaps else EXIT_OK)
