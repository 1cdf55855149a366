"""Giấy khen as PDF: onto pre-printed blanks (only the variable text) or as a full design.

reportlab draws the pages; every text is NFC first (decomposed Vietnamese breaks reportlab).
Every field prints inside its own box (its width, and as many lines as the layout gives it): a
long name, unit or citation is set smaller until it fits, never over its neighbour; a layout
whose boxes overlap or leave the paper is refused when it is saved (``layout_problems``).
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
from reportlab.pdfbase.pdfmetrics import stringWidth
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
    y: float  # the first line's baseline, from the bottom of the page
    align: str
    lines: int = 1


# How far a line's ink reaches above and below its baseline, in ems: Tinos and Liberation Serif
# draw the stacked marks of Vietnamese capitals (Ỗ, Ẩ) up to 0.92 em and descenders to 0.22 em.
ASCENT, DESCENT = 0.95, 0.25
LEADING = 1.25  # line height, in ems
MIN_SIZE = 6.0  # a text is set no smaller than this; what still does not fit is cut with "…"
ELLIPSIS = "…"

# The verification code's line under the QR code, in points. Its baseline is set below the
# widest quiet zone a QR code of that side can have (4 modules of a 21-module code) by a line of
# its own height: the text never enters the light margin a scanner needs.
CODE_SIZE = 8
CODE_WIDTH_MM = 36


@dataclass(frozen=True)
class Box:
    """Where a field may print, in millimetres from the page's top-left corner."""

    key: str
    x0: float
    top: float
    x1: float
    bottom: float

    def overlaps(self, other: "Box") -> bool:
        return (self.x0 < other.x1 and other.x0 < self.x1
                and self.top < other.bottom and other.top < self.bottom)

    def inside(self, width_mm: float, height_mm: float) -> bool:
        return self.x0 >= 0 and self.top >= 0 and self.x1 <= width_mm and self.bottom <= height_mm


def _fields(layout, names, page_h) -> list[_Field]:
    dx, dy = float(layout.offset_x_mm), float(layout.offset_y_mm)
    fields = [_Field(key, _font(names, spec), float(spec.get("size", 22 if key == "qr" else 14)),
                     float(spec.get("width", 200)) * mm, (float(spec["x"]) + dx) * mm,
                     page_h - (float(spec["y"]) + dy) * mm, spec.get("align", "left"),
                     int(spec.get("lines", 1)))
              for key, spec in layout.merged_fields().items()]
    # The code goes with the QR code wherever a layout puts it: centred under it.
    for qr in [f for f in fields if f.key == "qr"]:
        side = qr.size * mm
        fields.append(_Field("verify_code", names["regular"], CODE_SIZE, CODE_WIDTH_MM * mm,
                             qr.x + side / 2, qr.y - side - side * 4 / 21 - CODE_SIZE, "center"))
    return fields


def _box(field: _Field, page_h: float) -> Box:
    """The field's box: its width, from the top of the first line's ink to the bottom of the
    last line's at the field's own size."""
    if field.key == "qr":
        side = field.size * mm
        return Box(field.key, field.x / mm, (page_h - field.y) / mm, (field.x + side) / mm,
                   (page_h - field.y + side) / mm)
    left = {"center": field.x - field.width / 2, "right": field.x - field.width}.get(
        field.align, field.x)
    top = page_h - field.y - ASCENT * field.size
    bottom = page_h - field.y + (field.lines - 1) * LEADING * field.size + DESCENT * field.size
    return Box(field.key, left / mm, top / mm, (left + field.width) / mm, bottom / mm)


def field_boxes(layout) -> dict[str, Box]:
    """Every field's box on a page of ``layout`` (the printer's offset included)."""
    page_h = float(layout.page_height_mm) * mm
    return {f.key: _box(f, page_h) for f in _fields(layout, reportlab_fonts(), page_h)}


def layout_problems(layout) -> list[tuple[str, str | None]]:
    """(field, other field) for each two boxes that overlap, (field, None) for a box that leaves
    the page: what would print over something else or off the paper."""
    boxes = list(field_boxes(layout).values())
    width, height = float(layout.page_width_mm), float(layout.page_height_mm)
    problems = [(b.key, None) for b in boxes if not b.inside(width, height)]
    problems += [(a.key, b.key) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                 if a.overlaps(b)]
    return problems


