"""`chibo review` (issue 24): the year-end review, its proposed rating and the committee's roll-up.

The rating function is tested at every boundary of Quy định 366-QĐ/TW art. 11 without a case (pure terms); the
command on the bundled cells gives golden JSON and Word text whose points and proposed level are asserted by value;
the edges (a year outside the plan, no scoring.yaml, a section without data, requirements not yet due, last year
from the store, a committee's cap) each have their outcome. (tests/test_review.py is plan drafting's review sheet.)
"""

from __future__ import annotations

import json
import os
import shutil
from fractions import Fraction
from pathlib import Path

import docx
import jsonschema
import pytest

from chibo_rules.errors import InputError
from chibo_rules.jobs.plans import Plans, load_checked
from chibo_rules.jobs.review import Terms, by_section, exceeds, rate
from chibo_rules.ruleset.scoring import Scoring, load_rating, load_scoring, spread_points

from .clirun import invoke_chibo
from .conftest import COMPLIANT_CASE, GAPS_CASE, ROOT

CASES = ROOT / "cases"
TAN_PHUOC = CASES / "tan-phuoc-2020-2022"
GOLDEN = ROOT / "tests" / "golden" / "review"
SCHEMA = json.loads((ROOT / "docs" / "review.schema.json").read_text(encoding="utf-8"))
NO_STORE = {"CHIBO_STORE": None}


def terms(points: str = "100", counted: int = 10, done: int = 10, on_time: int = 10, late: int = 0,
          exceeded: int = 3, disciplined: bool | None = False) -> Terms:
    return Terms(Fraction(points), Fraction(100), Fraction(100), counted, done, on_time, late, exceeded, 0, 0,
                 disciplined)


def level(t: Terms) -> str:
    return rate(t, load_rating()).level.level


# ------------------------------------------------------------------------------------ the rating, pure


def test_points_boundary_89_9_and_90():
    assert level(terms("90")) == "excellent"
    assert level(terms("89.9")) == "good"
    assert level(terms("70")) == "good"
    assert level(terms("69.9")) == "complete"
    assert level(terms("50")) == "complete"
    assert level(terms("49.9")) == "not_complete"


def test_exactly_30_percent_exceeded_is_excellent():
    assert level(terms(exceeded=3)) == "excellent"  # 3 of 10 = 30 %
    assert level(terms(counted=1000, done=1000, on_time=1000, exceeded=299)) == "good"  # 29.9 %


def test_exactly_20_percent_late_is_complete():
    # done but two of ten late: not on time (so not good), 20 % behind schedule: complete
    assert level(terms("95", on_time=8, late=2)) == "complete"
    assert level(terms("95", counted=1000, done=1000, on_time=799, late=201)) == "not_complete"  # 20.1 %


def test_not_everything_done_is_not_complete_whatever_the_points():
    assert level(terms("99", done=9, on_time=9)) == "not_complete"


def test_excellent_needs_nobody_disciplined_and_known():
    assert level(terms(disciplined=True)) == "good"
    assert level(terms(disciplined=None)) == "good"  # not known is never assumed to be "nobody"
    proposal = rate(terms(disciplined=None), load_rating())
    excellent = proposal.tried[0][1]
    assert [c.name for c in excellent] == ["min_points", "min_on_time_share", "min_exceeded_share", "no_discipline"]
    assert [c.met for c in excellent] == [True, True, True, False]


def test_thresholds_are_library_data():
    rating = load_rating()
    assert [lv.level for lv in rating.levels] == ["excellent", "good", "complete", "not_complete"]
    assert (rating.levels[0].min_points, rating.levels[0].min_exceeded_share) == (90, 30)
    assert (rating.levels[2].min_points, rating.levels[2].max_late_share) == (50, 20)
    assert "366-QĐ/TW" in rating.source


def test_exceeded_margin_both_ways():
    ten = Fraction(10)
    assert exceeds(Fraction(110), Fraction(100), "gte", ten)
    assert not exceeds(Fraction("109.99"), Fraction(100), "gte", ten)
    assert exceeds(Fraction("0.9"), Fraction(1), "lt", ten)  # a cap: exceeded below it by the margin
    assert not exceeds(Fraction("0.91"), Fraction(1), "lt", ten)
    assert not exceeds(Fraction(0), Fraction(0), "eq", ten)


# ---------------------------------------------------------------------------------------- scoring data


def _plan(case: Path):
    return load_checked(case, Plans())


