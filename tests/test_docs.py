"""docs/case-format.md keeps up with the fact models in chibo_rules/models.py and the Vietnamese
headers and sheet names in chibo_rules/headers.py.

The document has one section per kind of fact, headed `### 4.N `kind` — …`, opening with a
"Tệp / file:" paragraph (file name, key, "Không trùng / unique", references, "Ngày mốc / dated by",
"Trang tính / sheet") and a table with one row per field:
`| `field` | Vietnamese header | type | required | meaning | accepted values |`; the overview table
lists `| 4.N | `kind` | sheet | … |`.
The checks below read that structure and compare it with the models; each check reports every
discrepancy as a sentence, and the negative tests show that a deliberately altered copy of the
document makes it report.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import TypeAdapter, ValidationError

from chibo_rules.facts.headers import CELL_HEADERS, HEADERS, SHEETS, header_to_field
from chibo_rules.facts.models import DATE_FIELDS, EVENT_FIELDS, FACT_MODELS, UNIQUE_FIELDS, Cell, Fact, field_choices

DOC = Path(__file__).resolve().parent.parent / "docs" / "case-format.md"
TEXT = DOC.read_text(encoding="utf-8")

KIND_HEADING = re.compile(r"### 4\.\d+ `(\w+)` — ")
CELL_HEADING = re.compile(r"## \d+\. `cell\.yaml` — ")
FIELD_ROW = re.compile(r"^\| `(\w+)` \|(.*)\|[ \t]*$", re.M)
CODE_WITH_ALIASES = re.compile(r"`(\w+)` \(([^)]*)\)")
OVERVIEW_ROW = re.compile(r"^\| 4\.\d+ \| `(\w+)` \|([^|]*)\|", re.M)
# the cells of a field row after `field`, by position
HEADER, TYPE, REQUIRED, MEANING, ACCEPTED = range(5)


# --------------------------------------------------------------------------- reading the document


def split_sections(text: str) -> list[str]:
    """The document cut before each heading (`#` to `###`), ignoring lines inside fenced code blocks."""
    parts: list[list[str]] = [[]]
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and re.match(r"#{1,3} ", line):
            parts.append([])
        parts[-1].append(line)
    return ["\n".join(p) + "\n" for p in parts]


def kind_sections(text: str) -> dict[str, str]:
    """Kind -> its section, from its `### 4.N `kind` — …` heading up to the next heading."""
    out: dict[str, str] = {}
    for part in split_sections(text):
        match = KIND_HEADING.match(part)
        if match:
            out[match.group(1)] = part
    return out


def file_paragraph(section: str) -> str:
    """The section's "Tệp / file:" paragraph, on one line."""
    match = re.search(r"^Tệp / file:.*?(?=\n\s*\n|\Z)", section, re.M | re.S)
    return " ".join(match.group(0).split()) if match else ""


def field_rows(section: str) -> dict[str, list[str]]:
    """Field name -> the cells after it (Vietnamese header, type, required, meaning, accepted) of the
    section's table."""
    return {m.group(1): [c.strip() for c in m.group(2).split("|")] for m in FIELD_ROW.finditer(section)}


@functools.cache
def _adapter(model: type[Fact], name: str) -> TypeAdapter:
    info = model.model_fields[name]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return TypeAdapter(annotation)


# --------------------------------------------------------------------------- the checks


def table_problems(where: str, model: type[Fact], section: str) -> list[str]:
    """Every field of the model has a row (and no row names another field); "required" matches."""
    problems = []
    rows = field_rows(section)
    for name, info in model.model_fields.items():
        if f"`{name}`" not in section:
            problems.append(f"{where}: field `{name}` is not mentioned")
        if name not in rows:
            problems.append(f"{where}: field `{name}` has no table row")
            continue
        cells = rows[name]
        documented = cells[REQUIRED].startswith("có") if len(cells) > REQUIRED else None
        if documented is not info.is_required():
            state = "required" if info.is_required() else "optional"
            problems.append(f"{where}.{name}: is {state} but the table says {cells[REQUIRED:REQUIRED + 1]}")
    for name in rows:
        if name not in model.model_fields:
            problems.append(f"{where}: table row `{name}` is not a field of {model.__name__}")
    return problems


def header_problems(where: str, kind: str, headers: dict[str, str], section: str) -> list[str]:
    """Each field row gives the field's Vietnamese header (headers.py), which reads back as that field."""
    problems = []
    for name, cells in field_rows(section).items():
        if name not in headers:
            continue  # not a field: reported by table_problems
        documented = cells[HEADER] if len(cells) > HEADER else None
        if documented != headers[name]:
            problems.append(f"{where}.{name}: Vietnamese header is {headers[name]!r}, the table says {documented!r}")
        elif header_to_field(kind, documented) != name:
            problems.append(f"{where}.{name}: Vietnamese header {documented!r} is not read as `{name}`")
    return problems


