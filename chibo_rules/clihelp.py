"""The command line's help in Vietnamese (default) and English.

`--help` is read before any option is parsed, so the language is chosen from what is already known:
`--lang en` (or `--lang=en`) on the command line, else $CHIBO_LANG, else an English locale ($LC_ALL,
$LC_MESSAGES or $LANG starting with "en"); anything else gives Vietnamese, the users' language.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import TYPE_CHECKING

from .words import Area, say

if TYPE_CHECKING:
    import typer



class Lang(str, Enum):
    """--lang's choices, for every command and group."""
    vi = "vi"
    en = "en"


# the help's words are data: chibo_rules/words/help.yaml (the exit codes as its `exit_codes`)
TEXTS = Area("help")


def help_lang(argv: list[str] | None = None, env: dict[str, str] | None = None) -> str:
    """The language of --help: see the module's docstring."""
    argv = sys.argv[1:] if argv is None else argv
    env = dict(os.environ) if env is None else env
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "vi"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "vi"
    if env.get("CHIBO_LANG") in ("vi", "en"):
        return env["CHIBO_LANG"]
    locale = env.get("LC_ALL") or env.get("LC_MESSAGES") or env.get("LANG") or ""
    return "en" if locale.lower().startswith("en") else "vi"


LANG = help_lang()


def h(key: str) -> str:
    return say(f"help.{key}", LANG)


def lang_for_subcommands(ctx: typer.Context, lang: str) -> None:
    """`chibo --lang en rules list`: a --lang given before the command is every subcommand's default
    (help's own language is read from the command line before parsing, clihelp.LANG)."""
    def defaults(command: object) -> dict[str, object]:
        subcommands = getattr(command, "commands", {})
        return {name: {"lang": lang, **defaults(sub)} for name, sub in subcommands.items()}

    source = ctx.get_parameter_source("lang")
    if source is not None and source.name == "COMMANDLINE":
        ctx.default_map = {**(ctx.default_map or {}), **defaults(ctx.command)}
