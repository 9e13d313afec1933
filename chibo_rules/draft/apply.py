"""A decided review becomes a plan folder: one recipe for `chibo plan apply` and the web page's apply.

The folder holds plan.yaml (named by its id: cases name it, the plan search finds it by it), the accepted rules
as reviewed, the kinds they read (with only the codes they use) and a rule-test file per rule (tests/). A rule
whose drafted test could not say what passes ("CẦN VIẾT / TO DO") gets one built from the rule and the kinds'
declarations once the folder loads (draft/ruletests.py), so both callers write in two steps: `plan_files`,
then — after loading the written folder — `built_tests`. Writing, and wording what stops it, is the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .propose import dump_yaml, kinds_subset, load_lexicon, test_skeleton
from .review import Decided
from .ruletests import built_cases


@dataclass
class PlanFiles:
    """The plan folder `out` (its plan's `years`): the files to write (path -> bytes), and the rules whose tests
    are built after the folder loads."""

    out: Path
    years: list[int]
    files: dict[Path, bytes] = field(default_factory=dict)
    to_build: list[dict[str, Any]] = field(default_factory=list)


def _yaml(data: Any) -> bytes:
    return dump_yaml(data).encode("utf-8")


def plan_files(decided: Decided, out: Path, plan_id: str) -> PlanFiles:
    """The plan folder `out` for the accepted rules of `decided`, its plan named `plan_id`."""
    lexicon = load_lexicon()
    years = decided.plan["years"]
    codes = {item["code"] for item in decided.accepted if item["code"]}
    made = PlanFiles(out, years, {out / "plan.yaml": _yaml({**decided.plan, "id": plan_id})})
    made.files.update({out / "kinds" / f"{name}.yaml": _yaml(kind)
                       for name, kind in kinds_subset(decided.kinds, codes).items()})
    for item in decided.accepted:
        rule = item["rule"]
        made.files[out / f"{rule['id']}.yaml"] = item["text"].encode("utf-8")
        skeleton = test_skeleton(rule, item["shape"], item["code"], item["period"], years, lexicon)
        if any(case["expect"].get("status") == "passed" and not case["facts"] for case in skeleton["cases"]):
            made.to_build.append(rule)  # a "CẦN VIẾT / TO DO" case: built once the folder's kinds are known
        made.files[out / "tests" / f"{rule['id']}.yaml"] = _yaml(skeleton)
    return made


def built_tests(made: PlanFiles, kinds: dict[str, Any]) -> dict[Path, bytes]:
    """The rule tests built from the rules and the loaded folder's kinds, replacing their skeletons."""
    return {made.out / "tests" / f"{rule['id']}.yaml": _yaml(test) for rule in made.to_build
            for test in [built_cases(rule, kinds, made.years)] if test is not None}
