"""From the council's results to printed certificates: the secretariat drafts the decision, the
chairman issues it in the product, and the whole decision prints as one PDF in the background."""

import subprocess

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker
from playwright.sync_api import expect

from tests.browser.steps import ARTIFACTS, choose, sign_in
from thidua.decisions.models import Award

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_draft_issue_and_print_the_certificates(approved, live_server, browser, screenshot,
                                                 monkeypatch):
    # Chị Mai, the council's secretariat, drafts the decision from the council's results.
    mai = sign_in(browser, live_server, "noivu")
    mai.goto(f"{live_server.url}/quyet-dinh/")
    mai.get_by_role("link", name="Dự thảo quyết định").click()
    mai.get_by_label("Số quyết định").fill("1234")
    mai.get_by_label("Ngày ký").fill("2021-12-20")
    choose(mai.get_by_label("Người ký"), "Ma Văn Bình")
    choices = mai.get_by_test_id("awardee-choices")
    expect(choices).to_contain_text("Nguyễn Thị Lan")
    expect(choices).to_contain_text("Hoàng Văn Nam")
    for box in choices.get_by_role("checkbox").all():
        box.check()
    mai.get_by_role("button", name="Lập dự thảo").click()
    expect(mai.get_by_test_id("decision-state")).to_have_text("Dự thảo")
    expect(mai.get_by_role("button", name="Ký ban hành")).to_have_count(0)
    decision_url = mai.url

    # Anh Bình, the chairman, reads it and issues it.
    binh = sign_in(browser, live_server, "chutich")
    binh.goto(decision_url)
    expect(binh.get_by_test_id("awards")).to_contain_text("Nguyễn Thị Lan")
    binh.get_by_role("button", name="Ký ban hành").click()
    expect(binh.get_by_test_id("decision-state")).to_have_text("Đã ban hành")
    screenshot(binh, "decision-issued")

    # Chị Mai prints every certificate onto blanks: one background batch, one PDF.
    mai.goto(decision_url)
    mai.get_by_role("button", name="In toàn bộ 2 giấy khen (PDF)").click()
    expect(mai.get_by_test_id("batch-progress")).to_have_attribute("data-state", "queued")
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0,
                 verbosity=0)
    download_link = mai.get_by_test_id("batch-download")
    expect(download_link).to_be_visible(timeout=15_000)  # the page polls every 2 s
    expect(mai.get_by_test_id("batch-status")).to_contain_text("2/2")
    screenshot(mai, "certificates-printed")
    with mai.expect_download() as info:
        download_link.click()
    pdf = ARTIFACTS.parent / "giay-khen-1234-2021.pdf"
    info.value.save_as(pdf)

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert text.count("\f") == 2  # two pages
    for award in Award.objects.order_by("order"):
        assert award.name in text and award.serial in text
    first_page = ARTIFACTS / "certificate-first-page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(first_page)], check=True)
    png = first_page.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000

    # The printer feeds 2 mm to the right: Chị Mai sets up the blank and prints a test page.
    mai.goto(decision_url)
    mai.get_by_role("link", name="Thiết lập mẫu phôi").click()
    mai.get_by_role("link", name="Thêm mẫu phôi").click()
    mai.get_by_label("Tên mẫu phôi").fill("Phôi giấy khen thành phố 2021")
    mai.get_by_label("Dịch ngang (mm)").fill("-2")
    mai.get_by_role("button", name="Lưu mẫu phôi").click()
    expect(mai.get_by_test_id("test-page")).to_be_visible()
    screenshot(mai, "certificate-layout")
    with mai.expect_download() as info:
        mai.get_by_test_id("test-page").click()
    assert info.value.suggested_filename.startswith("in-thu-mau-phoi-")

    # The QR code leads anyone to the public verification page: name, form, decision — no more.
    award = Award.objects.order_by("order").first()
    # A citizen scans it with a phone.
    public = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844},
                                 is_mobile=True).new_page()
    public.goto(f"{live_server.url}/xac-minh/{award.serial}/?ma={award.verify_code}")
    expect(public.locator("main")).to_contain_text("Nguyễn Thị Lan")
    expect(public.locator("main")).to_contain_text("1234/QĐ-UBND")
    expect(public.locator("main")).not_to_contain_text("Y sĩ")  # name, form, number, date only
    screenshot(public, "verification-phone")
