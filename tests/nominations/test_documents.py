"""The unit's Tờ trình with its list and the notice returning a dossier, as DOCX and PDF."""

import io
import json
import unicodedata
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from docx import Document

from tests.pipeline import complete, pdf, person
from tests.reading import NFD, TEAM, TEAM_DEED, all_text, docx_parts, pdf_text
from thidua.documents.models import DocumentTemplate, SignedCopy
from thidua.documents.render import check_template, render_kind_docx, render_pdf
from thidua.nominations import actions
from thidua.nominations.choices import NomineeRow
from thidua.nominations.models import Dossier, Nominee
from thidua.orgs.models import Organisation

pytestmark = pytest.mark.django_db

@pytest.fixture
def listed(draft, personas):
    """Sông Cầu's draft: Nguyễn Thị Lan, a team stored with decomposed (NFD) letters and markup
    characters in its name, and Hoàng Văn Nam — in that order."""
    actions.add_nominee(draft, NomineeRow(
        kind="collective", full_name=TEAM, collective_kind="public_body",
        unit_name="Trạm Y tế phường Sông Cầu", achievement_summary=TEAM_DEED), by=personas.hanh)
    actions.add_nominee(draft, person(name="Hoàng Văn Nam", year=1979, gender="male"),
                        by=personas.hanh)
    # Old lists typed on some phones arrive decomposed; the document must still print them whole.
    Nominee.objects.filter(dossier=draft, full_name=TEAM).update(full_name=NFD)
    return Dossier.objects.get(pk=draft.pk)


def test_unit_proposal_docx_has_the_heading_the_proposal_and_the_list_in_order(listed):
    body, tables = docx_parts(render_kind_docx("unit_proposal", listed))
    heading = "\n".join(tables[0][0])
    assert "ỦY BAN NHÂN DÂN\nPHƯỜNG SÔNG CẦU" in heading
    assert "Số: ……/TTr-UBND" in heading  # the number is the clerical office's to give
    assert "Sông Cầu, ngày …… tháng …… năm ……" in heading  # a draft is dated when signed
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading
    assert "TỜ TRÌNH" in body and "Về việc đề nghị tặng Giấy khen của Chủ tịch UBND thành phố" in body
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân thành phố Bắc Kạn." in body
    assert ("Căn cứ Kế hoạch số 23/KH-UBND ngày 26/10/2021 của Ủy ban nhân dân thành phố Bắc Kạn "
            "phát động phong trào thi đua đặc biệt") in body
    assert "Căn cứ kết quả họp xét khen thưởng ngày 15/11/2021" in body
    assert "cho 1 tập thể và 2 cá nhân (có danh sách kèm theo)" in body
    signer = [line for line in tables[1][0][1].splitlines() if line.strip()]
    assert signer == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Văn Tâm"]
    rows = tables[-1]
    assert rows[0] == ["STT", "Họ và tên / Tên tập thể", "Chức vụ, đơn vị công tác",
                       "Tóm tắt thành tích"]
    assert [r[:2] for r in rows[1:]] == [["1", "Nguyễn Thị Lan"], ["2", TEAM],
                                          ["3", "Hoàng Văn Nam"]]
    assert unicodedata.is_normalized("NFC", rows[2][1])
    assert rows[1][2] == "Y sĩ – Trạm Y tế phường Sông Cầu"
    assert rows[2][3] == TEAM_DEED


def test_unit_proposal_pdf_reads_back_with_every_name_whole(listed):
    text = pdf_text(render_pdf("unit_proposal", listed))
    for expected in ["ỦY BAN NHÂN DÂN", "PHƯỜNG SÔNG CẦU", "Số: ……/TTr-UBND", "TỜ TRÌNH",
                     "Độc lập - Tự do - Hạnh phúc", "Kính gửi: Chủ tịch Ủy ban nhân dân thành phố",
                     "1 tập thể và 2 cá nhân", "DANH SÁCH", TEAM, TEAM_DEED, "Hoàng Văn Tâm"]:
        assert expected in text, expected
    assert text.index("Nguyễn Thị Lan") < text.index(TEAM) < text.index("Hoàng Văn Nam")


def test_a_sent_proposal_is_dated_the_day_it_was_submitted(submitted):
    from django.utils import timezone

    day = timezone.localdate(submitted.submitted_at)
    _body, tables = docx_parts(render_kind_docx("unit_proposal", submitted))
    assert f"Sông Cầu, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}" in tables[0][0][1]


