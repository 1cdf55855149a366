"""Vietnamese text helpers: normalisation on input and diacritic folding for search.

Excel, Word and phones send the same Vietnamese word in composed (NFC) or decomposed (NFD) form;
both must compare equal, and reportlab/WeasyPrint render only NFC reliably.
"""

import unicodedata

# NFD splits letters and tone marks, but đ/Đ are letters of their own, not d + a mark.
_LETTER_FOLDS = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str | None) -> str:
    """Return ``text`` in NFC with surrounding whitespace trimmed and inner runs collapsed."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def nfc_lines(text: str | None) -> str:
    """Like :func:`nfc`, line by line: keeps the line breaks of a multi-line text (legal grounds,
    one per line), drops the empty lines."""
    lines = (nfc(line) for line in str(text or "").splitlines())
    return "\n".join(line for line in lines if line)


def fold(text: str | None) -> str:
    """Lower-case ``text`` without diacritics: "Đỗ Đức Đạt" → "do duc dat"."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_LETTER_FOLDS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()
