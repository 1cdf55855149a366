"""On a phone: a citizen suggests an exemplar, the editor turns it into a story, records the
consent, publishes it, then finds it by searching without diacritics; and axe-core finds no
serious or critical accessibility problem on the portal's main pages."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.steps import sign_in
from thidua.exemplars import spam
from thidua.exemplars.models import Exemplar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
WORDS = {w: i for i, w in enumerate(spam.NUMBERS)}


def test_suggest_publish_and_find_on_a_phone(demo, live_server, browser, screenshot):
    citizen = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True,
                                  bypass_csp=True).new_page()
    citizen.goto(f"{live_server.url}/guong-dien-hinh/de-xuat/")
    assert_accessible(citizen)
    citizen.get_by_label("Người, tập thể hoặc mô hình").fill("Bà Triệu Thị Ngọc Đức Xuân")
    citizen.get_by_label("Việc tốt, cách làm hay đó là gì?").fill("Bà may 500 khẩu trang tặng chốt.")
    citizen.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912000111")
    a, b = citizen.locator("#id_answer").get_attribute("data-question").split(" cộng ")
    citizen.locator("#id_answer").fill(str(WORDS[a] + WORDS[b]))
    citizen.get_by_role("button", name="Gửi đề xuất").click()
    expect(citizen.get_by_role("heading", name="Cảm ơn anh/chị!")).to_be_visible()
    screenshot(citizen, "exemplar-suggested-phone")

    editor = sign_in(browser, live_server, "bientap", phone=True)
    editor.goto(f"{live_server.url}/guong-dien-hinh/quan-ly/de-xuat/")
    editor.get_by_role("link", name="Bà Triệu Thị Ngọc Đức Xuân").click()
    editor.get_by_label("Đơn vị nơi có gương điển hình").select_option(
        label="Ủy ban nhân dân phường Đức Xuân")
    editor.get_by_role("button", name="Tiếp nhận").click()
    editor.get_by_label("Hình thức đồng ý").fill("Đồng ý qua điện thoại, đã ghi âm")
    editor.get_by_role("button", name="Ghi nhận sự đồng ý").click()
    editor.get_by_role("button", name="Gửi biên tập").click()
    editor.get_by_role("button", name="Đăng lên trang công khai").click()
    expect(editor.get_by_test_id("state")).to_have_attribute("data-state", "published")
    assert Exemplar.objects.public().count() == 1

    citizen.goto(f"{live_server.url}/tim-kiem/?q=trieu+thi+ngoc")
    citizen.get_by_role("link", name="Bà Triệu Thị Ngọc Đức Xuân").click()
    expect(citizen.get_by_role("heading", name="Bà Triệu Thị Ngọc Đức Xuân")).to_be_visible()
    screenshot(citizen, "exemplar-found-phone")
    for path in ("/guong-dien-hinh/", citizen.url.removeprefix(live_server.url),
                 "/tim-kiem/?q=duc+xuan", "/bang-vang/", "/phong-trao/",
                 f"/phong-trao/{Exemplar.objects.get().movement.slug}/"):
        citizen.goto(f"{live_server.url}{path}")
        assert_accessible(citizen)
