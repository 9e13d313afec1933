"""The pipeline: case facts + prepared rules -> findings, by the engine or by the oracle.

Before any evaluator runs, each rule is triaged the same way: advisory, not due at the as-of date,
or no data because a fact file it reads is absent. Only the rest are evaluated.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ..evaluate import sessions
from ..evaluate.raw import Raw, raw_from_hits
from ..facts.case import Case
from ..facts.values import date_number
from ..judge.exemptions import apply as apply_exemptions
from ..judge.findings import Finding, judge, judge_pace
from ..judge.verdict import Report
from ..ruleset.prepare import Prepared
from ..ruleset.rulespec import RuleSet

Evaluator = Literal["engine", "oracle"]


def default_as_of(case: Case, today: dt.date | None = None) -> dt.date:
    """Checking a past plan judges all of it; checking a running plan judges up to today."""
    today = today or dt.date.today()
    return min(today, case.end)


def has_pace(p: Prepared) -> bool:
    due = p.rule.due
    return not isinstance(due, str) and bool(due.milestones or due.pace)


def triage(
    p: Prepared, case: Case, as_of: dt.date, synthetic: list[dict[str, Any]], pace: bool = False
) -> Finding | None:
    """A finding decided without evaluation, or None when the rule must be evaluated.
    With `pace` (the quarterly audit), a count with milestones is evaluated before it falls due."""
    if p.due_date is not None and as_of < p.due_date and not (pace and has_pace(p)):
        return Finding(p.id, "not_due", note=p.due_date.isoformat())
    missing = [case.source_name(kind) for kind in p.rule.kinds() if not case.provided(kind)]
    if missing and p.judged:
        return Finding(p.id, "no_data", missing_files=missing, note="missing_files")
    calendars = [b.alias for b in p.bound() if b.pattern.calendar]
    if calendars and not any(f["dim"] in calendars for f in synthetic if f["t"] == "__cal"):
        return Finding(p.id, "not_due", note="no_period")
    return None


def select(prepared: list[Prepared], only: list[str] | None) -> list[Prepared]:
    """--only takes rule ids or plan sections (a section selects its sub-sections too)."""
    if not only:
        return prepared
    wanted = [w.strip().upper() for w in only if w.strip()]
    return [
        p for p in prepared
        if p.id.upper() in wanted
        or any(p.rule.section.upper() == w or p.rule.section.upper().startswith(w + ".") for w in wanted)
    ]


def evaluate_raw(
    case: Case, prepared: list[Prepared], as_of: dt.date, evaluator: Evaluator,
    pace: bool = False, runtime: dict[str, int] | None = None, everything: list[Prepared] | None = None,
) -> tuple[dict[str, Finding], dict[str, Raw], dict[tuple[str, str], dict[str, Any]]]:
    """Triage every rule, evaluate the rest with one engine session (or the oracle) for the cell.
    `runtime`: parameters known only now besides as_of (a review's meeting dates, as yyyymmdd)."""
    params = {"as_of": date_number(as_of), **(runtime or {})}
    decided: dict[str, Finding] = {}
    todo: list[Prepared] = []
    synthetic: list[dict[str, Any]] = []
    for p in prepared:
        own = p.synthetic_facts(as_of)
        early = triage(p, case, as_of, own, pace)
        if early is not None:
            decided[p.id] = early
        else:
            todo.append(p)
            synthetic += own
    facts = case.facts(as_of, {kind for p in todo for kind in p.rule.kinds()})
    all_facts = facts + synthetic
    if evaluator == "engine":
        from ..evaluate.engine import Engine

        # the plan's whole ruleset, registered once per process, also when only some rules are judged:
        # durable-rules crashed (segfault in isBetaMatch) on rulesets of one or two rules
        owners = case.schema.owner_fields() if case.schema else {}
        hits = sessions.run(Engine(everything or prepared), todo, all_facts, params, owners) if todo else []
        raws = raw_from_hits(hits)
    else:
        from ..evaluate.oracle import Oracle

        oracle = Oracle(all_facts, as_of, date_number(as_of))
        oracle.params.update(params)
        raws = {p.id: oracle.evaluate(p) for p in todo}
    lookup = {(f["t"], str(f["key"])): f for f in facts}
    lookup.update({(f"{f['t']}:{f['rule']}:{f['dim']}", str(f["key"])): f for f in synthetic})
    for p in todo:
        raws.setdefault(p.id, Raw())
    return decided, {p.id: raws[p.id] for p in todo}, lookup


def run_check(
    case: Case, ruleset: RuleSet, prepared: list[Prepared], as_of: dt.date,
    evaluator: Evaluator = "engine", only: list[str] | None = None,
    pace: bool = False, runtime: dict[str, int] | None = None, exemptions: bool = True,
) -> Report:
    """Judge prepared rules for a case as of a day (the plan's, or a meeting checklist's: see prepare).
    With `pace`, counts not yet due are judged against their milestones (see audit.py). The case's
    exemptions are applied here, once, for every job (`exemptions=False`: the findings as judged)."""
    chosen = select(prepared, only)
    decided, raws, lookup = evaluate_raw(case, chosen, as_of, evaluator, pace, runtime, prepared)
    results = []
    for p in chosen:
        finding = decided.get(p.id) or judge(p, raws[p.id], lookup, as_of, runtime)
        if pace and p.due_date is not None and as_of < p.due_date:
            finding = judge_pace(p, finding, as_of)
        results.append((p, finding))
    report = Report(case, ruleset, as_of, results, evaluator, lookup)
    return apply_exemptions(report) if exemptions else report


def run_cell(case: Case, plan: Any, as_of: dt.date, evaluator: Evaluator, only: list[str] | None) -> Report:
    """The check as a job (jobs/registry.py): one cell judged by its plan (jobs.plans.Plan) as of a day."""
    return run_check(case, plan.ruleset, plan.prepared, as_of, evaluator, only)


def failing(report: Report, strict: bool = False) -> bool:
    """Exit 1: a gap, or with --strict a requirement without data."""
    counts = report.counts()
    return bool(counts["gap"] + (counts["no_data"] if strict else 0))
