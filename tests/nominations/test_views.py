"""The dossier pages as each persona sees them, including what they must not see."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pipeline import complete, pdf, person, sheet_with
from thidua.nominations import actions
from thidua.nominations.models import AttachmentVersion, Dossier, Nominee, RejectedSheet

pytestmark = pytest.mark.django_db


def html(response):
    return response.content.decode()


def test_officer_creates_a_dossier_through_the_form(personas, client_for, movement,
                                                    city_certificate):
    client = client_for(personas.hanh)
    page = client.get(f"/ho-so/phong-trao/{movement.slug}/tao-moi/")
    assert "Lập hồ sơ đề nghị" in html(page)
    response = client.post(f"/ho-so/phong-trao/{movement.slug}/tao-moi/", {
        "organisation": personas.hanh.organisations_with_role("unit_officer")[0].pk,
        "award_form": city_certificate.pk, "procedure": "normal",
        "unit_meeting_date": "2021-11-15", "unit_meeting_result": "Nhất trí",
    }, follow=True)
    dossier = Dossier.objects.get()
    assert response.redirect_chain[-1][0] == f"/ho-so/{dossier.pk}/"
    assert "Đã tạo hồ sơ" in html(response)
    assert "Chưa thể trình hồ sơ" in html(response)


def test_future_meeting_date_is_refused_in_vietnamese(personas, client_for, movement,
                                                      city_certificate):
    response = client_for(personas.hanh).post(f"/ho-so/phong-trao/{movement.slug}/tao-moi/", {
        "organisation": personas.hanh.organisations_with_role("unit_officer")[0].pk,
        "award_form": city_certificate.pk, "procedure": "normal",
        "unit_meeting_date": "2099-01-01"})
    assert "không thể ở tương lai" in html(response)
    assert not Dossier.objects.exists()


def test_detail_page_shows_list_checklist_and_what_is_missing(draft, personas, client_for):
    page = html(client_for(personas.hanh).get(f"/ho-so/{draft.pk}/"))
    assert "Nguyễn Thị Lan" in page and "Trực chốt kiểm soát dịch" in page
    assert "Thiếu: Tờ trình của đơn vị" in page
    assert 'data-testid="checklist"' in page
    assert "Trình hồ sơ tới" not in page  # the officer prepares; the head submits


def test_unit_head_sees_the_submit_button_once_complete(draft, personas, client_for):
    complete(draft, personas.hanh)
    page = html(client_for(personas.tam).get(f"/ho-so/{draft.pk}/"))
    assert "Trình hồ sơ tới" in page and "disabled" not in page.split("Trình hồ sơ tới")[0][-200:]


@pytest.mark.parametrize("name", ["thu", "lan", "mai", "khanh", "stranger"])
def test_others_get_404_for_a_draft_and_its_files(draft, personas, client_for, name):
    version = actions.attach_document(draft, document_type="unit_minutes",
                                      uploaded_file=pdf(), by=personas.hanh)
    client = client_for(getattr(personas, name))
    assert client.get(f"/ho-so/{draft.pk}/").status_code == 404
    assert client.get(f"/ho-so/{draft.pk}/tep/{version.pk}/").status_code == 404
    assert client.get(f"/ho-so/{draft.pk}/danh-sach.xlsx").status_code == 404
    assert client.post(f"/ho-so/{draft.pk}/trinh/").status_code == 404


def test_receiving_office_does_not_see_drafts_but_sees_submitted(draft, personas, client_for):
    client = client_for(personas.dung)
    assert client.get(f"/ho-so/{draft.pk}/").status_code == 404
    complete(draft, personas.hanh)
    actions.submit_dossier(draft, by=personas.tam)
    page = html(client.get(f"/ho-so/{draft.pk}/"))
    assert "Tiếp nhận hồ sơ" in page and "Trả lại để bổ sung" in page


def test_a_file_from_another_dossier_id_is_404(draft, personas, client_for, movement,
                                               city_certificate):
    version = actions.attach_document(draft, document_type="unit_minutes",
                                      uploaded_file=pdf(), by=personas.hanh)
    other = actions.create_dossier(movement=movement, organisation=draft.organisation,
                                   award_form=city_certificate, by=personas.hanh)
    assert client_for(personas.hanh).get(f"/ho-so/{other.pk}/tep/{version.pk}/").status_code == 404


def test_files_are_downloaded_never_shown_inline(draft, personas, client_for):
    version = actions.attach_document(draft, document_type="unit_minutes",
                                      uploaded_file=pdf("Biên bản.pdf"), by=personas.hanh)
    response = client_for(personas.hanh).get(f"/ho-so/{draft.pk}/tep/{version.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_uploading_through_the_page(draft, personas, client_for):
    client = client_for(personas.hanh)
    nominee = draft.nominees.get()
    response = client.post(f"/ho-so/{draft.pk}/tai-lieu/", {
        "document_type": "achievement_report", "nominee": nominee.pk, "original": "1",
        "file": pdf("bao-cao-lan.pdf")}, follow=True)
    assert "Đã tải lên tài liệu" in html(response)
    assert AttachmentVersion.objects.get().attachment.nominee == nominee


def test_a_renamed_executable_gets_a_clear_message(draft, personas, client_for):
    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/tai-lieu/", {
        "document_type": "unit_minutes", "original": "1",
        "file": SimpleUploadedFile("bien-ban.pdf", b"MZ" + b"\x00" * 100)}, follow=True)
    assert "không phải PDF thật" in html(response)
    assert not AttachmentVersion.objects.exists()


def test_report_without_a_nominee_is_refused_by_the_form(draft, personas, client_for):
    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/tai-lieu/", {
        "document_type": "achievement_report", "original": "1", "file": pdf()}, follow=True)
    assert "phải gắn với một người hoặc tập thể" in html(response)


def test_excel_import_adds_every_row(draft, personas, client_for):
    upload = sheet_with([("Hoàng Văn Nam", 1980, "male"), ("Lục Thị Hoa", 1990, "female")])
    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/nhap-excel/", {"file": upload},
                                              follow=True)
    assert "Đã nhập 2 dòng" in html(response)
    assert list(draft.nominees.values_list("full_name", "gender")) == [
        ("Nguyễn Thị Lan", "female"), ("Hoàng Văn Nam", "male"), ("Lục Thị Hoa", "female")]


def test_excel_with_errors_imports_nothing_and_returns_the_sheet_marked(draft, personas,
                                                                         client_for):
    client = client_for(personas.hanh)
    upload = sheet_with([("Hoàng Văn Nam", 1980, "male"), ("", 1990, "female"),
                         ("Lục Thị Hoa", 2030, "female")])
    page = html(client.post(f"/ho-so/{draft.pk}/nhap-excel/", {"file": upload}))
    assert "chưa nhập dòng nào" in page
    assert draft.nominees.count() == 1
    errors = client.get(f"/ho-so/{draft.pk}/nhap-excel/loi.xlsx")
    assert errors["Content-Disposition"].startswith("attachment")
    ws = openpyxl.load_workbook(io.BytesIO(errors.content)).worksheets[0]
    header = [c.value for c in next(ws.iter_rows(min_row=4, max_row=4))]
    error_col = header.index("Lỗi") + 1
    messages = [ws.cell(r, error_col).value for r in range(1, ws.max_row + 1)]
    assert sum(1 for m in messages if m) >= 2


def test_a_file_that_is_not_excel_gets_a_clear_message(draft, personas, client_for):
    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/nhap-excel/", {
        "file": SimpleUploadedFile("danh-sach.xlsx", b"not an excel file")})
    page = html(response)
    assert "Excel" in page and ("Không đọc được" in page or "không phải" in page)
    assert draft.nominees.count() == 1


def test_export_escapes_formulas(draft, personas, client_for):
    # Stored before names starting like a formula were refused: every writer still escapes it.
    draft.nominees.update(full_name="=HYPERLINK(\"http://x\")")
    response = client_for(personas.hanh).get(f"/ho-so/{draft.pk}/danh-sach.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(v.startswith("'=HYPERLINK") for v in values)
    assert not any(v.startswith("=HYPERLINK") for v in values)


def test_office_marks_items_with_htmx_and_returns(submitted, personas, client_for):
    client = client_for(personas.dung)
    response = client.post(f"/ho-so/{submitted.pk}/kiem-tra/danh-dau/",
                           {"item_key": "unit_minutes", "ok": "0", "note": "Thiếu chữ ký"},
                           HTTP_HX_REQUEST="true")
    fragment = html(response)
    assert fragment.lstrip().startswith('<section class="mb-4" id="checklist"')
    assert "Thiếu chữ ký" in fragment and "<html" not in fragment
    accept = client.post(f"/ho-so/{submitted.pk}/kiem-tra/tiep-nhan/", follow=True)
    assert "Còn mục được đánh dấu chưa đạt" in html(accept)
    client.post(f"/ho-so/{submitted.pk}/kiem-tra/tra-lai/", {"other": "Bổ sung ảnh"})
    submitted.refresh_from_db()
    assert submitted.state == Dossier.State.RETURNED
    assert sorted(submitted.deficiencies.values_list("message", flat=True)) == [
        "Bổ sung ảnh", "Thiếu chữ ký"]
    unit_page = html(client_for(personas.hanh).get(f"/ho-so/{submitted.pk}/"))
    assert "Thiếu chữ ký" in unit_page and "Biên bản họp xét của đơn vị" in unit_page


def test_diff_between_submissions(submitted, personas, client_for):
    actions.return_dossier(submitted, deficiencies=[("", "Danh sách", "Sai năm sinh")],
                           by=personas.dung)
    dossier = Dossier.objects.get(pk=submitted.pk)
    actions.update_nominee(dossier.nominees.get(), person(year=1986), by=personas.hanh)
    actions.add_nominee(dossier, person(name="Hà Văn Bắc", year=1970, gender="male"),
                        by=personas.hanh)
    actions.attach_document(Dossier.objects.get(pk=dossier.pk), document_type="achievement_report",
                            nominee=Nominee.objects.get(full_name="Hà Văn Bắc"),
                            uploaded_file=pdf("bc-bac.pdf"), by=personas.hanh)
    actions.submit_dossier(Dossier.objects.get(pk=dossier.pk), by=personas.tam)
    page = html(client_for(personas.dung).get(f"/ho-so/{dossier.pk}/so-sanh/2/"))
    diff = page[page.index('data-testid="diff"'):]
    assert "Hà Văn Bắc" in diff and "1985" in diff and "1986" in diff and "bc-bac.pdf" in diff
    assert client_for(personas.dung).get(f"/ho-so/{dossier.pk}/so-sanh/9/").status_code == 404


def test_queue_is_sorted_by_deadline_and_shows_time_left(submitted, personas, client_for):
    page = html(client_for(personas.dung).get("/ho-so/tiep-nhan/"))
    queue = page[page.index('data-testid="queue"'):]
    assert f"#{submitted.pk}" in queue and "ngày làm việc" in queue
    assert client_for(personas.hanh).get("/ho-so/tiep-nhan/").status_code == 404


def test_register_finds_people_without_diacritics(personas, client_for, submitted):
    from datetime import date

    from thidua.nominations.excel import PastAwardRow

    actions.import_award_register([PastAwardRow(
        full_name="Đỗ Đức Đạt", birth_year=1979, unit_name="Công an thành phố",
        award_name="Giấy khen", decision_number="1234/QĐ-UBND", decision_date=date(2020, 12, 1),
        issuer_name="UBND thành phố Bắc Kạn", note="", row_number=2)], by=personas.mai)
    page = html(client_for(personas.hanh).get("/so-khen-thuong/", {"q": "do duc dat"}))
    results = page[page.index('data-testid="register-results"'):]
    assert "Đỗ Đức Đạt" in results and "1234/QĐ-UBND" in results
    lan = html(client_for(personas.hanh).get("/so-khen-thuong/", {"q": "nguyen thi lan"}))
    assert "Nguyễn Thị Lan" in lan and "Đề nghị:" in lan
    assert client_for(personas.stranger).get("/so-khen-thuong/").status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dossier_page_and_queue_run_a_constant_number_of_queries(submitted, personas,
                                                                 client_for):
    """1 nominee, then 50: the same number of queries on the dossier page and the queue."""
    office = client_for(personas.dung)
    url = f"/ho-so/{submitted.pk}/"
    one = (_queries(office, url), _queries(office, "/ho-so/tiep-nhan/"))
    actions.return_dossier(submitted, deficiencies=[("", "x", "thêm người")], by=personas.dung)
    dossier = Dossier.objects.get(pk=submitted.pk)
    actions.import_nominees(dossier, [person(name=f"Người số {i}", year=1960 + i % 40)
                                      for i in range(49)], by=personas.hanh)
    dossier = complete(Dossier.objects.get(pk=dossier.pk), personas.hanh)
    actions.submit_dossier(dossier, by=personas.tam)
    assert dossier.nominees.count() == 50
    fifty = (_queries(office, url), _queries(office, "/ho-so/tiep-nhan/"))
    assert fifty[1] == one[1]
    # The dossier page gains the deficiency list of round 1 (already one query), nothing per row.
    assert fifty[0] == one[0]


def test_the_same_list_uploaded_twice_is_imported_once(draft, personas, client_for):
    client = client_for(personas.hanh)
    content = sheet_with([("Hoàng Văn Nam", 1980, "male")]).read()
    client.post(f"/ho-so/{draft.pk}/nhap-excel/",
                {"file": SimpleUploadedFile("ds.xlsx", content)})
    again = html(client.post(f"/ho-so/{draft.pk}/nhap-excel/",
                             {"file": SimpleUploadedFile("ds.xlsx", content)}, follow=True))
    assert "đã được nhập vào hồ sơ" in again
    assert draft.nominees.count() == 2


def test_a_zip_bomb_dressed_as_a_list_is_refused_before_openpyxl(draft, personas, client_for):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", "0" * (20 * 1024 * 1024))
    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/nhap-excel/", {
        "file": SimpleUploadedFile("danh-sach.xlsx", buf.getvalue())})
    assert "nén quá mức" in html(response) or "bất thường" in html(response)
    assert draft.nominees.count() == 1


def test_error_sheet_after_an_unreadable_file_does_not_crash(draft, personas, client_for):
    client = client_for(personas.hanh)
    client.post(f"/ho-so/{draft.pk}/nhap-excel/",
                {"file": SimpleUploadedFile("ds.xlsx", b"PK\x03\x04 broken")})
    # An unreadable file leaves no sheet to send back: nothing is stored, the link answers 404.
    assert client.get(f"/ho-so/{draft.pk}/nhap-excel/loi.xlsx").status_code == 404
    assert not RejectedSheet.objects.filter(dossier=draft).exists()


@pytest.mark.parametrize("field, url", [("subject", "nguoi/{n}/lien-ket/"),
                                        ("replace", "tai-lieu/")])
def test_malformed_ids_in_posts_answer_404(draft, personas, client_for, field, url):
    nominee = draft.nominees.get()
    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/" + url.format(n=nominee.pk),
                                              {field: "abc", "file": pdf()})
    assert response.status_code == 404


def test_register_does_not_show_other_units_drafts(draft, personas, client_for):
    page = html(client_for(personas.thu).get("/so-khen-thuong/", {"q": "nguyen thi lan"}))
    assert "Đề nghị:" not in page and "Nguyễn Thị Lan" not in page
    own = html(client_for(personas.hanh).get("/so-khen-thuong/", {"q": "nguyen thi lan"}))
    assert "Đề nghị:" in own and "Đang soạn" in own


def test_an_oversized_upload_is_stopped_while_streaming(draft, personas, client_for, settings):
    settings.THIDUA_MAX_UPLOAD_BYTES = 4 * 1024 * 1024
    big = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))
    response = client_for(personas.hanh).post(f"/ho-so/{draft.pk}/tai-lieu/", {
        "document_type": "unit_minutes", "original": "1", "file": big}, follow=True)
    assert "quá lớn" in html(response)
    assert not AttachmentVersion.objects.exists()


def test_the_checklist_alone_is_served_to_htmx_with_phan(submitted, personas, client_for):
    client = client_for(personas.dung)
    part = html(client.get(f"/ho-so/{submitted.pk}/", {"phan": "checklist"},
                           HTTP_HX_REQUEST="true"))
    assert part.lstrip().startswith('<section class="mb-4" id="checklist"') and "<html" not in part
    whole = html(client.get(f"/ho-so/{submitted.pk}/", {"part": "checklist"},
                            HTTP_HX_REQUEST="true"))
    assert "<html" in whole


def test_a_refused_action_is_a_message_on_the_page_never_a_500(submitted, personas, client_for):
    """Confirming a look-alike on a dossier already sent: the action refuses, the page says so."""
    nominee = submitted.nominees.get()
    response = client_for(personas.hanh).post(
        f"/ho-so/{submitted.pk}/nguoi/{nominee.pk}/khong-trung/", follow=True)
    assert response.status_code == 200 and "không thể sửa" in html(response)
    assert not Nominee.objects.get(pk=nominee.pk).duplicate_confirmed


def test_a_movement_out_of_sight_is_404_for_its_template_and_new_dossiers(personas, client_for,
                                                                          movement):
    movement.status = "draft"
    movement.save(update_fields=["status"])
    client = client_for(personas.hanh)
    assert client.get(f"/ho-so/phong-trao/{movement.slug}/mau-danh-sach.xlsx").status_code == 404
    assert client.get(f"/ho-so/phong-trao/{movement.slug}/tao-moi/").status_code == 404
    assert client.get("/ho-so/phong-trao/khong-co/tao-moi/").status_code == 404


def test_a_wards_own_list_shows_its_decisions_and_the_button_to_draft_one(personas, client_for,
                                                                          movement):
    from datetime import date

    from thidua.decisions import actions as decision_actions
    from thidua.rulesets.models import AwardForm

    ward_form = AwardForm.objects.get(rule_set=movement.rule_set, code="giay-khen-chu-tich-ubnd-xa")
    dossier = actions.create_dossier(
        movement=movement, organisation=personas.hanh.organisations_with_role("unit_officer")[0],
        award_form=ward_form, unit_meeting_date=date(2021, 11, 15), by=personas.hanh)
    actions.add_nominee(dossier, person(), by=personas.hanh)
    actions.add_nominee(dossier, person(name="Hà Văn Bắc", year=1970, gender="male"),
                        by=personas.hanh)
    url = f"/ho-so/{dossier.pk}/"
    box = html(client_for(personas.hanh).get(url)).split('data-testid="unit-decision-box"')[1]
    box = box.split("</section>")[0]
    assert "Lập quyết định khen thưởng của đơn vị" in box and "Quyết định số" not in box
    decision_actions.draft_unit_decision(
        dossier, nominees=[dossier.nominees.get(full_name="Hà Văn Bắc")], number=15,
        issued_on=date(2021, 12, 10), signer=personas.tam,
        legal_grounds="Căn cứ Luật Thi đua, Khen thưởng;", by=personas.hanh)
    box = html(client_for(personas.hanh).get(url)).split('data-testid="unit-decision-box"')[1]
    box = box.split("</section>")[0]
    assert "Quyết định số 15/QĐ-UBND" in box and "Dự thảo" in box
    assert "Lập quyết định khen thưởng của đơn vị" in box  # Nguyễn Thị Lan is still waiting
