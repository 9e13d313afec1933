"""The Starlette application of `chibo serve`: a cell, a plan and a committee, pages rendered on the server.

Routes (their shape is the contract with guard.py and uploads.py, see web/__init__.py):
  GET  /                                   home: hand in a workbook, or pick one handed in before
  POST /cell                               hand in a workbook (field `workbook`) -> 303 /cell/{digest}
  GET  /cell/{digest}                      its problems (sheet, row, cell) or the three jobs to run
  GET  /cell/{digest}/report?job=&quarter=&meeting=      the report on the page
  GET  /cell/{digest}/download/{name}      report.docx|.html|.md|.json, minutes.docx, agenda.md, workbook.xlsx,
                                           blank.xlsx
  GET  /api/cell/{digest}/report           the same report as JSON
  GET  /plan, POST /plan, POST /plan/{digest}/apply, GET /plan/{digest}/{plan}/workbook.xlsx   drafting
  POST /committee, GET /committee/{batch}, GET /committee/{batch}/history, GET /committee/{batch}/download/report.docx
Every page that shows or acts on a cell asks guard who is asking and accounts.may_see whether they may see it,
and answers 404 when not (never revealing that it exists).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..jobs.plans import bundled_plans
from ..report.problems import problem_text
from ..userdirs import data_folder
from . import accounts, guard, uploads
from .messages import w
from .pages import (
    DOCX,
    HERE,
    XLSX,
    Refused,
    Site,
    attachment,
    chibo_page,
    clean_name,
    lang_of,
    page,
    read_upload,
    refused_response,
    visible_cell,
)
from .work import JobRefused, Judged, Loaded, choice, has_meeting, known_job, render, workbook

WORKBOOK = {".xlsx"}
PLAN_DOCUMENTS = {".docx", ".txt", ".pdf"}
# a download's name -> (the report format or other output, its media type)
DOWNLOADS = {
    "report.docx": ("docx", DOCX),
    "report.html": ("html", "text/html; charset=utf-8"),
    "report.md": ("markdown", "text/markdown; charset=utf-8"),
    "report.json": ("json", "application/json"),
    "minutes.docx": ("minutes", DOCX),
    "agenda.md": ("agenda", "text/markdown; charset=utf-8"),
}


@dataclass(frozen=True)
class ServeSettings:
    """What one `chibo serve` runs with. `data`: the data folder (uploads/, web/, plans/, the accounts and audit
    log; $CHIBO_DATA_DIR, else chibo's data folder);
    `store`: the store's URL or file (None: $CHIBO_STORE or the default file, as --store); `secret`: signs the
    session cookies (random per start when empty); `https`: behind a TLS proxy (Secure cookies)."""

    data: Path = field(default_factory=lambda: Path(os.environ.get("CHIBO_DATA_DIR") or data_folder()))
    store: str | None = None
    secret: str = ""
    https: bool = False
    lang: str = "vi"
    limits: uploads.Limits = field(default_factory=uploads.Limits)


# --------------------------------------------------------------------------- a cell
def handed_in(site: Site, request: Request) -> list[dict[str, Any]]:
    """Workbooks handed in before that this account may see, newest first."""
    account = guard.current_account(request)
    out = []
    folder = site.meta / "cells"
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        meta = site.read_meta("cells", path.stem)
        if meta and accounts.may_see(account, str(meta.get("committee", "")), str(meta.get("cell", ""))):
            out.append({**meta, "digest": path.stem})
    return sorted(out, key=lambda m: str(m.get("at", "")), reverse=True)


async def home(request: Request) -> Response:
    site: Site = request.app.state.site
    plans = [p.name for p in bundled_plans()]
    return page(site, request, "home.html", earlier=handed_in(site, request), plans=plans)


async def hand_in(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = lang_of(request, site)
    files = await read_upload(request, "workbook")
    if not files:
        raise Refused(400, w("no_file", lang))
    upload = files[0]
    if Path(clean_name(upload.filename or "")).suffix.lower() not in WORKBOOK:
        raise Refused(400, w("wrong_suffix", lang, name=clean_name(upload.filename or "")))
    data = await uploads.read_limited(upload, site.settings.limits)
    kept = await run_in_threadpool(site.keep, data, upload.filename or "", WORKBOOK)
    digest = await run_in_threadpool(accept_cell, site, request, kept)
    return RedirectResponse(f"/cell/{digest}", status_code=303)


def accept_cell(site: Site, request: Request, kept: uploads.Kept) -> str:
    """A kept workbook becomes a cell of this account's (or is refused: a secretary hands in only their own)."""
    loaded = site.load(kept.digest)
    assert loaded is not None
    from .work import cell_names

    committee, cell = (loaded.committee, loaded.cell) if loaded.case is not None else cell_names(kept.path)
    if not accounts.may_see(guard.current_account(request), committee, cell):
        guard.audit(request, "hand_in_refused", kept.digest)
        raise Refused(403, w("not_yours", lang_of(request, site)))
    site.write_meta("cells", kept.digest, {"name": kept.shown_name, "committee": committee, "cell": cell,
                                           "at": dt.datetime.now().isoformat(timespec="seconds")})
    guard.audit(request, "hand_in", kept.digest)
    return kept.digest


def problem_rows(loaded: Loaded, shown: str, lang: str) -> list[dict[str, str]]:
    """Each problem as the command line lists it: file, sheet, row, cell, field, what is wrong, the value."""
    rows = []
    for p in loaded.problems:
        file = shown if p.file in (loaded.path.name, str(loaded.path)) else p.file
        rows.append({"file": file, "sheet": p.sheet or "", "line": "" if p.line is None else str(p.line),
                     "cell": p.cell or "", "field": p.field or "", "problem": problem_text(p, lang),
                     "value": p.value or ""})
    return rows


async def cell_page(request: Request) -> Response:
    site: Site = request.app.state.site
    digest = request.path_params["digest"]
    loaded = await run_in_threadpool(visible_cell, site, request, digest)
    lang = lang_of(request, site)
    meta = site.read_meta("cells", digest) or {}
    shown = str(meta.get("name") or loaded.path.name)
    from .work import quarters, review_year

    return page(site, request, "cell.html", status=200, digest=digest, shown=shown, loaded=loaded,
                problems=problem_rows(loaded, shown, lang),
                quarters=quarters(loaded.plan) if loaded.plan is not None else [], review_year=review_year(loaded),
                plan=loaded.plan.ruleset.plan if loaded.plan is not None else None)


def judged_for(site: Site, request: Request, digest: str) -> tuple[Loaded, Judged]:
    """The report asked for (job, quarter, meeting), judged once; Refused with the reason otherwise."""
    loaded = visible_cell(site, request, digest)
    lang = lang_of(request, site)
    job = request.query_params.get("job", "check")
    if not known_job(job):
        raise Refused(400, w("unknown_job", lang, job=job))
    if loaded.plan is None:
        raise Refused(400, w("cannot_judge", lang))
    try:
        key, day = choice(loaded, job, request.query_params.get("quarter", ""),
                          request.query_params.get("meeting", ""), lang, request.query_params.get("year", ""))
    except JobRefused as exc:
        raise Refused(400, exc.text) from None
    return loaded, site.judgings.get(digest, loaded, job, key, day)


def job_query(request: Request) -> str:
    params = {k: v for k, v in request.query_params.items() if k in ("job", "quarter", "meeting", "year") and v}
    return urlencode(params)


async def report_page(request: Request) -> Response:
    site: Site = request.app.state.site
    digest = request.path_params["digest"]
    _, judged = await run_in_threadpool(judged_for, site, request, digest)
    lang = lang_of(request, site)
    from ..report.output import to_html

    body = await run_in_threadpool(lambda: to_html(judged.document(lang)))
    guard.audit(request, "read_report", digest)
    return chibo_page(site, request, body, "report_nav.html", digest=digest, query=job_query(request), job=judged.job)


async def cell_history_page(request: Request) -> Response:
    """The cell's history from the store (`chibo history CELL`): each requirement quarter by quarter, its chart."""
    site: Site = request.app.state.site
    digest = request.path_params["digest"]
    lang = lang_of(request, site)
    loaded = await run_in_threadpool(visible_cell, site, request, digest)
    if loaded.case is None:
        raise Refused(400, w("cannot_judge", lang))
    body = await run_in_threadpool(cell_history_html, site, loaded, lang)
    return chibo_page(site, request, body, "report_nav.html", digest=digest, query="", job="history")


def cell_history_html(site: Site, loaded: Loaded, lang: str) -> str:
    from ..report.formats.html import with_charts
    from ..report.output import to_html
    from ..store.db import StoreError
    from ..store.messages import m
    from ..store.queries import cell_history
    from ..store.views import cell_charts, cell_document

    store = site.open_store()
    if store is None:
        raise Refused(404, site.store_problem)
    try:
        history = cell_history(store, f"{loaded.committee} / {loaded.cell}")
    except StoreError as exc:
        raise Refused(404, m(exc.code, lang, detail=exc.detail, **exc.values)) from None
    return with_charts(to_html(cell_document(history, lang, store.where)), cell_charts(history, lang))


async def report_json(request: Request) -> Response:
    site: Site = request.app.state.site
    _, judged = await run_in_threadpool(judged_for, site, request, request.path_params["digest"])
    return JSONResponse(judged.data(lang_of(request, site)))


async def download(request: Request) -> Response:
    site: Site = request.app.state.site
    digest, name = request.path_params["digest"], request.path_params["name"]
    lang = lang_of(request, site)
    if name in ("workbook.xlsx", "blank.xlsx"):
        loaded = await run_in_threadpool(visible_cell, site, request, digest)
        if loaded.plan is None:
            raise Refused(400, w("cannot_judge", lang))
        plan = loaded.plan
        data = await run_in_threadpool(workbook, plan, loaded.case if name == "workbook.xlsx" else None)
        media = XLSX
    elif name in DOWNLOADS:
        _, judged = await run_in_threadpool(judged_for, site, request, digest)
        what, media = DOWNLOADS[name]
        if what in ("minutes", "agenda") and not has_meeting(judged.job):
            raise Refused(400, w("not_ready_job", lang))
        data = await run_in_threadpool(render, judged, what, lang)
    else:
        raise Refused(404, w("unknown_download", lang, name=name))
    guard.audit(request, "download", f"{digest}/{name}")
    filename = f"chibo-{digest[:8]}-{name}"
    return attachment(data, media, filename)


async def blank_template(request: Request) -> Response:
    """A bundled plan's blank workbook (`chibo template --plan ID`), before any workbook is handed in."""
    site: Site = request.app.state.site
    plan_id = request.path_params["plan"]
    folders = {p.name: p for p in bundled_plans()}
    if plan_id not in folders:
        raise Refused(404, w("not_found", lang_of(request, site)))
    plan = await run_in_threadpool(site.plans.load, folders[plan_id])
    data = await run_in_threadpool(workbook, plan, None)
    return attachment(data, XLSX, f"{plan_id}.xlsx")


# --------------------------------------------------------------------------- the application
def routes() -> list[Any]:
    from . import committee, plan

    return [
        Route("/", home),
        Route("/cell", hand_in, methods=["POST"]),
        Route("/cell/{digest}", cell_page),
        Route("/cell/{digest}/report", report_page),
        Route("/cell/{digest}/history", cell_history_page),
        Route("/cell/{digest}/download/{name}", download),
        Route("/api/cell/{digest}/report", report_json),
        Route("/template/{plan}.xlsx", blank_template),
        *plan.routes(),
        *committee.routes(),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]


async def bug(request: Request, exc: Exception) -> Response:
    """A bug in chibo: a page saying so and where its details were written, never a traceback on the page."""
    from ..crash import write_log

    site: Site = request.app.state.site
    log = await run_in_threadpool(write_log, exc, f"{request.method} {request.url.path}")
    text = w("bug", lang_of(request, site), log=str(log or ""))
    return page(site, request, "message.html", status=500, title_key="bad_request_title", text=text)


def create_app(settings: ServeSettings) -> Starlette:
    """The application for `settings`; guard's routes (login, logout) mounted beside the pages."""
    app = Starlette(routes=[*routes(), *getattr(guard, "routes", lambda: [])()],
                    exception_handlers={500: bug, Refused: refused_response, uploads.UploadRefused: refused_response})
    app.state.site = Site(settings)
    app.state.settings = settings
    guard.install(app, settings.secret or None, settings.https, lang=settings.lang,
                  page=functools.partial(page, app.state.site))
    # outermost: a body over the limit is refused (413) before the session, the CSRF check or a form reads it
    app.add_middleware(uploads.BodyLimit, max_body_bytes=settings.limits.max_body_bytes)
    return app
