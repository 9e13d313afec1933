"""The command line's own words, in the user's language: the frame typer prints around chibo's texts (usage
line, panel titles, [required], usage errors), what the system said when a file could not be written, and which
file each command wrote.

A secretary reads "Thiếu đối số 'HỒ_SƠ'." and "Không ghi được bao-cao.html: không có quyền ghi", never click's or
the system's English; and every file chibo writes is named once, on stderr, so a report piped on stays clean.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

from . import words
from .words import Area, say

# the words are data: chibo_rules/words/cli.yaml, frame.yaml, types.yaml and os.yaml (the system's reasons,
# shared with reading's problems)
FRAME = Area("frame")  # click's English → (vi, en)
TYPES = Area("types")
ARGS = Area("args")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def os_reason(error: OSError | int | None, lang: str) -> str:
    """Why the system refused a write, in the user's language (never the system's own English strerror)."""
    return words.os_reason(error, lang, "write")


def say_written(paths: list[Path], lang: str) -> None:
    """Name what a command wrote, on stderr: one file by its path, several (a plan folder) by their count and
    folder. Plain lines, never wrapped, so a script can read them."""
    if not paths:
        return
    if len(paths) == 1:
        line = say("cli.written", lang, path=paths[0])
    else:
        folder = Path(*_common_parts(paths))
        line = say("cli.written_many", lang, n=len(paths), folder=folder)
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _common_parts(paths: list[Path]) -> tuple[str, ...]:
    """The folder every path is in."""
    parts = [p.parent.parts for p in paths]
    common: list[str] = []
    for column in zip(*parts):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    return tuple(common) or (".",)


def refusal_text(refused: object, lang: str) -> str:
    """A writing.WriteRefused as one line of rich text in the user's language: the place, and the system's
    reason in words when the system refused."""
    from rich.markup import escape

    from .report.i18n import t

    code, detail, error = (getattr(refused, name, None) for name in ("code", "detail", "error"))
    return t(f"write_{code}", lang, detail=escape(str(detail or "")), reason=escape(os_reason(error, lang)))


# --- the frame typer and its vendored click print around our texts -----------------------------------------
# Click builds its messages as English f-strings (no gettext domain to hook), so the frame is translated at the
# few places it is made: typer's rich_utils constants (panel titles, [default: …], [required]), the usage line's
# prefix (the help formatter), the --help option's own help, and one function that shows a usage error,
# rebuilding its message from the exception's parts (the parameter, the value, the choices) in the user's words.

_TYPE_WORD = re.compile(r"\b(str|int|bool|Path|path|file|directory|float)\b")


def _type_words(shown: str, lang: str) -> str:
    """<list[Path]> -> <đường dẫn…> (<path…>), <str> -> <chữ> (<text>): the type of a value in the user's words,
    not Python's."""
    shown = re.sub(r"list\[(.*)\]", r"\1…", shown).replace(" range>", ">")  # the range itself follows: [x>=0]
    return _TYPE_WORD.sub(lambda m: _pick(TYPES[m.group(1)], lang), shown)
# the English messages click builds as f-strings, and the words each becomes
_CLICK_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Missing command\.$"), "missing_command"),
    (re.compile(r"^No such command (?P<name>'.*?')\."), "no_such_command"),
    (re.compile(r"^Option (?P<name>'.*?') requires an argument\.$"), "needs_value"),
    (re.compile(r"^Option (?P<name>'.*?') requires (?P<n>\d+) arguments\.$"), "needs_values"),
    (re.compile(r"^Option (?P<name>'.*?') does not take a value\.$"), "takes_no_value"),
    (re.compile(r"^Argument (?P<name>'.*?') takes (?P<n>\d+) values\.$"), "argument_values"),
    (re.compile(r"^Got unexpected extra argument\(s\) \((?P<extra>.*)\)$"), "extra_arguments"),
]
_PATH_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\w+ (?P<path>'.*') does not exist\.$"), "path_missing"),
    (re.compile(r"^\w+ (?P<path>'.*') is a file\.$"), "path_is_file"),
    (re.compile(r"^\w+ (?P<path>'.*') is a directory\.$"), "path_is_folder"),
    (re.compile(r"^\w+ (?P<path>'.*') is not readable\.$"), "path_unreadable"),
    (re.compile(r"^\w+ (?P<path>'.*') is not writable\.$"), "path_unwritable"),
]
_LIMITS = {"greater_than_equal": "ge", "less_than_equal": "le", "greater_than": "gt", "less_than": "lt"}


def frame_word(msgid: str, lang: str) -> str:
    return _pick(FRAME[msgid], lang) if msgid in FRAME else msgid


def _say(key: str, lang: str, **kw: object) -> str:
    return say(f"cli.{key}", lang, **kw)


