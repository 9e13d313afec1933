"""Every command in every format: check, audit, ready and the roll-up as table, JSON (valid against
docs/report.schema.json), Markdown (parsed as a viewer would) and HTML (opened in headless Chromium:
what the page shows, in Vietnamese, with status colours and the plan clause per finding)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt

from chibo_rules.report.output import STATUS_CSS

from . import browser as chromium
from .clirun import invoke_chibo
from .conftest import GAPS_CASE, ROOT

SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
VBN2 = ROOT / "cases" / "vbn2-2020"

COMMANDS = {
    "check": (["check", VBN2], 1, "chibo.check/1"),
    "audit": (["audit", GAPS_CASE, "--quarter", "2020-Q3"], 1, "chibo.audit/1"),
    "ready": (["ready", GAPS_CASE, "--meeting", "24/04/2020"], 1, "chibo.ready/1"),
    "rollup": (["check", ROOT / "cases"], 1, "chibo.rollup/1"),
}
# what each page must show a reader (Vietnamese, NFC), including a plan clause where findings are listed
SHOWS = {
    "check": ["Báo cáo rà soát thực hiện kế hoạch", "Chi bộ trường THCS Vĩnh Bình Nam 2", "Được miễn trừ",
              "ĐÃ HẾT HẠN ngày 30/09/2020", "Trích kế hoạch (B.I.4):",
              "“Trong năm không có đảng viên nào vi phạm Điều lệ Đảng.”",
              "Nguyễn Thị Diệu Hiền"],
    "audit": ["Báo cáo kiểm tra quý 3/2020", "Chậm tiến độ", "Thay đổi so với quý trước", "Mới phát sinh",
              "Việc cần làm trước ngày 31/12/2020", "Trích kế hoạch (B.I.4): “giám sát 11 Đ/C”"],
    "ready": ["Chuẩn bị sinh hoạt chi bộ ngày 24/04/2020", "Chưa sẵn sàng", "Danh mục chuẩn bị",
              "Những người còn nợ việc", "Dự thảo chương trình sinh hoạt", "Kể chuyện về Bác: CHƯA CHỌN"],
    "rollup": ["Tổng hợp kết quả các chi bộ", "Chi bộ trường THCS Vĩnh Bình Nam 2", "vbn1-2020-compliant",
               "4 chi bộ: 1 đạt hết, 3 có thiếu sót, 0 lỗi dữ liệu", "tan-phuoc-2020-2022"],
}
STATUS_SEEN = {"check": ["gap", "passed", "exempted"], "audit": ["gap", "behind_pace", "on_pace", "new"],
               "ready": ["not_ready", "ready", "info"], "rollup": ["gap", "passed"]}


@pytest.fixture(scope="module")
def produced(tmp_path_factory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("formats")
    files = {}
    for name, (args, code, _) in COMMANDS.items():
        for fmt, suffix in (("table", "txt"), ("json", "json"), ("markdown", "md"), ("html", "html")):
            path = out / f"{name}.{suffix}"
            run = invoke_chibo(*args, "--format", fmt, "--output", path)
            assert run.returncode == code, (name, fmt, run.stderr)
            assert run.stdout == "" and "Traceback" not in run.stderr
            files[name, fmt] = path
    return files


@pytest.mark.parametrize("name", COMMANDS)
def test_json_follows_the_schema(produced, name):
    data = json.loads(produced[name, "json"].read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == COMMANDS[name][2]


def test_schema_tells_the_report_kinds_apart(produced):
    data = json.loads(produced["audit", "json"].read_text(encoding="utf-8"))
    data["schema"] = "chibo.check/1"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    ready = json.loads(produced["ready", "json"].read_text(encoding="utf-8"))
    ready["ready"] = "yes"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(ready, SCHEMA)


@pytest.mark.parametrize("name", COMMANDS)
def test_table_and_markdown_show_the_same_words(produced, name):
    table = " ".join(produced[name, "table"].read_text(encoding="utf-8").split())
    markdown = produced[name, "markdown"].read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    assert tokens[0].type == "heading_open" and tokens[0].tag == "h1"
    assert any(tok.type == "table_open" for tok in tokens) or name == "ready"
    html_text = MarkdownIt("commonmark").enable("table").render(markdown)
    rendered = " ".join(html.unescape(re.sub(r"<[^>]+>", "", html_text)).split())  # what a viewer shows
    for needle in SHOWS[name]:
        # a terminal table wraps long cells over lines: every word must be there
        assert needle in table or all(word in table for word in needle.split()), (name, needle)
        assert needle in rendered, (name, needle)


@pytest.fixture(scope="module")
def page():
    chromium.skip_if_missing()
    with chromium.session() as session:
        yield session


@pytest.mark.parametrize("name", COMMANDS)
def test_html_page_shows_the_report_in_a_browser(produced, page, name):
    page.open(produced[name, "html"])
    shown = " ".join(page.text().split())
    for needle in SHOWS[name]:
        assert needle in shown, (name, needle)
    assert page.js("return document.documentElement.lang") == "vi"
    for status in STATUS_SEEN[name]:
        assert page.count(f".status-{status}") > 0, (name, status)
        (style, *_) = page.styles(f".status-{status}", "color")
        if STATUS_CSS[status]["color"].startswith("#"):
            assert style["color"] == chromium.rgb(STATUS_CSS[status]["color"]), (name, status)
    assert page.count("table tr") >= 2
    pages = chromium.pdf_pages(page.pdf())
    assert pages and "Chi bộ" in " ".join(text for _, _, text in pages)
