"""History read back from a store: one cell's rules quarter by quarter, and a committee's cells.

Each quarter of a cell is read from its latest run in that quarter (latest as-of date, then latest saved)
among the jobs asked for (by default those the job registry keeps in a history: check and audit). What changed is
decided per gap — a rule and the records, the period it names — and per rule, over the submissions in the
window: fixed (open before, not in the last), still open (open in the last two), reopened (open in the
last, not in the one before, open earlier), new (open in the last, never before in the window).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select

from ..jobs.registry import history_jobs
from ..judge.findings import OPEN, followed_as
from .db import Store, StoreError
from .schema import cells, gaps, plans, results, runs, submissions


@dataclass(frozen=True)
class Cell:
    id: int
    committee: str
    name: str


@dataclass(frozen=True)
class Submission:
    """The run a quarter of a cell is read from, and the facts it judged."""

    run_id: int
    quarter: str
    as_of: dt.date
    job: str
    facts_hash: str
    source: str
    received_at: dt.datetime
    plan: str


@dataclass(frozen=True)
class GapItem:
    rule: str
    reason: str
    who: str
    period: str
    source: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What identifies a gap across submissions: its rule, kind, records and period — not its line."""
        return (self.rule, followed_as(self.reason), self.who, self.period)


@dataclass
class Changes:
    fixed: list[Any] = field(default_factory=list)
    still_open: list[Any] = field(default_factory=list)
    reopened: list[Any] = field(default_factory=list)
    new: list[Any] = field(default_factory=list)


@dataclass
class CellHistory:
    party_cell: Cell
    submissions: list[Submission]
    # rule -> quarter -> status
    statuses: dict[str, dict[str, str]]
    rules: Changes  # of rule ids
    gaps: Changes  # of GapItem


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def find_cells(conn: Connection, query: str) -> list[Cell]:
    """Cells whose name, 'committee / name', or the folder or workbook their facts came from is `query`."""
    wanted = _norm(query)
    rows = conn.execute(select(cells.c.id, cells.c.committee, cells.c.name)).all()
    found = {r.id: Cell(r.id, r.committee, r.name) for r in rows
             if wanted in (_norm(r.name), _norm(f"{r.committee} / {r.name}"))}
    if not found:
        as_path = str(Path(query).expanduser().resolve())
        sources = conn.execute(select(submissions.c.cell_id, submissions.c.source)).all()
        ids = {s.cell_id for s in sources if s.source == as_path or _norm(Path(s.source).name) == wanted}
        found = {r.id: Cell(r.id, r.committee, r.name) for r in rows if r.id in ids}
    return sorted(found.values(), key=lambda c: (c.committee, c.name))


def committee_cells(conn: Connection, committee: str | None, folder: Path | None) -> list[Cell]:
    """The cells of a committee (cell.yaml's party_committee), or whose facts came from under `folder`."""
    rows = conn.execute(select(cells.c.id, cells.c.committee, cells.c.name)).all()
    if folder is not None:
        base = str(folder.expanduser().resolve())
        sources = conn.execute(select(submissions.c.cell_id, submissions.c.source)).all()
        ids = {s.cell_id for s in sources if s.source == base or s.source.startswith(base.rstrip("/\\") + "/")
               or s.source.startswith(base.rstrip("/\\") + "\\")}
        return sorted((Cell(r.id, r.committee, r.name) for r in rows if r.id in ids), key=lambda c: c.name)
    wanted = _norm(committee or "")
    return sorted((Cell(r.id, r.committee, r.name) for r in rows if _norm(r.committee) == wanted),
                  key=lambda c: c.name)


def _in_window(quarter: str, since: str | None, until: str | None) -> bool:
    return (since is None or quarter >= since) and (until is None or quarter <= until)


def quarter_runs(conn: Connection, cell_ids: list[int], jobs: tuple[str, ...] | None, since: str | None = None,
                 until: str | None = None) -> dict[int, list[Submission]]:
    """Per cell, the run each quarter is read from, in quarter order."""
    query = (select(runs.c.id, runs.c.quarter, runs.c.as_of, runs.c.job, runs.c.saved_at, submissions.c.cell_id,
                    submissions.c.facts_hash, submissions.c.source, submissions.c.received_at, plans.c.plan_id)
             .join(submissions, submissions.c.id == runs.c.submission_id)
             .join(plans, plans.c.id == runs.c.plan_ref)
             .where(runs.c.job.in_(jobs or history_jobs())))
    if len(cell_ids) < 500:
        query = query.where(submissions.c.cell_id.in_(cell_ids))
    wanted = set(cell_ids)
    best: dict[tuple[int, str], Any] = {}
    for row in conn.execute(query):
        if row.cell_id not in wanted or not _in_window(row.quarter, since, until):
            continue
        key = (row.cell_id, row.quarter)
        if key not in best or (row.as_of, row.saved_at, row.id) > (best[key].as_of, best[key].saved_at, best[key].id):
            best[key] = row
    out: dict[int, list[Submission]] = defaultdict(list)
    for (cell_id, _), row in sorted(best.items()):
        received = row.received_at if row.received_at.tzinfo else row.received_at.replace(tzinfo=dt.timezone.utc)
        out[cell_id].append(Submission(row.id, row.quarter, row.as_of, row.job, row.facts_hash, row.source,
                                       received.astimezone(dt.timezone.utc), row.plan_id))
    return out


