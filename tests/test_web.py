"""`chibo serve` in a real browser (headless Chromium through selenium, tests/browser.py): the server runs in a
thread on 127.0.0.1 with a temporary data folder and store; one server and one browser for the module.

What a secretary and a committee do: hand in the example workbook and read its six gaps on the page; download
the Word report and read it back; draft and apply a plan from the seed plan's text; hand in three workbooks as
a committee and open the worst cell. Every main page is photographed at desktop (1280) and phone (390) widths
under test-output/screenshots/ (gitignored), and at phone width no page is wider than the screen.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import browser as chromium
from .conftest import CASES, ROOT
from .test_web_routes import SEED_PLAN, example_workbook

SHOTS = ROOT / "test-output" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}


def served(app) -> Iterator[str]:
    """`app` served by uvicorn in a thread on 127.0.0.1 (a free port) while the caller's fixture lasts."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    from chibo_rules.web.app import ServeSettings, create_app

    folder = tmp_path_factory.mktemp("serve")
    yield from served(create_app(ServeSettings(data=folder / "data", store=str(folder / "store.sqlite3"))))


@pytest.fixture(scope="module")
def web(server, tmp_path_factory) -> Iterator[chromium.Browser]:
    chromium.skip_if_missing()
    downloads = tmp_path_factory.mktemp("downloads")
    with chromium.session() as b:
        b.driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        b.downloads = downloads  # type: ignore[attr-defined]
        b.base = server  # type: ignore[attr-defined]
        b.driver.set_window_size(WIDTHS["desktop"], 1000)
        yield b


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("books")
    for name in ("vbn1-2020", "vbn2-2020", "vbn1-2020-compliant"):
        example_workbook(folder, CASES / name)
    return folder


def go(b: chromium.Browser, path: str) -> None:
    b.driver.get(b.base + path)  # type: ignore[attr-defined]


def wait_for(condition, what: str, seconds: float = 120) -> None:
    """Ask `condition` every 0.1 s until it holds. Asked while the browser goes from one page to the next, the
    browser may answer with an error about the page it is leaving: asked again."""
    from selenium.common.exceptions import WebDriverException

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if condition():
                return
        except WebDriverException:
            pass
        time.sleep(0.1)
    pytest.fail(f"waited {seconds} s for {what}")


def submit(b: chromium.Browser, selector: str = "main form button[type=submit]") -> None:
    """Press a form's button and wait for the next page to be loaded.

    The old document is marked with a script variable; the next page has none. (Waiting for the old
    body element to go stale was flaky: mid-navigation Chromium once answered "Node with given id does
    not belong to the document", a WebDriverException that is not StaleElementReferenceException, CI.)
    """
    from selenium.webdriver.common.by import By

    b.js("window.__chiboOldPage = true")
    b.driver.find_element(By.CSS_SELECTOR, selector).click()
    wait_for(lambda: _next_page_loaded(b), "the next page")


def _next_page_loaded(b: chromium.Browser) -> bool:
    """Whether the browser shows a fully loaded document other than the one marked by submit()."""
    return bool(b.js("return window.__chiboOldPage === undefined && document.readyState === 'complete'"))


