"""Fact models: one pydantic model per kind of record a cell keeps, one file per kind in a case.

Models are strict (unknown columns are rejected, values are parsed by `values.py` and never
coerced beyond what the user typed). Field names never use `id`, which durable-rules reserves
for fact identity. A field named `person`, `resolution`, `meeting`, `mentor` or
`story_presenter` refers to another record; `REFERENCES` says which kind, so the loader can
reject dangling references and the renderer can print names instead of codes.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from . import values as v


class Choices(tuple):
    """Metadata on a coded field: its codes, and the Vietnamese label of each for reports."""

    labels: dict[str, str]

    def __new__(cls, choices: dict[str, tuple[str, ...]]) -> Choices:
        obj = super().__new__(cls, choices)
        obj.labels = {code: aliases[0] if aliases else code for code, aliases in choices.items()}
        return obj


def _choice(choices: dict[str, tuple[str, ...]]):
    return Annotated[str, BeforeValidator(lambda x: v.parse_choice(x, choices)), Choices(choices)]


def field_choices(model: type[BaseModel], name: str) -> Choices | None:
    """The codes of a coded field (also when optional), or None."""
    info = model.model_fields[name]
    found = [m for m in info.metadata if isinstance(m, Choices)]
    for arg in typing.get_args(info.annotation):
        found += [m for m in getattr(arg, "__metadata__", ()) if isinstance(m, Choices)]
    return found[0] if found else None


def _text(x: Any) -> Any:
    if isinstance(x, str):
        return v.nfc(x.strip())
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return str(x)
    return x


def _nonempty(x: Any) -> Any:
    if not x:
        raise ValueError("must not be empty")
    return x


Text = Annotated[str, BeforeValidator(_text)]
Ref = Annotated[str, BeforeValidator(_text), AfterValidator(_nonempty)]
Date = Annotated[dt.date, BeforeValidator(v.parse_date)]
Int = Annotated[int, BeforeValidator(v.parse_int)]
Count = Annotated[int, BeforeValidator(v.parse_int), Field(ge=0)]
Number = Annotated[float, BeforeValidator(v.parse_number), Field(ge=0)]
Bool = Annotated[bool, BeforeValidator(v.parse_bool)]
RefList = Annotated[list[str], BeforeValidator(v.parse_list)]
Year = Annotated[int, BeforeValidator(v.parse_int), Field(ge=1900, le=2100)]
Percent = Annotated[float, BeforeValidator(v.parse_percent), Field(ge=0, le=100)]
SchoolYear = Annotated[str, BeforeValidator(_text), Field(pattern=r"^\d{4}-\d{4}$")]
Grade = Annotated[int, BeforeValidator(v.parse_int), Field(ge=1, le=12)]

GROUPS = {
    "manager": ("quản lý", "cán bộ quản lý", "cbql"),
    "teacher": ("giáo viên", "gv"),
    "administrative": ("hành chính", "nhân viên", "nv"),
    "support": ("phục vụ", "bảo vệ"),
}
POSITIONS = {
    "principal": ("hiệu trưởng",),
    "vice_principal": ("phó hiệu trưởng",),
    "teacher": ("giáo viên",),
    "pioneer_leader": ("tổng phụ trách đội", "tpt đội"),
    "clerk": ("văn thư",),
    "accountant": ("kế toán",),
    "librarian": ("thư viện",),
    "equipment": ("thiết bị",),
    "medical": ("y tế",),
    "security": ("bảo vệ",),
    "other": ("khác",),
}
QUALIFICATIONS = {
    "below_standard": ("dưới chuẩn",),
    "standard": ("đạt chuẩn", "chuẩn"),
    "above_standard": ("trên chuẩn",),
}
RATINGS = {
    "excellent": ("hoàn thành xuất sắc", "xuất sắc", "htxs"),
    "good": ("hoàn thành tốt", "tốt", "httt"),
    "completed": ("hoàn thành", "ht"),
    "not_completed": ("không hoàn thành", "kht"),
}
ORG_RATINGS = {
    "excellent": ("xuất sắc", "vững mạnh xuất sắc"),
    "strong": ("vững mạnh",),
    "fair": ("khá",),
    "weak": ("yếu", "trung bình"),
}


class Fact(BaseModel):
    """Base of all records. KIND is the file stem; KEY names the field that identifies a record.
    A check across fields starts its message with "[field] ": the cell a problem report points at."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    KIND: ClassVar[str] = ""
    KEY: ClassVar[str | None] = None
    LABEL: ClassVar[tuple[str, ...]] = ()
    REFERENCES: ClassVar[dict[str, str]] = {}


class Cell(Fact):
    KIND = "cell"
    name: Text
    party_committee: Text
    plan_year: Year
    school: Text | None = None
    secretary: Ref | None = None
    REFERENCES = {"secretary": "people"}


