"""The rule language: pydantic models of a rule file, and loading a folder of rule files.

A rule file is YAML data. Conditions are nested mappings (field -> value or {op: value}), values
are literals, {ref: alias.field}, {param: name} or {add|sub|mul: [a, b]}. Nothing in a rule file
is executed: the compiler turns it into durable-rules JSON and the oracle interprets it.
See docs/rule-language.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .. import safeyaml
from ..errors import InputError, Problem
from ..facts.models import FACT_MODELS

OPS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "exists")
ARITH = ("add", "sub", "mul")
COMPARE = Literal["eq", "ne", "lt", "lte", "gt", "gte"]
BUILTIN_PARAMS = ("as_of", "plan_year", "year_start", "year_end", "meeting", "last_meeting")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text2(Strict):
    vi: str
    en: str


class Pattern(Strict):
    """One bound fact: a kind of record, generated calendar periods, or a fixed list of values."""

    as_: str = Field(alias="as", pattern=r"^[a-z][a-z0-9_]*$")
    kind: str | None = None
    calendar: Literal["week", "month", "quarter"] | None = None
    values: list[dict[str, Any]] | None = None
    where: dict[str, Any] = {}
    # calendar options
    start: dt.date | None = Field(default=None, alias="from")
    end: dt.date | None = Field(default=None, alias="to")
    exclude: list[dict[str, dt.date]] = []
    holidays: list[dt.date] = []

    @model_validator(mode="after")
    def _one_source(self) -> Pattern:
        sources = [x is not None for x in (self.kind, self.calendar, self.values)]
        if sum(sources) != 1:
            raise ValueError("a pattern needs exactly one of kind, calendar or values")
        if self.kind is not None and self.kind not in FACT_MODELS:
            raise ValueError(f"unknown kind '{self.kind}'")
        if self.values is not None:
            for item in self.values:
                if "code" not in item:
                    raise ValueError("every item of 'values' needs a 'code'")
        if self.calendar is None and (self.start or self.end or self.exclude or self.holidays):
            raise ValueError("from/to/exclude/holidays belong to a calendar pattern")
        return self

    @property
    def alias(self) -> str:
        return self.as_


class Numerator(Strict):
    as_: str = Field(alias="as")
    where: dict[str, Any]


class SumSpec(Strict):
    """Ratio of summed fields over the matched records, e.g. (good + fair) / enrolled."""

    numerator: str | list[str]
    denominator: str | list[str]

    def fields(self, side: str) -> list[str]:
        value = getattr(self, side)
        return [value] if isinstance(value, str) else list(value)


class Check(Strict):
    kind: Literal["coverage", "count", "ratio", "advisory"]
    # coverage
    for_each: list[Pattern] = []
    require: Pattern | None = None
    must: dict[str, Any] | None = None
    when_empty: Literal["no_data", "passed"] = "no_data"
    # count / ratio
    match: list[Pattern] = []
    distinct: str | None = None
    sum: str | SumSpec | None = None
    numerator: Numerator | None = None
    among: Pattern | None = None
    op: COMPARE | None = None
    target: float | int | dict[str, Any] | None = None
    # advisory
    evidence: Pattern | None = None

    @model_validator(mode="after")
    def _shape(self) -> Check:
        need = {
            "coverage": ("for_each",),
            "count": ("match", "op", "target"),
            "ratio": ("match", "op", "target"),
            "advisory": (),
        }[self.kind]
        for name in need:
            if not getattr(self, name):
                raise ValueError(f"a {self.kind} check needs '{name}'")
        if self.kind == "coverage" and self.require is None and not self.must:
            raise ValueError("a coverage check needs 'require', 'must' or both")
        if self.kind == "ratio" and (self.numerator is None) == (not isinstance(self.sum, SumSpec)):
            raise ValueError("a ratio check needs either 'numerator' or 'sum: {numerator, denominator}'")
        if self.among is not None and (self.kind != "count" or not self.distinct):
            raise ValueError("'among' lists who could be counted: it goes with a count and 'distinct'")
        if self.kind == "count" and isinstance(self.sum, SumSpec):
            raise ValueError("a count check sums one field: 'sum: alias.field'")
        return self

    def patterns(self) -> list[Pattern]:
        out = list(self.for_each) + list(self.match)
        if self.require is not None:
            out.append(self.require)
        if self.evidence is not None:
            out.append(self.evidence)
        if self.among is not None:
            out.append(self.among)
        return out


QUARTERS = ("Q1", "Q2", "Q3", "Q4")


class Due(Strict):
    """When a requirement can be judged. `continuous`: always; `at`: a date or a named plan date.

    Before an `at` date, a quarterly audit judges a count against its pace: `milestones` say how
    many are expected by the end of each quarter (e.g. {Q2: 1, Q4: 2}); `pace: linear` expects the
    target in proportion to the time gone between the plan year's start and the due date."""

    at: str | dt.date | None = None
    each: Literal["week", "month", "quarter"] | None = None
    milestones: dict[Literal["Q1", "Q2", "Q3", "Q4"], float] = {}
    pace: Literal["linear"] | None = None

    @model_validator(mode="after")
    def _pace_needs_date(self) -> Due:
        if (self.milestones or self.pace) and self.at is None:
            raise ValueError("milestones and pace belong to a requirement due at a date ('at')")
        if self.milestones and self.pace:
            raise ValueError("give either milestones or pace: linear, not both")
        values = [self.milestones[q] for q in QUARTERS if q in self.milestones]
        if any(b < a for a, b in zip(values, values[1:])):
            raise ValueError("milestones must not decrease from quarter to quarter")
        return self


