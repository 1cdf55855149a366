"""The public movement page and who may see a draft."""

from datetime import date

import pytest
from django.test import Client

from thidua.movements.models import Movement
from thidua.orgs.models import Organisation
from thidua.rulesets.models import RuleSet

pytestmark = pytest.mark.django_db

SEED_URL = "/phong-trao/phong-chong-covid-19-tp-bac-kan-2021/"


def section(html, testid):
    start = html.index(f'data-testid="{testid}"')
    return html[start:html.index("</section>", start)]


@pytest.fixture
def ward_draft(demo):
    """A draft movement of Đức Xuân ward, not yet published."""
    ward = Organisation.objects.get(code="phuong-duc-xuan")
    return Movement.objects.create(
        slug="du-thao-duc-xuan", number="5/KH-UBND", title="Phong trào thi đua dự thảo",
        short_title="Dự thảo của phường", issuer=ward, issued_on=date(2021, 11, 1),
        launched_on=date(2021, 11, 1), signer_name="Người ký", signer_title="Chủ tịch",
        scope="commune", stream="themed", rule_set=RuleSet.objects.get(code="2021"),
        receiving_office=ward, council_secretariat=ward,
    )


def test_anyone_reads_the_plans_structure(demo):
    page = Client().get(SEED_URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Thành phố Bắc Kạn đoàn kết, chung sức, đồng lòng" in html
    assert "23/KH-UBND" in html and "26/10/2021" in html and "25/10/2021" in html
    assert "613/KH-UBND" in html and "1497/QĐ-TTg" in html
    for heading in ["II. Nội dung thi đua", "IV.1. Tiêu chí thi đua", "Hình thức khen thưởng",
                    "Thành phần hồ sơ", "V. Tổ chức thực hiện"]:
        assert heading in html
    assert section(html, "content-areas").count('class="h6 card-title"') == 6
    criteria = section(html, "criteria")
    assert criteria.count('class="card h-100 criterion"') == 7
    assert "Lực lượng tuyến đầu" in criteria and "Cơ quan truyền thông, báo chí" in criteria
    assert "Bằng khen của Chủ tịch UBND tỉnh" in html
    assert "Đề nghị lên cấp trên" in html and "Quyết định tại địa phương, đơn vị" in html
    assert "mặc định chưa kiểm chứng" in html
    assert "Văn phòng HĐND và UBND thành phố" in html


def test_public_home_lists_the_published_movement_only(ward_draft):
    html = Client().get("/").content.decode()
    assert "Thành phố Bắc Kạn đoàn kết" in html
    assert "Dự thảo của phường" not in html


def test_a_draft_is_hidden_from_the_public_and_other_units(ward_draft, personas, client_for):
    url = f"/phong-trao/{ward_draft.slug}/"
    assert Client().get(url).status_code == 404
    assert client_for(personas.hanh).get(url).status_code == 404
    assert "Dự thảo của phường" not in client_for(personas.hanh).get("/phong-trao/").content.decode()


def test_a_draft_is_visible_to_its_issuers_people_and_admins(ward_draft, personas, client_for):
    url = f"/phong-trao/{ward_draft.slug}/"
    assert client_for(personas.thu).get(url).status_code == 200
    assert client_for(personas.admin).get(url).status_code == 200


def test_english_switch_translates_the_page(demo):
    client = Client()
    response = client.post("/ngon-ngu/", {"language": "en", "next": SEED_URL}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Award forms" in html or "Award form" in html
    assert "Tổ chức thực hiện" not in html
    # The plan's own text stays in Vietnamese: it is the document, not the interface.
    assert "Thành phố Bắc Kạn đoàn kết" in html


def test_movement_page_runs_a_fixed_number_of_queries(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        Client().get(SEED_URL)


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(demo):
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = client.get(SEED_URL).content.decode()
    assert "Tổ chức thực hiện" in html and '<html lang="vi">' in html


def test_units_get_a_button_to_propose_and_the_public_does_not(demo, personas, client_for):
    assert "Lập hồ sơ đề nghị khen thưởng" in client_for(personas.hanh).get(SEED_URL).content.decode()
    assert "Lập hồ sơ đề nghị khen thưởng" not in Client().get(SEED_URL).content.decode()
    assert "Lập hồ sơ đề nghị khen thưởng" not in client_for(personas.dung).get(SEED_URL).content.decode()
