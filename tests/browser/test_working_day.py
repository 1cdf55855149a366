"""Every role's working day, in the living demo city: each person signs in, finds its work on its
home page and does its main task from there; axe-core finds no serious or critical problem on
the pages on the way; a screenshot of each home page is kept (test-artifacts/screenshots)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.steps import sign_in
from thidua.home.demo import seed_living_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city(demo, live_server):
    """The living demo city (``thidua seed-demo``), its QR links pointing at this server."""
    assert seed_living_city(site=f"{live_server.url}/")
    return live_server


def start_day(browser, city, username, role, screenshot):
    """Sign in, keep the home page's picture, check it; the page stays on the home page."""
    page = sign_in(browser, city, username)
    expect(page.get_by_test_id(f"role-panel-{role}")).to_be_visible()
    screenshot(page, f"home-{role}")
    check(browser, page)
    return page


def check(browser, page):
    """axe-core on the page ``page`` shows, as the same person: the check injects a script the
    product's CSP refuses, so it reads the page in a twin context that sets the CSP aside."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900},
                                  storage_state=page.context.storage_state(), bypass_csp=True)
    twin = context.new_page()
    twin.goto(page.url)
    assert_accessible(twin)
    context.close()


def go_home(page):
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Việc của tôi").click()


def queue(page, key):
    return page.get_by_test_id(f"queue-{key}")


def test_officer_opens_the_returned_dossier(city, browser, screenshot):
    page = start_day(browser, city, "canbo.songcau", "unit_officer", screenshot)
    returned = queue(page, "returned")
    expect(returned.get_by_test_id("count")).to_have_text("1")
    returned.get_by_role("link").first.click()
    expect(page.get_by_test_id("dossier-state")).to_contain_text("Trả lại để bổ sung")
    expect(page.get_by_test_id("deficiencies")).to_contain_text("chưa có xác nhận")
    check(browser, page)


def test_head_submits_the_draft(city, browser, screenshot):
    page = start_day(browser, city, "chutich.songcau", "unit_head", screenshot)
    queue(page, "to_submit").get_by_role("link").first.click()
    expect(page.get_by_test_id("dossier-state")).to_contain_text("Đang soạn")
    check(browser, page)
    page.get_by_role("button", name=re.compile("Trình hồ sơ tới")).click()
    expect(page.get_by_test_id("dossier-state")).to_contain_text("Đã trình, chờ tiếp nhận")
    go_home(page)
    expect(queue(page, "to_submit")).to_have_count(0)


def test_office_accepts_the_late_dossier_first(city, browser, screenshot):
    page = start_day(browser, city, "vanphong", "receiving_office", screenshot)
    to_check = queue(page, "to_check")
    expect(to_check.get_by_test_id("late")).to_be_visible()
    expect(to_check.locator(".list-group-item").first).to_contain_text("quá hạn")
    to_check.get_by_role("link").first.click()
    expect(page.get_by_test_id("dossier-state")).to_contain_text("Đã trình, chờ tiếp nhận")
    check(browser, page)
    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    expect(page.get_by_test_id("dossier-state")).to_contain_text("Đã tiếp nhận")


def test_secretariat_opens_the_council_meeting_to_prepare(city, browser, screenshot):
    page = start_day(browser, city, "noivu", "council_secretariat", screenshot)
    meetings = queue(page, "council_meetings")
    expect(meetings.get_by_role("link", name=re.compile("đợt 3"))).to_be_visible()
    meetings.get_by_role("link", name=re.compile("đợt 3")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("đợt 3")
    expect(page.get_by_test_id("quorum-met")).to_be_visible()
    expect(page.get_by_test_id("agenda-item").first).to_contain_text("Đã bỏ phiếu: 3/4")
    check(browser, page)


def test_council_member_casts_the_due_ballot(city, browser, screenshot):
    page = start_day(browser, city, "hoidong", "council_member", screenshot)
    mine = queue(page, "my_meetings")
    expect(mine.get_by_test_id("late")).to_contain_text("chờ phiếu của anh/chị")
    mine.get_by_role("link", name=re.compile("đợt 3")).click()
    check(browser, page)
    items = page.get_by_test_id("agenda-item")
    for i in range(items.count()):
        items.nth(i).get_by_role("button", name="Đồng ý", exact=True).click()
        expect(items.nth(i).get_by_test_id("my-vote")).to_be_visible()
    go_home(page)
    expect(queue(page, "my_meetings").get_by_test_id("late")).to_have_count(0)


def test_chairman_opens_the_draft_to_sign_and_sees_the_tallies(city, browser, screenshot):
    page = sign_in(browser, city, "chutich")
    expect(page.get_by_test_id("to-sign")).to_be_visible()
    screenshot(page, "home-chairman")
    check(browser, page)
    page.get_by_test_id("to-sign").get_by_role("link").first.click()
    expect(page.get_by_test_id("decision-state")).to_contain_text("Dự thảo")
    expect(page.get_by_test_id("awards").get_by_test_id("tally").first).to_contain_text(
        "Hội đồng: đồng ý 4")
    check(browser, page)


def test_viewer_reads_the_register(city, browser, screenshot):
    page = start_day(browser, city, "thanhtra", "viewer", screenshot)
    page.get_by_role("link", name="Sổ khen thưởng").click()
    expect(page.get_by_role("heading", name="Sổ khen thưởng")).to_be_visible()
    page.locator("#id_q").fill("nguyen thi lan")  # typed without diacritics, as people do
    page.get_by_role("button", name="Tìm").click()
    results = page.get_by_test_id("register-results")
    expect(results).to_contain_text("Nguyễn Thị Lan")
    expect(results).to_contain_text("UBND thị xã Bắc Kạn")  # the city's pre-2015 name
    check(browser, page)


def test_editor_publishes_the_story_waiting_for_her(city, browser, screenshot):
    from thidua.exemplars.models import Exemplar

    page = start_day(browser, city, "bientap", "communications_editor", screenshot)
    expect(queue(page, "suggestions").get_by_test_id("count")).to_have_text("1")
    waiting = queue(page, "to_publish")
    expect(waiting.get_by_test_id("count")).to_have_text("1")
    waiting.get_by_role("link", name=re.compile("mã QR tại chợ Sông Cầu")).click()
    check(browser, page)
    page.get_by_role("button", name="Đăng lên trang công khai").click()
    expect(page.get_by_test_id("state")).to_have_attribute("data-state", "published")
    story = Exemplar.objects.get(title__contains="mã QR tại chợ Sông Cầu")
    assert story in Exemplar.objects.public()
    go_home(page)  # nothing waits for her there any more
    expect(page.get_by_role("link", name=re.compile("mã QR tại chợ Sông Cầu"))).to_have_count(0)