def test_without_a_known_unit_head_the_name_line_is_left_to_fill(personas, movement,
                                                                 city_certificate):
    """Phùng Chí Kiên ward has an officer but no head account: the block keeps the title only."""
    from tests.factories import member
    from thidua.orgs.models import Role

    ward = Organisation.objects.get(code="phuong-phung-chi-kien")
    officer = member(ward, Role.UNIT_OFFICER)
    dossier = actions.create_dossier(movement=movement, organisation=ward,
                                     award_form=city_certificate, by=officer)
    actions.add_nominee(dossier, person(name="Bế Thị Mơ", unit="Phường Phùng Chí Kiên"),
                        by=officer)
    _body, tables = docx_parts(render_kind_docx("unit_proposal", dossier))
    signer = [line for line in tables[1][0][1].splitlines() if line.strip()]
    assert signer == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert "Phùng Chí Kiên, ngày" in tables[0][0][1]


def test_who_may_download_the_unit_proposal(listed, personas, client_for):
    url = f"/van-ban/unit_proposal/{listed.pk}"
    docx = client_for(personas.hanh).get(f"{url}.docx")
    assert docx["Content-Disposition"] == f'attachment; filename="to-trinh-ho-so-{listed.pk}.docx"'
    assert TEAM in all_text(docx.content)
    assert "Hoàng Văn Nam" in pdf_text(client_for(personas.tam).get(f"{url}.pdf").content)
    for outsider in [personas.thu, personas.stranger]:  # another ward's officer, nobody
        assert client_for(outsider).get(f"{url}.docx").status_code == 404
        assert client_for(outsider).get(f"{url}.pdf").status_code == 404
    # a draft is the unit's own: the city office sees it only once it is sent
    assert client_for(personas.dung).get(f"{url}.pdf").status_code == 404


def test_the_signed_proposal_is_filed_as_the_dossier_attachment_not_a_second_record(
        listed, personas, client_for):
    client = client_for(personas.hanh)
    page = client.get(f"/ho-so/{listed.pk}/").content.decode()
    panel = page[page.index('data-testid="document-unit_proposal"'):]
    panel = panel[:panel.index("</section>")]
    assert "/van-ban/unit_proposal/" in panel and 'type="file"' not in panel
    assert "loại “Tờ trình của đơn vị”" in page
    client.post(f"/van-ban/unit_proposal/{listed.pk}/ban-da-ky/", {"file": pdf("tt-ky.pdf")})
    assert not SignedCopy.objects.exists()


def test_a_replacement_template_of_the_unit_is_used_and_must_keep_the_fields(listed):
    thin = Document()
    thin.add_paragraph("Tờ trình của {{ unit_name }} gửi {{ recipient }}")
    buf = io.BytesIO()
    thin.save(buf)
    with pytest.raises(ValidationError, match="award_form, counts, nominees, signer_name"):
        check_template(buf.getvalue(), "unit_proposal")

    own = Document()
    own.add_paragraph("MẪU RIÊNG {{ unit_name }} — {{ recipient }} — {{ award_form }} — {{ counts }}"
                      " — {{ signer_name }}")
    own.add_paragraph("{% for n in nominees %}{{ n.order }}. {{ n.name }}; {% endfor %}")
    buf = io.BytesIO()
    own.save(buf)
    check_template(buf.getvalue(), "unit_proposal")
    DocumentTemplate.objects.create(kind="unit_proposal", organisation=listed.organisation,
                                    file=ContentFile(buf.getvalue(), name="mau.docx"))
    body, _tables = docx_parts(render_kind_docx("unit_proposal", listed))
    assert body.startswith("MẪU RIÊNG Ủy ban nhân dân phường Sông Cầu")
    assert f"1. Nguyễn Thị Lan; 2. {TEAM}; 3. Hoàng Văn Nam;" in body


def test_the_default_templates_carry_their_required_fields():
    from thidua.documents.render import DEFAULT_TEMPLATES

    for key in ["unit_proposal", "return_notice"]:
        check_template((DEFAULT_TEMPLATES / f"{key}.docx").read_bytes(), key)


