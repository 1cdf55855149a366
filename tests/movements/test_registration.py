"""Đăng ký thi đua: the officer writes, the head sends by the deadline, the office accepts or
returns; after the deadline only the office takes one in, with its reason logged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.movements.conftest import org
from thidua.core.models import Activity, Notice
from thidua.movements import actions
from thidua.movements.models import Movement, Registration

pytestmark = pytest.mark.django_db


def pledges(movement, **extra):
    return {c.pk: {"kind": "pledge", "pledged": True, **extra} for c in movement.criteria.all()}


def past_deadline(movement):
    Movement.objects.filter(pk=movement.pk).update(registration_deadline="2020-01-01")
    return Movement.objects.get(pk=movement.pk)


def test_officer_writes_head_sends_office_accepts(wards, personas):
    first, second = wards.criteria.all()
    registration = actions.save_registration(wards, org("phuong-song-cau"), by=personas.hanh,
                                             commitments={
        first.pk: {"kind": "target", "target": "  95 %  hộ ", "note": "Cả năm"},
        second.pk: {"kind": "pledge", "pledged": True}})
    assert registration.state == Registration.State.DRAFT
    assert list(registration.commitments.values_list("kind", "target", "pledged")) == [
        ("target", "95 % hộ", False), ("pledge", "", True)]
    with pytest.raises(PermissionDenied):
        actions.submit_registration(registration, by=personas.hanh)  # the head approves
    sent = actions.submit_registration(registration, by=personas.tam)
    assert sent.state == "submitted" and sent.submitted_by == personas.tam
    assert Notice.objects.filter(user=personas.dung, text__contains="phường Sông Cầu").exists()
    with pytest.raises(ValidationError, match="đã gửi"):
        actions.save_registration(wards, org("phuong-song-cau"), by=personas.hanh,
                                  commitments=pledges(wards))
    accepted = actions.accept_registration(sent, by=personas.dung)
    assert accepted.state == "accepted" and accepted.decided_by == personas.dung


def test_a_returned_registration_is_fixed_and_sent_again(wards, personas):
    registration = actions.save_registration(wards, org("phuong-song-cau"), by=personas.hanh,
                                             commitments=pledges(wards))
    registration = actions.submit_registration(registration, by=personas.tam)
    with pytest.raises(ValidationError, match="lý do"):
        actions.return_registration(registration, by=personas.mai, reason="  ",
                                    seen={"state": "submitted"})
    returned = actions.return_registration(registration, by=personas.mai, reason="Thiếu chỉ tiêu",
                                           seen={"state": "submitted"})
    assert returned.state == "returned"
    assert Notice.objects.filter(user=personas.hanh, text__contains="Thiếu chỉ tiêu").exists()
    actions.save_registration(wards, org("phuong-song-cau"), by=personas.hanh,
                              commitments=pledges(wards, note="Đã bổ sung"))
    again = actions.submit_registration(returned, by=personas.tam)
    assert again.state == "submitted" and again.return_reason == ""


def test_nothing_to_send_without_a_commitment(wards, personas):
    registration = actions.save_registration(wards, org("phuong-song-cau"), by=personas.hanh,
                                             commitments={})
    with pytest.raises(ValidationError, match="chưa có cam kết"):
        actions.submit_registration(registration, by=personas.tam)


def test_a_target_without_its_figure_is_refused(wards, personas):
    criterion = wards.criteria.first()
    with pytest.raises(ValidationError, match="chỉ tiêu"):
        actions.save_registration(wards, org("phuong-song-cau"), by=personas.hanh,
                                  commitments={criterion.pk: {"kind": "target", "note": "x"}})


@pytest.mark.parametrize("who", ["thu", "dung", "mai", "khanh", "stranger"])
def test_only_the_units_people_write_its_registration(wards, personas, who):
    with pytest.raises(PermissionDenied):
        actions.save_registration(wards, org("phuong-song-cau"), by=getattr(personas, who),
                                  commitments=pledges(wards))
    assert not Registration.objects.exists()


@pytest.mark.parametrize("who", ["hanh", "tam", "thu", "khanh", "quy"])
def test_only_the_office_accepts_or_returns(wards, personas, who):
    registration = actions.save_registration(wards, org("phuong-song-cau"), by=personas.hanh,
                                             commitments=pledges(wards))
    sent = actions.submit_registration(registration, by=personas.tam)
    with pytest.raises(PermissionDenied):
        actions.accept_registration(sent, by=getattr(personas, who))
    with pytest.raises(PermissionDenied):
        actions.return_registration(sent, by=getattr(personas, who), reason="Không")
    assert Registration.objects.get().state == "submitted"


def test_a_unit_not_taking_part_cannot_register(wards, personas):
    from tests.factories import member
    from thidua.orgs.models import Role

    officer = member(org("xa-duong-quang"), Role.UNIT_OFFICER)
    with pytest.raises(ValidationError, match="không tham gia"):
        actions.save_registration(wards, org("xa-duong-quang"), by=officer,
                                  commitments=pledges(wards))


def test_after_the_deadline_the_unit_is_refused_and_the_office_takes_it_with_a_reason(
        wards, personas):
    registration = actions.save_registration(wards, org("phuong-song-cau"), by=personas.hanh,
                                             commitments=pledges(wards))
    late = past_deadline(wards)
    with pytest.raises(ValidationError, match="quá hạn đăng ký"):
        actions.submit_registration(registration, by=personas.tam)
    assert Registration.objects.get(pk=registration.pk).state == "draft"
    with pytest.raises(ValidationError, match="lý do"):
        actions.accept_late_registration(late, org("phuong-song-cau"), by=personas.mai, reason="")
    with pytest.raises(PermissionDenied):
        actions.accept_late_registration(late, org("phuong-song-cau"), by=personas.tam,
                                         reason="Xin nhận")
    taken = actions.accept_late_registration(late, org("phuong-song-cau"), by=personas.mai,
                                             reason="Phường báo mất điện ngày cuối")
    assert taken.state == "accepted" and taken.late_reason == "Phường báo mất điện ngày cuối"
    row = Activity.objects.get(verb="registration.accepted_late")
    assert row.reason == "Phường báo mất điện ngày cuối" and row.actor == personas.mai


def test_before_the_deadline_the_office_does_not_take_in_for_the_unit(wards, personas):
    with pytest.raises(ValidationError, match="Chưa hết hạn"):
        actions.accept_late_registration(wards, org("phuong-song-cau"), by=personas.mai,
                                         reason="Nhận hộ")


def test_registration_pages_per_persona(wards, personas, client_for):
    url = f"/phong-trao/{wards.slug}/dang-ky/"
    criteria = list(wards.criteria.all())
    hanh = client_for(personas.hanh)
    page = hanh.get(url)
    assert page.status_code == 200 and "Tỷ lệ hộ phân loại rác" in page.content.decode()
    assert "Duyệt và gửi" not in page.content.decode()
    data = {f"k-{criteria[0].pk}": "target", f"t-{criteria[0].pk}": "90%",
            f"k-{criteria[1].pk}": "pledge", f"p-{criteria[1].pk}": "1", "note": "Ghi chú"}
    assert hanh.post(url, data).status_code == 302
    registration = Registration.objects.get()
    assert registration.commitments.count() == 2
    tam = client_for(personas.tam)
    assert "Duyệt và gửi" in tam.get(url).content.decode()
    tam.post(url, {"gui": "1", "trang_thai": "draft"})
    assert Registration.objects.get().state == "submitted"
    for who in ("dung", "khanh", "stranger"):
        assert client_for(getattr(personas, who)).get(url).status_code == 404
    office = f"/phong-trao/{wards.slug}/cac-ban-dang-ky/"
    html = client_for(personas.dung).get(office).content.decode()
    assert "Đã gửi, chờ tiếp nhận" in html and html.count("Chưa đăng ký") == 2
    for who in ("hanh", "tam", "khanh", "stranger"):
        assert client_for(getattr(personas, who)).get(office).status_code in (302, 404)
    participant = wards.participants.get(organisation__code="phuong-song-cau")
    client_for(personas.dung).post(office, {"id": participant.pk, "viec": "tra-lai",
                                            "trang_thai": "submitted", "reason": "Sửa lại"})
    assert Registration.objects.get().state == "returned"
    detail = client_for(personas.mai).get(f"{office}{registration.pk}/").content.decode()
    assert "90%" in detail and "Sửa lại" in detail


def test_the_office_takes_in_late_from_its_page(wards, personas, client_for):
    late = past_deadline(wards)
    office = f"/phong-trao/{late.slug}/cac-ban-dang-ky/"
    participant = late.participants.get(organisation__code="phuong-duc-xuan")
    client = client_for(personas.dung)
    assert "Tiếp nhận sau hạn" in client.get(office).content.decode()
    response = client.post(office, {"id": participant.pk, "viec": "nhan-sau-han", "reason": ""},
                           follow=True)
    assert "lý do" in response.content.decode()
    assert not Registration.objects.exists()
    client.post(office, {"id": participant.pk, "viec": "nhan-sau-han", "reason": "Đã gọi điện"})
    assert Registration.objects.get().state == "accepted"


def test_the_office_list_runs_a_fixed_number_of_queries(wards, personas, client_for,
                                                        django_assert_max_num_queries):
    client = client_for(personas.dung)
    url = f"/phong-trao/{wards.slug}/cac-ban-dang-ky/"
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    actions.add_participants(wards, by=personas.mai, organisations=list(
        actions.organisations_by(wards, kinds=["peoples_committee", "front_mass_org"])))
    for code in ("phuong-duc-xuan", "phuong-song-cau"):
        actions.save_registration(wards, org(code), by=personas.hanh if code.endswith("cau")
                                  else personas.thu, commitments=pledges(wards))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
