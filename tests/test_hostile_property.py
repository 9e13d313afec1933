"""Hostile input as a property: generated broken values, lines, cells and file forms, thrown at every loader
(CSV, YAML, workbook) and every writer (reports, templates), under a 1 GiB address-space limit (the driver is
tests/cli_property.py; it runs as its own process so the limit applies to chibo alone)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from . import cli_property
from .conftest import ROOT

LIMIT = 2**30


def _limited() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def test_broken_input_never_crashes_changes_files_or_exhausts_memory():
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "cli_property.py"), "60"], capture_output=True,
                         text=True, cwd=ROOT, timeout=900, preexec_fn=_limited)
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]
    peak_mb = int(run.stdout.split("peak")[1].split()[0])
    assert peak_mb < 1024


def _break_checking(monkeypatch, fault) -> None:
    """chibo with `fault` in place of every command but the template the driver makes workbooks with."""
    import chibo_rules.cli as cli

    real = cli.app

    def app(*args, **kwargs):
        if sys.argv[1] == "template" and "/out/" not in sys.argv[-1]:
            return real(*args, **kwargs)
        return fault()

    monkeypatch.setattr(cli, "app", app)


def test_the_property_catches_a_crash(monkeypatch, tmp_path):
    """The driver is not vacuous: a command that crashes (exit 3) fails it."""
    monkeypatch.setenv("CHIBO_LOG_DIR", str(tmp_path))

    def crash():
        raise RuntimeError("a bug")

    _break_checking(monkeypatch, crash)
    with pytest.raises(AssertionError, match=r"^\(3, "):
        cli_property.run(3, shrink=False)


def test_the_property_catches_a_write_into_the_case(monkeypatch):
    """… and so does a command that writes beside the case it reads."""

    def stray():
        path = Path(sys.argv[2])
        (path if path.is_dir() else path.parent).joinpath("stray.txt").write_text("x")
        raise SystemExit(0)

    _break_checking(monkeypatch, stray)
    with pytest.raises(AssertionError, match="stray"):
        cli_property.run(3, shrink=False)
