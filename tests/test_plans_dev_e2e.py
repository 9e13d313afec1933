"""Issue 21 item 3: for three real published plans of different kinds of cells (../shared/plans-dev: a village,
a state office, a preschool) the whole chain with no programmer — `plan draft` → every proposal accepted in the
review sheet → `plan apply` into a plans/ folder beside the case → `template` → the workbook filled in as a
secretary would (openpyxl: names, dates, figures that meet the plan) → `chibo check` with no option finds the
plan, reads every row without an input problem and names exactly the gaps planted.

The plans' texts are read where they are (never copied here); the figures filled in are computed from each
applied rule's own target, so nothing of a plan's wording is written in this file.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .clirun import run_chibo
from .conftest import ROOT

PLANS_DEV = next((p / "shared" / "plans-dev" for p in (ROOT.parent, ROOT.parent.parent)
                  if (p / "shared" / "plans-dev").is_dir()), ROOT.parent / "shared" / "plans-dev")

NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang",
         "Đặng Văn Hải", "Bùi Thị Hạnh", "Đỗ Văn Khánh", "Ngô Thị Lan", "Dương Văn Minh", "Lý Thị Ngọc",
         "Mai Văn Phúc", "Trịnh Thị Quyên", "Tạ Văn Sơn", "Hồ Thị Thu"]


def _cli(*args: Any, cwd: Path) -> subprocess.CompletedProcess:
    return run_chibo(*args, cwd=cwd, timeout=300)


def _plan(name: str) -> Path:
    folder = PLANS_DEV / name
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{folder} is missing on CI")
        pytest.skip(f"{folder} is not here (the shared plans-dev folder beside the repository)")
    return folder / "plan.txt"


def _chain(tmp_path: Path, name: str) -> tuple[dict[str, dict[str, Any]], list[int], Any, Path]:
    """Draft, accept every proposal, apply into xa/plans/<name>, make the template: (rules by id, the plan's
    years, the template workbook, its path)."""
    from openpyxl import load_workbook

    draft = _cli("plan", "draft", _plan(name), "--out", tmp_path / "draft", cwd=tmp_path)
    assert draft.returncode == 0, draft.stdout[-2000:] + draft.stderr[-2000:]
    review = tmp_path / "draft" / "review.xlsx"
    book = load_workbook(review)
    sheet = book["Đề xuất"]
    decision = next(n for n, cell in enumerate(sheet[2]) if cell.value == "Quyết định")
    for row in sheet.iter_rows(min_row=3):
        row[decision].value = "chấp nhận"
    book.save(review)
    plans = tmp_path / "xa" / "plans"
    applied = _cli("plan", "apply", review, "--out", plans / name, cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout[-2000:] + applied.stderr[-2000:]
    workbook = tmp_path / "xa" / "ho-so.xlsx"
    made = _cli("template", workbook, "--plan", name, "--plans", plans, cwd=tmp_path)
    assert made.returncode == 0, made.stdout[-2000:] + made.stderr[-2000:]
    rules = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((plans / name).glob("D*.yaml"))}
    years = yaml.safe_load((plans / name / "plan.yaml").read_text(encoding="utf-8"))["years"]
    book = load_workbook(workbook)
    _cell(book, "Chi bộ Thử Nghiệm", "Đảng bộ xã Thử Nghiệm")
    return rules, years, book, workbook


def _cell(book, name: str, committee: str) -> None:
    for row in book["Chi bộ"].iter_rows(min_row=1):
        row[1].value = {"Tên chi bộ": name, "Đảng bộ cấp trên": committee}.get(row[0].value, row[1].value)


def _rows(book, sheet_name: str, rows: list[dict[str, Any]]) -> None:
    """Rows under the sheet's header row, by header."""
    sheet = book[sheet_name]
    head = [cell.value for cell in sheet[1]]
    for n, row in enumerate(rows, start=2):
        for header, value in row.items():
            sheet.cell(n, head.index(header) + 1, value)


