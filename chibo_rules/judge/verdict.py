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
    # exemptions of the case and what became of each (exemptions.apply); empty when the case has none
    exemptions: list[Any] = field(default_factory=list)
    # where each record a gap names sits ("file:line", "file › sheet:row"), kept when a roll-up drops the
    # records (CellResult.slim) so a saved run still points at the line to fix (gap_sources)
    sources: dict[tuple[str, str], str] | None = None

    def counts(self) -> dict[str, int]:
        """Every base status (zero included), and the audit/exemption statuses that occur."""
        out = {s: 0 for s in STATUSES}
        for _, finding in self.results:
            out[finding.status] = out.get(finding.status, 0) + 1
        return out

    def gap_sources(self) -> dict[tuple[str, str], str]:
        """(kind, key) -> where that record sits, for every record a gap or exempted gap names.
        Read from the case while it holds its records; afterwards what was kept before they were dropped."""
        if self.sources is not None and not self.case.records:
            return self.sources
        index = self.case.index()
        out: dict[tuple[str, str], str] = {}
        for p, f in self.results:
            bound = p.alias_map()
            for gap in [*f.gaps, *f.exempted]:
                for alias, key in gap.refs:
                    kind = bound[alias].pattern.kind if alias in bound else None
                    rec = index.get((kind, key)) if kind else None
                    if kind and rec is not None:
                        where = f"{rec.file} › {rec.sheet}" if rec.sheet else rec.file
                        out[(kind, key)] = f"{where}:{rec.line}" if rec.line is not None else where
        return out

    @property
    def has_gaps(self) -> bool:
        return any(f.status == "gap" for _, f in self.results)