class Person(Fact):
    KIND, KEY, LABEL = "people", "ref", ("name",)
    ref: Ref
    name: Ref
    party_member: Bool
    group: _choice(GROUPS)
    position: _choice(POSITIONS)
    qualification: _choice(QUALIFICATIONS) | None = None
    committee_member: Bool = False
    candidate: Bool = False
    mentor: Ref | None = None
    reduction: Count = 0
    reduction_reason: Text | None = None
    REFERENCES = {"mentor": "people"}


class Resolution(Fact):
    KIND, KEY, LABEL = "resolutions", "ref", ("title",)
    ref: Ref
    title: Ref
    level: _choice({"commune": ("đảng bộ xã", "xã"), "cell": ("chi bộ",), "higher": ("cấp trên",)})
    issued: Date
    brief_by: Date


class Briefing(Fact):
    KIND, LABEL = "briefings", ("resolution", "person", "date")
    resolution: Ref
    person: Ref
    date: Date
    REFERENCES = {"resolution": "resolutions", "person": "people"}


class HcmRegistration(Fact):
    KIND, LABEL = "hcm_registrations", ("person", "year")
    person: Ref
    year: Year
    registered: Date
    assessment: _choice({"good": ("tốt", "thực hiện tốt"), "fair": ("khá",), "not_done": ("chưa đạt",)}) | None = None
    REFERENCES = {"person": "people"}


class HcmItem(Fact):
    KIND, LABEL = "hcm_items", ("person", "item")
    person: Ref
    item: Ref
    registered: Date
    REFERENCES = {"person": "people"}


class Meeting(Fact):
    KIND, KEY, LABEL = "meetings", "ref", ("date", "kind")
    ref: Ref
    date: Date
    kind: _choice({"regular": ("định kỳ", "thường kỳ"), "thematic": ("chuyên đề",)})
    story: Text | None = None
    story_presenter: Ref | None = None
    commended: RefList = []
    REFERENCES = {"story_presenter": "people", "commended": "people"}


class Inspection(Fact):
    KIND, KEY, LABEL = "inspections", "ref", ("kind", "person", "date")
    ref: Ref
    kind: _choice({"compliance": ("chấp hành",), "thematic": ("chuyên đề",)})
    date: Date
    person: Ref | None = None
    topic: Text | None = None
    REFERENCES = {"person": "people"}


class Supervision(Fact):
    KIND, KEY, LABEL = "supervisions", "ref", ("person", "date")
    ref: Ref
    person: Ref
    date: Date
    topic: Text | None = None
    REFERENCES = {"person": "people"}


class Violation(Fact):
    KIND, KEY, LABEL = "violations", "ref", ("person", "date", "description")
    ref: Ref
    person: Ref
    date: Date
    description: Ref
    charter: Bool
    REFERENCES = {"person": "people"}


class Misconduct(Fact):
    KIND, KEY, LABEL = "misconduct", "ref", ("person", "date", "description")
    ref: Ref
    person: Ref
    date: Date
    description: Ref
    status: _choice({"open": ("đang xử lý", "chưa xử lý"), "handled": ("đã xử lý",)})
    handled_on: Date | None = None
    REFERENCES = {"person": "people"}


class HouseholdTask(Fact):
    KIND, LABEL = "household_tasks", ("person", "task")
    person: Ref
    task: Annotated[int, BeforeValidator(v.parse_int), Field(ge=1, le=99)]
    done: Bool
    REFERENCES = {"person": "people"}


class Movement(Fact):
    KIND, LABEL = "movements", ("person", "movement", "date")
    person: Ref
    movement: Ref
    date: Date
    REFERENCES = {"person": "people"}


class Rating(Fact):
    KIND, LABEL = "ratings", ("person", "year", "rating")
    person: Ref
    year: Year
    rating: _choice(RATINGS)
    REFERENCES = {"person": "people"}


class GoodTeacher(Fact):
    KIND, LABEL = "good_teachers", ("person", "school_year", "result")
    person: Ref
    school_year: SchoolYear
    result: _choice({"won": ("đạt",), "not_won": ("không đạt", "chưa đạt")})
    REFERENCES = {"person": "people"}


class EmulationTitle(Fact):
    KIND, LABEL = "emulation_titles", ("person", "year", "title")
    person: Ref
    year: Year
    title: _choice({
        "grassroots_emulation_soldier": ("chiến sĩ thi đua cơ sở", "cstđcs"),
        "advanced_worker": ("lao động tiên tiến", "lđtt"),
        "other": ("khác",),
    })
    REFERENCES = {"person": "people"}


