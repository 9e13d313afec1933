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
import hashlib
import json
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import writing
from ..jobs.plans import Plans, bundled_plans, search_from_env
from ..report.problems import problem_text
from ..userdirs import data_folder
from . import accounts, guard, uploads
from .messages import w
from .work import JOBS, JobRefused, Judged, Judgings, Loaded, choice, load, record, render, workbook

HERE = Path(__file__).parent
DIGEST = re.compile(r"^[0-9a-f]{64}$")
BATCH = re.compile(r"^[0-9a-f]{16}$")
LANGS = ("vi", "en")
WORKBOOK = {".xlsx"}
PLAN_DOCUMENTS = {".docx", ".txt", ".pdf"}
# a download's name -> (the report format or other output, its media type)
DOWNLOADS = {
    "report.docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "report.html": ("html", "text/html; charset=utf-8"),
    "report.md": ("markdown", "text/markdown; charset=utf-8"),
    "report.json": ("json", "application/json"),
    "minutes.docx": ("minutes", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "agenda.md": ("agenda", "text/markdown; charset=utf-8"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ServeSettings:
    """What one `chibo serve` runs with. `data`: the data folder (uploads/, web/, the accounts and audit log);
    `store`: the store's URL or file (None: $CHIBO_STORE or the default file, as --store); `secret`: signs the
    session cookies (random per start when empty); `https`: behind a TLS proxy (Secure cookies)."""

    data: Path = field(default_factory=data_folder)
    store: str | None = None
    secret: str = ""
    https: bool = False
    lang: str = "vi"
    limits: uploads.Limits = field(default_factory=uploads.Limits)


class Refused(Exception):
    """A request the page cannot do: `status` and the sentence to show."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text


# --------------------------------------------------------------------------- the application's state
class Site:
    """The application's state: settings, the folders, the plans loaded once, judged cells kept in memory."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.uploads = settings.data / "uploads"
        self.meta = settings.data / "web"
        self.plans = Plans(search=search_from_env())
        self.lock = threading.Lock()  # loading plans and cases: Plans caches without a lock of its own
        self.loaded: dict[str, Loaded] = {}
        self.rollups: dict[str, Any] = {}
        self.store: Any = None
        self.store_problem = ""
        self.judgings = Judgings(self.save)
        self.audit = accounts.AuditLog(settings.data / "audit.log")
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    # the store: opened on first save; a store that cannot be used is said on the page, judging goes on
    def open_store(self) -> Any:
        if self.store is None and not self.store_problem:
            from ..store.db import StoreError, open_store
            from ..store.messages import m

            try:
                self.store = open_store(self.settings.store, create=True)
            except StoreError as exc:
                self.store_problem = m(exc.code, self.settings.lang, detail=exc.detail, **exc.values)
        return self.store

    def save(self, judged: Judged) -> None:
        self.save_records([record(judged)])

    def save_records(self, records: list[dict[str, Any]]) -> None:
        store = self.open_store()
        if store is None:
            return
        from ..store.db import StoreError
        from ..store.save import save_many

        try:
            save_many(store, records)
        except StoreError as exc:
            from ..store.messages import m

            self.store_problem = m(exc.code, self.settings.lang, detail=exc.detail, **exc.values)

    # kept uploads
    def kept_path(self, digest: str) -> Path | None:
        """Where the upload `digest` is kept (uploads.Kept's layout), or None."""
        if not DIGEST.match(digest):
            return None
        found = sorted((self.uploads / digest[:2]).glob(digest + ".*")) if (self.uploads / digest[:2]).is_dir() else []
        return found[0] if found else None

    def keep(self, data: bytes, name: str, allowed: set[str]) -> uploads.Kept:
        try:
            return uploads.keep(data, name, self.uploads, allowed, self.settings.limits)
        except NotImplementedError:  # uploads.py's stub, until that branch lands: the same layout, plainly
            return keep_plainly(data, name, self.uploads, allowed)

    def write_meta(self, folder: str, name: str, data: dict[str, Any]) -> None:
        target = self.meta / folder / f"{name}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, ensure_ascii=False, indent=1)
        writing.write(target, lambda stream: stream.write(text.encode("utf-8")), "json", [], force=True)

    def read_meta(self, folder: str, name: str) -> dict[str, Any] | None:
        try:
            data = json.loads((self.meta / folder / f"{name}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def load(self, digest: str) -> Loaded | None:
        path = self.kept_path(digest)
        if path is None:
            return None
        with self.lock:
            if digest not in self.loaded:
                self.loaded[digest] = load(path, self.plans)
            return self.loaded[digest]


def keep_plainly(data: bytes, name: str, folder: Path, allowed: set[str]) -> uploads.Kept:
    """Content-addressed keeping without uploads.py's checks (its stub): <folder>/<digest[:2]>/<digest><suffix>."""
    shown = clean_name(name)
    suffix = Path(shown).suffix.lower()
    if suffix not in allowed:
        raise uploads.UploadRefused("wrong_suffix_any", name=shown, allowed=", ".join(sorted(allowed)))
    digest = hashlib.sha256(data).hexdigest()
    target = folder / digest[:2] / f"{digest}{suffix}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        writing.write(target, lambda stream: stream.write(data), "upload", [], force=True)
    return uploads.Kept(digest, target, shown, suffix)


def clean_name(name: str) -> str:
    """An uploaded name for display only: its last part, printable, at most 120 characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable()).strip()
    return base[:120] or "upload"


# --------------------------------------------------------------------------- requests
def lang_of(request: Request, site: Site) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return str(asked)
    cookie = request.cookies.get("lang")
    return cookie if cookie in LANGS else site.settings.lang


def client_of(request: Request) -> str:
    return request.client.host if request.client else ""


def who(request: Request) -> str:
    account = guard.current_account(request)
    return account.name if account is not None else "local"


def switch_url(request: Request, lang: str) -> str:
    """The same page in the other language (a link: keyboard and screen readers need no script)."""
    params = dict(request.query_params)
    params["lang"] = "en" if lang == "vi" else "vi"
    return f"{request.url.path}?{urlencode(params)}"


def page(site: Site, request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    lang = lang_of(request, site)
    html = site.env.get_template(template).render(
        lang=lang, w=lambda key, **v: w(key, lang, **v), csrf=guard.csrf_token(request), csrf_field=guard.CSRF_FIELD,
        switch=switch_url(request, lang), **values)
    return remember_lang(HTMLResponse(html, status_code=status), request, lang)


def remember_lang(response: Response, request: Request, lang: str) -> Response:
    if request.query_params.get("lang") in LANGS:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


def refused_page(site: Site, request: Request, refused: Refused) -> HTMLResponse:
    key = "not_found_title" if refused.status == 404 else "bad_request_title"
    return page(site, request, "message.html", status=refused.status, title_key=key, text=refused.text)


def refusal_words(exc: uploads.UploadRefused, lang: str) -> Refused:
    """An upload refused (uploads.py's key and values) as a sentence; 413 when it was too big."""
    from .messages import MESSAGES

    params = dict(exc.params)
    if "limit" in params and isinstance(params["limit"], int):
        params["limit"] = size_words(params["limit"])
    text = w(exc.key, lang, **params) if exc.key in MESSAGES else w("refused", lang, detail=exc.key)
    big = exc.key.startswith("too_") or "big" in exc.key
    return Refused(413 if big else 400, text)


def size_words(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB" if size >= 1024 * 1024 else f"{size / 1024:g} KB"


def visible_cell(site: Site, request: Request, digest: str) -> Loaded:
    """The handed-in cell `digest` when this account may see it; Refused(404) otherwise (even when it exists)."""
    loaded = site.load(digest)
    if loaded is None:
        raise Refused(404, w("not_found", lang_of(request, site)))
    committee, cell = committee_cell(site, digest, loaded)
    if not accounts.may_see(guard.current_account(request), committee, cell):
        raise Refused(404, w("not_found", lang_of(request, site)))
    return loaded


def committee_cell(site: Site, digest: str, loaded: Loaded) -> tuple[str, str]:
    if loaded.case is not None:
        return loaded.committee, loaded.cell
    meta = site.read_meta("cells", digest) or {}
    return str(meta.get("committee", "")), str(meta.get("cell", ""))


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


async def read_upload(request: Request, field_name: str) -> list[UploadFile]:
    form = await request.form(max_files=request.app.state.site.settings.limits.max_files + 1)
    return [f for f in form.getlist(field_name) if isinstance(f, UploadFile) and f.filename]


async def hand_in(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = lang_of(request, site)
    try:
        files = await read_upload(request, "workbook")
        if not files:
            raise Refused(400, w("no_file", lang))
        upload = files[0]
        if Path(clean_name(upload.filename or "")).suffix.lower() not in WORKBOOK:
            raise Refused(400, w("wrong_suffix", lang, name=clean_name(upload.filename or "")))
        data = await uploads.read_limited(upload, site.settings.limits)
        kept = await run_in_threadpool(site.keep, data, upload.filename or "", WORKBOOK)
        digest = await run_in_threadpool(accept_cell, site, request, kept)
    except uploads.UploadRefused as exc:
        return refused_page(site, request, refusal_words(exc, lang))
    except Refused as refused:
        return refused_page(site, request, refused)
    return RedirectResponse(f"/cell/{digest}", status_code=303)


def accept_cell(site: Site, request: Request, kept: uploads.Kept) -> str:
    """A kept workbook becomes a cell of this account's (or is refused: a secretary hands in only their own)."""
    loaded = site.load(kept.digest)
    assert loaded is not None
    from .work import cell_names

    committee, cell = (loaded.committee, loaded.cell) if loaded.case is not None else cell_names(kept.path)
    if not accounts.may_see(guard.current_account(request), committee, cell):
        site.audit.record(who(request), "hand_in_refused", kept.digest, client_of(request))
        raise Refused(403, w("not_yours", lang_of(request, site)))
    site.write_meta("cells", kept.digest, {"name": kept.shown_name, "committee": committee, "cell": cell,
                                           "at": dt.datetime.now().isoformat(timespec="seconds")})
    site.audit.record(who(request), "hand_in", kept.digest, client_of(request))
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
    try:
        loaded = await run_in_threadpool(visible_cell, site, request, digest)
    except Refused as refused:
        return refused_page(site, request, refused)
    lang = lang_of(request, site)
    meta = site.read_meta("cells", digest) or {}
    shown = str(meta.get("name") or loaded.path.name)
    from .work import quarters

    return page(site, request, "cell.html", status=200, digest=digest, shown=shown, loaded=loaded,
                problems=problem_rows(loaded, shown, lang),
                quarters=quarters(loaded.plan) if loaded.plan is not None else [],
                plan=loaded.plan.ruleset.plan if loaded.plan is not None else None)


def judged_for(site: Site, request: Request, digest: str) -> tuple[Loaded, Judged]:
    """The report asked for (job, quarter, meeting), judged once; Refused with the reason otherwise."""
    loaded = visible_cell(site, request, digest)
    lang = lang_of(request, site)
    job = request.query_params.get("job", "check")
    if job not in JOBS:
        raise Refused(400, w("unknown_job", lang, job=job))
    if loaded.plan is None:
        raise Refused(400, w("cannot_judge", lang))
    try:
        key, day = choice(loaded, job, request.query_params.get("quarter", ""),
                          request.query_params.get("meeting", ""), lang)
    except JobRefused as exc:
        raise Refused(400, exc.text) from None
    return loaded, site.judgings.get(digest, loaded, job, key, day)


def job_query(request: Request) -> str:
    params = {k: v for k, v in request.query_params.items() if k in ("job", "quarter", "meeting") and v}
    return urlencode(params)


async def report_page(request: Request) -> Response:
    site: Site = request.app.state.site
    digest = request.path_params["digest"]
    try:
        _, judged = await run_in_threadpool(judged_for, site, request, digest)
    except Refused as refused:
        return refused_page(site, request, refused)
    lang = lang_of(request, site)
    from ..report.output import to_html

    body = await run_in_threadpool(lambda: to_html(judged.document(lang)))
    nav = site.env.get_template("report_nav.html").render(
        lang=lang, w=lambda key, **v: w(key, lang, **v), digest=digest, query=job_query(request), job=judged.job,
        switch=switch_url(request, lang), store_problem=site.store_problem)
    html = body.replace("</head>", '<link rel="stylesheet" href="/static/report.css">\n</head>', 1)
    html = html.replace("<body>", "<body>\n" + nav, 1)
    site.audit.record(who(request), "read_report", digest, client_of(request))
    return remember_lang(HTMLResponse(html), request, lang)


async def report_json(request: Request) -> Response:
    site: Site = request.app.state.site
    try:
        _, judged = await run_in_threadpool(judged_for, site, request, request.path_params["digest"])
    except Refused as refused:
        return JSONResponse({"error": refused.text}, status_code=refused.status)
    return JSONResponse(judged.data(lang_of(request, site)))


async def download(request: Request) -> Response:
    site: Site = request.app.state.site
    digest, name = request.path_params["digest"], request.path_params["name"]
    lang = lang_of(request, site)
    try:
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
            if what in ("minutes", "agenda") and judged.job != "ready":
                raise Refused(400, w("not_ready_job", lang))
            data = await run_in_threadpool(render, judged, what, lang)
        else:
            raise Refused(404, w("unknown_download", lang, name=name))
    except Refused as refused:
        return refused_page(site, request, refused)
    site.audit.record(who(request), "download", f"{digest}/{name}", client_of(request))
    filename = f"chibo-{digest[:8]}-{name}"
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


async def blank_template(request: Request) -> Response:
    """A bundled plan's blank workbook (`chibo template --plan ID`), before any workbook is handed in."""
    site: Site = request.app.state.site
    plan_id = request.path_params["plan"]
    folders = {p.name: p for p in bundled_plans()}
    if plan_id not in folders:
        return refused_page(site, request, Refused(404, w("not_found", lang_of(request, site))))
    plan = await run_in_threadpool(site.plans.load, folders[plan_id])
    data = await run_in_threadpool(workbook, plan, None)
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{plan_id}.xlsx"'})


# --------------------------------------------------------------------------- the application
def routes() -> list[Any]:
    from . import committee, plan

    return [
        Route("/", home),
        Route("/cell", hand_in, methods=["POST"]),
        Route("/cell/{digest}", cell_page),
        Route("/cell/{digest}/report", report_page),
        Route("/cell/{digest}/download/{name}", download),
        Route("/api/cell/{digest}/report", report_json),
        Route("/template/{plan}.xlsx", blank_template),
        *plan.routes(),
        *committee.routes(),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]


def create_app(settings: ServeSettings) -> Starlette:
    """The application for `settings`; guard's routes (login, logout) mounted beside the pages."""
    app = Starlette(routes=[*routes(), *getattr(guard, "routes", lambda: [])()])
    app.state.site = Site(settings)
    app.state.settings = settings
    guard.install(app, settings.secret or secrets.token_urlsafe(32), settings.https)
    return app
