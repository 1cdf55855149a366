"""Giấy khen as PDF: onto pre-printed blanks (only the variable text) or as a full design.

reportlab draws the pages; every text is NFC first (decomposed Vietnamese breaks reportlab).
Each certificate carries its register serial and a QR code of the public verification page.
"""

import io
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import segno
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from thidua.documents.fonts import reportlab_fonts


@dataclass
class CertificateText:
    issuer_title: str
    name: str
    unit: str
    citation: str
    decision: str
    serial: str
    place_date: str
    signer_title: str
    signer_name: str
    verify_url: str


def _font(names, spec):
    if spec.get("bold") and spec.get("italic"):
        return names["bolditalic"]
    if spec.get("bold"):
        return names["bold"]
    if spec.get("italic"):
        return names["italic"]
    return names["regular"]


@lru_cache(maxsize=4096)
def _wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    """NFC lines that fit ``width``, keeping the line breaks nfc() would fold (a signer block
    has two lines). Cached: most fields repeat on every page of a decision's batch."""
    return tuple(part for paragraph in unicodedata.normalize("NFC", text).split("\n")
                 for part in simpleSplit(" ".join(paragraph.split()), font, size, width))


def _draw_text(c, names, text, spec, page_h, dx, dy):
    font, size = _font(names, spec), float(spec.get("size", 14))
    width = float(spec.get("width", 200)) * mm
    x = (float(spec["x"]) + dx) * mm
    y = page_h - (float(spec["y"]) + dy) * mm
    c.setFont(font, size)
    lines = _wrap(text or "", font, size, width)
    for line in lines:
        align = spec.get("align", "left")
        if align == "center":
            c.drawCentredString(x, y, line)
        elif align == "right":
            c.drawRightString(x, y, line)
        else:
            c.drawString(x, y, line)
        y -= size * 1.25


def _draw_qr(c, url, spec, page_h, dx, dy):
    """The verification link as a QR code, drawn as one path of dark runs.

    A fixed mask skips the eight-way mask search (any mask is a valid code; the search only
    polishes readability), which keeps a 300-page batch from spending its time on QR codes.
    """
    matrix = segno.make_qr(url, error="m", mask=0, boost_error=False).matrix
    count = len(matrix)
    side = float(spec.get("size", 22)) * mm
    cell = side / count
    x0 = (float(spec["x"]) + dx) * mm
    y0 = page_h - (float(spec["y"]) + dy) * mm - side
    # Rectangles in whole module units under one transform: integers format fast, and a
    # thousand codes stay a small share of a batch's time.
    runs = []
    for r, row in enumerate(matrix):
        y = count - 1 - r
        col = 0
        while col < count:
            if row[col]:
                start = col
                while col < count and row[col]:
                    col += 1
                runs.append(f"{start} {y} {col - start} 1 re")
            else:
                col += 1
    c.saveState()
    c.transform(cell, 0, 0, cell, x0, y0)
    c.addLiteral(" ".join(runs) + " f")
    c.restoreState()


def _draw_design(c, names, page_w, page_h):
    """The full design: border, national motto and title, for offices without blanks."""
    c.setStrokeColor(HexColor("#b8860b"))
    c.setLineWidth(4)
    c.rect(8 * mm, 8 * mm, page_w - 16 * mm, page_h - 16 * mm)
    c.setLineWidth(1)
    c.rect(11 * mm, 11 * mm, page_w - 22 * mm, page_h - 22 * mm)
    c.setFillColor(HexColor("#000000"))
    c.setFont(names["bold"], 13)
    c.drawCentredString(page_w / 2, page_h - 24 * mm, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    c.setFont(names["bold"], 14)
    c.drawCentredString(page_w / 2, page_h - 31 * mm, "Độc lập - Tự do - Hạnh phúc")
    c.setFillColor(HexColor("#b22222"))
    c.setFont(names["bold"], 36)
    c.drawCentredString(page_w / 2, page_h - 50 * mm, "GIẤY KHEN")
    c.setFillColor(HexColor("#000000"))


def render(texts: list[CertificateText], layout, *, full_design: bool = False,
           test_page: bool = False, progress=None, every: int = 25) -> bytes:
    """One PDF, one page per certificate, in the layout's millimetre positions.

    ``progress(pages_done)`` is called every ``every`` pages and at the end, so a background
    batch can show how far it has come."""
    names = reportlab_fonts()
    page_w = float(layout.page_width_mm) * mm
    page_h = float(layout.page_height_mm) * mm
    dx, dy = float(layout.offset_x_mm), float(layout.offset_y_mm)
    fields = layout.merged_fields()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(page_w, page_h), pageCompression=1)
    c.setTitle("Giấy khen")
    if test_page:
        _draw_test_page(c, names, fields, page_w, page_h, dx, dy)
        c.showPage()
    for done, text in enumerate(texts, start=1):
        if full_design:
            _draw_design(c, names, page_w, page_h)
        for key, spec in fields.items():
            if key == "qr":
                _draw_qr(c, text.verify_url, spec, page_h, dx, dy)
            else:
                _draw_text(c, names, getattr(text, key), spec, page_h, dx, dy)
        c.showPage()
        if progress is not None and (done % every == 0 or done == len(texts)):
            progress(done)
    c.save()
    return buffer.getvalue()


def _draw_test_page(c, names, fields, page_w, page_h, dx, dy):
    """A calibration page: a 10 mm grid, and a box with its name where each field prints."""
    c.setStrokeColor(HexColor("#cccccc"))
    c.setLineWidth(0.3)
    for x in range(0, int(page_w / mm) + 1, 10):
        c.line(x * mm, 0, x * mm, page_h)
    for y in range(0, int(page_h / mm) + 1, 10):
        c.line(0, page_h - y * mm, page_w, page_h - y * mm)
    c.setFont(names["regular"], 7)
    for x in range(0, int(page_w / mm) + 1, 50):
        c.drawString(x * mm + 1, page_h - 4 * mm, f"{x} mm")
    c.setStrokeColor(HexColor("#d00000"))
    for key, spec in fields.items():
        x, y = (float(spec["x"]) + dx) * mm, page_h - (float(spec["y"]) + dy) * mm
        c.circle(x, y, 1 * mm)
        c.setFillColor(HexColor("#d00000"))
        c.drawString(x + 2 * mm, y + 1 * mm, f"{key} ({spec['x']}; {spec['y']})")
        c.setFillColor(HexColor("#000000"))
