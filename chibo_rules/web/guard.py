"""Sessions, CSRF and who is logged in (issue 23 item 2).

app.py calls `install` once, mounts `routes()` (GET/POST /login, POST /logout), puts `csrf_token(request)` into every
form as the hidden field `csrf` (or the header `X-CSRF-Token` for scripts), asks `current_account(request)` who is
asking and records hand-ins and downloads with `audit(request, action, target)`.

Three middlewares, outermost first:
- the session: a signed cookie (itsdangerous via Starlette's SessionMiddleware: HttpOnly, SameSite=Lax, Secure when
  served behind TLS, 8 hours from login); rotating the secret (`rotate_secret`) ends every session.
- the CSRF check: every POST, PUT, PATCH and DELETE carries the session's token, compared in constant time, else
  403 and a page saying why in the user's language. The token is read from the header, or from the body's FIRST
  field(s) while the body streams in: a urlencoded form is read until its `csrf` pair (at most FORM_LIMIT bytes),
  a multipart form until its `csrf` part — which must come before any file (every form puts the hidden field
  first) — and the bytes read are handed on to the page untouched, so an upload is never held in memory twice and
  a form without the token is refused before its files are read.
- the login check: once any account exists, every page but /login and /static/ answers 303 to /login until the
  session belongs to an account that still exists with the same password (re-read from the accounts file on each
  request, so removing an account or changing its password logs its sessions out). With no account the page is
  the single local user's (bound to 127.0.0.1) and `current_account` is None.
"""

from __future__ import annotations

import hmac
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import jinja2
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..words import Area, say
from .accounts import Account, AccountError, Accounts, AuditLog, TooManyAttempts, default_path

CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
SESSION_COOKIE = "chibo_session"
SESSION_MAX_AGE = 8 * 60 * 60  # seconds: a working day; the cookie is signed when the session changes (login)
SECRET_FILE = "secret"
FORM_LIMIT = 1024 * 1024  # bytes of a form body read while looking for the token before it is refused
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_PATHS = frozenset({"/login"})
PUBLIC_PREFIXES = ("/static/",)
TEMPLATES = Path(__file__).resolve().parent / "templates"

# app.py's page maker: (request, template name, status, **values) → the page
PageMaker = Callable[..., Response]

WORDS = Area("login")  # chibo_rules/words/login.yaml, {key: (vi, en)}


def word(key: str, lang: str) -> str:
    return say(f"login.{key}", lang)


@dataclass
class Guard:
    """What the middlewares and the login routes share: the accounts file, its audit log, the page's defaults."""

    accounts: Accounts
    audit_log: AuditLog
    https: bool = False
    lang: str = "vi"
    page: PageMaker | None = None


class LoginRequired(HTTPException):
    """Raised by current_account when accounts exist and nobody (or a removed account) is logged in: a 303 to the
    login page, so a route that forgot the login check still shows nothing (fail closed)."""

    def __init__(self, location: str) -> None:
        super().__init__(303, "login required", headers={"Location": location})


# --- the secret -------------------------------------------------------------------------------------------------

def load_secret(folder: Path) -> str:
    """The page's signing key: `<folder>/secret`, generated once (0600) when missing, read ever after."""
    path = folder / SECRET_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 32:
            return text
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        raise AccountError("secret_unwritable", path=str(path), detail=str(exc)) from None
    return _write_secret(path, replace=path.exists())


def rotate_secret(folder: Path) -> str:
    """A new signing key in `<folder>/secret`: every session signed with the old one is over (everyone logs in
    again). Takes effect when the page next starts."""
    return _write_secret(folder / SECRET_FILE, replace=True)


def _write_secret(path: Path, replace: bool) -> str:
    """Written whole under a temporary name (mkstemp makes it 0600) and linked into place: two pages starting at
    once agree on one secret (the second reads the first's); `replace` overwrites instead."""
    secret = secrets.token_urlsafe(48)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secret + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            if replace:
                os.replace(tmp, path)
            else:
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    return path.read_text(encoding="ascii").strip()
                except OSError:  # no hard links here (FAT): a rename, unless another start made one meanwhile
                    if path.exists():
                        return path.read_text(encoding="ascii").strip()
                    os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise AccountError("secret_unwritable", path=str(path), detail=exc.strerror or str(exc)) from None
    return secret


