"""Dossier moves through ``DOSSIER_FLOW``: what the page may offer each persona, moves caused
by another act, and the workflow's messages in both languages."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.pipeline import complete
from thidua.core.models import Activity
from thidua.nominations import actions
from thidua.nominations.diff import compare
from thidua.nominations.models import CommitteeConclusion, Dossier
from thidua.nominations.rules import DossierAbilities, dossier_abilities
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
    accepted.nominees.update(committee_conclusion=CommitteeConclusion.PROPOSE)
    concluded = actions.conclude_committee(accepted, by=personas.dung, cause="Phiên họp 1")
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

def _accepted_and_concluded(submitted, personas):
    accepted = actions.accept_dossier(submitted, by=personas.dung)
    accepted.nominees.update(committee_conclusion=CommitteeConclusion.PROPOSE)
    return accepted


def test_a_followed_move_logs_the_person_whose_act_caused_it_and_the_cause(submitted, personas):
    accepted = _accepted_and_concluded(submitted, personas)
    moved = actions.conclude_committee(accepted, by=personas.dung, cause="Phiên họp Ban Chỉ đạo")
    assert moved.state == Dossier.State.COMMITTEE_REVIEWED
    row = Activity.objects.for_object(moved).get(verb="dossier.conclude_committee")
    assert row.actor == personas.dung
    assert row.before == {"state": "accepted"}
    assert row.after == {"state": "committee_reviewed", "round": 1,
                         "cause": "Phiên họp Ban Chỉ đạo"}


def test_a_followed_move_asks_no_permission_of_its_own(submitted, personas):
    """The meeting's chairman closed the meeting (checked there); he reviews no dossier."""
    accepted = _accepted_and_concluded(submitted, personas)
    moved = actions.conclude_committee(accepted, by=personas.binh, cause="Phiên họp")
    assert Activity.objects.for_object(moved).get(verb="dossier.conclude_committee").actor == (
        personas.binh)


def test_a_followed_move_without_a_cause_is_still_made(submitted, personas):
    accepted = _accepted_and_concluded(submitted, personas)
    moved = actions.conclude_committee(accepted, by=None, cause=None)
    row = Activity.objects.for_object(moved).get(verb="dossier.conclude_committee")
    assert row.actor is None and row.after["cause"] == ""


def test_a_followed_move_keeps_its_own_preconditions_and_state_checks(submitted, personas):
    with pytest.raises(ValidationError, match="Chỉ hồ sơ đã tiếp nhận mới được Ban Chỉ đạo"):
        actions.conclude_committee(submitted, by=personas.dung, cause="Phiên họp")
    accepted = actions.accept_dossier(submitted, by=personas.dung)
    with pytest.raises(ValidationError, match="chưa có kết luận"):
        actions.conclude_committee(accepted, by=personas.dung, cause="Phiên họp")
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
