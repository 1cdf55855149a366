"""Correcting an issued decision (quyết định sửa đổi): the original never changes; a new
decision replaces its wrong lines, reissues those certificates under new serials, and corrects
the register line in place."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from pypdf import PdfReader

from tests.pipeline import draft_for
from tests.reading import docx_parts
from thidua.decisions import actions
from thidua.decisions.models import Award, Decision
from thidua.documents.render import render_kind_docx, render_pdf
from thidua.nominations.models import AwardRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(approved, movement, city_certificate, personas):
    return actions.issue_decision(draft_for(movement, city_certificate, approved, personas.mai),
                                  by=personas.binh)


def amend(original, by, corrections, number=1300, **extra):
    return actions.draft_amendment(
        original, corrections=corrections, number=number, issued_on=date(2021, 12, 28),
        signer=original.signer, legal_grounds="Căn cứ Quyết định số 1234/QĐ-UBND;", by=by,
        **extra)


def test_a_misspelt_name_is_corrected_by_a_new_decision(issued, personas, client_for):
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    old_serial = lan.serial
    amendment = amend(issued, personas.mai, {lan: {"name": "Nguyễn Thị Lân",
                                                   "unit_name": "Trạm Y tế phường Sông Cầu"}})
    assert amendment.amends == issued and amendment.state == Decision.State.DRAFT
    line = amendment.awards.get()
    assert (line.name, line.replaces, line.cash) == ("Nguyễn Thị Lân", lan, 0)
    amendment = actions.issue_decision(amendment, by=personas.binh)

    line.refresh_from_db()
    lan.refresh_from_db()
    assert (lan.name, lan.serial) == ("Nguyễn Thị Lan", old_serial)  # the original is untouched
    assert line.serial and line.serial != old_serial
    record = AwardRecord.objects.get(nominee=lan.nominee)  # one register line, corrected
    assert record.decision_number == "1234/QĐ-UBND"
    assert record.unit_name == "Trạm Y tế phường Sông Cầu"
    assert "Sửa đổi theo Quyết định số 1300/QĐ-UBND ngày 28/12/2021" in record.note
    assert record.subject.name == "Nguyễn Thị Lân"

    # The old certificate's QR page says it was reissued; the new one verifies.
    old_page = client_for(None).get(f"/xac-minh/{old_serial}/").content.decode()
    assert "đã được sửa đổi theo Quyết định số 1300/QĐ-UBND" in old_page and line.serial in old_page
    new_page = client_for(None).get(f"/xac-minh/{line.serial}/",
                                    {"ma": line.verify_code}).content.decode()
    assert "Nguyễn Thị Lân" in new_page
    # The city's totals still count one award decision and two awards, not three.
    page = client_for(personas.mai).get("/quyet-dinh/").content.decode()
    summary = page[page.index('data-testid="decision-summary"'):]
    row = summary[summary.index("thành phố Bắc Kạn"):].split("</tr>")[0]
    assert [c.split(">")[-1] for c in row.split("</td>")[1:4]] == ["1", "0", "2"]


def test_the_amendment_reads_back_with_old_and_new(issued, personas):
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    amendment = amend(issued, personas.mai, {lan: {"name": "Nguyễn Thị Lân & <Tổ 5>"}})
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_pdf("amendment", amendment))).pages).split())
    assert "Về việc sửa đổi Quyết định số 1234/QĐ-UBND ngày 20/12/2021" in text
    assert "Nguyễn Thị Lan" in text and "Nguyễn Thị Lân & <Tổ 5>" in text
    doc = Document(io.BytesIO(render_kind_docx("amendment", amendment)))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert any(c.startswith("Nguyễn Thị Lan") for c in cells)
    assert any(c.startswith("Nguyễn Thị Lân & <Tổ 5>") for c in cells)


def test_what_cannot_be_amended(issued, approved, movement, city_certificate, personas):
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    with pytest.raises(ValidationError, match="Chưa có nội dung nào được sửa"):
        amend(issued, personas.mai, {lan: {"name": "Nguyễn Thị Lan"}})
    with pytest.raises(ValidationError, match="không được để trống"):
        amend(issued, personas.mai, {lan: {"name": "  "}})
    with pytest.raises(ValidationError, match="không thể ký trước"):
        actions.draft_amendment(issued, corrections={lan: {"name": "X"}}, number=5,
                                issued_on=date(2021, 12, 1), signer=issued.signer,
                                legal_grounds="x", by=personas.mai)
    for who in [personas.hanh, personas.binh, personas.stranger]:
        with pytest.raises(PermissionDenied):
            amend(issued, who, {lan: {"name": "X"}})
    amend(issued, personas.mai, {lan: {"name": "Nguyễn Thị Lân"}})
    with pytest.raises(ValidationError, match="đã có trong quyết định sửa đổi khác"):
        amend(issued, personas.mai, {lan: {"name": "Nguyễn Thị Lânn"}}, number=1301)
    other = Award.objects.exclude(decision=issued).first()
    assert other is not None  # the draft amendment's own line
    with pytest.raises(ValidationError, match="không thuộc quyết định này"):
        amend(issued, personas.mai, {other: {"name": "Y"}}, number=1302)
    assert Decision.objects.filter(amends=issued).count() == 1


def test_a_draft_is_not_amended(approved, movement, city_certificate, personas):
    decision = draft_for(movement, city_certificate, approved, personas.mai)
    with pytest.raises(ValidationError, match="Chỉ sửa đổi quyết định đã ban hành"):
        amend(decision, personas.mai, {decision.awards.first(): {"name": "X"}})


def test_the_amendment_page(issued, personas, client_for):
    client = client_for(personas.mai)
    page = client.get(f"/quyet-dinh/{issued.pk}/").content.decode()
    assert f"/quyet-dinh/{issued.pk}/sua-doi/" in page
    pick = client.get(f"/quyet-dinh/{issued.pk}/sua-doi/").content.decode()
    assert pick.count('name="dong"') == 2  # first the lines to correct
    lan, nam = issued.awards.order_by("order")
    url = f"/quyet-dinh/{issued.pk}/sua-doi/?dong={lan.pk}&dong={nam.pk}"
    form = client.get(url).content.decode()
    assert form.count('data-testid="amend-line"') == 2
    data = {"number": 1300, "issued_on": "2021-12-28", "signer": personas.binh.pk,
            "signer_capacity": "TM. ỦY BAN NHÂN DÂN", "legal_grounds": "Căn cứ …"}
    for a in (lan, nam):
        data |= {f"name-{a.pk}": a.name, f"position-{a.pk}": a.position,
                 f"unit_name-{a.pk}": a.unit_name, f"citation-{a.pk}": a.citation}
    data[f"name-{nam.pk}"] = "Hoàng Văn Năm"
    response = client.post(url, data, follow=True)
    amendment = Decision.objects.get(amends=issued)
    assert response.redirect_chain[-1][0] == f"/quyet-dinh/{amendment.pk}/"
    assert [a.name for a in amendment.awards.all()] == ["Hoàng Văn Năm"]
    page = response.content.decode()
    assert "Thay cho:" in page and "Hoàng Văn Nam" in page
    assert client_for(personas.hanh).get(f"/quyet-dinh/{issued.pk}/sua-doi/").status_code == 404


def test_a_ward_amends_its_own_decision_signed_by_its_head(personas, movement):
    from tests.pipeline import draft_ward, person
    from thidua.nominations import actions as dossier_actions
    from thidua.rulesets.models import AwardForm

    form = AwardForm.objects.get(rule_set=movement.rule_set, code="giay-khen-chu-tich-ubnd-xa")
    dossier = dossier_actions.create_dossier(
        movement=movement, organisation=personas.hanh.organisations_with_role("unit_officer")[0],
        award_form=form, unit_meeting_date=date(2021, 11, 15), unit_meeting_result="Thống nhất",
        by=personas.hanh)
    dossier_actions.add_nominee(dossier, person(name="Triệu Văn Sơn", year=1982, gender="male"),
                                by=personas.hanh)
    issued = actions.issue_decision(draft_ward(dossier, personas.hanh), by=personas.tam)
    son = issued.awards.get()
    with pytest.raises(ValidationError, match="không phải thủ trưởng"):
        actions.draft_amendment(issued, corrections={son: {"name": "Triệu Văn Sơn Hà"}},
                                number=20, issued_on=date(2021, 12, 15), signer=personas.binh,
                                legal_grounds="x", by=personas.hanh)
    with pytest.raises(PermissionDenied):
        amend(issued, personas.mai, {son: {"name": "Triệu Văn Sơn Hà"}})
    amendment = actions.draft_amendment(
        issued, corrections={son: {"name": "Triệu Văn Sơn Hà"}}, number=20,
        issued_on=date(2021, 12, 15), signer=personas.tam, legal_grounds="x", by=personas.hanh)
    amendment = actions.issue_decision(amendment, by=personas.tam)
    assert amendment.issuer == issued.issuer and amendment.awards.get().serial


def test_only_the_chosen_lines_are_in_the_form(issued, personas, client_for):
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    form = client_for(personas.mai).get(f"/quyet-dinh/{issued.pk}/sua-doi/?dong={lan.pk}")
    assert form.content.decode().count('data-testid="amend-line"') == 1
    assert client_for(personas.mai).get(
        f"/quyet-dinh/{issued.pk}/sua-doi/?dong=999999").status_code == 404


def test_each_document_kind_opens_its_own_decisions_only(issued, personas, client_for):
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    amendment = amend(issued, personas.mai, {lan: {"name": "Nguyễn Thị Lân"}})
    client = client_for(personas.mai)
    assert client.get(f"/van-ban/amendment/{issued.pk}.pdf").status_code == 404
    assert client.get(f"/van-ban/decision/{amendment.pk}.docx").status_code == 404
    response = client.get(f"/van-ban/amendment/{amendment.pk}.docx")
    assert response.status_code == 200
    body, _tables = docx_parts(response.content)
    assert "Nguyễn Thị Lân" in body + "".join(c for t in _tables for r in t for c in r)


def test_a_deputy_signs_an_amendment_of_the_chairman_s_decision(issued, personas):
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    deputy = personas.binh.__class__.objects.get(username="hoidong.pho")
    from thidua.orgs.models import Membership

    Membership.objects.create(user=deputy, organisation=issued.issuer, role="chairman",
                              valid_from=date(2021, 1, 1))
    amendment = actions.draft_amendment(
        issued, corrections={lan: {"name": "Nguyễn Thị Lân"}}, number=1300,
        issued_on=date(2021, 12, 28), signer=deputy, signer_capacity=Decision.Capacity.DEPUTY,
        legal_grounds="x", by=personas.mai)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_pdf("amendment", amendment))).pages).split())
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lương Văn Hải" in text


def test_a_reissued_certificate_names_the_award_s_own_decision(issued, personas):
    from thidua.decisions.printing import certificate_texts

    lan = issued.awards.get(name="Nguyễn Thị Lan")
    first = actions.issue_decision(amend(issued, personas.mai, {lan: {"name": "Nguyễn Thị Lân"}}),
                                   by=personas.binh)
    again = actions.issue_decision(actions.draft_amendment(
        first, corrections={first.awards.get(): {"name": "Nguyễn Thị Lấn"}}, number=1301,
        issued_on=date(2021, 12, 29), signer=personas.binh, legal_grounds="x",
        by=personas.mai), by=personas.binh)
    [text] = certificate_texts(again, list(again.awards.all()), base_url="https://x/")
    assert text.decision.startswith("Quyết định số 1234/QĐ-UBND ngày 20/12/2021, sửa đổi theo "
                                    "Quyết định số 1301/QĐ-UBND")


def test_the_original_no_longer_prints_a_replaced_certificate(issued, personas, client_for):
    lan = issued.awards.get(name="Nguyễn Thị Lan")
    amendment = amend(issued, personas.mai, {lan: {"name": "Nguyễn Thị Lân"}})
    assert issued.printable_awards().count() == 2  # a draft correction replaces nothing yet
    actions.issue_decision(amendment, by=personas.binh)
    assert [a.name for a in issued.printable_awards()] == ["Hoàng Văn Nam"]
    page = client_for(personas.mai).get(f"/quyet-dinh/{issued.pk}/").content.decode()
    assert "In toàn bộ 1 giấy khen" in page
    old = client_for(None).get(f"/xac-minh/{lan.serial}/").content.decode()
    assert "đã được thay thế" in old and "alert-success" not in old
