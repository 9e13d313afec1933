"""The review as a Document and as JSON, in the order of Mẫu 01-HD KĐ.ĐG (Hướng dẫn 43-HD/BTCTW): results per
plan section (measured beside target), what was exceeded, limitations with their owners and blank lines for their
causes, last year's shortcomings remedied, directions, and the proposed rating with every term of it.

Views only: nothing here scores or rates (jobs/review.py does); the words are reviewwords.py's."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction
from typing import Any

from .. import __version__
from ..facts import library
from ..jobs.ready import owner_of
from ..jobs.review import Condition, Remedy, ReviewReport, ReviewRollup, RuleScore, Terms
from ..judge.findings import OPEN
from ..ruleset.rulespec import section_key
from .document import (
    BulletItem,
    Bullets,
    Cell,
    Closing,
    Document,
    Paragraph,
    PartyHeader,
    Section,
    Signature,
    Span,
    Table,
)
from .i18n import status, t
from .jsonout import _head, case_json, rule_json
from .labels import Labeller, evaluator_words, fmt_date, fmt_number, observed_text
from .problems import problem_line, problems_json
from .reviewwords import w
from .views import (
    BLANK,
    REPORT_CODE,
    ROMAN,
    SHORT_BLANK,
    cell_closing,
    gap_lines,
    party_header,
    place_date,
    status_span,
)

REVIEW_SCHEMA, REVIEW_ROLLUP_SCHEMA = "chibo.review/1", "chibo.review-rollup/1"
SHOWN_GAPS = 5


def num(value: Fraction | float | int | None, lang: str) -> str:
    """A number as the report writes it: whole when whole, else two decimals (comma in Vietnamese)."""
    if value is None:
        return "—"
    rounded = round(float(value), 2)
    return fmt_number(int(rounded) if rounded.is_integer() else rounded, lang)


def _title(s: RuleScore, lang: str) -> str:
    return getattr(s.p.rule.title, lang)


def _pct(terms: Terms, n: int, lang: str) -> str:
    return w("share", lang, n=n, of=terms.counted, pct=num(terms.share(n), lang))


def note_words(s: RuleScore, r: ReviewReport, lang: str) -> str:
    notes = []
    status = s.finding.status
    if not s.counted:
        notes.append(w("note_not_due", lang))
    elif status == "no_data":
        notes.append(w("note_no_data", lang))
    elif status == "behind_pace":
        notes.append(w("note_behind", lang))
    elif s.done and s.late and s.due_checked is not None:
        notes.append(w("note_late", lang, date=fmt_date(s.due_checked, lang)))
    if s.exceeded:
        notes.append(w("note_exceeded", lang))
    if not s.done and s.counted and 0 < s.earned:
        notes.append(w("note_partial", lang))
    return "; ".join(notes)


def _sections(r: ReviewReport) -> dict[str, list[RuleScore]]:
    out: dict[str, list[RuleScore]] = defaultdict(list)
    for s in r.scores:
        out[s.p.rule.section].append(s)
    return {k: out[k] for k in sorted(out, key=section_key)}


def section_total(scores: list[RuleScore]) -> tuple[Fraction, Fraction, int, int, bool]:
    """(earned, points, done, counted, no data at all) of one plan section's counted requirements."""
    counted = [s for s in scores if s.counted]
    no_data = bool(counted) and all(s.finding.status == "no_data" for s in counted)
    return (sum((s.earned for s in counted), Fraction(0)), sum((s.points for s in counted), Fraction(0)),
            sum(s.done for s in counted), len(counted), no_data)


