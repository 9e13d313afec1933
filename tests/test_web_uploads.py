"""Uploads are hostile until read (issue 23 item 3): chibo_rules/web/uploads.py.

Every refusal is shown with a file crafted here: a zip bomb (1 GiB of zeros, compressed as it streams, never
held), members that climb out or start at the root, a symbolic link, too many members, bytes that are not what
the name says, an encrypted member, a zip inside the zip. What is accepted is kept content-addressed under the
given folder, and an uploaded name is cleaned for display and never used as a path.

Not tested here (not this module's code): that the workbook loader (facts/) is only ever given a kept file.
app.py must hand `Kept.path` — never the upload — to the jobs; the integration's web tests should check it.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from chibo_rules.facts.xlsx import write_workbook
from chibo_rules.web import uploads
from chibo_rules.web.uploads import Kept, Limits, UploadRefused, keep, read_limited, unpack_zip

MIB = 1024 * 1024
WORKBOOK = {".xlsx"}
ANY = {".xlsx", ".docx", ".pdf", ".txt", ".zip"}


# ------------------------------------------------------------------------------------------- crafted files


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, compliant_case) -> bytes:
    """A real workbook, as `chibo template --from` writes it."""
    path = tmp_path_factory.mktemp("book") / "chi-bo.xlsx"
    write_workbook(path, compliant_case.schema, compliant_case)
    return path.read_bytes()


@pytest.fixture(scope="module")
def document() -> bytes:
    import docx

    out = io.BytesIO()
    made = docx.Document()
    made.add_paragraph("Kế hoạch năm 2020")
    made.save(out)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TEXT = "Chi bộ họp thường kỳ mỗi tháng một lần.\n".encode()


def _zip(members: dict[str, bytes], level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _raw_zip(entries: list[dict]) -> bytes:
    """A zip written byte by byte, so a test can say what zipfile would not: an encrypted flag, a size the
    member does not have. Each entry: name, data (as stored), method (0 stored, 8 deflated), size and crc
    (as declared), flags, mode (unix, in the upper half of external_attr)."""
    out, central = bytearray(), bytearray()
    for entry in entries:
        name = entry["name"].encode()
        data = entry["data"]
        size = entry.get("size", len(data))
        crc = entry.get("crc", zlib.crc32(data))
        flags, method = entry.get("flags", 0), entry.get("method", 0)
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0x21, crc, len(data), size,
                           len(name), 0) + name + data
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", (3 << 8) | 20, 20, flags, method, 0, 0x21, crc,
                               len(data), size, len(name), 0, 0, 0, 0, entry.get("mode", 0o100644) << 16,
                               offset) + name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)


@pytest.fixture(scope="module")
def zeros_gib() -> tuple[bytes, int]:
    """1 GiB of zeros deflated as it streams (1 MiB at a time; the GiB is never held): (raw deflate, crc)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    chunk, crc, parts = bytes(MIB), 0, []
    for _ in range(1024):
        parts.append(compressor.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts.append(compressor.flush())
    return b"".join(parts), crc


def _deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _refused(call, key: str) -> UploadRefused:
    with pytest.raises(UploadRefused) as caught:
        call()
    assert caught.value.key == key, (caught.value.key, caught.value.params)
    return caught.value


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# ------------------------------------------------------------------------------------------- read_limited


class _Upload:
    """An UploadFile as starlette hands it: `size` when known, `read(n)`; counts what it has handed out."""

    def __init__(self, total: int, size: int | None, chunk: int = 256 * 1024):
        self.total, self.size, self.chunk, self.handed = total, size, chunk, 0
        self.filename = "x.xlsx"

    async def read(self, n: int = -1) -> bytes:
        assert n is not None and n > 0, "an unbounded read"
        n = min(n, self.chunk, self.total - self.handed)
        self.handed += n
        return bytes(n)


def test_a_declared_size_over_the_limit_is_refused_before_a_byte_is_read():
    upload = _Upload(total=50 * MIB, size=50 * MIB)
    refused = _refused(lambda: asyncio.run(read_limited(upload, Limits(max_file_bytes=MIB))), "too_big")
    assert upload.handed == 0
    assert refused.params["limit"] == MIB


def test_reading_stops_as_soon_as_the_limit_is_passed():
    upload = _Upload(total=10**12, size=None)  # a stream that never ends, of no stated size
    _refused(lambda: asyncio.run(read_limited(upload, Limits(max_file_bytes=MIB))), "too_big")
    assert MIB < upload.handed <= MIB + 256 * 1024


def test_an_upload_within_the_limit_is_read_whole():
    upload = _Upload(total=MIB, size=MIB)
    assert asyncio.run(read_limited(upload, Limits(max_file_bytes=MIB))) == bytes(MIB)


# ------------------------------------------------------------------------------------------- keep


def test_each_kind_is_kept_content_addressed(tmp_path, workbook, document):
    for data, name, suffix in ((workbook, "Chi bộ 1.xlsx", ".xlsx"), (document, "Kế hoạch.DOCX", ".docx"),
                               (PDF, "ke-hoach.pdf", ".pdf"), (TEXT, "ke-hoach.txt", ".txt"),
                               (_zip({"a.xlsx": workbook}), "cac-chi-bo.zip", ".zip")):
        kept = keep(data, name, tmp_path, ANY, Limits())
        digest = hashlib.sha256(data).hexdigest()
        assert kept == Kept(digest, tmp_path / digest[:2] / f"{digest}{suffix}", name, suffix)
        assert kept.path.read_bytes() == data
    assert len(_files(tmp_path)) == 5
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]


