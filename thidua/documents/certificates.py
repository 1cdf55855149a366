"""Giấy khen as PDF: onto pre-printed blanks (only the variable text) or as a full design.

reportlab draws the pages; every text is NFC first (decomposed Vietnamese breaks reportlab).
Each certificate carries its register serial and a QR code of the public verification page,
encoded by segno, with the verification code printed under it (a person can type it on the page
without scanning). A batch can run to a thousand pages, so what is the same on every page is
worked out once per batch rather than once per page.
"""

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import segno
from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
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
    # "Mã xác minh: K7M2-QX9D", printed centred under the QR code; empty prints nothing.
    verify_code: str = ""


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


@dataclass(frozen=True)
class _Field:
    """A layout field in points, worked out once per batch rather than on every page."""

    key: str
    font: str
    size: float
    width: float
    x: float
    y: float
    align: str


# The verification code's line under the QR code, in points. Its baseline is set below the
# widest quiet zone a QR code of that side can have (4 modules of a 21-module code) by a line of
# its own height: the text never enters the light margin a scanner needs.
CODE_SIZE = 8


def _fields(layout, names, page_h) -> list[_Field]:
    dx, dy = float(layout.offset_x_mm), float(layout.offset_y_mm)
    fields = [_Field(key, _font(names, spec), float(spec.get("size", 22 if key == "qr" else 14)),
                     float(spec.get("width", 200)) * mm, (float(spec["x"]) + dx) * mm,
                     page_h - (float(spec["y"]) + dy) * mm, spec.get("align", "left"))
              for key, spec in layout.merged_fields().items()]
    # The code goes with the QR code wherever a layout puts it: centred under it.
    for qr in [f for f in fields if f.key == "qr"]:
        side = qr.size * mm
        fields.append(_Field("verify_code", names["regular"], CODE_SIZE, 80 * mm,
                             qr.x + side / 2, qr.y - side - side * 4 / 21 - CODE_SIZE, "center"))
    return fields


def _draw_text(c, field: _Field, text: str) -> None:
    c.setFont(field.font, field.size)
    draw = {"center": c.drawCentredString, "right": c.drawRightString}.get(field.align, c.drawString)
    y = field.y
    for line in _wrap(text or "", field.font, field.size, field.width):
        draw(field.x, y, line)
        y -= field.size * 1.25


class _TextCache:
    """The PDF operators of each (field, text) already drawn in this document.

    Beyond what the whole batch shares (see ``render``), a unit or a citation often repeats on
    part of it; drawing it through reportlab again (metrics, wrapping, font subsetting, number
    formatting) costs as much as a bare page. The operators are the ones reportlab wrote the
    first time, so the output is the same; they hold only within one canvas, whose font subsets
    gave the characters their codes.
    """

    def __init__(self, c):
        self.c = c
        self.codes: dict[tuple[str, str], str] = {}

    def draw(self, field: _Field, text: str) -> None:
        key = (field.key, text)
        code = self.codes.get(key)
        if code is not None:
            self.c.addLiteral(code)
            return
        stream = self.c._code  # reportlab has no public way to read back what it wrote
        start = len(stream)
        _draw_text(self.c, field, text)
        # Joined as reportlab joins a page's stream, so one literal reproduces it exactly.
        self.codes[key] = "\n".join(stream[start:])


def _qr_code(url: str) -> segno.QRCode:
    """The verification link's QR code: level M, never a Micro QR code, and a fixed mask.

    Any of the eight masks makes a valid code; segno's search for the best one makes the encoding
    five times slower, seconds more on a thousand-page batch. (segno raises the level above M
    when the higher one fits the same size.)"""
    return segno.make(url, error="m", mask=0, micro=False)


_DARK_RUN = re.compile(b"\x01+")


def _qr_rects(matrix) -> str:
    """The dark modules of a QR matrix (rows of 0/1, no quiet zone) as PDF rectangles, one per
    horizontal run, "x y width 1 re" in module units with rows counted downwards from the top:
    draw them under a transform that scales a module and flips y, then fill once."""
    stride = len(matrix) + 1
    # A light module between rows stops a run from wrapping onto the next row.
    modules = b"\x00".join(matrix)
    return " ".join(f"{run.start() % stride} {run.start() // stride} {run.end() - run.start()} 1 re"
                    for run in _DARK_RUN.finditer(modules))


def _draw_qr(c, url: str, field: _Field) -> None:
    """The QR code as one filled path whose top-left corner is at the field's place; the quiet
    zone is the blank around it."""
    matrix = _qr_code(url).matrix
    c.addLiteral(f"q\n{_qr_transform(field.size * mm, len(matrix), field.x, field.y)} cm\n"
                 f"{_qr_rects(matrix)} f\nQ")


@lru_cache(maxsize=64)
def _qr_transform(side: float, modules: int, x: float, top: float) -> str:
    cell = side / modules
    return fp_str(cell, 0, 0, -cell, x, top)


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


_SHARED_FORM = "certificate-shared"


def _shared_fields(texts, fields: list[_Field]) -> list[_Field]:
    """The text fields that read the same on every page of a batch of more than one page."""
    if len(texts) < 2:
        return []
    return [field for field in fields if field.key != "qr"
            and len({getattr(text, field.key) for text in texts}) == 1]


def render(texts: list[CertificateText], layout, *, full_design: bool = False,
           test_page: bool = False, progress=None, every: int = 25) -> bytes:
    """One PDF, one page per certificate, in the layout's millimetre positions.

    ``progress(pages_done)`` is called every ``every`` pages and at the end, so a background
    batch can show how far it has come."""
    texts = list(texts)  # looked through twice: for what the pages share, then page by page
    names = reportlab_fonts()
    page_w = float(layout.page_width_mm) * mm
    page_h = float(layout.page_height_mm) * mm
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(page_w, page_h), pageCompression=1)
    c.setTitle("Giấy khen")
    fields = _fields(layout, names, page_h)
    if test_page:
        _draw_test_page(c, names, layout.merged_fields(), page_w, page_h,
                        float(layout.offset_x_mm), float(layout.offset_y_mm))
        c.showPage()
    shared = _shared_fields(texts, fields)
    as_form = bool(shared) or (full_design and len(texts) > 1)
    if as_form:
        # What every page carries (the design, the issuer, the decision, the signer...) is drawn
        # once as a form that each page places: a page's own stream then holds only its name,
        # serial and QR code, which keeps the file small and its pages quick to encode.
        c.beginForm(_SHARED_FORM, 0, 0, page_w, page_h)
        if full_design:
            _draw_design(c, names, page_w, page_h)
        for field in shared:
            _draw_text(c, field, getattr(texts[0], field.key))
        c.endForm()
        fields = [field for field in fields if field not in shared]
    cache = _TextCache(c)
    for done, text in enumerate(texts, start=1):
        if as_form:
            c.doForm(_SHARED_FORM)
        elif full_design:
            _draw_design(c, names, page_w, page_h)
        for field in fields:
            if field.key == "qr":
                _draw_qr(c, text.verify_url, field)
            else:
                cache.draw(field, getattr(text, field.key))
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
