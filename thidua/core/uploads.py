"""The upload gate for dossier attachments: PDF, DOCX, XLSX, JPEG and PNG, checked by content.

``check_upload`` decides what a file *is* from its bytes, never from its name: a renamed program,
a web page or an old binary Office file is refused with a message that names the file, and a
DOCX/XLSX (a ZIP archive) is measured from its central directory — entry count, sizes, ratios,
names, nesting, encryption — before a single byte is inflated. The entries are then inflated as a
stream with a byte budget taken from that directory, so an archive that lies about its sizes is
stopped after at most one chunk beyond what it declared.

A PDF is opened with pypdf and every object is read — those packed in compressed object streams
included, names with ``#xx`` escapes decoded — and a PDF that can act by itself is refused: one
with JavaScript, an action that runs when it is opened or touched (``/OpenAction`` other than
"go to a page", ``/AA``), an action that launches a program, opens another file or sends data
out, or files and media embedded in it. Refusing, not cleaning, is deliberate (docs/decisions.md):
the stored file stays byte for byte the one the office sent, with its SHA-256 and any digital
signature intact, and nothing half-cleaned is ever kept.

The gate writes nothing. The caller saves the file only after ``check_upload`` returned, under
``server_file_name(checked)``, and serves it back as an attachment (``Content-Disposition:
attachment`` with ``X-Content-Type-Options: nosniff``), never inline.
"""

import hashlib
import io
import logging
import re
import struct
import unicodedata
import uuid
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from thidua.core.text import nfc

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # settings.THIDUA_MAX_UPLOAD_BYTES overrides it

# DOCX/XLSX are ZIP archives; these bound what one may unpack to.
MAX_ZIP_ENTRIES = 1000
MAX_ZIP_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
# Entries smaller than this are exempt from the ratio check: a 2 KB XML part of blanks may compress
# 150:1 and is harmless; the total budget above still bounds them all.
ZIP_RATIO_MIN_BYTES = 1024 * 1024
# A central directory record is 46 bytes plus name and extras; Office writes short names and no
# large extras, so a directory bigger than this per allowed entry is not an Office file.
ZIP_DIRECTORY_BYTES_PER_ENTRY = 1024
NESTED_ARCHIVE_SUFFIXES = (
    ".zip", ".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".pptx", ".jar", ".7z", ".rar",
    ".gz", ".tgz", ".tar", ".bz2", ".xz", ".cab",
)

# Word and Excel keep a chart's data or a pasted table as an Office file of its own in these
# folders; such parts are normal in achievement reports and are inflated within the same budget.
OFFICE_EMBEDDING_FOLDERS = ("word/embeddings/", "xl/embeddings/", "ppt/embeddings/")
OFFICE_EMBEDDING_SUFFIXES = (".xlsx", ".docx", ".pptx")


def _is_office_embedding(entry: str) -> bool:
    lowered = entry.lower()
    return lowered.startswith(OFFICE_EMBEDDING_FOLDERS) and lowered.endswith(OFFICE_EMBEDDING_SUFFIXES)


KINDS = {
    # kind: (label, content type, stored extension)
    "pdf": ("PDF", "application/pdf", ".pdf"),
    "docx": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "jpeg": ("JPEG", "image/jpeg", ".jpg"),
    "png": ("PNG", "image/png", ".png"),
}
# What the user's extension claims, for "không phải PDF thật" messages only: it decides nothing.
_CLAIMED = {".pdf": "PDF", ".docx": "DOCX", ".xlsx": "XLSX", ".jpg": "JPEG", ".jpeg": "JPEG",
            ".png": "PNG"}

MAX_NAME_CHARS = 200
_READ_CHUNK = 64 * 1024
_INFLATE_CHUNK = 1024 * 1024  # most bytes one decompress() call may return
_HEAD_BYTES = 512

_ZIP_LOCAL = b"PK\x03\x04"
_ZIP_EOCD = b"PK\x05\x06"
_ZIP_EOCD_SIZE = 22
_ZIP_LOCAL_SIZE = 30
_MACHO = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
          b"\xca\xfe\xba\xbe")


