"""Each role's home page lists what waits for it."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

SEED = "Phong trào thi đua phòng, chống dịch COVID-19"


@pytest.mark.parametrize("name, role, org_text", [
    ("hanh", "unit_officer", "phường Sông Cầu"),
    ("tam", "unit_head", "phường Sông Cầu"),
    ("dung", "receiving_office", "Văn phòng HĐND và UBND thành phố"),
    ("mai", "council_secretariat", "Phòng Nội vụ thành phố"),
    ("khanh", "council_member", "thành phố Bắc Kạn"),
    ("binh", "chairman", "thành phố Bắc Kạn"),
    ("lan", "communications_editor", "Phòng Văn hóa và Thông tin thành phố"),
    ("quy", "viewer", "thành phố Bắc Kạn"),
])
def test_each_role_sees_its_panel_with_the_seed_movement(personas, client_for, name, role,
                                                         org_text):
    html = client_for(getattr(personas, name)).get("/viec-cua-toi/").content.decode()
    start = html.index(f'data-testid="role-panel-{role}"')
    panel = html[start:html.index("</section>", start)]
    assert org_text in panel
    assert SEED in panel


def test_a_unit_outside_the_movement_has_nothing_waiting(demo, client_for):
    from tests.factories import OrganisationFactory, member
    from thidua.orgs.models import Level, Role

    other_city = OrganisationFactory(code="tp-khac", level=Level.DISTRICT)
    officer = member(other_city, Role.UNIT_OFFICER)
    html = client_for(officer).get("/viec-cua-toi/").content.decode()
    assert "Hiện không có việc nào chờ xử lý." in html
    assert SEED not in html


def test_a_user_without_roles_is_told_to_ask_the_administrator(personas, client_for):
    html = client_for(personas.stranger).get("/viec-cua-toi/").content.decode()
    assert "chưa được giao vai trò" in html


def test_administrator_sees_the_overview_with_unverified_defaults(personas, client_for):
    html = client_for(personas.admin).get("/viec-cua-toi/").content.decode()
    assert 'data-testid="admin-overview"' in html
    assert "quy tắc có giá trị mặc định chưa kiểm chứng" in html


def test_navigation_follows_the_role(personas, client_for):
    officer = client_for(personas.hanh).get("/viec-cua-toi/").content.decode()
    admin = client_for(personas.admin).get("/viec-cua-toi/").content.decode()
    assert 'href="/quan-tri/"' not in officer and 'href="/quan-tri/"' in admin
    assert 'href="/nhat-ky/"' not in officer
    assert 'href="/nhat-ky/"' in client_for(personas.dung).get("/viec-cua-toi/").content.decode()


def test_notices_show_on_the_home_page_until_marked_read(personas, client_for):
    from thidua.core.notify import notify

    notify([personas.hanh], "Hồ sơ đã được tiếp nhận.", "/ho-so/1/")
    client = client_for(personas.hanh)
    assert "Hồ sơ đã được tiếp nhận." in client.get("/viec-cua-toi/").content.decode()
    client.post("/thong-bao/da-doc/")
    assert "Hồ sơ đã được tiếp nhận." not in client.get("/viec-cua-toi/").content.decode()
    assert personas.hanh.notices.unread().count() == 0


def test_the_role_descriptions_follow_the_language_switch(personas, client_for):
    """ROLE_TASKS is built at import time: its strings must still be translated per request."""
    client = client_for(personas.hanh)
    vietnamese = client.get("/viec-cua-toi/").content.decode()
    assert "lập đăng ký, kế hoạch, hồ sơ đề nghị" in vietnamese
    client.post("/ngon-ngu/", {"language": "en", "next": "/viec-cua-toi/"})
    # The test client serves the request in this thread: keep its English from leaking into
    # the tests that run after this one.
    with translation.override("vi"):
        english = client.get("/viec-cua-toi/").content.decode()
    assert "Movements your unit is taking part in" in english
    assert "lập đăng ký, kế hoạch, hồ sơ đề nghị" not in english
