"""`chibo plan draft` and `chibo plan apply`: from a plan's own text to draft rules, and from the secretary's
review back to a plan folder. Bad input (a missing, empty, old-Word or image-only file, a folder already
holding files) is a clear message naming the file, exit 2; nothing is overwritten without --force.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .. import writing
from ..clihelp import Lang, h, lang_for_subcommands
from ..cliwords import os_reason, refusal_text, say_written
from ..errors import InputError, Problem
from ..report.i18n import t
from ..report.problems import problem_text

EXIT_OK, EXIT_INPUT = 0, 2


plan_app = typer.Typer(help=h("plan_app"), no_args_is_help=True)
LangOpt = typer.Option(Lang.vi, "--lang", help=h("lang"))


@plan_app.callback(help=h("plan_app"))
def _plan(ctx: typer.Context, lang: Lang = LangOpt) -> None:
    """`chibo plan --help --lang en`, `chibo plan --lang en draft …`: the group takes --lang too."""
    lang_for_subcommands(ctx, lang.value)
ForceOpt = typer.Option(False, "--force", help=h("plan_force"))


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _fail(problems: list[Problem], lang: str) -> None:
    """Every problem with its file (sheet, cell, line) in the user's language; exit 2."""
    from ..draft.messages import MESSAGES, m

    table = Table(title=t("problems_title", lang), title_justify="left")
    for col in ("col_file", "col_line", "col_cell", "col_problem", "col_value"):
        table.add_column(t(col, lang), overflow="fold")
    for p in problems:
        text = m(p.code, lang, detail=p.detail) if p.code in MESSAGES else problem_text(p, lang)
        where = f"{p.sheet}!{p.cell}" if p.sheet and p.cell else (p.cell or "")
        table.add_row(escape(p.file), "" if p.line is None else str(p.line), escape(where), escape(text),
                      escape(p.value or ""))
    console = _console(stderr=True)
    console.print(table)
    console.print(t("problems_count", lang, n=len(problems)))
    raise typer.Exit(EXIT_INPUT)


def _empty_folder(out: Path, force: bool, lang: str) -> None:
    """The output folder: created when missing; one already holding files is refused unless --force."""
    if out.exists() and not out.is_dir():
        _fail([Problem(str(out), None, None, "draft_out_not_folder")], lang)
    if out.is_dir() and not force:
        held = sorted(p.name for p in out.iterdir())
        if held:
            _fail([Problem(str(out), None, None, "draft_out_not_empty", ", ".join(held[:5]))], lang)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _console(True).print(t("write_os_error", lang, detail=escape(str(out)), reason=escape(os_reason(exc, lang))))
        raise typer.Exit(EXIT_INPUT) from None


def _writer(data: bytes) -> Callable[[IO[bytes]], object]:
    """What writes `data` to a stream (a function of its own: a lambda in a loop would see the last data)."""
    return lambda stream: stream.write(data)


def _write_all(files: dict[Path, bytes], kinds: dict[Path, str], force: bool, lang: str) -> None:
    """Each file whole or not at all (chibo_rules.writing); a refusal is worded in the user's language; what
    was written is named on stderr (the folder and how many files)."""
    written: list[Path] = []
    for path, data in files.items():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            writing.write(path, _writer(data), kinds.get(path, "draft"), [], force)
        except OSError as exc:
            say_written(written, lang)
            _console(True).print(t("write_os_error", lang, detail=escape(str(path.parent)),
                                   reason=escape(os_reason(exc, lang))))
            raise typer.Exit(EXIT_INPUT) from None
        except writing.WriteRefused as refused:
            say_written(written, lang)
            _console(True).print(refusal_text(refused, lang))
            raise typer.Exit(EXIT_INPUT) from None
        written.append(path)
    say_written(written, lang)


def _yaml(data: Any) -> bytes:
    from ..draft.propose import dump_yaml

    return dump_yaml(data).encode("utf-8")