def test_no_scoring_yaml_spreads_100_points_over_the_sections():
    _, plan = _plan(GAPS_CASE)
    sections = by_section(plan.prepared)
    scoring = load_scoring(plan.ruleset.folder, [p.id for p in plan.prepared], list(sections))
    assert scoring.default and scoring.path.parent.name == "review"
    points = spread_points(scoring.scoring, sections)
    assert sum(points.values()) == 100
    for ids in sections.values():  # every section the same share
        assert sum(points[i] for i in ids) == Fraction(100, len(sections))


def test_plan_scoring_yaml_gives_points_per_section():
    _, plan = _plan(TAN_PHUOC)
    sections = by_section(plan.prepared)
    scoring = load_scoring(plan.ruleset.folder, [p.id for p in plan.prepared], list(sections))
    assert not scoring.default and scoring.scoring.disciplined == ["R19"]
    points = spread_points(scoring.scoring, sections)
    assert sum(points[i] for i in sections["B.II.2"]) == 30
    assert sum(points.values()) == 100


def test_points_for_a_section_or_rule_the_plan_has_not_are_refused(tmp_path):
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "scoring.yaml").write_text("points: {B.IX: 10}\ndisciplined: [R99]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scoring(folder, ["R01"], ["B.I"])
    assert {p.field for p in err.value.problems} == {"points.B.IX", "disciplined"}
    assert all(p.file.endswith("scoring.yaml") for p in err.value.problems)


def test_a_rule_with_its_own_points_leaves_the_rest_of_its_section_to_the_others():
    points = spread_points(Scoring(points={"A": 50, "R2": 20}), {"A": ["R1", "R2", "R3"], "B": ["R4"]})
    assert points == {"R1": 15, "R2": 20, "R3": 15, "R4": 50}


# ------------------------------------------------------------------------------------- the command line


def review(*args, env=NO_STORE):
    return invoke_chibo("review", *args, env=env)


def review_json(*args) -> tuple[int, dict]:
    run = review(*args, "--format", "json")
    assert "Traceback" not in run.stderr
    return run.returncode, json.loads(run.stdout)


def _golden_json(data: dict) -> dict:
    data = json.loads(json.dumps(data, ensure_ascii=False))
    for key in ("tool", "evaluator", "evaluator_detail"):
        data.pop(key)
    return data


GOLDEN_CELLS = {  # case -> (exit code, points, level, counted, done, exceeded, not due)
    "vbn1-2020": (1, 77.3889, "not_complete", 44, 38, 6, 0),
    "vbn1-2020-compliant": (0, 100, "good", 44, 44, 5, 0),
    "tan-phuoc-2020-2022": (0, 100, "good", 28, 28, 8, 9),
}


@pytest.mark.parametrize("name", list(GOLDEN_CELLS))
def test_golden_json_with_points_and_rating_asserted(name):
    code, data = review_json(CASES / name, "--year", "2020")
    jsonschema.validate(data, SCHEMA)
    exit_code, points, level_, counted, done, exceeded, not_due = GOLDEN_CELLS[name]
    assert code == exit_code
    assert data["terms"]["points"] == points
    assert data["proposal"]["level"] == level_ and data["proposal"]["is_proposal"] is True
    assert (data["terms"]["counted"], data["terms"]["done"], data["terms"]["exceeded"],
            data["terms"]["not_due"]) == (counted, done, exceeded, not_due)
    path = GOLDEN / f"{name}.vi.json"
    produced = _golden_json(data)
    if os.environ.get("CHIBO_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(produced, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert produced == json.loads(path.read_text(encoding="utf-8"))


def test_gaps_case_names_each_shortcoming_with_owner_and_its_direction():
    _, data = review_json(GAPS_CASE, "--year", "2020")
    assert data["limitations"] == ["R01", "R04", "R14", "R28", "R41", "R43"]
    assert [d["rule"] for d in data["directions"]] == data["limitations"]
    assert data["scoring"]["default"] is True
    assert data["terms"]["disciplined"] is None  # the default declares no rule for it: not known
    r14 = next(r for r in data["rules"] if r["id"] == "R14")
    assert (r14["measured"], r14["target_value"], r14["earned"], r14["done"]) == (10, 11, 0, False)


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    out = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            out += ["\t".join(cell.text for cell in row.cells) for row in block.rows]
        else:
            out.append(block.text)
    return "\n".join(out)


@pytest.mark.parametrize("name", ["vbn1-2020", "tan-phuoc-2020-2022"])
def test_golden_word_text(name, tmp_path):
    out = tmp_path / "review.docx"
    run = review(CASES / name, "--year", "2020", "--format", "docx", "-o", out)
    assert run.returncode == GOLDEN_CELLS[name][0], run.stderr
    text = docx_text(out)
    from chibo_rules import __version__

    text = text.replace(__version__, "VERSION")
    assert "KIỂM ĐIỂM" in text.upper() and "V. Tự đánh giá, xếp loại chất lượng (đề xuất)" in text
    expected_level = {"vbn1-2020": "Không hoàn thành nhiệm vụ (77,39 điểm)",
                      "tan-phuoc-2020-2022": "Hoàn thành tốt nhiệm vụ (100 điểm)"}[name]
    assert f"Đề xuất xếp loại: {expected_level}" in text
    assert "Nguyên nhân chủ quan: ……" in text  # the causes are the secretary's to write
    path = GOLDEN / f"{name}.vi.docx.txt"
    if os.environ.get("CHIBO_UPDATE_GOLDEN"):
        path.write_text(text + "\n", encoding="utf-8")
    assert text + "\n" == path.read_text(encoding="utf-8")


def test_markdown_and_html_render(tmp_path):
    run = review(GAPS_CASE, "--year", "2020", "--format", "markdown", "--lang", "en")
    assert run.returncode == 1
    assert "Proposed rating: Did not complete tasks (77.39 points)" in run.stdout
    assert "the library's default" in run.stdout  # no scoring.yaml: said
    html = tmp_path / "r.html"
    assert review(GAPS_CASE, "--year", "2020", "--format", "html", "-o", html).returncode == 1
    assert "Đề xuất xếp loại" in html.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, said", [("vi", "Đề xuất xếp loại: Không hoàn thành nhiệm vụ (77,39 điểm)"),
                                         ("en", "Proposed rating: Did not complete tasks (77.39 points)")])