class UploadRejected(ValidationError):
    """A refused upload; ``message`` is a Vietnamese sentence that names the user's file."""

    def __init__(self, message: str, *, code: str, file_name: str = ""):
        super().__init__(message, code=code)
        self.file_name = file_name

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # "pdf" | "docx" | "xlsx" | "jpeg" | "png"
    content_type: str
    extension: str  # ".pdf", ".docx", ".xlsx", ".jpg", ".png": follows the content
    size: int
    sha256: str  # hex
    original_name: str  # the user's base name, cleaned; for display only


def check_upload(uploaded, allowed: set[str] | None = None, max_bytes: int | None = None) -> CheckedFile:
    """Check ``uploaded`` by content and return what it is, or raise ``UploadRejected``.

    ``uploaded`` is a Django ``UploadedFile`` or any seekable binary file object with ``.name``.
    ``allowed`` narrows the accepted kinds (default: all of ``KINDS``); ``max_bytes`` overrides
    ``settings.THIDUA_MAX_UPLOAD_BYTES`` / ``MAX_UPLOAD_BYTES``. The file is left at position 0.
    """
    allowed = set(KINDS) if allowed is None else set(allowed)
    if unknown := allowed - set(KINDS):
        raise ValueError(f"Unknown upload kinds: {sorted(unknown)}")
    if max_bytes is None:
        max_bytes = getattr(settings, "THIDUA_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    name = clean_file_name(getattr(uploaded, "name", "") or "")
    try:
        return _check(uploaded, name, allowed, max_bytes)
    finally:
        uploaded.seek(0)


def server_file_name(checked: CheckedFile, prefix: str = "") -> str:
    """A storage name made by the server: ``{prefix}{yyyy}/{mm}/{uuid4 hex}{extension}``."""
    now = timezone.localtime() if settings.USE_TZ else datetime.now()
    return f"{prefix}{now:%Y}/{now:%m}/{uuid.uuid4().hex}{checked.extension}"


def clean_file_name(name: str) -> str:
    """The user's file name for display: NFC, base name only, no control characters, ≤ 200 chars."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = nfc(_printable(name))
    if name in ("", ".", ".."):
        return _("tệp không tên")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) <= 16:
            name = stem[: MAX_NAME_CHARS - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:MAX_NAME_CHARS]
    return name


def _printable(text: str) -> str:
    """``text`` without control/format characters (a whitespace control becomes a space)."""
    return "".join((" " if ch.isspace() else "") if unicodedata.category(ch)[0] == "C" else ch
                   for ch in text)


# --- the checks --------------------------------------------------------------------------------


def _check(uploaded, name: str, allowed: set[str], max_bytes: int) -> CheckedFile:
    declared = getattr(uploaded, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise _too_large(name, declared, max_bytes)

    uploaded.seek(0)
    head = uploaded.read(_HEAD_BYTES)
    if not head:
        raise UploadRejected(_("Tệp “%(name)s” rỗng (0 byte); hãy chọn lại tệp.") % {"name": name},
                             code="empty", file_name=name)
    kind = _sniff(head, name, allowed)

    if kind != "zip" and kind not in allowed:
        raise _not_allowed(name, kind, allowed)

    size, sha256 = _hash(uploaded, name, max_bytes)

    if kind == "zip":
        kind = _check_ooxml(uploaded, name, size, allowed)
    elif kind == "pdf":
        _check_pdf(uploaded, name)

    _label, content_type, extension = KINDS[kind]
    return CheckedFile(kind=kind, content_type=content_type, extension=extension, size=size,
                       sha256=sha256, original_name=name)


def _sniff(head: bytes, name: str, allowed: set[str]) -> str:
    """The kind the head bytes prove ("zip" until the archive is looked into), else refuse."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(_ZIP_LOCAL):
        return "zip"

    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n\x0b\x0c")
    advice = ""
    if head.startswith(b"MZ"):
        what, code = _("một chương trình (.exe)"), "executable"
    elif head.startswith(b"\x7fELF"):
        what, code = _("một chương trình Linux (ELF)"), "executable"
    elif head.startswith(_MACHO):
        what, code = _("một chương trình macOS (Mach-O)"), "executable"
    elif head.startswith(b"#!"):
        what, code = _("một tập lệnh (script)"), "script"
    elif stripped.startswith(b"<"):
        what, code = _("một trang web hoặc tệp HTML/SVG/XML"), "markup"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        what, code = _("một tài liệu Office đời cũ (.doc/.xls) hoặc tài liệu có đặt mật khẩu"), "old_office"
        advice = _("Hãy mở bằng Word/Excel, bỏ mật khẩu nếu có, lưu lại dưới dạng .docx hoặc .xlsx "
                   "rồi tải lên lại.")
    else:
        claimed = _claimed(name)
        if claimed:
            message = _("Tệp “%(name)s” không phải %(claimed)s thật và không nhận dạng được định "
                        "dạng; chỉ nhận %(allowed)s.")
        else:
            message = _("Tệp “%(name)s” không nhận dạng được định dạng; chỉ nhận %(allowed)s.")
        raise UploadRejected(
            message % {"name": name, "claimed": claimed, "allowed": _labels(allowed)},
            code="unknown_type", file_name=name,
        )

    if claimed := _claimed(name):
        message = _("Tệp “%(name)s” không phải %(claimed)s thật: nội dung là %(what)s.")
    else:
        message = _("Tệp “%(name)s” có nội dung là %(what)s, không được tải lên.")
    message %= {"name": name, "claimed": claimed, "what": what}
    raise UploadRejected(f"{message} {advice}" if advice else message, code=code, file_name=name)


def _hash(uploaded, name: str, max_bytes: int) -> tuple[int, str]:
    """Read the whole stream once: SHA-256 and the true size, stopping past ``max_bytes``."""
    digest = hashlib.sha256()
    size = 0
    uploaded.seek(0)
    while chunk := uploaded.read(_READ_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            declared = getattr(uploaded, "size", None)
            raise _too_large(name, declared if isinstance(declared, int) and declared > max_bytes
                             else None, max_bytes)
        digest.update(chunk)
    return size, digest.hexdigest()


def _check_ooxml(uploaded, name: str, size: int, allowed: set[str]) -> str:
    """Return "docx" or "xlsx" for a sound Office Open XML archive, else refuse it."""
    label = _claimed(name) if _claimed(name) in ("DOCX", "XLSX") else "DOCX/XLSX"

    def reject(message: str, code: str, **extra) -> UploadRejected:
        params = {"name": name, "label": label, **extra}
        return UploadRejected(message % params, code=code, file_name=name)

    corrupt = _("Tệp %(label)s “%(name)s” bị hỏng hoặc không đọc được; hãy lưu lại tệp rồi tải lên lại.")
    abnormal = _("Tệp %(label)s “%(name)s” có cấu trúc bất thường (nén quá mức), có thể là tệp độc hại.")
    too_many = _("Tệp %(label)s “%(name)s” có cấu trúc bất thường (quá nhiều thành phần), có thể là "
                 "tệp độc hại.")
    nested = _("Tệp %(label)s “%(name)s” có chứa tệp nén lồng bên trong, có thể là tệp độc hại. Nếu tài "
               "liệu có biểu đồ hoặc bảng Excel nhúng, hãy dán chúng dưới dạng ảnh hoặc lưu thành PDF.")
    duplicate = _("Tệp %(label)s “%(name)s” có cấu trúc bất thường (thành phần trùng tên), có thể là "
                  "tệp độc hại.")
    not_ooxml = _("Tệp “%(name)s” là tệp nén ZIP, không phải tài liệu DOCX hoặc XLSX.")

    # 1. The end-of-central-directory record, read by hand: refuse huge directories before
    #    zipfile builds one object per entry.
    tail_len = min(size, 65535 + _ZIP_EOCD_SIZE)
    uploaded.seek(size - tail_len)
    tail = uploaded.read(tail_len)
    at = tail.rfind(_ZIP_EOCD)
    if at < 0 or len(tail) - at < _ZIP_EOCD_SIZE:
        raise reject(corrupt, "corrupt")
    _sig, disk, _cd_disk, _n_here, n_total, cd_size, _cd_offset, _comment = struct.unpack(
        "<4sHHHHIIH", tail[at:at + _ZIP_EOCD_SIZE])
    if disk:
        raise reject(corrupt, "corrupt")
    if n_total > MAX_ZIP_ENTRIES or cd_size > MAX_ZIP_ENTRIES * ZIP_DIRECTORY_BYTES_PER_ENTRY:
        raise reject(too_many, "too_many_entries")

    # 2. The central directory through zipfile: names and sizes only, nothing is inflated.
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, struct.error):
        raise reject(corrupt, "corrupt") from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise reject(too_many, "too_many_entries")

    seen = set()
    for info in infos:
        entry = info.filename
        parts = entry.replace("\\", "/").split("/")
        if entry.startswith(("/", "\\")) or (len(entry) > 1 and entry[1] == ":") or ".." in parts:
            raise reject(_("Tệp %(label)s “%(name)s” chứa đường dẫn không hợp lệ (“%(entry)s”), có thể "
                           "là tệp độc hại."), "unsafe_path", entry=_printable(entry)[:80])
        if entry.lower() in seen:
            raise reject(duplicate, "duplicate_entry")
        seen.add(entry.lower())
        if info.flag_bits & 0x1:
            raise reject(_("Tệp %(label)s “%(name)s” có thành phần được mã hoá; hãy bỏ mật khẩu rồi "
                           "lưu lại tệp."), "encrypted")
        if entry.lower().endswith(NESTED_ARCHIVE_SUFFIXES) and not _is_office_embedding(entry):
            raise reject(nested, "nested_archive")
        if parts[-1].lower() == "vbaproject.bin":
            raise reject(_("Tệp %(label)s “%(name)s” có chứa macro (mã lệnh VBA); hãy lưu lại dưới dạng "
                           ".docx hoặc .xlsx không có macro."), "macro")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise reject(corrupt, "corrupt")

    if "[content_types].xml" not in seen:
        raise reject(not_ooxml, "not_ooxml")
    if "word/document.xml" in seen:
        kind = "docx"
    elif "xl/workbook.xml" in seen:
        kind = "xlsx"
    else:
        raise reject(not_ooxml, "not_ooxml")
    label = KINDS[kind][0]
    if kind not in allowed:
        raise _not_allowed(name, kind, allowed)

    # 3. Limits from the directory's own numbers.
    if sum(info.file_size for info in infos) > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise reject(abnormal, "zip_bomb")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_MIN_BYTES and ratio > MAX_ZIP_RATIO:
            raise reject(abnormal, "zip_bomb")

    # 4. Inflate every entry as a stream, each within the size its directory record declared.
    for info in infos:
        try:
            _inflate_within_budget(uploaded, info, size)
        except _OverBudget:
            raise reject(abnormal, "zip_bomb") from None
        except _NestedArchive:
            if not _is_office_embedding(info.filename):
                raise reject(nested, "nested_archive") from None
        except (_Corrupt, zlib.error, struct.error):
            raise reject(corrupt, "corrupt") from None
    return kind


class _OverBudget(Exception):
    pass


class _NestedArchive(Exception):
    pass


class _Corrupt(Exception):
    pass


def _inflate_within_budget(fp, info: zipfile.ZipInfo, file_size: int) -> None:
    """Inflate one entry, counting bytes; stop as soon as it passes its declared size.

    The raw data is located from the local header, whose name must match the directory's; the
    output is checked against the declared size and CRC and must not itself be a ZIP archive.
    """
    fp.seek(info.header_offset)
    local = fp.read(_ZIP_LOCAL_SIZE)
    if len(local) < _ZIP_LOCAL_SIZE or not local.startswith(_ZIP_LOCAL):
        raise _Corrupt
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    raw_name = fp.read(name_len)
    expected = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")
    if raw_name.split(b"\x00", 1)[0] != expected.split(b"\x00", 1)[0]:
        raise _Corrupt
    data_start = info.header_offset + _ZIP_LOCAL_SIZE + name_len + extra_len
    if data_start + info.compress_size > file_size:
        raise _Corrupt
    fp.seek(data_start)

    budget = info.file_size
    produced = 0
    crc = 0
    first = b""

    def take(out: bytes) -> None:
        nonlocal produced, crc, first
        produced += len(out)
        if produced > budget:
            raise _OverBudget
        crc = zlib.crc32(out, crc)
        if len(first) < 4:
            first = (first + out[:4])[:4]

    left = info.compress_size
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        chunk = fp.read(min(_READ_CHUNK, left))
        if not chunk:
            raise _Corrupt
        left -= len(chunk)
        if inflater is None:
            take(chunk)
            continue
        data = chunk
        while True:
            out = inflater.decompress(data, _INFLATE_CHUNK)
            take(out)
            data = inflater.unconsumed_tail
            if inflater.eof or (not data and len(out) < _INFLATE_CHUNK):
                break
        if inflater.eof:
            break
    if inflater is not None:
        # Output zlib held back when a call hit _INFLATE_CHUNK exactly.
        while not inflater.eof:
            out = inflater.decompress(b"", _INFLATE_CHUNK)
            if not out:
                break
            take(out)
        if not inflater.eof:
            raise _Corrupt
    if produced != info.file_size or crc != info.CRC:
        raise _Corrupt
    if first == _ZIP_LOCAL:
        raise _NestedArchive


# --- PDF: nothing that acts by itself -----------------------------------------------------------

# A PDF with more objects than this is not an office document: a 1,000-page report made by
# Word has about 10,000, a scan about 5 a page. Reading one object takes ~60 µs, so this also
# bounds the time a hostile file can cost (~3 s).
MAX_PDF_OBJECTS = 50_000

# What a PDF can do by itself, by the name that marks it (ISO 32000-2 §12.6, §7.11, §13).
# The kinds are what the message names.
JAVASCRIPT, AUTOMATIC, EXTERNAL, EMBEDDED = "javascript", "automatic", "external", "embedded"
PDF_ACTIVE_KINDS = {
    JAVASCRIPT: gettext_lazy("mã JavaScript"),
    AUTOMATIC: gettext_lazy("lệnh tự chạy khi mở tệp hoặc khi bấm vào"),
    EXTERNAL: gettext_lazy("lệnh mở chương trình, mở tệp khác hoặc gửi dữ liệu ra ngoài"),
    EMBEDDED: gettext_lazy("tệp hoặc nội dung đa phương tiện nhúng bên trong"),
}
# Keys that carry active content wherever they stand (outside the name-to-resource dictionaries,
# whose keys are labels the producer chose).
_ACTIVE_KEYS = {
    "/JS": JAVASCRIPT, "/JavaScript": JAVASCRIPT, "/XFA": JAVASCRIPT,
    "/AA": AUTOMATIC,
    "/EmbeddedFiles": EMBEDDED, "/EF": EMBEDDED, "/RichMediaContent": EMBEDDED, "/3DD": EMBEDDED,
}
# Action types (the value of /S) that act: a link that goes to a page (/GoTo), opens a web
# address when clicked (/URI) or turns a page (/Named) is harmless and stays allowed.
_ACTIVE_ACTIONS = {
    "/JavaScript": JAVASCRIPT, "/Launch": EXTERNAL, "/GoToR": EXTERNAL, "/GoToE": EXTERNAL,
    "/ImportData": EXTERNAL, "/SubmitForm": EXTERNAL, "/Rendition": EMBEDDED,
    "/Sound": EMBEDDED, "/Movie": EMBEDDED, "/RichMediaExecute": EMBEDDED,
    "/GoTo3DView": EMBEDDED,
}
# Object and annotation types (the value of /Type or /Subtype) that embed something.
_ACTIVE_TYPES = {
    "/EmbeddedFile": EMBEDDED, "/FileAttachment": EMBEDDED, "/RichMedia": EMBEDDED,
    "/3D": EMBEDDED, "/Movie": EMBEDDED, "/Sound": EMBEDDED, "/Screen": EMBEDDED,
}
# Dictionaries whose keys are the producer's own labels (/F1, /Im0…), never instructions.
_LABEL_DICTIONARIES = {"/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading",
                       "/Properties", "/Dests", "/RoleMap", "/ClassMap"}
# Names looked for in the raw bytes too (outside stream bodies), so an object a repairing viewer
# might read but the cross-reference table hides is not missed. Only names no producer uses as
# a label: a false alarm here refuses a good file.
_RAW_ACTIVE_NAMES = {
    b"JavaScript": JAVASCRIPT, b"XFA": JAVASCRIPT, b"Launch": EXTERNAL, b"GoToR": EXTERNAL,
    b"GoToE": EXTERNAL, b"ImportData": EXTERNAL, b"SubmitForm": EXTERNAL,
    b"EmbeddedFile": EMBEDDED, b"EmbeddedFiles": EMBEDDED, b"RichMedia": EMBEDDED,
    b"RichMediaExecute": EMBEDDED,
}
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r /%()<>\[\]{}]+)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_REBUILD_TAIL = b"\nstartxref\n0\n%%EOF\n"
_PDF_STREAM_BODY = re.compile(rb"\bstream(?:\r\n|\r|\n).*?\bendstream\b", re.S)


