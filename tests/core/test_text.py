"""The one normaliser (core.text): what it does to each kind of look-alike, and the properties it
keeps over any text (hypothesis)."""

import sys
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from thidua.core.text import (
    HOMOGLYPHS,
    fold,
    formula_prefix,
    neutralise_formula,
    nfc,
    nfc_lines,
    normalise,
)


def test_fold_removes_diacritics_and_folds_d_bar():
    assert fold("Đỗ Đức Đạt") == "do duc dat"
    assert fold("NGUYỄN THỊ MINH KHAI") == "nguyen thi minh khai"


def test_fold_treats_composed_and_decomposed_text_alike():
    composed = "Phường Sông Cầu"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "phuong song cau"


def test_nfc_composes_and_collapses_whitespace():
    decomposed = unicodedata.normalize("NFD", "  Hà   Thị\tLan ")
    assert nfc(decomposed) == "Hà Thị Lan"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))
    assert nfc(None) == ""


# --- each kind of look-alike -----------------------------------------------------------------------

@pytest.mark.parametrize("typed, stored", [
    ("\u00d0ỗ Đức Đạt", "Đỗ Đức Đạt"),                    # Icelandic Eth for Đ
    ("\u00f0inh Th\u1ecb H\u00e0", "đinh Thị Hà"),          # its small letter for đ
    ("\u0256inh V\u0103n An", "đinh Văn An"),               # African ɖ
    ("\u0189\u1ed7 V\u0103n An", "Đỗ Văn An"),              # African Ɖ
    ("\u041dà V\u0103n \u0412ình", "Hà Văn Bình"),          # Cyrillic Н, В
    ("Ngu\u0443\u0435n V\u0103n \u0410n", "Nguyen Văn An"),  # Cyrillic у, е, А
    ("\u0397\u03bfàng V\u0103n Nam", "Hoàng Văn Nam"),      # Greek Η, ο
    ("Ho\u0430\u0300ng", "Hoàng"),                          # Cyrillic а + a combining grave
    ("\uff11\uff19\uff18\uff10", "1980"),                   # full-width digits
    ("\uff2e\uff47\uff55\uff59\u1ec5\uff4e", "Nguyễn"),     # full-width letters
    ("\U0001d40d\U0001d420\U0001d42e\U0001d432\u1ec5\U0001d427", "Nguyễn"),  # bold "fancy text"
    ("Ng\u200buy\u200c\u1ec5n\u200d V\u0103n\ufeff A\u00ad", "Nguyễn Văn A"),  # zero-width
    ("Nguy\u1ec5n\u00a0V\u0103n\u202fA\u3000B\u2007C", "Nguyễn Văn A B C"),   # no-break spaces
    ("\u202eA\u202c \u2066B\u2069 \u200eC", "A B C"),       # bidi controls
    ("A\x00B\x07C\x1bD\x7fE\x9bF", "ABCDEF"),               # control characters
    ("Ph\u01b0\u1eddng S\u00f4ng C\u1ea7u\ufe0f", "Phường Sông Cầu"),  # a variation selector
])
def test_each_look_alike_is_stored_as_the_vietnamese_letter(typed, stored):
    assert nfc(typed) == stored
    assert fold(typed) == fold(stored)


def test_real_cyrillic_and_greek_words_are_left_as_written():
    assert nfc("Москва") == "Москва"
    assert nfc("Chuyên gia Иванов") == "Chuyên gia Иванов"
    assert nfc("Ω và Ο") == "Ω và Ο"


def test_multi_line_text_keeps_its_lines_whatever_the_separator():
    text = "Dòng 1\u2028Dòng\u00a0 2\x0bDòng 3\r\n\r\nDòng 4\x85Dòng 5"
    assert nfc_lines(text) == "Dòng 1\nDòng 2\nDòng 3\nDòng 4\nDòng 5"
    assert nfc(text) == "Dòng 1 Dòng 2 Dòng 3 Dòng 4 Dòng 5"


def test_every_format_and_control_character_of_unicode_is_removed():
    """The table of invisible characters is written out by hand; Unicode's own list checks it."""
    dropped = [chr(cp) for cp in range(sys.maxunicode + 1)
               if unicodedata.category(chr(cp)) in ("Cf", "Cc") and not chr(cp).isspace()]
    assert len(dropped) > 150
    for ch in dropped:
        assert nfc(f"a{ch}b") == "ab", hex(ord(ch))


