"""Plan drafting pages: the plan document -> the draft's review table -> apply -> the plan's workbook.

The same steps as `chibo plan draft` and `chibo plan apply` (draft/): the draft's review workbook (review.xlsx)
is the state between the pages — the table shows its rows, the decisions typed on the page are written into a
copy of it, and draft.review.read_review reads that copy, so the page and the command line accept, change and
refuse the same things with the same problems. An applied plan goes to <data>/plans/<id>/, a folder the page's
plan search looks in: a workbook of that plan handed in later is judged by it.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..errors import InputError, Problem
from ..report.problems import problem_text
from . import guard, uploads
from .messages import w
from .pages import DIGEST, XLSX, Refused, Site, attachment, lang_of, page, read_upload

PLAN_DOCUMENTS = {".docx", ".txt", ".pdf"}
DECISION_WORDS = {"accept": 0, "change": 1, "reject": 2}  # positions in draft.messages' "choices"


def draft_folder(site: Site, digest: str) -> Path:
    return site.meta / "plans" / digest


def problem_rows(problems: list[Problem], lang: str) -> list[dict[str, str]]:
    from ..draft.messages import MESSAGES, m

    return [{"file": Path(p.file).name, "sheet": p.sheet or "", "line": "" if p.line is None else str(p.line),
             "cell": p.cell or "", "field": p.field or "", "value": p.value or "",
             "problem": m(p.code, lang, detail=p.detail) if p.code in MESSAGES else problem_text(p, lang)}
            for p in problems]


async def plan_form(request: Request) -> Response:
    site: Site = request.app.state.site
    return page(site, request, "plan.html", problems=[])


async def hand_in_plan(request: Request) -> Response:
    site: Site = request.app.state.site
    lang = lang_of(request, site)
    files = await read_upload(request, "plan")
    if not files:
        raise Refused(400, w("no_file", lang))
    upload = files[0]
    data = await uploads.read_limited(upload, site.settings.limits)
    kept = await run_in_threadpool(site.keep, data, upload.filename or "", PLAN_DOCUMENTS)
    problems = await run_in_threadpool(draft, site, kept, lang)
    if problems:
        return page(site, request, "plan.html", status=400, problems=problem_rows(problems, lang))
    guard.audit(request, "plan_draft", kept.digest)
    return RedirectResponse(f"/plan/{kept.digest}", status_code=303)


def draft(site: Site, kept: uploads.Kept, lang: str) -> list[Problem]:
    """`chibo plan draft`: the review workbook of the plan document, in the page's language; its problems."""
    from ..draft.propose import draft_plan, load_lexicon, rule_text, slug
    from ..draft.reading import read_plan
    from ..draft.review import review_workbook

    folder = draft_folder(site, kept.digest)
    if (folder / "review.xlsx").is_file():
        return []
    lexicon = load_lexicon()
    try:
        text = read_plan(kept.path, lexicon)
    except InputError as err:
        return [shown(p, kept) for p in err.problems]
    result = draft_plan(text, slug(Path(kept.shown_name).stem) or "draft", lexicon)
    if not result.proposals:
        return [Problem(kept.shown_name, None, None, "draft_no_targets", "")]
    texts = {p.id: rule_text(p) for p in result.proposals}
    book = review_workbook(result, lang, texts, kept.shown_name)
    folder.mkdir(parents=True, exist_ok=True)
    site.write_meta(f"plans/{kept.digest}", "source", {"name": kept.shown_name, "lang": lang})
    from .. import writing

    writing.write(folder / "review.xlsx", lambda stream: stream.write(book), "workbook", [], force=True)
    return []


def shown(p: Problem, kept: uploads.Kept) -> Problem:
    """A problem naming the kept file by the name it was handed in under."""
    from dataclasses import replace

    return replace(p, file=kept.shown_name) if Path(p.file).name == kept.path.name else p


