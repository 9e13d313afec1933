"""chibo run as a user runs it, in a child process, with output that does not depend on where the checkout lies or
how wide the terminal running the tests is.

rich wraps a table cell at the console's width, so a long path in a problem table is cut over several lines when
the checkout sits deep in the file system or the terminal is 80 columns wide, and a test that looks for a file name
in it fails there and nowhere else. Every CLI run of the suite pins a width no path reaches and turns colour off;
a test that needs the terminal's own width passes COLUMNS itself."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
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