def shoot(b: chromium.Browser, name: str) -> list[int]:
    """The page at both widths, whole, as PNG; the page's width at each (what a phone must scroll sideways)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    widths = []
    for label, width in WIDTHS.items():
        b.driver.set_window_size(width, 900)
        widths.append(b.js("const d = document.documentElement; return d.scrollWidth - d.clientWidth"))
        if label == "phone":  # what a phone shows first, at a size a person can read in the picture
            b.driver.save_screenshot(str(SHOTS / f"{name}-phone-top.png"))
        height = b.js("return document.documentElement.scrollHeight")
        b.driver.set_window_size(width, min(max(height, 600), 5000))
        b.driver.save_screenshot(str(SHOTS / f"{name}-{label}.png"))
    b.driver.set_window_size(WIDTHS["desktop"], 1000)
    return widths


def downloaded(b: chromium.Browser, suffix: str, before: set[Path]) -> Path:
    folder: Path = b.downloads  # type: ignore[attr-defined]
    found: list[Path] = []

    def done() -> bool:
        found[:] = [p for p in folder.glob(f"*{suffix}") if p not in before]
        return bool(found)

    wait_for(done, f"a {suffix} download")
    return found[0]


def test_hand_in_the_example_workbook_and_read_its_six_gaps(web, books):
    from selenium.webdriver.common.by import By

    go(web, "/")
    assert shoot(web, "home") == [0, 0]
    web.driver.find_element(By.ID, "workbook").send_keys(str(books / "vbn1-2020.xlsx"))
    submit(web)
    assert "/cell/" in web.driver.current_url
    assert "Chi bộ trường THCS Vĩnh Bình Nam 1" in web.text("main")
    assert shoot(web, "cell") == [0, 0]
    submit(web, "#run-check")
    assert web.count("td .status-gap") == 6  # the example's six gaps, on the page
    assert "Chưa đạt" in web.text("body")
    assert shoot(web, "report")[1] == 0  # wide tables scroll inside themselves, never the page
    pages = chromium.pdf_pages(web.pdf())  # printed as the HTML report prints: A4, without the page's links
    assert all(abs(width - 595) < 3 and abs(height - 842) < 3 for width, height, _ in pages)
    printed = "\n".join(text for _, _, text in pages)
    assert "Chưa đạt" in printed and "Tải báo cáo" not in printed and "Trở lại" not in printed


def test_download_the_word_report_and_read_it_back(web):
    import docx
    from selenium.webdriver.common.by import By

    assert "/report" in web.driver.current_url  # the report the test before opened
    before = set(web.downloads.glob("*"))
    web.driver.find_element(By.ID, "dl-docx").click()
    path = downloaded(web, ".docx", before)
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "VĨNH BÌNH NAM 1" in text.upper()
    assert text.count("Chưa đạt") >= 6


def test_the_quarterly_audit_and_the_meeting_readiness_with_their_minutes(web):
    import docx
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    web.driver.find_element(By.CSS_SELECTOR, "nav.chibo-page a").click()  # back to the workbook
    wait_for(lambda: web.count("#run-audit") == 1, "the cell page")
    Select(web.driver.find_element(By.ID, "quarter")).select_by_value("2020-Q2")
    submit(web, "#run-audit")
    assert "quarter=2020-Q2" in web.driver.current_url and "30/06/2020" in web.text("header")
    web.driver.back()
    wait_for(lambda: web.count("#run-ready") == 1, "the cell page")
    web.js("document.getElementById('meeting').value = '2020-06-05'")
    submit(web, "#run-ready")
    assert "05/06/2020" in web.text("body")
    shoot(web, "ready")
    before = set(web.downloads.glob("*"))
    web.driver.find_element(By.ID, "dl-minutes").click()
    minutes = docx.Document(str(downloaded(web, ".docx", before)))
    assert "BIÊN BẢN" in "\n".join(p.text for p in minutes.paragraphs).upper()


def test_the_page_in_english_and_with_the_keyboard(web):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    go(web, "/")
    web.driver.find_element(By.CSS_SELECTOR, "header a.lang").click()
    assert "Hand in and check" in web.text("main")
    go(web, "/?lang=vi")
    web.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert web.js("return document.activeElement.className") == "skip"
    web.driver.switch_to.active_element.send_keys(Keys.TAB)
    focused = web.js("const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]")
    assert focused[0] != "none" and focused[1] != "0px"  # where the keyboard is, is seen


def test_draft_and_apply_a_plan_from_the_seed_plan(web):
    import openpyxl
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    if not SEED_PLAN.is_file():
        pytest.skip(f"{SEED_PLAN} is beside the clone only")
    go(web, "/plan")
    assert shoot(web, "plan") == [0, 0]
    web.driver.find_element(By.ID, "plan").send_keys(str(SEED_PLAN))
    submit(web)
    rows = web.count("tr.proposal")
    assert rows >= 40
    shoot(web, "plan-review")
    ids = web.js("return Array.from(document.querySelectorAll('tr.proposal'), r => r.id.slice(4))")
    first = next(i for i in ids if web.driver.find_element(By.ID, f"target_{i}").get_attribute("value") not in ("",
                                                                                                                "3"))
    second = next(i for i in ids if i != first)
    target = web.driver.find_element(By.ID, f"target_{first}")
    target.clear()
    target.send_keys("3")
    Select(web.driver.find_element(By.ID, f"decision_{first}")).select_by_value("accept")
    Select(web.driver.find_element(By.ID, f"decision_{second}")).select_by_value("reject")
    web.driver.find_element(By.ID, "accept_rest").click()
    submit(web, "#apply")
    assert f"{rows - 1} yêu cầu được nhận; 1 bị bỏ, 0 chưa quyết định" in web.text("#applied")
    assert shoot(web, "plan-applied") == [0, 0]
    before = set(web.downloads.glob("*"))
    web.driver.find_element(By.ID, "plan-workbook").click()
    book = openpyxl.load_workbook(downloaded(web, ".xlsx", before))
    assert "Chi bộ" in book.sheetnames and len(book.sheetnames) > 3


def test_a_committee_hands_in_three_workbooks_and_opens_the_worst_cell(web, books):
    from selenium.webdriver.common.by import By

    go(web, "/committee")
    assert shoot(web, "committee") == [0, 0]
    paths = [str(books / f"{name}.xlsx") for name in ("vbn1-2020-compliant", "vbn1-2020", "vbn2-2020")]
    web.driver.find_element(By.ID, "workbooks").send_keys("\n".join(paths))
    submit(web)
    assert web.count("tr.cell-row") == 3
    assert shoot(web, "rollup") == [0, 0]
    names = web.texts("tr.cell-row a.open-cell")
    assert names[0] == "Chi bộ trường THCS Vĩnh Bình Nam 2"  # nine gaps, a critical one: the worst first
    rollup = web.driver.current_url
    web.driver.find_element(By.CSS_SELECTOR, "tr.cell-row a.open-cell").click()
    wait_for(lambda: "/report" in web.driver.current_url, "the worst cell's report")
    assert web.count("td .status-gap") == 9
    assert "Vĩnh Bình Nam 2" in web.text("header")
    web.driver.get(rollup + "/history")
    assert web.count("svg") == 2 and "Đảng bộ xã Vĩnh Bình Nam" in web.text("body")
    shoot(web, "history")


def test_a_bomb_or_an_oversized_upload_is_refused_with_a_clear_message(web, tmp_path):
    """A workbook that is a zip bomb (one sheet of 64 MB of zeros, packed 1,000 to 1) and a file over the page's
    limit are refused on a page that says why in words, before openpyxl or the form parser reads them."""
    import zipfile

    from selenium.webdriver.common.by import By

    bomb = tmp_path / "so-theo-doi.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("[Content_Types].xml", "<Types/>")
        packed.writestr("xl/workbook.xml", "<workbook/>")
        with packed.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(64):
                member.write(bytes(1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    go(web, "/")
    web.driver.find_element(By.ID, "workbook").send_keys(str(bomb))
    submit(web)
    message = web.text("main [role=alert]")
    assert "/cell/" not in web.driver.current_url and "so-theo-doi.xlsx" in message and "nén" in message, message
    shoot(web, "refused-bomb")

    big = tmp_path / "qua-lon.xlsx"
    with big.open("wb") as stream:
        stream.truncate(101 * 1024 * 1024)  # over the page's 100 MB for a whole request: refused by its size alone
    go(web, "/")
    web.driver.find_element(By.ID, "workbook").send_keys(str(big))
    submit(web)
    message = web.text("main [role=alert]") if web.driver.find_elements(By.CSS_SELECTOR, "main [role=alert]") \
        else web.text("body")
    assert "/cell/" not in web.driver.current_url and "MB" in message, message
