"""Bar charts as PNG pictures for the DOCX report, drawn with Pillow (already a dependency:
a plotting library would bring a numerical stack into the worker for a few bars). The
geometry follows the dashboard's SVG charts (:mod:`thidua.reports.charts`): labels on the
left, one horizontal bar per row, the value at its end. Text in the serif font the documents
use, which has every Vietnamese glyph."""

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from thidua.documents.fonts import serif

WIDTH = 1600  # px; placed 150 mm wide in the document (about 270 dpi)
ROW = 72
LABEL = 700
VALUE = 180
PAD = 24
TITLE = 80
MAX_BARS = 20
BAR = (31, 78, 121)  # dark blue: prints legibly in black and white too
INK = (0, 0, 0)
GRID = (200, 200, 200)


@cache
def _font(size: int, bold: bool = False):
    _family, paths = serif()
    return ImageFont.truetype(str(paths["bold" if bold else "regular"]), size)


def _fit(draw, text: str, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def bar_png(points: list[tuple[str, float]], title: str = "") -> bytes | None:
    """A PNG of ``points`` (label, value) as horizontal bars; None when there is nothing to
    draw. Longer lists draw their first ``MAX_BARS`` (the table beside it has every row)."""
    points = points[:MAX_BARS]
    if not points:
        return None
    top = max(v for _label, v in points) or 1.0
    head = TITLE if title else PAD
    height = head + ROW * len(points) + PAD
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    text, bold = _font(38), _font(40, bold=True)
    if title:
        draw.text((WIDTH // 2, PAD + 16), _fit(draw, title, bold, WIDTH - 2 * PAD), font=bold,
                  fill=INK, anchor="mm")
    span = WIDTH - LABEL - VALUE - PAD
    draw.line([(LABEL, head - 8), (LABEL, head + ROW * len(points))], fill=GRID, width=2)
    for i, (label, value) in enumerate(points):
        y = head + i * ROW
        middle = y + ROW // 2
        draw.text((LABEL - 16, middle), _fit(draw, label, text, LABEL - PAD - 16), font=text,
                  fill=INK, anchor="rm")
        length = round(span * value / top) if value > 0 else 0
        if length:
            draw.rectangle([LABEL, y + 12, LABEL + length, y + ROW - 12], fill=BAR)
        draw.text((LABEL + length + 12, middle), _number(value), font=text, fill=INK,
                  anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