def test_the_same_bytes_twice_are_one_file(tmp_path, workbook):
    first = keep(workbook, "chi-bo.xlsx", tmp_path, WORKBOOK, Limits())
    second = keep(workbook, "ban sao cua chi-bo.xlsx", tmp_path, WORKBOOK, Limits())
    assert first.path == second.path and first.digest == second.digest
    assert second.shown_name == "ban sao cua chi-bo.xlsx"
    assert _files(tmp_path) == [first.path]


def test_a_kept_file_damaged_since_is_written_again(tmp_path):
    first = keep(TEXT, "a.txt", tmp_path, ANY, Limits())
    first.path.write_bytes(b"half")
    keep(TEXT, "a.txt", tmp_path, ANY, Limits())
    assert first.path.read_bytes() == TEXT


@pytest.mark.parametrize(("name", "shown"), [
    ("../../x.xlsx", "x.xlsx"),
    ("C:\\Windows\\x.xlsx", "x.xlsx"),
    ("/etc/cron.d/x.xlsx", "x.xlsx"),
    ("\\\\server\\share\\x.xlsx", "x.xlsx"),
    ("chi\u202ebo\u200b\x00\x07.xlsx", "chibo.xlsx"),  # a bidi override, a zero-width space, NUL, a bell
    ("ten\nmoi\r.xlsx", "tenmoi.xlsx"),
    ("Chi bộ 1.xlsx", "Chi bộ 1.xlsx"),  # a Vietnamese name is kept as typed
])
def test_an_uploaded_name_is_never_a_path(tmp_path, workbook, name, shown):
    folder = tmp_path / "uploads"
    kept = keep(workbook, name, folder, WORKBOOK, Limits())
    assert kept.shown_name == shown
    assert kept.path.parent.parent == folder and kept.path.name == f"{kept.digest}.xlsx"
    assert [p.relative_to(tmp_path) for p in _files(tmp_path)] == [kept.path.relative_to(tmp_path)]


def test_a_long_name_is_cut_and_keeps_its_suffix(tmp_path):
    kept = keep(TEXT, "dai" * 200 + ".txt", tmp_path, ANY, Limits())
    assert len(kept.shown_name) <= uploads.MAX_NAME and kept.shown_name.endswith(".txt")


