"""Dossier fixtures: Sông Cầu ward proposes the city chairman's Giấy khen in plan 23."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.movements.models import Movement
from thidua.nominations import actions
from thidua.nominations.choices import NomineeRow
from thidua.rulesets.models import AwardForm

CITY_CERTIFICATE = "giay-khen-chu-tich-ubnd-huyen"


def pdf_bytes(text: str = "bien ban") -> bytes:
    body = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body
            + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def pdf(name: str = "bien-ban.pdf", text: str = "bien ban") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def docx(name: str = "bao-cao.docx") -> SimpleUploadedFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buf.getvalue())


def person(name="Nguyễn Thị Lan", year=1985, gender="female", unit="Trạm Y tế phường Sông Cầu",
           **extra) -> NomineeRow:
    return NomineeRow(kind="individual", full_name=name, gender=gender, birth_year=year,
                      position="Y sĩ", unit_name=unit, category="frontline_health",
                      achievement_summary="Trực chốt kiểm soát dịch 60 ngày liên tục.",
                      citation="Đã có thành tích xuất sắc trong phòng, chống dịch COVID-19",
                      **extra)


@pytest.fixture
def movement(demo):
    return Movement.objects.get(number="23/KH-UBND")


@pytest.fixture
def city_certificate(movement):
    return AwardForm.objects.get(rule_set=movement.rule_set, code=CITY_CERTIFICATE)


@pytest.fixture
def draft(personas, movement, city_certificate):
    """A draft dossier of Sông Cầu ward with one nominee and nothing attached."""
    dossier = actions.create_dossier(
        movement=movement, organisation=personas.hanh.organisations_with_role("unit_officer")[0],
        award_form=city_certificate, unit_meeting_date=date(2021, 11, 15),
        unit_meeting_result="10/10 thành viên nhất trí", by=personas.hanh)
    actions.add_nominee(dossier, person(), by=personas.hanh)
    return dossier


def complete(dossier, by):
    """Attach every document the checklist asks for."""
    dossier.refresh_from_db()
    actions.attach_document(dossier, document_type="unit_submission", uploaded_file=pdf("tt.pdf"),
                            original=False, by=by)
    actions.attach_document(dossier, document_type="unit_minutes", uploaded_file=pdf("bb.pdf"),
                            original=False, by=by)
    for nominee in dossier.nominees.all():
        actions.attach_document(dossier, document_type="achievement_report", nominee=nominee,
                                uploaded_file=docx(), by=by)
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def submitted(draft, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    complete(draft, personas.hanh)
    return actions.submit_dossier(draft, by=personas.tam)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
