"""Accounts, roles, sessions, CSRF, the login rate limit and the audit log of `chibo serve` (issue 23 item 2).

The page under test is a small Starlette app built here with guard.install() + guard.routes() and fake cell routes
that follow the web contract (prompts/webcontract.md): every route that shows or acts on a cell asks
guard.current_account and accounts.may_see, and answers 404 when the account may not see the cell.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import sys

import pytest
from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from chibo_rules.web import accounts as accounts_module
from chibo_rules.web import guard
from chibo_rules.web.accounts import (
    Account,
    AccountError,
    Accounts,
    AuditLog,
    Role,
    TooManyAttempts,
    may_see,
)

COMMITTEE, OTHER_COMMITTEE = "Đảng bộ xã Vĩnh Bình Nam", "Đảng bộ xã Vĩnh Bình Bắc"
CELL_A, CELL_B, CELL_C = "a" * 64, "b" * 64, "c" * 64
CELLS = {  # digest → the handed-in cell's own committee and name
    CELL_A: (COMMITTEE, "Chi bộ trường THCS Vĩnh Bình Nam 1"),
    CELL_B: (COMMITTEE, "Chi bộ ấp Bình Hòa"),
    CELL_C: (OTHER_COMMITTEE, "Chi bộ ấp Bình Hòa"),  # the same cell name in another committee
}
MISSING = "d" * 64
PASSWORD = "mật khẩu đủ dài 2020"
FAST = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)  # argon2id still; the suite runs on 2 cores


class Watched(PasswordHasher):
    """A hasher that counts the hashes it checks."""

    verified = 0

    def verify(self, digest, password):
        self.verified += 1
        return super().verify(digest, password)


# --- the page under test ----------------------------------------------------------------------------------------

def _visible_cell(request: Request) -> tuple[str, str]:
    digest = request.path_params["digest"]
    if digest not in CELLS:
        raise HTTPException(404)
    committee, cell = CELLS[digest]
    if not may_see(guard.current_account(request), committee, cell):
        raise HTTPException(404)  # the same answer as a cell that does not exist
    return committee, cell


async def home(request: Request) -> Response:
    account = guard.current_account(request)
    return PlainTextResponse(account.name if account else "local")


async def plan_page(request: Request) -> Response:
    return PlainTextResponse("a page that asks nobody who is asking")


async def cell_page(request: Request) -> Response:
    _, cell = _visible_cell(request)
    return HTMLResponse(f'<h1>{cell}</h1><form method="post"><input type="hidden" name="csrf" '
                        f'value="{guard.csrf_token(request)}"></form>')


async def cell_form(request: Request) -> Response:
    _, cell = _visible_cell(request)
    guard.audit(request, "hand_in", request.path_params["digest"])
    return PlainTextResponse(f"handed in for {cell}")


async def cell_json(request: Request) -> Response:
    committee, cell = _visible_cell(request)
    guard.audit(request, "download", request.path_params["digest"])
    return JSONResponse({"committee": committee, "cell": cell, "job": request.query_params.get("job")})


async def hand_in(request: Request) -> Response:
    form = await request.form()
    upload = form["workbook"]
    data = await upload.read()  # type: ignore[union-attr]
    return PlainTextResponse(f"{len(data)} {hash(data)}")


def make_app(folder, https=False, secret="s" * 48, hasher=FAST):
    accounts = Accounts(folder / "accounts.sqlite", hasher=hasher)
    app = Starlette(routes=[
        Route("/", home), Route("/plan", plan_page), Route("/cell", hand_in, methods=["POST"]),
        Route("/cell/{digest}", cell_page),
        Route("/cell/{digest}", cell_form, methods=["POST"]), Route("/api/cell/{digest}/report", cell_json),
        *guard.routes(),
    ])
    guard.install(app, secret, https=https, accounts=accounts)
    return app, accounts


@pytest.fixture()
def page(tmp_path):
    """The page with two secretaries (cells A and B of one committee), a committee member, a member of another
    committee and an administrator."""
    app, accounts = make_app(tmp_path)
    accounts.add("bithu.a", PASSWORD, Role.SECRETARY, COMMITTEE, CELLS[CELL_A][1])
    accounts.add("bithu.b", PASSWORD, Role.SECRETARY, COMMITTEE, CELLS[CELL_B][1])
    accounts.add("danguy", PASSWORD, Role.COMMITTEE, COMMITTEE)
    accounts.add("danguy.bac", PASSWORD, Role.COMMITTEE, OTHER_COMMITTEE)
    accounts.add("quantri", PASSWORD, Role.ADMIN)
    return app, accounts


def token_of(response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', response.text)
    assert found, response.text
    return found.group(1)


def log_in(app, name, password=PASSWORD, base_url="http://testserver") -> TestClient:
    client = TestClient(app, base_url=base_url, follow_redirects=False)
    answer = client.post("/login", data={"csrf": token_of(client.get("/login")), "name": name,
                                         "password": password})
    assert answer.status_code == 303, answer.text
    return client


# --- who sees which cell ----------------------------------------------------------------------------------------

def _sees(client, digest) -> dict[str, int]:
    """What one account gets for one cell by link, by form and by the JSON the pages use."""
    login_page = client.get("/login")  # the local single user has no login page: the token is on the cell's
    token = token_of(login_page if login_page.status_code == 200 else client.get(f"/cell/{digest}"))
    return {"link": client.get(f"/cell/{digest}").status_code,
            "form": client.post(f"/cell/{digest}", data={"csrf": token}).status_code,
            "json": client.get(f"/api/cell/{digest}/report?job=check").status_code}


def test_two_secretaries_cannot_see_each_others_cell_by_link_form_or_json(page):
    app, _ = page
    a, b = log_in(app, "bithu.a"), log_in(app, "bithu.b")
    assert _sees(a, CELL_A) == {"link": 200, "form": 200, "json": 200}
    assert _sees(a, CELL_B) == {"link": 404, "form": 404, "json": 404}
    assert _sees(b, CELL_B) == {"link": 200, "form": 200, "json": 200}
    assert _sees(b, CELL_A) == {"link": 404, "form": 404, "json": 404}
    assert _sees(a, CELL_C) == {"link": 404, "form": 404, "json": 404}  # same cell name, other committee
    # a cell one may not see answers exactly as a cell that does not exist
    hidden, missing = a.get(f"/cell/{CELL_B}"), a.get(f"/cell/{MISSING}")
    assert (hidden.status_code, hidden.text) == (missing.status_code, missing.text)
    assert CELLS[CELL_B][1] not in a.get(f"/api/cell/{CELL_B}/report").text


def test_a_committee_member_sees_every_cell_of_their_committee_and_no_other(page):
    app, _ = page
    member, other = log_in(app, "danguy"), log_in(app, "danguy.bac")
    assert _sees(member, CELL_A) == _sees(member, CELL_B) == {"link": 200, "form": 200, "json": 200}
    assert _sees(member, CELL_C) == {"link": 404, "form": 404, "json": 404}
    assert _sees(other, CELL_C) == {"link": 200, "form": 200, "json": 200}
    assert _sees(other, CELL_A)["json"] == _sees(other, CELL_B)["link"] == 404
    admin = log_in(app, "quantri")
    assert all(_sees(admin, digest)["json"] == 200 for digest in CELLS)


@pytest.mark.parametrize(("account", "committee", "cell", "seen"), [
    (None, COMMITTEE, "Chi bộ 1", True),  # the single local user, no accounts
    (Account("x", Role.ADMIN), OTHER_COMMITTEE, "Chi bộ 9", True),
    (Account("x", Role.SECRETARY, COMMITTEE, "Chi bộ 1"), COMMITTEE, "Chi bộ 1", True),
    (Account("x", Role.SECRETARY, COMMITTEE, "Chi bộ 1"), COMMITTEE, "Chi bộ 2", False),
    (Account("x", Role.SECRETARY, COMMITTEE, "Chi bộ 1"), OTHER_COMMITTEE, "Chi bộ 1", False),
    (Account("x", Role.SECRETARY, COMMITTEE, "Chi bộ 1"), "", "Chi bộ 1", False),
    # the accents encoded otherwise (NFD, as some keyboards type them), doubled spaces, another case: the same cell
    (Account("x", Role.SECRETARY, COMMITTEE, "Chi bộ 1"), COMMITTEE.upper(),
     __import__("unicodedata").normalize("NFD", "chi  bộ 1"), True),
    (Account("x", Role.COMMITTEE, COMMITTEE), COMMITTEE, "Chi bộ 7", True),
    (Account("x", Role.COMMITTEE, COMMITTEE), OTHER_COMMITTEE, "Chi bộ 7", False),
    (Account("x", Role.COMMITTEE, COMMITTEE), "", "", False),
])
def test_may_see(account, committee, cell, seen):
    assert may_see(account, committee, cell) is seen


def test_without_accounts_the_page_is_the_local_users(tmp_path):
    app, accounts = make_app(tmp_path)
    client = TestClient(app, follow_redirects=False)
    assert not accounts.exists() and not (tmp_path / "accounts.sqlite").exists()  # asking creates nothing
    assert client.get("/").text == "local"
    assert client.get("/login").headers["location"] == "/"
    assert _sees(client, CELL_C) == {"link": 200, "form": 200, "json": 200}


# --- logging in and out -----------------------------------------------------------------------------------------

def test_once_accounts_exist_every_page_but_login_and_static_goes_to_login(page):
    app, _ = page
    client = TestClient(app, follow_redirects=False)
    for path in ("/", "/plan", f"/cell/{CELL_A}", f"/api/cell/{CELL_A}/report?job=check"):
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login"), path
    assert client.get(f"/cell/{CELL_A}").headers["location"] == f"/login?next=%2Fcell%2F{CELL_A}"
    assert client.get("/login").status_code == 200
    assert client.get("/static/app.css").status_code == 404  # not redirected: no such file in this test app
    # a route that forgot the middleware's check still refuses: current_account raises LoginRequired
    request = Request({"type": "http", "method": "GET", "path": "/x", "headers": [], "query_string": b"",
                       "session": {}, "app": app, "root_path": ""})
    with pytest.raises(guard.LoginRequired):
        guard.current_account(request)


def test_login_page_is_keyboard_usable_and_never_says_whether_a_name_exists(page):
    app, _ = page
    client = TestClient(app, follow_redirects=False)
    form = client.get("/login").text
    for needed in ('<label for="login-name">', 'id="login-name"', '<label for="login-password">',
                   'type="password"', 'autofocus', '<button type="submit">', 'lang="vi"'):
        assert needed in form
    assert form.index('name="csrf"') < form.index('name="name"')  # the token is the form's first field
    token = token_of(client.get("/login"))
    wrong_password = client.post("/login", data={"csrf": token, "name": "bithu.a", "password": "sai mật khẩu 123"})
    no_such_name = client.post("/login", data={"csrf": token, "name": "khongco", "password": "sai mật khẩu 123"})
    assert wrong_password.status_code == no_such_name.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in wrong_password.text
    assert re.sub(r"bithu\.a|khongco", "", wrong_password.text) == re.sub(r"bithu\.a|khongco", "", no_such_name.text)
    english = client.get("/login?lang=en").text
    assert "Log in" in english and 'lang="en"' in english


def test_login_makes_a_new_session_and_goes_only_to_this_page(page):
    app, _ = page
    client = TestClient(app, follow_redirects=False)
    before = token_of(client.get("/login"))
    answer = client.post("/login?next=%2Fcell%2F" + CELL_A, data={"csrf": before, "name": "BITHU.A",
                                                                  "password": PASSWORD})
    assert answer.status_code == 303 and answer.headers["location"] == f"/cell/{CELL_A}"
    after = token_of(client.get(f"/cell/{CELL_A}"))
    assert after != before
    assert client.post(f"/cell/{CELL_A}", data={"csrf": before}).status_code == 403  # the old token is spent
    assert client.get("/").text == "bithu.a"
    other = TestClient(app, follow_redirects=False)
    sent = other.post("/login?next=//evil.example/x", data={"csrf": token_of(other.get("/login")),
                                                            "name": "bithu.b", "password": PASSWORD})
    assert sent.headers["location"] == "/"


def test_logout_ends_the_session(page):
    app, _ = page
    client = log_in(app, "bithu.a")
    assert client.post("/logout", data={"csrf": token_of(client.get(f"/cell/{CELL_A}"))}).status_code == 303
    assert client.get(f"/cell/{CELL_A}").status_code == 303


def test_a_removed_account_or_a_changed_password_ends_its_sessions(page):
    app, accounts = page
    a, b = log_in(app, "bithu.a"), log_in(app, "bithu.b")
    assert a.get(f"/cell/{CELL_A}").status_code == 200
    accounts.remove("bithu.a")
    assert a.get(f"/cell/{CELL_A}").status_code == 303
    assert a.get(f"/api/cell/{CELL_A}/report").status_code == 303
    accounts.set_password("bithu.b", "một mật khẩu mới khác")
    assert b.get(f"/cell/{CELL_B}").status_code == 303
    log_in(app, "bithu.b", "một mật khẩu mới khác")
    with pytest.raises(AccountError) as missing:
        accounts.remove("bithu.a")
    assert missing.value.key == "no_account"


def test_the_login_and_refusal_pages_go_through_the_apps_page_maker_when_given(tmp_path):
    """app.py's base.html needs its own words and links: guard hands its pages to app.py's page maker."""
    made = []

    def page_maker(request, template, status, **values):
        made.append((template, status, sorted(values)))
        return HTMLResponse(f'{template} <input name="csrf" value="{guard.csrf_token(request)}">', status)

    app = Starlette(routes=[Route("/cell/{digest}", cell_form, methods=["POST"]), *guard.routes()])
    accounts = Accounts(tmp_path / "accounts.sqlite", hasher=FAST)
    guard.install(app, "s" * 48, accounts=accounts, page=page_maker)
    accounts.add("bithu.a", PASSWORD, Role.SECRETARY, COMMITTEE, CELLS[CELL_A][1])
    client = TestClient(app, follow_redirects=False)
    assert client.get("/login").status_code == 200
    assert client.post(f"/cell/{CELL_A}", data={}).status_code == 403
    assert made == [("login.html", 200, ["action", "error", "name", "t"]),
                    ("refused.html", 403, ["back", "body", "home", "title"])]


# --- CSRF -------------------------------------------------------------------------------------------------------

def test_a_post_without_the_csrf_token_or_with_a_wrong_one_is_refused(page):
    app, _ = page
    client = log_in(app, "bithu.a")
    token = token_of(client.get(f"/cell/{CELL_A}"))
    refused = client.post(f"/cell/{CELL_A}", data={"name": "x"})
    assert refused.status_code == 403
    assert "Biểu mẫu không hợp lệ" in refused.text and "Không có gì được lưu" in refused.text
    assert "This form was refused" in client.post(f"/cell/{CELL_A}?lang=en", data={}).text
    assert client.post(f"/cell/{CELL_A}", data={"csrf": token[:-1] + "x"}).status_code == 403
    assert client.post(f"/cell/{CELL_A}", data={"csrf": ""}).status_code == 403
    assert client.post(f"/cell/{CELL_A}", json={"csrf": token}).status_code == 403  # JSON needs the header
    assert client.post(f"/cell/{CELL_A}", data={"csrf": token}).status_code == 200
    assert client.post(f"/cell/{CELL_A}", headers={"X-CSRF-Token": token}).status_code == 200
    assert client.post(f"/cell/{CELL_A}", headers={"X-CSRF-Token": "wrong"}, data={"csrf": token}).status_code == 403
    # another session's token is no token
    other = log_in(app, "bithu.b")
    assert other.post(f"/cell/{CELL_A}", data={"csrf": token}).status_code in (403,)
    # the login form itself is protected (no logging a victim in to the attacker's account)
    fresh = TestClient(app, follow_redirects=False)
    assert fresh.post("/login", data={"name": "bithu.a", "password": PASSWORD}).status_code == 403


def test_a_multipart_upload_carries_the_token_first_and_arrives_whole(page):
    app, _ = page
    client = log_in(app, "bithu.a")
    token = token_of(client.get(f"/cell/{CELL_A}"))
    workbook = os.urandom(3 * 1024 * 1024)  # bigger than the part the middleware reads to find the token
    files = {"workbook": ("ho-so.xlsx", workbook, "application/octet-stream")}
    # httpx writes the data fields before the files, as a browser writes a form's hidden field placed first
    answer = client.post("/cell", data={"csrf": token}, files=files)
    assert answer.status_code == 200 and answer.text == f"{len(workbook)} {hash(workbook)}"
    assert client.post("/cell", data={"other": "x"}, files=files).status_code == 403
    assert client.post("/cell", data={"csrf": "sai"}, files=files).status_code == 403
    # a file before the token: refused without reading the file
    boundary = "chibo-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"workbook\"; filename=\"a.xlsx\"\r\n\r\n"
            f"PK\x03\x04\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
            f"--{boundary}--\r\n").encode()
    assert client.post("/cell", content=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"}).status_code == 403
    assert client.post("/cell", content=b"--broken", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"}).status_code == 403
    assert client.post("/cell", files=files, headers={"X-CSRF-Token": token}).status_code == 200


# --- the session cookie -----------------------------------------------------------------------------------------

def _session_cookie(client_or_answer) -> str:
    header = client_or_answer.headers.get("set-cookie", "")
    assert header.startswith(guard.SESSION_COOKIE + "="), header
    return header.lower()


def test_the_session_cookie_is_httponly_samesite_lax_eight_hours_and_secure_behind_tls(tmp_path):
    app, accounts = make_app(tmp_path / "plain")
    accounts.add("bithu.a", PASSWORD, Role.SECRETARY, COMMITTEE, CELLS[CELL_A][1])
    cookie = _session_cookie(TestClient(app).get("/login"))
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=28800" in cookie
    assert "secure" not in cookie.split(";")[1:].__str__()
    app, accounts = make_app(tmp_path / "tls", https=True)
    accounts.add("bithu.a", PASSWORD, Role.SECRETARY, COMMITTEE, CELLS[CELL_A][1])
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    cookie = _session_cookie(client.get("/login"))
    assert "; secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    log_in(app, "bithu.a", base_url="https://testserver")


def test_the_secret_is_made_once_private_and_rotating_it_logs_everyone_out(tmp_path):
    first = guard.load_secret(tmp_path)
    path = tmp_path / guard.SECRET_FILE
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert guard.load_secret(tmp_path) == first and len(first) >= 32
    app, accounts = make_app(tmp_path, secret=None)  # the data folder's own secret
    accounts.add("bithu.a", PASSWORD, Role.SECRETARY, COMMITTEE, CELLS[CELL_A][1])
    client = log_in(app, "bithu.a")
    assert client.get(f"/cell/{CELL_A}").status_code == 200
    assert guard.rotate_secret(tmp_path) != first
    restarted, _ = make_app(tmp_path, secret=None)
    again = TestClient(restarted, follow_redirects=False, cookies=dict(client.cookies))
    assert again.get(f"/cell/{CELL_A}").status_code == 303


# --- accounts ---------------------------------------------------------------------------------------------------

def test_passwords_are_kept_as_argon2id_hashes_and_rehashed_when_the_parameters_change(tmp_path):
    accounts = Accounts(tmp_path / "accounts.sqlite", hasher=FAST)
    accounts.add("bithu.a", PASSWORD, Role.SECRETARY, COMMITTEE, CELLS[CELL_A][1])
    (digest,) = sqlite3.connect(tmp_path / "accounts.sqlite").execute("SELECT hash FROM accounts").fetchone()
    assert digest.startswith("$argon2id$") and "m=8192" in digest
    assert PASSWORD.encode() not in (tmp_path / "accounts.sqlite").read_bytes()
    if sys.platform != "win32":
        assert stat.S_IMODE((tmp_path / "accounts.sqlite").stat().st_mode) == 0o600
    stronger = Accounts(tmp_path / "accounts.sqlite")  # the library's default parameters
    assert stronger.verify("bithu.a", PASSWORD, "127.0.0.1") == Account("bithu.a", Role.SECRETARY, COMMITTEE,
                                                                         CELLS[CELL_A][1])
    (digest,) = sqlite3.connect(tmp_path / "accounts.sqlite").execute("SELECT hash FROM accounts").fetchone()
    assert digest.startswith("$argon2id$") and "m=8192" not in digest
    assert stronger.verify("bithu.a", "not the password", "127.0.0.1") is None


@pytest.mark.parametrize(("args", "key"), [
    (("a", "", Role.ADMIN), "password_empty"),
    (("a", "ngắn quá", Role.ADMIN), "password_short"),
    (("quản trị viên 1", "Quản Trị Viên 1", Role.ADMIN), "password_is_name"),
    (("a", "x" * 12, Role.ADMIN), "password_one_char"),
    (("  ", PASSWORD, Role.ADMIN), "name_empty"),
    (("a", PASSWORD, "chairman"), "role_unknown"),
    (("a", PASSWORD, Role.SECRETARY, COMMITTEE, ""), "secretary_needs_cell"),
    (("a", PASSWORD, Role.SECRETARY, "", "Chi bộ 1"), "secretary_needs_cell"),
    (("a", PASSWORD, Role.COMMITTEE), "committee_needs_committee"),
    (("a", PASSWORD, Role.COMMITTEE, COMMITTEE, "Chi bộ 1"), "committee_no_cell"),
    (("a", PASSWORD, Role.ADMIN, COMMITTEE), "admin_no_scope"),
])
def test_bad_accounts_are_refused_with_words_in_both_languages(tmp_path, args, key):
    accounts = Accounts(tmp_path / "accounts.sqlite", hasher=FAST)
    with pytest.raises(AccountError) as refused:
        accounts.add(*args)
    assert refused.value.key == key
    vi, en = refused.value.words("vi"), refused.value.words("en")
    assert vi and en and vi != en and "{" not in vi + en
    if key == "password_short":
        assert "10 ký tự" in vi and "10 characters" in en
    assert not accounts.exists()


def test_names_are_unique_whatever_their_case_and_accents_encoding(tmp_path):
    accounts = Accounts(tmp_path / "accounts.sqlite", hasher=FAST)
    accounts.add("Bí thư A", PASSWORD, Role.SECRETARY, COMMITTEE, "Chi bộ 1")
    with pytest.raises(AccountError) as taken:
        accounts.add(__import__("unicodedata").normalize("NFD", "bí thư a"), PASSWORD, Role.ADMIN)
    assert taken.value.key == "name_taken"
    assert [a.name for a in accounts.all()] == ["Bí thư A"] and accounts.get("BÍ THƯ A") is not None
    assert accounts.get("nobody") is None


# --- the rate limit ---------------------------------------------------------------------------------------------

def test_the_sixth_login_in_fifteen_minutes_is_refused_even_with_the_right_password(page, monkeypatch):
    app, accounts = page
    client = TestClient(app, follow_redirects=False)
    token = token_of(client.get("/login"))
    for _ in range(5):
        assert client.post("/login", data={"csrf": token, "name": "bithu.a", "password": "sai 1234567"}
                           ).status_code == 401
    refused = client.post("/login", data={"csrf": token, "name": "bithu.a", "password": PASSWORD})
    assert refused.status_code == 429 and "15 phút" in refused.text
    assert client.get("/").status_code == 303  # not logged in
    # refused before any hash is computed, and the count is in the file: a restarted page still refuses
    watched = Watched(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    with pytest.raises(TooManyAttempts):
        Accounts(accounts.path, hasher=watched).verify("bithu.a", PASSWORD, "10.0.0.9")  # from any client
    assert watched.verified == 0
    # fifteen minutes later the name may try again
    later = accounts_module.time.time() + accounts_module.WINDOW_SECONDS + 1
    monkeypatch.setattr(accounts_module.time, "time", lambda: later)
    assert Accounts(accounts.path, hasher=FAST).verify("bithu.a", PASSWORD, "10.0.0.9") is not None


def test_one_client_trying_many_names_is_limited_too(tmp_path):
    accounts = Accounts(tmp_path / "accounts.sqlite", hasher=FAST)
    accounts.add("bithu.a", PASSWORD, Role.SECRETARY, COMMITTEE, "Chi bộ 1")
    for n in range(5):
        assert accounts.verify(f"ten{n}", PASSWORD, "10.0.0.1") is None
    with pytest.raises(TooManyAttempts) as refused:
        accounts.verify("bithu.a", PASSWORD, "10.0.0.1")
    assert "15" in refused.value.words("vi") and "15 minutes" in refused.value.words("en")
    assert accounts.verify("bithu.a", PASSWORD, "10.0.0.2") is not None  # another client is not
    # four failures then the right password: the slate for this name and client is clean again
    for _ in range(4):
        assert accounts.verify("bithu.a", "sai 1234567", "10.0.0.3") is None
    assert accounts.verify("bithu.a", PASSWORD, "10.0.0.3") is not None
    assert accounts.verify("bithu.a", "sai 1234567", "10.0.0.3") is None
    assert accounts.verify("bithu.a", PASSWORD, "10.0.0.3") is not None


# --- the audit log ----------------------------------------------------------------------------------------------

def test_the_audit_log_records_logins_hand_ins_and_downloads_and_cannot_be_changed(page):
    app, accounts = page
    client = TestClient(app, follow_redirects=False)
    client.post("/login", data={"csrf": token_of(client.get("/login")), "name": "bithu.a", "password": "sai 12345678"})
    client = log_in(app, "bithu.a")
    token = token_of(client.get(f"/cell/{CELL_A}"))
    client.post(f"/cell/{CELL_A}", data={"csrf": token})
    client.get(f"/api/cell/{CELL_A}/report?job=check")
    client.post("/logout", data={"csrf": token})
    log = AuditLog(accounts.path)
    rows = [(r.who, r.action, r.target, r.client) for r in reversed(log.read(None)) if r.action != "account_added"]
    assert rows == [("", "login_failed", "bithu.a", "testclient"), ("bithu.a", "login", "bithu.a", "testclient"),
                    ("bithu.a", "hand_in", CELL_A, "testclient"), ("bithu.a", "download", CELL_A, "testclient"),
                    ("bithu.a", "logout", "bithu.a", "testclient")]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", r.at) for r in log.read(None))
    assert [r.action for r in log.read(accounts.get("quantri"), action="hand_in")] == ["hand_in"]
    with pytest.raises(AccountError) as refused:
        log.read(accounts.get("danguy"))
    assert refused.value.key == "audit_admin_only"
    with sqlite3.connect(accounts.path) as conn, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET who = 'someone else'")
    with sqlite3.connect(accounts.path) as conn, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit")


def test_account_changes_are_in_the_audit_log_with_who_made_them(tmp_path):
    accounts = Accounts(tmp_path / "accounts.sqlite", hasher=FAST)
    accounts.add("quantri", PASSWORD, Role.ADMIN)  # the first account: from the command line, nobody logged in
    accounts.add("bithu.a", PASSWORD, Role.SECRETARY, COMMITTEE, "Chi bộ 1", by="quantri", client="10.0.0.5")
    accounts.set_password("bithu.a", "một mật khẩu mới khác", by="quantri", client="10.0.0.5")
    accounts.remove("bithu.a", by="quantri")
    with pytest.raises(AccountError):
        accounts.add("x", "ngắn", Role.ADMIN, by="quantri")  # refused: nothing recorded
    rows = [(r.who, r.action, r.target, r.client) for r in reversed(AuditLog(accounts.path).read(None))]
    assert rows == [("", "account_added", "quantri (admin)", ""),
                    ("quantri", "account_added", f"bithu.a (secretary: {COMMITTEE} / Chi bộ 1)", "10.0.0.5"),
                    ("quantri", "password_changed", "bithu.a", "10.0.0.5"),
                    ("quantri", "account_removed", "bithu.a", "")]


def test_without_an_accounts_object_guard_uses_the_apps_data_folder(tmp_path, monkeypatch):
    """app.py's ServeSettings.data (or $CHIBO_DATA_DIR) is where the accounts and the secret are, never the user's
    own data folder behind its back: a page whose accounts were added elsewhere would serve without a login."""
    for name in ("APPDATA", "LOCALAPPDATA", "CHIBO_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user"))  # were the user's folder used, it would be here
    app = Starlette(routes=[Route("/", home), *guard.routes()])
    app.state.settings = type("ServeSettings", (), {"data": tmp_path / "site"})()
    installed = guard.install(app, None)
    assert installed.accounts.path == tmp_path / "site" / "accounts.sqlite"
    assert (tmp_path / "site" / guard.SECRET_FILE).exists()
    monkeypatch.setenv("CHIBO_DATA_DIR", str(tmp_path / "env"))
    assert accounts_module.default_path() == tmp_path / "env" / "accounts.sqlite"
    assert guard.install(Starlette(), None).accounts.path == tmp_path / "env" / "accounts.sqlite"
    assert not (tmp_path / "user").exists()


def test_the_secret_is_made_on_a_file_system_without_hard_links(tmp_path, monkeypatch):
    """A USB stick or an old Windows share (FAT) refuses hard links: the secret is still made, and kept."""
    def no_links(*_args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(guard.os, "link", no_links)
    first = guard.load_secret(tmp_path)
    assert guard.load_secret(tmp_path) == first and len(first) >= 32
    assert [p.name for p in tmp_path.iterdir()] == [guard.SECRET_FILE]  # no temporary file left behind


def test_a_damaged_accounts_file_is_named_not_a_traceback(tmp_path):
    path = tmp_path / "accounts.sqlite"
    path.write_bytes(b"this is not an SQLite database, just some bytes" * 100)
    for ask in (lambda a: a.exists(), lambda a: a.add("quantri", PASSWORD, Role.ADMIN), lambda a: a.get("quantri")):
        with pytest.raises(AccountError) as refused:
            ask(Accounts(path, hasher=FAST))
        assert refused.value.key == "accounts_unreadable" and str(path) in refused.value.words("vi")
    app, _ = make_app(tmp_path)
    answer = TestClient(app).get("/?lang=en")
    assert answer.status_code == 503 and "cannot open the accounts file" in answer.text and str(path) in answer.text
