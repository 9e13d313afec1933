"""Findings to words: labels for every record a gap names, target and observed texts, the summary line.

The words are shared by views.py (the Document every text format renders) and jsonout.py (every JSON
report, the check's included). Nothing here
decides compliance; it only reads `Report`/`Finding` data. A check kind words its own observed value,
target and gaps (checks/), with numbers written as `fmt_number` writes them and records named by the
Labeller (handed to it as `_GapWords`); what every kind shares stays here: statuses, periods, audit's pace.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..checks import CHECK_KINDS
from ..checks.kind import OP_SIGN, Number
from ..facts import library
from ..facts.models import field_choices
from ..facts.values import number_date
from ..judge.findings import Finding, Gap
from ..judge.verdict import Report
from ..ruleset.prepare import Prepared
from ..ruleset.rulespec import section_key  # noqa: F401 (plan order, also for the renderers importing it here)
from .i18n import known, t


def fmt_number(value: Any, lang: str) -> str:
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return text.replace(".", ",") if lang == "vi" else text


def fmt_date(value: int | dt.date, lang: str) -> str:
    day = number_date(value) if isinstance(value, int) else value
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


class Labeller:
    """Names records the way a secretary knows them: people by name, months as 'tháng 03/2020'."""

    def __init__(self, report: Report, lang: str, sources: bool = True):
        """`sources=False` names records without the file and line they were read from: a document to file
        (the Word report's body, the minutes) keeps those to an appendix or leaves them out."""
        self.lang = lang
        self.sources = sources
        self.index = report.case.index()
        self.schema = report.case.schema or report.ruleset.schema

    def _value(self, kind: str | None, name: str, value: Any) -> str:
        if value is None:
            return t("not_recorded", self.lang)
        if isinstance(value, list):
            return ", ".join(self._value(kind, name, v) for v in value)
        model = self.schema.models.get(kind or "")
        if model and name in model.REFERENCES:
            # a person a record names is given with their code, as every gap naming someone does ("(P24)")
            return self.record(model.REFERENCES[name], str(value))
        if isinstance(value, dt.date):
            return fmt_date(value, self.lang)
        if isinstance(value, bool):
            return ("có" if value else "không") if self.lang == "vi" else ("yes" if value else "no")
        if isinstance(value, int) and model and name in model.model_fields and _is_date(model, name):
            return fmt_date(value, self.lang)
        choices = field_choices(model, name) if model and name in model.model_fields else None
        if isinstance(value, str) and self.lang == "vi" and choices is not None:
            return choices.label(value, self.lang)
        if isinstance(value, (int, float)):
            return fmt_number(value, self.lang)
        return str(value)

    def record(self, kind: str, key: str, short: bool = False) -> str:
        rec = self.index.get((kind, key))
        if rec is None:
            return key
        fact = rec.fact
        model = type(fact)
        if model.KEY:
            main = " ".join(self._value(kind, n, getattr(fact, n)) for n in model.LABEL)
            return main if short and kind == library.ROSTER else f"{main} ({key})"
        parts = [self._value(kind, n, _dump(fact, n)) for n in model.LABEL]
        return f"{' — '.join(parts)} ({self._place(rec)})" if self.sources else " — ".join(parts)

    def person(self, key: str, short: bool = False) -> str:
        """Someone of the roster by name (and code, unless short)."""
        return self.record(library.ROSTER, key, short)

    def _place(self, rec: Any) -> str:
        """File and line of a CSV record; sheet and row of a workbook record."""
        source = f"{rec.file} › {rec.sheet}" if rec.sheet else rec.file
        return f"{source}, {t('line', self.lang, line=rec.line)}"

    def ref(self, p: Prepared, alias: str, key: str) -> str:
        bound = p.alias_map()[alias]
        pattern = bound.pattern
        if pattern.kind:
            return self.record(pattern.kind, key)
        if pattern.calendar:
            return self.period(pattern.calendar, key)
        for item in pattern.values or []:
            if str(item["code"]) == key:
                name = item.get("name")
                return name.get(self.lang, key) if isinstance(name, dict) else str(name or key)
        return key

    def period(self, unit: str, key: str) -> str:
        year, _, rest = key.partition("-")
        if unit == "week":
            monday = dt.date.fromisocalendar(int(year), int(rest[1:]), 1)
            end = monday + dt.timedelta(days=6)
            return t("week", self.lang, start=monday.strftime("%d/%m"), end=end.strftime("%d/%m/%Y"))
        if unit == "quarter":
            return t("quarter", self.lang, q=rest[1:], y=year)
        if unit == "month":
            return t("month", self.lang, m=rest, y=year)
        return t("year_period" if unit == "year" else "school_year_period", self.lang, period=key)

    def _detail(self, kind: str | None, name: str, test: dict[str, Any]) -> str:
        label = self.schema.field_label(kind, name, self.lang)
        found = self._value(kind, name, test.get("value"))
        op, expected = test.get("op"), test.get("expected")
        if op == "exists":
            return f"{label}: {t('not_recorded' if expected else 'recorded', self.lang)}"
        if op == "in":
            options = " / ".join(self._value(kind, name, e) for e in expected or [])
            return f"{label} = {found} ({'cần' if self.lang == 'vi' else 'expected'} {options})"
        if op in OP_SIGN:
            need = self._value(kind, name, expected)
            return f"{label} = {found} ({'cần' if self.lang == 'vi' else 'expected'} {OP_SIGN[op]} {need})"
        return f"{label} = {found}"

    def location(self, kind: str, key: str) -> str:
        """Where a record without a code of its own sits: file and line."""
        rec = self.index.get((kind, key))
        if rec is None or type(rec.fact).KEY:
            return self.record(kind, key)
        return self._place(rec)

    def gap(self, p: Prepared, gap: Gap) -> str:
        lang = self.lang
        if "period" in gap.values:  # a check judged per period: the gap is that period's
            period = str(gap.values["period"])
            if gap.reason == "no_records":
                return t("no_records", lang, period=period)
            inner = Gap(gap.reason, gap.refs, {k: v for k, v in gap.values.items() if k != "period"})
            return t("period_prefix", lang, period=period, text=self.gap(p, inner))
        if gap.reason == "behind":
            values = {k: fmt_number(v, lang) for k, v in gap.values.items() if k != "by"}
            return t("behind", lang, by=fmt_date(dt.date.fromisoformat(gap.values["by"]), lang), **values)
        return CHECK_KINDS[p.kind].gap_text(p, gap, _GapWords(self))


class _GapWords:
    """The report's words as a check kind's gap text uses them (checks/kind.py `GapWords`)."""

    def __init__(self, labeller: Labeller):
        self.labeller = labeller
        self.lang = labeller.lang

    def t(self, key: str, **kw: Any) -> str:
        return t(key, self.lang, **kw)

    def known(self, key: str) -> bool:
        return known(key)

    def number(self, value: Any) -> str:
        return fmt_number(value, self.lang)

    def records(self, p: Prepared, refs: list[tuple[str, str]]) -> str:
        return " — ".join(self.labeller.ref(p, alias, key) for alias, key in refs)

    def custom(self, p: Prepared, reason: str) -> str | None:
        text = p.rule.gap_text.get(reason)  # type: ignore[call-overload]
        return None if text is None else str(getattr(text, self.lang))

    def detail(self, kind: str | None, name: str, test: dict[str, Any]) -> str:
        return self.labeller._detail(kind, name, test)

    def location(self, kind: str, key: str) -> str | None:
        return self.labeller.location(kind, key) if self.labeller.sources else None

    def kind_label(self, kind: str) -> str:
        return self.labeller.schema.kind_label(kind, self.lang)


def _dump(fact: Any, name: str) -> Any:
    value = getattr(fact, name)
    if isinstance(value, dt.date):
        return value.year * 10000 + value.month * 100 + value.day
    return value


def _is_date(model: Any, name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return dt.date in getattr(annotation, "__args__", (annotation,))




def target_text(p: Prepared, f: Finding, lang: str) -> str:
    """The rule's own words for its target, else its check kind's (checks/), with the period it is judged per."""
    if p.rule.target_text is not None:
        return getattr(p.rule.target_text, lang)
    text = CHECK_KINDS[p.kind].target(p, _number(lang))
    if text is None:
        return "—"
    return text + (f" ({t('per_' + p.per_unit, lang)})" if p.per_unit else "")


def observed_text(p: Prepared, f: Finding, labeller: Labeller, lang: str) -> str:
    """What a finding says was found: by its status where that says it all, else in its check kind's words
    (checks/), per period for a rule judged per period ("—" for a period without records)."""
    o = f.observed
    if f.status == "not_due":
        if f.note == "no_period":
            return t("no_period", lang)
        return t("not_due_until", lang, date=fmt_date(dt.date.fromisoformat(f.note), lang))
    if f.status == "no_data" and f.missing_files:
        return t("missing_files", lang, files=", ".join(f.missing_files))
    if f.note == "empty":
        return t("empty_passed" if f.status == "passed" else "empty_no_data", lang)
    if f.status == "advisory":
        return t("advisory_note", lang, n=len(o.get("evidence", [])))
    kind, number = CHECK_KINDS[p.kind], _number(lang)
    if "periods" in o:
        return "; ".join(f"{key}: {kind.observed(value, number)}" for key, value in o["periods"].items())
    return kind.observed(o, number)


def _number(lang: str) -> Number:
    """How a check kind's words write a number in this language."""
    return lambda value: fmt_number(value, lang)


def evaluator_words(name: str, lang: str) -> str:
    """The same for a report's footer, in the user's language."""
    from ..evaluate.engine import availability

    runs, detail = availability()
    if name == "engine":
        return t("evaluated_engine", lang, detail=detail)
    return t("evaluated_oracle_chosen" if runs else "evaluated_oracle_fallback", lang, detail=detail)


def summary_line(report: Report, lang: str) -> str:
    return t("summary", lang, total=len(report.results), **report.counts())


def by_section(report: Report) -> dict[str, list[tuple[Prepared, Finding]]]:
    sections: dict[str, list[tuple[Prepared, Finding]]] = {}
    for p, f in sorted(report.results, key=lambda pf: (section_key(pf[0].rule.section), pf[0].id)):
        sections.setdefault(p.rule.section, []).append((p, f))
    return sections
