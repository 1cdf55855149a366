"""Replacing a document template in the admin: the file is checked against its own kind."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.documents.admin import DocumentTemplateForm
from thidua.documents.build_templates import BUILDERS

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
    broken = form("decision", SimpleUploadedFile("x.docx", b"not a docx"))
    assert not broken.is_valid() and "Không đọc được mẫu" in " ".join(broken.errors["file"])


def test_a_misspelt_field_is_refused_and_a_bad_template_never_breaks_a_download(
        approved, movement, city_certificate, personas, client_for):
    from docx import Document

    from tests.pipeline import draft_for
    from thidua.documents.models import DocumentTemplate

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
