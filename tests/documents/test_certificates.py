"""Giấy khen batches: every page with its own texts, every Vietnamese letter intact, and the QR
code drawn on each page being segno's code of that page's verification link."""

import dataclasses
import io
import re
import shutil
import subprocess
import unicodedata

import pytest
import segno
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from thidua.documents import certificates
from thidua.documents.models import CertificateLayout

VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # ngang, huyền, sắc, hỏi, ngã, nặng
EVERY_LETTER = " ".join(unicodedata.normalize("NFC", v + tone) for v in VOWELS for tone in TONES) + " đ"
EVERY_LETTER += " " + EVERY_LETTER.upper()

NAMES = ["Nguyễn Thị Lan", "Hoàng Văn Nam", "Đặng Thị Ước", "Lưu Quỳnh Ỷ", "Phạm Ngọc Ẩn"]


def batch(count=5, **overrides):
    """``count`` certificates of one decision; ``overrides`` maps a field to f(page index)."""
    texts = []
    for i in range(count):
        text = certificates.CertificateText(
            issuer_title="CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC KẠN", name=NAMES[i % len(NAMES)],
            unit=["Y sĩ – Trạm Y tế phường Sông Cầu", "Phòng Nội vụ"][i % 2], citation=EVERY_LETTER,
            decision="Quyết định số 1234/QĐ-UBND ngày 20/12/2021",
            serial=f"Số vào sổ: 2021.003.{i + 1:05d}", place_date="TP. Bắc Kạn, ngày 20 tháng 12 năm 2021",
            signer_title="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", signer_name="Ma Văn Bình",
            verify_url=f"https://thidua.example/xac-minh/2021.003.{i + 1:05d}/")
        texts.append(dataclasses.replace(text, **{key: value(i) for key, value in overrides.items()}))
    return texts


def squeezed(text: str) -> str:
    """NFC without whitespace: wrapping and extraction may break lines anywhere between words."""
    return "".join(unicodedata.normalize("NFC", text).split())


