"""The reads, the page rules and the access helpers of meetings, tested apart from the pages."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from tests.pipeline import council_people, next_working_day, open_council, run_committee
from thidua.movements.models import Movement
from thidua.reviews import actions, disclosures, queries
from thidua.reviews.access import (
    get_held_movement_for,
    get_item,
    get_objection,
    get_public_disclosure,
    get_seat_for,
)
from thidua.reviews.models import Meeting
from thidua.reviews.rules import MeetingAbilities, meeting_abilities

pytestmark = pytest.mark.django_db


def _abilities(meeting, user):
    meeting = Meeting.objects.get(pk=meeting.pk)
    return meeting_abilities(user, meeting, queries.member_of(meeting, user))


# --- what the meeting's page offers ---------------------------------------------------------

def test_the_secretariat_runs_an_open_council_but_votes_only_as_a_member(council, personas):
    people = council_people()
    assert _abilities(council, personas.mai) == MeetingAbilities(
        close=True, adjourn=True, take_attendance=True, handle_objections=True,
        record_written_votes=True)
    assert _abilities(council, people["member"]) == MeetingAbilities(vote=True)
    assert _abilities(council, people["chair"]) == MeetingAbilities(close=True, vote=True)
    assert _abilities(council, personas.hanh) == MeetingAbilities()


def test_an_absent_member_cannot_vote_from_the_page(forwarded, personas):
    people = council_people()
    meeting = open_council(forwarded, personas.mai,
                           present=[people["chair"], people["vice"], people["member"]])
    assert not _abilities(meeting, people["health"]).vote
    assert _abilities(meeting, people["member"]).vote


def test_a_planned_meeting_can_be_opened_not_closed(forwarded, personas):
    people = council_people()
    meeting = actions.create_meeting(
        kind="council", movement=forwarded.movement, title="Hội đồng", scheduled_at=timezone.now(),
        place="HT", chair=people["chair"], secretary=personas.mai,
        nominees=list(forwarded.nominees.filter(committee_conclusion="propose")),
        members=[(people["chair"], "chair")], by=personas.mai)
    can = _abilities(meeting, personas.mai)
    assert can.open and can.adjourn and can.take_attendance
    assert not (can.close or can.vote or can.record_written_votes or can.conclude)
    assert not _abilities(meeting, people["chair"]).open


def test_the_committee_takes_conclusions_and_no_votes(accepted, personas):
    meeting = actions.create_meeting(
        kind="committee", movement=accepted.movement, title="Họp", scheduled_at=timezone.now(),
        place="P1", chair=personas.dung, secretary=personas.dung,
        nominees=list(accepted.nominees.all()), by=personas.dung)
    meeting = actions.open_meeting(meeting, by=personas.dung)
    can = _abilities(meeting, personas.dung)
    assert can.conclude and can.close
    assert not (can.vote or can.record_written_votes)
    assert not _abilities(meeting, personas.mai).conclude


def test_a_closed_meeting_offers_nothing(accepted, personas):
    closed = run_committee(accepted, personas.dung)
    assert _abilities(closed, personas.dung) == MeetingAbilities()


# --- reads ------------------------------------------------------------------------------------

def test_agenda_rows_show_who_voted_never_how(council):
    people = council_people()
    lan = council.items.get(nominee__full_name="Nguyễn Thị Lan")
    actions.cast_vote(lan, choice="disagree", by=people["member"])
    me = queries.member_of(council, people["member"])
    rows = {r["item"].pk: r for r in queries.agenda_rows(council, me)}
    assert rows[lan.pk]["voted"] == 1 and rows[lan.pk]["i_voted"]
    assert "disagree" not in str(rows[lan.pk].values())
    other = queries.agenda_rows(council, queries.member_of(council, people["chair"]))
    assert not next(r for r in other if r["item"].pk == lan.pk)["i_voted"]
    assert queries.member_of(council, council_people()["secretary"]) is None


def test_candidates_leave_out_nominees_on_a_pending_meeting(forwarded, personas):
    assert {n.full_name for n in queries.candidates(forwarded.movement, "council")} == {
        "Nguyễn Thị Lan", "Hoàng Văn Nam"}
    open_council(forwarded, personas.mai)
    assert not queries.candidates(forwarded.movement, "council").exists()
    assert not queries.candidates(forwarded.movement, "committee").exists()


def test_tallies_count_the_ballots_per_item(council):
    people = council_people()
    lan = council.items.get(nominee__full_name="Nguyễn Thị Lan")
    actions.cast_vote(lan, choice="agree", by=people["chair"])
    actions.cast_vote(lan, choice="abstain", by=people["member"])
    counts = queries.tallies(council)
    assert (counts[lan.pk].agree, counts[lan.pk].disagree, counts[lan.pk].abstain) == (1, 0, 1)
    assert len(counts) == 2


def test_objections_are_taken_only_while_the_disclosure_runs(forwarded, personas):
    disclosure = disclosures.publish_disclosure(
        movement=forwarded.movement, nominees=list(forwarded.nominees.filter(
            committee_conclusion="propose")), starts_on=timezone.localdate(),
        ends_on=next_working_day(12), title="Công khai", by=personas.mai)
    assert queries.takes_objections(disclosure)
    assert not queries.takes_objections(disclosure, disclosure.ends_on + timedelta(days=1))
    assert not queries.takes_objections(disclosure, disclosure.starts_on - timedelta(days=1))


# --- access -----------------------------------------------------------------------------------

def test_meetings_are_held_only_for_a_movement_in_progress(forwarded, personas):
    movement = forwarded.movement
    assert movement in queries.movements_held_by(personas.mai, "reviews.hold_council")
    assert movement not in queries.movements_held_by(personas.dung, "reviews.hold_council")
    assert get_held_movement_for(personas.mai, movement.slug, "reviews.hold_council") == movement
    with pytest.raises(Http404):
        get_held_movement_for(personas.dung, movement.slug, "reviews.hold_council")
    with pytest.raises(Http404):
        get_held_movement_for(personas.mai, "khong-co", "reviews.hold_council")
    for status in [Movement.Status.CLOSED, Movement.Status.DRAFT]:
        Movement.objects.filter(pk=movement.pk).update(status=status)
        with pytest.raises(Http404):
            get_held_movement_for(personas.mai, movement.slug, "reviews.hold_council")
    assert movement not in queries.movements_held_by(personas.mai, "reviews.hold_council")


def test_parts_of_another_meeting_are_404(forwarded, personas):
    people = council_people()
    nam = forwarded.nominees.get(full_name="Hoàng Văn Nam")
    disclosure = disclosures.publish_disclosure(
        movement=forwarded.movement, nominees=[nam], starts_on=timezone.localdate(),
        ends_on=next_working_day(12), title="Công khai", by=personas.mai)
    objection = disclosures.submit_objection(disclosure, nominee=nam, name="A", contact="0900",
                                             text="Ý kiến")

    def council_for(name):
        return actions.create_meeting(
            kind="council", movement=forwarded.movement, title=name, scheduled_at=timezone.now(),
            place="HT", chair=people["chair"], secretary=personas.mai,
            nominees=[forwarded.nominees.get(full_name=name)],
            members=[(people["chair"], "chair")], by=personas.mai)

    first, second = council_for("Nguyễn Thị Lan"), council_for("Hoàng Văn Nam")
    with pytest.raises(Http404):
        get_item(first, second.items.get().pk)
    assert get_item(second, second.items.get().pk).meeting_id == second.pk
    with pytest.raises(Http404):
        get_seat_for(people["member"], first)
    assert get_seat_for(people["chair"], first).meeting_id == first.pk
    assert get_objection(second, objection.pk) == objection
    with pytest.raises(Http404):
        get_objection(first, objection.pk)


def test_a_disclosure_is_public_only_once_it_has_started(forwarded, personas):
    disclosure = disclosures.publish_disclosure(
        movement=forwarded.movement, nominees=list(forwarded.nominees.filter(
            committee_conclusion="propose")), starts_on=next_working_day(1),
        ends_on=next_working_day(14), title="Công khai", by=personas.mai)
    with pytest.raises(Http404):
        get_public_disclosure(disclosure.pk)
    assert not queries.public_disclosures(timezone.localdate()).exists()
