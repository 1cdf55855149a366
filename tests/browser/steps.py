"""Steps the browser tests share."""

import re
from pathlib import Path

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from thidua.home.demo import demo_data
from thidua.orgs import demo_mfa

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def sign_in(browser, live_server, username, phone=False):
    size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(locale="vi-VN", viewport=size, is_mobile=phone)
    page = context.new_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(demo_data()["password"])
    page.get_by_role("button", name="Đăng nhập").click()
    second_step(page, username)
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    return page


AFTER_PASSWORD = re.compile(r"/(viec-cua-toi|tai-khoan/xac-thuc)/")


def second_step(page, username):
    """After the password: an account with an authenticator (the privileged demo accounts have
    the demo one) is asked for its code; type what the phone would show."""
    page.wait_for_url(AFTER_PASSWORD)
    if "/tai-khoan/xac-thuc/" not in page.url:
        return
    # A test signs the same person in several times within one 30-second step; the replay
    # guard (a code is accepted once) is for people, so let this sign-in use the current code.
    TOTPDevice.objects.filter(user__username=username).update(last_t=-1)
    page.locator("#id_code").fill(demo_mfa.current_code(username))
    page.get_by_role("button", name="Xác nhận").click()


def choose(select, text):
    """Pick the option whose label starts with ``text`` (people are listed with their title:
    "Ma Văn Bình — Chủ tịch UBND thành phố")."""
    option = select.locator("option").filter(has_text=text).first
    select.select_option(value=option.get_attribute("value"))
