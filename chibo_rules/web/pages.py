"""What every page shares: the site's state (settings, folders, plans, judged cells, the store), the user's
language, rendering a template, refusals in words, and who may see a handed-in cell."""

from __future__ import annotations

import json
import os
import re
import threading
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

import jinja2
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .. import writing
from ..jobs.plans import Plans, search_from_env
from . import accounts, guard, uploads
from .messages import w
from .work import Judged, Judgings, Loaded, load, record

if TYPE_CHECKING:
    from .app import ServeSettings

HERE = Path(__file__).parent
DIGEST = re.compile(r"^[0-9a-f]{64}$")
LANGS = ("vi", "en")
BOOK_NAME = "so-theo-doi"  # "the workbook": what a handed-in workbook is called in its reports


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
        # plans applied on the page's plan drafting are found as any plan is (web/plan.py)
        self.plans = Plans(search=(*search_from_env(), settings.data / "plans"))
        self.lock = threading.Lock()  # loading plans and cases: Plans caches without a lock of its own
        self.loaded: dict[str, Loaded] = {}
        self.rollups: dict[str, Any] = {}
        self.store: Any = None
        self.store_problem = ""
        self.judgings = Judgings(self.save)
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
        """A new judging: what its job reads from the store (Job.from_store), then saved to it as --save does."""
        from ..jobs.registry import get, resolve

        reads = get(judged.job).from_store
        store = self.open_store()
        if reads and store is not None:
            resolve(reads)(store, judged.result)
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

    def save_rollup(self, rollup: Any) -> None:
        """Every judged cell of a roll-up, as `--save` saves one (whole runs, in batches)."""
        from ..store.save import run_record

        self.save_records([run_record(c.judged, rollup.command) for c in rollup.cells if c.judged is not None])

    # kept uploads
    def kept_path(self, digest: str) -> Path | None:
        """Where the upload `digest` is kept (uploads.Kept's layout), or None."""
        if not DIGEST.match(digest):
            return None
        found = sorted((self.uploads / digest[:2]).glob(digest + ".*")) if (self.uploads / digest[:2]).is_dir() else []
        return found[0] if found else None

    def keep(self, data: bytes, name: str, allowed: set[str]) -> uploads.Kept:
        return uploads.keep(data, name, self.uploads, allowed, self.settings.limits)

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
        found = self.loaded.get(digest)  # a dictionary read: answered while another cell is being loaded
        if found is not None:
            return found
        with self.lock:
            if digest not in self.loaded:
                self.loaded[digest] = load(self.readable(digest, path), self.plans)
            return self.loaded[digest]

    def readable(self, digest: str, kept: Path) -> Path:
        """The kept workbook under a plain name (web/books/<digest>/so-theo-doi.xlsx, a hard link or a copy):
        reports and problems name the file a secretary can recognise, not a 64-letter digest that no phone
        can wrap. The name is chibo's own, never the uploaded one."""
        target = self.meta / "books" / digest / f"{BOOK_NAME}{kept.suffix}"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(kept, target)
            except OSError:  # another file system, or links not allowed: a copy, written whole
                data = kept.read_bytes()
                writing.write(target, lambda stream: stream.write(data), "upload", [], force=True)
        return target


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


Answer = TypeVar("Answer", bound=Response)


def remember_lang(response: Answer, request: Request, lang: str) -> Answer:
    """A language asked for by the link (?lang=en) is kept in a cookie for the next pages."""
    if request.query_params.get("lang") in LANGS:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(data: bytes, media: str, filename: str) -> Response:
    """A file to download (a workbook, a report) under `filename`, an ASCII name chosen by the page."""
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def refused_page(site: Site, request: Request, refused: Refused) -> HTMLResponse:
    key = "not_found_title" if refused.status == 404 else "bad_request_title"
    return page(site, request, "message.html", status=refused.status, title_key=key, text=refused.text)


async def refused_response(request: Request, exc: Exception) -> Response:
    """Every refusal a route raises — Refused, or an upload's UploadRefused — as the message page in the user's
    language with its status (JSON under /api/): the application's one handler for them (create_app), so a
    route simply raises, from its own code or from a function it runs in the thread pool."""
    site: Site = request.app.state.site
    refused = refusal_words(exc, lang_of(request, site)) if isinstance(exc, uploads.UploadRefused) else exc
    assert isinstance(refused, Refused)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": refused.text}, status_code=refused.status)
    return refused_page(site, request, refused)


def refusal_words(exc: uploads.UploadRefused, lang: str) -> Refused:
    """An upload refused as a sentence in the user's language: uploads.py words its own refusals (and says 413
    for what is too large, 400 for what is malformed); the page's own keys (web/messages.py) are worded here."""
    from .messages import MESSAGES

    if exc.key in uploads.MESSAGES or exc.key not in MESSAGES:
        return Refused(exc.status, exc.words(lang))
    params = dict(exc.params)
    if "limit" in params and isinstance(params["limit"], int) and "big" in exc.key:
        params["limit"] = size_words(params["limit"])
    big = exc.key.startswith("too_") or "big" in exc.key
    return Refused(413 if big else 400, w(exc.key, lang, **params))


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




async def read_upload(request: Request, field_name: str) -> list[UploadFile]:
    """The files of one form field (a field without a chosen file is left out)."""
    form = await request.form(max_files=request.app.state.site.settings.limits.max_files + 1)
    return [f for f in form.getlist(field_name) if isinstance(f, UploadFile) and f.filename]


def chibo_page(site: Site, request: Request, body: str, nav: str, **values: Any) -> HTMLResponse:
    """One of chibo's own HTML pages (a report, a history) with the site's links above it (hidden in print)."""
    lang = lang_of(request, site)
    links = site.env.get_template(nav).render(lang=lang, w=lambda key, **v: w(key, lang, **v),
                                              switch=switch_url(request, lang), store_problem=site.store_problem,
                                              **values)
    html = body.replace("</head>", '<link rel="stylesheet" href="/static/report.css">\n</head>', 1)
    html = html.replace("<body>", "<body>\n" + links, 1)
    return remember_lang(HTMLResponse(html), request, lang)
