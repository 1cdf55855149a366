"""PDFs that can act by themselves are refused at the upload gate, however they are written.

Every sample is built here byte by byte: plain objects with a cross-reference table, or objects
packed in a compressed object stream with a cross-reference stream (PDF 1.5), names spelt with
``#xx`` escapes, objects the table does not list. The last tests send a hostile PDF through each
way a PDF can be uploaded (dossier documents, proposal supplements, signed scans) and check that
nothing is stored.
"""

import io
import re
import warnings
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from thidua.core.uploads import (
    AUTOMATIC,
    EMBEDDED,
    EXTERNAL,
    JAVASCRIPT,
    PdfActiveContent,
    UploadRejected,
    check_upload,
)


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"


def build_pdf(objects: dict[int, bytes], *, packed=(), hidden: bytes = b"") -> bytes:
    """A PDF of ``objects`` (number → body), object 1 the catalogue.

    Numbers in ``packed`` go into one Flate-compressed object stream listed by a compressed
    cross-reference stream, as Acrobat and Word write them; ``hidden`` is written into the file
    but listed nowhere (what a repairing viewer may still read)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in objects.items():
        if number not in packed:
            offsets[number] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    out += hidden
    size = max(objects) + 1
    if not packed:
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
        return bytes(out)

    stream_no, xref_no = size, size + 1
    header, body, index = b"", b"", {}
    for i, number in enumerate(packed):
        index[number] = i
        header += b"%d %d " % (number, len(body))
        body += objects[number] + b"\n"
    data = zlib.compress(header + body)
    offsets[stream_no] = len(out)
    out += (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
            % (stream_no, len(packed), len(header), len(data)) + data + b"\nendstream\nendobj\n")
    offsets[xref_no] = len(out)
    rows = b""
    for number in range(xref_no + 1):
        if number in index:
            rows += b"\x02" + stream_no.to_bytes(4, "big") + index[number].to_bytes(2, "big")
        elif number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        else:
            rows += b"\x00" + bytes(4) + b"\xff\xff"
    rows = zlib.compress(rows)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode "
            b"/Length %d >>\nstream\n" % (xref_no, xref_no + 1, len(rows)) + rows
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % offsets[xref_no])
    return bytes(out)


def document(catalog=CATALOG, page=PAGE, *extra: bytes, packed=False, hidden=b"") -> bytes:
    """Catalogue, page tree, one page and ``extra`` objects from 4 on; ``packed`` puts every
    object that is not a stream into a compressed object stream."""
    objects = {1: catalog, 2: PAGES, 3: page}
    objects.update({4 + i: body for i, body in enumerate(extra)})
    numbers = tuple(n for n, body in objects.items() if b"stream" not in body) if packed else ()
    return build_pdf(objects, packed=numbers, hidden=hidden)


def upload(data: bytes, name="bao-cao.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def refused(data: bytes, name="bao-cao.pdf") -> UploadRejected:
    with pytest.raises(UploadRejected) as info:
        check_upload(upload(data, name))
    return info.value


def active(data: bytes) -> frozenset:
    error = refused(data)
    assert isinstance(error, PdfActiveContent), error.message
    return error.kinds


def escaped(name: str, which) -> bytes:
    """``name`` as a PDF name with the letters at ``which`` written as #xx escapes."""
    return b"/" + b"".join(b"#%02X" % ord(ch) if i in which else ch.encode()
                           for i, ch in enumerate(name))


JS_OPEN = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
JS_ACTION = b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"


# --- what passes -------------------------------------------------------------------------------


@pytest.mark.parametrize("packed", [False, True], ids=["plain", "object-stream"])
def test_an_ordinary_pdf_passes_in_either_layout(packed):
    checked = check_upload(upload(document(packed=packed)))
    assert (checked.kind, checked.extension) == ("pdf", ".pdf")


