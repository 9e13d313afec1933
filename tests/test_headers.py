"""Tests for chibo_rules.headers: Vietnamese sheet names and column headers of a case workbook.

The contract: every field of every model has a Vietnamese header and every kind a sheet name that
Excel accepts; a header or sheet name is recognised whether typed as the English name or the
Vietnamese one, in any case, NFC or NFD, with or without diacritics, and nothing else is.
"""

from __future__ import annotations

import datetime as dt
import typing
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chibo_rules.facts.headers import (
    CELL_HEADERS,
    CELL_SHEET,
    FIELD_HELP,
    HEADERS,
    HELP,
    INSTRUCTIONS_SHEET,
    SHEETS,
    header_to_field,
    sheet_to_kind,
)
from chibo_rules.facts.models import FACT_MODELS, Cell
from chibo_rules.facts.values import fold

ALL_HEADERS = {"cell": CELL_HEADERS, **HEADERS}
MODELS = {"cell": Cell, **FACT_MODELS}
FIELDS = [(kind, name) for kind, model in MODELS.items() for name in model.model_fields]
EXCEL_FORBIDDEN = set("[]:*?/\\")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def strip_marks(text: str) -> str:
    """What a secretary types without a Vietnamese keyboard: no diacritics, đ as d."""
    bare = "".join(ch for ch in nfd(text) if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


def key(text: str) -> str:
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


# --------------------------------------------------------------------------- coverage of the models


def test_every_kind_has_a_sheet_headers_and_help():
    assert set(SHEETS) == set(FACT_MODELS)
    assert set(HEADERS) == set(FACT_MODELS)
    assert set(HELP) == set(FACT_MODELS)
    assert set(FIELD_HELP) <= set(MODELS)


@pytest.mark.parametrize("kind", list(MODELS))
def test_every_field_has_a_header_and_no_stale_header(kind):
    assert list(ALL_HEADERS[kind]) == list(MODELS[kind].model_fields)


@pytest.mark.parametrize("kind", list(MODELS))
def test_field_help_names_real_fields(kind):
    assert set(FIELD_HELP.get(kind, {})) <= set(MODELS[kind].model_fields)


def _types(model, name):
    annotation = model.model_fields[name].annotation
    return {annotation, *typing.get_args(annotation)}


@pytest.mark.parametrize(("kind", "name"), FIELDS)
def test_format_hints_where_the_format_matters(kind, name):
    """Dates say dd/mm/yyyy and yes/no fields có/không, as the parsers expect them."""
    types = _types(MODELS[kind], name)
    hint = FIELD_HELP.get(kind, {}).get(name, "")
    if dt.date in types:
        assert "dd/mm/yyyy" in hint
    if bool in types:
        assert "có" in hint and "không" in hint
    if list in types or any(typing.get_origin(t) is list for t in types):
        assert "';'" in hint


def test_week_hint_says_monday_and_counts_say_whole_numbers():
    assert "thứ Hai" in FIELD_HELP["timesheets"]["week"]
    assert "Số nguyên" in FIELD_HELP["student_figures"]["enrolled"]
    assert "Số nguyên" in FIELD_HELP["timesheets"]["periods"]


@pytest.mark.parametrize("kind", list(FACT_MODELS))
def test_help_is_one_vietnamese_sentence(kind):
    text = HELP[kind]
    assert text.startswith("Mỗi dòng là ")
    assert text.endswith(".") and "\n" not in text
    assert unicodedata.normalize("NFC", text) == text


# --------------------------------------------------------------------------- the headers themselves


@pytest.mark.parametrize(("kind", "name"), FIELDS)
def test_header_is_clean_vietnamese(kind, name):
    header = ALL_HEADERS[kind][name]
    assert header == header.strip() and header
    assert unicodedata.normalize("NFC", header) == header
    assert "_" not in header and "\n" not in header
    assert not header.isascii(), f"{kind}.{name}: {header!r} has no Vietnamese letter"
    assert len(header) <= 40


@pytest.mark.parametrize("kind", list(MODELS))
def test_headers_unique_and_never_another_fields_english_name(kind):
    """The loader accepts both names, so no folded header may stand for two fields."""
    owner: dict[str, str] = {}
    for name, header in ALL_HEADERS[kind].items():
        for text in (name, header):
            assert owner.setdefault(key(text), name) == name, (
                f"{kind}: {text!r} of {name} folds like a name of {owner[key(text)]}"
            )


def test_examples_from_the_brief():
    assert HEADERS["people"]["ref"] == "Mã"
    assert HEADERS["people"]["name"] == "Họ và tên"
    assert HEADERS["people"]["party_member"] == "Đảng viên"
    assert HEADERS["timesheets"]["week"] == "Tuần (thứ Hai)"
    assert HEADERS["timesheets"]["hours"] == "Số giờ làm việc"
    assert HEADERS["student_figures"]["good"] == "Số HS giỏi"
    assert SHEETS["people"] == "Nhân sự" and SHEETS["timesheets"] == "Chấm công"
    assert CELL_SHEET == "Chi bộ" and INSTRUCTIONS_SHEET == "Hướng dẫn"


# --------------------------------------------------------------------------- sheet names


ALL_SHEETS = [*SHEETS.values(), CELL_SHEET, INSTRUCTIONS_SHEET]


@pytest.mark.parametrize("name", ALL_SHEETS)
def test_sheet_name_is_valid_in_excel(name):
    assert 1 <= len(name) <= 31
    assert not set(name) & EXCEL_FORBIDDEN
    assert name == name.strip() and not name.startswith("'") and not name.endswith("'")
    assert not name.startswith("_")  # the reader skips sheets whose name starts with '_'
    assert unicodedata.normalize("NFC", name) == name


def test_sheet_names_unique_after_folding_and_distinct_from_every_english_kind():
    owners = {**{name: kind for kind, name in SHEETS.items()}, CELL_SHEET: "cell", INSTRUCTIONS_SHEET: "help"}
    seen: dict[str, str] = {}
    for text, owner in [*owners.items(), *((k, k) for k in FACT_MODELS), ("cell", "cell")]:
        assert seen.setdefault(key(text), owner) == owner, f"{text!r} folds like a name of {seen[key(text)]}"
    assert len({key(n) for n in ALL_SHEETS}) == len(ALL_SHEETS)


# --------------------------------------------------------------------------- header_to_field


@pytest.mark.parametrize(("kind", "name"), FIELDS)
def test_header_to_field_accepts_every_spelling(kind, name):
    header = ALL_HEADERS[kind][name]
    spellings = [name, name.upper(), name.replace("_", " ").title(), name.replace("_", "-"),
                 header, nfd(header), header.upper(), nfd(header.upper()), strip_marks(header),
                 f"  {header}\t", strip_marks(header).lower()]
    for text in spellings:
        assert header_to_field(kind, text) == name, f"{kind}: {text!r}"


def test_header_to_field_examples():
    assert header_to_field("people", "Ho va ten") == "name"
    assert header_to_field("people", "HỌ VÀ TÊN") == "name"
    assert header_to_field("people", nfd("Họ và tên")) == "name"
    assert header_to_field("people", "dang vien") == "party_member"
    assert header_to_field("people", "Party Member") == "party_member"
    assert header_to_field("timesheets", "tuan (thu hai)") == "week"
    assert header_to_field("student_figures", "so hs gioi") == "good"
    assert header_to_field("cell", "Nam ke hoach") == "plan_year"
    assert header_to_field("cell", "plan-year") == "plan_year"


def test_header_to_field_rejects_what_is_not_a_header_of_that_kind():
    assert header_to_field("people", "Ghi chú") is None
    assert header_to_field("people", "") is None
    assert header_to_field("people", "Họ và") is None
    assert header_to_field("people", "Số giờ làm việc") is None  # a timesheet header
    assert header_to_field("people", "hours") is None  # a timesheet field
    assert header_to_field("people", "plan_year") is None  # a cell field
    assert header_to_field("cell", "Họ và tên") is None
    assert header_to_field("no_such_kind", "ref") is None


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
    kind, name = field
    text = ALL_HEADERS[kind][name] if vietnamese else name
    if not marks:
        text = strip_marks(text)
    words = text.replace("_", " ").split(" ")
    text = words[0] + "".join(sep + word for sep, word in zip(separators, words[1:]))
    text = "".join(ch.upper() if flip else ch.lower() for ch, flip in zip(text, flips + [False] * len(text)))
    text = pad[0] + unicodedata.normalize(form, text) + pad[1]
    assert header_to_field(kind, text) == name


# --------------------------------------------------------------------------- sheet_to_kind


@pytest.mark.parametrize("kind", list(FACT_MODELS))
def test_sheet_to_kind_accepts_every_spelling(kind):
    sheet = SHEETS[kind]
    for text in (kind, kind.upper(), kind.replace("_", " ").title(), sheet, nfd(sheet), sheet.upper(),
                 strip_marks(sheet), f" {sheet} "):
        assert sheet_to_kind(text) == kind, text


def test_sheet_to_kind_examples():
    assert sheet_to_kind("Nhân sự") == "people"
    assert sheet_to_kind("nhan su") == "people"
    assert sheet_to_kind("CHẤM CÔNG") == "timesheets"
    assert sheet_to_kind(nfd("Quán triệt NQ")) == "briefings"
    assert sheet_to_kind("HCM items") == "hcm_items"
    for text in ("cell", "Cell", CELL_SHEET, nfd(CELL_SHEET), "chi bo", "CHI BỘ"):
        assert sheet_to_kind(text) == "cell", text


def test_sheet_to_kind_rejects_other_sheets():
    assert sheet_to_kind(INSTRUCTIONS_SHEET) is None
    assert sheet_to_kind("huong dan") is None
    assert sheet_to_kind("Sheet1") is None
    assert sheet_to_kind("Trang tính1") is None
    assert sheet_to_kind("") is None
    assert sheet_to_kind("people.csv") is None
