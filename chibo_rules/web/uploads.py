"""Uploads are hostile until read (issue 23 item 3).

app.py reads every upload through `read_limited`, keeps it with `keep` (or `unpack_zip` for a committee's zip)
and uses only `Kept.path` afterwards: an uploaded name is never a path. `BodyLimit` bounds a whole request
body before the form parser spools it.

What is refused, and why here rather than later:
- more bytes than a limit: counted as they arrive (a stated size over the limit is refused before any is read);
- bytes that are not what the name's suffix says (an .xlsx or .docx is a zip with the parts Office writes,
  a .pdf starts with %PDF-, a .txt is UTF-8 text): the jobs never see a file that only claims to be one;
- in any zip — a committee's, and an xlsx or docx, which are zips that openpyxl and python-docx unpack —
  a member that climbs out (`..`) or starts at a root, a symbolic link or other special file, an encrypted
  member, too many members, and a bomb: a member's declared size or ratio over the limits, and while it is
  inflated the bytes are counted and reading stops as soon as they pass a limit (the header is not trusted);
- in a committee's zip, a zip inside it (said so); program litter (Excel's lock files, hidden files,
  Thumbs.db) is skipped by the same rule as the roll-up's folder (facts.files.is_litter).

A refusal is an UploadRefused(key, **params): its words, Vietnamese and English, are in MESSAGES below (kept
here, beside the rules they word, so the page and the tests share one catalogue); `status` is 413 for what is
too large and 400 for what is malformed. Kept files go to <folder>/<digest[:2]>/<digest><suffix>, written
whole or not at all (a temporary file renamed over), the same bytes twice being one file.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..facts.files import is_litter
from ..words import Area

MIB = 1024 * 1024
CHUNK = 256 * 1024  # bytes read from an upload, or inflated from a member, at a time
MAX_NAME = 120  # characters of a shown name
RATIO_FLOOR = MIB  # a member smaller than this unpacked is never a bomb, whatever its ratio (XML compresses well)
MAX_OFFICE_PARTS = 10_000  # parts of one xlsx or docx (as facts/files.py MAX_ZIP_PARTS); Excel writes a few dozen

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls/.doc, or an Office file saved with a password
OFFICE_PARTS = {".xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
                ".docx": ("[Content_Types].xml", "word/document.xml")}
KINDS = {".xlsx": ("sổ Excel", "Excel workbook"), ".docx": ("văn bản Word", "Word document"),
         ".pdf": ("PDF", "PDF"), ".txt": ("văn bản thuần (UTF-8)", "plain text (UTF-8)"), ".zip": ("zip", "zip")}


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024  # one workbook, plan document or zip
    max_files: int = 300  # files in one hand-in (several files or a zip's members)
    max_unzipped_bytes: int = 200 * 1024 * 1024  # a zip's members together, once unpacked
    max_ratio: int = 100  # unpacked size over packed size, per member: above it a zip is a bomb
    max_body_bytes: int = 100 * 1024 * 1024  # one request's whole body (several files at once): BodyLimit


# key -> (Vietnamese, English); {limit} is a size in bytes (shown in MiB), {most}/{count} are counts
MESSAGES = Area("uploads")  # chibo_rules/words/uploads.yaml, {key: (vi, en)}
# said first, when a refused file was a member of a committee's zip
IN_ZIP = ("trong tệp zip, “{member}”: ", "in the zip, “{member}”: ")
TOO_LARGE = {"too_big", "body_too_big", "too_many_files", "zip_member_too_big", "unzipped_too_big", "zip_ratio"}


class _Blank(dict[str, object]):
    """Values for a message: a placeholder nobody filled is left empty, never a crash on a refusal page."""

    def __init__(self, values: dict[str, object], **more: object) -> None:
        super().__init__({**values, **more})

    def __missing__(self, key: str) -> str:
        return ""


def _size(value: object) -> str:
    """A size for people, as Windows Explorer shows one (MB and KB of 1,024): whole MB when it is one, else KB
    or bytes."""
    if not isinstance(value, int):
        return str(value)
    if value >= MIB:
        return f"{value / MIB:.0f} MB" if value % MIB == 0 else f"{value / MIB:.1f} MB"
    return f"{value // 1024} KB" if value >= 1024 else f"{value} B"


class UploadRefused(Exception):
    """An upload refused before it is read: `key` names the message in MESSAGES, `params` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    @property
    def status(self) -> int:
        """The HTTP status of the page that says so: 413 for what is too large, 400 for what is malformed."""
        return 413 if self.key in TOO_LARGE else 400

    def words(self, lang: str = "vi") -> str:
        """The refusal in the user's language (Vietnamese unless `lang` is "en"), every name and limit filled."""
        english = lang == "en"
        suffix = str(self.params.get("suffix", ""))
        values: dict[str, object] = {"name": "", "member": "", "allowed": "", "suffix": suffix, "count": "",
                                     "most": "", "ratio": "", **self.params}
        values["limit"] = _size(self.params.get("limit", ""))
        values["kind"] = KINDS.get(suffix, (suffix, suffix))[english]
        text = MESSAGES.get(self.key, MESSAGES["refused"])[english].format_map(_Blank(values, key=self.key))
        if self.params.get("in_zip"):
            text = IN_ZIP[english].format(**values) + text
        return text

    def __str__(self) -> str:
        return self.words("en")