def test_the_terminal_says_the_proposed_rating_once_at_the_end_of_section_v(lang, said):
    """The terminal prints a report's summary last; the review's summary is its proposed rating, which section V
    has just concluded with: said once, the proposal's note after it (it was printed twice in a row)."""
    run = review(GAPS_CASE, "--year", "2020", "--lang", lang)
    assert run.returncode == 1, run.stderr
    lines = [line.strip() for line in run.stdout.splitlines() if line.strip()]
    assert lines.count(said) == 1
    assert lines[lines.index(said) + 2].startswith(("Lập bởi chibo", "Produced by chibo"))  # its note, then the footer
    check = invoke_chibo("check", GAPS_CASE)
    assert check.stdout.rstrip().splitlines()[-3].startswith("48 yêu cầu: 38 đạt, 6 chưa đạt")  # still said last


def test_excellent_when_a_plan_declares_a_narrower_margin(tmp_path):
    plan = tmp_path / "tan-phuoc-2020-2022"
    shutil.copytree(ROOT / "rules" / "tan-phuoc-2020-2022", plan)
    scoring = plan / "scoring.yaml"
    scoring.write_text(scoring.read_text(encoding="utf-8").replace("exceeded_margin: 10", "exceeded_margin: 5"),
                       encoding="utf-8")
    code, data = review_json(TAN_PHUOC, "--year", "2020", "--rules", plan)
    assert code == 0
    assert data["terms"]["exceeded"] == 10 and data["terms"]["exceeded_share"] == 35.7143
    assert data["proposal"]["level"] == "excellent"
    assert data["terms"]["disciplined"] is False  # R19 passed


# ---------------------------------------------------------------------------------------------- edges


def test_a_year_outside_the_plan_is_exit_2_with_a_message():
    run = review(GAPS_CASE, "--year", "2019")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "năm kiểm điểm nằm ngoài kế hoạch: 2019 ∉ 2020 (vbn1-2020)" in run.stderr
    assert review(GAPS_CASE, "--year", "2020", "--as-of", "01/01/2021").returncode == 2
    assert review(GAPS_CASE, "--year", "2020", "--quarter", "5").returncode == 2


def test_a_section_without_data_claims_no_points(tmp_path):
    case = tmp_path / "vbn1-2020"
    shutil.copytree(COMPLIANT_CASE, case)
    for name in ("organisation_ratings.csv", "school_titles.csv", "youth_admissions.csv"):  # what B.I.3 reads
        (case / name).unlink()
    code, data = review_json(case, "--year", "2020")
    section = next(s for s in data["sections"] if s["section"] == "B.I.3")
    assert section["no_data"] is True and section["earned"] == 0 and section["points"] > 0
    assert data["terms"]["no_data"] >= 3 and data["terms"]["points"] < 100
    text = review(case, "--year", "2020").stdout
    assert "Mục này không có số liệu: không tính điểm" in text