# --- installing -------------------------------------------------------------------------------------------------

def install(app: Starlette, secret: str | None, https: bool = False, accounts: Accounts | None = None,
            lang: str = "vi", page: PageMaker | None = None) -> Guard:
    """Signed session cookies (HttpOnly, SameSite=Lax, Secure when served behind TLS, 8 h), the CSRF check on
    every POST/PUT/PATCH/DELETE and the login check. `secret` None or empty: the data folder's own (load_secret,
    beside the accounts file). `accounts`: by default `accounts.sqlite` in app.state.settings.data (app.py's
    ServeSettings), else in $CHIBO_DATA_DIR or chibo's data folder. `page(request, template,
    status, **values)`: app.py's page maker, so the login and refusal pages wear the site's base.html."""
    if accounts is None:  # the data folder of app.py's ServeSettings when it set them, else the default one
        accounts = Accounts(default_path(getattr(getattr(app.state, "settings", None), "data", None)))
    guard = Guard(accounts, AuditLog(accounts.path), https, lang, page)
    app.state.guard = guard
    app.add_middleware(RequireLogin, guard=guard)  # added last = outermost: session, then CSRF, then login
    app.add_middleware(CsrfCheck, guard=guard)
    app.add_middleware(SessionMiddleware, secret_key=secret or load_secret(accounts.path.parent),
                       session_cookie=SESSION_COOKIE, max_age=SESSION_MAX_AGE, same_site="lax", https_only=https)
    return guard


def routes() -> list[Route]:
    """GET /login, POST /login, POST /logout, for app.py to mount."""
    return [Route("/login", login_page, methods=["GET"]), Route("/login", login, methods=["POST"]),
            Route("/logout", logout, methods=["POST"])]


def _guard(scope: Scope) -> Guard | None:
    found = scope.get("chibo_guard")
    if found is None and scope.get("app") is not None:
        found = getattr(scope["app"].state, "guard", None)
    return found


def request_lang(request: Request) -> str:
    """The page's language: ?lang=en|vi, else the one chosen earlier (app.py's `lang` cookie, or the session),
    else the page's default (Vietnamese)."""
    asked = request.query_params.get("lang")
    if asked in ("vi", "en"):
        return asked
    chosen = request.cookies.get("lang") or request.scope.get("session", {}).get("lang")
    if chosen in ("vi", "en"):
        return str(chosen)
    guard = _guard(request.scope)
    return guard.lang if guard else "vi"


# --- who is asking ----------------------------------------------------------------------------------------------

def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return str(token)


def _session_account(guard: Guard, session: dict) -> Account | None:
    return guard.accounts.current(str(session.get("account") or ""), str(session.get("stamp") or ""))


def _login_location(scope: Scope) -> str:
    wanted = scope.get("path", "/")
    if scope.get("query_string"):
        wanted += "?" + scope["query_string"].decode("latin-1")
    root = scope.get("root_path", "")
    return f"{root}/login" + (f"?{urlencode({'next': wanted})}" if wanted != "/" else "")


def current_account(request: Request) -> Account | None:
    """The logged-in account, re-read from the accounts file; None when the page is local and has no accounts
    (the single local user). When accounts exist and the session has none (or a removed one): LoginRequired."""
    guard = _guard(request.scope)
    if guard is None:
        return None
    state = request.scope.setdefault("state", {})
    if "chibo_account" in state:  # RequireLogin looked already on this request
        return state["chibo_account"]
    account = None
    if guard.accounts.exists():
        account = _session_account(guard, request.session)
        if account is None:
            request.session.pop("account", None)
            raise LoginRequired(_login_location(request.scope))
    state["chibo_account"] = account
    return account


def audit(request: Request, action: str, target: str) -> None:
    """Append one row to the audit log: who (the session's account; "" for the local user), what, on which cell or
    file, from which client. app.py records hand-ins and downloads with it."""
    guard = _guard(request.scope)
    if guard is None:
        return
    who = str(request.scope.get("session", {}).get("account") or "")
    guard.audit_log.record(who, action, target, _client(request))


def _client(request: Request) -> str:
    # behind a reverse proxy uvicorn puts X-Forwarded-For here (proxy_headers, trusted from 127.0.0.1 by default)
    return request.client.host if request.client else ""


# --- the middlewares --------------------------------------------------------------------------------------------