def test_fold_is_the_normalised_folding():
    for letter, latin in HOMOGLYPHS.items():
        assert fold(f"x{letter}") == fold(f"x{latin}")


# --- properties over any text ----------------------------------------------------------------------

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
TONES = "\u0300\u0301\u0303\u0309\u0323"
LOOK_ALIKES = "\u00d0\u00f0\u0256\u0189\u200b\u200c\u200d\ufeff\u00ad\u00a0\u202f\u3000" + "".join(
    HOMOGLYPHS) + "".join(chr(0xFF10 + i) for i in range(10))

vietnamese_text = st.text(st.sampled_from(VIETNAMESE + TONES + " \t\n0123456789-/.,"), max_size=40)
any_text = st.text(max_size=40)
mixed = st.text(st.sampled_from(VIETNAMESE + TONES + LOOK_ALIKES + " \t\n\r\x00\x1f"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, mixed, vietnamese_text))
@example("\u00d0\u0301")
@example("\u0430\u0306")
def test_normalising_twice_is_normalising_once(text):
    for lines in (False, True):
        once = normalise(text, lines=lines)
        assert normalise(once, lines=lines) == once


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, mixed))
def test_the_result_is_nfc_without_invisible_characters_or_look_alike_d(text):
    result = nfc(text)
    assert unicodedata.is_normalized("NFC", result)
    assert not any(unicodedata.category(ch) in ("Cf", "Cc") for ch in result)
    assert "\u00d0" not in result and "\u00f0" not in result and "\u0256" not in result
    assert result == result.strip() and "  " not in result
    assert not any(0xFF01 <= ord(ch) <= 0xFF5E for ch in result)


@settings(max_examples=300, deadline=None)
@given(st.one_of(any_text, mixed))
def test_folding_does_not_care_whether_the_text_was_normalised(text):
    assert fold(nfc(text)) == fold(text)
    assert fold(nfc_lines(text)) == fold(text)


@settings(max_examples=300, deadline=None)
@given(vietnamese_text)
def test_plain_vietnamese_comes_out_as_it_went_in_once_composed(text):
    composed = " ".join(unicodedata.normalize("NFC", text).split())
    assert nfc(text) == composed


@settings(max_examples=300, deadline=None)
@given(vietnamese_text, st.data())
def test_a_name_spoiled_by_look_alikes_folds_and_stores_as_the_clean_name(text, data):
    """Replace some letters by a look-alike, add invisible characters: the same stored text."""
    twins = {"Đ": "\u00d0", "đ": "\u0256", "a": "\u0430", "e": "\u0435", "o": "\u043e",
             "p": "\u0440", "c": "\u0441", "x": "\u0445", "y": "\u0443", "H": "\u041d",
             "B": "\u0412", "K": "\u039a", "0": "\uff10", "9": "\uff19", " ": "\u00a0"}
    clean = nfc(text)
    spoiled = "".join(
        twins[ch] if ch in twins and data.draw(st.booleans()) else ch for ch in clean
    ) + data.draw(st.sampled_from(["", "\u200b", "\ufeff", "\u00ad"]))
    assert nfc(spoiled) == clean
    assert fold(spoiled) == fold(clean)


# --- spreadsheet formulas ------------------------------------------------------------------------

@pytest.mark.parametrize("text, prefix", [
    ("=1+1", "="), ("+84 912", "+"), ("-2", "-"), ("@SUM(A1)", "@"), ("\t=1", "\t"),
    ("\r=1", "\r"), ("  =1", "="), ("\uff1d1+1", "="), ("\u200b-1", "-"), ("\u00a0@x", "@"),
    ("Nguyễn", ""), ("– Sở Nội vụ", ""), ("'=1", ""), ("", ""), (None, ""), (1980, ""),
])
def test_formula_prefix_follows_the_owasp_list(text, prefix):
    assert formula_prefix(text) == prefix


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["=", "+", "-", "@", "\t", "\r", " =", "\uff1d", "\u200b+"]), any_text)
def test_a_neutralised_text_never_starts_a_formula(prefix, rest):
    text = prefix + rest
    assert formula_prefix(text)
    escaped = neutralise_formula(text)
    assert escaped == "'" + text
    assert not formula_prefix(escaped)


@settings(max_examples=200, deadline=None)
@given(vietnamese_text.filter(lambda t: not formula_prefix(t)))
def test_ordinary_text_is_not_touched_by_the_neutraliser(text):
    assert neutralise_formula(text) == text
