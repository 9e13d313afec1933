"""A format is one module: a module in chibo_rules/report/formats/ that registers itself is a --format choice of
every report command, renders the report, writes it with -o (and may overwrite its own earlier output, never
someone else's file), and is listed in the help — no other file changes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from .clirun import chibo_env
from .conftest import GAPS_CASE, ROOT

TOY = textwrap.dedent('''
    """A toy format: the report's title and one line per section, for the registry's test."""
    from chibo_rules.report.formats import Format, register

    def _text(source):
        doc = source.document()
        return "TOY " + doc.title + "\\n" + "".join(f"- {s.title}\\n" for s in doc.sections)

    register(Format(name="toy", order=99, words=("toy (đồ chơi)", "toy (a toy)"), marker=(b"TOY ",), text=_text))
''')

# chibo started as a user starts it, with one more folder searched for format modules: the toy's
DRIVER = textwrap.dedent('''
    import sys
    import chibo_rules.report.formats as formats
    formats.__path__.append(sys.argv.pop(1))
    from chibo_rules.cli import main
    sys.argv[0] = "chibo"
    main()
''')


def _chibo(folder: Path, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", DRIVER, str(folder), *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, env=chibo_env(), timeout=300)


def test_a_format_module_is_enough(tmp_path):
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "toy.py").write_text(TOY, encoding="utf-8")
    target = tmp_path / "out.toy"

    run = _chibo(modules, "check", GAPS_CASE, "--format", "toy", "-o", target, "--as-of", "31/12/2020")
    assert run.returncode == 1, run.stderr  # the case has gaps
    text = target.read_text(encoding="utf-8")
    assert text.startswith("TOY Báo cáo rà soát thực hiện kế hoạch"), text[:200]

    again = _chibo(modules, "check", GAPS_CASE, "--format", "toy", "-o", target, "--as-of", "31/12/2020")
    assert again.returncode == 1, again.stderr  # its own earlier output: replaced (its marker)

    other = tmp_path / "notes.toy"
    other.write_text("my notes\n", encoding="utf-8")
    refused = _chibo(modules, "check", GAPS_CASE, "--format", "toy", "-o", other)
    assert refused.returncode == 2, refused.stderr
    assert other.read_text(encoding="utf-8") == "my notes\n"

    helped = _chibo(modules, "check", "--help", "--lang", "en")
    assert "toy (a toy)" in helped.stdout, helped.stdout


def test_history_offers_and_lists_the_same_formats(tmp_path):
    """`chibo history` renders through the same registry: a new format is one of its choices, and its help
    lists every choice it has (from the registry, not a sentence of its own)."""
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "toy.py").write_text(TOY, encoding="utf-8")
    helped = _chibo(modules, "history", "--help", "--lang", "en")
    assert helped.returncode == 0, helped.stderr
    row = next(line for line in helped.stdout.splitlines() if line.lstrip("│ ").startswith("--format"))
    choices, words = row.split(">", 1)
    assert "|toy" in choices, row
    assert "toy" in words, row  # the help's words, not only typer's list of choices


def test_without_the_module_there_is_no_such_format():
    run = subprocess.run([sys.executable, "-m", "chibo_rules", "check", GAPS_CASE, "--format", "toy"],
                         capture_output=True, text=True, cwd=ROOT, env=chibo_env(), timeout=300)
    assert run.returncode == 2
    assert "toy" in run.stderr