def _public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class RequireLogin:
    """Once an account exists, every page but /login and /static/ is for logged-in accounts only: 303 to /login."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope["chibo_guard"] = self.guard
        if not _public(scope["path"]):
            try:
                shared = await run_in_threadpool(self.guard.accounts.exists)
                account = await run_in_threadpool(_session_account, self.guard, scope["session"]) if shared else None
            except AccountError as exc:  # a damaged or unreadable accounts file: said, and nobody gets in
                await _unavailable(scope, receive, send, exc)
                return
            if shared and account is None:
                scope["session"].pop("account", None)
                await RedirectResponse(_login_location(scope), 303)(scope, receive, send)
                return
            if account is not None:
                scope.setdefault("state", {})["chibo_account"] = account
        await self.app(scope, receive, send)


class CsrfCheck:
    """Every state-changing request carries the session's CSRF token (header, or the form's first field(s))."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        scope["chibo_guard"] = self.guard
        headers = Headers(scope=scope)
        given, read = headers.get(CSRF_HEADER), list[Message]()
        if not given:
            given, read = await _token_in_body(headers.get("content-type", ""), receive)
        expected = str(scope["session"].get(CSRF_FIELD) or "")
        if not (expected and given and hmac.compare_digest(given.encode(), expected.encode())):
            await _refused(scope, receive, send)
            return
        await self.app(scope, _replay(read, receive), send)


def _replay(read: list[Message], receive: Receive) -> Receive:
    """`receive` that hands the page the messages already read, then the rest of the body."""
    pending = list(read)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


async def _token_in_body(content_type: str, receive: Receive) -> tuple[str | None, list[Message]]:
    """The token from the body's first fields, and every message read to find it (to be replayed)."""
    kind, params = parse_options_header(content_type)
    if kind == b"application/x-www-form-urlencoded":
        finder: _Finder = _UrlencodedFinder()
    elif kind == b"multipart/form-data" and params.get(b"boundary"):
        finder = _MultipartFinder(params[b"boundary"])
    else:
        return None, []
    read: list[Message] = []
    size = 0
    while True:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request":
            return None, read
        chunk = message.get("body", b"")
        size += len(chunk)
        found = finder.feed(chunk, more=bool(message.get("more_body")))
        if found is not None or finder.done or not message.get("more_body") or size > FORM_LIMIT:
            return found, read


class _Finder:
    done = False

    def feed(self, chunk: bytes, more: bool) -> str | None:
        raise NotImplementedError


class _UrlencodedFinder(_Finder):
    """`csrf=…` among the complete `&`-separated pairs read so far."""

    def __init__(self) -> None:
        self.buffer = b""

    def feed(self, chunk: bytes, more: bool) -> str | None:
        self.buffer += chunk
        complete = self.buffer if not more else self.buffer.rpartition(b"&")[0]
        for key, value in parse_qsl(complete.decode("latin-1"), keep_blank_values=True):
            if key == CSRF_FIELD:
                return value
        return None


class _MultipartFinder(_Finder):
    """The `csrf` part of a multipart body, streamed: done (not found) at the first file part or a broken body."""

    def __init__(self, boundary: bytes) -> None:
        self.header_field, self.header_value = b"", b""
        self.headers: dict[bytes, bytes] = {}
        self.in_token, self.value = False, b""
        self.found: str | None = None
        callbacks: Any = {
            "on_part_begin": self._part_begin, "on_header_field": self._header_field,
            "on_header_value": self._header_value, "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished, "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }
        self.parser = MultipartParser(boundary, callbacks)

    def feed(self, chunk: bytes, more: bool) -> str | None:
        try:
            self.parser.write(chunk)
        except Exception:  # noqa: BLE001 - any broken body: no token found, the form is refused
            self.done = True
        return self.found

    def _part_begin(self) -> None:
        self.headers, self.in_token, self.value = {}, False, b""

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def _header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field, self.header_value = b"", b""

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self.headers.get(b"content-disposition", b""))
        if b"filename" in params and self.found is None:
            self.done = True  # a file before the token: refused without reading it (nor anything after it)
        self.in_token = not self.done and params.get(b"name") == CSRF_FIELD.encode()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self.in_token and len(self.value) < 1024:
            self.value += data[start:end]

    def _part_end(self) -> None:
        if self.in_token and self.found is None and not self.done:
            self.found = self.value.decode("latin-1").strip()
            self.done = True


