"""What chibo opens, and how much of it: only regular files, each within a named limit.

A case is someone's folder or workbook, and a checker fed it must neither hang nor run out of memory. A
FIFO opened for reading waits forever for a writer, a device may be endless (or rewind a tape), a symbolic
link may loop: so a file is looked at (`os.stat`) before it is opened, and opened (without blocking) only
when it is a regular file, then looked at again. Sizes are bounded before reading: a case holds at most
MAX_CASE_ROWS records, a file or sheet MAX_ROWS, a header MAX_COLUMNS; a zipped workbook is measured from
its directory before anything is inflated (workbook_problems in xlsx.py). The limits are documented in
docs/case-format.md ("Giới hạn / Limits"), generated from the constants here.

A path given as the case itself is named for what it is (`case_kind`, `not_a_case`): an old .xls workbook, an .ods, a
zip archive or a lone CSV file says so and what chibo reads instead, not "no such folder".
"""

from __future__ import annotations

import difflib
import errno
import itertools
import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..errors import MAX_PROBLEMS as MAX_PROBLEMS  # problems reported: stated here with the other limits
from ..errors import MAX_PROBLEMS_PER_FILE as MAX_PROBLEMS_PER_FILE
from ..errors import Problem

MIB = 2**20
# records: a large cell has a few hundred people; five years of weekly timesheets for a thousand is 260,000
MAX_ROWS = 300_000  # data rows of one file or sheet
MAX_CASE_ROWS = 500_000  # records of a whole case (each validated record takes about 1 KB)
MAX_COLUMNS = 200  # columns of a header (the widest kind has a dozen)
MAX_FILES = 1000  # entries of a case folder
# bytes
MAX_CSV_BYTES = 256 * MIB
MAX_YAML_BYTES = 4 * MIB  # a YAML file is parsed whole: ~50 MB of memory per MiB; large kinds belong in CSV
MAX_LINE_BYTES = 4 * MIB  # one line of a CSV file (a file without line ends is not held whole)
MAX_WORKBOOK_BYTES = 100 * MIB  # the .xlsx file itself (a 200,000-row timesheet is about 3 MiB)
MAX_ZIP_PARTS = 10_000  # parts (files) inside a workbook; Excel writes a few dozen
MAX_SHEET_PART = 256 * MIB  # one sheet's XML, unzipped (200,000 timesheet rows: 30 MiB)
MAX_XML_PART = 16 * MIB  # any other XML part, unzipped: shared strings, styles… (read whole by openpyxl)
MAX_UNZIPPED = 512 * MIB  # all parts together, unzipped
MAX_RATIO = 100  # unzipped:zipped of a part over 1 MiB (Excel's XML: about 10:1; a zip bomb: 1000:1)

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")  # the container of .xls (and of a password-protected .xlsx)
ZIP = b"PK"
OTHER_SPREADSHEETS = {".xlsm", ".xlsb", ".xltx", ".xltm", ".xlam", ".ods", ".ots", ".fods", ".numbers"}
CASE_FILE_SUFFIXES = {".xlsx", ".xls", ".csv", ".yaml", ".yml", ".zip", *OTHER_SPREADSHEETS}
# what Windows, macOS and office programs leave beside a user's files: never a cell, never a kind of fact
OS_LITTER = {"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store"}


class Refused(Exception):
    """A file chibo will not read: `code` (a problem code), `detail` and `value` (what was found)."""

    def __init__(self, code: str, detail: str = "", value: str | None = None):
        super().__init__(code, detail, value)
        self.code, self.detail, self.value = code, detail, value

    def problem(self, file: str, line: int | None = None, sheet: str | None = None) -> Problem:
        return Problem(file, line, None, self.code, self.detail, self.value, sheet)


class Budget:
    """Records a case may still hold (MAX_CASE_ROWS in all), shared by its files or sheets in turn."""

    def __init__(self) -> None:
        self.left = MAX_CASE_ROWS
        self.spent = False  # a file was refused for the case's limit: the files after it are not read

    def limit(self) -> tuple[int, str, str]:
        """(rows the next file may hold, the problem if it holds more, the limit that problem names)."""
        if MAX_ROWS <= self.left:
            return MAX_ROWS, "too_many_rows", str(MAX_ROWS)
        return self.left, "case_too_large", str(MAX_CASE_ROWS)

    def refuse(self, code: str) -> None:
        self.spent = self.spent or code == "case_too_large"

    def take(self, rows: int) -> None:
        self.left = max(0, self.left - rows)


def mib(size: int) -> str:
    """A limit as the documentation states it: "4 MiB"."""
    return f"{size >> 20} MiB"


def size_text(size: int) -> str:
    return f"{size / MIB:.1f} MiB"


