"""Serif fonts with every Vietnamese glyph, found on the machine (no font is downloaded).

Tinos (fonts-croscore) and Liberation Serif 2 are metric-compatible with Times New Roman, the
font of Decree 30/2020; DejaVu Serif is the last resort that most Debian systems carry.
"""

from functools import cache
from pathlib import Path

CANDIDATES = [
    ("Tinos", "/usr/share/fonts/truetype/croscore/Tinos-{}.ttf",
     {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}),
    ("Liberation Serif", "/usr/share/fonts/truetype/liberation2/LiberationSerif-{}.ttf",
     {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}),
    ("DejaVu Serif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif{}.ttf",
     {"regular": "", "bold": "-Bold", "italic": "-Italic", "bolditalic": "-BoldItalic"}),
]


class FontMissing(RuntimeError):
    pass


@cache
def serif() -> tuple[str, dict[str, Path]]:
    """(family name, {style: path}) of the first complete family installed."""
    for family, pattern, styles in CANDIDATES:
        paths = {style: Path(pattern.format(suffix)) for style, suffix in styles.items()}
        if all(p.exists() for p in paths.values()):
            return family, paths
    raise FontMissing(
        "Không tìm thấy phông chữ có đủ dấu tiếng Việt. Hãy cài: sudo apt-get install "
        "fonts-croscore fonts-liberation2")


@cache
def reportlab_fonts() -> dict[str, str]:
    """Register the serif family with reportlab; returns {style: reportlab font name}."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    _family, paths = serif()
    names = {style: f"ThiduaSerif-{style}" for style in paths}
    for style, path in paths.items():
        pdfmetrics.registerFont(TTFont(names[style], str(path)))
    addMapping("ThiduaSerif", 0, 0, names["regular"])
    addMapping("ThiduaSerif", 1, 0, names["bold"])
    addMapping("ThiduaSerif", 0, 1, names["italic"])
    addMapping("ThiduaSerif", 1, 1, names["bolditalic"])
    return names
