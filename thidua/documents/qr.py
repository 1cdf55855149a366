"""QR codes (ISO/IEC 18004, Model 2) for the certificates' verification links (mã QR xác minh).

segno builds a code bit by bit in Python, about half a millisecond each, which made QR codes most
of a certificate batch's time. Here everything that depends only on the kind of symbol (version,
error correction level, mask) is worked out once and cached: the function patterns with format
and version information, where each data bit lands, the mask over those places, and the
Reed–Solomon remainder of every byte value at every position of a block. A code then costs a few
operations on whole integers and strings, most of them inside C.

One segment in numeric, alphanumeric or byte mode, as segno chooses for a single string; byte mode
takes ISO-8859-1 when the text fits it and UTF-8 otherwise (no ECI header, as segno by default).
Unlike segno 1.6 (heuer/segno#148), no padding byte is added when the bit stream already ends on a
codeword boundary: the standard (7.4.10) pads only to reach the boundary.
"""

import operator
import re
from dataclasses import dataclass
from functools import lru_cache, reduce

ERROR_LEVELS = "lmqh"
_LEVELS = {name: i for i, name in enumerate(ERROR_LEVELS)}
# ISO/IEC 18004:2015 Table 9, by level (L, M, Q, H) and version (index 0 unused).
_ECC_PER_BLOCK = (
    (0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30,
     26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    (0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28,
     28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28),
    (0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30,
     30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
    (0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30,
     30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30),
)
_BLOCKS = (
    (0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14,
     15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25),
    (0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25,
     26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49),
    (0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34,
     34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68),
    (0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37,
     40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81),
)
# Format information codes the level as L=01, M=00, Q=11, H=10.
_LEVEL_BITS = (1, 0, 3, 2)

NUMERIC, ALPHANUMERIC, BYTE = 1, 2, 4
_COUNT_BITS = {NUMERIC: (10, 12, 14), ALPHANUMERIC: (9, 11, 13), BYTE: (8, 16, 16)}
_ALPHANUMERIC_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_ALPHANUMERIC_VALUE = {c: i for i, c in enumerate(_ALPHANUMERIC_CHARS)}
_NUMERIC_RE = re.compile(r"[0-9]+\Z")
_ALPHANUMERIC_RE = re.compile(r"[0-9A-Z $%*+\-./:]+\Z")
_PAD = b"\xec\x11" * 1500

_MASKS = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
)

_RUN = re.compile("1+")


class DataTooLong(ValueError):
    pass


# GF(256) with the QR code's polynomial x⁸ + x⁴ + x³ + x² + 1.
_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x <<= 1
    if _x & 0x100:
        _x ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]
del _x, _i


def _gf_mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


@lru_cache(maxsize=32)
def _remainder_tables(data_len: int, ecc_len: int) -> tuple[tuple[int, ...], ...]:
    """For each position in a block and each byte value, that byte's share of the block's ECC
    codewords as one ``ecc_len``-byte integer.

    Reed–Solomon remainders are linear, so a block's ECC is the XOR of its bytes' shares; one table
    look-up per data byte replaces the long division's inner loop."""
    generator = [1]  # coefficients, highest degree first: Π (x − αⁱ), i < ecc_len
    for i in range(ecc_len):
        nxt = generator + [0]
        for j, coef in enumerate(generator):
            nxt[j + 1] ^= _gf_mul(coef, _EXP[i])
        generator = nxt
    top_shift = 8 * (ecc_len - 1)
    keep = (1 << 8 * ecc_len) - 1
    # b·xᴱ mod g: the generator's lower coefficients times b.
    feedback = tuple(int.from_bytes(bytes(_gf_mul(coef, b) for coef in generator[1:]), "big")
                     for b in range(256))
    tables = [feedback]
    for _ in range(data_len - 1):
        prev = tables[-1]
        tables.append(tuple(((r << 8) & keep) ^ feedback[r >> top_shift] for r in prev))
    return tuple(reversed(tables))


def _raw_modules(version: int) -> int:
    """Modules left for data and ECC once function patterns and format/version areas are out."""
    n = (16 * version + 128) * version + 64
    if version >= 2:
        aligns = version // 7 + 2
        n -= (25 * aligns - 10) * aligns - 55
        if version >= 7:
            n -= 36
    return n


def _data_codewords(version: int, level: int) -> int:
    return _raw_modules(version) // 8 - _ECC_PER_BLOCK[level][version] * _BLOCKS[level][version]