logger = logging.getLogger(__name__)


class _PdfUnreadable(Exception):
    pass


class _PdfEncrypted(Exception):
    pass


class _PdfTooManyObjects(Exception):
    pass


def _check_pdf(uploaded, name: str) -> None:
    """Refuse a PDF that cannot be read through or that can act by itself."""
    uploaded.seek(0)
    data = uploaded.read()
    found = set(_raw_active_names(data))
    try:
        found |= _pdf_active_kinds(data)
    except _PdfEncrypted:
        raise UploadRejected(
            _("Tệp PDF “%(name)s” được đặt mật khẩu hoặc mã hoá nên không kiểm tra được nội dung. "
              "Hãy lưu một bản không đặt mật khẩu (hoặc in ra tệp PDF mới) rồi tải lên lại.")
            % {"name": name}, code="pdf_encrypted", file_name=name) from None
    except _PdfTooManyObjects:
        raise UploadRejected(
            _("Tệp PDF “%(name)s” có cấu trúc bất thường (quá nhiều thành phần), có thể là tệp độc "
              "hại.") % {"name": name}, code="pdf_too_many_objects", file_name=name) from None
    except Exception:  # noqa: BLE001 - a hostile file may break the parser in any way
        logger.info("PDF upload %r could not be read through", name, exc_info=True)
        raise UploadRejected(
            _("Tệp PDF “%(name)s” bị hỏng hoặc không đọc được; hãy lưu lại tệp (hoặc in ra tệp PDF "
              "mới) rồi tải lên lại.") % {"name": name},
            code="pdf_corrupt", file_name=name) from None
    if found:
        raise PdfActiveContent(name, found)


