"""The registry of check kinds: the only list of them. Each kind's module registers itself with one line,
`register(Kind())`, which also registers its rule-file model for the loader (rulespec.register_check); the
report schema's gap reasons, the rule-language document's table of kinds and the words of each are checked
against this registry (tests/test_check_kinds.py)."""

from __future__ import annotations

from ..ruleset.rulespec import register_check
from .kind import CheckKind

CHECK_KINDS: dict[str, CheckKind] = {}


def register(kind: CheckKind) -> CheckKind:
    """Called once by each check kind's module when it is imported."""
    CHECK_KINDS[kind.name] = kind
    register_check(kind.spec)
    return kind