@pytest.mark.parametrize("name", ["..", "", "   ", "\u202e", "x.exe", "x.xlsx.exe", "x.xlsm", "x", ".xlsx."])
def test_a_name_without_an_allowed_suffix_is_refused(tmp_path, workbook, name):
    _refused(lambda: keep(workbook, name, tmp_path, WORKBOOK, Limits()), "suffix")
    assert _files(tmp_path) == []


def test_a_suffix_allowed_elsewhere_is_refused_where_it_is_not(tmp_path):
    refused = _refused(lambda: keep(PDF, "x.pdf", tmp_path, WORKBOOK, Limits()), "suffix")
    assert ".xlsx" in refused.words("en")


@pytest.mark.parametrize(("name", "data", "key"), [
    ("x.xlsx", TEXT, "wrong_content"),  # text named as a workbook
    ("x.pdf", b"PK\x03\x04" + bytes(100), "wrong_content"),  # a zip named as a PDF
    ("x.txt", b"\xff\xfe\x00t\x00e\x00x\x00t", "wrong_content"),  # UTF-16: not UTF-8 text
    ("x.txt", b"text\x00with NUL", "wrong_content"),
    ("x.txt", "dấu".encode("cp1258", errors="replace") + b"\xd0\xe0", "wrong_content"),
    ("x.docx", None, "wrong_content"),  # a workbook named as a Word document
    ("x.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "office_old"),  # .xls renamed, or a password
    ("x.zip", b"Rar!\x1a\x07\x00" + bytes(50), "wrong_content"),
    ("x.xlsx", b"", "empty"),
    ("x.xlsx", _zip({"[Content_Types].xml": b"<x/>", "a.txt": b"hi"}), "wrong_content"),  # a zip, no workbook
])
def test_bytes_that_are_not_what_the_name_says_are_refused(tmp_path, workbook, name, data, key):
    data = workbook if data is None else data
    refused = _refused(lambda: keep(data, name, tmp_path, ANY, Limits()), key)
    assert _files(tmp_path) == []
    assert refused.status == 400


def test_a_file_over_the_limit_is_refused(tmp_path):
    refused = _refused(lambda: keep(bytes(2 * MIB), "x.txt", tmp_path, ANY, Limits(max_file_bytes=MIB)), "too_big")
    assert refused.status == 413 and "1 MB" in refused.words("en")


def test_a_workbook_bomb_is_refused_before_openpyxl_sees_it(tmp_path, monkeypatch, zeros_gib):
    """An xlsx is itself a zip: openpyxl would unpack its sheet. It is measured first, with the zip limits."""
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("openpyxl opened it"))
    deflated, crc = zeros_gib
    book = _raw_zip([
        {"name": "[Content_Types].xml", "data": b"<Types/>"},
        {"name": "xl/workbook.xml", "data": b"<workbook/>"},
        {"name": "xl/worksheets/sheet1.xml", "data": deflated, "method": 8, "size": 1 << 30, "crc": crc},
    ])
    refused = _refused(lambda: keep(book, "chi-bo.xlsx", tmp_path, WORKBOOK, Limits()), "zip_ratio")
    assert refused.status == 413
    assert _files(tmp_path) == []


def test_a_workbook_with_an_encrypted_part_is_refused(tmp_path):
    book = _raw_zip([{"name": "[Content_Types].xml", "data": b"<Types/>"},
                     {"name": "xl/workbook.xml", "data": b"<workbook/>", "flags": 1}])
    _refused(lambda: keep(book, "x.xlsx", tmp_path, WORKBOOK, Limits()), "zip_encrypted")


# ------------------------------------------------------------------------------------------- unpack_zip


