"""A judged cell as one run record (plain data), and the record saved in one transaction.

The record is what the findings say (judge/findings.py: status, target, observed, gaps with their records),
never what a plan's kinds or fields are: rule ids, statuses and record keys go in as the findings carry
them. The same record is what `chibo history export` writes one per line and `import` saves back, so a
backup holds exactly what a save would have written.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from .. import __version__
from ..facts import library
from ..judge.verdict import Report
from ..quarters import quarter_label
from .db import Store
from .schema import cells, facts, gaps, plans, results, runs, submissions

Record = dict[str, Any]
# a case folder's files the hash reads: not hidden, not chibo's own outputs written beside them
_SKIP_PREFIX = (".", "~$")


def case_files(path: Path) -> list[tuple[str, bytes]]:
    """The files a case was read from, by name: a workbook, or every file of a case folder (sorted)."""
    if path.is_file():
        return [(path.name, path.read_bytes())]
    return [(f.relative_to(path).as_posix(), f.read_bytes()) for f in sorted(path.rglob("*"))
            if f.is_file() and not any(part.startswith(_SKIP_PREFIX) for part in f.relative_to(path).parts)]


def content_hash(files: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


_PLAN_HASHES: dict[str, str] = {}


def plan_hash(folder: Path | None) -> str:
    """The content hash of a plan folder's files (once per folder per process)."""
    if folder is None:
        return ""
    key = str(folder.resolve())
    if key not in _PLAN_HASHES:
        _PLAN_HASHES[key] = content_hash(case_files(folder))
    return _PLAN_HASHES[key]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def run_record(report: Report, job: str, keep_facts: bool = False, extra: list[Report] | None = None,
               now: dt.datetime | None = None) -> Record:
    """What a save keeps of one judged cell. `extra`: more results of the same run (a readiness review's
    checklist beside its plan's rules); the first result of a rule id wins."""
    now = now or dt.datetime.now(dt.timezone.utc)
    info = library.cell_info(report.case)
    files = case_files(report.case.path)
    plan = report.ruleset.plan
    out_results, out_gaps, seen = [], [], set()
    for rep in [report, *(extra or [])]:
        sources = rep.gap_sources()
        for p, f in rep.results:
            if p.id in seen:
                continue
            seen.add(p.id)
            out_results.append({"rule": p.id, "section": p.rule.section, "severity": p.rule.severity,
                                "status": f.status, "target": _json(f.target), "observed": _json(f.observed)})
            bound = p.alias_map()
            for gap, exempted in [*((g, False) for g in f.gaps), *((g, True) for g in f.exempted)]:
                out_gaps.append(_gap(p.id, gap, exempted, bound, sources))
    record: Record = {
        "cell": {"committee": info.party_committee or "", "name": info.name},
        "plan": {"id": plan.id, "hash": plan_hash(report.ruleset.folder)},
        "submission": {"hash": content_hash(files), "source": str(report.case.path.resolve()),
                       "received_at": now.isoformat()},
        "run": {"job": job, "as_of": report.as_of.isoformat(), "quarter": quarter_label(report.as_of),
                "evaluator": report.evaluator, "chibo_version": __version__, "saved_at": now.isoformat()},
        "results": out_results,
        "gaps": out_gaps,
    }
    if keep_facts:
        record["facts"] = [{"name": name, "content": data.hex()} for name, data in files]
    return record


def _gap(rule: str, gap: Any, exempted: bool, bound: dict[str, Any], sources: dict[tuple[str, str], str]) -> Record:
    """One gap as stored: who or what (the record keys), the period, where the record to fix sits."""
    period = str(gap.values.get("period", "") or "")
    who, source = [], ""
    for alias, key in gap.refs:
        pattern = bound[alias].pattern if alias in bound else None
        if pattern is not None and pattern.calendar and not period:
            period = key
            continue
        if not (pattern is not None and pattern.kind and key.startswith(f"{pattern.kind}:")):
            who.append(key)  # a row without a code of its own (kind:line) is named by its place, below
        if pattern is not None and pattern.kind and (pattern.kind, key) in sources:
            source = sources[(pattern.kind, key)]
    return {"rule": rule, "reason": gap.reason, "who": " — ".join(who), "period": period, "source": source,
            "exempted": exempted}


def _utc(text: str) -> dt.datetime:
    """A time as stored: UTC (a naive time is taken as UTC already)."""
    value = dt.datetime.fromisoformat(text)
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)


