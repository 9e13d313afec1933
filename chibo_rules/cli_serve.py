"""`chibo serve`: the web page for secretaries and committees (issue 23).

Starts uvicorn on web.app.create_app and opens the browser. Bound to 127.0.0.1 by default; another --host is
refused (exit 2, a sentence saying how to add an account) until accounts exist. `--add-user NAME --role …` adds
one (the password read twice with a hidden prompt, or from $CHIBO_PASSWORD for scripts) and exits.
"""

from __future__ import annotations

import ipaddress
import os
import webbrowser
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from .clihelp import LANG, Lang
from .words import Area

EXIT_OK, EXIT_INPUT = 0, 2

HELP = Area("serve_help")  # chibo_rules/words/serve_help.yaml, {key: (vi, en)}


def hw(key: str) -> str:
    vi, en = HELP[key]
    return en if LANG == "en" else vi


class RoleName(str, Enum):
    secretary = "secretary"
    committee = "committee"
    admin = "admin"


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _say(text: str, stderr: bool = False) -> None:
    Console(stderr=stderr, highlight=False, soft_wrap=True).print(escape(text))


def is_loopback(host: str) -> bool:
    """127.0.0.1, ::1, localhost: only this computer can reach the page."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _password(name: str, lang: str) -> str:
    """$CHIBO_PASSWORD for scripts, else asked twice without echo; never empty."""
    from .web.messages import w

    given = os.environ.get("CHIBO_PASSWORD")
    if given is None:
        first = typer.prompt(w("password", lang, name=name), hide_input=True, err=True)
        again = typer.prompt(w("password_again", lang), hide_input=True, err=True)
        if first != again:
            _say(w("password_mismatch", lang), stderr=True)
            raise typer.Exit(EXIT_INPUT)
        given = first
    if not given:
        _say(w("password_empty", lang), stderr=True)
        raise typer.Exit(EXIT_INPUT)
    return given


def _add_user(data: Path, name: str, role: RoleName | None, committee: str, cell: str, lang: str) -> None:
    from .web.accounts import AccountError, Accounts, Role, default_path
    from .web.messages import w

    if role is None:
        _say(w("role_needed", lang), stderr=True)
        raise typer.Exit(EXIT_INPUT)
    password = _password(name, lang)
    data.mkdir(parents=True, exist_ok=True)
    try:
        Accounts(default_path(data)).add(name, password, Role(role.value), committee, cell)
    except AccountError as exc:  # a weak password, a name taken, a secretary without a cell…
        _say(exc.words(lang), stderr=True)
        raise typer.Exit(EXIT_INPUT) from None
    _say(w("user_added", lang, name=name, role=role.value))


def serve(
    *,
    host: str = typer.Option("127.0.0.1", "--host", help=hw("host")),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help=hw("port")),
    no_browser: bool = typer.Option(False, "--no-browser", help=hw("no_browser")),
    store: str | None = typer.Option(None, "--store", help=hw("store")),
    data: Path | None = typer.Option(None, "--data", help=hw("data")),
    https: bool = typer.Option(False, "--https", help=hw("https")),
    add_user: str | None = typer.Option(None, "--add-user", metavar="NAME", help=hw("add_user")),
    role: RoleName | None = typer.Option(None, "--role", help=hw("role")),
    committee: str = typer.Option("", "--committee", help=hw("committee")),
    cell: str = typer.Option("", "--cell", help=hw("cell")),
    lang: Lang = typer.Option(Lang.vi, "--lang", help=hw("lang")),
) -> None:
    from .userdirs import data_folder
    from .web.accounts import Accounts, default_path
    from .web.messages import w

    language = lang.value
    folder = data or Path(os.environ.get("CHIBO_DATA_DIR") or data_folder())
    if add_user is not None:
        _add_user(folder, add_user, role, committee, cell, language)
        raise typer.Exit(EXIT_OK)
    if not is_loopback(host) and not Accounts(default_path(folder)).exists():
        _say(w("host_refused", language, host=host), stderr=True)
        raise typer.Exit(EXIT_INPUT)
    _run(host, port, browser=not no_browser, folder=folder, store=store, https=https, lang=language)


def _run(host: str, port: int, *, browser: bool, folder: Path, store: str | None, https: bool, lang: str) -> None:
    """uvicorn on the app, the browser opened once the socket listens; a port in use is a sentence, exit 2."""
    import socket

    import uvicorn

    from .web.app import ServeSettings, create_app
    from .web.messages import w

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        _say(w("port_busy", lang, host=host, port=port, reason=exc.strerror or str(exc)), stderr=True)
        raise typer.Exit(EXIT_INPUT) from None
    shown = host if family == socket.AF_INET else f"[{host}]"
    url = f"http://{shown}:{sock.getsockname()[1]}/"
    app = create_app(ServeSettings(data=folder, store=store, https=https, lang=lang))
    config = uvicorn.Config(app, log_level="warning", proxy_headers=https, forwarded_allow_ips="127.0.0.1")
    server = uvicorn.Server(config)
    _say(w("serving", lang, url=url))
    if browser:
        webbrowser.open(url)
    server.run(sockets=[sock])
