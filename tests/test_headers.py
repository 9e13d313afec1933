"""The Vietnamese sheet names and column headers of a case, as each bundled plan's schema declares them.

The contract, for every bundled plan (the library's kinds, extended, plus the plan's own): every kind has
a sheet name Excel accepts, a help sentence and a Vietnamese header for every field; a header or sheet
name is recognised whether typed as the English name or the Vietnamese one, in any case, NFC or NFD,
with or without diacritics, with `_`, `-` or spaces, and nothing else is. The headers come from the
declarations (rules/library/cell.yaml, rules/library/kinds/*.yaml, the extensions a plan uses such as
rules/library-school/kinds/*.yaml, rules/<plan>/kinds/*.yaml), read
through `Schema.header_to_field` and `Schema.sheet_to_kind`.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chibo_rules.facts.declarations import KindDecl
from chibo_rules.facts.schema import CELL, INSTRUCTIONS_SHEET, Schema, load_schema
from chibo_rules.facts.values import fold
from chibo_rules.jobs.plans import bundled_plans
from chibo_rules.ruleset.rulespec import extensions_of, library_of, load_plan_file

EXCEL_FORBIDDEN = set("[]:*?/\\")
PLAN_FOLDERS = {folder.name: folder for folder in bundled_plans()}


@functools.cache
def schema_of(plan: str) -> Schema:
    """A bundled plan's schema: its declarations only (a broken rule file does not hide a header problem)."""
    folder = PLAN_FOLDERS[plan]
    declared = load_plan_file(folder)
    layers, _missing = extensions_of(folder, declared)  # the library extensions it uses (school kinds)
    return load_schema(library_of(folder, declared), folder / "kinds", layers)


def decls(plan: str) -> dict[str, KindDecl]:
    """Every declaration of a plan's schema, the cell's included (as "cell")."""
    schema = schema_of(plan)
    return {CELL: schema.cell, **schema.kinds}