def test_a_committees_zip_keeps_its_workbooks_and_skips_the_litter(tmp_path, workbook, document):
    archive = _zip({  # the same workbook three times: kept once, shown thrice
        "2020/": b"",
        "2020/chi-bo-1.xlsx": workbook,
        "2020/Chi bộ 2.xlsx": workbook,
        "ban-sao/chi-bo-1.xlsx": workbook,
        "~$chi-bo-1.xlsx": b"lock",
        ".~lock.chi-bo-1.xlsx#": b"lock",
        "Thumbs.db": b"x",
        "__MACOSX/2020/._chi-bo-1.xlsx": b"x",
        "ghi-chu.docx": document,
    })
    kept = unpack_zip(archive, tmp_path, WORKBOOK, Limits())
    assert [k.shown_name for k in kept] == ["chi-bo-1.xlsx", "Chi bộ 2.xlsx", "chi-bo-1.xlsx"]
    assert {k.path for k in kept} == set(_files(tmp_path))
    assert len(_files(tmp_path)) == 1
    assert "ghi-chu.docx" in kept.skipped and "~$chi-bo-1.xlsx" in kept.skipped


def test_a_zip_with_nothing_to_keep_is_refused(tmp_path):
    _refused(lambda: unpack_zip(_zip({"a.txt": TEXT, "Thumbs.db": b"x"}), tmp_path, WORKBOOK, Limits()), "zip_nothing")


def test_more_members_than_the_limit_are_refused(tmp_path):
    archive = _zip({f"{i}.txt": TEXT for i in range(6)})
    refused = _refused(lambda: unpack_zip(archive, tmp_path, ANY, Limits(max_files=5)), "too_many_files")
    assert refused.status == 413 and refused.params["most"] == 5
    assert _files(tmp_path) == []


@pytest.mark.parametrize("name", ["../chi-bo.xlsx", "2020/../../chi-bo.xlsx", "..\\chi-bo.xlsx", "a/..\\..\\b.xlsx"])
def test_a_member_that_climbs_out_is_refused(tmp_path, workbook, name):
    folder = tmp_path / "in"
    refused = _refused(lambda: unpack_zip(_raw_zip([{"name": name, "data": workbook}]), folder, WORKBOOK,
                                          Limits()), "zip_climbs")
    assert refused.params["member"] == name
    assert _files(tmp_path) == []


@pytest.mark.parametrize("name", ["/etc/chi-bo.xlsx", "C:/chi-bo.xlsx", "C:\\Users\\chi-bo.xlsx", "\\\\srv\\x.xlsx"])
def test_a_member_with_an_absolute_path_is_refused(tmp_path, workbook, name):
    _refused(lambda: unpack_zip(_raw_zip([{"name": name, "data": workbook}]), tmp_path, WORKBOOK, Limits()),
             "zip_absolute")
    assert _files(tmp_path) == []


@pytest.mark.parametrize("mode", [0o120777, 0o010644, 0o060644])  # a symbolic link, a FIFO, a block device
def test_a_link_or_special_member_is_refused(tmp_path, mode):
    archive = _raw_zip([{"name": "a.txt", "data": TEXT}, {"name": "chi-bo.txt", "data": b"/etc/passwd", "mode": mode}])
    refused = _refused(lambda: unpack_zip(archive, tmp_path, ANY, Limits()), "zip_link")
    assert refused.params["member"] == "chi-bo.txt"
    assert _files(tmp_path) == []


def test_an_encrypted_member_is_refused(tmp_path):
    archive = _raw_zip([{"name": "chi-bo.txt", "data": TEXT, "flags": 1}])
    _refused(lambda: unpack_zip(archive, tmp_path, ANY, Limits()), "zip_encrypted")


def test_a_zip_inside_the_zip_is_refused_and_said_so(tmp_path, workbook):
    archive = _zip({"chi-bo.xlsx": workbook, "con/trong.zip": _zip({"b.xlsx": workbook})})
    refused = _refused(lambda: unpack_zip(archive, tmp_path, WORKBOOK, Limits()), "zip_nested")
    assert "trong.zip" in refused.words("vi") and "zip" in refused.words("en")
    assert _files(tmp_path) == []


def test_a_member_that_is_not_what_its_name_says_is_refused_by_name(tmp_path, workbook):
    archive = _zip({"chi-bo-1.xlsx": workbook, "chi-bo-2.xlsx": TEXT})
    refused = _refused(lambda: unpack_zip(archive, tmp_path, WORKBOOK, Limits()), "wrong_content")
    assert refused.params["member"] == "chi-bo-2.xlsx" and "chi-bo-2.xlsx" in refused.words("en")
    assert _files(tmp_path) == []  # nothing of a refused zip is kept


