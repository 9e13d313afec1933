"""How a review scores a plan's requirements and which rating it proposes: plan data, never Python constants.

A plan folder may hold `scoring.yaml` (points per section or rule, how a requirement not met scores, the
margin that counts as exceeded, the rules whose gap means someone was disciplined). Without one, the library's
default (rules/library/review/scoring.yaml) applies and the review says so. The rating levels and their
thresholds (Quy định 366-QĐ/TW, art. 11) are the library's rules/library/review/rating.yaml. Both name only
rule ids and plan sections, never a kind of fact or a field (docs/review.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import safeyaml
from ..errors import InputError, Problem
from ..facts.declarations import read_yaml_file
from .rulespec import Text2, bundled_rules_root, section_key

SCORING_FILE, RATING_FILE = "scoring.yaml", "rating.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scoring(_Strict):
    """scoring.yaml: how requirements turn into points, what counts as exceeded and as disciplined."""

    total: float = Field(100, gt=0)
    partial: Literal["none", "proportional"] = "none"
    exceeded_margin: float = Field(10, ge=0)
    disciplined: list[str] = []
    points: dict[str, float] = {}


class Level(_Strict):
    """One rating level and the conditions it asks for (an absent condition is not asked)."""

    level: str
    label: Text2
    min_points: float | None = None
    min_done_share: float | None = None
    min_on_time_share: float | None = None
    min_exceeded_share: float | None = None
    max_late_share: float | None = None
    no_discipline: bool = False


class Rating(_Strict):
    source: str = ""
    levels: list[Level] = Field(min_length=1)


@dataclass(frozen=True)
class ScoringPlan:
    """The scoring a review applies: where it was read from and whether it is the library's default."""

    scoring: Scoring
    path: Path
    default: bool


def library_review_folder() -> Path:
    return bundled_rules_root() / "library" / "review"


def _read(path: Path, model: type[BaseModel]) -> BaseModel:
    data, node = read_yaml_file(path)
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise InputError([
            Problem(str(path), safeyaml.line_of(node, tuple(str(p) for p in err["loc"])),
                    ".".join(str(p) for p in err["loc"]) or None, "scoring", err["msg"].removeprefix("Value error, "))
            for err in exc.errors()
        ]) from None


def load_scoring(plan_folder: Path | None, rule_ids: list[str], sections: list[str]) -> ScoringPlan:
    """The plan's scoring.yaml, or the library's default; a point given to a section or rule the plan does not
    have, or more points than the total, is refused with the file and key."""
    own = plan_folder / SCORING_FILE if plan_folder is not None else None
    path = own if own is not None and own.is_file() else library_review_folder() / SCORING_FILE
    scoring = _read(path, Scoring)
    assert isinstance(scoring, Scoring)
    problems = [Problem(str(path), None, f"points.{key}", "scoring", f"no section or rule {key} in the plan")
                for key in scoring.points if key not in rule_ids and key not in sections]
    problems += [Problem(str(path), None, "disciplined", "scoring", f"no rule {key} in the plan")
                 for key in scoring.disciplined if key not in rule_ids]
    if sum(v for k, v in scoring.points.items() if k in sections) > scoring.total:
        problems.append(Problem(str(path), None, "points", "scoring", f"more than the total {scoring.total:g}"))
    if problems:
        raise InputError(problems)
    return ScoringPlan(scoring, path, path != own)


def load_rating() -> Rating:
    rating = _read(library_review_folder() / RATING_FILE, Rating)
    assert isinstance(rating, Rating)
    return rating


def spread_points(scoring: Scoring, by_section: dict[str, list[str]]) -> dict[str, Fraction]:
    """Points per scored rule: a section's own points (or an equal share of what the sections without points of
    their own leave of the total), spread equally over its rules without points of their own."""
    own = {s: Fraction(str(scoring.points[s])) for s in by_section if s in scoring.points}
    rest = [s for s in by_section if s not in own]
    left = Fraction(str(scoring.total)) - sum(own.values(), Fraction(0))
    budget = {**own, **{s: left / len(rest) for s in rest}} if rest else own
    out: dict[str, Fraction] = {}
    for section in sorted(by_section, key=section_key):
        ids = by_section[section]
        fixed = {r: Fraction(str(scoring.points[r])) for r in ids if r in scoring.points}
        others = [r for r in ids if r not in fixed]
        share = (budget[section] - sum(fixed.values(), Fraction(0))) / len(others) if others else Fraction(0)
        out.update(fixed)
        out.update({r: max(share, Fraction(0)) for r in others})
    return out


COMMITTEE_FILE = "committee.yaml"


class Committee(_Strict):
    """committee.yaml, beside the cells a committee reviews: at most `max_share` percent of them proposed at
    `level` (e.g. excellent); the roll-up warns when proposals exceed it. Other keys are other commands' (kept)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    class Cap(_Strict):
        level: str
        max_share: float = Field(ge=0, le=100)

    review_cap: Cap | None = None


def load_committee(folder: Path, levels: list[str]) -> tuple[Committee, Path] | None:
    """The committee's settings in a folder of cells, or None when it holds no committee.yaml."""
    path = folder / COMMITTEE_FILE
    if not folder.is_dir() or not path.is_file():
        return None
    committee = _read(path, Committee)
    assert isinstance(committee, Committee)
    if committee.review_cap is not None and committee.review_cap.level not in levels:
        raise InputError([Problem(str(path), None, "review_cap.level", "scoring",
                                  f"no level {committee.review_cap.level} ({', '.join(levels)})")])
    return committee, path