def _changes(series: list[set[Any]]) -> Changes:
    """What the last set holds against the ones before it (in order)."""
    out = Changes()
    if not series:
        return out
    last, before = series[-1], series[-2] if len(series) > 1 else set()
    earlier = set().union(*series[:-1]) if len(series) > 1 else set()
    out.fixed = sorted(earlier - last)
    out.still_open = sorted(last & before)
    out.reopened = sorted((last - before) & earlier)
    out.new = sorted(last - earlier)
    return out


def cell_history(store: Store, query: str, since: str | None = None, until: str | None = None,
                 jobs: tuple[str, ...] | None = None) -> CellHistory:
    with store.read() as conn:
        found = find_cells(conn, query)
        if not found:
            raise StoreError("history_no_cell", query)
        if len(found) > 1:
            raise StoreError("history_many_cells", query,
                             cells="; ".join(f"{c.committee} / {c.name}" for c in found))
        cell = found[0]
        subs = quarter_runs(conn, [cell.id], jobs, since, until).get(cell.id, [])
        ids = [s.run_id for s in subs]
        statuses: dict[str, dict[str, str]] = defaultdict(dict)
        quarter_of = {s.run_id: s.quarter for s in subs}
        for row in conn.execute(select(results.c.run_id, results.c.rule_id, results.c.status)
                                .where(results.c.run_id.in_(ids))):
            statuses[row.rule_id][quarter_of[row.run_id]] = row.status
        open_gaps: dict[int, dict[tuple, GapItem]] = {i: {} for i in ids}
        for row in conn.execute(select(gaps).where(gaps.c.run_id.in_(ids), gaps.c.exempted.is_(False))):
            item = GapItem(row.rule_id, row.reason, row.who, row.period, row.source)
            open_gaps[row.run_id].setdefault(item.key, item)
    # a gap of a rule that is not open (a passed per-period count's exempted remainder…) is not counted open
    rule_sets = [{r for r, by in statuses.items() if by.get(s.quarter) in OPEN} for s in subs]
    gap_sets = [{k for k, g in open_gaps[s.run_id].items() if g.rule in rules} for s, rules in zip(subs, rule_sets)]
    latest: dict[tuple, GapItem] = {}
    for s in subs:  # each gap shown as last seen (its line in the latest submission naming it)
        latest.update(open_gaps[s.run_id])
    keyed = _changes(gap_sets)
    gap_changes = Changes(*([latest[k] for k in part] for part in (keyed.fixed, keyed.still_open, keyed.reopened,
                                                                    keyed.new)))
    return CellHistory(cell, subs, dict(sorted(statuses.items(), key=lambda kv: _rule_order(kv[0]))),
                       _changes(rule_sets), gap_changes)


def _rule_order(rule: str) -> tuple[str, int, str]:
    digits = "".join(ch for ch in rule if ch.isdigit())
    return (rule.rstrip("0123456789"), int(digits) if digits else 0, rule)


@dataclass
class CommitteeView:
    name: str
    cells: list[Cell]
    quarters: list[str]
    # cell id -> quarter -> (open rules, open gaps)
    table: dict[int, dict[str, tuple[int, int]]]
    behind: list[tuple[Cell, int]]  # cells with open rules in their last n >= 2 quarters, n
    missed: list[tuple[str, int, int]]  # rule, cells with it open in their latest quarter, cell-quarters open
    gaps_per_quarter: dict[str, int]
    open_per_quarter: dict[str, int]

    def quarters_of(self, cell_id: int) -> list[str]:
        return sorted(self.table.get(cell_id, {}))


