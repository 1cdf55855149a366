"""The upload gate: files are judged by their bytes, archives are measured before they are opened.

Every sample is built here with the standard library; no database is needed.
"""

import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from thidua.core import uploads
from thidua.core.uploads import CheckedFile, UploadRejected, check_upload, human_size, server_file_name

MiB = 1024 * 1024


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


# --- samples ------------------------------------------------------------------------------------


def make_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def make_png() -> bytes:
    """A 1×1 grey PNG."""
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + _png_chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + _png_chunk(b"IEND", b"")
    )


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def make_jpeg() -> bytes:
    """A 1×1 grey baseline JPEG: one DC and one AC Huffman code, a single block of zeros."""
    one_code = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1, for symbol 0
    return (
        b"\xff\xd8"
        + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + _segment(0xDB, b"\x00" + bytes([1] * 64))
        + _segment(0xC0, struct.pack(">BHHB", 8, 1, 1, 1) + b"\x01\x11\x00")
        + _segment(0xC4, b"\x00" + one_code)
        + _segment(0xC4, b"\x10" + one_code)
        + _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"  # DC difference 0, end of block, padded with ones
        + b"\xff\xd9"
    )


RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
)
DOCX_PARTS = {
    "[Content_Types].xml": CT_HEAD + '<Override PartName="/word/document.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
    f'Type="{DOC_REL}/officeDocument" Target="word/document.xml"/></Relationships>',
    "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Báo cáo thành tích năm 2025</w:t></w:r></w:p></w:body></w:document>",
}
XLSX_PARTS = {
    "[Content_Types].xml": CT_HEAD
    + '<Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
    f'Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    f'xmlns:r="{DOC_REL}"><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
    f'Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row></sheetData>'
    "</worksheet>",
}