class PdfActiveContent(UploadRejected):
    """A PDF refused for what it can do by itself; ``kinds`` says what was found."""

    def __init__(self, name: str, kinds: set[str]):
        what = ", ".join(str(PDF_ACTIVE_KINDS[kind]) for kind in PDF_ACTIVE_KINDS if kind in kinds)
        super().__init__(
            _("Tệp PDF “%(name)s” có chứa %(what)s nên không được tải lên: loại nội dung này có thể "
              "tự chạy trên máy người mở. Hãy in tài liệu ra tệp PDF mới (chọn In, máy in "
              "“Microsoft Print to PDF”) hoặc quét bản giấy, rồi tải lên lại.")
            % {"name": name, "what": what}, code="pdf_active", file_name=name)
        self.kinds = frozenset(kinds)


def _decode_name(raw: bytes) -> bytes:
    return _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def _raw_active_names(data: bytes):
    """Active names written in the file's own syntax, outside stream bodies."""
    for match in _PDF_NAME.finditer(_PDF_STREAM_BODY.sub(b" ", data)):
        kind = _RAW_ACTIVE_NAMES.get(_decode_name(match.group(1)))
        if kind:
            yield kind


def _pdf_active_kinds(data: bytes) -> set[str]:
    """Every object of the PDF, read through pypdf: the kinds of active content it holds."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception:  # noqa: BLE001
        # No usable "startxref" (a truncated or hand-made file): a viewer rebuilds the table by
        # scanning for objects; an end pointing at offset 0 makes pypdf do the same.
        reader = PdfReader(io.BytesIO(data + _PDF_REBUILD_TAIL), strict=False)
    if reader.is_encrypted:
        # Names stay readable in an encrypted file, but strings and streams (and so the objects
        # packed in object streams) do not: an owner-only password ("no printing") opens with
        # the empty user password; anything else cannot be looked through.
        try:
            if not reader.decrypt(""):
                raise _PdfEncrypted
        except DependencyError:  # AES without a crypto library installed
            raise _PdfEncrypted from None
    if not isinstance(reader.trailer.get("/Root", None) and reader.trailer["/Root"].get_object(),
                      DictionaryObject):
        raise _PdfUnreadable  # no document catalogue: nothing a viewer could show
    found: set[str] = set()
    roots = [reader.trailer]
    numbers = [(num, gen) for gen, entries in reader.xref.items() for num in entries]
    numbers += [(num, 0) for num in reader.xref_objStm]
    if len(numbers) > MAX_PDF_OBJECTS:
        raise _PdfTooManyObjects
    for num, gen in numbers:
        obj = reader.get_object(IndirectObject(num, gen, reader))
        if obj is not None:
            roots.append(obj)
    for root in roots:
        _walk_pdf_object(root, found)
    return found


def _walk_pdf_object(root, found: set[str]) -> None:
    """Look through one object and its direct parts (indirect ones are visited on their own)."""
    stack = [(root, False)]
    while stack:
        obj, labels = stack.pop()
        if isinstance(obj, IndirectObject):
            continue
        if isinstance(obj, StreamObject) and obj.get("/Type") == "/ObjStm":
            # The objects inside were read on their own; their raw text is looked at as well,
            # so an object the stream holds but the table does not list is not missed.
            found.update(_raw_active_names(obj.get_data()))
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if not labels and key in _ACTIVE_KEYS:
                    found.add(_ACTIVE_KEYS[key])
                if key == "/OpenAction" and not labels:
                    _check_open_action(value, found)
                if key == "/S" and value in _ACTIVE_ACTIONS:
                    found.add(_ACTIVE_ACTIONS[value])
                if key in ("/Type", "/Subtype") and value in _ACTIVE_TYPES:
                    found.add(_ACTIVE_TYPES[value])
                stack.append((value, key in _LABEL_DICTIONARIES))
        elif isinstance(obj, ArrayObject):
            stack.extend((item, False) for item in obj)


def _check_open_action(value, found: set[str], depth: int = 0) -> None:
    """An /OpenAction that shows a page is fine; any other action runs as the file opens."""
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, ArrayObject) or value is None:
        return  # a destination: "open at page 1, fit width"
    if not isinstance(value, DictionaryObject) or depth > 32:
        found.add(AUTOMATIC)
        return
    if value.get("/S") != "/GoTo":
        found.add(AUTOMATIC)
        return
    following = value.get("/Next")
    if isinstance(following, IndirectObject):
        following = following.get_object()
    for step in following if isinstance(following, ArrayObject) else [following]:
        if step is not None:
            _check_open_action(step, found, depth + 1)


# --- messages ----------------------------------------------------------------------------------


def _claimed(name: str) -> str:
    """The type the user's extension claims ("PDF"…), or ""; used only to word messages."""
    _stem, dot, ext = name.rpartition(".")
    return _CLAIMED.get(f".{ext.lower()}", "") if dot else ""


