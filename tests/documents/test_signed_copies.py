"""Signed scans (bản đã ký): filed by whoever prepared the document, then the record — served
back as filed and put first in the package."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.pipeline import draft_for, pdf, pdf_bytes
from thidua.decisions import actions
from thidua.documents.models import SignedCopy

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(approved, movement, city_certificate, personas):
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    return actions.issue_decision(decision, by=personas.binh)


def url(decision):
    return f"/van-ban/decision/{decision.pk}/ban-da-ky/"


def test_the_secretariat_files_the_signed_scan_and_it_is_served_back(issued, personas,
                                                                     client_for):
    client = client_for(personas.mai)
    page = client.get(f"/quyet-dinh/{issued.pk}/").content.decode()
    assert "Tải lên bản đã ký" in page
    response = client.post(url(issued), {"file": pdf("qd-da-ky.pdf", "da ky")}, follow=True)
    assert "Đã lưu bản đã ký" in response.content.decode()
    copy = SignedCopy.current("decision", issued)
    assert (copy.original_name, copy.sha256) == ("qd-da-ky.pdf",
                                                 hashlib.sha256(pdf_bytes("da ky")).hexdigest())
    served = client_for(personas.hanh).get(url(issued))  # the unit sees the record too
    assert b"".join(served.streaming_content) == pdf_bytes("da ky")
    assert 'filename="quyet-dinh-1234-2021-ban-ky.pdf"' in served["Content-Disposition"]
    # A later scan supersedes the first; both are kept.
    client.post(url(issued), {"file": pdf("ban-2.pdf", "ban 2")})
    assert SignedCopy.current("decision", issued).original_name == "ban-2.pdf"
    assert SignedCopy.objects.filter(kind="decision", object_id=issued.pk).count() == 2


def test_the_package_carries_the_signed_scan(issued, personas, client_for):
    client_for(personas.mai).post(url(issued), {"file": pdf("qd-da-ky.pdf", "da ky")})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(
        client_for(personas.mai).get(f"/quyet-dinh/{issued.pk}/tron-bo.zip").streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    signed = [f for f in manifest["files"] if f["kind"] == "decision_signed"]
    assert [f["path"] for f in signed] == ["quyet-dinh-1234-2021-ban-da-ky.pdf"]
    assert archive.read(signed[0]["path"]) == pdf_bytes("da ky")
    assert signed[0]["sha256"] == hashlib.sha256(pdf_bytes("da ky")).hexdigest()


def test_who_cannot_file_and_what_is_refused(issued, approved, movement, city_certificate,
                                            personas, client_for):
    # A unit officer sees the decision but may not file its signed copy.
    response = client_for(personas.hanh).post(url(issued), {"file": pdf()}, follow=True)
    assert "không có quyền" in response.content.decode()
    # Another ward cannot even see it.
    assert client_for(personas.thu).post(url(issued), {"file": pdf()}).status_code == 404
    # Not a PDF or a picture: refused by content, whatever its name says.
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 this is a program")
    response = client_for(personas.mai).post(url(issued), {"file": fake}, follow=True)
    assert "scan.pdf" in response.content.decode()
    response = client_for(personas.mai).post(url(issued), {}, follow=True)
    assert "Hãy chọn tệp" in response.content.decode()
    assert not SignedCopy.objects.exists()
    assert client_for(personas.mai).get(url(issued)).status_code == 404


def test_a_draft_has_no_signed_copy_yet(approved, movement, city_certificate, personas,
                                        client_for):
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    response = client_for(personas.mai).post(url(decision), {"file": pdf()}, follow=True)
    assert "không có quyền" in response.content.decode()
    assert not SignedCopy.objects.exists()
