"""Periods of the plan year (weeks, months, quarters) that calendar patterns range over.

Only periods that have ended by the as-of date are produced: a month still running is not yet due.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .conditions import date_number

ONE_DAY = dt.timedelta(days=1)


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - ONE_DAY


def _workdays(start: dt.date, end: dt.date, holidays: set[dt.date]) -> int:
    day, count = start, 0
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            count += 1
        day += ONE_DAY
    return count


def _weeks(first: dt.date, last: dt.date, exclude: list[dict[str, dt.date]]) -> list[tuple[str, dt.date, dt.date]]:
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
            q = (start.month - 1) // 3 + 1
            out.append((f"{start.year}-Q{q}", start, _month_end(start.year, start.month + 2)))
    return out


def periods(
    unit: str,
    plan_year: int,
    as_of: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    exclude: list[dict[str, dt.date]] | None = None,
    holidays: list[dt.date] | None = None,
) -> list[dict[str, Any]]:
    """Periods in [start, end] (default: the plan year) that end on or before `as_of`."""
    first = start or dt.date(plan_year, 1, 1)
    last = end or dt.date(plan_year, 12, 31)
    if unit == "week":
        spans = _weeks(first, last, exclude or [])
    elif unit == "month":
        spans = _months(first, last)
    elif unit == "quarter":
        spans = _quarters(first, last)
    else:
        raise ValueError(f"unknown calendar unit {unit!r}")
    off = set(holidays or [])
    return [
        {
            "key": key,
            "start": date_number(p_start),
            "end": date_number(p_end),
            "workdays": _workdays(p_start, p_end, off),
        }
        for key, p_start, p_end in spans
        if p_end <= as_of
    ]
