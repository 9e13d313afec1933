"""History as a Document (terminal, Markdown, HTML with plain SVG charts, Word) and as JSON.

The Document is the one every report shares (report/document.py), so the history prints, exports and
reads like the other reports; the HTML gets charts drawn as plain SVG (black lines and labelled bars that
survive black-and-white printing), added after the page is rendered.
"""

from __future__ import annotations

from html import escape as html_escape
from typing import Any

from .. import __version__
from ..report.document import BulletItem, Bullets, Cell, Document, Paragraph, Section, Span, Table
from ..report.i18n import status
from .messages import m
from .queries import CellHistory, Changes, CommitteeView, GapItem

HISTORY_SCHEMA = "chibo.history/1"
COMMITTEE_SCHEMA = "chibo.committee-history/1"


def _gap_line(g: GapItem) -> str:
    parts = [g.rule, g.who or g.reason]
    if g.period:
        parts.append(g.period)
    text = " — ".join(p for p in parts if p)
    return f"{text} [{g.source}]" if g.source else text


def _list(items: list[str], lang: str) -> Bullets | Paragraph:
    if not items:
        return Paragraph([m("none", lang)], style="note")
    return Bullets([BulletItem([item]) for item in items])


def cell_document(h: CellHistory, lang: str, where: str) -> Document:
    last = h.submissions[-1].quarter if h.submissions else "—"
    meta = [(m("m_cell", lang), h.party_cell.name), (m("m_committee", lang), h.party_cell.committee or "—"),
            (m("m_store", lang), where)]
    if h.submissions:
        meta.append((m("m_window", lang), f"{h.submissions[0].quarter} … {last}"))
    doc = Document(lang, m("history_title", lang, cell=h.party_cell.name), meta=meta,
                   footer=m("footer", lang, version=__version__))
    if not h.submissions:
        doc.summary = [m("no_runs", lang)]
        return doc
    open_now = sum(1 for by in h.statuses.values() if by.get(last) in ("gap", "behind_pace"))
    doc.summary = [m("summary_cell", lang, n=len(h.submissions), last=last, open=open_now, fixed=len(h.gaps.fixed),
                     still=len(h.gaps.still_open), reopened=len(h.gaps.reopened), new=len(h.gaps.new))]
    subs = Table([m(k, lang) for k in ("col_quarter", "col_as_of", "col_job", "col_plan", "col_facts",
                                       "col_received")],
                 [[s.quarter, s.as_of.isoformat(), s.job, s.plan, s.facts_hash[:12],
                   s.received_at.strftime("%Y-%m-%d %H:%M")] for s in h.submissions])
    doc.sections.append(Section(m("submissions", lang), [subs]))
    quarters = [s.quarter for s in h.submissions]
    rows = [[rule, *(_status_span(by.get(q), lang) for q in quarters)] for rule, by in h.statuses.items()]
    doc.sections.append(Section(m("by_quarter", lang), [Table([m("col_rule", lang), *quarters], rows)]))
    changes = Section(m("changes_title", lang, last=last))
    for part in ("fixed", "still_open", "reopened", "new"):
        gap_items = [_gap_line(g) for g in getattr(h.gaps, part)]
        changes.sections.append(Section(m(f"gaps_{part}", lang), [_list(gap_items, lang)]))
    for part in ("fixed", "still_open", "reopened", "new"):
        changes.sections.append(Section(m(f"rules_{part}", lang), [_list(list(getattr(h.rules, part)), lang)]))
    doc.sections.append(changes)
    return doc


def _status_span(name: str | None, lang: str) -> Span | str:
    if name is None:
        return "—"
    try:
        return Span(status(name, lang), status=name)
    except KeyError:
        return name


def _changes_json(c: Changes, gaps: bool) -> dict[str, Any]:
    def one(item: Any) -> Any:
        if not gaps:
            return item
        return {"rule": item.rule, "reason": item.reason, "who": item.who, "period": item.period,
                "source": item.source}
    return {part: [one(i) for i in getattr(c, part)] for part in ("fixed", "still_open", "reopened", "new")}


def cell_json(h: CellHistory, lang: str, where: str) -> dict[str, Any]:
    return {
        "schema": HISTORY_SCHEMA, "tool": {"name": "chibo", "version": __version__}, "lang": lang, "store": where,
        "cell": {"committee": h.party_cell.committee, "name": h.party_cell.name},
        "submissions": [{"quarter": s.quarter, "as_of": s.as_of.isoformat(), "job": s.job, "plan": s.plan,
                         "facts_hash": s.facts_hash, "source": s.source, "received_at": s.received_at.isoformat()}
                        for s in h.submissions],
        "rules": {rule: by for rule, by in h.statuses.items()},
        "changes": {"rules": _changes_json(h.rules, False), "gaps": _changes_json(h.gaps, True)},
    }


