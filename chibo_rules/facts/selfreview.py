"""Members' self-review forms as data: which form fits a member, and what each form's parts hold.

Hướng dẫn 43-HD/BTCTW (Ban Tổ chức Trung ương, 31/10/2025) gives three self-review forms for a Party member:
Mẫu 2A-HD KĐ.ĐG (holds a leading or managing post), 2B (works in the political system), 2C (neither). Which
one fits a member, and which of the cell's kinds of records fill which part of a form, is data: the library's
review/self-review.yaml, with the top-level keys of a library extension's (rules/library-school/review/) and of
the plan's own (rules/<plan>/review/) replacing its own (docs/review-members.md). This module reads those files
and a roster record's fields by the names they give: the fact layer, the only one reading fields by name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from .. import safeyaml
from ..errors import InputError, Problem
from .declarations import Words
from .schema import Schema

FILE_NAME = "self-review.yaml"
FORM_ID = r"^[0-9A-Za-z]{1,8}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Strict):
    """A roster field and the values that choose a form: `is` (a yes/no or one code) or `in` (codes)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    field: str = Field(min_length=1)
    is_: bool | str | None = Field(default=None, alias="is")
    in_: list[str] | None = Field(default=None, alias="in")

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if (self.is_ is None) == (self.in_ is None):
            raise ValueError("give exactly one of 'is' and 'in'")
        return self

    def holds(self, value: Any) -> bool:
        if self.is_ is not None:
            return value == self.is_ if isinstance(self.is_, bool) else str(value) == self.is_
        return value is not None and str(value) in (self.in_ or [])

    def words(self) -> str:
        if self.is_ is not None:
            return f"{self.field} = {self.is_}"
        return f"{self.field} ∈ {{{', '.join(self.in_ or [])}}}"


class Choice(_Strict):
    """The first choice whose condition holds for a member gives their form."""

    form: str = Field(pattern=FORM_ID)
    when: Condition


class Part(_Strict):
    """One part of a form: a heading, then the member's records of the kinds it lists (`rest`: of every kind
    no other part of the form lists, so nothing recorded about a member is left out), their open gaps
    (`gaps`), and `blank` lines for the member to write (causes, remedies…)."""

    title: Words
    records: list[str] = []
    rest: bool = False
    gaps: bool = False
    blank: int = Field(default=0, ge=0, le=20)
    rating: list[Words] = []  # lines of the self-rating ("Xếp loại đảng viên: ☐ … ☐ …")
    items: list[Part] = []  # numbered sub-parts


Part.model_rebuild()


class Form(_Strict):
    code: str = Field(min_length=1)  # "Mẫu 2A-HD KĐ.ĐG"
    who: Words  # "(Cá nhân giữ chức vụ lãnh đạo, quản lý)"
    officer: bool = False  # members of this form are the cell's officers: named in every member's document
    parts: list[str] = Field(min_length=1)  # ids of `parts`, in the form's order


class Identity(_Strict):
    """A line of the document's identity block: its label and the roster field that fills it (blank if none)."""

    label: Words
    field: str | None = None


class Settings(_Strict):
    default: str = Field(pattern=FORM_ID)
    choose: list[Choice] = []
    identity: list[Identity] = []
    list_at_most: int = Field(default=12, ge=1, le=1000)  # records of one kind listed in a document
    forms: dict[str, Form] = Field(min_length=1)
    parts: dict[str, Part] = Field(min_length=1)
    source: str = ""  # the file read last
    # top-level key -> the file that gave it and its node tree: where a problem found later points
    _where: dict[str, tuple[Path, Any]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _references(self) -> Settings:
        named = [self.default] + [c.form for c in self.choose]
        unknown = sorted({f for f in named if f not in self.forms})
        if unknown:
            raise ValueError(f"unknown form(s): {', '.join(unknown)} (forms: {', '.join(self.forms)})")
        for form_id, form in self.forms.items():
            missing = [p for p in form.parts if p not in self.parts]
            if missing:
                raise ValueError(f"form {form_id} names unknown part(s): {', '.join(missing)}")
        return self

    def problem(self, loc: tuple[str, ...], detail: str) -> Problem:
        """A problem with the key at `loc`, in the file (and on the line) that gave it."""
        path, node = self._where.get(loc[0], (Path(self.source), None))
        return Problem(str(path), safeyaml.line_of(node, loc), ".".join(loc), "self_review", detail)

    def officer_forms(self) -> set[str]:
        return {k for k, f in self.forms.items() if f.officer}


def _read(path: Path) -> tuple[dict[str, Any], Any]:
    try:
        text = path.read_text(encoding="utf-8")
        data, node = safeyaml.load(text, with_node=True)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(str(path), None, None, "unreadable", str(exc))]) from None
    except Exception as exc:  # a YAML syntax error or a duplicate key
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise InputError([Problem(str(path), line, None, "yaml", (str(exc).splitlines() or [type(exc).__name__])[0])]) \
            from None
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), None, None, "self_review", "a mapping of keys is expected")])
    return data, node


def load(paths: list[Path]) -> Settings:
    """The settings of the library's self-review.yaml (first in `paths`) with each later file's top-level keys
    (an extension's, a plan's) replacing the library's: a plan says only what differs (e.g. `choose`).
    InputError names the file, line and key of every problem."""
    merged: dict[str, Any] = {}
    where: dict[str, tuple[Path, Any]] = {}
    for path in paths:
        data, node = _read(path)
        for key, value in data.items():
            merged[key] = value
            where[str(key)] = (path, node)
    try:
        settings = Settings.model_validate({**merged, "source": str(paths[-1])})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(str(p) for p in err["loc"])
            path, node = where.get(loc[0], (paths[-1], None)) if loc else (paths[-1], None)
            problems.append(Problem(str(path), safeyaml.line_of(node, loc), ".".join(loc) or None, "self_review",
                                    err["msg"].removeprefix("Value error, ")))
        raise InputError(problems) from None
    settings._where.update(where)
    return settings


def check_fields(settings: Settings, schema: Schema, roster: str) -> None:
    """Every roster field the settings read must be declared (a misspelt field would choose nothing)."""
    decl = schema.kinds.get(roster)
    known = set(decl.fields) if decl else set()
    named: list[tuple[tuple[str, ...], str]] = [
        (("choose", str(n), "when", "field"), c.when.field) for n, c in enumerate(settings.choose)]
    named += [(("identity", str(n), "field"), i.field) for n, i in enumerate(settings.identity) if i.field]
    bad = [settings.problem(loc, f"'{name}' is not a field of {roster}") for loc, name in named if name not in known]
    for part_id, part in settings.parts.items():
        for n, sub in enumerate([part, *part.items]):
            loc = ("parts", part_id, *(("items", str(n - 1)) if n else ()), "records")
            bad += [settings.problem(loc, f"'{kind}' is not a kind of facts of the plan")
                    for kind in sub.records if kind not in schema.kinds]
    if bad:
        raise InputError(bad)


def roster_value(fact: Any, field: str) -> Any:
    """A roster record's field by the name the settings give."""
    return getattr(fact, field, None)


def choose(settings: Settings, fact: Any) -> tuple[str, Condition | None]:
    """A member's form and the condition that chose it (None: nothing held, the default applies)."""
    for choice in settings.choose:
        if choice.when.holds(roster_value(fact, choice.when.field)):
            return choice.form, choice.when
    return settings.default, None
