"""Document number symbols ("số, ký hiệu văn bản"): the form kept and the key compared.

A decision number such as "125/QĐ-UBND" is typed by hand, pasted from Word or e-mail, or read from
Excel: the same number arrives as "125/qđ-ubnd", "125 / QĐ – UBND", in NFD, with a non-breaking
space, a fullwidth slash, an en dash or an Icelandic 'Ð' for 'Đ'. Uniqueness checks and the
database's unique indexes compare :func:`number_key`, never the raw text; :func:`clean_symbol` is
the tidy form that is stored and printed.

Pure Python on purpose: the decisions app and the award register both store the key in a column.
"""

import re
import unicodedata

from thidua.core.text import fold

# Every dash, hyphen and minus Word, phones and PDFs put in place of "-" (NFKC already maps the
# small and fullwidth forms; they are listed anyway, for text that skips NFKC).
_HYPHENS = ("\u00ad\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212"
            "\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d")
# Slashes that look like "/" (fraction slash, division slash, big solidus, fullwidth solidus).
_SLASHES = "\u2044\u2215\u29f8\uff0f"
# Letters typed or converted in place of Đ/đ: Icelandic eth, African D.
_D_LOOKALIKES = {"\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ", "\u0256": "đ"}
_FOLDS = str.maketrans({**dict.fromkeys(_HYPHENS, "-"), **dict.fromkeys(_SLASHES, "/"),
                        **_D_LOOKALIKES})
# Zero-width characters pasted from web pages and Word: invisible, and not whitespace to \s.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")


def clean_symbol(text: str | None) -> str:
    """The symbol as it is kept and printed: NFC, no spaces at all, every dash as "-", every
    slash as "/", 'Ð' as 'Đ'; the letters' case is kept ("TTr-UBND" is written so)."""
    text = unicodedata.normalize("NFKC", str(text or "")).translate(_FOLDS)
    text = _SPACES.sub("", _INVISIBLE.sub("", text))
    return unicodedata.normalize("NFC", text)


def number_key(series: str) -> str:
    """Return the normalised comparison key of a document number symbol.

    Case, Unicode form (NFC/NFD/compatibility forms), every space (inner ones too), invisible
    characters, the hyphen and slash families and Đ/đ (and its look-alikes) do not matter:
    "125/QĐ-UBND", "125/qđ-ubnd" and "125 / QD – UBND" share one key. Digits, letters and the
    order of the parts do: "125/QĐ-UBND" and "126/QĐ-UBND" or "125/QĐ-CT" stay different. Blank
    input gives "". The key never contains whitespace.
    """
    # fold(): NFC, Đ→D, tone marks dropped, casefold. casefold may expand (ß → ss) and NFKC may
    # then compose anew: the second pass keeps the key a fixed point (key(key(s)) == key(s)).
    key = clean_symbol(fold(clean_symbol(series)))
    return clean_symbol(fold(key))