def committee_document(v: CommitteeView, lang: str, where: str) -> Document:
    meta = [(m("m_committee", lang), v.name), (m("m_cells", lang), str(len(v.cells))), (m("m_store", lang), where)]
    if v.quarters:
        meta.append((m("m_window", lang), f"{v.quarters[0]} … {v.quarters[-1]}"))
    doc = Document(lang, m("committee_title", lang, name=v.name), meta=meta,
                   footer=m("footer", lang, version=__version__))
    doc.summary = [m("summary_committee", lang, cells=len(v.cells), quarters=len(v.quarters), behind=len(v.behind))]
    behind: list[list[Cell]] = [
        [Span(cell.name, status="gap"), str(n), str(v.table[cell.id][v.quarters_of(cell.id)[-1]][0])]
        for cell, n in v.behind]
    doc.sections.append(Section(m("behind_title", lang), [
        Table([m("col_cell", lang), m("col_quarters_behind", lang), m("col_open_latest", lang)], behind)
        if behind else Paragraph([m("none", lang)], style="note")]))
    missed: list[list[Cell]] = [[rule, str(latest), str(total)] for rule, latest, total in v.missed]
    doc.sections.append(Section(m("missed_title", lang), [
        Table([m("col_rule", lang), m("col_cells_latest", lang), m("col_cell_quarters", lang)], missed)
        if missed else Paragraph([m("none", lang)], style="note")]))
    per_quarter: list[list[Cell]] = [[q, str(v.open_per_quarter[q]), str(v.gaps_per_quarter[q])] for q in v.quarters]
    doc.sections.append(Section(m("per_quarter_title", lang), [Table(
        [m("col_quarter", lang), m("col_open", lang), m("col_gaps", lang)], per_quarter)]))
    rows: list[list[Cell]] = []
    for cell in v.cells:
        by = v.table.get(cell.id, {})
        rows.append([cell.name, *(f"{by[q][0]} / {by[q][1]}" if q in by else "—" for q in v.quarters)])
    doc.sections.append(Section(m("cells_title", lang), [Table([m("col_cell", lang), *v.quarters], rows)]))
    return doc


def committee_json(v: CommitteeView, lang: str, where: str) -> dict[str, Any]:
    names = {c.id: c for c in v.cells}
    return {
        "schema": COMMITTEE_SCHEMA, "tool": {"name": "chibo", "version": __version__}, "lang": lang, "store": where,
        "committee": v.name, "quarters": v.quarters,
        "behind": [{"cell": c.name, "committee": c.committee, "quarters": n} for c, n in v.behind],
        "missed": [{"rule": rule, "cells_latest": latest, "cell_quarters": total} for rule, latest, total in v.missed],
        "per_quarter": [{"quarter": q, "open": v.open_per_quarter[q], "gaps": v.gaps_per_quarter[q]}
                        for q in v.quarters],
        "cells": [{"cell": names[cid].name, "committee": names[cid].committee,
                   "quarters": {q: {"open": o, "gaps": g} for q, (o, g) in sorted(by.items())}}
                  for cid, by in sorted(v.table.items(), key=lambda kv: names[kv[0]].name)],
    }


def bar_chart(title: str, values: list[tuple[str, int]]) -> str:
    """A plain SVG bar chart: outlined bars with their numbers written on them, readable in black and white."""
    width, height, left, bottom = 640, 240, 40, 40
    top = max((v for _, v in values), default=0) or 1
    step = (width - left - 10) / max(len(values), 1)
    bars = []
    for n, (label, value) in enumerate(values):
        h = (height - bottom - 20) * value / top
        x = left + n * step + step * 0.15
        y = height - bottom - h
        bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" fill="#bbb" '
                    f'stroke="#000"/><text x="{x + step * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                    f'font-size="12">{value}</text><text x="{x + step * 0.35:.1f}" y="{height - bottom + 16:.1f}" '
                    f'text-anchor="middle" font-size="12">{html_escape(label)}</text>')
    axis = (f'<line x1="{left}" y1="{height - bottom}" x2="{width - 5}" y2="{height - bottom}" stroke="#000"/>'
            f'<line x1="{left}" y1="10" x2="{left}" y2="{height - bottom}" stroke="#000"/>')
    return (f'<figure class="chart"><figcaption>{html_escape(title)}</figcaption>'
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{html_escape(title)}" '
            f'viewBox="0 0 {width} {height}" width="100%" '
            f'style="max-width:{width}px">{axis}{"".join(bars)}</svg></figure>')


def cell_charts(h: CellHistory, lang: str) -> list[str]:
    open_by_quarter = [(s.quarter, sum(1 for by in h.statuses.values() if by.get(s.quarter) in ("gap", "behind_pace")))
                       for s in h.submissions]
    return [bar_chart(m("col_open", lang), open_by_quarter)] if open_by_quarter else []


def committee_charts(v: CommitteeView, lang: str) -> list[str]:
    if not v.quarters:
        return []
    return [bar_chart(m("chart_gaps", lang), [(q, v.gaps_per_quarter[q]) for q in v.quarters]),
            bar_chart(m("col_open", lang), [(q, v.open_per_quarter[q]) for q in v.quarters])]