def code_problems(kind: str, model: type[Fact], section: str) -> list[str]:
    """Every code of a coded field is in its row; each listed alias is accepted as that code, and the
    label reports show for the code is among them."""
    problems = []
    rows = field_rows(section)
    for name in model.model_fields:
        choices = field_choices(model, name)
        if choices is None:
            continue
        if f"`{name}`" in section and name not in rows:
            continue  # reported by table_problems
        accepted = rows.get(name, [""])[-1]
        for code in choices:
            if f"`{code}`" not in section:
                problems.append(f"{kind}.{name}: code `{code}` is not in the section")
            elif f"`{code}`" not in accepted:
                problems.append(f"{kind}.{name}: code `{code}` is not in the field's row")
        for code, listed in CODE_WITH_ALIASES.findall(accepted):
            if code not in choices:
                problems.append(f"{kind}.{name}: `{code}` is documented but is not one of its codes")
                continue
            aliases = [a.strip() for a in listed.split(",") if a.strip()]
            if choices.labels[code] != code and choices.labels[code] not in aliases:
                problems.append(f"{kind}.{name}: `{code}` does not list its report label {choices.labels[code]!r}")
            for alias in aliases:
                try:
                    parsed = _adapter(model, name).validate_python(alias)
                except ValidationError:
                    parsed = None
                if parsed != code:
                    problems.append(f"{kind}.{name}: alias {alias!r} is not accepted as `{code}`")
    return problems


def paragraph_problems(kind: str, model: type[Fact], section: str) -> list[str]:
    """File name, key, unique fields, references and dating field of the "Tệp / file:" paragraph."""
    problems = []
    head = file_paragraph(section)
    if f"`{kind}.csv`" not in head:
        problems.append(f"{kind}: the 'Tệp / file:' paragraph does not name `{kind}.csv`")
    key = re.search(r"Mã / key: `(\w+)`", head)
    if (key.group(1) if key else None) != model.KEY:
        problems.append(f"{kind}: key is {model.KEY!r}, the document says {key.group(1) if key else None!r}")
    unique = re.search(r"unique: \(([^)]*)\)", head)
    documented = tuple(re.findall(r"`(\w+)`", unique.group(1))) if unique else None
    if documented != UNIQUE_FIELDS.get(kind):
        problems.append(f"{kind}: unique fields are {UNIQUE_FIELDS.get(kind)}, the document says {documented}")
    references = dict(re.findall(r"`(\w+)` → `(\w+)`", head))
    if references != model.REFERENCES:
        problems.append(f"{kind}: references are {model.REFERENCES}, the document says {references}")
    dated = re.search(r"dated by: (?:`(\w+)`|(không / none))", head)
    if dated is None:
        problems.append(f"{kind}: no 'Ngày mốc / dated by' in the 'Tệp / file:' paragraph")
    elif dated.group(1) != DATE_FIELDS.get(kind):
        problems.append(f"{kind}: dated by {DATE_FIELDS.get(kind)!r}, the document says {dated.group(1)!r}")
    sheet = re.search(r"sheet: `([^`]*)`", head)
    if (sheet.group(1) if sheet else None) != SHEETS[kind]:
        problems.append(f"{kind}: sheet is {SHEETS[kind]!r}, the document says {sheet.group(1) if sheet else None!r}")
    for name in EVENT_FIELDS.get(kind, ()):
        if "as-of" not in field_rows(section).get(name, [""])[-1]:
            problems.append(f"{kind}.{name}: the row does not say a date after the as-of date counts as unrecorded")
    return problems


def kind_problems(kind: str, section: str) -> list[str]:
    model = FACT_MODELS[kind]
    return (paragraph_problems(kind, model, section) + table_problems(kind, model, section)
            + header_problems(kind, kind, HEADERS[kind], section) + code_problems(kind, model, section))


def structure_problems(text: str) -> list[str]:
    """One section per kind and no other; the overview table and the intro's count agree."""
    problems = []
    sections = kind_sections(text)
    for kind in FACT_MODELS:
        if kind not in sections:
            problems.append(f"no section for `{kind}.csv`")
    for kind in sections:
        if kind not in FACT_MODELS:
            problems.append(f"section `{kind}` is not a kind of fact")
    overview = dict((kind, sheet.strip()) for kind, sheet in OVERVIEW_ROW.findall(text))
    if sorted(overview) != sorted(FACT_MODELS):
        problems.append(f"the overview table lists {sorted(set(overview) ^ set(FACT_MODELS))} wrongly")
    for kind, sheet in overview.items():
        if kind in SHEETS and sheet != SHEETS[kind]:
            problems.append(f"the overview table gives sheet {sheet!r} for `{kind}`, it is {SHEETS[kind]!r}")
    for count in re.findall(r"all (\d+) kinds", text):
        if int(count) != len(FACT_MODELS):
            problems.append(f"the document speaks of {count} kinds, there are {len(FACT_MODELS)}")
    return problems


def cell_problems(text: str) -> list[str]:
    section = next((p for p in split_sections(text) if CELL_HEADING.match(p)), None)
    if section is None:
        return ["no `cell.yaml` section"]
    return table_problems("cell.yaml", Cell, section) + header_problems("cell.yaml", "cell", CELL_HEADERS, section)


