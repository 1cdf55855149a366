"""The secretariat sets up a pre-printed blank in millimetres and prints the test page; a ward
sets up its own; nobody touches another body's blanks."""

import io

import pytest
from pypdf import PdfReader

from thidua.documents.models import CertificateLayout
from thidua.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def post_data(organisation, **changes):
    data = {"organisation": organisation.pk, "name": "Phôi giấy khen 2021 (Sở Tài chính in)",
            "page_width_mm": "297", "page_height_mm": "210", "offset_x_mm": "0",
            "offset_y_mm": "0"}
    from thidua.documents.models import DEFAULT_FIELDS

    for key, spec in DEFAULT_FIELDS.items():
        data |= {f"{key}-x": spec["x"], f"{key}-y": spec["y"], f"{key}-size": spec["size"]}
    return data | changes


@pytest.fixture
def city(demo):
    return Organisation.objects.get(code="ubnd-tp-bac-kan")


def test_the_secretariat_sets_up_a_blank_and_prints_the_test_page(city, personas, client_for):
    client = client_for(personas.mai)
    page = client.get("/mau-phoi/moi/").content.decode()
    assert "Ủy ban nhân dân thành phố Bắc Kạn" in page and "Mã QR xác minh" in page
    response = client.post("/mau-phoi/moi/", post_data(city, **{"name-y": "95.5",
                                                                "offset_x_mm": "-2"}),
                           follow=True)
    layout = CertificateLayout.objects.get()
    assert response.redirect_chain[-1][0] == f"/mau-phoi/{layout.pk}/"
    assert layout.organisation == city and float(layout.offset_x_mm) == -2
    assert layout.fields == {"name": {"y": 95.5}}  # only what differs from the built-in
    assert layout.merged_fields()["name"]["y"] == 95.5
    pdf = PdfReader(io.BytesIO(client.get(f"/mau-phoi/{layout.pk}/in-thu.pdf").content))
    assert len(pdf.pages) == 2
    grid, sample = (p.extract_text() for p in pdf.pages)
    assert "name (148.5; 95.5)" in grid and "Nguyễn Thị Thu Hường" in sample
    assert "mau-phoi/" in client.get("/mau-phoi/").content.decode()


def test_bad_positions_are_refused_and_nothing_is_saved(city, personas, client_for):
    client = client_for(personas.mai)
    page = client.post("/mau-phoi/moi/", post_data(city, **{"qr-x": "310", "name": " "}),
                       follow=True).content.decode()
    assert not CertificateLayout.objects.exists()
    assert "Trường này là bắt buộc" in page
    page = client.post("/mau-phoi/moi/", post_data(city, **{"qr-x": "310"}),
                       follow=True).content.decode()
    assert "Mã QR xác minh nằm ngoài khổ giấy" in page
    assert not CertificateLayout.objects.exists()


def test_a_ward_sets_up_only_its_own(city, personas, client_for):
    ward = personas.hanh.organisations_with_role("unit_officer")[0]
    client = client_for(personas.hanh)
    client.post("/mau-phoi/moi/", post_data(ward))
    own = CertificateLayout.objects.get(organisation=ward)
    page = client.post("/mau-phoi/moi/", post_data(city), follow=True).content.decode()
    assert CertificateLayout.objects.count() == 1  # the city's choice is not offered, nor taken
    assert "Hãy chọn một lựa chọn hợp lệ" in page
    city_layout = CertificateLayout.objects.create(organisation=city, name="Phôi thành phố")
    assert client.get(f"/mau-phoi/{city_layout.pk}/").status_code == 404
    assert client.get(f"/mau-phoi/{city_layout.pk}/in-thu.pdf").status_code == 404
    assert client_for(personas.mai).get(f"/mau-phoi/{own.pk}/").status_code == 404
    assert client_for(personas.stranger).get("/mau-phoi/").status_code == 404
    assert client_for(personas.khanh).get("/mau-phoi/moi/").status_code == 404


def test_what_the_editor_does_not_show_is_kept(city, personas, client_for):
    layout = CertificateLayout.objects.create(
        organisation=city, name="Phôi", fields={"citation": {"width": 180},
                                                "name": {"italic": True, "y": 90}})
    client_for(personas.mai).post(f"/mau-phoi/{layout.pk}/", post_data(city, **{"name-y": "96"}))
    layout.refresh_from_db()
    assert layout.fields == {"citation": {"width": 180}, "name": {"italic": True, "y": 96.0}}


def test_an_administrator_keeps_a_shared_blank_shared(city, personas, client_for):
    shared = CertificateLayout.objects.create(organisation=None, name="Phôi chung")
    data = post_data(city, name="Phôi chung") | {"organisation": ""}
    client_for(personas.admin).post(f"/mau-phoi/{shared.pk}/", data)
    shared.refresh_from_db()
    assert shared.organisation is None
    # Others may not make a blank shared.
    client_for(personas.mai).post("/mau-phoi/moi/", data)
    assert CertificateLayout.objects.count() == 1
