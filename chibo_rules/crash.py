"""A bug in chibo is never read as a result: it exits 3 (not 1, which means "gaps found"), says so in one
short sentence in the user's language, and leaves the technical details in a log file to send on.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import tempfile
import traceback
from pathlib import Path

EXIT_BUG = 3
MESSAGE = {
    "vi": "Lỗi của chibo (không phải lỗi trong dữ liệu của bạn); không có tệp nào bị thay đổi. Chi tiết kỹ thuật "
          "đã được ghi vào {path} — xin gửi tệp này cho người hỗ trợ.",
    "en": "An internal error in chibo (not a problem in your data); no file was changed. The technical details "
          "are in {path} — please send that file to whoever supports chibo.",
}


def log_folder() -> Path:
    """$CHIBO_LOG_DIR, else the system's temporary folder: somewhere a user can always write."""
    return Path(os.environ.get("CHIBO_LOG_DIR") or tempfile.gettempdir())


def write_log(exc: BaseException, context: str = "") -> Path | None:
    """The traceback, the command line and versions, in a new file; None if even that cannot be written."""
    from . import __version__

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    lines = [
        f"chibo {__version__}, Python {platform.python_version()} on {platform.platform()}",
        f"command: {' '.join(sys.argv)}",
        f"context: {context}" if context else "",
        "",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ]
    try:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f"chibo-crash-{stamp}-", suffix=".log", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write("\n".join(lines))
        return Path(name)
    except OSError:
        return None


def report(exc: BaseException, lang: str) -> int:
    """Tell the user in one sentence (on stderr) and return the exit code."""
    path = write_log(exc)
    unwritten = "(không ghi được)" if lang == "vi" else "(could not be written)"
    sys.stderr.write(MESSAGE.get(lang, MESSAGE["vi"]).format(path=path or unwritten) + "\n")
    return EXIT_BUG


EXIT_INTERRUPTED = 130  # what a shell reports for a program stopped by Ctrl-C (128 + SIGINT)
INTERRUPTED = {
    "vi": "Đã dừng theo yêu cầu (Ctrl-C); không để lại tệp ghi dở nào.",
    "en": "Stopped at your request (Ctrl-C); no half-written file is left.",
}


def interrupted(lang: str) -> int:
    """A Ctrl-C: one sentence on stderr, further Ctrl-Cs ignored while the process ends (a second one must not
    print a traceback either); the exit code. Files being written were removed on the way out (writing.py)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _SAID:  # said once, however many ways the one Ctrl-C comes out on the way up
        _SAID.append(True)
        sys.stderr.write(INTERRUPTED.get(lang, INTERRUPTED["vi"]) + "\n")
        sys.stderr.flush()
    return EXIT_INTERRUPTED


_SAID: list[bool] = []


def was_interrupted() -> bool:
    """Whether this process was stopped by a Ctrl-C (its sentence said, its exit code 130)."""
    return bool(_SAID)


def finished() -> None:
    """The command is done and its result stands (a report written, an exit code chosen): a Ctrl-C from here on
    changes nothing, so it is ignored rather than killing the process on its way out (exit 1 read as -2)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
