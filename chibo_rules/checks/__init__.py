"""Check kinds: one module per `check.kind` a rule file may name — coverage, count, ratio, advisory — each
holding the steps that differ by kind: compiled for durable-rules, evaluated by the oracle, judged into a
finding, worded. `CHECK_KINDS` is the registry the generic code dispatches through (kind.py: the hooks).

Layer: between ruleset and evaluate — facts → ruleset → checks → evaluate → judge → jobs → report → cli.
Why there, and not above judge: evaluate/compile.py has to find each rule's kind by itself, because
`compile_ruleset(prepared, collector)` is all that evaluate/engine.py (and the tests) hand it, and a
Prepared rule comes from ruleset/prepare.py, which cannot know the kinds either; so the registry must sit
below the compiler. A kind module therefore imports only the ruleset, and finding.py (Finding and Gap:
what its judging returns, re-exported by judge/findings.py for everything above). What it needs from the
stages above is handed to its hooks by their caller, as a narrow interface declared in kind.py: the
compiler's `emit`, the oracle's matchers, the judge's records (to explain failed values), the report's
way of writing a number. Words in the report's languages (i18n `t`), gap texts among them, stay in
report/labels.py.
"""

from __future__ import annotations

from .advisory import Advisory
from .count import Count
from .coverage import Coverage
from .kind import CheckKind
from .ratio import Ratio

CHECK_KINDS: dict[str, CheckKind] = {kind.name: kind for kind in (Coverage(), Count(), Ratio(), Advisory())}
