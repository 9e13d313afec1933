"""What an evaluator found for one rule: the matched keys by role, before any judging.

Both evaluators (durable-rules and the oracle) fill the same `Raw`, so they are compared on it and
judged by the same code (judge/findings.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Keys = tuple[str, ...]


@dataclass
class Raw:
    subjects: set[Keys] = field(default_factory=set)
    missing: set[Keys] = field(default_factory=set)
    failed: set[Keys] = field(default_factory=set)
    items: dict[Keys, Any] = field(default_factory=dict)
    among: set[Keys] = field(default_factory=set)
    den: set[Keys] = field(default_factory=set)
    num: set[Keys] = field(default_factory=set)
    rows: dict[Keys, Any] = field(default_factory=dict)
    evidence: set[Keys] = field(default_factory=set)

    def add(self, role: str, keys: Keys, extra: Any) -> None:
        target = getattr(self, role)
        if isinstance(target, dict):
            target[keys] = extra
        else:
            target.add(keys)

    def comparable(self) -> dict[str, list[Any]]:
        out: dict[str, list[Any]] = {}
        for name, value in asdict(self).items():
            out[name] = sorted(value.items()) if isinstance(value, dict) else sorted(value)
        return out


def raw_from_hits(hits: list[tuple[str, str, Keys, Any]]) -> dict[str, Raw]:
    raws: dict[str, Raw] = {}
    for rule_id, role, keys, extra in hits:
        raws.setdefault(rule_id, Raw()).add(role, keys, extra)
    return raws
