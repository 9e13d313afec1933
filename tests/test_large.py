"""A large file is read in bounded memory: 200,000 timesheet rows are streamed, not held as text."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys

from .conftest import ROOT, RULES

PEOPLE, WEEKS = 3850, 52  # 200,200 (person, week) rows, each person once a week


def _write_case(folder) -> int:
    (folder / "cell.yaml").write_text("name: Chi bộ lớn\nparty_committee: Đảng bộ xã\nplan: vbn1-2020\n"
                                      "plan_year: 2020\n", encoding="utf-8")
    with (folder / "people.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ref", "name", "party_member", "group", "position"])
        for i in range(PEOPLE):
            w.writerow([f"P{i:05d}", f"Người {i}", "không", "administrative", "clerk"])
    rows = 0
    with (folder / "timesheets.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["person", "week", "hours"])
        for i in range(PEOPLE):
            for k in range(WEEKS):
                w.writerow([f"P{i:05d}", (dt.date(2020, 1, 6) + dt.timedelta(weeks=k)).strftime("%d/%m/%Y"), "40"])
                rows += 1
    return rows


def test_200k_timesheet_rows_in_bounded_memory(tmp_path):
    rows = _write_case(tmp_path)
    size_mb = (tmp_path / "timesheets.csv").stat().st_size / 2**20
    code = (
        "import sys\n"
        "from chibo_rules.facts.case import load_case\n"
        "from chibo_rules.ruleset.rulespec import load_rules\n"
        "ruleset = load_rules(sys.argv[2])\n"
        "case = load_case(sys.argv[1], ruleset.schema, (ruleset.plan.start, ruleset.plan.end))\n"
        # VmHWM, not ru_maxrss: after fork+exec, ru_maxrss still counts the forked pytest parent's pages
        "peak = next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "print(len(case.records['timesheets']), peak // 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path), str(RULES)], capture_output=True, text=True,
                         cwd=ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    loaded, peak_mb = map(int, out.stdout.split())
    assert loaded == rows > 200_000
    # measured here: ~260 MB for 200k records (~1.1 KB per validated record); the raw text (~6 MB) and raw
    # rows are never all held. Holding the raw rows as well (the first loader) peaked at ~370 MB.
    assert peak_mb < 330, (peak_mb, size_mb)
