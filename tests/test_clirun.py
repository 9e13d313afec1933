"""The CLI helpers of the suite give the same answers wherever the checkout lies and however wide the terminal is
(issue 19 item 13: a test searched a wrapped table for a file name and failed under long paths or 80 columns)."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import test_draft
from .clirun import invoke_chibo, run_chibo
from .conftest import ROOT


@pytest.fixture()
def deep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder more than 150 characters below the temporary root, with the terminal 60 columns wide."""
    folder = tmp_path.joinpath(*["ho-so-cua-dang-uy-xa-nam-2020"] * 6)
    folder.mkdir(parents=True)
    assert len(str(folder)) > 150
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.chdir(folder)
    return folder


def test_a_problem_table_names_the_whole_path_at_60_columns(deep: Path):
    plan = deep / "ke-hoach-chi-bo-trong.txt"
    plan.write_bytes(b"")
    done = run_chibo("plan", "draft", plan, "--out", deep / "du-thao", cwd=deep)
    assert done.returncode == 2, done.stderr
    assert str(plan) in done.stderr
    missing = deep / "chi-bo-khong-co"
    done = run_chibo("check", missing, cwd=deep)
    assert done.returncode == 2 and str(missing) in done.stderr


@pytest.mark.parametrize("columns", ["60", "80"])
def test_the_draft_tests_bad_file_helper_at_any_width_and_depth(deep: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 columns: str):
    """test_draft's helper for bad plan files, run where it used to fail: a table's file column folds a path at
    a place that moves with the path's length, so the file's own name is cut at some depths and not others."""
    monkeypatch.setenv("COLUMNS", columns)
    for pad in range(0, 12, 2):
        folder = deep / ("x" * (pad + 1))
        folder.mkdir()
        assert ".docx" in test_draft._bad(folder, "old.doc", b"\xd0\xcf\x11\xe0 word 97")


def test_a_test_can_still_ask_for_a_narrow_terminal(deep: Path):
    """COLUMNS given by the test wins over the pinned width (tests of the terminal view need it)."""
    done = run_chibo("check", "--help", env={"COLUMNS": "60"})
    assert done.returncode == 0
    assert max(len(line) for line in done.stdout.splitlines()) <= 60


def test_a_plain_run_without_chromium_says_why_tests_were_skipped(tmp_path: Path):
    """README command 2 where Chromium is not installed: the summary names the reason and what to install."""
    import subprocess
    import sys

    from .clirun import chibo_env
    from .conftest import ROOT

    env = chibo_env({"CHIBO_CHROMIUM": str(tmp_path / "no-chromium"), "CHIBO_REQUIRE_BROWSER": None})
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_output.py::test_browser_shows_vietnamese_text"], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)
    assert done.returncode == 0, done.stdout
    assert "skipped tests, and why" in done.stdout
    assert f"1 skipped: {tmp_path / 'no-chromium'} not found (apt-get install chromium" in done.stdout
    assert "apt-get install chromium chromium-driver fonts-noto-core libreoffice-writer-nogui" in done.stdout


@pytest.mark.parametrize("args", [
    ("check", "cases/vbn1-2020", "--lang", "en"),  # gaps: exit 1, the terminal report
    ("check", "cases/vbn1-2020", "--format", "json"),
    ("check", "cases/no-such-case"),  # bad input in Vietnamese: exit 2, stderr
    ("check", "cases/vbn1-2020", "--no-such-option", "--lang", "en"),  # typer's usage error, in the frame's words
    ("check", "cases/vbn1-2020", "--no-such-option"),
])
def test_in_process_runs_answer_as_the_process_does(args: tuple[str, ...]):
    """invoke_chibo (typer's CliRunner, this process) gives the exit code, stdout and stderr a child chibo gives,
    in either language: the frame's words follow --lang, the width is the same pinned one."""
    child = run_chibo(*args, cwd=ROOT)
    here = invoke_chibo(*args, cwd=ROOT)
    assert (here.returncode, here.stdout, here.stderr) == (child.returncode, child.stdout, child.stderr)


def test_in_process_runs_raise_a_crash(monkeypatch: pytest.MonkeyPatch):
    """A bug inside an in-process run comes out as the test's own traceback, not as a quiet exit code."""
    from chibo_rules.jobs import check

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(check, "run_check", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        invoke_chibo("check", "cases/vbn1-2020", cwd=ROOT)
