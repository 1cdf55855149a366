"""From the Steering Committee's review to the council's secret vote, clicked through by the
office, the secretariat, three members on their phones and the chair."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.steps import choose, sign_in
from thidua.nominations.models import Nominee

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TODAY_8AM = f"{timezone.localdate():%Y-%m-%d}T08:00"


def test_committee_then_council_then_outcomes(accepted, live_server, browser, screenshot):
    # Anh Dũng runs the Steering Committee's review.
    dung = sign_in(browser, live_server, "vanphong")
    dung.goto(f"{live_server.url}/hop/")
    dung.get_by_role("link", name="Lên lịch họp Ban Chỉ đạo").click()
    dung.get_by_label("Thời gian").fill(TODAY_8AM)
    dung.get_by_label("Địa điểm").fill("Phòng họp số 1, UBND thành phố")
    choose(dung.locator("#id_chair"), "Ma Văn Bình")
    choose(dung.locator("#id_secretary"), "Trần Văn Dũng")
    for box in dung.get_by_test_id("agenda-choices").get_by_role("checkbox").all():
        box.check()
    dung.get_by_role("button", name="Lên lịch").click()
    dung.get_by_role("button", name="Khai mạc phiên họp").click()
    items = dung.get_by_test_id("agenda-item")
    expect(items).to_have_count(3)
    for i in range(3):
        item = items.nth(i)
        if "Lục Thị Hoa" in item.inner_text():
            item.get_by_label("Kết luận").select_option(label="Không đề nghị")
            item.get_by_label("Lý do").fill("Thành tích chưa nổi bật so với yêu cầu")
        item.get_by_role("button", name="Ghi kết luận").click()
        expect(items.nth(i).get_by_test_id("conclusion")).to_be_visible()
    dung.get_by_role("button", name="Kết thúc phiên họp").click()
    expect(dung.get_by_test_id("meeting-state")).to_have_text("Đã kết thúc")
    dung.goto(f"{live_server.url}/ho-so/{accepted.pk}/")
    dung.get_by_role("button", name="Chuyển Hội đồng TĐKT").click()
    expect(dung.get_by_test_id("dossier-state")).to_have_text("Đã chuyển Hội đồng TĐKT")

    # Chị Mai prepares the council meeting and opens it.
    mai = sign_in(browser, live_server, "noivu")
    mai.goto(f"{live_server.url}/hop/")
    mai.get_by_role("link", name="Lên lịch họp Hội đồng").click()
    mai.get_by_label("Tên phiên họp").fill("Phiên họp Hội đồng TĐKT thành phố")
    mai.get_by_label("Thời gian").fill(TODAY_8AM)
    mai.get_by_label("Địa điểm").fill("Hội trường UBND thành phố")
    choose(mai.locator("#id_chair"), "Ma Văn Bình")
    choose(mai.locator("#id_vice_chair"), "Lương Văn Hải")
    choose(mai.locator("#id_secretary"), "Phạm Thị Mai")
    for box in mai.get_by_test_id("agenda-choices").get_by_role("checkbox").all():
        box.check()
    mai.get_by_role("button", name="Lên lịch").click()
    for box in mai.get_by_test_id("attendance").get_by_role("checkbox").all():
        box.check()
    mai.get_by_role("button", name="Lưu điểm danh").click()
    mai.get_by_role("button", name="Khai mạc phiên họp").click()
    expect(mai.get_by_test_id("meeting-state")).to_have_text("Đang họp")
    meeting_url = mai.url

    # Three members vote on their phones, each in a browser of their own.
    for username in ["hoidong.pho", "hoidong", "hoidong.yte"]:
        phone = sign_in(browser, live_server, username, phone=True)
        phone.goto(meeting_url)
        agenda = phone.get_by_test_id("agenda-item")
        expect(agenda).to_have_count(2)
        for i in range(2):
            agenda.nth(i).get_by_role("button", name="Đồng ý", exact=True).click()
            expect(agenda.nth(i).get_by_test_id("my-vote")).to_have_text("Bạn đã bỏ phiếu")
        if username == "hoidong.yte":
            screenshot(phone, "council-vote-phone")
        phone.context.close()

    # The chair closes the meeting; results are computed from the ballots.
    chair = sign_in(browser, live_server, "chutich")
    chair.goto(meeting_url)
    expect(chair.get_by_test_id("voted-count").first).to_have_text("Đã bỏ phiếu: 3/4")
    chair.get_by_role("button", name="Kết thúc phiên họp").click()
    expect(chair.get_by_test_id("meeting-state")).to_have_text("Đã kết thúc")
    expect(chair.get_by_test_id("result")).to_have_count(2)
    screenshot(chair, "council-closed")

    # Chị Hạnh sees each nominee's outcome on her ward's dossier.
    hanh = sign_in(browser, live_server, "canbo.songcau")
    hanh.goto(f"{live_server.url}/ho-so/{accepted.pk}/")
    outcomes = hanh.get_by_test_id("outcome")
    expect(outcomes).to_have_count(3)
    expect(hanh.get_by_test_id("nominees")).to_contain_text("Đề nghị Chủ tịch quyết định khen thưởng")
    expect(hanh.get_by_test_id("nominees")).to_contain_text("Thành tích chưa nổi bật")
    screenshot(hanh, "dossier-outcomes")
    assert set(Nominee.objects.values_list("council_outcome", flat=True)) == {"approved_local", ""}
    for page in (dung, mai, chair, hanh):
        page.context.close()