async def _refused(scope: Scope, receive: Receive, send: Send) -> None:
    request = Request(scope, receive)
    lang = request_lang(request)
    response = _page(request, "refused.html", 403, lang, title=word("csrf_title", lang),
                     body=word("csrf_body", lang), back=word("back", lang), home=scope.get("root_path", "") + "/")
    await response(scope, receive, send)


async def _unavailable(scope: Scope, receive: Receive, send: Send, exc: AccountError) -> None:
    request = Request(scope, receive)
    lang = request_lang(request)
    response = _page(request, "refused.html", 503, lang, title=word("unavailable_title", lang),
                     body=exc.words(lang), back=word("back", lang), home=scope.get("root_path", "") + "/")
    await response(scope, receive, send)


# --- the pages --------------------------------------------------------------------------------------------------

_OWN = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)


def _page(request: Request, template: str, status: int, lang: str, **values: Any) -> Response:
    """guard's pages (login.html, refused.html; both extend base.html) through app.py's own page maker when install()
    was given one (it adds what base.html needs: its words, the language switch, the CSRF token), else rendered
    here with the same names: lang, csrf, csrf_field, switch."""
    guard = _guard(request.scope)
    if guard is not None and guard.page is not None:
        return guard.page(request, template, status, **values)
    html = _OWN.get_template(template).render(
        lang=lang, csrf=csrf_token(request), csrf_field=CSRF_FIELD, w=lambda key, **_: WORDS.get(key, ("", ""))[0],
        switch=f"?{urlencode({**request.query_params, 'lang': 'vi' if lang == 'en' else 'en'})}", **values)
    return HTMLResponse(html, status_code=status)


def _safe_next(value: str | None) -> str:
    """Where to go after logging in: a path on this page only (never //elsewhere or a full address)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    return value


def _login_response(request: Request, lang: str, error: str = "", name: str = "", status: int = 200) -> Response:
    next_path = _safe_next(request.query_params.get("next"))
    action = request.scope.get("root_path", "") + "/login"
    if next_path != "/":
        action += f"?{urlencode({'next': next_path})}"
    return _page(request, "login.html", status, lang, error=error, name=name, action=action,
                 t={key: word(key, lang) for key in WORDS})


async def login_page(request: Request) -> Response:
    guard = _guard(request.scope)
    if guard is None or not await run_in_threadpool(guard.accounts.exists):
        return RedirectResponse(request.scope.get("root_path", "") + "/", 303)  # the local single user: no login
    lang = request_lang(request)
    if request.query_params.get("lang") in ("vi", "en"):
        request.session["lang"] = lang
    return _login_response(request, lang)


async def login(request: Request) -> Response:
    """Check the name and password (rate-limited); on success a new session (a new CSRF token) and an audit row."""
    guard = _guard(request.scope)
    lang = request_lang(request)
    if guard is None:
        return RedirectResponse("/", 303)
    form = await request.form()
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    client = _client(request)
    try:
        account = await run_in_threadpool(guard.accounts.verify, name, password, client)
    except TooManyAttempts as refused:
        await run_in_threadpool(guard.audit_log.record, "", "login_refused", name, client)
        return _login_response(request, lang, refused.words(lang), name, status=429)
    if account is None:
        await run_in_threadpool(guard.audit_log.record, "", "login_failed", name, client)
        return _login_response(request, lang, word("wrong", lang), name, status=401)
    stamp = await run_in_threadpool(guard.accounts.stamp, account.name)
    request.session.clear()
    request.session.update({"account": account.name, "stamp": stamp, CSRF_FIELD: secrets.token_urlsafe(32),
                            "lang": lang})
    await run_in_threadpool(guard.audit_log.record, account.name, "login", account.name, client)
    target = request.scope.get("root_path", "") + _safe_next(request.query_params.get("next"))
    return RedirectResponse(target, 303)


async def logout(request: Request) -> Response:
    guard = _guard(request.scope)
    who = str(request.session.get("account") or "")
    if guard is not None and who:
        await run_in_threadpool(guard.audit_log.record, who, "logout", who, _client(request))
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    return RedirectResponse(request.scope.get("root_path", "") + "/login", 303)