def page_texts(pdf: bytes) -> list[str]:
    return [squeezed(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


TEXT_FIELDS = ["issuer_title", "name", "unit", "citation", "decision", "serial", "place_date",
               "signer_title", "signer_name"]


@pytest.mark.parametrize("count", [1, 2, 5])
def test_each_page_carries_its_own_texts_with_every_diacritic(count):
    texts = batch(count)
    pages = page_texts(certificates.render(texts, CertificateLayout(name="A4 ngang")))
    assert len(pages) == count
    for page, text in zip(pages, texts, strict=True):
        for key in TEXT_FIELDS:
            assert squeezed(getattr(text, key)) in page, key
        assert squeezed(EVERY_LETTER) in page
        others = {t.serial for t in texts} - {text.serial}
        assert not any(squeezed(serial) in page for serial in others)


def test_fields_that_differ_between_pages_stay_on_their_page():
    texts = batch(4, issuer_title=lambda i: ["CHỦ TỊCH UBND PHƯỜNG SÔNG CẦU", "CHỦ TỊCH UBND XÃ"][i % 2],
                  signer_name=lambda i: ["Ma Văn Bình", "Hà Thị Ơn"][i // 2])
    pages = page_texts(certificates.render(texts, CertificateLayout(name="A4 ngang", offset_x_mm=3)))
    for page, text in zip(pages, texts, strict=True):
        assert squeezed(text.issuer_title) in page and squeezed(text.signer_name) in page
        assert squeezed(text.unit) in page
    assert squeezed("Hà Thị Ơn") not in pages[0] and squeezed("Ma Văn Bình") not in pages[3]


def test_full_design_and_calibration_page():
    full = page_texts(certificates.render(batch(3), CertificateLayout(name="A4 ngang"), full_design=True))
    assert len(full) == 3 and all(squeezed("GIẤY KHEN") in page and squeezed("Độc lập - Tự do - Hạnh phúc")
                                  in page for page in full)
    assert squeezed("Nguyễn Thị Lan") in full[0] and squeezed("Đặng Thị Ước") in full[2]
    single = page_texts(certificates.render(batch(1), CertificateLayout(name="A4 ngang"), full_design=True))
    assert squeezed("GIẤY KHEN") in single[0]
    calibrated = page_texts(certificates.render(batch(2), CertificateLayout(name="A4 ngang"), test_page=True))
    assert len(calibrated) == 3 and "name(" in calibrated[0] and "GIẤYKHEN" not in calibrated[1]


def test_progress_every_few_pages_and_at_the_end():
    seen = []
    certificates.render(batch(5), CertificateLayout(name="A4 ngang"), progress=seen.append, every=2)
    assert seen == [2, 4, 5]
    seen.clear()
    certificates.render(batch(3), CertificateLayout(name="A4 ngang"), progress=seen.append)
    assert seen == [3]


def segno_code(url: str) -> segno.QRCode:
    """What the certificate must carry: segno's QR code of ``url``, level M or better, mask 0."""
    code = segno.make(url, error="m", mask=0, micro=False)
    assert not code.is_micro and code.mask == 0 and code.error in "MQH"
    return code


QR_PATH = re.compile(rb"q\n(\S+) (\S+) (\S+) (\S+) (\S+) (\S+) cm\n([\d re]+) f\nQ")
RECT = re.compile(r"(\d+) (\d+) (\d+) 1 re")


def modules_of(path: str, size: int) -> tuple[tuple[int, ...], ...]:
    """The matrix the rectangles paint (rows counted downwards, as drawn under the y flip)."""
    grid = [[0] * size for _ in range(size)]
    rects = RECT.findall(path)
    assert len(rects) == path.count(" re")
    for x, y, width in ((int(a), int(b), int(c)) for a, b, c in rects):
        for col in range(x, x + width):
            assert grid[y][col] == 0  # no module painted twice
            grid[y][col] = 1
    return tuple(tuple(row) for row in grid)


def matrix_of(code: segno.QRCode) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(row) for row in code.matrix)


def test_each_page_draws_the_qr_code_of_its_own_link_in_the_layout_box():
    texts = batch(3) + batch(1, verify_url=lambda i: "https://thiduakhenthuong.backan.gov.vn/xac-minh/-/")
    layout = CertificateLayout(name="Phôi", offset_x_mm=2, offset_y_mm=-1.5, fields={"qr": {"x": 30, "y": 150,
                                                                                          "size": 25}})
    reader = PdfReader(io.BytesIO(certificates.render(texts, layout)))
    mm = 72 / 25.4
    drawn = []
    for page, text in zip(reader.pages, texts, strict=True):
        (match,) = QR_PATH.finditer(page.get_contents().get_data())
        a, b, c, d, e, f = map(float, match.groups()[:6])
        code = segno_code(text.verify_url)
        size = code.symbol_size(border=0)[0]
        # One module per unit, y flipped, the top-left corner at the field's place.
        assert a == pytest.approx(25 * mm / size, rel=1e-4) and d == pytest.approx(-a)
        assert (b, c) == (0, 0)
        assert e == pytest.approx(32 * mm, abs=1e-3) and f == pytest.approx((210 - 148.5) * mm, abs=1e-3)
        drawn.append(modules_of(match.group(7).decode(), size))
        assert drawn[-1] == matrix_of(code)
    assert len(set(drawn)) == len(texts)  # each page its own link


def test_the_printed_qr_code_reads_as_segnos_code_with_its_quiet_zone(tmp_path):
    """Rasterised as a printer would print it, at the calibrated place: every module, and the
    four light modules around the code a scanner needs, is segno's."""
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) comes with `make test`"
    # With the verification code printed under it: the text stays out of the quiet zone.
    text = batch(1, verify_code=lambda i: "Mã xác minh: WWWW-MMMM")[0]
    layout = CertificateLayout(name="Phôi", offset_x_mm=2, offset_y_mm=-1.5)
    (tmp_path / "page.pdf").write_bytes(certificates.render([text], layout))
    code = segno_code(text.verify_url)
    border = code.default_border_size
    side = layout.merged_fields()["qr"]["size"]
    cell = side / code.symbol_size(border=0)[0]
    left, top = 25 + 2 - border * cell, 160 - 1.5 - border * cell  # mm, quiet zone included
    dpi = 300
    px = lambda millimetres: millimetres / 25.4 * dpi  # noqa: E731
    x0, y0, extent = int(px(left)), int(px(top)), int(px(code.symbol_size(scale=cell)[0])) + 2
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-x", str(x0), "-y", str(y0), "-W", str(extent),
                    "-H", str(extent), "-singlefile", str(tmp_path / "page.pdf"), str(tmp_path / "qr")],
                   check=True)
    pgm = (tmp_path / "qr.pgm").read_bytes()
    header = re.match(rb"P5\s(\d+)\s(\d+)\s255\s", pgm)
    width, pixels = int(header[1]), pgm[header.end():]
    assert len(pixels) == width * int(header[2])

    def dark(row: int, col: int) -> int:
        x = int(px(left + (col + 0.5) * cell)) - x0
        y = int(px(top + (row + 0.5) * cell)) - y0
        return int(pixels[y * width + x] < 128)

    printed = [[dark(r, c) for c in range(len(row))] for r, row in enumerate(code.matrix_iter(border=border))]
    assert printed == [list(row) for row in code.matrix_iter(border=border)]


def test_each_page_prints_its_own_verification_code_centred_under_its_qr_code():
    texts = batch(3, verify_code=lambda i: f"Mã xác minh: K7M{i}-QX9D",
                  verify_url=lambda i: f"https://thidua.example/xac-minh/2021.003.{i + 1:05d}/?ma=K7M{i}QX9D")
    texts.append(batch(1)[0])  # printed before codes existed: nothing under the QR code
    layout = CertificateLayout(name="Phôi", offset_x_mm=2, fields={"qr": {"x": 30, "y": 150, "size": 25}})
    mm = 72 / 25.4
    font = certificates.reportlab_fonts()["regular"]
    for i, page in enumerate(PdfReader(io.BytesIO(certificates.render(texts, layout))).pages):
        found = []

        def visit(text, cm, tm, font_dict, size, found=found):
            if "Mã xác minh" in text:
                found.append((unicodedata.normalize("NFC", text.strip()), tm[4], tm[5]))

        page.extract_text(visitor_text=visit)
        if i == 3:
            assert found == []
            continue
        ((text, x, y),) = found
        assert text == f"Mã xác minh: K7M{i}-QX9D"
        qr_left, qr_bottom = 32 * mm, (210 - 150 - 25) * mm
        # Centred under the code, below its widest quiet zone (4 modules of 21).
        width = stringWidth(text, font, certificates.CODE_SIZE)
        assert x + width / 2 == pytest.approx(qr_left + 12.5 * mm, abs=0.5)
        assert y + certificates.CODE_SIZE < qr_bottom - 25 * mm * 4 / 21 + 0.01