def doc_problems(text: str) -> list[str]:
    sections = kind_sections(text)
    problems = structure_problems(text) + cell_problems(text)
    for kind in FACT_MODELS:
        if kind in sections:
            problems += kind_problems(kind, sections[kind])
    return problems


# --------------------------------------------------------------------------- the document as it is


def test_one_section_per_kind():
    assert structure_problems(TEXT) == []


@pytest.mark.parametrize("kind", list(FACT_MODELS))
def test_kind_section_matches_model(kind):
    sections = kind_sections(TEXT)
    assert kind in sections, f"no section for `{kind}.csv`"
    assert kind_problems(kind, sections[kind]) == []


def test_cell_section_matches_model():
    assert cell_problems(TEXT) == []


# --------------------------------------------------------------------------- altered copies are caught

MUTATIONS = [
    # (replace this, with this, a problem that must then be reported)
    ("### 4.17 `dropouts`", "### 4.17 `drop_outs`", "no section for `dropouts.csv`"),
    ("| 4.29 | `absences` |", "| 4.29 | `absence` |", "overview table"),
    ("all 33 kinds", "all 32 kinds", "speaks of 32 kinds"),
    ("Tệp / file: `absences.csv`", "Tệp / file: `absence.csv`", "absences: the 'Tệp / file:' paragraph"),
    ("| `reduction_reason` |", "| `reason_for_reduction` |", "people: field `reduction_reason` has no table row"),
    ("| `reduction_reason` |", "| `reason_for_reduction` |", "table row `reason_for_reduction` is not a field"),
    ("| `enrolled` | Sĩ số | số nguyên ≥ 0 / count | có / yes |",
     "| `enrolled` | Sĩ số | số nguyên ≥ 0 / count | không / no |", "student_figures.enrolled: is required"),
    ("`handled` (đã xử lý)", "`done` (đã xử lý)", "misconduct.status: code `handled` is not in the field's row"),
    ("`pioneer_leader` (", "`pioneer_lead` (", "people.position: code `pioneer_leader` is not in the section"),
    ("`handled` (đã xử lý)", "`done` (đã xử lý)", "misconduct.status: `done` is documented but is not one"),
    ("(quản lý, cán bộ quản lý, cbql)", "(quan li, cán bộ quản lý, cbql)", "alias 'quan li' is not accepted"),
    ("(quản lý, cán bộ quản lý, cbql)", "(cán bộ quản lý, cbql)", "does not list its report label 'quản lý'"),
    ("unique: (`title`, `year`)", "unique: (`title`)", "school_titles: unique fields"),
    ("Không trùng / unique: (`date`, `recipient`, `idea`). ", "", "hcm_awards: unique fields"),
    ("Mã / key: `ref` (duy nhất / unique).", "Mã / key: `ref` (duy nhất / unique). Không trùng / unique: (`name`).",
     "people: unique fields"),
    ("Mã / key: `ref` (duy nhất / unique).", "Mã / key: `name` (duy nhất / unique).", "people: key is 'ref'"),
    ("`resolution` → `resolutions`, ", "", "briefings: references"),
    ("dated by: `left_on`", "dated by: `visited_on`", "dropouts: dated by 'left_on'"),
    ("a date after the as-of date counts as not recorded (not yet handled)", "",
     "misconduct.handled_on: the row does not say"),
    ("| `secretary` | Mã bí thư chi bộ |", "| `chairman` | Mã bí thư chi bộ |",
     "cell.yaml: field `secretary` has no table row"),
    ("| `reduction` | Số tiết được giảm |", "| `reduction` | Số tiết giảm |", "people.reduction: Vietnamese header"),
    ("| `plan_year` | Năm kế hoạch |", "| `plan_year` | Năm |", "cell.yaml.plan_year: Vietnamese header"),
    ("| 4.13 | `ratings` | Xếp loại viên chức |", "| 4.13 | `ratings` | Xếp loại công chức |",
     "gives sheet 'Xếp loại công chức' for `ratings`"),
    ("Trang tính / sheet: `Chấm công`.", "Trang tính / sheet: `Bảng chấm công`.", "timesheets: sheet is 'Chấm công'"),
]


@pytest.mark.parametrize(("old", "new", "expected"), MUTATIONS, ids=[m[2] for m in MUTATIONS])
def test_altered_document_is_reported(old, new, expected):
    assert TEXT.count(old) == 1, f"the document no longer holds {old!r} exactly once: update this test"
    problems = doc_problems(TEXT.replace(old, new))
    assert any(expected in p for p in problems), problems


def test_field_missing_from_a_section_is_reported():
    """A section that loses every mention of a field (row and prose) is caught for that kind only."""
    section = kind_sections(TEXT)["dropouts"]
    altered = "\n".join(line for line in section.splitlines() if "returned" not in line)
    assert kind_problems("dropouts", altered) == [
        "dropouts: field `returned` is not mentioned",
        "dropouts: field `returned` has no table row",
    ]
