"""Rule-test results in words: a line per failing case with what differs, and a summary per plan."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.console import Console
from rich.text import Text

from ..jobs.ruletests import CaseResult, PlanResult
from .i18n import t
from .problems import problem_text


def print_results(results: list[PlanResult], lang: str, console: Console) -> None:
    for result in results:
        failed = [c for c in result.cases if not c.ok]
        passed = len(result.cases) - len(failed)
        for case in failed:
            where = f"{case.file}:{case.line}" if case.file else case.rule
            console.print(Text.assemble(("✗ ", "bold red"), f"{result.plan} {case.rule} — {case.name} "
                                        f"[{case.evaluator}] ({where})"))
            if case.expected or case.got:
                console.print(Text(f"    {t('rt_expected', lang)}: {case.expected}"))
                console.print(Text(f"    {t('rt_got', lang)}: {case.got}"))
            for message in messages(case, lang):
                console.print(Text(f"    – {message}"))
        style = "bold green" if not failed else "bold red"
        console.print(Text(t("rt_summary", lang, plan=result.plan, rules=result.rules, cases=len(result.cases),
                             passed=passed, failed=len(failed)), style=style))


def messages(case: CaseResult, lang: str) -> list[str]:
    """What differs in a case, in words: a record problem as `validate` words it, the rest from i18n."""
    out = []
    for code, values in case.notes:
        if code == "rt_record":
            p = values["problem"]
            where = ", ".join(str(x) for x in (p.file, p.line, p.field) if x)
            out.append(t(code, lang, where=where, text=problem_text(p, lang)))
        else:
            out.append(t(code, lang, **values))
    return out


def results_json(results: list[PlanResult], lang: str = "vi") -> dict[str, Any]:
    cases = []
    for r in results:
        entries = []
        for c in r.cases:
            entry = {k: v for k, v in asdict(c).items() if k != "notes"}
            entry["messages"] = messages(c, lang)
            entry["codes"] = [code for code, _ in c.notes]
            entries.append(entry)
        cases.append({"plan": r.plan, "folder": str(r.folder), "rules": r.rules, "ok": r.ok, "cases": entries})
    return {"schema": "chibo.rule-tests/1", "lang": lang, "plans": cases}
