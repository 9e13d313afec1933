"""The store (`--save`, `chibo history`): what is kept, nothing lost or doubled, old and new stores, damaged
and locked stores, export and import — on SQLite and, where a server is given ($CHIBO_TEST_POSTGRES, set by
.ci/run), on PostgreSQL through the same code. With CHIBO_REQUIRE_POSTGRES=1 a missing server fails."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from chibo_rules.jobs.audit import run_audit
from chibo_rules.jobs.check import run_check
from chibo_rules.jobs.plans import Plans, load_checked
from chibo_rules.quarters import quarter_end
from chibo_rules.store.db import StoreError, open_store, revision
from chibo_rules.store.queries import cell_history, committee_view
from chibo_rules.store.save import run_record, save
from chibo_rules.store.schema import cells, gaps, results, runs, submissions
from chibo_rules.store.transfer import export, import_records, read_records

from .conftest import CASES, ROOT

POSTGRES = os.environ.get("CHIBO_TEST_POSTGRES", "")
BACKENDS = ["sqlite", "postgresql"]
PLANS = Plans()


def _postgres_database() -> str:
    """A fresh database on the test server, its URL."""
    if not POSTGRES:
        if os.environ.get("CHIBO_REQUIRE_POSTGRES") == "1":
            pytest.fail("CHIBO_REQUIRE_POSTGRES=1 but no PostgreSQL server is given in $CHIBO_TEST_POSTGRES")
        pytest.skip("no PostgreSQL server ($CHIBO_TEST_POSTGRES)")
    import psycopg

    name = "chibo_" + uuid.uuid4().hex[:12]
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    from sqlalchemy.engine import make_url

    return make_url(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name) \
        .render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite3")
        return
    url = _postgres_database()
    yield url
    _drop(url)


def _drop(url: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1].split("?")[0]}" WITH (FORCE)')


def _judged(case_dir: Path, day: dt.date, job: str = "check"):
    case, plan = load_checked(case_dir, PLANS)
    if job == "audit":
        return run_audit(case, plan.ruleset, plan.prepared, day, "oracle").report
    return run_check(case, plan.ruleset, plan.prepared, day, "oracle")


def _save(store, case_dir: Path, day: dt.date, job: str = "check", keep: bool = False) -> bool:
    return save(store, run_record(_judged(case_dir, day, job), job, keep))


def _count(store, table) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _history(*args: str):
    """`chibo history …` in this process (its start-up is what a subprocess would mostly measure)."""
    from typer.testing import CliRunner

    from chibo_rules.cli import app

    return CliRunner().invoke(app, ["history", *args], catch_exceptions=False)


def _chibo(*args: str, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "chibo_rules", *args], capture_output=True, text=True, cwd=ROOT,
                          env=full, timeout=timeout)


QUARTERS_2020 = [quarter_end(2020, q) for q in ("Q1", "Q2", "Q3", "Q4")]


def _gaps(changes: list) -> list[tuple[str, str, str, str]]:
    return [(g.rule, g.reason, g.who, g.period) for g in changes]


def test_the_bundled_cells_quarter_by_quarter_give_exact_histories(store_url):
    """vbn1-2020 hands in its gaps in Q1, the compliant facts in Q2 (everything fixed), then the first facts
    again in Q3 and Q4 (reopened, then still open: one submission judged twice); vbn2-2020 and Tân Phước are
    saved at every quarter end of their plans."""
    store = open_store(store_url)
    try:
        for case_dir, day in [("vbn1-2020", QUARTERS_2020[0]), ("vbn1-2020-compliant", QUARTERS_2020[1]),
                              ("vbn1-2020", QUARTERS_2020[2]), ("vbn1-2020", QUARTERS_2020[3])]:
            assert _save(store, CASES / case_dir, day)
        for day in QUARTERS_2020:
            assert _save(store, CASES / "vbn2-2020", day)
        tan_phuoc = [quarter_end(y, q) for y in (2020, 2021, 2022) for q in ("Q1", "Q2", "Q3", "Q4")]
        for day in tan_phuoc:
            assert _save(store, CASES / "tan-phuoc-2020-2022", day)

        one = cell_history(store, "Chi bộ trường THCS Vĩnh Bình Nam 1")
        assert [s.quarter for s in one.submissions] == ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
        assert len({s.facts_hash for s in one.submissions}) == 2  # the same facts in Q1, Q3, Q4: one submission
        assert _count(store, submissions) == 2 + 1 + 1
        assert {r: by for r, by in one.statuses.items() if set(by.values()) - {"passed", "not_due", "advisory"}} == {
            "R01": {"2020-Q1": "passed", "2020-Q2": "passed", "2020-Q3": "gap", "2020-Q4": "gap"},
            "R04": {"2020-Q1": "passed", "2020-Q2": "passed", "2020-Q3": "gap", "2020-Q4": "gap"},
            "R14": {"2020-Q1": "not_due", "2020-Q2": "not_due", "2020-Q3": "not_due", "2020-Q4": "gap"},
            "R28": {"2020-Q1": "not_due", "2020-Q2": "not_due", "2020-Q3": "gap", "2020-Q4": "gap"},
            "R41": {"2020-Q1": "gap", "2020-Q2": "passed", "2020-Q3": "gap", "2020-Q4": "gap"},
            "R43": {"2020-Q1": "passed", "2020-Q2": "passed", "2020-Q3": "passed", "2020-Q4": "gap"}}
        assert (one.rules.fixed, one.rules.reopened) == ([], [])
        assert one.rules.still_open == ["R01", "R04", "R28", "R41"] and one.rules.new == ["R14", "R43"]
        assert (one.gaps.fixed, one.gaps.reopened) == ([], [])
        assert _gaps(one.gaps.still_open) == [
            ("R01", "missing", "P17 — NQ-DU-02", ""), ("R04", "failed", "SH-2020-04", "2020-04"),
            ("R28", "short", "", ""), ("R41", "failed", "P30", "2020-W11"), ("R41", "failed", "P30", "2020-W18")]
        assert _gaps(one.gaps.new) == [
            *(("R14", "not_counted", p, "") for p in ("P01", "P02", "P03", "P09", "P13", "P14", "P31")),
            ("R14", "short", "", ""), ("R41", "failed", "P30", "2020-W47"), ("R43", "failed", "", "")]
        assert [g.source for g in one.gaps.still_open][3:] == ["timesheets.csv:852", "timesheets.csv:859"]
        # up to Q2: the week R41 missed in Q1 was made good in the compliant facts handed in for Q2
        until_q2 = cell_history(store, "Chi bộ trường THCS Vĩnh Bình Nam 1", until="2020-Q2")
        assert until_q2.rules.fixed == ["R41"] and _gaps(until_q2.gaps.fixed) == [("R41", "failed", "P30", "2020-W11")]
        assert (until_q2.rules.still_open, until_q2.rules.reopened, until_q2.rules.new) == ([], [], [])
        # up to Q3: it came back with the first facts handed in again
        until_q3 = cell_history(store, "Chi bộ trường THCS Vĩnh Bình Nam 1", until="2020-Q3")
        assert until_q3.rules.reopened == ["R41"] and until_q3.rules.new == ["R01", "R04", "R28"]
        assert _gaps(until_q3.gaps.reopened) == [("R41", "failed", "P30", "2020-W11")]
        assert until_q3.rules.fixed == [] and until_q3.rules.still_open == []
        # from Q2 on, Q1 is outside the window: nothing was open before Q3
        since_q2 = cell_history(store, "Chi bộ trường THCS Vĩnh Bình Nam 1", since="2020-Q2")
        assert [s.quarter for s in since_q2.submissions] == ["2020-Q2", "2020-Q3", "2020-Q4"]
        assert since_q2.rules.still_open == ["R01", "R04", "R28", "R41"] and since_q2.rules.reopened == []

        two = cell_history(store, "vbn2-2020")  # found by the folder its facts came from
        assert (two.rules.fixed, two.rules.reopened) == ([], [])
        assert two.rules.still_open == ["R04", "R15", "R38", "R39"]
        assert two.rules.new == ["R12", "R23", "R40", "R41", "R42"]
        assert _gaps(two.gaps.still_open) == [
            ("R04", "failed", "SH-2020-08", "2020-08"), ("R04", "missing", "", "2020-02"),
            ("R15", "counted", "VP-01 — P09", ""), ("R38", "missing", "", "2020-02"),
            ("R38", "missing", "", "2020-08"), ("R39", "missing", "finance", "2020-Q3")]
        assert _gaps(two.gaps.new) == [
            *(("R12", "not_counted", p, "") for p in ("P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P10",
                                                      "P11", "P12", "P13", "P14", "P15", "P29", "P31")),
            ("R12", "short", "", ""), ("R23", "failed", "P09", ""), ("R39", "missing", "cadre_source", "2020-Q4"),
            ("R40", "failed", "VV-02", ""), ("R41", "failed", "P30", "2020-W43"), ("R41", "failed", "P33", "2020-W26"),
            ("R41", "missing", "P33", "2020-W23"), ("R41", "missing", "P33", "2020-W24"),
            ("R41", "missing", "P33", "2020-W25"), ("R42", "failed", "P17 — teacher", "2020-W42")]

        tp = cell_history(store, "tan-phuoc-2020-2022")
        assert len(tp.submissions) == 12 and len({s.facts_hash for s in tp.submissions}) == 1
        assert (tp.rules.fixed, tp.rules.reopened) == ([], [])
        assert tp.rules.still_open == ["R02", "R04", "R15", "R24", "R26"] and tp.rules.new == ["R11", "R16"]
        assert _gaps(tp.gaps.still_open) == [
            ("R02", "missing", "P16", "2021"), ("R04", "outside", "P09", "2021"), ("R04", "outside", "P15", "2021"),
            ("R04", "short", "", "2021"), ("R15", "outside", "", "2021-2022"), ("R15", "short", "", "2021-2022"),
            ("R24", "short", "", "2020-2021"), ("R26", "short", "", "2021-2022")]
        assert _gaps(tp.gaps.new) == [("R11", "short", "", ""), ("R16", "short", "", "2022")]
        assert (tp.gaps.fixed, tp.gaps.reopened) == ([], [])

        view = committee_view(store, "Đảng bộ xã Vĩnh Bình Nam")
        assert [c.name for c, n in view.behind] == ["Chi bộ trường THCS Vĩnh Bình Nam 2",
                                                    "Chi bộ trường THCS Vĩnh Bình Nam 1"]
        assert [n for _, n in view.behind] == [4, 2]
        assert view.quarters == ["2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"]
        assert view.missed[:4] == [("R04", 2, 6), ("R41", 2, 4), ("R38", 1, 4), ("R01", 1, 2)]
        assert view.gaps_per_quarter == {"2020-Q1": 3, "2020-Q2": 2, "2020-Q3": 11, "2020-Q4": 47}
        assert view.open_per_quarter == {"2020-Q1": 3, "2020-Q2": 2, "2020-Q3": 8, "2020-Q4": 15}
    finally:
        store.close()


def test_a_run_is_saved_whole_or_not_at_all_and_never_twice(store_url):
    store = open_store(store_url)
    try:
        record = run_record(_judged(CASES / "vbn1-2020", QUARTERS_2020[1]), "check")
        broken = {**record, "results": record["results"] + record["results"][:1]}  # the same rule twice
        with pytest.raises(StoreError):
            save(store, broken)
        assert [_count(store, t) for t in (cells, submissions, runs, results, gaps)] == [0, 0, 0, 0, 0]
        assert save(store, record) is True
        assert save(store, record) is False  # the same facts, the same job and date: nothing doubled
        assert (_count(store, runs), _count(store, results), _count(store, gaps)) == (1, 48, len(record["gaps"]))
        again = run_record(_judged(CASES / "vbn1-2020", QUARTERS_2020[2]), "check")
        assert save(store, again) is True
        assert (_count(store, submissions), _count(store, runs)) == (1, 2)  # one submission judged twice
    finally:
        store.close()


def test_a_batch_with_a_bad_run_saves_every_other_run_and_fails_alone(tmp_path):
    """save_many saves a roll-up 50 runs per transaction; a run that cannot be saved is found by saving that
    batch again run by run: it fails alone, the others (before and after it) are kept, none is kept in part."""
    from chibo_rules.store.save import save_many

    store = open_store(str(tmp_path / "store.sqlite3"))
    try:
        record = run_record(_judged(CASES / "vbn1-2020", QUARTERS_2020[1]), "check")
        records = [{**record, "cell": {"committee": "C", "name": f"Chi bộ {n}"}} for n in range(5)]
        records[3] = {**records[3], "results": record["results"] + record["results"][:1]}  # the same rule twice
        with pytest.raises(StoreError):
            save_many(store, records, batch=5)
        assert (_count(store, runs), _count(store, results)) == (4, 4 * 48)
        assert save_many(store, records[:3] + records[4:], batch=5) == (0, 4)
    finally:
        store.close()


def test_an_older_store_is_migrated_and_a_newer_one_refused(store_url):
    old = open_store(store_url, upgrade_to="0001")
    assert revision(old) == "0001"
    with old.write() as conn:  # a store as the first schema wrote it: gaps without `exempted`
        conn.execute(text("INSERT INTO cells (id, committee, name) VALUES (1, 'C', 'Chi bộ A')"))
        conn.execute(text("INSERT INTO plans (id, plan_id, content_hash) VALUES (1, 'p', 'h')"))
        conn.execute(text("INSERT INTO submissions (id, cell_id, facts_hash, source, received_at) "
                          "VALUES (1, 1, 'f', '/x', '2020-04-01 00:00:00')"))
        conn.execute(text("INSERT INTO runs (id, submission_id, plan_ref, job, as_of, quarter, evaluator, "
                          "chibo_version, saved_at) VALUES (1, 1, 1, 'check', '2020-03-31', '2020-Q1', 'oracle', "
                          "'0.1.0', '2020-04-01 00:00:00')"))
        conn.execute(text("INSERT INTO results (run_id, rule_id, section, severity, status, target, observed) "
                          "VALUES (1, 'R1', 'A', 'high', 'gap', '{}', '{}')"))
        conn.execute(text("INSERT INTO gaps (id, run_id, rule_id, reason, who, period, source) "
                          "VALUES (1, 1, 'R1', 'missing', 'P1', '2020-Q1', '')"))
    old.close()
    store = open_store(store_url)
    try:
        assert revision(store) == "0002"
        history = cell_history(store, "Chi bộ A")
        assert _gaps(history.gaps.new) == [("R1", "missing", "P1", "2020-Q1")]
        with store.write() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    finally:
        store.close()
    with pytest.raises(StoreError) as refused:
        open_store(store_url)
    assert refused.value.code == "store_newer" and refused.value.values["revision"] == "0099"
    done = _chibo("history", "Chi bộ A", "--store", store_url, "--lang", "en")
    assert done.returncode == 2, done.stderr
    assert "written by a newer chibo (schema 0099" in done.stderr and "Traceback" not in done.stderr


def test_export_then_import_gives_the_same_store(store_url, tmp_path):
    store = open_store(store_url)
    try:
        _save(store, CASES / "vbn2-2020", QUARTERS_2020[1], keep=True)
        _save(store, CASES / "vbn2-2020", QUARTERS_2020[2], job="audit", keep=True)
        _save(store, CASES / "vbn1-2020", QUARTERS_2020[3])
        first = tmp_path / "one.jsonl"
        with first.open("wb") as stream:
            assert export(store, stream) == 3
    finally:
        store.close()
    target = open_store(str(tmp_path / "copy.sqlite3"))
    try:
        assert import_records(target, read_records(first)) == (3, 0)
        assert import_records(target, read_records(first)) == (0, 3)  # nothing doubled
        second = tmp_path / "two.jsonl"
        with second.open("wb") as stream:
            export(target, stream)
    finally:
        target.close()
    assert second.read_bytes() == first.read_bytes()
    if "://" in store_url:  # and back from SQLite into a fresh PostgreSQL database: the move to a server
        moved_url = _postgres_database()
        moved = open_store(moved_url)
        try:
            assert import_records(moved, read_records(second)) == (3, 0)
            third = tmp_path / "three.jsonl"
            with third.open("wb") as stream:
                export(moved, stream)
        finally:
            moved.close()
            _drop(moved_url)
        assert third.read_bytes() == first.read_bytes()
    lines = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    # in order of cell and quarter; kept facts travel once, with the first run of their submission
    assert [(r["cell"]["name"][-1], r["run"]["quarter"], "facts" in r) for r in lines] == [
        ("1", "2020-Q4", False), ("2", "2020-Q2", True), ("2", "2020-Q3", False)]


def test_import_of_a_bad_file_names_the_line_and_imports_nothing(tmp_path):
    good = run_record(_judged(CASES / "vbn1-2020", QUARTERS_2020[0]), "check")
    path = tmp_path / "backup.jsonl"
    path.write_text(json.dumps(good) + "\n{\"cell\": 1}\n", encoding="utf-8")
    done = _chibo("history", "import", str(path), "--store", str(tmp_path / "s.sqlite3"), "--lang", "en")
    assert done.returncode == 2
    assert f"{path}, line 2: not a record written by `chibo history export`" in " ".join(done.stderr.split())
    store = open_store(str(tmp_path / "s.sqlite3"))
    try:
        assert _count(store, runs) == 0
    finally:
        store.close()


def test_a_damaged_store_is_a_clear_error_and_stays_as_it_was(tmp_path):
    damaged = tmp_path / "store.sqlite3"
    damaged.write_bytes(b"this is not a database, it was a spreadsheet once" * 100)
    before = damaged.read_bytes()
    done = _chibo("check", "cases/vbn1-2020", "--save", "--store", str(damaged), "--lang", "en")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is not a readable store" in " ".join(done.stderr.split())
    assert damaged.read_bytes() == before


def test_a_locked_store_is_a_clear_error(tmp_path):
    import sqlite3

    path = tmp_path / "store.sqlite3"
    open_store(str(path)).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        done = _chibo("check", "cases/vbn1-2020", "--save", "--store", str(path), "--lang", "en",
                      env={"CHIBO_STORE_TIMEOUT": "0.5"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "is locked by another process" in " ".join(done.stderr.split())


def test_check_save_then_history_in_every_text_format(tmp_path):
    path = str(tmp_path / "store.sqlite3")
    for day in ("31/03/2020", "30/06/2020"):
        done = _chibo("check", "cases/vbn2-2020", "cases/vbn1-2020-compliant", "--as-of", day, "--save",
                      "--store", path, "--format", "json")
        assert done.returncode == 1, done.stderr
        assert "Đã lưu 2 lần xét vào kho" in done.stderr
    again = _chibo("check", "cases/vbn2-2020", "--as-of", "30/06/2020", "--store", path, "--save", "--lang", "en")
    assert "Saved 0 judged run(s)" in " ".join(again.stderr.split()) and "1 already there" in again.stderr
    data = json.loads(_history("vbn2-2020", "--store", path, "--format", "json").stdout)
    assert data["schema"] == "chibo.history/1"
    import jsonschema

    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert [s["quarter"] for s in data["submissions"]] == ["2020-Q1", "2020-Q2"]
    assert data["changes"]["rules"]["still_open"] == ["R04", "R38"]
    table = _history("vbn2-2020", "--store", path, "--lang", "en")
    assert table.exit_code == 0 and "Gaps still open" in table.stdout
    markdown = _history("--committee", "Đảng bộ xã Vĩnh Bình Nam", "--store", path, "--format", "markdown")
    assert markdown.exit_code == 0 and "Chi bộ chưa đạt từ hai quý liền trở lên" in markdown.stdout
    page = tmp_path / "history.html"
    html = _history("--folder", str(CASES), "--store", path, "--format", "html", "-o", str(page))
    assert html.exit_code == 0, html.output
    assert page.read_text(encoding="utf-8").count("<svg") == 2
    by_folder = json.loads(_history(str(CASES), "--store", path, "--format", "json").stdout)
    assert by_folder["schema"] == "chibo.committee-history/1" and by_folder["quarters"] == ["2020-Q1", "2020-Q2"]
    jsonschema.validate(by_folder, schema)
    assert [b["cell"] for b in by_folder["behind"]] == ["Chi bộ trường THCS Vĩnh Bình Nam 2"]
    for fmt in ("xlsx", "docx"):
        target = tmp_path / f"history.{fmt}"
        for _ in range(2):  # the second run replaces the first: an earlier chibo output, not someone's file
            written = _history("vbn2-2020", "--store", path, "--format", fmt, "-o", str(target))
            assert written.exit_code == 0, written.output
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "history.xlsx", read_only=True)
    sheets = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    assert sheets["1"][0][0].startswith("Lịch sử rà soát: Chi bộ trường THCS Vĩnh Bình Nam 2")
    assert ("R04", "Chưa đạt", "Chưa đạt") in [row[:3] for rows in sheets.values() for row in rows]
    from docx import Document as Word

    words = "\n".join(par.text for par in Word(str(tmp_path / "history.docx")).paragraphs)
    assert "Lịch sử rà soát" in words
    missing = _chibo("history", "Chi bộ không có", "--store", path, "--lang", "en")
    assert missing.returncode == 2 and "holds no cell" in missing.stderr
    nowhere = _history("vbn2-2020", "--store", str(tmp_path / "none.sqlite3"), "--lang", "en")
    assert nowhere.exit_code == 2 and "there is no store at" in nowhere.output
    assert not (tmp_path / "none.sqlite3").exists()  # reading never leaves an empty store behind


def test_the_audit_compares_with_what_was_handed_in_last_quarter(tmp_path):
    """The secretary handed in facts missing a week's timesheet hours for Q1; the Q2 audit of the corrected
    facts, with the store, says it compared with that submission, that the gap was fixed and what is new (R14
    behind its Q2 milestone: the members it has not counted yet, and the count short of the milestone)."""
    path = str(tmp_path / "store.sqlite3")
    store = open_store(path)
    try:
        assert _save(store, CASES / "vbn1-2020", QUARTERS_2020[0], job="audit")
    finally:
        store.close()
    done = _chibo("audit", "cases/vbn1-2020-compliant", "-q", "2020-Q2", "--store", path, "--format", "json",
                  "--lang", "en")
    assert done.returncode == 1, done.stderr  # R14 behind pace
    data = json.loads(done.stdout)
    compared = data["store_comparison"]
    assert compared["quarter"] == "2020-Q1"
    assert [(g["rule"], g["reason"], g["who"]) for g in compared["new"]] == [
        *(("R14", "not_counted", p) for p in ("P01", "P02", "P03", "P08", "P09", "P10", "P11", "P12", "P13", "P14",
                                              "P15", "P29", "P31")), ("R14", "behind", "")]
    assert compared["fixed"] == [{"rule": "R41", "reason": "failed", "who": "P30", "period": "2020-W11",
                                  "source": "timesheets.csv:852"}]
    assert compared["text"].startswith("Compared with what the cell handed in for 2020-Q1")
    assert compared["text"].endswith("1 gap(s) fixed, 14 new.")
    import jsonschema

    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, {**schema, "$ref": "#/$defs/audit"})
    table = _chibo("audit", "cases/vbn1-2020-compliant", "-q", "2020-Q2", "--store", path)
    assert "So với số liệu đã nộp quý trước" in table.stdout and "R41 — P30 — 2020-W11" in table.stdout
    store = open_store(path)
    try:
        assert _count(store, runs) == 1  # --store alone reads; only --save writes
    finally:
        store.close()


def test_an_audit_roll_up_compares_each_cell_with_its_last_quarter_and_saves(tmp_path):
    path = str(tmp_path / "store.sqlite3")
    store = open_store(path)
    try:
        for case_dir in ("vbn1-2020", "vbn2-2020"):
            assert _save(store, CASES / case_dir, QUARTERS_2020[0], job="audit")
    finally:
        store.close()
    done = _chibo("audit", "cases/vbn1-2020-compliant", "cases/vbn2-2020", "-q", "2020-Q2", "--store", path, "--save",
                  "--format", "json", "--lang", "en")
    assert done.returncode == 1 and "Saved 2 judged run(s)" in " ".join(done.stderr.split()), done.stderr
    data = json.loads(done.stdout)
    import jsonschema

    jsonschema.validate(data, json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8")))
    compared = {Path(c["path"]).name: c["store_comparison"] for c in data["cells"]}
    assert compared["vbn1-2020-compliant"]["text"].endswith("1 gap(s) fixed, 14 new.")
    assert compared["vbn2-2020"]["quarter"] == "2020-Q1"
    assert [g["rule"] for g in compared["vbn1-2020-compliant"]["fixed"]] == ["R41"]
    store = open_store(path)
    try:
        assert _count(store, runs) == 4
    finally:
        store.close()


def test_chibo_save_makes_saving_the_default_and_ready_saves_its_checklist_with_the_plan(tmp_path):
    path = str(tmp_path / "store.sqlite3")
    env = {"CHIBO_SAVE": "1", "CHIBO_STORE": path}
    done = _chibo("ready", "cases/vbn1-2020", "--meeting", "24/04/2020", env=env)
    assert done.returncode == 1 and "Đã lưu 1 lần xét" in done.stderr, done.stderr
    skipped = _chibo("check", "cases/vbn2-2020", "--no-save", env=env)
    assert skipped.returncode == 1 and "Đã lưu" not in skipped.stderr
    store = open_store(path)
    try:
        with store.read() as conn:
            (job, as_of), = conn.execute(select(runs.c.job, runs.c.as_of)).all()
            rules = [r for (r,) in conn.execute(select(results.c.rule_id))]
        assert (job, as_of) == ("ready", dt.date(2020, 4, 24))
        assert len(rules) == len(set(rules)) > 48  # the plan's 48 requirements and the readiness checklist
    finally:
        store.close()


def _tiny_cells(root: Path, n: int) -> None:
    """n cells with only cell.yaml: judged in milliseconds (every rule without data), saved like any other."""
    for i in range(n):
        folder = root / f"cell-{i:04d}"
        folder.mkdir(parents=True)
        (folder / "cell.yaml").write_text(
            f'name: "Chi bộ thử {i:04d}"\nparty_committee: "Đảng bộ thử"\nplan: "vbn1-2020"\nplan_year: 2020\n',
            encoding="utf-8")


SECOND_WRITER = """
import datetime as dt
import json
import sys
import time
from pathlib import Path
from chibo_rules.store.db import open_store
from chibo_rules.store.save import save
record = json.loads(open(sys.argv[2], encoding="utf-8").read())
stop = Path(sys.argv[3])
store = open_store(sys.argv[1])
n = 0
while not stop.exists() and n < 5000:  # until the roll-up has finished saving
    record["cell"] = {"committee": "Đảng bộ khác", "name": f"Chi bộ viết song song {n}"}
    record["submission"]["hash"] = f"{n:064d}"
    record["run"]["saved_at"] = dt.datetime.now(dt.timezone.utc).isoformat()
    assert save(store, record)
    n += 1
    time.sleep(0.05)  # a steady trickle of saves, through the whole roll-up (its saving included)
