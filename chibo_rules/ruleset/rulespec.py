"""The rule language: pydantic models of a rule file, and loading a folder of rule files.

A rule file is YAML data. Conditions are nested mappings (field -> value or {op: value}), values
are literals, {ref: alias.field}, {param: name} or {add|sub|mul: [a, b]}. Nothing in a rule file
is executed: the compiler turns it into durable-rules JSON and the oracle interprets it.
See docs/rule-language.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializeAsAny,
    TypeAdapter,
    ValidationError,
    WrapValidator,
    field_validator,
    model_validator,
)

from .. import safeyaml
from ..errors import InputError, Problem
from ..facts import library, plancache
from ..facts.declarations import read_yaml_file
from ..facts.schema import Schema, load_schema
from ..quarters import QUARTERS, Quarter

OPS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "exists")
ARITH = ("add", "sub", "mul")
COMPARE = Literal["eq", "ne", "lt", "lte", "gt", "gte"]
BUILTIN_PARAMS = ("as_of", "plan_year", "plan_start", "plan_end", "year_start", "year_end", "meeting",
                  "last_meeting")
UNITS = Literal["week", "month", "quarter", "year", "school_year"]
# a value read from the plan's settings: {setting: NAME}
Setting = dict[Literal["setting"], str]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text2(Strict):
    vi: str
    en: str


class Pattern(Strict):
    """One bound fact: a kind of record, generated calendar periods, or a fixed list of values."""

    as_: str = Field(alias="as", pattern=r"^[a-z][a-z0-9_]*$")
    kind: str | None = None
    calendar: UNITS | None = None
    values: list[dict[str, Any]] | None = None
    where: dict[str, Any] = {}
    # calendar options (the plan's own period and holidays by default)
    start: dt.date | Setting | None = Field(default=None, alias="from")
    end: dt.date | Setting | None = Field(default=None, alias="to")
    exclude: list[dict[str, dt.date]] | Setting = []
    holidays: list[dt.date] = []

    @model_validator(mode="after")
    def _one_source(self) -> Pattern:
        sources = [x is not None for x in (self.kind, self.calendar, self.values)]
        if sum(sources) != 1:
            raise ValueError("a pattern needs exactly one of kind, calendar or values")
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


class Per(Strict):
    """A count or ratio judged once per period of the plan (each year, each school year)."""

    field: str = Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
    calendar: Literal["year", "school_year"]


class CheckSpec(Strict):
    """The `check:` of a rule file, as one check kind reads it. Each kind's module (chibo_rules/checks/) declares
    its own model, a subclass with `kind: Literal["its name"]` and its fields, and registers it
    (`register_check`); a rule's `check` is validated as the discriminated union of the registered models.

    The class attributes and methods below are what the generic stages ask of a kind's model: the patterns
    it binds, and how it is prepared (ruleset/prepare.py)."""

    kind: str
    # words for a field of this kind written in another kind's check (today's messages, kept: the loader
    # shows them instead of pydantic's "Extra inputs are not permitted")
    misplaced: ClassVar[dict[str, str]] = {}
    # nothing to judge (an advisory reminder): listed after the requirements, and a missing file is no gap
    judged: ClassVar[bool] = True

    def needs(self, *names: str) -> None:
        """ValueError "a <kind> check needs '<name>'" for the first of `names` absent or empty (a `target: 0`,
        "no violation", is a target: only None and empty text, lists or mappings are missing)."""
        for name in names:
            value = getattr(self, name)
            if value is None or (isinstance(value, (str, list, dict)) and not value):
                raise ValueError(f"a {self.kind} check needs '{name}'")

    def patterns(self) -> list[Pattern]:
        """The patterns this check binds, in the order its fields are declared."""
        return [pattern for _path, pattern in self.pattern_paths()]

    def pattern_paths(self) -> list[tuple[tuple[str, ...], Pattern]]:
        """Each pattern with where it stands in the rule file ("check", field[, index])."""
        out: list[tuple[tuple[str, ...], Pattern]] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Pattern):
                out.append((("check", name), value))
            elif isinstance(value, list):
                out += [(("check", name, str(i)), v) for i, v in enumerate(value) if isinstance(v, Pattern)]
        return out

    def paced(self) -> bool:
        """Whether a due date's milestones or pace may judge this check before it is due."""
        return False

    def prepare(self, ctx: Any) -> dict[str, Any]:
        """The Prepared fields of this kind (ruleset/prepare.py's `Preparing` is `ctx`: it binds patterns and
        notes problems)."""
        raise NotImplementedError


