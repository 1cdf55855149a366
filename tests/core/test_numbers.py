"""number_key: one key for every way an office types the same number symbol, different keys for
different numbers or series."""

import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st

from thidua.core.numbers import clean_symbol, number_key

HYPHENS = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
SLASHES = "/\u2044\u2215\uff0f"
SPACES = ["", " ", "  ", "\u00a0", "\t", "\u2003", "\u200b", "\ufeff"]
D_FORMS = {"Đ": ["Đ", "đ", "\u00d0", "\u00f0", "\u0189", "\u0256"],
           "đ": ["Đ", "đ", "\u00d0", "\u00f0"]}

# The parts a symbol is made of: upper-case letters as Decree 30 writes them (Đ among them, and
# Vietnamese letters with their marks), digits, and the separators.
LETTERS = "ABCDĐEGHIKLMNOPQRSTUVXYÂĂÊÔƠƯ"
symbols = st.lists(
    st.one_of(st.text(LETTERS, min_size=1, max_size=6), st.text("0123456789", min_size=1, max_size=4)),
    min_size=1, max_size=4,
).flatmap(lambda parts: st.lists(st.sampled_from("-/"), min_size=len(parts) - 1,
                                 max_size=len(parts) - 1).map(
    lambda seps: parts[0] + "".join(s + p for s, p in zip(seps, parts[1:], strict=True))))


@st.composite
def typed_as_offices_do(draw, symbol: str) -> str:
    """``symbol`` as someone might type or paste it: any case per letter, NFC or NFD, Đ as đ or a
    look-alike, any dash or slash, spaces and invisible characters anywhere."""
    out = []
    for ch in symbol:
        if ch in D_FORMS:
            ch = draw(st.sampled_from(D_FORMS[ch]))
        elif ch == "-":
            ch = draw(st.sampled_from(HYPHENS))
        elif ch == "/":
            ch = draw(st.sampled_from(SLASHES))
        elif ch.isalpha() and draw(st.booleans()):
            ch = ch.lower()
        out.append(draw(st.sampled_from(SPACES)) + ch)
    text = "".join(out) + draw(st.sampled_from(SPACES))
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"])), text)


@given(st.data(), symbols)
def test_every_typing_of_a_symbol_has_its_key(data, symbol):
    variant = data.draw(typed_as_offices_do(symbol))
    assert number_key(variant) == number_key(symbol)


@given(st.data(), symbols, symbols)
def test_different_numbers_or_series_keep_different_keys(data, one, other):
    # Different as Decree 30 writes them, told apart by more than case, Đ/D or tone marks.
    plain = {s: "".join(c for c in unicodedata.normalize("NFD", s.replace("Đ", "D"))
                        if not unicodedata.combining(c)).upper() for s in (one, other)}
    assume(plain[one] != plain[other])
    assert number_key(data.draw(typed_as_offices_do(one))) != number_key(
        data.draw(typed_as_offices_do(other)))


@given(st.text(max_size=40))
def test_the_key_is_a_fixed_point_without_spaces(text):
    key = number_key(text)
    assert number_key(key) == key
    assert not any(ch.isspace() for ch in key)
    assert key == unicodedata.normalize("NFC", key)


@given(st.data(), symbols)
def test_the_clean_form_keeps_case_and_marks_but_not_spaces_or_odd_dashes(data, symbol):
    assert clean_symbol(symbol) == symbol
    variant = data.draw(typed_as_offices_do(symbol))
    cleaned = clean_symbol(variant)
    assert number_key(cleaned) == number_key(symbol)
    assert not any(ch.isspace() for ch in cleaned)
    assert set(cleaned) & set(HYPHENS[1:] + SLASHES[1:]) == set()


def test_the_examples_of_the_issue():
    assert number_key("125/QĐ-UBND") == number_key("125/qđ-ubnd") == "125/qd-ubnd"
    assert number_key(" 125 / QĐ – UBND ") == number_key("125／QÐ－UBND") == "125/qd-ubnd"
    assert number_key("QĐ-UBND") != number_key("QĐ-CT")
    assert number_key("125/QĐ-UBND") != number_key("126/QĐ-UBND")
    assert number_key("") == number_key(None) == ""
    assert clean_symbol(" TTr – UBND ") == "TTr-UBND"