PLANS = sorted(PLAN_FOLDERS)
KINDS = [(plan, kind) for plan in PLANS for kind in schema_of(plan).kinds]
DECLS = [(plan, kind) for plan in PLANS for kind in decls(plan)]
FIELDS = [(plan, kind, name) for plan, kind in DECLS for name in decls(plan)[kind].fields]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def strip_marks(text: str) -> str:
    """What a secretary types without a Vietnamese keyboard: no diacritics, đ as d."""
    bare = "".join(ch for ch in nfd(text) if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


def key(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


def header(plan: str, kind: str, name: str) -> str:
    found = decls(plan)[kind].fields[name].header
    assert found, f"{plan}: {kind}.{name} has no Vietnamese header"
    return found


def test_every_bundled_plan_is_checked():
    assert {"vbn1-2020", "tan-phuoc-2020-2022"} <= set(PLANS)


# --------------------------------------------------------------------------- coverage of the kinds


@pytest.mark.parametrize(("plan", "kind"), DECLS)
def test_every_kind_has_a_sheet_headers_and_help(plan, kind):
    decl = decls(plan)[kind]
    assert decl.sheet.strip(), f"{plan}: {kind} has no sheet"
    assert decl.help.strip(), f"{plan}: {kind} has no help"
    missing = [name for name, field in decl.fields.items() if not (field.header or "").strip()]
    assert missing == [], f"{plan}: {kind} fields without a Vietnamese header: {missing}"


@pytest.mark.parametrize(("plan", "kind"), KINDS)
def test_model_fields_are_the_declared_fields(plan, kind):
    schema = schema_of(plan)
    assert list(schema.models[kind].model_fields) == list(schema.kinds[kind].fields)


@pytest.mark.parametrize(("plan", "kind"), KINDS)
def test_help_is_one_vietnamese_sentence(plan, kind):
    text = schema_of(plan).kinds[kind].help
    assert text.startswith("Mỗi dòng là "), text
    assert text.endswith(".") and "\n" not in text, text
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize(("plan", "kind", "name"), FIELDS)
def test_format_hints_where_the_format_matters(plan, kind, name):
    """Yes/no fields say có/không, lists say how they are separated, weeks say Monday, as the parsers
    expect them."""
    field = decls(plan)[kind].fields[name]
    hint = field.help or ""
    if field.type == "yesno":
        assert "có" in hint and "không" in hint, f"{plan}: {kind}.{name}: {hint!r}"
    if field.type in ("refs", "list"):
        assert "';'" in hint, f"{plan}: {kind}.{name}: {hint!r}"
    if field.type == "week":
        assert "thứ Hai" in hint, f"{plan}: {kind}.{name}: {hint!r}"


# --------------------------------------------------------------------------- the headers themselves


@pytest.mark.parametrize(("plan", "kind", "name"), FIELDS)
def test_header_is_clean_vietnamese(plan, kind, name):
    text = header(plan, kind, name)
    assert text == text.strip() and text
    assert unicodedata.normalize("NFC", text) == text
    assert "_" not in text and "\n" not in text
    assert not text.isascii(), f"{plan}: {kind}.{name}: {text!r} has no Vietnamese letter"
    assert len(text) <= 40


@pytest.mark.parametrize(("plan", "kind"), DECLS)
def test_headers_unique_and_never_another_fields_english_name(plan, kind):
    """The loader accepts both names, so no folded header may stand for two fields."""
    owner: dict[str, str] = {}
    for name in decls(plan)[kind].fields:
        for text in (name, header(plan, kind, name)):
            assert owner.setdefault(key(text), name) == name, (
                f"{plan}: {kind}: {text!r} of {name} folds like a name of {owner[key(text)]}"
            )


def test_examples():
    vbn1, tan_phuoc = schema_of("vbn1-2020"), schema_of("tan-phuoc-2020-2022")
    for schema in (vbn1, tan_phuoc):
        assert schema.header_to_field("people", "Họ và tên") == "name"
        assert schema.header("people", "ref") == "Mã"
        assert schema.header("people", "party_member") == "Đảng viên"
        assert schema.header("timesheets", "week") == "Tuần (thứ Hai)"
        assert schema.header("timesheets", "hours") == "Số giờ làm việc"
        assert schema.sheet("people") == "Nhân sự" and schema.sheet("timesheets") == "Chấm công"
        assert schema.cell.sheet == "Chi bộ"
    assert INSTRUCTIONS_SHEET == "Hướng dẫn"
    assert vbn1.header("student_figures", "good") == "Số HS giỏi"
    # each plan reads its own extensions of a library kind
    assert vbn1.header_to_field("people", "Trình độ so với chuẩn") == "qualification"
    assert tan_phuoc.header_to_field("people", "Trình độ đào tạo so với chuẩn") == "qualification"
    assert vbn1.header_to_field("people", "Số tiết được giảm") == "reduction"
    assert tan_phuoc.header_to_field("people", "Số tiết được giảm") is None
    assert tan_phuoc.header_to_field("people", "Môn dạy") == "subject"
    assert vbn1.header_to_field("people", "Môn dạy") is None


# --------------------------------------------------------------------------- sheet names


def sheets(plan: str) -> dict[str, str]:
    """Sheet name -> what it holds, for one plan's workbook."""
    schema = schema_of(plan)
    return {**{d.sheet: k for k, d in schema.kinds.items()}, schema.cell.sheet: CELL, INSTRUCTIONS_SHEET: "help"}


SHEETS = [(plan, name) for plan in PLANS for name in sheets(plan)]


@pytest.mark.parametrize(("plan", "name"), SHEETS)
def test_sheet_name_is_valid_in_excel(plan, name):
    assert 1 <= len(name) <= 31
    assert not set(name) & EXCEL_FORBIDDEN
    assert name == name.strip() and not name.startswith("'") and not name.endswith("'")
    assert not name.startswith("_")  # the reader skips sheets whose name starts with '_'
    assert unicodedata.normalize("NFC", name) == name


@pytest.mark.parametrize("plan", PLANS)
def test_sheet_names_unique_after_folding_and_distinct_from_every_english_kind(plan):
    schema = schema_of(plan)
    owners = sheets(plan)
    assert len(owners) == len(schema.kinds) + 2, "two kinds share a sheet name"
    seen: dict[str, str] = {}
    for text, owner in [*owners.items(), *((k, k) for k in schema.kinds), (CELL, CELL)]:
        assert seen.setdefault(key(text), owner) == owner, f"{plan}: {text!r} folds like a name of {seen[key(text)]}"


# --------------------------------------------------------------------------- header_to_field


@pytest.mark.parametrize(("plan", "kind", "name"), FIELDS)
def test_header_to_field_accepts_every_spelling(plan, kind, name):
    schema = schema_of(plan)
    text = header(plan, kind, name)
    spellings = [name, name.upper(), name.replace("_", " ").title(), name.replace("_", "-"),
                 text, nfd(text), text.upper(), nfd(text.upper()), strip_marks(text),
                 f"  {text}\t", strip_marks(text).lower(), text.replace(" ", "_"), text.replace(" ", " - ")]
    for spelling in spellings:
        assert schema.header_to_field(kind, spelling) == name, f"{plan}: {kind}: {spelling!r}"


def test_header_to_field_examples():
    schema = schema_of("vbn1-2020")
    assert schema.header_to_field("people", "Ho va ten") == "name"
    assert schema.header_to_field("people", "HỌ VÀ TÊN") == "name"
    assert schema.header_to_field("people", nfd("Họ và tên")) == "name"
    assert schema.header_to_field("people", "ho_va_ten") == "name"
    assert schema.header_to_field("people", "dang vien") == "party_member"
    assert schema.header_to_field("people", "Party Member") == "party_member"
    assert schema.header_to_field("people", "party-member") == "party_member"
    assert schema.header_to_field("timesheets", "tuan (thu hai)") == "week"
    assert schema.header_to_field("student_figures", "so hs gioi") == "good"
    assert schema.header_to_field("cell", "Nam ke hoach") == "plan_year"
    assert schema.header_to_field("cell", "plan-year") == "plan_year"
    assert schema.header_to_field("cell", "Mã kế hoạch") == "plan"


def test_header_to_field_rejects_what_is_not_a_header_of_that_kind():
    schema = schema_of("vbn1-2020")
    assert schema.header_to_field("people", "Ghi chú") is None
    assert schema.header_to_field("people", "") is None
    assert schema.header_to_field("people", "Họ và") is None
    assert schema.header_to_field("people", "Số giờ làm việc") is None  # a timesheet header
    assert schema.header_to_field("people", "hours") is None  # a timesheet field
    assert schema.header_to_field("people", "plan_year") is None  # a cell field
    assert schema.header_to_field("cell", "Họ và tên") is None
    assert schema.header_to_field("no_such_kind", "ref") is None


spacing = st.sampled_from([" ", "  ", "_", "-", " _ ", "\u00a0"])


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from(FIELDS),
    vietnamese=st.booleans(),
    flips=st.lists(st.booleans(), min_size=60, max_size=60),
    separators=st.lists(spacing, min_size=10, max_size=10),
    pad=st.tuples(st.sampled_from(["", " ", "  ", "\t"]), st.sampled_from(["", " ", "\t "])),
    form=st.sampled_from(["NFC", "NFD"]),
    marks=st.booleans(),
)
def test_header_to_field_ignores_case_spacing_and_normal_form(field, vietnamese, flips, separators, pad, form, marks):
    plan, kind, name = field
    text = header(plan, kind, name) if vietnamese else name
    if not marks:
        text = strip_marks(text)
    words = text.replace("_", " ").split(" ")
    text = words[0] + "".join(sep + word for sep, word in zip(separators, words[1:]))
    text = "".join(ch.upper() if flip else ch.lower() for ch, flip in zip(text, flips + [False] * len(text)))
    text = pad[0] + unicodedata.normalize(form, text) + pad[1]
    assert schema_of(plan).header_to_field(kind, text) == name


# --------------------------------------------------------------------------- sheet_to_kind


@pytest.mark.parametrize(("plan", "kind"), DECLS)
def test_sheet_to_kind_accepts_every_spelling(plan, kind):
    schema = schema_of(plan)
    sheet = decls(plan)[kind].sheet
    for text in (kind, kind.upper(), kind.replace("_", " ").title(), kind.replace("_", "-"), sheet, nfd(sheet),
                 sheet.upper(), strip_marks(sheet), strip_marks(sheet).lower(), f" {sheet} ", sheet.replace(" ", "_")):
        assert schema.sheet_to_kind(text) == kind, f"{plan}: {text!r}"


def test_sheet_to_kind_examples():
    schema = schema_of("vbn1-2020")
    assert schema.sheet_to_kind("Nhân sự") == "people"
    assert schema.sheet_to_kind("nhan su") == "people"
    assert schema.sheet_to_kind("CHẤM CÔNG") == "timesheets"
    assert schema.sheet_to_kind(nfd("Quán triệt NQ")) == "briefings"
    assert schema.sheet_to_kind("HCM items") == "hcm_items"
    assert schema.sheet_to_kind("Số liệu học sinh") == "student_figures"
    assert schema_of("tan-phuoc-2020-2022").sheet_to_kind("Số liệu học sinh") == "student_figures"  # school library
    assert schema_of("tan-phuoc-2020-2022").sheet_to_kind("Thi trên Internet") is None  # vbn1's own kind only
    for text in ("cell", "Cell", "Chi bộ", nfd("Chi bộ"), "chi bo", "CHI BỘ"):
        assert schema.sheet_to_kind(text) == "cell", text


@pytest.mark.parametrize("plan", PLANS)
def test_sheet_to_kind_rejects_other_sheets(plan):
    schema = schema_of(plan)
    assert schema.sheet_to_kind(INSTRUCTIONS_SHEET) is None
    assert schema.sheet_to_kind("huong dan") is None
    assert schema.sheet_to_kind("Sheet1") is None
    assert schema.sheet_to_kind("Trang tính1") is None
    assert schema.sheet_to_kind("") is None
    assert schema.sheet_to_kind("people.csv") is None


def test_bundled_plans_are_folders():
    assert all(isinstance(folder, Path) and (folder / "plan.yaml").is_file() for folder in PLAN_FOLDERS.values())
