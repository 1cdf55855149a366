"""Correcting a misspelt name on an issued decision, clicked through: the secretariat picks the
line, corrects it, the chairman issues the amending decision, the old QR page says so."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.pipeline import draft_for
from thidua.decisions import actions
from thidua.decisions.models import Award
from thidua.orgs.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_amending_decision_corrects_a_name(approved, movement, city_certificate,
                                              live_server, browser, screenshot):
    mai_user, binh_user = User.objects.get(username="noivu"), User.objects.get(username="chutich")
    issued = actions.issue_decision(draft_for(movement, city_certificate, approved, mai_user),
                                    by=binh_user)
    lan = issued.awards.get(name="Nguyễn Thị Lan")

    mai = sign_in(browser, live_server, "noivu")
    mai.goto(f"{live_server.url}/quyet-dinh/{issued.pk}/")
    mai.get_by_role("link", name="Lập quyết định sửa đổi").click()
    mai.get_by_label("Nguyễn Thị Lan").check()
    mai.get_by_role("button", name="Sửa các dòng đã chọn").click()
    mai.get_by_label("Số quyết định").fill("1300")
    mai.get_by_label("Ngày ký").fill(f"{date.today():%Y-%m-%d}")
    line = mai.get_by_test_id("amend-line")
    expect(line).to_have_count(1)
    line.get_by_label("Họ và tên / tên tập thể").fill("Nguyễn Thị Lân")
    mai.get_by_role("button", name="Lập dự thảo").click()
    expect(mai.get_by_test_id("decision-state")).to_have_text("Dự thảo")
    expect(mai.get_by_test_id("amends")).to_contain_text("1234/QĐ-UBND")
    amendment_url = mai.url

    binh = sign_in(browser, live_server, "chutich")
    expect(binh.get_by_test_id("to-sign")).to_contain_text("1300/QĐ-UBND")
    binh.goto(amendment_url)
    binh.get_by_role("button", name="Ký ban hành").click()
    expect(binh.get_by_test_id("decision-state")).to_have_text("Đã ban hành")
    expect(binh.get_by_test_id("awards")).to_contain_text("Thay cho: Nguyễn Thị Lan")
    screenshot(binh, "amendment-issued")

    new_serial = Award.objects.get(replaces=lan).serial
    public = browser.new_context(locale="vi-VN").new_page()
    public.goto(f"{live_server.url}/xac-minh/{lan.serial}/")
    expect(public.get_by_test_id("replaced")).to_contain_text(new_serial)