def review_rows(folder: Path) -> tuple[str, list[dict[str, Any]], dict[str, list[str]]]:
    """The review workbook's language, rows (as the table shows them) and the choices of its columns."""
    from openpyxl import load_workbook

    from ..draft.messages import m
    from ..draft.review import EACH, NAMED_DATES, OPS, SHEET, known_fields

    book = load_workbook(folder / "review.xlsx", read_only=True)
    lang = "en" if SHEET["en"] in book.sheetnames else "vi"
    rows = []
    for row in book[SHEET[lang]].iter_rows(min_row=3, values_only=True):
        if not row or not row[0]:
            continue
        values = ["" if v is None else str(v) for v in row]
        rows.append({"id": values[0], "decision": "", "section": values[1], "clause": values[3], "title": values[4],
                     "target": values[7], "due": values[8], "confidence": values[9], "direction": values[13],
                     "kind": values[14]})
    book.close()
    kinds = sorted(known_fields({}))
    choices = {"direction": [m(f"op_{o}", lang) for o in OPS],
               "due": [m(f"due_{d}", lang) for d in ("continuous", *NAMED_DATES, *EACH)], "kind": kinds}
    return lang, rows, choices


async def review_page(request: Request) -> Response:
    site: Site = request.app.state.site
    digest = request.path_params["digest"]
    folder = draft_folder(site, digest)
    if not DIGEST.match(digest) or not (folder / "review.xlsx").is_file():
        raise Refused(404, w("not_found", lang_of(request, site)))
    sheet_lang, rows, choices = await run_in_threadpool(review_rows, folder)
    source = site.read_meta(f"plans/{digest}", "source") or {}
    return page(site, request, "review.html", digest=digest, rows=rows, choices=choices, sheet_lang=sheet_lang,
                source=source.get("name", ""), problems=[])


async def apply_page(request: Request) -> Response:
    """The decisions typed on the page, written into a copy of the review workbook, applied as `plan apply`."""
    site: Site = request.app.state.site
    digest = request.path_params["digest"]
    lang = lang_of(request, site)
    folder = draft_folder(site, digest)
    if not DIGEST.match(digest) or not (folder / "review.xlsx").is_file():
        raise Refused(404, w("not_found", lang))
    form = await request.form()
    decisions = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    outcome = await run_in_threadpool(apply, site, folder, decisions, lang)
    if isinstance(outcome, list):
        sheet_lang, rows, choices = await run_in_threadpool(review_rows, folder)
        for row in rows:  # what was typed stays on the page: nothing the user entered is lost
            for name in ("decision", "target", "direction", "due", "kind"):
                typed = decisions.get(f"{name}_{row['id']}")
                if typed is not None:
                    row[name] = typed
        return page(site, request, "review.html", status=400, digest=digest, rows=rows, choices=choices,
                    sheet_lang=sheet_lang, source="", problems=problem_rows(outcome, lang))
    guard.audit(request, "plan_apply", f"{digest}/{outcome}")
    return RedirectResponse(f"/plan/{digest}/applied/{outcome}", status_code=303)


