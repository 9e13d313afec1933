"""`python -m chibo_rules` and the `chibo` command (pyproject): Ctrl-C is answered from the first line.

Importing the command line takes a second or more on a slow machine, and a KeyboardInterrupt raised in the
middle of an import can come out as something else (Python wraps it in a RuntimeError inside a class being
built): a traceback. So while the command line is imported a Ctrl-C is only noted, and acted on as soon as the
imports are done: one sentence in the user's language, exit 130. From then on it stops the command at once
(cli.main says the same sentence; writing.py removes a file being written).
"""

from __future__ import annotations

import gc
import os
import signal
import sys

from .gcpause import fewer_collections


def main() -> None:
    skip_pydantic_plugins()
    fewer_collections()
    from .clihelp import LANG
    from .crash import interrupted

    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: noted.append(number))
    try:
        from .cli import main as run
    finally:
        signal.signal(signal.SIGINT, previous)
    gc.freeze()  # what the imports made is never scanned again (gcpause.py)
    if noted:
        sys.exit(interrupted(LANG))
    try:
        run()
    except KeyboardInterrupt:  # one that escaped the command line's own handlers on its way out (exit -2 once)
        sys.exit(interrupted(LANG))


def skip_pydantic_plugins() -> None:
    """chibo's models use no pydantic plugin, and pydantic looks for plugins, the first time it builds a model,
    by reading the metadata of every package installed beside it (~45 ms of a cold `chibo check` with ~80
    packages): the command does without the search. A user who set PYDANTIC_DISABLE_PLUGINS keeps their word."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def run_as_module() -> None:
    """`python -m chibo_rules`: main(), and a run stopped by Ctrl-C ending with 130 once Python has cleaned up.

    Under -m, a Ctrl-C that lands while Python runs code it was given as a string (exec: a dataclass or a named
    tuple being built, in chibo or a library) marks the interpreter as ended by Ctrl-C even though chibo caught
    it; after its clean-up the interpreter then kills itself with SIGINT, and the caller reads -2, not 130
    (CPython's Py_RunMain; seen with strace: SIG_IGN set by chibo, then SIG_DFL and kill(self, SIGINT)). So the
    first exit hook registered — the last to run, after the worker pools' and threads' own — ends such a run
    with 130. The `chibo` command, a script, exits through another path and never did this."""
    import atexit

    atexit.register(_end_interrupted)
    main()


def _end_interrupted() -> None:
    from .crash import EXIT_INTERRUPTED, was_interrupted

    if not was_interrupted():
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    run_as_module()