@dataclass(frozen=True)
class Kept:
    digest: str  # sha256 of the bytes, hex
    path: Path  # where the bytes are kept: <data folder>/uploads/<digest[:2]>/<digest><suffix>
    shown_name: str  # the uploaded name, cleaned, for display only
    suffix: str  # ".xlsx", ".docx", ".txt", ".pdf", ".zip"


class Unpacked(list[Kept]):
    """The members kept from a zip, in its order, and `skipped`: the shown names of those left out (litter,
    and files of a kind not taken here), to say once on the page."""

    def __init__(self, kept: Iterable[Kept] = (), skipped: Iterable[str] = ()):
        super().__init__(kept)
        self.skipped = list(skipped)


# ----------------------------------------------------------------------------------------- reading


async def read_limited(upload: Any, limits: Limits) -> bytes:  # upload: starlette.datastructures.UploadFile
    """The upload's bytes, refused (UploadRefused) as soon as more than `limits.max_file_bytes` arrive: a
    size stated over the limit before any byte is read, otherwise counted chunk by chunk (a read never asks
    for more than the limit allows plus one chunk, and a short read is not taken for the end)."""
    most = limits.max_file_bytes
    stated = getattr(upload, "size", None)
    if isinstance(stated, int) and stated > most:
        raise UploadRefused("too_big", limit=most, name=clean_name(getattr(upload, "filename", "") or ""))
    parts: list[bytes] = []
    total = 0
    while True:
        chunk = await upload.read(CHUNK)
        if not chunk:
            return b"".join(parts)
        total += len(chunk)
        if total > most:
            raise UploadRefused("too_big", limit=most, name=clean_name(getattr(upload, "filename", "") or ""))
        parts.append(chunk)


# ----------------------------------------------------------------------------------------- names

_UNSHOWN = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}  # controls, bidi and zero-width marks, unassigned


def clean_name(shown_name: str) -> str:
    """The uploaded name as it may be shown, never as a path: its last part after any / or \\ (and a drive),
    without control, bidi-override or zero-width characters, NFC, trimmed, at most MAX_NAME characters with
    its suffix kept. May be empty."""
    name = re.split(r"[\\/]", shown_name or "")[-1]
    name = re.sub(r"^[A-Za-z]:", "", name)
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c) not in _UNSHOWN)
    name = name.strip(" \t")
    if name in (".", ".."):
        return ""
    if len(name) > MAX_NAME:
        stem, suffix = os.path.splitext(name)
        suffix = suffix[:16]
        name = stem[: MAX_NAME - len(suffix)] + suffix
    return name


def _suffix(name: str) -> str:
    """The name's suffix, lower case ("" when it has none, or only a dot)."""
    suffix = PurePosixPath(name).suffix.lower() if name and not name.endswith(".") else ""
    return suffix if len(suffix) > 1 else ""


def _allowed_text(allowed: set[str]) -> str:
    return ", ".join(sorted(allowed))


# ----------------------------------------------------------------------------------------- zips


