"""Parsing of the scalar values secretaries type: dates, numbers, yes/no, lists and coded choices.

Each parser either returns a value that means exactly what the user typed or raises ValueError
with a message naming what was expected; nothing is guessed. The messages are plain English here
and translated by the error renderer, because pydantic carries them as text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

# A count or number of more digits is no count a secretary made (Excel keeps 15 significant digits too); the
# value is refused, not handed to the engine, and a YAML or CSV integer of thousands of digits is no crash.
MAX_DIGITS = 15

TRUE_WORDS = {"true", "yes", "y", "1", "x", "co", "có", "dung", "đúng", "dat", "đạt"}
FALSE_WORDS = {"false", "no", "n", "0", "khong", "không", "sai", ""}


class TooManyDigits(ValueError):
    """A number longer than MAX_DIGITS: its own problem (`too_many_digits`), not "expected a number"."""

    code = "too_many_digits"

    def __init__(self) -> None:
        super().__init__(f"more than {MAX_DIGITS} digits")
        self.detail = str(MAX_DIGITS)


def _digits(whole: str) -> str:
    """The digits of a whole part without sign or leading zeros; TooManyDigits if they are too many."""
    digits = whole.lstrip("+-").lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise TooManyDigits
    return digits or "0"


def _bounded(number: float) -> float:
    if abs(number) >= 10.0**MAX_DIGITS:
        raise TooManyDigits
    return number


def nfc(text: str) -> str:
    """Vietnamese arrives in NFC and NFD; every comparison is done in NFC."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case NFC text without diacritics, for matching headers and coded values only. Characters one
    cannot see (category Cf: zero-width space U+200B, BOM U+FEFF, word joiner U+2060…) are left out too."""
    decomposed = unicodedata.normalize("NFD", nfc(text).strip().lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) not in ("Mn", "Cf"))
    return stripped.replace("đ", "d").replace("Đ", "d")


def header_key(text: str) -> str:
    """fold(), with '_', '-' and runs of spaces read as one space: how headers and sheet names match."""
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


def parse_date(value: Any) -> dt.date:
    """Accept ISO dates and dd/mm/yyyy, the two forms in the cell's own records."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError("expected a date dd/mm/yyyy or yyyy-mm-dd")
    text = value.strip()
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.match(text)
        if not match:
            raise ValueError("expected a date dd/mm/yyyy or yyyy-mm-dd")
        day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError("not a real calendar date") from None


def parse_int(value: Any) -> int:
    """Whole counts only: '12' or 12, never 12.5 or '12,5' silently truncated."""
    if isinstance(value, bool):
        raise ValueError("expected a whole number")
    if isinstance(value, int):
        _bounded(value)
        return value
    if isinstance(value, float) and value.is_integer():
        return int(_bounded(value))
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        text = value.strip()
        return int(text[0] + _digits(text) if text[0] in "+-" else _digits(text))
    raise ValueError("expected a whole number")


def parse_number(value: Any) -> float:
    """Decimal numbers with a dot or a Vietnamese decimal comma ('85,5')."""
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError("expected a number such as 40 or 37,5")
        return _bounded(float(value))
    if isinstance(value, str):
        text = value.strip()
        match = re.fullmatch(r"[+-]?(\d+)(?:[.,](\d+))?", text)
        if match:
            whole, fraction = match.groups()
            _digits(whole)
            if fraction is not None and len(fraction) == 3 and whole.lstrip("+-") != "0":
                # "1.000" is one thousand in Vietnamese and 1.0 in English: not guessed
                raise ValueError("ambiguous number: '.' or ',' could separate thousands")
            return float(text.replace(",", "."))
    raise ValueError("expected a number such as 40 or 37,5")


def parse_percent(value: Any) -> float:
    """A share in percent: "85%", "85,5%", "85,5" and 85 mean 85(.5) %. Excel keeps a cell formatted
    as a percentage as a fraction; the workbook reader passes it on as "85.5%". A bare number of 1 or
    less is refused: 0.855 may be 0.855 % or 85.5 %."""
    if isinstance(value, str) and value.strip().endswith("%"):
        number = parse_number(value.strip()[:-1].strip())
    else:
        number = parse_number(value)
        if 0 < number <= 1 and not (isinstance(value, str) and value.strip() in ("1", "0")):
            raise ValueError("ambiguous percentage: write 85% or 85,5 (not 0.855)")
    if number > 100:
        raise ValueError("a percentage cannot be over 100")
    return number


def parse_bool(value: Any) -> bool:
    """Yes/no columns as typed in Vietnamese or English; an empty cell means no."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS or fold(word) in TRUE_WORDS:
            return True
        if word in FALSE_WORDS or fold(word) in FALSE_WORDS:
            return False
    raise ValueError("expected yes/no (có/không)")


def parse_list(value: Any) -> list[str]:
    """Lists in one CSV cell are separated by ';' (a comma is part of Vietnamese names)."""
    if value is None:
        return []
    if isinstance(value, list):
        items = value
    elif isinstance(value, str):
        items = value.split(";")
    else:
        raise ValueError("expected a list separated by ';'")
    out = []
    for item in items:
        if not isinstance(item, (str, int)):
            raise ValueError("expected a list of codes separated by ';'")
        text = nfc(str(item).strip())
        if text:
            out.append(text)
    return out


CHOICES_SEPARATOR = " ‖ "


def parse_choice(value: Any, choices: dict[str, tuple[str, ...]], labels: dict[str, str] | None = None) -> str:
    """Map a coded value or one of its accepted spellings (any diacritics, any case) to the code.
    The error lists the codes, then (after CHOICES_SEPARATOR) their Vietnamese labels, so a Vietnamese
    message can list what a secretary would type."""
    if isinstance(value, str):
        key = fold(value)
        for code, aliases in choices.items():
            if key == fold(code) or any(key == fold(a) for a in aliases):
                return code
    message = "expected one of: " + ", ".join(choices)
    if labels:
        message += CHOICES_SEPARATOR + ", ".join(labels.get(c, c) for c in choices)
    raise ValueError(message)


def date_number(day: dt.date) -> int:
    """Dates travel as yyyymmdd integers: durable-rules compares numbers, and order is preserved."""
    return day.year * 10000 + day.month * 100 + day.day


def number_date(value: int) -> dt.date:
    return dt.date(value // 10000, value // 100 % 100, value % 100)


def blank_to_none(value: Any) -> Any:
    """An empty CSV cell is 'not recorded', which is different from 0 or 'no'."""
    if isinstance(value, str) and value.strip() == "":
        return None
    return value
