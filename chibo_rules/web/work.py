"""What the pages run: load a kept workbook, judge it with the CLI's own jobs, render with its own formats.

Nothing here knows HTTP: app.py turns these results into pages and downloads. A cell's judging is kept in
memory (by upload digest, job and its date), so reading the report, then downloading it as Word and as JSON
judges once; each new judging is saved to the store the way `--save` saves it.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EngineUnavailable, InputError, Problem
from ..evaluate.engine import availability
from ..facts.values import parse_date
from ..jobs.check import Evaluator, default_as_of
from ..jobs.plans import LoadedPlan, Plans, load_checked
from ..jobs.registry import get as get_job
from ..jobs.registry import jobs
from ..quarters import QUARTERS, parse_quarter, quarter_end, quarter_label
from ..report import formats
from ..report.i18n import t
from ..report.views import agenda_markdown


class JobRefused(Exception):
    """A job asked for with a wrong or missing choice (quarter, meeting date): `text` says it in the user's words."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


@dataclass
class Loaded:
    """A kept workbook read with its plan: the case and plan, or the problems that stop it being judged."""

    path: Path
    case: Any = None
    plan: LoadedPlan | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def committee(self) -> str:
        return str(getattr(self.case.cell, "party_committee", "") or "") if self.case is not None else ""

    @property
    def cell(self) -> str:
        return str(getattr(self.case.cell, "name", "") or "") if self.case is not None else ""


@dataclass
class Judged:
    """One job's result on one cell, with the Document and JSON builders its formats render."""

    job: str
    result: Any
    document: Callable[[str], Any]
    data: Callable[[str], Any]

    def source(self, lang: str) -> formats.Source:
        return formats.Source(lambda: self.document(lang), lambda: self.data(lang))


def evaluator() -> Evaluator:
    """As the CLI's --evaluator auto: durable-rules where it runs, else the oracle (the report says which)."""
    return "engine" if availability()[0] else "oracle"


def load(path: Path, plans: Plans) -> Loaded:
    try:
        case, plan = load_checked(path, plans)
    except InputError as err:
        return Loaded(path, problems=list(err.problems))
    return Loaded(path, case, plan)


def cell_names(path: Path) -> tuple[str, str]:
    """(committee, cell) a workbook names on its cell sheet, even one with problems elsewhere ("" if none)."""
    try:
        from ..facts.sources import open_case

        with open_case(path) as source:
            data = source.header()
    except Exception:  # noqa: BLE001 - an unreadable workbook names no cell; its problems are shown anyway
        return "", ""
    return str(data.get("party_committee") or ""), str(data.get("name") or "")


def quarters(plan: LoadedPlan) -> list[str]:
    """The quarters a plan covers, as "2020-Q1"…, for the audit's choice."""
    return [quarter_label(quarter_end(year, q)) for year in plan.ruleset.plan.years for q in QUARTERS]


def _within(day: dt.date, plan: LoadedPlan, what: str, lang: str) -> dt.date:
    years = plan.ruleset.plan
    if not years.start <= day <= years.end:
        raise JobRefused(t("date_outside_plan", lang, option=what, date=day.strftime("%d/%m/%Y"), plan=plan.id,
                           start=years.start.strftime("%d/%m/%Y"), end=years.end.strftime("%d/%m/%Y")))
    return day


PAGE_ASKS = ("", "quarter", "meeting", "year")  # what the cell page can ask for before running a job (Job.asks)


def known_job(name: str) -> bool:
    """Whether `name` is a registered job (check, audit, ready, review…) a page may run: one whose date the page
    knows how to ask for."""
    return name in {job.name for job in jobs(lambda job: job.asks in PAGE_ASKS)}


def has_meeting(name: str) -> bool:
    """Whether the job is about a meeting (readiness): its minutes and agenda can be downloaded."""
    return get_job(name).asks == "meeting"


def choice(loaded: Loaded, job: str, quarter: str, meeting: str, lang: str,
           year: str = "") -> tuple[str, dt.date | None]:
    """The job's date from the page's choice, as the job asks for it (jobs/registry.py `asks`): (key for the
    cache, day). JobRefused when it is wrong."""
    assert loaded.plan is not None
    asks = get_job(job).asks
    if asks == "quarter":
        if not quarter:
            return "", None
        try:
            in_year, q = parse_quarter(quarter)
        except ValueError:
            raise JobRefused(t("bad_quarter", lang, detail=quarter)) from None
        end = quarter_end(in_year, q)
        return quarter_label(end), _within(end, loaded.plan, quarter, lang)
    if asks == "year":
        return _review_year(loaded.plan, year, lang)
    if asks != "meeting":
        return "", None
    if not meeting:
        from .messages import w

        raise JobRefused(w("need_meeting", lang))
    try:
        day = parse_date(meeting)
    except ValueError:
        raise JobRefused(t("bad_date", lang, detail=meeting)) from None
    return day.isoformat(), _within(day, loaded.plan, meeting, lang)


