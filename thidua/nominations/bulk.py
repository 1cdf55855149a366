"""Many nominees' documents in one upload (tải nhiều tệp): the files of a ZIP or a multi-file
picker, each matched to a nominee of the dossier by its row number or its name.

A ZIP is read in memory, one entry at a time, never extracted to disk, with the rules
``core.uploads`` applies to DOCX/XLSX archives: the entries are counted from the end-of-directory
record before ``zipfile`` reads the directory, unsafe paths and a total or ratio beyond the
budget refuse the whole archive, and an archive inside it is refused. Each entry is then an upload
of its own for ``check_upload``. The action that stores the matched ones is
``actions.attach_nominee_documents``.
"""

import re
import struct
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from thidua.core.text import fold
from thidua.core.uploads import (
    MAX_UPLOAD_BYTES,
    MAX_ZIP_ENTRIES,
    MAX_ZIP_RATIO,
    MAX_ZIP_UNCOMPRESSED_BYTES,
    NESTED_ARCHIVE_SUFFIXES,
    ZIP_DIRECTORY_BYTES_PER_ENTRY,
    ZIP_RATIO_MIN_BYTES,
    clean_file_name,
    human_size,
)
from thidua.rulesets.models import DocumentType

# The documents each nominee has of their own (the others are the dossier's).
NOMINEE_DOCUMENT_TYPES = (DocumentType.ACHIEVEMENT_REPORT, DocumentType.ACHIEVEMENT_SUMMARY,
                          DocumentType.EVIDENCE)

_ZIP_LOCAL = b"PK\x03\x04"
_ZIP_EOCD = b"PK\x05\x06"
_ZIP_EOCD_SIZE = 22
# A DOCX or XLSX inside the ZIP is a document, checked as such by check_upload (which refuses
# one holding an archive); any other archive inside is refused unopened.
_DOCUMENT_ARCHIVES = (".docx", ".xlsx")
# What file managers add to a ZIP by themselves: skipped, not reported.
_JUNK = ("__macosx/", ".ds_store", "thumbs.db", "desktop.ini")
_SEPARATORS = re.compile(r"[\s._\-–—]+")
# "003", "3 - Nguyen Van A", "03_nguyen van a", "STT 3": a row number first, then maybe a name.
_ROW = re.compile(r"^(?:stt\s*)?0*(\d{1,6})(?:(?:\s*[-–—_.)]\s*|\s+)(.*))?$", re.IGNORECASE)


@dataclass
class BulkReport:
    """What became of each file: ``matched`` (file, nominee's name, row), ``unmatched`` and
    ``refused`` (file, reason in Vietnamese). Refused files are never stored."""

    matched: list = field(default_factory=list)
    unmatched: list = field(default_factory=list)
    refused: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.matched) + len(self.unmatched) + len(self.refused)