class StudentFigures(Fact):
    """Aggregate student figures of one grade in one school year; a blank cell is 'not recorded'."""

    KIND, LABEL = "student_figures", ("school_year", "grade")
    school_year: SchoolYear
    grade: Grade
    enrolled: Count
    attending: Count | None = None
    mobilisation_target: Count | None = None
    health_insured: Count | None = None
    dropouts: Count | None = None
    good: Count | None = None
    fair: Count | None = None
    average: Count | None = None
    weak: Count | None = None
    poor: Count | None = None
    intake_eligible: Count | None = None
    intake_enrolled: Count | None = None
    graduation_candidates: Count | None = None
    graduated: Count | None = None

    @model_validator(mode="after")
    def _adds_up(self) -> StudentFigures:
        """Figures typed by hand are checked against each other; a sum over the enrolment is an error."""
        grades = [self.good, self.fair, self.average, self.weak, self.poor]
        recorded = sum(g for g in grades if g is not None)
        if recorded > self.enrolled:
            raise ValueError(f"[enrolled] the counts do not add up: good + fair + average + weak + poor = {recorded} "
                             f"> enrolled {self.enrolled}")
        for name in ("health_insured", "dropouts", "graduation_candidates"):
            value = getattr(self, name)
            if value is not None and value > self.enrolled:
                raise ValueError(f"[{name}] the counts do not add up: {name} {value} > enrolled {self.enrolled}")
        if None not in (self.graduated, self.graduation_candidates) and self.graduated > self.graduation_candidates:
            raise ValueError("[graduated] the counts do not add up: graduated > graduation_candidates")
        return self


class Dropout(Fact):
    KIND, KEY, LABEL = "dropouts", "ref", ("student", "grade", "left_on")
    ref: Ref
    student: Ref
    grade: Grade
    left_on: Date
    visited_on: Date | None = None
    returned: Bool = False


class YouthAdmission(Fact):
    KIND, LABEL = "youth_admissions", ("date", "grade", "admitted")
    date: Date
    grade: Grade
    admitted: Count


class OnlineContest(Fact):
    KIND, LABEL = "online_contests", ("school_year", "contest", "grade")
    school_year: SchoolYear
    contest: _choice({"violympic_math": ("violympic", "giải toán"), "ioe_english": ("ioe", "tiếng anh")})
    grade: Grade
    participants: Count


class UniversalEducation(Fact):
    """The commune's universal-education survey; `rate` is the share the report states, if any."""

    KIND, LABEL = "universal_education", ("year",)
    year: Year
    cohort_15_18: Count
    completed: Count
    rate: Percent | None = None

    @model_validator(mode="after")
    def _adds_up(self) -> UniversalEducation:
        if self.completed > self.cohort_15_18:
            raise ValueError("[completed] the counts do not add up: completed > cohort_15_18")
        if self.rate is not None and self.cohort_15_18 and abs(
            self.rate - 100 * self.completed / self.cohort_15_18
        ) > 0.5:
            raise ValueError(
                f"[rate] the counts do not add up: rate {self.rate:g}% but {self.completed}/{self.cohort_15_18}"
            )
        return self


class OrganisationRating(Fact):
    KIND, LABEL = "organisation_ratings", ("organisation", "year", "rating")
    organisation: _choice({
        "trade_union": ("công đoàn",),
        "youth_union": ("chi đoàn", "đoàn thanh niên"),
        "pioneer_team": ("liên đội", "đội thiếu niên"),
    })
    year: Year
    rating: _choice(ORG_RATINGS)


class SchoolTitle(Fact):
    KIND, LABEL = "school_titles", ("title", "year", "result")
    title: _choice({
        "emulation_rank": ("thứ hạng thi đua",),
        "friendly_school": ("trường học thân thiện",),
        "safe_school": ("trường học an toàn",),
        "national_standard": ("chuẩn quốc gia",),
        "accreditation": ("kiểm định chất lượng",),
    })
    year: Year
    result: Ref
    date: Date | None = None


class MobilisationModel(Fact):
    KIND, LABEL = "mobilisation_models", ("model", "date", "activity")
    model: Ref
    date: Date
    activity: Ref


class QccmCheck(Fact):
    KIND, LABEL = "qccm_checks", ("date", "scope")
    date: Date
    scope: Ref
    result: Text | None = None


class Disclosure(Fact):
    KIND, LABEL = "disclosures", ("kind", "date", "place")
    kind: _choice({
        "cadre_source": ("dự nguồn cán bộ",),
        "finance": ("thu chi tài chính",),
        "procurement": ("mua sắm", "mua sắm xây dựng"),
    })
    date: Date
    place: Text | None = None


class Document(Fact):
    KIND, LABEL = "documents", ("kind", "date", "title")
    kind: Ref
    date: Date
    title: Ref


class HcmAward(Fact):
    KIND, LABEL = "hcm_awards", ("date", "recipient", "idea")
    date: Date
    recipient: Ref
    idea: Ref


def _monday(day: dt.date) -> dt.date:
    if day.weekday() != 0:
        raise ValueError("must be a Monday (the week's first day)")
    return day


