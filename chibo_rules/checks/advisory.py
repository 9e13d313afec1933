"""advisory: nothing to judge — the rule reminds the cell of something no record can prove; the records of
`evidence`, if it names any, are listed for the reader.

Role: evidence.
"""

from __future__ import annotations

from typing import Any

from ..ruleset.prepare import Prepared
from .finding import Finding
from .kind import CheckKind, Emitter, Matched, Matching, Number, Records


class Advisory(CheckKind):
    name = "advisory"

    def compile(self, p: Prepared, out: Emitter) -> None:
        if p.evidence is not None:
            self.emit_records(out, p, "evidence", p.evidence)

    def evaluate(self, p: Prepared, oracle: Matching, raw: Matched) -> None:
        if p.evidence is not None:
            raw.evidence.update(self.record_keys(oracle, p, p.evidence))

    def judge(self, p: Prepared, raw: Matched, records: Records) -> Finding:
        return Finding(p.id, "advisory", observed={"evidence": [k[0] for k in sorted(raw.evidence)]})

    def observed(self, o: dict[str, Any] | None, number: Number) -> str:
        # a report words an advisory finding by its status (report/labels.py: "advisory_note"), in its language
        return number(len((o or {}).get("evidence", [])))
