"""What judging a rule produces: a `Finding` with its gaps, plain data every renderer shares.

Defined in the checks layer because each check kind's judging builds them (checks/__init__.py says why
that layer sits below the evaluators); judge/findings.py re-exports them for everything above.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

# Every status and every gap reason a report can hold, in one place: docs/report.schema.json lists exactly these
# (tests/test_report_formats.py), and a finding or gap of anything else cannot be made — a report never
# says what its own schema refuses.
STATUSES = ("gap", "no_data", "passed", "not_due", "advisory")
# a quarterly audit's judgement of a count before it falls due; a gap every item of which is waived
PACE_STATUSES = ("behind_pace", "on_pace")
EXEMPTED = "exempted"
REPORTED_STATUSES = (*STATUSES, *PACE_STATUSES, EXEMPTED)
# The reasons of the steps every kind shares — no_records: a `per` period with no record at all; behind: a count
# behind its milestone (audit) —, then each registered check kind's own (CheckKind.reasons: missing, failed: a
# coverage's; outside, counted: a ratio's or count's records; short: a count or ratio below or over its target;
# not_counted: who a count could still count), added when the kind registers (checks/registry.py).
GAP_REASONS: list[str] = ["no_records", "behind"]
# The reasons whose gaps list candidates — who could still be counted (a count's not_counted) — not faults: no one
# named owes anything, no exemption is needed for them, progress through the list is not a fix. From the kinds
# (CheckKind.candidates) as they register.
CANDIDATES: set[str] = set()
# A figure below its target is one gap whether judged at its due date (a kind's `short`) or before it, behind its
# milestone (the audit's `behind`): the audit's changes, the store's history and the report's "choose among" note
# treat both alike, through these two names.
SHORTFALLS = ("short", "behind")


def followed_as(reason: str) -> str:
    """The reason a gap is followed under across dates and submissions: a shortfall is one gap before and after
    its due date (behind, then short), every other reason is itself."""
    return "short" if reason in SHORTFALLS else reason


@dataclass
class Gap:
    """One thing missing or failing: the records by alias, and the values that failed."""

    reason: str  # one of GAP_REASONS
    refs: list[tuple[str, str]]
    values: dict[str, Any] = field(default_factory=dict)
    # the exemption (its ref) that waives this gap, or that would but has expired
    exempted_by: str = ""
    expired_exemption: str = ""

    @property
    def candidate(self) -> bool:
        """A candidate who could still be counted, not a fault (CANDIDATES)."""
        return self.reason in CANDIDATES

    def __post_init__(self) -> None:
        if self.reason not in GAP_REASONS:
            raise ValueError(f"gap reason {self.reason!r} is not one of {GAP_REASONS}")


@dataclass
class Finding:
    rule_id: str
    status: str
    target: dict[str, Any] = field(default_factory=dict)
    observed: dict[str, Any] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)
    note: str = ""
    # gaps waived by an exemption: still reported, never dropped (see judge/exemptions.py)
    exempted: list[Gap] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.status not in REPORTED_STATUSES:
            raise ValueError(f"status {self.status!r} is not one of {REPORTED_STATUSES}")

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