def test_requirements_not_yet_due_are_not_counted_and_said():
    code, data = review_json(GAPS_CASE, "--year", "2020", "--quarter", "2")
    assert data["as_of"] == "2020-06-30" and data["quarter"] == 2
    waiting = [r["id"] for r in data["rules"] if not r["counted"]]
    assert waiting and data["terms"]["not_due"] == len(waiting)
    assert data["terms"]["counted"] + len(waiting) == 44
    assert data["terms"]["available"] < 100  # the points of what is not due are left out, not lost
    text = review(GAPS_CASE, "--year", "2020", "--quarter", "2").stdout
    assert "Chưa đến hạn:" in text and "quý II năm 2020" in text


def test_no_store_and_an_empty_store_say_so(tmp_path):
    _, data = review_json(GAPS_CASE, "--year", "2020")
    assert data["remedy"] == {"store": False, "submitted": None, "fixed": [], "still": []}
    store = tmp_path / "s.sqlite3"
    saved = invoke_chibo("check", GAPS_CASE, "--save", "--store", store)
    assert saved.returncode == 1, saved.stderr
    run = review(GAPS_CASE, "--year", "2020", "--store", store)
    assert "Kho lưu trữ không có báo cáo nào của chi bộ cho năm 2019" in run.stdout


def test_last_years_shortcomings_from_the_store(tmp_path):
    store = tmp_path / "s.sqlite3"
    saved = invoke_chibo("check", TAN_PHUOC, "--as-of", "31/12/2021", "--save", "--store", store)
    assert saved.returncode == 1, saved.stderr
    code, data = review_json(TAN_PHUOC, "--year", "2022", "--store", store)
    remedy = data["remedy"]
    assert remedy["store"] is True and remedy["submitted"] == {"as_of": "2021-12-31", "quarter": "2021-Q4"}
    assert remedy["still"] and {g["rule"] for g in remedy["still"]} <= set(data["limitations"])
    text = review(TAN_PHUOC, "--year", "2022", "--store", store).stdout
    assert "Đối chiếu với báo cáo đã nộp ngày 31/12/2021" in text and "Chưa khắc phục" in text


def test_a_store_named_but_missing_is_exit_2(tmp_path):
    run = review(GAPS_CASE, "--year", "2020", "--store", tmp_path / "none.sqlite3")
    assert run.returncode == 2 and "Traceback" not in run.stderr


# --------------------------------------------------------------------------------------------- roll-up


def test_rollup_counts_per_level_worst_first():
    code, data = review_json(CASES, "--year", "2020")
    jsonschema.validate(data, SCHEMA)
    assert code == 1
    assert data["counts"] == {"not_complete": 2, "good": 2}
    assert [c["level"] for c in data["cells"]] == ["not_complete", "not_complete", "good", "good"]
    assert [c["points"] for c in data["cells"]][:2] == sorted([c["points"] for c in data["cells"]][:2])
    assert data["cap"] is None


def test_committee_cap_warns_when_proposals_exceed_it(tmp_path):
    for case in (COMPLIANT_CASE, TAN_PHUOC):
        shutil.copytree(case, tmp_path / case.name)
    (tmp_path / "committee.yaml").write_text("review_cap: {level: good, max_share: 40}\n", encoding="utf-8")
    code, data = review_json(tmp_path, "--year", "2020")
    assert code == 0  # the warning is the committee's to weigh, not a gap
    assert data["cap"]["exceeded"] is True and data["cap"]["actual_share"] == 100
    text = review(tmp_path, "--year", "2020", "--lang", "en").stdout
    assert "Warning: 2 of 2 cells (100%) are proposed “Completed tasks well”, more than the cap of 40%" in text


def test_a_committee_cap_on_an_unknown_level_is_refused(tmp_path):
    shutil.copytree(COMPLIANT_CASE, tmp_path / COMPLIANT_CASE.name)
    shutil.copytree(TAN_PHUOC, tmp_path / TAN_PHUOC.name)
    (tmp_path / "committee.yaml").write_text("review_cap: {level: superb, max_share: 20}\n", encoding="utf-8")
    run = review(tmp_path, "--year", "2020")
    assert run.returncode == 2 and "committee.yaml" in run.stderr and "Traceback" not in run.stderr


# ------------------------------------------------------------------------------------- words, evaluators