def usage_message(error: Exception, lang: str) -> str:
    """A click usage error's message in the user's words, built from its parts; its own (English) message only
    for a form this function does not know."""
    from typer._click import exceptions as click_errors

    message = str(getattr(error, "message", "") or "")
    param = getattr(error, "param", None)
    hint = getattr(error, "param_hint", None) or (param.get_error_hint() if param is not None else None)
    if isinstance(error, click_errors.MissingParameter):
        which = {"argument": "missing_argument", "option": "missing_option"}.get(
            getattr(param, "param_type_name", ""), "missing_parameter")
        return _say(which, lang, hint=hint or "")
    if isinstance(error, click_errors.NoSuchOption):
        text = _say("no_such_option", lang, name=error.option_name)
        if error.possibilities:
            names = ", ".join(sorted(error.possibilities))
            text += " " + _say("did_you_mean", lang, names=names)
        return text
    if isinstance(error, click_errors.BadParameter):
        return _say("invalid_value", lang, hint=hint or "", detail=_bad_value(error, param, message, lang))
    for pattern, key in _CLICK_MESSAGES:
        match = pattern.match(message)
        if match:
            if key == "no_such_command":
                return _no_such_command(error, match.group("name"), lang)
            return _say(key, lang, **match.groupdict())
    return message


def _bad_value(error: Exception, param: object, message: str, lang: str) -> str:
    """Why a value was refused: its choices, its limits, its type, or what is wrong with the path."""
    cause = error.__cause__
    problems: list[dict[str, Any]] = getattr(cause, "errors", list)()
    first = problems[0] if problems else {}
    value = first.get("input")
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None) if getattr(descriptor, "is_choice", False) else None
    if choices and first.get("type") == "value_error":
        names = ", ".join(str(getattr(c, "value", c)) for c in choices)
        return _say("not_one_of", lang, value=repr(value), choices=names)
    if first.get("type") in _LIMITS:
        limit = next(iter((first.get("ctx") or {}).values()), "")
        return _say(_LIMITS[first["type"]], lang, limit=limit)
    if first.get("type") == "int_parsing":
        return _say("int", lang, value=repr(value))
    if first.get("type") == "float_parsing":
        return _say("float", lang, value=repr(value))
    for pattern, key in _PATH_MESSAGES:
        match = pattern.match(message)
        if match:
            return _say(key, lang, path=match.group("path"))
    return message.rstrip(".")


def _no_such_command(error: Exception, name: str, lang: str) -> str:
    """The command typed wrong, the nearest ones (as click finds them), or else every command of the group."""
    import difflib

    text = _say("no_such_command", lang, name=name)
    ctx = getattr(error, "ctx", None)
    commands = sorted(ctx.command.list_commands(ctx)) if ctx is not None and hasattr(ctx.command,
                                                                                         "list_commands") else []
    near = difflib.get_close_matches(name.strip("'"), commands)
    if near:
        return text + " " + _say("did_you_mean", lang, names=", ".join(f"'{n}'" for n in near))
    return text + (" " + _say("commands", lang, names=", ".join(commands)) if commands else "")