@pytest.mark.parametrize("extra", [
    # "open at page 1, fit the page": a destination, not an action
    (b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>", PAGE),
    (b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /GoTo /D [3 0 R /Fit] >> >>", PAGE),
    # a link to a web site, a link to a page, a "next page" button: the reader clicks them
    (CATALOG, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R 5 0 R 6 0 R] >>",
     b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://bac-kan.gov.vn) >> >>",
     b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Dest [3 0 R /Fit] >>",
     b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /Named /N /NextPage >> >>"),
    # a producer that names its fonts and images /AA, /JS, /EF: labels, not instructions
    (CATALOG, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /Font << /AA 4 0 R "
     b"/JS 4 0 R /OpenAction 4 0 R >> /XObject << /EF 4 0 R >> >> >>",
     b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
], ids=["open-at-destination", "open-goto", "links", "resource-labels"])
def test_harmless_actions_and_labels_pass(extra):
    catalog, page, *rest = extra
    for packed in [False, True]:
        assert check_upload(upload(document(catalog, page, *rest, packed=packed))).kind == "pdf"


def test_an_owner_password_that_only_forbids_printing_passes():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("", "chu-so-huu", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert check_upload(upload(out.getvalue())).kind == "pdf"


def test_a_scan_saved_without_startxref_is_read_as_a_viewer_repairs_it():
    data = document()
    data = data[: data.rindex(b"startxref")]  # truncated: no table pointer, no %%EOF
    assert check_upload(upload(data)).kind == "pdf"
    with_js = document(JS_OPEN, PAGE, JS_ACTION, packed=True)
    assert active(with_js[: with_js.rindex(b"startxref")]) >= {JAVASCRIPT}


# --- what is refused ---------------------------------------------------------------------------


CASES = {
    "javascript-on-open": ((JS_OPEN, PAGE, JS_ACTION), {JAVASCRIPT, AUTOMATIC}),
    "javascript-name-tree": ((b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>", PAGE,
                              b"<< /Names [(a) 5 0 R] >>", JS_ACTION), {JAVASCRIPT}),
    "page-additional-action": ((CATALOG, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
                                b"/AA << /O << /S /URI /URI (https://x.example) >> >> >>"), {AUTOMATIC}),
    "open-web-page-on-open": ((b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /URI /URI "
                               b"(https://x.example/track) >> >>", PAGE), {AUTOMATIC}),
    "print-on-open": ((b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Named /N /Print >> >>", PAGE),
                      {AUTOMATIC}),
    "goto-then-javascript": ((b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /GoTo /D [3 0 R /Fit] "
                              b"/Next 4 0 R >> >>", PAGE, JS_ACTION), {JAVASCRIPT}),
    "launch-link": ((CATALOG, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
                     b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /Launch "
                     b"/F (cmd.exe) >> >>"), {EXTERNAL}),
    "remote-file-link": ((CATALOG, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots "
                          b"[4 0 R] >>", b"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /GoToR "
                          b"/F (\\\\\\\\attacker\\\\share\\\\x.pdf) /D [0 /Fit] >> >>"), {EXTERNAL}),
    "submit-form": ((CATALOG, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>",
                     b"<< /Type /Annot /Subtype /Widget /Rect [0 0 10 10] /A << /S /SubmitForm "
                     b"/F << /FS /URL /F (https://x.example) >> >> >>"), {EXTERNAL}),
    "embedded-file": ((b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>", PAGE,
                       b"<< /Names [(a.exe) 5 0 R] >>",
                       b"<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
                       b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream"), {EMBEDDED}),
    "file-attachment-annotation": ((CATALOG, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] "
                                    b"/Annots [4 0 R] >>", b"<< /Type /Annot /Subtype /FileAttachment "
                                    b"/Rect [0 0 10 10] /FS (x.docm) >>"), {EMBEDDED}),
    "xfa-form": ((b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>", PAGE,
                  b"<< /Length 0 >>\nstream\n\nendstream"), {JAVASCRIPT}),
}


@pytest.mark.parametrize("packed", [False, True], ids=["plain", "object-stream"])
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_active_content_is_refused_with_a_message_naming_it(case, packed):
    bodies, kinds = CASES[case]
    error = refused(document(*bodies, packed=packed), "to-trinh.pdf")
    assert isinstance(error, PdfActiveContent)
    assert error.kinds >= kinds
    assert error.code == "pdf_active"
    assert error.message.startswith("Tệp PDF “to-trinh.pdf” có chứa ")
    assert "Microsoft Print to PDF" in error.message
    assert error.file_name == "to-trinh.pdf"


def test_the_message_names_each_kind_found():
    data = document(JS_OPEN, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [5 0 R] >>",
                    JS_ACTION, b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 1 1] /FS (x) >>")
    assert refused(data).message == (
        "Tệp PDF “bao-cao.pdf” có chứa mã JavaScript, lệnh tự chạy khi mở tệp hoặc khi bấm vào, "
        "tệp hoặc nội dung đa phương tiện nhúng bên trong nên không được tải lên: loại nội dung này "
        "có thể tự chạy trên máy người mở. Hãy in tài liệu ra tệp PDF mới (chọn In, máy in "
        "“Microsoft Print to PDF”) hoặc quét bản giấy, rồi tải lên lại.")


def test_the_message_follows_the_language():
    with translation.override("en"):
        message = refused(document(JS_OPEN, PAGE, JS_ACTION)).message
    assert "bao-cao.pdf" in message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["JavaScript", "JS", "Launch", "EmbeddedFiles", "AA", "OpenAction"]),
    which=st.sets(st.integers(0, 11)),
    packed=st.booleans(),
)
def test_escaped_names_are_read_as_the_viewer_reads_them(name, which, packed):
    """``/J#61vaScript`` is ``/JavaScript`` to a viewer: any spelling is refused, in plain
    objects and inside compressed object streams."""
    spelt = escaped(name, which)
    catalog, page, extra = CATALOG, PAGE, []
    if name == "JavaScript":
        catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S " + spelt + b" /JS (x) >> >>"
    elif name == "JS":
        catalog = b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>"
        extra = [b"<< /Names [(a) << /S /JavaScript " + spelt + b" (x) >>] >>"]
    elif name == "Launch":
        catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S " + spelt + b" /F (a.exe) >> >>"
    elif name == "EmbeddedFiles":
        catalog = b"<< /Type /Catalog /Pages 2 0 R /Names << " + spelt + b" 4 0 R >> >>"
        extra = [b"<< /Names [] >>"]
    elif name == "AA":
        page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + spelt + b" << /O 4 0 R >> >>"
        extra = [b"<< /S /URI /URI (https://x.example) >>"]
    else:
        catalog = b"<< /Type /Catalog /Pages 2 0 R " + spelt + b" << /S /URI /URI (https://x.example) >> >>"
    data = document(catalog, page, *extra, packed=packed)
    if packed:
        assert spelt not in data  # compressed: no byte pattern would find it
    assert active(data)


@pytest.mark.parametrize("packed", [False, True], ids=["plain", "object-stream"])
def test_j_61_vascript_is_javascript(packed):
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
    action = b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"
    data = document(catalog, PAGE, action, packed=packed)
    assert (b"J#61vaScript" in data) is not packed
    assert active(data) >= {JAVASCRIPT, AUTOMATIC}


def test_a_javascript_object_the_table_does_not_list_is_still_found():
    hidden = b"9 0 obj\n<< /S /J#61vaScript /JS (app.launchURL\\('https://x'\\)) >>\nendobj\n"
    assert JAVASCRIPT in active(document(hidden=hidden))


def test_an_object_stream_holding_an_unlisted_javascript_object_is_found():
    """An object packed in a stream but missing from the table: read from the stream's text."""
    data = build_pdf({1: CATALOG, 2: PAGES, 3: PAGE, 4: JS_ACTION}, packed=(1, 2, 3, 4))
    # Drop object 4 from the cross-reference stream: rewrite its row as free.
    assert JAVASCRIPT in active(_unlist(data, 4))


def _unlist(data: bytes, number: int) -> bytes:
    match = re.search(rb"/Type /XRef .*?/Length (\d+) >>\nstream\n", data, re.S)
    start = match.end()
    rows = bytearray(zlib.decompress(data[start:start + int(match.group(1))]))
    rows[number * 7:(number + 1) * 7] = b"\x00" + bytes(4) + b"\xff\xff"
    packed = zlib.compress(bytes(rows))
    head = data[:match.start()] + match.group(0).replace(match.group(1), str(len(packed)).encode())
    return head + packed + data[start + int(match.group(1)):]


def test_a_pypdf_made_file_with_javascript_or_an_attachment_is_refused():
    for add, kind in [(lambda w: w.add_js("app.alert(1)"), JAVASCRIPT),
                      (lambda w: w.add_attachment("x.exe", b"MZ"), EMBEDDED)]:
        writer = PdfWriter()
        writer.add_blank_page(200, 200)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # add_js is deprecated
            add(writer)
        out = io.BytesIO()
        writer.write(out)
        assert kind in active(out.getvalue())


# --- what cannot be looked through -------------------------------------------------------------


def test_a_pdf_locked_with_a_password_is_refused_as_such():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("mat-khau", "chu-so-huu", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    error = refused(out.getvalue(), "quyet-dinh.pdf")
    assert error.code == "pdf_encrypted"
    assert error.message.startswith("Tệp PDF “quyet-dinh.pdf” được đặt mật khẩu")


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\nnothing here at all",
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nendobj\nstartxref\n9\n%%EOF",
    b"%PDF-1.7\n" + b"[" * 5000 + b"\n%%EOF",
], ids=["no-objects", "broken-catalog", "deep-nesting"])
def test_a_pdf_that_cannot_be_read_through_is_refused(data):
    error = refused(data, "hong.pdf")
    assert error.code in {"pdf_corrupt", "pdf_active"}
    assert "hong.pdf" in error.message


# --- every way a PDF comes in ------------------------------------------------------------------
# (Every upload path calls core.uploads.check_upload: dossier documents, proposal supplements and
# signed scans take PDFs; the Excel imports take XLSX only.)

HOSTILE = document(JS_OPEN, PAGE, JS_ACTION, packed=True)


def _page(response) -> str:
    import html

    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_a_dossier_document_with_javascript_is_refused_and_nothing_is_stored(draft, personas,
                                                                             client_for, settings):
    from thidua.nominations.models import AttachmentVersion

    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/tai-lieu/", {
        "document_type": "unit_minutes", "original": "1", "file": upload(HOSTILE, "bien-ban.pdf")},
        follow=True)
    assert "Tệp PDF “bien-ban.pdf” có chứa mã JavaScript" in _page(response)
    assert not AttachmentVersion.objects.exists()
    media = settings.MEDIA_ROOT
    assert not (media.exists() and any(media.rglob("*.pdf")))  # no file left behind either


@pytest.mark.django_db
def test_a_proposal_supplement_with_javascript_is_refused(upward, movement, province_form,
                                                         personas, client_for):
    from django.utils import timezone

    from tests.pipeline import council_people
    from thidua.decisions import proposals

    proposal = proposals.send_proposal(proposals.draft_proposal(
        movement=movement, award_form=province_form, nominees=upward, number=56,
        dated_on=timezone.localdate(), signer=council_people()["chair"], grounds="Căn cứ Luật.",
        by=personas.mai), by=personas.mai)
    proposals.record_return(proposal, reason="Thiếu xác nhận thuế", by=personas.mai)
    response = client_for(personas.mai).post(f"/to-trinh/{proposal.pk}/bo-sung/", {
        "description": "Xác nhận thuế", "file": upload(HOSTILE, "thue.pdf")}, follow=True)
    assert "Tệp PDF “thue.pdf” có chứa mã JavaScript" in _page(response)
    assert not proposal.attachments.exists()


@pytest.mark.django_db
def test_a_signed_scan_with_javascript_is_refused(approved, movement, city_certificate, personas,
                                                 client_for):
    from django.utils import timezone

    from tests.pipeline import council_people
    from thidua.decisions import actions
    from thidua.documents.models import SignedCopy

    issued = actions.issue_decision(actions.draft_decision(
        movement=movement, award_form=city_certificate, nominees=approved, number=1234,
        issued_on=timezone.localdate(), signer=council_people()["chair"],
        legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=personas.mai), by=personas.binh)
    response = client_for(personas.mai).post(f"/van-ban/decision/{issued.pk}/ban-da-ky/", {
        "file": upload(HOSTILE, "qd-da-ky.pdf")}, follow=True)
    assert "Tệp PDF “qd-da-ky.pdf” có chứa mã JavaScript" in _page(response)
    assert not SignedCopy.objects.exists()


def test_a_pdf_of_too_many_objects_is_refused_before_they_are_read(monkeypatch):
    from thidua.core import uploads

    monkeypatch.setattr(uploads, "MAX_PDF_OBJECTS", 10)
    assert check_upload(upload(document(CATALOG, PAGE, *[b"<< /A 1 >>"] * 7))).kind == "pdf"
    error = refused(document(CATALOG, PAGE, *[b"<< /A 1 >>"] * 8), "nhieu.pdf")
    assert (error.code, error.message) == (
        "pdf_too_many_objects",
        "Tệp PDF “nhieu.pdf” có cấu trúc bất thường (quá nhiều thành phần), có thể là tệp độc hại.")
