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

EXIT_OK, EXIT_INPUT = 0, 2

HELP: dict[str, tuple[str, str]] = {
    "serve": ("Mở trang web của chibo trên máy này (mặc định http://127.0.0.1:8765) và mở trình duyệt: nộp sổ "
              "theo dõi của chi bộ, kiểm tra, rà soát quý, chuẩn bị sinh hoạt, dự thảo kế hoạch, tổng hợp nhiều chi "
              "bộ — không cần dòng lệnh.\n\nVí dụ: chibo serve · chibo serve --port 9000 --no-browser · "
              "chibo serve --add-user lan --role secretary --committee \"Đảng bộ xã A\" --cell \"Chi bộ B\"",
              "Open chibo's web page on this computer (by default http://127.0.0.1:8765) in the browser: hand in "
              "a cell's workbook, check it, audit a quarter, get ready for a meeting, draft a plan, roll up many "
              "cells — no command line needed.\n\nExamples: chibo serve · chibo serve --port 9000 --no-browser · "
              "chibo serve --add-user lan --role secretary --committee \"Party committee A\" --cell \"Cell B\""),
    "host": ("Địa chỉ lắng nghe (mặc định 127.0.0.1: chỉ máy này). Địa chỉ khác cần có tài khoản trước.",
             "The address to listen on (default 127.0.0.1: this computer only). Any other needs accounts first."),
    "port": ("Cổng (mặc định 8765).", "The port (default 8765)."),
    "no_browser": ("Không tự mở trình duyệt.", "Do not open the browser."),
    "store": ("Kho lưu trữ kết quả (tệp SQLite hoặc postgresql://…; mặc định như `chibo check --save`).",
              "The store of results (an SQLite file or postgresql://…; default as `chibo check --save`)."),
    "data": ("Thư mục dữ liệu của trang (sổ đã nộp, tài khoản, nhật ký); mặc định thư mục dữ liệu của chibo.",
             "The page's data folder (handed-in files, accounts, the audit log); default chibo's data folder."),
    "https": ("Đặt sau một proxy TLS (cookie chỉ gửi qua HTTPS).", "Served behind a TLS proxy (Secure cookies)."),
    "add_user": ("Thêm tài khoản TÊN (hỏi mật khẩu hai lần, hoặc đọc CHIBO_PASSWORD) rồi thoát.",
                 "Add the account NAME (the password asked twice, or read from CHIBO_PASSWORD), then exit."),
    "role": ("Vai trò của tài khoản mới: secretary, committee hoặc admin.",
             "The new account's role: secretary, committee or admin."),
    "committee": ("Đảng bộ của tài khoản (committee, secretary).", "The account's committee (committee, secretary)."),
    "cell": ("Chi bộ của tài khoản bí thư (secretary).", "A secretary account's cell."),
    "lang": ("Ngôn ngữ mặc định của trang và của thông báo: vi hoặc en.",
             "The page's and the messages' default language: vi or en."),
}


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
    from .web.accounts import Accounts, Role
    from .web.messages import w

    if role is None:
        _say(w("role_needed", lang), stderr=True)
        raise typer.Exit(EXIT_INPUT)
    password = _password(name, lang)
    data.mkdir(parents=True, exist_ok=True)
    try:
        Accounts(data / "accounts.sqlite3").add(name, password, Role(role.value), committee, cell)
    except NotImplementedError:  # guard.py's branch fills accounts in
        _say(w("accounts_unavailable", lang), stderr=True)
        raise typer.Exit(EXIT_INPUT) from None
    _say(w("user_added", lang, name=name, role=role.value))


def serve(
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
    from .web.accounts import Accounts
    from .web.messages import w

    language = lang.value
    folder = data or Path(os.environ.get("CHIBO_DATA_DIR") or data_folder())
    if add_user is not None:
        _add_user(folder, add_user, role, committee, cell, language)
        raise typer.Exit(EXIT_OK)
    if not is_loopback(host) and not Accounts(folder / "accounts.sqlite3").exists():
        _say(w("host_refused", language, host=host), stderr=True)
        raise typer.Exit(EXIT_INPUT)
    _run(host, port, not no_browser, folder, store, https, language)


def session_secret(folder: Path) -> str:
    """The key that signs session cookies, made once and kept in the data folder (readable by its owner only),
    so a restart does not log everyone out."""
    import secrets

    path = folder / "session.key"
    try:
        return path.read_text("ascii").strip()
    except OSError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another chibo serve made it just now
        return path.read_text("ascii").strip()
    with os.fdopen(handle, "w", encoding="ascii") as stream:
        stream.write(key)
    return key


def _run(host: str, port: int, browser: bool, folder: Path, store: str | None, https: bool, lang: str) -> None:
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
    app = create_app(ServeSettings(data=folder, store=store, secret=session_secret(folder), https=https, lang=lang))
    config = uvicorn.Config(app, log_level="warning", proxy_headers=https, forwarded_allow_ips="127.0.0.1")
    server = uvicorn.Server(config)
    _say(w("serving", lang, url=url))
    if browser:
        webbrowser.open(url)
    server.run(sockets=[sock])