def _limit() -> int:
    return getattr(settings, "THIDUA_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)


def _key(text: str) -> str:
    """A name compared without diacritics, case or separators: "Nguyễn Thị Lan" and
    "nguyen_thi_lan" give the same key."""
    return " ".join(_SEPARATORS.sub(" ", fold(text)).split())


def _stem(name: str) -> str:
    stem, dot, _ext = name.rpartition(".")
    return stem if dot and stem else name


# --- files in ----------------------------------------------------------------------------------

def expand(files):
    """Every document the upload holds, as ``(name, file, refusal)``: a ZIP gives its entries; a
    file or entry refused before its content is checked has ``file`` None and a reason."""
    for upload in files:
        name = clean_file_name(getattr(upload, "name", "") or "")
        upload.seek(0)
        is_zip = upload.read(4) == _ZIP_LOCAL and name.lower().endswith(".zip")
        upload.seek(0)
        if is_zip:
            yield from _entries(upload, name)
        else:
            yield name, upload, None


def _refuse_archive(name: str, why: str):
    return name, None, _("Tệp nén “%(name)s” %(why)s, không tệp nào trong đó được lưu.") % {
        "name": name, "why": why}


def _entries(upload, name: str):
    upload.seek(0, 2)
    size = upload.tell()
    tail_len = min(size, 65535 + _ZIP_EOCD_SIZE)
    upload.seek(size - tail_len)
    tail = upload.read(tail_len)
    at = tail.rfind(_ZIP_EOCD)
    if at < 0 or len(tail) - at < _ZIP_EOCD_SIZE:
        yield _refuse_archive(name, _("bị hỏng hoặc không đọc được"))
        return
    _sig, _disk, _cd_disk, _here, n_total, cd_size, _offset, _comment = struct.unpack(
        "<4sHHHHIIH", tail[at:at + _ZIP_EOCD_SIZE])
    if n_total > MAX_ZIP_ENTRIES or cd_size > MAX_ZIP_ENTRIES * ZIP_DIRECTORY_BYTES_PER_ENTRY:
        yield _refuse_archive(name, _("có quá %(n)s tệp") % {"n": MAX_ZIP_ENTRIES})
        return
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, struct.error):
        yield _refuse_archive(name, _("bị hỏng hoặc không đọc được"))
        return
    with archive:
        for info in infos:
            parts = info.filename.replace("\\", "/").split("/")
            if info.filename.startswith(("/", "\\")) or ".." in parts \
                    or (len(info.filename) > 1 and info.filename[1] == ":"):
                yield _refuse_archive(name, _("chứa đường dẫn không hợp lệ, có thể là tệp độc hại"))
                return
        if sum(i.file_size for i in infos) > MAX_ZIP_UNCOMPRESSED_BYTES or any(
                i.file_size > ZIP_RATIO_MIN_BYTES
                and i.file_size / max(i.compress_size, 1) > MAX_ZIP_RATIO for i in infos):
            yield _refuse_archive(name, _("có cấu trúc bất thường (nén quá mức), có thể là tệp "
                                          "độc hại"))
            return
        limit = _limit()
        for info in infos:
            lowered = info.filename.lower()
            base = lowered.rsplit("/", 1)[-1]
            if lowered.startswith(_JUNK[0]) or base in _JUNK or base.startswith("._"):
                continue
            entry = clean_file_name(info.filename)
            shown = _("%(entry)s (trong %(zip)s)") % {"entry": entry, "zip": name}
            if lowered.endswith(NESTED_ARCHIVE_SUFFIXES) and not lowered.endswith(_DOCUMENT_ARCHIVES):
                yield shown, None, nested_archive()
            elif info.flag_bits & 0x1:
                yield shown, None, _("Tệp được mã hoá (đặt mật khẩu) trong tệp nén; hãy nén lại "
                                     "không đặt mật khẩu.")
            elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                yield shown, None, _("Tệp được nén theo cách không hỗ trợ; hãy nén lại bằng ZIP "
                                     "thông thường.")
            elif info.file_size > limit:
                yield shown, None, _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.") % {
                    "size": human_size(info.file_size), "limit": human_size(limit)}
            else:
                try:
                    # zipfile stops at the size the directory declares and checks the CRC.
                    with archive.open(info) as fp:
                        data = fp.read(limit + 1)
                except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
                    yield shown, None, _("Tệp trong tệp nén bị hỏng, không đọc được.")
                    continue
                yield shown, ContentFile(data, name=entry), None


def nested_archive() -> str:
    return _("Tệp nén lồng bên trong tệp nén không được nhận; hãy đưa các tệp tài liệu trực tiếp "
             "vào một tệp ZIP.")


# --- matching ----------------------------------------------------------------------------------

class Matcher:
    """Finds the nominee a file name means. ``rows`` are the dossier's nominees in list order as
    ``(pk, full_name, name_folded)``; row numbers are the STT shown on the dossier page."""

    def __init__(self, rows):
        self.rows = list(rows)
        self.by_name: dict[str, list[int]] = {}
        for index, (_pk, _name, folded) in enumerate(self.rows, start=1):
            self.by_name.setdefault(_key(folded), []).append(index)
        self.taken: dict[int, str] = {}  # nominee pk → the file that matched it in this upload

    def match(self, file_name: str):
        """``(pk, full_name, row)`` of the nominee, or a reason in Vietnamese."""
        stem = _stem(file_name).strip()
        found = _ROW.match(stem)
        if found:
            row, rest = int(found.group(1)), _key(found.group(2) or "")
            if not 1 <= row <= len(self.rows):
                return None, _("Không có dòng số %(row)s trong danh sách (danh sách có %(n)s "
                               "dòng).") % {"row": row, "n": len(self.rows)}
            pk, full_name, folded = self.rows[row - 1]
            if rest and rest != _key(folded):
                return None, _("Dòng số %(row)s là “%(name)s”, không khớp với tên trong tên "
                               "tệp.") % {"row": row, "name": full_name}
            return self._take(pk, full_name, row, file_name)
        rows = self.by_name.get(_key(stem), [])
        if not rows:
            return None, _("Không có người, tập thể nào tên như tên tệp; hãy đặt tên tệp theo họ "
                           "tên hoặc số thứ tự trong danh sách (ví dụ “003.pdf”).")
        if len(rows) > 1:
            return None, _("Có %(n)s người, tập thể cùng tên “%(name)s” (dòng %(rows)s); hãy đặt "
                           "tên tệp theo số thứ tự, ví dụ “%(row)03d.pdf”.") % {
                "n": len(rows), "name": self.rows[rows[0] - 1][1],
                "rows": ", ".join(map(str, rows)), "row": rows[0]}
        pk, full_name, _folded = self.rows[rows[0] - 1]
        return self._take(pk, full_name, rows[0], file_name)

    def _take(self, pk, full_name, row, file_name):
        if pk in self.taken:
            return None, _("Tệp “%(other)s” trong cùng lần tải lên đã khớp với “%(name)s” (dòng "
                           "%(row)s); tệp này không được lưu.") % {
                "other": self.taken[pk], "name": full_name, "row": row}
        self.taken[pk] = file_name
        return (pk, full_name, row), None