def make_zip(parts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buf.getvalue()


def make_docx(**extra) -> bytes:
    return make_zip({**DOCX_PARTS, **extra})


def patch_entry(data: bytes, entry: str, *, local_at: int, central_at: int, change) -> bytes:
    """Rewrite one little-endian 32/16-bit field of ``entry`` in its local and central headers."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(entry).header_offset
    central = out.find(b"PK\x01\x02")
    while central >= 0:
        name_len = struct.unpack_from("<H", out, central + 28)[0]
        if out[central + 46:central + 46 + name_len] == entry.encode():
            break
        central = out.find(b"PK\x01\x02", central + 46)
    fmt = "<H" if local_at in (6, 8) else "<I"
    for at in (local + local_at, central + central_at):
        struct.pack_into(fmt, out, at, change(struct.unpack_from(fmt, out, at)[0]))
    return bytes(out)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def rejected(name: str, content: bytes, **kwargs) -> UploadRejected:
    with pytest.raises(UploadRejected) as info:
        check_upload(upload(name, content), **kwargs)
    return info.value


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A DOCX whose document.xml is 50 MB of zeros deflated to ~50 KB, streamed in 1 MB blocks."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_PARTS["[Content_Types].xml"])
        archive.writestr("_rels/.rels", DOCX_PARTS["_rels/.rels"])
        with archive.open("word/document.xml", "w") as entry:
            block = bytes(MiB)
            for _ in range(50):
                entry.write(block)
    return buf.getvalue()


# --- accepted files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "kind", "content_type", "extension"),
    [
        ("to-trinh.pdf", make_pdf, "pdf", "application/pdf", ".pdf"),
        ("anh-the.png", make_png, "png", "image/png", ".png"),
        ("anh-the.jpg", make_jpeg, "jpeg", "image/jpeg", ".jpg"),
        ("bao-cao.docx", make_docx, "docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
        ("danh-sach.xlsx", lambda: make_zip(XLSX_PARTS), "xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    ],
)
def test_real_files_are_accepted_with_their_kind_size_and_sha256(name, make, kind, content_type, extension):
    content = make()
    uploaded = upload(name, content)
    checked = check_upload(uploaded)
    assert checked == CheckedFile(kind=kind, content_type=content_type, extension=extension,
                                  size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                                  original_name=name)
    assert uploaded.tell() == 0
    assert uploaded.read() == content


def test_png_named_pdf_is_accepted_as_png_and_stored_with_png_extension():
    checked = check_upload(upload("anh.pdf", make_png()))
    assert (checked.kind, checked.extension, checked.content_type) == ("png", ".png", "image/png")
    assert checked.original_name == "anh.pdf"


def test_plain_binary_file_objects_are_accepted(tmp_path):
    path = tmp_path / "Bảng kê.xlsx"
    path.write_bytes(make_zip(XLSX_PARTS))
    with open(path, "rb") as handle:
        checked = check_upload(handle)
        assert handle.tell() == 0
    assert (checked.kind, checked.original_name) == ("xlsx", "Bảng kê.xlsx")

    stream = io.BytesIO(make_jpeg())
    stream.name = "anh.jpeg"
    assert check_upload(stream).kind == "jpeg"


def test_sha256_covers_the_whole_stream_across_read_chunks():
    content = make_pdf() + b"%" + bytes(range(256)) * 1000  # 256 KB: several 64 KB reads
    checked = check_upload(upload("dai.pdf", content))
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)


# --- disguised and dangerous content ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message", "code"),
    [
        ("baocao.pdf", b"MZ\x90\x00\x03" + bytes(200),
         "Tệp “baocao.pdf” không phải PDF thật: nội dung là một chương trình (.exe).", "executable"),
        ("hoso.docx", b"\x7fELF\x02\x01\x01" + bytes(200),
         "Tệp “hoso.docx” không phải DOCX thật: nội dung là một chương trình Linux (ELF).", "executable"),
        ("anh.jpg", b"\xcf\xfa\xed\xfe" + bytes(200),
         "Tệp “anh.jpg” không phải JPEG thật: nội dung là một chương trình macOS (Mach-O).", "executable"),
        ("anh.png", b"#!/bin/sh\nrm -rf /\n",
         "Tệp “anh.png” không phải PNG thật: nội dung là một tập lệnh (script).", "script"),
        ("totrinh.pdf", b"\xef\xbb\xbf\n  <!DOCTYPE html><html><script>alert(1)</script></html>",
         "Tệp “totrinh.pdf” không phải PDF thật: nội dung là một trang web hoặc tệp HTML/SVG/XML.", "markup"),
        ("setup.exe", b"MZ" + bytes(100),
         "Tệp “setup.exe” có nội dung là một chương trình (.exe), không được tải lên.", "executable"),
    ],
)
def test_disguised_programs_and_markup_are_refused_by_content(name, content, message, code):
    error = rejected(name, content)
    assert error.message == message
    assert error.code == code
    assert error.file_name == name
    assert isinstance(error, ValidationError)
    assert error.messages == [message]


def test_old_binary_office_file_is_refused_with_advice_to_save_as_docx_or_xlsx():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    error = rejected("baocao.doc", ole2)
    assert error.code == "old_office"
    assert error.message == (
        "Tệp “baocao.doc” có nội dung là một tài liệu Office đời cũ (.doc/.xls) hoặc tài liệu có đặt mật "
        "khẩu, không được tải lên. Hãy mở bằng Word/Excel, bỏ mật khẩu nếu có, lưu lại dưới dạng .docx "
        "hoặc .xlsx rồi tải lên lại.")
    assert rejected("baocao.docx", ole2).message.startswith(
        "Tệp “baocao.docx” không phải DOCX thật: nội dung là một tài liệu Office đời cũ")


def test_empty_file_is_refused():
    error = rejected("trong.pdf", b"")
    assert (error.code, error.message) == ("empty", "Tệp “trong.pdf” rỗng (0 byte); hãy chọn lại tệp.")


def test_unrecognised_content_is_refused_and_the_accepted_kinds_are_listed():
    error = rejected("du-lieu.bin", b"GIF89a\x01\x00\x01\x00")
    assert error.code == "unknown_type"
    assert error.message == ("Tệp “du-lieu.bin” không nhận dạng được định dạng; "
                             "chỉ nhận PDF, DOCX, XLSX, JPEG hoặc PNG.")
    error = rejected("quyet-dinh.pdf", b"Just some text", allowed={"pdf"})
    assert error.message == ("Tệp “quyet-dinh.pdf” không phải PDF thật và không nhận dạng được định dạng; "
                             "chỉ nhận PDF.")


def test_kind_outside_allowed_is_refused_naming_both_kinds():
    error = rejected("totrinh.pdf", make_pdf(), allowed={"docx", "xlsx"})
    assert error.code == "not_allowed"
    assert error.message == "Tệp “totrinh.pdf” là tệp PDF; mục này chỉ nhận DOCX hoặc XLSX."
    error = rejected("baocao.docx", make_docx(), allowed={"pdf"})
    assert error.message == "Tệp “baocao.docx” là tệp DOCX; mục này chỉ nhận PDF."
    assert check_upload(upload("anh.png", make_png()), allowed={"jpeg", "png"}).kind == "png"
    with pytest.raises(ValueError, match="gif"):
        check_upload(upload("anh.png", make_png()), allowed={"gif"})


# --- size -------------------------------------------------------------------------------------


def test_oversized_file_is_refused_with_its_size_and_the_limit():
    error = rejected("lon.pdf", make_pdf() + bytes(1000), max_bytes=1024)
    assert error.code == "too_large"
    assert re.fullmatch(r"Tệp “lon\.pdf” quá lớn \(1,\d KB\); giới hạn là 1 KB\.", error.message)


def test_default_limit_is_20_mb_and_declared_size_is_refused_without_reading():
    uploaded = upload("video.pdf", make_pdf())
    uploaded.size = int(25.3 * MiB)
    with pytest.raises(UploadRejected) as info:
        check_upload(uploaded)
    assert info.value.message == "Tệp “video.pdf” quá lớn (25,3 MB); giới hạn là 20 MB."
    assert human_size(uploads.MAX_UPLOAD_BYTES) == "20 MB"


def test_size_is_counted_while_hashing_not_taken_from_the_declared_size():
    uploaded = upload("noi-doi.pdf", make_pdf() + bytes(2000))
    uploaded.size = 10  # a lying .size
    with pytest.raises(UploadRejected) as info:
        check_upload(uploaded, max_bytes=1000)
    assert info.value.message == "Tệp “noi-doi.pdf” quá lớn (trên 1.000 byte); giới hạn là 1.000 byte."
    assert uploaded.tell() == 0


def test_settings_override_the_limit_at_call_time(settings):
    settings.THIDUA_MAX_UPLOAD_BYTES = 100
    assert rejected("to-trinh.pdf", make_pdf()).message.endswith("giới hạn là 100 byte.")
    assert check_upload(upload("to-trinh.pdf", make_pdf()), max_bytes=10_000).kind == "pdf"


def test_human_size_uses_vietnamese_notation():
    assert human_size(512) == "512 byte"
    assert human_size(1536) == "1,5 KB"
    assert human_size(20 * MiB) == "20 MB"
    assert human_size(int(25.3 * MiB)) == "25,3 MB"
    assert human_size(1500 * MiB) == "1.500 MB"


# --- archives -----------------------------------------------------------------------------------

BOMB_MESSAGE = "Tệp DOCX “bom.docx” có cấu trúc bất thường (nén quá mức), có thể là tệp độc hại."


def test_zip_bomb_dressed_as_docx_is_refused_from_its_central_directory(bomb, monkeypatch):
    def no_inflating(*args, **kwargs):
        raise AssertionError("inflated an archive the directory already condemned")

    monkeypatch.setattr(uploads.zlib, "decompressobj", no_inflating)
    error = rejected("bom.docx", bomb)
    assert (error.code, error.message) == ("zip_bomb", BOMB_MESSAGE)


def test_zip_bomb_with_lying_directory_is_stopped_by_the_streaming_budget(bomb, monkeypatch):
    # Both headers claim document.xml is 10 KB: ratio and total look harmless.
    liar = patch_entry(bomb, "word/document.xml", local_at=22, central_at=24, change=lambda _: 10_000)
    with zipfile.ZipFile(io.BytesIO(liar)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 10_000

    inflated = []
    real_decompressobj = zlib.decompressobj

    class CountingInflater:
        def __init__(self, *args):
            self._inner = real_decompressobj(*args)

        def decompress(self, data, max_length=0):
            out = self._inner.decompress(data, max_length)
            inflated.append(len(out))
            return out

        def __getattr__(self, name):
            return getattr(self._inner, name)

    monkeypatch.setattr(uploads.zlib, "decompressobj", CountingInflater)
    error = rejected("bom.docx", liar)
    assert (error.code, error.message) == ("zip_bomb", BOMB_MESSAGE)
    assert 10_000 < sum(inflated) <= 10_000 + 2 * MiB  # stopped at once, not after 50 MB


def test_total_uncompressed_size_is_limited_from_the_directory(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_UNCOMPRESSED_BYTES", 1000)  # limits are read at call time
    error = rejected("bom.docx", make_docx(**{"word/media/a.xml": "x" * 600, "word/media/b.xml": "y" * 600}))
    assert (error.code, error.message) == ("zip_bomb", BOMB_MESSAGE)


def test_large_sound_docx_is_inflated_in_chunks_and_accepted():
    # 5 MB of paragraphs deflating about 30:1: one 64 KB read inflates to ~2 MB, several calls.
    body = "".join(f"<w:p><w:r><w:t>Dòng {i}: Nguyễn Văn An, Phường Sông Cầu</w:t></w:r></w:p>"
                   for i in range(60_000))
    content = make_docx(**{"word/document.xml": f"<w:document><w:body>{body}</w:body></w:document>"})
    checked = check_upload(upload("dai.docx", content))
    assert (checked.kind, checked.size) == ("docx", len(content))


def test_docx_with_5000_entries_is_refused_before_zipfile_opens_it(monkeypatch):
    parts = {**DOCX_PARTS, **{f"word/media/p{i}.xml": "" for i in range(5000)}}
    content = make_zip(parts)

    def no_opening(*args, **kwargs):
        raise AssertionError("opened an archive whose end record already condemned it")

    monkeypatch.setattr(uploads.zipfile, "ZipFile", no_opening)
    error = rejected("nhieu.docx", content)
    assert error.code == "too_many_entries"
    assert error.message == ("Tệp DOCX “nhieu.docx” có cấu trúc bất thường (quá nhiều thành phần), "
                             "có thể là tệp độc hại.")


def test_entry_count_is_checked_again_when_the_end_record_lies():
    content = bytearray(make_zip({**DOCX_PARTS, **{f"p{i}.xml": "" for i in range(1200)}}))
    eocd = content.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", content, eocd + 8, 3, 3)  # "3 entries"
    error = rejected("nhieu.docx", bytes(content))
    assert error.code == "too_many_entries"


@pytest.mark.parametrize("inner", ["word/embeddings/payload.zip", "word/media/Bang_tinh.XLSX"])
def test_docx_with_nested_archive_by_name_is_refused(inner):
    error = rejected("long.docx", make_docx(**{inner: make_zip({"a.txt": "a"})}))
    assert error.code == "nested_archive"
    assert error.message.startswith(
        "Tệp DOCX “long.docx” có chứa tệp nén lồng bên trong, có thể là tệp độc hại.")
    assert "dán chúng dưới dạng ảnh" in error.message


def test_docx_with_archive_hidden_under_an_innocent_name_is_refused_while_streaming():
    error = rejected("long.docx", make_docx(**{"word/media/image1.png": make_zip({"a.txt": "a"})}))
    assert error.code == "nested_archive"


@pytest.mark.parametrize("entry", ["../../etc/passwd", "/etc/passwd", "word\\..\\..\\x.xml", "C:/boot.ini"])
def test_entry_names_escaping_the_archive_are_refused(entry):
    error = rejected("hoso.docx", make_docx(**{entry: "root:x:0:0"}))
    assert error.code == "unsafe_path"
    assert error.message == (f"Tệp DOCX “hoso.docx” chứa đường dẫn không hợp lệ (“{entry}”), "
                             "có thể là tệp độc hại.")


def test_encrypted_entry_is_refused():
    content = patch_entry(make_docx(), "word/document.xml", local_at=6, central_at=8,
                          change=lambda flags: flags | 0x1)
    error = rejected("mat.docx", content)
    assert (error.code, error.message) == (
        "encrypted", "Tệp DOCX “mat.docx” có thành phần được mã hoá; hãy bỏ mật khẩu rồi lưu lại tệp.")


def test_macro_project_is_refused():
    error = rejected("macro.docx", make_docx(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}))
    assert error.code == "macro"
    assert "“macro.docx” có chứa macro" in error.message


def test_duplicate_entry_names_are_refused():
    with pytest.warns(UserWarning, match="Duplicate name"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            for name, content in DOCX_PARTS.items():
                archive.writestr(name, content)
            archive.writestr("word/document.xml", "<w:document/>")
    assert rejected("kep.docx", buf.getvalue()).code == "duplicate_entry"


def test_zip_that_is_not_office_open_xml_is_refused():
    error = rejected("hoso.docx", make_zip({"readme.txt": "xin chào", "word/document.xml": "<x/>"}))
    assert (error.code, error.message) == (
        "not_ooxml", "Tệp “hoso.docx” là tệp nén ZIP, không phải tài liệu DOCX hoặc XLSX.")
    error = rejected("hoso.zip", make_zip({"[Content_Types].xml": "<Types/>", "a.xml": "<a/>"}))
    assert error.message == "Tệp “hoso.zip” là tệp nén ZIP, không phải tài liệu DOCX hoặc XLSX."


def test_truncated_or_tampered_archive_is_refused_as_damaged():
    docx = make_docx()
    error = rejected("hong.docx", docx[: len(docx) // 2])
    assert (error.code, error.message) == (
        "corrupt", "Tệp DOCX “hong.docx” bị hỏng hoặc không đọc được; hãy lưu lại tệp rồi tải lên lại.")
    tampered = patch_entry(docx, "word/document.xml", local_at=14, central_at=16, change=lambda crc: crc ^ 1)
    assert rejected("hong.docx", tampered).code == "corrupt"


def test_file_is_left_at_position_zero_after_a_rejection():
    uploaded = upload("baocao.pdf", b"MZ" + bytes(100))
    uploaded.read(10)
    with pytest.raises(UploadRejected):
        check_upload(uploaded)
    assert uploaded.tell() == 0


# --- names --------------------------------------------------------------------------------------


def test_original_name_is_the_nfc_base_name_without_path_or_control_characters():
    decomposed = unicodedata.normalize("NFD", "Báo cáo thành tích Đức Xuân.pdf")
    assert decomposed != "Báo cáo thành tích Đức Xuân.pdf"
    checked = check_upload(upload("x.pdf", make_pdf()))
    assert checked.original_name == "x.pdf"

    stream = io.BytesIO(make_pdf())
    stream.name = f"../../{decomposed}"
    checked = check_upload(stream)
    assert checked.original_name == "Báo cáo thành tích Đức Xuân.pdf"
    assert unicodedata.is_normalized("NFC", checked.original_name)

    stream.name = "C:\\Users\\Hạnh\\Desktop\\tờ\x00trình\u202e\tmới.pdf"
    assert check_upload(stream).original_name == "tờtrình mới.pdf"

    stream.name = "a" * 300 + ".pdf"
    assert check_upload(stream).original_name == "a" * 196 + ".pdf"

    stream.name = "../.."
    assert check_upload(stream).original_name == "tệp không tên"


def test_rejection_messages_name_the_cleaned_file_name():
    decomposed = unicodedata.normalize("NFD", "../hồ sơ.pdf")
    error = rejected(decomposed, b"MZ" + bytes(10))
    assert error.message.startswith("Tệp “hồ sơ.pdf” không phải PDF thật")


def test_server_file_name_is_made_by_the_server():
    checked = check_upload(upload("../../Tờ trình.png", make_png()))
    first = server_file_name(checked, prefix="dossiers/")
    second = server_file_name(checked)
    today = timezone.localdate()
    assert re.fullmatch(rf"dossiers/{today:%Y}/{today:%m}/[0-9a-f]{{32}}\.png", first)
    assert re.fullmatch(rf"{today:%Y}/{today:%m}/[0-9a-f]{{32}}\.png", second)
    assert first.removeprefix("dossiers/") != second
    assert "Tờ" not in first


def test_docx_with_an_embedded_chart_workbook_is_accepted():
    """Word keeps a chart's data as word/embeddings/*.xlsx: normal in achievement reports."""
    inner = make_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    content = make_docx(**{"word/embeddings/Microsoft_Excel_Worksheet.xlsx": inner})
    assert check_upload(upload("baocao.docx", content)).kind == "docx"


def test_an_archive_in_the_embeddings_folder_that_is_not_office_is_still_refused():
    inner = make_zip({"a.txt": b"x"})
    content = make_docx(**{"word/embeddings/payload.zip": inner})
    error = rejected("baocao.docx", content)
    assert error.code == "nested_archive"