def test_a_member_compressed_like_a_bomb_is_refused(tmp_path):
    archive = _zip({"a.txt": bytes(4 * MIB)}, level=9)  # about 1000:1
    refused = _refused(lambda: unpack_zip(archive, tmp_path, ANY, Limits()), "zip_ratio")
    assert refused.params["member"] == "a.txt" and refused.status == 413


def test_members_together_over_the_unpacked_limit_are_refused(tmp_path):
    members = {f"{i}.txt": os.urandom(MIB // 2).hex().encode()[: MIB - 10] for i in range(4)}
    _refused(lambda: unpack_zip(_zip(members), tmp_path, ANY, Limits(max_unzipped_bytes=3 * MIB)), "unzipped_too_big")


def test_one_member_over_the_file_limit_is_refused(tmp_path):
    archive = _zip({"a.txt": bytes(2 * MIB)})
    _refused(lambda: unpack_zip(archive, tmp_path, ANY, Limits(max_file_bytes=MIB)), "zip_member_too_big")


def _bounded(call, key: str) -> tuple[float, int]:
    """Run a refusal; (seconds, peak bytes allocated by Python meanwhile)."""
    tracemalloc.start()
    began = time.perf_counter()
    try:
        _refused(call, key)
    finally:
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return seconds, peak


def test_a_gigabyte_bomb_is_refused_without_unpacking_it(tmp_path, zeros_gib):
    deflated, crc = zeros_gib
    archive = _raw_zip([{"name": "chi-bo.txt", "data": deflated, "method": 8, "size": 1 << 30, "crc": crc}])
    seconds, peak = _bounded(lambda: unpack_zip(archive, tmp_path, ANY, Limits()), "zip_member_too_big")
    print(f"1 GiB bomb ({len(archive) // 1024} KiB zipped): refused in {seconds:.3f} s, peak {peak // 1024} KiB")
    assert seconds < 2 and peak < 64 * MIB


@pytest.mark.parametrize("declared", [900 * 1024, 10 * MIB])
def test_a_bomb_whose_header_lies_stops_at_the_limit(tmp_path, zeros_gib, declared):
    """The header says a small or a modest size; the stream inflates to 1 GiB. Unpacking stops at the limit
    (or at the declared size, where the member then fails its check) — never the whole GiB."""
    deflated, _crc = zeros_gib
    archive = _raw_zip([{"name": "chi-bo.txt", "data": deflated, "method": 8, "size": declared, "crc": 0}])
    seconds, peak = _bounded(lambda: unpack_zip(archive, tmp_path, ANY, Limits()), "zip_damaged")
    print(f"lying header ({declared} B declared): refused in {seconds:.3f} s, peak {peak // 1024} KiB")
    assert seconds < 5 and peak < 64 * MIB
    assert _files(tmp_path) == []


def test_a_bomb_whose_header_lies_is_counted_while_it_unpacks(monkeypatch, tmp_path, zeros_gib):
    """Not trusting the header: were zipfile to hand out more than the member declares, the count stops it."""
    deflated, _crc = zeros_gib
    archive = _raw_zip([{"name": "chi-bo.txt", "data": deflated, "method": 8, "size": 900 * 1024, "crc": 0}])
    real_open = zipfile.ZipFile.open

    def lying_open(self, name, *args, **kwargs):
        handle = real_open(self, name, *args, **kwargs)
        handle._left = 1 << 40  # as if the header said nothing true about the size
        handle._expected_crc = None
        return handle

    monkeypatch.setattr(zipfile.ZipFile, "open", lying_open)
    seconds, peak = _bounded(lambda: unpack_zip(archive, tmp_path, ANY, Limits()), "zip_member_too_big")
    assert seconds < 5 and peak < 64 * MIB


def test_a_damaged_zip_is_refused(tmp_path, workbook):
    archive = _zip({"a.xlsx": workbook})
    _refused(lambda: unpack_zip(archive[: len(archive) // 2], tmp_path, WORKBOOK, Limits()), "zip_damaged")
    _refused(lambda: unpack_zip(TEXT, tmp_path, WORKBOOK, Limits()), "wrong_content")


def test_a_directory_that_claims_more_members_than_allowed_is_refused_before_it_is_read(tmp_path):
    archive = bytearray(_zip({"a.txt": TEXT}))
    archive[-12:-10] = struct.pack("<H", 60000)  # entries in the end record
    archive[-14:-12] = struct.pack("<H", 60000)
    _refused(lambda: unpack_zip(bytes(archive), tmp_path, ANY, Limits()), "too_many_files")


# ------------------------------------------------------------------------------------------- words


def test_every_refusal_has_words_in_both_languages():
    sample = {"limit": 20 * MIB, "most": 300, "count": 301, "name": "x.xlsx", "member": "a/b.xlsx",
              "allowed": ".xlsx", "suffix": ".xlsx", "ratio": 1000}
    for key in uploads.MESSAGES:
        refused = UploadRefused(key, **sample)
        vi, en = refused.words("vi"), refused.words("en")
        assert vi and en and vi != en, key
        assert "{" not in vi + en, key
    assert UploadRefused("too_big", limit=20 * MIB).words("vi").count("20 MB") == 1
    assert UploadRefused("zip_climbs", member="../x").words() == UploadRefused("zip_climbs", member="../x").words("vi")


# ------------------------------------------------------------------------------------------- the whole body


def _app(limit: int) -> tuple[Starlette, list[int]]:
    seen: list[int] = []

    async def hand_in(request: Request) -> PlainTextResponse:
        seen.append(len(await request.body()))  # an UploadRefused met here is answered by BodyLimit itself
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/cell", hand_in, methods=["POST"])])
    app.add_middleware(uploads.BodyLimit, max_body_bytes=limit)
    return app, seen


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read():
    app, seen = _app(MIB)
    with TestClient(app) as client:
        answer = client.post("/cell", files={"workbook": ("x.xlsx", bytes(2 * MIB))})
        assert answer.status_code == 413 and seen == []
        assert "1 MB" in answer.text
        assert client.post("/cell", files={"workbook": ("x.xlsx", bytes(1000))}).status_code == 200


def test_a_body_of_no_stated_length_is_refused_once_past_the_limit():
    app, seen = _app(MIB)

    def chunks():
        for _ in range(100):
            yield bytes(64 * 1024)

    with TestClient(app) as client:
        answer = client.post("/cell", content=chunks(), headers={"Content-Type": "application/octet-stream"})
        assert answer.status_code == 413 and seen == []


def test_a_refusal_raised_elsewhere_with_another_key_is_still_worded():
    """app.py's committee raises its own keys (e.g. "too_many"): a page saying it never crashes."""
    assert "too_many" in UploadRefused("too_many", limit=300).words("en")
    assert UploadRefused("zip_climbs").words("vi")  # a placeholder left unfilled is blank, not a KeyError


def test_the_app_refuses_a_body_over_the_limit_before_the_form_is_read(tmp_path):
    from chibo_rules.web.app import ServeSettings, create_app
    from chibo_rules.web.guard import CSRF_FIELD, CSRF_HEADER

    settings = ServeSettings(data=tmp_path / "data", store=str(tmp_path / "store.sqlite3"),
                             limits=Limits(max_body_bytes=MIB))
    with TestClient(create_app(settings)) as client:
        page = client.get("/").text
        client.headers[CSRF_HEADER] = page.split(f'name="{CSRF_FIELD}" value="', 1)[1].split('"', 1)[0]
        answer = client.post("/cell", files={"workbook": ("x.xlsx", bytes(2 * MIB))})
    assert answer.status_code == 413
    assert not (tmp_path / "data" / "uploads").exists()
