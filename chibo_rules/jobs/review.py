"""The year-end (or quarterly) review: the plan judged at the review date, scored, and a rating proposed.

Built on run_check: the plan's requirements judged at 31/12 of the year (or the quarter's end, with the audit's
pace for counts due later), and again at each earlier due date, for the requirements due then, to learn which
were done on time (records dated after a due date do not count at it). Points, partial results, the margin that
counts as exceeded and where "disciplined" is read from are the plan's scoring data (ruleset/scoring.py); the
levels and thresholds are the library's rating data. `rate` is a pure function of the terms and the levels, so
every boundary is tested without a case. The result is a proposal: the committee above decides.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..facts.case import Case
from ..judge.findings import OPEN, Finding
from ..quarters import quarter_end
from ..ruleset.prepare import Prepared
from ..ruleset.rulespec import RuleSet
from ..ruleset.scoring import Level, Rating, ScoringPlan, spread_points
from .check import Evaluator, Report, run_check

DONE = ("passed", "exempted", "on_pace")
HUNDRED = Fraction(100)


def review_date(year: int, quarter: int | None = None) -> dt.date:
    """31/12 of the year, or the quarter's last day."""
    return quarter_end(year, f"Q{quarter}") if quarter else dt.date(year, 12, 31)


@dataclass
class RuleScore:
    """One scored requirement: its points, what it earned and why, and the terms it adds to."""

    p: Prepared
    finding: Finding
    points: Fraction
    earned: Fraction = Fraction(0)
    counted: bool = True  # False: not yet due at the review date (its points are left out of the total)
    done: bool = False
    on_time: bool = False
    late: bool = False
    exceeded: bool = False
    measured: Fraction | None = None
    target: Fraction | None = None
    due_checked: dt.date | None = None  # the earlier due date it was judged at, for "on time"


@dataclass
class Terms:
    """Every term of the proposal's computation, as shown line by line."""

    earned: Fraction
    available: Fraction
    total: Fraction
    counted: int
    done: int
    on_time: int
    late: int
    exceeded: int
    not_due: int
    no_data: int
    disciplined: bool | None

    @property
    def points(self) -> Fraction:
        return self.earned / self.available * self.total if self.available else Fraction(0)

    def share(self, n: int) -> Fraction:
        return Fraction(n) / self.counted * HUNDRED if self.counted else Fraction(0)


@dataclass
class Condition:
    name: str  # min_points, min_done_share, min_on_time_share, min_exceeded_share, max_late_share, no_discipline
    wanted: float | bool
    actual: Fraction | bool | None
    met: bool


@dataclass
class Proposal:
    level: Level
    # every level tried, best first, down to the one proposed, with each of its conditions
    tried: list[tuple[Level, list[Condition]]] = field(default_factory=list)


def conditions(level: Level, terms: Terms) -> list[Condition]:
    """A level's conditions against the terms; a condition the level does not ask is not listed."""
    out: list[Condition] = []
    checks = (("min_points", terms.points, 1), ("min_done_share", terms.share(terms.done), 1),
              ("min_on_time_share", terms.share(terms.on_time), 1),
              ("min_exceeded_share", terms.share(terms.exceeded), 1), ("max_late_share", terms.share(terms.late), -1))
    for name, actual, sign in checks:
        wanted = getattr(level, name)
        if wanted is None:
            continue
        bound = Fraction(str(wanted))
        out.append(Condition(name, wanted, actual, actual >= bound if sign > 0 else actual <= bound))
    if level.no_discipline:
        out.append(Condition("no_discipline", True, terms.disciplined, terms.disciplined is False))
    return out


def rate(terms: Terms, rating: Rating) -> Proposal:
    """The first level, best first, whose every condition holds; the last level when none does."""
    tried: list[tuple[Level, list[Condition]]] = []
    for level in rating.levels:
        found = conditions(level, terms)
        tried.append((level, found))
        if all(c.met for c in found):
            return Proposal(level, tried)
    return Proposal(rating.levels[-1], tried)


@dataclass
class ReviewReport:
    report: Report
    year: int
    quarter: int | None
    scoring: ScoringPlan
    rating: Rating
    scores: list[RuleScore]
    terms: Terms
    proposal: Proposal | None  # None: no requirement could be counted (nothing to rate, never a pass)
    # last year's shortcomings and what became of them, from the store (filled in by the command); None: no store
    remedy: Any = None

    @property
    def has_gaps(self) -> bool:
        return any(f.status in OPEN for _, f in self.report.results)


