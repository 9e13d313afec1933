"""Synthetic Party cells for the benchmark: realistic, deterministic by (seed, index), built in memory.

A default cell looks like the bundled example (cases/vbn1-2020): about 40 staff of whom about 15 are
party members, 52 weeks of timesheets for administrative staff and teaching periods for teachers,
12 monthly meetings, student figures for a few hundred students, and every other kind of fact the
plan's rules read. Each cell starts compliant and then receives a random sprinkling of gaps
(`GAPS`, each applied with probability `GAP_RATE`), so the engine and the oracle are compared on
passed rules, gaps and the odd missing file alike.

Cells are built as row dictionaries first (easy to perturb), then validated into the models of the
vbn1-2020 plan's schema (its kinds of facts, declared in rules/library/kinds and rules/vbn1-2020/kinds)
and wrapped in `chibo_rules.facts.case.Record`s exactly as the loader does, so `Case.facts()` sees what
it would see after `load_case`. The plan's year, holidays and weeks without teaching come from its
plan.yaml, as the rules read them. Nothing here imports from `tools/`: the example generator writes
fixed folders, while the benchmark needs thousands of varied cells streamed one at a time without
touching disk.

    python -m bench.generate --cells 3 --write /tmp/cells     # case folders in the documented CSV format
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

import chibo_rules.checks  # noqa: F401 - every check kind registered: the rule loader learns them there
from chibo_rules.errors import Where
from chibo_rules.facts.case import Case, Record
from chibo_rules.facts.schema import Schema
from chibo_rules.ruleset.rulespec import RuleSet, load_rules

D = dt.date.fromisoformat
ROOT = Path(__file__).resolve().parent.parent
PLAN_DIR = ROOT / "rules" / "vbn1-2020"
DEFAULT_STAFF = 40
GAP_RATE = 0.07


@functools.cache
def plan_rules() -> RuleSet:
    """The vbn1-2020 plan (loaded once per process): its years, settings and schema shape every cell."""
    return load_rules(PLAN_DIR)


def schema() -> Schema:
    return plan_rules().schema


_PLAN = plan_rules().plan
# the cells' dates below are written for the plan's single year
assert _PLAN.years == [2020], f"the generator writes 2020 dates; {PLAN_DIR.name} covers {_PLAN.years}"
PLAN_ID = _PLAN.id
PLAN_YEAR = _PLAN.year
AS_OF = _PLAN.end

# The calendar the plan's rules use (R41, R42), from its plan.yaml: the weeks whose Monday falls in the plan
# (52 in 2020), its public holidays (of both years: the last week ends on 03/01/2021, after the 1 January
# holiday), no teaching during Tết plus the COVID-19 closure and during the summer break.
_FIRST_MONDAY = _PLAN.start + dt.timedelta(days=-_PLAN.start.weekday() % 7)
MONDAYS = [_FIRST_MONDAY + dt.timedelta(weeks=w) for w in range((_PLAN.end - _FIRST_MONDAY).days // 7 + 1)]
HOLIDAYS = set(_PLAN.holidays())
NO_TEACHING = [(span["from"], span["to"]) for span in _PLAN.settings["no_teaching"]]
NORMS = {"teacher": 19, "principal": 2, "vice_principal": 4}
ADMIN_POSITIONS = ["clerk", "accountant", "librarian", "equipment", "medical"]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
          "Danh", "Thạch", "Lâm", "Châu", "Trương", "Quách", "Tô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng", "Quốc", "Kim", "Thu", "Hồng", "Mỹ", "Công"]
GIVEN = ["Hùng", "Hà", "Trang", "Tuấn", "Loan", "Bích", "Thành", "Thúy", "Phúc", "Nhung", "Khánh", "Phương",
         "Lợi", "Tú", "Phong", "Hân", "Trân", "Nghĩa", "Nhi", "Tùng", "Thảo", "Duy", "Hiếu", "Huyền", "Danh",
         "Anh", "Khoa", "Mai", "Toàn", "Nhiên", "Hạnh", "Ngân", "Út", "Dung", "Sang", "Mười"]

RESOLUTIONS = [  # (ref, level, issued, brief_by); briefings fall between issue and deadline
    ("NQ-DU-01", "commune", "2020-01-03", "2020-01-20"),
    ("NQ-CB-01", "cell", "2020-01-06", "2020-01-20"),
    ("NQ-CB-02", "cell", "2020-04-28", "2020-05-08"),
    ("NQ-DU-02", "commune", "2020-06-26", "2020-08-31"),
    ("NQ-DU-03", "commune", "2020-07-08", "2020-08-31"),
    ("NQ-CB-03", "cell", "2020-09-04", "2020-09-30"),
    ("NQ-HU-01", "higher", "2020-08-20", "2020-10-30"),
]
DOCUMENT_KINDS = ["cadre_source_plan", "staff_evaluation", "commendation", "staff_concerns",
                  "ideological_prevention", "anti_bureaucracy", "national_defence"]
SCHOOL_TITLES = [("emulation_rank", "Hạng 3 khối THCS huyện"), ("friendly_school", "Xuất sắc"),
                 ("safe_school", "excellent"), ("national_standard", "Duy trì chuẩn quốc gia mức độ 1"),
                 ("accreditation", "3")]
# kinds a cell may forget to hand in (the rules reading them then report "no data")
OPTIONAL_KINDS = ["household_tasks", "hcm_awards", "online_contests", "mobilisation_models", "qccm_checks"]

Rows = dict[str, list[dict[str, Any]]]


# ============================================================================================
# CALENDAR AND ROSTER
# ============================================================================================

def workdays(monday: dt.date) -> int:
    return sum(1 for i in range(5) if monday + dt.timedelta(days=i) not in HOLIDAYS)


def teaching_week(monday: dt.date) -> bool:
    return not any(start <= monday <= end for start, end in NO_TEACHING)


def day_in(rng: random.Random, first: str, last: str) -> dt.date:
    """A weekday between two dates (inclusive): cells record work on working days."""
    start, end = D(first), D(last)
    for _ in range(20):
        day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
        if day.weekday() < 5:
            return day
    return start


def cell_rng(seed: int, index: int) -> random.Random:
    """One generator per cell, seeded by text (not by hash()): the same cell on every run and process."""
    return random.Random(f"chibo-bench:{seed}:{index}")


def _roster_shape(staff: int) -> list[tuple[str, str]]:
    """(group, position) per person: proportions of the example school, scaled to `staff`."""
    vice = max(1, round(staff / 45))
    admin = max(3, round(staff * 0.15))
    support = max(1, round(staff * 0.05))
    teachers = max(1, staff - 1 - vice - admin - support - 1)
    shape = [("manager", "principal")] + [("manager", "vice_principal")] * vice
    shape += [("teacher", "teacher")] * teachers + [("teacher", "pioneer_leader")]
    shape += [("administrative", ADMIN_POSITIONS[i % len(ADMIN_POSITIONS)]) for i in range(admin)]
    shape += [("support", "security")] * support
    return shape


def roster(rng: random.Random, staff: int) -> list[dict[str, Any]]:
    """People with about 37 % party members, a three-person committee and one candidate per 40 staff."""
    width = max(2, len(str(staff)))
    people = []
    for n, (group, position) in enumerate(_roster_shape(staff), start=1):
        if group == "support":
            qualification = None
        elif group == "administrative":
            qualification = "above_standard" if rng.random() < 0.45 else "standard"
        else:
            qualification = "above_standard" if rng.random() < 0.9 else "standard"
        people.append({
            "ref": f"P{n:0{width}d}", "name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            "party_member": group == "manager" or position in ("pioneer_leader", "accountant"),
            "group": group, "position": position, "qualification": qualification,
            "committee_member": False, "candidate": False, "mentor": None, "reduction": 0,
            "reduction_reason": None,
        })
    teachers = [p for p in people if p["position"] == "teacher"]
    _assign_reductions(rng, teachers)
    wanted = round(len(people) * 0.37)
    others = [p for p in teachers if not p["party_member"]]
    rng.shuffle(others)
    for p in others[: max(0, wanted - sum(p["party_member"] for p in people))]:
        p["party_member"] = True
    secretary = next(p for p in teachers if p["party_member"]) if any(p["party_member"] for p in teachers) else None
    committee = [people[0], people[1]] + ([secretary] if secretary else [])
    for p in committee:
        p["committee_member"] = True
    if secretary:
        secretary["reduction"], secretary["reduction_reason"] = 3, "Bí thư chi bộ"
    outsiders = [p for p in teachers if not p["party_member"]]
    for p in rng.sample(outsiders, min(len(outsiders), max(1, staff // 40))):
        p["candidate"], p["mentor"] = True, rng.choice(committee)["ref"]
    return people


def _assign_reductions(rng: random.Random, teachers: list[dict[str, Any]]) -> None:
    """Homeroom teachers (4 periods off), group leaders (3) and deputies (1), as the norm allows."""
    order = teachers[:]
    rng.shuffle(order)
    homeroom = round(len(teachers) * 0.45)
    for i, p in enumerate(order):
        if i < homeroom:
            p["reduction"], p["reduction_reason"] = 4, f"Chủ nhiệm lớp {6 + i % 4}A{1 + i // 4}"
        elif i < homeroom + 3:
            p["reduction"], p["reduction_reason"] = 3, "Tổ trưởng chuyên môn"
        elif i < homeroom + 5:
            p["reduction"], p["reduction_reason"] = 1, "Tổ phó chuyên môn"


def members(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [p for p in people if p["party_member"]]


# ============================================================================================
# ONE KIND OF FACT EACH: a compliant year
# ============================================================================================

def resolutions_and_briefings(rng: random.Random, people: list[dict[str, Any]]) -> tuple[list, list]:
    res, brief = [], []
    for ref, level, issued, brief_by in RESOLUTIONS:
        res.append({"ref": ref, "title": f"Nghị quyết {ref} năm {PLAN_YEAR}", "level": level,
                    "issued": D(issued), "brief_by": D(brief_by)})
        day = day_in(rng, issued, brief_by)
        for p in people:
            if level == "higher" and not p["party_member"]:
                continue
            makeup = rng.random() < 0.04  # a make-up session, still before the deadline
            brief.append({"resolution": ref, "person": p["ref"],
                          "date": day_in(rng, day.isoformat(), brief_by) if makeup else day})
    return res, brief


def hcm(rng: random.Random, people: list[dict[str, Any]]) -> tuple[list, list]:
    regs, items = [], []
    for p in people:
        day = day_in(rng, "2020-01-06", "2020-01-31")
        items.append({"person": p["ref"], "item": f"Việc làm theo gương Bác của {p['position']}", "registered": day})
        if p["party_member"]:
            regs.append({"person": p["ref"], "year": PLAN_YEAR, "registered": day, "assessment": "good"})
            items.append({"person": p["ref"], "item": "Giữ gìn phẩm chất đạo đức, lối sống", "registered": day})
    return regs, items


def meetings(rng: random.Random, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    refs = [p["ref"] for p in members(people)]
    rows = []
    for month in range(1, 13):
        rows.append({"ref": f"SH-{PLAN_YEAR}-{month:02d}", "date": day_in(rng, f"2020-{month:02d}-02",
                                                                          f"2020-{month:02d}-08"),
                     "kind": "regular", "story": f"Chuyện kể về Bác số {rng.randint(1, 80)}",
                     "story_presenter": rng.choice(refs), "commended": rng.sample(refs, min(len(refs), 2))})
    for q in range(1, 5):
        rows.append({"ref": f"SHCD-{PLAN_YEAR}-Q{q}", "date": day_in(rng, f"2020-{3 * q:02d}-15",
                                                                     f"2020-{3 * q:02d}-25"), "kind": "thematic"})
    return sorted(rows, key=lambda r: r["date"])


def inspections_and_supervisions(rng: random.Random, people: list[dict[str, Any]]) -> tuple[list, list]:
    refs = [p["ref"] for p in members(people)]
    inspected = rng.sample(refs, min(len(refs), rng.randint(2, 3)))
    inspections = [{"ref": f"KT-{n:02d}", "kind": "compliance", "date": day_in(rng, "2020-03-01", "2020-11-30"),
                    "person": r, "topic": "Chấp hành Điều lệ Đảng"} for n, r in enumerate(inspected, start=1)]
    inspections.append({"ref": f"KT-{len(inspections) + 1:02d}", "kind": "thematic",
                        "date": day_in(rng, "2020-10-01", "2020-12-15"), "topic": "Quy định 47-QĐ/TW"})
    supervised = rng.sample(refs, min(len(refs), rng.randint(11, 13)))
    supervisions = [{"ref": f"GS-{n:02d}", "person": r, "date": day_in(rng, "2020-02-01", "2020-12-20"),
                     "topic": "Thực hiện nhiệm vụ đảng viên"} for n, r in enumerate(supervised, start=1)]
    return inspections, supervisions


def member_activities(rng: random.Random, people: list[dict[str, Any]]) -> Rows:
    """Household tasks, movements, ratings, titles and good-teacher entries of a year that meets the plan."""
    member_refs = [p["ref"] for p in members(people)]
    all_refs = [p["ref"] for p in people]
    tasks = [{"person": r, "task": t, "done": True} for r in member_refs for t in range(1, 16)]
    movements = []
    for n in range(rng.randint(4, 6)):
        day = day_in(rng, "2020-01-10", "2020-12-10")
        for r in sorted(set(rng.sample(all_refs, len(all_refs) // 3)) | set(member_refs[n::4])):
            movements.append({"person": r, "movement": f"Phong trào thi đua số {n + 1}", "date": day})
    rated = [p["ref"] for p in people if p["group"] in ("manager", "teacher", "administrative")]
    excellent = set(rng.sample(rated, max(5, round(len(rated) * rng.uniform(0.17, 0.26)))))
    ratings = [{"person": r, "year": PLAN_YEAR, "rating": "excellent" if r in excellent else "good"} for r in rated]
    titles = [{"person": r, "year": PLAN_YEAR, "title": "grassroots_emulation_soldier"} for r in sorted(excellent)]
    titles += [{"person": r, "year": PLAN_YEAR, "title": "advanced_worker"}
               for r in rated if r not in excellent and rng.random() < 0.55]
    teachers = [p["ref"] for p in people if p["position"] == "teacher"]
    entrants = rng.sample(teachers, min(len(teachers), rng.randint(12, 16)))
    losers = set(entrants[: 1 if rng.random() < 0.5 else 0])
    good = [{"person": r, "school_year": "2020-2021", "result": "not_won" if r in losers else "won"}
            for r in entrants]
    return {"household_tasks": tasks, "movements": movements, "ratings": ratings, "emulation_titles": titles,
            "good_teachers": good}


def student_figures(rng: random.Random, staff: int) -> list[dict[str, Any]]:
    """Four grades, two school years; about 12 students per staff member (a few hundred per school)."""
    rows = []
    per_grade = max(30, staff * 3)
    for grade in range(6, 10):
        enrolled = rng.randint(int(per_grade * 0.8), int(per_grade * 1.1))
        good = int(enrolled * rng.uniform(0.22, 0.28))
        fair = int(enrolled * rng.uniform(0.46, 0.52))
        weak = rng.randint(0, 2)
        drop = 1 if rng.random() < 0.3 else 0
        row = {"school_year": "2019-2020", "grade": grade, "enrolled": enrolled, "dropouts": drop, "good": good,
               "fair": fair, "average": enrolled - good - fair - weak, "weak": weak, "poor": 0}
        if grade == 9:
            row["graduation_candidates"] = row["graduated"] = enrolled - drop
        rows.append(row)
    for grade in range(6, 10):
        enrolled = rng.randint(int(per_grade * 0.8), int(per_grade * 1.1))
        row = {"school_year": "2020-2021", "grade": grade, "enrolled": enrolled, "attending": enrolled,
               "mobilisation_target": enrolled + rng.randint(0, 1), "health_insured": enrolled}
        if grade == 6:
            row["intake_eligible"] = row["intake_enrolled"] = enrolled
        rows.append(row)
    return rows


def mobilisation_models(rng: random.Random) -> list[dict[str, Any]]:
    """Both models the plan names at least once, plus a few more activities."""
    models = ["friendly_sharing_school", "charity_address"]
    models += rng.choices(models, k=rng.randint(1, 4))
    return [{"model": m, "date": day_in(rng, "2020-01-10", "2020-12-20"), "activity": f"Hoạt động {n}"}
            for n, m in enumerate(models, start=1)]


def dropouts(rng: random.Random) -> list[dict[str, Any]]:
    """Up to two students left school; each family was visited two days later."""
    rows = []
    for n in range(1, rng.randint(0, 2) + 1):
        left = day_in(rng, "2020-02-01", "2020-11-30")
        grade = rng.randint(6, 9)
        rows.append({"ref": f"BH-{n:02d}", "student": f"Học sinh {n} (lớp {grade}A1)", "grade": grade,
                     "left_on": left, "visited_on": left + dt.timedelta(days=2), "returned": False})
    return rows


def school_records(rng: random.Random) -> Rows:
    """School-level records: admissions, contests, titles, models, checks, disclosures, documents."""
    cohort = rng.randint(600, 700)
    disclosures = [{"kind": k, "date": day_in(rng, f"2020-{3 * q - 1:02d}-01", f"2020-{3 * q:02d}-28"),
                    "place": "Phòng họp"} for k in ("cadre_source", "finance", "procurement") for q in range(1, 5)]
    return {
        "dropouts": dropouts(rng),
        "youth_admissions": [{"date": D("2020-01-09"), "grade": 9, "admitted": rng.randint(40, 48)},
                             {"date": D("2020-05-19"), "grade": 9, "admitted": rng.randint(40, 48)}],
        "online_contests": [{"school_year": "2019-2020", "contest": c, "grade": g, "participants": rng.randint(20, 45)}
                            for c in ("violympic_math", "ioe_english") for g in range(6, 10)],
        "universal_education": [{"year": PLAN_YEAR, "cohort_15_18": cohort,
                                 "completed": int(cohort * rng.uniform(0.955, 0.985))}],
        "organisation_ratings": [{"organisation": o, "year": PLAN_YEAR, "rating": rng.choice(["strong", "excellent"])}
                                 for o in ("trade_union", "youth_union", "pioneer_team")],
        "school_titles": [{"title": t, "year": PLAN_YEAR, "result": r, "date": day_in(rng, "2020-08-01", "2020-11-30")}
                          for t, r in SCHOOL_TITLES],
        "mobilisation_models": mobilisation_models(rng),
        "qccm_checks": [{"date": day_in(rng, f"2020-{m:02d}-10", f"2020-{m:02d}-27"), "scope": "Kiểm tra QCCM",
                         "result": "Đạt"} for m in range(1, 13)],
        "disclosures": disclosures,
        "documents": [{"kind": k, "date": day_in(rng, "2020-02-01", "2020-12-20"), "title": f"Văn bản {k}"}
                      for k in DOCUMENT_KINDS],
        "hcm_awards": [{"date": D("2020-12-18"), "recipient": f"Tập thể {n}", "idea": f"Sáng kiến {n}"}
                       for n in range(1, rng.randint(2, 4))],
    }


def timesheets(rng: random.Random, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Hours every week for administrative staff; periods in teaching weeks for teachers and managers."""
    rows = []
    for p in people:
        for monday in MONDAYS:
            if p["group"] == "administrative":
                rows.append({"person": p["ref"], "week": monday,
                             "hours": float(8 * workdays(monday) + rng.choice((0, 0, 0, 1, 2)))})
            elif p["position"] in NORMS and teaching_week(monday):
                periods = NORMS[p["position"]] - p["reduction"] + rng.choice((0, 0, 0, 1, 2))
                rows.append({"person": p["ref"], "week": monday, "periods": periods})
            elif p["position"] == "pioneer_leader" and teaching_week(monday):
                rows.append({"person": p["ref"], "week": monday, "periods": 2})
    return rows


