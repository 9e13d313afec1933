"""Sources of facts (chibo_rules/facts/sources/): each kind of case is one module, opened once per check.

A case is a folder (cell.yaml and CSV/YAML fact files) or a workbook; before issue 20 a check read cell.yaml four
times and loaded a workbook three times (precheck, the plan's id, the plan year, the load…). Here the real
pipeline (`chibo check`, in-process) is run with the readers counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from chibo_rules.facts import files
from chibo_rules.facts.xlsx import write_workbook
from tests.clirun import invoke_chibo

ROOT = Path(__file__).resolve().parent.parent
GAPS_CASE = ROOT / "cases" / "vbn1-2020"


def _count_cell_yaml(monkeypatch: pytest.MonkeyPatch, case: Path) -> list[Path]:
    """Every opening of the case's cell.yaml, through the one function that opens a case's files (the plan's
    library has a cell.yaml too: the declaration of the cell's fields, not counted)."""
    opened: list[Path] = []
    real = files.open_regular

    def counting(path: Path, limit: int | None = None):  # type: ignore[no-untyped-def]
        if Path(path).resolve() == (case / "cell.yaml").resolve():
            opened.append(Path(path))
        return real(path, limit)

    monkeypatch.setattr(files, "open_regular", counting)
    return opened


def test_a_folder_case_reads_cell_yaml_once_per_check(monkeypatch):
    opened = _count_cell_yaml(monkeypatch, GAPS_CASE)
    out = invoke_chibo("check", GAPS_CASE)
    assert out.returncode == 1, out.stderr
    assert len(opened) == 1


def test_a_workbook_case_is_opened_once_per_check(tmp_path, monkeypatch, compliant_case):
    import openpyxl

    path = tmp_path / "chi-bo.xlsx"
    write_workbook(path, compliant_case.schema, compliant_case)
    opened: list[object] = []
    real = openpyxl.load_workbook

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(args[0] if args else kwargs.get("filename"))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    out = invoke_chibo("check", path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert len(opened) == 1


# ------------------------------------------------------------------ a new source is one file

TOY_SOURCE = '''"""A case as one JSON file: {"cell": {...}, "facts": {kind: [row, ...]}} (a toy source for the test)."""

import json

from chibo_rules.facts import sources
from chibo_rules.facts.sources.data import case_from_data


class JsonSource(sources.Source):
    opened = 0

    @classmethod
    def claims(cls, path):
        return path.suffix.lower() == ".json"

    def header(self):
        if not hasattr(self, "data"):
            type(self).opened += 1
            self.data = json.loads(self.path.read_text(encoding="utf-8"))
        return self.data["cell"]

    def load(self, schema, period):
        self.header()
        return case_from_data(self.data["cell"], self.data["facts"], schema, period, name=str(self.path))


sources.register(JsonSource)
'''


def _as_json(folder: Path) -> dict:
    """A case folder's cell.yaml and CSV files as the toy's JSON (every value as the CSV writes it)."""
    import csv

    import yaml

    facts = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            facts[path.stem] = list(csv.DictReader(handle))
    return {"cell": yaml.safe_load((folder / "cell.yaml").read_text(encoding="utf-8")), "facts": facts}


def _verdicts(report: str) -> list[tuple[str, str]]:
    import json

    return [(rule["id"], rule["status"]) for rule in json.loads(report)["rules"]]


def test_a_new_source_is_one_module_registered_from_outside(tmp_path, monkeypatch):
    """A JSON case read by a source written in one file outside chibo, through `chibo check`: the same verdicts
    as the folder it was made from; the roll-up finds it in a folder of cases; it is opened once."""
    import importlib
    import json

    from chibo_rules.facts import sources

    monkeypatch.setattr(sources, "SOURCES", list(sources.SOURCES))  # the registration ends with the test
    module_dir = tmp_path / "plugin"
    module_dir.mkdir()
    (module_dir / "toy_json_source.py").write_text(TOY_SOURCE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(module_dir))
    toy = importlib.import_module("toy_json_source")
    monkeypatch.delitem(__import__("sys").modules, "toy_json_source")

    cases = tmp_path / "cases"
    cases.mkdir()
    case = cases / "vbn1-2020.json"
    case.write_text(json.dumps(_as_json(GAPS_CASE), ensure_ascii=False), encoding="utf-8")
    out = invoke_chibo("check", case, "--format", "json")
    folder = invoke_chibo("check", GAPS_CASE, "--format", "json")
    assert (out.returncode, folder.returncode) == (1, 1), out.stderr
    assert _verdicts(out.stdout) == _verdicts(folder.stdout)
    assert json.loads(out.stdout)["summary"]["gap"] == 6
    assert toy.JsonSource.opened == 1

    from chibo_rules.jobs.rollup import discover

    assert sources.is_case(case)
    (cases / "notes.txt").write_text("not a case", encoding="utf-8")
    assert discover([cases]) == [case]
    through_folder = invoke_chibo("check", cases, "--format", "json")
    assert through_folder.returncode == 1, through_folder.stderr
    assert _verdicts(through_folder.stdout) == _verdicts(folder.stdout)
