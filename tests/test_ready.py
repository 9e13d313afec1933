"""Pre-meeting readiness review: the example cell's meeting of 24/04/2020 is not ready and that of
05/05/2020 is (cases/vbn1-2020/README.md, "Họp chi bộ: chuẩn bị"), by both evaluators; missing
files never make a meeting ready; the agenda; the CLI."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from chibo_rules.errors import InputError
from chibo_rules.jobs.ready import last_meeting_before, owner_of, run_ready
from chibo_rules.report.views import agenda_markdown
from chibo_rules.ruleset.prepare import prepare
from chibo_rules.ruleset.rulespec import load_rules

from .clirun import invoke_chibo
from .conftest import GAPS_CASE, ROOT, RULES, load_case

APRIL, MAY = dt.date(2020, 4, 24), dt.date(2020, 5, 5)


@pytest.fixture(scope="module")
def checklist(ruleset):
    return prepare(ruleset, "ready")


def _items(r):
    return {p.id: f for p, f in r.items.results}


@pytest.mark.parametrize("evaluator", ["engine", "oracle"])
def test_april_meeting_is_not_ready_for_exactly_two_reasons(gaps_case, ruleset, prepared, checklist, evaluator):
    r = run_ready(gaps_case, ruleset, prepared, checklist, APRIL, evaluator)
    assert not r.ready
    assert r.last_meeting == dt.date(2020, 3, 3)
    items = _items(r)
    assert {k: f.status for k, f in items.items()} == {
        "M01": "gap", "M02": "advisory", "M03": "gap", "M04": "passed"}
    (story,) = items["M01"].gaps
    assert story.reason == "failed" and story.refs == [("s", "meeting"), ("mt", "SH-2020-04")]
    assert set(story.values) == {"story", "story_presenter"}
    (overdue,) = items["M03"].gaps
    assert overdue.refs == [("mt", "SH-2020-03"), ("d", "QN-2020-03-2")]
    deeds = [gaps_case.index()[("good_deeds", k)].fact for k in items["M02"].observed["evidence"]]
    assert sorted((d.person, d.date) for d in deeds) == [("P02", dt.date(2020, 3, 18)), ("P13", dt.date(2020, 4, 8))]
    assert items["M04"].observed["value"] == 1
    # the plan's own gaps as of the meeting: only R41 week 11 (P30) is open, owned by the principal
    assert {p.id for p, f in r.plan.results if f.status == "gap"} == {"R41"}
    assert r.owners["R41"] == "P01"
    # who owes what: the clerk's short week, and the overdue decision's owner
    assert {person: sorted(p.id for p, _ in items_) for person, items_ in r.owing.items()} == {
        "P30": ["R41"], "P29": ["M03"]}


@pytest.mark.parametrize("evaluator", ["engine", "oracle"])
def test_may_meeting_is_ready(gaps_case, ruleset, prepared, checklist, evaluator):
    r = run_ready(gaps_case, ruleset, prepared, checklist, MAY, evaluator)
    assert r.ready
    assert r.last_meeting == APRIL
    assert {k: f.status for k, f in _items(r).items()} == {
        "M01": "passed", "M02": "advisory", "M03": "passed", "M04": "passed"}
    deeds = _items(r)["M02"].observed["evidence"]
    assert sorted(gaps_case.index()[("good_deeds", k)].fact.person for k in deeds) == ["P10", "P15"]
    # open plan gaps are listed for the meeting, they do not block it
    assert {p.id for p, f in r.plan.results if f.status == "gap"} == {"R04", "R41"}


def test_missing_decisions_file_is_not_ready(tmp_path, ruleset, prepared, checklist):
    case_dir = tmp_path / "cell"
    shutil.copytree(GAPS_CASE, case_dir)
    (case_dir / "decisions.csv").unlink()
    r = run_ready(load_case(case_dir), ruleset, prepared, checklist, MAY)
    assert not r.ready
    m03 = _items(r)["M03"]
    assert m03.status == "no_data" and m03.missing_files == ["decisions.csv"]


def test_meeting_date_without_a_recorded_meeting(gaps_case, ruleset, prepared, checklist):
    r = run_ready(gaps_case, ruleset, prepared, checklist, dt.date(2020, 5, 6))
    m01 = _items(r)["M01"]
    assert m01.status == "gap" and [g.reason for g in m01.gaps] == ["missing"]


def test_owner_falls_back_from_rule_to_section_to_secretary(gaps_case, prepared):
    by_id = {p.id: p for p in prepared}
    owners = {rid: owner_of(by_id[rid], gaps_case) for rid in ("R41", "R14", "R04")}
    assert owners == {"R41": "P01", "R14": "P02", "R04": "P03"}
    assert last_meeting_before(gaps_case, dt.date(2020, 1, 3)) is None


def test_agenda_names_story_presenter_and_commendations(gaps_case, ruleset, prepared, checklist):
    text = agenda_markdown(run_ready(gaps_case, ruleset, prepared, checklist, MAY), "vi")
    assert text.startswith("# Dự thảo chương trình sinh hoạt — Chi bộ trường THCS Vĩnh Bình Nam 1")
    # the order of the minutes (Hướng dẫn 12-HD/BTCTW): opening, documents from above, then the story
    assert "2. Thông tin thời sự, phổ biến văn bản cấp trên: NQ-CB-02" in text
    assert "3. Kể chuyện về Bác: “Bác Hồ với các cháu thiếu nhi” — người kể: Nguyễn Văn Toàn" in text
    assert "Tuyên dương: Danh Hoàng Phong, Dương Thị Hồng Nhung" in text or \
        "Tuyên dương: Dương Thị Hồng Nhung, Danh Hoàng Phong" in text
    april = agenda_markdown(run_ready(gaps_case, ruleset, prepared, checklist, APRIL), "en")
    assert "Uncle Ho story: NOT YET CHOSEN" in april


def test_meeting_parameters_only_in_ready_rules(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    text = (rules / "M04-qccm-check-since-last-meeting.yaml").read_text(encoding="utf-8")
    (rules / "M04-qccm-check-since-last-meeting.yaml").write_text(text.replace("job: ready\n", ""), encoding="utf-8")
    with pytest.raises(InputError) as err:
        prepare(load_rules(rules), None)
    assert any("exists only in rules with job: ready" in p.detail for p in err.value.problems)


def test_cli_ready_exit_codes_checklist_and_agenda_file(tmp_path):
    agenda = tmp_path / "agenda.md"
    april = invoke_chibo("ready", GAPS_CASE, "--meeting", "24/04/2020", "--agenda", agenda)
    assert april.returncode == 1, april.stderr
    assert "Chuẩn bị sinh hoạt chi bộ ngày 24/04/2020" in april.stdout
    assert "☐ M01" in april.stdout and "☐ M03" in april.stdout and "☑ M04" in april.stdout
    assert "QN-2020-03-2" in april.stdout and "Chưa sẵn sàng" in april.stdout
    assert agenda.read_text(encoding="utf-8").count("\n1. ") == 1
    may = invoke_chibo("ready", GAPS_CASE, "-m", "2020-05-05", "--lang", "en")
    assert may.returncode == 0, may.stderr
    assert "Readiness for the cell meeting of 2020-05-05" in may.stdout and "Ready" in may.stdout


def test_cli_ready_bad_date_and_agenda_inside_case():
    bad = invoke_chibo("ready", GAPS_CASE, "--meeting", "31/02/2020")
    assert bad.returncode == 2 and "Ngày không có thật trên lịch: 31/02/2020" in bad.stderr  # not a wrong form
    inside = invoke_chibo("ready", GAPS_CASE, "--meeting", "05/05/2020", "--agenda", GAPS_CASE / "agenda.md")
    assert inside.returncode == 2 and not (GAPS_CASE / "agenda.md").exists()


def test_engine_and_oracle_agree_on_every_meeting_of_the_bundled_cells(ruleset, prepared, checklist):
    for folder in ("vbn1-2020", "vbn1-2020-compliant", "vbn2-2020"):
        case = load_case(ROOT / "cases" / folder)
        days = sorted({rec.fact.date for rec in case.records["meetings"]} | {dt.date(2020, 5, 6)})
        verdicts = set()
        for day in days:
            engine = run_ready(case, ruleset, prepared, checklist, day, "engine")
            oracle = run_ready(case, ruleset, prepared, checklist, day, "oracle")
            for (p, f), (_, g) in zip(engine.items.results, oracle.items.results, strict=True):
                assert f.comparable() == g.comparable(), (folder, day, p.id)
            assert engine.ready == oracle.ready
            verdicts.add(engine.ready)
        assert verdicts == {True, False}, folder  # each cell has ready and not-ready meetings


def test_a_ready_count_says_what_was_counted(gaps_case, ruleset, prepared, checklist):
    """M04 is ready: its line says what the 1 is (one QCCM check against the target), not a bare "1"."""
    from chibo_rules.report.views import ready_document

    r = run_ready(gaps_case, ruleset, prepared, checklist, APRIL, "oracle")
    for lang, want in (("vi", "Thực tế: 1 — chỉ tiêu: ít nhất 01 lần kiểm tra từ buổi sinh hoạt trước"),
                       ("en", "Observed: 1 — target: at least 1 check since the last meeting")):
        doc = ready_document(r, lang)
        (bullets,) = next(s for s in doc.sections if s.anchor == "checklist").blocks
        (m04,) = [item for item in bullets.items if item.text[0].text == "M04"]
        assert m04.children[0] == want
        assert len(m04.children) == 2 and m04.children[1] != "1"  # then the check it counted