def review_year(loaded: Loaded) -> int | None:
    """The year the page offers first for the review: that of the cell's own date (its latest record), when it is
    one of the plan's years."""
    if loaded.case is None or loaded.plan is None:
        return None
    year = default_as_of(loaded.case).year
    return year if year in loaded.plan.ruleset.plan.years else None


def _review_year(plan: LoadedPlan, year: str, lang: str) -> tuple[str, dt.date]:
    """The year-end review's year: one of the plan's, reviewed at its last day (jobs/review.review_date)."""
    from ..jobs.review import review_date
    from .messages import w

    years = plan.ruleset.plan.years
    if not year.strip().isdigit() or int(year) not in years:
        raise JobRefused(w("bad_year", lang, year=year, years=", ".join(str(y) for y in years)))
    day = review_date(int(year))
    return str(int(year)), _within(day, plan, year, lang)


def judge(loaded: Loaded, job: str, day: dt.date | None) -> Judged:
    """Run one job as the CLI runs it (its entry in jobs/registry.py), with the evaluator it would choose."""
    case, plan = loaded.case, loaded.plan
    assert case is not None and plan is not None
    entry = get_job(job)
    result = entry.call("run", case, plan, day or default_as_of(case), evaluator(), None)
    return Judged(job, result, lambda lang: entry.call("document", result, lang),
                  lambda lang: entry.call("json", result, lang))


def record(judged: Judged) -> dict[str, Any]:
    """What the store keeps of this judging (store/save.py's run record, as `--save` writes it)."""
    from ..store.save import run_record

    report, extra = get_job(judged.job).kept(judged.result)
    return run_record(report, judged.job, False, extra)


class Judgings:
    """Judged cells kept in memory (the last `size`), each judged once even when asked for at once. Judging is
    serialised (`lock`: the rules engine keeps one global host); a report already judged is answered without
    waiting for a judging under way (`_kept_lock` only guards the dictionary). Each new judging is saved to the
    store when there is one."""

    def __init__(self, save: Callable[[Judged], None] | None = None, size: int = 64) -> None:
        self._kept: OrderedDict[tuple[str, str, str], Judged] = OrderedDict()
        self._kept_lock = threading.Lock()
        self.lock = threading.Lock()
        self._save = save
        self._size = size

    def _cached(self, wanted: tuple[str, str, str]) -> Judged | None:
        with self._kept_lock:
            found = self._kept.get(wanted)
            if found is not None:
                self._kept.move_to_end(wanted)
            return found

    def get(self, digest: str, loaded: Loaded, job: str, key: str, day: dt.date | None) -> Judged:
        wanted = (digest, job, key)
        found = self._cached(wanted)
        if found is not None:
            return found
        with self.lock:
            found = self._cached(wanted)  # judged by another request while this one waited
            if found is not None:
                return found
            judged = judge(loaded, job, day)
            if self._save is not None:
                self._save(judged)
        with self._kept_lock:
            self._kept[wanted] = judged
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return judged


def render(judged: Judged, name: str, lang: str) -> bytes:
    """A download of the judged report: one of the report formats (docx, html, markdown, json), the draft
    minutes (docx) or the agenda (markdown) of a readiness review."""
    out = io.BytesIO()
    if name == "minutes":
        from ..report.docx import write_docx
        from ..report.minutes import minutes_document

        write_docx(minutes_document(judged.result, lang), out)
    elif name == "agenda":
        out.write(agenda_markdown(judged.result, lang).encode("utf-8"))
    else:
        formats.get(name).write(judged.source(lang), out)
    return out.getvalue()


def workbook(plan: LoadedPlan, case: Any | None) -> bytes:
    """`chibo template`: the plan's blank workbook, or (with a case) the filled one."""
    from ..facts.xlsx import write_workbook

    out = io.BytesIO()
    write_workbook(out, plan.ruleset.schema, case, plan.id)  # type: ignore[arg-type]  # it writes to a stream
    return out.getvalue()


__all__ = ["EngineUnavailable", "JobRefused", "Judged", "Judgings", "Loaded", "choice", "has_meeting", "judge",
           "known_job", "load", "render", "workbook"]
