"""The office's pages: create a movement, set it up part by part, launch it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.test_uploads import make_pdf
from tests.movements.conftest import org
from thidua.movements.models import Movement
from thidua.orgs.models import today

pytestmark = pytest.mark.django_db


def form_data(**extra):
    data = {
        "title": "Phong trào thi đua “Dân vận khéo” năm 2026", "short_title": "Dân vận khéo 2026",
        "number": "55/KH-UBND", "document_kind": "Kế hoạch",
        "issuer": org("ubnd-tp-bac-kan").pk, "issued_on": "2026-04-01",
        "launched_on": "2026-04-02", "place": "TP. Bắc Kạn", "signer_name": "Ma Văn Bình",
        "signer_title": "Chủ tịch", "signer_capacity": "TM. ỦY BAN NHÂN DÂN",
        "scope": "district", "stream": "themed", "rule_set": Movement.objects.get(
            number="23/KH-UBND").rule_set_id,
        "receiving_office": org("vp-hdnd-ubnd-tp").pk,
        "council_secretariat": org("phong-noi-vu-tp").pk,
        "registration_deadline": str(today()),
    }
    data.update(extra)
    return data


def test_the_secretariat_creates_sets_up_and_launches_from_the_pages(personas, client_for):
    client = client_for(personas.mai)
    assert "Lập phong trào mới" in client.get("/phong-trao/").content.decode()
    response = client.post("/phong-trao/tao-moi/", form_data())
    movement = Movement.objects.get(number="55/KH-UBND")
    assert response.status_code == 302 and response.url.endswith(f"/{movement.slug}/thiet-lap/")
    setup = response.url
    assert client.get(setup).status_code == 200
    client.post(setup + "?phan=tieu-chi", {"code": "1", "title": "Mô hình dân vận khéo",
                                           "participant_kind": "party_and_government"})
    client.post(setup + "?phan=noi-dung", {"code": "1", "title": "Dân vận chính quyền"})
    client.post(setup + "?phan=don-vi", {"kinds": ["peoples_committee"], "levels": ["commune"]})
    client.post(setup + "?phan=don-vi", {"organisation": org("hoi-lhpn-tp").pk})
    client.post(setup + "?phan=can-cu", {"number": "8/KH-UBND", "issued_on": "2026-01-05",
                                         "issuer_name": "UBND tỉnh Bắc Kạn", "title": "Kế hoạch"})
    client.post(setup + "?phan=ky-bao-cao", {"kind": "final", "title": "Tổng kết",
                                             "starts_on": "2026-04-02", "ends_on": "2026-11-30",
                                             "due_on": "2026-12-05"})
    client.post(setup + "?phan=giam-sat", {"member": personas.khanh.pk,
                                           "organisation": org("phuong-song-cau").pk})
    client.post(setup + "?phan=van-ban", {"file": SimpleUploadedFile("kh.pdf", make_pdf())})
    movement.refresh_from_db()
    assert movement.criteria.count() == 1 and movement.content_areas.count() == 1
    assert movement.participants.count() == 9  # eight wards and communes, the women's union
    assert movement.parents.get().number == "8/KH-UBND"
    assert movement.report_periods.get().kind == "final"
    assert movement.supervisions.get().member == personas.khanh
    assert movement.plan_file_name == "kh.pdf"
    client.post(f"/phong-trao/{movement.slug}/chuyen-trang-thai/",
                {"chuyen": "phat-dong", "trang_thai": "draft"})
    assert Movement.objects.get(pk=movement.pk).status == "published"
    plan = client_for(None).get(f"/phong-trao/{movement.slug}/van-ban-ke-hoach/")
    assert plan.status_code == 200 and plan["Content-Disposition"].startswith("attachment")


def test_bad_input_answers_with_the_form_and_a_message(personas, client_for):
    client = client_for(personas.mai)
    response = client.post("/phong-trao/tao-moi/", form_data(title="", number=""))
    assert response.status_code == 400 and not Movement.objects.filter(
        short_title="Dân vận khéo 2026").exists()
    client.post("/phong-trao/tao-moi/", form_data())
    movement = Movement.objects.get(number="55/KH-UBND")
    setup = f"/phong-trao/{movement.slug}/thiet-lap/"
    page = client.post(setup + "?phan=don-vi", {})
    assert page.status_code == 400 and "Hãy chọn loại hình" in page.content.decode()
    fake = client.post(setup + "?phan=van-ban",
                       {"file": SimpleUploadedFile("kh.pdf", b"MZ" + b"\0" * 100)}, follow=True)
    assert "kh.pdf" in fake.content.decode() and not Movement.objects.get(pk=movement.pk).plan_file
    assert client.post(setup + "?phan=khong-co", {}).status_code == 404


@pytest.mark.parametrize("who", ["hanh", "tam", "dung", "khanh", "binh", "lan", "quy", "stranger"])
def test_the_setup_pages_are_the_secretariats(personas, client_for, movement, who):
    client = client_for(getattr(personas, who))
    assert client.get("/phong-trao/tao-moi/").status_code in (302, 404)
    assert client.get(f"/phong-trao/{movement.slug}/thiet-lap/").status_code in (302, 404)
    response = client.post(f"/phong-trao/{movement.slug}/chuyen-trang-thai/",
                           {"chuyen": "ket-thuc", "trang_thai": "published"})
    assert response.status_code in (302, 404)
    assert Movement.objects.get(pk=movement.pk).status == "published"
    assert "Lập phong trào mới" not in client.get("/phong-trao/").content.decode()


def test_the_movement_page_offers_each_persona_their_part(personas, client_for, movement):
    html = client_for(personas.hanh).get(f"/phong-trao/{movement.slug}/").content.decode()
    assert "Đăng ký thi đua" in html and "Kế hoạch của đơn vị" in html
    assert "Kết thúc phong trào" not in html
    mai = client_for(personas.mai).get(f"/phong-trao/{movement.slug}/").content.decode()
    assert "Kết thúc phong trào" in mai and "Thiết lập" in mai
    public = client_for(None).get(f"/phong-trao/{movement.slug}/").content.decode()
    assert "Đăng ký thi đua" not in public and "Kết thúc phong trào" not in public
