"""Quarter arithmetic, in one place: a quarter's name ("Q2", "2020-Q2"), its last day, the quarter a day
falls in, the previous quarter's end, and the ways a secretary writes one (2/2020, quý II/2020).

A bottom module: the pace milestones (judge), the audit (jobs), the store's quarter labels and the
command line all read quarters the same way, so a quarter is never computed two ways.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Literal, get_args

# the plan format's milestone keys (rulespec.Due.milestones) and every quarter's name
Quarter = Literal["Q1", "Q2", "Q3", "Q4"]
QUARTERS: tuple[str, ...] = get_args(Quarter)

QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
# the forms people type, the report's own wording among them: 2/2020, Q2/2020, quý 2/2020, Quý II/2020, Q2-2020
QUARTER_WRITTEN = re.compile(r"^(?:(?:q|quý|quy)\s*(?P<q>[1-4]|iv|i{1,3})|(?P<n>[1-4]))"
                             r"\s*(?:/|-|năm|nam)\s*(?P<year>\d{4})$")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def parse_quarter(text: str) -> tuple[int, str]:
    """'2020-Q2' (or 2020Q2, 2020-q2) -> (2020, 'Q2'), and the way a secretary writes it — 2/2020, Q2/2020,
    quý 2/2020 (the report's own wording), Quý II/2020; ValueError otherwise."""
    folded = unicodedata.normalize("NFC", text).strip().lower()
    match = QUARTER.match(folded)
    if match:
        year, number = int(match.group(1)), int(match.group(2))
    else:
        written = QUARTER_WRITTEN.match(folded)
        if not written:
            raise ValueError(text)
        year = int(written.group("year"))
        number = int(written.group("n")) if written.group("n") else ROMAN.get(written.group("q"), 0) or int(
            written.group("q"))
    if not 1900 <= year <= 2100:
        raise ValueError(text)
    return year, f"Q{number}"


def quarter_of(day: dt.date) -> str:
    return f"Q{(day.month - 1) // 3 + 1}"


def previous_quarter_end(day: dt.date, start: dt.date | None = None) -> dt.date | None:
    """The last quarter end strictly before `day` and not before the plan's first day `start` (default:
    the first of January of `day`'s year); None in the plan's first quarter."""
    start = start or dt.date(day.year, 1, 1)
    ends = [quarter_end(y, q) for y in range(start.year, day.year + 1) for q in QUARTERS]
    earlier = [end for end in ends if start <= end < day]
    return earlier[-1] if earlier else None


def quarter_end(year: int, quarter: str) -> dt.date:
    month = int(quarter[1]) * 3
    return (dt.date(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)


def quarter_label(day: dt.date) -> str:
    """The quarter a day falls in, with its year: 2020-06-30 -> "2020-Q2" (the store's and the roll-up's label)."""
    return f"{day.year}-{quarter_of(day)}"
