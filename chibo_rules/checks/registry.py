"""The registry of check kinds: the only list of them. Each kind's module registers itself with one line,
`register(Kind())`, which also registers its rule-file model for the loader (rulespec.register_check); the
report schema's gap reasons, the rule-language document's table of kinds and the words of each are checked
against this registry (tests/test_check_kinds.py)."""

from __future__ import annotations

from ..ruleset.rulespec import register_check
from .finding import CANDIDATES, GAP_REASONS
from .kind import SHARED_WORDS, CheckKind

CHECK_KINDS: dict[str, CheckKind] = {}


def register(kind: CheckKind) -> CheckKind:
    """Called once by each check kind's module when it is imported: its model goes to the rule loader, its gap
    reasons to the list a Gap may hold."""
    CHECK_KINDS[kind.name] = kind
    register_check(kind.spec)
    GAP_REASONS.extend(r for r in kind.reasons if r not in GAP_REASONS)
    CANDIDATES.update(kind.candidates)
    return kind


def words() -> dict[str, tuple[str, str]]:
    """The check kinds' words for the report's catalogue (report/i18n.py): each kind's title as `rk_NAME`, and
    its own words."""
    out = dict(SHARED_WORDS)
    for kind in CHECK_KINDS.values():
        out[f"rk_{kind.name}"] = kind.title
        out.update(kind.words)
    return out
