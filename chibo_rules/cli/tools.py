"""`chibo validate`, `chibo template` and `chibo docs`: a case's facts read and checked, a workbook to fill, and the
case-format document."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape

from ..clihelp import Lang, h
from ..errors import InputError
from .common import EXIT_INPUT, Format, ShortFormat, err, fail_input, load_one, out, plans_of, t, usage, write
from .options import LangOpt, PlansOpt, RulesOpt, ShortFormatOpt


def validate(
    case_dir: Path = typer.Argument(..., help=h("case")),
    lang: Lang = LangOpt,
    fmt: ShortFormat = ShortFormatOpt,
    rules_dir: Path | None = RulesOpt,
    plans_dirs: list[Path] | None = PlansOpt,
) -> None:
    case, _ = load_one(case_dir, plans_of(rules_dir, plans_dirs), lang.value, fmt)
    n = sum(len(rs) for rs in case.records.values())
    if fmt == ShortFormat.json:
        sys.stdout.write(json.dumps({"schema": "chibo.problems/1", "problems": [], "records": n}) + "\n")
    else:
        out().print(t("valid", lang.value, n=n, files=len(case.records) + 1))


def template(
    *,
    out: Path = typer.Argument(..., help=h("template_out")),
    from_case: Path | None = typer.Option(None, "--from", help=h("template_from")),
    plan_id: str | None = typer.Option(None, "--plan", help=h("template_plan")),
    rules_dir: Path | None = RulesOpt,
    plans_dirs: list[Path] | None = PlansOpt,
    lang: Lang = LangOpt,
    force: bool = typer.Option(False, "--force", help=h("force")),
) -> None:
    from ..facts.xlsx import write_workbook
    from ..jobs.plans import bundled_plans

    language = lang.value
    if out.suffix.lower() != ".xlsx":
        err().print(t("template_suffix", language, detail=escape(str(out))))
        raise typer.Exit(EXIT_INPUT)
    plans = plans_of(rules_dir, plans_dirs)
    case = None
    if from_case is not None:
        case, plan = load_one(from_case, plans, language, Format("table"))
    else:
        folder = plans.override or (plans.find(plan_id)[0] if plan_id else None)
        if folder is None:
            usage(t("choose_plan", language, detail=", ".join(p.name for p in bundled_plans())))
        try:
            plan = plans.load(folder)
        except InputError as error:
            fail_input(error.problems, language)
    cases = [from_case] if from_case is not None else []
    # a workbook chibo wrote is a case chibo reads: replaced only when asked (--force), never the --from case
    write(out, lambda stream: write_workbook(stream, plan.ruleset.schema, case, plan.id), "workbook", cases,
           language, force=force, replace_case=force)



def docs(
    document: str = typer.Argument(..., metavar="case-format", help=h("docs_document")),
    output: Path | None = typer.Option(None, "--output", "-o", help=h("docs_output")),
    rules_dir: list[Path] | None = typer.Option(None, "--rules", help=h("docs_rules")),
    lang: Lang = LangOpt,
) -> None:
    from ..report.casedoc import case_format

    language = lang.value
    if document != "case-format":
        usage(t("no_such_document", language, detail=escape(document), known="case-format"))
    try:
        text = case_format(rules_dir or None)
    except InputError as error:
        fail_input(error.problems, language)
    if output is None:
        _page(text)
        return
    write(output, lambda stream: stream.write(text.encode("utf-8")), "document", [], language)


def _page(text: str) -> None:
    """A long document: through the pager ($PAGER, less, more) on a terminal — it is some 1,700 lines, and the
    help says -o FILE writes it to a file — and whole to a pipe or file, where a program reads it."""
    if sys.stdout.isatty() and sys.stdin.isatty():
        import pydoc

        pydoc.pager(text)
    else:
        sys.stdout.write(text)
