"""What an evaluator found for one rule: the matched keys by role, before any judging.

Both evaluators (durable-rules and the oracle) fill the same `Raw`, so they are compared on it and
judged by the same code (judge/findings.py). A role is whatever a check kind's compiled rules record
(checks/: `subjects` and `missing` of a coverage, `items` of a count…): this module names none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Keys = tuple[str, ...]


@dataclass
class Raw:
    """By role, the keys of each match and what the engine's action kept of it besides (None for most)."""

    roles: dict[str, dict[Keys, Any]] = field(default_factory=dict)

    def add(self, role: str, keys: Keys, extra: Any = None) -> None:
        self.roles.setdefault(role, {})[keys] = extra

    def keys(self, role: str) -> set[Keys]:
        """The matches of a role."""
        return set(self.roles.get(role, ()))

    def values(self, role: str) -> dict[Keys, Any]:
        """The matches of a role with what each kept."""
        return self.roles.get(role, {})

    def only(self, keep: Callable[[Keys], bool]) -> Raw:
        """The part of the matches whose keys `keep` accepts (a rule judged per period: one period's)."""
        return Raw({role: {k: v for k, v in found.items() if keep(k)} for role, found in self.roles.items()})

    def matched(self) -> bool:
        """Whether anything matched at all."""
        return any(self.roles.values())

    def comparable(self) -> dict[str, list[Any]]:
        return {role: sorted(found.items()) for role, found in sorted(self.roles.items()) if found}


def raw_from_hits(hits: list[tuple[str, str, Keys, Any]]) -> dict[str, Raw]:
    raws: dict[str, Raw] = {}
    for rule_id, role, keys, extra in hits:
        raws.setdefault(rule_id, Raw()).add(role, keys, extra)
    return raws
