"""Decisions: drafting from the council's results, issuing, serials, the register, documents."""

import io
import threading
import unicodedata

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from docx import Document
from pypdf import PdfReader

from tests.pipeline import draft_for
from thidua.decisions import actions
from thidua.decisions.models import Award, Decision, SerialCounter
from thidua.documents import certificates
from thidua.documents.models import CertificateLayout
from thidua.documents.render import check_template, decision_docx, decision_pdf, render_docx
from thidua.nominations.models import AwardRecord
from thidua.rulesets.models import AwardForm

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The PDF's text, NFC, with line wrapping undone (a name may wrap inside a table cell)."""
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def test_secretariat_drafts_a_decision_with_cash_from_the_rule_set(approved, movement,
                                                                   city_certificate, personas):
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    assert decision.state == Decision.State.DRAFT and decision.number_label == "1234/QĐ-UBND"
    awards = list(decision.awards.order_by("order"))
    assert [a.name for a in awards] == ["Nguyễn Thị Lan", "Hoàng Văn Nam"]
    # 0.3 × 1,490,000 đ (base salary in force on 20/12/2021)
    assert [a.cash for a in awards] == [447_000, 447_000]
    assert all(a.serial is None for a in awards)


@pytest.mark.parametrize("name", ["hanh", "dung", "binh", "khanh", "quy"])
def test_only_the_secretariat_drafts(approved, movement, city_certificate, personas, name):
    with pytest.raises(PermissionDenied):
        draft_for(movement, city_certificate, approved, getattr(personas, name))
    assert not Decision.objects.exists()


def test_an_awardee_without_council_approval_is_refused(approved, movement, city_certificate,
                                                        personas):
    from thidua.nominations.models import Nominee

    rejected = Nominee.objects.get(full_name="Lục Thị Hoa")
    with pytest.raises(ValidationError, match="Lục Thị Hoa"):
        draft_for(movement, city_certificate, [*approved, rejected], personas.mai)
    assert not Decision.objects.exists()


def test_a_form_decided_above_the_city_cannot_be_a_city_decision(approved, movement, personas):
    province = AwardForm.objects.get(rule_set=movement.rule_set, code="bang-khen-chu-tich-ubnd-tinh")
    with pytest.raises(ValidationError, match="tờ trình"):
        draft_for(movement, province, approved, personas.mai)


def test_the_chairman_issues_and_the_register_is_filled(approved, movement, city_certificate,
                                                        personas):
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    with pytest.raises(PermissionDenied):
        actions.issue_decision(decision, by=personas.mai)
    issued = actions.issue_decision(decision, by=personas.binh)
    assert issued.state == Decision.State.ISSUED
    serials = list(issued.awards.order_by("order").values_list("serial", flat=True))
    assert serials == [f"2021.{issued.issuer_id:03d}.00001", f"2021.{issued.issuer_id:03d}.00002"]
    records = AwardRecord.objects.filter(source="decision").order_by("pk")
    assert [(r.subject.name, r.decision_number, r.award_name) for r in records] == [
        ("Nguyễn Thị Lan", "1234/QĐ-UBND", "Giấy khen của Chủ tịch UBND thành phố"),
        ("Hoàng Văn Nam", "1234/QĐ-UBND", "Giấy khen của Chủ tịch UBND thành phố")]
    assert records[0].issuer_name == "Ủy ban nhân dân thành phố Bắc Kạn"


def test_issuing_twice_is_refused_and_changes_nothing(approved, movement, city_certificate,
                                                      personas):
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    stale = Decision.objects.get(pk=decision.pk)
    actions.issue_decision(decision, by=personas.binh)
    with pytest.raises(ValidationError, match="không ban hành lại"):
        actions.issue_decision(stale, by=personas.binh)
    assert AwardRecord.objects.filter(source="decision").count() == 2
    assert SerialCounter.objects.get().last == 2


def test_a_number_already_used_in_the_series_is_refused(approved, movement, city_certificate,
                                                        personas):
    first = draft_for(movement, city_certificate, approved[:1], personas.mai)
    second = draft_for(movement, city_certificate, approved[1:], personas.mai)
    actions.issue_decision(first, by=personas.binh)
    with pytest.raises(ValidationError, match="đã được dùng"):
        actions.issue_decision(second, by=personas.binh)
    second.refresh_from_db()
    assert second.state == Decision.State.DRAFT
    assert Award.objects.filter(decision=second, serial__isnull=False).count() == 0
    actions.delete_draft(second, by=personas.mai)
    with pytest.raises(ValidationError, match="đã được dùng"):
        draft_for(movement, city_certificate, approved[1:], personas.mai)
    assert draft_for(movement, city_certificate, approved[1:], personas.mai, number=1235).pk