store.close()
print(n)
"""


def test_a_1000_cell_rollup_on_two_jobs_and_a_second_writer_lose_nothing(store_url, tmp_path):
    _tiny_cells(tmp_path / "cells", 1000)
    record = run_record(_judged(CASES / "vbn1-2020", QUARTERS_2020[1]), "check")
    (tmp_path / "record.json").write_text(json.dumps(record), encoding="utf-8")
    open_store(store_url).close()  # created before both writers start
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", SECOND_WRITER, store_url, str(tmp_path / "record.json"),
                               str(stop)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    # two rules per cell keep the test quick; what is saved per run is the same code whatever their number
    try:
        done = _chibo("check", str(tmp_path / "cells"), "--as-of", "30/06/2020", "--jobs", "2", "--save", "--store",
                      store_url, "--format", "json", "-o", str(tmp_path / "rollup.json"), "--evaluator", "oracle",
                      "--only", "R04,R41")
    finally:
        stop.touch()
    out, err = writer.communicate(timeout=300)
    assert done.returncode in (0, 1), done.stderr
    assert writer.returncode == 0, err
    written = int(out.strip())
    store = open_store(store_url)
    try:
        assert _count(store, cells) == 1000 + written
        assert _count(store, runs) == 1000 + written
        assert _count(store, results) == 1000 * 2 + written * 48
        with store.read() as conn:
            times = conn.execute(select(cells.c.committee, runs.c.saved_at)
                                 .join(submissions, submissions.c.cell_id == cells.c.id)
                                 .join(runs, runs.c.submission_id == submissions.c.id)).all()
        rollup_times = [t for c, t in times if c == "Đảng bộ thử"]
        other_times = [t for c, t in times if c != "Đảng bộ thử"]
        # the second writer saved while the roll-up was saving (between its batches), not only before or after
        assert any(min(rollup_times) < t < max(rollup_times) for t in other_times)
        view = committee_view(store, "Đảng bộ thử")
        assert len(view.cells) == 1000 and view.quarters == ["2020-Q2"]
    finally:
        store.close()
