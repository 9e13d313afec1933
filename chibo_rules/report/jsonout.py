"""Machine-readable reports: the check, the audit, the readiness review and the roll-up (docs/report.schema.json).

Every report lists a requirement with the check's own per-requirement entry (rule_json), so a script
reads a requirement the same way in every report. The words in it come from labels.py.
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..facts import library
from ..jobs import registry
from ..jobs.audit import AuditReport
from ..jobs.ready import ReadyReport
from ..jobs.rollup import Rollup
from ..judge.findings import Finding, Gap
from ..judge.verdict import Report
from ..ruleset.prepare import Prepared
from .i18n import t
from .labels import Labeller, fmt_date, fmt_number, observed_text, target_text
from .problems import problems_json
from .views import agenda_lines

JSON_SCHEMA = "chibo.check/1"


def gap_json(p: Prepared, g: Gap, labeller: Labeller) -> dict[str, Any]:
    out: dict[str, Any] = {
        "reason": g.reason,
        "refs": [{"alias": a, "key": k, "label": labeller.ref(p, a, k)} for a, k in g.refs],
        "values": g.values,
        "text": labeller.gap(p, g),
    }
    if g.exempted_by:
        out["exempted_by"] = g.exempted_by
    if g.expired_exemption:
        out["expired_exemption"] = g.expired_exemption
    return out


def rule_json(p: Prepared, f: Finding, labeller: Labeller, lang: str) -> dict[str, Any]:
    """One requirement and its finding, as every JSON report lists it."""
    r = p.rule
    return {
        "id": r.id,
        "section": r.section,
        "title": getattr(r.title, lang),
        "severity": r.severity,
        "clause": r.clause,
        "status": f.status,
        "target": {**f.target, "text": target_text(p, f, lang)},
        "observed": {**f.observed, "text": observed_text(p, f, labeller, lang)},
        "gaps": [gap_json(p, g, labeller) for g in f.gaps],
        "exempted": [gap_json(p, g, labeller) for g in f.exempted],
        "missing_files": f.missing_files,
        "hint": getattr(r.hint, lang),
        "source": r.source,
    }


def exemptions_json(report: Report, lang: str) -> list[dict[str, Any]]:
    out = []
    for state in report.exemptions:
        ex = state.exemption
        out.append({
            "ref": state.ref, "rules": list(ex.rules), "person": ex.person,
            "start": ex.start.isoformat(), "end": ex.end.isoformat(), "reason": ex.reason,
            "approved_by": ex.approved_by, "approved_on": ex.approved_on.isoformat() if ex.approved_on else None,
            "expires": ex.expires.isoformat(), "state": state.state,
            "covers": [{"rule": rid, "refs": [list(r) for r in g.refs]} for rid, g in state.covered],
            "would_cover": [{"rule": rid, "refs": [list(r) for r in g.refs]} for rid, g in state.would_cover],
            "file": state.record.file, "line": state.record.line,
        })
    return out


def evaluator_detail(name: str) -> str:
    """Which evaluator judged a report and why, for JSON (English, stable): never silently the oracle."""
    from ..evaluate.engine import availability

    runs, detail = availability()
    if name == "engine":
        return detail
    return detail if not runs else "chosen with --evaluator oracle"


def case_json(report: Report) -> dict[str, Any]:
    cell = library.cell_info(report.case)
    plan = report.ruleset.plan
    return {"folder": report.case.path.name, "name": cell.name, "party_committee": cell.party_committee,
            "plan_year": plan.year, "plan": plan.id, "plan_years": list(plan.years)}


def to_json(report: Report, lang: str) -> dict[str, Any]:
    labeller = Labeller(report, lang)
    return {
        "schema": JSON_SCHEMA,
        "tool": {"name": "chibo", "version": __version__},
        "evaluator": report.evaluator,
        "evaluator_detail": evaluator_detail(report.evaluator),
        "lang": lang,
        "case": case_json(report),
        "plan": getattr(report.ruleset.plan.name, lang),
        "as_of": report.as_of.isoformat(),
        "summary": {"total": len(report.results), **report.counts()},
        "rules": [rule_json(p, f, labeller, lang) for p, f in report.results],
        "exemptions": exemptions_json(report, lang),
    }


def _head(kind: str, report: Report, lang: str) -> dict[str, Any]:
    return {"schema": kind, "tool": {"name": "chibo", "version": __version__}, "evaluator": report.evaluator,
            "evaluator_detail": evaluator_detail(report.evaluator), "lang": lang}


def _summary(report: Report) -> dict[str, int]:
    return {"total": len(report.results), **report.counts()}


def audit_json(audit: AuditReport, lang: str) -> dict[str, Any]:
    report = audit.report
    labeller = Labeller(report, lang)
    by_id = {p.id: p for p, _ in report.results}
    todo = []
    for item in audit.todo:
        p = by_id[item.rule_id]
        if item.reason == "milestone" and item.by is not None:
            text = t("todo_milestone", lang, expected=fmt_number(item.expected, lang), date=fmt_date(item.by, lang))
        elif item.reason == "due_soon" and item.by is not None:
            text = t("todo_due_soon", lang, date=fmt_date(item.by, lang))
        else:
            text = getattr(p.rule.hint, lang)
        todo.append({"rule": item.rule_id, "reason": item.reason, "by": item.by.isoformat() if item.by else None,
                     "expected": item.expected, "text": text})
    return {
        **_head("chibo.audit/1", report, lang),
        "case": case_json(report),
        "plan": getattr(report.ruleset.plan.name, lang),
        "quarter": f"{report.as_of.year}-{audit.quarter}",
        "as_of": report.as_of.isoformat(),
        "previous_as_of": audit.previous.as_of.isoformat() if audit.previous else None,
        "next_quarter_end": audit.next_quarter_end.isoformat() if audit.next_quarter_end else None,
        "summary": _summary(report),
        "previous_summary": _summary(audit.previous) if audit.previous else None,
        "rules": [rule_json(p, f, labeller, lang) for p, f in report.results],
        "changes": [
            {"rule": c.rule_id, "change": c.kind, "before": c.before, "after": c.after,
             "gaps": [gap_json(by_id[c.rule_id], g, labeller) for g in c.gaps]}
            for c in audit.changes
        ],
        "todo": todo,
        "exemptions": exemptions_json(report, lang),
    }


def ready_json(r: ReadyReport, lang: str) -> dict[str, Any]:
    labeller = Labeller(r.items, lang)
    owing = []
    for person in sorted(r.owing):
        owing.append({
            "person": person, "name": labeller.person(person, short=True),
            "items": [{"rule": p.id, "text": labeller.gap(p, g)} for p, g in r.owing[person]],
        })
    return {
        **_head("chibo.ready/1", r.items, lang),
        "case": case_json(r.items),
        "meeting": r.meeting.isoformat(),
        "last_meeting": r.last_meeting.isoformat() if r.last_meeting else None,
        "ready": r.ready,
        "checklist": [rule_json(p, f, labeller, lang) for p, f in r.items.results],
        "open_gaps": [rule_json(p, f, labeller, lang) for p, f in r.plan.results if f.status in ("gap", "no_data")],
        "owners": {rid: owner for rid, owner in sorted(r.owners.items())},
        "owing": owing,
        "agenda": agenda_lines(r, lang, labeller),
        "exemptions": exemptions_json(r.plan, lang),
    }


def rollup_json(rollup: Rollup, lang: str, full: bool = False) -> dict[str, Any]:
    cells = []
    for cell in rollup.cells:
        report = cell.judged
        entry: dict[str, Any] = {
            "path": str(cell.path), "status": cell.status, "verdict": cell.verdict,
            "case": case_json(report) if report else None,
            "as_of": report.as_of.isoformat() if report else None,
            "summary": _summary(report) if report else None,
            "worst": [{"rule": p.id, "severity": p.rule.severity, "status": status,
                       "title": getattr(p.rule.title, lang)} for p, status in cell.worst()],
            "problems": problems_json(cell.problems, lang),
            "unreadable": cell.unreadable,
            "report": None,
        }
        if full and report is not None:
            job = registry.get(rollup.command)  # the job renders its own result
            entry["report"] = job.call("json", getattr(cell, job.cell), lang)
        cells.append(entry)
    first = next((c.judged for c in rollup.cells if c.judged is not None), None)
    return {
        "schema": "chibo.rollup/1", "tool": {"name": "chibo", "version": __version__},
        "evaluator": first.evaluator if first else "engine",
        "evaluator_detail": evaluator_detail(first.evaluator if first else "engine"), "lang": lang,
        "command": rollup.command, "quarter": rollup.quarter,
        "totals": {"cells": len(rollup.cells), "ok": sum(c.status == "ok" for c in rollup.cells),
                   "gaps": sum(c.status == "gaps" for c in rollup.cells),
                   "behind_pace": sum(c.verdict == "behind_pace" for c in rollup.cells),
                   "error": sum(c.status == "error" for c in rollup.cells)},
        "cells": cells,
        "skipped": list(rollup.skipped),
    }