def install(lang: str) -> None:
    """Put the user's words into typer's frame: panel titles and markers, the usage line, --help's own help, the
    types of values, a number's bounds, the arguments' names, and the display of a usage error. Called when the
    command line is built (cli.py); calling it again replaces the language (each hook keeps typer's own function
    as `.english`). typer's rich_utils (rich's markdown, syntax and traceback: ~0.1 s of a cold start) is framed
    when typer first imports it, to show help or an error, not imported here."""
    _FRAME_LANG[:] = [lang]
    if "typer.rich_utils" in sys.modules:
        _frame_rich_utils(sys.modules["typer.rich_utils"])
    elif not any(isinstance(finder, _FrameOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _FrameOnImport())
    _usage_line(lang)
    _help_option(lang)
    _completion_options(lang)
    _value_types(lang)
    _argument_names(lang)


_FRAME_LANG: list[str] = []  # the language install() was last called with, for typer's rich_utils when it loads


def _frame_rich_utils(rich_utils: Any) -> None:
    """typer's rich_utils in the user's words: panel titles and markers, and the display of a usage error."""
    _frame_constants(rich_utils, _FRAME_LANG[0])
    _usage_errors(rich_utils, _FRAME_LANG[0])


# typer.rich_utils' constants and the English each holds
RICH_CONSTANTS = {
    "ARGUMENTS_PANEL_TITLE": "Arguments", "OPTIONS_PANEL_TITLE": "Options", "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error", "DEFAULT_STRING": "[default: {}]", "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]", "DEPRECATED_STRING": "(deprecated) ", "ABORTED_TEXT": "Aborted.",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}


def _frame_constants(rich_utils: Any, lang: str) -> None:
    for name, english in RICH_CONSTANTS.items():
        setattr(rich_utils, name, frame_word(english, lang))


def _usage_line(lang: str) -> None:
    """"Cách dùng: chibo check [TÙY_CHỌN] {HỒ_SƠ}...": the prefix and the metavars every usage line has."""
    from typer._click import core as click_core
    from typer._click.formatting import HelpFormatter

    class Formatter(HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            for english in ("COMMAND [ARGS]...", "[OPTIONS]"):
                args = args.replace(english, frame_word(english, lang))
            super().write_usage(prog, args, frame_word("Usage: ", lang) if prefix is None else prefix)

    click_core.Context.formatter_class = Formatter


def _help_option(lang: str) -> None:
    """--help's own help ("Show this message and exit."), fixed in click's decorator."""
    from typer._click import decorators

    english = getattr(decorators.help_option, "english", decorators.help_option)

    def help_option(param_decls: list[str]) -> Any:
        add = english(param_decls)

        def apply(command: Any) -> Any:
            command = add(command)
            command.params[-1].help = frame_word("Show this message and exit.", lang)
            return command
        return apply

    help_option.english = english  # type: ignore[attr-defined]
    decorators.help_option = help_option


# the help typer gives --install-completion and --show-completion, fixed in its placeholder function
COMPLETION_HELP = ("Install completion for the current shell.",
                   "Show completion for the current shell, to copy it or customize the installation.")


def _completion_options(lang: str) -> None:
    """--install-completion and --show-completion's help in the user's words (COMPLETION_HELP)."""
    import typer.main as typer_main

    english = getattr(typer_main.get_install_completion_arguments, "english",
                      typer_main.get_install_completion_arguments)

    def completion_arguments() -> Any:
        params = english()
        for param in params:
            text = getattr(param, "help", None)
            if text in COMPLETION_HELP:
                param.help = frame_word(text, lang)  # type: ignore[union-attr]
        return params

    completion_arguments.english = english  # type: ignore[attr-defined]
    typer_main.get_install_completion_arguments = completion_arguments


def _value_types(lang: str) -> None:
    from typer import core as typer_core

    parameter = typer_core._TyperParameter
    english = getattr(parameter.display_type, "english", parameter.display_type)

    def display_type(self: Any, ctx: Any) -> str:
        if getattr(self, "is_flag", False):  # `--strict` takes no value: no <yes/no> that invites `--strict yes`
            return ""
        shown = english(self, ctx)
        return _type_words(shown, lang) if shown else shown

    display_type.english = english  # type: ignore[attr-defined]
    parameter.display_type = display_type  # type: ignore[method-assign]
    for holder in (parameter, typer_core.TyperOption):  # the option class has its own copy of the range's text
        _plain_range(holder)


def _argument_names(lang: str) -> None:
    """An argument's name where the usage line, the argument panel and a usage error show it, in the user's
    words (args.yaml: {cases} -> {HỒ_SƠ}), worded when shown, as the frame is, so it follows --lang."""
    from typer import core as typer_core

    argument: Any = typer_core.TyperArgument  # a property replaced: typer's own kept as its getter's .english
    english = getattr(argument.display_name_raw.fget, "english", argument.display_name_raw.fget)

    def name(self: Any) -> str:
        shown = english(self)
        return _pick(ARGS[shown], lang) if self.metavar is None and shown in ARGS else shown

    name.english = english  # type: ignore[attr-defined]
    argument.display_name_raw = property(name)


def _plain_range(holder: Any) -> None:
    """typer's "[x>=0]", "[1<=x<=4]" after a number's type as "[≥ 0]", "[1–4]": a bound, not a formula."""
    english = vars(holder).get("_get_number_range_help_str")  # only a class's own, not the one it inherits
    if english is None:
        return
    english = getattr(english, "english", english)

    def range_words(self: Any) -> str | None:
        return _range_words(english(self))

    range_words.english = english  # type: ignore[attr-defined]
    holder._get_number_range_help_str = range_words


def _range_words(shown: str | None) -> str | None:
    if not shown:
        return shown
    both = re.fullmatch(r"(-?[\d.]+)<=x<=(-?[\d.]+)", shown)
    if both:
        return f"{both[1]}–{both[2]}"
    one = re.fullmatch(r"x(>=|<=)(-?[\d.]+)", shown)
    return f"{'≥' if one[1] == '>=' else '≤'} {one[2]}" if one else shown


def _usage_errors(rich_utils: Any, lang: str) -> None:
    """typer shows a usage error through rich_utils.rich_format_error: the same panel, our words."""
    english = getattr(rich_utils.rich_format_error, "english", rich_utils.rich_format_error)

    def show_usage_error(error: Any) -> None:
        if type(error).__name__ == "NoArgsIsHelpError":  # that one is the help, shown already
            return
        error.message = usage_message(error, lang)
        error.param_hint = None
        error.format_message = lambda: error.message
        english(error)

    show_usage_error.english = english  # type: ignore[attr-defined]
    rich_utils.rich_format_error = show_usage_error


class _FrameOnImport(importlib.abc.MetaPathFinder):
    """Frames typer.rich_utils right after its first import (typer imports it only to show help or an error)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != "typer.rich_utils":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is not None and spec.loader is not None:
            spec.loader = _ThenFrame(spec.loader)
        return spec


class _ThenFrame(importlib.abc.Loader):
    def __init__(self, loader: Any):
        self.loader = loader

    def create_module(self, spec: Any) -> Any:
        return self.loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self.loader.exec_module(module)
        _frame_rich_utils(module)
