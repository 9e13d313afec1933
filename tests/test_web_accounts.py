"""A shared page in a real browser (issue 23 item 4): the secretaries of two cells log in to the same `chibo
serve`, each hands in their own cell, and neither can see the other's by link, by form or by the JSON the pages
use; a form posted without its CSRF token is refused. The server runs with accounts made by `--add-user`'s own
code (web/accounts.py), so every page asks for a login; the login page is photographed at both widths.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from . import browser as chromium
from .conftest import CASES
from .test_web import go, served, shoot, submit
from .test_web_routes import example_workbook

COMMITTEE = "Đảng bộ xã Vĩnh Bình Nam"
PASSWORD = "mat-khau-du-dai-2020"


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Iterator[str]:
    from chibo_rules.web.accounts import Accounts, Role, default_path
    from chibo_rules.web.app import ServeSettings, create_app

    folder = tmp_path_factory.mktemp("shared")
    data = folder / "data"
    data.mkdir()
    accounts = Accounts(default_path(data))
    accounts.add("lan", PASSWORD, Role.SECRETARY, COMMITTEE, "Chi bộ trường THCS Vĩnh Bình Nam 1")
    accounts.add("binh", PASSWORD, Role.SECRETARY, COMMITTEE, "Chi bộ trường THCS Vĩnh Bình Nam 2")
    yield from served(create_app(ServeSettings(data=data, store=str(folder / "store.sqlite3"))))


@pytest.fixture(scope="module")
def web(shared) -> Iterator[chromium.Browser]:
    chromium.skip_if_missing()
    with chromium.session() as b:
        b.base = shared  # type: ignore[attr-defined]
        b.driver.set_window_size(1280, 1000)
        yield b


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("books")
    for name in ("vbn1-2020", "vbn2-2020"):
        example_workbook(folder, CASES / name)
    return folder


def log_in(b: chromium.Browser, name: str) -> None:
    from selenium.webdriver.common.by import By

    go(b, "/")
    assert "/login" in b.driver.current_url  # every page asks for a login once accounts exist
    b.driver.find_element(By.ID, "login-name").send_keys(name)
    b.driver.find_element(By.ID, "login-password").send_keys(PASSWORD)
    submit(b)
    assert "/login" not in b.driver.current_url, b.text("main")


def log_out(b: chromium.Browser) -> None:
    b.driver.delete_all_cookies()


def hand_in(b: chromium.Browser, workbook: Path) -> None:
    from selenium.webdriver.common.by import By

    go(b, "/")
    b.driver.find_element(By.ID, "workbook").send_keys(str(workbook))
    submit(b)


def status_of(b: chromium.Browser, path: str, method: str = "GET", token: bool = True) -> int:
    """What the page's own scripts would get for `path` (fetch, with this session's cookie)."""
    script = """
        const [path, method, token, done] = arguments;
        const csrf = document.querySelector('input[name=csrf]');
        const headers = token && csrf ? {'X-CSRF-Token': csrf.value} : {};
        fetch(path, {method, headers, redirect: 'manual'}).then(r => done(r.status), () => done(-1));
    """
    return b.driver.execute_async_script(script, path, method, token)


def test_the_login_page_at_both_widths(web):
    go(web, "/")
    assert "/login" in web.driver.current_url
    assert shoot(web, "login") == [0, 0]


def test_two_secretaries_see_only_their_own_cell_by_link_form_or_json(web, books):
    log_in(web, "lan")
    hand_in(web, books / "vbn1-2020.xlsx")
    assert "/cell/" in web.driver.current_url and "Vĩnh Bình Nam 1" in web.text("main")
    own = web.driver.current_url.split("/cell/")[1].split("/")[0].split("?")[0]
    assert status_of(web, f"/api/cell/{own}/report?job=check") == 200
    hand_in(web, books / "vbn2-2020.xlsx")  # a workbook of another cell is refused, not kept for her
    assert "/cell/" not in web.driver.current_url
    log_out(web)

    log_in(web, "binh")
    go(web, f"/cell/{own}")  # by link
    assert "Vĩnh Bình Nam 1" not in web.text("body")
    assert status_of(web, f"/cell/{own}") == 404
    assert status_of(web, f"/cell/{own}/report?job=check") == 404
    assert status_of(web, f"/cell/{own}/download/report.docx") == 404
    assert status_of(web, f"/api/cell/{own}/report?job=check") == 404  # by the JSON the pages use
    go(web, "/")
    assert own not in web.driver.page_source  # not among the workbooks handed in before
    hand_in(web, books / "vbn1-2020.xlsx")  # by form: handing in the other cell's workbook
    assert "/cell/" not in web.driver.current_url and "Vĩnh Bình Nam 1" not in web.text("main") or \
        "403" in web.driver.title
    hand_in(web, books / "vbn2-2020.xlsx")
    assert "/cell/" in web.driver.current_url and "Vĩnh Bình Nam 2" in web.text("main")
    log_out(web)


def test_a_form_posted_without_its_csrf_token_is_refused(web):
    log_in(web, "lan")
    assert status_of(web, "/cell", "POST", token=False) == 403
    assert status_of(web, "/logout", "POST", token=False) == 403
    log_out(web)
