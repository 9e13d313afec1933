"""`chibo`: check a cell's recorded facts against its plan's rules.

Exit codes (for scripts): 0 no gaps, 1 gaps found (or, with --strict, requirements without data),
2 bad input or usage. Bad input never produces a traceback: every problem is listed with file,
line and field, in Vietnamese by default or English with --lang en.

The app and its commands, one module per command group: check.py (a command per job of jobs/registry.py; ready
and review name their own commands, in check.py and review.py), tools.py (validate, template, docs), rules.py,
plan.py, history.py, review.py; options.py holds the shared option sets and common.py the helpers every command
uses. Nothing here imports a job, a renderer or the engine: a command imports what it needs when it runs, so
`chibo --help` stays quick.
"""

from __future__ import annotations

import sys

import typer

from ..cli_serve import hw as serve_help
from ..cli_serve import serve
from ..clihelp import LANG, Lang, h, lang_for_subcommands
from ..cliwords import install as install_words
from . import check as _check
from . import history as _history
from . import tools as _tools
from .common import EXIT_BUG, EXIT_GAPS, EXIT_INPUT, EXIT_OK, t
from .plan import plan_app
from .rules import rules_app

install_words(LANG)  # typer's own frame (usage, panels, errors) in the user's language

app = typer.Typer(
    help=h("app") + "\n\n" + h("exit_codes"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
)
app.add_typer(rules_app, name="rules")
app.add_typer(plan_app, name="plan")

# the help lists commands in the order they are added: the daily ones first (a command per job: check, audit…)
_check.add_job_commands(app)
app.command(help=h("validate"))(_tools.validate)
app.command(help=h("template"))(_tools.template)
app.command("docs", help=h("docs"))(_tools.docs)
app.command("history", help=_history.HISTORY_HELP)(_history.history)
app.command("serve", help=serve_help("serve"))(serve)  # a new command group: one line here


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help=h("version"), is_eager=True),
    lang: Lang = typer.Option(Lang.vi, "--lang", help=h("lang")),
) -> None:
    lang_for_subcommands(ctx, lang.value)
    if version:
        _print_version()
        raise typer.Exit(EXIT_OK)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(EXIT_OK)


def _print_version() -> None:
    """chibo, the evaluator that will judge (and why), Python, and the plans it finds."""
    import platform

    from .. import __version__
    from ..evaluate.engine import availability
    from ..jobs.plans import bundled_plans

    runs, detail = availability()
    lang = LANG  # --lang is read for help and this text before options are parsed (clihelp)
    evaluator = detail if runs else t("evaluated_oracle_fallback", lang, detail=detail)
    lines = [f"chibo {__version__}", f"{t('version_evaluator', lang)}: {evaluator}",
             f"Python {platform.python_version()} ({sys.executable})"]
    lines += [f"{t('plan', lang)}: {folder.name} ({folder})" for folder in bundled_plans()]
    typer.echo("\n".join(lines))  # plain lines, never wrapped: scripts and support read them


def main() -> None:
    """The command line (started by __main__.main): an unexpected error is a bug, exit 3 with a log file, never
    exit 1; a Ctrl-C is one sentence and exit 130."""
    import signal

    from ..crash import EXIT_INTERRUPTED, finished, interrupted, report

    noted: list[int] = []

    def on_ctrl_c(number: int, frame: object) -> None:
        """Python's own answer (KeyboardInterrupt), remembered: a Ctrl-C landing inside a model pydantic is
        building comes out as a SchemaError that no longer holds the KeyboardInterrupt (its text does)."""
        noted.append(number)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        app(prog_name="chibo")
    except SystemExit as exit_:
        if exit_.code == EXIT_INTERRUPTED:  # typer turns a Ctrl-C into exit 130, silently
            sys.exit(interrupted(LANG))
        finished()
        raise
    except KeyboardInterrupt:
        sys.exit(interrupted(LANG))
    except Exception as exc:  # noqa: BLE001 - everything unexpected lands here, by design
        if noted or _caused_by_ctrl_c(exc):  # a Ctrl-C inside a lazy import, wrapped in a RuntimeError…
            sys.exit(interrupted(LANG))
        sys.exit(report(exc, LANG))


def _caused_by_ctrl_c(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


__all__ = ["EXIT_BUG", "EXIT_GAPS", "EXIT_INPUT", "EXIT_OK", "app", "main"]