def _insert(conn: Connection, table: Any):  # noqa: ANN202 - the dialect's INSERT with ON CONFLICT
    return (postgresql.insert(table) if conn.dialect.name == "postgresql" else sqlite.insert(table))


@functools.cache
def _statements(dialect: str) -> dict[str, Any]:
    """The save's statements, built once per dialect with bound parameters (SQLAlchemy then reuses their
    compiled form: building a statement per run cost more than running it)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert

    def upsert(table: Any, keys: tuple[str, ...]) -> tuple[Any, Any]:
        add = insert(table).on_conflict_do_nothing(index_elements=list(keys))
        find = select(table.c.id).where(*(table.c[k] == bindparam(k) for k in keys))
        return add, find

    return {
        "cell": upsert(cells, ("committee", "name")),
        "plan": upsert(plans, ("plan_id", "content_hash")),
        "submission": upsert(submissions, ("cell_id", "facts_hash")),
        "facts": insert(facts).on_conflict_do_nothing(index_elements=["submission_id", "name"]),
        "run": insert(runs).on_conflict_do_nothing(index_elements=["submission_id", "plan_ref", "job", "as_of"])
        .returning(runs.c.id),
        "results": results.insert(),
        "gaps": gaps.insert(),
    }


def _id(conn: Connection, statements: tuple[Any, Any], values: dict[str, Any]) -> int:
    """The row with these key values, inserted when missing (safe against another writer doing the same)."""
    add, find = statements
    conn.execute(add, values)
    return conn.execute(find, values).scalar_one()


def save_record(conn: Connection, record: Record) -> bool:
    """Save one run inside the caller's transaction; False when this run was already saved (nothing doubled)."""
    sql = _statements(conn.dialect.name)
    cell_id = _id(conn, sql["cell"], record["cell"])
    plan = record["plan"]
    plan_ref = _id(conn, sql["plan"], {"plan_id": plan["id"], "content_hash": plan["hash"]})
    sub = record["submission"]
    submission_id = _id(conn, sql["submission"], {"cell_id": cell_id, "facts_hash": sub["hash"],
                                                  "source": sub["source"], "received_at": _utc(sub["received_at"])})
    if record.get("facts"):
        conn.execute(sql["facts"], [{"submission_id": submission_id, "name": f["name"],
                                     "content": bytes.fromhex(f["content"])} for f in record["facts"]])
    run = record["run"]
    values = {**run, "submission_id": submission_id, "plan_ref": plan_ref,
              "as_of": dt.date.fromisoformat(run["as_of"]), "saved_at": _utc(run["saved_at"])}
    inserted = conn.execute(sql["run"], values).scalar_one_or_none()
    if inserted is None:
        return False
    if record["results"]:
        conn.execute(sql["results"], [
            {"run_id": inserted, "rule_id": r["rule"], "section": r["section"], "severity": r["severity"],
             "status": r["status"], "target": r["target"], "observed": r["observed"]} for r in record["results"]])
    if record["gaps"]:
        conn.execute(sql["gaps"], [
            {"run_id": inserted, "rule_id": g["rule"], "reason": g["reason"], "who": g["who"], "period": g["period"],
             "source": g["source"], "exempted": g["exempted"]} for g in record["gaps"]])
    return True


def save(store: Store, record: Record) -> bool:
    """One run, saved whole or not at all (its own transaction)."""
    with store.write() as conn:
        return save_record(conn, record)


BATCH = 50


def save_many(store: Store, records: Iterable[Record], batch: int = BATCH) -> tuple[int, int]:
    """Many runs (a roll-up): `batch` whole runs per transaction (a third less work per run than one each,
    and another writer waits a few tens of milliseconds at most). A batch that fails is saved again run by
    run, so a bad run fails alone and never takes the others with it; no run is ever saved in part.
    (runs added, runs already there)."""
    added = seen = 0
    chunk: list[Record] = []

    def flush() -> None:
        nonlocal added
        from .db import StoreError

        try:
            with store.write() as conn:
                done = sum(save_record(conn, r) for r in chunk)
        except StoreError as exc:
            if exc.code in ("store_locked", "store_corrupt", "store_unreachable") or len(chunk) == 1:
                raise
            done, failed = 0, None
            for r in chunk:  # run by run: every other run of the batch is kept, then the first failure said
                try:
                    done += save(store, r)
                except StoreError as one:
                    failed = failed or one
            if failed is not None:
                added += done
                raise failed from None
        added += done
        chunk.clear()

    for record in records:
        chunk.append(record)
        seen += 1
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    return added, seen - added
