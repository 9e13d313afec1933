"""Which plan judges a case: the one its cell.yaml names (or `--rules`), loaded once per run.

A plan is a folder of data (docs/plan-format.md). Cases name their plan by id (`plan: vbn1-2020`), the name
of its folder, looked up along a search path so that a cell's own plan needs no option: `--plans DIR`
(repeatable), $CHIBO_PLANS, a `plans/` folder beside the case or beside its parent, the user's data folder,
then the bundled plans. `--rules DIR` (or $CHIBO_RULES) judges every case by DIR instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem, Unreadable
from ..facts import sources
from ..facts.case import Case
from ..judge.exemptions import check_rule_names
from ..ruleset.prepare import Prepared, prepare
from ..ruleset.rulespec import RuleSet, bundled_rules_root, load_plan_file, load_rules
from ..userdirs import data_folder


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


def search_from_env(given: Iterable[Path] = ()) -> tuple[Path, ...]:
    """The folders of plans searched first: `--plans` in the order given, then $CHIBO_PLANS (os.pathsep
    separated, as PATH is)."""
    value = os.environ.get("CHIBO_PLANS", "")
    return (*given, *(Path(v) for v in value.split(os.pathsep) if v.strip()))


def user_plans_folder() -> Path:
    """Where a user keeps their own plans without telling chibo: the platform's per-user data folder (the
    roaming one on Windows: a plan follows its secretary)."""
    return data_folder(roaming=True) / "plans"


def plans_in(folder: Path) -> list[Path]:
    """The plan folders in a folder of plans: its subfolders with plan.yaml, or the folder itself if it is
    one (so `--plans rules/my-plan` works too)."""
    try:
        if (folder / "plan.yaml").is_file():
            return [folder]
        return sorted(p for p in folder.iterdir() if (p / "plan.yaml").is_file()) if folder.is_dir() else []
    except OSError:  # an unreadable folder on the path is one with no plans, not a crash
        return []


def _plan_id(folder: Path) -> str:
    """The id plan.yaml gives a plan (a copy of a plan in another folder keeps its id), else the folder's name."""
    try:
        return load_plan_file(folder).id or folder.name
    except InputError:
        return folder.name


@dataclass
class Plans:
    """The plans of one run, each loaded and prepared once (a roll-up of 500 cells of one plan
    reads its rule files once). `override`: judge every case by this plan folder."""

    override: Path | None = None
    root: Path | None = None
    search: tuple[Path, ...] = ()  # --plans and $CHIBO_PLANS (search_from_env)
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

    def path_for(self, case_path: Path | None = None) -> list[Path]:
        """The folders searched for a plan id, in order (a case's own `plans/` folders when a case is given)."""
        beside: list[Path] = []
        if case_path is not None:
            parent = case_path.resolve().parent
            beside = [parent / "plans", parent.parent / "plans"]
        folders = [*self.search, *beside, user_plans_folder(), self.root or bundled_rules_root()]
        return list(dict.fromkeys(folders))  # each once, first place first

    def find(self, plan_id: str, case_path: Path | None = None) -> tuple[Path | None, str]:
        """The plan folder named `plan_id` along the search path, or None and a description of where chibo
        looked and which ids it saw there (for the problem that says so)."""
        looked: list[str] = []
        for folder in self.path_for(case_path):
            found = plans_in(folder)
            match = [p for p in found if p.name == plan_id]
            if match:
                return match[0], ""
            looked.append(f"{folder} ({', '.join(p.name for p in found) or '—'})")
        return None, "; ".join(looked)

    def folder_for(self, case: sources.Source | Path) -> Path:
        """The plan folder judging a case; InputError naming cell.yaml when none can be found, or when the
        case names another plan than the one --rules gives (said once, not as a problem per field)."""
        if not isinstance(case, sources.Source):
            with sources.open_case(case) as source:
                return self.folder_for(source)
        plan_id = case.value("plan")
        where = case.name
        if self.override is not None:
            if plan_id is not None and plan_id not in {self.override.name, _plan_id(self.override)}:
                detail = f"{_plan_id(self.override)} ({self.override})"
                raise InputError([Problem(where, None, "plan", "plan_mismatch", detail, plan_id)])
            return self.override
        if plan_id is None:
            problems = case.problems()  # no folder, no readable cell.yaml: say that, not "no plan"
            if problems:
                raise Unreadable(problems)
            names = ", ".join(p.name for p in bundled_plans(self.root)) or "—"
            raise InputError([Problem(where, None, "plan", "no_plan", names)])
        folder, looked = self.find(plan_id, case.path)
        if folder is None:
            raise InputError([Problem(where, None, "plan", "unknown_plan", looked, plan_id)])
        return folder

    def for_case(self, case: sources.Source | Path) -> LoadedPlan:
        return self.load(self.folder_for(case))


def load_checked(path: Path, plans: Plans) -> tuple[Case, LoadedPlan]:
    """Load a case with its plan's kinds: its own problems, a plan year the plan does not cover, and rule
    ids or sections its exemptions and assignments name that the plan does not have, as InputError. The
    case is opened once (sources.open_case): its header names the plan, then its records are read."""
    with sources.open_case(path) as source:
        problems = source.problems()
        if problems:
            raise Unreadable(problems)
        plan = plans.for_case(source)
        ruleset = plan.ruleset
        year = source.value("plan_year")
        if year is not None and year not in {str(y) for y in ruleset.plan.years}:
            # said once, before every record dated in the cell's year is reported as outside the plan's
            years = ", ".join(map(str, ruleset.plan.years))
            raise InputError([Problem(source.name, None, "plan_year", "year", f"{year} ∉ {years} ({plan.id})")])
        case = source.load(ruleset.schema, (ruleset.plan.start, ruleset.plan.end))
    check_rule_names(case, ruleset.rules)
    return case, plan
