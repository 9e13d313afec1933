"""Unit tests for chibo_rules.values: the parsers of the scalar values secretaries type.

The contract (module docstring): each parser returns a value meaning exactly what was typed, or
raises ValueError naming what was expected; nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chibo_rules.facts.values import (
    blank_to_none,
    fold,
    nfc,
    parse_bool,
    parse_choice,
    parse_date,
    parse_int,
    parse_list,
    parse_number,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --------------------------------------------------------------------------- nfc / fold


def test_nfc_composes_decomposed_vietnamese():
    decomposed = nfd("Nguyễn Thị Hằng")
    assert decomposed != "Nguyễn Thị Hằng"  # the fixture really is decomposed
    assert nfc(decomposed) == "Nguyễn Thị Hằng"
    assert len(nfc(decomposed)) == len("Nguyễn Thị Hằng")


def test_fold_strips_diacritics_case_and_surrounding_space():
    assert fold("  Hoàn Thành XUẤT SẮC ") == "hoan thanh xuat sac"


@pytest.mark.parametrize("text", ["Đặng", "đặng", nfd("Đặng"), nfd("ĐẶNG")])
def test_fold_maps_d_with_stroke_to_d(text):
    assert fold(text) == "dang"


def test_fold_keeps_inner_spaces_and_distinguishes_words():
    assert fold("không đạt") == "khong dat"
    assert fold("không đạt") != fold("đạt")


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ",
               max_size=30))
def test_fold_is_the_same_for_nfc_nfd_and_upper_case(text):
    folded = fold(text)
    assert fold(nfd(text)) == folded
    assert fold(text.upper()) == folded
    assert folded.isascii()


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2020-03-05", dt.date(2020, 3, 5)),
        (" 2020-12-31 ", dt.date(2020, 12, 31)),
        ("05/03/2020", dt.date(2020, 3, 5)),  # dd/mm/yyyy: day first, never US order
        ("5/3/2020", dt.date(2020, 3, 5)),
        ("29/02/2020", dt.date(2020, 2, 29)),  # leap day
        ("31/12/2020", dt.date(2020, 12, 31)),
    ],
)
def test_parse_date_accepts_iso_and_day_first(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2020", "29/02/2021", "2020-13-01", "2020-02-30", "00/01/2020", "32/13/2020"])
def test_parse_date_rejects_impossible_calendar_dates(text):
    with pytest.raises(ValueError, match="not a real calendar date"):
        parse_date(text)


@pytest.mark.parametrize(
    "text",
    ["", "hôm qua", "2020/03/05", "05-03-2020", "5.3.2020", "2020-3-5", "05/03/20", "20200305", "05/03/2020 08:00"],
)
def test_parse_date_rejects_other_forms(text):
    with pytest.raises(ValueError, match="expected a date dd/mm/yyyy or yyyy-mm-dd"):
        parse_date(text)


@pytest.mark.parametrize("value", [20200305, 2020.0, None, ["2020-03-05"]])
def test_parse_date_rejects_non_text(value):
    with pytest.raises(ValueError, match="expected a date"):
        parse_date(value)


def test_parse_date_passes_dates_through_and_truncates_datetimes():
    assert parse_date(dt.date(2020, 3, 5)) == dt.date(2020, 3, 5)
    result = parse_date(dt.datetime(2020, 3, 5, 23, 59))
    assert result == dt.date(2020, 3, 5)
    assert type(result) is dt.date  # not a datetime, which would compare unequal to dates


@settings(max_examples=300)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_date_round_trips_every_date_in_both_forms(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day


# --------------------------------------------------------------------------- parse_int


@pytest.mark.parametrize("value, expected", [("12", 12), (" 7 ", 7), ("0", 0), ("-3", -3), ("+4", 4), (5, 5), (6.0, 6)])
def test_parse_int_accepts_whole_numbers(value, expected):
    result = parse_int(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize("value", ["12,5", "12.5", "1.000", "mười", "", "12a", "1e3", 12.5, True, False, None])
def test_parse_int_rejects_anything_that_is_not_a_whole_number(value):
    with pytest.raises(ValueError, match="expected a whole number"):
        parse_int(value)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_int_round_trips_integers_as_text(n):
    assert parse_int(str(n)) == n


# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    "value, expected",
    [("85,5", 85.5), ("85.5", 85.5), ("40", 40.0), (" 37,5 ", 37.5), ("0", 0.0), (40, 40.0), (37.5, 37.5)],
)
def test_parse_number_accepts_dot_or_vietnamese_decimal_comma(value, expected):
    result = parse_number(value)
    assert result == expected
    assert type(result) is float


@pytest.mark.parametrize("value", ["85%", "85 %", "1.000,5", "1,000.5", "1.2.3", "37,5 giờ", "", "bốn mươi", ",5", "5,",
                                   "1e3", True, None])
def test_parse_number_rejects_units_grouping_and_words(value):
    with pytest.raises(ValueError, match="expected a number"):
        parse_number(value)


@pytest.mark.parametrize("text", ["1.000", "1,000"])
def test_parse_number_does_not_guess_a_thousands_separator(text):
    with pytest.raises(ValueError, match="ambiguous"):
        parse_number(text)


# --------------------------------------------------------------------------- parse_bool


@pytest.mark.parametrize(
    "text", ["có", "Có", "CÓ", "co", nfd("có"), "yes", "Yes", "y", "true", "1", "x", "X", " x ", "đúng", "đạt", "dat"]
)
def test_parse_bool_true_words(text):
    assert parse_bool(text) is True


@pytest.mark.parametrize(
    "text", ["không", "Không", "KHÔNG", "khong", nfd("không"), "no", "n", "false", "0", "sai", "", "  "]
)
def test_parse_bool_false_words_and_empty(text):
    assert parse_bool(text) is False


def test_parse_bool_non_text_values():
    assert parse_bool(True) is True
    assert parse_bool(False) is False
    assert parse_bool(None) is False
    assert parse_bool(1) is True
    assert parse_bool(0) is False


@pytest.mark.parametrize("value", ["có thể", "maybe", "2", "-", "chưa", 2, -1, 1.0, [True]])
def test_parse_bool_rejects_anything_else(value):
    with pytest.raises(ValueError, match="expected yes/no"):
        parse_bool(value)


# --------------------------------------------------------------------------- parse_list


def test_parse_list_splits_on_semicolon_and_strips():
    assert parse_list("P01; P02") == ["P01", "P02"]
    assert parse_list(" P01 ;; P02 ; ") == ["P01", "P02"]
    assert parse_list("P01") == ["P01"]


def test_parse_list_does_not_split_on_comma():
    # a comma is part of Vietnamese names and phrases
    assert parse_list("Nguyễn Văn A, tổ trưởng; P02") == ["Nguyễn Văn A, tổ trưởng", "P02"]


def test_parse_list_normalises_nfd_to_nfc():
    result = parse_list(nfd("Lê Thị Ánh; Đỗ Hữu Phước"))
    assert result == ["Lê Thị Ánh", "Đỗ Hữu Phước"]
    assert all(unicodedata.is_normalized("NFC", item) for item in result)


def test_parse_list_empty_inputs_and_lists():
    assert parse_list(None) == []
    assert parse_list("") == []
    assert parse_list(" ; ; ") == []
    assert parse_list(["P01", " P02 ", "", 3]) == ["P01", "P02", "3"]


@pytest.mark.parametrize("value", [5, 1.5, {"a": 1}, [1.5], [None], [["P01"]]])
def test_parse_list_rejects_non_lists(value):
    with pytest.raises(ValueError, match="expected a list"):
        parse_list(value)


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters=";", blacklist_categories=("Cs",)), max_size=8),
                max_size=6))
def test_parse_list_never_returns_empty_or_unstripped_items(items):
    result = parse_list(";".join(items))
    assert all(item and item == item.strip() for item in result)
    assert all(unicodedata.is_normalized("NFC", item) for item in result)
    expected = [nfc(i.strip()) for i in items if i.strip()]
    assert result == expected


# --------------------------------------------------------------------------- parse_choice

RATINGS = {
    "excellent": ("hoàn thành xuất sắc", "xuất sắc", "htxs"),
    "good": ("hoàn thành tốt", "tốt", "httt"),
    "completed": ("hoàn thành", "ht"),
    "not_completed": ("không hoàn thành", "kht"),
}


@pytest.mark.parametrize(
    "text, code",
    [
        ("excellent", "excellent"),
        ("EXCELLENT", "excellent"),
        (" not_completed ", "not_completed"),
        ("hoàn thành xuất sắc", "excellent"),
        ("Hoàn Thành Xuất Sắc", "excellent"),
        ("hoan thanh xuat sac", "excellent"),
        (nfd("hoàn thành xuất sắc"), "excellent"),
        ("HTXS", "excellent"),
        ("hoàn thành", "completed"),
        ("không hoàn thành", "not_completed"),
        ("KHÔNG HOÀN THÀNH", "not_completed"),
        ("tốt", "good"),
    ],
)
def test_parse_choice_maps_codes_and_labels_to_the_code(text, code):
    assert parse_choice(text, RATINGS) == code


@pytest.mark.parametrize("value", ["xuất sắc lắm", "hoàn", "", "trung bình", None, 1, ["excellent"]])
def test_parse_choice_rejects_unknown_values_and_lists_the_codes(value):
    with pytest.raises(ValueError) as info:
        parse_choice(value, RATINGS)
    assert str(info.value) == "expected one of: excellent, good, completed, not_completed"


# --------------------------------------------------------------------------- blank_to_none


def test_blank_to_none_only_blanks_empty_text():
    assert blank_to_none("") is None
    assert blank_to_none("   ") is None
    assert blank_to_none("0") == "0"
    assert blank_to_none(0) == 0
    assert blank_to_none(False) is False


def test_remembered_parses_give_what_parsing_gives(schema):
    """models._memo and the folded code table (loading twice as fast) change no value and no error:
    every spelling of every code of every kind reads as values.parse_choice reads it, a bad value is
    reported on each row it appears on, and the memory per field is bounded."""
    from chibo_rules.facts import models

    for kind, model in schema.models.items():
        for name in model.model_fields:
            choices = models.field_choices(model, name)
            if choices is None:
                continue
            parse = models._choice(choices).func
            for code, spellings in choices.accepted.items():
                for typed in (code, *spellings, code.upper(), f" {code} "):
                    assert parse(typed) == parse_choice(typed, choices.accepted) == code, (kind, name, typed)
            with pytest.raises(ValueError, match="expected one of"):
                parse("không có mã này")
    calls = []

    def counting(x):
        calls.append(x)
        if x == "bad":
            raise ValueError("bad")
        return x.upper()

    memo = models._memo(counting)
    assert [memo("a"), memo("a"), memo("b")] == ["A", "A", "B"] and calls == ["a", "b"]
    for _ in range(2):
        with pytest.raises(ValueError):
            memo("bad")
    assert calls.count("bad") == 2  # an error is never remembered
    for n in range(models.MEMO_SIZE + 10):
        memo(f"v{n}")
    calls.clear()
    memo(f"v{models.MEMO_SIZE + 5}")
    assert calls == [f"v{models.MEMO_SIZE + 5}"]  # past the bound, values are parsed, not stored
