"""Who may see which organisation, page and log row; everything else answers 404."""

import pytest

from thidua.orgs.access import get_organisation_for
from thidua.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def org(code):
    return Organisation.objects.get(code=code)


def test_unit_officer_sees_own_ward_and_its_units(personas, client_for):
    client = client_for(personas.hanh)
    page = client.get(f"/don-vi/{org('phuong-song-cau').pk}/")
    assert page.status_code == 200
    assert "Trạm Y tế phường Sông Cầu" in page.content.decode()
    assert client.get(f"/don-vi/{org('tram-y-te-song-cau').pk}/").status_code == 200


def test_unit_officer_cannot_see_another_wards_page(personas, client_for):
    page = client_for(personas.hanh).get(f"/don-vi/{org('phuong-duc-xuan').pk}/")
    assert page.status_code == 404
    assert "Không tìm thấy trang" in page.content.decode()
    assert "Lý Thị Thu" not in page.content.decode()


def test_unit_officer_cannot_see_the_city_above(personas, client_for):
    assert client_for(personas.hanh).get(f"/don-vi/{org('ubnd-tp-bac-kan').pk}/").status_code == 404


@pytest.mark.parametrize("bad", ["abc", "0", "99999999", "-1", "1.5"])
def test_malformed_or_missing_ids_answer_404(personas, client_for, bad):
    assert client_for(personas.admin).get(f"/don-vi/{bad}/").status_code == 404


def test_city_chairman_sees_every_unit_of_the_city(personas, client_for):
    client = client_for(personas.binh)
    for code in ["phuong-duc-xuan", "phuong-song-cau", "tram-y-te-song-cau", "phong-noi-vu-tp"]:
        assert client.get(f"/don-vi/{org(code).pk}/").status_code == 200
    assert client.get(f"/don-vi/{org('ubnd-tinh-bac-kan').pk}/").status_code == 404


def test_access_helper_refuses_anonymous_and_strangers(personas):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    ward = org("phuong-song-cau")
    for user in [AnonymousUser(), personas.stranger, personas.thu]:
        with pytest.raises(Http404):
            get_organisation_for(user, ward.pk)
    assert get_organisation_for(personas.admin, ward.pk) == ward
    assert get_organisation_for(personas.tam, str(ward.pk)) == ward


def test_my_units_lists_only_the_users_scope(personas, client_for):
    page = client_for(personas.hanh).get("/don-vi/").content.decode()
    assert "Ủy ban nhân dân phường Sông Cầu" in page
    assert "Trạm Y tế phường Sông Cầu" in page
    assert "Đức Xuân" not in page


def test_private_pages_send_anonymous_visitors_to_login(client):
    for url in ["/viec-cua-toi/", "/don-vi/", "/nhat-ky/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/tai-khoan/dang-nhap/")


@pytest.mark.parametrize("name", ["hanh", "tam", "dung", "mai", "khanh", "binh", "lan", "quy",
                                  "stranger"])
def test_admin_site_is_for_administrators_only(personas, client_for, name):
    user = getattr(personas, name)
    user.is_staff = True  # a staff flag alone must not open the admin site
    user.save(update_fields=["is_staff"])
    response = client_for(user).get("/quan-tri/")
    assert response.status_code == 302
    assert "/quan-tri/login/" in response["Location"]


def test_administrator_opens_the_admin_and_sees_unverified_flags(personas, client_for):
    client = client_for(personas.admin)
    assert client.get("/quan-tri/").status_code == 200
    page = client.get("/quan-tri/rulesets/awardform/").content.decode()
    assert "unverified-default" in page
    assert "Hệ số tiền thưởng cá nhân" in page


def test_activity_log_shows_only_rows_in_the_users_scope(personas, client_for):
    from thidua.core import activity

    activity.record("test.visible", target=org("phuong-song-cau"),
                    organisation=org("phuong-song-cau"))
    activity.record("test.hidden", target=org("phuong-duc-xuan"),
                    organisation=org("phuong-duc-xuan"))
    page = client_for(personas.hanh).get("/nhat-ky/").content.decode()
    assert "test.visible" in page and "test.hidden" not in page
    everything = client_for(personas.admin).get("/nhat-ky/").content.decode()
    assert "test.visible" in everything and "test.hidden" in everything


def test_organisation_page_shows_names_over_time(personas, client_for):
    from datetime import date

    from thidua.orgs import actions

    ward = org("phuong-song-cau")
    actions.rename_organisation(ward, name="Ủy ban nhân dân phường Sông Cầu mới",
                                on=date(2025, 7, 1), legal_reference="Nghị quyết thử nghiệm")
    html = client_for(personas.tam).get(f"/don-vi/{ward.pk}/").content.decode()
    history = html[html.index('data-testid="org-history"'):]
    assert "Ủy ban nhân dân phường Sông Cầu mới" in history
    assert "Ủy ban nhân dân phường Sông Cầu<" in history.replace("</td>", "<")
    assert "01/07/2025" in history and "Nghị quyết thử nghiệm" in html