class Timesheet(Fact):
    KIND, LABEL = "timesheets", ("person", "week")
    person: Ref
    week: Annotated[dt.date, BeforeValidator(v.parse_date), AfterValidator(_monday)]
    hours: Number | None = None
    periods: Count | None = None
    REFERENCES = {"person": "people"}


class Absence(Fact):
    KIND, LABEL = "absences", ("person", "date", "kind")
    person: Ref
    date: Date
    kind: _choice({"absent": ("vắng", "vắng mặt"), "late": ("đi trễ", "trễ"), "early_leave": ("về sớm",)})
    reason: Text | None = None
    REFERENCES = {"person": "people"}


class GoodDeed(Fact):
    """A good deed recorded between meetings: the next regular meeting proposes its doer for commendation."""

    KIND, LABEL = "good_deeds", ("person", "date", "deed")
    person: Ref
    date: Date
    deed: Ref
    REFERENCES = {"person": "people"}


class Decision(Fact):
    """What a meeting decided (a task, its owner, its deadline) and when it was done."""

    KIND, KEY, LABEL = "decisions", "ref", ("task",)
    ref: Ref
    meeting: Ref
    task: Ref
    owner: Ref | None = None
    due: Date | None = None
    done_on: Date | None = None
    REFERENCES = {"meeting": "meetings", "owner": "people"}


class Exemption(Fact):
    """A documented exception (waiver): rules that do not apply to a person, or to the cell, for a time.

    It never hides a finding: the gaps it covers are shown as exempted, with its reason and approver;
    after `expires` it no longer applies and the report says so."""

    KIND, KEY, LABEL = "exemptions", "ref", ("rules", "person", "reason")
    ref: Ref
    rules: Annotated[list[str], BeforeValidator(v.parse_list), AfterValidator(_nonempty)]
    person: Ref | None = None
    start: Date
    end: Date
    reason: Ref
    approved_by: Ref
    approved_on: Date | None = None
    expires: Date
    REFERENCES = {"person": "people"}

    @model_validator(mode="after")
    def _order(self) -> Exemption:
        if self.end < self.start:
            raise ValueError("[end] must not be before the start date")
        if self.expires < self.start:
            raise ValueError("[expires] must not be before the start date")
        return self


class Assignment(Fact):
    """Who in the cell answers for a rule or a plan section: the owner named beside its gaps."""

    KIND, LABEL = "assignments", ("scope", "person")
    scope: Ref
    person: Ref
    REFERENCES = {"person": "people"}


FACT_MODELS: dict[str, type[Fact]] = {
    m.KIND: m
    for m in (
        Person, Resolution, Briefing, HcmRegistration, HcmItem, Meeting, Inspection, Supervision,
        Violation, Misconduct, HouseholdTask, Movement, Rating, GoodTeacher, EmulationTitle,
        StudentFigures, Dropout, YouthAdmission, OnlineContest, UniversalEducation,
        OrganisationRating, SchoolTitle, MobilisationModel, QccmCheck, Disclosure, Document,
        HcmAward, Timesheet, Absence, GoodDeed, Decision, Exemption,
        Assignment,
    )
}

# The date that places a record in time: a rule judged as of D sees only records dated on or before D.
DATE_FIELDS: dict[str, str] = {
    "resolutions": "issued", "briefings": "date", "hcm_registrations": "registered", "hcm_items": "registered",
    "meetings": "date", "inspections": "date", "supervisions": "date", "violations": "date",
    "misconduct": "date", "movements": "date", "dropouts": "left_on", "youth_admissions": "date",
    "school_titles": "date", "mobilisation_models": "date", "qccm_checks": "date", "disclosures": "date",
    "documents": "date", "hcm_awards": "date", "timesheets": "week", "absences": "date",
    "good_deeds": "date",
}

# Fields that together may appear only once per kind (a second row would be counted twice).
UNIQUE_FIELDS: dict[str, tuple[str, ...]] = {
    "briefings": ("resolution", "person"), "hcm_registrations": ("person", "year"),
    "household_tasks": ("person", "task"), "ratings": ("person", "year"),
    "good_teachers": ("person", "school_year"), "student_figures": ("school_year", "grade"),
    "online_contests": ("school_year", "contest", "grade"), "universal_education": ("year",),
    "organisation_ratings": ("organisation", "year"), "timesheets": ("person", "week"),
    "emulation_titles": ("person", "year", "title"), "hcm_awards": ("date", "recipient", "idea"),
    "youth_admissions": ("date", "grade"), "school_titles": ("title", "year"),
    "assignments": ("scope",),
}

# Dates of a later event on a record (a visit, a handling): as of an earlier day it had not happened.
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "dropouts": ("visited_on",), "misconduct": ("handled_on",), "decisions": ("done_on",),
}