def _labels(kinds) -> str:
    labels = [KINDS[kind][0] for kind in KINDS if kind in kinds]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(first)s hoặc %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def _not_allowed(name: str, kind: str, allowed: set[str]) -> UploadRejected:
    return UploadRejected(
        _("Tệp “%(name)s” là tệp %(label)s; mục này chỉ nhận %(allowed)s.")
        % {"name": name, "label": KINDS[kind][0], "allowed": _labels(allowed)},
        code="not_allowed", file_name=name,
    )


def human_size(n: int) -> str:
    """Bytes in Vietnamese notation: 512 byte, 3,5 KB, 25,3 MB (binary units, decimal comma)."""
    if n < 1024:
        return f"{n:,} byte".replace(",", ".")
    value, unit = (n / 1024, "KB") if n < 1024 * 1024 else (n / 1024 / 1024, "MB")
    text = f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{text.removesuffix(',0')} {unit}"


def _too_large(name: str, size: int | None, max_bytes: int) -> UploadRejected:
    if size is None:
        message = _("Tệp “%(name)s” quá lớn (trên %(limit)s); giới hạn là %(limit)s.")
    else:
        message = _("Tệp “%(name)s” quá lớn (%(size)s); giới hạn là %(limit)s.")
    return UploadRejected(
        message % {"name": name, "size": human_size(size or 0), "limit": human_size(max_bytes)},
        code="too_large", file_name=name,
    )


@contextmanager
def kept_only_if_saved(field_file):
    """The block that records a file already written to storage, in its own transaction: if the
    block fails (a refusal, a rollback), the file is removed again, so nothing is left behind.

    Files are written before any row lock is taken — a slow disk must not hold a lock — hence
    the clean-up after the fact."""
    try:
        with transaction.atomic():
            yield
    except BaseException:
        field_file.delete(save=False)
        raise
