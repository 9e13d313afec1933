"""Rule-test results in words: a line per failing case with what differs, and a summary per plan."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.text import Text

from ..jobs.ruletests import PlanResult
from .i18n import t


def print_results(results: list[PlanResult], lang: str, console: Console) -> None:
    for result in results:
        failed = [c for c in result.cases if not c.ok]
        passed = len(result.cases) - len(failed)
        for case in failed:
            where = f"{case.file}:{case.line}" if case.file else case.rule
            console.print(Text.assemble(("✗ ", "bold red"), f"{result.plan} {case.rule} — {case.name} "
                                        f"[{case.evaluator}] ({where})"))
            console.print(Text(f"    {t('rt_expected', lang)}: {case.expected}"))
            console.print(Text(f"    {t('rt_got', lang)}: {case.got}"))
            for message in case.messages:
                console.print(Text(f"    – {message}"))
        style = "bold green" if not failed else "bold red"
        console.print(Text(t("rt_summary", lang, plan=result.plan, rules=result.rules, cases=len(result.cases),
                             passed=passed, failed=len(failed)), style=style))


def results_json(results: list[PlanResult]) -> dict[str, Any]:
    return {
        "schema": "chibo.rule-tests/1",
        "plans": [{"plan": r.plan, "folder": str(r.folder), "rules": r.rules, "ok": r.ok,
                   "cases": [asdict(c) for c in r.cases]} for r in results],
    }
