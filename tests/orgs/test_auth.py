"""Sign-in, lock-out and passwords, in Vietnamese."""

import re

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"


def test_demo_officer_signs_in_and_lands_on_her_work_list(personas):
    client = Client()
    personas.hanh.set_password("Mat-khau-cua-Hanh-2021")
    personas.hanh.save()
    response = client.post(LOGIN, {"username": "canbo.songcau",
                                    "password": "Mat-khau-cua-Hanh-2021"}, follow=True)
    assert response.redirect_chain[-1][0] == "/viec-cua-toi/"
    assert "Việc của tôi" in response.content.decode()


def test_wrong_password_gets_a_vietnamese_message(personas):
    response = Client().post(LOGIN, {"username": "canbo.songcau", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in Client().session


def test_five_failures_lock_the_account_even_for_the_right_password(personas):
    personas.hanh.set_password("Mat-khau-cua-Hanh-2021")
    personas.hanh.save()
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "canbo.songcau", "password": "sai-mat-khau"})
    response = client.post(LOGIN, {"username": "canbo.songcau",
                                    "password": "Mat-khau-cua-Hanh-2021"})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    assert client.get("/viec-cua-toi/").status_code == 302  # still not signed in


def test_lock_out_of_one_user_does_not_lock_another(personas):
    personas.thu.set_password("Mat-khau-cua-Thu-2021")
    personas.thu.save()
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "canbo.songcau", "password": "sai-mat-khau"})
    response = client.post(LOGIN, {"username": "canbo.ducxuan",
                                    "password": "Mat-khau-cua-Thu-2021"})
    assert response.status_code == 302


def test_password_change_applies_the_validators_in_vietnamese(personas, client_for):
    client = client_for(personas.hanh)
    personas.hanh.set_password("Mat-khau-cu-2021-abc")
    personas.hanh.save()
    client.force_login(personas.hanh)
    response = client.post("/tai-khoan/doi-mat-khau/", {
        "old_password": "Mat-khau-cu-2021-abc", "new_password1": "12345678",
        "new_password2": "12345678",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "quá ngắn" in page or "quá phổ biến" in page
    personas.hanh.refresh_from_db()
    assert personas.hanh.check_password("Mat-khau-cu-2021-abc")

    response = client.post("/tai-khoan/doi-mat-khau/", {
        "old_password": "Mat-khau-cu-2021-abc", "new_password1": "Song-Cau-moi-2026!",
        "new_password2": "Song-Cau-moi-2026!",
    })
    assert response.status_code == 302
    personas.hanh.refresh_from_db()
    assert personas.hanh.check_password("Song-Cau-moi-2026!")


def test_password_reset_mails_a_working_link(personas):
    client = Client()
    client.post("/tai-khoan/quen-mat-khau/", {"email": personas.hanh.email})
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "đặt lại mật khẩu" in body
    link = re.search(r"http://testserver(/tai-khoan/dat-lai-mat-khau/\S+/)", body).group(1)
    form_page = client.get(link, follow=True)
    assert "Lưu mật khẩu mới" in form_page.content.decode()
    response = client.post(form_page.redirect_chain[-1][0], {
        "new_password1": "Mot-mat-khau-moi-2026", "new_password2": "Mot-mat-khau-moi-2026"})
    assert response.status_code == 302
    personas.hanh.refresh_from_db()
    assert personas.hanh.check_password("Mot-mat-khau-moi-2026")


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(personas):
    response = Client().post("/tai-khoan/quen-mat-khau/", {"email": "khong-co@example.invalid"},
                             follow=True)
    assert "Nếu địa chỉ thư điện tử có trong hệ thống" in response.content.decode()
    assert mail.outbox == []


def test_logout_is_a_post_and_ends_the_session(personas, client_for):
    client = client_for(personas.hanh)
    client.post("/tai-khoan/dang-xuat/")
    assert client.get("/viec-cua-toi/").status_code == 302


def test_debug_is_off_and_errors_are_vietnamese(settings, client):
    from django.conf import settings as live

    assert live.DEBUG is False
    page = client.get("/khong-ton-tai/")
    assert page.status_code == 404
    assert "Không tìm thấy trang" in page.content.decode()
    assert "Traceback" not in page.content.decode()
