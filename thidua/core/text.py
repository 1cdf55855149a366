"""Vietnamese text helpers: the one normaliser every way in uses, and diacritic folding for search.

Excel, Word, phones and web pages send the same Vietnamese word in many shapes: composed (NFC) or
decomposed (NFD); "Đ" typed as the Icelandic "Ð" (U+00D0, what Windows-1258 text read as Latin-1
gives) or the African "Ɖ"; Latin letters replaced by their Cyrillic or Greek twins ("Нà" with a
Cyrillic Н); full-width digits and letters from an Asian input method; zero-width spaces, byte
order marks, soft hyphens and bidi marks pasted from the web; non-breaking spaces; control
characters. :func:`normalise` turns all of them into one form — NFC, "Đ/đ", plain ASCII digits,
no invisible characters, single spaces — so that what is stored, compared and searched is the
same whatever the way in. :func:`nfc` (one line) and :func:`nfc_lines` (several) are the names
the actions call; :func:`fold` normalises first, so folding finds every variant too.

Cyrillic and Greek letters are replaced only when *every* Cyrillic or Greek letter of the text has
a Latin look-alike (a name spelt with a stray "а" or "Н"); a real Russian or Greek word has other
letters too and is left as written.

:func:`formula_prefix` says whether a text would start a formula in a spreadsheet (the OWASP
CSV-injection list); :func:`neutralise_formula` is what every spreadsheet writer puts in a cell.
"""

import re
import unicodedata

# --- characters mapped or removed, whatever the rest of the text -----------------------------------

_MAP: dict[int, str | None] = {}
# Full-width ASCII (U+FF01–U+FF5E: digits, letters, punctuation) and the ideographic space.
_MAP.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)})
_MAP[0x3000] = " "
# Mathematical alphanumerics ("𝐍𝐠𝐮𝐲𝐞̂̃𝐧" from "fancy text" sites): their compatibility letter.
for _cp in range(0x1D400, 0x1D800):
    _folded = unicodedata.normalize("NFKC", chr(_cp))
    if _folded != chr(_cp):
        _MAP[_cp] = _folded
# The letters offices' fonts and encodings put in place of Đ/đ.
_MAP.update({0x00D0: "Đ", 0x00F0: "đ", 0x0189: "Đ", 0x0256: "đ"})
# Line separators other than "\n" become "\n" (a multi-line text keeps its lines); every other
# control character is dropped ("\t" and "\r" stay: whitespace, handled below).
_MAP.update(dict.fromkeys((0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029), "\n"))
_MAP.update(dict.fromkeys((*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F, *range(0x7F, 0x85),
                           *range(0x86, 0xA0))))
# Format characters (Unicode category Cf): zero-width space and joiners, word joiner, byte order
# mark, soft hyphen, bidi marks, embeddings and isolates, invisible operators, tags…
_FORMAT = ((0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD),
           (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E),
           (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
           (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
           (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001),
           (0xE0020, 0xE007F))
# Other invisible characters: variation selectors, the combining grapheme joiner, Hangul fillers.
_INVISIBLE = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF), (0x034F, 0x034F), (0x115F, 0x1160),
              (0x3164, 0x3164), (0xFFA0, 0xFFA0), (0x2800, 0x2800))
for _low, _high in (*_FORMAT, *_INVISIBLE):
    _MAP.update(dict.fromkeys(range(_low, _high + 1)))

# --- Cyrillic and Greek letters that look like Latin ones ------------------------------------------

HOMOGLYPHS = {
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ӏ": "I", "Ү": "Y", "Ԛ": "Q",
    "Ԝ": "W", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
    "і": "i", "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ϲ": "c", "ϳ": "j", "Ϲ": "C",
}
_HOMOGLYPHS = str.maketrans(HOMOGLYPHS)
_GREEK_CYRILLIC = "\u0370-\u03ff\u0400-\u052f\u1c80-\u1c8f\u1f00-\u1fff\u2de0-\u2dff\ua640-\ua69f"
_SCRIPT_LETTERS = re.compile(f"[{_GREEK_CYRILLIC}]")