def committee_view(store: Store, committee: str | None, folder: Path | None = None, since: str | None = None,
                   until: str | None = None, jobs: tuple[str, ...] | None = None, top: int = 10) -> CommitteeView:
    with store.read() as conn:
        members = committee_cells(conn, committee, folder)
        if not members:
            raise StoreError("history_no_committee", str(folder or committee or ""))
        chosen = quarter_runs(conn, [c.id for c in members], jobs, since, until)
        run_of = {s.run_id: (cell_id, s.quarter) for cell_id, subs in chosen.items() for s in subs}
        open_rules: dict[int, set[str]] = defaultdict(set)
        query = select(results.c.run_id, results.c.rule_id).where(results.c.status.in_(OPEN))
        gap_query = (select(gaps.c.run_id, func.count()).where(gaps.c.exempted.is_(False))
                     .group_by(gaps.c.run_id))
        if len(run_of) < 500:
            query = query.where(results.c.run_id.in_(list(run_of)))
            gap_query = gap_query.where(gaps.c.run_id.in_(list(run_of)))
        for row in conn.execute(query):
            if row.run_id in run_of:
                open_rules[row.run_id].add(row.rule_id)
        gap_counts = {row[0]: row[1] for row in conn.execute(gap_query) if row[0] in run_of}
    table: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    quarters: set[str] = set()
    per_rule_all: Counter[str] = Counter()
    per_rule_latest: Counter[str] = Counter()
    gaps_q: Counter[str] = Counter()
    open_q: Counter[str] = Counter()
    behind: list[tuple[Cell, int]] = []
    by_id = {c.id: c for c in members}
    for cell_id, subs in chosen.items():
        streak = 0
        for s in subs:
            rules_open = open_rules.get(s.run_id, set())
            table[cell_id][s.quarter] = (len(rules_open), gap_counts.get(s.run_id, 0))
            quarters.add(s.quarter)
            per_rule_all.update(rules_open)
            gaps_q[s.quarter] += gap_counts.get(s.run_id, 0)
            open_q[s.quarter] += len(rules_open)
            streak = streak + 1 if rules_open else 0
        if subs:
            per_rule_latest.update(open_rules.get(subs[-1].run_id, set()))
        if streak >= 2:
            behind.append((by_id[cell_id], streak))
    behind.sort(key=lambda cs: (-cs[1], -table[cs[0].id][max(table[cs[0].id])][0], cs[0].name))
    missed = sorted(((rule, per_rule_latest[rule], n) for rule, n in per_rule_all.items()),
                    key=lambda m: (-m[2], -m[1], _rule_order(m[0])))[:top]
    order = sorted(quarters)
    name = str(folder) if folder is not None else (committee or "")
    return CommitteeView(name, members, order, dict(table), behind, missed,
                         {q: gaps_q[q] for q in order}, {q: open_q[q] for q in order})


@dataclass
class Comparison:
    """A cell's gaps now against the submission it handed in for an earlier quarter (the audit's store note)."""

    previous: Submission
    fixed: list[GapItem]
    new: list[GapItem]
    # open then and still open now (the review's "not yet remedied")
    still: list[GapItem] = field(default_factory=list)


def compare_with_stored(store: Store, record: dict[str, Any], quarter: str,
                        jobs: tuple[str, ...] | None = None) -> Comparison | None:
    """`record` (save.run_record of the run just judged) against the cell's stored run for `quarter`;
    None when the store holds no such run."""
    with store.read() as conn:
        cell = conn.execute(select(cells.c.id).where(cells.c.committee == record["cell"]["committee"],
                                                     cells.c.name == record["cell"]["name"])).scalar_one_or_none()
        if cell is None:
            return None
        chosen = [s for s in quarter_runs(conn, [cell], jobs, quarter, quarter).get(cell, [])]
        if not chosen:
            return None
        previous = chosen[-1]
        open_then = {r.rule_id for r in conn.execute(select(results.c.rule_id).where(
            results.c.run_id == previous.run_id, results.c.status.in_(OPEN)))}
        before: dict[tuple[str, str, str, str], GapItem] = {}
        for row in conn.execute(select(gaps).where(gaps.c.run_id == previous.run_id, gaps.c.exempted.is_(False))):
            if row.rule_id in open_then:
                item = GapItem(row.rule_id, row.reason, row.who, row.period, row.source)
                before.setdefault(item.key, item)
    open_now = {r["rule"] for r in record["results"] if r["status"] in OPEN}
    now: dict[tuple[str, str, str, str], GapItem] = {}
    for g in record["gaps"]:
        if g["rule"] in open_now and not g["exempted"]:
            item = GapItem(g["rule"], g["reason"], g["who"], g["period"], g["source"])
            now.setdefault(item.key, item)
    return Comparison(previous, [before[k] for k in sorted(set(before) - set(now))],
                      [now[k] for k in sorted(set(now) - set(before))],
                      [now[k] for k in sorted(set(now) & set(before))])


def last_year(store: Store | None, review: Any) -> Any:
    """A year-end review's Remedy (jobs/review.py): last year's shortcomings of this cell against today's findings,
    from its latest stored quarter of that year (`chibo review`, and the page's review through Job.from_store)."""
    from ..jobs.review import Remedy
    from ..quarters import QUARTERS, quarter_end, quarter_label

    if store is None:
        return Remedy(review.year - 1, stored=False)
    from .save import run_record

    record = run_record(review.report, "check")
    for end in reversed([quarter_end(review.year - 1, q) for q in QUARTERS]):
        found = compare_with_stored(store, record, quarter_label(end))
        if found is not None:
            return Remedy(review.year - 1, True, found.previous, found.fixed, found.still)
    return Remedy(review.year - 1, stored=True)


def fill_remedy(store: Store, review: Any) -> None:
    """The review job's Job.from_store: its Remedy read from the store the page saves to."""
    review.remedy = last_year(store, review)
