"""Every command and command group has help in Vietnamese and English, with examples, and is documented in
the README (as sqlite-utils tests its CLI); `--lang` works before or after the command name."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer

from chibo_rules.cli import app

from .conftest import ROOT


def _paths(command, prefix=()):
    yield prefix
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _paths(sub, (*prefix, name))


COMMANDS = [p for p in _paths(typer.main.get_command(app)) if p]


def _chibo(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CHIBO_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run([sys.executable, "-m", "chibo_rules", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_the_command_tree_is_what_the_readme_documents():
    assert {" ".join(p) for p in COMMANDS} >= {"check", "audit", "ready", "validate", "template", "rules",
                                                 "rules list", "rules show", "rules test", "plan", "plan draft",
                                                 "plan apply", "docs"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [" ".join(p) for p in COMMANDS if f"chibo {' '.join(p)}" not in readme]
    assert missing == []


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_in_both_languages(path):
    vi, en = _chibo(*path, "--help"), _chibo(*path, "--help", "--lang", "en")
    assert vi.returncode == en.returncode == 0, vi.stderr + en.stderr
    assert "Cách dùng" in vi.stdout and "Usage" in en.stdout and "Usage" not in vi.stdout  # the frame too
    assert vi.stdout != en.stdout  # translated, not the same text twice
    assert "Traceback" not in vi.stderr + en.stderr


def test_lang_before_the_command_is_the_commands_language():
    before = _chibo("--lang", "en", "rules", "list")
    group = _chibo("rules", "--lang", "en", "list")
    after = _chibo("rules", "list", "--lang", "en")
    default = _chibo("rules", "list")
    assert before.returncode == group.returncode == after.returncode == default.returncode == 0
    assert before.stdout == group.stdout == after.stdout != default.stdout
    assert "Resolution of the 7th congress" in before.stdout and "Nghị quyết Đại hội" in default.stdout
