"""advisory: nothing to judge — the rule reminds the cell of something no record can prove; the records of
`evidence`, if it names any, are listed for the reader.

Role: evidence.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from ..ruleset.prepare import Prepared, Preparing
from ..ruleset.rulespec import CheckSpec, Pattern
from .finding import Finding
from .kind import CheckKind, Emitter, Matched, Matching, Number, Records
from .registry import register


class AdvisoryCheck(CheckSpec):
    """`check:` of an advisory rule."""

    kind: Literal["advisory"]
    evidence: Pattern | None = None

    judged: ClassVar[bool] = False

    def prepare(self, ctx: Preparing) -> dict[str, Any]:
        return {"dims": (), "evidence": ctx.bind(self.evidence)}


class Advisory(CheckKind):
    name = "advisory"
    spec = AdvisoryCheck
    title = ("Khuyến nghị (không đo)", "Advisory (not measured)")

    def compile(self, p: Prepared, out: Emitter) -> None:
        if p.evidence is not None:
            self.emit_records(out, p, "evidence", p.evidence)

    def evaluate(self, p: Prepared, oracle: Matching, raw: Matched) -> None:
        if p.evidence is not None:
            self.record_keys(oracle, p, p.evidence, "evidence", raw)

    def judge(self, p: Prepared, raw: Matched, records: Records) -> Finding:
        return Finding(p.id, "advisory", observed={"evidence": [k[0] for k in sorted(raw.keys("evidence"))]})

    def observed(self, o: dict[str, Any] | None, number: Number) -> str:
        # a report words an advisory finding by its status (report/labels.py: "advisory_note"), in its language
        return number(len((o or {}).get("evidence", [])))


register(Advisory())