def _zip_directory(data: bytes) -> tuple[int, int] | None:
    """(members, bytes of the central directory) from the end record, before zipfile reads the directory
    (a million entries would be a million objects); None when there is no end record."""
    tail = data[-(22 + 65535):]
    at = tail.rfind(EMPTY_ZIP)
    if at < 0 or len(tail) - at < 22:
        return None
    _sig, _disk, _cd_disk, _here, members, size, offset, _comment = struct.unpack("<4s4H2LH", tail[at:at + 22])
    if (members == 0xFFFF or size == 0xFFFFFFFF or offset == 0xFFFFFFFF) and at >= 20:
        locator = tail[at - 20:at]  # zip64: its end record is found through a locator just before
        if locator[:4] == b"PK\x06\x07":
            end64 = struct.unpack("<4sLQL", locator)[2]
            record = data[end64:end64 + 56]
            if record[:4] == b"PK\x06\x06":
                members, size = struct.unpack("<4sQ2H2L4Q", record)[7:9]
    return members, size


def _member_path_problem(member: str) -> str | None:
    """Why a member's name may not be taken even as a name: absolute, or climbing out; None when fine."""
    name = member.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "zip_absolute"
    if ".." in name.split("/"):
        return "zip_climbs"
    return None


def _is_special(info: zipfile.ZipInfo) -> bool:
    """A symbolic link, FIFO, device or socket (the unix mode in external_attr's upper half): only regular
    files and folders are taken. Zips made on Windows carry no mode (0)."""
    mode = info.external_attr >> 16
    return bool(mode) and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR)


def _open_zip(data: bytes, name: str, most: int) -> zipfile.ZipFile:
    """The zip, its directory measured first: refused when it claims more than `most` members."""
    if not data.startswith((ZIP_MAGIC, EMPTY_ZIP)):
        raise UploadRefused("wrong_content", name=name, suffix=".zip")
    directory = _zip_directory(data)
    if directory is None:
        raise UploadRefused("zip_damaged", name=name)
    members, size = directory
    if members > most or size > most * 1024:
        raise UploadRefused("too_many_files", count=members, most=most, name=name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error, NotImplementedError):
        raise UploadRefused("zip_damaged", name=name) from None
    if len(archive.infolist()) > most:
        raise UploadRefused("too_many_files", count=len(archive.infolist()), most=most, name=name)
    return archive


