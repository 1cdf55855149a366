"""Dossier actions and the workflow, per persona: who can, who cannot, and what changes."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tests.pipeline import complete, pdf, person
from thidua.core.models import Activity, Notice
from thidua.nominations import actions
from thidua.nominations.completeness import checklist
from thidua.nominations.models import (
    AttachmentVersion,
    AwardRecord,
    Deficiency,
    Dossier,
    DossierSnapshot,
    Nominee,
    Subject,
)
from thidua.orgs.models import Organisation
from thidua.rulesets.models import AwardForm

pytestmark = pytest.mark.django_db


def org(code):
    return Organisation.objects.get(code=code)


# --- creating ---------------------------------------------------------------------------------

def test_officer_creates_a_draft_for_her_ward(draft, personas):
    assert draft.state == Dossier.State.DRAFT
    assert draft.organisation.code == "phuong-song-cau" and draft.created_by == personas.hanh
    assert Activity.objects.for_object(draft).filter(verb="dossier.created").exists()


def test_officer_cannot_create_for_another_ward(personas, movement, city_certificate):
    with pytest.raises(PermissionDenied):
        actions.create_dossier(movement=movement, organisation=org("phuong-duc-xuan"),
                               award_form=city_certificate, by=personas.hanh)
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("name", ["dung", "mai", "khanh", "binh", "lan", "quy", "stranger"])
def test_other_roles_cannot_create_a_dossier(personas, movement, city_certificate, name):
    with pytest.raises(PermissionDenied):
        actions.create_dossier(movement=movement, organisation=org("phuong-song-cau"),
                               award_form=city_certificate, by=getattr(personas, name))


def test_a_ward_cannot_propose_a_form_only_agencies_may_propose(personas, movement):
    agency_form = AwardForm.objects.get(rule_set=movement.rule_set, code="giay-khen-thu-truong")
    with pytest.raises(ValidationError, match="không được đề nghị"):
        actions.create_dossier(movement=movement, organisation=org("phuong-song-cau"),
                               award_form=agency_form, by=personas.hanh)


def test_a_form_outside_the_plan_is_refused(personas, movement):
    other_set_form = AwardForm.objects.get(rule_set__code="2024", code="chien-si-thi-dua-co-so")
    with pytest.raises(ValidationError, match="không có trong kế hoạch"):
        actions.create_dossier(movement=movement, organisation=org("phuong-song-cau"),
                               award_form=other_set_form, by=personas.hanh)


# --- nominees ---------------------------------------------------------------------------------

def test_nominees_get_a_stable_subject_reused_across_dossiers(draft, personas):
    first = draft.nominees.get()
    subject = first.subject
    assert (subject.name, subject.birth_year) == ("Nguyễn Thị Lan", 1985)
    other = actions.create_dossier(
        movement=draft.movement, organisation=draft.organisation, award_form=draft.award_form,
        by=personas.hanh)
    again = actions.add_nominee(other, person(name="NGUYEN THI LAN"), by=personas.hanh)
    assert again.subject == subject
    assert Subject.objects.count() == 1


def test_collective_nominee_drops_personal_fields(draft, personas):
    row = person(name="Trạm Y tế phường Sông Cầu", unit="UBND phường Sông Cầu")
    row.kind, row.collective_kind = "collective", "public_body"
    nominee = actions.add_nominee(draft, row, by=personas.hanh)
    assert nominee.birth_year is None and nominee.gender == "" and nominee.category == ""


def test_import_is_all_or_nothing(draft, personas):
    rows = [person(name=f"Người số {i}", year=1980 + i) for i in range(5)]
    rows[3].full_name = "   "
    with pytest.raises(ValidationError):
        actions.import_nominees(draft, rows, by=personas.hanh)
    assert draft.nominees.count() == 1
    rows[3].full_name = "Người số 3"
    assert actions.import_nominees(draft, rows, by=personas.hanh) == 5
    assert list(draft.nominees.values_list("order", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_another_wards_officer_cannot_touch_the_list(draft, personas):
    with pytest.raises(PermissionDenied):
        actions.add_nominee(draft, person(name="Người lạ"), by=personas.thu)
    with pytest.raises(PermissionDenied):
        actions.remove_nominee(draft.nominees.get(), by=personas.thu)
    assert draft.nominees.count() == 1


# --- documents --------------------------------------------------------------------------------

def test_replacing_a_document_keeps_the_earlier_version(draft, personas):
    first = actions.attach_document(draft, document_type="unit_minutes",
                                    uploaded_file=pdf("bb-1.pdf", "ban 1"), by=personas.hanh)
    draft.refresh_from_db()
    second = actions.attach_document(draft, document_type="unit_minutes",
                                     uploaded_file=pdf("bb-2.pdf", "ban 2"), by=personas.hanh,
                                     attachment=first.attachment)
    versions = list(AttachmentVersion.objects.filter(attachment=first.attachment))
    assert len(versions) == 2 and first.sha256 != second.sha256
    assert all(v.file.storage.exists(v.file.name) for v in versions)
    assert "bb-1" not in first.file.name  # stored under a server-made name
    assert first.original_name == "bb-1.pdf"


def test_a_renamed_executable_is_refused_and_nothing_is_stored(draft, personas, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError, match="chương trình"):
        actions.attach_document(draft, document_type="unit_minutes", uploaded_file=fake,
                                by=personas.hanh)
    assert not AttachmentVersion.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


# --- completeness and submission --------------------------------------------------------------

def test_checklist_follows_the_rule_set_and_fills_as_files_arrive(draft, personas):
    nominees = list(draft.nominees.all())
    items = checklist(draft, nominees, list(draft.attachments.all()))
    assert [i.document_type for i in items] == ["unit_submission", "unit_minutes",
                                                 "achievement_report"]
    assert not any(i.ok for i in items)
    complete(draft, personas.hanh)
    items = checklist(draft, nominees, list(draft.attachments.prefetch_related("versions")))
    assert all(i.ok for i in items)


def test_simplified_procedure_asks_for_a_summary_instead_of_a_report(draft, personas):
    draft = actions.update_dossier(draft, procedure="simplified", by=personas.hanh)
    items = checklist(draft, list(draft.nominees.all()), [])
    assert "achievement_summary" in [i.document_type for i in items]
    assert "achievement_report" not in [i.document_type for i in items]


def test_an_incomplete_dossier_cannot_be_submitted(draft, personas):
    with pytest.raises(ValidationError) as info:
        actions.submit_dossier(draft, by=personas.tam)
    assert any("Thiếu: Tờ trình của đơn vị" in m for m in info.value.messages)
    draft.refresh_from_db()
    assert draft.state == Dossier.State.DRAFT and draft.round == 0


def test_only_the_unit_head_submits(draft, personas):
    complete(draft, personas.hanh)
    with pytest.raises(PermissionDenied):
        actions.submit_dossier(draft, by=personas.hanh)
    with pytest.raises(PermissionDenied):
        actions.submit_dossier(draft, by=personas.dung)
    submitted = actions.submit_dossier(draft, by=personas.tam)
    assert submitted.state == Dossier.State.SUBMITTED and submitted.round == 1
    assert submitted.due_on is not None and submitted.due_on.weekday() < 5
    assert DossierSnapshot.objects.filter(dossier=submitted, round=1).exists()
    assert Notice.objects.filter(user=personas.dung, url__contains=str(submitted.pk)).exists()


def test_a_second_click_on_submit_changes_nothing(draft, personas):
    complete(draft, personas.hanh)
    stale = Dossier.objects.get(pk=draft.pk)
    actions.submit_dossier(draft, by=personas.tam)
    with pytest.raises(ValidationError, match="vừa được người khác thay đổi"):
        actions.submit_dossier(stale, by=personas.tam)
    fresh = Dossier.objects.get(pk=draft.pk)
    with pytest.raises(ValidationError, match="Chỉ hồ sơ đang soạn hoặc bị trả lại"):
        actions.submit_dossier(fresh, by=personas.tam)
    assert DossierSnapshot.objects.filter(dossier=draft).count() == 1
    assert Dossier.objects.get(pk=draft.pk).round == 1


def test_a_submitted_dossier_cannot_be_edited(submitted, personas):
    with pytest.raises(ValidationError, match="không thể sửa"):
        actions.add_nominee(submitted, person(name="Người mới"), by=personas.hanh)


# --- review -----------------------------------------------------------------------------------

def test_office_returns_with_itemised_deficiencies_and_the_unit_resubmits(
        submitted, personas, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        returned = actions.return_dossier(
            submitted, deficiencies=[("unit_minutes", "Biên bản họp xét", "Thiếu chữ ký chủ trì")],
            by=personas.dung)
    assert returned.state == Dossier.State.RETURNED
    deficiency = Deficiency.objects.get(dossier=returned)
    assert (deficiency.round, deficiency.item_label, deficiency.message) == (
        1, "Biên bản họp xét", "Thiếu chữ ký chủ trì")
    assert Notice.objects.filter(user=personas.hanh, text__contains="trả lại").exists()
    assert [m.to for m in mail.outbox] == [sorted([personas.hanh.email, personas.tam.email])]

    actions.update_nominee(returned.nominees.get(), person(year=1986), by=personas.hanh)
    again = actions.submit_dossier(Dossier.objects.get(pk=returned.pk), by=personas.tam)
    assert again.state == Dossier.State.SUBMITTED and again.round == 2
    accepted = actions.accept_dossier(again, by=personas.dung)
    assert accepted.state == Dossier.State.ACCEPTED
    verbs = list(Activity.objects.for_object(accepted).order_by("pk").values_list("verb", flat=True))
    assert verbs[-4:] == ["dossier.return_for_supplement", "nominee.updated", "dossier.submit",
                          "dossier.accept"]


def test_a_return_needs_at_least_one_deficiency(submitted, personas):
    with pytest.raises(ValidationError, match="ít nhất một"):
        actions.return_dossier(submitted, deficiencies=[("", "Khác", "  ")], by=personas.dung)
    assert Dossier.objects.get(pk=submitted.pk).state == Dossier.State.SUBMITTED


@pytest.mark.parametrize("name", ["hanh", "tam", "thu", "mai", "khanh", "binh", "quy"])
def test_only_the_receiving_office_accepts_or_returns(submitted, personas, name):
    user = getattr(personas, name)
    with pytest.raises(PermissionDenied):
        actions.accept_dossier(submitted, by=user)
    with pytest.raises(PermissionDenied):
        actions.return_dossier(submitted, deficiencies=[("", "x", "y")], by=user)
    assert Dossier.objects.get(pk=submitted.pk).state == Dossier.State.SUBMITTED


def test_two_clerks_accepting_and_returning_at_once_exactly_one_wins(submitted, personas):
    """Both clerks opened the dossier while it waited; the second to act is told."""
    clerk_a_view = Dossier.objects.get(pk=submitted.pk)
    clerk_b_view = Dossier.objects.get(pk=submitted.pk)
    actions.accept_dossier(clerk_a_view, by=personas.dung)
    with pytest.raises(ValidationError, match="vừa được người khác thay đổi"):
        actions.return_dossier(clerk_b_view, deficiencies=[("", "x", "thiếu")], by=personas.dung)
    assert Dossier.objects.get(pk=submitted.pk).state == Dossier.State.ACCEPTED
    assert not Deficiency.objects.exists()


def test_optimistic_lock_refuses_a_stale_save(submitted):
    """The last line of defence when a row lock is not available (SQLite)."""
    from django_fsm import ConcurrentTransition

    first = Dossier.objects.get(pk=submitted.pk)
    second = Dossier.objects.get(pk=submitted.pk)
    first.accept()
    first.save()
    second.return_for_supplement()
    with pytest.raises(ConcurrentTransition):
        second.save()


def test_withdraw_needs_a_reason_and_the_unit_head(draft, personas):
    with pytest.raises(ValidationError, match="lý do"):
        actions.withdraw_dossier(draft, reason=" ", by=personas.tam)
    with pytest.raises(PermissionDenied):
        actions.withdraw_dossier(draft, reason="Trùng hồ sơ", by=personas.hanh)
    withdrawn = actions.withdraw_dossier(draft, reason="Trùng hồ sơ", by=personas.tam)
    assert withdrawn.state == Dossier.State.WITHDRAWN


def test_a_unit_may_withdraw_until_the_decision_but_only_once(submitted, personas):
    accepted = actions.accept_dossier(submitted, by=personas.dung)
    withdrawn = actions.withdraw_dossier(accepted, reason="Đơn vị xin rút", by=personas.tam)
    assert withdrawn.state == Dossier.State.WITHDRAWN
    with pytest.raises(ValidationError, match="không thể rút"):
        actions.withdraw_dossier(withdrawn, reason="lần nữa", by=personas.tam)


def test_a_click_on_a_page_from_an_earlier_round_is_refused(submitted, personas):
    """The clerk opened round 1; meanwhile it was returned and resubmitted as round 2."""
    actions.return_dossier(submitted, other="Thiếu ảnh", by=personas.dung)
    actions.submit_dossier(Dossier.objects.get(pk=submitted.pk), by=personas.tam)
    current = Dossier.objects.get(pk=submitted.pk)
    with pytest.raises(ValidationError, match="vừa được người khác thay đổi"):
        actions.accept_dossier(current, by=personas.dung, expected_round=1)
    assert Dossier.objects.get(pk=submitted.pk).state == Dossier.State.SUBMITTED
    assert actions.accept_dossier(current, by=personas.dung, expected_round=2).state == "accepted"


def test_return_collects_the_items_marked_not_ok(submitted, personas):
    actions.mark_item(submitted, item_key="unit_minutes", ok=False, note="Thiếu chữ ký",
                      by=personas.dung)
    actions.mark_item(submitted, item_key="unit_submission", ok=True, by=personas.dung)
    with pytest.raises(ValidationError, match="chưa đạt"):
        actions.accept_dossier(submitted, by=personas.dung)
    actions.return_dossier(submitted, other="Bổ sung ảnh chụp", by=personas.dung)
    assert sorted(Deficiency.objects.values_list("item_label", "message")) == [
        ("Biên bản họp xét của đơn vị", "Thiếu chữ ký"), ("Nội dung khác", "Bổ sung ảnh chụp")]


def test_marking_an_item_not_on_the_checklist_is_refused(submitted, personas):
    with pytest.raises(ValidationError, match="không có trong thành phần hồ sơ"):
        actions.mark_item(submitted, item_key="bogus", ok=False, by=personas.dung)
    assert not submitted.marks.exists()


def test_a_nominee_with_documents_from_an_earlier_round_cannot_be_removed(submitted, personas):
    actions.return_dossier(submitted, other="Sửa danh sách", by=personas.dung)
    returned = Dossier.objects.get(pk=submitted.pk)
    with pytest.raises(ValidationError, match="lần trình trước"):
        actions.remove_nominee(returned.nominees.get(), by=personas.hanh)
    assert returned.nominees.count() == 1
    assert AttachmentVersion.objects.filter(attachment__nominee__isnull=False).count() == 1


def test_correcting_a_name_matches_the_subject_again(draft, personas):
    nominee = draft.nominees.get()
    old_subject = nominee.subject
    actions.update_nominee(nominee, person(name="Nguyễn Thị Lành"), by=personas.hanh)
    nominee.refresh_from_db()
    assert nominee.subject != old_subject and nominee.subject.name == "Nguyễn Thị Lành"
    actions.update_nominee(nominee, person(name="Nguyễn Thị Lành"), by=personas.hanh)
    assert Nominee.objects.get(pk=nominee.pk).subject == nominee.subject


def test_a_draft_withdrawn_unsent_stays_private(draft, personas):
    actions.withdraw_dossier(draft, reason="Nhầm", by=personas.tam)
    assert not Dossier.objects.visible_to(personas.dung).filter(pk=draft.pk).exists()
    assert not Dossier.objects.visible_to(personas.binh).filter(pk=draft.pk).exists()
    assert Dossier.objects.visible_to(personas.hanh).filter(pk=draft.pk).exists()


def test_overdue_counts_at_least_one_day_over_a_weekend():
    from thidua.core.workdays import add_working_days, working_days_between

    friday, saturday, monday = date(2021, 11, 26), date(2021, 11, 27), date(2021, 11, 29)
    assert working_days_between(saturday, friday) == -1
    assert working_days_between(friday, monday) == 1
    assert add_working_days(friday, 1) == monday


# --- duplicates and the register --------------------------------------------------------------

def test_same_person_nominated_by_two_units_is_flagged_once_sent(draft, personas, movement,
                                                                  city_certificate):
    from thidua.nominations.duplicates import duplicate_warnings
    from thidua.orgs import actions as org_actions

    org_actions.grant_role(personas.thu, org("phuong-duc-xuan"), "unit_head")
    other = actions.create_dossier(movement=movement, organisation=org("phuong-duc-xuan"),
                                   award_form=city_certificate, unit_meeting_date=date(2021, 11, 1),
                                   by=personas.thu)
    twin = actions.add_nominee(other, person(name="NGUYỄN THỊ LAN"), by=personas.thu)
    nominees = list(draft.nominees.all())
    assert duplicate_warnings(draft, nominees) == {}  # Đức Xuân's draft is its own business
    actions.submit_dossier(complete(other, personas.thu), by=personas.thu)
    warnings = duplicate_warnings(draft, nominees)
    assert [o.pk for o in warnings[nominees[0].pk].others] == [twin.pk]
    actions.confirm_not_duplicate(nominees[0], by=personas.hanh)
    assert duplicate_warnings(draft, list(draft.nominees.all())) == {}


def test_already_rewarded_in_this_movement_is_flagged(draft, personas, movement):
    from thidua.nominations.duplicates import duplicate_warnings

    nominee = draft.nominees.get()
    AwardRecord.objects.create(subject=nominee.subject, award_name="Giấy khen",
                               decision_number="12/QĐ-UBND", movement=movement,
                               source=AwardRecord.Source.IMPORT)
    warning = duplicate_warnings(draft, [nominee])[nominee.pk]
    assert warning.awards[0].decision_number == "12/QĐ-UBND"


def test_register_import_is_idempotent_and_secretariat_only(personas):
    from thidua.nominations.excel import PastAwardRow

    rows = [PastAwardRow(full_name="Đỗ Đức Đạt", birth_year=1979, unit_name="Công an thành phố",
                         award_name="Giấy khen của Chủ tịch UBND thành phố",
                         decision_number="1234/QĐ-UBND", decision_date=date(2020, 12, 1),
                         issuer_name="UBND thành phố Bắc Kạn", note="", row_number=2)]
    with pytest.raises(PermissionDenied):
        actions.import_award_register(rows, by=personas.hanh)
    assert actions.import_award_register(rows, by=personas.mai) == 1
    assert actions.import_award_register(rows, by=personas.mai) == 0
    assert list(Subject.objects.search("do duc dat")) == [AwardRecord.objects.get().subject]
    assert not Subject.objects.search("do duc dung").exists()


def test_nominee_count_is_per_dossier(draft):
    assert Nominee.objects.filter(dossier=draft).count() == 1
