"""The editorial flow and who may do what, persona by persona."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from thidua.core.models import Activity
from thidua.exemplars import actions
from thidua.exemplars.models import Exemplar, ExemplarKind

pytestmark = pytest.mark.django_db


def record(movement, org, by, **extra):
    return actions.record_exemplar(movement=movement, organisation=org, by=by,
                                   kind=ExemplarKind.MODEL, title="Mô hình chợ 0 đồng",
                                   summary="Rau, gạo miễn phí.", shows_person=False, **extra)


def test_unit_officer_records_for_own_unit(movement, ward, personas):
    exemplar = record(movement, ward, personas.hanh)
    assert exemplar.state == Exemplar.State.DRAFT
    assert exemplar.created_by == personas.hanh
    assert Activity.objects.filter(verb="exemplar.created", target_id=str(exemplar.pk)).exists()


@pytest.mark.parametrize("name", ["thu", "quy", "mai", "dung", "khanh", "stranger"])
def test_others_cannot_record_for_song_cau(movement, ward, personas, name):
    with pytest.raises(PermissionDenied):
        record(movement, ward, getattr(personas, name))
    assert not Exemplar.objects.exists()


def test_editor_records_for_any_unit(movement, demo, personas):
    exemplar = record(movement, demo.org("xa-duong-quang"), personas.lan)
    assert exemplar.organisation.code == "xa-duong-quang"


def test_full_flow_submit_return_resubmit_publish_unpublish_republish(make_exemplar, personas):
    exemplar = make_exemplar("submitted")
    exemplar = actions.return_exemplar(exemplar, reason="Thêm ảnh", by=personas.lan)
    assert exemplar.state == Exemplar.State.RETURNED and exemplar.return_reason == "Thêm ảnh"
    exemplar = actions.update_exemplar(exemplar, by=personas.hanh, title="Chị Lan và bếp cơm 0 đồng")
    exemplar = actions.submit_exemplar(exemplar, by=personas.hanh)
    exemplar = actions.publish_exemplar(exemplar, by=personas.lan)
    assert exemplar.state == Exemplar.State.PUBLISHED and exemplar.published_by == personas.lan
    assert Exemplar.objects.public().filter(pk=exemplar.pk).exists()
    exemplar = actions.unpublish_exemplar(exemplar, reason="Hết thời sự", by=personas.lan)
    assert exemplar.state == Exemplar.State.UNPUBLISHED
    assert Exemplar.objects.filter(pk=exemplar.pk).exists()  # the record stays
    assert not Exemplar.objects.public().filter(pk=exemplar.pk).exists()
    exemplar = actions.publish_exemplar(exemplar, by=personas.lan)
    assert exemplar.state == Exemplar.State.PUBLISHED
    verbs = list(Activity.objects.filter(target_id=str(exemplar.pk)).values_list("verb", flat=True))
    for verb in ("exemplar.submit", "exemplar.return_for_changes", "exemplar.publish",
                 "exemplar.unpublish", "exemplar.updated", "exemplar.consent_recorded"):
        assert verb in verbs


@pytest.mark.parametrize("name", ["hanh", "tam", "thu", "mai", "binh", "quy"])
def test_only_the_editor_publishes(make_exemplar, personas, name):
    exemplar = make_exemplar("submitted")
    with pytest.raises(PermissionDenied):
        actions.publish_exemplar(exemplar, by=getattr(personas, name))
    with pytest.raises(PermissionDenied):
        actions.reject_exemplar(exemplar, reason="x", by=getattr(personas, name))
    assert Exemplar.objects.get(pk=exemplar.pk).state == Exemplar.State.SUBMITTED


def test_other_unit_officer_cannot_submit_or_edit(make_exemplar, personas):
    exemplar = make_exemplar("draft")
    with pytest.raises(PermissionDenied):
        actions.submit_exemplar(exemplar, by=personas.thu)
    with pytest.raises(PermissionDenied):
        actions.update_exemplar(exemplar, by=personas.thu, title="x")


def test_publishing_a_person_without_consent_is_refused(make_exemplar, personas):
    exemplar = make_exemplar("submitted", consent=False)
    with pytest.raises(ValidationError, match="đồng ý"):
        actions.publish_exemplar(exemplar, by=personas.lan)
    assert Exemplar.objects.get(pk=exemplar.pk).state == Exemplar.State.SUBMITTED


def test_a_model_without_a_person_needs_no_consent(make_exemplar, personas):
    exemplar = make_exemplar("published", person="", consent=False)
    assert exemplar.is_public


def test_the_database_refuses_a_published_person_without_consent(make_exemplar):
    exemplar = make_exemplar("published")
    with pytest.raises(IntegrityError), transaction.atomic():
        Exemplar.objects.filter(pk=exemplar.pk).update(consent_at=None)


def test_withdrawn_consent_takes_the_story_off_the_public_pages(make_exemplar, personas):
    exemplar = make_exemplar("published")
    exemplar = actions.withdraw_consent(exemplar, reason="Gia đình không muốn", by=personas.hanh)
    assert exemplar.state == Exemplar.State.UNPUBLISHED and exemplar.consent_at is None
    with pytest.raises(ValidationError):
        actions.publish_exemplar(exemplar, by=personas.lan)


def test_consent_keeps_who_and_when(make_exemplar, personas):
    exemplar = make_exemplar("draft", consent=False)
    exemplar = actions.record_consent(exemplar, note="Ký giấy đồng ý ngày 12/11", by=personas.hanh)
    assert exemplar.consent_by == personas.hanh and exemplar.consent_at is not None
    with pytest.raises(ValidationError):
        actions.record_consent(exemplar, note="  ", by=personas.hanh)


def test_a_stale_page_is_refused(make_exemplar, personas):
    exemplar = make_exemplar("submitted")
    actions.return_exemplar(exemplar, reason="Sửa", by=personas.lan)
    with pytest.raises(ValidationError, match="người khác"):
        actions.publish_exemplar(exemplar, by=personas.lan, seen_state="submitted")


def test_reasons_are_required(make_exemplar, personas):
    exemplar = make_exemplar("submitted")
    for act in (actions.return_exemplar, actions.reject_exemplar):
        with pytest.raises(ValidationError):
            act(exemplar, reason=" ", by=personas.lan)


def test_published_story_is_not_edited_by_the_unit(make_exemplar, personas):
    exemplar = make_exemplar("published")
    with pytest.raises(ValidationError):
        actions.update_exemplar(exemplar, by=personas.hanh, title="Sửa sau khi đăng")


# --- pages ------------------------------------------------------------------------------------

def test_pages_follow_the_flow(make_exemplar, personas, client_for):
    exemplar = make_exemplar("draft")
    hanh, lan = client_for(personas.hanh), client_for(personas.lan)
    url = f"/guong-dien-hinh/quan-ly/{exemplar.pk}/"
    assert "Gửi biên tập" in hanh.get(url).content.decode()
    hanh.post(f"{url}gui/", {"seen": "draft"})
    assert Exemplar.objects.get(pk=exemplar.pk).state == "submitted"
    assert "Đăng lên trang công khai" not in hanh.get(url).content.decode()
    assert "Đăng lên trang công khai" in lan.get(url).content.decode()
    hanh.post(f"{url}dang/", {"seen": "submitted"})  # refused: not an editor
    assert Exemplar.objects.get(pk=exemplar.pk).state == "submitted"
    lan.post(f"{url}dang/", {"seen": "submitted"})
    assert Exemplar.objects.get(pk=exemplar.pk).state == "published"
    lan.post(f"{url}go-bai/", {"seen": "published", "reason": ""})
    assert Exemplar.objects.get(pk=exemplar.pk).state == "published"  # a reason is required


@pytest.mark.parametrize("name", ["thu", "stranger", None])
def test_a_draft_is_not_found_by_others(make_exemplar, personas, client_for, name):
    exemplar = make_exemplar("draft")
    client = client_for(getattr(personas, name) if name else None)
    response = client.get(f"/guong-dien-hinh/quan-ly/{exemplar.pk}/")
    assert response.status_code in (302, 404)
    assert exemplar.title not in response.content.decode()
    assert client.get(f"/guong-dien-hinh/{exemplar.pk}/").status_code == 404


def test_new_exemplar_form_records_a_draft(movement, personas, client_for, ward):
    client = client_for(personas.hanh)
    url = f"/guong-dien-hinh/quan-ly/them/?phong-trao={movement.slug}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"phong-trao": movement.slug, "organisation": ward.pk,
                                 "kind": "good_deed", "title": "Anh Sơn chở hàng",
                                 "summary": "Không lấy công.", "story": "<p>Chuyện</p>",
                                 "shows_person": "on", "person_name": "Hoàng Văn Sơn"})
    exemplar = Exemplar.objects.get(title="Anh Sơn chở hàng")
    assert response.status_code == 302 and exemplar.organisation == ward
    assert client_for(personas.quy).get(url).status_code == 404


def test_editor_and_unit_see_their_lists(make_exemplar, personas, client_for):
    exemplar = make_exemplar("submitted")
    assert exemplar.title in client_for(personas.lan).get("/guong-dien-hinh/quan-ly/").content.decode()
    assert exemplar.title in client_for(personas.tam).get("/guong-dien-hinh/quan-ly/").content.decode()
    assert exemplar.title not in client_for(personas.thu).get(
        "/guong-dien-hinh/quan-ly/").content.decode()


def test_an_exemplar_prefills_a_nominee_of_a_dossier(make_exemplar, draft, personas, client_for):
    exemplar = make_exemplar("published", person="Hoàng Thị Mơ", summary="Nấu cơm 3 tuần.")
    client = client_for(personas.hanh)
    response = client.get(f"/guong-dien-hinh/quan-ly/{exemplar.pk}/de-nghi/", {"ho-so": draft.pk})
    assert response["Location"] == f"/ho-so/{draft.pk}/them-nguoi/?guong={exemplar.pk}"
    form = client.get(response["Location"]).context["form"]
    assert form.initial["full_name"] == "Hoàng Thị Mơ"
    assert form.initial["achievement_summary"] == "Nấu cơm 3 tuần."
    assert form.initial["unit_name"] == "Ủy ban nhân dân phường Sông Cầu"
    # Another unit's officer cannot use the link to read a draft exemplar of Sông Cầu.
    hidden = make_exemplar("draft", title="Nháp")
    assert client_for(personas.thu).get(f"/ho-so/{draft.pk}/them-nguoi/?guong={hidden.pk}").status_code == 404
