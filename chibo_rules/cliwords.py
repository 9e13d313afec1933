"""The command line's own words, in the user's language: what the system said when a file could not be
written, and which file each command wrote.

A secretary reads "Không ghi được bao-cao.html: không có quyền ghi", never the system's English ("Permission
denied"); and every file chibo writes is named once, on stderr, so a report piped to another program stays clean.
"""

from __future__ import annotations

import errno
import sys
from pathlib import Path

# the system's refusals a user meets, worded for them (vi, en); anything else is named by its errno code
OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.EACCES: ("không có quyền ghi (hoặc tệp đang mở trong chương trình khác)",
                   "no permission (or the file is open in another program)"),
    errno.EPERM: ("không có quyền ghi", "no permission"),
    errno.EROFS: ("ổ đĩa hoặc thư mục chỉ cho đọc", "the disk or folder is read-only"),
    errno.ENOSPC: ("ổ đĩa đầy", "the disk is full"),
    errno.EDQUOT: ("đã hết dung lượng được cấp trên ổ đĩa", "the disk quota is used up"),
    errno.ENOENT: ("không có thư mục hoặc tệp này", "no such folder or file"),
    errno.EISDIR: ("đây là một thư mục, không phải tệp", "it is a folder, not a file"),
    errno.ENOTDIR: ("một phần của đường dẫn không phải thư mục", "part of the path is not a folder"),
    errno.EEXIST: ("tệp đã có", "the file already exists"),
    errno.EIO: ("lỗi đọc ghi ổ đĩa (ổ đĩa hoặc USB có thể bị hỏng hay đã rút ra)",
                "a disk input/output error (the disk or USB stick may be damaged or removed)"),
    errno.ENAMETOOLONG: ("tên tệp hoặc đường dẫn quá dài", "the file name or path is too long"),
    errno.EMFILE: ("quá nhiều tệp đang mở", "too many files are open"),
    errno.EBUSY: ("tệp hoặc ổ đĩa đang được dùng", "the file or disk is in use"),
    errno.ETXTBSY: ("tệp đang được dùng", "the file is in use"),
    errno.EINVAL: ("tên tệp không hợp lệ ở đây", "the file name is not valid here"),
    errno.ELOOP: ("liên kết (symlink) vòng quanh", "a symbolic link loop"),
    errno.EXDEV: ("không chuyển được tệp sang ổ đĩa khác", "the file cannot be moved to another disk"),
}
OTHER = ("lỗi hệ thống {code}", "system error {code}")
WRITTEN = ("Đã ghi {path}", "Wrote {path}")
WRITTEN_MANY = ("Đã ghi {n} tệp vào {folder}", "Wrote {n} files to {folder}")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def os_reason(error: OSError | int | None, lang: str) -> str:
    """Why the system refused, in the user's language (never the system's own English strerror)."""
    number = error.errno if isinstance(error, OSError) else error
    if number in OS_ERRORS:
        return _pick(OS_ERRORS[number], lang)
    code = errno.errorcode.get(number, str(number)) if number is not None else "?"
    return _pick(OTHER, lang).format(code=code)


def say_written(paths: list[Path], lang: str) -> None:
    """Name what a command wrote, on stderr: one file by its path, several (a plan folder) by their count and
    folder. Plain lines, never wrapped, so a script can read them."""
    if not paths:
        return
    if len(paths) == 1:
        line = _pick(WRITTEN, lang).format(path=paths[0])
    else:
        folder = Path(*_common_parts(paths))
        line = _pick(WRITTEN_MANY, lang).format(n=len(paths), folder=folder)
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _common_parts(paths: list[Path]) -> tuple[str, ...]:
    """The folder every path is in."""
    parts = [p.parent.parts for p in paths]
    common: list[str] = []
    for column in zip(*parts):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    return tuple(common) or (".",)


def refusal_text(refused: object, lang: str) -> str:
    """A writing.WriteRefused as one line of rich text in the user's language: the place, and the system's
    reason in words when the system refused."""
    from rich.markup import escape

    from .report.i18n import t

    code, detail, error = (getattr(refused, name, None) for name in ("code", "detail", "error"))
    return t(f"write_{code}", lang, detail=escape(str(detail or "")), reason=escape(os_reason(error, lang)))