def _alignment_positions(version: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    size = 4 * version + 17
    step = (version * 8 + count * 3 + 5) // (count * 4 - 4) * 2
    return [6] + sorted(size - 7 - i * step for i in range(count - 1))


def _bch(value: int, bits: int, poly: int) -> int:
    """``value`` followed by its BCH check bits (format and version information)."""
    degree = poly.bit_length() - 1
    rem = value << degree
    for shift in range(bits - 1, -1, -1):
        if rem >> (shift + degree) & 1:
            rem ^= poly << shift
    return value << degree | rem


@dataclass(frozen=True)
class _Symbol:
    """What every code of one version, level and mask shares."""

    version: int
    size: int
    data_bytes: int
    blocks: tuple[tuple[int, int], ...]  # (start, length) of each data block
    ecc_len: int
    bits: int  # data and ECC bits
    bit_format: str  # format() spec writing them as a string of 0/1
    mask_bits: int  # the mask over the data/ECC bits, in stream order
    place: operator.itemgetter  # modules (rows, each with a light separator) from the bit string


def _function_modules(version: int, level: int, mask: int) -> list[list[int | None]]:
    """The symbol with its fixed modules (finder, timing and alignment patterns, format and
    version information) as 0/1 and the data area as None."""
    size = 4 * version + 17
    grid: list[list[int | None]] = [[None] * size for _ in range(size)]

    def put(r, c, dark):
        grid[r][c] = 1 if dark else 0

    for r0, c0 in ((0, 0), (0, size - 7), (size - 7, 0)):
        for dr in range(-1, 8):
            for dc in range(-1, 8):
                r, c = r0 + dr, c0 + dc
                if 0 <= r < size and 0 <= c < size:
                    ring = max(abs(dr - 3), abs(dc - 3))
                    put(r, c, ring not in (2, 4))  # ring 4 is the light separator
    for i in range(8, size - 8):
        put(6, i, i % 2 == 0)
        put(i, 6, i % 2 == 0)
    positions = _alignment_positions(version)
    last = len(positions) - 1
    for a, r0 in enumerate(positions):
        for b, c0 in enumerate(positions):
            if (a, b) in ((0, 0), (0, last), (last, 0)):
                continue  # those corners hold finder patterns
            for dr in range(-2, 3):
                for dc in range(-2, 3):
                    put(r0 + dr, c0 + dc, max(abs(dr), abs(dc)) != 1)
    # Format information twice (around the top-left finder, and split between the other two) so
    # that a reader still finds one copy when part of the symbol is damaged.
    fmt = _bch(_LEVEL_BITS[level] << 3 | mask, 5, 0x537) ^ 0x5412
    for i in range(15):
        bit = fmt >> i & 1
        if i < 6:
            put(i, 8, bit)
        elif i < 8:
            put(i + 1, 8, bit)
        elif i == 8:
            put(8, 7, bit)
        else:
            put(8, 14 - i, bit)
        if i < 8:
            put(8, size - 1 - i, bit)
        else:
            put(size - 15 + i, 8, bit)
    put(size - 8, 8, 1)
    if version >= 7:
        info = _bch(version, 6, 0x1F25)
        for i in range(18):
            bit = info >> i & 1
            put(i // 3, size - 11 + i % 3, bit)
            put(size - 11 + i % 3, i // 3, bit)
    return grid


@lru_cache(maxsize=16)
def _symbol(version: int, level: int, mask: int) -> _Symbol:
    size = 4 * version + 17
    grid = _function_modules(version, level, mask)
    blocks_n = _BLOCKS[level][version]
    ecc_len = _ECC_PER_BLOCK[level][version]
    data_bytes = _data_codewords(version, level)
    short_len, longer = divmod(data_bytes, blocks_n)
    blocks, start = [], 0
    for k in range(blocks_n):
        length = short_len + (k >= blocks_n - longer)
        blocks.append((start, length))
        start += length
    # The stream as built is data blocks then ECC blocks, one after the other; the symbol holds
    # them interleaved (first bytes of every block, then the second bytes...).
    stream_index = []
    for i in range(short_len + 1):
        stream_index.extend(s + i for s, length in blocks if i < length)
    stream_index.extend(data_bytes + k * ecc_len + i for i in range(ecc_len) for k in range(blocks_n))
    total_bytes = data_bytes + ecc_len * blocks_n
    bits = total_bytes * 8

    dark, light = bits + 1, bits  # the two constants after the bit string
    source = [[dark if v else light for v in row] + [light] for row in grid]
    mask_fn = _MASKS[mask]
    mask_bits = 0
    placed = 0
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5  # the vertical timing pattern is skipped whole
        upward = (right + 1) & 2 == 0
        for vert in range(size):
            r = size - 1 - vert if upward else vert
            for c in (right, right - 1):
                if grid[r][c] is not None:
                    continue
                masked = mask_fn(r, c)
                if placed < bits:
                    index = stream_index[placed >> 3] * 8 + (placed & 7)
                    source[r][c] = index
                    if masked:
                        mask_bits |= 1 << (bits - 1 - index)
                    placed += 1
                else:  # remainder bits are zero, then masked like data
                    source[r][c] = dark if masked else light
        right -= 2
    assert placed == bits
    flat = [i for row in source for i in row]
    return _Symbol(version, size, data_bytes, tuple(blocks), ecc_len, bits, f"0{bits}b", mask_bits,
                   operator.itemgetter(*flat))


def _segment(text: str | bytes) -> tuple[int, int, int, int]:
    """(mode, character count, payload bits, payload length in bits)."""
    if isinstance(text, str):
        try:
            data = text.encode("iso-8859-1")
        except UnicodeEncodeError:
            data = text.encode("utf-8")
    else:
        data = bytes(text)
    ascii_text = data.decode("latin-1")
    if _NUMERIC_RE.match(ascii_text):
        value, length = 0, 0
        for i in range(0, len(ascii_text), 3):
            chunk = ascii_text[i:i + 3]
            width = 3 * len(chunk) + 1
            value = value << width | int(chunk)
            length += width
        return NUMERIC, len(data), value, length
    if _ALPHANUMERIC_RE.match(ascii_text):
        values = [_ALPHANUMERIC_VALUE[c] for c in ascii_text]
        value, length = 0, 0
        for i in range(0, len(values) - 1, 2):
            value = value << 11 | values[i] * 45 + values[i + 1]
            length += 11
        if len(values) % 2:
            value = value << 6 | values[-1]
            length += 6
        return ALPHANUMERIC, len(data), value, length
    return BYTE, len(data), int.from_bytes(data, "big"), 8 * len(data)


def _count_bits(mode: int, version: int) -> int:
    return _COUNT_BITS[mode][0 if version < 10 else 1 if version < 27 else 2]


@dataclass(frozen=True)
class QRCode:
    version: int
    error: str
    mask: int
    size: int
    modules: str  # '0'/'1' row by row; each row ends with an extra light module

    @property
    def matrix(self) -> tuple[tuple[int, ...], ...]:
        """Rows of 0 (light) and 1 (dark), without quiet zone, like segno's ``matrix``."""
        stride = self.size + 1
        return tuple(tuple(map(int, self.modules[r * stride:r * stride + self.size]))
                     for r in range(self.size))

    def pdf_rects(self) -> str:
        """The dark modules as PDF rectangles, one per horizontal run, in module units with rows
        counted downwards from the top: draw under a transform that flips y, then fill.

        The loop over a code's three hundred runs stays in C (``map`` over match positions and
        pre-formatted pieces): in Python it would cost several times the encoding."""
        heads, tails = _rect_parts(self.size)
        matches = list(_RUN.finditer(self.modules))
        starts = list(map(re.Match.start, matches))
        widths = map(operator.sub, map(re.Match.end, matches), starts)
        return " ".join(map(operator.add, map(heads.__getitem__, starts), map(tails.__getitem__, widths)))


@lru_cache(maxsize=16)
def _rect_parts(size: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """"x y " for every place a run can start in ``QRCode.modules``, "w 1 re" for every width."""
    stride = size + 1
    return (tuple(f"{i % stride} {i // stride} " for i in range(size * stride)),
            tuple(f"{w} 1 re" for w in range(size + 1)))


def encode(text: str | bytes, *, error: str = "m", mask: int = 0, version: int | None = None) -> QRCode:
    """A QR code of ``text``: the smallest version that holds it (or ``version``), the given error
    correction level and a fixed mask (any of the eight makes a valid code; choosing the best one
    costs more than the whole encoding)."""
    if error.lower() not in _LEVELS:
        raise ValueError(f"error correction level {error!r} is not one of L, M, Q, H")
    level = _LEVELS[error.lower()]
    if not 0 <= mask <= 7:
        raise ValueError(f"mask {mask} is not in 0–7")
    if version is not None and not 1 <= version <= 40:
        raise ValueError(f"version {version} is not in 1–40")
    mode, count, payload, payload_len = _segment(text)
    for v in range(version or 1, (version or 40) + 1):
        header = 4 + _count_bits(mode, v)
        capacity = 8 * _data_codewords(v, level)
        if header + payload_len <= capacity and count < 1 << _count_bits(mode, v):
            break
    else:
        raise DataTooLong(f"{count} characters do not fit a QR code"
                          + (f" of version {version}" if version else ""))
    symbol = _symbol(v, level, mask)
    stream = (mode << _count_bits(mode, v) | count) << payload_len | payload
    length = header + payload_len
    # Terminator (up to four zero bits), zero bits to the codeword boundary, then pad bytes.
    zeros = min(4, capacity - length)
    zeros += -(length + zeros) % 8
    data = (stream << zeros).to_bytes((length + zeros) // 8, "big")
    data += _PAD[:symbol.data_bytes - len(data)]
    ecc = b"".join(_block_ecc(data[start:start + size], symbol.ecc_len) for start, size in symbol.blocks)
    bits = int.from_bytes(data + ecc, "big") ^ symbol.mask_bits
    modules = "".join(symbol.place(format(bits, symbol.bit_format) + "01"))
    return QRCode(v, ERROR_LEVELS[level], mask, symbol.size, modules)


def _block_ecc(block: bytes, ecc_len: int) -> bytes:
    shares = map(tuple.__getitem__, _remainder_tables(len(block), ecc_len), block)
    return reduce(operator.xor, shares).to_bytes(ecc_len, "big")
