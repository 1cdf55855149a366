"""Replacing a document template in the admin: the file is checked against its own kind."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.documents.admin import DocumentTemplateForm
from thidua.documents.build_templates import BUILDERS
from thidua.documents.models import DocumentTemplate

pytestmark = pytest.mark.django_db


def docx_of(kind):
    buf = io.BytesIO()
    BUILDERS[kind]().save(buf)
    return SimpleUploadedFile(f"{kind}.docx", buf.getvalue())


def form(kind, upload):
    return DocumentTemplateForm(data={"kind": kind}, files={"file": upload})


def test_a_template_is_checked_against_the_kind_it_replaces():
    assert form("amendment", docx_of("amendment")).is_valid()
    assert form("upward_proposal", docx_of("upward_proposal")).is_valid()
    # The decision's template lacks what an amendment must say (the decision it corrects).
    wrong = form("amendment", docx_of("decision"))
    assert not wrong.is_valid()
    assert "original_number" in " ".join(wrong.errors["file"])
    # A file that is not a DOCX by its content never reaches python-docx.
    broken = form("decision", SimpleUploadedFile("x.docx", b"not a docx"))
    assert not broken.is_valid() and "x.docx" in " ".join(broken.errors["file"])
    assert not DocumentTemplate.objects.exists()


def test_an_upload_is_checked_by_content_before_its_fields_are_read(monkeypatch):
    """A zip bomb dressed as a template, or a workbook renamed .docx, is refused by the upload
    check (from the archive's directory) before python-docx would inflate it."""
    from thidua.documents import admin

    opened = []
    monkeypatch.setattr(admin, "check_template", lambda data, kind: opened.append(kind))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(docx_of("decision"))
        for name in source.namelist():
            if name != "word/document.xml":
                archive.writestr(name, source.read(name))
        with archive.open("word/document.xml", "w") as entry:
            for _ in range(50):
                entry.write(bytes(1024 * 1024))
    bomb = form("decision", SimpleUploadedFile("bom.docx", buf.getvalue()))
    assert not bomb.is_valid()
    assert "nén quá mức" in " ".join(bomb.errors["file"])
    workbook = io.BytesIO()
    openpyxl.Workbook().save(workbook)
    renamed = form("decision", SimpleUploadedFile("mau.docx", workbook.getvalue()))
    assert not renamed.is_valid() and "mau.docx" in " ".join(renamed.errors["file"])
    assert opened == []  # neither reached the field check
    assert form("decision", docx_of("decision")).is_valid() and opened == ["decision"]


def test_a_misspelt_field_is_refused_and_a_bad_template_never_breaks_a_download(
        approved, movement, city_certificate, personas, client_for):
    from docx import Document

    from tests.pipeline import draft_for

    doc = BUILDERS["decision"]()
    doc.add_paragraph("{{ signer_nam }}")
    buf = io.BytesIO()
    doc.save(buf)
    refused = form("decision", SimpleUploadedFile("qd.docx", buf.getvalue()))
    assert not refused.is_valid()
    assert "signer_nam" in " ".join(refused.errors["file"])
    # Had it got in anyway (an older check, a file swapped on disk), downloads say so, no 500.
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    bad = Document()
    bad.add_paragraph("{{ signer_nam }}")
    buf = io.BytesIO()
    bad.save(buf)
    DocumentTemplate.objects.create(kind="decision", organisation=decision.issuer,
                                    file=SimpleUploadedFile("qd.docx", buf.getvalue()))
    client = client_for(personas.mai)
    for url in [f"/van-ban/decision/{decision.pk}.docx", f"/quyet-dinh/{decision.pk}/tron-bo.zip"]:
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == f"/quyet-dinh/{decision.pk}/"
        assert "Mẫu văn bản có trường không hợp lệ" in response.content.decode()
