"""Exact ratios: how rule sets write, store and print a quorum or a threshold (issue 10, item 2).

A ratio is a fraction or a whole percentage, never a decimal; what is printed reads back as the
very number that was compared.
"""

import re
from fractions import Fraction

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from thidua.rulesets.fields import FractionField
from thidua.rulesets.ratios import RatioError, number_text, parse_ratio, ratio_key, ratio_text

ratios = st.integers(min_value=1, max_value=999).flatmap(
    lambda d: st.integers(min_value=1, max_value=d).map(lambda n: Fraction(n, d)))


@given(ratios)
def test_a_ratio_reads_back_from_what_is_stored_and_what_is_printed(ratio):
    assert parse_ratio(ratio_key(ratio)) == ratio
    assert parse_ratio(ratio_text(ratio)) == ratio
    assert "," not in ratio_text(ratio) and "." not in ratio_text(ratio)  # never a decimal


def read_number(text: str) -> Fraction:
    """A number as number_text prints it: "6", "9,9", or "8/3 (≈ 2,67)"."""
    if match := re.fullmatch(r"(\d+)/(\d+) \(≈ [\d,]+\)", text):
        return Fraction(int(match[1]), int(match[2]))
    assert re.fullmatch(r"\d+(,\d{1,2})?", text), text
    return Fraction(text.replace(",", "."))


@given(ratios, st.integers(min_value=0, max_value=60))
def test_a_printed_number_is_exactly_the_number_compared(ratio, members):
    needed = ratio * members
    assert read_number(number_text(needed)) == needed


@pytest.mark.parametrize("text, value", [
    ("2/3", Fraction(2, 3)), ("90%", Fraction(9, 10)), (" 9 / 10 ", Fraction(9, 10)),
    ("１００％", Fraction(1)), ("2⁄3", Fraction(2, 3)), ("50 %", Fraction(1, 2)),
])
def test_ratios_are_taken_as_people_type_them(text, value):
    assert parse_ratio(text) == value


@pytest.mark.parametrize("text, message", [
    ("0.9", "phân số"), ("66,67%", "phân số"), ("67", "phân số"), (67, "phân số"),
    ("0/3", "lớn hơn 0"), ("3/2", "không quá 100%"), ("101%", "không quá 100%"),
    ("1/0", "mẫu số bằng 0"), ("hai phần ba", "phân số"), (None, "phân số"),
])
def test_anything_else_is_refused_with_a_message(text, message):
    with pytest.raises(RatioError, match=message):
        parse_ratio(text)


def test_the_field_stores_lowest_terms_and_refuses_a_bad_ratio():
    field = FractionField()
    assert field.get_prep_value("90%") == "9/10"
    assert field.get_prep_value(Fraction(4, 6)) == "2/3"
    assert field.from_db_value("2/3", None, None) == Fraction(2, 3)
    with pytest.raises(RatioError):
        field.get_prep_value("66.67%")
    form_field = field.formfield()
    assert form_field.clean("2/3") == Fraction(2, 3)
    assert form_field.prepare_value(Fraction(9, 10)) == "90%"
    with pytest.raises(forms.ValidationError, match="phân số"):
        form_field.clean("0,667")