def absences(rng: random.Random, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = [{"person": rng.choice(people)["ref"], "date": day_in(rng, "2020-01-06", "2020-12-24"), "kind": "absent",
             "reason": "Nghỉ ốm, có giấy xác nhận"} for _ in range(rng.randint(2, 3 + len(people) // 8))]
    unique = {(r["person"], r["date"]): r for r in rows}  # one absence per person and day
    return sorted(unique.values(), key=lambda r: r["date"])


def misconduct(rng: random.Random, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One cell in five had a minor case of misconduct, handled within two weeks."""
    if rng.random() >= 0.2:
        return []
    day = day_in(rng, "2020-03-01", "2020-09-30")
    return [{"ref": "VP-01", "person": rng.choice(people)["ref"], "date": day, "description": "Đi trễ nhiều lần",
             "status": "handled", "handled_on": day + dt.timedelta(days=14)}]


def compliant_rows(rng: random.Random, people: list[dict[str, Any]], staff: int) -> Rows:
    res, brief = resolutions_and_briefings(rng, people)
    regs, items = hcm(rng, people)
    inspections, supervisions = inspections_and_supervisions(rng, people)
    rows: Rows = {"people": people, "resolutions": res, "briefings": brief, "hcm_registrations": regs,
                  "hcm_items": items, "meetings": meetings(rng, people), "inspections": inspections,
                  "supervisions": supervisions, "student_figures": student_figures(rng, staff),
                  "timesheets": timesheets(rng, people), "absences": absences(rng, people)}
    rows.update(member_activities(rng, people))
    rows.update(school_records(rng))
    rows["violations"], rows["misconduct"] = [], misconduct(rng, people)
    # every kind generated is a kind the plan knows; a kind added to the plan since (and not yet
    # generated here) is simply not provided, as a cell without that file would be
    assert set(rows) <= set(schema().models), set(rows) - set(schema().models)
    return rows


# ============================================================================================
# GAPS: each a small, realistic lapse that one rule (sometimes two) reports
# ============================================================================================

Gap = Callable[[random.Random, Rows], None]


def _pick(rng: random.Random, rows: list[dict[str, Any]], test: Callable[[dict[str, Any]], bool]) -> dict | None:
    found = [r for r in rows if test(r)]
    return rng.choice(found) if found else None


def _member_refs(rows: Rows) -> list[str]:
    return [p["ref"] for p in rows["people"] if p["party_member"]]


def gap_missed_briefing(rng: random.Random, rows: Rows) -> None:
    """R01: one person never attended the briefing of a commune or cell resolution."""
    victim = _pick(rng, rows["briefings"], lambda b: not b["resolution"].startswith("NQ-HU"))
    rows["briefings"] = [b for b in rows["briefings"] if b is not victim]


def gap_late_briefing(rng: random.Random, rows: Rows) -> None:
    """R01: a make-up briefing after the deadline."""
    deadline = {r["ref"]: r["brief_by"] for r in rows["resolutions"]}
    b = _pick(rng, rows["briefings"], lambda b: b["resolution"] in ("NQ-CB-02", "NQ-CB-03"))
    if b:
        b["date"] = deadline[b["resolution"]] + dt.timedelta(days=rng.randint(1, 10))


def gap_hcm_assessment(rng: random.Random, rows: Rows) -> None:
    """R02: a member's HCM self-assessment is only 'fair'."""
    r = _pick(rng, rows["hcm_registrations"], lambda r: True)
    if r:
        r["assessment"] = "fair"


def gap_missing_hcm_item(rng: random.Random, rows: Rows) -> None:
    """R03: a person registered no HCM item."""
    who = rng.choice(rows["people"])["ref"]
    rows["hcm_items"] = [i for i in rows["hcm_items"] if i["person"] != who]


def gap_meeting_without_story(rng: random.Random, rows: Rows) -> None:
    """R04: a monthly meeting without the Uncle Ho story."""
    m = _pick(rng, rows["meetings"], lambda m: m["kind"] == "regular")
    m["story"] = m["story_presenter"] = None


def gap_below_standard(rng: random.Random, rows: Rows) -> None:
    """R05 (and R06): a teacher below the qualification standard."""
    p = _pick(rng, rows["people"], lambda p: p["group"] == "teacher")
    p["qualification"] = "below_standard"


def gap_mentor_not_committee(rng: random.Random, rows: Rows) -> None:
    """R08: the candidate's mentor is not on the committee."""
    ordinary = [p["ref"] for p in rows["people"] if p["party_member"] and not p["committee_member"]]
    for p in rows["people"]:
        if p["candidate"] and ordinary:
            p["mentor"] = rng.choice(ordinary)


def gap_weak_organisation(rng: random.Random, rows: Rows) -> None:
    """R09: one mass organisation rated only 'fair'."""
    rng.choice(rows["organisation_ratings"])["rating"] = "fair"


def gap_few_inspections(rng: random.Random, rows: Rows) -> None:
    """R12: only one member inspected for compliance."""
    compliance = [i for i in rows["inspections"] if i["kind"] == "compliance"]
    rows["inspections"] = [i for i in rows["inspections"] if i not in compliance[1:]]


def gap_few_supervisions(rng: random.Random, rows: Rows) -> None:
    """R14: two planned supervisions were not carried out."""
    rows["supervisions"] = rows["supervisions"][: max(0, min(9, len(rows["supervisions"]) - 2))]


def gap_charter_violation(rng: random.Random, rows: Rows) -> None:
    """R15: a member broke the Party charter."""
    rows["violations"].append({"ref": "VI-01", "person": rng.choice(_member_refs(rows)),
                               "date": day_in(rng, "2020-02-01", "2020-11-30"),
                               "description": "Vi phạm quy định về những điều đảng viên không được làm",
                               "charter": True})


def gap_household_task(rng: random.Random, rows: Rows) -> None:
    """R16: a member left one household task undone."""
    t = _pick(rng, rows["household_tasks"], lambda t: True)
    if t:
        t["done"] = False


def gap_uninsured(rng: random.Random, rows: Rows) -> None:
    """R17: some students without health insurance."""
    f = _pick(rng, rows["student_figures"], lambda f: f["school_year"] == "2020-2021")
    f["health_insured"] -= rng.randint(1, 5)


def gap_low_attendance(rng: random.Random, rows: Rows) -> None:
    """R19: attendance below 98 % of the mobilisation target."""
    for f in rows["student_figures"]:
        if f["school_year"] == "2020-2021":
            f["attending"] = int(f["mobilisation_target"] * 0.95)


def gap_dropout_not_visited(rng: random.Random, rows: Rows) -> None:
    """R20: a dropout whose family nobody visited."""
    rows["dropouts"].append({"ref": "BH-99", "student": "Học sinh bỏ học (lớp 8A2)", "grade": 8,
                             "left_on": day_in(rng, "2020-09-15", "2020-11-30"), "returned": False})


def gap_member_without_movement(rng: random.Random, rows: Rows) -> None:
    """R22: a member who joined no movement."""
    who = rng.choice(_member_refs(rows))
    rows["movements"] = [m for m in rows["movements"] if m["person"] != who]


def gap_rating_completed(rng: random.Random, rows: Rows) -> None:
    """R23: someone rated only 'completed'."""
    r = _pick(rng, rows["ratings"], lambda r: r["rating"] == "good")
    if r:
        r["rating"] = "completed"


def gap_few_excellent(rng: random.Random, rows: Rows) -> None:
    """R24 (and R26): too few 'excellent' ratings."""
    excellent = [r for r in rows["ratings"] if r["rating"] == "excellent"]
    for r in excellent[max(1, len(rows["ratings"]) // 10):]:
        r["rating"] = "good"
    kept = {r["person"] for r in rows["ratings"] if r["rating"] == "excellent"}
    rows["emulation_titles"] = [t for t in rows["emulation_titles"]
                                if t["title"] != "grassroots_emulation_soldier" or t["person"] in kept]


def gap_good_teachers_failed(rng: random.Random, rows: Rows) -> None:
    """R25: several entrants failed the good-teacher contest."""
    for g in rows["good_teachers"][:3]:
        g["result"] = "not_won"


def gap_weak_results(rng: random.Random, rows: Rows) -> None:
    """R28: good students below 20 % (moved to 'fair')."""
    for f in rows["student_figures"]:
        if f["school_year"] == "2019-2020":
            moved = f["good"] - int(f["enrolled"] * 0.17)
            f["good"], f["fair"] = f["good"] - moved, f["fair"] + moved


def gap_graduation_short(rng: random.Random, rows: Rows) -> None:
    """R30: one grade-9 candidate did not graduate."""
    for f in rows["student_figures"]:
        if f.get("graduated"):
            f["graduated"] -= 1


def gap_contest_zero(rng: random.Random, rows: Rows) -> None:
    """R31: no participant of one grade in one online contest."""
    rng.choice(rows["online_contests"])["participants"] = 0


def gap_universal_short(rng: random.Random, rows: Rows) -> None:
    """R32: universal-education completion below 95 %."""
    u = rows["universal_education"][0]
    u["completed"] = int(u["cohort_15_18"] * 0.93)


def gap_safe_school_good(rng: random.Random, rows: Rows) -> None:
    """R34: the safe-school title only at 'good'."""
    for t in rows["school_titles"]:
        if t["title"] == "safe_school":
            t["result"] = "good"


def gap_missing_qccm(rng: random.Random, rows: Rows) -> None:
    """R38: no QCCM check in one month."""
    rows["qccm_checks"].pop(rng.randrange(len(rows["qccm_checks"])))


def gap_missing_disclosure(rng: random.Random, rows: Rows) -> None:
    """R39: one quarterly disclosure not made."""
    rows["disclosures"].pop(rng.randrange(len(rows["disclosures"])))


def gap_open_misconduct(rng: random.Random, rows: Rows) -> None:
    """R40: misconduct still open at year end."""
    rows["misconduct"].append({"ref": "VP-99", "person": rng.choice(rows["people"])["ref"],
                               "date": day_in(rng, "2020-10-01", "2020-12-15"),
                               "description": "Chưa thực hiện đúng quy chế chuyên môn", "status": "open"})


def gap_short_hours(rng: random.Random, rows: Rows) -> None:
    """R41: an administrative week under the required hours."""
    t = _pick(rng, rows["timesheets"], lambda t: "hours" in t)
    if t:
        t["hours"] = float(max(0, 8 * workdays(t["week"]) - rng.choice((2, 4, 8, 20))))


def gap_missing_timesheet(rng: random.Random, rows: Rows) -> None:
    """R41 or R42: a week with no timesheet at all."""
    victim = rng.choice(rows["timesheets"])
    rows["timesheets"] = [t for t in rows["timesheets"] if t is not victim]


def gap_short_periods(rng: random.Random, rows: Rows) -> None:
    """R42: a teacher under the teaching norm in one week."""
    t = _pick(rng, rows["timesheets"], lambda t: t.get("periods", 0) > 3)
    if t:
        t["periods"] -= 3 + max(0, t["periods"] - 17)


def gap_late_arrival(rng: random.Random, rows: Rows) -> None:
    """R43: a late arrival (always flagged, reason or not)."""
    rows["absences"].append({"person": rng.choice(rows["people"])["ref"], "date": D("2020-10-12"), "kind": "late",
                             "reason": "Đường ngập sau mưa lớn"})


def gap_no_award(rng: random.Random, rows: Rows) -> None:
    """R44: no HCM award this year."""
    rows["hcm_awards"] = []


GAPS: dict[str, Gap] = {name.removeprefix("gap_"): fn for name, fn in list(globals().items())
                        if name.startswith("gap_") and callable(fn)}


def sprinkle_gaps(rng: random.Random, rows: Rows) -> list[str]:
    """Apply each gap with probability GAP_RATE; sometimes leave out a whole file (rules: no data)."""
    applied = []
    for name, gap in GAPS.items():
        if rng.random() < GAP_RATE:
            gap(rng, rows)
            applied.append(name)
    if rng.random() < 0.04:
        kind = rng.choice(OPTIONAL_KINDS)
        del rows[kind]
        applied.append(f"missing_file:{kind}")
    return applied


# ============================================================================================
# CELLS
# ============================================================================================

def generate_rows(seed: int, index: int, staff: int = DEFAULT_STAFF, gaps: bool = True) -> tuple[Rows, list[str]]:
    """The row dictionaries of one cell and the names of the gaps it received (none with gaps=False:
    the compliant year the gaps are sprinkled on, which every measurable rule passes)."""
    rng = cell_rng(seed, index)
    people = roster(rng, staff)
    rows = compliant_rows(rng, people, staff)
    return rows, sprinkle_gaps(rng, rows) if gaps else []


def cell_info(seed: int, index: int, secretary: str | None = None) -> dict[str, Any]:
    """The cell's own fields (cell.yaml), naming the plan that judges it."""
    return {"name": f"Chi bộ trường THCS số {index + 1}", "party_committee": "Đảng bộ xã thử nghiệm",
            "plan": PLAN_ID, "plan_year": PLAN_YEAR, "unit": f"Trường THCS số {index + 1} (bộ thử {seed})",
            "secretary": secretary}


def to_case(seed: int, index: int, rows: Rows) -> Case:
    """Rows as the plan's models, wrapped as the loader does (keys, lines, files, the plan's period).

    Always validated: a value the loader would refuse must not reach the evaluators (it caught
    negative hours in a holiday week once), and `model_construct` measured no faster here."""
    ruleset = plan_rules()
    models = ruleset.schema.models
    records: dict[str, list[Record]] = {}
    for kind, kind_rows in rows.items():
        model = models[kind]
        where = Where(f"{kind}.csv")
        out = []
        for line, row in enumerate(kind_rows, start=2):
            fact = model.model_validate({k: v for k, v in row.items() if v is not None})
            key = str(getattr(fact, model.KEY)) if model.KEY else f"{kind}:{line}"
            out.append(Record(kind, key, where.file, line, fact, where))
        records[kind] = out
    secretary = next((p["ref"] for p in rows["people"] if p["committee_member"] and p["group"] == "teacher"), None)
    info = cell_info(seed, index, secretary)
    cell = ruleset.schema.cell_model.model_validate({k: v for k, v in info.items() if v is not None})
    return Case(Path(f"synthetic-{seed}-{index}"), cell, records, ruleset.schema, ruleset.plan.start,
                ruleset.plan.end)


def generate_cell(seed: int, index: int, staff: int = DEFAULT_STAFF) -> Case:
    """Cell `index` of the set `seed`: the same Case on every call, in every process."""
    rows, _ = generate_rows(seed, index, staff)
    return to_case(seed, index, rows)


def iter_cells(count: int, seed: int, staff: int = DEFAULT_STAFF, start: int = 0) -> Iterator[Case]:
    """Cells start..start+count-1, built one at a time so a run over 10,000 cells holds one in memory."""
    for index in range(start, start + count):
        yield generate_cell(seed, index, staff)


def fact_count(case: Case) -> int:
    """Records of the cell, which is also the number of engine facts it yields as of the year end."""
    return sum(len(records) for records in case.records.values())


def staff_for_facts(target: int, seed: int = 0) -> int:
    """Staff size whose cell has about `target` facts: fact counts grow linearly with the roster."""
    small, large = 20, 200
    f_small = fact_count(generate_cell(seed, 0, small))
    f_large = fact_count(generate_cell(seed, 0, large))
    per_person = (f_large - f_small) / (large - small)
    return max(5, round(small + (target - f_small) / per_person))


# ============================================================================================
# WRITING CASE FOLDERS (docs/case-format.md)
# ============================================================================================

def cell_text(value: Any) -> str:
    """A value as a secretary would type it: ISO dates, true/false, ';'-separated lists, plain numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def write_case(case: Case, folder: Path) -> None:
    """cell.yaml plus one CSV per provided kind, columns in the order the kind declares its fields; an
    absent kind gets no file."""
    folder.mkdir(parents=True, exist_ok=True)
    cell = case.cell.model_dump(exclude_none=True)
    (folder / "cell.yaml").write_text(yaml.safe_dump(cell, allow_unicode=True, sort_keys=False), encoding="utf-8")
    models = (case.schema or schema()).models
    for kind, records in case.records.items():
        fields = list(models[kind].model_fields)
        with (folder / f"{kind}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(fields)
            for record in records:
                writer.writerow([cell_text(getattr(record.fact, name)) for name in fields])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", type=int, default=1, help="number of cells (default 1)")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--staff", type=int, default=DEFAULT_STAFF, help="people per cell (default 40)")
    parser.add_argument("--write", type=Path, required=True, metavar="DIR", help="write DIR/cell-00000/ … folders")
    args = parser.parse_args(argv)
    for index in range(args.cells):
        rows, gaps = generate_rows(args.seed, index, args.staff)
        case = to_case(args.seed, index, rows)
        folder = args.write / f"cell-{index:05d}"
        write_case(case, folder)
        print(f"{folder}: {fact_count(case)} records, gaps: {', '.join(gaps) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