def decided_workbook(folder: Path, decisions: dict[str, str]) -> bytes:
    """review.xlsx with the page's decisions and edits in its decision, target, direction, due and kind columns
    (a row accepted with a changed target is a "change", as the sheet says it)."""
    from openpyxl import load_workbook

    from ..draft.messages import m
    from ..draft.review import SHEET

    book = load_workbook(folder / "review.xlsx")
    lang = "en" if SHEET["en"] in book.sheetnames else "vi"
    sheet = book[SHEET[lang]]
    words = m("choices", lang).split(",")
    for number in range(3, sheet.max_row + 1):
        rule_id = sheet[f"A{number}"].value
        if not rule_id:
            continue
        choice = decisions.get(f"decision_{rule_id}", "") or ("accept" if decisions.get("accept_rest") else "")
        target = decisions.get(f"target_{rule_id}", "").strip()
        original = "" if sheet[f"H{number}"].value is None else str(sheet[f"H{number}"].value)
        if choice == "accept" and target and target != original:
            choice = "change"
        if choice in DECISION_WORDS:
            sheet[f"L{number}"] = words[DECISION_WORDS[choice]]
        if target and target != original:
            sheet[f"H{number}"] = target
        for name, column in (("direction", "N"), ("due", "I"), ("kind", "O")):
            typed = decisions.get(f"{name}_{rule_id}")
            if typed is not None and typed.strip():
                sheet[f"{column}{number}"] = typed.strip()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def apply(site: Site, folder: Path, decisions: dict[str, str], lang: str) -> str | list[Problem]:
    """The plan's id once written to <data>/plans/<id>/ (and loaded back), or the problems that stop it."""
    from .. import writing
    from ..draft.apply import built_tests, plan_files
    from ..draft.propose import slug
    from ..draft.review import read_review
    from ..ruleset.rulespec import load_rules

    book = decided_workbook(folder, decisions)
    decided_path = folder / "review-decided.xlsx"
    writing.write(decided_path, lambda stream: stream.write(book), "workbook", [], force=True)
    try:
        decided = read_review(decided_path)
    except InputError as err:
        return [replace_file(p, "review.xlsx") for p in err.problems]
    if not decided.accepted:
        left = len(decided.rejected) + len(decided.undecided)
        return [Problem("review.xlsx", None, None, "draft_nothing_accepted", str(left))]
    source = site.read_meta(f"plans/{folder.name}", "source") or {}
    plan_id = f"{slug(Path(str(source.get('name', 'ke-hoach'))).stem)}-{hashlib.sha256(book).hexdigest()[:6]}"
    out = site.settings.data / "plans" / plan_id
    made = plan_files(decided, out, plan_id)  # the same folder as `chibo plan apply` writes, its tests too
    _write(made.files)
    try:
        ruleset = load_rules(out)
    except InputError as err:
        return list(err.problems)
    _write(built_tests(made, ruleset.schema.kinds))
    site.write_meta(f"plans/{folder.name}", plan_id, {"accepted": len(decided.accepted),
                                                       "rejected": len(decided.rejected),
                                                       "undecided": len(decided.undecided)})
    return plan_id


def _write(files: dict[Path, bytes]) -> None:
    """Each file of an applied plan folder, whole or not at all (the folder is the page's own, new)."""
    from .. import writing

    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        writing.write(path, _writer(data), "draft", [], force=True)


def _writer(data: bytes) -> Any:
    return lambda stream: stream.write(data)


def replace_file(p: Problem, name: str) -> Problem:
    from dataclasses import replace

    return replace(p, file=name)


def plan_folder(site: Site, plan_id: str) -> Path | None:
    folder = site.settings.data / "plans" / plan_id
    ok = plan_id.replace("-", "").isalnum() and (folder / "plan.yaml").is_file()
    return folder if ok else None


async def applied_page(request: Request) -> Response:
    site: Site = request.app.state.site
    digest, plan_id = request.path_params["digest"], request.path_params["plan"]
    meta = site.read_meta(f"plans/{digest}", plan_id) if DIGEST.match(digest) else None
    if meta is None or plan_folder(site, plan_id) is None:
        raise Refused(404, w("not_found", lang_of(request, site)))
    return page(site, request, "applied.html", digest=digest, plan_id=plan_id, meta=meta)


async def plan_workbook(request: Request) -> Response:
    """The applied plan's blank workbook (`chibo template --plan ID`)."""
    site: Site = request.app.state.site
    digest, plan_id = request.path_params["digest"], request.path_params["plan"]
    folder = plan_folder(site, plan_id)
    if not DIGEST.match(digest) or site.read_meta(f"plans/{digest}", plan_id) is None or folder is None:
        raise Refused(404, w("not_found", lang_of(request, site)))
    from .work import workbook

    plan = await run_in_threadpool(site.plans.load, folder)
    data = await run_in_threadpool(workbook, plan, None)
    guard.audit(request, "download", f"plan/{plan_id}.xlsx")
    return attachment(data, XLSX, f"{plan_id}.xlsx")


def routes() -> list[Any]:
    return [
        Route("/plan", plan_form),
        Route("/plan", hand_in_plan, methods=["POST"]),
        Route("/plan/{digest}", review_page),
        Route("/plan/{digest}/apply", apply_page, methods=["POST"]),
        Route("/plan/{digest}/applied/{plan}", applied_page),
        Route("/plan/{digest}/{plan}/workbook.xlsx", plan_workbook),
    ]