def _ranges(codepoints) -> str:
    """A regular-expression character class body for a set of code points."""
    points, parts, i = sorted(codepoints), [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        parts.append(re.escape(chr(points[i])) if i == j
                     else f"{re.escape(chr(points[i]))}-{re.escape(chr(points[j]))}")
        i = j + 1
    return "".join(parts)


# Anything the slow path has to look at; most Vietnamese text has none and only needs NFC.
_SPECIAL = re.compile(f"[{_ranges(_MAP)}{_GREEK_CYRILLIC}]")


def _homoglyphs(text: str) -> str:
    """Latin for the Cyrillic/Greek look-alikes, when they are the only Cyrillic/Greek letters."""
    decomposed = unicodedata.normalize("NFD", text)  # "ё" → "е" + diaeresis, "ό" → "ο" + acute
    letters = {ch for ch in _SCRIPT_LETTERS.findall(decomposed) if unicodedata.category(ch)[0] == "L"}
    if not letters or not letters <= HOMOGLYPHS.keys():
        return text
    return decomposed.translate(_HOMOGLYPHS)


def normalise_chars(text: str) -> str:
    """The character-level normalisation of :func:`normalise`, whitespace left as it is."""
    if _SPECIAL.search(text):
        text = text.translate(_MAP)
        if _SCRIPT_LETTERS.search(text):
            text = _homoglyphs(text)
    return unicodedata.normalize("NFC", text)


def normalise(text, *, lines: bool = False) -> str:
    """The one normaliser of text coming in (see the module's docstring).

    One line (the default): every run of whitespace, line breaks included, becomes one space and
    the ends are trimmed. ``lines=True``: each line so, empty lines dropped, line breaks kept.
    """
    if text is None:
        return ""
    text = normalise_chars(str(text))
    if lines:
        kept = (" ".join(line.split()) for line in text.splitlines())
        return "\n".join(line for line in kept if line)
    return " ".join(text.split())


def nfc(text: str | None) -> str:
    """:func:`normalise` on one line: NFC, look-alikes replaced, whitespace collapsed, trimmed."""
    if not text:
        return ""
    return normalise(text)


def nfc_lines(text: str | None) -> str:
    """Like :func:`nfc`, line by line: keeps the line breaks of a multi-line text (legal grounds,
    one per line), drops the empty lines."""
    return normalise(text, lines=True)


# NFD splits letters and tone marks, but đ/Đ are letters of their own, not d + a mark.
_LETTER_FOLDS = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str | None) -> str:
    """Lower-case ``text`` without diacritics: "Đỗ Đức Đạt" → "do duc dat". Normalised first, so
    "Ðỗ" with U+00D0 or a Cyrillic "о" folds like the Latin text."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_LETTER_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


# --- spreadsheet formulas (CSV/formula injection) --------------------------------------------------

# OWASP's list: a cell starting with one of these may be run as a formula by Excel or LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = frozenset("=+-@")


def formula_prefix(value) -> str:
    """The character that makes ``value`` look like a formula ("" when it does not): a text
    starting with a tab or a carriage return, or whose first visible character, once normalised
    (a full-width "＝" is "="), is one of = + - @."""
    if not isinstance(value, str) or not value:
        return ""
    if value[0] in "\t\r":
        return value[0]
    first = value.lstrip()[:1]
    if first and first not in _FORMULA_START and not first.isascii():
        first = nfc(value)[:1]
    return first if first in _FORMULA_START else ""


def neutralise_formula(text: str) -> str:
    """``text`` as a spreadsheet cell may hold it: a leading apostrophe before a formula prefix
    (also after leading spaces), so the cell is read as text. Other text is returned as is."""
    if text and (text[0] in FORMULA_PREFIXES or formula_prefix(text)):
        return "'" + text
    return text
