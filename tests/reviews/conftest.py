"""Meetings fixtures: Sông Cầu's accepted dossier goes through the committee and the council."""

from datetime import timedelta

import pytest
from django.utils import timezone

# The nomination fixtures, shared with these tests (pytest finds fixtures by name).
from tests.nominations.conftest import (  # noqa: F401
    _media,
    city_certificate,
    complete,
    draft,
    movement,
    person,
)
from thidua.nominations import actions as dossier_actions
from thidua.nominations.models import Dossier
from thidua.orgs.models import User
from thidua.reviews import actions
from thidua.reviews.models import Meeting


def council_people():
    get = User.objects.get
    return {"chair": get(username="chutich"), "vice": get(username="hoidong.pho"),
            "member": get(username="hoidong"), "health": get(username="hoidong.yte"),
            "secretary": get(username="noivu")}


@pytest.fixture
def accepted(draft, personas):  # noqa: F811
    """Sông Cầu's dossier with three nominees, accepted by the city office."""
    dossier_actions.add_nominee(draft, person(name="Hoàng Văn Nam", year=1979, gender="male"),
                                by=personas.hanh)
    dossier_actions.add_nominee(draft, person(name="Lục Thị Hoa", year=1990), by=personas.hanh)
    complete(draft, personas.hanh)
    submitted = dossier_actions.submit_dossier(draft, by=personas.tam)
    return dossier_actions.accept_dossier(submitted, by=personas.dung)


def run_committee(dossier, by, not_proposed=()):
    """The Steering Committee proposes everyone except ``not_proposed`` names."""
    meeting = actions.create_meeting(
        kind="committee", movement=dossier.movement, title="Họp xét Ban Chỉ đạo",
        scheduled_at=timezone.now(), place="Phòng họp số 1", chair=by, secretary=by,
        nominees=list(dossier.nominees.all()), by=by)
    meeting = actions.open_meeting(meeting, by=by)
    for item in meeting.items.select_related("nominee"):
        if item.nominee.full_name in not_proposed:
            actions.set_conclusion(item, conclusion="not_propose", reason="Thành tích chưa nổi bật",
                                   by=by)
        else:
            actions.set_conclusion(item, conclusion="propose", by=by)
    return actions.close_meeting(meeting, by=by)


@pytest.fixture
def forwarded(accepted, personas):
    """Committee proposed Nguyễn Thị Lan and Hoàng Văn Nam, not Lục Thị Hoa; forwarded."""
    run_committee(accepted, personas.dung, not_proposed={"Lục Thị Hoa"})
    return dossier_actions.forward_to_council(Dossier.objects.get(pk=accepted.pk),
                                              by=personas.dung)


def open_council(dossier, secretary, members=None, present=None, when=None):
    people = council_people()
    roles = members or [(people["chair"], "chair"), (people["vice"], "vice_chair"),
                        (people["member"], "member"), (people["health"], "member")]
    meeting = actions.create_meeting(
        kind="council", movement=dossier.movement, title="Phiên họp Hội đồng TĐKT",
        scheduled_at=when or timezone.now(), place="Hội trường UBND thành phố",
        chair=people["chair"], secretary=secretary,
        nominees=list(dossier.nominees.filter(committee_conclusion="propose")),
        members=roles, by=secretary)
    attending = present if present is not None else [u for u, _r in roles]
    actions.set_attendance(meeting, present_user_ids={u.pk for u in attending}, by=secretary)
    return actions.open_meeting(Meeting.objects.get(pk=meeting.pk), by=secretary)


@pytest.fixture
def council(forwarded, personas):
    return open_council(forwarded, personas.mai)


def next_working_day(days=1):
    day = timezone.localdate()
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day