def results_section(r: ReviewReport, labeller: Labeller, lang: str) -> Section:
    columns = [t("col_id", lang), t("col_requirement", lang), w("col_target", lang), w("col_measured", lang),
               t("col_status", lang), w("col_points", lang), w("col_note", lang)]
    subs = []
    for name, scores in _sections(r).items():
        earned, points, done, counted, no_data = section_total(scores)
        rows: list[list[Cell]] = [
            [s.p.id, _title(s, lang), s.finding.target.get("text") or _target(s, lang),
             observed_text(s.p, s.finding, labeller, lang), status_span(s.finding.status, lang),
             f"{num(s.earned, lang)}/{num(s.points, lang)}" if s.counted else f"—/{num(s.points, lang)}",
             note_words(s, r, lang)] for s in scores]
        blocks: list[Any] = [Paragraph([w("section_line", lang, done=done, counted=counted, earned=num(earned, lang),
                                          points=num(points, lang))], style="strong")]
        if no_data:
            blocks.append(Paragraph([Span(w("section_no_data", lang, points=num(points, lang)), status="no_data")]))
        waiting = [s.p.id for s in scores if not s.counted]
        if waiting:
            blocks.append(Paragraph([w("section_not_due", lang, ids=", ".join(waiting))], style="note"))
        blocks.append(Table(columns, rows, ratios=[1, 6, 3, 3, 2, 2, 3]))
        subs.append(Section(w("section", lang, s=name), blocks, anchor=f"results-{name}"))
    subs.append(exceeded_section(r, labeller, lang))
    return Section(w("results", lang), sections=subs, anchor="results")


def _target(s: RuleScore, lang: str) -> str:
    from .labels import target_text

    return target_text(s.p, s.finding, lang)


def exceeded_section(r: ReviewReport, labeller: Labeller, lang: str) -> Section:
    margin = num(r.scoring.scoring.exceeded_margin, lang)
    items = [BulletItem([w("exceeded_line", lang, id=s.p.id, title=_title(s, lang),
                           measured=observed_text(s.p, s.finding, labeller, lang), target=_target(s, lang),
                           margin=margin)]) for s in r.scores if s.exceeded]
    block: Any = Bullets(items) if items else Paragraph([w("exceeded_none", lang, margin=margin)])
    return Section(w("exceeded_title", lang), [block], anchor="exceeded")


def _owner(s: RuleScore, r: ReviewReport, labeller: Labeller) -> str | None:
    case = r.report.case
    if not library.has_assignments(case) and not library.cell_info(case).secretary:
        return None
    key = owner_of(s.p, case)
    return labeller.person(key) if key else None


def limits_section(r: ReviewReport, labeller: Labeller, lang: str) -> Section:
    items = []
    for s in r.scores:
        if s.finding.status not in (*OPEN, "no_data"):
            continue
        lines = gap_lines(s.p, s.finding, labeller, lang)
        shown = lines[:SHOWN_GAPS] + ([w("more", lang, n=len(lines) - SHOWN_GAPS)] if len(lines) > SHOWN_GAPS else [])
        owner = _owner(s, r, labeller)
        if owner:
            shown.append(f"{w('owner', lang)}: {owner}")
        items.append(BulletItem([Span(s.p.id, strong=True), f" {_title(s, lang)} — ",
                                 status_span(s.finding.status, lang)], shown))
    blocks: list[Any] = [Bullets(items) if items else Paragraph([w("limits_none", lang)])]
    causes = Section(w("causes", lang), [Paragraph([w("cause_objective", lang, blank=BLANK * 3)]),
                                          Paragraph([w("cause_subjective", lang, blank=BLANK * 3)])], anchor="causes")
    return Section(w("limits", lang), blocks, [causes], anchor="limits")


def _gap_item(g: Any) -> str:
    who = f" — {g.who}" if g.who else ""
    period = f" ({g.period})" if g.period else ""
    return f"{g.rule}{who}{period}"


def remedy_section(r: ReviewReport, lang: str) -> Section:
    remedy: Remedy | None = r.remedy
    last = r.year - 1
    if remedy is None or not remedy.stored:
        return Section(w("remedy", lang), [Paragraph([w("remedy_no_store", lang, y=last)])], anchor="remedy")
    if remedy.submitted is None:
        return Section(w("remedy", lang), [Paragraph([w("remedy_none", lang, y=last)])], anchor="remedy")
    sub = remedy.submitted
    blocks: list[Any] = [Paragraph([w("remedy_from", lang, date=fmt_date(sub.as_of, lang), quarter=sub.quarter)])]
    blocks.append(Bullets([
        BulletItem([Span(w("remedy_fixed", lang, n=len(remedy.fixed)), status="fixed")],
                   [_gap_item(g) for g in remedy.fixed]),
        BulletItem([Span(w("remedy_still", lang, n=len(remedy.still)), status="gap")],
                   [_gap_item(g) for g in remedy.still]),
    ]))
    return Section(w("remedy", lang), blocks, anchor="remedy")


