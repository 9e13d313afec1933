"""`chibo serve`'s routes without a browser (starlette's TestClient): a handed-in workbook, its report and
downloads, refusals in the user's words, the language switch."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from chibo_rules.facts.xlsx import write_workbook
from chibo_rules.jobs.plans import Plans, load_checked

from .conftest import GAPS_CASE, ROOT


def _testclient():
    """Starlette's TestClient (its warning that it prefers the httpx2 package is Starlette's, not chibo's)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    return TestClient


def with_csrf(client):
    """The client posts as a page of this session does: with the session's CSRF token (guard.py's header, the
    same token every form carries as its hidden field), read from the home page's form."""
    from chibo_rules.web.guard import CSRF_FIELD, CSRF_HEADER

    page = client.get("/").text
    token = page.split(f'name="{CSRF_FIELD}" value="', 1)[1].split('"', 1)[0]
    client.headers[CSRF_HEADER] = token
    return client


def example_workbook(folder: Path, case: Path = GAPS_CASE, name: str | None = None) -> Path:
    """A case as the workbook `chibo template --from` writes."""
    loaded, plan = load_checked(case, Plans())
    path = folder / (name or f"{case.name}.xlsx")
    write_workbook(path, plan.ruleset.schema, loaded, plan.id)
    return path


def broken_workbook(folder: Path) -> Path:
    """The example workbook with one member's party-member answer mistyped (row 2 of Nhân sự, column C)."""
    import openpyxl

    path = example_workbook(folder, name="broken.xlsx")
    book = openpyxl.load_workbook(path)
    book["Nhân sự"]["C2"] = "có lẽ"
    book.save(path)
    return path


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    TestClient = _testclient()

    from chibo_rules.web.app import ServeSettings, create_app

    folder = tmp_path_factory.mktemp("web")
    settings = ServeSettings(data=folder / "data", store=str(folder / "store.sqlite3"))
    with TestClient(create_app(settings)) as client:
        with_csrf(client)
        client.books = folder  # type: ignore[attr-defined]
        yield client