def _number(value: Any) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return Fraction(str(value))


def measured_and_target(f: Finding) -> tuple[Fraction | None, Fraction | None, str | None]:
    """A count's value or a ratio's percent against its target and operator (None when not a number). A count or
    ratio judged once per period (`per`) is measured by its latest period: the year (or school year) reviewed."""
    observed = f.observed
    periods = [v for v in (observed.get("periods") or {}).values() if isinstance(v, dict)]
    if periods:
        observed = periods[-1]
    measured = _number(observed.get("percent", observed.get("value")))
    return measured, _number(f.target.get("value")), f.target.get("op")


def exceeds(measured: Fraction, target: Fraction, op: str | None, margin: Fraction) -> bool:
    """Beyond the target by the margin (percent of the target): above it for a floor, below it for a cap."""
    if op in ("gte", "gt"):
        return target > 0 and measured >= target * (1 + margin / HUNDRED)
    if op in ("lte", "lt"):
        return measured <= target * (1 - margin / HUNDRED)
    return False


def score_rule(p: Prepared, f: Finding, points: Fraction, scoring: ScoringPlan, on_time_at_due: bool | None,
               due: dt.date | None) -> RuleScore:
    """One requirement scored: a requirement done earns its points; one not met earns nothing, or with
    `partial: proportional` its measured share of the target; no data claims nothing; not due is not counted."""
    s = RuleScore(p, f, points, due_checked=due)
    s.measured, s.target, op = measured_and_target(f)
    if f.status == "not_due":
        s.counted = False
        return s
    s.done = f.status in DONE
    if s.done:
        s.earned = points
        s.on_time = on_time_at_due is not False
        s.late = not s.on_time
        if s.measured is not None and s.target is not None:
            s.exceeded = exceeds(s.measured, s.target, op, Fraction(str(scoring.scoring.exceeded_margin)))
        return s
    s.late = f.status == "behind_pace"
    if (scoring.scoring.partial == "proportional" and f.status == "gap" and op in ("gte", "gt")
            and s.measured is not None and s.target):
        s.earned = points * min(Fraction(1), max(Fraction(0), s.measured / s.target))
    return s


def disciplined(report: Report, rule_ids: list[str]) -> bool | None:
    """True when a rule the scoring names for discipline is open, False when all of them passed, None when
    none is declared or one could not be judged (no data, not due): never assumed."""
    if not rule_ids:
        return None
    found = {p.id: f.status for p, f in report.results if p.id in rule_ids}
    if any(found.get(r) in OPEN for r in rule_ids):
        return True
    if all(found.get(r) in ("passed", "exempted") for r in rule_ids):
        return False
    return None


def scored(prepared: list[Prepared]) -> list[Prepared]:
    """The requirements a review scores: every check-job rule but the advisory ones (nothing to measure)."""
    return [p for p in prepared if p.kind != "advisory" and p.rule.job == "check"]


