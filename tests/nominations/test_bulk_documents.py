"""Many nominees' documents in one upload (issue 11 §4): files or a ZIP matched to nominees by
row number or by name without diacritics, with a report of what matched and why the rest did not;
refused files never stored."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.pipeline import docx, pdf, pdf_bytes, person
from thidua.core.models import Activity
from thidua.nominations import actions
from thidua.nominations.completeness import kind_lines
from thidua.nominations.models import Attachment, AttachmentVersion, Dossier

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture
def listed(draft, personas):
    """Sông Cầu's draft: 1 Nguyễn Thị Lan, 2 Hoàng Văn Nam, 3 Lục Thị Hoa, 4 Lục Thị Hoa (born
    another year: same name, another person)."""
    for name, year in (("Hoàng Văn Nam", 1979), ("Lục Thị Hoa", 1990), ("Lục Thị Hoa", 1995)):
        actions.add_nominee(draft, person(name=name, year=year), by=personas.hanh)
    return Dossier.objects.get(pk=draft.pk)


def zip_of(name, entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/zip")


def reports(dossier):
    """[(nominee's name, [file names of every version, oldest first])] of achievement reports,
    in list order."""
    found = {}
    for version in AttachmentVersion.objects.filter(
            attachment__dossier=dossier, attachment__document_type="achievement_report"
    ).select_related("attachment__nominee").order_by("pk"):
        key = (version.attachment.nominee.order, version.attachment.nominee.full_name)
        found.setdefault(key, []).append(version.original_name)
    return [(name, files) for (_order, name), files in sorted(found.items())]


def attach(dossier, by, *files, document_type="achievement_report"):
    return actions.attach_nominee_documents(dossier, document_type=document_type,
                                            files=list(files), by=by)


def test_files_match_by_row_and_by_name_without_diacritics(listed, personas):
    report = attach(listed, personas.hanh, pdf("nguyen thi lan.pdf"), pdf("002.pdf"),
                    docx("3 - Luc Thi Hoa.docx"), pdf("STT 4.pdf"))
    assert [(name, who, row) for name, who, row in report.matched] == [
        ("nguyen thi lan.pdf", "Nguyễn Thị Lan", 1), ("002.pdf", "Hoàng Văn Nam", 2),
        ("3 - Luc Thi Hoa.docx", "Lục Thị Hoa", 3), ("STT 4.pdf", "Lục Thị Hoa", 4)]
    assert report.unmatched == [] and report.refused == []
    assert [files for _name, files in reports(listed)] == [
        ["nguyen thi lan.pdf"], ["002.pdf"], ["3 - Luc Thi Hoa.docx"], ["STT 4.pdf"]]
    line = next(line for line in kind_lines(listed) if line.document_type == "achievement_report")
    assert (line.present, line.needed) == (4, 4)
    logged = Activity.objects.filter(verb="documents.bulk_uploaded")
    assert logged.count() == 1 and logged.get().after["matched"] == 4
    assert not Activity.objects.filter(verb="document.uploaded").exists()


def test_ambiguous_unknown_and_mismatched_names_are_reported_not_stored(listed, personas):
    report = attach(listed, personas.hanh, pdf("luc_thi_hoa.pdf"), pdf("Trần Văn B.pdf"),
                    pdf("9.pdf"), pdf("2 - Nguyen Thi Lan.pdf"), pdf("Nguyễn-Thị-Lan.pdf"),
                    pdf("1.pdf"))
    unmatched = dict(report.unmatched)
    assert "cùng tên “Lục Thị Hoa” (dòng 3, 4)" in unmatched["luc_thi_hoa.pdf"]
    assert "003.pdf" in unmatched["luc_thi_hoa.pdf"]  # how to name it instead
    assert "Không có người, tập thể nào tên như tên tệp" in unmatched["Trần Văn B.pdf"]
    assert "Không có dòng số 9 trong danh sách (danh sách có 4 dòng)" in unmatched["9.pdf"]
    assert "Dòng số 2 là “Hoàng Văn Nam”, không khớp" in unmatched["2 - Nguyen Thi Lan.pdf"]
    # Two files for one person in one upload: the first is kept, the second reported.
    assert [m[0] for m in report.matched] == ["Nguyễn-Thị-Lan.pdf"]
    assert "“Nguyễn-Thị-Lan.pdf” trong cùng lần tải lên đã khớp" in unmatched["1.pdf"]
    assert reports(listed) == [("Nguyễn Thị Lan", ["Nguyễn-Thị-Lan.pdf"])]


def test_a_zip_with_good_and_bad_entries_stores_only_the_good(listed, personas):
    upload = zip_of("bao-cao.zip", {
        "bao cao/001.pdf": pdf_bytes(),
        "bao cao/hoang van nam.pdf": HTML,  # a web page posing as a PDF
        "bao cao/003.exe.pdf": b"MZ\x90\x00" + b"\x00" * 100,
        "__MACOSX/bao cao/._001.pdf": b"junk",
        "bao cao/noi-bo.zip": zip_of("x.zip", {"004.pdf": pdf_bytes()}).read(),
        "bao cao/004.pdf": zip_of("y.zip", {"a.pdf": pdf_bytes()}).read(),  # a ZIP named .pdf
    })
    report = attach(listed, personas.hanh, upload)
    assert report.matched == [("001.pdf (trong bao-cao.zip)", "Nguyễn Thị Lan", 1)]
    refused = dict(report.refused)
    assert set(refused) == {"hoang van nam.pdf (trong bao-cao.zip)",
                            "003.exe.pdf (trong bao-cao.zip)", "noi-bo.zip (trong bao-cao.zip)",
                            "004.pdf (trong bao-cao.zip)"}
    assert "không phải PDF thật: nội dung là một trang web" in refused[
        "hoang van nam.pdf (trong bao-cao.zip)"]
    assert "chương trình" in refused["003.exe.pdf (trong bao-cao.zip)"]
    assert "Tệp nén lồng bên trong tệp nén" in refused["noi-bo.zip (trong bao-cao.zip)"]
    assert "Tệp nén lồng bên trong tệp nén" in refused["004.pdf (trong bao-cao.zip)"]
    assert reports(listed) == [("Nguyễn Thị Lan", ["001.pdf"])]
    stored = AttachmentVersion.objects.get(attachment__dossier=listed)
    assert stored.file.read().startswith(b"%PDF-")


def test_a_zip_with_an_unsafe_path_or_a_bomb_is_refused_whole(listed, personas):
    unsafe = zip_of("a.zip", {"001.pdf": pdf_bytes(), "../002.pdf": pdf_bytes()})
    bomb = zip_of("b.zip", {"001.pdf": pdf_bytes(), "002.pdf": b"%PDF-" + b"0" * (3 << 20)})
    report = attach(listed, personas.hanh, unsafe, bomb)
    assert report.matched == [] and [name for name, _r in report.refused] == ["a.zip", "b.zip"]
    assert "đường dẫn không hợp lệ" in report.refused[0][1]
    assert "nén quá mức" in report.refused[1][1]
    assert not AttachmentVersion.objects.exists()
    assert not Activity.objects.filter(verb="documents.bulk_uploaded").exists()


def test_an_existing_document_gets_a_new_version(listed, personas):
    lan = listed.nominees.get(full_name="Nguyễn Thị Lan")
    actions.attach_document(listed, document_type="achievement_report", nominee=lan,
                            uploaded_file=docx("cu.docx"), by=personas.hanh)
    report = attach(listed, personas.hanh, pdf("001.pdf"))
    assert len(report.matched) == 1
    assert Attachment.objects.filter(nominee=lan, document_type="achievement_report").count() == 1
    assert reports(listed) == [("Nguyễn Thị Lan", ["cu.docx", "001.pdf"])]
    assert Activity.objects.get(verb="documents.bulk_uploaded").after["new_versions"] == 1


def test_who_may_upload(listed, personas, submitted):
    with pytest.raises(PermissionDenied):  # another unit's officer
        attach(listed, personas.thu, pdf("001.pdf"))
    submitted = Dossier.objects.get(pk=listed.pk)
    assert submitted.state == Dossier.State.SUBMITTED
    with pytest.raises(PermissionDenied):  # the receiving office never edits a unit's list
        attach(submitted, personas.dung, pdf("001.pdf"))
    with pytest.raises(ValidationError, match="không thể sửa"):  # nor the unit, once submitted
        attach(submitted, personas.hanh, pdf("002.pdf"))
    assert not AttachmentVersion.objects.filter(original_name__in=["001.pdf", "002.pdf"]).exists()


def test_a_dossier_document_type_is_refused(listed, personas):
    with pytest.raises(ValidationError, match="không phải tài liệu của từng người"):
        attach(listed, personas.hanh, pdf("001.pdf"), document_type="unit_minutes")


def test_the_page_reached_from_the_checklist_uploads_and_reports(listed, personas, client_for):
    client = client_for(personas.hanh)
    page = client.get(f"/ho-so/{listed.pk}/").content.decode()
    link = f"/ho-so/{listed.pk}/tai-nhieu/?loai=achievement_report"
    assert link in page
    form = client.get(link).content.decode()
    assert 'multiple' in form and 'value="achievement_report" selected' in form
    assert 'value="unit_minutes"' not in form  # only each nominee's own kinds
    response = client.post(f"/ho-so/{listed.pk}/tai-nhieu/", {
        "document_type": "achievement_report", "original": "1",
        "files": [pdf("Nguyen Thi Lan.pdf"), SimpleUploadedFile("002.pdf", HTML),
                  pdf("luc thi hoa.pdf")]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kết quả: 1 / 3 tệp đã khớp và được lưu" in html
    assert 'data-testid="bulk-matched"' in html and "Nguyen Thi Lan.pdf" in html
    assert 'data-testid="bulk-refused"' in html and "không phải PDF thật" in html
    assert 'data-testid="bulk-unmatched"' in html and "dòng 3, 4" in html
    assert reports(listed) == [("Nguyễn Thị Lan", ["Nguyen Thi Lan.pdf"])]
    detail = client.get(f"/ho-so/{listed.pk}/").content.decode()
    assert '<span data-testid="kind-count">1 / 4</span>' in detail
    empty = client.post(f"/ho-so/{listed.pk}/tai-nhieu/", {"document_type": "achievement_report",
                                                           "original": "1"})
    assert "Hãy chọn ít nhất một tệp." in empty.content.decode()


def test_the_page_is_404_for_other_units_and_the_office(listed, personas, client_for):
    for who in (personas.thu, personas.dung, personas.quy):
        client = client_for(who)
        assert client.get(f"/ho-so/{listed.pk}/tai-nhieu/").status_code == 404
        assert client.post(f"/ho-so/{listed.pk}/tai-nhieu/", {
            "document_type": "achievement_report", "original": "1",
            "files": [pdf("001.pdf")]}).status_code == 404
    assert not AttachmentVersion.objects.exists()
    # A viewer gets no link to it.
    page = client_for(personas.quy).get(f"/ho-so/{listed.pk}/")
    assert "tai-nhieu" not in page.content.decode()
