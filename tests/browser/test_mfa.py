"""A newly appointed ward head turns on two-step sign-in in the browser: scans (types) the
secret, confirms with a code, keeps the recovery codes, and is asked for a code next time."""

import re
from base64 import b32decode
from time import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from thidua.home.demo import demo_data
from thidua.orgs import actions
from thidua.orgs.models import Organisation, Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")), 30, 0, 6, 0)
    totp.time = time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_a_new_signer_sets_up_the_second_factor_and_is_asked_for_it(demo, live_server, page,
                                                                  screenshot):
    user = User.objects.create_user("chutich.moi", password=demo_data()["password"],
                                    full_name="Lò Văn Mới")
    actions.grant_role(user, Organisation.objects.get(code="phuong-duc-xuan"), Role.UNIT_HEAD,
                       by=User.objects.get(username="quantri"))
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("chutich.moi")
    page.get_by_label("Mật khẩu").fill(demo_data()["password"])
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", name="Bật xác thực hai bước")).to_be_visible()
    expect(page.get_by_test_id("mfa-required")).to_be_visible()
    expect(page.get_by_test_id("mfa-qr")).to_be_visible()
    # Nowhere else to go until it is done.
    page.goto(f"{live_server.url}/ho-so/")
    expect(page).to_have_url(re.compile(r"/tai-khoan/xac-thuc-hai-buoc/bat/"))
    secret = page.get_by_test_id("mfa-secret").inner_text()
    screenshot(page, "mfa-enrol")

    page.get_by_label("Mã trong ứng dụng").fill("000000")
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.get_by_text("Mã không đúng")).to_be_visible()
    page.get_by_label("Mã trong ứng dụng").fill(code(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    expect(page.get_by_role("heading", name="Mã khôi phục")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    screenshot(page, "mfa-recovery-codes")

    page.goto(f"{live_server.url}/tai-khoan/")
    expect(page.get_by_test_id("mfa-status")).to_contain_text("Đang bật")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Đăng xuất").click()

    # Next time: the password, then the code.
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/?next=/tai-khoan/")
    page.get_by_label("Tên đăng nhập").fill("chutich.moi")
    page.get_by_label("Mật khẩu").fill(demo_data()["password"])
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    page.locator("#id_code").fill(code(secret, 1))  # the next step's code: the first is used
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", name="Tài khoản của tôi")).to_be_visible()
