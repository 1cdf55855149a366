"""Unit plans, progress reports per period, and the review rounds' conclusions."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.test_uploads import make_pdf
from tests.movements.conftest import org
from thidua.core.models import Activity, Notice
from thidua.movements import actions
from thidua.movements.models import Evidence, ProgressReport, ReportPeriod, UnitPlan

pytestmark = pytest.mark.django_db


def pdf(name="ke-hoach.pdf"):
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def test_a_unit_files_its_plan_as_a_document_or_composed_text(wards, personas, client_for):
    url = f"/phong-trao/{wards.slug}/ke-hoach-don-vi/"
    page = client_for(personas.hanh).get(url).content.decode()
    assert "Thực hiện Kế hoạch số 41/KH-UBND" in page  # the template, filled from the plan
    assert "Tỷ lệ hộ phân loại rác" in page
    plan = actions.file_unit_plan(wards, org("phuong-song-cau"), by=personas.hanh,
                                  number="12/KH-UBND", uploaded_file=pdf())
    assert plan.file and plan.file_name == "ke-hoach.pdf" and len(plan.file_sha256) == 64
    actions.file_unit_plan(wards, org("phuong-duc-xuan"), by=personas.thu,
                           text="KẾ HOẠCH\nTriển khai  phong trào")
    assert UnitPlan.objects.get(organisation__code="phuong-duc-xuan").text == \
        "KẾ HOẠCH\nTriển khai phong trào"
    download = client_for(personas.dung).get(
        f"/phong-trao/{wards.slug}/tep/ke-hoach/{plan.pk}/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert client_for(personas.thu).get(
        f"/phong-trao/{wards.slug}/tep/ke-hoach/{plan.pk}/").status_code == 404
    assert Activity.objects.filter(verb="unit_plan.filed").count() == 2


def test_a_plan_needs_a_document_or_text_and_a_file_is_checked_by_content(wards, personas):
    with pytest.raises(ValidationError, match="Hãy tải lên"):
        actions.file_unit_plan(wards, org("phuong-song-cau"), by=personas.hanh)
    fake = SimpleUploadedFile("ke-hoach.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError):
        actions.file_unit_plan(wards, org("phuong-song-cau"), by=personas.hanh,
                               uploaded_file=fake)
    with pytest.raises(PermissionDenied):
        actions.file_unit_plan(wards, org("phuong-song-cau"), by=personas.thu, text="Kế hoạch")
    assert not UnitPlan.objects.exists()


def test_reports_per_period_accepted_or_returned(wards, personas, client_for):
    period = wards.report_periods.get()
    first = wards.criteria.first()
    report = actions.save_report(period, org("phuong-song-cau"), by=personas.hanh, entries={
        first.pk: {"done": "Đã phân loại rác ở 8/10 tổ dân phố", "figure": "80,5", "note": ""}},
        summary="Tốt")
    assert report.entries.get().figure == Decimal("80.50")
    evidence = actions.add_evidence(report, by=personas.hanh, uploaded_file=pdf("anh.pdf"))
    assert Evidence.objects.get().sha256 == evidence.sha256
    with pytest.raises(PermissionDenied):
        actions.submit_report(report, by=personas.thu)
    sent = actions.submit_report(report, by=personas.hanh)
    assert sent.state == "submitted"
    with pytest.raises(ValidationError, match="đã gửi"):
        actions.add_evidence(sent, by=personas.hanh, uploaded_file=pdf("them.pdf"))
    with pytest.raises(PermissionDenied):
        actions.accept_report(sent, by=personas.khanh)
    returned = actions.return_report(sent, by=personas.dung, reason="Thiếu số liệu tiêu chí 2")
    assert returned.state == "returned"
    assert Notice.objects.filter(user=personas.hanh, text__contains="Thiếu số liệu").exists()
    again = actions.submit_report(returned, by=personas.tam)
    assert actions.accept_report(again, by=personas.mai).state == "accepted"
    html = client_for(personas.dung).get(f"/phong-trao/{wards.slug}/ky-bao-cao/{period.pk}/")
    text = html.content.decode()
    assert "Đã phân loại rác" in text and "anh.pdf" in text and text.count("Chưa gửi") == 2


def test_a_figure_that_is_not_a_number_is_refused(wards, personas):
    period = wards.report_periods.get()
    with pytest.raises(ValidationError, match="không phải là số"):
        actions.save_report(period, org("phuong-song-cau"), by=personas.hanh,
                            entries={wards.criteria.first().pk: {"figure": "tám mươi"}})
    assert not ProgressReport.objects.exists()


def test_an_empty_report_is_not_sent(wards, personas):
    report = actions.save_report(wards.report_periods.get(), org("phuong-song-cau"),
                                 by=personas.hanh, entries={})
    with pytest.raises(ValidationError, match="chưa có nội dung"):
        actions.submit_report(report, by=personas.hanh)


def test_report_page_for_the_unit(wards, personas, client_for):
    period = wards.report_periods.get()
    url = f"/phong-trao/{wards.slug}/bao-cao/{period.pk}/"
    first = wards.criteria.first()
    client = client_for(personas.hanh)
    assert client.post(url, {f"d-{first.pk}": "Đã làm", f"f-{first.pk}": "12"}).status_code == 302
    report = ProgressReport.objects.get()
    client.post(url, {"file": pdf("minh-chung.pdf")})
    assert report.evidence.count() == 1
    client.post(url, {"gui": "1", "trang_thai": "draft"})
    assert ProgressReport.objects.get().state == "submitted"
    thu = client_for(personas.thu)
    assert thu.get(url + "?don-vi=" + str(org("phuong-song-cau").pk)).status_code == 404
    own = thu.get(url).content.decode()
    assert "phường Đức Xuân" in own and "Đã làm" not in own
    assert client_for(personas.dung).get(url).status_code == 404


def test_a_review_round_records_its_conclusion(wards, personas, client_for):
    period = wards.report_periods.get()
    assert period.is_review_round
    done = actions.conclude_period(period, by=personas.mai,
                                   conclusion="Các phường thực hiện tốt; Đức Xuân cần cố gắng.")
    assert done.concluded_by == personas.mai and done.concluded_on
    with pytest.raises(PermissionDenied):
        actions.conclude_period(period, by=personas.dung, conclusion="Khác")
    monthly = actions.add_period(wards, by=personas.mai, kind=ReportPeriod.Kind.MONTHLY,
                                 title="Tháng 3", starts_on=period.starts_on,
                                 ends_on=period.starts_on, due_on=period.due_on)
    with pytest.raises(ValidationError, match="sơ kết, tổng kết"):
        actions.conclude_period(monthly, by=personas.mai, conclusion="x")
    page = client_for(personas.mai).get(f"/phong-trao/{wards.slug}/ky-bao-cao/{period.pk}/")
    assert "Đức Xuân cần cố gắng" in page.content.decode()


def test_periods_are_checked(wards, personas):
    period = wards.report_periods.get()
    with pytest.raises(ValidationError, match="hạn gửi không"):
        actions.add_period(wards, by=personas.mai, kind="monthly", title="Sai",
                           starts_on=period.due_on, ends_on=period.starts_on,
                           due_on=period.starts_on)
    with pytest.raises(ValidationError, match="Đã có kỳ"):
        actions.add_period(wards, by=personas.mai, kind="monthly", title=period.title,
                           starts_on=period.starts_on, ends_on=period.ends_on,
                           due_on=period.due_on)
