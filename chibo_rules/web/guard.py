"""Sessions, CSRF and who is logged in (issue 23 item 2).

INTERFACE STUB: app.py calls `install` once, puts `csrf_token(request)` into every form as the hidden field
`csrf` (or the header `X-CSRF-Token` for scripts), and asks `current_account(request)` who is asking.
"""

from __future__ import annotations

import secrets

from starlette.applications import Starlette
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request

from .accounts import Account

CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"


def install(app: Starlette, secret: str, https: bool = False) -> None:
    """Signed session cookies (HttpOnly, SameSite=Lax, Secure when served behind TLS) and the CSRF check on
    every POST (the real check is guard's job; the stub only keeps the session)."""
    app.add_middleware(SessionMiddleware, secret_key=secret, same_site="lax", https_only=https)


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return str(token)


def current_account(request: Request) -> Account | None:
    """The logged-in account; None when the page is local and has no accounts (the single local user)."""
    return None
