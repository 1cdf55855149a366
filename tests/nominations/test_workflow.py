"""Dossier moves through ``DOSSIER_FLOW``: what the page may offer each persona, moves caused
by another act, and the workflow's messages in both languages."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from tests.pipeline import complete
from thidua.core.models import Activity
from thidua.nominations import actions
from thidua.nominations.diff import compare
from thidua.nominations.models import CommitteeConclusion, Dossier
from thidua.nominations.rules import DossierAbilities, dossier_abilities
from thidua.reviews import actions as review_actions
from thidua.rulesets.models import AwardForm

pytestmark = pytest.mark.django_db

NOTHING = DossierAbilities(edit=False, submit=False, withdraw=False,
                           review=False, forward=False, own_authority=False)


# --- what the dossier page offers ----------------------------------------------------------------

def test_on_a_draft_the_officer_edits_and_the_head_also_submits_and_withdraws(draft, personas):
    assert dossier_abilities(personas.hanh, draft) == replace(NOTHING, edit=True)
    assert dossier_abilities(personas.tam, draft) == replace(NOTHING, edit=True, submit=True,
                                                         withdraw=True)


@pytest.mark.parametrize("name", ["thu", "mai", "khanh", "binh", "lan", "quy", "stranger"])
def test_others_are_offered_nothing(draft, personas, name):
    assert dossier_abilities(getattr(personas, name), draft) == NOTHING


def test_a_submitted_dossier_is_reviewed_by_the_office_and_no_longer_edited(submitted, personas):
    assert dossier_abilities(personas.dung, submitted) == replace(NOTHING, review=True)
    unit = dossier_abilities(personas.hanh, submitted)
    assert not unit.edit and not unit.submit


def test_the_office_forwards_once_the_committee_has_concluded(submitted, personas):
    accepted = actions.accept_dossier(submitted, by=personas.dung)
    assert not dossier_abilities(personas.dung, accepted).forward
    meeting = _committee_meeting(accepted, personas.dung)
    accepted.nominees.update(committee_conclusion=CommitteeConclusion.PROPOSE)
    concluded = actions.conclude_committee(accepted, by=personas.dung, cause=meeting)
    assert dossier_abilities(personas.dung, concluded).forward
    assert not dossier_abilities(personas.dung, concluded).review


def test_a_form_within_the_wards_authority_is_never_submitted(personas, movement):
    ward_form = AwardForm.objects.get(rule_set=movement.rule_set, code="giay-khen-chu-tich-ubnd-xa")
    dossier = actions.create_dossier(
        movement=movement, organisation=personas.hanh.organisations_with_role("unit_officer")[0],
        award_form=ward_form, unit_meeting_date=date(2021, 11, 15), by=personas.hanh)
    head = dossier_abilities(personas.tam, dossier)
    assert head.own_authority and head.edit and not head.submit


def test_a_withdrawn_dossier_offers_no_second_withdrawal(draft, personas):
    withdrawn = actions.withdraw_dossier(draft, reason="Nhầm", by=personas.tam)
    assert not dossier_abilities(personas.tam, withdrawn).withdraw


# --- moves caused by another act -------------------------------------------------------------

def _committee_meeting(dossier, office):
    """The Steering Committee's meeting with the dossier's people on its agenda (still open)."""
    return review_actions.create_meeting(
        kind="committee", movement=dossier.movement, title="Họp xét Ban Chỉ đạo",
        scheduled_at=timezone.now(), place="Phòng họp số 1", chair=office, secretary=office,
        nominees=list(dossier.nominees.all()), by=office)


def _accepted_and_concluded(submitted, personas):
    accepted = actions.accept_dossier(submitted, by=personas.dung)
    meeting = _committee_meeting(accepted, personas.dung)
    accepted.nominees.update(committee_conclusion=CommitteeConclusion.PROPOSE)
    return accepted, meeting


def test_a_followed_move_logs_the_person_whose_act_caused_it_and_the_cause(submitted, personas):
    accepted, meeting = _accepted_and_concluded(submitted, personas)
    moved = actions.conclude_committee(accepted, by=personas.dung, cause=meeting)
    assert moved.state == Dossier.State.COMMITTEE_REVIEWED
    row = Activity.objects.for_object(moved).get(verb="dossier.conclude_committee")
    assert row.actor == personas.dung
    assert row.before == {"state": "accepted"}
    assert row.after == {"state": "committee_reviewed", "round": 1, "cause": str(meeting)}


def test_a_followed_move_asks_no_permission_of_its_own(submitted, personas):
    """The meeting's chairman closed the meeting (checked there); he reviews no dossier."""
    accepted, meeting = _accepted_and_concluded(submitted, personas)
    moved = actions.conclude_committee(accepted, by=personas.binh, cause=meeting)
    assert Activity.objects.for_object(moved).get(verb="dossier.conclude_committee").actor == (
        personas.binh)