class Rule(Strict):
    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$")
    section: str
    title: Text2
    clause: str
    severity: Literal["critical", "high", "medium", "low"]
    due: Literal["continuous"] | Due
    hint: Text2
    params: dict[str, Any] = {}
    refs: list[str] = []
    tags: list[str] = []
    target_text: Text2 | None = None
    # wording of one kind of gap for this rule, e.g. {not_counted: {vi: "chưa được giám sát", ...}}
    gap_text: dict[Literal["missing", "failed", "not_counted", "outside", "counted"], Text2] = {}
    check: Check
    # check: judged by `chibo check` and `chibo audit`; ready: an item of the pre-meeting review
    job: Literal["check", "ready"] = "check"
    source: str = ""

    @model_validator(mode="after")
    def _pace_on_counts(self) -> Rule:
        due = self.due
        if isinstance(due, Due) and (due.milestones or due.pace) and (
            self.check.kind != "count" or self.check.op not in ("gt", "gte")
        ):
            raise ValueError("milestones and pace apply to a count with op gte or gt")
        return self

    @field_validator("params")
    @classmethod
    def _no_builtin_override(cls, params: dict[str, Any]) -> dict[str, Any]:
        clash = set(params) & set(BUILTIN_PARAMS)
        if clash:
            raise ValueError(f"parameter names reserved by chibo: {sorted(clash)}")
        return params

    def kinds(self) -> list[str]:
        """The fact files this rule reads; a missing one makes the rule 'no data'."""
        seen: list[str] = []
        for pattern in self.check.patterns():
            if pattern.kind and pattern.kind not in seen:
                seen.append(pattern.kind)
        return seen


class Plan(Strict):
    """rules/plan.yaml: the plan the rule files encode, and dates rules may name in `due`."""

    name: Text2
    year: int
    source: str = ""
    dates: dict[str, dt.date] = {}


class RuleSet(Strict):
    plan: Plan
    rules: list[Rule]

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(str(path), None, None, "encoding", str(exc))]) from None
    try:
        return safeyaml.load(text)[0]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError([Problem(str(path), line, None, "yaml", str(getattr(exc, "problem", exc)))]) from None


def _problems(path: Path, exc: ValidationError) -> list[Problem]:
    return [
        Problem(str(path), None, ".".join(str(p) for p in err["loc"]), "rule", err["msg"])
        for err in exc.errors()
    ]


def load_rules(folder: Path) -> RuleSet:
    """Read plan.yaml and every other *.yaml of a rules folder; all problems are reported at once."""
    folder = Path(folder)
    problems: list[Problem] = []
    plan_path = folder / "plan.yaml"
    if not plan_path.is_file():
        raise InputError([Problem(str(plan_path), None, None, "missing_file", "plan.yaml")])
    plan = None
    try:
        plan = Plan.model_validate(_read_yaml(plan_path))
    except ValidationError as exc:
        problems += _problems(plan_path, exc)
    rules: list[Rule] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name == "plan.yaml":
            continue
        try:
            data = _read_yaml(path)
            if not isinstance(data, dict):
                raise InputError([Problem(str(path), None, None, "rule", "a rule file is a mapping")])
            rule = Rule.model_validate({**data, "source": path.name})
        except InputError as err:
            problems += err.problems
            continue
        except ValidationError as exc:
            problems += _problems(path, exc)
            continue
        if rule.id in seen:
            problems.append(Problem(str(path), None, "id", "duplicate", f"{rule.id} ({seen[rule.id].name})"))
        seen[rule.id] = path
        rules.append(rule)
    if problems or plan is None:
        raise InputError(problems)
    return RuleSet(plan=plan, rules=rules)