def by_section(prepared: list[Prepared]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for p in scored(prepared):
        out[p.rule.section].append(p.id)
    return dict(out)


def on_time_at_due(case: Case, ruleset: RuleSet, prepared: list[Prepared], report: Report,
                   evaluator: Evaluator) -> dict[str, tuple[dt.date, bool]]:
    """Per requirement done at the review date but due earlier: its due date and whether it was already done then,
    judged from the records dated up to that day (one run per due date, for the requirements due on it)."""
    wanted: dict[dt.date, list[str]] = defaultdict(list)
    ids_scored = {p.id for p in scored(prepared)}
    for p, f in report.results:
        if f.status in DONE and p.due_date is not None and p.due_date < report.as_of and p.id in ids_scored:
            wanted[p.due_date].append(p.id)
    out: dict[str, tuple[dt.date, bool]] = {}
    for day, ids in sorted(wanted.items()):
        then = run_check(case, ruleset, prepared, day, evaluator, ids)
        out.update({p.id: (day, f.status in ("passed", "exempted")) for p, f in then.results})
    return out


def run_review(case: Case, ruleset: RuleSet, prepared: list[Prepared], as_of: dt.date, year: int,
               quarter: int | None, scoring: ScoringPlan, rating: Rating,
               evaluator: Evaluator = "engine") -> ReviewReport:
    """The review at `as_of`: the plan judged (with pace in a quarterly review), each requirement scored, the
    terms summed and a level proposed."""
    report = run_check(case, ruleset, prepared, as_of, evaluator, pace=quarter is not None)
    points = spread_points(scoring.scoring, by_section(prepared))
    timely = on_time_at_due(case, ruleset, prepared, report, evaluator)
    scores = []
    for p, f in report.results:
        if p.id not in points:
            continue
        due, ok = timely.get(p.id, (None, None))
        scores.append(score_rule(p, f, points[p.id], scoring, ok, due))
    counted = [s for s in scores if s.counted]
    terms = Terms(
        earned=sum((s.earned for s in counted), Fraction(0)), available=sum((s.points for s in counted), Fraction(0)),
        total=Fraction(str(scoring.scoring.total)), counted=len(counted), done=sum(s.done for s in counted),
        on_time=sum(s.done and s.on_time for s in counted), late=sum(s.late for s in counted),
        exceeded=sum(s.exceeded for s in counted), not_due=len(scores) - len(counted),
        no_data=sum(s.finding.status == "no_data" for s in counted),
        disciplined=disciplined(report, scoring.scoring.disciplined))
    proposal = rate(terms, rating) if counted else None
    return ReviewReport(report, year, quarter, scoring, rating, scores, terms, proposal)


def run_cell(case: Case, plan: Any, day: dt.date, evaluator: Evaluator = "engine", only: Any = None, *,
             quarter: int | None = None) -> ReviewReport:
    """The review as the job registry runs a job (jobs/registry.py): the year of `day`, judged at `day`, scored
    by the plan's scoring.yaml (else the library's) and rated by the library's levels; a quarterly review when
    `quarter` is given. `only` is not used: a review scores every requirement of the plan."""
    from ..ruleset.scoring import load_rating, load_scoring

    sections = by_section(plan.prepared)
    scoring = load_scoring(plan.ruleset.folder, [p.id for p in plan.prepared], list(sections))
    return run_review(case, plan.ruleset, plan.prepared, day, day.year, quarter, scoring, load_rating(), evaluator)


def failing(result: ReviewReport, strict: bool = False) -> bool:
    """Exit 1 when a requirement is missed or behind schedule (the review is written all the same)."""
    return result.has_gaps


def report_of(result: ReviewReport) -> Report:
    return result.report


@dataclass
class Remedy:
    """Last year's shortcomings from the store: when handed in, those remedied and those still open (GapItems)."""

    year: int
    stored: bool  # a store was read
    submitted: Any = None  # store.queries.Submission, None when the store holds none for last year
    fixed: list[Any] = field(default_factory=list)
    still: list[Any] = field(default_factory=list)


@dataclass
class ReviewCell:
    path: Path
    review: ReviewReport | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class CommitteeCap:
    """A committee's cap on the share of its cells rated at a level (committee.yaml beside the cells)."""

    level: str
    share: float
    file: str


@dataclass
class ReviewRollup:
    year: int
    cells: list[ReviewCell]
    cap: CommitteeCap | None = None

    def ordered(self) -> list[ReviewCell]:
        """Worst first: cells not reviewed, then by level (worst level first), then by points, then by name."""
        def key(c: ReviewCell) -> tuple:
            if c.review is None or c.review.proposal is None:
                return (0, 0, 0.0, c.path.name)
            levels = [lv.level for lv in c.review.rating.levels]
            return (1, -levels.index(c.review.proposal.level.level), float(c.review.terms.points), c.path.name)
        return sorted(self.cells, key=key)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.cells:
            level = c.review.proposal.level.level if c.review and c.review.proposal else ""
            out[level] = out.get(level, 0) + 1
        return out

    def over_cap(self) -> tuple[int, Fraction] | None:
        """(cells at the capped level, their share in percent), when a cap is set."""
        if self.cap is None or not self.cells:
            return None
        n = self.counts().get(self.cap.level, 0)
        return n, Fraction(n, len(self.cells)) * 100

    @property
    def has_gaps(self) -> bool:
        return any(c.review is not None and c.review.has_gaps for c in self.cells)

    @property
    def exit_problems(self) -> bool:
        return any(c.problems for c in self.cells)