@pytest.mark.parametrize("cause", [None, "Phiên họp"])
def test_a_followed_move_without_a_real_cause_is_refused_whoever_asks(submitted, personas,
                                                                      cause):
    """Without a permission of its own, a caused move is only as safe as its cause: a meeting of
    the right kind with this dossier's people on its agenda."""
    accepted, _meeting = _accepted_and_concluded(submitted, personas)
    for user in [personas.stranger, personas.dung]:
        with pytest.raises(ValidationError, match="theo kết quả của phiên họp"):
            actions.conclude_committee(accepted, by=user, cause=cause)
    assert Dossier.objects.get(pk=accepted.pk).state == Dossier.State.ACCEPTED
    assert not Activity.objects.for_object(accepted).filter(
        verb="dossier.conclude_committee").exists()


def test_a_unit_list_follows_only_an_issued_decision_that_awards_it(draft, personas):
    with pytest.raises(ValidationError, match="theo kết quả của phiên họp hoặc quyết định"):
        actions.mark_decided_by_unit(draft, by=personas.tam, cause=None)
    assert Dossier.objects.get(pk=draft.pk).state == Dossier.State.DRAFT


def test_a_followed_move_keeps_its_own_preconditions_and_state_checks(submitted, personas):
    meeting = _committee_meeting(actions.accept_dossier(submitted, by=personas.dung),
                                 personas.dung)
    accepted = Dossier.objects.get(pk=submitted.pk)
    with pytest.raises(ValidationError, match="chưa có kết luận"):
        actions.conclude_committee(accepted, by=personas.dung, cause=meeting)
    assert Dossier.objects.get(pk=submitted.pk).state == Dossier.State.ACCEPTED


def test_every_move_of_a_person_is_logged_with_its_round(submitted, personas):
    accepted = actions.accept_dossier(submitted, by=personas.dung)
    row = Activity.objects.for_object(accepted).get(verb="dossier.accept")
    assert (row.actor, row.before, row.after) == (
        personas.dung, {"state": "submitted"}, {"state": "accepted", "round": 1})


# --- the messages follow the language --------------------------------------------------------

def test_a_stale_click_is_refused_in_english_for_an_english_reader(draft, personas):
    complete(draft, personas.hanh)
    stale = Dossier.objects.get(pk=draft.pk)
    actions.submit_dossier(draft, by=personas.tam)
    with translation.override("en"), pytest.raises(ValidationError) as info:
        actions.submit_dossier(stale, by=personas.tam)
    assert "has just been changed by someone else" in info.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as info:
        actions.submit_dossier(Dossier.objects.get(pk=draft.pk), by=personas.tam)
    assert info.value.messages[0].startswith("Only draft or returned dossiers can be submitted")
    with pytest.raises(ValidationError, match="Chỉ hồ sơ đang soạn hoặc bị trả lại"):
        actions.submit_dossier(Dossier.objects.get(pk=draft.pk), by=personas.tam)


def test_the_refusals_and_the_diff_headers_switch_language():
    with translation.override("en"):
        assert str(actions.REFUSALS["withdraw"]) == (
            "A dossier with the status “%(state)s” cannot be withdrawn.")
        diff = compare(_snapshot(procedure="Thủ tục thông thường"),
                       _snapshot(procedure="Thủ tục đơn giản"))
    assert [c.what for c in diff.header] == ["Procedure"]
    assert str(actions.STALE).startswith("Hồ sơ vừa được người khác thay đổi")


def _snapshot(**header):
    return {"award_form": "Giấy khen", "procedure": "", "unit_meeting_date": "",
            "unit_meeting_result": "", "nominees": {}, "documents": {}, **header}
