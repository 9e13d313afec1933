"""`python -m chibo_rules` and the `chibo` command (pyproject): Ctrl-C is answered from the first line.

Importing the command line takes a second or more on a slow machine, and a KeyboardInterrupt raised in the
middle of an import can come out as something else (Python wraps it in a RuntimeError inside a class being
built): a traceback. So while the command line is imported a Ctrl-C is only noted, and acted on as soon as the
imports are done: one sentence in the user's language, exit 130. From then on it stops the command at once
(cli.main says the same sentence; writing.py removes a file being written).
"""

from __future__ import annotations

import signal
import sys


def main() -> None:
    from .clihelp import LANG
    from .crash import interrupted

    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: noted.append(number))
    try:
        from .cli import main as run
    finally:
        signal.signal(signal.SIGINT, previous)
    if noted:
        sys.exit(interrupted(LANG))
    try:
        run()
    except KeyboardInterrupt:  # one that escaped the command line's own handlers on its way out (exit -2 once)
        sys.exit(interrupted(LANG))


if __name__ == "__main__":
    main()
