"""Which plan judges a case: the one its cell.yaml names (or `--rules`), loaded once per run.

A plan is a folder of data (docs/plan-format.md). Cases name their plan by id (`plan: vbn1-2020`),
found among the bundled plans; `--rules DIR` (or $CHIBO_RULES) judges every case by DIR instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem, Unreadable
from ..facts.case import Case, load_case, plan_of, precheck
from ..judge import waivers
from ..ruleset.prepare import Prepared, prepare
from ..ruleset.rulespec import RuleSet, bundled_rules_root, load_rules


@dataclass
class LoadedPlan:
    ruleset: RuleSet
    prepared: list[Prepared]  # the plan's requirements (job: check)
    _checklist: list[Prepared] | None = None

    @property
    def checklist(self) -> list[Prepared]:
        """The pre-meeting checklist (job: ready), prepared when first asked for."""
        if self._checklist is None:
            self._checklist = prepare(self.ruleset, "ready")
        return self._checklist

    @property
    def id(self) -> str:
        folder = self.ruleset.folder
        return self.ruleset.plan.id or (folder.name if folder else "")


def bundled_plans(root: Path | None = None) -> list[Path]:
    """The plan folders shipped with chibo (a folder with plan.yaml), by name."""
    root = root or bundled_rules_root()
    return sorted(p for p in root.iterdir() if (p / "plan.yaml").is_file()) if root.is_dir() else []


def override_from_env() -> Path | None:
    value = os.environ.get("CHIBO_RULES")
    return Path(value) if value else None


@dataclass
class Plans:
    """The plans of one run, each loaded and prepared once (a roll-up of 500 cells of one plan
    reads its rule files once). `override`: judge every case by this plan folder."""

    override: Path | None = None
    root: Path | None = None
    _loaded: dict[Path, LoadedPlan] = field(default_factory=dict)

    def load(self, folder: Path) -> LoadedPlan:
        key = folder.resolve()
        if key not in self._loaded:
            ruleset = load_rules(folder)
            self._loaded[key] = LoadedPlan(ruleset, prepare(ruleset))
        return self._loaded[key]

    def loaded(self) -> dict[Path, LoadedPlan]:
        """The plans loaded so far, by resolved folder."""
        return dict(self._loaded)

    def folder_for(self, case_path: Path) -> Path:
        """The plan folder judging a case; InputError naming cell.yaml when none can be found."""
        if self.override is not None:
            return self.override
        plan_id = plan_of(case_path)
        known = bundled_plans(self.root)
        names = ", ".join(p.name for p in known) or "—"
        where = "cell.yaml" if case_path.is_dir() else case_path.name
        if plan_id is None:
            problems = precheck(case_path)  # no folder, no readable cell.yaml: say that, not "no plan"
            if problems:
                raise Unreadable(problems)
            raise InputError([Problem(where, None, "plan", "no_plan", names)])
        match = [p for p in known if p.name == plan_id]
        if not match:
            raise InputError([Problem(where, None, "plan", "unknown_plan", names, plan_id)])
        return match[0]

    def for_case(self, case_path: Path) -> LoadedPlan:
        return self.load(self.folder_for(case_path))


def load_checked(path: Path, plans: Plans) -> tuple[Case, LoadedPlan]:
    """Load a case with its plan's kinds: its own problems, a plan year the plan does not cover, and rule
    ids or sections its exemptions and assignments name that the plan does not have, as InputError."""
    problems = precheck(path)
    if problems:
        raise Unreadable(problems)
    plan = plans.for_case(path)
    ruleset = plan.ruleset
    year = plan_of(path, "plan_year")
    if year is not None and year not in {str(y) for y in ruleset.plan.years}:
        # said once, before every record dated in the cell's year is reported as outside the plan's
        years = ", ".join(map(str, ruleset.plan.years))
        where = "cell.yaml" if path.is_dir() else path.name
        raise InputError([Problem(where, None, "plan_year", "year", f"{year} ∉ {years} ({plan.id})")])
    case = load_case(path, ruleset.schema, (ruleset.plan.start, ruleset.plan.end))
    waivers.check_rule_names(case, ruleset.rules)
    return case, plan
