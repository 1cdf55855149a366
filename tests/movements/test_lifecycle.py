"""A movement made in the product: draft → launched → closed → summarised, by its office."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests import pipeline
from tests.movements.conftest import WARDS, draft_movement, org, set_up
from thidua.core.models import Activity, Notice
from thidua.movements import actions
from thidua.movements.models import Movement, Participant
from thidua.orgs.models import Membership, today

pytestmark = pytest.mark.django_db


def test_the_secretariat_sets_up_and_launches_a_movement_and_every_participant_is_told(
        wards_draft, personas, django_capture_on_commit_callbacks):
    assert wards_draft.status == Movement.Status.DRAFT
    assert wards_draft.slug == "phuong-sang-xanh-sach-dep"
    assert wards_draft.participants.count() == 3
    with pytest.raises(PermissionDenied):
        actions.launch_movement(wards_draft, by=personas.dung)
    with django_capture_on_commit_callbacks(execute=True):
        launched = actions.launch_movement(wards_draft, by=personas.mai)
    assert launched.status == Movement.Status.PUBLISHED
    assert str(launched.get_status_display()) == "Đã phát động"
    told = set(Notice.objects.filter(text__contains="Phường sáng, xanh").values_list(
        "user__username", flat=True))
    people = set(Membership.objects.active_on().filter(
        organisation__code__in=WARDS, role__in=["unit_officer", "unit_head"]).values_list(
        "user__username", flat=True))
    assert told == people and {"canbo.songcau", "chutich.songcau", "canbo.ducxuan"} <= told
    assert {"canbo.songcau@example.invalid"} <= {a for m in mail.outbox for a in m.to}
    assert Activity.objects.filter(verb="movement.launched", actor=personas.mai).exists()


def test_launching_needs_participants_and_criteria(personas):
    movement = draft_movement(personas.mai)
    with pytest.raises(ValidationError, match="đơn vị tham gia"):
        actions.launch_movement(movement, by=personas.mai)
    actions.add_participants(movement, by=personas.mai, organisations=[org(WARDS[0])])
    with pytest.raises(ValidationError, match="tiêu chí"):
        actions.launch_movement(movement, by=personas.mai)
    assert Movement.objects.get(pk=movement.pk).status == Movement.Status.DRAFT


def test_a_stale_launch_is_refused(wards, personas):
    with pytest.raises(ValidationError, match="vừa được người khác cập nhật"):
        actions.launch_movement(wards, by=personas.mai, seen={"status": "draft"})
    with pytest.raises(ValidationError, match="dự thảo"):
        actions.launch_movement(wards, by=personas.mai)


def test_close_then_summarise_and_nothing_is_edited_after(wards, personas):
    with pytest.raises(ValidationError, match="đã kết thúc"):
        actions.summarise_movement(wards, by=personas.mai)
    closed = actions.close_movement(wards, by=personas.mai)
    done = actions.summarise_movement(closed, by=personas.mai)
    assert done.status == Movement.Status.SUMMARISED
    with pytest.raises(ValidationError, match="không sửa được"):
        actions.update_movement(done, by=personas.mai, title="Tên khác")
    assert Movement.objects.visible_to(personas.stranger).filter(pk=done.pk).exists()


@pytest.mark.parametrize("who", ["hanh", "tam", "dung", "khanh", "binh", "lan", "quy", "stranger"])
def test_only_secretariats_and_admins_create_movements(personas, who):
    with pytest.raises(PermissionDenied):
        draft_movement(getattr(personas, who))
    assert not Movement.objects.filter(number="41/KH-UBND").exists()


@pytest.mark.parametrize("who", ["hanh", "tam", "dung", "khanh", "binh", "quy"])
def test_others_cannot_edit_or_move_a_movement(wards_draft, personas, who):
    user = getattr(personas, who)
    with pytest.raises(PermissionDenied):
        actions.update_movement(wards_draft, by=user, title="Đổi tên")
    with pytest.raises(PermissionDenied):
        actions.add_participants(wards_draft, by=user, organisations=[org("xa-duong-quang")])
    with pytest.raises(PermissionDenied):
        actions.launch_movement(wards_draft, by=user)


def test_a_secretariat_sets_up_only_its_own_body(personas):
    with pytest.raises(ValidationError, match="Thường trực Hội đồng"):
        draft_movement(personas.mai, issuer=org("phuong-song-cau"))
    with pytest.raises(PermissionDenied):
        draft_movement(personas.mai, council_secretariat=org("vp-hdnd-ubnd-tp"))
    assert draft_movement(personas.admin, issuer=org("phuong-song-cau"),
                          council_secretariat=org("phuong-song-cau")).status == "draft"


def test_the_same_plan_number_twice_is_refused(wards_draft, personas):
    with pytest.raises(ValidationError, match="41/KH-UBND"):
        draft_movement(personas.mai)


def test_parents_are_movements_or_external_documents(wards_draft, personas, movement):
    actions.add_parent(wards_draft, by=personas.mai, parent_movement=movement)
    actions.add_parent(wards_draft, by=personas.mai, number="12/KH-UBND",
                       issued_on=today(), issuer_name="UBND tỉnh Bắc Kạn", title="Kế hoạch")
    parents = list(wards_draft.parents.values_list("number", "parent_movement"))
    assert parents == [("23/KH-UBND", movement.pk), ("12/KH-UBND", None)]
    with pytest.raises(ValidationError, match="số hiệu"):
        actions.add_parent(wards_draft, by=personas.mai, number="13/KH-UBND")
    with pytest.raises(ValidationError, match="đã có"):
        actions.add_parent(wards_draft, by=personas.mai, number="12/KH-UBND", issued_on=today(),
                           issuer_name="UBND tỉnh")


def test_a_draft_is_seen_by_its_secretariat_and_issuer_only(wards_draft, personas):
    visible = Movement.objects.filter(pk=wards_draft.pk)
    assert visible.visible_to(personas.mai).exists()
    assert visible.visible_to(personas.khanh).exists()  # the issuer's council member
    for who in ("hanh", "dung", "stranger"):
        assert not visible.visible_to(getattr(personas, who)).exists()


def test_removing_a_participant_that_sent_a_dossier_keeps_it_marked(personas, movement, draft):
    song_cau = movement.participants.get(organisation__code="phuong-song-cau")
    assert actions.remove_participant(song_cau, by=personas.mai) == "kept"
    song_cau.refresh_from_db()
    assert song_cau.removed_on == today()
    xuat_hoa = movement.participants.get(organisation__code="phuong-xuat-hoa")
    assert actions.remove_participant(xuat_hoa, by=personas.mai) == "deleted"
    assert not Participant.objects.filter(pk=xuat_hoa.pk).exists()
    # Added again, it takes part again.
    assert actions.add_participants(movement, by=personas.mai,
                                    organisations=[org("phuong-song-cau")]) == 1
    assert movement.participants.current().filter(organisation__code="phuong-song-cau").exists()
    assert pipeline  # the dossier fixture comes from the shared pipeline


def test_the_seed_plan_is_launched_through_the_action_with_its_participants(movement):
    assert movement.status == Movement.Status.PUBLISHED
    codes = set(movement.participants.values_list("organisation__code", flat=True))
    # Wards and communes, city offices and agencies, the Front and the mass organisations (V.2).
    assert {"phuong-song-cau", "xa-nong-thuong", "phong-gddt-tp", "ttyt-tp", "mttq-tp",
            "hoi-lhpn-tp", "thanh-doan-bac-kan"} <= codes
    assert not codes & {"ubnd-tp-bac-kan", "cty-minh-phat", "thcs-bac-kan"}
    assert Activity.objects.filter(verb="movement.launched", target_id=str(movement.pk)).exists()


def test_a_front_organisation_registers_like_a_unit(movement, personas):
    from tests.factories import member
    from thidua.orgs.models import Role

    officer = member(org("hoi-lhpn-tp"), Role.UNIT_HEAD)
    criterion = movement.criteria.get(participant_kind="front_and_mass_organisations")
    registration = actions.save_registration(movement, org("hoi-lhpn-tp"), by=officer,
                                             commitments={criterion.pk: {"pledged": True}})
    assert actions.submit_registration(registration, by=officer).state == "submitted"


def test_edits_are_logged_and_names_normalised(wards_draft, personas):
    actions.update_movement(wards_draft, by=personas.mai, title="  Phong   trào  mới ",
                            ends_on=today() + timedelta(days=200))
    wards_draft.refresh_from_db()
    assert wards_draft.title == "Phong trào mới"
    row = Activity.objects.filter(verb="movement.updated").latest("pk")
    assert row.after["title"] == "Phong trào mới"


def test_a_launched_movement_keeps_its_issuer_and_criteria(wards, personas):
    with pytest.raises(ValidationError, match="không đổi cơ quan"):
        actions.update_movement(wards, by=personas.mai, issuer=org("phong-noi-vu-tp"))
    with pytest.raises(ValidationError, match="không xóa"):
        actions.remove_structure_item(wards.criteria.first(), by=personas.mai)


def test_later_participants_of_a_running_movement_are_told(wards, personas):
    Notice.objects.all().delete()
    actions.add_participants(wards, by=personas.mai, organisations=[org("xa-duong-quang")])
    assert not Notice.objects.filter(user=personas.hanh).exists()
    set_up  # noqa: B018 - imported for the fixtures module


def test_the_migration_keeps_existing_rows_and_gives_launched_ones_their_units(movement):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("thidua.movements.migrations.0003_running")
    Participant.objects.filter(movement=movement).delete()
    Movement.objects.filter(pk=movement.pk).update(status="published")
    migration.keep_existing_rows(apps, None)
    assert Movement.objects.get(pk=movement.pk).status == Movement.Status.PUBLISHED
    codes = set(movement.participants.values_list("organisation__code", flat=True))
    assert {"phuong-song-cau", "vp-hdnd-ubnd-tp", "mttq-tp"} <= codes
    assert "hoi-lhpn-tp" not in codes  # under the Front, not directly under the issuer
    before = movement.participants.count()
    migration.keep_existing_rows(apps, None)
    assert movement.participants.count() == before


def test_the_admin_shows_the_status_without_editing_it(movement, personas, client_for):
    page = client_for(personas.admin).get(f"/quan-tri/movements/movement/{movement.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