def test_the_dossier_package_holds_the_generated_proposal(listed, personas, client_for):
    complete(listed, personas.hanh)
    response = client_for(personas.hanh).get(f"/ho-so/{listed.pk}/ho-so.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    entry = next(f for f in manifest["files"] if f["kind"] == "unit_proposal_pdf")
    assert entry["path"] == "to-trinh-don-vi.pdf" and "chưa ký" in entry["description"]
    text = pdf_text(archive.read(entry["path"]))
    assert "TỜ TRÌNH" in text and TEAM in text
    # the signed paper is the unit's attachment, packed next to it
    assert any(f["kind"] == "unit_submission" for f in manifest["files"])


# --- the return notice ----------------------------------------------------------------------

def returned(submitted, personas):
    return actions.return_dossier(submitted, deficiencies=[
        ("", "Tờ trình của đơn vị", 'Thiếu chữ ký & dấu "đỏ" <bản chính>'),
        ("", "Báo cáo thành tích — Nguyễn Thị Lan", "Chưa có xác nhận của thủ trưởng"),
    ], other="Bổ sung biên bản họp xét", by=personas.dung)


def test_return_notice_lists_the_deficiencies_of_the_latest_return(submitted, personas):
    first = returned(submitted, personas)
    dossier = actions.submit_dossier(complete(first, personas.hanh), by=personas.tam)
    dossier = actions.return_dossier(dossier, deficiencies=[
        ("", "Danh sách", unicodedata.normalize("NFD", "Sửa năm sinh của Nguyễn Thị Lan"))],
        by=personas.dung)
    body, tables = docx_parts(render_kind_docx("return_notice", dossier))
    heading = "\n".join(tables[0][0])
    assert "UBND THÀNH PHỐ BẮC KẠN\nVĂN PHÒNG HĐND VÀ UBND THÀNH PHỐ" in heading
    assert "Số: ……/TB-VP" in heading and "TP. Bắc Kạn, ngày" in heading
    assert "THÔNG BÁO" in body and "Kính gửi: Ủy ban nhân dân phường Sông Cầu." in body
    assert f"(hồ sơ số {dossier.pk}, trình lần thứ 2)" in body
    assert "1. Danh sách: Sửa năm sinh của Nguyễn Thị Lan" in body
    assert "Thiếu chữ ký" not in body  # round 1's list was answered by the resubmission
    assert "CHÁNH VĂN PHÒNG" in tables[1][0][1]


def test_return_notice_pdf_and_docx_keep_markup_characters(submitted, personas):
    dossier = returned(submitted, personas)
    body, _tables = docx_parts(render_kind_docx("return_notice", dossier))
    lines = [line for line in body.splitlines() if line[:2] in {"1.", "2.", "3."}]
    assert lines == ['1. Tờ trình của đơn vị: Thiếu chữ ký & dấu "đỏ" <bản chính>',
                     "2. Báo cáo thành tích — Nguyễn Thị Lan: Chưa có xác nhận của thủ trưởng",
                     "3. Nội dung khác: Bổ sung biên bản họp xét"]
    assert "hồ sơ đề nghị tặng Giấy khen của Chủ tịch UBND thành phố cho 1 cá nhân" in body
    text = pdf_text(render_pdf("return_notice", dossier))
    for expected in ["THÔNG BÁO", "VĂN PHÒNG HĐND VÀ", 'Thiếu chữ ký & dấu "đỏ" <bản chính>',
                     "trình lần thứ 1", "Kính gửi: Ủy ban nhân dân phường Sông Cầu."]:
        assert expected in text, expected


def test_return_notice_is_refused_for_a_dossier_never_returned(submitted, personas, client_for):
    for user in [personas.dung, personas.hanh]:
        for fmt in ["docx", "pdf"]:
            assert client_for(user).get(f"/van-ban/return_notice/{submitted.pk}.{fmt}") \
                .status_code == 404
    page = client_for(personas.dung).get(f"/ho-so/{submitted.pk}/").content.decode()
    assert 'data-testid="document-return_notice"' not in page


def test_who_may_download_and_file_the_return_notice(submitted, personas, client_for):
    dossier = returned(submitted, personas)
    url = f"/van-ban/return_notice/{dossier.pk}"
    assert "Bổ sung biên bản họp xét" in all_text(client_for(personas.hanh).get(f"{url}.docx").content)
    assert "THÔNG BÁO" in pdf_text(client_for(personas.dung).get(f"{url}.pdf").content)
    assert client_for(personas.thu).get(f"{url}.pdf").status_code == 404
    assert client_for(personas.stranger).get(f"{url}.docx").status_code == 404

    unit_page = client_for(personas.hanh).get(f"/ho-so/{dossier.pk}/").content.decode()
    assert 'data-testid="document-return_notice"' in unit_page
    # the unit reads the notice; the office that wrote it files the signed paper
    client_for(personas.hanh).post(f"{url}/ban-da-ky/", {"file": pdf("tb.pdf")})
    assert not SignedCopy.objects.exists()
    response = client_for(personas.dung).post(f"{url}/ban-da-ky/", {"file": pdf("tb-ky.pdf")})
    assert response["Location"] == f"/ho-so/{dossier.pk}/"
    assert SignedCopy.current("return_notice", dossier).original_name == "tb-ky.pdf"