@plan_app.command("draft", help=h("plan_draft"))
def draft(
    plan_file: Path = typer.Argument(..., help=h("plan_file")),
    out: Path = typer.Option(..., "--out", help=h("plan_out")),
    targets: Path | None = typer.Option(None, "--targets", help=h("plan_targets")),
    lang: Lang = LangOpt,
    force: bool = ForceOpt,
) -> None:
    from ..draft.messages import m
    from ..draft.propose import draft_plan, load_lexicon, rule_text, slug
    from ..draft.reading import read_plan
    from ..draft.review import review_markdown, review_workbook

    language = lang.value
    lexicon = load_lexicon()
    try:
        text = read_plan(plan_file, lexicon)
    except InputError as err:
        _fail(err.problems, language)
    if targets is not None and not targets.is_file():
        _fail([Problem(str(targets), None, None, "draft_missing")], language)
    result = draft_plan(text, slug(out.resolve().name), lexicon)
    if not result.proposals:  # never a silent success: say what was read and that nothing was found
        where = m("read_whole", language, line=text.start_line or 1) if text.whole_text else m("read_parts", language)
        _fail([Problem(str(plan_file), None, None, "draft_no_targets", where)], language)
    _empty_folder(out, force, language)
    texts = {p.id: rule_text(p) for p in result.proposals}
    files: dict[Path, bytes] = {out / "plan.yaml": _yaml(result.plan)}
    files.update({out / "kinds" / f"{name}.yaml": _yaml(kind) for name, kind in result.kinds.items()})
    files.update({out / f"{rule_id}.yaml": body.encode("utf-8") for rule_id, body in texts.items()})
    files[out / "review.md"] = review_markdown(result, language, plan_file.name).encode("utf-8")
    files[out / "review.xlsx"] = review_workbook(result, language, texts, plan_file.name)
    _write_all(files, {out / "review.md": "markdown", out / "review.xlsx": "workbook"}, force, language)
    levels = [p.level for p in result.proposals]
    console = _console()
    if text.whole_text:
        console.print(escape(m("whole_text", language, line=text.start_line or 1)))
    console.print(escape(m("summary", language, n=len(levels), file=plan_file.name, high=levels.count("high"),
                           medium=levels.count("medium"), low=levels.count("low"),
                           advisory=sum(p.shape == "advisory" for p in result.proposals), out=str(out))))
    if targets is not None:
        _print_measure(targets, result.proposals, language, console, max(result.plan["years"]))
    console.print(escape(m("next_steps", language, md=str(out / "review.md"), xlsx=str(out / "review.xlsx"))))


def _print_measure(path: Path, proposals: list, language: str, console: Console, last_year: int) -> None:
    """Recall and precision against TARGETS.md, the missed targets and the proposals not among them."""
    from ..draft.measure import measure, read_targets, unmeasurable_phrases
    from ..draft.messages import m
    from ..draft.propose import short

    rows = read_targets(path)
    if not rows:
        _fail([Problem(str(path), None, None, "no_targets_table", str(path))], language)
    result = measure(rows, proposals, unmeasurable_phrases(path), last_year)
    console.print(escape(m("measured", language, file=path.name, found=result.found, total=len(rows),
                           recall=result.recall, real=len(result.real), n=len(proposals),
                           precision=result.precision)))
    for row in rows:
        if not row.found_by:
            want = f"{row.want} {row.value:g}" if row.value is not None else f"{row.want} {row.period or ''}"
            near = m("near", language, ids=", ".join(row.near)) if row.near else ""
            console.print(escape(m("miss", language, number=row.number, section=row.section,
                                   clause=short(row.clause, 90), want=want.strip(), near=near)))
    for p in proposals:
        if p.id not in result.real:
            console.print(escape(m("extra", language, id=p.id, section=p.clause.section,
                                   clause=short(p.clause.quote, 90))))
    if result.advisory_phrases:
        console.print(escape(m("unmeasurable", language, found=sum(f for _, f in result.advisory_phrases),
                               total=len(result.advisory_phrases))))


@plan_app.command("apply", help=h("plan_apply"))
def apply(
    review: Path = typer.Argument(..., help=h("review_file")),
    out: Path | None = typer.Option(None, "--out", help=h("apply_out")),
    lang: Lang = LangOpt,
    force: bool = ForceOpt,
) -> None:
    from .. import checks  # noqa: F401 (every check kind registered: the rule loader knows them from there)
    from ..draft.apply import built_tests, plan_files
    from ..draft.messages import m
    from ..draft.review import read_review
    from ..ruleset.rulespec import load_rules

    language = lang.value
    try:
        decided = read_review(review)
    except InputError as err:
        _fail(err.problems, language)
    if not decided.accepted:  # an empty plan folder would only say so later, as "0 rules"
        left = len(decided.rejected) + len(decided.undecided)
        _fail([Problem(str(review), None, None, "draft_nothing_accepted", str(left))], language)
    out = out or review.parent / "accepted"
    _empty_folder(out, force, language)
    # the plan's id is its folder's name: cases name it, and the plan search finds it by that name
    made = plan_files(decided, out, out.resolve().name)
    _write_all(made.files, {}, force, language)
    try:
        ruleset = load_rules(out)
    except InputError as err:
        _fail(err.problems, language)
    # the skeletons written just above, replaced
    _write_all(built_tests(made, ruleset.schema.kinds), {}, True, language)
    not_taken = decided.rejected + decided.undecided
    console = _console()
    console.print(escape(m("applied", language, n=len(decided.accepted), changed=len(decided.changed), out=str(out),
                           rejected=len(decided.rejected), undecided=len(decided.undecided),
                           list=f" ({', '.join(not_taken)})" if not_taken else "")))
    if decided.merged:
        console.print(escape(m("applied_merged", language,
                               list=", ".join(f"{row} → {into}" for row, into in decided.merged.items()))))
    console.print(escape(m("apply_next", language, out=str(out))))
