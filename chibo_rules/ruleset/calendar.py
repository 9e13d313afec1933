"""Periods of a plan (weeks, months, quarters, years, school years) that calendar patterns range over.

A period is judged once it has ended by the as-of date. A week belongs to the plan of its Monday: the
plan's last week may end in the next year (Monday 28/12/2020 – Sunday 03/01/2021); it is judged at the
plan's end, and its workdays leave out the holidays of both years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..facts.values import date_number
from ..quarters import quarter_label

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class PlanCalendar:
    """What periods depend on: the plan's first and last day, its holidays and its school years."""

    start: dt.date
    end: dt.date
    holidays: frozenset[dt.date] = frozenset()
    school_years: tuple[tuple[str, dt.date, dt.date], ...] = ()


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - ONE_DAY


def _workdays(start: dt.date, end: dt.date, holidays: frozenset[dt.date]) -> int:
    day, count = start, 0
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            count += 1
        day += ONE_DAY
    return count


def _weeks(first: dt.date, last: dt.date, exclude: list[dict[str, dt.date]]) -> list[tuple[str, dt.date, dt.date]]:
    """Weeks whose Monday falls in [first, last] and not inside an excluded range."""
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    out = []
    while monday <= last:
        if not any(r["from"] <= monday <= r["to"] for r in exclude):
            iso_year, iso_week, _ = monday.isocalendar()
            out.append((f"{iso_year}-W{iso_week:02d}", monday, monday + dt.timedelta(days=6)))
        monday += dt.timedelta(days=7)
    return out


def _months(first: dt.date, last: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    out = []
    year, month = first.year, first.month
    while dt.date(year, month, 1) <= last:
        out.append((f"{year}-{month:02d}", dt.date(year, month, 1), _month_end(year, month)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _quarters(first: dt.date, last: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    out = []
    for _key, start, _ in _months(first, last):
        if start.month % 3 == 1:
            out.append((quarter_label(start), start, _month_end(start.year, start.month + 2)))
    return out


def _years(first: dt.date, last: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Calendar years; the first begins on `first` (a term's congress date, not 1 January)."""
    return [(str(y), max(dt.date(y, 1, 1), first), dt.date(y, 12, 31)) for y in range(first.year, last.year + 1)
            if dt.date(y, 12, 31) >= first]


def spans(unit: str, cal: PlanCalendar, first: dt.date, last: dt.date,
          exclude: list[dict[str, dt.date]]) -> list[tuple[str, dt.date, dt.date]]:
    """Every period of a unit in [first, last], judged or not yet."""
    if unit == "week":
        return _weeks(first, last, exclude)
    if unit == "month":
        return _months(first, last)
    if unit == "quarter":
        return _quarters(first, last)
    if unit == "year":
        return _years(first, last)
    if unit == "school_year":
        # a school year of the plan: one that ends inside it (2019-2020 ends in 2020)
        return [(k, s, e) for k, s, e in cal.school_years if first <= e <= last]
    raise ValueError(f"unknown calendar unit {unit!r}")


def judged(period_end: dt.date, as_of: dt.date, plan_end: dt.date) -> bool:
    """A period is judged once ended; the plan's last week, ending after the plan, at the plan's end."""
    return period_end <= as_of or (period_end > plan_end and as_of >= plan_end)


def periods(
    unit: str,
    cal: PlanCalendar,
    as_of: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    exclude: list[dict[str, dt.date]] | None = None,
    holidays: list[dt.date] | None = None,
) -> list[dict[str, Any]]:
    """Periods in [start, end] (default: the plan's period) that are judged as of `as_of`."""
    first = start or cal.start
    last = end or cal.end
    off = cal.holidays | frozenset(holidays or ())
    return [
        {
            "key": key,
            "start": date_number(p_start),
            "end": date_number(p_end),
            "workdays": _workdays(p_start, p_end, off),
            "year": p_start.year,
        }
        for key, p_start, p_end in spans(unit, cal, first, last, exclude or [])
        if judged(p_end, as_of, cal.end)
    ]
