"""Writing a report, an agenda, a workbook or a document: whole or not at all, and never over what a user entered.

A file is written beside its target under a temporary name, flushed to disk and renamed over the target
in one step, so an interrupted run leaves the old file whole. Before that, the target is refused when it is
part of a case chibo can recognise (a file in a folder with cell.yaml, a case workbook, or a hard or symbolic
link to one of those), or an existing file that is not an earlier chibo output of the same kind — unless the
user says --force (never for a case's own files). A missing folder, a folder given as the file, a read-only
place or a full disk is a WriteRefused with a reason code the CLI words in the user's language.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import stat
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

# what an earlier output of each kind carries (written by chibo), looked for near its start or end: a report
# format's marker is its own (report/formats/, `marker`); these are the outputs that are no report format
OTHER_MARKERS: dict[str, tuple[bytes, ...]] = {
    "agenda": (b"<!-- chibo",),
    "document": (b"chibo docs case-format",),
    "jsonl": (b'"chibo_version": ',),  # `chibo history export`: every line is a saved run
    "members_zip": (b"chibo self-review",),  # the members' self-review drafts (report/members.py): the zip's comment
}


# each report format's marker, registered by the format itself (report/formats/ sits above this module)
FORMAT_MARKERS: dict[str, tuple[bytes, ...]] = {}


def register_marker(kind: str, marks: tuple[bytes, ...]) -> None:
    """Called by a report format when it registers: what its earlier outputs carry."""
    if marks:
        FORMAT_MARKERS[kind] = marks


def markers(kind: str) -> tuple[bytes, ...]:
    """The marks of an earlier output of `kind`: one of the above, or a report format's own."""
    return OTHER_MARKERS.get(kind) or FORMAT_MARKERS.get(kind, ())


WORKBOOK_MARK = "chibo"
DOCX_CREATOR = "chibo"
_DOCX_CORE, _DOCX_TEXT = "docProps/core.xml", "word/document.xml"


class WriteRefused(Exception):
    """`code` names why (write_<code> in i18n); `detail` the path; `error` the system's refusal, if it was one
    (the CLI words its errno in the user's language: the system's own text is English)."""

    def __init__(self, code: str, detail: str = "", error: OSError | None = None):
        super().__init__(code, detail)
        self.code, self.detail, self.error = code, detail, error


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


# what is a case's own file, told by facts/sources (above this module) when it is imported: whether a target
# is part of a case, and the files of a case given on the command line
_CASE_TESTS: list[tuple[Callable[[Path], bool], Callable[[Path], list[Path]]]] = []


def recognise_cases(owns: Callable[[Path], bool], files_of: Callable[[Path], list[Path]]) -> None:
    """Called by facts/sources: `owns(target)` says a file is part of a case (cell.yaml or a file beside it, a
    case workbook…), `files_of(case)` lists the files of a case."""
    _CASE_TESTS[:] = [(owns, files_of)]


def part_of_a_case(target: Path, cases: list[Path]) -> bool:
    """Whether writing `target` would replace a case's own file: one the sources of facts call a case's (a
    file inside a case folder, a case workbook), or a link (hard or symbolic) to any file of the given cases.
    Until facts/sources has said what a case is, every file of a folder with cell.yaml counts as one."""
    owns, files_of = _CASE_TESTS[0] if _CASE_TESTS else (_beside_cell_yaml, lambda case: [case])
    if owns(target):
        return True
    try:
        mine = target.stat()
    except OSError:
        return False
    for case in cases:
        for path in files_of(case):
            with contextlib.suppress(OSError):
                if _same_file(path.stat(), mine):
                    return True
    return False


def _beside_cell_yaml(target: Path) -> bool:
    return target.name == "cell.yaml" or (target.parent / "cell.yaml").is_file()


def docx_fingerprint(package: bytes) -> str:
    """What chibo records in a .docx it writes (dc:identifier): a digest of its text part, so a file edited
    since — even opened and saved unchanged, which rewrites that part — no longer matches."""
    import hashlib

    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return "chibo:sha256:" + hashlib.sha256(archive.read(_DOCX_TEXT)).hexdigest()


def _earlier_docx(target: Path) -> bool:
    """A .docx chibo wrote (creator chibo) whose text nobody has changed since (the fingerprint matches)."""
    try:
        package = target.read_bytes()
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            core = archive.read(_DOCX_CORE)
        if not any(mark in core for mark in markers("docx")):
            return False
        return f"<dc:identifier>{docx_fingerprint(package)}</dc:identifier>".encode() in core
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False


def earlier_output(target: Path, kind: str) -> bool:
    """Whether an existing file is an earlier chibo output of the same kind (so replacing it loses nothing).
    A Word file counts only while nobody has edited it: draft minutes filled in by hand are someone's work."""
    if kind == "docx":
        return _earlier_docx(target)
    if kind == "workbook":
        try:
            from openpyxl import load_workbook

            book = load_workbook(target, read_only=True)
            try:
                first = book.worksheets[0]
                value = next(first.iter_rows(max_row=1, max_col=1, values_only=True), (None,))[0]
            finally:
                book.close()
            return isinstance(value, str) and WORKBOOK_MARK in value
        except Exception:  # not a workbook openpyxl reads: not ours
            return False
    try:
        with target.open("rb") as handle:
            head = handle.read(65536)
            handle.seek(max(0, target.stat().st_size - 65536))
            tail = handle.read()
    except OSError:
        return False
    if kind == "json":
        with contextlib.suppress(ValueError, OSError):
            return str(json.loads(target.read_text(encoding="utf-8")).get("schema", "")).startswith("chibo.")
        return False
    return any(mark in head or mark in tail for mark in markers(kind))


def check_target(target: Path, kind: str, cases: list[Path], force: bool, replace_case: bool = False) -> None:
    """Refuse what must not be written (WriteRefused); nothing is written here. `replace_case`: the user asked
    to replace this very file (`chibo template FILE --force`): a workbook, even one chibo would read as a case."""
    if target.is_dir():
        raise WriteRefused("is_folder", str(target))
    if not target.parent.is_dir():
        raise WriteRefused("no_folder", str(target.parent))
    if part_of_a_case(target, cases) and not (replace_case and target.suffix.lower() == ".xlsx"):
        raise WriteRefused("in_case", str(target))
    if target.exists() or target.is_symlink():
        if not target.is_file():
            raise WriteRefused("not_a_file", str(target))
        if not force and not earlier_output(target, kind):
            raise WriteRefused("exists", str(target))


def write(target: Path, produce: Callable[[IO[bytes]], object], kind: str, cases: list[Path],
          force: bool = False, replace_case: bool = False) -> None:
    """Check the target, then write what `produce` writes to a binary stream, whole or not at all."""
    check_target(target, kind, cases, force, replace_case)
    if target.exists():
        mode = stat.S_IMODE(target.stat().st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteRefused(_reason(exc), str(target.parent), exc) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            produce(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise WriteRefused(_reason(exc), str(target), exc) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text(target: Path, text: str, kind: str, cases: list[Path], force: bool = False) -> None:
    write(target, lambda stream: stream.write(text.encode("utf-8")), kind, cases, force)


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "disk_full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "read_only"
    return "os_error"