# the registered check models by kind, in registration order (the order a wrong kind's message lists them)
CHECK_MODELS: dict[str, type[CheckSpec]] = {}
_UNION: list[TypeAdapter[Any]] = []


def register_check(model: type[CheckSpec]) -> type[CheckSpec]:
    """Called by each check kind's module (chibo_rules/checks/) for its model."""
    name = model.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]
    CHECK_MODELS[name] = model
    _UNION.clear()
    return model


def _check_union() -> TypeAdapter[Any]:
    if not CHECK_MODELS:
        raise RuntimeError("no check kind registered: import chibo_rules.checks before loading rules")
    if not _UNION:
        union = functools.reduce(operator.or_, CHECK_MODELS.values())
        _UNION.append(TypeAdapter(Annotated[union, Field(discriminator="kind")]))  # type: ignore[arg-type]
    return _UNION[0]


def _by_kind(value: Any, handler: Any) -> Any:
    """A rule's check: the registered model its `kind` names."""
    if isinstance(value, CheckSpec):
        return value
    return _check_union().validate_python(value)


Check = Annotated[SerializeAsAny[CheckSpec], WrapValidator(_by_kind)]


def check_problem(err: Any) -> tuple[tuple[str | int, ...], str]:
    """A check's validation error as the rule file's author reads it: where (the kind's own name, which
    pydantic puts in the path of a discriminated union, left out) and what, in the words used before the
    union (`Input should be 'coverage', …` for an unknown kind)."""
    loc, msg, kind = tuple(err["loc"]), err["msg"].removeprefix("Value error, "), err["type"]
    at = loc.index("check") if "check" in loc else -1
    if at < 0:
        return loc, msg
    head, rest = loc[:at + 1], loc[at + 1:]
    if kind == "union_tag_invalid" and not rest:
        names = [repr(n) for n in CHECK_MODELS]
        return head + ("kind",), "Input should be " + (", ".join(names[:-1]) + " or " + names[-1]
                                                        if len(names) > 1 else names[0])
    if kind == "union_tag_not_found" and not rest:
        return head + ("kind",), "Field required"
    if kind == "model_attributes_type" and not rest:
        return head, "Input should be a valid dictionary or instance of Check"
    if rest and rest[0] in CHECK_MODELS:
        rest = rest[1:]
    if kind == "extra_forbidden" and len(rest) == 1:
        words = next((m.misplaced[str(rest[0])] for m in CHECK_MODELS.values() if str(rest[0]) in m.misplaced), "")
        if words:
            return head, words
    return head + rest, msg