def _check_members(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip with a member that climbs out, starts at a root, or is a link or special file."""
    for info in archive.infolist():
        problem = _member_path_problem(info.filename)
        if problem:
            raise UploadRefused(problem, member=info.filename, name=name)
        if _is_special(info):
            raise UploadRefused("zip_link", member=info.filename, name=name)


class _Budget:
    """The unpacked bytes a zip may still yield (max_unzipped_bytes in all), spent member by member."""

    def __init__(self, limits: Limits, name: str, per_member: int | None):
        self.limits, self.name, self.per_member = limits, name, per_member
        self.left = limits.max_unzipped_bytes

    def declared(self, infos: list[zipfile.ZipInfo]) -> None:
        """What the directory says: each member within its limit and ratio, all of them within the total."""
        total = 0
        for info in infos:
            self._member(info, info.file_size)
            total += info.file_size
        if total > self.limits.max_unzipped_bytes:
            raise UploadRefused("unzipped_too_big", limit=self.limits.max_unzipped_bytes, name=self.name)

    def _member(self, info: zipfile.ZipInfo, size: int) -> None:
        if self.per_member is not None and size > self.per_member:
            raise UploadRefused("zip_member_too_big", member=info.filename, limit=self.per_member, name=self.name)
        packed = max(info.compress_size, 1)
        if size > RATIO_FLOOR and size > self.limits.max_ratio * packed:
            raise UploadRefused("zip_ratio", member=info.filename, ratio=size // packed,
                                most=self.limits.max_ratio, name=self.name)

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, keep: bool) -> bytes:
        """The member inflated, counted as it comes: reading stops as soon as the member passes its limit or
        ratio, or the zip passes its total — whatever the header said. Kept only when `keep` (else checked)."""
        if info.flag_bits & 0x41:  # traditional or strong encryption
            raise UploadRefused("zip_encrypted", member=info.filename, name=self.name)
        parts: list[bytes] = []
        size = 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    self._member(info, size)
                    if size > self.left:
                        raise UploadRefused("unzipped_too_big", limit=self.limits.max_unzipped_bytes,
                                            name=self.name)
                    if keep:
                        parts.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error, NotImplementedError,
                RuntimeError, zlib.error):
            raise UploadRefused("zip_damaged", name=self.name) from None
        self.left -= size
        return b"".join(parts)


def _check_office(data: bytes, name: str, suffix: str, limits: Limits) -> None:
    """An xlsx or docx: a zip with the parts Office writes, none encrypted, linked or climbing, inflated
    under the same bomb limits as a committee's zip before openpyxl or python-docx ever opens it."""
    archive = _open_zip(data, name, MAX_OFFICE_PARTS)
    with archive:
        names = set(archive.namelist())
        if not all(part in names for part in OFFICE_PARTS[suffix]):
            raise UploadRefused("wrong_content", name=name, suffix=suffix)
        _check_members(archive, name)
        budget = _Budget(limits, name, per_member=None)  # one sheet may be large; the whole is bounded
        infos = [info for info in archive.infolist() if not info.is_dir()]
        budget.declared(infos)
        for info in infos:
            budget.read(archive, info, keep=False)


def _check_plain_zip(data: bytes, name: str, limits: Limits) -> None:
    """A zip kept whole (to unpack later): the same checks as unpack_zip, nothing written."""
    _inspect_zip(data, name, {".xlsx", ".docx", ".pdf", ".txt"}, limits, keep_bytes=False)


def _check_content(data: bytes, name: str, suffix: str, limits: Limits) -> None:
    """Refuse bytes that are not what the suffix says."""
    if not data:
        raise UploadRefused("empty", name=name)
    if suffix in OFFICE_PARTS:
        if data.startswith(OLE2):
            raise UploadRefused("office_old", name=name, suffix=suffix)
        if not data.startswith(ZIP_MAGIC):
            raise UploadRefused("wrong_content", name=name, suffix=suffix)
        _check_office(data, name, suffix, limits)
    elif suffix == ".zip":
        _check_plain_zip(data, name, limits)
    elif suffix == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise UploadRefused("wrong_content", name=name, suffix=suffix)
    elif suffix == ".txt":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UploadRefused("wrong_content", name=name, suffix=suffix) from None
        if "\x00" in text:
            raise UploadRefused("wrong_content", name=name, suffix=suffix)
    else:  # a suffix this module does not know how to check is never taken
        raise UploadRefused("suffix", name=name, allowed=", ".join(sorted(KINDS)))


# ----------------------------------------------------------------------------------------- keeping


def _store(data: bytes, target: Path) -> None:
    """Write `data` at `target` whole or not at all: a temporary file beside it, flushed, renamed over. The
    same bytes already there whole are left as they are; a damaged copy is replaced."""
    try:
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            return
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _checked(data: bytes, shown_name: str, allowed: set[str], limits: Limits) -> tuple[str, str]:
    """(clean name, suffix) of an upload whose suffix is allowed and whose bytes match it; else refused."""
    name = clean_name(shown_name)
    suffix = _suffix(name)
    wanted = {s.lower() for s in allowed}
    if suffix not in wanted:
        raise UploadRefused("suffix", name=name or "?", allowed=_allowed_text(wanted))
    if len(data) > limits.max_file_bytes:
        raise UploadRefused("too_big", limit=limits.max_file_bytes, name=name)
    _check_content(data, name, suffix, limits)
    return name, suffix


def _kept(data: bytes, name: str, suffix: str, folder: Path) -> Kept:
    digest = hashlib.sha256(data).hexdigest()
    path = folder / digest[:2] / f"{digest}{suffix}"
    _store(data, path)
    return Kept(digest, path, name, suffix)


def keep(data: bytes, shown_name: str, folder: Path, allowed: set[str], limits: Limits) -> Kept:
    """Keep an upload under `folder`, content-addressed, once its suffix is in `allowed` and its bytes are
    what the suffix says (UploadRefused otherwise, and nothing is written). `shown_name` is cleaned for
    display and never used as a path."""
    name, suffix = _checked(data, shown_name, allowed, limits)
    return _kept(data, name, suffix, folder)


def _inspect_zip(data: bytes, name: str, allowed: set[str], limits: Limits,
                 keep_bytes: bool) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The members a committee's zip offers: ([(member name, bytes)] of the allowed ones, [skipped names]),
    after every check; nothing is written."""
    if len(data) > limits.max_file_bytes:
        raise UploadRefused("too_big", limit=limits.max_file_bytes, name=name)
    archive = _open_zip(data, name, limits.max_files)
    wanted = {s.lower() for s in allowed}
    taken: list[tuple[str, bytes]] = []
    skipped: list[str] = []
    with archive:
        _check_members(archive, name)
        chosen = []
        for info in archive.infolist():
            if info.is_dir():
                continue
            member = clean_name(info.filename)
            suffix = _suffix(member)
            if is_litter(member):
                skipped.append(member)
                continue
            if suffix == ".zip":
                raise UploadRefused("zip_nested", member=info.filename, name=name)
            if suffix not in wanted:
                skipped.append(member)
                continue
            chosen.append(info)
        budget = _Budget(limits, name, per_member=limits.max_file_bytes)
        budget.declared(chosen)
        for info in chosen:
            taken.append((info.filename, budget.read(archive, info, keep=keep_bytes)))
    return taken, skipped


def unpack_zip(data: bytes, folder: Path, allowed: set[str], limits: Limits, name: str = "") -> Unpacked:
    """Keep the allowed members of a committee's zip (each checked as `keep` checks an upload), after the
    whole zip has passed every check: a refused zip keeps nothing. Litter and other kinds are skipped."""
    name = clean_name(name) or "zip"
    taken, skipped = _inspect_zip(data, name, allowed, limits, keep_bytes=True)
    checked = []
    for member, content in taken:
        try:
            checked.append((content, *_checked(content, member, allowed, limits)))
        except UploadRefused as refused:
            raise UploadRefused(refused.key, **{**refused.params, "member": member, "in_zip": True}) from None
    if not checked:
        raise UploadRefused("zip_nothing", name=name, allowed=_allowed_text({s.lower() for s in allowed}))
    return Unpacked((_kept(content, shown, suffix, folder) for content, shown, suffix in checked), skipped)


# ----------------------------------------------------------------------------------------- the whole body

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """ASGI middleware: a request whose body is larger than `max_body_bytes` is refused (413) before the
    form parser spools it to disk — at once when its Content-Length says so, else as soon as the bytes that
    arrive pass the limit. An UploadRefused that reaches it before the response has started is answered with
    its words (Vietnamese, then English), so no route can turn one into a crash page."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = Limits().max_body_bytes) -> None:
        self.app, self.most = app, max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        stated = headers.get(b"content-length", b"")
        if stated.isdigit() and int(stated) > self.most:
            await _drain(receive)
            await _refuse(send, UploadRefused("body_too_big", limit=self.most))
            return
        received = 0
        started = False
        complete = False  # the body's last part has been received: nothing left to drain

        async def counted() -> Message:
            nonlocal received, complete
            message = await receive()
            if message["type"] == "http.request":
                complete = not message.get("more_body", False)
                received += len(message.get("body", b""))
                if received > self.most:
                    raise UploadRefused("body_too_big", limit=self.most)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except UploadRefused as refused:
            if started:
                raise
            if not complete:  # a receive() after the last part would wait for the client to hang up
                await _drain(receive)
            await _refuse(send, refused)


# what is read and thrown away of a refused request's body so that its browser shows the refusal: a browser
# still sending when the answer comes shows its own "HTTP ERROR 413" instead (seen in Chromium)
DRAIN_BYTES = 1024 * 1024 * 1024


async def _drain(receive: Receive) -> None:
    """The rest of the request's body read and dropped (never kept), up to DRAIN_BYTES; beyond that the
    connection is closed on the sender."""
    drained = 0
    while drained <= DRAIN_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            return
        drained += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def _refuse(send: Send, refused: UploadRefused) -> None:
    """A small page saying why, in Vietnamese then English (the request never reached the pages, which know
    the user's language), with a way back."""
    import html

    vi, en = html.escape(refused.words("vi")), html.escape(refused.words("en"))
    body = ('<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" '
            'content="width=device-width, initial-scale=1"><title>chibo</title></head><body><main>'
            f'<p role="alert">{vi}</p><p lang="en">{en}</p><p><a href="/">Trang đầu — Home</a></p>'
            '</main></body></html>\n').encode()
    await send({"type": "http.response.start", "status": refused.status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
