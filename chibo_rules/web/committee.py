"""A committee's pages: many workbooks handed in at once (several files or a zip) -> the roll-up, worst first,
each row opening that cell's report -> the committee's history from the store -> the roll-up as a Word report.

A batch is the set of handed-in workbooks (by digest), kept as web/batches/<id>.json; its roll-up is judged
with jobs/rollup.py as `chibo check FOLDER` judges one, only over the cells the account may see, and saved to
the store as `--save` saves a roll-up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..jobs.rollup import Rollup, run_rollup
from . import accounts, guard, uploads
from .messages import w
from .pages import (
    DOCX,
    Refused,
    Site,
    attachment,
    chibo_page,
    lang_of,
    page,
    read_upload,
    visible_cell,
)
from .work import cell_names, evaluator

BATCH = re.compile(r"^[0-9a-f]{16}$")


async def committee_form(request: Request) -> Response:
    site: Site = request.app.state.site
    return page(site, request, "committee.html")


async def hand_in_many(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = lang_of(request, site)
    files = await read_upload(request, "workbooks")
    if not files:
        raise Refused(400, w("no_files", lang))
    if len(files) > site.settings.limits.max_files:
        raise uploads.UploadRefused("too_many_files", count=len(files), most=site.settings.limits.max_files)
    kept: list[uploads.Kept] = []
    for upload in files:
        data = await uploads.read_limited(upload, site.settings.limits)
        name = upload.filename or ""
        if name.lower().endswith(".zip"):
            kept += await run_in_threadpool(uploads.unpack_zip, data, site.uploads, {".xlsx"}, site.settings.limits)
        else:
            kept.append(await run_in_threadpool(site.keep, data, name, {".xlsx"}))
    batch = await run_in_threadpool(accept_batch, site, request, kept)
    return RedirectResponse(f"/committee/{batch}", status_code=303)


def accept_batch(site: Site, request: Request, kept: list[uploads.Kept]) -> str:
    """Each kept workbook becomes a cell (refused whole when one is a cell this account may not hand in)."""
    account = guard.current_account(request)
    now = dt.datetime.now().isoformat(timespec="seconds")
    named = []
    for item in kept:
        committee, cell = cell_names(item.path)
        if not accounts.may_see(account, committee, cell):
            guard.audit(request, "hand_in_refused", item.digest)
            raise Refused(403, w("not_yours", lang_of(request, site)))
        named.append((item, committee, cell))
    for item, committee, cell in named:
        site.write_meta("cells", item.digest, {"name": item.shown_name, "committee": committee, "cell": cell,
                                               "at": now})
        guard.audit(request, "hand_in", item.digest)
    digests = sorted({item.digest for item in kept})
    batch = hashlib.sha256("\n".join(digests).encode()).hexdigest()[:16]
    site.write_meta("batches", batch, {"digests": digests, "at": now})
    return batch


def rollup_of(site: Site, request: Request, batch: str) -> Rollup:
    """The batch's roll-up over the cells this account may see, judged once; Refused(404) when none."""
    lang = lang_of(request, site)
    meta = site.read_meta("batches", batch) if BATCH.match(batch) else None
    if not meta:
        raise Refused(404, w("not_found", lang))
    visible = []
    for digest in meta.get("digests", []):
        try:
            visible.append(visible_cell(site, request, str(digest)))
        except Refused:
            continue
    if not visible:
        raise Refused(404, w("not_found", lang))
    key = batch + ":" + ",".join(sorted(v.path.parent.name for v in visible))
    with site.judgings.lock:
        if key not in site.rollups:
            rollup = run_rollup([v.path for v in visible], site.plans, "check", None, None, evaluator())
            site.save_rollup(rollup)
            site.rollups[key] = rollup
        result: Rollup = site.rollups[key]
    return result


def rows(site: Site, rollup: Rollup, lang: str) -> list[dict[str, Any]]:
    """The roll-up's table, worst first (its own order): name, verdict, gaps, the worst requirement, a link."""
    from ..facts.library import cell_info
    from ..report.views import worst_text

    out = []
    for cell in rollup.cells:
        digest = cell.path.parent.name  # web/books/<digest>/so-theo-doi.xlsx (pages.Site.readable)
        meta = site.read_meta("cells", digest) or {}
        judged = cell.judged
        info = cell_info(judged.case) if judged is not None else None
        name = info.name if info is not None else str(meta.get("name", digest))
        out.append({"digest": digest, "name": name, "file": meta.get("name", ""), "verdict": cell.verdict,
                    "gaps": judged.counts()["gap"] if judged is not None else "—",
                    "worst": worst_text(cell, lang) if judged is not None else "",
                    "committee": (info.party_committee or "") if info is not None else ""})
    return out


async def rollup_page(request: Request) -> Response:
    site: Site = request.app.state.site
    batch = request.path_params["batch"]
    rollup = await run_in_threadpool(rollup_of, site, request, batch)
    lang = lang_of(request, site)
    return page(site, request, "rollup.html", batch=batch, rows=rows(site, rollup, lang),
                store_problem=site.store_problem)


async def history_page(request: Request) -> Response:
    """The history of the batch's committees from the store (`chibo history --committee`), with its charts."""
    site: Site = request.app.state.site
    batch = request.path_params["batch"]
    lang = lang_of(request, site)
    rollup = await run_in_threadpool(rollup_of, site, request, batch)
    committees = sorted({r["committee"] for r in rows(site, rollup, lang) if r["committee"]})
    body = await run_in_threadpool(history_html, site, committees, lang)
    if body is None:
        raise Refused(404, site.store_problem or w("history_none", lang))
    return chibo_page(site, request, body, "history_nav.html", batch=batch)


def history_html(site: Site, committees: list[str], lang: str) -> str | None:
    from ..report.formats.html import with_charts
    from ..report.output import to_html
    from ..store.db import StoreError
    from ..store.queries import committee_view
    from ..store.views import committee_charts, committee_document

    store = site.open_store()
    if store is None:
        return None
    pages = []
    for committee in committees:
        try:
            view = committee_view(store, committee)
        except StoreError:
            continue
        pages.append(with_charts(to_html(committee_document(view, lang, store.where)), committee_charts(view, lang)))
    if not pages:
        return None
    first, *rest = pages
    for more in rest:  # one page: each further committee's body after the first's
        body = more.split("<body>", 1)[1].rsplit("</body>", 1)[0]
        first = first.replace("</body>", body + "</body>", 1)
    return first


async def rollup_docx(request: Request) -> Response:
    """The committee's Word report: the roll-up as `chibo check FOLDER --format docx` writes it."""
    site: Site = request.app.state.site
    batch = request.path_params["batch"]
    lang = lang_of(request, site)
    rollup = await run_in_threadpool(rollup_of, site, request, batch)

    def word() -> bytes:
        from ..report import formats
        from ..report.jsonout import rollup_json
        from ..report.views import rollup_document

        out = io.BytesIO()
        formats.get("docx").write(formats.Source(lambda: rollup_document(rollup, lang),
                                                 lambda: rollup_json(rollup, lang)), out)
        return out.getvalue()

    data = await run_in_threadpool(word)
    guard.audit(request, "download", f"committee/{batch}/report.docx")
    return attachment(data, DOCX, f"chibo-{batch[:8]}-tong-hop.docx")


def routes() -> list[Any]:
    return [
        Route("/committee", committee_form),
        Route("/committee", hand_in_many, methods=["POST"]),
        Route("/committee/{batch}", rollup_page),
        Route("/committee/{batch}/history", history_page),
        Route("/committee/{batch}/download/report.docx", rollup_docx),
    ]