def _people(book, members: int, others: int = 0) -> list[str]:
    """A roster: `members` Party members then `others` staff who are not; their codes."""
    rows = [{"Mã": f"P{n:02d}", "Họ và tên": NAMES[n - 1], "Đảng viên": "có" if n <= members else "không"}
            for n in range(1, members + others + 1)]
    _rows(book, "Nhân sự", rows)
    return [row["Mã"] for row in rows[:members]]


def _meeting(rule: dict[str, Any]) -> float:
    """A value just meeting the rule's target (a share for a ratio, a whole count, or an amount)."""
    target, op = float(rule["params"]["target"]), rule["check"]["op"]
    step = 0.5 if rule["check"].get("sum") == "f.value" else 1
    return {"gte": target, "gt": target + step, "lte": target, "lt": target - step, "eq": target}[op]


def _figure_rows(rules: dict[str, dict[str, Any]], years: list[int],
                 planted: dict[tuple[str, str], float]) -> list[dict[str, Any]]:
    """One row of the figures sheet per drafted indicator and year it is read for, meeting its target unless
    (rule id, year) is planted with another value. Ratios are out of 120 children / households."""
    rows = []
    for rule_id, rule in rules.items():
        pattern = rule["check"]["match"][0]
        if pattern["kind"] != "figures":
            continue
        where = pattern.get("where", {})
        periods = [where["period"]] if "period" in where else [str(y) for y in years]
        for period in periods:
            value = planted.get((rule_id, period), _meeting(rule))
            row = {"Chỉ tiêu": where["indicator"], "Kỳ": period, "Ngày": f"20/12/{period}"}
            total = rule["check"].get("sum")
            if isinstance(total, dict):
                row.update({"Tử số": math.ceil(value * 120 / 100), "Mẫu số": 120})
            elif total == "f.value":
                row["Giá trị"] = str(value).replace(".", ",")  # as typed in Vietnamese: 141,5
            else:
                row["Số lượng"] = int(value)
            rows.append(row)
    return rows


def _check(tmp_path: Path, workbook: Path, as_of: str) -> dict[str, Any]:
    run = _cli("check", workbook, "--as-of", as_of, "--format", "json", cwd=tmp_path)
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    return json.loads(run.stdout)


def _gaps(report: dict[str, Any]) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
    """(rule id, reason, period, refs' keys) of every gap item, sorted."""
    return sorted((r["id"], g["reason"], (g.get("values") or {}).get("period"),
                   tuple(str(ref["key"]) for ref in g["refs"])) for r in report["rules"] for g in r["gaps"])


def _statuses(report: dict[str, Any]) -> dict[str, str]:
    return {r["id"]: r["status"] for r in report["rules"]}


def test_a_village_plan_from_the_text_to_a_check_with_two_planted_gaps(tmp_path):
    """thon-tu-san-2022 (a village's congress resolution, 2022–2025): money by a year and a yearly growth rate,
    written with decimals. Planted: the last year's total below the target; one year's growth below it."""
    rules, years, book, workbook = _chain(tmp_path, "thon-tu-san-2022")
    assert len(rules) == 3 and all(r["check"].get("sum") == "f.value" for r in rules.values())
    by_year = [i for i, r in rules.items() if "period" in r["check"]["match"][0].get("where", {})]
    yearly = [i for i, r in rules.items() if "per" in r["check"]]
    assert len(by_year) == 2 and len(yearly) == 1
    last = str(years[-1])
    planted = {(by_year[0], last): float(rules[by_year[0]]["params"]["target"]) - 3.5,
               (yearly[0], "2023"): float(rules[yearly[0]]["params"]["target"]) - 0.8}
    _people(book, members=9)
    _rows(book, "Số liệu chỉ tiêu", _figure_rows(rules, years, planted))
    book.save(workbook)
    report = _check(tmp_path, workbook, f"31/12/{last}")
    assert _statuses(report) == {by_year[0]: "gap", by_year[1]: "passed", yearly[0]: "gap"}
    assert _gaps(report) == sorted([(by_year[0], "short", None, ()), (yearly[0], "short", "2023", ())])