@pytest.fixture(scope="module")
def handed_in(client):
    book = example_workbook(client.books)
    answer = client.post("/cell", files={"workbook": (book.name, book.read_bytes())}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


def test_hand_in_redirects_to_the_cell_and_its_report_names_six_gaps(client, handed_in):
    assert handed_in.startswith("/cell/") and len(handed_in) == len("/cell/") + 64
    page = client.get(handed_in)
    assert page.status_code == 200 and 'action="' + handed_in + '/report"' in page.text
    report = client.get(handed_in + "/report?job=check")
    assert report.status_code == 200
    assert report.text.count('class="status status-gap"') == 6
    data = client.get("/api" + handed_in + "/report?job=check").json()
    assert data["summary"]["gap"] == 6


def test_unknown_digest_is_404_and_the_same_page_as_a_forbidden_one(client):
    for url in ("/cell/" + "0" * 64, "/cell/not-a-digest", "/cell/" + "0" * 64 + "/report?job=check",
                "/cell/" + "0" * 64 + "/download/report.docx", "/api/cell/" + "0" * 64 + "/report",
                "/cell/" + "0" * 64 + "/history"):
        assert client.get(url).status_code == 404, url


def test_every_refusal_is_one_handler_s_page_or_json_under_api(client, handed_in):
    """Routes raise Refused (or an upload's refusal); the application's one handler answers: the message page in
    the user's language, or JSON under /api/ — never starlette's plain text nor a 500."""
    page = client.get("/cell/" + "0" * 64 + "/report?job=check")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="vi"' in page.text and "Không tìm thấy" in page.text
    wrong = client.get(handed_in + "/report?job=audit&quarter=Q9/2020")
    assert wrong.status_code == 400 and "Q9/2020" in wrong.text
    assert wrong.headers["content-type"].startswith("text/html")
    api = client.get("/api" + handed_in + "/report?job=nope")
    assert api.status_code == 400 and api.headers["content-type"] == "application/json"
    assert set(api.json()) == {"error"} and "nope" in api.json()["error"]
    review = client.get(handed_in + "/report?job=review&year=2031")  # the review's year: one of the plan's
    assert review.status_code == 400 and "2031" in review.text and "2020" in review.text
    upload = client.post("/cell", files={"workbook": ("notes.txt", b"x")})
    assert upload.status_code == 400 and "notes.txt" in upload.text


def test_a_workbook_with_a_problem_shows_its_sheet_row_and_cell(client):
    book = broken_workbook(client.books)
    answer = client.post("/cell", files={"workbook": ("sổ lỗi.xlsx", book.read_bytes())})
    assert answer.status_code == 200
    assert answer.text.count('<tr class="problem">') == 1
    row = answer.text.split('<tr class="problem">')[1].split("</tr>")[0]
    assert ('<td data-label="Tệp">sổ lỗi.xlsx</td><td data-label="Trang tính">Nhân sự</td>'
            '<td data-label="Dòng">2</td><td data-label="Ô">C2</td>') in row
    assert "có lẽ" in row


def test_bad_uploads_are_refused_in_words(client):
    none = client.post("/cell", files={"workbook": ("", b"")})
    assert none.status_code == 400 and "Chưa chọn tệp" in none.text
    text = client.post("/cell", files={"workbook": ("ke-hoach.txt", b"hello")})
    assert text.status_code == 400 and "ke-hoach.txt" in text.text and ".xlsx" in text.text


def test_too_big_an_upload_is_413_naming_the_limit(tmp_path):
    TestClient = _testclient()

    from chibo_rules.web.app import ServeSettings, create_app
    from chibo_rules.web.uploads import Limits

    settings = ServeSettings(data=tmp_path, store=str(tmp_path / "s.sqlite3"), limits=Limits(max_file_bytes=1024))
    with TestClient(create_app(settings)) as client:
        answer = with_csrf(client).post("/cell", files={"workbook": ("big.xlsx", b"x" * 2048)})
    assert answer.status_code == 413 and "1 KB" in answer.text


def test_language_switch_sets_a_cookie_and_english_stays(client, handed_in):
    assert "Nộp sổ theo dõi" in client.get("/").text
    english = client.get("/?lang=en")
    assert "Workbooks handed in before" in english.text and 'href="/?lang=vi"' in english.text
    assert "Workbooks handed in before" in client.get("/").text  # the cookie remembers it
    assert client.get(handed_in + "/report?job=check").text.startswith("<!DOCTYPE html>\n<html lang=\"en\"")
    client.get("/?lang=vi")
    assert "Nộp sổ theo dõi" in client.get("/").text


def test_downloads_word_markdown_json_html_minutes_agenda_and_workbooks(client, handed_in):
    import docx
    import openpyxl

    word = client.get(handed_in + "/download/report.docx?job=check")
    assert word.status_code == 200 and "attachment" in word.headers["content-disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert "Chi bộ trường THCS Vĩnh Bình Nam 1".upper() in text.upper()
    assert client.get(handed_in + "/download/report.md?job=check").text.startswith("#")
    assert client.get(handed_in + "/download/report.json?job=check").json()["summary"]["gap"] == 6
    assert '<meta name="generator" content="chibo' in client.get(handed_in + "/download/report.html?job=check").text
    ready = "?job=ready&meeting=2020-06-05"
    assert client.get(handed_in + "/download/minutes.docx" + ready).content[:2] == b"PK"
    assert client.get(handed_in + "/download/agenda.md" + ready).text.startswith("# ")
    assert client.get(handed_in + "/download/minutes.docx?job=check").status_code == 400
    for name in ("workbook.xlsx", "blank.xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(client.get(handed_in + "/download/" + name).content))
        assert "Chi bộ" in book.sheetnames
    assert client.get(handed_in + "/download/../../etc/passwd").status_code == 404


def test_audit_and_ready_choices_are_checked(client, handed_in):
    assert client.get(handed_in + "/report?job=audit&quarter=2020-Q2").status_code == 200
    wrong = client.get(handed_in + "/report?job=audit&quarter=2031-Q2")
    assert wrong.status_code == 400 and "2031" in wrong.text
    assert client.get(handed_in + "/report?job=ready").status_code == 400
    assert client.get(handed_in + "/report?job=nothing").status_code == 400


def test_the_year_end_review_from_the_page_as_the_command_writes_it(client, handed_in):
    """The cell page offers the review (its job asks for a year, the cell's own first); its report is the
    command's review: the same points and proposed rating, downloadable in Word; last year is looked up in the
    page's store (empty here: said so)."""
    import docx

    page = client.get(handed_in)
    assert 'id="run-review"' in page.text and '<option value="2020" selected>2020</option>' in page.text
    report = client.get(handed_in + "/report?job=review&year=2020")
    assert report.status_code == 200
    assert "Đề xuất xếp loại: Không hoàn thành nhiệm vụ (77,39 điểm)" in report.text
    assert "Chưa có kho lưu trữ" not in report.text  # the page's store was asked for 2019
    data = client.get(handed_in + "/download/report.json?job=review&year=2020").json()
    assert (data["terms"]["points"], data["proposal"]["level"]) == (77.3889, "not_complete")
    word = client.get(handed_in + "/download/report.docx?job=review&year=2020")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    assert word.status_code == 200 and "77,39" in text
    assert client.get(handed_in + "/report?job=review").status_code == 400  # no year: said, not guessed


def test_earlier_hand_ins_are_listed_on_the_home_page(client, handed_in):
    assert f'href="{handed_in}"' in client.get("/").text


def test_judged_cells_are_saved_to_the_store(client, handed_in):
    from chibo_rules.store.db import open_store
    from chibo_rules.store.queries import find_cells

    client.get(handed_in + "/report?job=check")
    history = client.get(handed_in + "/history")
    assert history.status_code == 200 and "<svg" in history.text and "R41" in history.text
    store = open_store(str(client.books / "store.sqlite3"), create=False)
    with store.read() as conn:
        name = "Chi bộ trường THCS Vĩnh Bình Nam 1"
        assert [c.name for c in find_cells(conn, name)] == [name]
    store.close()


# --------------------------------------------------------------------------- the command
def _chibo(*args: str, **env: str):
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "chibo_rules", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})


def test_serve_refuses_another_host_until_accounts_exist(tmp_path):
    run = _chibo("serve", "--host", "0.0.0.0", "--no-browser", "--data", str(tmp_path))
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "--add-user" in run.stderr and "0.0.0.0" in run.stderr
    english = _chibo("serve", "--host", "192.168.1.5", "--data", str(tmp_path), "--lang", "en")
    assert english.returncode == 2 and "add one first" in english.stderr


def test_serve_starts_on_loopback_and_answers(tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "chibo_rules", "serve", "--port", str(port), "--no-browser",
                               "--data", str(tmp_path), "--store", str(tmp_path / "s.sqlite3")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    page = answer.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("chibo serve did not answer: " + (server.stderr.read() if server.poll() is not None else ""))
        assert "Nộp sổ theo dõi" in page
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out


# --------------------------------------------------------------------------- a committee
def test_a_committee_hands_in_three_workbooks_and_reads_the_roll_up_worst_first(client):
    import docx

    from .conftest import CASES

    books = [example_workbook(client.books, CASES / name) for name in
             ("vbn1-2020-compliant", "vbn1-2020", "vbn2-2020")]
    answer = client.post("/committee", files=[("workbooks", (b.name, b.read_bytes())) for b in books],
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    rollup = client.get(answer.headers["location"])
    assert rollup.status_code == 200
    assert rollup.text.count('<tr class="cell-row">') == 3
    first = rollup.text.split('<tr class="cell-row">')[1]
    assert "Vĩnh Bình Nam 2" in first and "verdict-gap" in first  # nine gaps, a critical one: worst
    assert '<td data-label="Thiếu sót">9</td>' in first
    assert '<td data-label="Thiếu sót">6</td>' in rollup.text.split('<tr class="cell-row">')[2]
    last = rollup.text.split('<tr class="cell-row">')[3]
    assert "verdict-passed" in last
    word = client.get(answer.headers["location"] + "/download/report.docx")
    assert word.status_code == 200
    assert "Vĩnh Bình Nam" in "\n".join(p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs)
    history = client.get(answer.headers["location"] + "/history")
    assert history.status_code == 200 and "<svg" in history.text and "Đảng bộ xã Vĩnh Bình Nam" in history.text


def test_an_unknown_batch_is_404(client):
    assert client.get("/committee/0123456789abcdef").status_code == 404
    assert client.get("/committee/nope/history").status_code == 404
    assert client.post("/committee", files={"workbooks": ("", b"")}).status_code == 400


# --------------------------------------------------------------------------- a plan
# the seed plan beside the clone (../shared/plan; from a git worktree under wt/, beside its parent), never copied
SEED_PLAN = next((p / "shared" / "plan" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared" / "plan").is_dir()),
                 ROOT.parent / "shared" / "plan") / "ke-hoach-chi-bo-2020.txt"


def test_a_plan_is_drafted_reviewed_applied_and_its_workbook_downloaded(client):
    import openpyxl

    if not SEED_PLAN.is_file():
        pytest.skip(f"{SEED_PLAN} is beside the clone only")
    answer = client.post("/plan", files={"plan": ("kế hoạch 2020.txt", SEED_PLAN.read_bytes())},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    review = client.get(answer.headers["location"])
    rows = review.text.count('<tr class="proposal"')
    assert review.status_code == 200 and rows >= 40
    ids = [part.split('"')[0] for part in review.text.split('<tr class="proposal" id="row-')[1:]]
    targets = {i: review.text.split(f'name="target_{i}" value="')[1].split('"')[0] for i in ids}
    first = next(i for i in ids if targets[i] not in ("", "3"))  # a rule with a figure, changed to 3
    second = next(i for i in ids if i != first)
    nothing = client.post(answer.headers["location"] + "/apply", data={})
    assert nothing.status_code == 400 and "review.xlsx" in nothing.text  # nothing accepted: said, not applied
    bad = client.post(answer.headers["location"] + "/apply", data={f"decision_{first}": "accept",
                                                                   f"target_{first}": "nhiều"})
    assert bad.status_code == 400 and 'value="nhiều"' in bad.text  # what was typed stays on the page
    applied = client.post(answer.headers["location"] + "/apply",
                          data={f"decision_{first}": "accept", f"target_{first}": "3",
                                f"decision_{second}": "reject", "accept_rest": "1"}, follow_redirects=False)
    assert applied.status_code == 303, applied.text
    done = client.get(applied.headers["location"])
    assert f"{rows - 1} yêu cầu được nhận; 1 bị bỏ, 0 chưa quyết định" in done.text
    link = done.text.split('id="plan-workbook" href="')[1].split('"')[0]
    book = openpyxl.load_workbook(io.BytesIO(client.get(link).content))
    assert "Chi bộ" in book.sheetnames and len(book.sheetnames) > 3
    plan_id = applied.headers["location"].rsplit("/", 1)[1]
    rule = (client.books / "data" / "plans" / plan_id / f"{first}.yaml").read_text("utf-8")
    assert "target changed by the reviewer to 3" in rule
    folder = client.books / "data" / "plans" / plan_id  # the folder `chibo plan apply` writes: a test per rule
    assert sorted(p.name for p in (folder / "tests").glob("*.yaml")) == sorted(
        p.name for p in folder.glob("*.yaml") if p.name != "plan.yaml") and len(list(folder.glob("*.yaml"))) == rows


def test_a_plan_document_chibo_cannot_read_is_said(client):
    assert client.get("/plan").status_code == client.get("/committee").status_code == 200
    answer = client.post("/plan", files={"plan": ("trống.txt", b"   \n")})
    assert answer.status_code == 400 and "trống.txt" in answer.text
    assert client.get("/plan/" + "0" * 64).status_code == 404


def test_a_bug_is_a_page_naming_its_log_never_a_traceback(tmp_path, monkeypatch):
    TestClient = _testclient()

    from chibo_rules.web import app as web_app

    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(web_app, "bundled_plans", broken)
    monkeypatch.setenv("CHIBO_LOG_DIR", str(tmp_path / "logs"))
    settings = web_app.ServeSettings(data=tmp_path, store=str(tmp_path / "s.sqlite3"))
    with TestClient(web_app.create_app(settings), raise_server_exceptions=False) as client:
        answer = client.get("/")
    assert answer.status_code == 500
    assert "lỗi của chibo" in answer.text and "Traceback" not in answer.text and "a bug" not in answer.text
    logs = list((tmp_path / "logs").glob("chibo-crash-*.log"))
    assert len(logs) == 1 and "RuntimeError: a bug" in logs[0].read_text("utf-8")


def test_the_session_key_is_made_once_and_kept_private(tmp_path):
    import stat

    from chibo_rules.web.guard import load_secret as session_secret

    first = session_secret(tmp_path / "data")
    assert len(first) >= 48 and session_secret(tmp_path / "data") == first  # a restart keeps the sessions
    assert stat.S_IMODE((tmp_path / "data" / "secret").stat().st_mode) == 0o600


def test_a_judged_report_is_answered_while_another_cell_is_being_judged(client, handed_in):
    import threading
    import time

    site = client.app.state.site
    client.get(handed_in + "/report?job=check")  # judged and kept
    with site.judgings.lock:  # as if another cell's judging held it
        started = time.monotonic()
        done = threading.Event()

        def read():
            assert client.get(handed_in + "/report?job=check").status_code == 200
            done.set()

        reader = threading.Thread(target=read)
        reader.start()
        assert done.wait(30)
    reader.join()
    assert time.monotonic() - started < 30


def test_a_committee_zip_goes_through_uploads_unpack_zip(client, monkeypatch):
    from chibo_rules.web import uploads

    from .conftest import CASES

    book = example_workbook(client.books, CASES / "vbn2-2020")
    seen = []

    def unpack(data, folder, allowed, limits):  # here, the zip holds this one book
        seen.append((data, allowed))
        return [uploads.keep(book.read_bytes(), "vbn2-2020.xlsx", folder, allowed, limits)]

    monkeypatch.setattr(uploads, "unpack_zip", unpack)
    answer = client.post("/committee", files={"workbooks": ("quy-2.zip", b"PK zip bytes")}, follow_redirects=False)
    assert answer.status_code == 303 and seen == [(b"PK zip bytes", {".xlsx"})]
    assert client.get(answer.headers["location"]).text.count('<tr class="cell-row">') == 1


def test_the_data_folder_follows_chibo_data_dir(tmp_path, monkeypatch):
    from chibo_rules.web.app import ServeSettings

    monkeypatch.setenv("CHIBO_DATA_DIR", str(tmp_path / "here"))
    assert ServeSettings().data == tmp_path / "here"


def test_add_user_asks_the_password_twice_and_changes_nothing_when_they_differ(tmp_path):
    from .clirun import invoke_chibo

    no_role = invoke_chibo("serve", "--add-user", "lan", "--data", tmp_path, env={"CHIBO_PASSWORD": "x"})
    assert no_role.returncode == 2 and "--role" in no_role.stderr
    differ = invoke_chibo("serve", "--add-user", "lan", "--role", "secretary", "--data", tmp_path,
                          stdin="mot\nhai\n", env={"CHIBO_PASSWORD": None})
    assert differ.returncode == 2 and "không khớp" in differ.stderr
    assert "mot" not in differ.stdout + differ.stderr  # a hidden prompt: the password is never echoed
    empty = invoke_chibo("serve", "--add-user", "lan", "--role", "admin", "--data", tmp_path,
                         env={"CHIBO_PASSWORD": ""})
    assert empty.returncode == 2 and "trống" in empty.stderr
    assert not (tmp_path / "accounts.sqlite").exists()


def test_the_base_page_renders_without_the_sites_words_for_another_module():
    """guard.py renders login.html (which extends base.html) in its own way: the frame needs nothing of ours."""
    import jinja2

    from chibo_rules.web.pages import HERE

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
    html = env.from_string('{% extends "base.html" %}{% block main %}<p>login</p>{% endblock %}').render()
    assert '<html lang="vi">' in html and "<p>login</p>" in html and 'href="/static/app.css"' in html


def test_add_user_makes_an_account_the_page_reads_and_a_weak_password_is_refused(tmp_path):
    """The account `--add-user` makes is the one the page's guard reads (one accounts file), and only then is
    another host than this computer allowed; a weak password is refused in words, exit 2, nothing made."""
    from chibo_rules.web.accounts import Accounts, default_path

    from .clirun import invoke_chibo

    weak = invoke_chibo("serve", "--add-user", "lan", "--role", "admin", "--data", tmp_path,
                        env={"CHIBO_PASSWORD": "ngan"})
    assert weak.returncode == 2 and "10" in weak.stderr and "Traceback" not in weak.stderr
    assert not Accounts(default_path(tmp_path)).exists()
    made = invoke_chibo("serve", "--add-user", "lan", "--role", "admin", "--data", tmp_path,
                        env={"CHIBO_PASSWORD": "mat-khau-du-dai-2020"})
    assert made.returncode == 0, made.stderr
    account = Accounts(default_path(tmp_path)).verify("lan", "mat-khau-du-dai-2020", "test")
    assert account is not None and account.role.value == "admin"