def directions(r: ReviewReport, lang: str) -> list[tuple[str, str]]:
    """(rule id, hint) of every requirement not done, each hint once: the rules' own advice."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for s in r.scores:
        if s.counted and not s.done:
            hint = getattr(s.p.rule.hint, lang)
            if hint not in seen:
                seen.add(hint)
                out.append((s.p.id, hint))
    return out


def directions_section(r: ReviewReport, lang: str) -> Section:
    found = directions(r, lang)
    block: Any = (Bullets([BulletItem([Span(rid, strong=True), f": {hint}"]) for rid, hint in found]) if found
                  else Paragraph([w("directions_none", lang)]))
    return Section(w("directions", lang), [block], anchor="directions")


def disciplined_words(r: ReviewReport, lang: str) -> str:
    rules = ", ".join(r.scoring.scoring.disciplined)
    if not rules:
        return w("disciplined_undeclared", lang)
    value = r.terms.disciplined
    key = "disciplined_unknown" if value is None else ("disciplined_yes" if value else "disciplined_no")
    return w(key, lang, rules=rules)


def term_rows(r: ReviewReport, lang: str) -> list[tuple[str, str]]:
    terms = r.terms
    return [
        (w("term_earned", lang), num(terms.earned, lang)),
        (w("term_available", lang), num(terms.available, lang)),
        (w("term_points", lang, total=num(terms.total, lang)), num(terms.points, lang)),
        (w("term_counted", lang), str(terms.counted)),
        (w("term_done", lang), _pct(terms, terms.done, lang)),
        (w("term_on_time", lang), _pct(terms, terms.on_time, lang)),
        (w("term_late", lang), _pct(terms, terms.late, lang)),
        (w("term_exceeded", lang), _pct(terms, terms.exceeded, lang)),
        (w("term_not_due", lang), str(terms.not_due)),
        (w("term_no_data", lang), str(terms.no_data)),
        (w("term_disciplined", lang), disciplined_words(r, lang)),
    ]


def condition_words(c: Condition, lang: str) -> str:
    if c.name == "no_discipline":
        actual = w("unknown", lang) if c.actual is None else w("no" if c.actual is False else "yes", lang)
        text = w("cond_no_discipline", lang, actual=actual)
    else:
        assert not isinstance(c.actual, bool)
        text = w(f"cond_{c.name}", lang, wanted=num(float(c.wanted), lang), actual=num(c.actual, lang))
    return f"{text} — {w('met' if c.met else 'not_met', lang)}"


def rating_section(r: ReviewReport, lang: str) -> Section:
    rows: list[list[Cell]] = [[name, value] for name, value in term_rows(r, lang)]
    blocks: list[Any] = [Table([w("col_term", lang), w("col_value", lang)], rows, ratios=[6, 4])]
    if r.proposal is not None:
        items = []
        for level, found in r.proposal.tried:
            head: list[Cell] = [Span(getattr(level.label, lang), strong=True)]
            if level is r.proposal.level:
                head.append(" " + w("level_proposed", lang))
            children = [condition_words(c, lang) for c in found] or [w("level_otherwise", lang)]
            items.append(BulletItem(head, children))
        blocks += [Paragraph([w("levels_tried", lang)], style="strong"), Bullets(items)]
        if r.rating.source:
            blocks.append(Paragraph([r.rating.source], style="note"))
    blocks.append(Paragraph([summary_words(r, lang)], style="strong"))
    blocks.append(Paragraph([w("proposal_note", lang)], style="note"))
    return Section(w("rating", lang), blocks, anchor="rating")


def summary_words(r: ReviewReport, lang: str) -> str:
    if r.proposal is None:
        return w("summary_none", lang)
    return w("summary", lang, level=getattr(r.proposal.level.label, lang), points=num(r.terms.points, lang))


def scoring_words(r: ReviewReport, lang: str) -> str:
    if r.scoring.default:
        return w("scoring_default", lang, file="rules/library/review/scoring.yaml",
                 total=num(r.scoring.scoring.total, lang))
    return w("scoring_own", lang, file=r.scoring.path.name)


def period_words(r: ReviewReport, lang: str) -> str:
    if r.quarter:
        return w("period_quarter", lang, q=ROMAN.get(str(r.quarter), str(r.quarter)), y=r.year)
    return w("period_year", lang, y=r.year)


def subject(r: ReviewReport, lang: str) -> str:
    if r.quarter:
        return w("subject_quarter", lang, q=ROMAN.get(str(r.quarter), str(r.quarter)), y=r.year)
    return w("subject_year", lang, y=r.year)


def review_document(r: ReviewReport, lang: str) -> Document:
    report = r.report
    labeller = Labeller(report, lang, sources=False)
    cell = library.cell_info(report.case)
    meta = [(t("cell", lang), f"{cell.name} — {cell.party_committee}"),
            (t("plan", lang), getattr(report.ruleset.plan.name, lang)),
            (w("period", lang), period_words(r, lang)),
            (w("review_date", lang), fmt_date(report.as_of, lang)),
            (w("scoring", lang), scoring_words(r, lang))]
    if report.evaluator == "oracle":
        meta.append(("", t("evaluator_oracle", lang)))
    sections = [results_section(r, labeller, lang), limits_section(r, labeller, lang), remedy_section(r, lang),
                directions_section(r, lang), rating_section(r, lang)]
    header = party_header(report.case, REPORT_CODE, t("kind_report", lang), subject(r, lang), report.as_of, lang)
    footer = t("generated_by", lang, version=__version__, evaluator=evaluator_words(report.evaluator, lang))
    return Document(lang, w("title", lang), meta, [Span(summary_words(r, lang), strong=True)], sections, footer,
                    header, cell_closing(report.case, lang))


# ------------------------------------------------------------------------------------------------ JSON


def _fraction(value: Fraction | None) -> float | int | None:
    if value is None:
        return None
    rounded = round(float(value), 4)
    return int(rounded) if rounded.is_integer() else rounded


def score_json(s: RuleScore, r: ReviewReport, labeller: Labeller, lang: str) -> dict[str, Any]:
    return {**rule_json(s.p, s.finding, labeller, lang), "points": _fraction(s.points), "earned": _fraction(s.earned),
            "counted": s.counted, "done": s.done, "on_time": s.on_time, "late": s.late, "exceeded": s.exceeded,
            "measured": _fraction(s.measured), "target_value": _fraction(s.target),
            "due_checked": s.due_checked.isoformat() if s.due_checked else None, "note": note_words(s, r, lang)}


def terms_json(terms: Terms) -> dict[str, Any]:
    return {"earned": _fraction(terms.earned), "available": _fraction(terms.available),
            "total": _fraction(terms.total), "points": _fraction(terms.points), "counted": terms.counted,
            "done": terms.done, "on_time": terms.on_time, "late": terms.late, "exceeded": terms.exceeded,
            "not_due": terms.not_due, "no_data": terms.no_data, "disciplined": terms.disciplined,
            "done_share": _fraction(terms.share(terms.done)), "on_time_share": _fraction(terms.share(terms.on_time)),
            "late_share": _fraction(terms.share(terms.late)),
            "exceeded_share": _fraction(terms.share(terms.exceeded))}


def proposal_json(r: ReviewReport, lang: str) -> dict[str, Any] | None:
    if r.proposal is None:
        return None
    return {"level": r.proposal.level.level, "label": getattr(r.proposal.level.label, lang),
            "is_proposal": True, "text": summary_words(r, lang),
            "tried": [{"level": level.level, "met": all(c.met for c in found),
                       "conditions": [{"name": c.name, "wanted": c.wanted,
                                       "actual": c.actual if c.actual is None or isinstance(c.actual, bool)
                                       else _fraction(c.actual), "met": c.met} for c in found]}
                      for level, found in r.proposal.tried]}


def remedy_json(r: ReviewReport) -> dict[str, Any]:
    remedy: Remedy | None = r.remedy
    if remedy is None or not remedy.stored:
        return {"store": False, "submitted": None, "fixed": [], "still": []}

    def one(g: Any) -> dict[str, str]:
        return {"rule": g.rule, "reason": g.reason, "who": g.who, "period": g.period}

    sub = remedy.submitted
    return {"store": True, "submitted": {"as_of": sub.as_of.isoformat(), "quarter": sub.quarter} if sub else None,
            "fixed": [one(g) for g in remedy.fixed], "still": [one(g) for g in remedy.still]}


def review_json(r: ReviewReport, lang: str) -> dict[str, Any]:
    report = r.report
    labeller = Labeller(report, lang)
    sections = []
    for name, scores in _sections(r).items():
        earned, points, done, counted, no_data = section_total(scores)
        sections.append({"section": name, "earned": _fraction(earned), "points": _fraction(points), "done": done,
                         "counted": counted, "no_data": no_data,
                         "not_due": [s.p.id for s in scores if not s.counted]})
    return {
        **_head(REVIEW_SCHEMA, report, lang),
        "case": case_json(report),
        "plan": getattr(report.ruleset.plan.name, lang),
        "year": r.year, "quarter": r.quarter, "as_of": report.as_of.isoformat(),
        "scoring": {"default": r.scoring.default, "file": r.scoring.path.name, "text": scoring_words(r, lang),
                    **r.scoring.scoring.model_dump(mode="json")},
        "rating_source": r.rating.source,
        "sections": sections,
        "rules": [score_json(s, r, labeller, lang) for s in r.scores],
        "exceeded": [s.p.id for s in r.scores if s.exceeded],
        "limitations": [s.p.id for s in r.scores if s.finding.status in (*OPEN, "no_data")],
        "directions": [{"rule": rid, "text": hint} for rid, hint in directions(r, lang)],
        "remedy": remedy_json(r),
        "terms": terms_json(r.terms),
        "proposal": proposal_json(r, lang),
    }


# --------------------------------------------------------------------------------------------- roll-up


def _levels(rollup: ReviewRollup) -> list[Any]:
    first = next((c.review for c in rollup.cells if c.review is not None), None)
    return list(first.rating.levels) if first else []


def cap_words(rollup: ReviewRollup, lang: str) -> tuple[str, bool] | None:
    found = rollup.over_cap()
    if found is None or rollup.cap is None:
        return None
    n, share = found
    label = next((getattr(lv.label, lang) for lv in _levels(rollup) if lv.level == rollup.cap.level), rollup.cap.level)
    over = share > Fraction(str(rollup.cap.share))
    text = w("cap_exceeded" if over else "cap_ok", lang, n=n, of=len(rollup.cells), pct=num(share, lang),
             level=label, cap=num(rollup.cap.share, lang), file=rollup.cap.file)
    return text, over


def committee_header(subject_text: str, day: dt.date, lang: str) -> tuple[PartyHeader, Closing]:
    """The committee above the cells issues the roll-up; no case declares it, so its lines are blanks."""
    number = t("doc_number", lang, number=SHORT_BLANK, kind=REPORT_CODE, code=SHORT_BLANK)
    header = PartyHeader(BLANK, BLANK, number, t("party_name", lang), place_date(None, day, lang),
                         t("kind_report", lang), subject_text)
    signature = Signature([t("on_behalf_blank", lang, blank=SHORT_BLANK * 2), BLANK], BLANK)
    return header, Closing([signature], t("recipients", lang), [f"- {BLANK}", f"- {BLANK}", f"- {BLANK}"])


def review_rollup_document(rollup: ReviewRollup, lang: str) -> Document:
    rows: list[list[Cell]] = []
    for n, c in enumerate(rollup.ordered(), 1):
        if c.review is None:
            rows.append([str(n), f"({c.path.name})", "", Span(w("cell_error", lang, n=len(c.problems)),
                                                              status="error", strong=True), "", ""])
            continue
        report = c.review.report
        level = (getattr(c.review.proposal.level.label, lang) if c.review.proposal else w("no_level", lang))
        rows.append([str(n), f"{library.cell_info(report.case).name} ({c.path.name})", report.ruleset.plan.id,
                     Span(level, strong=True), num(c.review.terms.points, lang),
                     w("share", lang, n=c.review.terms.on_time, of=c.review.terms.counted,
                       pct=num(c.review.terms.share(c.review.terms.on_time), lang))])
    columns = ["#", w("col_cell", lang), w("col_plan", lang), w("col_level", lang), w("col_points", lang),
               w("term_on_time", lang)]
    counts = rollup.counts()
    total = len(rollup.cells)
    level_rows: list[list[Cell]] = []
    for lv in reversed(_levels(rollup)):  # worst level first, as the table
        n = counts.get(lv.level, 0)
        level_rows.append([getattr(lv.label, lang), str(n), f"{num(Fraction(n, total) * 100, lang)}%"])
    if counts.get(""):
        level_rows.append([w("no_level", lang), str(counts[""]), f"{num(Fraction(counts[''], total) * 100, lang)}%"])
    blocks: list[Any] = [Table(columns, rows, ratios=[1, 6, 4, 4, 2, 3])]
    cap = cap_words(rollup, lang)
    if cap is not None:
        blocks.append(Paragraph([Span(cap[0], status="gap" if cap[1] else "passed", strong=cap[1])]))
    blocks.append(Paragraph([w("proposal_note", lang)], style="note"))
    sections = [Section(w("rollup_title", lang), blocks, anchor="rollup"),
                Section(w("per_level", lang), [Table([w("col_level", lang), w("col_count", lang), w("col_share", lang)],
                                                     level_rows, ratios=[6, 2, 2])], anchor="levels")]
    for c in rollup.cells:
        if c.problems:
            sections.append(Section(f"{status('error', lang)}: {c.path}",
                                    [Bullets([BulletItem([problem_line(p, lang)]) for p in c.problems])]))
    summary = ", ".join(f"{row[0]}: {row[1]}" for row in level_rows)
    header, closing = committee_header(w("rollup_subject", lang, y=rollup.year), dt.date(rollup.year, 12, 31), lang)
    first = next((c.review.report for c in rollup.cells if c.review is not None), None)
    footer = t("generated_by", lang, version=__version__,
               evaluator=evaluator_words(first.evaluator if first else "engine", lang))
    return Document(lang, w("rollup_title", lang), [("", w("subject_year", lang, y=rollup.year))],
                    [Span(summary, strong=True)], sections, footer, header, closing)


def review_rollup_json(rollup: ReviewRollup, lang: str) -> dict[str, Any]:
    cells = []
    for c in rollup.ordered():
        cells.append({"path": str(c.path), "problems": problems_json(c.problems, lang),
                      "review": review_json(c.review, lang) if c.review else None,
                      "level": c.review.proposal.level.level if c.review and c.review.proposal else None,
                      "points": _fraction(c.review.terms.points) if c.review else None})
    found = rollup.over_cap()
    return {"schema": REVIEW_ROLLUP_SCHEMA, "tool": {"name": "chibo", "version": __version__}, "lang": lang,
            "year": rollup.year, "counts": {k or "none": v for k, v in rollup.counts().items()},
            "cap": None if rollup.cap is None or found is None else {
                "level": rollup.cap.level, "share": rollup.cap.share, "file": rollup.cap.file,
                "cells": found[0], "actual_share": _fraction(found[1]),
                "exceeded": found[1] > Fraction(str(rollup.cap.share))},
            "cells": cells}

