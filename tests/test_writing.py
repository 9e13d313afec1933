"""Writing reports is safe: whole or not at all, never over a case's file or a user's own file, and every
refusal a clear input error (exit 2) that changes nothing."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chibo_rules import writing
from chibo_rules.cli import app

from .clirun import invoke_chibo
from .conftest import GAPS_CASE

runner = CliRunner()


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture()
def case(tmp_path: Path) -> Path:
    target = tmp_path / "ho-so"
    shutil.copytree(GAPS_CASE, target)
    return target


def test_a_workbook_case_protects_only_itself(tmp_path, case):
    """The README's own example, run from the workbook's folder."""
    assert invoke_chibo("template", tmp_path / "ho-so.xlsx", "--from", case).returncode == 0
    run = invoke_chibo("check", "ho-so.xlsx", "--format", "html", "-o", "bao-cao.html", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "Chưa đạt" in (tmp_path / "bao-cao.html").read_text(encoding="utf-8")
    # the workbook itself is still refused
    before = (tmp_path / "ho-so.xlsx").read_bytes()
    refused = invoke_chibo("check", "ho-so.xlsx", "--format", "json", "-o", "ho-so.xlsx", cwd=tmp_path)
    assert refused.returncode == 2 and (tmp_path / "ho-so.xlsx").read_bytes() == before


@pytest.mark.parametrize("how", ["inside", "hard_link", "symlink", "other_case"])
def test_never_a_case_file(tmp_path, case, how):
    before = _digest(case)
    if how == "inside":
        target = case / "bao-cao.md"
    elif how == "hard_link":
        target = tmp_path / "people-link.csv"
        os.link(case / "people.csv", target)
    elif how == "symlink":
        target = tmp_path / "people-symlink.csv"
        target.symlink_to(case / "people.csv")
    else:  # a file of a case that is not the one being checked
        other = tmp_path / "khac"
        shutil.copytree(case, other)
        target = other / "meetings.csv"
    run = invoke_chibo("check", case, "--format", "markdown", "-o", target, "--force")
    assert run.returncode == 2, run.stdout
    assert "thuộc một hồ sơ" in run.stderr and "Traceback" not in run.stderr
    assert _digest(case) == before
    assert not (case / "bao-cao.md").exists()


def test_an_existing_file_that_is_not_a_report_needs_force(tmp_path, case):
    notes = tmp_path / "ghi-chu.md"
    notes.write_text("Ghi chú của bí thư — không được mất\n", encoding="utf-8")
    run = invoke_chibo("check", case, "--format", "markdown", "-o", notes)
    assert run.returncode == 2 and "--force" in run.stderr
    assert notes.read_text(encoding="utf-8") == "Ghi chú của bí thư — không được mất\n"
    assert invoke_chibo("check", case, "--format", "markdown", "-o", notes, "--force").returncode == 1
    assert "Lập bởi chibo" in notes.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt, name", [("json", "r.json"), ("html", "r.html"), ("markdown", "r.md"),
                                       ("table", "r.txt")])
def test_an_earlier_report_of_the_same_format_is_replaced(tmp_path, case, fmt, name):
    target = tmp_path / name
    assert invoke_chibo("check", case, "--format", fmt, "-o", target).returncode == 1
    first = target.read_bytes()
    assert invoke_chibo("check", case, "--format", fmt, "-o", target, "--lang", "en").returncode == 1
    assert target.read_bytes() != first and not list(tmp_path.glob(".*.tmp"))
    other = {"json": "html", "html": "json", "markdown": "json", "table": "json"}[fmt]
    assert invoke_chibo("check", case, "--format", other, "-o", target).returncode == 2  # not a report of that format


def test_agenda_and_template_are_written_safely_too(tmp_path, case):
    agenda = tmp_path / "chuong-trinh.md"
    assert invoke_chibo("ready", case, "--meeting", "05/05/2020", "--agenda", agenda).returncode == 0
    # its own: replaced
    assert invoke_chibo("ready", case, "--meeting", "05/05/2020", "--agenda", agenda).returncode == 0
    assert invoke_chibo("ready", case, "--meeting", "05/05/2020", "--agenda", case / "agenda.md").returncode == 2
    book = tmp_path / "mau.xlsx"
    assert invoke_chibo("template", book, "--plan", "vbn1-2020").returncode == 0
    # a template is a case chibo reads (a secretary may have filled it in): replaced only with --force
    assert invoke_chibo("template", book, "--plan", "vbn1-2020").returncode == 2
    assert invoke_chibo("template", book, "--plan", "vbn1-2020", "--force").returncode == 0
    assert invoke_chibo("template", book, "--from", book, "--force").returncode == 2  # never the case it reads
    mine = tmp_path / "cua-toi.xlsx"
    shutil.copy(book, mine)
    import openpyxl

    wb = openpyxl.load_workbook(mine)
    wb.worksheets[0]["A1"] = "Bảng của tôi"
    wb.save(mine)
    assert invoke_chibo("template", mine, "--plan", "vbn1-2020").returncode == 2  # someone's own workbook
    assert invoke_chibo("template", tmp_path / "new.xlsx", "--plan", "vbn1-2020").returncode == 0


@pytest.mark.parametrize("where", ["missing_folder", "a_folder"])
def test_a_place_that_cannot_be_written_is_an_input_error(tmp_path, case, where):
    target = tmp_path / "khong-co" / "r.json" if where == "missing_folder" else tmp_path
    run = invoke_chibo("check", case, "--format", "json", "-o", target, "--lang", "en")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert ("No such folder" if where == "missing_folder" else "is a folder") in run.stderr


def test_a_full_disk_leaves_the_old_file_whole(tmp_path, case, monkeypatch):
    target = tmp_path / "r.json"
    assert runner.invoke(app, ["check", str(case), "--format", "json", "-o", str(target)]).exit_code == 1
    before = target.read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writing.os, "fsync", full)
    run = runner.invoke(app, ["check", str(case), "--format", "json", "-o", str(target), "--lang", "en"])
    assert run.exit_code == 2 and "the disk is full" in run.output
    assert target.read_bytes() == before and not list(tmp_path.glob(".*.tmp"))


def test_an_interrupted_write_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "r.md"
    target.write_text("cũ\nLập bởi chibo\n", encoding="utf-8")

    def interrupted(stream):
        stream.write(b"half a rep")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        writing.write(target, interrupted, "markdown", [])
    assert target.read_text(encoding="utf-8") == "cũ\nLập bởi chibo\n" and not list(tmp_path.glob(".*.tmp"))
