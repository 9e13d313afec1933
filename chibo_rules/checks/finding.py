"""What judging a rule produces: a `Finding` with its gaps, plain data every renderer shares.

Defined in the checks layer because each check kind's judging builds them (checks/__init__.py says why
that layer sits below the evaluators); judge/findings.py re-exports them for everything above.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any


@dataclass
class Gap:
    """One thing missing or failing: the records by alias, and the values that failed."""

    reason: str  # missing | failed | outside | counted | short | not_counted | behind
    refs: list[tuple[str, str]]
    values: dict[str, Any] = field(default_factory=dict)
    # the exemption (its ref) that waives this gap, or that would but has expired
    exempted_by: str = ""
    expired_exemption: str = ""


@dataclass
class Finding:
    rule_id: str
    status: str
    target: dict[str, Any] = field(default_factory=dict)
    observed: dict[str, Any] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    note: str = ""
    # gaps waived by an exemption: still reported, never dropped (see judge/waivers.py)
    exempted: list[Gap] = field(default_factory=list)

    def comparable(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("gaps", "exempted"):
            data[name] = sorted(
                (g["reason"], tuple(map(tuple, g["refs"])), tuple(sorted(g["values"].items())), g["exempted_by"],
                 g["expired_exemption"])
                for g in data[name]
            )
        return data


def compare(value: Fraction, op: str, target: Fraction) -> bool:
    return {
        "eq": value == target, "ne": value != target, "lt": value < target,
        "lte": value <= target, "gt": value > target, "gte": value >= target,
    }[op]


def plain_number(value: Any) -> Any:
    """Exact where whole, otherwise rounded to 2 decimals for display and JSON."""
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else round(float(value), 2)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