def _what(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISDIR(mode):
        return "folder"
    return "special file"


def _refusal(exc: OSError) -> Refused:
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return Refused("missing_file")
    if exc.errno == errno.ELOOP:
        return Refused("link_loop")
    # the system's reason by its symbolic name (EACCES…): worded in the user's language when reported
    return Refused("unreadable", errno.errorcode.get(exc.errno or 0) or exc.strerror or str(exc))


def check_regular(path: Path, limit: int | None = None) -> os.stat_result:
    """The status of a regular file of at most `limit` bytes; Refused otherwise (nothing is opened)."""
    try:
        status = os.stat(path)
    except OSError as exc:
        raise _refusal(exc) from None
    if not stat.S_ISREG(status.st_mode):
        raise Refused("not_regular", _what(status.st_mode))
    if limit is not None and status.st_size > limit:
        raise Refused("too_large", f"{size_text(status.st_size)} > {mib(limit)}")
    return status


def open_regular(path: Path, limit: int | None = None) -> BinaryIO:
    """A regular file opened for reading in binary; Refused for anything else, before it is opened. It is
    opened without blocking and checked again, in case it was swapped for a FIFO in between."""
    check_regular(path, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _refusal(exc) from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise Refused("not_regular", _what(status.st_mode))
        if limit is not None and status.st_size > limit:
            raise Refused("too_large", f"{size_text(status.st_size)} > {mib(limit)}")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (one that grew while read is refused too)."""
    with open_regular(path, limit) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Refused("too_large", f"> {mib(limit)}")
    return data


def resolves(path: Path) -> Path:
    """Where a path really leads; Refused("link_loop") for a symbolic link that never reaches a file."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # Python < 3.13: RuntimeError("Symlink loop"); later: OSError(ELOOP)
        raise Refused("link_loop") from None


def is_litter(name: str) -> bool:
    """A file a program left beside the user's own, which no one means as a case or a fact file: Excel's
    lock file (`~$chi-bo-1.xlsx`, present while the workbook is open), LibreOffice's (`.~lock.chi-bo-1.xlsx#`),
    a temporary file (`*.tmp`, Word's `~WRL0001.tmp`), a hidden file (`.name`) and OS litter (Thumbs.db,
    .DS_Store, desktop.ini). Reading one as a cell made a committee's roll-up exit 2 while Excel was open."""
    lower = name.lower()
    return (lower.startswith(("~$", ".")) or lower.endswith(".tmp") or lower in OS_LITTER)


def _missing_case(path: Path) -> Problem:
    """No such case: a file if its name ends like one (`.xlsx`, or a slip of it such as `.xslx`), else a
    folder; with the closest names beside it, so `cases/vbn1-2002` says "did you mean cases/vbn1-2020"."""
    suffix = path.suffix.lower()
    is_file = suffix in CASE_FILE_SUFFIXES or bool(difflib.get_close_matches(suffix, CASE_FILE_SUFFIXES, 1, 0.6))
    code = "missing_case_file" if is_file else "missing_folder"
    near = nearby(path)
    if near:
        return Problem(str(path), None, None, f"{code}_near", ", ".join(near))
    return Problem(str(path), None, None, code)


def nearby(path: Path, n: int = 3) -> list[str]:
    """Up to `n` names beside `path` closest to its name (litter left out), written as `path` was."""
    try:
        entries = [e.name for e in itertools.islice(os.scandir(path.parent), MAX_FILES) if not is_litter(e.name)]
    except OSError:
        return []
    close = difflib.get_close_matches(path.name, entries, n, 0.6)
    folded = {e.lower(): e for e in entries}  # HO-SO.XLSX for ho-so.xlsx
    if path.name.lower() in folded and folded[path.name.lower()] not in close:
        close.insert(0, folded[path.name.lower()])
    return [str(path.parent / name) if str(path.parent) != "." else name for name in close[:n]]


def case_kind(path: Path) -> tuple[str, Problem | None]:
    """("folder" | "file", None) for a path some source of facts may read (sources/ decides which), else
    ("", the problem saying what it is: missing, a lock file, a FIFO, an .xls or a locked workbook…)."""
    try:
        status = os.stat(path)
    except OSError as exc:
        refused = _refusal(exc)
        if refused.code == "missing_file":
            return "", _missing_case(path)
        return "", refused.problem(path.name)
    if stat.S_ISDIR(status.st_mode):
        return "folder", None
    if path.name.startswith("~$"):  # Excel's lock file beside the workbook it has open
        return "", Problem(path.name, None, None, "lock_file", path.name[2:])
    if not stat.S_ISREG(status.st_mode):
        return "", Problem(path.name, None, None, "not_regular", _what(status.st_mode))
    suffix = path.suffix.lower()
    try:
        with open_regular(path) as handle:
            head = handle.read(8)
            if head.startswith(OLE2) and suffix in (".xlsx", ".xlsm"):
                data = handle.read(4 * MIB)
                names = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
                if any(name in data for name in names):
                    return "", Problem(path.name, None, None, "xlsx_encrypted")
    except Refused as refused:
        if refused.code == "unreadable" and suffix == ".xlsx":  # Windows refuses a workbook Excel holds open
            return "", Problem(path.name, None, None, "xlsx_open", refused.detail)
        return "", refused.problem(path.name)
    if head.startswith(OLE2) or suffix == ".xls":
        return "", Problem(path.name, None, None, "old_xls")
    return "file", None


def not_a_case(path: Path) -> Problem:
    """What a regular file no source of facts reads is: another spreadsheet, a zip archive, or not a case."""
    suffix = path.suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        return Problem(path.name, None, None, "other_spreadsheet", suffix)
    try:
        with open_regular(path) as handle:
            head = handle.read(2)
    except Refused:
        head = b""
    if suffix == ".zip" or head.startswith(ZIP):
        return Problem(path.name, None, None, "zip_case")
    return Problem(path.name, None, None, "not_a_case")
