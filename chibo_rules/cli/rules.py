"""`chibo rules list|show|test`: the rules of the bundled plans (or of --rules), for plan authors and scripts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from ..clihelp import Lang, h, lang_for_subcommands
from ..errors import InputError
from .common import EXIT_GAPS, EXIT_OK, Evaluated, ShortFormat, engine, err, fail_input, out, t, usage
from .options import LangOpt, RulesOpt, ShortFormatOpt

rules_app = typer.Typer(help=h("rules_app"), no_args_is_help=True)


@rules_app.callback(help=h("rules_app"))
def _rules(ctx: typer.Context, lang: Lang = typer.Option(Lang.vi, "--lang", help=h("lang"))) -> None:
    """`chibo rules --help --lang en`, `chibo rules --lang en list`: the group takes --lang too."""
    lang_for_subcommands(ctx, lang.value)


def _plan_folders(rules_dir: Path | None) -> list[Path]:
    """The plans a rules command looks at: --rules (or $CHIBO_RULES), else every bundled plan."""
    from ..jobs.plans import bundled_plans, override_from_env

    override = rules_dir or override_from_env()
    return [override] if override is not None else bundled_plans()


def _all_prepared(folder: Path, lang: str, as_json: bool = False) -> Any:
    """A plan folder and every rule of it, whatever its job: listing and showing validate them all."""
    from ..ruleset.prepare import prepare
    from ..ruleset.rulespec import load_rules

    try:
        ruleset = load_rules(folder)
        return ruleset, prepare(ruleset, None)
    except InputError as error:
        fail_input(error.problems, lang, as_json)
        raise



def _all_rules(rules_dir: Path | None, language: str, as_json: bool = False) -> list[Any]:
    """(plan, every prepared rule whatever its job) for each plan a rules command looks at."""
    return [_all_prepared(folder, language, as_json) for folder in _plan_folders(rules_dir)]


@rules_app.command("list", help=h("rules_list"))
def rules_list(
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
    fmt: ShortFormat = ShortFormatOpt,
) -> None:
    from rich.table import Table

    language = lang.value
    plans = _all_rules(rules_dir, language, fmt == ShortFormat.json)
    if fmt == ShortFormat.json:
        data = [{"plan": ruleset.plan.id, "id": p.id, "section": p.rule.section, "kind": p.kind,
                 "severity": p.rule.severity, "job": p.rule.job, "title": getattr(p.rule.title, language),
                 "clause": p.rule.clause}
                for ruleset, prepared in plans for p in prepared]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    for ruleset, prepared in plans:
        table = Table(title=f"{ruleset.plan.id} — {getattr(ruleset.plan.name, language)}", title_justify="left")
        for key in ("col_id", "section", "col_check_kind", "col_due", "col_job", "col_requirement"):
            table.add_column(t(key, language))
        for p in prepared:
            table.add_row(p.id, escape(p.rule.section), escape(_kind_words(p.kind, language)),
                          escape(_due_words(p, language)), escape(_words("rj_", p.rule.job, language)),
                          escape(getattr(p.rule.title, language)))
        out().print(table)


def _words(prefix: str, name: str, language: str) -> str:
    """A rule file's term (a check kind, a job) in plain words; the term itself if it has none yet."""
    from ..report.i18n import known

    return t(prefix + name, language) if known(prefix + name) else name


def _kind_words(kind: str, language: str) -> str:
    return _words("rk_", kind, language)


def _due_words(p, language: str) -> str:
    """When a rule is judged, as a secretary says it: "đến 31/12/2020 (mốc: quý 2: 1, quý 4: 2)", "mỗi tháng",
    "luôn xét" — not the rule file's year_end / each / continuous."""
    due = p.rule.due
    if p.due_each:
        text = _words("rd_each_", p.due_each, language)
    elif p.due_date is not None:
        text = t("rd_by", language, date=p.due_date.strftime("%d/%m/%Y"))
    else:
        text = t("rd_continuous", language)
    notes = []
    if not isinstance(due, str) and due.milestones:
        steps = ", ".join(t("rd_milestone", language, n=q[1:], value=f"{v:g}") for q, v in due.milestones.items())
        notes.append(t("rd_milestones", language, steps=steps))
    if not isinstance(due, str) and due.pace:
        notes.append(_words("rd_", due.pace, language))
    if p.per_unit:
        notes.append(_words("rd_per_", p.per_unit, language))
    return text + (f" ({'; '.join(notes)})" if notes else "")


