import unicodedata

from thidua.core.text import fold, nfc


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
