"""Dời lịch: a planned meeting moves to another time and stays planned (not adjourned, which
ends it); who may move it, what its people are told, and what the page offers."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.pipeline import council_people, next_working_day
from thidua.core.models import Activity, Notice
from thidua.reviews import actions
from thidua.reviews.models import Meeting

pytestmark = pytest.mark.django_db


def at(day, hour=8):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def planned(forwarded, personas):
    """A council meeting on the two proposed, scheduled the next working day, not yet opened."""
    people = council_people()
    return actions.create_meeting(
        kind="council", movement=forwarded.movement, title="Phiên họp Hội đồng TĐKT",
        scheduled_at=at(next_working_day()), place="Hội trường UBND thành phố",
        chair=people["chair"], secretary=personas.mai,
        nominees=list(forwarded.nominees.filter(committee_conclusion="propose")),
        members=[(people["chair"], "chair"), (people["vice"], "vice_chair"),
                 (people["member"], "member"), (people["health"], "member")], by=personas.mai)


@pytest.fixture
def committee(accepted, personas):
    return actions.create_meeting(
        kind="committee", movement=accepted.movement, title="Họp xét Ban Chỉ đạo",
        scheduled_at=at(next_working_day()), place="Phòng họp số 1", chair=personas.dung,
        secretary=personas.dung, nominees=list(accepted.nominees.all()), by=personas.dung)


def test_the_secretariat_moves_a_council_meeting_and_its_people_are_told(planned, personas):
    later = at(next_working_day(3), 14)
    moved = actions.reschedule_meeting(planned, scheduled_at=later, place="Phòng họp tầng 3",
                                       reason="Chủ tịch đi công tác tỉnh", by=personas.mai)
    moved.refresh_from_db()
    assert moved.state == Meeting.State.PLANNED
    assert (moved.scheduled_at, moved.place) == (later, "Phòng họp tầng 3")
    assert moved.items.count() == 2 and moved.members.count() == 4  # the agenda stays
    log = Activity.objects.get(verb="meeting.rescheduled")
    assert log.actor == personas.mai and log.reason == "Chủ tịch đi công tác tỉnh"
    assert log.before["place"] == "Hội trường UBND thành phố"
    told = set(Notice.objects.filter(text__contains="dời sang").values_list("user__username",
                                                                            flat=True))
    assert told == {"chutich", "hoidong.pho", "hoidong", "hoidong.yte"}  # not mai herself
    # Without a new place the old one stays.
    again = actions.reschedule_meeting(moved, scheduled_at=at(next_working_day(4)),
                                       reason="Trùng lịch tiếp công dân", by=personas.mai)
    assert again.place == "Phòng họp tầng 3"


def test_the_office_moves_its_committee_review(committee, personas):
    moved = actions.reschedule_meeting(committee, scheduled_at=at(next_working_day(2)),
                                       reason="Chờ đủ thành viên Ban Chỉ đạo", by=personas.dung)
    assert moved.state == Meeting.State.PLANNED
    assert Activity.objects.filter(verb="meeting.rescheduled", actor=personas.dung).exists()


@pytest.mark.parametrize("name", ["hanh", "tam", "thu", "dung", "khanh", "binh", "lan", "quy",
                                  "stranger"])
def test_who_cannot_move_a_council_meeting(planned, personas, name):
    """Only the council's secretariat (and the meeting's own secretary) runs its meetings: the
    office, the members, the chairman who chairs it and everyone else are refused."""
    with pytest.raises(PermissionDenied):
        actions.reschedule_meeting(planned, scheduled_at=at(next_working_day(2)),
                                   reason="Lý do", by=getattr(personas, name))
    assert not Activity.objects.filter(verb="meeting.rescheduled").exists()


@pytest.mark.parametrize("name", ["mai", "hanh", "khanh", "quy"])
def test_who_cannot_move_a_committee_review(committee, personas, name):
    with pytest.raises(PermissionDenied):
        actions.reschedule_meeting(committee, scheduled_at=at(next_working_day(2)),
                                   reason="Lý do", by=getattr(personas, name))


def test_an_opened_or_ended_meeting_is_not_moved_and_a_reason_is_needed(planned, personas):
    with pytest.raises(ValidationError, match="lý do"):
        actions.reschedule_meeting(planned, scheduled_at=at(next_working_day(2)), reason="  ",
                                   by=personas.mai)
    with pytest.raises(ValidationError, match="trùng với lịch hiện tại"):
        actions.reschedule_meeting(planned, scheduled_at=planned.scheduled_at,
                                   reason="Không đổi", by=personas.mai)
    actions.adjourn_meeting(planned, reason="Không đủ số thành viên", by=personas.mai)
    closed = Meeting.objects.get(pk=planned.pk)
    with pytest.raises(ValidationError, match="chưa khai mạc"):
        actions.reschedule_meeting(closed, scheduled_at=at(next_working_day(2)), reason="Lý do",
                                   by=personas.mai)
    assert not Activity.objects.filter(verb="meeting.rescheduled").exists()


def test_a_page_read_before_someone_else_moved_it_is_refused(planned, personas):
    seen = Meeting.objects.get(pk=planned.pk)
    actions.reschedule_meeting(planned, scheduled_at=at(next_working_day(2)), reason="Lần 1",
                               by=personas.mai)
    with pytest.raises(ValidationError, match="người khác thay đổi"):
        actions.reschedule_meeting(seen, scheduled_at=at(next_working_day(5)), reason="Lần 2",
                                   by=personas.mai)
    assert Activity.objects.filter(verb="meeting.rescheduled").count() == 1


def test_the_meeting_page_offers_it_to_those_who_run_it(planned, personas, client_for):
    url = f"/hop/{planned.pk}/"
    page = client_for(personas.mai).get(url).content.decode()
    assert 'data-testid="reschedule"' in page and "Dời lịch họp" in page
    for name in ["khanh", "binh"]:  # members see the meeting, not the button
        other = client_for(getattr(personas, name)).get(url)
        assert other.status_code == 200
        assert 'data-testid="reschedule"' not in other.content.decode()
    later = timezone.localtime(at(next_working_day(3), 9))
    response = client_for(personas.mai).post(f"{url}doi-lich/", {
        "scheduled_at": later.strftime("%Y-%m-%dT%H:%M"), "place": "",
        "reason": "Chủ tịch đi công tác"}, follow=True)
    page = response.content.decode()
    assert "Đã dời lịch phiên họp" in page
    assert later.strftime("%H:%M %d/%m/%Y") in page
    assert "Đã lên lịch" in page  # still planned, not "Đã kết thúc"
    refused = client_for(personas.mai).post(f"{url}doi-lich/", {
        "scheduled_at": later.strftime("%Y-%m-%dT%H:%M"), "reason": ""}, follow=True)
    assert "Lý do dời lịch" in refused.content.decode()
    # A member posting by hand is refused like the action refuses him.
    client_for(personas.khanh).post(f"{url}doi-lich/", {
        "scheduled_at": (later + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "Tự ý"})
    assert Meeting.objects.get(pk=planned.pk).scheduled_at == later


def test_an_adjourned_meeting_reads_adjourned_not_ended(planned, personas, client_for):
    actions.adjourn_meeting(planned, reason="Không đủ số thành viên", by=personas.mai)
    page = client_for(personas.mai).get(f"/hop/{planned.pk}/").content.decode()
    state = page[page.index('data-testid="meeting-state"'):]
    assert state[state.index(">") + 1:state.index("<")] == "Đã hoãn"
    assert "Hoãn lúc" in page