@rules_app.command("show", help=h("rules_show"))
def rules_show(
    rule_id: str = typer.Argument(..., help=h("rule_id")),
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
    fmt: ShortFormat = ShortFormatOpt,
) -> None:
    from ..words import has, say

    language = lang.value
    as_json = fmt == ShortFormat.json
    match = [(ruleset, p) for ruleset, prepared in _all_rules(rules_dir, language, as_json) for p in prepared
             if p.id.upper() == rule_id.upper()]
    if not match:
        usage(t("unknown_rule", language, detail=escape(rule_id)))
    if as_json:  # the rule file's own terms, for plan authors and scripts
        data = [{"plan": ruleset.plan.id, "file": str((ruleset.folder or Path(".")) / p.rule.source),
                 **p.rule.model_dump(mode="json", by_alias=True, exclude_defaults=True)} for ruleset, p in match]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    console = out()
    for ruleset, p in match:
        rule = p.rule
        console.print(f"[bold]{escape(rule.id)}[/bold] — {escape(getattr(rule.title, language))}")
        plan_name = escape(getattr(ruleset.plan.name, language))
        console.print(f"{t('plan', language)}: {escape(ruleset.plan.id)} — {plan_name}")
        severity = say(f"severity.{rule.severity}", language) if has(f"severity.{rule.severity}") else rule.severity
        console.print(f"{t('section', language)}: {escape(rule.section)}   {t('severity_label', language)}: "
                      f"{escape(severity)}   {t('col_check_kind', language)}: {escape(_kind_words(p.kind, language))}")
        console.print(f"{t('col_due', language)}: {escape(_due_words(p, language))}")
        console.print(f"{t('clause', language)}: “{escape(rule.clause.strip())}”")
        if rule.target_text:
            console.print(f"{t('col_target', language)}: {escape(getattr(rule.target_text, language))}")
        console.print(f"{t('hint', language)}: {escape(getattr(rule.hint, language))}")
        for ref in rule.refs:
            console.print(f"{t('reference', language)}: {escape(ref)}")
        console.print(f"[dim]{escape(t('rules_show_json', language))}[/dim]")


@rules_app.command("test", help=h("rules_test"))
def rules_test(
    rules_dir: Path | None = RulesOpt,
    lang: Lang = LangOpt,
    evaluator: list[Evaluated] | None = typer.Option(None, "--evaluator", help=h("evaluators")),
    fmt: ShortFormat = ShortFormatOpt,
) -> None:
    from ..evaluate.engine import availability
    from ..jobs.ruletests import run_plan_tests
    from ..report.ruletests import print_results, results_json

    language = lang.value
    chosen = [e.value for e in evaluator] if evaluator else ["engine", "oracle"]
    if "engine" in chosen and not availability()[0]:
        if evaluator:
            usage(t("engine_missing", language, detail=escape(availability()[1])))
        chosen = ["oracle"]  # said in the summary: the engine cannot run here
        err().print(t("engine_skipped", language, detail=escape(availability()[1])))
    results = []
    try:
        for folder in _plan_folders(rules_dir):
            results.append(engine(lambda f=folder: run_plan_tests(f, chosen), language))
    except InputError as error:
        fail_input(error.problems, language, fmt == ShortFormat.json)
    if fmt == ShortFormat.json:
        sys.stdout.write(json.dumps(results_json(results, language), ensure_ascii=False, indent=2) + "\n")
    else:
        print_results(results, language, out())
    failed = any(not r.ok for result in results for r in result.cases)
    raise typer.Exit(EXIT_GAPS if failed else EXIT_OK)
