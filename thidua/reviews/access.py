"""How views fetch meetings, their parts and disclosures: missing and forbidden both answer 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from thidua.movements.access import get_movement_for
from thidua.movements.models import Movement
from thidua.reviews.models import AgendaItem, Disclosure, Meeting, MeetingMember, Objection

# Meetings are held, and lists disclosed, only while a movement is in progress.
IN_PROGRESS = Movement.Status.PUBLISHED


def get_held_movement_for(user, slug, perm) -> Movement:
    """A movement in progress for which the user holds meetings (``perm``: reviews.hold_committee
    or reviews.hold_council); anything else is 404."""
    movement = get_movement_for(user, slug)
    if movement.status != IN_PROGRESS or not user.has_perm(perm, movement):
        raise Http404
    return movement


def get_meeting_for(user, pk) -> Meeting:
    """A meeting its office, members, chair or secretary may open; anything else is 404."""
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related(
            "movement__rule_set", "organisation", "chair", "secretary"),
        pk=pk)


def get_item(meeting, pk) -> AgendaItem:
    """An agenda item of ``meeting`` (fetched through :func:`get_meeting_for`)."""
    return get_object_or_404(meeting.items.select_related("nominee"), pk=pk)


def get_member(meeting, pk) -> MeetingMember:
    """A member of ``meeting`` (fetched through :func:`get_meeting_for`)."""
    return get_object_or_404(meeting.members, pk=pk)


def get_seat_for(user, meeting) -> MeetingMember:
    """The user's own seat at ``meeting``; 404 for anyone without one."""
    return get_object_or_404(meeting.members, user_id=user.pk)


def get_objection(meeting, pk) -> Objection:
    """An objection about a nominee on ``meeting``'s agenda."""
    return get_object_or_404(Objection, pk=pk,
                             nominee__agenda_items__meeting=meeting)


def get_public_disclosure(pk) -> Disclosure:
    """Disclosures are public once they have started."""
    return get_object_or_404(Disclosure.objects.select_related("movement"), pk=pk,
                             starts_on__lte=timezone.localdate())


def was_adjourned(meeting) -> bool:
    """Hoãn rather than closed: ``adjourn_meeting`` is the only writer of a reason on the first
    revision of the minutes (closing writes revision 1 without one)."""
    first = min(meeting.minutes.all(), key=lambda revision: revision.number, default=None)
    return bool(first and first.reason)


def get_closed_meeting_for(user, pk, kind: str, *, concluded: bool = False) -> Meeting:
    """A closed meeting of ``kind`` the user may open — the documents written from it exist only
    then; with ``concluded``, one that was not adjourned (it reached conclusions). Else 404."""
    meeting = get_meeting_for(user, pk)
    if meeting.kind != kind or meeting.state != Meeting.State.CLOSED:
        raise Http404
    if concluded and was_adjourned(meeting):
        raise Http404
    return meeting