def _clip(line: str, font: str, size: float, width: float, *, more: bool) -> str:
    """``line`` cut to fit ``width`` with "…" (``more``: text was left out after it)."""
    if not more and stringWidth(line, font, size) <= width:
        return line
    while line and stringWidth(line.rstrip() + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


@lru_cache(maxsize=4096)
def fit(text: str, font: str, size: float, width: float, lines: int) -> tuple[float, tuple]:
    """(size, lines) that hold ``text`` in ``lines`` lines of ``width``: the field's own size
    when it fits, else the largest size down to MIN_SIZE (in half points) that does; at
    MIN_SIZE what is left over is cut with "…" rather than printed outside the box."""
    current = size
    while True:
        wrapped = _wrap(text, font, current, width)
        fits = len(wrapped) <= lines and all(stringWidth(line, font, current) <= width
                                             for line in wrapped)
        if fits:
            return current, wrapped
        if current <= MIN_SIZE:
            break
        current = max(MIN_SIZE, current - 0.5)
    kept = list(wrapped[:lines])
    kept = [_clip(line, font, current, width, more=False) for line in kept]
    if len(wrapped) > lines:
        kept[-1] = _clip(kept[-1], font, current, width, more=True)
    return current, tuple(kept)


def _draw_text(c, field: _Field, text: str) -> None:
    size, lines = fit(text or "", field.font, field.size, field.width, field.lines)
    c.setFont(field.font, size)
    draw = {"center": c.drawCentredString, "right": c.drawRightString}.get(field.align, c.drawString)
    y = field.y
    for line in lines:
        draw(field.x, y, line)
        y -= size * LEADING


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


@dataclass(frozen=True)
class _Line:
    """A line of the full design's own text, centred on the page."""

    key: str
    text: str
    font: str
    size: float
    y: float  # baseline, from the bottom of the page
    color: str = "#000000"


def _design_lines(names, page_w, page_h, fields: list[_Field]) -> list[_Line]:
    """The motto, "GIẤY KHEN" and "TẶNG" — the last in the middle of the room between the
    issuing authority's box and the name's."""
    lines = [_Line("motto", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", names["bold"], 13,
                   page_h - 24 * mm),
             _Line("motto2", "Độc lập - Tự do - Hạnh phúc", names["bold"], 14, page_h - 31 * mm),
             _Line("title", "GIẤY KHEN", names["bold"], 36, page_h - 50 * mm, "#b22222")]
    by_key = {f.key: _box(f, page_h) for f in fields}
    above, below = by_key["issuer_title"].bottom * mm, by_key["name"].top * mm  # from the top
    size = min(14.0, max(MIN_SIZE, (below - above) / (ASCENT + DESCENT) * 0.8))
    ink = (ASCENT + DESCENT) * size
    baseline_from_top = (above + below) / 2 - ink / 2 + ASCENT * size
    lines.append(_Line("award_word", "TẶNG", names["bold"], size, page_h - baseline_from_top))
    return lines


def _line_box(line: _Line, page_w, page_h) -> Box:
    half = stringWidth(line.text, line.font, line.size) / 2
    return Box(line.key, (page_w / 2 - half) / mm, (page_h - line.y - ASCENT * line.size) / mm,
               (page_w / 2 + half) / mm, (page_h - line.y + DESCENT * line.size) / mm)


def design_layout():
    """The full design prints in its own built-in positions, whatever blank is chosen: the
    design's motto, title and "TẶNG" are placed around them."""
    from thidua.documents.models import CertificateLayout

    return CertificateLayout(name="Mẫu đầy đủ")


def design_boxes() -> dict[str, Box]:
    """Every box of a full-design page: the fields' and the design's own lines."""
    layout = design_layout()
    names = reportlab_fonts()
    page_w, page_h = float(layout.page_width_mm) * mm, float(layout.page_height_mm) * mm
    fields = _fields(layout, names, page_h)
    boxes = {f.key: _box(f, page_h) for f in fields}
    for line in _design_lines(names, page_w, page_h, fields):
        boxes[line.key] = _line_box(line, page_w, page_h)
    return boxes


def _draw_design(c, names, page_w, page_h, fields):
    """The full design: border, national motto, title and "TẶNG", for offices without blanks."""
    c.setStrokeColor(HexColor("#b8860b"))
    c.setLineWidth(4)
    c.rect(8 * mm, 8 * mm, page_w - 16 * mm, page_h - 16 * mm)
    c.setLineWidth(1)
    c.rect(11 * mm, 11 * mm, page_w - 22 * mm, page_h - 22 * mm)
    for line in _design_lines(names, page_w, page_h, fields):
        c.setFillColor(HexColor(line.color))
        c.setFont(line.font, line.size)
        c.drawCentredString(page_w / 2, line.y, line.text)
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
    """One PDF, one page per certificate, in the layout's millimetre positions (the full design
    in its own built-in ones: it is our paper, not a pre-printed blank).

    ``progress(pages_done)`` is called every ``every`` pages and at the end, so a background
    batch can show how far it has come."""
    texts = list(texts)  # looked through twice: for what the pages share, then page by page
    names = reportlab_fonts()
    if full_design:
        layout = design_layout()
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
            _draw_design(c, names, page_w, page_h, fields)
        for field in shared:
            _draw_text(c, field, getattr(texts[0], field.key))
        c.endForm()
        fields = [field for field in fields if field not in shared]
    cache = _TextCache(c)
    for done, text in enumerate(texts, start=1):
        if as_form:
            c.doForm(_SHARED_FORM)
        elif full_design:
            _draw_design(c, names, page_w, page_h, fields)
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
