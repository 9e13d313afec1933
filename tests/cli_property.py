"""The hostile-input property, run as a program under a memory limit (tests/test_hostile_property.py).

Hypothesis breaks one value, one line or one cell of a real case — as CSV, as a YAML fact file or as a
workbook — and runs the commands that read it and the ones that write (`check`, `validate`, `audit`,
`ready`, `check -o report.html`, `template --from … OUT`). Whatever it generates, each command must exit 0,
1 or 2 (never 3, a bug), print no traceback, leave every file of the case as it was and write nothing but
the output it was asked for. Run in a process whose address space is limited (see the test), so a value
that makes chibo balloon fails instead of swapping.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

import openpyxl
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "cases" / "vbn1-2020-compliant"
FILES = ["people.csv", "timesheets.csv", "briefings.csv", "meetings.csv", "resolutions.csv", "ratings.csv",
         "student_figures.csv", "cell.yaml"]
HOSTILE = [
    "", " ", "=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "2020-02-30", "2020-13-01", "31/02/2020", "25:61",
    "9" * 5000, "1e309", "nan", "inf", "-0", "0x10", "1_000", "tốt", "TỐT ", "có", "không", "P99", "\x1b[2J\x1b[31m",
    "\u202e", "\u200bP01", "\ufeff", "\x00", "\x0b", "\x0c", '"', '"unclosed', "a,b", "line\nbreak", "\r",
    "{a: 1}", "[1, 2]", "&anchor", "*alias", "!!python/object:os.system", "? x", "|", "null", "~", "yes", "On",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.text(alphabet=st.characters(max_codepoint=31),
                                                                             max_size=8))
COMMANDS = [
    ["check", "{case}"], ["validate", "{case}"], ["audit", "{case}", "--quarter", "2020-Q3"],
    ["ready", "{case}", "--meeting", "05/10/2020"],
    ["check", "{case}", "--format", "html", "-o", "{out}/bao-cao.html"],
    ["check", "{case}", "--format", "json", "--lang", "en"],
    ["template", "--from", "{case}", "{out}/mau.xlsx"],
]


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _cli(args: list[str]) -> tuple[int, str]:
    """chibo's console entry point, in this process; its exit code and everything it printed."""
    from chibo_rules.cli import main

    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["chibo", *args]
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return code, out.getvalue() + err.getvalue()


def _break_csv(path: Path, line: int, column: int, value: str, raw: bool) -> None:
    text = path.read_text(encoding="utf-8")
    if raw:  # structure broken too: the value replaces a whole line, as typed
        lines = text.splitlines()
        lines[line % len(lines)] = value
        path.write_text("\n".join(lines), encoding="utf-8")
        return
    rows = list(csv.reader(io.StringIO(text)))
    row = rows[line % len(rows)]
    if row:
        row[column % len(row)] = value
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


def _break_yaml(path: Path, line: int, value: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    at = line % len(lines)
    key = lines[at].split(":", 1)[0]
    lines[at] = f"{key}: {value}" if line % 2 else f"{key}: {yaml.safe_dump(value).strip()}"
    path.write_text("\n".join(lines), encoding="utf-8")


def _as_yaml_facts(case: Path, name: str) -> Path:
    """The CSV file as a YAML fact file (a list of records), which chibo reads the same way."""
    with (case / name).open(encoding="utf-8", newline="") as f:
        records = [{k: v for k, v in row.items() if v} for row in csv.DictReader(f)]
    (case / name).unlink()
    target = case / name.replace(".csv", ".yaml")
    target.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return target


def _workbook(case: Path, work: Path) -> Path:
    code, text = _cli(["template", "--from", str(case), str(work / "ho-so.xlsx")])
    assert code == 0, text
    return work / "ho-so.xlsx"


def _break_workbook(book: Path, sheet: int, row: int, column: int, value: str) -> None:
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[sheet % len(wb.worksheets)]
    try:
        ws.cell(row=1 + row % max(ws.max_row, 1), column=1 + column % max(ws.max_column, 1), value=value)
    except Exception:  # a value openpyxl itself cannot store (a control character): nothing to test
        return
    wb.save(book)


GENERATED = dict(
    form=st.sampled_from(["csv", "csv-raw", "yaml", "workbook"]), name=st.sampled_from(FILES),
    line=st.integers(0, 60), column=st.integers(0, 12), value=VALUES, command=st.sampled_from(COMMANDS),
)


def _one(work_root: Path, form: str, name: str, line: int, column: int, value: str, command: list[str]) -> None:
    work = Path(tempfile.mkdtemp(dir=work_root))
    try:
        case = work / "case"
        shutil.copytree(CASE, case)
        out = work / "out"
        out.mkdir()
        target: Path = case
        if form == "workbook":
            target = _workbook(case, work)
            _break_workbook(target, line, line, column, value)
            shutil.rmtree(case)
        elif name.endswith(".yaml"):
            _break_yaml(case / name, line, value)
        elif form == "yaml":
            _break_yaml(_as_yaml_facts(case, name), line, value)
        else:
            _break_csv(case / name, line, column, value, raw=form == "csv-raw")
        before = _digest(work)
        args = [a.format(case=target, out=out) for a in command]
        code, text = _cli(args)
        assert code in (0, 1, 2), (code, args, text[-3000:])
        assert "Traceback" not in text, text[-3000:]
        after = _digest(work)
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        allowed = {f"out/{Path(a).name}" for a in args if "/out/" in a}
        assert changed <= allowed, (changed, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(examples: int, shrink: bool = True) -> None:
    """`examples` generated cases; without `shrink`, the first failure is raised as found (the tests that
    prove the property can fail need no minimal example)."""
    phases = [p for p in Phase if shrink or p not in (Phase.shrink, Phase.explain)]
    with tempfile.TemporaryDirectory() as root:
        test = settings(max_examples=examples, deadline=None, database=None, report_multiple_bugs=False,
                        phases=phases, suppress_health_check=list(HealthCheck))(given(**GENERATED)(_one))
        test(Path(root))


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print(f"peak {peak // 1024} MB")