def test_a_state_office_plan_reads_members_party_ratings_and_the_cells_own_rating(tmp_path):
    """vp-ubnd-tuyen-quang-2020 (a city office's cell, 2020–2022): '100% of members rated good' reads
    party_ratings, 'the cell clean and strong every year' reads cell_ratings. Planted: one member rated merely
    'completed' in 2021; the cell rated 'completed' in 2022."""
    rules, years, book, workbook = _chain(tmp_path, "vp-ubnd-tuyen-quang-2020")
    reads = {i: r["check"]["match"][0]["kind"] for i, r in rules.items()}
    assert sorted(reads.values()) == ["cell_ratings", "party_ratings"]
    members = _people(book, members=9, others=3)
    ratings = [{"Mã đảng viên": p, "Năm đánh giá": y,
                "Mức xếp loại": "hoàn thành nhiệm vụ" if (p, y) == ("P05", 2021) else
                "hoàn thành xuất sắc nhiệm vụ" if p == "P01" else "hoàn thành tốt nhiệm vụ",
                "Ngày chi bộ xét xếp loại": f"18/12/{y}"} for y in years for p in members]
    _rows(book, "Xếp loại đảng viên", ratings)
    _rows(book, "Xếp loại chi bộ", [
        {"Năm đánh giá": y, "Mức xếp loại": {2022: "hoàn thành nhiệm vụ"}.get(y, "hoàn thành tốt nhiệm vụ"),
         "Ngày xếp loại": f"15/01/{y + 1}" if y < years[-1] else f"28/12/{y}",
         "Cơ quan xếp loại": "Ban Thường vụ Đảng ủy khối"} for y in years])
    book.save(workbook)
    report = _check(tmp_path, workbook, f"31/12/{years[-1]}")
    members_rule = next(i for i, k in reads.items() if k == "party_ratings")
    cell_rule = next(i for i, k in reads.items() if k == "cell_ratings")
    assert _statuses(report) == {members_rule: "gap", cell_rule: "gap"}
    # P05's row: the 5th member of the second year, under the header row (9 members a year)
    assert _gaps(report) == sorted([(members_rule, "short", "2021", ()),
                                    (members_rule, "outside", "2021", ("party_ratings:15", "P05")),
                                    (cell_rule, "short", "2022", ()),
                                    (cell_rule, "outside", "2022", ("cell_ratings:4",))])
    # the member's rating said in words, by the rating's own field (not by the roster's, the last pattern)
    said = next(g["text"] for r in report["rules"] if r["id"] == members_rule for g in r["gaps"]
                if g["reason"] == "outside")
    assert said.endswith("xếp loại = hoàn thành nhiệm vụ (cần hoàn thành xuất sắc nhiệm vụ / hoàn thành tốt nhiệm vụ)")


def test_a_preschool_plan_from_the_text_to_a_check_with_two_planted_gaps(tmp_path):
    """mn-my-hung-2022 (a preschool's cell, 2022–2025): shares of children each year, a yearly number of health
    checks, no food-safety incident. Planted: one share below its target in 2023, one health check only in
    2024."""
    rules, years, book, workbook = _chain(tmp_path, "mn-my-hung-2022")
    assert len(rules) == 7
    share = next(i for i, r in rules.items() if isinstance(r["check"].get("sum"), dict)
                 and float(r["params"]["target"]) < 100)
    checks = next(i for i, r in rules.items() if r["check"].get("sum") == "f.count" and r["check"]["op"] == "gte")
    planted = {(share, "2023"): float(rules[share]["params"]["target"]) - 10,
               (checks, "2024"): float(rules[checks]["params"]["target"]) - 1}
    _people(book, members=8, others=6)
    _rows(book, "Số liệu chỉ tiêu", _figure_rows(rules, years, planted))
    book.save(workbook)
    report = _check(tmp_path, workbook, f"31/12/{years[-1]}")
    assert {i for i, s in _statuses(report).items() if s != "passed"} == {share, checks}
    assert _gaps(report) == sorted([(share, "short", "2023", ()), (checks, "short", "2024", ())])
