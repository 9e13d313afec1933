"""The result of judging one case: every rule with its finding, as plain data every job and renderer reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..facts.case import Case
from ..ruleset.prepare import Prepared
from ..ruleset.rulespec import RuleSet
from .findings import STATUSES, Finding


@dataclass
class Report:
    case: Case
    ruleset: RuleSet
    as_of: dt.date
    results: list[tuple[Prepared, Finding]]
    evaluator: str
    # the facts as evaluated, by (type, key): what exemptions and labels look records up in
    lookup: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # exemptions of the case and what became of each (waivers.apply); empty when the case has none
    exemptions: list[Any] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Every base status (zero included), and the audit/exemption statuses that occur."""
        out = {s: 0 for s in STATUSES}
        for _, finding in self.results:
            out[finding.status] = out.get(finding.status, 0) + 1
        return out

    @property
    def has_gaps(self) -> bool:
        return any(f.status == "gap" for _, f in self.results)
