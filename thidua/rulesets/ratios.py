"""Exact ratios for the rules: a quorum of "two thirds" is 2/3, not 67 %.

A rule set holds its quorum and each award form its vote threshold as a ``fractions.Fraction``
(stored as the text "n/d", see :class:`thidua.rulesets.fields.FractionField`). People write them
"2/3" or "90%" — never as decimals, so no rounding can come between the law's words and the
arithmetic: 6 of 9 members present reach two thirds; 66,67 % of 9 would not be a rule of law.
"""

import re
import unicodedata
from fractions import Fraction

from django.utils.translation import gettext as _

_SLASHES = str.maketrans({"\u2044": "/", "\u2215": "/"})
_FRACTION = re.compile(r"(\d{1,4})\s*/\s*(\d{1,4})")
_PERCENT = re.compile(r"(\d{1,3})\s*%")


class RatioError(ValueError):
    """A ratio written in a way the rules do not take (the message is for people)."""


def parse_ratio(value) -> Fraction:
    """``value`` as an exact fraction greater than 0 and at most 1.

    Takes a Fraction, "2/3" or "90%" (spaces, full-width digits and the fraction slash are
    fine). Refuses numbers without a unit (is 1 a hundred percent or one percent?) and decimals
    ("66,67%"): a rule is a fraction or a whole percentage.
    """
    if isinstance(value, Fraction):
        ratio = value
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).translate(_SLASHES).strip()
        if match := _FRACTION.fullmatch(text):
            numerator, denominator = int(match[1]), int(match[2])
            if denominator == 0:
                raise RatioError(_("Tỷ lệ “%(value)s” có mẫu số bằng 0.") % {"value": value})
            ratio = Fraction(numerator, denominator)
        elif match := _PERCENT.fullmatch(text):
            ratio = Fraction(int(match[1]), 100)
        else:
            raise RatioError(_("Tỷ lệ “%(value)s” không hợp lệ: hãy ghi dạng phân số (ví dụ 2/3) "
                               "hoặc phần trăm nguyên (ví dụ 90%%).") % {"value": value})
    else:
        raise RatioError(_("Tỷ lệ “%(value)s” không hợp lệ: hãy ghi dạng phân số (ví dụ 2/3) "
                           "hoặc phần trăm nguyên (ví dụ 90%%).") % {"value": value})
    if not 0 < ratio <= 1:
        raise RatioError(_("Tỷ lệ “%(value)s” phải lớn hơn 0 và không quá 100%%.")
                         % {"value": value})
    return ratio


def ratio_key(ratio: Fraction) -> str:
    """How a ratio is stored: "2/3", "9/10" (lowest terms)."""
    return f"{ratio.numerator}/{ratio.denominator}"


def ratio_text(ratio: Fraction) -> str:
    """How a ratio is written for people: a whole percentage where it is one ("90%"), the
    fraction otherwise ("2/3") — never a rounded decimal."""
    if 100 % ratio.denominator == 0:
        return f"{ratio.numerator * 100 // ratio.denominator}%"
    return ratio_key(ratio)


def _decimal(value: Fraction) -> str:
    """``value`` (with at most two decimals) with the Vietnamese decimal comma."""
    hundredths = round(value * 100)
    whole, part = divmod(abs(hundredths), 100)
    sign = "-" if hundredths < 0 else ""
    return f"{sign}{whole}" + (f",{part:02d}".rstrip("0") if part else "")


def number_text(value: Fraction) -> str:
    """An exact number for a reader: "6", "9,9", "6,25"; a number with more decimals is written
    as its fraction with an approximation, "8/3 (≈ 2,67)", so that what is printed is exactly
    what was compared."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    if (value * 100).denominator == 1:
        return _decimal(value)
    return f"{value.numerator}/{value.denominator} (≈ {_decimal(value)})"
