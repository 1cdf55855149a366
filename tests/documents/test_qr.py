"""The certificates' QR encoder against segno, module for module, and the path drawn from it.

segno (1.6) adds a whole zero byte of padding when the bit stream already ends on a codeword
boundary (heuer/segno#148); ISO/IEC 18004 7.4.10 pads only up to the boundary, as our encoder
does. The reference therefore runs segno with that one line corrected; everything else is segno's.
"""

import bisect
import re
from unittest import mock

import pytest
import segno
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from segno import encoder as segno_encoder

from thidua.documents import qr


def _standard_padding(buff, version, length):
    buff.extend([0] * (-length % 8))


def reference(text, *, error="m", mask=0, version=None, fix_padding=True):
    """segno's matrix (no quiet zone) and version, as tuples of 0/1 rows."""
    if fix_padding:
        with mock.patch.object(segno_encoder, "write_padding_bits", _standard_padding):
            code = segno.make_qr(text, error=error, mask=mask, boost_error=False, version=version)
    else:
        code = segno.make_qr(text, error=error, mask=mask, boost_error=False, version=version)
    return tuple(tuple(row) for row in code.matrix), code.version


SERIALS = ["2021.001.00042", "2021.003.00001", "2024.117.12345", "1999.9.7", "2030.999.99999", "-"]
HOSTS = ["https://thidua.example", "http://localhost:8000", "https://thiduakhenthuong.backan.gov.vn",
         "https://a.vn", "http://127.0.0.1", "https://xn--thi-ua-5qa.bac-kan.gov.vn:8443"]
URLS = [f"{host}/xac-minh/{serial}/" for host in HOSTS for serial in SERIALS]
URLS += [url.upper() for url in URLS]  # upper case fits alphanumeric mode: another encoding
URLS += ["https://thidua.example/xac-minh/2021.003.00042/?lang=en",
         "https://thidua.example/xac-minh/%C4%91%E1%BB%99i/", "https://Thidua.Example/Xac-Minh/2021.1.1/"]


@pytest.mark.parametrize("url", URLS)
def test_verification_urls_match_segno(url):
    ours = qr.encode(url, error="m", mask=0)
    matrix, version = reference(url)
    assert ours.version == version  # the smallest version that holds it, as segno picks
    assert ours.matrix == matrix
    assert ours.matrix == reference(url, version=ours.version)[0]


@pytest.mark.parametrize("text, mode", [("https://thidua.example/xac-minh/2021.003.00042/", "byte"),
                                        ("HTTPS://THIDUA.EXAMPLE/XAC-MINH/2021.003.00042/", "alphanumeric"),
                                        ("2021003000420", "numeric")])
def test_the_mode_is_the_one_segno_chooses(text, mode):
    assert segno.make_qr(text, error="m").mode == mode
    assert qr.encode(text).matrix == reference(text)[0]


@pytest.mark.parametrize("error", ["l", "m", "q", "h"])
@pytest.mark.parametrize("mask", range(8))
def test_every_level_and_mask(error, mask):
    for text in ("https://thidua.example/xac-minh/2021.003.00042/", "HTTPS://THIDUA.EXAMPLE/XAC-MINH/7/",
                 "12345678901234567"):
        assert qr.encode(text, error=error, mask=mask).matrix == reference(text, error=error, mask=mask)[0]


@pytest.mark.parametrize("version", range(1, 41))
def test_every_version_at_its_capacity_edge(version):
    """The longest text of each version, and one character more, which needs the next one:
    covers every block layout, alignment pattern set and version information block."""
    capacity = bisect.bisect_left(range(3000), True, key=lambda n: not _fits(n, version)) - 1
    text = ("https://thidua.example/xac-minh/2021.003.00042/?" * 70)[:capacity]
    ours = qr.encode(text)
    assert ours.version == version and ours.size == 4 * version + 17
    assert ours.matrix == reference(text, version=version)[0]
    if version < 40:
        assert qr.encode(text + "x").version == version + 1
    else:
        with pytest.raises(qr.DataTooLong):
            qr.encode(text + "x")


def _fits(length, version):
    try:
        qr.encode("x" * length, version=version)
    except qr.DataTooLong:
        return False
    return True


def test_where_segno_pads_as_the_standard_it_matches_unchanged():
    """Streams that end between codeword boundaries never meet segno's extra padding byte."""
    for text in ("HTTPS://THIDUA.EXAMPLE/XAC-MINH/2021.003.00042/", "2021003000420", "ABC"):
        assert qr.encode(text).matrix == reference(text, fix_padding=False)[0]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="abcxyzABCXYZ0123456789 $%*+-./:?=&_~#đĐơưễ", max_size=180),
       st.sampled_from("lmqh"), st.integers(0, 7))
def test_any_text_matches_segno(text, error, mask):
    # Outside ISO-8859-1 both take UTF-8 here (segno tries Shift_JIS first, which has none of
    # these Vietnamese letters), but segno then reads UTF-8 bytes that happen to pair up like
    # Shift_JIS as kanji ("ễ0"), which would decode as other text: we keep byte mode.
    assume(segno.make_qr(text, error=error).mode != "kanji")
    ours = qr.encode(text, error=error, mask=mask)
    matrix, version = reference(text, error=error, mask=mask)
    assert (ours.version, ours.matrix) == (version, matrix)


def test_too_long_or_too_small_a_version_is_refused():
    with pytest.raises(qr.DataTooLong):
        qr.encode("x" * 3000)
    with pytest.raises(qr.DataTooLong, match="version 1"):
        qr.encode("https://thidua.example/xac-minh/2021.003.00042/", version=1)
    with pytest.raises(ValueError):
        qr.encode("x", mask=8)


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


@pytest.mark.parametrize("url", URLS[::5])
def test_the_path_paints_exactly_the_dark_modules(url):
    code = qr.encode(url)
    assert modules_of(code.pdf_rects(), code.size) == code.matrix
