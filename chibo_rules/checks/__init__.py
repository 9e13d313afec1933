"""Check kinds: one module per `check.kind` a rule file may name — coverage, count, ratio, advisory — each
holding everything that differs by kind: its rule-file model (a member of the discriminated union on `kind`),
its preparation, the roles its compiled rules record, compile for durable-rules, the oracle's loops, judging
into a finding, its gap reasons and its words. `CHECK_KINDS` (registry.py) is the registry the generic code
dispatches through (kind.py: the hooks); `KINDS` below is the one line each kind adds.

Layer: between ruleset and evaluate — facts → ruleset → checks → evaluate → judge → jobs → report → cli.
Why there, and not above judge: evaluate/compile.py has to find each rule's kind by itself, because
`compile_ruleset(prepared, collector)` is all that evaluate/engine.py (and the tests) hand it, and a
Prepared rule comes from ruleset/prepare.py, which cannot know the kinds either; so the registry must sit
below the compiler. A kind module therefore imports only the ruleset, and finding.py (Finding and Gap:
what its judging returns, re-exported by judge/findings.py for everything above). What it needs from the
stages above is handed to its hooks by their caller, as a narrow interface declared in kind.py: the
compiler's `emit`, the oracle's matchers, the judge's records (to explain failed values), the report's
way of writing a number and a gap's records. The rule loader (ruleset) learns each kind's model when the
kind registers (rulespec.register_check), so rules are loaded after this package is imported.
"""

from __future__ import annotations

import importlib

from .kind import CheckKind
from .registry import CHECK_KINDS, register, words

# the kinds, in the order a rule file's wrong kind is told them ("Input should be 'coverage', …"); each module
# registers itself when imported
KINDS = ("coverage", "count", "ratio", "advisory")

for _name in KINDS:
    importlib.import_module(f"{__name__}.{_name}")

__all__ = ["CHECK_KINDS", "KINDS", "CheckKind", "register", "words"]