class Due(Strict):
    """When a requirement can be judged. `continuous`: always; `at`: a date or a named plan date.

    Before an `at` date, a quarterly audit judges a count against its pace: `milestones` say how
    many are expected by the end of each quarter (e.g. {Q2: 1, Q4: 2}); `pace: linear` expects the
    target in proportion to the time gone between the plan year's start and the due date."""

    at: str | dt.date | None = None
    each: Literal["week", "month", "quarter"] | None = None
    milestones: dict[Quarter, float] = {}
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
            not self.check.paced()
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
    """plan.yaml: the plan a folder encodes, its years and the settings its rules read."""

    id: str = ""
    name: Text2
    cell: str = ""
    years: list[int] = Field(min_length=1)
    # a term resolution runs from its congress, not from 1 January: the first day judged (in the first year)
    start_date: dt.date | None = Field(None, alias="start")
    source: str = ""
    # a library folder relative to the plan folder (default: the library shipped with chibo)
    library: str | None = None
    # library extensions the plan builds on: `uses: [school]` reads library-school/kinds beside the library
    uses: list[str] = []
    settings: dict[str, Any] = {}
    # what people call the plan's documents' issuer, for the Party's document format (optional)
    higher_committee: str = ""

    @model_validator(mode="before")
    @classmethod
    def _yearly(cls, data: Any) -> Any:
        """A yearly plan may say `year: 2020`; named dates may stand under `dates:` (both as before)."""
        if isinstance(data, dict):
            data = dict(data)
            if "year" in data and "years" not in data:
                data["years"] = [data.pop("year")]
            if isinstance(data.get("dates"), dict):
                data["settings"] = {**data.pop("dates"), **(data.get("settings") or {})}
        return data

    @model_validator(mode="after")
    def _years(self) -> Plan:
        years = sorted(self.years)
        if years != list(range(years[0], years[-1] + 1)) or not 1900 <= years[0] <= years[-1] <= 2100:
            raise ValueError("years are consecutive, e.g. [2020] or [2020, 2021, 2022]")
        if self.start_date is not None and self.start_date.year != years[0]:
            raise ValueError(f"start (the congress date) is a day of the first year, {years[0]}")
        holidays = self.settings.get("holidays", {})
        if not isinstance(holidays, dict) or not all(
            isinstance(k, int) and isinstance(v, list) and all(isinstance(d, dt.date) for d in v)
            for k, v in holidays.items()
        ):
            raise ValueError("settings.holidays maps a year to a list of dates")
        school_years = self.settings.get("school_years", {})
        if not isinstance(school_years, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("start"), dt.date) and isinstance(v.get("end"), dt.date)
            for v in school_years.values()
        ):
            raise ValueError("settings.school_years maps 'yyyy-yyyy' to {start: date, end: date}")
        return self

    @property
    def year(self) -> int:
        """The first year (the plan year of a yearly plan)."""
        return min(self.years)

    @property
    def start(self) -> dt.date:
        return self.start_date or dt.date(min(self.years), 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(max(self.years), 12, 31)

    def holidays(self) -> list[dt.date]:
        return sorted(d for days in self.settings.get("holidays", {}).values() for d in days)

    def school_years(self) -> dict[str, tuple[dt.date, dt.date]]:
        return {str(k): (v["start"], v["end"]) for k, v in self.settings.get("school_years", {}).items()}


ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def section_key(section: str) -> tuple[tuple[int, int | str], ...]:
    """Plan order: B.I.1 < B.I.4 < B.II < B.III (Roman numerals and numbers compared as numbers)."""
    parts: list[tuple[int, int | str]] = []
    for part in section.replace("-", ".").split("."):
        if part.isdigit():
            parts.append((1, int(part)))
        elif part.upper() in ROMAN:
            parts.append((1, ROMAN[part.upper()]))
        else:
            parts.append((0, part))
    return tuple(parts)


def reading_order(rules: list[Rule]) -> list[str]:
    """The kinds a plan reads, in the order a secretary fills them in: by plan section, as its rules read
    them — in a section the requirements first, then the pre-meeting checklist, then the evidence of advisory
    rules, each in file order —, then the kinds every plan's jobs read (assignments, exemptions). The workbook
    template holds these, after the cell and the roster (Schema.in_order)."""
    out: list[str] = []
    for rule in sorted(rules, key=lambda r: (section_key(r.section), not r.check.judged, r.job != "check")):
        out += [kind for kind in rule.kinds() if kind not in out]
    return out + [kind for kind in library.EVERY_PLAN if kind not in out]


@dataclass(frozen=True)
class RuleSet:
    """A loaded plan: plan.yaml, its rules and the schema of its kinds of facts."""

    plan: Plan
    rules: list[Rule]
    schema: Schema
    folder: Path | None = None

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _problems(path: Path, exc: ValidationError, node: Any, code: str = "rule") -> list[Problem]:
    out = []
    for err in exc.errors():
        loc, msg = check_problem(err)
        out.append(Problem(str(path), safeyaml.line_of(node, tuple(str(p) for p in loc)),
                           ".".join(str(p) for p in loc) or None, code, msg))
    return out


def bundled_rules_root() -> Path:
    """The folder of plans shipped with chibo (and its fact library): `rules/` beside the package in a
    checkout, or inside the package when installed from a wheel."""
    here = Path(__file__).resolve().parent.parent
    inside = here / "plans"
    return inside if (inside / "library").is_dir() else here.parent / "rules"


def library_of(folder: Path, plan: Plan | None) -> Path:
    if plan is not None and plan.library:
        return (folder / plan.library).resolve()
    return bundled_rules_root() / "library"


def extensions_of(folder: Path, plan: Plan | None) -> tuple[tuple[Path, ...], list[Problem]]:
    """The kinds folders of the library extensions a plan uses, and a problem for each that does not exist."""
    library = library_of(folder, plan)
    found: list[Path] = []
    problems: list[Problem] = []
    for name in plan.uses if plan is not None else []:
        kinds = library.parent / f"library-{name}" / "kinds"
        if kinds.is_dir():
            found.append(kinds)
        else:
            problems.append(Problem(str(folder / "plan.yaml"), None, "uses", "kind_decl",
                                    f"no library extension '{name}' ({kinds.parent})"))
    return tuple(found), problems


def load_plan_file(folder: Path) -> Plan:
    plan_path = folder / "plan.yaml"
    if not plan_path.is_file():
        raise InputError([Problem(str(plan_path), None, None, "missing_file", "plan.yaml")])
    data, node = read_yaml_file(plan_path)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise InputError(_problems(plan_path, exc, node, "plan")) from None
    if not plan.id:
        plan = plan.model_copy(update={"id": folder.resolve().name})
    return plan


def rule_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The rule files of a plan folder: *.yaml beside plan.yaml and the review's scoring.yaml (ruleset/scoring.py);
    a *.yml file is an error, not skipped."""
    problems = [Problem(str(p), None, None, "yml_suffix") for p in sorted(folder.glob("*.yml"))]
    return [p for p in sorted(folder.glob("*.yaml")) if p.name not in ("plan.yaml", "scoring.yaml")], problems


def read_rule(path: Path) -> tuple[Rule, Any]:
    """One rule file as a Rule and its YAML node (for the line of a problem)."""
    data, node = read_yaml_file(path)
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), 1, None, "rule", "a rule file is a mapping")])
    try:
        return Rule.model_validate({**data, "source": path.name}), node
    except ValidationError as exc:
        raise InputError(_problems(path, exc, node)) from None


def load_rules(folder: Path) -> RuleSet:
    """A plan folder: plan.yaml, its kinds (with the library's) and every rule file; all problems at once.
    Its YAML files come from the plan cache when their bytes are unchanged (facts/plancache.py), and are
    kept there only when the whole plan loads without a problem."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), None, None, "missing_folder")])
    with plancache.plan_session(folder.resolve()):
        return _load_rules(folder)


def _load_rules(folder: Path) -> RuleSet:
    problems: list[Problem] = []
    plan = None
    try:
        plan = load_plan_file(folder)
    except InputError as err:
        problems += err.problems
    schema = None
    layers, missing = extensions_of(folder, plan)
    problems += missing
    try:
        schema = load_schema(library_of(folder, plan), folder / "kinds", layers)
    except InputError as err:
        problems += err.problems
    rules: list[Rule] = []
    nodes: dict[str, Any] = {}
    seen: dict[str, Path] = {}
    paths, found = rule_files(folder)
    problems += found
    for path in paths:
        try:
            rule, node = read_rule(path)
        except InputError as err:
            problems += err.problems
            continue
        if rule.id in seen:
            problems.append(Problem(str(path), safeyaml.line_of(node, ("id",)), "id", "duplicate",
                                    f"{rule.id} ({seen[rule.id].name})"))
        seen[rule.id] = path
        nodes[path.name] = node
        rules.append(rule)
    if problems or plan is None or schema is None:
        raise InputError(problems)
    RULE_NODES.update({(str(folder.resolve()), name): node for name, node in nodes.items()})
    return RuleSet(plan=plan, rules=rules, schema=schema.in_order(reading_order(rules)), folder=folder.resolve())


# YAML node trees of loaded rule files, by (plan folder, file name): where a rule problem found later (when
# rules are checked against the kinds) is, by line. Kept only for the files loaded in this process.
RULE_NODES: dict[tuple[str, str], Any] = {}