def test_every_review_word_is_in_both_languages_and_used():
    import re

    from chibo_rules.report.reviewwords import WORDS

    assert all(vi.strip() and en.strip() and vi != en for vi, en in WORDS.values())
    sources = "".join((ROOT / "chibo_rules" / name).read_text(encoding="utf-8")
                      for name in ("report/review.py", "cli/review.py"))
    conditions = {k for k in WORDS if k.startswith("cond_")} if 'w(f"cond_{' in sources else set()
    used = conditions | {k for k in WORDS if re.search(rf"[\"']{k}[\"']", sources)}
    assert set(WORDS) == used, set(WORDS) ^ used


def test_the_oracle_proposes_what_the_engine_proposes():
    _, engine = review_json(GAPS_CASE, "--year", "2020", "--evaluator", "engine")
    _, oracle = review_json(GAPS_CASE, "--year", "2020", "--evaluator", "oracle")
    assert engine["terms"] == oracle["terms"] and engine["proposal"] == oracle["proposal"]
    assert [r["earned"] for r in engine["rules"]] == [r["earned"] for r in oracle["rules"]]


def test_a_task_done_after_its_due_date_is_late_and_the_cell_complete(tmp_path):
    """Every target met by 31/12, but one member's Hồ Chí Minh items recorded in April, after the 31/03 due date
    of R03: done late (judged at 31/03 from the records dated by then), so not "good" (100 % on time) but
    "complete" (1 of 44 behind schedule, under 20 %)."""
    case = tmp_path / "vbn1-2020"
    shutil.copytree(COMPLIANT_CASE, case)
    items = case / "hcm_items.csv"
    lines = items.read_text(encoding="utf-8").splitlines()
    items.write_text("\n".join(line.replace(",2020-01-10", ",2020-04-10") if line.startswith("P01,") else line
                               for line in lines) + "\n", encoding="utf-8")
    code, data = review_json(case, "--year", "2020")
    assert code == 0
    r03 = next(r for r in data["rules"] if r["id"] == "R03")
    assert (r03["done"], r03["on_time"], r03["late"], r03["due_checked"]) == (True, False, True, "2020-03-31")
    assert (data["terms"]["on_time"], data["terms"]["late"]) == (43, 1)
    assert data["proposal"]["level"] == "complete"
    assert "hoàn thành chậm (chưa đạt ở hạn 31/03/2020)" in r03["note"]


def test_a_rollup_with_cells_outside_the_year_is_exit_2_and_names_them():
    code, data = review_json(CASES, "--year", "2021")
    assert code == 2
    assert data["counts"] == {"none": 3, "not_complete": 1}
    broken = [c for c in data["cells"] if c["review"] is None]
    assert len(broken) == 3 and all(c["problems"][0]["code"] == "review_year" for c in broken)


def test_a_bug_on_one_cell_of_a_rollup_is_exit_3_and_the_others_go_on(tmp_path, monkeypatch):
    from chibo_rules.cli import review as cli_review

    real = cli_review.review_one

    def broken(path, *args, **kwargs):
        if path.name == "vbn2-2020":
            raise RuntimeError("a bug met on this cell")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(cli_review, "review_one", broken)
    run = invoke_chibo("review", CASES, "--year", "2020", "--format", "json",
                       env={**NO_STORE, "CHIBO_LOG_DIR": str(tmp_path)})
    assert run.returncode == 3
    data = json.loads(run.stdout)
    crashed = [c for c in data["cells"] if c["problems"]]
    assert [Path(c["path"]).name for c in crashed] == ["vbn2-2020"] and crashed[0]["problems"][0]["code"] == "crash"
    assert sum(c["review"] is not None for c in data["cells"]) == 3
    assert list(tmp_path.glob("chibo-crash-*.log"))


def test_members_writes_each_members_draft_beside_the_review_and_only_for_one_cell(tmp_path):
    """`--members` (issue 24 item 3): the same judged report gives every Party member's Word draft in the zip
    and the workbook beside it; a roll-up has no one cell's members, so it is a usage error."""
    import zipfile

    import openpyxl

    target = tmp_path / "bkd-2020.zip"
    run = review(GAPS_CASE, "--year", "2020", "--members", str(target))
    assert run.returncode == 1, run.stderr
    with zipfile.ZipFile(target) as zipped:
        names = zipped.namelist()
    assert len(names) == 17 and names[0] == "P01-Nguyen-Van-Hung.docx"
    assert openpyxl.load_workbook(target.with_suffix(".xlsx"), read_only=True).sheetnames
    refused = review(CASES, "--year", "2020", "--members", str(tmp_path / "all.zip"))
    assert refused.returncode == 2 and "--members" in refused.stderr
    assert not (tmp_path / "all.zip").exists()
