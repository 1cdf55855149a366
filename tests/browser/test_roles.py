"""Every demo role signs in through the real page and finds its work list."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import second_step
from thidua.home.demo import demo_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_ACCOUNTS = [(a["username"], a["role"]) for a in demo_data()["accounts"]]


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(demo_data()["password"])
    page.get_by_role("button", name="Đăng nhập").click()
    second_step(page, username)  # the code, for the accounts that must use one


@pytest.mark.parametrize("username, role", ROLE_ACCOUNTS)
def test_each_demo_role_signs_in_and_sees_its_home(demo, live_server, page, screenshot,
                                                   username, role):
    sign_in(page, live_server, username)
    expect(page).to_have_url(f"{live_server.url}/viec-cua-toi/")
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    if role == "administrator":
        expect(page.get_by_test_id("admin-overview")).to_be_visible()
        expect(page.get_by_role("link", name="Quản trị", exact=True)).to_be_visible()
    else:
        panel = page.get_by_test_id(f"role-panel-{role}")
        expect(panel).to_be_visible()
        expect(panel.get_by_role("link", name="Phong trào thi đua phòng, chống dịch COVID-19")
               ).to_be_visible()
        expect(page.get_by_role("link", name="Quản trị", exact=True)).to_have_count(0)
    # The navigation fits an office screen (the context is 1280 px wide): nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, f"home-{username}")


def test_wrong_password_shows_a_vietnamese_message(demo, live_server, page, screenshot):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo.songcau")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("login-error")).to_contain_text("không đúng")
    screenshot(page, "login-wrong-password")


def test_citizen_reads_the_movement_on_a_phone(demo, live_server, browser, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN",
                                  is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Thành phố Bắc Kạn đoàn kết").first.click()
    expect(page.get_by_test_id("content-areas").locator(".card")).to_have_count(6)
    expect(page.get_by_test_id("criteria").locator(".criterion")).to_have_count(7)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    expect(page.get_by_test_id("award-forms")).to_contain_text("Giấy khen của Chủ tịch UBND thành phố")
    assert errors == [], errors  # no CSP violations or missing assets
    screenshot(page, "movement-phone")
    context.close()


def test_language_switch_to_english_and_back(demo, live_server, page, screenshot):
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    screenshot(page, "public-home-en")
    page.get_by_role("button", name="VI").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
