"""Each role opens its statistics dashboard (/thong-ke/): charts beside their tables, a filter,
the exports; and the same page read with JavaScript turned off."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.reports.city import build_city, ducxuan_head_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [("vanphong", "van-phong", "Hồ sơ theo trạng thái"),
         ("noivu", "thuong-truc", "Khen thưởng theo hình thức"),
         ("chutich", "chu-tich", "Khen thưởng qua các năm"),
         ("hoidong", "hoi-dong", "Khen thưởng theo đơn vị đề nghị")]


@pytest.fixture
def city(approved, movement, city_certificate, personas, demo):
    return build_city(approved, movement, city_certificate, personas, ducxuan_head_for(demo))


def test_each_dashboard_opens_and_draws(city, live_server, browser, screenshot, movement):
    for username, board, first_panel in ROLES:
        page = sign_in(browser, live_server, username)
        page.get_by_role("link", name="Thống kê").click()
        expect(page).to_have_url(f"{live_server.url}/thong-ke/")
        expect(page.get_by_role("tab", selected=True).or_(
            page.locator(".nav-tabs .nav-link.active"))).to_be_visible()
        expect(page.get_by_role("heading", name=first_panel)).to_be_visible()
        expect(page.locator("svg[role=img]").first).to_be_visible()
        screenshot(page, f"dashboard-{board}")
        page.context.close()

    # The chairman filters by the movement and by year; the exports carry the filter.
    page = sign_in(browser, live_server, "chutich")
    page.goto(f"{live_server.url}/thong-ke/chu-tich/")
    page.get_by_label("Phong trào").select_option(movement.slug)
    page.get_by_label("Chia theo từng năm").check()
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(f"{live_server.url}/thong-ke/chu-tich/?tu=&den=&phong_trao="
                             f"{movement.slug}&theo_nam=on")
    panel = page.get_by_test_id("panel-hinh-thuc")
    expect(panel.get_by_role("columnheader", name="2021")).to_be_visible()
    with page.expect_download() as info:
        panel.get_by_role("link", name="Excel").click()
    assert info.value.suggested_filename.startswith("thong-ke-hinh-thuc-")
    screenshot(page, "dashboard-chu-tich-by-year")

    # The same page without JavaScript: charts and tables are there all the same.
    cookies = page.context.cookies()
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    plain.add_cookies(cookies)
    bare = plain.new_page()
    bare.goto(f"{live_server.url}/thong-ke/hoi-dong/")
    expect(bare.locator("svg[role=img]").first).to_be_visible()
    expect(bare.get_by_test_id("table-don-vi")).to_contain_text("Phường Sông Cầu".replace(
        "Phường", "Ủy ban nhân dân phường"))
    screenshot(bare, "dashboard-hoi-dong-no-javascript")
    plain.close()

    # A ward's officer sees the ward's figures only.
    hanh = sign_in(browser, live_server, "canbo.songcau")
    hanh.goto(f"{live_server.url}/thong-ke/hoi-dong/")
    units = hanh.get_by_test_id("table-don-vi")
    expect(units).to_contain_text("Sông Cầu")
    expect(units).not_to_contain_text("Đức Xuân")
    screenshot(hanh, "dashboard-ward")
