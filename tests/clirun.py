"""chibo run as a user runs it, in a child process, with output that does not depend on where the checkout lies or
how wide the terminal running the tests is.

rich wraps a table cell at the console's width, so a long path in a problem table is cut over several lines when
the checkout sits deep in the file system or the terminal is 80 columns wide, and a test that looks for a file name
in it fails there and nowhere else. Every CLI run of the suite pins a width no path reaches and turns colour off;
a test that needs the terminal's own width passes COLUMNS itself.

Two ways to run it: `run_chibo`, a child process, where the process is the subject (exit codes of a crash,
signals, Ctrl-C, start-up, the console script); `invoke_chibo`, typer's CliRunner in this process, where the
output is the subject: the same exit code, stdout and stderr (tests/test_clirun.py compares them) without a
second or more of start-up per run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

WIDE = "1000"  # columns: wider than any path a problem table names


def chibo_env(extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The environment of a child chibo: this one, at a fixed wide width and without colour; `extra` overrides
    (a value of None removes the variable)."""
    env = {**os.environ, "COLUMNS": WIDE, "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("FORCE_COLOR", None)
    for key, value in (extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_chibo(*args: object, cwd: str | Path | None = None, env: Mapping[str, str | None] | None = None,
              timeout: float = 120, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m chibo_rules ARGS` with its output captured as text."""
    return subprocess.run([sys.executable, "-m", "chibo_rules", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=chibo_env(env), timeout=timeout, input=stdin)


def invoke_chibo(*args: object, cwd: str | Path | None = None, env: Mapping[str, str | None] | None = None,
                 stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`chibo ARGS` in this process (typer's CliRunner), answered as run_chibo answers: the exit code as
    `returncode`, stdout and stderr apart, at the same pinned width without colour.

    chibo words typer's frame (usage line, error panel) in the language of the command line when it is imported
    (cliwords.install); here it is worded again for each run from its own --lang and environment, as a child
    would. Option help (--help) stays in the language of the first import: a test of help text uses run_chibo.
    A bug is raised in the test (no crash log, no exit 3: those are run_chibo's subject)."""
    from typer.testing import CliRunner

    from chibo_rules import cli, cliwords
    from chibo_rules.clihelp import help_lang

    argv = [str(arg) for arg in args]
    overrides: dict[str, str | None] = {"COLUMNS": WIDE, "NO_COLOR": "1", "FORCE_COLOR": None, **(env or {})}
    cliwords.install(help_lang(argv, chibo_env(env)))
    try:
        with _working_dir(cwd):
            result = CliRunner().invoke(cli.app, argv, input=stdin, env=overrides, catch_exceptions=False,
                                        prog_name="chibo")
    finally:
        cliwords.install(cli.LANG)  # the frame chibo was imported with, for whatever runs next
    return subprocess.CompletedProcess(["chibo", *argv], result.exit_code, result.stdout, result.stderr)


@contextmanager
def _working_dir(cwd: str | Path | None) -> Iterator[None]:
    """In `cwd` for the run (contextlib.chdir needs Python 3.11)."""
    before = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)
