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