def test_an_issued_decision_cannot_be_deleted(approved, movement, city_certificate, personas):
    decision = actions.issue_decision(draft_for(movement, city_certificate, approved,
                                                personas.mai), by=personas.binh)
    with pytest.raises(ValidationError, match="sửa đổi"):
        actions.delete_draft(decision, by=personas.mai)
    assert Decision.objects.filter(pk=decision.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_serials_stay_unique_when_two_decisions_are_issued_at_once(approved, movement,
                                                                   city_certificate, personas):
    one = draft_for(movement, city_certificate, approved[:1], personas.mai, number=1)
    two = draft_for(movement, city_certificate, approved[1:], personas.mai, number=2)
    errors = []

    def issue(decision):
        try:
            actions.issue_decision(decision, by=personas.binh)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in (one, two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # PostgreSQL waits on the counter's row lock; the in-memory SQLite test database refuses the
    # second writer outright. Either way nothing is half-done: a refused decision is still a
    # draft, and issuing it again (the retry) continues the numbering.
    assert all("locked" in str(e) for e in errors), errors
    for decision in Decision.objects.filter(state=Decision.State.DRAFT):
        actions.issue_decision(decision, by=personas.binh)
    serials = sorted(Award.objects.values_list("serial", flat=True))
    assert len(serials) == len(set(serials)) == 2
    assert [s.rsplit(".", 1)[1] for s in serials] == ["00001", "00002"]
    assert SerialCounter.objects.get().last == 2


def test_decision_documents_carry_every_character(approved, movement, city_certificate,
                                                  personas):
    lan = approved[0]
    lan.citation = unicodedata.normalize("NFD", 'Đã có thành tích "xuất sắc" & <tận tụy>')
    lan.save(update_fields=["citation"])
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    Award.objects.filter(decision=decision, order=1).update(
        name=unicodedata.normalize("NFD", "Nguyễn Thị Lan & Cộng sự <A>"))
    text = pdf_text(decision_pdf(decision))
    for expected in ["QUYẾT ĐỊNH", "Số: 1234/QĐ-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "ngày 20 tháng 12 năm 2021",
                     "Nguyễn Thị Lan & Cộng sự <A>", "Hoàng Văn Nam", "894.000",
                     "TM. ỦY BAN NHÂN DÂN", "Ma Văn Bình"]:
        assert expected in text, expected
    doc = Document(io.BytesIO(decision_docx(decision)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Số: 1234/QĐ-UBND" in "\n".join(c.text for t in doc.tables for r in t.rows
                                           for c in r.cells)
    assert "Về việc tặng Giấy khen của Chủ tịch UBND thành phố" in body
    rows = [[c.text for c in r.cells] for r in doc.tables[-1].rows]
    assert rows[1][1] == "Nguyễn Thị Lan & Cộng sự <A>"  # NFC, nothing dropped
    assert unicodedata.is_normalized("NFC", rows[1][1])
    assert rows[2][1] == "Hoàng Văn Nam" and len(rows) == 3
    assert rows[0][3] == "Thành tích"
    assert rows[1][3] == 'Đã có thành tích "xuất sắc" & <tận tụy>'  # the citation, in the annex
    assert 'Đã có thành tích "xuất sắc" & <tận tụy>' in text


def test_a_replacement_template_must_keep_the_fields(tmp_path):
    doc = Document()
    doc.add_paragraph("Quyết định {{ number_label }} cho {{ awards }}")
    buf = io.BytesIO()
    doc.save(buf)
    with pytest.raises(ValidationError, match="award_form, signer_name"):
        check_template(buf.getvalue())
    broken = Document()
    broken.add_paragraph("{{ number_label }} {{ award_form }} {{ signer_name }} {{ awards }} "
                         "{{ khong_co }}")
    buf = io.BytesIO()
    broken.save(buf)
    with pytest.raises(ValidationError, match="trường không hợp lệ"):
        render_docx(io.BytesIO(buf.getvalue()), {"number_label": "1", "award_form": "x",
                                                 "signer_name": "y", "awards": []})


def test_certificates_one_page_each_and_a_calibration_page(approved, movement, city_certificate,
                                                           personas, rf):
    from thidua.decisions.views import certificate_texts

    decision = actions.issue_decision(draft_for(movement, city_certificate, approved,
                                                personas.mai), by=personas.binh)
    texts = certificate_texts(rf.get("/"), decision, list(decision.awards.order_by("order")))
    layout = CertificateLayout(name="Phôi thử", offset_x_mm=3, offset_y_mm=-2)
    blank = certificates.render(texts, layout)
    reader = PdfReader(io.BytesIO(blank))
    assert len(reader.pages) == 2
    first = unicodedata.normalize("NFC", reader.pages[0].extract_text())
    assert "Nguyễn Thị Lan" in first and "Quyết định số 1234/QĐ-UBND ngày 20/12/2021" in first
    assert "GIẤY KHEN" not in first  # the blank already carries the design
    assert f"Số vào sổ: {decision.awards.get(order=1).serial}" in first
    full = PdfReader(io.BytesIO(certificates.render(texts, layout, full_design=True)))
    assert "GIẤY KHEN" in full.pages[0].extract_text()
    calibrated = PdfReader(io.BytesIO(certificates.render(texts[:1], layout, test_page=True)))
    assert len(calibrated.pages) == 2 and "name (" in calibrated.pages[0].extract_text()
