"""Inputs that cannot break the checker: every loader, fed broken files, answers with InputError only
(the CLI: exit 2, a message, no traceback), never changes a file, and never runs anything."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chibo_rules.errors import InputError
from chibo_rules.facts.xlsx import write_workbook

from .conftest import COMPLIANT_CASE, ROOT, load_case

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "case"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(COMPLIANT_CASE, target)
    return target


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _only_input_errors(path: Path) -> list:
    """load_case either succeeds or raises InputError; anything else fails the test with its traceback."""
    try:
        load_case(path)
    except InputError as err:
        assert err.problems
        return err.problems
    return []


@SETTINGS
@given(data=st.binary(max_size=2000), name=st.sampled_from(["people.csv", "timesheets.csv", "briefings.csv"]))
def test_random_bytes_in_a_csv_file(tmp_path, data, name):
    case = _copy(tmp_path)
    (case / name).write_bytes(data)
    before = _digest(case)
    problems = _only_input_errors(case)
    assert problems and all(p.file for p in problems)
    assert _digest(case) == before


@SETTINGS
@given(cut=st.integers(0, 4000), name=st.sampled_from(["people.csv", "meetings.csv", "cell.yaml"]))
def test_truncated_files(tmp_path, cut, name):
    case = _copy(tmp_path)
    data = (case / name).read_bytes()
    (case / name).write_bytes(data[: min(cut, len(data) - 1)])
    _only_input_errors(case)


@SETTINGS
@given(text=st.text(max_size=400))
def test_random_text_as_cell_yaml_and_yaml_facts(tmp_path, text):
    case = _copy(tmp_path)
    (case / "cell.yaml").write_text(text, encoding="utf-8")
    _only_input_errors(case)
    case = _copy(tmp_path)
    (case / "hcm_awards.csv").unlink()
    (case / "hcm_awards.yaml").write_text(text, encoding="utf-8")
    _only_input_errors(case)


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16", "utf-16-le", "latin-1"])
def test_wrong_encodings_are_named(tmp_path, encoding):
    case = _copy(tmp_path)
    text = (case / "people.csv").read_text(encoding="utf-8")
    (case / "people.csv").write_bytes(text.encode(encoding, errors="replace"))
    problems = _only_input_errors(case)
    assert [(p.file, p.code) for p in problems] == [("people.csv", "encoding")]


def test_huge_row_and_huge_cell(tmp_path):
    case = _copy(tmp_path)
    with (case / "absences.csv").open("a", encoding="utf-8") as f:
        f.write("P01,2020-03-03,absent," + "x" * 3_000_000 + "\n")
    problems = _only_input_errors(case)
    assert [(p.file, p.code) for p in problems] == [("absences.csv", "csv")]


@pytest.mark.parametrize("body, code", [
    ("- " * 5000 + "x", "yaml"),                                   # deeply nested list
    ("a: &a [1, 2]\nb: [*a, *a, *a]\n", "yaml"),                   # aliases (the start of a billion laughs)
    ("!!python/object/apply:os.system ['touch pwned']\n", "yaml"),  # an object-building tag
])
def test_hostile_yaml(tmp_path, body, code):
    case = _copy(tmp_path)
    (case / "cell.yaml").write_text(body, encoding="utf-8")
    problems = _only_input_errors(case)
    assert [(p.file, p.code) for p in problems][:1] == [("cell.yaml", code)]
    assert not (case / "pwned").exists() and not Path("pwned").exists()


def test_links_out_of_the_case_folder_are_refused(tmp_path):
    case = _copy(tmp_path)
    outside = tmp_path / "secret.csv"
    shutil.copy(case / "people.csv", outside)
    (case / "people.csv").unlink()
    (case / "people.csv").symlink_to(outside)
    problems = _only_input_errors(case)
    assert ("people.csv", "not_in_case") in [(p.file, p.code) for p in problems]


def test_empty_and_empty_header_files(tmp_path):
    case = _copy(tmp_path)
    (case / "qccm_checks.csv").write_bytes(b"")
    (case / "disclosures.csv").write_bytes(b"\n\n")
    problems = _only_input_errors(case)
    assert sorted((p.file, p.code) for p in problems) == [("disclosures.csv", "empty_file"),
                                                          ("qccm_checks.csv", "empty_file")]


@pytest.fixture(scope="module")
def book_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("fuzzbook") / "case.xlsx"
    case = load_case(COMPLIANT_CASE)
    write_workbook(path, case.schema, case)
    return path.read_bytes()


@SETTINGS
@given(cut=st.integers(0, 30000))
def test_truncated_workbook(tmp_path, book_bytes, cut):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(book_bytes[: min(cut, len(book_bytes) - 1)])
    problems = _only_input_errors(path)
    assert problems


@SETTINGS
@given(data=st.binary(min_size=0, max_size=3000))
def test_random_bytes_as_workbook(tmp_path, data):
    path = tmp_path / "junk.xlsx"
    path.write_bytes(data)
    assert _only_input_errors(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "xin chào")
    path = tmp_path / "fake.xlsx"
    path.write_bytes(buffer.getvalue())
    problems = _only_input_errors(path)
    assert [p.code for p in problems] == ["xlsx"]


@pytest.mark.parametrize("make", ["binary", "utf16", "empty_xlsx"])
def test_cli_never_shows_a_traceback(tmp_path, make):
    case = _copy(tmp_path)
    if make == "binary":
        (case / "people.csv").write_bytes(os.urandom(4096))
        target = case
    elif make == "utf16":
        (case / "timesheets.csv").write_bytes((case / "timesheets.csv").read_text().encode("utf-16"))
        target = case
    else:
        target = tmp_path / "empty.xlsx"
        target.write_bytes(b"")
    out = subprocess.run([sys.executable, "-m", "chibo_rules", "check", str(target)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr + out.stdout
    assert out.stderr.strip()
