"""Two-step sign-in: the code after the password, recovery codes, enrolment required of
administrators, the secretariat and signers, and the gate in front of every other page."""

import io
import re
from datetime import timedelta
from time import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.core.models import Activity
from thidua.home.demo import demo_data
from thidua.orgs import actions, demo_mfa, mfa
from thidua.orgs.models import Role, User

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"
VERIFY = "/tai-khoan/xac-thuc/"
ENROL = "/tai-khoan/xac-thuc-hai-buoc/bat/"
HOME = "/viec-cua-toi/"
MINE = "/don-vi/"  # a page every signed-in user may open


def code_for(device, steps_ahead=0) -> str:
    """What the authenticator shows (``steps_ahead`` 30-second steps later: a code already used
    in this step is refused, the next step's is accepted)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def password_step(username, client=None, **extra):
    client = client or Client(**extra)
    response = client.post(LOGIN, {"username": username, "password": demo_data()["password"]})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def enrolled_officer(user) -> list[str]:
    """``user`` turns the second factor on by the actions; returns the recovery codes."""
    device = mfa.pending_device(user)
    _device, codes = mfa.confirm_enrolment(user, code_for(device), by=user)
    return codes


def logged(verb, user) -> int:
    return Activity.objects.filter(verb=verb, target_id=str(user.pk)).count()


# --- who must -------------------------------------------------------------------------------

def test_administrators_the_secretariat_and_signers_must_use_a_second_factor(personas):
    must = {name for name in ("hanh", "tam", "thu", "dung", "mai", "khanh", "binh", "lan", "quy",
                              "admin", "stranger") if mfa.required(getattr(personas, name))}
    assert must == {"tam", "mai", "binh", "admin"}


def test_the_demo_gives_the_privileged_accounts_the_demo_authenticator_only(personas):
    for name in ("tam", "mai", "binh", "admin"):
        device = TOTPDevice.objects.get(user=getattr(personas, name))
        assert device.confirmed and device.key == demo_mfa.DEMO_KEY
    assert not TOTPDevice.objects.filter(user__in=[personas.hanh, personas.dung, personas.khanh])
    assert logged("mfa.enrolled", personas.binh) == 1


# --- signing in with the second factor -------------------------------------------------------

def test_the_chairman_types_the_code_after_the_password(personas):
    client = password_step("chutich")
    # Nothing but the code page opens; it keeps where the chairman was going.
    response = client.get(MINE)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fdon-vi%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Xác thực hai bước" in page and 'name="code"' in page
    assert 'href="/ho-so/"' not in page  # no navigation to pages that are not open yet
    key_before = client.session.session_key
    response = client.post(VERIFY, {"code": demo_mfa.current_code("chutich"), "next": MINE})
    assert response.status_code == 302 and response["Location"] == MINE
    assert client.session.session_key != key_before  # a verified session gets a new key
    assert client.get(MINE).status_code == 200


def test_a_wrong_code_is_refused_in_vietnamese_and_retries_are_slowed(personas):
    client = password_step("chutich")
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    assert client.get(MINE).status_code == 302
    # Straight after a failure even the right code waits (1, 2, 4… seconds, in the database).
    response = client.post(VERIFY, {"code": demo_mfa.current_code("chutich")})
    assert "Hãy chờ" in response.content.decode()
    device = TOTPDevice.objects.get(user=personas.binh)
    assert device.throttling_failure_count == 1
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5))
    response = client.post(VERIFY, {"code": demo_mfa.current_code("chutich")})
    assert response.status_code == 302
    assert client.get(MINE).status_code == 200


def test_every_way_in_is_gated_the_admin_sign_in_page_and_htmx_requests_too(personas):
    client = Client()
    response = client.post("/quan-tri/login/?next=/quan-tri/",
                           {"username": "quantri", "password": demo_data()["password"]})
    assert response.status_code == 302
    response = client.get("/quan-tri/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post("/tai-khoan/dang-xuat/").status_code == 302  # signing out stays open
    htmx = password_step("noivu")
    response = htmx.get("/hop/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(VERIFY)
    # A POST anywhere else is turned back before its view runs.
    assert htmx.post("/don-vi/", {}).status_code == 302


def test_an_officer_without_a_second_factor_is_not_asked_for_one(personas):
    client = password_step("canbo.songcau")
    assert client.get(MINE).status_code == 200
    page = client.get("/tai-khoan/").content.decode()
    assert "Chưa bật" in page and ENROL in page


# --- recovery codes --------------------------------------------------------------------------

def test_a_recovery_code_signs_in_once_only(personas):
    codes = enrolled_officer(personas.hanh)
    assert len(codes) == 10 and len(set(codes)) == 10
    client = password_step("canbo.songcau")
    assert client.get(MINE)["Location"].startswith(VERIFY)  # enrolled: asked, though optional
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": MINE}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == MINE and "Còn 9 mã" in page
    assert logged("mfa.recovery_used", personas.hanh) == 1

    again = password_step("canbo.songcau")
    response = again.post(VERIFY, {"code": codes[0]})
    assert "Mã xác thực không đúng" in response.content.decode()
    assert again.get(MINE).status_code == 302
    assert logged("mfa.recovery_used", personas.hanh) == 1
    assert StaticToken.objects.filter(device__user=personas.hanh).count() == 9


def test_new_recovery_codes_replace_the_old_ones_with_the_password(personas, client_for):
    old = enrolled_officer(personas.hanh)
    client = client_for(personas.hanh)
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/ma-khoi-phuc/tao-lai/",
                           {"password": "sai"}, follow=True)
    assert "Mật khẩu không đúng" in response.content.decode()
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/ma-khoi-phuc/tao-lai/",
                           {"password": demo_data()["password"]}, follow=True)
    page = response.content.decode()
    new = re.findall(r"<li class=\"col\">(\w+)</li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=personas.hanh)
               .values_list("token", flat=True)) == set(new)
    assert logged("mfa.recovery_renewed", personas.hanh) == 1
    # Shown once: the page does not show them again.
    assert client.get("/tai-khoan/xac-thuc-hai-buoc/ma-khoi-phuc/").status_code == 302


# --- enrolment -------------------------------------------------------------------------------

@pytest.fixture
def new_head(personas, demo):
    """A newly appointed ward head: a signer, without an authenticator yet."""
    user = User.objects.create_user("chutich.moi", password=demo_data()["password"],
                                    email="moi@example.invalid", full_name="Lò Văn Mới")
    actions.grant_role(user, demo.org("phuong-duc-xuan"), Role.UNIT_HEAD, by=personas.admin)
    return user


def test_a_signer_without_a_device_is_sent_to_enrolment_and_can_do_nothing_else(new_head):
    client = password_step("chutich.moi")
    for url in (HOME, MINE, "/ho-so/", "/quyet-dinh/", "/tai-khoan/", "/tai-khoan/doi-mat-khau/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(ENROL), url
    page = client.get(ENROL).content.decode()
    assert "bắt buộc đăng nhập hai bước" in page
    assert 'src="data:image/svg+xml' in page  # the QR code, allowed by the CSP (no inline style)
    device = TOTPDevice.objects.get(user=new_head, confirmed=False)
    secret = re.search(r'data-testid="mfa-secret">([A-Z2-7 ]+)<', page).group(1)
    assert secret.replace(" ", "") == mfa.secret(device).replace(" ", "")
    assert client.get(ENROL).content.decode().count(secret) == 1  # the same secret on reload

    response = client.post(ENROL, {"code": "123"})
    assert "6 chữ số" in response.content.decode()
    response = client.post(ENROL, {"code": code_for(device), "next": MINE}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/tai-khoan/xac-thuc-hai-buoc/ma-khoi-phuc/"
    assert len(re.findall(r"<li class=\"col\">\w+</li>", page)) == 10
    assert f'href="{MINE}"' in page  # then on to where the signer was going
    assert client.get(MINE).status_code == 200
    assert mfa.enrolled(new_head) and logged("mfa.enrolled", new_head) == 1


def test_turning_it_off_takes_the_password_and_a_code_and_a_signer_must_set_it_up_again(
        new_head, client_for):
    device = TOTPDevice.objects.create(user=new_head, confirmed=False)
    mfa.confirm_enrolment(new_head, code_for(device), by=new_head)
    client = client_for(new_head)
    off = "/tai-khoan/xac-thuc-hai-buoc/tat/"
    page = client.post(off, {"password": "sai", "code": code_for(device, 1)},
                       follow=True).content.decode()
    assert "Mật khẩu không đúng" in page and mfa.enrolled(new_head)
    page = client.post(off, {"password": demo_data()["password"], "code": "999999"},
                       follow=True).content.decode()
    assert "Mã xác thực không đúng" in page and mfa.enrolled(new_head)
    TOTPDevice.objects.filter(user=new_head).update(throttling_failure_timestamp=None,
                                                    throttling_failure_count=0)
    client.post(off, {"password": demo_data()["password"], "code": code_for(device, 1)})
    assert not mfa.enrolled(new_head) and not StaticDevice.objects.filter(user=new_head)
    assert logged("mfa.disabled", new_head) == 1
    assert client.get(MINE)["Location"].startswith(ENROL)


def test_only_the_account_holder_enrols_and_an_administrator_removes_it_logged(personas):
    codes = enrolled_officer(personas.hanh)
    assert codes
    with pytest.raises(Exception, match="Chỉ chủ tài khoản"):
        mfa.renew_recovery_codes(personas.hanh, password=demo_data()["password"],
                                 by=personas.thu)
    with pytest.raises(Exception):  # noqa: B017 — PermissionDenied from the gate
        mfa.remove_for(personas.hanh, by=personas.tam)
    mfa.remove_for(personas.hanh, by=personas.admin)
    assert not mfa.enrolled(personas.hanh)
    row = Activity.objects.get(verb="mfa.removed", target_id=str(personas.hanh.pk))
    assert row.actor == personas.admin


def test_the_admin_action_removes_a_users_second_factor(personas, client_for):
    enrolled_officer(personas.hanh)
    client = client_for(personas.admin)
    response = client.post("/quan-tri/orgs/user/", {
        "action": "remove_second_factor", "_selected_action": [personas.hanh.pk]}, follow=True)
    assert response.status_code == 200
    assert not mfa.enrolled(personas.hanh)
    assert logged("mfa.removed", personas.hanh) == 1


# --- the demo ----------------------------------------------------------------------------------

def test_demo_code_prints_a_working_code_for_demo_accounts_only(personas):
    out = io.StringIO()
    call_command("demo_code", "chutich", stdout=out)
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    client = password_step("chutich")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    with pytest.raises(CommandError, match="thiết bị xác thực mẫu"):
        call_command("demo_code", "canbo.songcau", stdout=io.StringIO())
    # An account whose authenticator is its own: its code is never printed.
    TOTPDevice.objects.filter(user=personas.mai).update(key="ab" * 20)
    with pytest.raises(CommandError):
        call_command("demo_code", "noivu", stdout=io.StringIO())
    listing = io.StringIO()
    call_command("demo_code", stdout=listing)
    assert demo_mfa.DEMO_SECRET in listing.getvalue()
    assert "chutich" in listing.getvalue() and "noivu " not in listing.getvalue()
