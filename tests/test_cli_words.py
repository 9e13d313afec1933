"""The command line as a first-time user meets it (issue 19): every word of its frame in the user's language,
every file it writes named, the quarter and date forms people type, plain words for rules, Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from chibo_rules.quarters import parse_quarter

from .conftest import GAPS_CASE, ROOT


def _chibo(*args, cwd: Path = ROOT, lang: str | None = None, columns: int | None = None,
           **kw) -> subprocess.CompletedProcess[str]:
    """chibo in a child process with no language set by the environment (Vietnamese unless --lang/lang)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CHIBO_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    env["PYTHONPATH"] = str(ROOT)
    if columns:
        env["COLUMNS"] = str(columns)
    if lang:
        env["CHIBO_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "chibo_rules", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300, **kw)


def _flat(text: str) -> str:
    """What a panel says, one line: rich's box and wrapping taken out."""
    return " ".join(text.translate(str.maketrans("│╭╮╰╯─", "      ")).split())


# --- item 6: the quarter and date forms people type ---------------------------------------------------------

@pytest.mark.parametrize("text", ["2020-Q2", "2020q2", "2/2020", "Q2/2020", "q2/2020", "quý 2/2020", "Quý 2/2020",
                                  "QUÝ 2/2020", "Quý II/2020", "quý ii/2020", "Q2-2020", "quy 2/2020",
                                  " quý 2 / 2020 ", "quý 2 năm 2020"])
def test_a_quarter_as_people_write_it(text):
    assert parse_quarter(text) == (2020, "Q2")


@pytest.mark.parametrize("text", ["5/2020", "Q0/2020", "quý V/2020", "2020", "Q2", "2/20", "2020-06", "quý IIII/2020",
                                  "02/06/2020"])
def test_what_is_not_a_quarter_is_refused(text):
    with pytest.raises(ValueError):
        parse_quarter(text)


def test_the_reports_own_quarter_wording_is_accepted_on_the_command_line():
    run = _chibo("audit", GAPS_CASE, "-q", "quý 2/2020", "--format", "json")
    assert run.returncode == 1, run.stderr
    assert '"quarter": "2020-Q2"' in run.stdout or "2020-Q2" in run.stdout


@pytest.mark.parametrize("lang, said", [("vi", "không có thật"), ("en", "does not exist")])
def test_a_date_that_does_not_exist_is_named_as_such(lang, said):
    run = _chibo("ready", GAPS_CASE, "--meeting", "31/4/2020", "--lang", lang)
    assert run.returncode == 2 and said in run.stderr and "31/4/2020" in run.stderr
    assert "dd/mm/yyyy" not in run.stderr and "Traceback" not in run.stderr


# --- item 4: every write names the file it wrote, on stderr --------------------------------------------------

WRITES = {
    "check -o": lambda out: ("check", GAPS_CASE, "--format", "markdown", "-o", out / "bao-cao.md"),
    "audit -o": lambda out: ("audit", GAPS_CASE, "-q", "2020-Q2", "--format", "json", "-o", out / "quy2.json"),
    "ready -o": lambda out: ("ready", GAPS_CASE, "-m", "05/05/2020", "--format", "html", "-o", out / "hop.html"),
    "ready --agenda": lambda out: ("ready", GAPS_CASE, "-m", "05/05/2020", "--agenda", out / "chuong-trinh.md"),
    "ready --minutes": lambda out: ("ready", GAPS_CASE, "-m", "05/05/2020", "--minutes", out / "bien-ban.docx"),
    "template": lambda out: ("template", out / "mau.xlsx", "--plan", "vbn1-2020"),
    "docs -o": lambda out: ("docs", "case-format", "-o", out / "case-format.md"),
}


@pytest.mark.parametrize("lang, said", [("vi", "Đã ghi"), ("en", "Wrote")])
@pytest.mark.parametrize("name", list(WRITES))
def test_every_write_names_the_file_it_wrote_on_stderr(tmp_path, name, lang, said):
    args = WRITES[name](tmp_path)
    target = next(a for a in args if isinstance(a, Path) and a.parent == tmp_path)
    run = _chibo(*args, "--lang", lang)
    assert run.returncode in (0, 1), run.stderr
    assert target.is_file()
    assert f"{said} {target}" in run.stderr.splitlines()
    assert str(target) not in run.stdout  # a pipe of the report (or of nothing) stays clean


def test_plan_draft_names_what_it_wrote(tmp_path):
    plan = tmp_path / "ke-hoach.txt"
    plan.write_text("Phấn đấu 100% đảng viên hoàn thành tốt nhiệm vụ.\nKết nạp 2 đảng viên mới.\n", encoding="utf-8")
    out = tmp_path / "du-thao"
    run = _chibo("plan", "draft", plan, "--out", out)
    assert run.returncode == 0, run.stderr
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert f"Đã ghi {len(written)} tệp vào {out}" in run.stderr.splitlines()


# --- item 3 (OS errors): the system's reason in the user's words ---------------------------------------------

@pytest.mark.parametrize("where", ["mkstemp", "replace"])
@pytest.mark.parametrize("lang, said", [("vi", "không có quyền ghi"), ("en", "no permission")])
def test_a_place_without_write_permission_is_said_in_the_users_words(tmp_path, monkeypatch, where, lang, said):
    """As root the test cannot make a folder it cannot write, so the system's refusal is raised where it comes."""
    import errno

    from typer.testing import CliRunner

    from chibo_rules import writing
    from chibo_rules.cli import app

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(writing.tempfile if where == "mkstemp" else writing.os, where, denied)
    target = tmp_path / "r.json"
    run = CliRunner().invoke(app, ["check", str(GAPS_CASE), "--format", "json", "-o", str(target), "--lang", lang])
    flat, compact = " ".join(run.output.split()), "".join(run.output.split())  # as rich wrapped it
    assert run.exit_code == 2 and said in flat and "Permission denied" not in flat
    assert str(tmp_path) in compact and not target.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("code", ["ENOSPC", "EACCES", "EROFS", "ENOENT", "EISDIR", "ENOTDIR", "EEXIST", "EIO",
                                  "ENAMETOOLONG", "EMFILE", "EBUSY"])
def test_every_common_system_error_has_words_in_both_languages(code):
    import errno

    from chibo_rules.cliwords import os_reason

    error = OSError(getattr(errno, code), os.strerror(getattr(errno, code)))
    vi, en = os_reason(error, "vi"), os_reason(error, "en")
    assert vi and en and vi != en and os.strerror(getattr(errno, code)) not in vi


# --- item 3: usage errors and the help's own frame in the user's language ------------------------------------

ENGLISH_FRAME = ("Usage:", "Try '", "Error", "Missing", "Invalid value", "No such", "is not one of", "Did you mean",
                 "Got unexpected", "requires an argument", "Input should")

USAGE_ERRORS = [
    (("check",), "Thiếu đối số 'HỒ_SƠ'", "Missing argument 'cases'"),  # the argument's name in the user's words
    (("ready", GAPS_CASE), "Thiếu tùy chọn '--meeting' / '-m'", "Missing option '--meeting' / '-m'"),
    (("chek", GAPS_CASE), "Không có lệnh 'chek'. Có phải bạn muốn gõ 'check'?",
     "No such command 'chek'. Did you mean 'check'?"),
    (("rules", "lst"), "Không có lệnh 'lst'. Có phải bạn muốn gõ 'list'?",
     "No such command 'lst'. Did you mean 'list'?"),
    (("check", GAPS_CASE, "--format", "pdf"),
     "Giá trị không hợp lệ cho '--format': 'pdf' không phải là một trong: table, json, markdown, html, docx",
     "Invalid value for '--format': 'pdf' is not one of: table, json, markdown, html, docx"),
    (("check", GAPS_CASE, "-j", "-1"), "Giá trị không hợp lệ cho '--jobs' / '-j': phải lớn hơn hoặc bằng 0",
     "Invalid value for '--jobs' / '-j': must be greater than or equal to 0"),
    (("check", GAPS_CASE, "-j", "hai"), "Giá trị không hợp lệ cho '--jobs' / '-j': 'hai' không phải số nguyên",
     "Invalid value for '--jobs' / '-j': 'hai' is not a whole number"),
    (("check", GAPS_CASE, "--bogus"), "Không có tùy chọn --bogus", "No such option: --bogus"),
    (("check", GAPS_CASE, "--as-of"), "Tùy chọn '--as-of' cần một giá trị", "Option '--as-of' requires a value"),
    (("check", GAPS_CASE, "--strict=3"), "Tùy chọn '--strict' không nhận giá trị",
     "Option '--strict' does not take a value"),
    (("validate", GAPS_CASE, "thua"), "Thừa đối số: thua", "Got unexpected extra argument(s): thua"),
]


@pytest.mark.parametrize("args, vi, en", USAGE_ERRORS, ids=lambda v: " ".join(map(str, v)) if isinstance(v, tuple)
                         else None)
def test_usage_errors_speak_the_users_language(args, vi, en):
    said_vi, said_en = _chibo(*args), _chibo(*args, lang="en")
    assert said_vi.returncode == said_en.returncode == 2
    flat_vi, flat_en = _flat(said_vi.stderr), _flat(said_en.stderr)
    assert vi in flat_vi and en in flat_en, (flat_vi, flat_en)
    assert ("Cách dùng: chibo" in flat_vi) == ("Usage: chibo" in flat_en)  # a parser error has no usage line
    assert not [w for w in ENGLISH_FRAME if w in flat_vi], flat_vi
    assert "Traceback" not in said_vi.stderr + said_en.stderr


def test_a_command_nothing_like_any_lists_the_commands():
    run = _chibo("xyz")
    flat = _flat(run.stderr)
    assert run.returncode == 2 and "Không có lệnh 'xyz'" in flat
    assert "Các lệnh: audit, check, docs, history, plan, ready, review, rules, serve, template, validate" in flat


@pytest.mark.parametrize("args", [("check", "--help"), ("rules", "--help"), ("--help",), ("plan", "draft", "--help")])
def test_the_help_frame_speaks_the_users_language(args):
    vi, en = _flat(_chibo(*args).stdout), _flat(_chibo(*args, "--lang", "en").stdout)
    for english in ("Usage:", " Options ", "[required]", "[default: ", "Show this message and exit.", " Arguments ",
                    " Commands ", "[OPTIONS]", "Install completion", "Show completion"):
        assert english not in vi, english
    assert "Cách dùng:" in vi and "Tùy chọn" in vi and "Hiện trợ giúp này rồi thoát." in vi
    for said in (vi, en):  # the types of values too, in plain words: Python's names mean nothing to a secretary
        assert not re.search(r"<(str|int|bool|Path|list\[\w+\])>", said), said
        assert not re.search(r"--(strict|help|save|full)\s+<", said), said  # a flag takes no value: no type shown
    assert "Usage:" in en and "Options" in en and "Show this message and exit." in en
    if args == ("check", "--help"):
        assert "Cách dùng: chibo check [TÙY_CHỌN] {HỒ_SƠ}..." in vi and "Usage: chibo check [OPTIONS] {cases}..." in en
        assert "--as-of <text>" in en and "--plans <path…>" in en and "--jobs -j <number> [≥ 0]" in en
        assert "--jobs -j <số> [≥ 0]" in vi  # a bound, not typer's formula [x>=0]
    for said in (vi, en):
        assert "x>=" not in said and "<=x" not in said, said


def test_a_number_s_bounds_are_said_as_bounds():
    assert _flat(_chibo("review", "--help").stdout).count("<số> [1–4]") == 1  # --quarter
    assert "<number> [0–65535]" in _flat(_chibo("serve", "--help", "--lang", "en").stdout)  # --port


# --- item 10 (part): Ctrl-C is one sentence, exit 130, no partial file ----------------------------------------

INTERRUPTED = {"vi": "Đã dừng theo yêu cầu (Ctrl-C); không để lại tệp ghi dở nào",
               "en": "Stopped at your request (Ctrl-C); no half-written file is left"}
# the child waits inside the write (its temporary file half written) and says so by creating `ready`
SLOW_WRITE = (
    "import os, sys, time\n"
    "from pathlib import Path\n"
    "import chibo_rules.writing as writing\n"
    "def slow(fd):\n"
    "    Path(os.environ['READY']).touch()\n"
    "    time.sleep(60)\n"
    "writing.os.fsync = slow\n"
    "sys.argv = ['chibo'] + sys.argv[1:]\n"
    "from chibo_rules.__main__ import main\n"
    "main()\n"
)


def _interrupt(command: list[str], after: float | None, ready: Path | None = None, lang: str = "vi",
               group: bool = False) -> subprocess.CompletedProcess[str]:
    """Start chibo, send it a real SIGINT once `ready` exists or `after` seconds, and collect what it said."""
    import signal
    import time

    env = {k: v for k, v in os.environ.items() if k not in ("CHIBO_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    env.update(PYTHONPATH=str(ROOT), READY=str(ready or ""), CHIBO_LANG=lang)
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
                             start_new_session=group)
    deadline = time.monotonic() + 120
    while ready is not None and not ready.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    if after:
        time.sleep(after)
    if group:
        os.killpg(child.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the process and its workers
    else:
        child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    return subprocess.CompletedProcess(command, child.returncode, out, err)


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process")
@pytest.mark.parametrize("fmt, name", [("docx", "bao-cao.docx"), ("html", "bao-cao.html")])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_ctrl_c_while_the_report_is_written_leaves_no_partial_file(tmp_path, fmt, name, lang):
    target, ready = tmp_path / name, tmp_path / "ready"
    run = _interrupt([sys.executable, "-c", SLOW_WRITE, "check", str(GAPS_CASE), "--format", fmt, "-o", str(target)],
                     None, ready, lang)
    assert ready.exists()  # the signal came while the temporary file was open
    assert run.returncode == 130, run.stderr
    assert run.stderr.strip() == INTERRUPTED[lang] + ".", run.stderr
    assert list(tmp_path.iterdir()) == [ready]  # no report, no temporary file


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a child process")
@pytest.mark.parametrize("after", [0.3, 0.8, 1.2, 1.5, 1.8, 2.5, 4.0])
def test_ctrl_c_at_any_moment_is_one_sentence_never_a_traceback(tmp_path, after):
    """From start-up (imports) to the end: either finished, or stopped with one sentence and exit 130."""
    target = tmp_path / "bao-cao.docx"
    started = subprocess.run([sys.executable, "-c", "pass"], timeout=60)  # the interpreter itself, not chibo
    assert started.returncode == 0
    run = _interrupt([sys.executable, "-m", "chibo_rules", "check", str(GAPS_CASE), "--format", "docx", "-o",
                      str(target)], after + 0.2)
    assert "Traceback" not in run.stderr and "KeyboardInterrupt" not in run.stderr, run.stderr
    if run.returncode == 130:
        assert run.stderr.strip().endswith(INTERRUPTED["vi"] + "."), run.stderr
        assert [p.name for p in tmp_path.iterdir()] in ([], ["bao-cao.docx"])
    else:
        assert run.returncode == 1 and target.is_file()  # finished before the signal came
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.skipif(os.name != "posix", reason="a process ended by SIGINT")
def test_a_ctrl_c_caught_inside_code_run_from_a_string_still_exits_130_under_dash_m(tmp_path):
    """Under `python -m`, a KeyboardInterrupt raised in code Python ran from a string (exec: a dataclass being
    built) marks the interpreter as interrupted although it was caught, and Python then kills itself with SIGINT
    (-2) after chibo said its sentence and chose 130 (CI, twice). __main__.run_as_module exits 130 itself; the
    same run through main() alone shows Python's behaviour this guards against."""
    package = tmp_path / "ctrlc"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(textwrap.dedent("""
        import sys
        import chibo_rules.__main__ as entry

        def interrupted_inside_exec():
            try:
                exec("raise KeyboardInterrupt")  # where a real Ctrl-C once landed: a class built from a string
            except KeyboardInterrupt:
                sys.exit(130)

        entry.main = interrupted_inside_exec
        entry.run_as_module() if sys.argv[1:] == ["chibo"] else interrupted_inside_exec()
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    bare = subprocess.run([sys.executable, "-m", "ctrlc"], env=env, capture_output=True, timeout=60)
    ours = subprocess.run([sys.executable, "-m", "ctrlc", "chibo"], env=env, capture_output=True, timeout=60)
    assert (bare.returncode, ours.returncode) == (-2, 130), (bare.stderr, ours.stderr)


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a process group")
def test_ctrl_c_in_a_rollup_stops_its_workers_quietly(tmp_path):
    ready = tmp_path / "ready"
    run = _interrupt([sys.executable, "-c", SLOW_WRITE, "check", str(ROOT / "cases"), "-j", "2", "--format", "json",
                      "-o", str(tmp_path / "r.json")], None, ready, group=True)
    assert run.returncode == 130 and run.stderr.strip() == INTERRUPTED["vi"] + ".", run.stderr
    assert list(tmp_path.iterdir()) == [ready]


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a process group")
@pytest.mark.parametrize("after", [2.0, 3.5, 5.0])
def test_ctrl_c_while_workers_judge_is_the_parents_one_sentence(after):
    """A terminal's Ctrl-C reaches the workers too: they leave the answer to the parent (was: their tracebacks)."""
    run = _interrupt([sys.executable, "-m", "chibo_rules", "check", str(ROOT / "cases"), "-j", "2"], after,
                     group=True)
    assert "Traceback" not in run.stderr and "KeyboardInterrupt" not in run.stderr, run.stderr
    assert run.returncode in (1, 130), run.stderr
    if run.returncode == 130:
        assert run.stderr.strip() == INTERRUPTED["vi"] + ".", run.stderr


# --- item 7 (CLI parts): rules in plain words, formats a command can render, a long document paged -------------

INTERNALS = ("kind", "due", "job", "advisory", "continuous", "year_end", "coverage", "severity", "check", "ready",
             "linear", "school_year")  # "count" and "ratio" are plain English too


def _rules_table(lang: str) -> str:
    run = _chibo("rules", "list", "--rules", ROOT / "rules" / "vbn1-2020", "--lang", lang, columns=400)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("lang, words", [
    ("vi", {"R12": ["Đếm số lượng", "đến 31/12/2020", "mốc: quý 2: 1, quý 4: 2"],
            "R14": ["đến 31/12/2020", "tiến độ đều"], "R04": ["mỗi tháng"], "A01": ["Khuyến nghị", "luôn xét"],
            "M01": ["chuẩn bị họp"], "R05": ["Tỷ lệ"], "R02": ["Từng đối tượng"]}),
    ("en", {"R12": ["A count", "by 31/12/2020", "milestones: Q2: 1, Q4: 2"],
            "R14": ["by 31/12/2020", "even pace"], "R04": ["each month"], "A01": ["Advisory", "at any time"],
            "M01": ["meeting checklist"], "R05": ["A ratio"], "R02": ["Each one"]}),
])
def test_rules_list_speaks_plain_words(lang, words):
    table = _rules_table(lang)
    rows = {line.split("│")[1].strip(): line for line in table.splitlines() if line.count("│") > 3}
    for rule_id, expected in words.items():
        row = " ".join(rows[rule_id].replace("│", " ").split())
        for word in expected:
            assert word in row, (rule_id, word, row)
    header = " ".join(next(line for line in table.splitlines() if "┃" in line).replace("┃", " ").split())
    words_only = [" ".join(cell.split()) for row in rows.values() for cell in row.split("│")[3:6]]  # not titles
    flat = " ".join(words_only) + " " + header
    assert not [w for w in INTERNALS if re.search(rf"\b{re.escape(w)}\b", flat)], flat


def test_rules_list_json_keeps_the_internals():
    run = _chibo("rules", "list", "--rules", ROOT / "rules" / "vbn1-2020", "--format", "json")
    row = next(r for r in json.loads(run.stdout) if r["id"] == "R14")
    assert (row["kind"], row["job"], row["severity"]) == ("count", "check", row["severity"])


@pytest.mark.parametrize("lang, words", [
    ("vi", ["R14", "Mức độ", "Hạn: đến 31/12/2020 (tiến độ đều)", "Đếm số lượng", "Trích kế hoạch"]),
    ("en", ["R14", "Severity", "Due: by 31/12/2020 (even pace)", "A count", "Plan clause"]),
])
def test_rules_show_speaks_plain_words_and_json_has_the_rule_file(lang, words):
    shown = _chibo("rules", "show", "R14", "--rules", ROOT / "rules" / "vbn1-2020", "--lang", lang)
    assert shown.returncode == 0, shown.stderr
    flat = " ".join(shown.stdout.split())
    assert all(w in flat for w in words), flat
    for internal in ("severity:", "due:", "file:", "check:", "params:", "target: 11", "among", "linear", "year_end"):
        assert internal not in flat, internal
    data = _chibo("rules", "show", "R14", "--rules", ROOT / "rules" / "vbn1-2020", "--format", "json", "--lang", lang)
    rule, = json.loads(data.stdout)
    assert rule["id"] == "R14" and rule["params"]["target"] == 11 and rule["due"]["pace"] == "linear"
    assert rule["check"]["kind"] == "count" and rule["check"]["among"]
    assert rule["plan"] == "vbn1-2020" and rule["file"].endswith("R14-member-supervisions.yaml")


@pytest.mark.parametrize("args", [("rules", "test"), ("rules", "list"), ("validate", GAPS_CASE)])
@pytest.mark.parametrize("fmt", ["html", "markdown", "docx"])
def test_a_command_refuses_a_format_it_cannot_render(args, fmt):
    run = _chibo(*args, "--format", fmt)
    flat = _flat(run.stderr)
    assert run.returncode == 2 and f"'{fmt}' không phải là một trong: table, json" in flat, flat
    assert run.stdout == ""


@pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal")
def test_docs_on_a_terminal_is_paged(tmp_path):
    import pty

    paged = tmp_path / "paged.md"
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CHIBO_LANG", "LANG", "LC_ALL", "LC_MESSAGES", "MANPAGER")}
    env.update(PYTHONPATH=str(ROOT), PAGER=f"cat > {paged}", TERM="xterm")
    child = subprocess.Popen([sys.executable, "-m", "chibo_rules", "docs", "case-format"], stdin=follower,
                             stdout=follower, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    child.wait(timeout=120)
    os.close(leader)
    piped = _chibo("docs", "case-format")
    assert child.returncode == 0 and piped.returncode == 0
    assert paged.read_text(encoding="utf-8") == piped.stdout  # the whole document, through the pager
    assert shown.count(b"\n") < 5  # not dumped on the terminal


@pytest.mark.parametrize("lang, said", [("vi", "Không có tài liệu cach-dung; các tài liệu: case-format"),
                                        ("en", "No such document: cach-dung; documents: case-format")])
def test_an_unknown_document_is_said_in_one_language(lang, said):
    run = _chibo("docs", "cach-dung", "--lang", lang)
    assert run.returncode == 2 and said in _flat(run.stderr) and " / " not in run.stderr


@pytest.mark.parametrize("lang, said", [
    ("vi", "Giá trị không hợp lệ cho 'cases': không đọc được 'khoa.xlsx': không có quyền đọc, hoặc tệp đang mở trong "
           "chương trình khác."),
    ("en", "Invalid value for 'cases': 'khoa.xlsx' cannot be read: no permission, or it is open in another program."),
])
def test_an_unreadable_path_is_said_in_the_users_words(lang, said):
    """As typer refuses a path it cannot read (root, running the tests, can read everything: built directly)."""
    from typer._click.exceptions import BadParameter

    from chibo_rules.cliwords import usage_message

    assert usage_message(BadParameter("path 'khoa.xlsx' is not readable.", param_hint="'cases'"), lang) == said


def test_a_ctrl_c_that_comes_out_as_another_error_is_still_one_sentence(monkeypatch, capsys):
    """A Ctrl-C landing while pydantic builds a model comes out as a SchemaError holding only the words
    "KeyboardInterrupt" (seen once in CI: exit 3 and a crash log). cli.main remembers the signal itself."""
    import os
    import signal
    import time

    import chibo_rules.cli as cli

    def interrupted_inside_a_library() -> None:
        caught = False
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(1)
        except KeyboardInterrupt:
            caught = True
        if caught:  # raised outside the handler, as pydantic-core's Rust does: no KeyboardInterrupt in the chain
            raise RuntimeError("Error building validator: KeyboardInterrupt")

    import chibo_rules.crash as crash

    monkeypatch.setattr(cli, "app", lambda prog_name: interrupted_inside_a_library())
    monkeypatch.setattr(crash, "_SAID", [])  # this process's own "said once"
    previous = signal.getsignal(signal.SIGINT)
    try:
        with pytest.raises(SystemExit) as stopped:
            cli.main()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert stopped.value.code == 130
    assert "Traceback" not in capsys.readouterr().err
