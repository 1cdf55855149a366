"""Proposals upward and a ward's own decision, clicked through: the city's secretariat sends the
Tờ trình to the province, records its return, supplements and resends it, then records the
province's decision; Sông Cầu ward decides its own Giấy khen."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.pipeline import pdf_bytes
from thidua.nominations.models import AwardRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_proposal_to_the_province_and_back(upward, live_server, browser, screenshot,
                                           tmp_path):
    mai = sign_in(browser, live_server, "noivu")
    mai.goto(f"{live_server.url}/quyet-dinh/")
    mai.get_by_role("link", name="Tờ trình đề nghị cấp trên").click()
    mai.get_by_role("link", name="Lập tờ trình").click()
    mai.get_by_label("Số tờ trình").fill("56")
    mai.get_by_label("Ngày ký").fill("2021-12-22")
    mai.get_by_label("Người ký").select_option(label="Ma Văn Bình")
    expect(mai.get_by_label("Kính gửi")).to_have_value("Chủ tịch Ủy ban nhân dân tỉnh Bắc Kạn")
    for box in mai.get_by_test_id("proposal-choices").get_by_role("checkbox").all():
        box.check()
    mai.get_by_role("button", name="Lập dự thảo").click()
    expect(mai.get_by_test_id("proposal-state")).to_have_text("Dự thảo")
    expect(mai.get_by_test_id("proposal-items")).to_contain_text("Nông Thị Thu Trang")

    mai.get_by_role("button", name="Ghi nhận đã gửi cấp trên").click()
    expect(mai.get_by_test_id("proposal-state")).to_have_text("Đã gửi cấp trên")
    mai.get_by_label("Nội dung cấp trên yêu cầu bổ sung").fill("Bổ sung xác nhận của cơ quan thuế")
    mai.get_by_role("button", name="Ghi nhận trả lại").click()
    expect(mai.get_by_test_id("return-reason")).to_contain_text("xác nhận của cơ quan thuế")

    scan = Path(tmp_path) / "xac-nhan-thue.pdf"
    scan.write_bytes(pdf_bytes("xac nhan"))
    mai.get_by_label("Tài liệu là gì").fill("Xác nhận của Chi cục Thuế")
    mai.get_by_label("Tệp (PDF, Word, Excel, ảnh)").set_input_files(str(scan))
    mai.get_by_role("button", name="Thêm").click()
    expect(mai.get_by_test_id("supplements")).to_contain_text("Xác nhận của Chi cục Thuế")
    mai.get_by_role("button", name="Gửi lại cấp trên").click()
    expect(mai.get_by_test_id("proposal-state")).to_have_text("Đã gửi cấp trên")

    box = mai.get_by_test_id("decision-box")
    box.get_by_label("Số quyết định").fill("2345/QĐ-UBND")
    box.get_by_label("Ngày quyết định").fill("2022-01-05")
    box.get_by_label("Người, cơ quan quyết định").fill("Chủ tịch UBND tỉnh Bắc Kạn")
    box.get_by_role("checkbox", name="Ma Văn Đức", exact=False).uncheck()
    box.get_by_role("button", name="Ghi nhận và vào sổ khen thưởng").click()
    expect(mai.get_by_test_id("proposal-state")).to_have_text("Cấp trên đã quyết định")
    expect(mai.get_by_test_id("higher-decision")).to_contain_text("2345/QĐ-UBND")
    screenshot(mai, "proposal-decided")
    assert list(AwardRecord.objects.values_list("nominee__full_name", "decision_number")) == [
        ("Nông Thị Thu Trang", "2345/QĐ-UBND")]


def test_a_ward_decides_its_own_certificates(ward_list, live_server, browser,
                                             screenshot):
    hanh = sign_in(browser, live_server, "canbo.songcau")
    hanh.goto(f"{live_server.url}/ho-so/{ward_list.pk}/")
    expect(hanh.get_by_test_id("unit-decision-box")).to_contain_text("thuộc thẩm quyền")
    hanh.get_by_role("link", name="Lập quyết định khen thưởng của đơn vị").click()
    hanh.get_by_label("Số quyết định").fill("15")
    hanh.get_by_label("Ngày ký").fill("2021-12-10")
    hanh.get_by_role("button", name="Lập dự thảo").click()
    expect(hanh.get_by_test_id("decision-state")).to_have_text("Dự thảo")
    decision_url = hanh.url

    tam = sign_in(browser, live_server, "chutich.songcau")
    tam.goto(decision_url)
    tam.get_by_role("button", name="Ký ban hành").click()
    expect(tam.get_by_test_id("decision-state")).to_have_text("Đã ban hành")
    expect(tam.get_by_test_id("awards")).to_contain_text("Triệu Văn Sơn")
    screenshot(tam, "ward-decision-issued")

    binh = sign_in(browser, live_server, "chutich")
    binh.goto(f"{live_server.url}/quyet-dinh/")
    expect(binh.get_by_test_id("decision-summary")).to_contain_text("phường Sông Cầu")
