"""The command line as a first-time user meets it (issue 19): every word of its frame in the user's language,
every file it writes named, the quarter and date forms people type, plain words for rules, Ctrl-C."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chibo_rules.jobs.audit import parse_quarter

from .conftest import GAPS_CASE, ROOT


def _chibo(*args, cwd: Path = ROOT, lang: str | None = None, **kw) -> subprocess.CompletedProcess[str]:
    """chibo in a child process with no language set by the environment (Vietnamese unless --lang/lang)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CHIBO_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    env["PYTHONPATH"] = str(ROOT)
    if lang:
        env["CHIBO_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "chibo_rules", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300, **kw)


# --- item 6: the quarter and date forms people type ---------------------------------------------------------

@pytest.mark.parametrize("text", ["2020-Q2", "2020q2", "2/2020", "Q2/2020", "q2/2020", "quý 2/2020", "Quý 2/2020",
                                  "QUÝ 2/2020", "Quý II/2020", "quý ii/2020", "Q2-2020", "quy 2/2020",
                                  " quý 2 / 2020 ", "quý 2 năm 2020"])
def test_a_quarter_as_people_write_it(text):
    assert parse_quarter(text) == (2020, "Q2")


@pytest.mark.parametrize("text", ["5/2020", "Q0/2020", "quý V/2020", "2020", "Q2", "2/20", "2020-06", "quý IIII/2020",
                                  "02/06/2020"])
def test_what_is_not_a_quarter_is_refused(text):
    with pytest.raises(ValueError):
        parse_quarter(text)


def test_the_reports_own_quarter_wording_is_accepted_on_the_command_line():
    run = _chibo("audit", GAPS_CASE, "-q", "quý 2/2020", "--format", "json")
    assert run.returncode == 1, run.stderr
    assert '"quarter": "2020-Q2"' in run.stdout or "2020-Q2" in run.stdout


@pytest.mark.parametrize("lang, said", [("vi", "không có thật"), ("en", "does not exist")])
def test_a_date_that_does_not_exist_is_named_as_such(lang, said):
    run = _chibo("ready", GAPS_CASE, "--meeting", "31/4/2020", "--lang", lang)
    assert run.returncode == 2 and said in run.stderr and "31/4/2020" in run.stderr
    assert "dd/mm/yyyy" not in run.stderr and "Traceback" not in run.stderr
