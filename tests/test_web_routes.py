"""`chibo serve`'s routes without a browser (starlette's TestClient): a handed-in workbook, its report and
downloads, refusals in the user's words, the language switch."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from chibo_rules.facts.xlsx import write_workbook
from chibo_rules.jobs.plans import Plans, load_checked

from .conftest import GAPS_CASE

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx`:DeprecationWarning")


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
    from starlette.testclient import TestClient

    from chibo_rules.web.app import ServeSettings, create_app

    folder = tmp_path_factory.mktemp("web")
    settings = ServeSettings(data=folder / "data", store=str(folder / "store.sqlite3"))
    with TestClient(create_app(settings)) as client:
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
                "/cell/" + "0" * 64 + "/download/report.docx", "/api/cell/" + "0" * 64 + "/report"):
        assert client.get(url).status_code == 404, url


def test_a_workbook_with_a_problem_shows_its_sheet_row_and_cell(client):
    book = broken_workbook(client.books)
    answer = client.post("/cell", files={"workbook": ("sổ lỗi.xlsx", book.read_bytes())})
    assert answer.status_code == 200
    assert answer.text.count('<tr class="problem">') == 1
    row = answer.text.split('<tr class="problem">')[1].split("</tr>")[0]
    assert "<td>sổ lỗi.xlsx</td><td>Nhân sự</td><td>2</td><td>C2</td>" in row
    assert "có lẽ" in row


def test_bad_uploads_are_refused_in_words(client):
    none = client.post("/cell", files={"workbook": ("", b"")})
    assert none.status_code == 400 and "Chưa chọn tệp" in none.text
    text = client.post("/cell", files={"workbook": ("ke-hoach.txt", b"hello")})
    assert text.status_code == 400 and "ke-hoach.txt" in text.text and ".xlsx" in text.text


def test_too_big_an_upload_is_413_naming_the_limit(tmp_path):
    from starlette.testclient import TestClient

    from chibo_rules.web.app import ServeSettings, create_app
    from chibo_rules.web.uploads import Limits

    settings = ServeSettings(data=tmp_path, store=str(tmp_path / "s.sqlite3"), limits=Limits(max_file_bytes=1024))
    with TestClient(create_app(settings)) as client:
        answer = client.post("/cell", files={"workbook": ("big.xlsx", b"x" * 2048)})
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


def test_earlier_hand_ins_are_listed_on_the_home_page(client, handed_in):
    assert f'href="{handed_in}"' in client.get("/").text


def test_judged_cells_are_saved_to_the_store(client, handed_in):
    from chibo_rules.store.db import open_store
    from chibo_rules.store.queries import find_cells

    client.get(handed_in + "/report?job=check")
    store = open_store(str(client.books / "store.sqlite3"), create=False)
    with store.read() as conn:
        assert [c.name for c in find_cells(conn, "Chi bộ trường THCS Vĩnh Bình Nam 1")] == ["Chi bộ trường THCS Vĩnh Bình Nam 1"]
    store.close()
