"""The options the judging commands share, defined once, and the command built from a job's list of them.

`check` and `audit` (and any job registered in jobs/registry.py) take the same dozen options; each is defined
here once (`OPTIONS`), a job names the ones it takes in the order its help lists them, and `job_command` builds
a typer command whose one parameter the job's code reads is a `JobOptions`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

from ..clihelp import LANG, Lang, h
from ..report import formats
from ..store.messages import hs
from .common import EvaluatorName, Format, ShortFormat

LangOpt = typer.Option(Lang.vi, "--lang", help=h("lang"))
RulesOpt = typer.Option(None, "--rules", help=h("rules"))
PlansOpt = typer.Option(None, "--plans", help=h("plans"))
FormatOpt = typer.Option(Format("table"), "--format", help=formats.help_words(formats.REPORTS, LANG))
OutputOpt = typer.Option(None, "--output", "-o", help=h("output"))
EvaluatorOpt = typer.Option(EvaluatorName.auto, "--evaluator", help=h("evaluator"))
ForceOpt = typer.Option(False, "--force", help=h("force_output"))
SaveOpt = typer.Option(None, "--save/--no-save", help=hs("save"), show_default=False)
StoreOpt = typer.Option(None, "--store", help=hs("store"))
KeepFactsOpt = typer.Option(False, "--keep-facts", help=hs("keep_facts"))
ShortFormatOpt = typer.Option(ShortFormat.table, "--format", help=h("format_short"))

#: name in a job's `options` -> (the parameter it fills in JobOptions, its type, its typer declaration)
OPTIONS: dict[str, tuple[str, Any, Any]] = {
    "cases": ("cases", list[Path], typer.Argument(..., help=h("cases"))),
    "as_of": ("as_of", str | None, typer.Option(None, "--as-of", help=h("as_of"))),
    "audit_as_of": ("as_of", str | None, typer.Option(None, "--as-of", help=h("audit_as_of"))),
    "quarter": ("quarter", str | None, typer.Option(None, "--quarter", "-q", help=h("quarter"))),
    "lang": ("lang", Lang, LangOpt),
    "format": ("fmt", Format, FormatOpt),
    "output": ("output", Path | None, OutputOpt),
    "only": ("only", list[str] | None, typer.Option(None, "--only", help=h("only"))),
    "rules": ("rules_dir", Path | None, RulesOpt),
    "plans": ("plans_dirs", list[Path] | None, PlansOpt),
    "evaluator": ("evaluator", EvaluatorName, EvaluatorOpt),
    "strict": ("strict", bool, typer.Option(False, "--strict", help=h("strict"))),
    "full": ("full", bool, typer.Option(False, "--full", help=h("full"))),
    "jobs": ("jobs", int, typer.Option(0, "--jobs", "-j", min=0, help=h("jobs"))),
    "force": ("force", bool, ForceOpt),
    "save": ("save", bool | None, SaveOpt),
    "store": ("store", str | None, StoreOpt),
    "keep_facts": ("keep_facts", bool, KeepFactsOpt),
}


@dataclass
class JobOptions:
    """What a judging command was given; an option the job does not take keeps its default."""

    cases: list[Path]
    lang: Lang = Lang.vi
    fmt: Any = None
    as_of: str | None = None
    quarter: str | None = None
    output: Path | None = None
    only: list[str] | None = None
    rules_dir: Path | None = None
    plans_dirs: list[Path] | None = None
    evaluator: EvaluatorName = EvaluatorName.auto
    strict: bool = False
    full: bool = False
    jobs: int = 0
    force: bool = False
    save: bool | None = None
    store: str | None = None
    keep_facts: bool = False

    @property
    def language(self) -> str:
        return self.lang.value


def job_command(options: tuple[str, ...], body: Callable[[JobOptions], None]) -> Callable[..., None]:
    """A typer command taking `options` (names in OPTIONS, in the order its help lists them) that calls
    `body(JobOptions(...))`: typer reads the parameters from the signature built here."""
    params = [inspect.Parameter(OPTIONS[name][0], inspect.Parameter.KEYWORD_ONLY, default=OPTIONS[name][2],
                                annotation=OPTIONS[name][1]) for name in options]

    def command(**given: Any) -> None:
        body(JobOptions(**given))

    command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    return command
