"""A movement run in the product: the office launches it for three wards, two register, the
third is reminded, and a council member sees the late ward on their page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.steps import sign_in
from tests.movements.conftest import draft_movement, org
from thidua.movements import actions
from thidua.movements.models import Movement, ParticipantKind, Registration, Reminder
from thidua.orgs.models import User, today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WARDS = {"phuong-song-cau": "Ủy ban nhân dân phường Sông Cầu",
         "phuong-duc-xuan": "Ủy ban nhân dân phường Đức Xuân",
         "phuong-phung-chi-kien": "Ủy ban nhân dân phường Phùng Chí Kiên"}


def test_launch_register_remind_supervise(demo, live_server, browser, screenshot):
    mai_user = User.objects.get(username="noivu")
    movement = draft_movement(mai_user)
    actions.add_criterion(movement, by=mai_user, code="1", title="Tỷ lệ hộ phân loại rác",
                          participant_kind=ParticipantKind.PARTY_AND_GOVERNMENT)

    # Chị Mai picks the three wards, gives Ông Khánh the third to follow, and launches.
    mai = sign_in(browser, live_server, "noivu")
    mai.goto(f"{live_server.url}/phong-trao/{movement.slug}/thiet-lap/")
    participants = mai.get_by_test_id("participants-form")
    for name in WARDS.values():
        participants.get_by_label("Hoặc chọn từng đơn vị").select_option(label=name)
        participants.get_by_role("button", name="Thêm đơn vị").click()
        participants = mai.get_by_test_id("participants-form")
    expect(mai.get_by_test_id("participants").get_by_role("row")).to_have_count(3)
    mai.get_by_label("Thành viên Hội đồng").select_option(label="Đinh Văn Khánh")
    mai.locator("#giam-sat").get_by_label("Địa bàn, đơn vị").select_option(
        label=WARDS["phuong-phung-chi-kien"])
    mai.get_by_role("button", name="Phân công").click()
    expect(mai.get_by_test_id("supervisions")).to_contain_text("Đinh Văn Khánh")
    mai.goto(f"{live_server.url}/phong-trao/{movement.slug}/")
    mai.get_by_role("button", name="Phát động phong trào").click()
    expect(mai.get_by_test_id("movement")).to_contain_text("Đã phát động")
    screenshot(mai, "movement-launched")

    # Chị Hạnh writes Sông Cầu's registration; Ông Tâm approves and sends it.
    hanh = sign_in(browser, live_server, "canbo.songcau")
    hanh.goto(f"{live_server.url}/phong-trao/{movement.slug}/")
    hanh.get_by_role("link", name="Đăng ký thi đua").first.click()
    hanh.get_by_label("Cam kết thực hiện").last.check()
    hanh.get_by_role("button", name="Lưu bản đăng ký").click()
    expect(hanh.get_by_test_id("registration-state")).to_have_text("Đang soạn")
    tam = sign_in(browser, live_server, "chutich.songcau")
    tam.goto(f"{live_server.url}/phong-trao/{movement.slug}/dang-ky/")
    tam.get_by_role("button", name="Duyệt và gửi bản đăng ký").click()
    expect(tam.get_by_test_id("registration-state")).to_have_text("Đã gửi, chờ tiếp nhận")

    # Đức Xuân registers too (through the same actions, off screen).
    movement = Movement.objects.get(pk=movement.pk)
    ward = org("phuong-duc-xuan")
    registration = actions.save_registration(
        movement, ward, by=User.objects.get(username="canbo.ducxuan"),
        commitments={c.pk: {"pledged": True} for c in movement.criteria.all()})
    head = User.objects.get(memberships__organisation=ward, memberships__role="unit_head")
    actions.submit_registration(registration, by=head)
    assert Registration.objects.filter(state="submitted").count() == 2

    # The deadline passes; the nightly job reminds Phùng Chí Kiên only.
    Movement.objects.filter(pk=movement.pk).update(registration_deadline=today() - timedelta(days=1))
    mail.outbox.clear()
    call_command("remind")
    assert list(Reminder.objects.values_list("organisation__code", "deadline", "kind")) == [
        ("phuong-phung-chi-kien", "registration", "late")]

    # Ông Khánh sees the late ward on his page.
    khanh = sign_in(browser, live_server, "hoidong")
    khanh.goto(f"{live_server.url}/phong-trao/phan-cong-theo-doi/")
    row = khanh.locator('[data-unit="phuong-phung-chi-kien"]')
    expect(row).to_contain_text("Chưa đăng ký")
    expect(row).to_contain_text("Đăng ký thi đua")
    screenshot(khanh, "movement-supervision")

    # The office's dashboard says the same.
    mai.goto(f"{live_server.url}/phong-trao/{movement.slug}/theo-doi/")
    expect(mai.get_by_test_id("summary")).to_contain_text("2/3")
    expect(mai.locator('[data-unit="phuong-phung-chi-kien"]')).to_contain_text("Đăng ký thi đua")
    screenshot(mai, "movement-dashboard")
