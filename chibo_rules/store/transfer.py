"""`chibo history export` / `import`: every saved run as JSON Lines, and back.

One line per run, in the shape save.run_record makes (cell, plan, submission, run, results, gaps, and the
kept facts on the first run of their submission), ordered by cell, quarter and save, so exporting a store,
importing it into an empty one (SQLite or PostgreSQL) and exporting that gives the same bytes. An import is
one transaction: a file with a bad line imports nothing, and runs already in the store are not doubled.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from .db import Store, StoreError
from .save import Record, save_record
from .schema import cells, facts, gaps, plans, results, runs, submissions

_CHUNK = 500
_KEYS = ("cell", "plan", "submission", "run", "results", "gaps")


def utc(value: dt.datetime) -> dt.datetime:
    """A stored time in UTC (SQLite hands it back without its zone, PostgreSQL in the session's)."""
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def records(store: Store) -> Iterator[Record]:
    """Every run of the store as a record, in a stable order."""
    with store.read() as conn:
        head = (select(runs, submissions.c.cell_id, submissions.c.facts_hash, submissions.c.source,
                       submissions.c.received_at, cells.c.committee, cells.c.name, plans.c.plan_id,
                       plans.c.content_hash)
                .join(submissions, submissions.c.id == runs.c.submission_id)
                .join(cells, cells.c.id == submissions.c.cell_id)
                .join(plans, plans.c.id == runs.c.plan_ref)
                .order_by(cells.c.committee, cells.c.name, runs.c.quarter, runs.c.as_of, runs.c.job, runs.c.saved_at,
                          submissions.c.facts_hash, plans.c.plan_id, plans.c.content_hash))
        rows = conn.execute(head).all()
        facts_done: set[int] = set()
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start:start + _CHUNK]
            ids = [r.id for r in chunk]
            by_run: dict[int, list[Any]] = {i: [] for i in ids}
            gaps_by_run: dict[int, list[Any]] = {i: [] for i in ids}
            for r in conn.execute(select(results).where(results.c.run_id.in_(ids)).order_by(results.c.rule_id)):
                by_run[r.run_id].append(r)
            for g in conn.execute(select(gaps).where(gaps.c.run_id.in_(ids)).order_by(gaps.c.id)):
                gaps_by_run[g.run_id].append(g)
            for row in chunk:
                yield _record(conn, row, by_run[row.id], gaps_by_run[row.id], facts_done)


def _record(conn: Any, row: Any, result_rows: list[Any], gap_rows: list[Any], facts_done: set[int]) -> Record:
    record: Record = {
        "cell": {"committee": row.committee, "name": row.name},
        "plan": {"id": row.plan_id, "hash": row.content_hash},
        "submission": {"hash": row.facts_hash, "source": row.source,
                       "received_at": utc(row.received_at).isoformat()},
        "run": {"job": row.job, "as_of": row.as_of.isoformat(), "quarter": row.quarter, "evaluator": row.evaluator,
                "chibo_version": row.chibo_version, "saved_at": utc(row.saved_at).isoformat()},
        "results": [{"rule": r.rule_id, "section": r.section, "severity": r.severity, "status": r.status,
                     "target": r.target, "observed": r.observed} for r in result_rows],
        "gaps": [{"rule": g.rule_id, "reason": g.reason, "who": g.who, "period": g.period, "source": g.source,
                  "exempted": bool(g.exempted)} for g in gap_rows],
    }
    if row.submission_id not in facts_done:
        facts_done.add(row.submission_id)
        kept = conn.execute(select(facts.c.name, facts.c.content).where(facts.c.submission_id == row.submission_id)
                            .order_by(facts.c.name)).all()
        if kept:
            record["facts"] = [{"name": f.name, "content": bytes(f.content).hex()} for f in kept]
    return record


def export(store: Store, stream: IO[bytes]) -> int:
    n = 0
    for record in records(store):
        stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
        n += 1
    return n


def read_records(path: Path) -> list[Record]:
    """Every line of an export, each checked for the record's parts; a bad line is named by its number."""
    if not path.is_file():
        raise StoreError("import_missing", str(path))
    out: list[Record] = []
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
                if not isinstance(record, dict) or any(k not in record for k in _KEYS):
                    raise ValueError("missing " + ", ".join(k for k in _KEYS if k not in record)
                                     if isinstance(record, dict) else "not an object")
                for key in ("as_of", "saved_at"):
                    (dt.date if key == "as_of" else dt.datetime).fromisoformat(record["run"][key])
                dt.datetime.fromisoformat(record["submission"]["received_at"])
            except (ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:
                raise StoreError("import_bad_line", str(exc)[:200], file=str(path), line=str(number)) from None
            out.append(record)
    return out


def import_records(store: Store, records_: list[Record]) -> tuple[int, int]:
    """(runs added, runs already there), all in one transaction."""
    added = 0
    with store.write() as conn:
        for record in records_:
            added += save_record(conn, record)
    return added, len(records_) - added
